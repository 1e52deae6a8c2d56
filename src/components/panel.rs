//! The presence panel: header with summary and refresh, controls, and the list or
//! whatever state stands in for it.

use super::card::AgentCard;
use super::controls::{Controls, TopicOption};
use super::icons;
use super::keyed_list::KeyedList;
use super::states::{Empty, Failure, Skeleton};
use crate::browser::feed::{clock, Feed};
use crate::browser::intl;
use crate::logic::config::Config;
use crate::logic::error::ApiError;
use crate::logic::i18n::{fill, Lang};
use crate::logic::roster::{
    apply_filter, row_key, rows, sort_rows, topic_counts, Count, Filter, Row,
};
use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// Cards rendered at first, and added by each "Show more": a support lead filters a
/// tenant of thousands rather than scrolling it, and the page stays fast.
const PAGE: usize = 200;

/// The rows in list order, compared by identity: a new roster is a new list.
#[derive(Clone, Default)]
struct Rows(Arc<Vec<Arc<Row>>>);

impl PartialEq for Rows {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Clone, Default, PartialEq)]
struct Keys(Arc<Vec<u64>>);

#[derive(Clone, Default)]
struct RowsByKey(Arc<HashMap<u64, Arc<Row>>>);

impl PartialEq for RowsByKey {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

#[component]
pub fn PresencePanel(config: Config, lang: Lang) -> impl IntoView {
    let s = lang.strings();
    let feed = Feed::for_base(&config.api_base);
    let subscription = feed.subscribe(
        config.refresh_seconds,
        config.timeout_seconds * 1000,
        lang.tag(),
    );
    let state = feed.state.clone();
    let topics_signal = feed.topics.topics.clone();
    let feed = StoredValue::new_local(feed);
    // Keep subscribed for as long as this panel lives.
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
        let mut rows = rows(&roster.agents, |id| lang.user_fallback(id), intl::fold);
        let order = intl::name_order(lang.tag(), rows.iter().map(|r| r.name.as_str()));
        let rank = |name: &str| order.get(name).copied().unwrap_or(u32::MAX);
        sort_rows(&mut rows, |a, b| rank(a).cmp(&rank(b)));
        Rows(Arc::new(rows.into_iter().map(Arc::new).collect()))
    });
    // Each row's card key (see `row_key`): it changes when the row's name, topics or
    // topic names change, never with presence.
    let keys = {
        let topics_signal = topics_signal.clone();
        Memo::new(move |_| {
            rows.with(|rows| {
                topics_signal.with(|topics| {
                    let label = |id: i32| {
                        topics.get(&id).map_or_else(String::new, |info| {
                            format!("{}|{:?}", info.name.as_deref().unwrap_or(""), info.open)
                        })
                    };
                    Keys(Arc::new(
                        rows.0.iter().map(|row| row_key(row, label)).collect(),
                    ))
                })
            })
        })
    };
    let by_key = Memo::new(move |_| {
        rows.with(|rows| {
            keys.with(|keys| {
                RowsByKey(Arc::new(
                    keys.0.iter().copied().zip(rows.0.iter().cloned()).collect(),
                ))
            })
        })
    });
    // Each card's presence signal, set in place on refresh: only the cards whose agent
    // changed hear of it (no signal has thousands of listeners to re-subscribe).
    let presence_store = StoredValue::new_local(HashMap::<u64, ArcRwSignal<(bool, u32)>>::new());
    Effect::new(move |_| {
        by_key.with(|rows| {
            presence_store.update_value(|store| {
                store.retain(|key, _| rows.0.contains_key(key));
                for (key, signal) in store.iter() {
                    if let Some(row) = rows.0.get(key) {
                        let now = (row.agent.present, row.agent.ongoing_chats);
                        signal.maybe_update(|p| std::mem::replace(p, now) != now);
                    }
                }
            })
        })
    });

    // Resolve the names of every topic in the data (once per id per page).
    Effect::new(move |_| {
        let mut ids: Vec<i32> = rows.with(|rows| topic_ids(&rows.0));
        ids.extend(topic.get_untracked());
        feed.with_value(|feed| feed.request_topics(ids));
    });

    let filter = Memo::new(move |_| Filter {
        topic: topic.get(),
        query: query.with(|q| intl::fold(q)),
        available_only: available_only.get(),
    });
    let view_model = Memo::new(move |_| {
        rows.with(|rows| {
            filter.with(|filter| {
                apply_filter(rows.0.iter().map(|r| (&r.agent, r.folded.as_str())), filter)
            })
        })
    });
    let limit = RwSignal::new(PAGE);
    // A new filter starts again from the first page.
    Effect::new(move |previous: Option<()>| {
        filter.track();
        if previous.is_some() {
            limit.set(PAGE);
        }
    });
    let not_shown = Memo::new(move |_| {
        view_model
            .with(|v| v.visible.len())
            .saturating_sub(limit.get())
    });
    let visible_ids = Memo::new(move |_| {
        view_model.with(|v| {
            keys.with(|keys| {
                v.visible
                    .iter()
                    .take(limit.get())
                    .filter_map(|i| keys.0.get(*i).copied())
                    .collect::<Vec<u64>>()
            })
        })
    });
    let summary = Memo::new(move |_| view_model.with(|v| v.summary));

    // Counted once per roster; choosing a topic does not count again.
    let counts_by_topic =
        Memo::new(move |_| rows.with(|rows| topic_counts(rows.0.iter().map(|r| &r.agent))));
    let options = {
        let topics_signal = topics_signal.clone();
        Memo::new(move |_| {
            let mut counts = counts_by_topic.get();
            if let Some(chosen) = topic.get() {
                counts.entry(chosen).or_insert(Count::default());
            }
            let names = topics_signal.read();
            let mut options: Vec<(String, TopicOption)> = counts
                .into_iter()
                .map(|(id, count)| {
                    let info = names.get(&id);
                    let name = info
                        .and_then(|i| i.name.clone())
                        .unwrap_or_else(|| lang.topic_fallback(id));
                    let closed = info.and_then(|i| i.open) == Some(false);
                    let label = lang.topic_option(&name, count.available, count.total, closed);
                    (name, TopicOption { id, label })
                })
                .collect();
            let order = intl::name_order(lang.tag(), options.iter().map(|(name, _)| name.as_str()));
            let rank = |name: &str| order.get(name).copied().unwrap_or(u32::MAX);
            options.sort_by(|(a, x), (b, y)| rank(a).cmp(&rank(b)).then(x.id.cmp(&y.id)));
            options
                .into_iter()
                .map(|(_, option)| option)
                .collect::<Vec<_>>()
        })
    };

    let topic_prefix = {
        let topics_signal = topics_signal.clone();
        move || {
            let id = topic.get()?;
            let name = topics_signal
                .with(|t| t.get(&id).and_then(|i| i.name.clone()))
                .unwrap_or_else(|| lang.topic_fallback(id));
            Some(format!("{name}: "))
        }
    };

    let refresh = move || feed.with_value(|feed| feed.refresh());
    let on_retry = Callback::new(move |_| refresh());

    let loading = {
        let state = state.clone();
        Memo::new(move |_| state.with(|s| s.loading))
    };
    let error = {
        let state = state.clone();
        Memo::new(move |_| state.with(|s| s.error.clone()))
    };
    let has_data = Memo::new(move |_| roster.with(Option::is_some));
    let now = clock();
    let updated_line = {
        let state = state.clone();
        move || {
            let (updated_at, next_at) = state.with(|s| (s.updated_at, s.next_attempt_at));
            let now = now.get();
            let mut line = updated_at
                .map(|at| lang.updated_ago(((now - at).max(0.0) / 1000.0) as u64))
                .unwrap_or_default();
            if error.with(|e| e.as_ref().is_some_and(ApiError::is_transient)) {
                if let Some(next) = next_at {
                    let seconds = ((next - now).max(0.0) / 1000.0).ceil() as u64;
                    line.push_str(" – ");
                    line.push_str(&lang.retrying_in(seconds));
                }
            }
            line
        }
    };
    let skipped = move || roster.with(|r| r.as_ref().map_or(0, |r| r.skipped));
    let base = config.api_base.clone();
    let error_message = move |error: &ApiError| -> String {
        match error {
            ApiError::SignedOut => s.signed_out.into(),
            ApiError::Redirected => s.redirected.into(),
            ApiError::Forbidden => s.forbidden.into(),
            ApiError::NotFound => fill(s.not_found, &[("base", &base)]),
            ApiError::Server { status, message } => {
                let text = fill(s.server_error, &[("status", &status.to_string())]);
                match message {
                    Some(message) => format!("{text} {message}"),
                    None => text,
                }
            }
            ApiError::Network => s.network_error.into(),
            ApiError::Timeout => s.timeout.into(),
            ApiError::NotJson => s.not_json.into(),
            ApiError::Unexpected(crate::logic::model::DecodeError::NotAList { kind, message }) => {
                let text = fill(s.unexpected, &[("kind", kind)]);
                match message {
                    Some(message) => format!("{text} {message}"),
                    None => text,
                }
            }
        }
    };
    let error_message = StoredValue::new(error_message);

    let empty_message = Signal::derive(move || {
        let f = filter.get();
        if rows.with(|r| r.0.is_empty()) {
            s.no_agents
        } else if !f.query.trim().is_empty() && summary.get().total == 0 {
            s.nobody_matches
        } else if summary.get().total == 0 {
            s.nobody_in_topic
        } else {
            s.nobody_available
        }
    });

    let card_for = {
        let topics_signal: RwSignal<_> = topics_signal.clone().into();
        move |key: u64| {
            let Some(row) = by_key.with_untracked(|m| m.0.get(&key).cloned()) else {
                return ().into_any();
            };
            let now = (row.agent.present, row.agent.ongoing_chats);
            let presence = presence_store
                .try_update_value(|store| {
                    store
                        .entry(key)
                        .or_insert_with(|| ArcRwSignal::new(now))
                        .clone()
                })
                .unwrap_or_else(|| ArcRwSignal::new(now));
            // The card's owner is disposed when the card is: forget its signal then.
            on_cleanup(move || {
                presence_store.try_update_value(|store| store.remove(&key));
            });
            // A snapshot: new topic names give the card a new key, hence a new card.
            let topics = topics_signal.with_untracked(|topics| {
                row.agent
                    .topics
                    .iter()
                    .map(|id| topics.get(id).cloned().unwrap_or_default())
                    .collect()
            });
            view! { <AgentCard row presence topics lang/> }.into_any()
        }
    };

    let list_or_state = move || {
        let error = error.get();
        match (has_data.get(), error) {
            (_, Some(error)) if error.ends_session() => view! {
                <Failure message=error_message.with_value(|m| m(&error)) signed_out=true retry_label=s.retry on_retry/>
            }
            .into_any(),
            (false, Some(error)) => view! {
                <Failure message=error_message.with_value(|m| m(&error)) signed_out=false retry_label=s.retry on_retry/>
            }
            .into_any(),
            (false, None) => view! { <Skeleton label=s.loading/> }.into_any(),
            (true, stale) => view! {
                {stale.map(|error| view! {
                    <div class="stale" role="status">
                        <icons::Warning/>
                        <span class="stale-text">
                            <strong>{s.stale}</strong>" "{error_message.with_value(|m| m(&error))}
                        </span>
                        <button type="button" class="button small" on:click=move |_| on_retry.run(())>{s.retry}</button>
                    </div>
                })}
                <Show
                    when=move || visible_ids.with(|ids| !ids.is_empty())
                    fallback=move || view! { <Empty message=empty_message/> }
                >
                    <KeyedList
                        keys=visible_ids
                        label=s.agents_list
                        render=card_for
                        alive=move |key| by_key.with_untracked(|m| m.0.contains_key(&key))
                    />
                </Show>
                {move || {
                    let hidden = not_shown.get();
                    (hidden > 0).then(|| view! {
                        <button type="button" class="button show-more" on:click=move |_| limit.update(|l| *l += PAGE)>
                            {lang.show_more(hidden.min(PAGE), hidden)}
                        </button>
                    })
                }}
                {move || (skipped() > 0).then(|| view! { <p class="skipped">{lang.skipped_rows(skipped())}</p> })}
            }
            .into_any(),
        }
    };

    view! {
        <section class="panel" class:is-stale=move || error.with(Option::is_some) lang=lang.tag()>
            <header class="header">
                <div class="heading">
                    // The polite live region announces summary changes, not every card;
                    // with a topic chosen it names it ("Billing: 2 of 3 agents available").
                    <p class="summary" role="status" aria-live="polite">
                        <span class="sr-only">{topic_prefix}</span>
                        {move || {
                            if has_data.get() {
                                let count = summary.get();
                                lang.summary(count.available, count.total)
                            } else {
                                String::new()
                            }
                        }}
                    </p>
                    <p class="updated">{updated_line}</p>
                </div>
                <button
                    type="button"
                    class="icon-button refresh"
                    class:spinning=loading
                    aria-label=s.refresh
                    title=s.refresh
                    on:click=move |_| refresh()
                >
                    <icons::Refresh/>
                </button>
            </header>
            <Controls options topic query available_only lang/>
            <div class="list-area">{list_or_state}</div>
        </section>
    }
}

/// Every topic id in the rows.
fn topic_ids(rows: &[Arc<Row>]) -> Vec<i32> {
    let mut ids: Vec<i32> = rows
        .iter()
        .flat_map(|r| r.agent.topics.iter().copied())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}
