//! What a caller can see of each call: the status and headers beside the
//! typed body, correlation ids on errors, and the HTTP client it passed in
//! (with its own settings) doing the sending. Tracing: `tracing_spans.rs`.

use std::io::Write;
use std::time::Duration;

use hubspot_associations::AssociationsExt as _;
use hubspot_associations::runtime::RetryPolicy;
use hubspot_associations::v2026_03::associations as assoc;
use hubspot_associations::{Client, ClientBuilder, with_response};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "pat-na1-observability-secret-99";
const LIST: &str = "/crm/objects/2026-03/contacts/101/associations/companies";
const PAGE: &str = r#"{"results":[{"toObjectId":"7","associationTypes":[]}]}"#;

fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder(TOKEN)
        .base_url(server.uri())
        .retry_policy(RetryPolicy {
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(20),
            ..RetryPolicy::default()
        })
}

async fn list(
    client: &Client,
) -> Result<
    assoc::CollectionResponseMultiAssociatedObjectWithLabelForwardPaging,
    hubspot_associations::Error,
> {
    client
        .associations()
        .v2026_03()
        .list("contacts", "101", "companies", &assoc::ListParams::new())
        .await
}

#[tokio::test]
async fn with_response_gives_status_and_headers_beside_the_body() {
    let server = MockServer::start().await;
    Mock::given(path(LIST))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-hubspot-correlation-id", "0b5e2f3a")
                .insert_header("x-hubspot-ratelimit-remaining", "97")
                .set_body_string(PAGE),
        )
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let page = with_response(list(&client)).await.unwrap();
    assert_eq!(page.status, 200);
    assert_eq!(page.correlation_id(), Some("0b5e2f3a"));
    assert_eq!(page.rate_limit("remaining"), Some(97));
    assert_eq!(page.body.results[0].to_object_id, "7");
}

#[tokio::test]
async fn errors_carry_the_correlation_id() {
    let server = MockServer::start().await;
    Mock::given(path(LIST))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("x-hubspot-correlation-id", "7c41d2")
                .set_body_string(r#"{"status":"error","message":"Invalid input"}"#),
        )
        .mount(&server)
        .await;
    let err = list(&builder(&server).build().unwrap()).await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.correlation_id(), Some("7c41d2"));
}

#[tokio::test]
async fn a_users_own_reqwest_client_does_the_sending() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(LIST))
        .and(header("x-app", "inventory-sync"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_string(PAGE))
        .expect(1)
        .mount(&server)
        .await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-app", "inventory-sync".parse().unwrap());
    let own = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    let client = builder(&server).http_client(own).build().unwrap();
    assert_eq!(list(&client).await.unwrap().results.len(), 1);
}

fn gzipped(text: &str) -> Vec<u8> {
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gzip.write_all(text.as_bytes()).unwrap();
    gzip.finish().unwrap()
}

