//! `use_presence`: the panel's data pipeline, from the shared feed to what the view
//! shows, as one named struct of signals (as leptos-use hooks return theirs). The
//! rules live in [`crate::logic::view_model`]; this only wires them to signals.

use super::clock::use_clock;
use super::live::{CardCells, LiveStore};
use crate::browser::feed::Feed;
use crate::browser::intl;
use crate::logic::config::Config;
use crate::logic::error::ApiError;
use crate::logic::i18n::Lang;
use crate::logic::model::TopicInfo;
use crate::logic::roster::{apply_filter, row_key, topic_counts, Count, Filter, Row};
use crate::logic::view_model::{
    page_limit, shown_keys, sorted_rows, topic_ids, topic_options, topic_prefix, updated_line,
    Empty, TopicOption, PAGE,
};
use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// The rows in list order, compared by identity: a new roster is a new list.
#[derive(Clone, Default)]
pub struct Rows(pub Arc<Vec<Arc<Row>>>);

impl PartialEq for Rows {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// The rows by card key, compared by identity.
#[derive(Clone, Default)]
pub struct RowsByKey(Arc<HashMap<u64, Arc<Row>>>);

impl PartialEq for RowsByKey {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// What a card is made from.
pub struct CardData {
    pub row: Arc<Row>,
    pub cells: CardCells,
}

/// Makes the data of cards by key; `Copy`, so the view's closures can hold it.
#[derive(Clone, Copy)]
pub struct Cards {
    by_key: Memo<RowsByKey>,
    live: StoredValue<LiveStore, LocalStorage>,
    topics: RwSignal<HashMap<i32, TopicInfo>>,
}

impl Cards {
    /// The data for the card `key`, if its row exists. Call it under the card's own
    /// owner: the card's live signals are forgotten when that owner is disposed.
    pub fn data(self, key: u64) -> Option<CardData> {
        let row = self.by_key.with_untracked(|m| m.0.get(&key).cloned())?;
        let cells = self.topics.with_untracked(|topics| {
            self.live
                .try_update_value(|store| store.cells(key, &row, topics))
        })?;
        let store = self.live;
        on_cleanup(move || {
            store.try_update_value(|store| store.dispose(key));
        });
        Some(CardData { row, cells })
    }

