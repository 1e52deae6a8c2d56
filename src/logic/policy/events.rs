//! How each event changes a [`Policy`], and what it asks the browser to do.

use super::{
    Actions, Event, Outcome, Policy, Post, Role, Subscriber, DEFAULT_TIMEOUT_MS, LOST_GRACE_MS,
    MAX_HEARD_WAIT_MS, MAX_PEERS, MIN_PEER_INTERVAL_MS, PEER_FETCH_GAP_MS, SHARE_GAP_MS,
    WANTED_HOLDS,
};
use crate::logic::backoff::backoff_ms;

impl Policy {
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
            Event::Refresh if polls => self.fetch(now, &mut actions),
            Event::PeerRefresh if polls => {
                if !self.peer_fetch(now, &mut actions) && self.in_flight.is_none() {
                    // Too soon, or within a server's pause: what this tab has answers.
                    self.share(now, &mut actions);
                }
            }
            Event::Refresh => {
                self.asked_at = Some(now);
                self.asked_by_user = true;
                actions.post.push(Post::Refresh);
            }
            Event::Timer => self.on_timer(now, &mut actions),
            Event::Online if polls && !self.paused(now) => {
                // Failures for want of a network are over: so is their backoff, and
                // what is on screen is asked for again.
                if self.last == Some(Outcome::Transient) {
                    self.failures = 0;
                    self.retry_at = Some(now);
                }
                if self.in_flight.is_none() {
                    self.fetch_unless_hidden(now, &mut actions);
                }
            }
            // The polling tab hears it too.
            Event::Online => {}
            Event::PageHidden => self.hidden = true,
            Event::PageBack => {
                self.hidden = false;
                // Coming back catches up on what is due, never on a backoff or a
                // refusal (only the user asks again after a 403).
                let waits = self.backing_off(now) || self.last == Some(Outcome::Refused);
                let catch_up = self.due_while_hidden
                    || self.last == Some(Outcome::SignedOut)
                    || (self.last.is_some() && self.is_stale(now) && !waits);
                if polls {
                    if catch_up {
                        self.fetch(now, &mut actions);
                    }
                } else {
                    self.tell_wanted(now, &mut actions);
                    if catch_up && self.asked_at.is_none() {
                        self.asked_at = Some(now);
                        actions.post.push(Post::Ask);
                    }
                }
            }
            Event::Done {
                request,
                outcome,
                not_before,
            } => {
                if self.is_current(request) {
                    self.in_flight = None;
                    self.settle(outcome, now, jitter);
                    self.pause_until = not_before.filter(|_| outcome == Outcome::Transient);
                    if let (Some(at), Some(until)) = (self.retry_at, self.pause_until) {
                        self.retry_at = Some(at.max(until));
                    }
                    if self.role == Role::Leader {
                        // A new answer is always shared at once.
                        self.shared_at = Some(now);
                        self.share_due = None;
                        actions.post.push(Post::Share);
                    }
                }
            }
            Event::Joined => {
                if self.role == Role::Solo && self.in_flight.is_none() {
                    self.role = Role::Follower;
                    // What came due is the leader's to do now.
                    self.due_while_hidden = false;
                    actions.post.push(Post::Hello);
                    self.tell_wanted(now, &mut actions);
                }
            }
            Event::LeaderHeard if self.role == Role::Solo && self.took_over => {
                // One poller per API base again: this tab's request, if any, is given
                // up (the leader's answers arrive anyway).
                self.role = Role::Follower;
                self.took_over = false;
                self.in_flight = None;
                self.due_while_hidden = false;
                self.tell_wanted(now, &mut actions);
            }
            Event::Elected => {
                if self.role != Role::Leader {
                    self.peers.clear();
                }
                self.role = Role::Leader;
                self.took_over = false;
                // A request this tab's user made of the old leader is now ours to make.
                let asked = self.asked_at.take().is_some() && self.asked_by_user;
                self.asked_by_user = false;
                self.wanted_at = None;
                if asked {
                    self.fetch(now, &mut actions);
                } else if self.in_flight.is_none()
                    && !self.backing_off(now)
                    && (self.is_stale(now)
                        || self.last == Some(Outcome::SignedOut)
                        || (self.heard_only && self.last != Some(Outcome::Refused)))
                {
                    self.fetch_unless_hidden(now, &mut actions);
                }
                // A tab that said Hello while the lock was changing hands heard no one:
                // it gets what this tab has now (a fetch shares its answer instead).
                if actions.fetch.is_none() && self.last.is_some() {
                    self.shared_at = Some(now);
                    self.share_due = None;
                    actions.post.push(Post::Share);
                }
            }
            Event::PeerAsk if self.role == Role::Leader => {
                // What it has proves this tab still polls; a fetch only if one is due.
                let due = self.in_flight.is_none()
                    && self.is_stale(now)
                    && !self.backing_off(now)
                    && !matches!(self.last, Some(Outcome::Refused | Outcome::SignedOut));
                if due {
                    self.fetch_unless_hidden(now, &mut actions);
                } else {
                    self.share(now, &mut actions);
                }
            }
            Event::PeerHello if self.role == Role::Leader => {
                self.share(now, &mut actions);
                // Nothing to share yet (e.g. hidden since it started): a tab that can be
                // seen is asking, so fetch.
                if self.updated_at.is_none() && self.last.is_none() || self.due_while_hidden {
                    self.peer_fetch(now, &mut actions);
                }
            }
            Event::PeerWanted { interval_ms } if self.role == Role::Leader => {
                if interval_ms.is_finite() && interval_ms >= 1.0 {
                    // Whole seconds, no fewer than an instance may ask for, at most
                    // MAX_PEERS of them, the shortest kept.
                    let key =
                        ((interval_ms / 1000.0).round() as u64 * 1000).max(MIN_PEER_INTERVAL_MS);
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
                self.heard_only = true;
                self.asked_at = None;
                self.asked_by_user = false;
                self.last = Some(Outcome::Success);
                self.failures = 0;
                self.updated_at = Some(self.updated_at.map_or(at, |u| u.max(at)));
            }
            Event::LeaderFailed {
                outcome,
                next,
                paused,
            } if self.role == Role::Follower => {
                // Kept for a takeover: a tab that polls alone waits as the leader did,
                // but never longer than MAX_HEARD_WAIT_MS on another tab's word.
                let next = next.map(|at| at.min(now + MAX_HEARD_WAIT_MS));
                self.pause_until = next.filter(|_| paused);
                self.asked_at = None;
                self.asked_by_user = false;
                self.last = Some(outcome);
                self.retry_at = next.filter(|_| outcome == Outcome::Transient);
                if outcome == Outcome::SignedOut {
                    self.updated_at = None;
                }
            }
            Event::PeerRefresh
            | Event::LeaderHeard
            | Event::PeerAsk
            | Event::PeerHello
            | Event::PeerWanted { .. }
            | Event::LeaderData { .. }
            | Event::LeaderFailed { .. } => {}
        }
        actions
    }

    fn on_timer(&mut self, now: f64, actions: &mut Actions) {
        if self.share_due.is_some_and(|at| now >= at) {
            self.share(now, actions);
        }
        if self.role == Role::Follower {
            if self
                .asked_at
                .is_some_and(|at| now >= at + self.timeout_ms() + LOST_GRACE_MS)
            {
                // The leader never answered (its tab frozen, or broken): poll alone until
                // this tab is elected itself.
                self.asked_at = None;
                self.role = Role::Solo;
                self.took_over = true;
                if std::mem::take(&mut self.asked_by_user) || !self.backing_off(now) {
                    self.fetch_unless_hidden(now, actions);
                }
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
                self.heard_only = false;
            }
            Outcome::Transient => {
                self.failures = self.failures.saturating_add(1);
                let interval = self.interval_ms().unwrap_or(DEFAULT_TIMEOUT_MS);
                self.retry_at = Some(now + backoff_ms(interval, self.failures, jitter));
            }
            Outcome::SignedOut => {
                self.failures = 0;
                self.updated_at = None;
                self.heard_only = false;
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

    /// A fetch another tab's message asks for: made only when none was started
    /// within [`PEER_FETCH_GAP_MS`] and no server asked for a pause. Whether it was.
    fn peer_fetch(&mut self, now: f64, actions: &mut Actions) -> bool {
        let recent = self
            .fetched_at
            .is_some_and(|at| now < at + PEER_FETCH_GAP_MS);
        if recent || self.paused(now) {
            return false;
        }
        self.fetch(now, actions);
        actions.fetch.is_some()
    }

    /// Shares what this tab has, at most once per [`SHARE_GAP_MS`]: an ask within
    /// it is answered by one share at its end.
    fn share(&mut self, now: f64, actions: &mut Actions) {
        if self.role == Role::Follower {
            self.share_due = None;
            return;
        }
        match self.shared_at {
            Some(at) if now < at + SHARE_GAP_MS => self.share_due = Some(at + SHARE_GAP_MS),
            _ => {
                self.shared_at = Some(now);
                self.share_due = None;
                actions.post.push(Post::Share);
            }
        }
    }

    /// Starts a request unless one is in flight.
    fn fetch(&mut self, now: f64, actions: &mut Actions) {
        if self.in_flight.is_some() || self.role == Role::Follower {
            return;
        }
        self.fetched_at = Some(now);
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
                actions.post.push(Post::Ask);
            }
        }
    }
}
