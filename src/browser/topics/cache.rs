//! Topic names and opening states kept in session storage for the next load of the
//! page: a web panel reloads on many CRM navigations, and what was known a moment
//! ago (same API base, same tab) shows with the first cards instead of "Topic 12".
//! Entries are asked again in the background once their opening state is due.
//!
//! Any script of the origin can write there: the text is bounded before it is
//! parsed, and read with the same checks as a message from another tab.

use super::wire::{self, Entries};
use crate::browser::js::{self, get, set};
use crate::logic::policy::plausible_time;
use js_sys::{JsString, Object, JSON};
use wasm_bindgen::{JsCast, JsValue};

/// Entries older than this are not shown.
pub const MAX_AGE_MS: f64 = 30.0 * 60_000.0;
/// Longest text read back (500 topics of 200-character names fit with room).
const MAX_CHARS: u32 = 256 * 1024;
const KEY_PREFIX: &str = "superoffice.presence-widget.topics ";

/// What a previous load of this tab knew, and when it last learnt something.
pub struct Cached {
    pub at: f64,
    pub entries: Entries,
}

/// Session storage, if the page may use it (a sandboxed frame or a browser that
/// blocks storage throws on access: then there is simply no cache).
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn key(base: &str) -> String {
    format!("{KEY_PREFIX}{base}")
}

/// The entries saved for `base` no longer ago than [`MAX_AGE_MS`].
pub fn load(base: &str, now: f64) -> Option<Cached> {
    let storage = storage()?;
    let get_item = js::method(&storage, "getItem")?;
    let text = get_item
        .call1(&storage, &JsValue::from_str(&key(base)))
        .ok()?
        .dyn_into::<JsString>()
        .ok()?;
    if text.length() > MAX_CHARS {
        return None;
    }
    let saved = JSON::parse(&String::from(text)).ok()?;
    let at = get(&saved, "at")
        .as_f64()
        .filter(|at| plausible_time(*at, now) && now - at <= MAX_AGE_MS)?;
    let entries = wire::from_js(get(&saved, "topics"))?;
    Some(Cached { at, entries })
}

/// Saves what is known of `base`'s topics now (quietly not, if storage refuses).
pub fn save(base: &str, entries: &[(i32, super::TopicInfo)], now: f64) {
    let Some(storage) = storage() else { return };
    let saved = Object::new();
    set(&saved, "at", &JsValue::from_f64(now));
    set(&saved, "topics", &wire::to_js(entries));
    if let Some(text) = JSON::stringify(&saved).ok().and_then(|t| t.as_string()) {
        let _ = storage.set_item(&key(base), &text);
    }
}
