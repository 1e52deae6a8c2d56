//! Topic entries as plain JS values (`[[id, name, open], ...]`), the one form in
//! which they leave this instance: to other tabs over the channel, and to session
//! storage for the next load. Both can be written by any script of the origin, so
//! reading checks every part and bounds the sizes.

use super::{MAX_NAME_CHARS, MAX_TOPICS};
use crate::browser::js::get;
use crate::logic::model::TopicInfo;
use js_sys::{Array, JsString};
use wasm_bindgen::{JsCast, JsValue};

pub type Entries = Vec<(i32, TopicInfo)>;

pub fn to_js(entries: &[(i32, TopicInfo)]) -> Array {
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

/// The entries of `list`, or `None` if it is not a list or too long; entries that
/// are not understood are skipped.
pub fn from_js(list: JsValue) -> Option<Entries> {
    let list = list.dyn_into::<Array>().ok()?;
    if list.length() as usize > MAX_TOPICS {
        return None;
    }
    Some(
        list.iter()
            .filter_map(|entry| entry_from_js(&entry))
            .collect(),
    )
}

fn entry_from_js(entry: &JsValue) -> Option<(i32, TopicInfo)> {
    let id = get(entry, "0").as_f64().filter(|id| {
        id.fract() == 0.0 && *id >= f64::from(i32::MIN) && *id <= f64::from(i32::MAX)
    })? as i32;
    let name = match get(entry, "1") {
        value if value.is_null() => None,
        value => Some(short_string(value, MAX_NAME_CHARS)?),
    };
    let open = match get(entry, "2") {
        value if value.is_null() => None,
        value => Some(value.as_bool()?),
    };
    Some((id, TopicInfo { name, open }))
}

/// `value` as a string of at most `max` UTF-16 units.
pub fn short_string(value: JsValue, max: usize) -> Option<String> {
    let text = value.dyn_into::<JsString>().ok()?;
    (text.length() as usize <= max).then(|| String::from(&text))
}
