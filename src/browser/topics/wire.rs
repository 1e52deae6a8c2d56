//! Topic entries as plain JS values (`[[id, name, open], ...]`), the one form in
//! which they leave this instance: to other tabs over the channel, and to session
//! storage for the next load. They are read back by
//! [`crate::logic::wire::records::TopicEntry`].

use crate::logic::model::TopicInfo;
use js_sys::Array;
use wasm_bindgen::JsValue;

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
