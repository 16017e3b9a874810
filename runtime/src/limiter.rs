//! Client-side rate limiting. A [`RateLimiter`] hands out a [`Permit`]
//! before each request and takes it back when the response is in. The
//! in-process [`InProcessLimiter`] is the default; with the `redis` feature,
//! `RedisRateLimiter` shares one budget among many processes.
//!
//! A permit counts against its window from the moment it is taken until a
//! full window after the response arrived. HubSpot counts a request when it
//! receives it, which is somewhere in between, so a client never has more
//! requests in any of HubSpot's windows than the limit, however late the
//! network delivers them.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// HubSpot's ten-secondly limit for private apps on most tiers, and for
/// OAuth apps (per app and account).
pub const DEFAULT_LIMIT: Limit = Limit::new(100, Duration::from_secs(10));

/// HubSpot's limit on the CRM search endpoints: five requests per second
/// (per account), from its API usage guidelines.
pub const DEFAULT_SEARCH_LIMIT: Limit = Limit::new(5, Duration::from_secs(1));

/// The longest time this runtime adds to a clock reading: every pause,
/// window and hold is cut to it first, so no header or configuration can
/// overflow an `Instant` (which panics) or a Redis expiry.
pub const LONGEST_WAIT: Duration = Duration::from_secs(24 * 60 * 60);

/// Requests per interval adopted from `X-HubSpot-RateLimit-Max`: a larger
/// figure is cut to 10,000; 0 is ignored (HubSpot refuses with a 429, it
/// does not announce a limit of nothing).
pub const ADOPTED_MAX: std::ops::RangeInclusive<u32> = 1..=10_000;

/// Shortest and longest interval adopted from
/// `X-HubSpot-RateLimit-Interval-Milliseconds` (0 is ignored, the rest
/// clamped). HubSpot's burst limits are per second and per ten seconds; a
/// longer announced interval would hold a slot (and a pause after
/// `-Remaining: 0`) for that long.
pub const ADOPTED_INTERVAL: std::ops::RangeInclusive<Duration> =
    Duration::from_millis(100)..=Duration::from_secs(60);

/// `now + wait`, with `wait` cut to [`LONGEST_WAIT`]: never panics.
pub(crate) fn later(now: Instant, wait: Duration) -> Instant {
    now.checked_add(wait.min(LONGEST_WAIT)).unwrap_or(now)
}

/// At most `max` requests per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Requests allowed in one window (at least 1).
    pub max: u32,
    /// The rolling window.
    pub window: Duration,
}

impl Limit {
    /// `max` requests per `window`.
    pub const fn new(max: u32, window: Duration) -> Self {
        Self {
            max: if max == 0 { 1 } else { max },
            window,
        }
    }
}

/// Which budget a request draws on (decided by the generator per operation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RateClass {
    /// The app's general limit (ten-secondly).
    Standard,
    /// A CRM search endpoint: the general limit and the search limit both.
    Search,
    /// A search endpoint HubSpot exempts from the ten-secondly limit
    /// (`x-hubspot-rate-limit-exemptions`): the search limit only.
    SearchOnly,
}

impl RateClass {
    /// Draws on the general budget.
    pub fn uses_general(self) -> bool {
        matches!(self, RateClass::Standard | RateClass::Search)
    }

    /// Draws on the search budget.
    pub fn uses_search(self) -> bool {
        matches!(self, RateClass::Search | RateClass::SearchOnly)
    }
}

/// What HubSpot said about its limits on one response (`X-HubSpot-RateLimit-*`).
/// Every field is `None` when the response did not carry that header.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimitHeaders {
    /// `-Max`: requests allowed per interval.
    pub max: Option<u64>,
    /// `-Remaining`: requests left in the current interval.
    pub remaining: Option<u64>,
    /// `-Interval-Milliseconds`: the interval `max` applies to.
    pub interval: Option<Duration>,
    /// `-Secondly`: requests allowed per second.
    pub secondly: Option<u64>,
    /// `-Secondly-Remaining`: requests left in the current second.
    pub secondly_remaining: Option<u64>,
    /// `-Daily`: requests allowed per day.
    pub daily: Option<u64>,
    /// `-Daily-Remaining`: requests left today.
    pub daily_remaining: Option<u64>,
}

