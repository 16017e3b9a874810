//! The limiter's waits are bounded, whatever HubSpot's headers say (issue
//! #21): a `Retry-After` beyond `max_retry_after` pauses other calls only up
//! to that cap, absurd `Retry-After` values and rate-limit headers neither
//! panic nor stall, a `DAILY` 429 stops later calls without a round trip,
//! and no call waits in the limiter longer than its bound. Raw servers on
//! 127.0.0.1 count what they received; the clock is tokio's paused one.

mod raw_http;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hubspot_associations::AssociationsExt as _;
use hubspot_associations::runtime::{
    LimiterError, LimiterFuture, Permit, RateClass, RateLimitHeaders, RateLimiter,
};
use hubspot_associations::v2026_03::associations as assoc;
use hubspot_associations::{Client, ClientBuilder, Error};
use raw_http::read_request;
use tokio::io::{AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::time::Instant;

const TOKEN: &str = "pat-na1-limiter-bounds";
const LIST_BODY: &str = r#"{"results":[{"toObjectId":"7","associationTypes":[]}]}"#;

/// The answer to the n-th request (from 0) the server receives.
type Script = Arc<dyn Fn(usize) -> String + Send + Sync>;

/// A keep-alive HTTP/1.1 server on 127.0.0.1 that counts the requests it read.
struct Server {
    url: String,
    received: Arc<AtomicUsize>,
}

impl Server {
    async fn start(script: impl Fn(usize) -> String + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let received = Arc::new(AtomicUsize::new(0));
        let script: Script = Arc::new(script);
        let counter = received.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let script = script.clone();
                let counter = counter.clone();
                tokio::spawn(async move {
                    let mut reader = BufReader::new(stream);
                    while read_request(&mut reader).await.is_some() {
                        let n = counter.fetch_add(1, Ordering::SeqCst);
                        let answer = script(n);
                        if reader.get_mut().write_all(answer.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        Self { url, received }
    }

    fn received(&self) -> usize {
        self.received.load(Ordering::SeqCst)
    }
}

fn answer(status: &str, headers: &[(&str, &str)], body: &str) -> String {
    let mut text = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    text.push_str(body);
    text
}

fn ok(headers: &[(&str, &str)]) -> String {
    answer("200 OK", headers, LIST_BODY)
}

fn too_many(policy: &str, headers: &[(&str, &str)]) -> String {
    let body = format!(
        r#"{{"status":"error","message":"You have reached your limit.","errorType":"RATE_LIMIT","correlationId":"c-429","policyName":"{policy}"}}"#
    );
    answer("429 Too Many Requests", headers, &body)
}

fn builder(server: &Server) -> ClientBuilder {
    Client::builder(TOKEN).base_url(&server.url)
}

async fn list(client: &Client) -> Result<(), Error> {
    client
        .associations()
        .v2026_03()
        .list("contacts", "101", "companies", &assoc::ListParams::new())
        .await
        .map(|_| ())
}

/// Fails the test (instead of hanging for hours of virtual time) if the
/// call has not finished within `bound`.
async fn within<T>(bound: Duration, call: impl Future<Output = T>) -> T {
    tokio::time::timeout(bound, call)
        .await
        .unwrap_or_else(|_| panic!("still waiting after {bound:?}"))
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_beyond_the_allowed_wait_pauses_other_calls_only_up_to_the_cap() {
    let server = Server::start(|n| match n {
        0 => too_many("TEN_SECONDLY_ROLLING", &[("Retry-After", "3600")]),
        _ => ok(&[]),
    })
    .await;
    // The default policy: a `Retry-After` over 60 s fails the call at once.
    let client = builder(&server).build().unwrap();
    let err = list(&client).await.unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    let started = Instant::now();
    within(Duration::from_secs(120), list(&client))
        .await
        .unwrap();
    // Held back, but only up to the cap.
    assert!(
        started.elapsed() >= Duration::from_secs(59),
        "the pause was not kept: {:?}",
        started.elapsed()
    );
    assert!(
        started.elapsed() <= Duration::from_secs(60),
        "the other call waited {:?}, more than max_retry_after",
        started.elapsed()
    );
    assert_eq!(server.received(), 2);
}

#[tokio::test(start_paused = true)]
async fn absurd_retry_after_values_never_panic() {
    // Too long to wait: the call fails at once and the next one is held
    // back at most max_retry_after (60 s).
    for value in [
        "18446744073709551615",
        "1e19",
        "1e30",
        "Fri, 31 Dec 9999 23:59:59 GMT",
    ] {
        let server = Server::start(move |n| match n {
            0 => too_many("TEN_SECONDLY_ROLLING", &[("Retry-After", value)]),
            _ => ok(&[]),
        })
        .await;
        let client = builder(&server).build().unwrap();
        let err = list(&client).await.unwrap_err();
        assert!(matches!(err, Error::RateLimited { .. }), "{value}: {err:?}");
        assert_eq!(server.received(), 1, "{value}: not retried");
        let started = Instant::now();
        within(Duration::from_secs(120), list(&client))
            .await
            .unwrap();
        assert!(started.elapsed() <= Duration::from_secs(60), "{value}");
    }
    // Unreadable: as if absent, the policy's window (10 s) is waited, then retried.
    for value in ["-1", "garbage", "NaN", ""] {
        let server = Server::start(move |n| match n {
            0 => too_many("TEN_SECONDLY_ROLLING", &[("Retry-After", value)]),
            _ => ok(&[]),
        })
        .await;
        let client = builder(&server).build().unwrap();
        within(Duration::from_secs(120), list(&client))
            .await
            .unwrap();
        assert_eq!(server.received(), 2, "{value:?}: retried once");
    }
}

#[tokio::test(start_paused = true)]
async fn a_max_of_zero_is_ignored_rather_than_one_request_per_interval() {
    let server = Server::start(|_| {
        ok(&[
            ("X-HubSpot-RateLimit-Max", "0"),
            ("X-HubSpot-RateLimit-Interval-Milliseconds", "10000"),
            ("X-HubSpot-RateLimit-Remaining", "0"),
        ])
    })
    .await;
    let client = builder(&server).build().unwrap();
    let started = Instant::now();
    for _ in 0..5 {
        within(Duration::from_secs(120), list(&client))
            .await
            .unwrap();
    }
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "5 GETs took {:?}",
        started.elapsed()
    );
    assert_eq!(server.received(), 5);
    // The configured limit stays in force.
    assert_eq!(client.rate_limits().max, Some(0), "reported as sent");
}

#[tokio::test(start_paused = true)]
async fn nonsense_rate_limit_headers_are_ignored_and_absurd_ones_clamped() {
    // A huge interval: clamped to 60 s, so 2 per 60 s, not 2 per 584 million years.
    let server = Server::start(|_| {
        ok(&[
            ("X-HubSpot-RateLimit-Max", "2"),
            (
                "X-HubSpot-RateLimit-Interval-Milliseconds",
                "18446744073709551615",
            ),
        ])
    })
    .await;
    let client = builder(&server).build().unwrap();
    let started = Instant::now();
    for _ in 0..5 {
        within(Duration::from_secs(600), list(&client))
            .await
            .unwrap();
    }
    assert!(
        started.elapsed() <= Duration::from_secs(121),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.received(), 5);

    // Negative, zero, not numbers: ignored; the default 100 per 10 s holds.
    for (max, interval) in [("-5", "-1"), ("abc", "0"), ("1e3", "ten"), ("", "")] {
        let server = Server::start(move |_| {
            ok(&[
                ("X-HubSpot-RateLimit-Max", max),
                ("X-HubSpot-RateLimit-Interval-Milliseconds", interval),
            ])
        })
        .await;
        let client = builder(&server).build().unwrap();
        let started = Instant::now();
        for _ in 0..5 {
            within(Duration::from_secs(120), list(&client))
                .await
                .unwrap();
        }
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{max} {interval}"
        );
    }

    // Absurdly large: clamped to 10,000 per interval, still a limit.
    let server = Server::start(|_| {
        ok(&[
            ("X-HubSpot-RateLimit-Max", "99999999999999"),
            ("X-HubSpot-RateLimit-Interval-Milliseconds", "1000"),
        ])
    })
    .await;
    let limiter = Arc::new(hubspot_associations::runtime::InProcessLimiter::new(
        hubspot_associations::runtime::DEFAULT_LIMIT,
        hubspot_associations::runtime::DEFAULT_SEARCH_LIMIT,
    ));
    let client = builder(&server)
        .rate_limiter(limiter.clone())
        .build()
        .unwrap();
    list(&client).await.unwrap();
    assert_eq!(limiter.limits().0.max, 10_000);
    assert_eq!(limiter.limits().0.window, Duration::from_secs(1));
}

#[tokio::test(start_paused = true)]
async fn a_daily_429_stops_later_calls_without_a_round_trip_until_the_probe() {
    let server = Server::start(|n| match n {
        0 => too_many("DAILY", &[("X-HubSpot-RateLimit-Daily-Remaining", "0")]),
        _ => ok(&[]),
    })
    .await;
    let client = builder(&server).build().unwrap();
    let clone = client.clone();
    let err = list(&client).await.unwrap_err();
    assert!(matches!(err, Error::DailyLimitExceeded { .. }), "{err:?}");
    assert_eq!(server.received(), 1);
    // The clone shares the flag: refused here, nothing sent.
    let err = list(&clone).await.unwrap_err();
    assert!(matches!(err, Error::DailyLimitExceeded { .. }), "{err:?}");
    assert_eq!(err.status(), Some(429));
    assert_eq!(server.received(), 1, "the second call sent nothing");
    // Still refused just before the probe time (5 minutes by default) ...
    tokio::time::sleep(Duration::from_secs(299)).await;
    assert!(matches!(
        list(&client).await,
        Err(Error::DailyLimitExceeded { .. })
    ));
    assert_eq!(server.received(), 1);
    // ... and sent again after it.
    tokio::time::sleep(Duration::from_secs(1)).await;
    list(&clone).await.unwrap();
    assert_eq!(server.received(), 2);
}

#[tokio::test(start_paused = true)]
async fn the_daily_probe_time_is_configurable() {
    let server = Server::start(|n| match n {
        0 => too_many("DAILY", &[]),
        _ => ok(&[]),
    })
    .await;
    let client = builder(&server)
        .daily_limit_pause(Duration::from_secs(3600))
        .build()
        .unwrap();
    assert!(list(&client).await.is_err());
    tokio::time::sleep(Duration::from_secs(3599)).await;
    assert!(matches!(
        list(&client).await,
        Err(Error::DailyLimitExceeded { .. })
    ));
    assert_eq!(server.received(), 1);
    tokio::time::sleep(Duration::from_secs(1)).await;
    list(&client).await.unwrap();
    assert_eq!(server.received(), 2);
}

/// A limiter that never hands out a permit (a budget stuck spent, e.g. by
/// another process's pause).
struct Stuck {
    waiting: Mutex<usize>,
}

impl RateLimiter for Stuck {
    fn acquire(&self, _: RateClass) -> LimiterFuture<'_, Result<Permit, LimiterError>> {
        *self.waiting.lock().unwrap() += 1;
        Box::pin(std::future::pending())
    }
    fn release(&self, _: Permit) {}
    fn observe(&self, _: RateClass, _: &RateLimitHeaders) {}
    fn pause(&self, _: RateClass, _: Duration) {}
}

#[tokio::test(start_paused = true)]
async fn no_call_waits_in_the_limiter_longer_than_its_bound() {
    let server = Server::start(|_| ok(&[])).await;
    let stuck = Arc::new(Stuck {
        waiting: Mutex::new(0),
    });
    let client = builder(&server)
        .rate_limiter(stuck.clone())
        .build()
        .unwrap();
    let started = Instant::now();
    let err = within(Duration::from_secs(3600), list(&client))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Limiter { .. }), "{err:?}");
    // The default bound: 5 minutes.
    assert_eq!(started.elapsed(), Duration::from_secs(300));
    assert_eq!(server.received(), 0);
    assert_eq!(*stuck.waiting.lock().unwrap(), 1);
    assert!(err.to_string().contains("300s"), "{err}");

    let client = builder(&server)
        .rate_limiter(stuck.clone())
        .max_limiter_wait(Duration::from_secs(20))
        .build()
        .unwrap();
    let started = Instant::now();
    assert!(matches!(list(&client).await, Err(Error::Limiter { .. })));
    assert_eq!(started.elapsed(), Duration::from_secs(20));
}
