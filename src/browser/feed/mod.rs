//! The page's presence data: one feed per API base, shared by every widget
//! instance that shows it, so two widgets on a page cost one `GetAll` per refresh.
//!
//! What to do and when is decided by the pure [`Policy`]; this module only carries
//! out its actions: it starts requests, arms one timer for [`Policy::wake_at`],
//! talks to the other tabs ([`crate::browser::tabs`]) and publishes [`FeedState`] for the
//! view. When the last instance of an API base goes, the feed is released: timer,
//! tab membership (so another tab takes over polling) and topic look-ups.
//!
//! A feed is one event loop, the shape of [`Policy`]: every callback (a timer, a
//! tab message, a page listener, an answer, the view's call) pushes an [`Input`],
//! and [`Feed::push`] handles them one at a time. A callback that fires while one
//! is being handled (a host page's script can dispatch events from inside any call
//! the widget makes) is queued, never a second borrow of the feed's state; no
//! borrow outlives the input it serves.
//!
//! This file holds the registry of feeds, the event loop and the page's
//! listeners; [`requests`] makes the requests and publishes their answers,
//! [`peers`] is the leader and follower protocol between tabs, and [`own`] the
//! user's own presence.

pub mod marks;
mod own;
mod peers;
mod requests;

use crate::browser::api::CallOptions;
use crate::browser::tabs::{Message, TabLink};
use crate::browser::timer::{jitter, now_ms, Timeout};
use crate::browser::topics::TopicDirectory;
use crate::logic::config::DEFAULT_TIMEOUT_SECONDS;
use crate::logic::error::ApiError;
use crate::logic::i18n::Lang;
use crate::logic::inbox::Inbox;
use crate::logic::list::Prefs;
use crate::logic::model::Roster;
use crate::logic::own::OwnPresence;
use crate::logic::policy::{Actions, Event, Policy, Post, Role};
use crate::logic::watch::{Notice, Target};
use leptos::prelude::*;
use marks::Marks;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::{Rc, Weak};
use std::sync::Arc;

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

/// What reaches a feed from outside, one at a time (see the module's comment).
enum Input {
    /// An event for the policy as it is.
    Policy(Event),
    Subscribe {
        id: u32,
        lang: Lang,
        refresh_seconds: u32,
        timeout_ms: u32,
    },
    Unsubscribe {
        id: u32,
    },
    /// An instance went a moment ago: released if none came back.
    ReleaseIfUnused,
    /// The timer armed for this time fired.
    Timer {
        at: f64,
    },
    Answer {
        request: u32,
        result: Result<(Roster, js_sys::JsString), ApiError>,
    },
    Offline,
    /// The network is back.
    Online,
    Message(Message),
    /// The topic directory learnt something.
    TopicsChanged,
    /// Storage changed in another tab (`None`: it was cleared).
    Storage(Option<String>),
    Principal(own::PrincipalAnswer),
    ChooseOwn(bool),
    /// The user's pins, watches, order and notices.
    TogglePin(i32),
    ToggleWatch(Target),
    SetPrefs(Prefs),
    Dismiss(Notice),
    /// The user's own choice may have settled.
    OwnDue,
    /// After an input was cut short: the timer armed again for what the policy wants.
    Resync,
    Written(own::Written),
}

pub struct Feed {
    base: String,
    /// Its key among the page's feeds: the API base, and the token of a sign-in.
    key: String,
    /// Sign in with SuperOffice: the access token every request carries.
    bearer: Option<String>,
    pub state: ArcRwSignal<FeedState>,
    pub topics: Rc<TopicDirectory>,
    /// The user's pins and watches on this API base.
    pub marks: Marks,
    /// The user's own id and presence switch.
    pub own: ArcRwSignal<OwnPresence>,
    own_timer: RefCell<Option<Timeout>>,
    principal: Cell<own::Principal>,
    principal_asks: Cell<u8>,
    /// Counts the sessions that ended, so that a late `currentPrincipal` answer of
    /// an earlier one is passed over.
    session: Cell<u32>,
    policy: RefCell<Policy>,
    /// Each subscribed instance's language, for `Accept-Language`.
    langs: RefCell<Vec<(u32, Lang)>>,
    next_subscriber: Cell<u32>,
    /// The armed timer and the time it was armed for.
    timer: RefCell<Option<(f64, Timeout)>>,
    link: RefCell<Option<TabLink>>,
    /// The leader's last good body's text, for followers that join later.
    last_body: RefCell<Option<(js_sys::JsString, f64)>>,
    /// The follower's view of when the leader tries again.
    leader_next: Cell<Option<f64>>,
    released: Cell<bool>,
    inbox: Inbox<Input>,
}

