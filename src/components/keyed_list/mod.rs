//! A keyed list (in a `<ul>`, an `<ol>` or any element) that keeps each item's element for as long as
//! its key is shown and, when the order changes, moves only the items that have to
//! move: a refresh that re-sorts one agent among thousands moves one card. Each
//! item lives under its own reactive owner, disposed when it leaves (or with the
//! list).
//!
//! Why not Leptos' `<For>`: its keyed diff moves every row between two positions
//! that changed (a sorted list where one agent moved from last to first moves them
//! all), and `For` creates each row's owner as a child of its own, and a parent
//! owner keeps a weak reference to every child it ever had, so a list that renews
//! its rows all day grows without bound. Here the reordering keeps the longest run
//! of rows already in order ([`crate::logic::reorder::stays`]) and moves the rest,
//! and each row's owner is a root. `bash scripts/bench.sh` measures both (the
//! "keyed list" rows): on an idle machine, 1,000 agents with 10 changing per
//! refresh, `<For>` makes 12 list mutations per refresh against this list's 20,
//! but its wasm memory grows 18.8 % over 500 refreshes against 0.0 % here: the
//! memory decides.
//!
//! What it needs from Leptos' renderer below `view!` is in [`mounted`], and only
//! there.

mod mounted;

pub use mounted::Mounted;

use crate::browser::js;
use crate::components::reactive::effect;
use crate::logic::reorder::stays;
use leptos::prelude::*;
use leptos::tachys::html::element::ElementType;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::Hash;
use wasm_bindgen::{JsCast, JsValue};

/// Detached items kept for a quick return (a filter undone); the oldest go beyond this.
const MAX_DETACHED: usize = 200;

struct Item {
    view: Mounted,
    owner: Owner,
}

struct Rendered<K> {
    order: Vec<K>,
    items: HashMap<K, Item>,
    /// Keys of items out of the list but kept alive, oldest first.
    detached: VecDeque<K>,
}

impl<K> Default for Rendered<K> {
    fn default() -> Self {
        Rendered {
            order: Vec::new(),
            items: HashMap::new(),
            detached: VecDeque::new(),
        }
    }
}

impl<K: Key> Rendered<K> {
    fn remove(&mut self, key: K) {
        if let Some(mut item) = self.items.remove(&key) {
            item.view.unmount();
            item.owner.cleanup();
        }
    }

    fn detach(&mut self, key: K) {
        if let Some(item) = self.items.get(&key) {
            item.view.element.remove();
            self.detached.push_back(key);
        }
        while self.detached.len() > MAX_DETACHED {
            if let Some(oldest) = self.detached.pop_front() {
                self.remove(oldest);
            }
        }
    }
}

/// What a key must be: cheap to copy and compare.
pub trait Key: Copy + Eq + Hash + Send + Sync + 'static {}

impl<K: Copy + Eq + Hash + Send + Sync + 'static> Key for K {}

#[component]
pub fn KeyedList<K, E, F, A>(
    keys: Memo<Vec<K>>,
    /// The list element the items go in (`<ul>`, `<ol>`, or any element), rendered
    /// by the caller with this `node_ref` and with `KeyedList` as its only child.
    container: NodeRef<E>,
    /// Renders the item for a key; called once per key while it is alive.
    render: F,
    /// Whether a key that left the list may come back soon (e.g. hidden by a filter):
    /// its item is then only detached (up to a bound), and re-inserted as it was when
    /// it returns.
    alive: A,
) -> impl IntoView
where
    K: Key,
    E: ElementType + 'static,
    E::Output: JsCast + Clone + 'static,
    F: Fn(K) -> AnyView + 'static,
    A: Fn(K) -> bool + 'static,
{
    let rendered = RefCell::new(Rendered::default());
    effect(move |_| {
        let keys = keys.get();
        let Some(list) = container.get() else { return };
        // Building items must not subscribe this effect to what they read.
        let list: &web_sys::Element = list.unchecked_ref();
        // Moving an element drops the focus inside it (a card's star, pressed from the
        // keyboard, moves the card up): it is put back after the moves.
        let focused = focus_within(list);
        let focused_at = focused.as_ref().and_then(|f| item_index(list, f));
        untrack(|| reconcile(list, &keys, &mut rendered.borrow_mut(), &render, &alive));
        if let Some(focused) = focused {
            let node = focused.unchecked_ref::<web_sys::Node>();
            if list.contains(Some(node)) {
                refocus(list, &focused);
                // A control that moved may be hidden now (the bell of an agent who
                // became available): then its neighbour's, as when it leaves.
                if js::get(&list.get_root_node(), "activeElement") != focused {
                    focus_neighbour(list, &focused, focused_at.unwrap_or(0));
                }
            } else {
                // Its item left the list (a filter, an unpin): focus stays in the list,
                // on the item now in its place, never on the host page's body.
                focus_neighbour(list, &focused, focused_at.unwrap_or(0));
            }
        }
    });
    // Items (and their owners) are dropped with the effect's state when the list goes;
    // the items are the container's children, placed by `reconcile`.
}

