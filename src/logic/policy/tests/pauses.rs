//! Who may cut a backoff short, servers' pauses, and tabs that take over.

use super::*;

#[test]
fn only_the_users_own_retry_cuts_a_backoff_short() {
    let (mut p, first) = subscribed(2);
    p.on(Event::Elected, T0, 1.0);
    p.on(done(first, Outcome::Transient), T0 + 100.0, 1.0);
    // Three failures: a backoff longer than the gaps that bound other tabs' asks.
    for _ in 0..2 {
        let at = p.wake_at().expect("a retry is planned");
        let again = p.on(Event::Timer, at, 1.0).fetch.expect("retried");
        p.on(done(again, Outcome::Transient), at + 100.0, 1.0);
    }
    let retry_at = p.wake_at().expect("a retry is planned");
    let soon = retry_at - 1_000.0;
    assert!(
        retry_at - 8_000.0 + PEER_FETCH_GAP_MS < soon,
        "past the gaps"
    );
    // A follower whose data is overdue asks: it hears what this tab has, nothing more.
    let a = p.on(Event::PeerAsk, soon, 1.0);
    assert_eq!((a.fetch, a.post), (None, vec![Post::Share]));
    assert_eq!(
        p.on(
            Event::PeerWanted {
                interval_ms: 2_000.0
            },
            soon,
            1.0
        )
        .fetch,
        None
    );
    p.on(Event::PageHidden, soon, 1.0);
    assert_eq!(
        p.on(Event::PageBack, soon, 1.0).fetch,
        None,
        "focus is not a retry"
    );
    assert!(
        p.on(Event::PeerRefresh, soon, 1.0).fetch.is_some(),
        "a user's Retry in another tab is"
    );
}

#[test]
fn a_refusal_is_asked_again_only_by_a_user() {
    let (mut p, first) = subscribed(2);
    p.on(done(first, Outcome::Refused), T0 + 100.0, 1.0);
    let later = T0 + 60_000.0;
    assert_eq!(p.on(Event::PageHidden, later, 1.0).fetch, None);
    assert_eq!(
        p.on(Event::PageBack, later, 1.0).fetch,
        None,
        "a 403 is not polled on focus"
    );
    assert_eq!(p.on(Event::Timer, later, 1.0).fetch, None);
    assert!(p.on(Event::Refresh, later, 1.0).fetch.is_some());
}

#[test]
fn an_overdue_follower_asks_and_a_quiet_leaders_backoff_still_holds() {
    let mut p = Policy::new(false);
    p.on(Event::Joined, T0, 1.0);
    p.on(subscribe(1, 2, 5_000), T0, 1.0);
    p.on(Event::LeaderData { at: T0 }, T0, 1.0);
    // Overdue (more than two intervals and a time-out): an ask, never a Refresh.
    let a = p.on(Event::Timer, T0 + 10_000.0, 1.0);
    assert!(
        a.post.contains(&Post::Ask) && !a.post.contains(&Post::Refresh),
        "{a:?}"
    );
    // The leader answers that it is backing off until +60 s.
    p.on(
        Event::LeaderFailed {
            outcome: Outcome::Transient,
            next: Some(T0 + 60_000.0),
            paused: false,
        },
        T0 + 10_100.0,
        1.0,
    );
    assert_eq!(
        p.on(Event::Elected, T0 + 11_000.0, 1.0).fetch,
        None,
        "the new poller waits it out"
    );
    assert_eq!(p.wake_at(), Some(T0 + 60_000.0));
}

#[test]
fn a_servers_pause_holds_every_automatic_attempt() {
    let (mut p, first) = subscribed(2);
    let until = T0 + 3_600_000.0;
    let busy = Event::Done {
        request: first,
        outcome: Outcome::Transient,
        not_before: Some(until),
    };
    p.on(busy, T0 + 100.0, 1.0);
    assert_eq!(p.wake_at(), Some(until), "not the 2 s backoff");
    assert_eq!(
        p.next_attempt_at(),
        Some(until),
        "what the other tabs are told"
    );
    assert_eq!(p.on(Event::Timer, T0 + 2_100.0, 1.0).fetch, None);
    assert!(
        p.on(Event::Refresh, T0 + 2_200.0, 1.0).fetch.is_some(),
        "the user's Retry"
    );
}

#[test]
fn the_network_back_ends_a_backoff_but_not_a_servers_pause() {
    let (mut p, first) = subscribed(2);
    p.on(done(first, Outcome::Transient), T0 + 100.0, 1.0);
    let second = p.on(Event::Timer, p.wake_at().unwrap(), 1.0).fetch.unwrap();
    p.on(done(second, Outcome::Transient), T0 + 3_000.0, 1.0);
    assert!(p.wake_at().unwrap() > T0 + 5_000.0, "backing off");
    let back = p.on(Event::Online, T0 + 4_000.0, 1.0);
    let third = back.fetch.expect("asked at once when the network is back");
    let busy = Event::Done {
        request: third,
        outcome: Outcome::Transient,
        not_before: Some(T0 + 600_000.0),
    };
    p.on(busy, T0 + 4_100.0, 1.0);
    assert_eq!(
        p.on(Event::Online, T0 + 5_000.0, 1.0).fetch,
        None,
        "the server asked for a pause"
    );
}

#[test]
fn a_tab_that_took_over_follows_its_leader_again_when_it_is_heard() {
    let mut p = Policy::new(false);
    p.on(Event::Joined, T0, 1.0);
    p.on(subscribe(1, 2, 5_000), T0, 1.0);
    // The leader never answers the hello: this tab polls alone.
    let a = p.on(Event::Timer, T0 + 10_000.0, 1.0);
    assert_eq!(p.role(), Role::Solo);
    assert!(a.fetch.is_some());
    // The old leader is back (its data arrives): one poller again.
    p.on(Event::LeaderHeard, T0 + 11_000.0, 1.0);
    assert_eq!(p.role(), Role::Follower);
    p.on(Event::LeaderData { at: T0 + 11_000.0 }, T0 + 11_000.0, 1.0);
    for t in 1..20 {
        let a = p.on(Event::Timer, T0 + 11_000.0 + f64::from(t) * 1_000.0, 1.0);
        assert_eq!(a.fetch, None, "a follower again");
    }
    // A tab polling alone for want of Web Locks is never a follower.
    let (mut solo, _) = subscribed(2);
    solo.on(Event::LeaderHeard, T0 + 1.0, 1.0);
    assert_eq!(solo.role(), Role::Solo);
}

#[test]
fn a_servers_pause_told_by_the_leader_holds_through_a_takeover_and_the_network() {
    let mut p = Policy::new(false);
    p.on(Event::Joined, T0, 1.0);
    p.on(subscribe(1, 2, 5_000), T0, 1.0);
    // Half an hour, as the leader says: held for as long as another tab's word
    // goes (MAX_HEARD_WAIT_MS), then the CRM itself is asked.
    let until = T0 + 100.0 + MAX_HEARD_WAIT_MS;
    p.on(
        Event::LeaderFailed {
            outcome: Outcome::Transient,
            next: Some(T0 + 1_800_000.0),
            paused: true,
        },
        T0 + 100.0,
        1.0,
    );
    assert_eq!(p.on(Event::Elected, T0 + 1_000.0, 1.0).fetch, None);
    assert_eq!(
        p.on(Event::Online, T0 + 2_000.0, 1.0).fetch,
        None,
        "the network is not the server"
    );
    assert_eq!(p.wake_at(), Some(until));
}
