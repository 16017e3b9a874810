//! Object ids as HubSpot's live endpoints send them: JSON numbers, where
//! the documents say `string` (the `[[quirks]]` of `specs/overrides.toml`,
//! README "Decoding what HubSpot actually sends"). Through the generated
//! client with its defaults (retries and limiter on), from a server on
//! 127.0.0.1, in every version that has the operation: `list`,
//! `batch_read` (nothing left in `undecoded`) and the labels-between-a-pair
//! answers of `associate` and `batch_create`. Each body also leaves out a
//! field its document marks required, carries an enum value the document
//! does not list and a `typeId` as a string. A value of a kind no rule
//! accepts (an object for an id) still fails, naming its path.

use hubspot_associations::AssociationsExt as _;
use hubspot_associations::{Client, Error};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "pat-na1-numeric-ids-token";

/// Past `i32` (the PHP SDK's report), `u64::MAX`, a small one: each must
/// come back as written.
const BIG_ID: u64 = 5_434_402_448;

/// A server answering `verb path` with `status` and `body`, and a client
/// with the default settings pointed at it.
async fn serve(verb: &str, at: &str, status: u16, body: Value) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    let client = Client::builder(TOKEN)
        .base_url(server.uri())
        .build()
        .unwrap();
    (server, client)
}

/// As [`serve`], with the body as JSON text: a number past `u64` has no
/// `serde_json::Value` that writes it as it is.
async fn serve_text(verb: &str, at: &str, body: &str) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let client = Client::builder(TOKEN)
        .base_url(server.uri())
        .build()
        .unwrap();
    (server, client)
}

