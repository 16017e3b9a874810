//! One rate budget shared by any number of processes through Redis
//! (`redis` feature). Each budget is a sorted set of permits scored by when
//! they stop counting; one Lua script checks and takes a permit atomically
//! (on Redis's own clock), so workers never race each other past the limit.
//!
//! Every number a script is given is bounded (`millis`: at most
//! [`LONGEST_WAIT`], limits adopted from headers within `ADOPTED_MAX` and
//! `ADOPTED_INTERVAL`), so a script never fails on its arguments and a
//! later good header can still change the limit.
//!
//! When Redis cannot be reached, `acquire` fails (`Error::Limiter`): fail
//! closed, the default, since running unlimited could exceed the fleet's
//! budget. [`RedisRateLimiterBuilder::fail_open`] instead falls back to an
//! in-process limiter per process until Redis answers again; also while it
//! answers that it cannot keep the budget now (`READONLY` after a failover,
//! `OOM`, `LOADING`, ...).
//!
//! A permit Redis may have taken for a caller that did not get it (the
//! wait was given up, or the reply was lost) is removed again, so it does
//! not hold a slot of the fleet for `hold`.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::limiter::{
    DEFAULT_LIMIT, DEFAULT_SEARCH_LIMIT, InProcessLimiter, LONGEST_WAIT, Limit, LimiterError,
    LimiterFuture, Permit, RateClass, RateLimitHeaders, RateLimiter,
};

/// Takes a permit from every budget named in KEYS (after KEYS[1], the daily
/// key: log, pause pairs), or none: returns 0, -1 while the daily key
/// exists, or how many milliseconds to wait before asking again.
/// ARGV: member, hold ms, then max and window ms per budget.
const ACQUIRE: &str = r"
if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local hold = tonumber(ARGV[2])
local wait = 0
for i = 1, (#KEYS - 1) / 2 do
  local log, pause = KEYS[2 * i], KEYS[2 * i + 1]
  local max, window = tonumber(ARGV[1 + 2 * i]), tonumber(ARGV[2 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', log, '-inf', now)
  local paused = tonumber(redis.call('GET', pause) or '0')
  if paused > now then wait = math.max(wait, paused - now) end
  local used = redis.call('ZCARD', log)
  if used >= max then
    local frees = redis.call('ZRANGE', log, used - max, used - max, 'WITHSCORES')
    wait = math.max(wait, tonumber(frees[2]) - now, 1)
  end
end
if wait > 0 then return wait end
for i = 1, (#KEYS - 1) / 2 do
  local log, window = KEYS[2 * i], tonumber(ARGV[2 + 2 * i])
  redis.call('ZADD', log, now + hold + window, ARGV[1])
  redis.call('PEXPIRE', log, hold + window + 1000)
end
return 0
";

/// The request is answered: its permit stops counting a window from now.
/// KEYS: logs; ARGV: member, then window ms per log.
const RELEASE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], 'XX', now + tonumber(ARGV[1 + i]), ARGV[1])
end
return 0
";

/// Nothing of this budget is sent for ARGV[1] ms. KEYS[1]: pause key.
/// With KEYS[2] (log) and ARGV[2] (max): only if the log is not full, that
/// is when requests this limiter did not count spent the budget.
const PAUSE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if KEYS[2] then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[2]) then return 0 end
end
local until_ms = now + tonumber(ARGV[1])
if until_ms > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], until_ms, 'PX', tonumber(ARGV[1]) + 1000)
end
return 0
";

/// A `DAILY` 429: KEYS[1] exists for ARGV[1] ms (a later, longer pause wins).
const DAILY: &str = r"
local left = redis.call('PTTL', KEYS[1])
if left < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
end
return 0
";

/// Longest a waiting worker sleeps before asking Redis again: a slot held
/// by a request in flight frees when its response comes, which no score says.
const POLL: Duration = Duration::from_millis(50);

/// A [`RateLimiter`] whose budget lives in Redis, shared by every process
/// that uses the same Redis and app key. Cheap to clone.
///
/// A permit taken by a worker that dies before its response counts for the
/// `hold` time (default 60 s) plus a window, then frees by itself.
#[derive(Clone)]
pub struct RedisRateLimiter {
    connection: redis::aio::ConnectionManager,
    shared: std::sync::Arc<Shared>,
}

struct Shared {
    keys: Keys,
    limits: Mutex<(Limit, Limit)>,
    hold: Duration,
    /// Makes permit members unique across processes.
    worker: String,
    next: AtomicU64,
    acquire: redis::Script,
    release: redis::Script,
    pause: redis::Script,
    daily: redis::Script,
    /// With `fail_open`: the budget used while Redis cannot be reached.
    fallback: Option<Fallback>,
}

