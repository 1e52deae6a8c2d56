//! The chat queue: who is waiting in which topic, and for how long.
//!
//! SuperOffice writes a session's `whenRequested` without an offset, in the tenant's
//! base zone, unless the request asks `SO-TimeZone: UTC, includeTZOffset`: then in
//! UTC with the offset written, which is exact. A tenant without time zones is not
//! documented to honour the header, and its answers stay naive in a zone the browser
//! does not know. The answer itself tells the two apart ([`Stamp`]). A naive stamp's
//! zone is learnt from sessions that appear between two answers: each was requested
//! between the two, which bounds the distance between the tenant's wall clock and the
//! browser's clock ([`Basis`]). Until that distance is known to within a minute, a
//! topic shows how many wait and no duration: never a wrong one.
//!
//! All times here are the widget's clock (ms since the epoch, kept steady across the
//! computer's clock corrections by [`crate::logic::clock`]).

use std::collections::BTreeMap;

/// How precisely the distance between a naive tenant clock and the browser's must be
/// known before a wait is shown (ms): the waits are shown in whole minutes.
pub const BASIS_PRECISION_MS: f64 = 60_000.0;

/// A datetime as SuperOffice wrote it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Stamp {
    /// Written with its offset: this instant (ms since the epoch).
    Exact(f64),
    /// Written without one: the tenant's wall clock, read as if it were UTC.
    Naive(f64),
}

impl Stamp {
    /// Reads `2026-12-07T10:15:30`, with optional fractions of a second and an
    /// optional offset (`Z`, `+0100`, `+01:00`, `-0530`). SuperOffice's empty date
    /// (`0001-01-01T00:00:00`) and anything before 1970 or after 9999 are `None`.
    pub fn parse(text: &str) -> Option<Stamp> {
        let text = text.trim();
        let (date, rest) = text.split_once('T')?;
        let mut ymd = date.split('-');
        let (year, month, day) = (
            number(ymd.next()?, 4)?,
            number(ymd.next()?, 2)?,
            number(ymd.next()?, 2)?,
        );
        if ymd.next().is_some() || !(1970..=9999).contains(&year) {
            return None;
        }
        let clock_end = rest.find(['Z', '+', '-']).unwrap_or(rest.len());
        let (clock, zone) = rest.split_at(clock_end);
        let clock = clock.split('.').next()?;
        let mut hms = clock.split(':');
        let (hour, minute, second) = (
            number(hms.next()?, 2)?,
            number(hms.next()?, 2)?,
            number(hms.next()?, 2)?,
        );
        if hms.next().is_some()
            || !(1..=12).contains(&month)
            || !(1..=31).contains(&day)
            || hour > 23
            || minute > 59
            || second > 60
        {
            return None;
        }
        let wall = (days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
            as f64
            * 1000.0;
        if zone.is_empty() {
            return Some(Stamp::Naive(wall));
        }
        if zone == "Z" {
            return Some(Stamp::Exact(wall));
        }
        let (sign, offset) = zone.split_at(1);
        let offset = offset.replace(':', "");
        // Digits only before it is cut in two (a byte index inside a character panics).
        if offset.len() != 4 || !offset.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let minutes = number(&offset[..2], 2)? * 60 + number(&offset[2..], 2)?;
        if minutes > 18 * 60 {
            return None;
        }
        let east = if sign == "-" { -minutes } else { minutes };
        Some(Stamp::Exact(wall - (east * 60_000) as f64))
    }
}

/// Exactly `digits` ASCII digits.
fn number(text: &str, digits: usize) -> Option<i64> {
    (text.len() == digits && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// What the widget has learnt of a naive tenant clock: bounds of its distance ahead
/// of the browser's clock (ms), narrowed by every session seen to appear.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Basis {
    bounds: Option<(f64, f64)>,
}

impl Basis {
    /// A session with naive stamp `wall` is in the answer that arrived at `seen_at`
    /// and was not in the one before, asked for at `asked_before`: it was requested
    /// between the two.
    pub fn appeared(&mut self, wall: f64, asked_before: f64, seen_at: f64) {
        // Out of order, or not numbers: nothing learnt.
        if asked_before.partial_cmp(&seen_at).is_none_or(|o| o.is_gt()) {
            return;
        }
        let (low, high) = (wall - seen_at, wall - asked_before);
        self.bounds = match self.bounds {
            None => Some((low, high)),
            Some((l, h)) => {
                let (l, h) = (l.max(low), h.min(high));
                // Bounds that no longer meet: something moved (the tenant's zone
                // changed, a clock jumped). Start again from this session.
                Some(if l <= h { (l, h) } else { (low, high) })
            }
        };
    }

    /// How far the tenant's wall clock runs ahead of the browser's, once known to
    /// within [`BASIS_PRECISION_MS`].
    pub fn ahead_ms(&self) -> Option<f64> {
        let (low, high) = self.bounds?;
        (high - low <= BASIS_PRECISION_MS).then_some((low + high) / 2.0)
    }

    /// How long a session requested at `stamp` has waited at `now`, when known.
    pub fn waited_ms(&self, stamp: Stamp, now: f64) -> Option<f64> {
        let requested = match stamp {
            Stamp::Exact(at) => at,
            Stamp::Naive(wall) => wall - self.ahead_ms()?,
        };
        Some((now - requested).max(0.0))
    }
}

/// A topic's warning thresholds, in minutes (`ChatTopic/{id}`: `WarnNewChatMinutes`,
/// `WarnManagerNewChatMinutes`); 0 or missing: no warning.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Thresholds {
    pub late: Option<u32>,
    pub very_late: Option<u32>,
}

/// How late a topic's longest wait is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Lateness {
    #[default]
    OnTime,
    /// At the agents' warning.
    Late,
    /// At the managers' warning.
    VeryLate,
}

