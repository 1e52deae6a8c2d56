//! The few `document` members the widget relies on, read so that markup cannot
//! change them.
//!
//! `document` lets named elements shadow even its built-in members
//! (`<img name="cookie">`, `<form name="getElementById">`,
//! `<iframe name="documentElement">` on the host page all do), and a value of the
//! wrong kind there would throw, or worse, inside the widget. `window.document` and
//! `Document.prototype` cannot be shadowed by markup, so members are read through
//! the prototype, every call catches, and the kind of what comes back is checked.
//! The one exception is `hidden`, read from `document` itself (see [`hidden`]).

use crate::browser::js;
use js_sys::Object;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, NodeList};

/// `Document.prototype`.
fn prototype() -> Option<Object> {
    js::get(&js::get(&js_sys::global(), "Document"), "prototype")
        .dyn_into()
        .ok()
}

/// The getter `name` of `Document.prototype`, applied to `document`.
fn get(document: &Document, name: &str) -> Option<JsValue> {
    let descriptor = Object::get_own_property_descriptor(&prototype()?, &JsValue::from_str(name));
    js::method(&descriptor, "get")?.call0(document).ok()
}

/// The method `name` of `Document.prototype`, applied to `document` with `argument`.
fn call(document: &Document, name: &str, argument: &str) -> Option<JsValue> {
    js::method(&prototype()?.into(), name)?
        .call1(document, &JsValue::from_str(argument))
        .ok()
}

/// `document.cookie`, as a string.
pub fn cookie(document: &Document) -> Option<String> {
    get(document, "cookie")?.as_string()
}

/// `document.hidden`, read from the document itself (a script of the page may
/// define it; an element named "hidden" reads as `false`, never as an error).
pub fn hidden(document: &Document) -> bool {
    document.hidden()
}

/// `document.documentElement`.
pub fn root_element(document: &Document) -> Option<Element> {
    get(document, "documentElement")?.dyn_into().ok()
}

/// `document.getElementById(id)`.
pub fn element_by_id(document: &Document, id: &str) -> Option<Element> {
    call(document, "getElementById", id)?.dyn_into().ok()
}

/// `document.querySelectorAll(selector)`.
pub fn select_all(document: &Document, selector: &str) -> Option<NodeList> {
    call(document, "querySelectorAll", selector)?
        .dyn_into()
        .ok()
}

/// Whether the browser says it has no network (`navigator.onLine` is false; a
/// browser that cannot tell says it is online).
pub fn offline() -> bool {
    web_sys::window().is_some_and(|window| !window.navigator().on_line())
}

/// The `content` of the first `<meta name="{name}">` in the document's `<head>`
/// (markup in the body, where a sanitizer puts what it lets through, never counts).
pub fn head_meta(document: &Document, name: &str) -> Option<String> {
    let selector = format!("head > meta[name=\"{name}\"]");
    select_all(document, &selector)?
        .item(0)?
        .dyn_into::<Element>()
        .ok()?
        .get_attribute("content")
}
