//! The page's presence data: one feed per API base, shared by every widget
//! instance that shows it, so two widgets on a page cost one `GetAll` per refresh.
//!
//! A feed polls at the shortest interval its subscribers asked for, never has two
//! requests in flight, keeps the last good roster through failures (backing off
//! exponentially with jitter, up to five minutes), stops on 401 until the user or
//! the page coming back asks again, and does not poll while no one can see it.
//!
//! Across tabs of one origin, the feeds of an API base elect one poller with the Web
//! Locks API; it shares every answer over a `BroadcastChannel`, and when its tab
//! closes the lock passes to a waiting tab, which takes over. Without those APIs
//! each tab polls for itself.

use crate::api::{self, Endpoint, Timeout};
use crate::backoff::backoff_ms;
use crate::error::ApiError;
use crate::model::Roster;
use crate::tabs::{Message, TabLink};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::{Rc, Weak};
use std::sync::Arc;
use wasm_bindgen::JsValue;

/// What a feed knows now.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FeedState {
    /// The last roster received, kept through later failures.
    pub roster: Option<Arc<Roster>>,
    /// When `roster` arrived (ms since the epoch).
    pub updated_at: Option<f64>,
    /// The last attempt's failure, cleared by the next success.
    pub error: Option<ApiError>,
    /// A request is in flight.
    pub loading: bool,
    /// When the next automatic attempt is due (ms since the epoch), if one is.
    pub next_attempt_at: Option<f64>,
}

/// How this tab's feed takes part in polling.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// Polls for itself (no Web Locks or BroadcastChannel).
    Solo,
    /// Holds the lock: polls and shares.
    Leader,
    /// Waits for the lock; takes what the leader shares.
    Follower,
}

pub struct Feed {
    endpoint: Endpoint,
    pub state: ArcRwSignal<FeedState>,
    /// Refresh intervals (seconds) of the subscribed instances, by subscription id.
    intervals: RefCell<HashMap<u32, u32>>,
    next_subscriber: Cell<u32>,
    in_flight: Cell<bool>,
    failures: Cell<u32>,
    timer: RefCell<Option<Timeout>>,
    /// A refresh came due while no one could see it.
    due_while_hidden: Cell<bool>,
    role: Cell<Role>,
    link: RefCell<Option<TabLink>>,
    /// The leader's last good body, for followers that join later.
    last_body: RefCell<Option<(JsValue, f64)>>,
    /// When a visible follower last wanted fresh data (leader only).
    wanted_at: Cell<f64>,
}

thread_local! {
    static FEEDS: RefCell<HashMap<String, Rc<Feed>>> = RefCell::new(HashMap::new());
}

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn page_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

/// Keeps an instance subscribed; dropping it unsubscribes.
pub struct Subscription {
    feed: Weak<Feed>,
    id: u32,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(feed) = self.feed.upgrade() {
            feed.intervals.borrow_mut().remove(&self.id);
        }
    }
}

impl Feed {
    /// The page's feed for this API base, created on first use.
    pub fn for_endpoint(endpoint: &Endpoint) -> Rc<Feed> {
        if let Some(feed) = FEEDS.with(|feeds| feeds.borrow().get(&endpoint.base).cloned()) {
            return feed;
        }
        install_page_listeners();
        let feed = Rc::new(Feed {
            endpoint: endpoint.clone(),
            state: ArcRwSignal::new(FeedState::default()),
            intervals: RefCell::new(HashMap::new()),
            next_subscriber: Cell::new(0),
            in_flight: Cell::new(false),
            failures: Cell::new(0),
            timer: RefCell::new(None),
            due_while_hidden: Cell::new(false),
            role: Cell::new(Role::Solo),
            link: RefCell::new(None),
            last_body: RefCell::new(None),
            wanted_at: Cell::new(0.0),
        });
        FEEDS.with(|feeds| {
            feeds
                .borrow_mut()
                .insert(endpoint.base.clone(), Rc::clone(&feed))
        });
        feed.join_tabs();
        feed
    }

    /// Joins the other tabs showing this API base, if the browser can coordinate them.
    fn join_tabs(self: &Rc<Self>) {
        let name = format!("presence-widget:{}", self.endpoint.base);
        let on_message = {
            let weak = Rc::downgrade(self);
            move |message| {
                if let Some(feed) = weak.upgrade() {
                    feed.on_message(message);
                }
            }
        };
        let on_leader = {
            let weak = Rc::downgrade(self);
            move || {
                if let Some(feed) = weak.upgrade() {
                    feed.become_leader();
                }
            }
        };
        if let Some(link) = TabLink::join(&name, on_message, on_leader) {
            self.role.set(Role::Follower);
            *self.link.borrow_mut() = Some(link);
        }
    }