impl RateLimitHeaders {
    /// Reads the headers of a response.
    pub fn from_headers(headers: &http::HeaderMap) -> Self {
        let number =
            |name: &str| -> Option<u64> { headers.get(name)?.to_str().ok()?.trim().parse().ok() };
        Self {
            max: number("x-hubspot-ratelimit-max"),
            remaining: number("x-hubspot-ratelimit-remaining"),
            interval: number("x-hubspot-ratelimit-interval-milliseconds")
                .filter(|ms| *ms > 0)
                .map(Duration::from_millis),
            secondly: number("x-hubspot-ratelimit-secondly"),
            secondly_remaining: number("x-hubspot-ratelimit-secondly-remaining"),
            daily: number("x-hubspot-ratelimit-daily"),
            daily_remaining: number("x-hubspot-ratelimit-daily-remaining"),
        }
    }

    /// Fields present in `newer` replace those here.
    pub(crate) fn update(&mut self, newer: &Self) {
        let keep = |old: &mut Option<u64>, new: Option<u64>| *old = new.or(*old);
        keep(&mut self.max, newer.max);
        keep(&mut self.remaining, newer.remaining);
        self.interval = newer.interval.or(self.interval);
        keep(&mut self.secondly, newer.secondly);
        keep(&mut self.secondly_remaining, newer.secondly_remaining);
        keep(&mut self.daily, newer.daily);
        keep(&mut self.daily_remaining, newer.daily_remaining);
    }

    /// The ten-secondly limit these headers announce, if they do, bounded
    /// by `ADOPTED_MAX` (1..=10,000) and `ADOPTED_INTERVAL` (100 ms..=60 s); `None` for a `Max` of 0.
    pub fn limit(&self) -> Option<Limit> {
        let max = self.max.filter(|max| *max > 0)?;
        let max = u32::try_from(max).unwrap_or(u32::MAX);
        let max = max.clamp(*ADOPTED_MAX.start(), *ADOPTED_MAX.end());
        Some(Limit::new(max, self.window()?))
    }

    /// `-Interval-Milliseconds` within `ADOPTED_INTERVAL` (100 ms..=60 s).
    pub fn window(&self) -> Option<Duration> {
        let interval = self.interval?;
        Some(interval.clamp(*ADOPTED_INTERVAL.start(), *ADOPTED_INTERVAL.end()))
    }

    /// `-Remaining: 0` from headers that do not contradict themselves (a
    /// `Max` of 0 is nonsense, and so is its `Remaining`).
    pub fn spent(&self) -> bool {
        self.remaining == Some(0) && self.max != Some(0)
    }
}

/// The future a [`RateLimiter`] returns.
pub type LimiterFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Why a limiter could not hand out a permit (e.g. its Redis is unreachable).
#[derive(Debug)]
pub struct LimiterError {
    source: Box<dyn std::error::Error + Send + Sync>,
    daily_limit: bool,
}

impl LimiterError {
    /// Wraps the cause (its text must hold no credentials).
    pub fn new(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self {
            source: source.into(),
            daily_limit: false,
        }
    }

    /// A `DAILY` 429 was seen and its pause is not over: the client
    /// reports `Error::DailyLimitExceeded` without sending anything.
    pub fn daily_limit_spent() -> Self {
        Self {
            source: "HubSpot's daily limit was spent; nothing is sent until the daily pause ends"
                .into(),
            daily_limit: true,
        }
    }

    /// Made by [`LimiterError::daily_limit_spent`].
    pub fn is_daily_limit(&self) -> bool {
        self.daily_limit
    }
}

impl std::fmt::Display for LimiterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.source.fmt(f)
    }
}

