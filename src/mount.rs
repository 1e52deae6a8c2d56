//! Finds the page's mount elements and starts one widget in each, inside its own
//! shadow root so that the host's CSS and the widget's CSS never meet.

use crate::components::Widget;
use crate::config::{parse_config, PageLocation};
use crate::i18n::Lang;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CssStyleSheet, Element, HtmlElement, ShadowRootInit, ShadowRootMode};

/// The attribute that marks a mount element.
pub const MOUNT_ATTRIBUTE: &str = "data-presence-widget";
/// Set on a mount element once it holds a widget, so a second call skips it.
const MOUNTED_ATTRIBUTE: &str = "data-presence-mounted";

/// The widget's stylesheet, compiled in: adopted by every shadow root as one
/// constructable stylesheet, which a strict `style-src 'self'` policy allows.
const STYLES: &str = include_str!("../style/widget.css");

thread_local! {
    static SHEET: Option<CssStyleSheet> = CssStyleSheet::new().ok().and_then(|sheet| {
        sheet.replace_sync(STYLES).ok()?;
        Some(sheet)
    });
}

/// Mounts a widget in every `[data-presence-widget]` element not yet mounted.
/// Safe to call again after the host adds mount elements.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = mountAll)]
pub fn mount_all() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(elements) = document.query_selector_all(&format!("[{MOUNT_ATTRIBUTE}]")) else {
        return;
    };
    for index in 0..elements.length() {
        if let Some(element) = elements
            .item(index)
            .and_then(|n| n.dyn_into::<Element>().ok())
        {
            if !element.has_attribute(MOUNTED_ATTRIBUTE) {
                mount_in(&element);
            }
        }
    }
}

/// Mounts one widget in `host`.
pub fn mount_in(host: &Element) {
    let _ = host.set_attribute(MOUNTED_ATTRIBUTE, "");
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(document) = window.document() else {
        return;
    };
    let location = window.location();
    let origin = location.origin().unwrap_or_default();
    let path = location.pathname().unwrap_or_default();
    let attributes = attributes_of(host);
    let config = parse_config(
        &attributes,
        &PageLocation {
            origin: &origin,
            path: &path,
        },
    );

    let page_lang = document
        .document_element()
        .map(|root| root.get_attribute("lang").unwrap_or_default())
        .unwrap_or_default();
    let browser_langs: Vec<String> = window
        .navigator()
        .languages()
        .iter()
        .filter_map(|l| l.as_string())
        .collect();
    let requested = config
        .as_ref()
        .ok()
        .and_then(|c| c.lang.clone())
        .unwrap_or_default();
    let lang = Lang::pick(
        [requested.as_str(), page_lang.as_str()]
            .into_iter()
            .chain(browser_langs.iter().map(String::as_str)),
    );

    let Ok(container) = document.create_element("div") else {
        return;
    };
    container.set_class_name("pw-root");
    let mounted_in_shadow = host
        .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
        .ok()
        .map(|shadow| {
            SHEET.with(|sheet| {
                if let Some(sheet) = sheet {
                    let sheets = js_sys::Array::of1(sheet);
                    let _ = js_sys::Reflect::set(
                        &shadow,
                        &JsValue::from_str("adoptedStyleSheets"),
                        &sheets,
                    );
                }
            });
            shadow.append_child(&container).is_ok()
        })
        .unwrap_or(false);
    // Elements that cannot host a shadow root (e.g. <p>) get the widget inline.
    if !mounted_in_shadow && host.append_child(&container).is_err() {
        return;
    }
    let Ok(container) = container.dyn_into::<HtmlElement>() else {
        return;
    };
    leptos::mount::mount_to(container, move || view! { <Widget config lang/> }).forget();
}

fn attributes_of(element: &Element) -> Vec<(String, String)> {
    let attributes = element.attributes();
    (0..attributes.length())
        .filter_map(|i| attributes.item(i))
        .map(|attr| (attr.name(), attr.value()))
        .collect()
}