    fn post(&self, message: &Message) {
        if let Some(link) = self.link.borrow().as_ref() {
            link.post(message);
        }
    }

    /// Subscribes an instance that wants a refresh every `refresh_seconds` (0 = never),
    /// fetching at once if the feed has nothing yet.
    pub fn subscribe(self: &Rc<Self>, refresh_seconds: u32) -> Subscription {
        let id = self.next_subscriber.get();
        self.next_subscriber.set(id + 1);
        self.intervals.borrow_mut().insert(id, refresh_seconds);
        let idle = self
            .state
            .with_untracked(|s| s.roster.is_none() && s.error.is_none());
        match self.role.get() {
            Role::Follower => {
                self.post(&Message::Hello);
                self.schedule();
            }
            _ if idle => self.refresh(),
            _ if !self.in_flight.get() => self.schedule(),
            _ => {}
        }
        Subscription {
            feed: Rc::downgrade(self),
            id,
        }
    }

    /// The shortest non-zero interval asked for, in ms.
    fn interval_ms(&self) -> Option<f64> {
        self.intervals
            .borrow()
            .values()
            .copied()
            .filter(|s| *s > 0)
            .min()
            .map(|s| f64::from(s) * 1000.0)
    }

    /// Fetches now (or, in a follower, asks the polling tab to), unless a request is
    /// already in flight.
    pub fn refresh(self: &Rc<Self>) {
        if self.role.get() == Role::Follower {
            self.state.update(|s| s.loading = true);
            self.post(&Message::Refresh);
            return;
        }
        if self.in_flight.replace(true) {
            return;
        }
        self.timer.borrow_mut().take();
        self.due_while_hidden.set(false);
        self.state.update(|s| {
            s.loading = true;
            s.next_attempt_at = None;
        });
        let feed = Rc::clone(self);
        spawn_local(async move {
            let result = api::fetch_presence(&feed.endpoint).await;
            feed.in_flight.set(false);
            let at = now_ms();
            match result {
                Ok((roster, body)) => {
                    feed.failures.set(0);
                    feed.apply_success(roster, at);
                    *feed.last_body.borrow_mut() = Some((body, at));
                }
                Err(error) => {
                    feed.failures.set(feed.failures.get().saturating_add(1));
                    if error == ApiError::SignedOut {
                        feed.last_body.borrow_mut().take();
                    }
                    feed.apply_failure(error);
                }
            }
            feed.schedule();
            feed.share();
        });
    }

    fn apply_success(&self, roster: Roster, at: f64) {
        self.state.update(|s| {
            s.roster = Some(Arc::new(roster));
            s.updated_at = Some(at);
            s.error = None;
            s.loading = false;
        });
    }

    fn apply_failure(&self, error: ApiError) {
        self.state.update(|s| {
            // Data shown after the session ended would be shown as current.
            if error == ApiError::SignedOut {
                s.roster = None;
                s.updated_at = None;
            }
            s.error = Some(error);
            s.loading = false;
        });
    }

    /// The leader tells the other tabs what it knows now.
    fn share(&self) {
        if self.role.get() != Role::Leader {
            return;
        }
        let (error, next) = self
            .state
            .with_untracked(|s| (s.error.clone(), s.next_attempt_at));
        if let Some((body, at)) = self.last_body.borrow().as_ref() {
            self.post(&Message::Data {
                body: body.clone(),
                at: *at,
            });
        }
        if let Some(error) = error {
            self.post(&Message::Failed { error, next });
        }
    }

    fn on_message(self: &Rc<Self>, message: Message) {
        match (self.role.get(), message) {
            (Role::Leader, Message::Hello) => self.share(),
            (Role::Leader, Message::Refresh) => self.refresh(),
            (Role::Leader, Message::Wanted) => {
                self.wanted_at.set(now_ms());
                // A hidden leader's timers may be throttled by the browser; a watching
                // follower's message is the cue to catch up.
                if self.due_while_hidden.get() || self.is_stale() {
                    self.refresh();
                }
            }
            (Role::Follower, Message::Data { body, at }) => {
                if let Ok(roster) = api::decode_presence_js(&body) {
                    self.apply_success(roster, at);
                }
            }
            (Role::Follower, Message::Failed { error, next }) => {
                self.apply_failure(error);
                self.state.update(|s| s.next_attempt_at = next);
            }
            _ => {}
        }
    }

