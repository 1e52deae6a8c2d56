//! The widget's clock: the computer's time, except that it never goes back. It is
//! the page's monotonic time (`performance.now()`, which no clock change moves) plus
//! an offset that follows the computer's clock forward (after the machine slept, or
//! the clock was set ahead) but never back (time sync, a restored VM). Scheduling
//! on it never stalls for the hour a clock was set back, and what people read
//! ("Updated 3 min ago", a watch's age) never goes negative.

/// The offset from the monotonic time to the widget's time, raised as needed.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Clock {
    offset: Option<f64>,
}

impl Clock {
    /// The widget's time (ms since the epoch) for the computer's time `wall` and the
    /// page's monotonic time `monotonic`.
    pub fn now(&mut self, wall: f64, monotonic: f64) -> f64 {
        let ahead = wall - monotonic;
        let offset = self.offset.map_or(ahead, |offset| offset.max(ahead));
        self.offset = Some(offset);
        monotonic + offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_the_computers_clock_forward_never_back() {
        let mut clock = Clock::default();
        let start = 1_800_000_000_000.0;
        assert_eq!(clock.now(start, 10.0), start);
        assert_eq!(clock.now(start + 1_000.0, 1_010.0), start + 1_000.0);
        // The clock is set back an hour: time goes on from where it was.
        let hour = 3_600_000.0;
        assert_eq!(clock.now(start + 2_000.0 - hour, 2_010.0), start + 2_000.0);
        assert_eq!(clock.now(start + 3_000.0 - hour, 3_010.0), start + 3_000.0);
        // The machine slept two hours (the monotonic time did not move): followed.
        assert_eq!(
            clock.now(start + 3_000.0 - hour + 2.0 * hour, 3_020.0),
            start + 3_000.0 + hour
        );
        // Never back, whatever the two say.
        let mut last = 0.0;
        for (wall, mono) in [(5.0, 1.0), (1.0, 2.0), (9.0, 3.0), (2.0, 3.0), (2.0, 4.0)] {
            let now = clock.now(start + wall, 4_000.0 + mono);
            assert!(now >= last);
            last = now;
        }
    }
}
