//! Names and opening state of chat topics, per API base, shared by every instance
//! and, through the polling tab, by every tab: ten tabs cost one set of look-ups.
//!
//! `GetAll` only carries topic ids; there is no "all topics" endpoint, so each id is
//! resolved with `ChatTopic/{id}` and `ChatTopic/{id}/IsOpen`, a few at a time. A
//! topic that cannot be resolved keeps its fallback name ("Topic 12") and is asked
//! again later, backing off per topic (30 s, doubling, at most 5 minutes), so a
//! failing topic costs a request every few minutes, not one per refresh. Ids come
//! from the server, so every table here is bounded. What is known is kept in
//! session storage ([`cache`]) so that the next load of the page starts with it.

pub mod cache;

use crate::browser::api::{self, CallOptions};
use crate::browser::timer::{jitter, now_ms};
use crate::logic::backoff::backoff_ms;
use crate::logic::error::ApiError;
use crate::logic::model::TopicInfo;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet, VecDeque};
use std::rc::Rc;

/// Requests in flight at once, per API base: enough to resolve six topics quickly
/// without crowding the browser's six connections per host.
const CONCURRENCY: usize = 3;
/// How long an opening state holds before it is asked again.
const OPEN_STATE_TTL_MS: f64 = 5.0 * 60_000.0;
/// The first wait before asking again for a topic whose look-up failed.
const RETRY_MS: f64 = 30_000.0;
/// Most topics resolved per API base; ids beyond keep their fallback names.
const MAX_TOPICS: usize = crate::logic::wire::records::MAX_TOPIC_ENTRIES;

/// When an id may be asked again, and how many look-ups failed in a row.
#[derive(Clone, Copy, Debug, Default)]
struct Due {
    at: f64,
    failures: u32,
}

pub struct TopicDirectory {
    base: String,
    /// What is known of each topic (name and opening state), by id.
    pub known: ArcRwSignal<HashMap<i32, TopicInfo>>,
    due: RefCell<HashMap<i32, Due>>,
    queue: RefCell<VecDeque<i32>>,
    workers: Cell<usize>,
    options: RefCell<CallOptions>,
    /// Only the tab that polls asks the server; the others hear from it.
    asks: Cell<bool>,
    /// The ids last asked for, to resolve when this tab starts polling.
    wanted: RefCell<Vec<i32>>,
    /// When each entry was last confirmed by the server (ms since the epoch).
    checked: RefCell<HashMap<i32, f64>>,
    /// Entries from the session cache whose names have not been asked again yet.
    provisional: RefCell<HashSet<i32>>,
    /// Told after each look-up that changed something (the polling tab shares it).
    on_change: RefCell<Option<Box<dyn Fn()>>>,
}

impl TopicDirectory {
    /// A directory for `base`, starting from what this tab's last load of a page
    /// knew ([`cache`]): those entries show at once and are asked again when due.
    pub fn new(base: &str, options: CallOptions) -> Rc<TopicDirectory> {
        let mut topics = HashMap::new();
        let mut due = HashMap::new();
        let mut checked = HashMap::new();
        for (id, info, at) in cache::load(base, now_ms()) {
            topics.insert(id, info);
            due.insert(
                id,
                Due {
                    at: at + OPEN_STATE_TTL_MS,
                    failures: 0,
                },
            );
            checked.insert(id, at);
        }
        // Cached names show at once but are asked again once, when the entry is due.
        let provisional = topics.keys().copied().collect();
        Rc::new(TopicDirectory {
            base: base.to_owned(),
            known: ArcRwSignal::new(topics),
            due: RefCell::new(due),
            checked: RefCell::new(checked),
            provisional: RefCell::new(provisional),
            queue: RefCell::new(VecDeque::new()),
            workers: Cell::new(0),
            options: RefCell::new(options),
            asks: Cell::new(true),
            wanted: RefCell::new(Vec::new()),
            on_change: RefCell::new(None),
        })
    }

    pub fn set_options(&self, options: CallOptions) {
        *self.options.borrow_mut() = options;
    }

    pub fn on_change(&self, f: impl Fn() + 'static) {
        *self.on_change.borrow_mut() = Some(Box::new(f));
    }

    /// Whether this tab asks the server itself; when it starts to, it resolves what
    /// was wanted meanwhile.
    pub fn set_asks(self: &Rc<Self>, asks: bool) {
        if self.asks.replace(asks) != asks && asks {
            let wanted = self.wanted.borrow().clone();
            self.request(wanted);
        }
        if !asks {
            // Queued look-ups are the polling tab's job now (or no one's).
            let dropped: Vec<i32> = self.queue.borrow_mut().drain(..).collect();
            let mut due = self.due.borrow_mut();
            for id in dropped {
                due.remove(&id);
            }
        }
    }

