//! The one way the widget reads and writes members of JS objects it did not type:
//! by name, never throwing (a missing member, or a value that is not an object,
//! reads as `undefined`).

use wasm_bindgen::JsValue;

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
