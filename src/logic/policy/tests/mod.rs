use super::*;

const T0: f64 = 1_000_000.0;

fn done(request: u32, outcome: Outcome) -> Event {
    Event::Done {
        request,
        outcome,
        not_before: None,
    }
}

fn subscribe(id: u32, refresh_seconds: u32, timeout_ms: u32) -> Event {
    Event::Subscribe {
        id,
        refresh_seconds,
        timeout_ms,
    }
}

fn subscribed(seconds: u32) -> (Policy, u32) {
    let mut p = Policy::new(false);
    let a = p.on(subscribe(1, seconds, 10_000), T0, 1.0);
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
    p.on(done(first, Outcome::Success), T0 + 500.0, 1.0);
    assert_eq!(p.wake_at(), Some(T0 + 30_500.0));
    assert_eq!(p.on(Event::Timer, T0 + 10_000.0, 1.0).fetch, None, "early");
    assert!(p.on(Event::Timer, T0 + 30_500.0, 1.0).fetch.is_some());
}

#[test]
fn backs_off_after_transient_failures_and_stops_when_signed_out() {
    let (mut p, first) = subscribed(10);
    let done = |p: &mut Policy, request, outcome, at| {
        p.on(done(request, outcome), at, 1.0);
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
    p.on(done(first, Outcome::Success), T0, 1.0);
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
    p.on(done(first, Outcome::Success), T0, 1.0);
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
    p.on(done(second, Outcome::Success), T0 + 2_100.0, 1.0);
    assert_eq!(p.wake_at(), Some(T0 + 4_100.0));
    // The follower stops asking (closed or hidden): its wish runs out.
    assert_eq!(p.on(Event::Timer, T0 + 5_200.0, 1.0).fetch, None);
    assert_eq!(p.wake_at(), None);
}

#[test]
fn followers_ask_and_listen_but_never_fetch() {
    let mut p = Policy::new(false);
    p.on(Event::Joined, T0, 1.0);
    let a = p.on(subscribe(7, 2, 5_000), T0, 1.0);
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
    p.on(subscribe(1, 0, 5_000), T0, 1.0);
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
fn a_tab_elected_asks_for_what_it_only_heard_and_shares_what_it_has() {
    let mut p = Policy::new(false);
    p.on(Event::Joined, T0, 1.0);
    p.on(
        Event::Subscribe {
            id: 1,
            refresh_seconds: 0,
            timeout_ms: 10_000,
        },
        T0,
        1.0,
    );
    assert_eq!(p.role(), Role::Follower);
    // Data from the old leader: any page of the origin could have posted it, so the
    // new leader asks the CRM itself (and shares that answer), fresh or not.
    p.on(Event::LeaderData { at: T0 + 1.0 }, T0 + 1.0, 1.0);
    let a = p.on(Event::Elected, T0 + 2.0, 1.0);
    let own = a.fetch.expect("what it only heard is asked for");
    assert_eq!(a.post, [], "the answer is shared when it comes");
    // A tab reloaded meanwhile says Hello: it gets what there is at once.
    assert_eq!(p.on(Event::PeerHello, T0 + 3.0, 1.0).post, [Post::Share]);
    p.on(done(own, Outcome::Success), T0 + 4.0, 1.0);
    // Elected again with an answer of its own, fresh:
    // no request, and a Hello that went unheard in the hand-over is answered now.
    p.on(Event::Joined, T0 + 5.0, 1.0);
    let a = p.on(Event::Elected, T0 + 6.0, 1.0);
    assert_eq!((a.fetch, a.post), (None, vec![Post::Share]));
    // Nothing yet: nothing to share (a Hello then makes it fetch, as below).
    let mut empty = Policy::new(false);
    empty.on(Event::Joined, T0, 1.0);
    assert_eq!(empty.on(Event::Elected, T0, 1.0).post, []);
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
    p.on(done(first, Outcome::Success), T0, 1.0);
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

#[test]
fn a_lost_request_backs_off_like_any_transient_failure() {
    let (mut p, first) = subscribed(10);
    // Lost at its time-out plus grace; the retry waits the interval (first failure).
    p.on(Event::Timer, T0 + 15_000.0, 1.0);
    assert!(!p.is_current(first));
    assert_eq!(p.next_attempt_at(), Some(T0 + 25_000.0));
    assert!(p.on(Event::Timer, T0 + 25_000.0, 1.0).fetch.is_some());
}

#[test]
fn hidden_followers_do_not_ask_for_refreshes() {
    let mut p = Policy::new(true);
    p.on(Event::Joined, T0, 1.0);
    let a = p.on(subscribe(1, 2, 5_000), T0, 1.0);
    assert_eq!(a.post, [Post::Hello], "no Wanted while hidden");
    let a = p.on(Event::PageBack, T0 + 1.0, 1.0);
    assert!(a.post.contains(&Post::Wanted {
        interval_ms: 2_000.0
    }));
}

#[test]
fn a_new_instance_retries_a_stopped_feed() {
    let (mut p, first) = subscribed(30);
    p.on(done(first, Outcome::SignedOut), T0, 1.0);
    let a = p.on(subscribe(2, 30, 5_000), T0 + 1.0, 1.0);
    assert!(
        a.fetch.is_some(),
        "mounted after signing in again: ask at once"
    );
}

#[test]
fn a_tab_elected_while_its_user_waits_fetches_for_them() {
    let mut p = Policy::new(false);
    p.on(Event::Joined, T0, 1.0);
    p.on(subscribe(1, 30, 5_000), T0, 1.0);
    p.on(Event::LeaderData { at: T0 }, T0 + 1.0, 1.0);
    let a = p.on(Event::Refresh, T0 + 2.0, 1.0);
    assert_eq!(a.post, [Post::Refresh]);
    // The old leader closes before answering: the new one makes the request.
    let a = p.on(Event::Elected, T0 + 3.0, 1.0);
    assert!(a.fetch.is_some(), "the click is not lost");
}

mod pauses;

/// A leader with an answer of its own, at `T0`, refreshing every `seconds`.
fn leader(seconds: u32) -> Policy {
    let (mut p, first) = subscribed(seconds);
    p.on(Event::Joined, T0, 1.0);
    p.on(Event::Elected, T0, 1.0);
    p.on(done(first, Outcome::Success), T0, 1.0);
    p
}

#[test]
fn refreshes_other_tabs_ask_for_are_rate_limited() {
    let mut p = leader(60);
    // A script of the origin posting "refresh" in a loop: one fetch per gap.
    let mut fetches = 0;
    let mut at = T0;
    while at < T0 + 60_000.0 {
        let a = p.on(Event::PeerRefresh, at, 1.0);
        if let Some(id) = a.fetch {
            fetches += 1;
            p.on(done(id, Outcome::Success), at + 10.0, 1.0);
        }
        at += 50.0;
    }
    assert_eq!(fetches as f64, 60_000.0 / PEER_FETCH_GAP_MS - 1.0);
    // The tab's own user is never held back.
    let a = p.on(Event::Refresh, at, 1.0);
    assert!(a.fetch.is_some(), "the user's Refresh fetches at once");
}

#[test]
fn a_refused_peer_refresh_is_answered_with_what_the_poller_has() {
    let mut p = leader(60);
    let a = p.on(Event::PeerRefresh, T0 + 2_000.0, 1.0);
    assert_eq!(a.fetch, None, "the last fetch is 2 s old");
    assert_eq!(a.post, [Post::Share], "the asker gets the 2-s-old answer");
}

#[test]
fn another_tab_never_cuts_a_servers_pause() {
    let (mut p, first) = subscribed(10);
    p.on(Event::Joined, T0, 1.0);
    p.on(Event::Elected, T0, 1.0);
    p.on(
        Event::Done {
            request: first,
            outcome: Outcome::Transient,
            not_before: Some(T0 + 120_000.0),
        },
        T0,
        1.0,
    );
    for at in [T0 + 10_000.0, T0 + 60_000.0, T0 + 119_000.0] {
        assert_eq!(p.on(Event::PeerRefresh, at, 1.0).fetch, None, "{at}");
        assert_eq!(p.on(Event::PeerHello, at, 1.0).fetch, None, "{at}");
    }
    assert!(
        p.on(Event::Refresh, T0 + 60_000.0, 1.0).fetch.is_some(),
        "the user may"
    );
}

#[test]
fn shares_for_other_tabs_are_coalesced() {
    let mut p = leader(60);
    // Hellos and asks in a loop: one share per gap, the last one at its end.
    let mut shares = 0;
    let mut at = T0 + SHARE_GAP_MS;
    while at < T0 + 10.0 * SHARE_GAP_MS {
        for event in [Event::PeerHello, Event::PeerAsk] {
            shares += p.on(event, at, 1.0).post.len();
        }
        if p.wake_at().is_some_and(|wake| wake <= at) {
            shares += p.on(Event::Timer, at, 1.0).post.len();
        }
        at += 10.0;
    }
    assert!(shares <= 10, "{shares} shares in 9 gaps");
    assert!(
        p.wake_at().is_some_and(|wake| wake <= at + SHARE_GAP_MS),
        "one more due"
    );
    assert_eq!(
        p.on(Event::Timer, at + SHARE_GAP_MS, 1.0).post,
        [Post::Share]
    );
    assert_eq!(
        p.on(Event::Timer, at + 2.0 * SHARE_GAP_MS, 1.0).post,
        [],
        "then quiet"
    );
}

#[test]
fn a_wanted_interval_is_never_below_the_widgets_minimum() {
    let mut p = leader(60);
    p.on(Event::PeerWanted { interval_ms: 1.0 }, T0 + 1.0, 1.0);
    assert_eq!(p.interval_ms(), Some(MIN_PEER_INTERVAL_MS as f64));
}

#[test]
fn a_pause_heard_from_another_tab_holds_no_longer_than_the_widgets_longest_backoff() {
    let mut p = Policy::new(false);
    p.on(Event::Joined, T0, 1.0);
    p.on(subscribe(1, 30, 10_000), T0, 1.0);
    p.on(
        Event::LeaderFailed {
            outcome: Outcome::Transient,
            next: Some(T0 + 86_400_000.0),
            paused: true,
        },
        T0,
        1.0,
    );
    // The leader goes; this tab is elected and polls no later than the bound.
    let a = p.on(Event::Elected, T0 + 1.0, 1.0);
    assert_eq!(a.fetch, None, "within the heard pause");
    assert!(p.wake_at().is_some_and(|at| at <= T0 + MAX_HEARD_WAIT_MS));
    let a = p.on(Event::Timer, T0 + MAX_HEARD_WAIT_MS, 1.0);
    assert!(a.fetch.is_some(), "asks the CRM itself then");
}