impl Thresholds {
    pub fn lateness(&self, waited_ms: f64) -> Lateness {
        let reached = |minutes: Option<u32>| {
            minutes.is_some_and(|m| m > 0 && waited_ms >= f64::from(m) * 60_000.0)
        };
        if reached(self.very_late) {
            Lateness::VeryLate
        } else if reached(self.late) {
            Lateness::Late
        } else {
            Lateness::OnTime
        }
    }
}

/// A session waiting in the queue.
#[derive(Clone, Debug, PartialEq)]
pub struct Waiting {
    pub id: i32,
    pub topic: i32,
    pub requested: Stamp,
}

/// One topic's queue.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TopicQueue {
    pub count: u32,
    /// How long the longest has waited, when every wait in the topic is known.
    pub longest_ms: Option<f64>,
}

/// The queue per topic at `now`.
pub fn per_topic(waiting: &[Waiting], basis: &Basis, now: f64) -> BTreeMap<i32, TopicQueue> {
    let mut topics: BTreeMap<i32, (u32, Option<f64>, bool)> = BTreeMap::new();
    for session in waiting {
        let entry = topics.entry(session.topic).or_insert((0, None, true));
        entry.0 += 1;
        match basis.waited_ms(session.requested, now) {
            Some(waited) => entry.1 = Some(entry.1.map_or(waited, |w: f64| w.max(waited))),
            None => entry.2 = false,
        }
    }
    topics
        .into_iter()
        .map(|(topic, (count, longest, known))| {
            (
                topic,
                TopicQueue {
                    count,
                    longest_ms: longest.filter(|_| known),
                },
            )
        })
        .collect()
}

