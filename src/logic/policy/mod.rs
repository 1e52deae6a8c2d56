//! The polling policy of one feed (one API base in one tab): when to fetch, how long
//! to wait, when to back off or stop, and which tab polls when several show the same
//! base. It is pure: the browser side (`browser::feed`) feeds it events stamped with
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
//!   interval while visible), passes on its user's requests (`Refresh`), and asks
//!   whether the leader still polls when its data is overdue (`Ask`);
//! - only a user's own Refresh or Retry cuts a backoff short: an ask, a `Wanted`,
//!   focus or the page coming back never do, and after a refusal (403, 404) only the
//!   user asks again;
//! - any script of the origin can post on the tabs' channel, so what a message can
//!   make the polling tab do is bounded: a fetch another tab asked for (`Refresh`,
//!   `Hello`) at most once per [`PEER_FETCH_GAP_MS`] and never within a server's
//!   pause, a share at most once per [`SHARE_GAP_MS`] (later asks get one share at
//!   the end of the gap), an interval no shorter than the widget's own minimum, and
//!   a pause or backoff another tab reports no longer than [`MAX_HEARD_WAIT_MS`].

/// How far past its time-out a request may go before it counts as lost.
pub const LOST_GRACE_MS: f64 = 5_000.0;
/// A follower's `Wanted` holds for this many of its intervals (it repeats once per
/// interval, so one late message does not drop it).
pub const WANTED_HOLDS: f64 = 2.5;
/// The time-out assumed before any subscriber said one.
const DEFAULT_TIMEOUT_MS: f64 = crate::logic::config::DEFAULT_TIMEOUT_SECONDS as f64 * 1000.0;
/// Most distinct intervals kept from followers (any page script can post them).
const MAX_PEERS: usize = 16;
/// Fetches another tab asks for are at least this far apart (from the last fetch's
/// start): a follower's Refresh within it gets what the poller has, at most this old.
pub const PEER_FETCH_GAP_MS: f64 = 5_000.0;
/// Shares another tab's message calls for are at least this far apart.
pub const SHARE_GAP_MS: f64 = 1_000.0;
/// The longest wait another tab's report of a pause or backoff can impose on this
/// one (the widget's own longest backoff): a longer one a server asked for is
/// learnt again from the server itself.
pub const MAX_HEARD_WAIT_MS: f64 = crate::logic::backoff::MAX_BACKOFF_MS;
/// The shortest interval a follower can ask for: the `data-refresh-seconds` minimum.
const MIN_PEER_INTERVAL_MS: u64 = crate::logic::config::MIN_REFRESH_SECONDS as u64 * 1000;

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
    /// The browser has a network again (`online`): what failed for want of one is
    /// asked at once, whatever the backoff.
    Online,
    /// The request `request` ended; a server that asked for a pause (`Retry-After`)
    /// gave the time before which no automatic attempt is made.
    Done {
        request: u32,
        outcome: Outcome,
        not_before: Option<f64>,
    },
    /// This tab joined its tabs' group, as a follower until elected.
    Joined,
    /// This tab got the lock: it polls from now on.
    Elected,
    /// Another tab joined (leader: share what we know).
    PeerHello,
    /// A follower's user asked for fresh data.
    PeerRefresh,
    /// A follower's data is overdue: does this tab still poll? (Answered with what
    /// it has; a fetch only when one is due anyway.)
    PeerAsk,
    /// A visible follower wants a refresh every `interval_ms`.
    PeerWanted {
        interval_ms: f64,
    },
    /// A leader's answer (data or a failure) reached a tab that polls alone since its
    /// leader went quiet: the leader is back, and this tab follows it again.
    LeaderHeard,
    /// The leader shared data that arrived at `at`.
    LeaderData {
        at: f64,
    },
    /// The leader's last attempt failed; it tries again at `next`, if it said, and
    /// `paused` when that is a server's pause (which a takeover must keep too).
    LeaderFailed {
        outcome: Outcome,
        next: Option<f64>,
        paused: bool,
    },
}

/// A message for the other tabs.
#[derive(Clone, Debug, PartialEq)]
pub enum Post {
    Hello,
    Refresh,
    Ask,
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
    /// Before this, a server that asked for a pause (`Retry-After`) is left alone by
    /// everything but the user.
    pause_until: Option<f64>,
    hidden: bool,
    /// A refresh came due while no one could see it.
    due_while_hidden: bool,
    /// Follower: when it last asked the leader to refresh, until it answers.
    asked_at: Option<f64>,
    /// Follower: that ask was its user's (Refresh, Retry), which a backoff does not
    /// hold back when this tab has to carry it out itself.
    asked_by_user: bool,
    /// Follower: when it last told the leader it is watching.
    wanted_at: Option<f64>,
    /// Polling alone because the leader went quiet (a follower until it is heard).
    took_over: bool,
    /// What this tab has came from another tab (any page of the origin can post
    /// one), not from an answer of its own: once elected it asks the CRM itself.
    heard_only: bool,
    /// When this tab last started a request.
    fetched_at: Option<f64>,
    /// When this tab last shared what it has, and when a share asked for within
    /// [`SHARE_GAP_MS`] of it is due.
    shared_at: Option<f64>,
    share_due: Option<f64>,
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
            pause_until: None,
            hidden,
            due_while_hidden: false,
            asked_at: None,
            asked_by_user: false,
            wanted_at: None,
            took_over: false,
            heard_only: false,
            fetched_at: None,
            shared_at: None,
            share_due: None,
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
            Role::Solo | Role::Leader => earliest(
                match self.in_flight {
                    Some((_, lost_at)) => Some(lost_at),
                    None => self.attempt_at(),
                },
                self.share_due,
            ),
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

    /// Within a pause a server asked for.
    fn paused(&self, now: f64) -> bool {
        self.pause_until.is_some_and(|until| now < until)
    }

    /// Waiting out a backoff after a transient failure.
    fn backing_off(&self, now: f64) -> bool {
        self.last == Some(Outcome::Transient) && self.retry_at.is_some_and(|at| now < at)
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

mod events;
#[cfg(test)]
mod tests;
