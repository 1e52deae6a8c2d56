//! The polling policy of one feed (one API base in one tab): when to fetch, how long
//! to wait, when to back off or stop, and which tab polls when several show the same
//! base. It is pure: the browser side ([`crate::browser::feed`]) feeds it events stamped with
//! the time, carries out the [`Actions`] it returns, and arms one timer for
//! [`Policy::wake_at`]. Every rule is therefore tested on the host, including with
//! generated event sequences (`tests/policy_props.rs`).
//!
//! The rules:
//! - a tab that polls (alone, or as the elected leader of its tabs) never has two
//!   requests in flight; a request that has not ended well past its time-out counts
//!   as lost (whatever happened to it), so nothing can leave the feed stuck;
//! - after a success it waits the shortest interval any subscriber asks for, counting
//!   the visible tabs that follow this one; after a transient failure it backs off
//!   ([`crate::logic::backoff`]); after a 401 (or a redirect to a sign-in page) or a
//!   refusal it stops until someone asks again;
//! - while the page is hidden and no other tab is watching, a due refresh waits for
//!   the page to come back;
//! - a follower never fetches: it tells the leader what it wants (`Wanted`, once per
//!   interval while visible) and passes on its user's requests (`Refresh`).

use crate::logic::backoff::backoff_ms;

/// How far past its time-out a request may go before it counts as lost.
pub const LOST_GRACE_MS: f64 = 5_000.0;
/// A follower's `Wanted` holds for this many of its intervals (it repeats once per
/// interval, so one late message does not drop it).
pub const WANTED_HOLDS: f64 = 2.5;
/// The time-out assumed before any subscriber said one.
const DEFAULT_TIMEOUT_MS: f64 = 10_000.0;
/// Most distinct intervals kept from followers (any page script can post them).
const MAX_PEERS: usize = 16;

/// How this tab takes part in polling its API base.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Polls for itself (no Web Locks or BroadcastChannel, or not joined yet).
    Solo,
    /// Holds the lock: polls for every tab and shares what it learns.
    Leader,
    /// Another tab polls; this one asks it and listens.
    Follower,
}

/// How a request ended, as far as polling cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// Trying again later may help (5xx, network, time-out, unreadable body).
    Transient,
    /// The session is gone (401, or a redirect to a sign-in page): stop until the
    /// user or the page coming back asks again.
    SignedOut,
    /// Signed in but refused (403, 404): stop until the user asks again.
    Refused,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// An instance wants a refresh every `refresh_seconds` (0 = never) and gives up
    /// on a request after `timeout_ms`.
    Subscribe {
        id: u32,
        refresh_seconds: u32,
        timeout_ms: u32,
    },
    Unsubscribe {
        id: u32,
    },
    /// The user asked (Refresh or Retry).
    Refresh,
    /// The time given by [`Policy::wake_at`] came.
    Timer,
    PageHidden,
    /// The page became visible, or got focus.
    PageBack,
    /// The request `request` ended.
    Done {
        request: u32,
        outcome: Outcome,
    },
    /// This tab joined its tabs' group, as a follower until elected.
    Joined,
    /// This tab got the lock: it polls from now on.
    Elected,
    /// Another tab joined (leader: share what we know).
    PeerHello,
    /// A follower's user asked for fresh data.
    PeerRefresh,
    /// A visible follower wants a refresh every `interval_ms`.
    PeerWanted {
        interval_ms: f64,
    },
    /// The leader shared data that arrived at `at`.
    LeaderData {
        at: f64,
    },
    /// The leader's last attempt failed.
    LeaderFailed {
        outcome: Outcome,
    },
}

/// A message for the other tabs.
#[derive(Clone, Debug, PartialEq)]
pub enum Post {
    Hello,
    Refresh,
    Wanted {
        interval_ms: f64,
    },
    /// Share the last data or failure (and topic names) with the other tabs.
    Share,
}

/// What the browser side must do after an event.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Actions {
    /// Start a request with this id.
    pub fetch: Option<u32>,
    pub post: Vec<Post>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Subscriber {
    refresh_seconds: u32,
    timeout_ms: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    role: Role,
    /// By subscription id (a handful: plain vectors keep the wasm small).
    subscribers: Vec<(u32, Subscriber)>,
    /// Intervals (ms) visible followers asked for, and until when each holds.
    peers: Vec<(u64, f64)>,
    /// The request in flight: its id, and when it counts as lost (its time-out
    /// when it started, plus grace).
    in_flight: Option<(u32, f64)>,
    next_request: u32,
    /// Transient failures in a row.
    failures: u32,
    last: Option<Outcome>,
    /// When the last good data arrived.
    updated_at: Option<f64>,
    /// When to try again after a transient failure.
    retry_at: Option<f64>,
    hidden: bool,
    /// A refresh came due while no one could see it.
    due_while_hidden: bool,
    /// Follower: when it last asked the leader to refresh, until it answers.
    asked_at: Option<f64>,
    /// Follower: when it last told the leader it is watching.
    wanted_at: Option<f64>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy::new(false)
    }
}

