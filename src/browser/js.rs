//! The one way the widget reads and writes members of JS objects it did not type:
//! by name, never throwing (a missing member, or a value that is not an object,
//! reads as `undefined`).

use crate::logic::model::TopicInfo;
use crate::logic::wire::member::MAX_MEMBER_CHARS;
use crate::logic::wire::Member;
use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};

/// `object[key]`, or `undefined`.
pub fn get(object: &JsValue, key: &str) -> JsValue {
    if !object.is_object() && !object.is_function() {
        return JsValue::UNDEFINED;
    }
    js_sys::Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `object[key] = value`, if the object takes it.
pub fn set(object: &JsValue, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(object, &JsValue::from_str(key), value);
}

/// `object[key]` as a function, if it is one.
pub fn method(object: &JsValue, key: &str) -> Option<js_sys::Function> {
    wasm_bindgen::JsCast::dyn_into(get(object, key)).ok()
}

/// A member of a value from outside, as [`Member`] says it: read from the JS value
/// itself (serde-wasm-bindgen hands it over untouched), so that a long string is cut
/// before it is copied into wasm memory and a list, object or buffer of any length
/// is not walked (a structured clone can carry a sparse array of 2³² − 1 holes).
impl<'de> serde::Deserialize<'de> for Member {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value: JsValue = serde_wasm_bindgen::preserve::deserialize(deserializer)?;
        Ok(member_of(&value))
    }
}

fn member_of(value: &JsValue) -> Member {
    if value.is_undefined() || value.is_null() {
        Member::Missing
    } else if let Some(flag) = value.as_bool() {
        Member::Bool(flag)
    } else if let Some(number) = value.as_f64() {
        Member::Number(number)
    } else if let Some(text) = value.dyn_ref::<js_sys::JsString>() {
        Member::Text(String::from(text.slice(0, MAX_MEMBER_CHARS as u32)))
    } else if js_sys::Array::is_array(value) {
        Member::List
    } else {
        Member::Object
    }
}

/// Topic entries as plain JS values (`[[id, name, open], ...]`), the one form in
/// which they leave this instance: to other tabs over the channel, and to session
/// storage for the next load. They are read back by
/// [`crate::logic::wire::records::TopicEntry`].
pub fn topic_entries(entries: &[(i32, TopicInfo)]) -> Array {
    entries
        .iter()
        .map(|(id, info)| {
            let name = info
                .name
                .as_deref()
                .map_or(JsValue::NULL, JsValue::from_str);
            let open = info.open.map_or(JsValue::NULL, JsValue::from_bool);
            JsValue::from(Array::of3(&JsValue::from(*id), &name, &open))
        })
        .collect()
}
