//! Property tests of the polling policy over generated event sequences: whatever
//! happens, in whatever order, a feed never has two requests in flight, does not
//! poll while hidden or signed out, backs off within bounds, honours the shortest
//! interval asked for, never spins on its timer, and can always refresh again.
#![cfg(not(target_arch = "wasm32"))]

use presence_widget::logic::backoff::MAX_BACKOFF_MS;
use presence_widget::logic::config::MIN_REFRESH_SECONDS;
use presence_widget::logic::policy::{
    Actions, Event, Outcome, Policy, Post, Role, LOST_GRACE_MS, MAX_HEARD_WAIT_MS,
    PEER_FETCH_GAP_MS, WANTED_HOLDS,
};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Step {
    Subscribe {
        id: u32,
        seconds: u32,
        timeout_ms: u32,
    },
    Unsubscribe {
        id: u32,
    },
    Refresh,
    /// Advance to the policy's wake-up time (if any) and fire the timer.
    Timer,
    /// Fire the timer now, whatever wake_at says (browsers fire late and early).
    StrayTimer,
    Hide,
    Show,
    Online,
    /// The oldest outstanding request ends.
    /// … with a server's pause (ms from now), if it asked for one.
    Done(Outcome, Option<u32>),
    Joined,
    Elected,
    PeerHello,
    PeerRefresh,
    PeerAsk,
    LeaderHeard,
    PeerWanted(u32),
    LeaderData,
    /// The leader failed, and says when it tries again (ms from now), if it does.
    LeaderFailed(Outcome, Option<u32>, bool),
}

fn outcome() -> impl Strategy<Value = Outcome> {
    prop_oneof![
        4 => Just(Outcome::Success),
        3 => Just(Outcome::Transient),
        1 => Just(Outcome::SignedOut),
        1 => Just(Outcome::Refused),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        2 => (0u32..4, prop_oneof![Just(0u32), Just(2), Just(5), Just(30), Just(3600)], 1_000u32..120_000)
            .prop_map(|(id, seconds, timeout_ms)| Step::Subscribe { id, seconds, timeout_ms }),
        1 => (0u32..4).prop_map(|id| Step::Unsubscribe { id }),
        2 => Just(Step::Refresh),
        5 => Just(Step::Timer),
        1 => Just(Step::StrayTimer),
        1 => Just(Step::Hide),
        1 => Just(Step::Show),
        1 => Just(Step::Online),
        4 => (outcome(), prop::option::weighted(0.2, 0u32..3_600_000)).prop_map(|(o, pause)| Step::Done(o, pause)),
        1 => Just(Step::Joined),
        1 => Just(Step::Elected),
        1 => Just(Step::PeerHello),
        1 => Just(Step::PeerRefresh),
        1 => Just(Step::PeerAsk),
        1 => Just(Step::LeaderHeard),
        1 => prop_oneof![Just(2u32), Just(10), Just(60)].prop_map(Step::PeerWanted),
        1 => Just(Step::LeaderData),
        1 => (outcome(), prop::option::of(0u32..3_600_000), any::<bool>()).prop_map(|(o, next, paused)| Step::LeaderFailed(o, next, paused)),
    ]
}

/// What the browser side would know: requests started and not yet answered.
struct World {
    policy: Policy,
    now: f64,
    /// Requests started and not answered: id, start, and the time-out they got.
    outstanding: Vec<(u32, f64, f64)>,
    hidden: bool,
    /// Peer wishes (interval ms, until), as the leader should keep them.
    peers: Vec<(f64, f64)>,
    /// A 401 was the last answer and nothing has fetched since.
    signed_out: bool,
    /// Until when the policy waits out a backoff (a transient failure), if it does.
    backoff_until: Option<f64>,
    /// Until when a server asked to be left alone (a Retry-After), if it did.
    pause_until: Option<f64>,
    /// A follower's user asked and no answer came yet: the click may cut a backoff.
    user_waiting: bool,
    /// When the last request started.
    fetched_at: Option<f64>,
}

impl World {
    fn new() -> World {
        World {
            policy: Policy::new(false),
            now: 1_000_000.0,
            outstanding: Vec::new(),
            hidden: false,
            peers: Vec::new(),
            fetched_at: None,
            signed_out: false,
            backoff_until: None,
            pause_until: None,
            user_waiting: false,
        }
    }