impl Policy {
    pub fn new(hidden: bool) -> Policy {
        Policy {
            role: Role::Solo,
            subscribers: Vec::new(),
            peers: Vec::new(),
            in_flight: None,
            next_request: 0,
            failures: 0,
            last: None,
            updated_at: None,
            retry_at: None,
            hidden,
            due_while_hidden: false,
            asked_at: None,
            wanted_at: None,
        }
    }

    pub fn role(&self) -> Role {
        self.role
    }

    /// No instance is subscribed: the feed can be released.
    pub fn is_unused(&self) -> bool {
        self.subscribers.is_empty()
    }

    /// A request is in flight (or, in a follower, the leader was asked for one).
    pub fn is_busy(&self) -> bool {
        self.in_flight.is_some() || self.asked_at.is_some()
    }

    /// Whether the answer to `request` is still awaited (a lost one is not).
    pub fn is_current(&self, request: u32) -> bool {
        self.in_flight.is_some_and(|(id, _)| id == request)
    }

    /// When a request counts as failed: the longest time-out any subscriber accepts,
    /// so no instance gets less patience than it asked for.
    pub fn timeout_ms(&self) -> f64 {
        self.subscribers
            .iter()
            .map(|(_, s)| f64::from(s.timeout_ms))
            .fold(None, |max: Option<f64>, t| {
                Some(max.map_or(t, |m| m.max(t)))
            })
            .unwrap_or(DEFAULT_TIMEOUT_MS)
    }

