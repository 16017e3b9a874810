//! OAuth under a failing token endpoint, on tokio's paused clock, against a
//! raw 127.0.0.1 server that is both the token endpoint and the API and
//! counts what each received: a still-valid token outlives a failing
//! refresh, one refresh is shared by every waiting call and its failure
//! cached for a while, a call waits for a token no longer than its
//! timeout, and no answer of the token endpoint panics the client.

mod raw_http;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hubspot_associations::AssociationsExt as _;
use hubspot_associations::runtime::{AuthError, OAuth};
use hubspot_associations::v2026_03::associations as assoc;
use hubspot_associations::{Client, Error};
use raw_http::read_request;
use tokio::io::{AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;

const LIST_BODY: &str = r#"{"results":[{"toObjectId":"7","associationTypes":[]}]}"#;

/// What the token endpoint does with the next request.
#[derive(Clone)]
enum TokenReply {
    /// 200 with `access-N` (N counting the endpoint's requests from 1) and
    /// this JSON text as `expires_in`.
    Issue(&'static str),
    /// Like `Issue`, after this long.
    Slow(Duration, &'static str),
    /// This status with HubSpot's error body.
    Status(u16),
    /// Reads the request and never answers.
    Stall,
    /// These bytes, then close.
    Raw(String),
}

#[derive(Clone)]
struct Endpoints {
    url: String,
    reply: Arc<Mutex<TokenReply>>,
    token_requests: Arc<AtomicUsize>,
    /// The `Authorization` of each API request, in arrival order.
    api_seen: Arc<Mutex<Vec<String>>>,
    /// Answered 401 by the API.
    rejected: Arc<Mutex<Vec<String>>>,
    /// How long the API takes to answer its first requests, in arrival order.
    api_delays: Arc<Mutex<Vec<Duration>>>,
    /// When each issued token expires: its request's arrival plus `expires_in`.
    expiries: Arc<Mutex<HashMap<String, Instant>>>,
    /// The `Authorization` of each API request that carried an expired token.
    sent_expired: Arc<Mutex<Vec<String>>>,
}

impl Endpoints {
    fn set(&self, reply: TokenReply) {
        *self.reply.lock().unwrap() = reply;
    }

    fn token_requests(&self) -> usize {
        self.token_requests.load(Ordering::SeqCst)
    }

    fn api_seen(&self) -> Vec<String> {
        self.api_seen.lock().unwrap().clone()
    }

    fn sent_expired(&self) -> Vec<String> {
        self.sent_expired.lock().unwrap().clone()
    }

    fn client(&self, timeout: Duration) -> Client {
        let oauth = OAuth::refresh_token("client-id", "client-secret", "refresh-token");
        Client::builder_with_auth(oauth)
            .base_url(&self.url)
            .timeout(timeout)
            .build()
            .unwrap()
    }
}

fn response(status: u16, body: &str) -> String {
    format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
}

async fn serve(stream: TcpStream, endpoints: Endpoints) {
    let mut reader = BufReader::new(stream);
    while let Some(request) = read_request(&mut reader).await {
        let stream = reader.get_mut();
        if !request.starts_with("POST /oauth/") {
            let auth = request
                .lines()
                .find_map(|l| l.strip_prefix("authorization: "))
                .unwrap_or_default()
                .to_owned();
            let delay = {
                let mut delays = endpoints.api_delays.lock().unwrap();
                (!delays.is_empty()).then(|| delays.remove(0))
            };
            let answer = if endpoints.rejected.lock().unwrap().contains(&auth) {
                response(
                    401,
                    r#"{"status":"error","category":"INVALID_AUTHENTICATION"}"#,
                )
            } else {
                response(200, LIST_BODY)
            };
            let expiry = endpoints.expiries.lock().unwrap().get(&auth).copied();
            if expiry.is_some_and(|expiry| Instant::now() >= expiry) {
                endpoints.sent_expired.lock().unwrap().push(auth.clone());
            }
            endpoints.api_seen.lock().unwrap().push(auth);
            tokio::time::sleep(delay.unwrap_or_default()).await;
            if stream.write_all(answer.as_bytes()).await.is_err() {
                return;
            }
            continue;
        }
        let n = endpoints.token_requests.fetch_add(1, Ordering::SeqCst) + 1;
        let reply = endpoints.reply.lock().unwrap().clone();
        let arrived = Instant::now();
        let issue = |expires_in: &str| {
            let expiry = expires_in
                .parse::<f64>()
                .ok()
                .and_then(|s| Duration::try_from_secs_f64(s).ok())
                .and_then(|life| arrived.checked_add(life));
            if let Some(expiry) = expiry {
                let token = format!("Bearer access-{n}");
                endpoints.expiries.lock().unwrap().insert(token, expiry);
            }
            let body = format!(
                r#"{{"token_type":"bearer","access_token":"access-{n}","refresh_token":"refresh-token","expires_in":{expires_in}}}"#
            );
            response(200, &body)
        };
        let answer = match reply {
            TokenReply::Issue(expires_in) => issue(expires_in),
            TokenReply::Slow(after, expires_in) => {
                tokio::time::sleep(after).await;
                issue(expires_in)
            }
            TokenReply::Status(status) => response(
                status,
                r#"{"status":"BAD_REFRESH_TOKEN","message":"missing or unknown refresh token"}"#,
            ),
            TokenReply::Stall => {
                // Holds the connection open without a byte of answer.
                std::future::pending::<()>().await;
                return;
            }
            TokenReply::Raw(bytes) => {
                let _ = stream.write_all(bytes.as_bytes()).await;
                return;
            }
        };
        if stream.write_all(answer.as_bytes()).await.is_err() {
            return;
        }
    }
}

async fn endpoints(first: TokenReply) -> Endpoints {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoints = Endpoints {
        url: format!("http://{}", listener.local_addr().unwrap()),
        reply: Arc::new(Mutex::new(first)),
        token_requests: Arc::default(),
        api_seen: Arc::default(),
        rejected: Arc::default(),
        api_delays: Arc::default(),
        expiries: Arc::default(),
        sent_expired: Arc::default(),
    };
    let shared = endpoints.clone();
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            tokio::spawn(serve(stream, shared.clone()));
        }
    });
    endpoints
}

