//! Names and opening state of chat topics, fetched once per id per page (per API
//! base), a few at a time, and shared by every instance.
//!
//! `GetAll` only carries topic ids; there is no "all topics" endpoint, so each id is
//! resolved with `ChatTopic/{id}` and `ChatTopic/{id}/IsOpen`. A topic that cannot be
//! resolved keeps its fallback name ("Topic 12") and the widget carries on.

use crate::api::{self, Endpoint};
use crate::error::ApiError;
use crate::feed::now_ms;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

/// Requests in flight at once, per API base: enough to resolve six topics quickly
/// without crowding the browser's six connections per host.
const CONCURRENCY: usize = 3;
/// How long an opening state holds before it is asked again.
const OPEN_STATE_TTL_MS: f64 = 5.0 * 60_000.0;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TopicInfo {
    /// The topic's name; `None` until resolved, or when it cannot be.
    pub name: Option<String>,
    /// Whether the topic is open now; `None` when unknown.
    pub open: Option<bool>,
}

pub struct TopicDirectory {
    endpoint: Endpoint,
    pub topics: ArcRwSignal<HashMap<i32, TopicInfo>>,
    /// When each id was last asked for (ms), so it is asked once, or again when stale.
    asked: RefCell<HashMap<i32, f64>>,
    queue: RefCell<VecDeque<i32>>,
    workers: Cell<usize>,
}

thread_local! {
    static DIRECTORIES: RefCell<HashMap<String, Rc<TopicDirectory>>> = RefCell::new(HashMap::new());
}

impl TopicDirectory {
    pub fn for_endpoint(endpoint: &Endpoint) -> Rc<TopicDirectory> {
        DIRECTORIES.with(|dirs| {
            dirs.borrow_mut()
                .entry(endpoint.base.clone())
                .or_insert_with(|| {
                    Rc::new(TopicDirectory {
                        endpoint: endpoint.clone(),
                        topics: ArcRwSignal::new(HashMap::new()),
                        asked: RefCell::new(HashMap::new()),
                        queue: RefCell::new(VecDeque::new()),
                        workers: Cell::new(0),
                    })
                })
                .clone()
        })
    }

    /// Makes sure each id is resolved (or being resolved); cheap to call on every refresh.
    pub fn request(self: &Rc<Self>, ids: impl IntoIterator<Item = i32>) {
        let now = now_ms();
        {
            let mut asked = self.asked.borrow_mut();
            let mut queue = self.queue.borrow_mut();
            for id in ids {
                let due = asked.get(&id).is_none_or(|at| now - at > OPEN_STATE_TTL_MS);
                if due && !queue.contains(&id) {
                    asked.insert(id, now);
                    queue.push_back(id);
                }
            }
        }
        while self.workers.get() < CONCURRENCY && !self.queue.borrow().is_empty() {
            self.workers.set(self.workers.get() + 1);
            let dir = Rc::clone(self);
            spawn_local(async move {
                loop {
                    let next = dir.queue.borrow_mut().pop_front();
                    let Some(id) = next else { break };
                    dir.resolve(id).await;
                }
                dir.workers.set(dir.workers.get() - 1);
            });
        }
    }

    async fn resolve(&self, id: i32) {
        let known_name = self
            .topics
            .with_untracked(|t| t.get(&id).and_then(|info| info.name.clone()));
        let name = match known_name {
            Some(name) => Ok(Some(name)),
            None => api::fetch_topic_name(&self.endpoint, id).await,
        };
        // An unknown topic has no opening state to ask for.
        let open = match &name {
            Err(ApiError::NotFound) => Ok(None),
            _ => api::fetch_topic_open(&self.endpoint, id).await,
        };
        if !matches!(name, Ok(_) | Err(ApiError::NotFound)) {
            // A transient failure: forget we asked, so the next refresh asks again.
            self.asked.borrow_mut().remove(&id);
        }
        // Only a real change notifies.
        self.topics.maybe_update(|topics| {
            let info = topics.entry(id).or_default();
            let before = info.clone();
            if let Ok(name) = name {
                info.name = name;
            }
            info.open = open.ok().flatten().or(info.open);
            *info != before
        });
    }
}
