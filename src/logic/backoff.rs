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

/// Longest `Retry-After` honoured: a server may ask for a pause, not for a widget
/// that never comes back.
pub const MAX_RETRY_AFTER_MS: f64 = 3_600_000.0;

/// The wait a `Retry-After` header asks for at `now` (ms since the epoch): delay
/// seconds ("120") or an HTTP date ("Wed, 21 Oct 2015 07:28:00 GMT"), at most
/// [`MAX_RETRY_AFTER_MS`]; a date in the past asks for no wait. `None` when the value
/// is neither.
pub fn retry_after_ms(value: &str, now: f64) -> Option<f64> {
    let value = value.trim();
    let wait = if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Beyond u32 the server asks for more than the cap anyway.
        value
            .parse::<u32>()
            .map_or(f64::MAX, |s| f64::from(s) * 1000.0)
    } else {
        http_date_ms(value)? - now
    };
    Some(wait.clamp(0.0, MAX_RETRY_AFTER_MS))
}

/// An HTTP date in ms since the epoch: the IMF-fixdate RFC 9110 prefers, and the
/// two obsolete forms (RFC 850 and asctime) it says a recipient must accept.
fn http_date_ms(value: &str) -> Option<f64> {
    let time = httpdate::parse_http_date(value.trim()).ok()?;
    let since = time.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some(since.as_secs() as f64 * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    // In the browser too: HTTP dates go through std's time types, which differ there.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn retry_after_reads_seconds_and_http_dates_capped_at_an_hour() {
        let now = 1_445_412_480_000.0; // Wed, 21 Oct 2015 07:28:00 GMT
        assert_eq!(retry_after_ms("12", now), Some(12_000.0));
        assert_eq!(retry_after_ms(" 0 ", now), Some(0.0));
        assert_eq!(retry_after_ms("99999999999", now), Some(MAX_RETRY_AFTER_MS));
        assert_eq!(
            retry_after_ms("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(0.0)
        );
        assert_eq!(
            retry_after_ms("Wed, 21 Oct 2015 07:29:30 GMT", now),
            Some(90_000.0)
        );
        // RFC 9110's obsolete forms, which a recipient must accept.
        assert_eq!(
            retry_after_ms("Wednesday, 21-Oct-15 07:29:30 GMT", now),
            Some(90_000.0),
            "RFC 850"
        );
        assert_eq!(
            retry_after_ms("Wed Oct 21 07:29:30 2015", now),
            Some(90_000.0),
            "asctime"
        );
        assert_eq!(
            retry_after_ms("Wed, 21 Oct 2015 07:27:00 GMT", now),
            Some(0.0),
            "past"
        );
        assert_eq!(
            retry_after_ms("Thu, 22 Oct 2015 07:28:00 GMT", now),
            Some(MAX_RETRY_AFTER_MS)
        );
        assert_eq!(
            retry_after_ms("Sun, 06 Nov 1994 08:49:37 GMT", 784_111_777_000.0),
            Some(0.0)
        );
        assert_eq!(
            retry_after_ms("Tue, 29 Feb 2028 00:00:10 GMT", 1_835_395_200_000.0),
            Some(10_000.0)
        );
        for junk in [
            "",
            "-5",
            "1.5",
            "soon",
            "Wed, 21 Oct 2015 07:28:00 CET",
            "Wed, 32 Oct 2015 07:28:00 GMT",
            "Wed, 21 Foo 2015 07:28:00 GMT",
            "Wed 21 Oct 2015 07:28:00 GMT",
        ] {
            assert_eq!(retry_after_ms(junk, now), None, "{junk:?}");
        }
    }

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
