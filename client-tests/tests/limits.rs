//! Limits read from HubSpot: the limit its headers announce is adopted, the
//! configured one applies without headers, search endpoints stay under their
//! own per-second limit, a 429 without `Retry-After` waits for the window its
//! policy names, and a `DAILY` 429 fails at once with a typed error.

mod support;

use std::time::{Duration, Instant};

use hubspot_associations::AssociationsExt as _;
use hubspot_associations::v2026_03::associations as assoc;
use hubspot_associations::{Client, Error};
use serde_json::json;
use support::{RollingWindow, rate_limit_body};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "pat-na1-limits-secret";
const LIST: &str = "/crm/objects/2026-03/contacts/101/associations/companies";
const SEARCH: &str = "/crm/objects/2026-03/contacts/search";

fn page() -> serde_json::Value {
    json!({"results": [{"toObjectId": "7", "associationTypes": []}]})
}

async fn server_with(route: &str, window: &RollingWindow) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path(route))
        .respond_with(window.clone())
        .mount(&server)
        .await;
    server
}

async fn list(client: &Client) -> Result<(), Error> {
    client
        .associations()
        .v2026_03()
        .list("contacts", "101", "companies", &assoc::ListParams::new())
        .await
        .map(|_| ())
}

async fn search(client: &Client) -> Result<(), Error> {
    let body = assoc::PublicObjectSearchRequest::new("0", vec![], 10, vec![], vec![]);
    client
        .associations()
        .v2026_03()
        .search_objects("contacts", &body)
        .await
        .map(|_| ())
}

#[tokio::test]
async fn the_limit_hubspot_announces_is_adopted() {
    // HubSpot allows 5 per second here; the client starts at 100 per 10 s.
    let hubspot = RollingWindow::new(5, Duration::from_secs(1), true, page());
    let server = server_with(LIST, &hubspot).await;
    let client = Client::builder(TOKEN)
        .base_url(server.uri())
        .build()
        .unwrap();
    list(&client).await.unwrap();
    let started = Instant::now();
    let calls = (0..15).map(|_| list(&client));
    for result in futures::future::join_all(calls).await {
        result.unwrap();
    }
    assert_eq!(hubspot.rejected(), 0, "no 429 once the limit is known");
    assert_eq!(hubspot.ok(), 16);
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "16 calls at 5 per second: {:?}",
        started.elapsed()
    );
    let seen = client.rate_limits();
    assert_eq!(seen.max, Some(5));
    assert_eq!(seen.interval, Some(Duration::from_secs(1)));
}

#[tokio::test]
async fn without_headers_the_configured_limit_applies() {
    let hubspot = RollingWindow::new(5, Duration::from_secs(1), false, page());
    let server = server_with(LIST, &hubspot).await;
    let client = Client::builder(TOKEN)
        .base_url(server.uri())
        .rate_limit(5, Duration::from_secs(1))
        .build()
        .unwrap();
    let calls = (0..12).map(|_| list(&client));
    for result in futures::future::join_all(calls).await {
        result.unwrap();
    }
    assert_eq!(hubspot.rejected(), 0);
    assert_eq!(client.rate_limits().max, None, "HubSpot said nothing");
}

#[tokio::test]
async fn search_endpoints_stay_under_their_own_limit() {
    // HubSpot's search limit (5 per second) with the client's defaults; the
    // search endpoint is exempt from the ten-secondly limit, not from this.
    let searches = RollingWindow::new(
        5,
        Duration::from_secs(1),
        false,
        json!({"total": 0, "results": []}),
    );
    let lists = RollingWindow::new(1000, Duration::from_secs(1), false, page());
    let server = server_with(SEARCH, &searches).await;
    Mock::given(path(LIST))
        .respond_with(lists.clone())
        .mount(&server)
        .await;
    let client = Client::builder(TOKEN)
        .base_url(server.uri())
        .build()
        .unwrap();
    let started = Instant::now();
    let calls = (0..12).map(|_| search(&client));
    let (searched, listed) = tokio::join!(futures::future::join_all(calls), async {
        let calls = (0..12).map(|_| list(&client));
        let results = futures::future::join_all(calls).await;
        (results, started.elapsed())
    });
    for result in searched {
        result.unwrap();
    }
    assert_eq!(searches.rejected(), 0, "no 429 from the search limit");
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "12 searches at 5 per second: {:?}",
        started.elapsed()
    );
    let (listed, list_time) = listed;
    for result in listed {
        result.unwrap();
    }
    assert!(
        list_time < Duration::from_secs(1),
        "other calls are not held back by the search limit: {list_time:?}"
    );
}

#[tokio::test]
async fn a_429_without_retry_after_waits_for_the_window_of_its_policy() {
    let server = MockServer::start().await;
    Mock::given(path(LIST))
        .respond_with(
            ResponseTemplate::new(429).set_body_json(rate_limit_body("TEN_SECONDLY_ROLLING")),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path(LIST))
        .respond_with(ResponseTemplate::new(200).set_body_json(page()))
        .mount(&server)
        .await;
    // A 1.5 s window stands in for HubSpot's 10 s; the retry policy is the
    // default one, whose first backoff (0.25-0.5 s) would be far too short.
    let client = Client::builder(TOKEN)
        .base_url(server.uri())
        .rate_limit(100, Duration::from_millis(1500))
        .build()
        .unwrap();
    let started = Instant::now();
    list(&client).await.unwrap();
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(1500), "{waited:?}");
    assert!(waited < Duration::from_secs(3), "{waited:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);

    // A SECONDLY policy waits a second.
    server.reset().await;
    Mock::given(path(LIST))
        .respond_with(ResponseTemplate::new(429).set_body_json(rate_limit_body("SECONDLY")))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path(LIST))
        .respond_with(ResponseTemplate::new(200).set_body_json(page()))
        .mount(&server)
        .await;
    let started = Instant::now();
    list(&client).await.unwrap();
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(1), "{waited:?}");
    assert!(waited < Duration::from_millis(1500), "{waited:?}");
}

#[tokio::test]
async fn a_daily_429_fails_at_once_and_the_daily_budget_is_readable() {
    let server = MockServer::start().await;
    Mock::given(path(LIST))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(page())
                .insert_header("X-HubSpot-RateLimit-Daily", "250000")
                .insert_header("X-HubSpot-RateLimit-Daily-Remaining", "1"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path(LIST))
        .respond_with(ResponseTemplate::new(429).set_body_json(rate_limit_body("DAILY")))
        .mount(&server)
        .await;
    let client = Client::builder(TOKEN)
        .base_url(server.uri())
        .build()
        .unwrap();
    assert_eq!(
        client.daily_remaining(),
        None,
        "unknown before HubSpot says"
    );
    list(&client).await.unwrap();
    assert_eq!(client.daily_remaining(), Some(1));
    assert_eq!(client.rate_limits().daily, Some(250_000));

    let started = Instant::now();
    let err = list(&client).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(200),
        "no retry: {:?}",
        started.elapsed()
    );
    let Error::DailyLimitExceeded { correlation_id, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        correlation_id.as_deref(),
        Some("3c9a5f2e-0000-4000-8000-000000000429")
    );
    assert_eq!(
        err.to_string(),
        "HubSpot's daily request limit is spent; `list` was refused"
    );
    assert_eq!(err.status(), Some(429));
    assert_eq!(client.daily_remaining(), Some(0));
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}