impl std::error::Error for LimiterError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// Leave to send one request; give it back with [`RateLimiter::release`]
/// when the response is in (the client does).
#[derive(Debug, PartialEq, Eq)]
pub struct Permit {
    class: RateClass,
    id: u64,
}

impl Permit {
    /// A permit for `class`; `id` is the limiter's own reference to it.
    pub fn new(class: RateClass, id: u64) -> Self {
        Self { class, id }
    }

    /// The budget it was taken from.
    pub fn class(&self) -> RateClass {
        self.class
    }

    /// The limiter's reference.
    pub fn id(&self) -> u64 {
        self.id
    }
}

/// Keeps requests within HubSpot's limits. Object-safe; one limiter may
/// serve many clients (and, shared through e.g. Redis, many processes).
pub trait RateLimiter: Send + Sync {
    /// Waits until one more request of `class` fits, then counts it.
    fn acquire(&self, class: RateClass) -> LimiterFuture<'_, Result<Permit, LimiterError>>;

    /// The request of `permit` is answered (or abandoned): its slot frees a
    /// window from now. Called from `Drop`, so it must not block.
    fn release(&self, permit: Permit);

    /// HubSpot's headers on a response to a request of `class`: adopt the
    /// limit they announce, pause when they say nothing is left.
    fn observe(&self, class: RateClass, headers: &RateLimitHeaders);

    /// Send nothing for `wait` (after a 429) that draws on the search
    /// budget if `class` uses it, else on the general budget.
    fn pause(&self, class: RateClass, wait: Duration);

    /// A `DAILY` 429: for `wait`, `acquire` fails at once with
    /// [`LimiterError::daily_limit_spent`]; after it, requests go again
    /// (the first is the probe of whether the day has reset). The default
    /// does nothing (every call then makes its own round trip).
    fn pause_daily(&self, wait: Duration) {
        let _ = wait;
    }
}

impl<T: RateLimiter + ?Sized> RateLimiter for std::sync::Arc<T> {
    fn acquire(&self, class: RateClass) -> LimiterFuture<'_, Result<Permit, LimiterError>> {
        (**self).acquire(class)
    }

    fn release(&self, permit: Permit) {
        (**self).release(permit);
    }

    fn observe(&self, class: RateClass, headers: &RateLimitHeaders) {
        (**self).observe(class, headers);
    }

    fn pause(&self, class: RateClass, wait: Duration) {
        (**self).pause(class, wait);
    }

    fn pause_daily(&self, wait: Duration) {
        (**self).pause_daily(wait);
    }
}

/// The default limiter: one budget per client (and its clones), in memory.
#[derive(Debug)]
pub struct InProcessLimiter {
    state: Mutex<Budgets>,
    /// Wakes waiters when an in-flight request finishes.
    released: tokio::sync::Notify,
}

#[derive(Debug)]
struct Budgets {
    standard: Budget,
    search: Budget,
    /// After a `DAILY` 429: refuse every request until then.
    daily_until: Option<Instant>,
}

#[derive(Debug)]
struct Budget {
    limit: Limit,
    /// Requests sent and not yet answered.
    in_flight: usize,
    /// When answered requests stop counting, oldest first.
    frees_at: VecDeque<Instant>,
    paused_until: Option<Instant>,
}

impl Budget {
    fn new(limit: Limit) -> Self {
        Self {
            limit,
            in_flight: 0,
            frees_at: VecDeque::new(),
            paused_until: None,
        }
    }

    /// `None` when a request fits now, else when to look again (`None`
    /// inside: only a release can help).
    fn wait(&mut self, now: Instant) -> Option<Option<Instant>> {
        while self.frees_at.front().is_some_and(|t| *t <= now) {
            self.frees_at.pop_front();
        }
        if let Some(until) = self.paused_until.filter(|u| *u > now) {
            return Some(Some(until));
        }
        let used = self.in_flight + self.frees_at.len();
        let max = self.limit.max as usize;
        if used < max {
            return None;
        }
        // The slot that frees soonest, counting only answered requests.
        Some(self.frees_at.get(used - max).copied())
    }