thread_local! {
    static FEEDS: RefCell<HashMap<String, Rc<Feed>>> = RefCell::new(HashMap::new());
}

fn page_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| crate::browser::dom::hidden(&d))
}

/// Keeps an instance subscribed; dropping it unsubscribes (and releases the feed
/// when it was the last).
pub struct Subscription {
    feed: Weak<Feed>,
    id: u32,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(feed) = self.feed.upgrade() {
            feed.push(Input::Unsubscribe { id: self.id });
            // Released a moment later (a microtask), not at once: an instance that
            // remounts with new attributes subscribes again in the same task, and
            // keeps the feed's data, backoff and server's pause.
            let feed = self.feed.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Some(feed) = feed.upgrade() {
                    feed.push(Input::ReleaseIfUnused);
                }
            });
        }
    }
}

impl Feed {
    /// The page's feed for this (absolute) API base, created on first use; with
    /// `bearer`, the feed of that sign-in (see [`Feed::bearer`]).
    pub fn for_base(base: &str, bearer: Option<&str>) -> Rc<Feed> {
        let key = match bearer {
            Some(token) => format!("{base} bearer {token}"),
            None => base.to_owned(),
        };
        if let Some(feed) = FEEDS.with(|feeds| feeds.borrow().get(&key).cloned()) {
            return feed;
        }
        install_page_listeners();
        let options = CallOptions {
            accept_language: String::new(),
            timeout_ms: DEFAULT_TIMEOUT_SECONDS * 1000,
            bearer: bearer.map(str::to_owned),
        };
        let feed = Rc::new(Feed {
            base: base.to_owned(),
            key: key.clone(),
            bearer: bearer.map(str::to_owned),
            state: ArcRwSignal::new(FeedState::default()),
            topics: TopicDirectory::new(base, options),
            marks: Marks::load(base),
            own: ArcRwSignal::new(OwnPresence::default()),
            own_timer: RefCell::new(None),
            principal: Cell::new(own::Principal::Asking),
            principal_asks: Cell::new(0),
            session: Cell::new(0),
            policy: RefCell::new(Policy::new(page_hidden())),
            langs: RefCell::new(Vec::new()),
            next_subscriber: Cell::new(0),
            timer: RefCell::new(None),
            link: RefCell::new(None),
            last_body: RefCell::new(None),
            leader_next: Cell::new(None),
            released: Cell::new(false),
            inbox: Inbox::default(),
        });
        FEEDS.with(|feeds| feeds.borrow_mut().insert(key, Rc::clone(&feed)));
        {
            let weak = Rc::downgrade(&feed);
            feed.topics.on_change(move || {
                if let Some(feed) = weak.upgrade() {
                    feed.push(Input::TopicsChanged);
                }
            });
        }
        // A signed-in feed polls on its own: the channel is open to every script of
        // the page's origin, and would hand the CRM's answers to pages that never
        // signed in (SECURITY.md).
        if feed.bearer.is_none() {
            feed.join_tabs();
        }
        feed.ask_principal();
        feed
    }

    /// Subscribes an instance that wants a refresh every `refresh_seconds` (0 = never),
    /// gives up on a request after `timeout_ms`, and reads `lang`.
    pub fn subscribe(
        self: &Rc<Self>,
        refresh_seconds: u32,
        timeout_ms: u32,
        lang: Lang,
    ) -> Subscription {
        let id = self.next_subscriber.get();
        self.next_subscriber.set(id.wrapping_add(1));
        self.push(Input::Subscribe {
            id,
            lang,
            refresh_seconds,
            timeout_ms,
        });
        Subscription {
            feed: Rc::downgrade(self),
            id,
        }
    }

    /// The user asked for fresh data (Refresh or Retry).
    pub fn refresh(self: &Rc<Self>) {
        self.push(Input::Policy(Event::Refresh));
    }

    /// The user flipped their own switch.
    pub fn choose_own(self: &Rc<Self>, present: bool) {
        self.push(Input::ChooseOwn(present));
    }

    pub fn toggle_pin(self: &Rc<Self>, user_id: i32) {
        self.push(Input::TogglePin(user_id));
    }

    pub fn toggle_watch(self: &Rc<Self>, target: Target) {
        self.push(Input::ToggleWatch(target));
    }

    /// The user chose an order or flipped "Show me first".
    pub fn set_prefs(self: &Rc<Self>, prefs: Prefs) {
        self.push(Input::SetPrefs(prefs));
    }