    /// Makes sure each id is resolved (or being resolved, or waiting out a failure);
    /// cheap to call on every refresh.
    pub fn request(self: &Rc<Self>, ids: impl IntoIterator<Item = i32>) {
        let ids: Vec<i32> = ids.into_iter().take(MAX_TOPICS).collect();
        self.forget_unwanted(&ids);
        if !self.asks.get() {
            *self.wanted.borrow_mut() = ids;
            return;
        }
        let now = now_ms();
        {
            let mut due = self.due.borrow_mut();
            let mut queue = self.queue.borrow_mut();
            for &id in &ids {
                if due.len() >= MAX_TOPICS && !due.contains_key(&id) {
                    continue;
                }
                let entry = due.entry(id).or_default();
                if entry.at <= now && !queue.contains(&id) {
                    // Not again until this look-up ends and says when.
                    entry.at = f64::INFINITY;
                    queue.push_back(id);
                }
            }
        }
        *self.wanted.borrow_mut() = ids;
        while self.workers.get() < CONCURRENCY && !self.queue.borrow().is_empty() {
            self.workers.set(self.workers.get() + 1);
            let dir = Rc::clone(self);
            spawn_local(async move {
                loop {
                    let next = dir.queue.borrow_mut().pop_front();
                    let Some(id) = next else { break };
                    dir.resolve(id).await;
                }
                dir.workers.set(dir.workers.get().saturating_sub(1));
                // Saved once a round of look-ups is over, not after each one.
                if dir.workers.get() == 0 {
                    dir.save();
                }
            });
        }
    }

    async fn resolve(&self, id: i32) {
        let options = self.options.borrow().clone();
        let known_name = if self.provisional.borrow().contains(&id) {
            None
        } else {
            self.known
                .with_untracked(|t| t.get(&id).and_then(|info| info.name.clone()))
        };
        let name = match known_name {
            Some(name) => Ok(Some(name)),
            None => api::fetch_topic_name(&self.base, id, &options).await,
        };
        // An unknown topic has no opening state to ask for.
        let open = match &name {
            Err(ApiError::NotFound) => Ok(None),
            Err(_) => Err(ApiError::Network),
            Ok(_) => api::fetch_topic_open(&self.base, id, &options).await,
        };
        let failed = [&name.as_ref().err(), &open.as_ref().err()]
            .into_iter()
            .flatten()
            .any(|error| **error != ApiError::NotFound);
        let now = now_ms();
        if let Some(due) = self.due.borrow_mut().get_mut(&id) {
            if failed {
                due.failures = due.failures.saturating_add(1);
                due.at = now + backoff_ms(RETRY_MS, due.failures, jitter());
            } else {
                due.failures = 0;
                due.at = now + OPEN_STATE_TTL_MS;
            }
        }
        let changed = self.apply(id, name.ok(), open.ok().flatten());
        if !failed {
            self.provisional.borrow_mut().remove(&id);
            self.checked.borrow_mut().insert(id, now);
        }
        if changed {
            if let Some(on_change) = self.on_change.borrow().as_ref() {
                on_change();
            }
        }
    }

    /// Records what is known of `id` (a name of `Some(None)`: the topic has none);
    /// only a real change notifies.
    fn apply(&self, id: i32, name: Option<Option<String>>, open: Option<bool>) -> bool {
        let mut changed = false;
        self.known.maybe_update(|topics| {
            if topics.len() >= MAX_TOPICS && !topics.contains_key(&id) {
                return false;
            }
            let info = topics.entry(id).or_default();
            let before = info.clone();
            if let Some(name) = name {
                info.name = name;
            }
            info.open = open.or(info.open);
            changed = *info != before;
            changed
        });
        changed
    }

    /// When the tables are full, makes room by forgetting topics no longer in the data
    /// (over a long day, ids come and go).
    fn forget_unwanted(&self, ids: &[i32]) {
        let full = self.due.borrow().len() >= MAX_TOPICS
            || self.known.with_untracked(|t| t.len() >= MAX_TOPICS);
        if full {
            let wanted: std::collections::HashSet<i32> = ids.iter().copied().collect();
            self.due
                .borrow_mut()
                .retain(|id, due| wanted.contains(id) || due.at.is_infinite());
            self.known
                .update(|topics| topics.retain(|id, _| wanted.contains(id)));
            self.checked
                .borrow_mut()
                .retain(|id, _| wanted.contains(id));
            self.provisional
                .borrow_mut()
                .retain(|id| wanted.contains(id));
        }
    }

    /// Everything resolved, to share with the other tabs.
    pub fn snapshot(&self) -> Vec<(i32, TopicInfo)> {
        self.known.with_untracked(|topics| {
            topics
                .iter()
                .map(|(id, info)| (*id, info.clone()))
                .collect()
        })
    }

    /// Takes in what the polling tab resolved (bounded like the rest; when full,
    /// the next request makes room by forgetting ids not in the data).
    pub fn merge(&self, entries: Vec<(i32, TopicInfo)>) {
        let now = now_ms();
        for (id, info) in entries {
            self.apply(id, info.name.map(Some), info.open);
            self.checked.borrow_mut().insert(id, now);
        }
        self.save();
    }

    /// Keeps what is known, with when each entry was confirmed, for the next load
    /// of the page in this tab.
    fn save(&self) {
        let now = now_ms();
        let checked = self.checked.borrow();
        let entries: Vec<(i32, TopicInfo, f64)> = self
            .snapshot()
            .into_iter()
            .map(|(id, info)| (id, info, checked.get(&id).copied().unwrap_or(now)))
            .collect();
        cache::save(&self.base, &entries, now);
    }
}
