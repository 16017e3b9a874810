//! Bodies shaped like HubSpot's real answers, which leave out fields its
//! documents mark required: they decode into the typed models of every
//! version with nothing dropped (the decoding policy in the README), and a
//! batch entry that cannot be decoded at all is kept as JSON with its path
//! while the others are returned. End to end on 127.0.0.1: a 429 without
//! `Retry-After`, then such a 207, through `batch_read` and `batch_read_all`
//! with the client's defaults.

use hubspot_associations::AssociationsExt as _;
use hubspot_associations::runtime::KeepsUndecoded;
use serde_json::{Value, json};

/// A 207 as HubSpot answers a batch read: error entries carry `status`,
/// `category`, `message`, `context` and `subCategory` but no `errors` and no
/// `links`; one entry has only `status`, `category` and `message` and
/// fields the document does not know; dates as epoch milliseconds (a
/// number and a string of digits); a result whose `paging.next` has a
/// `link` and no `after`; a category value the documents do not list.
fn multi_status_body() -> Value {
    json!({
        "status": "COMPLETE",
        "results": [
            {"from": {"id": "101"},
             "to": [{"toObjectId": "201", "associationTypes": [
                 {"category": "HUBSPOT_DEFINED", "typeId": 1, "label": null},
                 {"category": "PARTNER_DEFINED", "typeId": 9000, "label": "Reseller"}]}],
             "paging": {"next": {"link": "https://api.hubapi.com/crm/v4/objects/0-1/101/associations/0-2?after=MjAx"}}}
        ],
        "numErrors": 2,
        "errors": [
            {"status": "error", "category": "OBJECT_NOT_FOUND",
             "message": "No contact with id 999 exists",
             "context": {"ids": ["999"]}, "subCategory": "crm.associations.OBJECT_NOT_FOUND"},
            {"status": "error", "category": "RATE_LIMITS_V2", "message": "Try again",
             "errorType": "NEW_ERROR_KIND", "futureField": {"nested": [1, 2]}}
        ],
        "startedAt": 1_772_619_330_120_i64,
        "completedAt": "1772619331000"
    })
}

/// A 400 as HubSpot answers a bad request: no `category`.
fn bad_request_body() -> Value {
    json!({"status": "error", "message": "Invalid input JSON on line 1",
           "correlationId": "5f1c2b4a-6d1e-4c3b-9a8e-1f2e3d4c5b6a"})
}

/// A 429 as HubSpot answers past the ten-secondly limit.
fn rate_limited_body() -> Value {
    json!({"status": "error", "message": "You have reached your ten_secondly_rolling limit.",
           "errorType": "RATE_LIMIT", "correlationId": "c033cdaa-2c40-4a64-ae48-b4cec88dad24",
           "policyName": "TEN_SECONDLY_ROLLING", "groupName": "publicapi:private-app:123:456"})
}

