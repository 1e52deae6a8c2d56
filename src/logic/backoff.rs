//! When to try again after failures: the refresh interval doubled per failure in a
//! row, capped at five minutes, spread by jitter so that many browsers that failed
//! together do not retry together.

/// Longest wait between attempts after repeated failures.
pub const MAX_BACKOFF_MS: f64 = 300_000.0;

/// Wait before the next attempt after `failures` transient failures in a row;
/// `jitter` is a factor from 0.8 to 1.2 (random in the browser).
pub fn backoff_ms(interval_ms: f64, failures: u32, jitter: f64) -> f64 {
    let doubled = interval_ms * 2f64.powi(failures.saturating_sub(1).min(16) as i32);
    doubled.min(MAX_BACKOFF_MS) * jitter.clamp(0.8, 1.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_per_failure_from_the_interval() {
        let waits: Vec<f64> = (1..=5).map(|n| backoff_ms(30_000.0, n, 1.0)).collect();
        assert_eq!(waits, [30_000.0, 60_000.0, 120_000.0, 240_000.0, 300_000.0]);
        assert_eq!(backoff_ms(2_000.0, 0, 1.0), 2_000.0);
    }

    #[test]
    fn never_longer_than_five_minutes_plus_jitter() {
        assert_eq!(backoff_ms(30_000.0, 1_000, 1.0), MAX_BACKOFF_MS);
        assert_eq!(backoff_ms(30_000.0, u32::MAX, 1.2), MAX_BACKOFF_MS * 1.2);
        assert_eq!(backoff_ms(10_000.0, 2, 0.8), 16_000.0);
        assert_eq!(backoff_ms(10_000.0, 2, 7.0), 24_000.0, "jitter is bounded");
    }
}
