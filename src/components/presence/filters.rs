//! `use_filters`: the user's choices (topic, search, "Available only", "Pinned"),
//! written by the controls, and the filter they make.

use crate::browser::intl;
use crate::logic::list::Filter;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct UseFiltersReturn {
    pub topic: RwSignal<Option<i32>>,
    pub query: RwSignal<String>,
    pub available_only: RwSignal<bool>,
    pub pinned_only: RwSignal<bool>,
    /// All four, with the search folded for matching.
    pub filter: Memo<Filter>,
}

pub fn use_filters(initial_topic: Option<i32>) -> UseFiltersReturn {
    let topic = RwSignal::new(initial_topic);
    let query = RwSignal::new(String::new());
    let available_only = RwSignal::new(false);
    let pinned_only = RwSignal::new(false);
    let filter = Memo::new(move |_| Filter {
        topic: topic.get(),
        query: query.with(|q| intl::fold(q)),
        available_only: available_only.get(),
        pinned_only: pinned_only.get(),
    });
    UseFiltersReturn {
        topic,
        query,
        available_only,
        pinned_only,
        filter,
    }
}