/// The in-process budget of a fail-open limiter.
struct Fallback {
    limiter: InProcessLimiter,
    /// After Redis was found unavailable: not asked again until then, so a
    /// call does not wait out a reconnection each time.
    skip_redis_until: Mutex<Option<tokio::time::Instant>>,
}

impl Fallback {
    fn redis_skipped(&self) -> bool {
        let until = *self
            .skip_redis_until
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        until.is_some_and(|until| until > tokio::time::Instant::now())
    }

    fn redis_unavailable(&self) {
        let until = super::limiter::later(tokio::time::Instant::now(), RECHECK_REDIS);
        *self
            .skip_redis_until
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = Some(until);
    }

    async fn acquire(&self, class: RateClass) -> Result<Permit, LimiterError> {
        let permit = self.limiter.acquire(class).await?;
        Ok(Permit::new(class, permit.id() | FALLBACK))
    }
}

/// How long a fail-open limiter uses its fallback before asking Redis again.
const RECHECK_REDIS: Duration = Duration::from_secs(1);

/// Marks a permit of the fallback limiter (Redis's ids count up from 0).
const FALLBACK: u64 = 1 << 63;

struct Keys {
    daily: String,
    standard: String,
    standard_pause: String,
    search: String,
    search_pause: String,
}

impl std::fmt::Debug for RedisRateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisRateLimiter")
            .field("key", &self.shared.keys.standard)
            .field("limits", &self.limits())
            .finish_non_exhaustive()
    }
}

/// Configures a [`RedisRateLimiter`].
#[derive(Debug, Clone)]
pub struct RedisRateLimiterBuilder {
    app: String,
    limit: Limit,
    search: Limit,
    hold: Duration,
    prefix: String,
    fail_open: bool,
}

impl RedisRateLimiterBuilder {
    /// The general limit until HubSpot's headers say otherwise (default 100 per 10 s).
    #[must_use]
    pub fn rate_limit(mut self, requests: u32, window: Duration) -> Self {
        self.limit = Limit::new(requests, window);
        self
    }

    /// The search endpoints' limit (default 5 per second).
    #[must_use]
    pub fn search_rate_limit(mut self, requests: u32, window: Duration) -> Self {
        self.search = Limit::new(requests, window);
        self
    }

    /// How long a permit of a request still in flight counts at most (default 60 s).
    #[must_use]
    pub fn hold(mut self, hold: Duration) -> Self {
        self.hold = hold;
        self
    }

    /// While Redis cannot be reached (refused, dropped, timed out, or not
    /// there when connecting) or answers that it cannot take writes for now
    /// (`READONLY`, `OOM`, `LOADING`, `BUSY`, `MASTERDOWN`, `CLUSTERDOWN`,
    /// `TRYAGAIN`), take permits from an in-process limiter of
    /// the same limits instead of failing with `Error::Limiter` (the
    /// default, fail closed). Each process then keeps only to its own
    /// budget, so together they may exceed HubSpot's limit and meet 429s
    /// (which are retried); calls go on. With it, `connect` does not wait
    /// for Redis.
    #[must_use]
    pub fn fail_open(mut self, fail_open: bool) -> Self {
        self.fail_open = fail_open;
        self
    }

    /// Prefix of the Redis keys (default `hubspot:ratelimit`).
    #[must_use]
    pub fn key_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// Connects (and reconnects by itself later) to `redis_url`, e.g.
    /// `redis://127.0.0.1:6379/`.
    pub async fn connect(self, redis_url: &str) -> Result<RedisRateLimiter, LimiterError> {
        let client = redis::Client::open(redis_url).map_err(redis_error)?;
        let connection = if self.fail_open {
            // Find out soon that Redis is gone: the fallback is waiting.
            let config = redis::aio::ConnectionManagerConfig::new()
                .set_number_of_retries(1)
                .set_max_delay(Duration::from_millis(100))
                .set_connection_timeout(Some(Duration::from_secs(1)))
                .set_response_timeout(Some(Duration::from_secs(1)));
            redis::aio::ConnectionManager::new_lazy_with_config(client, config)
        } else {
            redis::aio::ConnectionManager::new(client).await
        }
        .map_err(redis_error)?;
        let base = format!("{}:{{{}}}", self.prefix, self.app);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Ok(RedisRateLimiter {
            connection,
            shared: std::sync::Arc::new(Shared {
                keys: Keys {
                    daily: format!("{base}:daily"),
                    standard: format!("{base}:standard"),
                    standard_pause: format!("{base}:standard:pause"),
                    search: format!("{base}:search"),
                    search_pause: format!("{base}:search:pause"),
                },
                limits: Mutex::new((self.limit, self.search)),
                hold: self.hold,
                worker: format!("{}-{nanos:x}", std::process::id()),
                next: AtomicU64::new(0),
                acquire: redis::Script::new(ACQUIRE),
                release: redis::Script::new(RELEASE),
                pause: redis::Script::new(PAUSE),
                daily: redis::Script::new(DAILY),
                fallback: self.fail_open.then(|| Fallback {
                    limiter: InProcessLimiter::new(self.limit, self.search),
                    skip_redis_until: Mutex::new(None),
                }),
            }),
        })
    }
}

