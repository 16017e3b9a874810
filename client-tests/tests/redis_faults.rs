//! The Redis-shared limiter when Redis misbehaves: a raw TCP proxy on
//! 127.0.0.1 in front of a real `redis-server` cuts the link (connections
//! are accepted and then nothing is answered, as in a network partition),
//! restores it, or delays Redis's replies, and counts the `EVALSHA`s (the
//! limiter's scripts) that reached Redis and that it swallowed. Redis and
//! the connections are real, so these tests run on real time (tokio's
//! paused clock would jump past Redis's replies); every bound is seconds
//! wide against what it separates.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use hubspot_associations::AssociationsExt as _;
use hubspot_associations::runtime::RedisRateLimiter;
use hubspot_associations::v2026_03::associations as assoc;
use hubspot_associations::{Client, Error};
use serde_json::json;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio::sync::watch;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

const LIST: &str = "/crm/objects/2026-03/contacts/101/associations/companies";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A `redis-server` of its own on a free port of 127.0.0.1, stopped on drop.
struct RedisServer {
    child: Child,
    port: u16,
}

impl RedisServer {
    async fn start() -> Self {
        let port = free_port();
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect(
                "redis-server is needed (Debian: apt-get install redis-server; .ci/run installs it)",
            );
        let server = Self { child, port };
        for _ in 0..100 {
            if TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("redis-server did not start on port {port}");
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// One command over a fresh connection; Redis's reply, first line.
    async fn command(&self, args: &[&str]) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).await.unwrap();
        let mut packed = format!("*{}\r\n", args.len());
        for arg in args {
            packed.push_str(&format!("${}\r\n{arg}\r\n", arg.len()));
        }
        stream.write_all(packed.as_bytes()).await.unwrap();
        let mut reply = Vec::new();
        let mut byte = [0u8; 1];
        while !reply.ends_with(b"\r\n") {
            stream.read_exact(&mut byte).await.unwrap();
            reply.push(byte[0]);
        }
        String::from_utf8_lossy(&reply).trim_end().to_owned()
    }

