//! Topic names and opening states kept in session storage for the next load of the
//! page: a web panel reloads on many CRM navigations, and what was known a moment
//! ago (same API base, same tab) shows with the first cards instead of "Topic 12".
//! Entries are asked again in the background once their opening state is due.
//!
//! Any script of the origin can write there: it is read through [`stored`] and
//! checked like a message from another tab.

use super::wire::{self, Entries};
use crate::browser::js::{get, set};
use crate::browser::stored::{self, Area};
use crate::logic::policy::plausible_time;
use js_sys::Object;
use wasm_bindgen::JsValue;

/// Entries older than this are not shown.
pub const MAX_AGE_MS: f64 = 30.0 * 60_000.0;

/// What a previous load of this tab knew, and when it last learnt something.
pub struct Cached {
    pub at: f64,
    pub entries: Entries,
}

/// The entries saved for `base` no longer ago than [`MAX_AGE_MS`].
pub fn load(base: &str, now: f64) -> Option<Cached> {
    let saved = stored::read(Area::Session, &stored::key("topics", base))?;
    let at = get(&saved, "at")
        .as_f64()
        .filter(|at| plausible_time(*at, now) && now - at <= MAX_AGE_MS)?;
    let entries = wire::from_js(get(&saved, "topics"))?;
    Some(Cached { at, entries })
}

/// Saves what is known of `base`'s topics now.
pub fn save(base: &str, entries: &[(i32, super::TopicInfo)], now: f64) {
    let saved = Object::new();
    set(&saved, "at", &JsValue::from_f64(now));
    set(&saved, "topics", &wire::to_js(entries));
    stored::write(Area::Session, &stored::key("topics", base), &saved);
}
