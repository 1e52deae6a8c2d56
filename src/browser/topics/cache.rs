//! Topic names and opening states kept in session storage for the next load of the
//! page: a web panel reloads on many CRM navigations, and what was known a moment
//! ago (same API base, same tab) shows with the first cards instead of "Topic 12".
//! Entries are asked again in the background once their opening state is due.
//!
//! Any script of the origin can write there: it is read through [`stored`] and
//! checked like a message from another tab.

use crate::browser::js::{self, set};
use crate::browser::stored::{self, Area};
use crate::logic::wire::records::TopicsRecord;
use crate::logic::wire::Object as Record;
use js_sys::{Array, Object};
use wasm_bindgen::JsValue;

/// The entries saved for `base`, each with when the server last confirmed it, no
/// older than [`crate::logic::wire::records::TOPICS_MAX_AGE_MS`].
pub fn load(base: &str, now: f64) -> Vec<(i32, super::TopicInfo, f64)> {
    stored::read::<Record<TopicsRecord>>(Area::Session, &stored::key("topics", base))
        .map(|Record(record)| record.fresh(now))
        .unwrap_or_default()
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
    set(&saved, "topics", &js::topic_entries(&topics));
    set(&saved, "checked", &checked);
    // A cache: storage refusing it only costs the next load its names.
    let _ = stored::write(Area::Session, &stored::key("topics", base), &saved);
}