#[tokio::test]
async fn responses_are_gzip_compressed_on_the_wire() {
    let server = MockServer::start().await;
    Mock::given(path(LIST))
        .and(header("accept-encoding", "gzip"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-encoding", "gzip")
                .set_body_raw(gzipped(PAGE), "application/json"),
        )
        .expect(3)
        .mount(&server)
        .await;
    // The default client, a reqwest::Client of the caller's that inflates
    // on its own (reqwest's `gzip` feature is on in this workspace), and one
    // that does not: the same body each time.
    let own_inflating = reqwest::Client::new();
    let own_plain = reqwest::Client::builder().no_gzip().build().unwrap();
    for client in [
        builder(&server).build().unwrap(),
        builder(&server).http_client(own_inflating).build().unwrap(),
        builder(&server).http_client(own_plain).build().unwrap(),
    ] {
        let page = list(&client).await.unwrap();
        assert_eq!(page.results[0].to_object_id, "7");
    }
}

#[tokio::test]
async fn any_http_client_gets_gzip_and_a_damaged_body_is_retried_only_when_safe() {
    use hubspot_associations::runtime::{MockHttp, MockResponse};
    let mock = MockHttp::new();
    let gzip = |body: Vec<u8>| {
        MockResponse::bytes(200, body)
            .header("content-type", "application/json")
            .header("content-encoding", "gzip")
    };
    mock.respond("GET", LIST, gzip(gzipped(PAGE)));
    let client = Client::builder(TOKEN).http(mock.clone()).build().unwrap();
    assert_eq!(list(&client).await.unwrap().results[0].to_object_id, "7");
    let sent = mock.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].headers["accept-encoding"], "gzip");

    // The checksum broken: a read is sent again (three tries in all), a
    // create is not (HubSpot may have made the label).
    let mut damaged = gzipped(PAGE);
    let at = damaged.len() - 6;
    damaged[at] ^= 1;
    let mock = MockHttp::new();
    mock.respond("GET", LIST, gzip(damaged.clone()));
    let labels = "/crm/associations/2026-03/contacts/companies/labels";
    mock.respond("POST", labels, gzip(damaged));
    let client = Client::builder(TOKEN)
        .http(mock.clone())
        .retry_policy(RetryPolicy {
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(2),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    let err = list(&client).await.unwrap_err();
    assert!(err.to_string().contains("gzip"), "{err}");
    assert_eq!(mock.requests().len(), 3);
    let label = hubspot_associations::v2026_03::associations_schema::PublicAssociationDefinitionCreateRequest::new(
        "Boss", "boss",
    );
    let err = client
        .associations()
        .v2026_03()
        .create_label("contacts", "companies", &label)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("does not decode"), "{err}");
    assert_eq!(mock.requests().len(), 4);
}

#[tokio::test]
async fn a_body_that_cannot_be_inflated_never_hides_the_status_or_repeats_a_sure_failure() {
    use hubspot_associations::Error;
    use hubspot_associations::runtime::{MockHttp, MockResponse};
    let fast = RetryPolicy {
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(2),
        ..RetryPolicy::default()
    };
    let answer = |status: u16, body: Vec<u8>| {
        MockResponse::bytes(status, body)
            .header("content-type", "application/json")
            .header("content-encoding", "gzip")
            .header("x-hubspot-correlation-id", "corr-gz-1")
            .header("x-hubspot-ratelimit-remaining", "41")
    };
    let mut damaged = gzipped(PAGE);
    let at = damaged.len() - 6;
    damaged[at] ^= 1;

    // A 400 whose body is damaged is still a 400 (not a broken connection),
    // not retried, with the correlation id and rate-limit headers kept.
    let mock = MockHttp::new();
    mock.respond("GET", LIST, answer(400, damaged.clone()));
    let client = Client::builder(TOKEN)
        .http(mock.clone())
        .retry_policy(fast.clone())
        .build()
        .unwrap();
    let err = list(&client).await.unwrap_err();
    assert!(matches!(err, Error::Api { status: 400, .. }), "{err:?}");
    assert_eq!(err.correlation_id(), Some("corr-gz-1"));
    assert!(err.to_string().contains("does not decode"), "{err}");
    assert_eq!(mock.requests().len(), 1);
    assert_eq!(client.rate_limits().remaining, Some(41));

    // A 503 with such a body is retried like any 503 on a read.
    let mock = MockHttp::new();
    mock.respond("GET", LIST, answer(503, damaged.clone()));
    let client = Client::builder(TOKEN)
        .http(mock.clone())
        .retry_policy(fast.clone())
        .build()
        .unwrap();
    let err = list(&client).await.unwrap_err();
    assert_eq!(err.status(), Some(503), "{err:?}");
    assert_eq!(mock.requests().len(), 3);

    // A success that says gzip but is not, or names a coding this client
    // does not read, would be the same again: even a read is not sent twice.
    for (encoding, body) in [("gzip", PAGE.as_bytes().to_vec()), ("br", gzipped(PAGE))] {
        let mock = MockHttp::new();
        mock.respond(
            "GET",
            LIST,
            MockResponse::bytes(200, body).header("content-encoding", encoding),
        );
        let client = Client::builder(TOKEN)
            .http(mock.clone())
            .retry_policy(fast.clone())
            .build()
            .unwrap();
        let err = list(&client).await.unwrap_err();
        assert!(matches!(err, Error::Connection { .. }), "{err:?}");
        assert!(err.to_string().contains("does not decode"), "{err}");
        assert_eq!(mock.requests().len(), 1, "{encoding}");
    }

    // A DAILY 429 whose body cannot be read is still final, by its
    // headers: sent once, even a create.
    let mock = MockHttp::new();
    let labels = "/crm/associations/2026-03/contacts/companies/labels";
    mock.respond(
        "POST",
        labels,
        answer(429, damaged.clone()).header("x-hubspot-ratelimit-daily-remaining", "0"),
    );
    let client = Client::builder(TOKEN)
        .http(mock.clone())
        .retry_policy(fast.clone())
        .build()
        .unwrap();
    let label = hubspot_associations::v2026_03::associations_schema::PublicAssociationDefinitionCreateRequest::new(
        "Boss", "boss",
    );
    let err = client
        .associations()
        .v2026_03()
        .create_label("contacts", "companies", &label)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::DailyLimitExceeded { .. }), "{err:?}");
    assert_eq!(mock.requests().len(), 1);

    // An empty answer that says gzip (HEAD, 204) is no error.
    let mock = MockHttp::new();
    mock.respond(
        "DELETE",
        "/crm/associations/2026-03/contacts/companies/labels/9",
        MockResponse::bytes(204, Vec::new()).header("content-encoding", "gzip"),
    );
    let client = Client::builder(TOKEN).http(mock.clone()).build().unwrap();
    client
        .associations()
        .v2026_03()
        .delete_label("contacts", "companies", 9)
        .await
        .unwrap();

    // `gzip, identity` reads as gzip.
    let mock = MockHttp::new();
    mock.respond(
        "GET",
        LIST,
        MockResponse::bytes(200, gzipped(PAGE)).header("content-encoding", "gzip, identity"),
    );
    let client = Client::builder(TOKEN).http(mock.clone()).build().unwrap();
    assert_eq!(list(&client).await.unwrap().results[0].to_object_id, "7");
}

