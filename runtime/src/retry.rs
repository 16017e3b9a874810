//! When to try again and how long to wait.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

/// Retries for 429, 502, 503, 504 and broken connections.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (HubSpot's SDKs default to 2).
    pub max_retries: u32,
    /// First backoff; doubles each retry, with jitter.
    pub base_delay: Duration,
    /// Longest backoff between two attempts.
    pub max_delay: Duration,
    /// Longest `Retry-After` the client waits out; a longer one (on a 429
    /// or a 503) fails at once with that response's error.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Exponential backoff with jitter for retry number `retry` (0-based):
    /// a random wait between half and all of `base * 2^retry`, capped.
    pub fn backoff(&self, retry: u32) -> Duration {
        let full = self
            .base_delay
            .saturating_mul(1u32 << retry.min(16))
            .min(self.max_delay);
        let half = full / 2;
        half.saturating_add(half.mul_f64(jitter()))
    }
}

/// Status codes worth another attempt.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// `Retry-After` as seconds or an HTTP date. A wait too long for a
/// `Duration` (`1e30`) is `Duration::MAX` (longer than any
/// `max_retry_after`: the call fails at once); a negative or non-finite one
/// is no `Retry-After`. Whoever adds it to a clock cuts it first
/// (`limiter::later`).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    if let Ok(seconds) = value.parse::<f64>() {
        if !seconds.is_finite() || seconds < 0.0 {
            return None;
        }
        return Some(Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX));
    }
    let at = SystemTime::from(super::time::parse_http_date(value)?);
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A number in [0, 1) (no `rand` dependency): SplitMix64 of a step
/// counter. Each call takes its own step with one atomic `fetch_add`, so
/// concurrent retries never read the same state (a load then a store
/// would let two of them share one value and wake together); the
/// mixing is a bijection, so distinct steps give distinct numbers.
pub(crate) fn jitter() -> f64 {
    static SEED: OnceLock<u64> = OnceLock::new();
    static STEP: AtomicU64 = AtomicU64::new(0);
    let seed = *SEED.get_or_init(|| {
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
    });
    let step = STEP.fetch_add(1, Ordering::Relaxed);
    let mut x = seed.wrapping_add(step.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    (x >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_470);
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(
            parse_retry_after("0.5", now),
            Some(Duration::from_millis(500))
        );
        assert_eq!(parse_retry_after("0.0", now), Some(Duration::ZERO));
        // Negative, not a number: unusable, no panic.
        for bad in ["-1", "-0.5", "NaN", "inf", "-inf", "", "soon"] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad}");
        }
        // Too large for a Duration: longer than any wait allowed.
        for huge in ["1e30", "18446744073709551616.0"] {
            assert_eq!(parse_retry_after(huge, now), Some(Duration::MAX), "{huge}");
        }
        assert_eq!(
            parse_retry_after("18446744073709551615", now),
            Some(Duration::from_secs(u64::MAX))
        );
        // A date in the past is now; one far ahead is far ahead.
        assert_eq!(
            parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert!(
            parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now)
                .is_some_and(|d| d > Duration::from_secs(200 * 365 * 86_400))
        );
    }

    #[test]
    fn concurrent_retries_never_share_a_jitter_value() {
        // Threads released together, round after round, as the retries of
        // many calls are: the old load-then-store state gave two of them
        // the same value whenever both loaded before either stored.
        let start = std::sync::Arc::new(std::sync::Barrier::new(4));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let start = start.clone();
                std::thread::spawn(move || {
                    let mut values = Vec::with_capacity(40_000);
                    for _ in 0..400 {
                        start.wait();
                        values.extend((0..100).map(|_| jitter().to_bits()));
                    }
                    values
                })
            })
            .collect();
        let mut seen = std::collections::HashSet::new();
        for thread in threads {
            for value in thread.join().unwrap() {
                assert!(seen.insert(value), "two retries got the same jitter");
            }
        }
        assert_eq!(seen.len(), 160_000);
        assert!(
            seen.iter()
                .all(|bits| (0.0..1.0).contains(&f64::from_bits(*bits)))
        );
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let policy = RetryPolicy::default();
        for retry in 0..10 {
            let d = policy.backoff(retry);
            let full = (policy.base_delay * (1 << retry)).min(policy.max_delay);
            assert!(d >= full / 2 && d <= full, "{retry}: {d:?}");
        }
    }
}
