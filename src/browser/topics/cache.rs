//! Topic names and opening states kept in session storage for the next load of the
//! page: a web panel reloads on many CRM navigations, and what was known a moment
//! ago (same API base, same tab) shows with the first cards instead of "Topic 12".
//! Entries are asked again in the background once their opening state is due.
//!
//! Any script of the origin can write there: it is read through [`stored`] and
//! checked like a message from another tab.

use super::wire;
use crate::browser::js::{get, set};
use crate::browser::stored::{self, Area};
use crate::logic::policy::plausible_time;
use js_sys::{Array, Object};
use wasm_bindgen::JsValue;

/// Entries older than this are not shown.
pub const MAX_AGE_MS: f64 = 30.0 * 60_000.0;

/// The entries saved for `base`, each with when the server last confirmed it, no
/// older than [`MAX_AGE_MS`].
pub fn load(base: &str, now: f64) -> Vec<(i32, super::TopicInfo, f64)> {
    let Some(saved) = stored::read(Area::Session, &stored::key("topics", base)) else {
        return Vec::new();
    };
    let fresh = |at: f64| plausible_time(at, now) && now - at <= MAX_AGE_MS;
    let Some(saved_at) = get(&saved, "at").as_f64().filter(|at| fresh(*at)) else {
        return Vec::new();
    };
    let Some(entries) = wire::from_js(get(&saved, "topics")) else {
        return Vec::new();
    };
    let checked = get(&saved, "checked");
    entries
        .into_iter()
        .enumerate()
        .filter_map(|(index, (id, info))| {
            let at = get(&checked, &index.to_string())
                .as_f64()
                .unwrap_or(saved_at);
            (fresh(at) && at <= saved_at).then_some((id, info, at))
        })
        .collect()
}

/// Saves what is known of `base`'s topics now, with when each was confirmed.
pub fn save(base: &str, entries: &[(i32, super::TopicInfo, f64)], now: f64) {
    let topics: Vec<(i32, super::TopicInfo)> = entries
        .iter()
        .map(|(id, info, _)| (*id, info.clone()))
        .collect();
    let checked: Array = entries
        .iter()
        .map(|(_, _, at)| JsValue::from_f64(*at))
        .collect();
    let saved = Object::new();
    set(&saved, "at", &JsValue::from_f64(now));
    set(&saved, "topics", &wire::to_js(&topics));
    set(&saved, "checked", &checked);
    stored::write(Area::Session, &stored::key("topics", base), &saved);
}
