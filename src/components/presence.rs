//! `use_presence`: the panel's data pipeline, from the shared feed to what the view
//! shows, as one named struct of signals (as leptos-use hooks return theirs). The
//! rules live in [`crate::logic::view_model`]; this only wires them to signals.

use super::clock::use_clock;
use super::live::{CardCells, LiveStore, Marks};
use crate::browser::feed::Feed;
use crate::browser::intl;
use crate::browser::timer::AfterPaint;
use crate::components::reactive::effect;
use crate::logic::config::Config;
use crate::logic::coverage::{Change, Coverage};
use crate::logic::error::ApiError;
use crate::logic::i18n::fill;
use crate::logic::i18n::Lang;
use crate::logic::model::TopicInfo;
use crate::logic::pins::Pins;
use crate::logic::roster::{apply_filter, row_key, topic_counts, Count, Filter, Row};
use crate::logic::view_model::{
    coverage_announcement, fired_text, page_limit, shown_keys, sorted_rows, topic_ids, topic_name,
    topic_options, topic_prefix, uncovered_notice, updated_line, Empty, TopicOption, FIRST_SCREEN,
    PAGE,
};
use crate::logic::watch::Notice;
use crate::logic::watch::{Target, Watches};
use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// When no frame comes to paint the first screen (a hidden tab or iframe), the rest
/// of the cards follow after this long.
const REST_FALLBACK_MS: u32 = 100;

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
    pins: RwSignal<Pins>,
    watches: RwSignal<Watches>,
}

