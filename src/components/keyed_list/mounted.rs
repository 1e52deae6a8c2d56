//! The one place the keyed list reaches below Leptos' `view!` surface into its
//! renderer (tachys): building an item's view into detached DOM nodes, taking its
//! element, and unmounting it. `Render::build`, `Mountable::elements` and
//! `AnyViewState` are public, but change between 0.x releases; the browser tests in
//! `tests/browser/keyed_list.rs` fail if what this relies on changes.

use leptos::prelude::*;
use leptos::tachys::view::any_view::AnyViewState;
use leptos::tachys::view::{Mountable, Render};

/// An item's view, built, with the element that holds it in the list.
pub struct Mounted {
    state: AnyViewState,
    pub element: web_sys::Element,
}

impl Mounted {
    /// Builds `view` (not yet in any document) and takes its first element; `None`
    /// for a view without one (an item must be an element to be placed).
    pub fn build(view: AnyView) -> Option<Mounted> {
        let state = view.build();
        let element = state.elements().into_iter().next()?;
        Some(Mounted { state, element })
    }

    /// Takes the view's nodes out of the document.
    pub fn unmount(&mut self) {
        self.state.unmount();
    }
}