    pub fn dismiss(self: &Rc<Self>, notice: Notice) {
        self.push(Input::Dismiss(notice));
    }

    /// Handles `input`, then whatever arrives meanwhile; from inside a handler,
    /// only queues it.
    fn push(self: &Rc<Self>, input: Input) {
        if !self.inbox.busy() {
            // A drain starts. Should an exception unwind past it (a host page's
            // patched global that throws), this microtask, which runs only once the
            // stack is empty, carries on with what waits (see `Inbox::resume`).
            let feed = Rc::clone(self);
            wasm_bindgen_futures::spawn_local(async move {
                if feed.inbox.resume(|input| feed.step(input)) {
                    // The input cut short may have been the timer's: arm the next.
                    feed.push(Input::Resync);
                }
            });
        }
        self.inbox.push(input, |input| self.step(input));
    }

    /// One input, start to end: every borrow it takes ends here.
    fn step(self: &Rc<Self>, input: Input) {
        if self.released.get() {
            return;
        }
        match input {
            Input::Policy(event) => self.handle(event),
            Input::Subscribe {
                id,
                lang,
                refresh_seconds,
                timeout_ms,
            } => {
                self.langs.borrow_mut().push((id, lang));
                self.handle(Event::Subscribe {
                    id,
                    refresh_seconds,
                    timeout_ms,
                });
            }
            Input::Unsubscribe { id } => {
                self.langs.borrow_mut().retain(|(each, _)| *each != id);
                self.handle(Event::Unsubscribe { id });
            }
            Input::ReleaseIfUnused => {
                let unused = self.policy.borrow().is_unused();
                if unused {
                    self.release();
                }
            }
            Input::Timer { at } => {
                // This timer has fired: forget it before deciding on the next (unless
                // another was armed since).
                let fired = self
                    .timer
                    .borrow()
                    .as_ref()
                    .is_some_and(|(armed, _)| *armed == at);
                if fired {
                    let _fired = self.timer.borrow_mut().take();
                }
                self.handle(Event::Timer);
            }
            Input::Answer { request, result } => self.on_answer(request, result),
            Input::Offline => self.apply_failure(ApiError::Offline),
            Input::Online => {
                // Only what failed for want of a network: another failure's backoff
                // holds.
                let network = self.state.with_untracked(|s| {
                    matches!(
                        s.error,
                        Some(ApiError::Offline | ApiError::Network | ApiError::Timeout)
                    )
                });
                if network {
                    self.handle(Event::Online);
                }
            }
            Input::Message(message) => self.on_message(message),
            Input::TopicsChanged => self.share_topics(),
            Input::Storage(Some(key)) => self.marks.on_storage(&key),
            Input::Storage(None) => self.marks.reload(),
            Input::Principal(answer) => self.on_principal(answer),
            Input::ChooseOwn(present) => self.on_choice(present),
            Input::TogglePin(user_id) => self.marks.toggle_pin(user_id),
            Input::ToggleWatch(target) => self.marks.toggle_watch(target),
            Input::SetPrefs(prefs) => self.marks.set_prefs(prefs),
            Input::Dismiss(notice) => self.marks.dismiss(&notice),
            Input::OwnDue => self.own_next(),
            Input::Resync => {
                self.sync();
                self.own_next();
            }
            Input::Written(written) => self.on_written(written),
        }
    }

    /// The polling tab's check of the user's watches against a new answer.
    fn check_watches(&self, roster: &Roster) {
        if self.marks.watches.with_untracked(|w| w.is_empty()) {
            return;
        }
        let lang = self
            .langs
            .borrow()
            .first()
            .map(|(_, lang)| *lang)
            .unwrap_or_default();
        // A copy (at most 500 topics, only while watches wait): no signal is held
        // while the check runs.
        let topics = self.topics.known.get_untracked();
        self.marks.check(roster, &topics, lang);
    }

    /// Asks for the names of these topics (in a follower, the polling tab does).
    pub fn request_topics(&self, ids: Vec<i32>) {
        self.topics.request(ids);
    }

    /// Feeds the policy one event and carries out what it decides (within a step).
    fn handle(self: &Rc<Self>, event: Event) {
        // Read before the borrow: a host page may have patched what they call.
        let (now, jitter) = (now_ms(), jitter());
        let actions = self.policy.borrow_mut().on(event, now, jitter);
        self.carry_out(actions);
    }