    /// Whether the card `key` may come back (its agent is still in the data).
    pub fn is_alive(self, key: u64) -> bool {
        self.by_key.with_untracked(|m| m.0.contains_key(&key))
    }
}

/// Everything the panel shows and does (`Copy`: every part is a handle).
#[derive(Clone, Copy)]
pub struct UsePresenceReturn {
    /// The agents in list order, and each one's card key (same order).
    pub rows: Memo<Rows>,
    pub keys: Memo<Arc<Vec<u64>>>,
    /// The user's choices.
    pub topic: RwSignal<Option<i32>>,
    pub query: RwSignal<String>,
    pub available_only: RwSignal<bool>,
    /// Data has arrived (and the session has not ended since).
    pub has_data: Memo<bool>,
    pub loading: Memo<bool>,
    pub error: Memo<Option<ApiError>>,
    /// Counts within the chosen topic and search.
    pub summary: Memo<Count>,
    /// "Billing: " for the live region, when a topic is chosen.
    pub topic_prefix: Signal<Option<String>>,
    pub updated_line: Signal<String>,
    pub topic_options: Memo<Vec<TopicOption>>,
    /// The keys of the cards to render, in list order.
    pub shown_keys: Memo<Vec<u64>>,
    /// Matching agents beyond those rendered.
    pub not_shown: Memo<usize>,
    /// Rows of the data that could not be read.
    pub skipped: Memo<usize>,
    pub empty: Signal<Empty>,
    pub cards: Cards,
    pub refresh: Callback<()>,
    pub show_more: Callback<()>,
}

/// Subscribes to the feed of `config`'s API base for as long as the calling owner
/// lives, and derives what the panel shows.
pub fn use_presence(config: &Config, lang: Lang) -> UsePresenceReturn {
    let feed = Feed::for_base(&config.api_base);
    let subscription = feed.subscribe(config.refresh_seconds, config.timeout_seconds * 1000, lang);
    let state = feed.state.clone();
    let topics: RwSignal<HashMap<i32, TopicInfo>> = feed.topics.topics.clone().into();
    let feed = StoredValue::new_local(feed);
    // Subscribed for as long as the panel lives.
    let subscription = StoredValue::new_local(Some(subscription));
    on_cleanup(move || {
        subscription.try_update_value(|s| s.take());
    });

    let topic = RwSignal::new(config.topic);
    let query = RwSignal::new(String::new());
    let available_only = RwSignal::new(false);

    let roster = {
        let state = state.clone();
        Memo::new(move |_| state.with(|s| s.roster.clone()))
    };
    let rows = Memo::new(move |_| {
        let Some(roster) = roster.get() else {
            return Rows::default();
        };
        let rows = sorted_rows(&roster.agents, lang, intl::fold, |names| {
            intl::name_order(lang.tag(), names)
        });
        Rows(Arc::new(rows.into_iter().map(Arc::new).collect()))
    });
    let keys = Memo::new(move |_| {
        rows.with(|rows| Arc::new(rows.0.iter().map(|r| row_key(r)).collect::<Vec<_>>()))
    });
    let by_key = Memo::new(move |_| {
        rows.with(|rows| {
            keys.with(|keys| {
                RowsByKey(Arc::new(
                    keys.iter().copied().zip(rows.0.iter().cloned()).collect(),
                ))
            })
        })
    });
    let live = StoredValue::new_local(LiveStore::default());
    // The one effect that writes signals: it hands each refresh's changes, and each
    // topic name that arrives, to the cards' own signals, so that a card hears only
    // of its agent and topics (no signal with thousands of listeners, see `live`).
    Effect::new(move |_| {
        by_key.with(|rows| {
            topics.with(|topics| live.update_value(|store| store.sync(&rows.0, topics)))
        })
    });

    // Resolve the names of every topic in the data (once per id per page).
    Effect::new(move |_| {
        let mut ids = rows.with(|rows| topic_ids(&rows.0));
        ids.extend(topic.get_untracked());
        feed.with_value(|feed| feed.request_topics(ids));
    });

    let filter = Memo::new(move |_| Filter {
        topic: topic.get(),
        query: query.with(|q| intl::fold(q)),
        available_only: available_only.get(),
    });
    let view = Memo::new(move |_| {
        rows.with(|rows| {
            filter.with(|filter| {
                apply_filter(rows.0.iter().map(|r| (&r.agent, r.folded.as_str())), filter)
            })
        })
    });
    // "Show more" holds for the filter it was pressed under (see `page_limit`).
    let more = RwSignal::new(None::<(Filter, usize)>);
    let limit = Memo::new(move |_| more.with(|more| filter.with(|f| page_limit(more.as_ref(), f))));
    let not_shown = Memo::new(move |_| view.with(|v| v.visible.len()).saturating_sub(limit.get()));
    let shown_keys = Memo::new(move |_| {
        view.with(|v| keys.with(|keys| shown_keys(&v.visible, keys, limit.get())))
    });
    let summary = Memo::new(move |_| view.with(|v| v.summary));

    // Counted once per roster; choosing a topic does not count again.
    let counts =
        Memo::new(move |_| rows.with(|rows| topic_counts(rows.0.iter().map(|r| &r.agent))));
    let topic_options = Memo::new(move |_| {
        counts.with(|counts| {
            topics.with(|names| {
                topic_options(counts, topic.get(), names, lang, |names| {
                    intl::name_order(lang.tag(), names)
                })
            })
        })
    });
    let topic_prefix =
        Signal::derive(move || topics.with(|names| topic_prefix(topic.get(), names, lang)));

    let loading = {
        let state = state.clone();
        Memo::new(move |_| state.with(|s| s.loading))
    };
    let error = {
        let state = state.clone();
        Memo::new(move |_| state.with(|s| s.error.clone()))
    };
    let has_data = Memo::new(move |_| roster.with(Option::is_some));
    let skipped = Memo::new(move |_| roster.with(|r| r.as_ref().map_or(0, |r| r.skipped)));
    let now = use_clock();
    let updated_line = Signal::derive(move || {
        let (updated_at, next_at) = state.with(|s| (s.updated_at, s.next_attempt_at));
        let retrying = error.with(|e| e.as_ref().is_some_and(ApiError::is_transient));
        updated_line(lang, updated_at, next_at.filter(|_| retrying), now.get())
    });
    let empty = Signal::derive(move || {
        filter.with(|f| Empty::reason(rows.with(|r| r.0.len()), f, summary.get()))
    });

    UsePresenceReturn {
        rows,
        keys,
        topic,
        query,
        available_only,
        has_data,
        loading,
        error,
        summary,
        topic_prefix,
        updated_line,
        topic_options,
        shown_keys,
        not_shown,
        skipped,
        empty,
        cards: Cards {
            by_key,
            live,
            topics,
        },
        refresh: Callback::new(move |_| feed.with_value(|feed| feed.refresh())),
        show_more: Callback::new(move |_| {
            let shown = limit.get_untracked();
            more.set(Some((filter.get_untracked(), shown + PAGE)));
        }),
    }
}
