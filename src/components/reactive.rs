//! The widget's one way to make effects: with the function boxed, so that Leptos'
//! effect machinery (an async task per effect, tens of KB of wasm when each closure
//! gets its own copy) is compiled once per value type, not once per effect. Memos
//! need no such help: Leptos boxes their functions itself.

use leptos::prelude::*;

/// `Effect::new(f)`, with `f` boxed (see the module's comment).
pub fn effect<T: 'static>(f: impl FnMut(Option<T>) -> T + 'static) {
    let f: Box<dyn FnMut(Option<T>) -> T> = Box::new(f);
    Effect::new(f);
}