    /// Every slot is taken by requests of ours.
    fn full(&mut self, now: Instant) -> bool {
        while self.frees_at.front().is_some_and(|t| *t <= now) {
            self.frees_at.pop_front();
        }
        self.in_flight + self.frees_at.len() >= self.limit.max as usize
    }

    fn release(&mut self, now: Instant) {
        self.in_flight = self.in_flight.saturating_sub(1);
        self.frees_at.push_back(later(now, self.limit.window));
    }

    fn pause(&mut self, until: Instant) {
        self.paused_until = Some(self.paused_until.map_or(until, |u| u.max(until)));
    }
}

impl InProcessLimiter {
    /// `limit` for every request, and `search` on top for search endpoints.
    pub fn new(limit: Limit, search: Limit) -> Self {
        Self {
            state: Mutex::new(Budgets {
                standard: Budget::new(limit),
                search: Budget::new(search),
                daily_until: None,
            }),
            released: tokio::sync::Notify::new(),
        }
    }

    /// The limits in force (the configured ones until HubSpot's headers say otherwise).
    pub fn limits(&self) -> (Limit, Limit) {
        let state = self.lock();
        (state.standard.limit, state.search.limit)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Budgets> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `Ok(None)`: taken; `Ok(Some(when))`: wait (see `Budget::wait`).
    fn try_acquire(&self, class: RateClass) -> Result<Option<Option<Instant>>, LimiterError> {
        let mut state = self.lock();
        let now = Instant::now();
        if state.daily_until.is_some_and(|until| until > now) {
            return Err(LimiterError::daily_limit_spent());
        }
        let standard = class
            .uses_general()
            .then(|| state.standard.wait(now))
            .flatten();
        let search = class
            .uses_search()
            .then(|| state.search.wait(now))
            .flatten();
        match (standard, search) {
            (None, None) => {
                if class.uses_general() {
                    state.standard.in_flight += 1;
                }
                if class.uses_search() {
                    state.search.in_flight += 1;
                }
                Ok(None)
            }
            (Some(a), Some(b)) => Ok(Some(a.max(b).or(a).or(b))),
            (Some(wait), None) | (None, Some(wait)) => Ok(Some(wait)),
        }
    }
}

impl RateLimiter for InProcessLimiter {
    fn acquire(&self, class: RateClass) -> LimiterFuture<'_, Result<Permit, LimiterError>> {
        Box::pin(async move {
            loop {
                // Registered before looking, so a release in between is not missed.
                let released = self.released.notified();
                match self.try_acquire(class)? {
                    None => return Ok(Permit::new(class, 0)),
                    Some(Some(until)) => {
                        // Woken by the time or by a release, whichever comes first.
                        let _ = tokio::time::timeout_at(until, released).await;
                    }
                    Some(None) => released.await,
                }
            }
        })
    }

    fn release(&self, permit: Permit) {
        {
            let mut state = self.lock();
            let now = Instant::now();
            if permit.class.uses_general() {
                state.standard.release(now);
            }
            if permit.class.uses_search() {
                state.search.release(now);
            }
        }
        self.released.notify_waiters();
    }

    fn observe(&self, class: RateClass, headers: &RateLimitHeaders) {
        let mut state = self.lock();
        let now = Instant::now();
        if let Some(limit) = headers.limit() {
            state.standard.limit = limit;
        }
        // Nothing left, and not all of it spent by us (our own count then
        // holds the next request back already): another client is using the
        // budget. HubSpot's window rolls; only a whole window is sure to be over.
        if headers.spent() && !state.standard.full(now) {
            let window = headers.window().unwrap_or(state.standard.limit.window);
            state.standard.pause(later(now, window));
        }
        if headers.secondly_remaining == Some(0) {
            let budget = if class.uses_search() {
                &mut state.search
            } else {
                &mut state.standard
            };
            budget.pause(later(now, Duration::from_secs(1)));
        }
    }

    fn pause(&self, class: RateClass, wait: Duration) {
        let mut state = self.lock();
        let until = later(Instant::now(), wait);
        if class.uses_search() {
            state.search.pause(until);
        } else {
            state.standard.pause(until);
        }
    }

