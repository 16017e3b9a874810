//! One `Client` for every generated API crate of an application: the
//! associations crate and the construct fixtures crate (another API made by
//! the same generator) take the same `hubspot_runtime::Client`, so calls
//! through both share one rate limiter, one token and one connection pool.
//! HubSpot's limit is per app and account across its APIs; two crates with
//! their own budgets would spend it twice. Paused clock, `MockHttp` records
//! what was sent.

use std::time::Duration;

use constructs_client::ConstructsExt as _;
use constructs_client::v1::media::GetExportResponse;
use hubspot_associations::AssociationsExt as _;
use hubspot_associations::Client;
use hubspot_associations::runtime::{MockHttp, MockResponse, OAUTH_TOKEN_PATH, OAuth};
use hubspot_associations::v2026_03::associations::ListParams;
use tokio::time::Instant;

const LIST: &str = "/crm/objects/2026-03/contacts/101/associations/companies";
const EXPORT: &str = "/crm/v1/exports/e2";
const WINDOW: Duration = Duration::from_secs(10);

fn mock() -> MockHttp {
    let mock = MockHttp::new();
    mock.respond("GET", LIST, MockResponse::json(200, r#"{"results":[]}"#));
    mock.respond("GET", EXPORT, MockResponse::empty(202));
    mock
}

/// Four requests per window: the default limiter, scaled down.
fn client(mock: &MockHttp) -> Client {
    Client::builder("token")
        .http(mock.clone())
        .rate_limit(4, WINDOW)
        .build()
        .unwrap()
}

/// Three calls through each crate, alternating, on the given clients; the
/// time each call finished, from the start.
async fn alternate(associations: &Client, constructs: &Client) -> Vec<Duration> {
    let start = Instant::now();
    let mut finished = Vec::new();
    for _ in 0..3 {
        let page = associations
            .associations()
            .v2026_03()
            .list("contacts", 101, "companies", &ListParams::new())
            .await
            .unwrap();
        assert!(page.results.is_empty());
        finished.push(start.elapsed());
        let export = constructs.constructs().v1().get_export("e2").await.unwrap();
        assert_eq!(export, GetExportResponse::Accepted);
        finished.push(start.elapsed());
    }
    finished
}

#[tokio::test(start_paused = true)]
async fn two_api_crates_on_one_client_share_one_rate_budget() {
    let mock = mock();
    let shared = client(&mock);
    let finished = alternate(&shared, &shared).await;
    let sent = mock.requests();
    assert_eq!(sent.len(), 6, "each call sent once");
    assert_eq!(sent.iter().filter(|r| r.path == LIST).count(), 3);
    assert_eq!(sent.iter().filter(|r| r.path == EXPORT).count(), 3);
    // Four fit the window, whichever crate made them; the fifth and sixth
    // wait for it to roll over.
    assert!(
        finished[..4].iter().all(|t| *t < Duration::from_secs(1)),
        "{finished:?}"
    );
    assert!(
        finished[4..].iter().all(|t| *t >= WINDOW),
        "the budget is shared: {finished:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn two_clients_would_each_spend_their_own_budget() {
    // What a crate with its own `Client` (own limiter) would do: six calls
    // in no time, beyond the four the account allows.
    let mock = mock();
    let finished = alternate(&client(&mock), &client(&mock)).await;
    assert_eq!(mock.requests().len(), 6);
    assert!(
        finished.iter().all(|t| *t < Duration::from_secs(1)),
        "{finished:?}"
    );
}

#[tokio::test]
async fn one_client_type_one_token_for_both_crates() {
    let mock = mock();
    // Built through one crate, used through the other: the same type.
    let client: constructs_client::Client = Client::builder("shared-token")
        .http(mock.clone())
        .build()
        .unwrap();
    client.constructs().v1().get_export("e2").await.unwrap();
    client
        .associations()
        .v2026_03()
        .list("contacts", 101, "companies", &ListParams::new())
        .await
        .unwrap();
    let tokens: Vec<_> = mock
        .requests()
        .iter()
        .map(|r| r.headers["authorization"].to_str().unwrap().to_owned())
        .collect();
    assert_eq!(tokens, ["Bearer shared-token", "Bearer shared-token"]);
}

#[tokio::test(start_paused = true)]
async fn one_oauth_refresh_serves_calls_through_both_crates() {
    let mock = mock();
    mock.respond(
        "POST",
        OAUTH_TOKEN_PATH,
        MockResponse::json(200, r#"{"access_token":"access-1","expires_in":1800}"#),
    );
    let oauth = OAuth::refresh_token("client-id", "client-secret", "refresh-token");
    // Defaults otherwise: retries and the limiter on.
    let client = Client::builder_with_auth(oauth)
        .http(mock.clone())
        .build()
        .unwrap();
    // Ten concurrent calls, half through each crate, before any token exists.
    let calls = (0..10).map(|i| {
        let client = &client;
        async move {
            if i % 2 == 0 {
                client
                    .associations()
                    .v2026_03()
                    .list("contacts", 101, "companies", &ListParams::new())
                    .await
                    .map(drop)
            } else {
                client.constructs().v1().get_export("e2").await.map(drop)
            }
        }
    });
    for result in futures::future::join_all(calls).await {
        result.unwrap();
    }
    let sent = mock.requests();
    let token_requests = sent.iter().filter(|r| r.path == OAUTH_TOKEN_PATH).count();
    assert_eq!(token_requests, 1, "one refresh for both crates");
    let api: Vec<_> = sent.iter().filter(|r| r.path != OAUTH_TOKEN_PATH).collect();
    assert_eq!(api.iter().filter(|r| r.path == LIST).count(), 5);
    assert_eq!(api.iter().filter(|r| r.path == EXPORT).count(), 5);
    assert!(
        api.iter()
            .all(|r| r.headers["authorization"] == "Bearer access-1"),
        "every call, through either crate, carries the one token"
    );
}
