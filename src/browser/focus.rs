//! Focus that never falls to the host page's body: when the focused control of a
//! panel goes away (a Retry that worked, the last "Show more"), the focus is handed
//! to the control that takes its place, or to a fixed one of the panel.

use crate::browser::js;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement};

fn active(within: &Element) -> JsValue {
    js::get(&within.get_root_node(), "activeElement")
}

/// Whether the element `selector` finds in `within` has the focus, or holds it.
pub fn has_focus(within: &Element, selector: &str) -> bool {
    let Some(element) = within.query_selector(selector).ok().flatten() else {
        return false;
    };
    let active = active(within);
    active == JsValue::from(&element)
        || active
            .dyn_ref::<web_sys::Node>()
            .is_some_and(|node| element.contains(Some(node)))
}

/// Focuses the first element one of `selectors` finds in `within` (a list that is
/// not focusable becomes so, without joining the tab order).
pub fn focus_first(within: &Element, selectors: &[&str]) {
    let found = selectors
        .iter()
        .find_map(|selector| within.query_selector(selector).ok().flatten());
    if let Some(element) = found.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        if element.tab_index() < 0 && !element.has_attribute("tabindex") {
            let _ = element.set_attribute("tabindex", "-1");
        }
        let _ = element.focus();
    }
}