/// Redis's errors never carry the password of the URL, but may carry the
/// host; that is kept.
fn redis_error(error: redis::RedisError) -> LimiterError {
    LimiterError::new(format!("redis rate limiter: {error}"))
}

/// Redis cannot keep the budget now: not reached, or it answered that it
/// cannot take writes for a while (a replica after a failover, out of
/// memory, loading, a busy script, no master). Other errors (a script or
/// key of the wrong type, a refused password) are not passing states and
/// still fail, whatever `fail_open` says.
fn unavailable(error: &redis::RedisError) -> bool {
    error.is_io_error()
        || error.is_connection_refusal()
        || error.is_connection_dropped()
        || error.is_timeout()
        || matches!(
            error.code(),
            Some(
                "READONLY" | "OOM" | "LOADING" | "BUSY" | "MASTERDOWN" | "CLUSTERDOWN" | "TRYAGAIN"
            )
        )
}

/// A permit Redis may be taking for a caller that has not got it yet: if
/// the caller is gone or the reply is lost before it is handed over, the
/// permit is removed from Redis rather than held for `hold`. The removal
/// goes on the same connection after the script, so Redis runs it after.
struct UnconfirmedPermit<'a> {
    limiter: &'a RedisRateLimiter,
    member: &'a str,
    class: RateClass,
    in_doubt: bool,
}

impl Drop for UnconfirmedPermit<'_> {
    fn drop(&mut self) {
        if !self.in_doubt {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return; // The permit then frees after its hold time.
        };
        let mut remove = redis::pipe();
        for (log, _, _) in self.limiter.logs(self.class) {
            remove.zrem(log, self.member).ignore();
        }
        let mut connection = self.limiter.connection.clone();
        runtime.spawn(async move {
            let _ = remove.query_async::<()>(&mut connection).await;
        });
    }
}

/// Milliseconds for a script, at least 1 and at most [`LONGEST_WAIT`]: a
/// number Lua holds exactly and Redis accepts as an expiry.
fn millis(d: Duration) -> u64 {
    u64::try_from(d.min(LONGEST_WAIT).as_millis())
        .unwrap_or(u64::MAX)
        .max(1)
}

impl RedisRateLimiter {
    /// A limiter keyed by `app` (e.g. your HubSpot app id or account id):
    /// every process using the same Redis and `app` shares one budget.
    pub fn builder(app: impl Into<String>) -> RedisRateLimiterBuilder {
        RedisRateLimiterBuilder {
            app: app.into(),
            limit: DEFAULT_LIMIT,
            search: DEFAULT_SEARCH_LIMIT,
            hold: Duration::from_secs(60),
            prefix: "hubspot:ratelimit".into(),
            fail_open: false,
        }
    }

    /// The limits in force (general, search).
    pub fn limits(&self) -> (Limit, Limit) {
        *self.shared.limits.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn member(&self, id: u64) -> String {
        format!("{}:{id}", self.shared.worker)
    }

    /// The budgets `class` draws on: log key, pause key, limit.
    fn logs(&self, class: RateClass) -> Vec<(&str, &str, Limit)> {
        let (standard, search) = self.limits();
        let keys = &self.shared.keys;
        let mut logs = Vec::with_capacity(2);
        if class.uses_general() {
            logs.push((
                keys.standard.as_str(),
                keys.standard_pause.as_str(),
                standard,
            ));
        }
        if class.uses_search() {
            logs.push((keys.search.as_str(), keys.search_pause.as_str(), search));
        }
        logs
    }

    /// Runs a script without waiting for it (from `release`, `observe`,
    /// `pause`, which must not block).
    fn spawn(&self, script: fn(&Shared) -> &redis::Script, keys: Vec<String>, args: Vec<u64>) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return; // A permit then frees after its hold time.
        };
        let shared = self.shared.clone();
        let mut connection = self.connection.clone();
        runtime.spawn(async move {
            let mut invocation = script(&shared).prepare_invoke();
            for key in keys {
                invocation.key(key);
            }
            for arg in args {
                invocation.arg(arg);
            }
            let _ = invocation.invoke_async::<i64>(&mut connection).await;
        });
    }

    fn spawn_pause(&self, class: RateClass, wait: Duration) {
        let key = if class.uses_search() {
            &self.shared.keys.search_pause
        } else {
            &self.shared.keys.standard_pause
        };
        self.spawn(|s| &s.pause, vec![key.clone()], vec![millis(wait)]);
    }
}