    /// Permits of `app`'s general budget now in Redis.
    async fn permits(&self, app: &str) -> u64 {
        let key = format!("hubspot:ratelimit:{{{app}}}:standard");
        let reply = self.command(&["ZCARD", &key]).await;
        reply.trim_start_matches(':').parse().unwrap()
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the proxy saw.
#[derive(Default)]
struct ProxyCounts {
    /// `EVALSHA`s passed on to Redis.
    forwarded: AtomicUsize,
    /// `EVALSHA`s read while the link was cut, never answered.
    swallowed: AtomicUsize,
    /// Connections accepted, in either state.
    connections: AtomicUsize,
}

/// A TCP proxy in front of Redis whose link can be cut and restored.
/// Cutting leaves connections open but silent; restoring closes the ones
/// that were silenced, so the client reconnects to a working link.
struct RedisProxy {
    port: u16,
    up: watch::Sender<bool>,
    reply_delay_ms: Arc<AtomicU64>,
    counts: Arc<ProxyCounts>,
    accept: tokio::task::JoinHandle<()>,
}

impl RedisProxy {
    async fn start(redis: &RedisServer) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (up, _) = watch::channel(true);
        let reply_delay_ms = Arc::new(AtomicU64::new(0));
        let counts = Arc::new(ProxyCounts::default());
        let redis_port = redis.port;
        let accept = {
            let up = up.clone();
            let reply_delay_ms = reply_delay_ms.clone();
            let counts = counts.clone();
            tokio::spawn(async move {
                while let Ok((client, _)) = listener.accept().await {
                    counts.connections.fetch_add(1, Ordering::SeqCst);
                    let mode = up.subscribe();
                    let (counts, delay) = (counts.clone(), reply_delay_ms.clone());
                    tokio::spawn(relay(client, redis_port, mode, counts, delay));
                }
            })
        };
        Self {
            port,
            up,
            reply_delay_ms,
            counts,
            accept,
        }
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    fn cut(&self) {
        self.up.send_replace(false);
    }

    fn restore(&self) {
        self.up.send_replace(true);
    }

    fn delay_replies(&self, delay: Duration) {
        self.reply_delay_ms
            .store(delay.as_millis() as u64, Ordering::SeqCst);
    }

    fn forwarded(&self) -> usize {
        self.counts.forwarded.load(Ordering::SeqCst)
    }

    fn swallowed(&self) -> usize {
        self.counts.swallowed.load(Ordering::SeqCst)
    }

    fn connections(&self) -> usize {
        self.counts.connections.load(Ordering::SeqCst)
    }
}

impl Drop for RedisProxy {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

/// Counts a RESP command name across reads (a name may straddle two).
struct CommandCounter {
    carry: Vec<u8>,
}

impl CommandCounter {
    const NEEDLE: &[u8] = b"\r\nEVALSHA\r\n";

    fn count(&mut self, chunk: &[u8]) -> usize {
        let mut seen = std::mem::take(&mut self.carry);
        seen.extend_from_slice(chunk);
        let found = seen
            .windows(Self::NEEDLE.len())
            .filter(|w| *w == Self::NEEDLE)
            .count();
        let keep = seen.len().min(Self::NEEDLE.len() - 1);
        self.carry = seen[seen.len() - keep..].to_vec();
        found
    }
}

/// One client connection: relayed while the link is up, silent once it was
/// cut, closed when it is restored.
async fn relay(
    client: TcpStream,
    redis_port: u16,
    mut up: watch::Receiver<bool>,
    counts: Arc<ProxyCounts>,
    reply_delay_ms: Arc<AtomicU64>,
) {
    let upstream = if *up.borrow_and_update() {
        TcpStream::connect(("127.0.0.1", redis_port)).await.ok()
    } else {
        None
    };
    let (mut from_client, mut to_client) = client.into_split();
    let Some(upstream) = upstream else {
        // Accepted while cut: read and count, answer nothing, until restored.
        let mut counter = CommandCounter { carry: Vec::new() };
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            tokio::select! {
                read = from_client.read(&mut buf) => match read {
                    Ok(n) if n > 0 => {
                        let calls = counter.count(&buf[..n]);
                        counts.swallowed.fetch_add(calls, Ordering::SeqCst);
                    }
                    _ => return,
                },
                changed = up.changed() => if changed.is_err() || *up.borrow_and_update() {
                    return;
                },
            }
        }
    };
    let (mut from_redis, mut to_redis) = upstream.into_split();
    let replies = {
        let mut up = up.clone();
        async move {
            let mut cut = false;
            let mut buf = vec![0u8; 16 * 1024];
            loop {
                tokio::select! {
                    read = from_redis.read(&mut buf), if !cut => match read {
                        Ok(n) if n > 0 => {
                            let delay = reply_delay_ms.load(Ordering::SeqCst);
                            tokio::time::sleep(Duration::from_millis(delay)).await;
                            if to_client.write_all(&buf[..n]).await.is_err() {
                                return;
                            }
                        }
                        _ => return,
                    },
                    changed = up.changed() => {
                        let now_up = changed.is_ok() && *up.borrow_and_update();
                        if changed.is_err() || (cut && now_up) {
                            return;
                        }
                        cut |= !now_up;
                    }
                }
            }
        }
    };
    let requests = async move {
        let mut cut = false;
        let mut counter = CommandCounter { carry: Vec::new() };
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            tokio::select! {
                read = from_client.read(&mut buf) => match read {
                    Ok(n) if n > 0 => {
                        let calls = counter.count(&buf[..n]);
                        if cut {
                            counts.swallowed.fetch_add(calls, Ordering::SeqCst);
                        } else {
                            counts.forwarded.fetch_add(calls, Ordering::SeqCst);
                            if to_redis.write_all(&buf[..n]).await.is_err() {
                                return;
                            }
                        }
                    }
                    _ => return,
                },
                changed = up.changed() => {
                    let now_up = changed.is_ok() && *up.borrow_and_update();
                    if changed.is_err() || (cut && now_up) {
                        return;
                    }
                    cut |= !now_up;
                }
            }
        }
    };
    // Either side ending closes both (the halves drop here).
    tokio::select! {
        () = replies => {}
        () = requests => {}
    }
}

async fn hubspot() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path(LIST))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"results": [{"toObjectId": "7", "associationTypes": []}]})),
        )
        .mount(&server)
        .await;
    server
}

