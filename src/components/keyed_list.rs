//! A keyed `<ul>` that keeps each item's element for as long as its key is shown
//! and, when the order changes, moves only the items that have to move (see
//! [`crate::logic::reorder`]): a refresh that re-sorts one agent among thousands moves one
//! card. Each item lives under its own reactive owner, disposed when it leaves (or
//! with the list).

use crate::logic::reorder::stays;
use leptos::prelude::*;
use leptos::tachys::view::any_view::AnyViewState;
use leptos::tachys::view::{Mountable, Render};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet, VecDeque};

/// Detached items kept for a quick return (a filter undone); the oldest go beyond this.
const MAX_DETACHED: usize = 200;

struct Item {
    view: AnyViewState,
    element: web_sys::Element,
    owner: Owner,
}

#[derive(Default)]
struct Rendered {
    order: Vec<u64>,
    items: HashMap<u64, Item>,
    /// Keys of items out of the list but kept alive, oldest first.
    detached: VecDeque<u64>,
}

impl Rendered {
    fn remove(&mut self, key: u64) {
        if let Some(mut item) = self.items.remove(&key) {
            item.view.unmount();
            item.owner.cleanup();
        }
    }

    fn detach(&mut self, key: u64) {
        if let Some(item) = self.items.get(&key) {
            item.element.remove();
            self.detached.push_back(key);
        }
        while self.detached.len() > MAX_DETACHED {
            if let Some(oldest) = self.detached.pop_front() {
                self.remove(oldest);
            }
        }
    }
}

#[component]
pub fn KeyedList<F, A>(
    keys: Memo<Vec<u64>>,
    label: &'static str,
    /// Renders the item for a key; called once per key while it is alive.
    render: F,
    /// Whether a key that left the list may come back soon (e.g. hidden by a filter):
    /// its item is then only detached (up to a bound), and re-inserted as it was when
    /// it returns.
    alive: A,
) -> impl IntoView
where
    F: Fn(u64) -> AnyView + 'static,
    A: Fn(u64) -> bool + 'static,
{
    let list = NodeRef::<leptos::html::Ul>::new();
    let rendered = RefCell::new(Rendered::default());

    {
        Effect::new(move |_| {
            let keys = keys.get();
            let Some(ul) = list.get() else { return };
            // Building items must not subscribe this effect to what they read.
            untrack(|| reconcile(&ul, &keys, &mut rendered.borrow_mut(), &render, &alive));
        });
    }
    // Items (and their owners) are dropped with the effect's state when the list goes.
    view! { <ul class="agents" aria-label=label node_ref=list></ul> }
}

fn reconcile(
    ul: &web_sys::HtmlUListElement,
    keys: &[u64],
    rendered: &mut Rendered,
    render: &impl Fn(u64) -> AnyView,
    alive: &impl Fn(u64) -> bool,
) {
    let wanted: HashSet<u64> = keys.iter().copied().collect();
    let gone: Vec<u64> = rendered
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
    let dead: Vec<u64> = rendered
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
    let kept: Vec<u64> = rendered
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
                    let _ = ul.insert_before(&item.element, next.as_ref());
                }
                item.element.clone()
            }
            None => {
                // A root owner, not `parent.child()`: a parent keeps a weak reference to
                // every child it ever had, which grows without bound in a list that
                // renews its items all day.
                let owner = Owner::new_root(None);
                let view = owner.with(|| render(*key).build());
                let Some(element) = view.elements().into_iter().next() else {
                    continue;
                };
                let _ = ul.insert_before(&element, next.as_ref());
                rendered.items.insert(
                    *key,
                    Item {
                        view,
                        element: element.clone(),
                        owner,
                    },
                );
                element
            }
        };
        next = Some(element.into());
    }
    rendered.order = keys.to_vec();
}