async fn list(client: &Client) -> Result<(), Error> {
    client
        .associations()
        .v2026_03()
        .list("contacts", "101", "companies", &assoc::ListParams::new())
        .await
        .map(drop)
}

fn auth_source(result: Result<(), Error>) -> AuthError {
    match result {
        Err(Error::Auth { source, .. }) => source,
        other => panic!("expected Error::Auth, got {other:?}"),
    }
}

const CALL_TIMEOUT: Duration = Duration::from_secs(5);

#[tokio::test(start_paused = true)]
async fn a_valid_token_is_used_while_the_token_endpoint_fails() {
    // 30-minute tokens, refreshed from 25 minutes (the 5-minute margin).
    let endpoints = endpoints(TokenReply::Issue("1800")).await;
    let client = endpoints.client(CALL_TIMEOUT);
    let start = Instant::now();
    list(&client).await.unwrap();
    assert_eq!(endpoints.token_requests(), 1);

    // The endpoint fails from 25 minutes on: every call until the token
    // expires still succeeds with it, 5 concurrent calls a second.
    endpoints.set(TokenReply::Status(503));
    tokio::time::sleep_until(start + Duration::from_secs(1500)).await;
    let mut calls = 0;
    while start.elapsed() < Duration::from_secs(1780) {
        for result in futures::future::join_all((0..5).map(|_| list(&client))).await {
            result.unwrap();
            calls += 1;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    assert_eq!(calls, 5 * 280);
    let seen = endpoints.api_seen();
    assert!(seen.iter().all(|a| a == "Bearer access-1"), "{seen:?}");
    // Asked again once per 5 s failure backoff, not once per call.
    let failed = endpoints.token_requests() - 1;
    eprintln!("{calls} calls on the valid token, {failed} failed refreshes in 280 s");
    assert_eq!(failed, 280 / 5, "refreshes at 1500, 1505, … 1775 s");

    // The token is sent until 10 s before its expiry, not in them: then
    // the refresh's failure is the call's.
    tokio::time::sleep_until(start + Duration::from_secs(1789)).await;
    list(&client).await.unwrap();
    assert_eq!(endpoints.api_seen().last().unwrap(), "Bearer access-1");
    tokio::time::sleep_until(start + Duration::from_secs(1790)).await;
    let source = auth_source(list(&client).await);
    assert!(
        matches!(source, AuthError::Unavailable { status: 503 }),
        "{source:?}"
    );

    // The endpoint is back: the next call past the backoff gets a new token.
    endpoints.set(TokenReply::Issue("1800"));
    tokio::time::sleep(Duration::from_secs(6)).await;
    list(&client).await.unwrap();
    let seen = endpoints.api_seen();
    assert_eq!(
        seen.last().unwrap(),
        &format!("Bearer access-{}", endpoints.token_requests())
    );
}

#[tokio::test(start_paused = true)]
async fn a_refresh_ahead_of_expiry_runs_once_in_the_background() {
    let endpoints = endpoints(TokenReply::Issue("1800")).await;
    let client = endpoints.client(CALL_TIMEOUT);
    let start = Instant::now();
    list(&client).await.unwrap();
    // A slow endpoint past the refresh point: calls do not wait for it.
    endpoints.set(TokenReply::Slow(Duration::from_secs(3), "1800"));
    tokio::time::sleep_until(start + Duration::from_secs(1501)).await;
    let before = Instant::now();
    for result in futures::future::join_all((0..20).map(|_| list(&client))).await {
        result.unwrap();
    }
    assert!(
        before.elapsed() < Duration::from_secs(1),
        "{:?}",
        before.elapsed()
    );
    tokio::time::sleep(Duration::from_secs(4)).await;
    list(&client).await.unwrap();
    assert_eq!(endpoints.token_requests(), 2, "one refresh for 21 calls");
    let seen = endpoints.api_seen();
    assert!(
        seen[..21].iter().all(|a| a == "Bearer access-1"),
        "{seen:?}"
    );
    assert_eq!(seen[21], "Bearer access-2");
}

#[tokio::test(start_paused = true)]
async fn a_stalled_token_endpoint_fails_every_waiting_call_within_its_timeout() {
    let endpoints = endpoints(TokenReply::Stall).await;
    let client = endpoints.client(CALL_TIMEOUT);
    let start = Instant::now();
    let calls = (0..5).map(|_| async {
        let source = auth_source(list(&client).await);
        (source, start.elapsed())
    });
    for (source, elapsed) in futures::future::join_all(calls).await {
        assert!(matches!(source, AuthError::Timeout(_)), "{source:?}");
        assert_eq!(elapsed, CALL_TIMEOUT, "failed after {elapsed:?}");
    }
    assert_eq!(endpoints.token_requests(), 1, "one refresh for 5 calls");
    assert!(endpoints.api_seen().is_empty());

    // Calls a minute on: each backoff window asks the endpoint at most once.
    let mut failures = 0;
    while start.elapsed() < Duration::from_secs(60) {
        let calls = (0..5).map(|_| list(&client));
        for result in futures::future::join_all(calls).await {
            auth_source(result);
            failures += 1;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    assert!(failures >= 5 * 10, "{failures}");
    eprintln!(
        "{failures} failed calls in 60 s, {} token requests",
        endpoints.token_requests()
    );
    // A stalled refresh ends at its own timeout (10 s) and its failure is
    // kept 5 s: one request per 15 s at most.
    assert!(
        endpoints.token_requests() <= 60 / 15 + 1,
        "{} token requests",
        endpoints.token_requests()
    );
}

#[tokio::test(start_paused = true)]
async fn a_call_that_gives_up_does_not_cancel_the_shared_refresh() {
    let endpoints = endpoints(TokenReply::Slow(Duration::from_secs(8), "1800")).await;
    let client = endpoints.client(CALL_TIMEOUT);
    let start = Instant::now();
    let source = auth_source(list(&client).await);
    assert!(matches!(source, AuthError::Timeout(_)), "{source:?}");
    assert_eq!(start.elapsed(), CALL_TIMEOUT);
    // The refresh still completes for the calls that come after.
    tokio::time::sleep_until(start + Duration::from_secs(9)).await;
    list(&client).await.unwrap();
    assert_eq!(endpoints.token_requests(), 1);
    assert_eq!(endpoints.api_seen(), ["Bearer access-1"]);
}

#[tokio::test(start_paused = true)]
async fn a_refused_refresh_token_is_not_asked_again_for_every_call() {
    let endpoints = endpoints(TokenReply::Status(400)).await;
    let client = endpoints.client(CALL_TIMEOUT);
    for _ in 0..20 {
        let source = auth_source(list(&client).await);
        assert!(
            matches!(source, AuthError::Refused { status: 400, .. }),
            "{source:?}"
        );
    }
    let calls = (0..20).map(|_| list(&client));
    for result in futures::future::join_all(calls).await {
        auth_source(result);
    }
    assert_eq!(endpoints.token_requests(), 1);
    assert!(endpoints.api_seen().is_empty());
}

#[tokio::test(start_paused = true)]
async fn no_expires_in_panics_and_a_token_lives_at_most_a_day() {
    let absurd = [
        "18446744073709551615",
        "1e19",
        "1.7976931348623157e308",
        "99999999999999999999999999",
    ];
    for expires_in in absurd {
        let endpoints = endpoints(TokenReply::Issue(expires_in)).await;
        let client = endpoints.client(CALL_TIMEOUT);
        let start = Instant::now();
        list(&client).await.unwrap();
        tokio::time::sleep_until(start + Duration::from_secs(23 * 3600)).await;
        list(&client).await.unwrap();
        assert_eq!(endpoints.token_requests(), 1, "{expires_in}");
        // Past a day the token is renewed.
        tokio::time::sleep_until(start + Duration::from_secs(24 * 3600 + 1)).await;
        list(&client).await.unwrap();
        assert_eq!(endpoints.token_requests(), 2, "{expires_in}");
    }
    // Not a positive number of seconds: not a token to use.
    for expires_in in ["0", "-1", "-1e19", "\"soon\"", "[]", "true"] {
        let endpoints = endpoints(TokenReply::Issue(expires_in)).await;
        let source = auth_source(list(&endpoints.client(CALL_TIMEOUT)).await);
        assert!(
            matches!(source, AuthError::InvalidResponse { .. }),
            "{expires_in}: {source:?}"
        );
        assert!(endpoints.api_seen().is_empty());
    }
    // A number in a string, or a fraction, is taken.
    for expires_in in ["\"1800\"", "1799.5"] {
        let endpoints = endpoints(TokenReply::Issue(expires_in)).await;
        list(&endpoints.client(CALL_TIMEOUT)).await.unwrap();
    }
}

#[tokio::test(start_paused = true)]
async fn no_answer_of_the_token_endpoint_panics() {
    let big = format!(
        r#"{{"access_token":"{}","expires_in":1800}}"#,
        "a".repeat(4 << 20)
    );
    let answers = [
        response(200, "not json"),
        response(200, r#"{"access_token":7,"expires_in":1800}"#),
        response(200, r#"{"access_token":"two\nlines","expires_in":1800}"#),
        response(200, "[]"),
        response(204, ""),
        response(302, ""),
        response(401, "{}"),
        response(599, "{}"),
        "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 6\r\n\r\n<html>".into(),
        "HTTP/1.1 200 OK\r\ncontent-length: 500\r\n\r\n{\"access_token\":\"cut".into(),
        "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n".into(),
        "garbage\r\n\r\n".into(),
        response(200, &big),
    ];
    for answer in answers {
        let endpoints = endpoints(TokenReply::Raw(answer.clone())).await;
        let result = list(&endpoints.client(CALL_TIMEOUT)).await;
        let head: String = answer.chars().take(60).collect();
        match result {
            // A 4 MB token is still a token a header can carry.
            Ok(()) => assert!(answer.len() > 1 << 20, "{head}"),
            Err(Error::Auth { .. }) => {}
            Err(other) => panic!("{head}: {other:?}"),
        }
    }
}

#[tokio::test(start_paused = true)]
async fn the_token_timeout_and_the_failure_backoff_are_configurable() {
    let endpoints = endpoints(TokenReply::Stall).await;
    let oauth = OAuth::refresh_token("client-id", "client-secret", "refresh-token")
        .token_timeout(Duration::from_secs(2))
        .failure_backoff(Duration::from_secs(30));
    let client = Client::builder_with_auth(oauth)
        .base_url(&endpoints.url)
        .timeout(CALL_TIMEOUT)
        .build()
        .unwrap();
    let start = Instant::now();
    let source = auth_source(list(&client).await);
    assert!(
        matches!(source, AuthError::Timeout(t) if t == Duration::from_secs(2)),
        "{source:?}"
    );
    assert_eq!(start.elapsed(), Duration::from_secs(2));
    // The failure is kept 30 s: answered at once, without a request.
    tokio::time::sleep_until(start + Duration::from_secs(31)).await;
    auth_source(list(&client).await);
    assert_eq!(start.elapsed(), Duration::from_secs(31));
    assert_eq!(endpoints.token_requests(), 1);
    // Then asked again, once, from the instant the backoff ends.
    endpoints.set(TokenReply::Issue("1800"));
    tokio::time::sleep_until(start + Duration::from_secs(32)).await;
    list(&client).await.unwrap();
    assert_eq!(endpoints.token_requests(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_401_for_a_token_another_call_already_replaced_reuses_the_new_one() {
    let endpoints = endpoints(TokenReply::Issue("1800")).await;
    endpoints
        .rejected
        .lock()
        .unwrap()
        .push("Bearer access-1".into());
    // Both calls send access-1; the second 401 arrives 2 s after the first,
    // when the first call has already replaced the token.
    *endpoints.api_delays.lock().unwrap() = vec![Duration::ZERO, Duration::from_secs(2)];
    let client = endpoints.client(CALL_TIMEOUT);
    let (first, second) = tokio::join!(list(&client), list(&client));
    first.unwrap();
    second.unwrap();
    assert_eq!(endpoints.token_requests(), 2, "one refresh for both 401s");
    let seen = endpoints.api_seen();
    assert_eq!(
        seen,
        [
            "Bearer access-1",
            "Bearer access-1",
            "Bearer access-2",
            "Bearer access-2"
        ]
    );
}

/// A token endpoint issuing tokens that live a second or less must not be
/// asked for one on every call: it is asked at most once per 5 s, each
/// token is sent only while it is valid, and the calls in between get a
/// clear error at once. An 8 s token is refreshed in the background from
/// 5 s on (not from half its life), while still valid: no call fails.
#[tokio::test(start_paused = true)]
async fn short_lived_tokens_do_not_start_a_refresh_storm() {
    for expires_in in ["1", "0.001", "5", "8"] {
        let endpoints = endpoints(TokenReply::Issue(expires_in)).await;
        let client = endpoints.client(CALL_TIMEOUT);
        let start = Instant::now();
        let (mut sent, mut refused) = (0, 0);
        // 1,000 calls across 5 minutes, one every 300 ms.
        for i in 0..1000 {
            let at = start + Duration::from_millis(300 * i);
            tokio::time::sleep_until(at).await;
            match list(&client).await {
                Ok(()) => sent += 1,
                Err(error) => {
                    let source = auth_source(Err(error));
                    assert!(
                        matches!(&source, AuthError::InvalidResponse { message } if message.contains("expires_in")),
                        "{expires_in}: {source:?}"
                    );
                    assert_eq!(Instant::now(), at, "{expires_in}: answered at once");
                    refused += 1;
                }
            }
        }
        let requests = endpoints.token_requests();
        eprintln!(
            "expires_in {expires_in}: 1000 calls in 300 s, {requests} token requests, {sent} sent, {refused} refused"
        );
        assert!(requests <= 300 / 5 + 1, "{expires_in}: {requests}");
        // Still renewed every 5 s, not given up on.
        assert!(requests >= 300 / 6, "{expires_in}: {requests}");
        assert!(endpoints.sent_expired().is_empty(), "{expires_in}");
        assert_eq!(endpoints.api_seen().len(), sent);
        // Each token reached at least the call that waited for it.
        assert!(sent >= requests, "{expires_in}: {sent} < {requests}");
        if expires_in == "8" {
            assert_eq!(refused, 0);
        }
    }
}

/// A token that expires before it arrives (a slow endpoint, or a life
/// rounding to nothing) is an error, never an expired token sent to HubSpot.
#[tokio::test(start_paused = true)]
async fn a_token_expired_on_arrival_is_never_sent() {
    for reply in [
        TokenReply::Slow(Duration::from_secs(2), "1"),
        TokenReply::Issue("1e-10"),
    ] {
        let endpoints = endpoints(reply).await;
        let client = endpoints.client(CALL_TIMEOUT);
        for _ in 0..3 {
            let source = auth_source(list(&client).await);
            assert!(
                matches!(&source, AuthError::InvalidResponse { message } if message.contains("expired")),
                "{source:?}"
            );
        }
        assert!(
            endpoints.api_seen().is_empty(),
            "{:?}",
            endpoints.api_seen()
        );
        assert_eq!(endpoints.token_requests(), 1, "then the failure backoff");
    }
}

/// A refusal (a revoked refresh token, a wrong client secret) will not fix
/// itself: the endpoint is asked again once a minute, not every 5 s, while
/// each call still gets the refusal at once.
#[tokio::test(start_paused = true)]
async fn a_refused_refresh_is_asked_again_once_a_minute() {
    let endpoints = endpoints(TokenReply::Status(400)).await;
    let client = endpoints.client(CALL_TIMEOUT);
    let start = Instant::now();
    for second in 0..300 {
        let at = start + Duration::from_secs(second);
        tokio::time::sleep_until(at).await;
        let source = auth_source(list(&client).await);
        assert!(
            matches!(source, AuthError::Refused { status: 400, .. }),
            "{source:?}"
        );
        assert_eq!(Instant::now(), at, "answered at once");
    }
    assert_eq!(endpoints.token_requests(), 5, "at 0, 60, 120, 180, 240 s");
    assert!(endpoints.api_seen().is_empty());

    // Configurable; a 503 keeps the 5 s failure backoff.
    let endpoints = self::endpoints(TokenReply::Status(400)).await;
    let oauth = OAuth::refresh_token("client-id", "client-secret", "refresh-token")
        .refusal_backoff(Duration::from_secs(20));
    let client = Client::builder_with_auth(oauth)
        .base_url(&endpoints.url)
        .timeout(CALL_TIMEOUT)
        .build()
        .unwrap();
    let start = Instant::now();
    auth_source(list(&client).await);
    tokio::time::sleep_until(start + Duration::from_secs(19)).await;
    auth_source(list(&client).await);
    assert_eq!(endpoints.token_requests(), 1);
    endpoints.set(TokenReply::Status(503));
    tokio::time::sleep_until(start + Duration::from_secs(20)).await;
    auth_source(list(&client).await);
    tokio::time::sleep_until(start + Duration::from_secs(24)).await;
    auth_source(list(&client).await);
    assert_eq!(endpoints.token_requests(), 2);
    endpoints.set(TokenReply::Issue("1800"));
    tokio::time::sleep_until(start + Duration::from_secs(25)).await;
    list(&client).await.unwrap();
    assert_eq!(endpoints.token_requests(), 3);
}