    fn apply(&mut self, step: &Step, advance: f64, jitter: f64) -> Result<(), TestCaseError> {
        self.now += advance;
        let event = match step {
            Step::Subscribe {
                id,
                seconds,
                timeout_ms,
            } => Event::Subscribe {
                id: *id,
                refresh_seconds: *seconds,
                timeout_ms: *timeout_ms,
            },
            Step::Unsubscribe { id } => Event::Unsubscribe { id: *id },
            Step::Refresh => Event::Refresh,
            Step::Timer => {
                if let Some(at) = self.policy.wake_at() {
                    self.now = self.now.max(at);
                }
                Event::Timer
            }
            Step::StrayTimer => Event::Timer,
            Step::Hide => Event::PageHidden,
            Step::Show => Event::PageBack,
            Step::Done(outcome, pause) => {
                let Some((request, _, _)) = self.outstanding.first().copied() else {
                    return Ok(());
                };
                self.outstanding.remove(0);
                Event::Done {
                    request,
                    outcome: *outcome,
                    not_before: pause.map(|ms| self.now + f64::from(ms)),
                }
            }
            Step::Joined => Event::Joined,
            Step::Elected => Event::Elected,
            Step::PeerHello => Event::PeerHello,
            Step::PeerRefresh => Event::PeerRefresh,
            Step::PeerAsk => Event::PeerAsk,
            Step::LeaderHeard => Event::LeaderHeard,
            Step::Online => Event::Online,
            Step::PeerWanted(seconds) => Event::PeerWanted {
                interval_ms: f64::from(*seconds) * 1000.0,
            },
            Step::LeaderData => Event::LeaderData { at: self.now },
            Step::LeaderFailed(outcome, next, paused) => Event::LeaderFailed {
                outcome: *outcome,
                next: next.map(|ms| self.now + f64::from(ms)),
                paused: *paused,
            },
        };
        let now = self.now;
        self.peers.retain(|(_, until)| *until > now);
        let role_before = self.policy.role();
        let accepted_done = match &event {
            Event::Done {
                request, outcome, ..
            } if self.policy.is_current(*request) => Some(*outcome),
            _ => None,
        };
        let pause = match &event {
            Event::Done { not_before, .. } => *not_before,
            _ => None,
        };
        let wake_before = self.policy.wake_at();
        let is_timer = event == Event::Timer;

        let actions: Actions = self.policy.on(event.clone(), now, jitter);

        // The network coming back ends a backoff (its failures were for want of
        // one), never a server's pause.
        let paused = self.pause_until.is_some_and(|until| now < until);
        if event == Event::Online && role_before != Role::Follower && !paused {
            self.backoff_until = None;
        }
        if let Some(until) = self.backoff_until.filter(|until| now < *until) {
            // Only a user's own Refresh or Retry (here or in a follower) cuts a backoff
            // short, or a new instance asking as a user would.
            // A click waiting to be carried out (this tab became the poller while hidden)
            // is the user's own, whatever event carries it out.
            let users = self.user_waiting;
            prop_assert!(
                actions.fetch.is_none()
                    || users
                    || matches!(
                        event,
                        Event::Refresh | Event::PeerRefresh | Event::Subscribe { .. }
                    ),
                "a backoff until {until} was cut short at {now} by {:?}",
                event
            );
        }
        if let Some(request) = actions.fetch {
            // What another tab's message can make this one do is bounded: a fetch
            // at most once per gap, and never within a server's pause.
            if matches!(event, Event::PeerRefresh | Event::PeerHello) {
                prop_assert!(
                    self.fetched_at
                        .is_none_or(|at| now >= at + PEER_FETCH_GAP_MS),
                    "a message made this tab fetch {} ms after the last",
                    now - self.fetched_at.unwrap_or(0.0)
                );
                prop_assert!(!paused, "a message cut a server's pause short");
            }
            self.fetched_at = Some(now);
            self.backoff_until = None;
            self.user_waiting = false;
            // A follower fetches only by ceasing to be one: elected, or polling alone
            // once the leader left its request unanswered.
            prop_assert!(self.policy.role() != Role::Follower, "a follower fetched");
            prop_assert!(
                role_before != Role::Follower || matches!(event, Event::Elected | Event::Timer),
                "a follower fetched on {:?}",
                event
            );
            for (_, started, timeout) in &self.outstanding {
                prop_assert!(
                    now - started >= timeout + LOST_GRACE_MS,
                    "two requests in flight: one started at {started}, now {now}"
                );
            }
            if is_timer {
                // A follower's timer fetches only to carry out an ask its leader left
                // unanswered (a user's Retry, the page coming back): not polling.
                prop_assert!(
                    !self.signed_out || role_before == Role::Follower,
                    "polled while signed out"
                );
                prop_assert!(
                    !self.hidden || !self.peers.is_empty(),
                    "polled while hidden with no one watching"
                );
            }
            self.outstanding
                .push((request, now, self.policy.timeout_ms()));
            self.signed_out = false;
        }
        match &event {
            Event::Refresh if role_before == Role::Follower => self.user_waiting = true,
            // Answered: the click is done with (an election keeps it waiting).
            Event::LeaderData { .. } | Event::LeaderFailed { .. }
                if role_before == Role::Follower =>
            {
                self.user_waiting = false;
            }
            _ => {}
        }
        if event == Event::LeaderHeard
            && role_before == Role::Solo
            && self.policy.role() == Role::Follower
        {
            // Given up: its answer, if it comes, is ignored.
            self.outstanding.clear();
        }
        match &event {
            Event::PageHidden => self.hidden = true,
            Event::PageBack => self.hidden = false,
            // Never below what an instance may ask for.
            Event::PeerWanted { interval_ms } if role_before == Role::Leader => {
                let interval = interval_ms.max(f64::from(MIN_REFRESH_SECONDS) * 1000.0);
                self.peers.push((interval, now + interval * WANTED_HOLDS))
            }
            Event::Elected if role_before != Role::Leader => self.peers.clear(),
            // A follower takes its leader's answers as its own: data proves the session
            // alive (so polling after an election is right), a sign-out ends it.
            Event::LeaderData { .. } if role_before == Role::Follower => {
                self.signed_out = false;
                self.backoff_until = None;
            }
            Event::LeaderFailed {
                outcome,
                next,
                paused,
            } if role_before == Role::Follower => {
                self.signed_out = *outcome == Outcome::SignedOut;
                // Another tab's word holds for MAX_HEARD_WAIT_MS at most.
                let next = next.map(|at| at.min(now + MAX_HEARD_WAIT_MS));
                self.backoff_until = next.filter(|_| *outcome == Outcome::Transient);
                self.pause_until = next.filter(|_| *paused);
            }
            _ => {}
        }
        if let Some(outcome) = accepted_done {
            self.signed_out = outcome == Outcome::SignedOut;
            self.backoff_until = None;
            // A server's pause lasts until its next answer (a transient one sets it
            // again below).
            self.pause_until = None;
            let interval = self.policy.interval_ms();
            let wake = self.policy.wake_at();
            match (outcome, interval) {
                (Outcome::Success, Some(interval)) => {
                    prop_assert_eq!(wake, Some(now + interval), "shortest interval honoured");
                    let own_and_peers = self.peers.iter().map(|(i, _)| *i).fold(interval, f64::min);
                    prop_assert!(interval <= own_and_peers);
                }
                (Outcome::Transient, Some(interval)) => {
                    self.backoff_until = wake;
                    let wait = wake.expect("a retry is planned") - now;
                    self.pause_until = pause;
                    if let Some(until) = pause {
                        prop_assert!(now + wait >= until, "the server's pause was not honoured");
                    } else {
                        prop_assert!(
                            wait >= 0.8 * interval.min(MAX_BACKOFF_MS),
                            "backoff too short: {wait}"
                        );
                        prop_assert!(wait <= 1.2 * MAX_BACKOFF_MS, "backoff too long: {wait}");
                    }
                }
                (Outcome::SignedOut | Outcome::Refused, _) => {
                    prop_assert_eq!(wake, None, "stopped: {:?}", self.policy);
                }
                _ => {}
            }
        }
        if is_timer && wake_before.is_some_and(|at| now >= at) {
            let moved_on = actions.fetch.is_some()
                || !actions.post.is_empty()
                || self.policy.wake_at().is_none_or(|at| at > now);
            prop_assert!(moved_on, "the timer would fire again at once, forever");
        }
        Ok(())
    }