/// Learns the tenant's clock from the sessions of an answer that arrived at `seen_at`
/// and were not in the answer before it (`before`, asked for at `asked_before`).
pub fn learn(
    basis: &mut Basis,
    before: &[Waiting],
    now: &[Waiting],
    asked_before: f64,
    seen_at: f64,
) {
    for session in now {
        if let Stamp::Naive(wall) = session.requested {
            if !before.iter().any(|b| b.id == session.id) {
                basis.appeared(wall, asked_before, seen_at);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: f64 = 60_000.0;
    /// 2026-12-07T09:35:30Z.
    const NOW: f64 = 1_796_636_130_000.0;

    #[test]
    fn stamps_are_exact_only_with_their_offset() {
        for exact in [
            "2026-12-07T09:35:30Z",
            "2026-12-07T09:35:30+0000",
            "2026-12-07T10:35:30+01:00",
            "2026-12-07T04:05:30-0530",
            "2026-12-07T09:35:30.123+0000",
        ] {
            assert_eq!(Stamp::parse(exact), Some(Stamp::Exact(NOW)), "{exact}");
        }
        assert_eq!(
            Stamp::parse("2026-12-07T10:35:30"),
            Some(Stamp::Naive(NOW + 60.0 * MINUTE))
        );
        for bad in [
            "0001-01-01T00:00:00",
            "2026-13-07T10:35:30",
            "2026-12-07 10:35:30",
            "2026-12-07T25:00:00",
            "2026-12-07T10:35",
            "2026-12-07T10:35:30+1",
            "2026-12-07T10:35:30+2500",
            "2026-12-07T10:35:30+1é1",
            "2026-12-07T10:35:30+é12",
            "26-12-07T10:35:30",
            "",
            "T",
            "2026-12-07T10:35:30:00",
        ] {
            assert_eq!(Stamp::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_exact_stamp_gives_its_wait_at_once() {
        let basis = Basis::default();
        assert_eq!(
            basis.waited_ms(Stamp::Exact(NOW - 7.0 * MINUTE), NOW),
            Some(7.0 * MINUTE)
        );
        assert_eq!(
            basis.waited_ms(Stamp::Exact(NOW + MINUTE), NOW),
            Some(0.0),
            "never negative"
        );
        assert_eq!(
            basis.waited_ms(Stamp::Naive(NOW), NOW),
            None,
            "a naive one waits for its zone"
        );
    }

    /// A tenant an hour ahead of UTC, polled every 30 s: sessions that appear between
    /// two answers fix its clock, and the waits are right from then on.
    #[test]
    fn a_naive_clock_in_another_zone_is_learnt_from_sessions_that_appear() {
        let zone = 60.0 * MINUTE;
        let mut basis = Basis::default();
        let old = Waiting {
            id: 1,
            topic: 11,
            requested: Stamp::Naive(NOW - 7.0 * MINUTE + zone),
        };
        // The first answer: nothing appeared (there was no answer before it).
        assert_eq!(
            per_topic(std::slice::from_ref(&old), &basis, NOW)[&11],
            TopicQueue {
                count: 1,
                longest_ms: None
            }
        );
        // A customer asks 10 s after the first answer was asked for; the next answer,
        // 30 s later, has them.
        let new = Waiting {
            id: 2,
            topic: 11,
            requested: Stamp::Naive(NOW + 10_000.0 + zone),
        };
        learn(
            &mut basis,
            std::slice::from_ref(&old),
            &[old.clone(), new.clone()],
            NOW,
            NOW + 30_000.0,
        );
        let ahead = basis.ahead_ms().expect("known within a minute");
        assert!((ahead - zone).abs() <= 30_000.0, "{ahead}");
        let queue = per_topic(&[old, new], &basis, NOW + 30_000.0)[&11];
        assert_eq!(queue.count, 2);
        let longest = queue.longest_ms.expect("known");
        assert!(
            (longest - (7.0 * MINUTE + 30_000.0)).abs() <= 30_000.0,
            "{longest}"
        );
    }

    #[test]
    fn a_basis_too_loose_shows_no_duration() {
        let mut basis = Basis::default();
        // Answers five minutes apart (a hidden tab): the window is too wide.
        basis.appeared(NOW, NOW - 5.0 * MINUTE, NOW);
        assert_eq!(basis.ahead_ms(), None);
        // A later, closer pair narrows it.
        basis.appeared(
            NOW + 10.0 * MINUTE,
            NOW + 10.0 * MINUTE - 20_000.0,
            NOW + 10.0 * MINUTE,
        );
        assert!(basis.ahead_ms().is_some());
        // Bounds that no longer meet (the computer's clock set back an hour under the
        // widget would not do this: its clock is steady) start again.
        basis.appeared(NOW + 3.0 * 60.0 * MINUTE, NOW, NOW + 10_000.0);
        assert_eq!(basis.ahead_ms(), Some(3.0 * 60.0 * MINUTE - 5_000.0));
        // Times out of order are ignored.
        let before = basis;
        basis.appeared(NOW, NOW + 1.0, NOW);
        assert_eq!(basis, before);
    }

    #[test]
    fn thresholds_mark_late_and_very_late() {
        let thresholds = Thresholds {
            late: Some(2),
            very_late: Some(5),
        };
        assert_eq!(thresholds.lateness(MINUTE), Lateness::OnTime);
        assert_eq!(thresholds.lateness(2.0 * MINUTE), Lateness::Late);
        assert_eq!(thresholds.lateness(5.0 * MINUTE), Lateness::VeryLate);
        assert_eq!(
            Thresholds {
                late: Some(0),
                very_late: None
            }
            .lateness(99.0 * MINUTE),
            Lateness::OnTime
        );
        assert_eq!(
            Thresholds::default().lateness(99.0 * MINUTE),
            Lateness::OnTime
        );
    }

    #[test]
    fn topics_count_every_session_and_the_longest_wait() {
        let basis = Basis::default();
        let at = |id, topic, minutes: f64| Waiting {
            id,
            topic,
            requested: Stamp::Exact(NOW - minutes * MINUTE),
        };
        let queues = per_topic(
            &[at(1, 11, 3.0), at(2, 11, 7.0), at(3, 12, 1.0)],
            &basis,
            NOW,
        );
        assert_eq!(
            queues[&11],
            TopicQueue {
                count: 2,
                longest_ms: Some(7.0 * MINUTE)
            }
        );
        assert_eq!(
            queues[&12],
            TopicQueue {
                count: 1,
                longest_ms: Some(MINUTE)
            }
        );
        // One wait unknown in a topic: its count, and no duration.
        let mixed = [
            at(1, 11, 3.0),
            Waiting {
                id: 2,
                topic: 11,
                requested: Stamp::Naive(NOW),
            },
        ];
        assert_eq!(
            per_topic(&mixed, &basis, NOW)[&11],
            TopicQueue {
                count: 2,
                longest_ms: None
            }
        );
    }
}