/// Checks `$multi` (the type a version decodes a batch read's partial
/// answer into) and `Error` of one version's `associations` module.
macro_rules! decode_tests {
    ($version:ident, $multi:ident) => {
        mod $version {
            use super::*;
            use hubspot_associations::$version::associations as assoc;

            #[test]
            fn a_207_without_errors_and_links_in_its_error_entries_decodes_whole() {
                let text = multi_status_body().to_string();
                let decoded: assoc::$multi = serde_json::from_str(&text).unwrap();
                assert_eq!(decoded.results.len(), 1);
                let result = &decoded.results[0];
                assert_eq!(result.from.id, "101");
                assert_eq!(result.to[0].to_object_id, "201");
                let types = &result.to[0].association_types;
                assert_eq!(types[1].type_id, 9000);
                assert_eq!(
                    format!("{:?}", types[1].category),
                    r#"Unknown("PARTNER_DEFINED")"#
                );
                let next = result.paging.as_ref().unwrap().next.as_ref().unwrap();
                assert_eq!(next.after, None);
                assert!(next.link.as_deref().unwrap().ends_with("?after=MjAx"));

                let errors = decoded.errors.as_ref().unwrap();
                assert_eq!(errors.len(), 2);
                assert_eq!(errors[0].category.as_deref(), Some("OBJECT_NOT_FOUND"));
                assert_eq!(errors[0].message, "No contact with id 999 exists");
                assert_eq!(errors[0].context["ids"], ["999"]);
                assert!(errors[0].errors.is_empty() && errors[0].links.is_empty());
                assert!(errors[0].sub_category.is_some());
                // Only status, category and message (and unknown fields).
                assert_eq!(errors[1].status.as_deref(), Some("error"));
                assert_eq!(errors[1].message, "Try again");
                assert!(errors[1].context.is_empty() && errors[1].sub_category.is_none());
                assert!(decoded.undecoded.is_empty());

                assert_eq!(decoded.started_at.as_millisecond(), 1_772_619_330_120);
                assert_eq!(decoded.completed_at.as_millisecond(), 1_772_619_331_000);
                // Re-encoding writes RFC 3339 and what was received.
                let encoded = serde_json::to_value(&decoded).unwrap();
                assert_eq!(encoded["startedAt"], "2026-03-04T10:15:30.12Z");
                assert_eq!(encoded["completedAt"], "2026-03-04T10:15:31Z");
                assert_eq!(encoded["results"][0]["to"][0]["associationTypes"][1]["category"], "PARTNER_DEFINED");
                assert_eq!(encoded["errors"][1]["message"], "Try again");
                assert!(encoded["errors"][1].get("category").is_some());
            }

            #[test]
            fn error_entries_with_only_status_category_and_message_decode() {
                let mut body = multi_status_body();
                body["errors"] = json!([{"status": "error", "category": "VALIDATION_ERROR", "message": "bad id"}]);
                let decoded: assoc::$multi = serde_json::from_value(body).unwrap();
                let errors = decoded.errors.unwrap();
                assert_eq!(errors[0].category.as_deref(), Some("VALIDATION_ERROR"));
                assert_eq!(errors[0].message, "bad id");
                // Even the message may be missing: it is empty, not a failure.
                let mut body = multi_status_body();
                body["errors"] = json!([{"status": "error"}]);
                let decoded: assoc::$multi = serde_json::from_value(body).unwrap();
                assert_eq!(decoded.errors.unwrap()[0].message, "");
            }

            #[test]
            fn error_bodies_without_category_and_429_bodies_decode() {
                let bad: assoc::Error = serde_json::from_value(bad_request_body()).unwrap();
                assert_eq!(bad.category, None);
                assert_eq!(bad.message, "Invalid input JSON on line 1");
                assert!(bad.correlation_id.is_some());
                let limited: assoc::Error = serde_json::from_value(rate_limited_body()).unwrap();
                assert_eq!(limited.category, None);
                assert_eq!(limited.message, "You have reached your ten_secondly_rolling limit.");
                // Unknown fields and unknown enum-like values inside error details.
                let detailed: assoc::Error = serde_json::from_value(json!({
                    "message": "Property values were not valid",
                    "errors": [{"message": "bad", "code": "SOMETHING_NEW", "in": "email", "extra": true}]
                }))
                .unwrap();
                let details = detailed.errors.unwrap();
                assert_eq!(details[0].code.as_deref(), Some("SOMETHING_NEW"));
                assert_eq!(details[0].r#in.as_deref(), Some("email"));
            }

            #[test]
            fn an_entry_that_cannot_decode_is_kept_and_the_others_returned() {
                let mut body = multi_status_body();
                body["results"].as_array_mut().unwrap().extend([
                    json!({"from": {"id": "102"}, "to": "not a list"}),
                    json!({"from": {"id": "103"}, "to": []}),
                ]);
                body["errors"].as_array_mut().unwrap().push(json!("not an object"));
                let bytes = serde_json::to_vec(&body).unwrap();
                // The whole-body decode fails; the entry-by-entry one keeps it all.
                assert!(serde_json::from_slice::<assoc::$multi>(&bytes).is_err());
                let decoded = assoc::$multi::from_json_keeping(&bytes).unwrap();
                let ids: Vec<&str> = decoded.results.iter().map(|r| r.from.id.as_str()).collect();
                assert_eq!(ids, ["101", "103"]);
                assert_eq!(decoded.errors.as_ref().unwrap().len(), 2);
                let kept: Vec<(&str, usize, &str)> = decoded
                    .undecoded
                    .iter()
                    .map(|u| (u.field, u.index, u.path.as_str()))
                    .collect();
                // In the struct's field order.
                assert_eq!(kept, [("errors", 2, "errors[2]"), ("results", 1, "results[1].to")]);
                assert_eq!(decoded.undecoded[1].raw, body["results"][1]);
                assert_eq!(decoded.undecoded[0].raw, "not an object");
                assert!(decoded.undecoded[1].message.contains("invalid type"), "{}", decoded.undecoded[1].message);

                // The top level not the documented shape is still an error.
                let mut broken = multi_status_body();
                broken["status"] = json!({"state": 7});
                let problem =
                    assoc::$multi::from_json_keeping(&serde_json::to_vec(&broken).unwrap()).unwrap_err();
                assert_eq!(problem.path, "status");
            }

            #[test]
            fn a_required_field_sent_as_null_counts_as_missing() {
                // Lenient fields decode as empty; strict ones fail, naming the field.
                let mut body = multi_status_body();
                body["results"][0]["to"][0]["associationTypes"] = Value::Null;
                body["errors"][0]["category"] = Value::Null;
                let decoded: assoc::$multi = serde_json::from_value(body).unwrap();
                assert!(decoded.results[0].to[0].association_types.is_empty());
                assert_eq!(decoded.errors.unwrap()[0].category, None);

                let mut body = multi_status_body();
                body["results"][0]["from"]["id"] = Value::Null;
                let bytes = serde_json::to_vec(&body).unwrap();
                let message = serde_json::from_slice::<assoc::$multi>(&bytes).unwrap_err().to_string();
                assert!(message.contains("invalid type: null"), "{message}");
                let decoded = assoc::$multi::from_json_keeping(&bytes).unwrap();
                assert!(decoded.results.is_empty());
                assert_eq!(decoded.undecoded[0].path, "results[0].from.id");
            }
        }
    };
}

decode_tests!(v4, BatchResponsePublicAssociationMultiWithLabelWithErrors);
decode_tests!(
    v2025_09,
    BatchResponsePublicAssociationMultiWithLabelWithErrors
);
decode_tests!(
    v2026_03,
    BatchResponsePublicAssociationMultiWithLabelWithErrors
);
// 2026-09 documents no 207 for batch read; its 200 type carries `errors`.
decode_tests!(v2026_09, BatchResponsePublicAssociationMultiWithLabel);

mod end_to_end {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};

    use hubspot_associations::{Client, Error};
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

    const TOKEN: &str = "pat-na1-hubspot-bodies-token";

    /// First request: 429 without `Retry-After`. Then a 207 shaped as
    /// HubSpot sends it, where 101 has another page (`after`), 102 only a
    /// `link`, and 104 cannot be decoded; a follow-up for 101 gets that page.
    struct HubSpot {
        seen: Arc<AtomicUsize>,
        bodies: Arc<Mutex<Vec<Value>>>,
    }

    impl Respond for HubSpot {
        fn respond(&self, request: &Request) -> ResponseTemplate {
            let n = self.seen.fetch_add(1, Ordering::SeqCst);
            let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
            self.bodies.lock().unwrap().push(body.clone());
            if n == 0 {
                return ResponseTemplate::new(429).set_body_json(rate_limited_body());
            }
            if body["inputs"][0]["after"] == "c1" {
                return ResponseTemplate::new(200).set_body_json(json!({
                    "status": "COMPLETE",
                    "results": [{"from": {"id": "101"},
                                 "to": [{"toObjectId": "202", "associationTypes": []}]}],
                    "startedAt": "2026-03-04T10:15:32Z", "completedAt": 1_772_619_333_000_i64
                }));
            }
            let mut answer = multi_status_body();
            answer["results"] = json!([
                {"from": {"id": "101"},
                 "to": [{"toObjectId": "201", "associationTypes": [{"category": "HUBSPOT_DEFINED", "typeId": 1}]}],
                 "paging": {"next": {"after": "c1", "link": "https://api.hubapi.com/x?after=c1"}}},
                {"from": {"id": "102"}, "to": [],
                 "paging": {"next": {"link": "https://api.hubapi.com/x?after=MTAy"}}},
                {"from": {"id": "104"}, "to": [{"toObjectId": {"id": 5}}]}
            ]);
            ResponseTemplate::new(207).set_body_json(answer)
        }
    }

    async fn hubspot(version_path: &str) -> (MockServer, Arc<AtomicUsize>, Arc<Mutex<Vec<Value>>>) {
        let server = MockServer::start().await;
        let seen = Arc::new(AtomicUsize::new(0));
        let bodies = Arc::new(Mutex::new(Vec::new()));
        Mock::given(method("POST"))
            .and(path(version_path))
            .respond_with(HubSpot {
                seen: seen.clone(),
                bodies: bodies.clone(),
            })
            .mount(&server)
            .await;
        (server, seen, bodies)
    }

    macro_rules! end_to_end {
        ($version:ident, $path:literal) => {
            #[tokio::test]
            async fn $version() {
                use hubspot_associations::$version::associations as assoc;
                let input = assoc::BatchInputPublicFetchAssociationsBatchRequest::new(
                    ["101", "102", "104"]
                        .into_iter()
                        .map(assoc::PublicFetchAssociationsBatchRequest::new)
                        .collect::<Vec<_>>(),
                );
                let check = |partial: &assoc::BatchResponsePublicAssociationMultiWithLabelWithErrors| {
                    let ids: Vec<&str> = partial.results.iter().map(|r| r.from.id.as_str()).collect();
                    assert_eq!(ids, ["101", "102"]);
                    assert_eq!(partial.errors.as_ref().unwrap().len(), 2);
                    assert_eq!(partial.undecoded.len(), 1);
                    assert_eq!(partial.undecoded[0].path, "results[2].to[0].toObjectId");
                    assert_eq!(partial.undecoded[0].raw["from"]["id"], "104");
                    let next = partial.results[1].paging.as_ref().unwrap().next.as_ref().unwrap();
                    assert_eq!(next.after, None);
                };

                // The client's defaults: retries and limiter on.
                let (server, seen, _) = hubspot($path).await;
                let client = Client::builder(TOKEN).base_url(server.uri()).build().unwrap();
                let answer = client.associations().$version().batch_read("contacts", "companies", &input).await.unwrap();
                let assoc::BatchReadResponse::MultiStatus(partial) = answer else {
                    panic!("expected the 207, got {answer:?}")
                };
                check(&partial);
                let to: Vec<&str> = partial.results[0].to.iter().map(|t| t.to_object_id.as_str()).collect();
                assert_eq!(to, ["201"]);
                assert_eq!(seen.load(Ordering::SeqCst), 2, "the 429 and its retry");

                let (server, seen, bodies) = hubspot($path).await;
                let client = Client::builder(TOKEN).base_url(server.uri()).build().unwrap();
                let answer = client.associations().$version().batch_read_all("contacts", "companies", &input).await.unwrap();
                let assoc::BatchReadResponse::MultiStatus(all) = answer else {
                    panic!("expected the 207, got {answer:?}")
                };
                check(&all);
                let to: Vec<&str> = all.results[0].to.iter().map(|t| t.to_object_id.as_str()).collect();
                assert_eq!(to, ["201", "202"], "101's second page merged");
                // 429, its retry, and one follow-up for 101 only (102 has no cursor).
                assert_eq!(seen.load(Ordering::SeqCst), 3);
                assert_eq!(bodies.lock().unwrap()[2], json!({"inputs": [{"id": "101", "after": "c1"}]}));
            }
        };
    }

    end_to_end!(v4, "/crm/v4/associations/contacts/companies/batch/read");
    end_to_end!(
        v2025_09,
        "/crm/associations/2025-09/contacts/companies/batch/read"
    );
    end_to_end!(
        v2026_03,
        "/crm/associations/2026-03/contacts/companies/batch/read"
    );

    /// 2026-09 documents only a 200 for batch read, but HubSpot answers 207
    /// when some inputs fail: it decodes into the 200 body, which has `errors`.
    #[tokio::test]
    async fn v2026_09_a_207_it_does_not_document_is_returned_not_an_error() {
        use hubspot_associations::v2026_09::associations as assoc;
        let (server, seen, _) =
            hubspot("/crm/associations/2026-09/contacts/companies/batch/read").await;
        let client = Client::builder(TOKEN)
            .base_url(server.uri())
            .build()
            .unwrap();
        let input = assoc::BatchInputPublicFetchAssociationsBatchRequest::new(
            ["101", "102", "104"]
                .into_iter()
                .map(assoc::PublicFetchAssociationsBatchRequest::new)
                .collect::<Vec<_>>(),
        );
        let api = client.associations().v2026_09();
        let partial = api
            .batch_read("contacts", "companies", &input)
            .await
            .unwrap();
        let ids: Vec<&str> = partial.results.iter().map(|r| r.from.id.as_str()).collect();
        assert_eq!(ids, ["101", "102"]);
        assert_eq!(partial.errors.as_ref().unwrap().len(), 2);
        assert_eq!(partial.undecoded[0].path, "results[2].to[0].toObjectId");
        assert_eq!(seen.load(Ordering::SeqCst), 2, "the 429 and its retry");
        let all = api
            .batch_read_all("contacts", "companies", &input)
            .await
            .unwrap();
        let to: Vec<&str> = all.results[0]
            .to
            .iter()
            .map(|t| t.to_object_id.as_str())
            .collect();
        assert_eq!(to, ["201", "202"]);
        assert_eq!(all.undecoded.len(), 1);
        assert_eq!(
            seen.load(Ordering::SeqCst),
            4,
            "the 207 again, then 101's next page"
        );
    }

    #[tokio::test]
    async fn error_bodies_as_hubspot_sends_them_reach_the_caller() {
        use hubspot_associations::v2026_03::associations as assoc;
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(400).set_body_json(bad_request_body()))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(429).set_body_json(rate_limited_body()))
            .mount(&server)
            .await;
        let client = Client::builder(TOKEN)
            .base_url(server.uri())
            .max_retries(0)
            .build()
            .unwrap();
        let input = assoc::BatchInputPublicFetchAssociationsBatchRequest::new(vec![
            assoc::PublicFetchAssociationsBatchRequest::new("101"),
        ]);
        let api = client.associations().v2026_03();
        let err = api
            .batch_read("contacts", "companies", &input)
            .await
            .unwrap_err();
        let Error::Api {
            status: 400,
            body: Some(body),
            ..
        } = &err
        else {
            panic!("{err:?}")
        };
        assert_eq!(body.category, None);
        assert_eq!(
            body.message.as_deref(),
            Some("Invalid input JSON on line 1")
        );

        let err = api
            .batch_read("contacts", "companies", &input)
            .await
            .unwrap_err();
        let Error::RateLimited {
            body: Some(body), ..
        } = &err
        else {
            panic!("{err:?}")
        };
        assert_eq!(body.policy_name.as_deref(), Some("TEN_SECONDLY_ROLLING"));
        assert_eq!(
            body.group_name.as_deref(),
            Some("publicapi:private-app:123:456")
        );
        assert_eq!(body.error_type.as_deref(), Some("RATE_LIMIT"));
        assert_eq!(server.received_requests().await.unwrap().len(), 2);
    }
}
