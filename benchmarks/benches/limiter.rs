//! Bench 5: the rate limiter's overhead per call. One `list` call through
//! the whole client (auth header, limiter, retry loop, decode) against
//! `MockHttp`, so no network time hides the limiter's cost: no limiter, the
//! default in-process limiter, and `RedisRateLimiter` on a local
//! `redis-server` (skipped when none is installed). The limits are far above
//! the call rate, so nothing waits: this is pure bookkeeping cost.
//!
//! `cargo bench -p benchmarks --bench limiter`

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::LazyLock;
use std::time::Duration;

use divan::Bencher;
use hubspot_associations::AssociationsExt as _;
use hubspot_associations::Client;
use hubspot_associations::runtime::{
    InProcessLimiter, Limit, MockHttp, MockResponse, RateClass, RateLimiter, RedisRateLimiter,
};
use hubspot_associations::v2026_03::associations::ListParams;

fn main() {
    // Started before timing: the first bench would otherwise pay for it.
    LazyLock::force(&FIXTURE);
    divan::main();
}

const LIST: &str = "/crm/objects/2026-03/contacts/101/associations/companies";
const PAGE: &str = r#"{"results":[{"toObjectId":"7","associationTypes":[{"category":"HUBSPOT_DEFINED","typeId":1,"label":null}]}]}"#;

struct Fixture {
    rt: tokio::runtime::Runtime,
    none: Client,
    in_process: Client,
    /// With the `redis-server` it talks to.
    redis: Option<(Client, RedisProcess)>,
    /// The limiters alone (the Redis one on the same server).
    in_process_limiter: InProcessLimiter,
    redis_limiter: Option<RedisRateLimiter>,
}

struct RedisProcess(Child);

impl Drop for RedisProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn mock() -> MockHttp {
    let mock = MockHttp::new();
    mock.respond("GET", LIST, MockResponse::json(200, PAGE));
    mock
}

fn start_redis(rt: &tokio::runtime::Runtime) -> Option<(Client, RedisProcess, RedisRateLimiter)> {
    let port = TcpListener::bind("127.0.0.1:0")
        .ok()?
        .local_addr()
        .ok()?
        .port();
    let child = Command::new("redis-server")
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
        .args(["--save", "", "--appendonly", "no"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let process = RedisProcess(child);
    let url = format!("redis://127.0.0.1:{port}/");
    let limiter = rt.block_on(async {
        for _ in 0..100 {
            let limiter = RedisRateLimiter::builder("bench")
                .rate_limit(1_000_000_000, Duration::from_secs(1))
                .connect(&url)
                .await;
            if let Ok(limiter) = limiter {
                return Some(limiter);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        None
    })?;
    let client = Client::builder("pat-bench")
        .http(mock())
        .rate_limiter(limiter.clone())
        .build()
        .ok()?;
    Some((client, process, limiter))
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let (redis, redis_limiter) = match start_redis(&rt) {
        Some((client, process, limiter)) => (Some((client, process)), Some(limiter)),
        None => {
            eprintln!("redis-server not found: the Redis benches are skipped");
            (None, None)
        }
    };
    Fixture {
        none: Client::builder("pat-bench")
            .http(mock())
            .no_rate_limit()
            .build()
            .unwrap(),
        in_process: Client::builder("pat-bench")
            .http(mock())
            .rate_limit(1_000_000_000, Duration::from_secs(1))
            .build()
            .unwrap(),
        redis,
        in_process_limiter: InProcessLimiter::new(
            Limit::new(1_000_000_000, Duration::from_secs(1)),
            Limit::new(1_000_000_000, Duration::from_secs(1)),
        ),
        redis_limiter,
        rt,
    }
});

fn call(client: &Client) {
    let f = &*FIXTURE;
    let page =
        f.rt.block_on(client.associations().v2026_03().list(
            "contacts",
            "101",
            "companies",
            &ListParams::new(),
        ))
        .unwrap();
    assert_eq!(page.results.len(), 1);
}

mod list_call {
    use super::*;

    #[divan::bench(sample_count = 2000)]
    fn no_limiter(bencher: Bencher) {
        bencher.bench(|| call(&FIXTURE.none));
    }

    #[divan::bench(sample_count = 2000)]
    fn in_process_limiter(bencher: Bencher) {
        bencher.bench(|| call(&FIXTURE.in_process));
    }

    #[divan::bench(sample_count = 2000)]
    fn redis_limiter(bencher: Bencher) {
        let Some((client, _)) = &FIXTURE.redis else {
            return;
        };
        bencher.bench(|| call(client));
    }
}

/// `acquire` then `release`, nothing else.
mod permit_only {
    use super::*;

    fn permit(limiter: &dyn RateLimiter) {
        let permit = FIXTURE
            .rt
            .block_on(limiter.acquire(RateClass::Standard))
            .unwrap();
        limiter.release(permit);
    }

    #[divan::bench(sample_count = 2000)]
    fn in_process(bencher: Bencher) {
        bencher.bench(|| permit(&FIXTURE.in_process_limiter));
    }

    #[divan::bench(sample_count = 2000)]
    fn redis(bencher: Bencher) {
        let Some(limiter) = &FIXTURE.redis_limiter else {
            return;
        };
        bencher.bench(|| permit(limiter));
    }
}