    /// The shortest refresh interval asked for by this tab's instances (and, in a
    /// leader, by the followers still watching), in ms.
    pub fn interval_ms(&self) -> Option<f64> {
        let own = self.own_interval_ms();
        let peers = self
            .peers
            .iter()
            .map(|(ms, _)| *ms)
            .min()
            .map(|ms| ms as f64);
        match (own, peers) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// This tab's own shortest interval, which a follower asks the leader for.
    fn own_interval_ms(&self) -> Option<f64> {
        self.subscribers
            .iter()
            .map(|(_, s)| s.refresh_seconds)
            .filter(|s| *s > 0)
            .min()
            .map(|s| f64::from(s) * 1000.0)
    }

    /// When the next automatic attempt is due, for "retrying in …" (polling tabs).
    pub fn next_attempt_at(&self) -> Option<f64> {
        if self.role == Role::Follower || self.in_flight.is_some() {
            return None;
        }
        self.attempt_at()
    }

    /// When this policy wants a [`Event::Timer`], if at all.
    pub fn wake_at(&self) -> Option<f64> {
        match self.role {
            Role::Follower => {
                let answer_due = self
                    .asked_at
                    .map(|at| at + self.timeout_ms() + LOST_GRACE_MS);
                let wanted_due = match (self.hidden, self.own_interval_ms()) {
                    (false, Some(interval)) => Some(self.wanted_at.map_or(0.0, |at| at + interval)),
                    _ => None,
                };
                earliest(answer_due, wanted_due)
            }
            Role::Solo | Role::Leader => match self.in_flight {
                Some((_, lost_at)) => Some(lost_at),
                None => self.attempt_at(),
            },
        }
    }

    /// When a polling tab fetches next without being asked.
    fn attempt_at(&self) -> Option<f64> {
        if self.due_while_hidden {
            return None;
        }
        let interval = self.interval_ms()?;
        match self.last {
            Some(Outcome::SignedOut | Outcome::Refused) | None => None,
            Some(Outcome::Transient) => self.retry_at,
            Some(Outcome::Success) => self.updated_at.map(|at| at + interval),
        }
    }

    fn watched_by_peers(&self) -> bool {
        !self.peers.is_empty()
    }

    /// The data is older than the interval (no data counts as stale).
    fn is_stale(&self, now: f64) -> bool {
        match (self.updated_at, self.interval_ms()) {
            (Some(at), Some(interval)) => now - at >= interval,
            (None, _) => true,
            (Some(_), None) => false,
        }
    }

    /// Handles one event at time `now` (ms); `jitter` (0.8–1.2, random in the
    /// browser) spreads backoff waits.
    pub fn on(&mut self, event: Event, now: f64, jitter: f64) -> Actions {
        let mut actions = Actions::default();
        self.peers.retain(|(_, until)| *until > now);
        // An answer that does come, however late, beats giving its request up.
        let answers_current =
            matches!(event, Event::Done { request, .. } if self.is_current(request));
        if !answers_current {
            self.expire_lost(now, jitter);
        }
        let polls = self.role != Role::Follower;
        match event {
            Event::Subscribe {
                id,
                refresh_seconds,
                timeout_ms,
            } => {
                self.subscribers.retain(|(known, _)| *known != id);
                self.subscribers.push((
                    id,
                    Subscriber {
                        refresh_seconds,
                        timeout_ms,
                    },
                ));
                if polls {
                    // Nothing yet, or stopped: a new instance asks as a user would.
                    let never_or_stopped = matches!(
                        self.last,
                        None | Some(Outcome::SignedOut | Outcome::Refused)
                    );
                    if never_or_stopped {
                        self.fetch(now, &mut actions);
                    }
                } else {
                    // Hello asks the leader for what it has; without data yet, an
                    // answer is awaited (and a leader that never gives one is replaced).
                    actions.post.push(Post::Hello);
                    if self.updated_at.is_none() && self.asked_at.is_none() {
                        self.asked_at = Some(now);
                    }
                    self.tell_wanted(now, &mut actions);
                }
            }
            Event::Unsubscribe { id } => {
                self.subscribers.retain(|(known, _)| *known != id);
            }
            Event::Refresh | Event::PeerRefresh if polls => self.fetch(now, &mut actions),
            Event::Refresh => {
                self.asked_at = Some(now);
                actions.post.push(Post::Refresh);
            }
            Event::Timer => self.on_timer(now, &mut actions),
            Event::PageHidden => self.hidden = true,
            Event::PageBack => {
                self.hidden = false;
                let catch_up = self.due_while_hidden
                    || self.last == Some(Outcome::SignedOut)
                    || (self.last.is_some() && self.is_stale(now));
                if polls {
                    if catch_up {
                        self.fetch(now, &mut actions);
                    }
                } else {
                    self.tell_wanted(now, &mut actions);
                    if catch_up {
                        self.asked_at = Some(now);
                        actions.post.push(Post::Refresh);
                    }
                }
            }
            Event::Done { request, outcome } => {
                if self.is_current(request) {
                    self.in_flight = None;
                    self.settle(outcome, now, jitter);
                    if self.role == Role::Leader {
                        actions.post.push(Post::Share);
                    }
                }
            }
            Event::Joined => {
                if self.role == Role::Solo && self.in_flight.is_none() {
                    self.role = Role::Follower;
                    actions.post.push(Post::Hello);
                    self.tell_wanted(now, &mut actions);
                }
            }
            Event::Elected => {
                if self.role != Role::Leader {
                    self.peers.clear();
                }
                self.role = Role::Leader;
                // A request this tab's user made of the old leader is now ours to make.
                let asked = self.asked_at.take().is_some();
                self.wanted_at = None;
                if asked {
                    self.fetch(now, &mut actions);
                } else if self.in_flight.is_none()
                    && (self.is_stale(now) || self.last == Some(Outcome::SignedOut))
                {
                    self.fetch_unless_hidden(now, &mut actions);
                }
            }
            Event::PeerHello if self.role == Role::Leader => {
                actions.post.push(Post::Share);
                // Nothing to share yet (e.g. hidden since it started): a tab that can be
                // seen is asking, so fetch.
                if self.updated_at.is_none() && self.last.is_none() || self.due_while_hidden {
                    self.fetch(now, &mut actions);
                }
            }
            Event::PeerWanted { interval_ms } if self.role == Role::Leader => {
                if interval_ms.is_finite() && interval_ms >= 1.0 {
                    // Whole seconds, at most MAX_PEERS of them, the shortest kept.
                    let key = (interval_ms / 1000.0).round().max(1.0) as u64 * 1000;
                    let until = now + key as f64 * WANTED_HOLDS;
                    let known = self.peers.iter().position(|(known, _)| *known == key);
                    let longest = (0..self.peers.len()).max_by_key(|i| self.peers[*i].0);
                    match (known, longest) {
                        (Some(i), _) => self.peers[i].1 = until,
                        (None, _) if self.peers.len() < MAX_PEERS => self.peers.push((key, until)),
                        (None, Some(i)) if self.peers[i].0 > key => self.peers[i] = (key, until),
                        (None, _) => {}
                    }
                    let waiting = matches!(self.last, Some(Outcome::Success) | None);
                    if self.due_while_hidden || (waiting && self.is_stale(now)) {
                        self.fetch(now, &mut actions);
                    }
                }
            }
            Event::LeaderData { at } if self.role == Role::Follower => {
                self.asked_at = None;
                self.last = Some(Outcome::Success);
                self.failures = 0;
                self.updated_at = Some(self.updated_at.map_or(at, |u| u.max(at)));
            }
            Event::LeaderFailed { outcome } if self.role == Role::Follower => {
                self.asked_at = None;
                self.last = Some(outcome);
                if outcome == Outcome::SignedOut {
                    self.updated_at = None;
                }
            }
            Event::PeerRefresh
            | Event::PeerHello
            | Event::PeerWanted { .. }
            | Event::LeaderData { .. }
            | Event::LeaderFailed { .. } => {}
        }
        actions
    }

    fn on_timer(&mut self, now: f64, actions: &mut Actions) {
        if self.role == Role::Follower {
            if self
                .asked_at
                .is_some_and(|at| now >= at + self.timeout_ms() + LOST_GRACE_MS)
            {
                // The leader never answered (its tab frozen, or broken): poll alone until
                // this tab is elected itself.
                self.asked_at = None;
                self.role = Role::Solo;
                self.fetch_unless_hidden(now, actions);
                return;
            }
            if let (false, Some(interval)) = (self.hidden, self.own_interval_ms()) {
                if self.wanted_at.is_none_or(|at| now >= at + interval) {
                    self.tell_wanted(now, actions);
                }
            }
            return;
        }
        if self.in_flight.is_some() {
            // Not lost yet (expire_lost ran first): an early timer, nothing to do.
            return;
        }
        if self.attempt_at().is_some_and(|at| now >= at) {
            self.fetch_unless_hidden(now, actions);
        }
    }

    /// A request past its time-out and grace is given up: counted as a transient
    /// failure, and its answer, if it ever comes, is ignored.
    fn expire_lost(&mut self, now: f64, jitter: f64) {
        if let Some((_, lost_at)) = self.in_flight {
            if now >= lost_at {
                self.in_flight = None;
                self.settle(Outcome::Transient, now, jitter);
            }
        }
    }

    fn settle(&mut self, outcome: Outcome, now: f64, jitter: f64) {
        self.last = Some(outcome);
        self.retry_at = None;
        match outcome {
            Outcome::Success => {
                self.failures = 0;
                self.updated_at = Some(now);
            }
            Outcome::Transient => {
                self.failures = self.failures.saturating_add(1);
                let interval = self.interval_ms().unwrap_or(DEFAULT_TIMEOUT_MS);
                self.retry_at = Some(now + backoff_ms(interval, self.failures, jitter));
            }
            Outcome::SignedOut => {
                self.failures = 0;
                self.updated_at = None;
            }
            Outcome::Refused => self.failures = 0,
        }
    }

    fn fetch_unless_hidden(&mut self, now: f64, actions: &mut Actions) {
        if self.hidden && !self.watched_by_peers() {
            self.due_while_hidden = true;
        } else {
            self.fetch(now, actions);
        }
    }

    /// Starts a request unless one is in flight.
    fn fetch(&mut self, now: f64, actions: &mut Actions) {
        if self.in_flight.is_some() || self.role == Role::Follower {
            return;
        }
        let id = self.next_request;
        self.next_request = self.next_request.wrapping_add(1);
        self.in_flight = Some((id, now + self.timeout_ms() + LOST_GRACE_MS));
        self.due_while_hidden = false;
        actions.fetch = Some(id);
    }

    fn tell_wanted(&mut self, now: f64, actions: &mut Actions) {
        if let (false, Some(interval_ms)) = (self.hidden, self.own_interval_ms()) {
            self.wanted_at = Some(now);
            actions.post.push(Post::Wanted { interval_ms });
            // The leader should have refreshed by now: ask outright (an unanswered ask
            // makes this tab poll alone).
            let overdue = self
                .updated_at
                .is_some_and(|at| now - at > 2.0 * interval_ms + self.timeout_ms());
            if overdue && self.asked_at.is_none() {
                self.asked_at = Some(now);
                actions.post.push(Post::Refresh);
            }
        }
    }
}

fn earliest(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Whether a time another tab sent is believable: a finite time not in the future
/// (beyond a little clock skew between tabs) and not older than a day.
pub fn plausible_time(at: f64, now: f64) -> bool {
    at.is_finite() && at <= now + 2_000.0 && at >= now - 86_400_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: f64 = 1_000_000.0;

    fn subscribed(seconds: u32) -> (Policy, u32) {
        let mut p = Policy::new(false);
        let a = p.on(
            Event::Subscribe {
                id: 1,
                refresh_seconds: seconds,
                timeout_ms: 10_000,
            },
            T0,
            1.0,
        );
        (p, a.fetch.expect("first subscriber fetches"))
    }

    #[test]
    fn fetches_at_once_then_every_interval() {
        let (mut p, first) = subscribed(30);
        assert!(p.is_busy());
        assert_eq!(
            p.on(Event::Refresh, T0 + 1.0, 1.0).fetch,
            None,
            "one in flight"
        );
        p.on(
            Event::Done {
                request: first,
                outcome: Outcome::Success,
            },
            T0 + 500.0,
            1.0,
        );
        assert_eq!(p.wake_at(), Some(T0 + 30_500.0));
        assert_eq!(p.on(Event::Timer, T0 + 10_000.0, 1.0).fetch, None, "early");
        assert!(p.on(Event::Timer, T0 + 30_500.0, 1.0).fetch.is_some());
    }

    #[test]
    fn backs_off_after_transient_failures_and_stops_when_signed_out() {
        let (mut p, first) = subscribed(10);
        let done = |p: &mut Policy, request, outcome, at| {
            p.on(Event::Done { request, outcome }, at, 1.0);
        };
        done(&mut p, first, Outcome::Transient, T0);
        assert_eq!(p.wake_at(), Some(T0 + 10_000.0));
        let second = p.on(Event::Timer, T0 + 10_000.0, 1.0).fetch.expect("retry");
        done(&mut p, second, Outcome::Transient, T0 + 10_000.0);
        assert_eq!(p.wake_at(), Some(T0 + 30_000.0), "doubled");
        let third = p.on(Event::Timer, T0 + 30_000.0, 1.0).fetch.expect("retry");
        done(&mut p, third, Outcome::SignedOut, T0 + 30_000.0);
        assert_eq!(p.wake_at(), None, "stopped");
        assert!(p.on(Event::PageBack, T0 + 40_000.0, 1.0).fetch.is_some());
    }

    #[test]
    fn a_request_that_never_ends_is_given_up() {
        let (mut p, first) = subscribed(0);
        assert_eq!(p.wake_at(), Some(T0 + 15_000.0));
        assert_eq!(p.on(Event::Refresh, T0 + 14_000.0, 1.0).fetch, None);
        let again = p.on(Event::Refresh, T0 + 15_000.0, 1.0).fetch;
        assert!(again.is_some(), "lost after time-out and grace");
        assert!(!p.is_current(first), "its late answer is ignored");
    }

    #[test]
    fn hidden_pages_wait_unless_a_follower_watches() {
        let (mut p, first) = subscribed(5);
        p.on(
            Event::Done {
                request: first,
                outcome: Outcome::Success,
            },
            T0,
            1.0,
        );
        p.on(Event::PageHidden, T0 + 1.0, 1.0);
        assert_eq!(p.on(Event::Timer, T0 + 5_000.0, 1.0).fetch, None);
        assert_eq!(p.wake_at(), None);
        assert!(p.on(Event::PageBack, T0 + 60_000.0, 1.0).fetch.is_some());
    }

    #[test]
    fn the_leader_honours_the_shortest_interval_of_any_tab() {
        let (mut p, first) = subscribed(0);
        p.on(Event::Joined, T0, 1.0);
        assert_eq!(
            p.role(),
            Role::Solo,
            "a tab with a request in flight stays solo"
        );
        p.on(
            Event::Done {
                request: first,
                outcome: Outcome::Success,
            },
            T0,
            1.0,
        );
        p.on(Event::Elected, T0 + 1.0, 1.0);
        assert_eq!(p.wake_at(), None, "no one here wants automatic refreshes");
        p.on(
            Event::PeerWanted {
                interval_ms: 2_000.0,
            },
            T0 + 100.0,
            1.0,
        );
        assert_eq!(p.wake_at(), Some(T0 + 2_000.0));
        let second = p.on(Event::Timer, T0 + 2_000.0, 1.0).fetch.expect("due");
        p.on(
            Event::Done {
                request: second,
                outcome: Outcome::Success,
            },
            T0 + 2_100.0,
            1.0,
        );
        assert_eq!(p.wake_at(), Some(T0 + 4_100.0));
        // The follower stops asking (closed or hidden): its wish runs out.
        assert_eq!(p.on(Event::Timer, T0 + 5_200.0, 1.0).fetch, None);
        assert_eq!(p.wake_at(), None);
    }

    #[test]
    fn followers_ask_and_listen_but_never_fetch() {
        let mut p = Policy::new(false);
        p.on(Event::Joined, T0, 1.0);
        let a = p.on(
            Event::Subscribe {
                id: 7,
                refresh_seconds: 2,
                timeout_ms: 5_000,
            },
            T0,
            1.0,
        );
        assert_eq!(a.fetch, None);
        assert_eq!(
            a.post,
            [
                Post::Hello,
                Post::Wanted {
                    interval_ms: 2_000.0
                }
            ]
        );
        assert_eq!(p.wake_at(), Some(T0 + 2_000.0));
        let a = p.on(Event::Refresh, T0 + 10.0, 1.0);
        assert_eq!(a.post, [Post::Refresh]);
        assert!(p.is_busy());
        p.on(Event::LeaderData { at: T0 + 20.0 }, T0 + 30.0, 1.0);
        assert!(!p.is_busy());
    }

    #[test]
    fn a_follower_whose_leader_never_answers_polls_alone() {
        let mut p = Policy::new(false);
        p.on(Event::Joined, T0, 1.0);
        p.on(
            Event::Subscribe {
                id: 1,
                refresh_seconds: 0,
                timeout_ms: 5_000,
            },
            T0,
            1.0,
        );
        assert!(p.is_busy(), "waiting for the leader's answer");
        assert_eq!(p.wake_at(), Some(T0 + 10_000.0));
        let a = p.on(Event::Timer, T0 + 10_000.0, 1.0);
        assert!(a.fetch.is_some());
        assert_eq!(p.role(), Role::Solo);
        // Elected later: it polls as the leader from then on.
        p.on(Event::Elected, T0 + 20_000.0, 1.0);
        assert_eq!(p.role(), Role::Leader);
    }

    #[test]
    fn a_leader_with_nothing_to_share_fetches_when_a_tab_says_hello() {
        let mut p = Policy::new(true);
        p.on(Event::Joined, T0, 1.0);
        assert_eq!(p.on(Event::Elected, T0, 1.0).fetch, None, "hidden: waits");
        let a = p.on(Event::PeerHello, T0 + 1.0, 1.0);
        assert!(a.fetch.is_some());
        assert_eq!(a.post, [Post::Share]);
    }

    #[test]
    fn peer_intervals_are_few_and_the_shortest_is_kept() {
        let (mut p, first) = subscribed(0);
        p.on(Event::Elected, T0, 1.0);
        p.on(
            Event::Done {
                request: first,
                outcome: Outcome::Success,
            },
            T0,
            1.0,
        );
        for seconds in (3..200).rev() {
            p.on(
                Event::PeerWanted {
                    interval_ms: f64::from(seconds) * 1000.0 + 0.3,
                },
                T0 + 1.0,
                1.0,
            );
        }
        assert_eq!(p.peers.len(), MAX_PEERS);
        assert_eq!(p.interval_ms(), Some(3_000.0));
    }

    #[test]
    fn time_outs_are_the_longest_any_instance_accepts() {
        let mut p = Policy::new(false);
        for (id, timeout_ms) in [(1, 5_000), (2, 60_000), (3, 10_000)] {
            p.on(
                Event::Subscribe {
                    id,
                    refresh_seconds: 30,
                    timeout_ms,
                },
                T0,
                1.0,
            );
        }
        assert_eq!(p.timeout_ms(), 60_000.0);
        p.on(Event::Unsubscribe { id: 2 }, T0, 1.0);
        assert_eq!(p.timeout_ms(), 10_000.0);
    }

    #[test]
    fn times_from_other_tabs_must_be_plausible() {
        assert!(plausible_time(T0, T0));
        assert!(plausible_time(T0 + 1_000.0, T0));
        assert!(!plausible_time(T0 + 60_000.0, T0), "in the future");
        assert!(!plausible_time(f64::NAN, T0));
        assert!(!plausible_time(f64::INFINITY, T0));
        assert!(!plausible_time(0.0, T0 + 100_000_000.0), "too old");
    }
}
