//! One budget for many workers: three clients with their own limiters,
//! sharing one real `redis-server` on 127.0.0.1, send 300 calls to a server
//! that answers 429 above 20 per second (HubSpot's 100 per 10 s, scaled down
//! so the test takes seconds) and receive no 429. The same three clients
//! with in-process limiters get 429s, so the test can fail.

mod support;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use hubspot_associations::AssociationsExt as _;
use hubspot_associations::runtime::{RedisRateLimiter, RetryPolicy};
use hubspot_associations::v2026_03::associations as assoc;
use hubspot_associations::{Client, ClientBuilder, Error};
use serde_json::json;
use support::RollingWindow;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer};

const LIST: &str = "/crm/objects/2026-03/contacts/101/associations/companies";
const MAX: u32 = 20;
const WINDOW: Duration = Duration::from_secs(1);
const CALLS_PER_CLIENT: usize = 100;

/// A `redis-server` of its own on a free port of 127.0.0.1, stopped on drop.
struct RedisServer {
    child: Child,
    url: String,
}

impl RedisServer {
    async fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect(
                "redis-server is needed (Debian: apt-get install redis-server; .ci/run installs it)",
            );
        let server = Self {
            child,
            url: format!("redis://127.0.0.1:{port}/"),
        };
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("redis-server did not start on port {port}");
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn page() -> serde_json::Value {
    json!({"results": [{"toObjectId": "7", "associationTypes": []}]})
}

fn builder(server: &MockServer) -> ClientBuilder {
    // The default retry policy, but 429s are waited out up to 5 s.
    Client::builder("pat-na1-worker-secret")
        .base_url(server.uri())
        .retry_policy(RetryPolicy {
            max_retry_after: Duration::from_secs(5),
            ..RetryPolicy::default()
        })
}

/// Three workers, each sending its share at once; the results of all calls.
async fn run(clients: Vec<Client>) -> Vec<Result<(), Error>> {
    let workers = clients.into_iter().map(|client| async move {
        let api = client.associations().v2026_03();
        let params = assoc::ListParams::new();
        let calls = (0..CALLS_PER_CLIENT).map(|_| {
            let api = &api;
            let params = &params;
            async move {
                api.list("contacts", "101", "companies", params)
                    .await
                    .map(|_| ())
            }
        });
        futures::future::join_all(calls).await
    });
    futures::future::join_all(workers)
        .await
        .into_iter()
        .flatten()
        .collect()
}

async fn hubspot() -> (MockServer, RollingWindow) {
    let window = RollingWindow::new(MAX as usize, WINDOW, true, page());
    let server = MockServer::start().await;
    Mock::given(path(LIST))
        .respond_with(window.clone())
        .mount(&server)
        .await;
    (server, window)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_workers_sharing_redis_stay_under_one_limit() {
    let redis = RedisServer::start().await;
    let (server, hubspot) = hubspot().await;
    let mut clients = Vec::new();
    for _ in 0..3 {
        // A limiter (and Redis connection) per worker, as in separate processes.
        let limiter = RedisRateLimiter::builder("app-1234567")
            .rate_limit(MAX, WINDOW)
            .connect(&redis.url)
            .await
            .unwrap();
        clients.push(builder(&server).rate_limiter(limiter).build().unwrap());
    }
    let results = run(clients).await;
    assert_eq!(results.len(), 300);
    for result in &results {
        assert!(result.is_ok(), "{result:?}");
    }
    assert_eq!(hubspot.rejected(), 0, "no 429 with one shared budget");
    assert_eq!(hubspot.ok(), 300);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_workers_with_their_own_limiters_get_429s() {
    let (server, hubspot) = hubspot().await;
    let clients = (0..3)
        .map(|_| builder(&server).rate_limit(MAX, WINDOW).build().unwrap())
        .collect();
    let results = run(clients).await;
    assert_eq!(results.len(), 300);
    assert!(
        hubspot.rejected() > 0,
        "each worker alone keeps to the limit, together they exceed it"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_redis_is_a_typed_error() {
    let redis = RedisServer::start().await;
    let (server, _) = hubspot().await;
    let limiter = RedisRateLimiter::builder("app-7")
        .connect(&redis.url)
        .await
        .unwrap();
    let client = builder(&server).rate_limiter(limiter).build().unwrap();
    let api = client.associations().v2026_03();
    let params = assoc::ListParams::new();
    api.list("contacts", "101", "companies", &params)
        .await
        .unwrap();
    drop(redis);
    let result = tokio::time::timeout(
        Duration::from_secs(10),
        api.list("contacts", "101", "companies", &params),
    )
    .await
    .expect("fails rather than waits");
    let err = result.unwrap_err();
    assert!(matches!(err, Error::Limiter { .. }), "{err:?}");
}

fn list_ok() -> wiremock::ResponseTemplate {
    wiremock::ResponseTemplate::new(200).set_body_json(page())
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap_or_default().len()
}

async fn worker(redis: &RedisServer, server: &MockServer, policy: RetryPolicy) -> Client {
    let limiter = RedisRateLimiter::builder("app-bounds")
        .connect(&redis.url)
        .await
        .unwrap();
    Client::builder("pat-na1-worker-secret")
        .base_url(server.uri())
        .retry_policy(policy)
        .rate_limiter(limiter)
        .build()
        .unwrap()
}

async fn list_once(client: &Client) -> Result<(), Error> {
    client
        .associations()
        .v2026_03()
        .list("contacts", "101", "companies", &assoc::ListParams::new())
        .await
        .map(|_| ())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_after_beyond_the_cap_pauses_the_fleet_only_up_to_it() {
    let redis = RedisServer::start().await;
    let server = MockServer::start().await;
    Mock::given(path(LIST))
        .respond_with(
            wiremock::ResponseTemplate::new(429)
                .insert_header("Retry-After", "3600")
                .set_body_json(support::rate_limit_body("TEN_SECONDLY_ROLLING")),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path(LIST))
        .respond_with(list_ok())
        .mount(&server)
        .await;
    let policy = RetryPolicy {
        max_retry_after: Duration::from_secs(1),
        ..RetryPolicy::default()
    };
    let first = worker(&redis, &server, policy.clone()).await;
    let other = worker(&redis, &server, policy).await;
    let err = list_once(&first).await.unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    // Let the shared pause land in Redis (it is set without waiting).
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = std::time::Instant::now();
    tokio::time::timeout(Duration::from_secs(10), list_once(&other))
        .await
        .expect("the fleet is paused at most max_retry_after, not 3600 s")
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn absurd_rate_limit_headers_never_break_the_shared_script() {
    let redis = RedisServer::start().await;
    let server = MockServer::start().await;
    // An interval of 584 million years, then a limit of nothing.
    for (max, interval, remaining) in [("5", "18446744073709551615", "4"), ("0", "0", "0")] {
        Mock::given(path(LIST))
            .respond_with(
                list_ok()
                    .insert_header("X-HubSpot-RateLimit-Max", max)
                    .insert_header("X-HubSpot-RateLimit-Interval-Milliseconds", interval)
                    .insert_header("X-HubSpot-RateLimit-Remaining", remaining),
            )
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    // Later answers carry good figures, which must still be adopted.
    Mock::given(path(LIST))
        .respond_with(
            list_ok()
                .insert_header("X-HubSpot-RateLimit-Max", "50")
                .insert_header("X-HubSpot-RateLimit-Interval-Milliseconds", "1000"),
        )
        .mount(&server)
        .await;
    let limiter = RedisRateLimiter::builder("app-headers")
        .connect(&redis.url)
        .await
        .unwrap();
    let client = Client::builder("pat-na1-worker-secret")
        .base_url(server.uri())
        .rate_limiter(limiter.clone())
        .build()
        .unwrap();
    for call in 0..10 {
        tokio::time::timeout(Duration::from_secs(90), list_once(&client))
            .await
            .unwrap_or_else(|_| panic!("call {call} stalled"))
            .unwrap_or_else(|e| panic!("call {call}: {e:?}"));
    }
    assert_eq!(limiter.limits().0.max, 50);
    assert_eq!(limiter.limits().0.window, Duration::from_secs(1));
    assert_eq!(requests(&server).await, 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_daily_429_stops_the_whole_fleet_without_round_trips() {
    let redis = RedisServer::start().await;
    let server = MockServer::start().await;
    Mock::given(path(LIST))
        .respond_with(
            wiremock::ResponseTemplate::new(429).set_body_json(support::rate_limit_body("DAILY")),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path(LIST))
        .respond_with(list_ok())
        .mount(&server)
        .await;
    let first = worker(&redis, &server, RetryPolicy::default()).await;
    let other = worker(&redis, &server, RetryPolicy::default()).await;
    let err = list_once(&first).await.unwrap_err();
    assert!(matches!(err, Error::DailyLimitExceeded { .. }), "{err:?}");
    // The shared flag is set without waiting for Redis.
    tokio::time::sleep(Duration::from_millis(100)).await;
    for client in [&other, &first] {
        let err = list_once(client).await.unwrap_err();
        assert!(matches!(err, Error::DailyLimitExceeded { .. }), "{err:?}");
    }
    assert_eq!(
        requests(&server).await,
        1,
        "nothing sent after the DAILY 429"
    );
}

/// A port of 127.0.0.1 nothing listens on.
fn closed_port_url() -> String {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("redis://127.0.0.1:{port}/")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fail_open_falls_back_to_an_in_process_budget_while_redis_is_lost() {
    let redis = RedisServer::start().await;
    let (server, _) = hubspot().await;
    let limiter = RedisRateLimiter::builder("app-open")
        .fail_open(true)
        .connect(&redis.url)
        .await
        .unwrap();
    let client = builder(&server).rate_limiter(limiter).build().unwrap();
    list_once(&client).await.unwrap();
    drop(redis);
    for _ in 0..3 {
        tokio::time::timeout(Duration::from_secs(10), list_once(&client))
            .await
            .expect("goes on rather than waits")
            .unwrap();
    }
    assert_eq!(requests(&server).await, 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_redis_at_all_fail_open_runs_and_fail_closed_refuses() {
    let (server, _) = hubspot().await;
    let url = closed_port_url();
    let closed = RedisRateLimiter::builder("app-closed").connect(&url).await;
    assert!(closed.is_err(), "fail closed: connect reports it");
    let limiter = RedisRateLimiter::builder("app-open")
        .fail_open(true)
        .connect(&url)
        .await
        .unwrap();
    let client = builder(&server).rate_limiter(limiter).build().unwrap();
    for _ in 0..3 {
        tokio::time::timeout(Duration::from_secs(10), list_once(&client))
            .await
            .expect("goes on rather than waits")
            .unwrap();
    }
    assert_eq!(requests(&server).await, 3);
}