    fn pause_daily(&self, wait: Duration) {
        let mut state = self.lock();
        let until = later(Instant::now(), wait);
        state.daily_until = Some(state.daily_until.map_or(until, |u| u.max(until)));
        drop(state);
        // Waiters fail now rather than after their wait.
        self.released.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_slot_frees_a_window_after_the_response() {
        let limiter =
            InProcessLimiter::new(Limit::new(2, Duration::from_secs(10)), DEFAULT_SEARCH_LIMIT);
        let start = Instant::now();
        let a = limiter.acquire(RateClass::Standard).await.unwrap();
        let b = limiter.acquire(RateClass::Standard).await.unwrap();
        tokio::time::sleep(Duration::from_secs(3)).await;
        limiter.release(a);
        limiter.release(b);
        limiter.acquire(RateClass::Standard).await.unwrap();
        // Counted from the response (3 s), not from sending (0 s).
        assert_eq!(start.elapsed(), Duration::from_secs(13));
    }

    #[tokio::test(start_paused = true)]
    async fn headers_set_the_limit_and_remaining_zero_pauses() {
        let limiter = InProcessLimiter::new(DEFAULT_LIMIT, DEFAULT_SEARCH_LIMIT);
        let mut headers = http::HeaderMap::new();
        headers.insert("x-hubspot-ratelimit-max", "190".parse().unwrap());
        headers.insert(
            "x-hubspot-ratelimit-interval-milliseconds",
            "10000".parse().unwrap(),
        );
        headers.insert("x-hubspot-ratelimit-remaining", "0".parse().unwrap());
        limiter.observe(
            RateClass::Standard,
            &RateLimitHeaders::from_headers(&headers),
        );
        assert_eq!(limiter.limits().0, Limit::new(190, Duration::from_secs(10)));
        let start = Instant::now();
        limiter.acquire(RateClass::Standard).await.unwrap();
        assert_eq!(start.elapsed(), Duration::from_secs(10));

        // All spent by this client: its own count already waits, no extra
        // pause (which would last a window from the response).
        let limiter =
            InProcessLimiter::new(Limit::new(1, Duration::from_secs(10)), DEFAULT_SEARCH_LIMIT);
        let mut spent = http::HeaderMap::new();
        spent.insert("x-hubspot-ratelimit-remaining", "0".parse().unwrap());
        let start = Instant::now();
        let permit = limiter.acquire(RateClass::Standard).await.unwrap();
        tokio::time::sleep(Duration::from_secs(1)).await;
        limiter.observe(RateClass::Standard, &RateLimitHeaders::from_headers(&spent));
        limiter.release(permit);
        limiter.acquire(RateClass::Standard).await.unwrap();
        assert_eq!(start.elapsed(), Duration::from_secs(11));
    }

    #[tokio::test(start_paused = true)]
    async fn search_draws_on_both_budgets() {
        let limiter = InProcessLimiter::new(
            Limit::new(100, Duration::from_secs(10)),
            Limit::new(2, Duration::from_secs(1)),
        );
        let start = Instant::now();
        for _ in 0..4 {
            let permit = limiter.acquire(RateClass::Search).await.unwrap();
            limiter.release(permit);
        }
        assert_eq!(start.elapsed(), Duration::from_secs(1));
        // Standard calls are not held back by the search budget.
        let permit = limiter.acquire(RateClass::Standard).await.unwrap();
        assert_eq!(start.elapsed(), Duration::from_secs(1));
        limiter.release(permit);
    }

    fn headers(pairs: &[(&str, &str)]) -> RateLimitHeaders {
        let mut map = http::HeaderMap::new();
        for (name, value) in pairs {
            map.insert(
                http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        RateLimitHeaders::from_headers(&map)
    }

    #[test]
    fn announced_limits_are_bounded_and_nonsense_ignored() {
        let max = "x-hubspot-ratelimit-max";
        let interval = "x-hubspot-ratelimit-interval-milliseconds";
        let limit = |m: &str, i: &str| headers(&[(max, m), (interval, i)]).limit();
        let secs = Duration::from_secs;
        assert_eq!(limit("190", "10000"), Some(Limit::new(190, secs(10))));
        assert_eq!(limit("0", "10000"), None);
        assert_eq!(limit("-1", "10000"), None);
        assert_eq!(limit("many", "10000"), None);
        assert_eq!(limit("5", "0"), None);
        assert_eq!(limit("5", "-1000"), None);
        assert_eq!(
            limit("1", "1"),
            Some(Limit::new(1, Duration::from_millis(100)))
        );
        assert_eq!(limit("10000", "60000"), Some(Limit::new(10_000, secs(60))));
        assert_eq!(limit("10001", "60001"), Some(Limit::new(10_000, secs(60))));
        assert_eq!(
            limit("18446744073709551615", "18446744073709551615"),
            Some(Limit::new(10_000, secs(60)))
        );
        assert_eq!(
            limit("4294967296", "1000"),
            Some(Limit::new(10_000, secs(1)))
        );
        // `Remaining: 0` counts unless `Max` says 0 too.
        assert!(headers(&[("x-hubspot-ratelimit-remaining", "0")]).spent());
        assert!(headers(&[(max, "100"), ("x-hubspot-ratelimit-remaining", "0")]).spent());
        assert!(!headers(&[(max, "0"), ("x-hubspot-ratelimit-remaining", "0")]).spent());
        assert!(!headers(&[("x-hubspot-ratelimit-remaining", "1")]).spent());
    }

    #[tokio::test(start_paused = true)]
    async fn no_wait_overflows_the_clock() {
        let now = Instant::now();
        assert_eq!(later(now, Duration::MAX), now + LONGEST_WAIT);
        assert_eq!(later(now, LONGEST_WAIT), now + LONGEST_WAIT);
        assert_eq!(
            later(now, Duration::from_secs(3)),
            now + Duration::from_secs(3)
        );
        // A window of `Duration::MAX` configured, a pause of it asked for.
        let limiter =
            InProcessLimiter::new(Limit::new(1, Duration::MAX), Limit::new(1, Duration::MAX));
        let permit = limiter.acquire(RateClass::Search).await.unwrap();
        limiter.release(permit);
        limiter.pause(RateClass::Standard, Duration::MAX);
        limiter.pause(RateClass::Search, Duration::MAX);
        limiter.pause_daily(Duration::MAX);
        let start = Instant::now();
        let err = limiter.acquire(RateClass::Standard).await.unwrap_err();
        assert!(err.is_daily_limit());
        assert_eq!(start.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn a_daily_pause_fails_waiting_and_later_calls_until_it_ends() {
        let limiter =
            InProcessLimiter::new(Limit::new(1, Duration::from_secs(10)), DEFAULT_SEARCH_LIMIT);
        let held = limiter.acquire(RateClass::Standard).await.unwrap();
        let start = Instant::now();
        let (waiting, ()) = tokio::join!(limiter.acquire(RateClass::Standard), async {
            tokio::time::sleep(Duration::from_secs(1)).await;
            limiter.pause_daily(Duration::from_secs(60));
        });
        assert!(waiting.unwrap_err().is_daily_limit());
        assert_eq!(
            start.elapsed(),
            Duration::from_secs(1),
            "woken, not left waiting"
        );
        limiter.release(held);
        assert!(
            limiter
                .acquire(RateClass::SearchOnly)
                .await
                .unwrap_err()
                .is_daily_limit()
        );
        // A shorter pause does not end a longer one.
        limiter.pause_daily(Duration::from_secs(1));
        tokio::time::sleep(Duration::from_secs(59)).await;
        assert!(limiter.acquire(RateClass::Standard).await.is_err());
        tokio::time::sleep(Duration::from_secs(1)).await;
        limiter.acquire(RateClass::Standard).await.unwrap();
        assert!(!LimiterError::new("down").is_daily_limit());
    }
}