async fn received(server: &MockServer) -> usize {
    server.received_requests().await.unwrap_or_default().len()
}

/// A client with default settings (retries and limiter on) but `limiter`.
fn client(server: &MockServer, limiter: RedisRateLimiter) -> Client {
    Client::builder("pat-na1-worker-secret")
        .base_url(server.uri())
        .rate_limiter(limiter)
        .build()
        .unwrap()
}

async fn list_once(client: &Client) -> Result<(), Error> {
    let api = client.associations().v2026_03();
    let params = assoc::ListParams::new();
    let call = api.list("contacts", "101", "companies", &params);
    tokio::time::timeout(Duration::from_secs(20), call)
        .await
        .expect("a call ends within 20 s")
        .map(|_| ())
}

async fn fail_open(app: &str, url: &str) -> RedisRateLimiter {
    RedisRateLimiter::builder(app)
        .fail_open(true)
        .connect(url)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fail_open_asks_a_lost_redis_about_once_a_second_not_on_every_call() {
    let redis = RedisServer::start().await;
    let proxy = RedisProxy::start(&redis).await;
    let server = hubspot().await;
    let client = client(&server, fail_open("app-lost", &proxy.url()).await);
    list_once(&client).await.unwrap();
    assert_eq!(
        redis.permits("app-lost").await,
        1,
        "the shared budget first"
    );

    proxy.cut();
    let started = Instant::now();
    for _ in 0..20 {
        list_once(&client).await.unwrap();
    }
    let took = started.elapsed();
    // The first call waits out Redis's 1 s reply timeout, then the fallback
    // serves the rest without asking Redis until a second has passed.
    assert!(took < Duration::from_secs(4), "20 calls took {took:?}");
    assert!(
        proxy.swallowed() <= 2,
        "Redis asked {} times in {took:?} while lost ({} connections in all)",
        proxy.swallowed(),
        proxy.connections()
    );
    assert_eq!(received(&server).await, 21, "every call was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fail_open_returns_to_the_shared_budget_about_a_second_after_redis_answers() {
    let redis = RedisServer::start().await;
    let proxy = RedisProxy::start(&redis).await;
    let server = hubspot().await;
    let client = client(&server, fail_open("app-back", &proxy.url()).await);
    list_once(&client).await.unwrap();
    assert_eq!(redis.permits("app-back").await, 1);

    proxy.cut();
    list_once(&client).await.unwrap();
    // At most the one call that found Redis lost (a busy machine may see the
    // cut before the script is written, and then nothing is swallowed).
    assert!(proxy.swallowed() <= 1, "the call that found Redis lost");
    proxy.restore();
    let restored = Instant::now();
    let mut calls = 0;
    while redis.permits("app-back").await < 2 {
        assert!(
            restored.elapsed() < Duration::from_secs(5),
            "{calls} calls in 5 s after Redis came back, none on the shared budget"
        );
        list_once(&client).await.unwrap();
        calls += 1;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Skipped for at most a second after the last failure, then a reconnect.
    assert!(restored.elapsed() < Duration::from_secs(3));
    assert!(proxy.forwarded() >= 2);
    assert_eq!(received(&server).await, 2 + calls);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_permit_taken_as_max_limiter_wait_gives_up_is_freed_at_once() {
    let redis = RedisServer::start().await;
    let proxy = RedisProxy::start(&redis).await;
    let server = hubspot().await;
    // One request per 10 s for the fleet: a slot left behind blocks the other.
    let slow = RedisRateLimiter::builder("app-cancel")
        .rate_limit(1, Duration::from_secs(10))
        .connect(&proxy.url())
        .await
        .unwrap();
    let other = RedisRateLimiter::builder("app-cancel")
        .rate_limit(1, Duration::from_secs(10))
        .connect(&redis.url())
        .await
        .unwrap();
    // Another app's call loads the script, so a late reply is its "yes".
    let warm_up = client(&server, fail_open("app-warm-up", &redis.url()).await);
    list_once(&warm_up).await.unwrap();
    // Redis takes the permit at once; its "yes" reaches the worker too late.
    proxy.delay_replies(Duration::from_millis(1500));
    let slow = Client::builder("pat-na1-worker-secret")
        .base_url(server.uri())
        .rate_limiter(slow)
        .max_limiter_wait(Duration::from_millis(100))
        .build()
        .unwrap();
    let err = list_once(&slow).await.unwrap_err();
    assert!(matches!(err, Error::Limiter { .. }), "{err:?}");
    assert_eq!(received(&server).await, 1, "nothing sent without leave");

    let other = Client::builder("pat-na1-worker-secret")
        .base_url(server.uri())
        .rate_limiter(other)
        .max_limiter_wait(Duration::from_secs(5))
        .build()
        .unwrap();
    let started = Instant::now();
    list_once(&other)
        .await
        .expect("the abandoned slot is free, not held for 60 s + 10 s");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(received(&server).await, 2);
    assert_eq!(redis.permits("app-cancel").await, 1, "only the sent one");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fail_open_falls_back_while_a_failover_leaves_redis_read_only() {
    let redis = RedisServer::start().await;
    let server = hubspot().await;
    let open = client(&server, fail_open("app-replica", &redis.url()).await);
    let closed_limiter = RedisRateLimiter::builder("app-replica")
        .connect(&redis.url())
        .await
        .unwrap();
    let closed = client(&server, closed_limiter);
    list_once(&open).await.unwrap();
    list_once(&closed).await.unwrap();
    assert_eq!(redis.permits("app-replica").await, 2);

    // A failover demotes this Redis to a replica (of a master not there).
    let gone = free_port().to_string();
    let demoted = redis.command(&["REPLICAOF", "127.0.0.1", &gone]).await;
    assert_eq!(demoted, "+OK");
    for _ in 0..5 {
        list_once(&open).await.unwrap();
    }
    let err = list_once(&closed).await.unwrap_err();
    assert!(
        matches!(&err, Error::Limiter { source, .. } if source.to_string().contains("read only replica")),
        "fail closed still refuses: {err:?}"
    );
    assert_eq!(received(&server).await, 7);
    assert_eq!(redis.permits("app-replica").await, 2, "nothing written");

    // Promoted back: within about a second the shared budget again.
    assert_eq!(redis.command(&["REPLICAOF", "NO", "ONE"]).await, "+OK");
    let promoted = Instant::now();
    while redis.permits("app-replica").await < 3 {
        assert!(promoted.elapsed() < Duration::from_secs(5), "not back");
        list_once(&open).await.unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fail_open_still_fails_on_a_redis_error_that_is_a_mistake() {
    let redis = RedisServer::start().await;
    let server = hubspot().await;
    // The budget's key taken by something else: WRONGTYPE on every call,
    // which waiting does not fix, so it is reported, not run unlimited.
    let key = "hubspot:ratelimit:{app-clash}:standard";
    assert_eq!(redis.command(&["SET", key, "not a budget"]).await, "+OK");
    let open = client(&server, fail_open("app-clash", &redis.url()).await);
    let err = list_once(&open).await.unwrap_err();
    assert!(
        matches!(&err, Error::Limiter { source, .. } if source.to_string().contains("WRONGTYPE")),
        "{err:?}"
    );
    assert_eq!(received(&server).await, 0);
}