    fn carry_out(self: &Rc<Self>, actions: Actions) {
        if let Some(request) = actions.fetch {
            self.start_request(request);
        }
        for post in actions.post {
            match post {
                Post::Hello => self.post(&Message::Hello),
                Post::Refresh => self.post(&Message::Refresh),
                Post::Ask => self.post(&Message::Ask),
                Post::Wanted { interval_ms } => self.post(&Message::Wanted { interval_ms }),
                Post::Share => self.share(),
            }
        }
        self.sync();
    }

    /// Re-arms the timer for the policy's next wake-up and publishes its state.
    fn sync(self: &Rc<Self>) {
        let (wake_at, busy, next, role) = {
            let policy = self.policy.borrow();
            (
                policy.wake_at(),
                policy.is_busy(),
                policy.next_attempt_at(),
                policy.role(),
            )
        };
        let armed = self.timer.borrow().as_ref().map(|(at, _)| *at);
        if armed != wake_at {
            self.timer.borrow_mut().take();
            if let Some(at) = wake_at {
                let weak = Rc::downgrade(self);
                let delay = (at - now_ms()).clamp(0.0, f64::from(i32::MAX)).ceil() as u32;
                let timeout = Timeout::start(delay, move || {
                    if let Some(feed) = weak.upgrade() {
                        feed.push(Input::Timer { at });
                    }
                });
                *self.timer.borrow_mut() = Some((at, timeout));
            }
        }
        // The polling tab, and only it, asks for topic names and opening states
        // (a tab that took over does; one that follows again stops).
        self.topics.set_asks(role != Role::Follower);
        let next = if role == Role::Follower {
            self.leader_next.get()
        } else {
            next
        };
        self.state.maybe_update(|s| {
            let changed = s.loading != busy || s.next_attempt_at != next;
            s.loading = busy;
            s.next_attempt_at = next;
            changed
        });
    }

    /// No instance shows this API base any more: stop everything and forget it.
    fn release(&self) {
        if self.released.get() {
            return;
        }
        // Out of the page's feeds first: an instance that mounts while this one goes
        // (host script run from inside a call below) gets a feed of its own.
        FEEDS.with(|feeds| {
            let mut feeds = feeds.borrow_mut();
            if feeds
                .get(&self.key)
                .is_some_and(|feed| std::ptr::eq(Rc::as_ptr(feed), self))
            {
                feeds.remove(&self.key);
            }
        });
        self.flush_own();
        self.released.set(true);
        // What waits behind this input is for a feed that is gone.
        self.inbox.clear();
        self.timer.borrow_mut().take();
        self.own_timer.borrow_mut().take();
        // Leaving the tab group hands polling to another tab.
        self.link.borrow_mut().take();
        self.last_body.borrow_mut().take();
        self.topics.set_asks(false);
    }
}

/// Hands every feed of the page its input (the feeds are copied out first: a feed
/// may go while it handles one).
fn push_all(input: &dyn Fn() -> Input) {
    let feeds: Vec<Rc<Feed>> = FEEDS.with(|f| f.borrow().values().cloned().collect());
    for feed in feeds {
        feed.push(input());
    }
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
    let on_change = Closure::<dyn FnMut()>::new(|| {
        let event = if page_hidden() {
            Event::PageHidden
        } else {
            Event::PageBack
        };
        push_all(&|| Input::Policy(event.clone()));
    });
    let callback = on_change.as_ref().unchecked_ref();
    if let Some(document) = window.document() {
        let _ = document.add_event_listener_with_callback("visibilitychange", callback);
    }
    let _ = window.add_event_listener_with_callback("focus", callback);
    // The network: gone, the data on screen is no longer current; back, ask at once.
    let on_network = Closure::<dyn FnMut()>::new(|| {
        let offline = crate::browser::dom::offline();
        push_all(&|| {
            if offline {
                Input::Offline
            } else {
                Input::Online
            }
        });
    });
    for name in ["online", "offline"] {
        let _ = window.add_event_listener_with_callback(name, on_network.as_ref().unchecked_ref());
    }
    // Another tab changed the user's pins or watches, or logged a fired watch.
    let on_storage = Closure::<dyn FnMut(web_sys::Event)>::new(|event: web_sys::Event| {
        let key = crate::browser::js::get(&event, "key").as_string();
        if key
            .as_deref()
            .is_some_and(|k| !k.starts_with(crate::browser::stored::KEY_PREFIX))
        {
            return;
        }
        push_all(&|| Input::Storage(key.clone()));
    });
    let _ = window.add_event_listener_with_callback("storage", on_storage.as_ref().unchecked_ref());
    // Page-lifetime listeners: installed once, never removed.
    on_change.forget();
    on_network.forget();
    on_storage.forget();
}