impl RateLimiter for RedisRateLimiter {
    fn acquire(&self, class: RateClass) -> LimiterFuture<'_, Result<Permit, LimiterError>> {
        Box::pin(async move {
            let id = self.shared.next.fetch_add(1, Ordering::Relaxed);
            let member = self.member(id);
            let mut connection = self.connection.clone();
            let mut unconfirmed = UnconfirmedPermit {
                limiter: self,
                member: &member,
                class,
                in_doubt: false,
            };
            loop {
                if let Some(fallback) = &self.shared.fallback
                    && fallback.redis_skipped()
                {
                    return fallback.acquire(class).await;
                }
                let mut invocation = self.shared.acquire.prepare_invoke();
                invocation.key(&self.shared.keys.daily);
                invocation.arg(&member).arg(millis(self.shared.hold));
                for (log, pause, limit) in self.logs(class) {
                    invocation
                        .key(log)
                        .key(pause)
                        .arg(limit.max)
                        .arg(millis(limit.window));
                }
                // Until Redis answers, it may have taken the permit.
                unconfirmed.in_doubt = true;
                let answer = invocation.invoke_async(&mut connection).await;
                // A refused connection sent nothing; any other error may
                // have come after the script ran.
                unconfirmed.in_doubt = answer
                    .as_ref()
                    .is_err_and(|error| !error.is_connection_refusal());
                let wait: i64 = match answer {
                    Ok(wait) => wait,
                    Err(error) => match &self.shared.fallback {
                        Some(fallback) if unavailable(&error) => {
                            fallback.redis_unavailable();
                            return fallback.acquire(class).await;
                        }
                        _ => return Err(redis_error(error)),
                    },
                };
                match u64::try_from(wait) {
                    Ok(0) => return Ok(Permit::new(class, id)),
                    Ok(wait) => tokio::time::sleep(Duration::from_millis(wait).min(POLL)).await,
                    Err(_) => return Err(LimiterError::daily_limit_spent()),
                }
            }
        })
    }

    fn release(&self, permit: Permit) {
        if permit.id() & FALLBACK != 0 {
            if let Some(fallback) = &self.shared.fallback {
                let permit = Permit::new(permit.class(), permit.id() & !FALLBACK);
                fallback.limiter.release(permit);
            }
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return; // The permit then frees after its hold time.
        };
        let member = self.member(permit.id());
        let logs: Vec<(String, u64)> = self
            .logs(permit.class())
            .into_iter()
            .map(|(log, _, limit)| (log.to_owned(), millis(limit.window)))
            .collect();
        let shared = self.shared.clone();
        let mut connection = self.connection.clone();
        runtime.spawn(async move {
            let mut invocation = shared.release.prepare_invoke();
            invocation.arg(member);
            for (log, window) in logs {
                invocation.key(log).arg(window);
            }
            let _ = invocation.invoke_async::<i64>(&mut connection).await;
        });
    }

    fn observe(&self, class: RateClass, headers: &RateLimitHeaders) {
        if let Some(limit) = headers.limit() {
            self.shared
                .limits
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .0 = limit;
        }
        if let Some(fallback) = &self.shared.fallback {
            fallback.limiter.observe(class, headers);
        }
        if headers.spent() {
            let limit = self.limits().0;
            let window = headers.window().unwrap_or(limit.window);
            let keys = &self.shared.keys;
            self.spawn(
                |s| &s.pause,
                vec![keys.standard_pause.clone(), keys.standard.clone()],
                vec![millis(window), u64::from(limit.max)],
            );
        }
        if headers.secondly_remaining == Some(0) {
            self.spawn_pause(class, Duration::from_secs(1));
        }
    }

    fn pause(&self, class: RateClass, wait: Duration) {
        if let Some(fallback) = &self.shared.fallback {
            fallback.limiter.pause(class, wait);
        }
        self.spawn_pause(class, wait);
    }

    fn pause_daily(&self, wait: Duration) {
        if let Some(fallback) = &self.shared.fallback {
            fallback.limiter.pause_daily(wait);
        }
        let key = self.shared.keys.daily.clone();
        self.spawn(|s| &s.daily, vec![key], vec![millis(wait)]);
    }
}
