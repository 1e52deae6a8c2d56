//! The panel's data pipeline, from the shared feed to what the view shows, as hooks
//! in the manner of leptos-use: one job per hook and file, each returning a named
//! struct of handles (`Copy`), every signal with one writer. The rules live in
//! [`crate::logic::view_model`]; the hooks only wire them to signals.
//!
//! [`use_feed`] → [`use_filters`] → [`use_list`] → [`use_cards`], [`use_coverage`],
//! [`use_watch_texts`] → [`use_announcement`]; [`use_presence`] puts them together.
//!
//! Values that are cheap to derive are methods of the returned structs (read in the
//! view's closures), not memos: each memo's value type costs its own copy of
//! Leptos' memo machinery in the wasm.

mod announcement;
mod cards;
mod coverage;
mod feed;
mod filters;
mod list;
mod watch_texts;

pub use announcement::use_announcement;
pub use cards::{use_cards, CardData, Cards};
pub use coverage::{use_coverage, UseCoverageReturn};
pub use feed::{use_feed, UseFeedReturn};
pub use filters::{use_filters, UseFiltersReturn};
pub use list::{use_list, UseListReturn};
pub use watch_texts::{use_watch_texts, UseWatchTextsReturn};

use crate::browser::signin::Session;
use crate::components::reactive::effect;
use crate::logic::config::Config;
use crate::logic::i18n::Lang;
use crate::logic::view_model::Empty;
use leptos::prelude::*;

/// Everything the panel shows and does.
#[derive(Clone, Copy)]
pub struct UsePresenceReturn {
    pub feed: UseFeedReturn,
    pub filters: UseFiltersReturn,
    pub list: UseListReturn,
    pub cards: Cards,
    pub coverage: UseCoverageReturn,
    pub watch_texts: UseWatchTextsReturn,
    /// For the live region: the last change in coverage, or fired watches.
    pub announcement: ReadSignal<String>,
}

/// Subscribes to the feed of `config`'s API base for as long as the calling owner
/// lives, and derives what the panel shows.
pub fn use_presence(config: &Config, bearer: Option<Session>, lang: Lang) -> UsePresenceReturn {
    let feed = use_feed(config, bearer, lang);
    let filters = use_filters(config.topic);
    let list = use_list(feed, filters, lang);
    let cards = use_cards(feed, list.ordered);
    let coverage = use_coverage(feed, list.ordered, filters, lang);
    let watch_texts = use_watch_texts(feed, lang);
    let announcement = use_announcement(feed, coverage, watch_texts, lang);
    // Resolve the names of every topic in the data (once per id per page): the
    // counts have each once, ascending.
    effect(move |_| {
        let mut ids: Vec<i32> = coverage.counts.with(|c| c.keys().copied().collect());
        ids.extend(filters.topic.get_untracked());
        feed.request_topics(ids);
    });
    UsePresenceReturn {
        feed,
        filters,
        list,
        cards,
        coverage,
        watch_texts,
        announcement,
    }
}

impl UsePresenceReturn {
    /// Why the list is empty (or that it is not).
    pub fn empty(self) -> Empty {
        let filter = self.filters.filter.read();
        let uncovered_topic = filter.topic.and_then(|id| self.coverage.uncovered_name(id));
        let has_pins = self.feed.pins.with(|p| !p.is_empty());
        let rows = self.list.ordered.with(|o| o.rows.len());
        Empty::reason(
            rows,
            &filter,
            self.list.summary(),
            has_pins,
            uncovered_topic,
        )
    }
}