    /// From any state, the user asking (after the page comes back, and after any
    /// lost request has run out) leads to a request or a request to the leader.
    fn can_always_refresh(&self) -> Result<(), TestCaseError> {
        let mut policy = self.policy.clone();
        let mut now = self.now;
        let asked =
            |actions: &Actions| actions.fetch.is_some() || actions.post.contains(&Post::Refresh);
        let back = policy.on(Event::PageBack, now, 1.0);
        if asked(&back) || asked(&policy.on(Event::Refresh, now, 1.0)) {
            return Ok(());
        }
        // A request in flight is given up at the latest when the policy wakes (after
        // a share it put off, which may come first).
        for _ in 0..2 {
            now = policy.wake_at().map_or(now, |at| at.max(now));
            let timer = policy.on(Event::Timer, now, 1.0);
            if asked(&timer) || asked(&policy.on(Event::Refresh, now, 1.0)) {
                return Ok(());
            }
        }
        prop_assert!(false, "stuck: no refresh possible from {:?}", self.policy);
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn polling_rules_hold_for_any_sequence(
        steps in prop::collection::vec((step(), 0u32..20_000, 0.8f64..1.2), 1..120)
    ) {
        let mut world = World::new();
        for (step, advance, jitter) in &steps {
            world.apply(step, f64::from(*advance), *jitter)?;
            world.can_always_refresh()?;
        }
    }
}