/// The focused element, if it is inside `list` (in the list's document or shadow root).
fn focus_within(list: &web_sys::Element) -> Option<JsValue> {
    let active = js::get(&list.get_root_node(), "activeElement");
    let node = active.dyn_ref::<web_sys::Node>()?;
    list.contains(Some(node)).then_some(active)
}

/// The position among the list's items of the one holding `focused`.
fn item_index(list: &web_sys::Element, focused: &JsValue) -> Option<u32> {
    let node = focused.dyn_ref::<web_sys::Node>()?;
    let items = list.children();
    (0..items.length()).find(|i| items.item(*i).is_some_and(|item| item.contains(Some(node))))
}

/// Focuses, in the item at `index` (or the last one), the control like `focused`
/// (same tag and classes), else the list itself.
fn focus_neighbour(list: &web_sys::Element, focused: &JsValue, index: u32) {
    let items = list.children();
    let like = focused.dyn_ref::<web_sys::Element>().map(|element| {
        let classes: String = element
            .class_list()
            .value()
            .split_whitespace()
            .map(|c| format!(".{c}"))
            .collect();
        format!("{}{classes}", element.local_name())
    });
    let neighbour = items
        .item(index.min(items.length().saturating_sub(1)))
        .zip(like)
        .and_then(|(item, like)| item.query_selector(&like).ok().flatten());
    let focus = |element: &web_sys::Element| {
        if let Some(element) = element.dyn_ref::<web_sys::HtmlElement>() {
            let _ = element.focus();
        }
        js::get(&list.get_root_node(), "activeElement") == JsValue::from(element)
    };
    // A control may be hidden in its neighbour (the bell of an available agent).
    if !neighbour.is_some_and(|control| focus(&control)) {
        let _ = list.set_attribute("tabindex", "-1");
        focus(list);
    }
}

fn refocus(list: &web_sys::Element, element: &JsValue) {
    let still_focused = js::get(&list.get_root_node(), "activeElement") == *element;
    if !still_focused {
        if let Some(focus) = js::method(element, "focus") {
            let _ = focus.call0(element);
        }
    }
}

fn reconcile<K: Key>(
    list: &web_sys::Element,
    keys: &[K],
    rendered: &mut Rendered<K>,
    render: &impl Fn(K) -> AnyView,
    alive: &impl Fn(K) -> bool,
) {
    let wanted: HashSet<K> = keys.iter().copied().collect();
    let gone: Vec<K> = rendered
        .order
        .iter()
        .copied()
        .filter(|k| !wanted.contains(k))
        .collect();
    // Returning keys are attached again below.
    rendered.detached.retain(|k| !wanted.contains(k));
    for key in gone {
        if alive(key) {
            rendered.detach(key);
        } else {
            rendered.remove(key);
        }
    }
    // Detached items whose key is gone for good.
    let dead: Vec<K> = rendered
        .detached
        .iter()
        .copied()
        .filter(|k| !alive(*k))
        .collect();
    if !dead.is_empty() {
        rendered.detached.retain(|k| !dead.contains(k));
        for key in dead {
            rendered.remove(key);
        }
    }
    let kept: Vec<K> = rendered
        .order
        .iter()
        .copied()
        .filter(|k| wanted.contains(k))
        .collect();
    let stay = stays(&kept, keys);
    let mut next: Option<web_sys::Node> = None;
    for (index, key) in keys.iter().enumerate().rev() {
        let element = match rendered.items.get(key) {
            Some(item) => {
                if !stay[index] {
                    let _ = list.insert_before(&item.view.element, next.as_ref());
                }
                item.view.element.clone()
            }
            None => {
                // A root owner, not `parent.child()`: a parent keeps a weak reference to
                // every child it ever had, which grows without bound in a list that
                // renews its items all day.
                let owner = Owner::new_root(None);
                let Some(view) = owner.with(|| Mounted::build(render(*key))) else {
                    owner.cleanup();
                    continue;
                };
                let element = view.element.clone();
                let _ = list.insert_before(&element, next.as_ref());
                rendered.items.insert(*key, Item { view, owner });
                element
            }
        };
        next = Some(element.into());
    }
    rendered.order = keys.to_vec();
}