impl Cards {
    /// The data for the card `key`, if its row exists. Call it under the card's own
    /// owner: the card's live signals are forgotten when that owner is disposed.
    pub fn data(self, key: u64) -> Option<CardData> {
        let row = self.by_key.with_untracked(|m| m.0.get(&key).cloned())?;
        let cells = self.topics.with_untracked(|topics| {
            self.pins.with_untracked(|pins| {
                self.watches.with_untracked(|watches| {
                    let marks = Marks {
                        topics,
                        pins,
                        watches,
                    };
                    self.live
                        .try_update_value(|store| store.cells(key, &row, &marks))
                })
            })
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
    pub pinned_only: RwSignal<bool>,
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
    /// "Billing is open and nobody is available", when a topic is uncovered.
    pub uncovered: Signal<Option<String>>,
    /// For the live region: the last change in coverage, or a fired watch.
    pub announcement: RwSignal<String>,
    /// The chosen topic and whether it is watched (`None`: no topic is chosen).
    pub topic_watch: Signal<Option<(i32, bool)>>,
    /// The waiting watches, as chips: the target and "Watching Billing".
    pub watching: Memo<Vec<(Target, String)>>,
    /// Fired watches still on screen, with their text.
    pub notices: Memo<Vec<(Notice, String)>>,
    /// Storage refused the user's pins or watches (said once, until a reload).
    pub unkept: RwSignal<bool>,
    pub refresh: Callback<()>,
    pub show_more: Callback<()>,
    pub toggle_pin: Callback<i32>,
    pub toggle_watch: Callback<Target>,
    pub dismiss: Callback<Notice>,
}

/// Subscribes to the feed of `config`'s API base for as long as the calling owner
/// lives, and derives what the panel shows.
pub fn use_presence(config: &Config, lang: Lang) -> UsePresenceReturn {
    let feed = Feed::for_base(&config.api_base);
    let subscription = feed.subscribe(config.refresh_seconds, config.timeout_seconds * 1000, lang);
    let state = feed.state.clone();
    let topics: RwSignal<HashMap<i32, TopicInfo>> = feed.topics.topics.clone().into();
    let pins: RwSignal<Pins> = feed.marks.pins.clone().into();
    let watches: RwSignal<Watches> = feed.marks.watches.clone().into();
    let fired: RwSignal<Vec<Notice>> = feed.marks.notices.clone().into();
    let unkept: RwSignal<bool> = feed.marks.unkept.clone().into();
    let feed = StoredValue::new_local(feed);
    // Subscribed for as long as the panel lives.
    let subscription = StoredValue::new_local(Some(subscription));
    on_cleanup(move || {
        subscription.try_update_value(|s| s.take());
    });

    let topic = RwSignal::new(config.topic);
    let query = RwSignal::new(String::new());
    let available_only = RwSignal::new(false);
    let pinned_only = RwSignal::new(false);

    let roster = {
        let state = state.clone();
        Memo::new(move |_| state.with(|s| s.roster.clone()))
    };
    let sorted = Memo::new(move |_| {
        let Some(roster) = roster.get() else {
            return Rows::default();
        };
        let rows = sorted_rows(&roster.agents, lang, intl::fold, |names| {
            intl::name_order(lang.tag(), names)
        });
        Rows(Arc::new(rows.into_iter().map(Arc::new).collect()))
    });
    // Pinned colleagues first: one pass over the sorted rows, no second sort.
    let rows = Memo::new(move |_| {
        sorted.with(|sorted| {
            pins.with(|pins| {
                if pins.is_empty() {
                    // Nobody pinned: the sorted list itself, no copy per refresh.
                    sorted.clone()
                } else {
                    Rows(Arc::new(pins.first(&sorted.0, |row| row.agent.user_id)))
                }
            })
        })
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
    effect(move |_| {
        by_key.with(|rows| {
            topics.with(|topics| {
                pins.with(|pins| {
                    watches.with(|watches| {
                        let marks = Marks {
                            topics,
                            pins,
                            watches,
                        };
                        live.update_value(|store| store.sync(&rows.0, &marks))
                    })
                })
            })
        })
    });

    // Resolve the names of every topic in the data (once per id per page).
    effect(move |_| {
        let mut ids = rows.with(|rows| topic_ids(&rows.0));
        ids.extend(topic.get_untracked());
        feed.with_value(|feed| feed.request_topics(ids));
    });

    let filter = Memo::new(move |_| Filter {
        topic: topic.get(),
        query: query.with(|q| intl::fold(q)),
        available_only: available_only.get(),
        pinned_only: pinned_only.get(),
    });
    let view = Memo::new(move |_| {
        rows.with(|rows| {
            filter.with(|filter| {
                pins.with(|pins| {
                    let marked = rows
                        .0
                        .iter()
                        .map(|r| (&r.agent, r.folded.as_str(), pins.contains(r.agent.user_id)));
                    apply_filter(marked, filter)
                })
            })
        })
    });
    // "Show more" holds for the filter it was pressed under (see `page_limit`).
    let more = RwSignal::new(None::<(Filter, usize)>);
    let limit = Memo::new(move |_| more.with(|more| filter.with(|f| page_limit(more.as_ref(), f))));
    let not_shown = Memo::new(move |_| view.with(|v| v.visible.len()).saturating_sub(limit.get()));
    // The first data's cards come in two steps: a screenful at once, the rest once
    // the browser has painted it, so that a panel shows cards as early as it can.
    let first_screen = RwSignal::new(true);
    let shown_keys = Memo::new(move |_| {
        let limit = match first_screen.get() {
            true => limit.get().min(FIRST_SCREEN),
            false => limit.get(),
        };
        view.with(|v| keys.with(|keys| shown_keys(&v.visible, keys, limit)))
    });
    let rest = StoredValue::new_local(None::<AfterPaint>);
    effect(move |_| {
        // Started once: cards changing again before the paint (names arriving) must
        // not push the rest back.
        let waiting = rest.with_value(Option::is_some);
        if first_screen.get() && !waiting && shown_keys.with(|keys| !keys.is_empty()) {
            let paint = AfterPaint::start(REST_FALLBACK_MS, move || first_screen.set(false));
            rest.set_value(Some(paint));
        }
    });
    on_cleanup(move || {
        rest.try_update_value(|rest| rest.take());
    });
    let summary = Memo::new(move |_| view.with(|v| v.summary));

    // Counted once per roster; choosing a topic does not count again.
    let counts =
        Memo::new(move |_| rows.with(|rows| topic_counts(rows.0.iter().map(|r| &r.agent))));
    // What is known of coverage (uncovered topics, and topics whose opening state is
    // known), derived once per change of the counts or the topics.
    let coverage =
        Memo::new(move |_| counts.with(|counts| topics.with(|t| Coverage::of(counts, t))));
    let uncovered_ids = Memo::new(move |_| coverage.with(|c| c.uncovered.clone()));
    let topic_options = Memo::new(move |_| {
        counts.with(|counts| {
            topics.with(|names| {
                uncovered_ids.with(|uncovered| {
                    topic_options(counts, topic.get(), names, uncovered, lang, |names| {
                        intl::name_order(lang.tag(), names)
                    })
                })
            })
        })
    });
    let uncovered = Signal::derive(move || {
        uncovered_ids.with(|ids| topics.with(|t| uncovered_notice(ids, t, lang)))
    });
    // The live region hears of a topic that becomes uncovered or covered again, not
    // of every refresh (nor of the first data, nor of an opening state arriving).
    let announcement = RwSignal::new(String::new());
    effect(move |before: Option<Coverage>| {
        let now = coverage.get();
        if let Some(before) = before {
            let change =
                counts.with_untracked(|counts| Change::between(&before, &now.uncovered, counts));
            if let Some(text) = topics.with_untracked(|t| coverage_announcement(&change, t, lang)) {
                announcement.set(text);
            }
        }
        now
    });
    // The topic's bell, while nobody in it is available (or its watch waits).
    let topic_watch = Signal::derive(move || {
        let id = topic.get()?;
        let watching = watches.with(|w| w.contains(Target::Topic(id)));
        let nobody = counts.with(|c| c.get(&id).is_none_or(|count| count.available == 0));
        (watching || nobody).then_some((id, watching))
    });
    let watching = Memo::new(move |_| {
        watches.with(|watches| {
            topics.with(|t| {
                roster.with(|roster| {
                    let agent_name = |id: i32| {
                        roster
                            .as_ref()
                            .and_then(|r| r.agents.iter().find(|a| a.user_id == id))
                            .map(|a| a.display_name(|id| lang.user_fallback(id)))
                            .unwrap_or_else(|| lang.user_fallback(id))
                    };
                    watches
                        .list()
                        .iter()
                        .map(|w| {
                            let name = match w.target {
                                Target::Topic(id) => topic_name(id, t.get(&id), lang),
                                Target::Agent(id) => agent_name(id),
                            };
                            (w.target, fill(lang.strings().watching, &[("name", &name)]))
                        })
                        .collect()
                })
            })
        })
    });
    let notices = Memo::new(move |_| {
        fired.with(|fired| {
            topics.with(|t| {
                fired
                    .iter()
                    .map(|n| (n.clone(), fired_text(&n.fired, &n.name, t, lang)))
                    .collect::<Vec<_>>()
            })
        })
    });
    // Fired watches are said by the live region too: each new one, once (several
    // that fire together in one sentence).
    effect(move |seen: Option<f64>| {
        let newest =
            fired.with(|fired| fired.iter().map(|n| n.at).fold(f64::NEG_INFINITY, f64::max));
        if let Some(seen) = seen {
            let news: Vec<String> = notices.with_untracked(|notices| {
                notices
                    .iter()
                    .filter(|(notice, _)| notice.at > seen)
                    .map(|(_, text)| text.clone())
                    .collect()
            });
            if !news.is_empty() {
                announcement.set(news.join(". "));
            }
        }
        seen.map_or(newest, |seen| seen.max(newest))
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
        let busy = error.with(|e| matches!(e, Some(ApiError::Busy { .. })));
        let clock = busy.then(crate::browser::timer::local_offset_ms);
        updated_line(
            lang,
            updated_at,
            next_at.filter(|_| retrying),
            now.get(),
            clock,
        )
    });
    let empty = Signal::derive(move || {
        filter.with(|f| {
            let uncovered_topic = f
                .topic
                .filter(|id| uncovered_ids.with(|ids| ids.binary_search(id).is_ok()))
                .map(|id| topics.with(|t| topic_name(id, t.get(&id), lang)));
            let has_pins = pins.with(|p| !p.is_empty());
            Empty::reason(
                rows.with(|r| r.0.len()),
                f,
                summary.get(),
                has_pins,
                uncovered_topic,
            )
        })
    });

    UsePresenceReturn {
        rows,
        keys,
        topic,
        query,
        available_only,
        pinned_only,
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
            pins,
            watches,
        },
        uncovered,
        announcement,
        topic_watch,
        watching,
        notices,
        unkept,
        refresh: Callback::new(move |_| feed.with_value(|feed| feed.refresh())),
        toggle_pin: Callback::new(move |id| feed.with_value(|feed| feed.marks.toggle_pin(id))),
        toggle_watch: Callback::new(move |target| {
            feed.with_value(|feed| feed.marks.toggle_watch(target))
        }),
        dismiss: Callback::new(move |notice: Notice| {
            feed.with_value(|feed| feed.marks.dismiss(&notice))
        }),
        show_more: Callback::new(move |_| {
            let shown = limit.get_untracked();
            more.set(Some((filter.get_untracked(), shown + PAGE)));
        }),
    }
}