async fn received(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

/// A page of `list` as HubSpot sends it: ids as numbers, one entry without
/// its required `associationTypes`, a category the documents do not list,
/// a `typeId` as a string, a `label` as `null`.
fn list_page() -> Value {
    json!({
        "results": [
            {"toObjectId": BIG_ID, "associationTypes": [
                {"category": "HUBSPOT_DEFINED", "typeId": "279", "label": null},
                {"category": "WORK_IN_PROGRESS", "typeId": 8, "label": "Champion"}]},
            {"toObjectId": 18_446_744_073_709_551_615_u64},
            {"toObjectId": -7, "associationTypes": []}
        ],
        "paging": {"next": {"after": 3021, "link": "https://api.hubapi.com/next?after=3021"}}
    })
}

/// A batch read's answer: `from.id` and `toObjectId` as numbers, a
/// `typeId` as a string, one result without `to`.
fn batch_read_answer() -> Value {
    json!({
        "status": "COMPLETE",
        "results": [
            {"from": {"id": 101}, "to": [
                {"toObjectId": BIG_ID, "associationTypes": [
                    {"category": "HUBSPOT_DEFINED", "typeId": "1"},
                    {"category": "USER_AND_SYSTEM", "typeId": 44, "label": 2024}]}]},
            {"from": {"id": 102}}
        ],
        "startedAt": "2026-12-04T09:00:00.120Z",
        "completedAt": 1_780_000_000_000_i64
    })
}

/// One labels-between-a-pair answer: every id a number, `labels` left out.
fn pair(from: u64, to: u64) -> Value {
    json!({"fromObjectTypeId": "0-1", "fromObjectId": from,
           "toObjectTypeId": "0-2", "toObjectId": to})
}

macro_rules! list_tests {
    ($version:ident, $path:literal) => {
        mod $version {
            use super::*;
            use hubspot_associations::$version::associations as assoc;

            #[tokio::test]
            async fn list_decodes_numeric_ids_as_written() {
                let (server, client) = serve("GET", $path, 200, list_page()).await;
                let page = client
                    .associations().$version()
                    .list("contacts", "101", "companies", &assoc::ListParams::new())
                    .await
                    .unwrap();
                let ids: Vec<&str> = page.results.iter().map(|r| r.to_object_id.as_str()).collect();
                assert_eq!(ids, ["5434402448", "18446744073709551615", "-7"]);
                let types = &page.results[0].association_types;
                assert_eq!((types[0].type_id, types[1].type_id), (279, 8));
                assert_eq!(format!("{:?}", types[1].category), r#"Unknown("WORK_IN_PROGRESS")"#);
                assert!(page.results[1].association_types.is_empty());
                let next = page.paging.unwrap().next.unwrap();
                assert_eq!(next.after.as_deref(), Some("3021"));
                assert_eq!(received(&server).await, 1);
            }

            #[tokio::test]
            async fn list_still_fails_on_an_object_for_an_id_naming_its_path() {
                let mut body = list_page();
                body["results"][1]["toObjectId"] = json!({"id": BIG_ID});
                let (server, client) = serve("GET", $path, 200, body).await;
                let err = client
                    .associations().$version()
                    .list("contacts", "101", "companies", &assoc::ListParams::new())
                    .await
                    .unwrap_err();
                let Error::Decode { path, message, .. } = &err else {
                    panic!("{err:?}")
                };
                assert_eq!(path, "results[1].toObjectId");
                assert!(message.starts_with("invalid type: map, expected a string"), "{message}");
                assert_eq!(received(&server).await, 1, "a decode failure is not retried");
            }

            #[tokio::test]
            async fn list_decodes_a_numeric_category_as_an_unknown_value() {
                let mut body = list_page();
                body["results"][0]["associationTypes"][1]["category"] = json!(1);
                body["results"][0]["associationTypes"][0]["category"] = json!(-20);
                let (server, client) = serve("GET", $path, 200, body).await;
                let page = client
                    .associations().$version()
                    .list("contacts", "101", "companies", &assoc::ListParams::new())
                    .await
                    .unwrap();
                let types = &page.results[0].association_types;
                assert_eq!(format!("{:?}", types[0].category), r#"Unknown("-20")"#);
                assert_eq!(format!("{:?}", types[1].category), r#"Unknown("1")"#);
                assert_eq!(received(&server).await, 1);
            }

            #[tokio::test]
            async fn list_refuses_an_id_past_u64_rather_than_rounding_it() {
                let body = list_page()
                    .to_string()
                    .replace("18446744073709551615", "18446744073709551616");
                let (server, client) = serve_text("GET", $path, &body).await;
                let err = client
                    .associations().$version()
                    .list("contacts", "101", "companies", &assoc::ListParams::new())
                    .await
                    .unwrap_err();
                let Error::Decode { path, message, .. } = &err else {
                    panic!("{err:?}")
                };
                assert_eq!(path, "results[1].toObjectId");
                assert!(message.starts_with("invalid value: floating point"), "{message}");
                assert_eq!(received(&server).await, 1, "a decode failure is not retried");
            }
        }
    };
}

mod list {
    use super::*;

    list_tests!(v4, "/crm/v4/objects/contacts/101/associations/companies");
    list_tests!(
        v2025_09,
        "/crm/objects/2025-09/contacts/101/associations/companies"
    );
    list_tests!(
        v2026_03,
        "/crm/objects/2026-03/contacts/101/associations/companies"
    );
    list_tests!(
        v2026_09_beta,
        "/crm/objects/2026-09-beta/contacts/101/associations/companies"
    );
}

/// `batch_read`, `associate` and `batch_create` of one version; `$read` and
/// `$created` take the typed answer apart where versions differ (a response
/// enum, or the body itself where only one status is documented).
macro_rules! batch_and_pair_tests {
    ($version:ident, $associations:literal, $objects:literal, read: |$r:ident| $read:expr, created: |$c:ident| $created:expr) => {
        mod $version {
            use super::*;
            use hubspot_associations::$version::associations as assoc;

            fn read_input() -> assoc::BatchInputPublicFetchAssociationsBatchRequest {
                assoc::BatchInputPublicFetchAssociationsBatchRequest::new(vec![
                    assoc::PublicFetchAssociationsBatchRequest::new("101"),
                    assoc::PublicFetchAssociationsBatchRequest::new("102"),
                ])
            }

            const READ: &str = concat!($associations, "/contacts/companies/batch/read");

            #[tokio::test]
            async fn batch_read_leaves_nothing_undecoded() {
                let (server, client) = serve("POST", READ, 200, batch_read_answer()).await;
                let $r = client
                    .associations().$version()
                    .batch_read("contacts", "companies", &read_input())
                    .await
                    .unwrap();
                let answer = $read;
                assert!(answer.undecoded.is_empty(), "{:?}", answer.undecoded);
                let from: Vec<&str> = answer.results.iter().map(|r| r.from.id.as_str()).collect();
                assert_eq!(from, ["101", "102"]);
                let to = &answer.results[0].to[0];
                assert_eq!(to.to_object_id, "5434402448");
                assert_eq!(to.association_types[0].type_id, 1);
                assert_eq!(to.association_types[1].label.as_deref(), Some("2024"));
                assert!(answer.results[1].to.is_empty());
                assert_eq!(received(&server).await, 1);
            }

            #[tokio::test]
            async fn batch_read_keeps_an_entry_with_an_object_for_an_id_and_returns_the_rest() {
                let mut body = batch_read_answer();
                body["results"][1]["to"] = json!([{"toObjectId": {"id": 7}, "associationTypes": []}]);
                let (server, client) = serve("POST", READ, 200, body.clone()).await;
                let $r = client
                    .associations().$version()
                    .batch_read("contacts", "companies", &read_input())
                    .await
                    .unwrap();
                let answer = $read;
                let from: Vec<&str> = answer.results.iter().map(|r| r.from.id.as_str()).collect();
                assert_eq!(from, ["101"]);
                let [kept] = &answer.undecoded[..] else {
                    panic!("{:?}", answer.undecoded)
                };
                assert_eq!((kept.field, kept.index), ("results", 1));
                assert_eq!(kept.path, "results[1].to[0].toObjectId");
                assert_eq!(kept.raw, body["results"][1]);
                assert_eq!(received(&server).await, 1);
            }

            #[tokio::test]
            async fn associate_decodes_the_pair_with_numeric_ids() {
                let at = concat!($objects, "/contacts/101/associations/companies/5434402448");
                let (server, client) = serve("PUT", at, 201, pair(101, BIG_ID)).await;
                let spec = assoc::AssociationSpec::new(assoc::AssociationCategory::HubspotDefined, 1);
                let answer = client
                    .associations().$version()
                    .associate("contacts", "101", "companies", "5434402448", &[spec])
                    .await
                    .unwrap();
                assert_eq!(
                    (answer.from_object_id.as_str(), answer.to_object_id.as_str()),
                    ("101", "5434402448")
                );
                assert!(answer.labels.is_empty());
                assert_eq!(received(&server).await, 1);
            }

            #[tokio::test]
            async fn batch_create_decodes_pairs_with_numeric_ids() {
                let at = concat!($associations, "/contacts/companies/batch/create");
                let body = json!({
                    "status": "COMPLETE",
                    "results": [pair(101, BIG_ID), pair(102, 3)],
                    "startedAt": "2026-12-04T09:00:00Z",
                    "completedAt": "2026-12-04T09:00:01Z"
                });
                let (server, client) = serve("POST", at, 201, body).await;
                let spec = assoc::AssociationSpec::new(assoc::AssociationCategory::HubspotDefined, 1);
                let input = assoc::BatchInputPublicAssociationMultiPost::new(vec![
                    assoc::PublicAssociationMultiPost::new(
                        assoc::PublicObjectId::new("101"),
                        assoc::PublicObjectId::new("5434402448"),
                        vec![spec],
                    ),
                ]);
                let $c = client
                    .associations().$version()
                    .batch_create("contacts", "companies", &input)
                    .await
                    .unwrap();
                let answer = $created;
                assert!(answer.undecoded.is_empty(), "{:?}", answer.undecoded);
                let pairs: Vec<(&str, &str)> = answer
                    .results
                    .iter()
                    .map(|p| (p.from_object_id.as_str(), p.to_object_id.as_str()))
                    .collect();
                assert_eq!(pairs, [("101", "5434402448"), ("102", "3")]);
                assert_eq!(received(&server).await, 1, "a create is sent once");
            }
        }
    };
}

mod batch_and_pair {
    use super::*;

    batch_and_pair_tests!(v4, "/crm/v4/associations", "/crm/v4/objects",
    read: |r| match r { assoc::BatchReadResponse::Ok(body) => body, other => panic!("{other:?}") },
    created: |c| match c { assoc::BatchCreateResponse::Created(body) => body, other => panic!("{other:?}") });
    batch_and_pair_tests!(v2025_09, "/crm/associations/2025-09", "/crm/objects/2025-09",
    read: |r| match r { assoc::BatchReadResponse::Ok(body) => body, other => panic!("{other:?}") },
    created: |c| match c { assoc::BatchCreateResponse::Created(body) => body, other => panic!("{other:?}") });
    batch_and_pair_tests!(v2026_03, "/crm/associations/2026-03", "/crm/objects/2026-03",
    read: |r| match r { assoc::BatchReadResponse::Ok(body) => body, other => panic!("{other:?}") },
    created: |c| match c { assoc::BatchCreateResponse::Created(body) => body, other => panic!("{other:?}") });
    // 2026-09 documents one success status for each: the body itself.
    batch_and_pair_tests!(v2026_09, "/crm/associations/2026-09", "/crm/objects/2026-09",
    read: |r| r,
    created: |c| c);
    batch_and_pair_tests!(v2026_09_beta, "/crm/associations/2026-09-beta", "/crm/objects/2026-09-beta",
    read: |r| match r { assoc::BatchReadResponse::Ok(body) => body, other => panic!("{other:?}") },
    created: |c| match c { assoc::BatchCreateResponse::Created(body) => body, other => panic!("{other:?}") });
}

/// v3's batch read: `from.id` and each `to[].id` as numbers.
mod v3 {
    use super::*;
    use hubspot_associations::v3::associations as assoc;

    const READ: &str = "/crm/v3/associations/contacts/companies/batch/read";

    fn input() -> assoc::BatchInputPublicObjectId {
        assoc::BatchInputPublicObjectId::new(vec![
            assoc::PublicObjectId::new("101"),
            assoc::PublicObjectId::new("102"),
        ])
    }

    fn answer() -> Value {
        json!({
            "status": "COMPLETE",
            "results": [
                {"from": {"id": 101}, "to": [{"id": BIG_ID, "type": "contact_to_company"}, {"id": 9, "type": 279}]},
                {"from": {"id": 102}, "to": []}
            ],
            "startedAt": "2026-12-04T09:00:00Z",
            "completedAt": "2026-12-04T09:00:01Z"
        })
    }

    #[tokio::test]
    async fn batch_read_leaves_nothing_undecoded() {
        let (server, client) = serve("POST", READ, 200, answer()).await;
        let answer = match client
            .associations()
            .v3()
            .batch_read("contacts", "companies", &input())
            .await
            .unwrap()
        {
            assoc::BatchReadResponse::Ok(body) => body,
            other => panic!("{other:?}"),
        };
        assert!(answer.undecoded.is_empty(), "{:?}", answer.undecoded);
        let from: Vec<&str> = answer.results.iter().map(|r| r.from.id.as_str()).collect();
        assert_eq!(from, ["101", "102"]);
        let to: Vec<(&str, &str)> = answer.results[0]
            .to
            .iter()
            .map(|t| (t.id.as_str(), t.r#type.as_str()))
            .collect();
        assert_eq!(to, [("5434402448", "contact_to_company"), ("9", "279")]);
        assert_eq!(received(&server).await, 1);
    }

    #[tokio::test]
    async fn batch_read_keeps_an_entry_with_a_list_for_an_id() {
        let mut body = answer();
        body["results"][0]["to"][1]["id"] = json!([9]);
        let (server, client) = serve("POST", READ, 200, body).await;
        let answer = match client
            .associations()
            .v3()
            .batch_read("contacts", "companies", &input())
            .await
            .unwrap()
        {
            assoc::BatchReadResponse::Ok(body) => body,
            other => panic!("{other:?}"),
        };
        let from: Vec<&str> = answer.results.iter().map(|r| r.from.id.as_str()).collect();
        assert_eq!(from, ["102"]);
        assert_eq!(answer.undecoded[0].path, "results[0].to[1].id");
        assert_eq!(received(&server).await, 1);
    }
}
