//! Text operations that need Unicode or locale tables, done by the browser's own
//! (`toLowerCase`, `normalize`, `Intl.Collator`) instead of shipping Rust's tables
//! in the wasm (the case-mapping tables alone are about 30 KB). The collator is
//! js-sys' `Intl::Collator`. Digit grouping stays in the core (`Lang::number`): it
//! is one separator per language, tested on the host, where `Intl.NumberFormat`
//! would be a call into the browser per number for the same text.

use crate::browser::js;
use crate::logic::list::strip_accents;
use crate::logic::view_model::NameOrder;
use js_sys::{Array, Intl, JsString, Object};
use wasm_bindgen::JsValue;

/// The search form of a text (see [`crate::logic::list::fold`]), with the browser's tables.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let lower: String = JsString::from(text).to_lower_case().normalize("NFD").into();
    strip_accents(&lower)
}

pub fn upper(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_uppercase();
    }
    JsString::from(text).to_upper_case().into()
}

/// Each distinct name's place in `locale`'s alphabetical order (Å after Z in the
/// Nordic languages), sorted in one call into the browser rather than one call per
/// comparison.
pub fn name_order<'a>(locale: &str, names: impl IntoIterator<Item = &'a str>) -> NameOrder {
    // Repeated names are sorted too (they take one place in the order): deduplicating
    // first would cost a sort of our own, and its code in the wasm.
    let array = Array::new();
    for name in names {
        array.push(&JsValue::from_str(name));
    }
    let collator = Intl::Collator::new(&Array::of1(&JsValue::from_str(locale)), &Object::new());
    let compare = collator.compare();
    if let Some(sort) = js::method(&array, "sort") {
        // If sorting fails the order of the names as given stands.
        let _ = sort.call1(&array, &compare);
    }
    array
        .iter()
        .filter_map(|name| name.as_string())
        .enumerate()
        .map(|(rank, name)| (name, rank as u32))
        .collect()
}
