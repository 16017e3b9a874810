//! Unit tests of your own code that calls HubSpot, with no server: the
//! `test-util` feature's `MockHttp` answers canned responses and records
//! what was sent. Retries, rate limiting and decoding run as in production.

use hubspot_associations::AssociationsExt as _;
use hubspot_associations::Client;
use hubspot_associations::runtime::{MockHttp, MockResponse};

/// The code under test: the labels a portal has for contacts → companies.
async fn label_names(client: &Client) -> Result<Vec<String>, hubspot_associations::Error> {
    let labels = client
        .associations()
        .v2026_09()
        .list_labels("contacts", "companies")
        .await?;
    Ok(labels.results.into_iter().filter_map(|l| l.label).collect())
}

const LABELS: &str = "/crm/associations/2026-09/contacts/companies/labels";

#[tokio::test]
async fn label_names_reads_the_labels_hubspot_answers() {
    let mock = MockHttp::new();
    mock.respond(
        "GET",
        LABELS,
        MockResponse::json(
            200,
            r#"{"results":[
        {"category":"USER_DEFINED","typeId":12,"label":"Manager"},
        {"category":"HUBSPOT_DEFINED","typeId":1}]}"#,
        ),
    );
    let client = Client::builder("test-token")
        .http(mock.clone())
        .build()
        .unwrap();

    assert_eq!(label_names(&client).await.unwrap(), ["Manager"]);

    let sent = mock.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].headers["authorization"], "Bearer test-token");
}

#[tokio::test]
async fn label_names_survives_one_busy_answer() {
    let mock = MockHttp::new();
    mock.respond(
        "GET",
        LABELS,
        MockResponse::json(503, r#"{"status":"error","message":"busy"}"#),
    );
    mock.respond("GET", LABELS, MockResponse::json(200, r#"{"results":[]}"#));
    let client = Client::builder("test-token")
        .http(mock.clone())
        .build()
        .unwrap();

    assert!(label_names(&client).await.unwrap().is_empty());
    assert_eq!(mock.requests().len(), 2); // the 503, then the retry
}
