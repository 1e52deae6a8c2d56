//! The one way the widget keeps things in the browser: JSON text in session or
//! local storage, under keys that start with `superoffice.presence-widget.`.
//!
//! Any script of the origin can write there, and storage may be refused outright (a
//! sandboxed frame, a blocked third party): reading bounds the text before parsing
//! it, reads it as one of [`crate::logic::wire::records`]' types and answers `None`
//! on anything odd; writing fails quietly.

use crate::browser::js;
use js_sys::{JsString, JSON};
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};

/// Longest text read back.
const MAX_CHARS: u32 = 256 * 1024;
pub const KEY_PREFIX: &str = "superoffice.presence-widget.";

#[derive(Clone, Copy)]
pub enum Area {
    /// This tab's session: survives reloads of the page, not the tab.
    Session,
    /// Every tab of the origin, for good.
    Local,
}

/// `superoffice.presence-widget.{what} {base}`.
pub fn key(what: &str, base: &str) -> String {
    format!("{KEY_PREFIX}{what} {base}")
}

fn storage(area: Area) -> Option<web_sys::Storage> {
    let window = web_sys::window()?;
    match area {
        Area::Session => window.session_storage(),
        Area::Local => window.local_storage(),
    }
    .ok()
    .flatten()
}

/// The record stored under `key`, if there is a readable one.
pub fn read<T: DeserializeOwned>(area: Area, key: &str) -> Option<T> {
    let storage = storage(area)?;
    let get_item = js::method(&storage, "getItem")?;
    let text = get_item
        .call1(&storage, &JsValue::from_str(key))
        .ok()?
        .dyn_into::<JsString>()
        .ok()?;
    if text.length() > MAX_CHARS {
        return None;
    }
    serde_wasm_bindgen::from_value(JSON::parse(&String::from(text)).ok()?).ok()
}

/// Stores `value` as JSON under `key`; `false` if storage refused it (a quota, a
/// blocked or sandboxed storage).
pub fn write(area: Area, key: &str, value: &JsValue) -> bool {
    let Some(storage) = storage(area) else {
        return false;
    };
    JSON::stringify(value)
        .ok()
        .and_then(|t| t.as_string())
        .is_some_and(|text| storage.set_item(key, &text).is_ok())
}