/// A gzip bomb: a small answer that inflates past the client's cap fails
/// the call naming the cap, once (it would be the same again); the cap is
/// the builder's to raise. The body is valid JSON (`{`, 34 MiB of spaces,
/// the rest of a page), 34 KB on the wire.
#[tokio::test]
async fn a_gzip_bomb_stops_at_the_clients_cap_which_can_be_raised() {
    use hubspot_associations::Error;
    use hubspot_associations::runtime::{MockHttp, MockResponse};
    let spaces = " ".repeat(1 << 20);
    let mut bomb = gzipped(&PAGE[..1]);
    let member = gzipped(&spaces);
    for _ in 0..34 {
        bomb.extend_from_slice(&member);
    }
    bomb.extend(gzipped(&PAGE[1..]));
    assert!(bomb.len() < 64 << 10, "{} bytes on the wire", bomb.len());
    let answer = MockResponse::bytes(200, bomb)
        .header("content-type", "application/json")
        .header("content-encoding", "gzip");

    let mock = MockHttp::new();
    mock.respond("GET", LIST, answer.clone());
    let client = Client::builder(TOKEN).http(mock.clone()).build().unwrap();
    let err = list(&client).await.unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert!(
        err.to_string().contains(
            "it inflates to more than 33554432 bytes, the client's cap (`ClientBuilder::max_inflated_body`)"
        ),
        "{err}"
    );
    // A complete answer refused by the cap, not a lost one.
    assert!(
        err.to_string()
            .starts_with("`list` got no usable answer (HubSpot may have carried it out)"),
        "{err}"
    );
    assert_eq!(mock.requests().len(), 1, "a sure failure is not retried");

    let mock = MockHttp::new();
    mock.respond("GET", LIST, answer);
    let client = Client::builder(TOKEN)
        .http(mock.clone())
        .max_inflated_body(40 << 20)
        .build()
        .unwrap();
    assert_eq!(list(&client).await.unwrap().results[0].to_object_id, "7");
}