    /// This tab got the lock (first of all, or because the polling tab went away).
    fn become_leader(self: &Rc<Self>) {
        self.role.set(Role::Leader);
        self.timer.borrow_mut().take();
        let stale = self
            .state
            .with_untracked(|s| match (s.updated_at, self.interval_ms()) {
                (Some(at), Some(interval)) => now_ms() - at >= interval,
                (None, _) => true,
                _ => false,
            });
        if stale {
            self.refresh();
        } else {
            self.schedule();
        }
    }

    /// Plans the next automatic attempt: the interval after a success, backoff with
    /// jitter after a transient failure, nothing after a 401 or when no one polls.
    /// A follower instead tells the leader, once per interval, that it is watching.
    fn schedule(self: &Rc<Self>) {
        self.timer.borrow_mut().take();
        let interval = self.interval_ms();
        if self.role.get() == Role::Follower {
            let Some(interval) = interval else { return };
            let weak = Rc::downgrade(self);
            *self.timer.borrow_mut() = Some(Timeout::start(interval as u32, move || {
                let Some(feed) = weak.upgrade() else { return };
                if !page_hidden() {
                    feed.post(&Message::Wanted);
                }
                feed.schedule();
            }));
            return;
        }
        let error = self.state.with_untracked(|s| s.error.clone());
        let delay = match (interval, error) {
            (None, _) => None,
            (Some(_), Some(error)) if !error.is_transient() => None,
            (Some(interval), Some(_)) => Some(backoff_ms(interval, self.failures.get(), jitter())),
            (Some(interval), None) => Some(interval),
        };
        self.state
            .update(|s| s.next_attempt_at = delay.map(|d| now_ms() + d));
        let (Some(delay), Some(interval)) = (delay, interval) else {
            return;
        };
        let weak = Rc::downgrade(self);
        *self.timer.borrow_mut() = Some(Timeout::start(delay as u32, move || {
            let Some(feed) = weak.upgrade() else { return };
            let someone_watching = now_ms() - feed.wanted_at.get() < interval * 1.5;
            if page_hidden() && !someone_watching {
                feed.due_while_hidden.set(true);
            } else {
                feed.refresh();
            }
        }));
    }

    /// Whether the data is older than the refresh interval.
    fn is_stale(&self) -> bool {
        let updated_at = self.state.with_untracked(|s| s.updated_at);
        match (updated_at, self.interval_ms()) {
            (Some(at), Some(interval)) => now_ms() - at >= interval,
            _ => false,
        }
    }

    /// The page became visible or got focus: catch up on what was missed.
    fn on_page_back(self: &Rc<Self>) {
        let signed_out = self
            .state
            .with_untracked(|s| s.error == Some(ApiError::SignedOut));
        if self.due_while_hidden.get() || self.is_stale() || signed_out {
            self.refresh();
        }
    }
}

fn jitter() -> f64 {
    0.8 + js_sys::Math::random() * 0.4
}

/// One `visibilitychange` and one `focus` listener for the page, for all feeds.
fn install_page_listeners() {
    use wasm_bindgen::{closure::Closure, JsCast};
    thread_local!(static INSTALLED: Cell<bool> = const { Cell::new(false) });
    if INSTALLED.with(|i| i.replace(true)) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_back = Closure::<dyn FnMut()>::new(|| {
        if page_hidden() {
            return;
        }
        let feeds: Vec<Rc<Feed>> = FEEDS.with(|f| f.borrow().values().cloned().collect());
        for feed in feeds {
            feed.on_page_back();
        }
    });
    let callback = on_back.as_ref().unchecked_ref();
    if let Some(document) = window.document() {
        let _ = document.add_event_listener_with_callback("visibilitychange", callback);
    }
    let _ = window.add_event_listener_with_callback("focus", callback);
    // Page-lifetime listener: installed once, never removed.
    on_back.forget();
}

thread_local! {
    static CLOCK: RefCell<Option<ArcRwSignal<f64>>> = const { RefCell::new(None) };
}

/// The time (ms since the epoch), ticking once a second for "Updated … ago" lines;
/// one timer for the whole page.
pub fn clock() -> ArcRwSignal<f64> {
    CLOCK.with(|clock| {
        clock
            .borrow_mut()
            .get_or_insert_with(|| {
                let now = ArcRwSignal::new(now_ms());
                let tick = now.clone();
                // Page-lifetime timer: the clock is shared and never dropped.
                let _ = set_interval_with_handle(
                    move || tick.set(now_ms()),
                    std::time::Duration::from_secs(1),
                );
                now
            })
            .clone()
    })
}
