//! The time, ticking once a second for the "Updated … ago" lines: one timer for the
//! whole page, running only while some panel shows it. (leptos-use's
//! `use_interval` would run one timer per panel, and bring a dependency of its own
//! for these forty lines.)

use crate::browser::timer::{now_ms, Timeout};
use leptos::prelude::*;
use std::cell::RefCell;

struct Clock {
    now: ArcRwSignal<f64>,
    tick: Option<Timeout>,
    users: usize,
}

thread_local! {
    static CLOCK: RefCell<Option<Clock>> = const { RefCell::new(None) };
}

fn tick() {
    let now = CLOCK.with(|clock| {
        let mut clock = clock.borrow_mut();
        let clock = clock.as_mut()?;
        clock.tick = Some(Timeout::start(1000, tick));
        Some(clock.now.clone())
    });
    if let Some(now) = now {
        now.set(now_ms());
    }
}

/// The current time (ms since the epoch), updated every second for as long as the
/// calling owner lives.
pub fn use_clock() -> ArcRwSignal<f64> {
    let now = CLOCK.with(|clock| {
        let mut clock = clock.borrow_mut();
        let clock = clock.get_or_insert_with(|| Clock {
            now: ArcRwSignal::new(now_ms()),
            tick: Some(Timeout::start(1000, tick)),
            users: 0,
        });
        clock.users += 1;
        clock.now.clone()
    });
    on_cleanup(|| {
        let stopped = CLOCK.with(|clock| {
            let mut slot = clock.borrow_mut();
            let last = slot.as_mut().is_some_and(|clock| {
                clock.users = clock.users.saturating_sub(1);
                clock.users == 0
            });
            if last {
                slot.take()
            } else {
                None
            }
        });
        // Dropped outside the borrow: the timer's callback may not run meanwhile.
        drop(stopped);
    });
    now
}
