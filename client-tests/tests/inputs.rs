//! Inputs as callers hold them (issue #20): record ids as integers or text,
//! lists from iterators, the short input names. What a server on 127.0.0.1
//! received is the oracle: ids as digits in paths and as JSON strings in
//! bodies, exactly as the documents ask.

use futures::StreamExt;
use hubspot_associations::AssociationsExt as _;
use hubspot_associations::Client;
use hubspot_associations::v2026_03::associations::{
    AssociationSpec, BatchCreateInput, BatchReadInput, BatchReadResponse, ListParams,
    PublicAssociationMultiPost, PublicFetchAssociationsBatchRequest, PublicObjectId,
};
use serde_json::{Value, json};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder("test-token")
        .base_url(server.uri())
        .build()
        .unwrap()
}

fn batch_body() -> Value {
    json!({"status": "COMPLETE", "results": [],
           "startedAt": "2026-03-04T10:15:30Z", "completedAt": "2026-03-04T10:15:31Z"})
}

/// Answers every call: a batch body for batch POSTs and the default
/// associate, one page without a next one for a list.
async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path_regex("/associations/companies$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"results": []})))
        .mount(&server)
        .await;
    Mock::given(path_regex(
        "/(batch/(read|create)|associations/default/.*)$",
    ))
    .respond_with(ResponseTemplate::new(200).set_body_json(batch_body()))
    .mount(&server)
    .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "fromObjectTypeId": "0-1", "fromObjectId": "101",
            "toObjectTypeId": "0-2", "toObjectId": "5434402448", "labels": []
        })))
        .mount(&server)
        .await;
    server
}

/// (method, path, JSON body) of every request the server received, in order.
async fn received(server: &MockServer) -> Vec<(String, String, Option<Value>)> {
    let mut sent: Vec<(String, String, Option<Value>)> = server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            let body = serde_json::from_slice(&r.body).ok();
            (r.method.to_string(), r.url.path().to_owned(), body)
        })
        .collect();
    // Batch chunks run concurrently; their order on the wire is not the point.
    sent.sort_by(|a, b| {
        a.1.cmp(&b.1)
            .then(format!("{:?}", a.2).cmp(&format!("{:?}", b.2)))
    });
    sent
}

#[tokio::test]
async fn integer_ids_are_sent_as_digits_in_paths_and_as_json_strings_in_bodies() {
    let server = server().await;
    let api = client(&server).associations().v2026_03();

    api.associate_default("contacts", 101, "companies", 5434402448u64)
        .await
        .unwrap();
    let spec = AssociationSpec::new("USER_DEFINED", 7);
    api.associate(
        "contacts",
        101u32,
        "companies",
        "5434402448",
        std::slice::from_ref(&spec),
    )
    .await
    .unwrap();
    let params = ListParams::new();
    let first: Vec<_> = api
        .list_stream("contacts", 101i64, "companies", &params)
        .collect()
        .await;
    assert!(first.is_empty());
    let read = BatchReadInput::from_ids([101u64, 5434402448]);
    assert!(matches!(
        api.batch_read("contacts", "companies", &read)
            .await
            .unwrap(),
        BatchReadResponse::Ok(_)
    ));
    let pair = PublicAssociationMultiPost::new(
        PublicObjectId::new(101),
        PublicObjectId::new(String::from("5434402448")),
        vec![spec],
    );
    let create: BatchCreateInput = [pair].into_iter().collect();
    api.batch_create("contacts", "companies", &create)
        .await
        .unwrap();

    let base = "/crm/associations/2026-03/contacts/companies";
    let objects = "/crm/objects/2026-03/contacts/101/associations";
    let spec = json!({"associationCategory": "USER_DEFINED", "associationTypeId": 7});
    assert_eq!(
        received(&server).await,
        [
            (
                "POST".into(),
                format!("{base}/batch/create"),
                Some(json!({"inputs": [{
                    "from": {"id": "101"}, "to": {"id": "5434402448"}, "types": [spec]
                }]}))
            ),
            (
                "POST".into(),
                format!("{base}/batch/read"),
                Some(json!({"inputs": [{"id": "101"}, {"id": "5434402448"}]}))
            ),
            ("GET".into(), format!("{objects}/companies"), None),
            (
                "PUT".into(),
                format!("{objects}/companies/5434402448"),
                Some(json!([spec]))
            ),
            (
                "PUT".into(),
                format!("{objects}/default/companies/5434402448"),
                None
            ),
        ]
    );
}

#[tokio::test]
async fn a_batch_read_of_2500_ids_from_a_range_is_three_requests_in_input_order() {
    let server = server().await;
    let api = client(&server).associations().v2026_03();

    let input = BatchReadInput::from_ids(1..=2500u64);
    api.batch_read("contacts", "companies", &input)
        .await
        .unwrap();

    let sent = received(&server).await;
    assert_eq!(sent.len(), 3, "{} requests", sent.len());
    let mut ids: Vec<u64> = Vec::new();
    let mut sizes: Vec<usize> = Vec::new();
    for (_, path, body) in &sent {
        assert_eq!(
            path,
            "/crm/associations/2026-03/contacts/companies/batch/read"
        );
        let inputs = body.as_ref().unwrap()["inputs"].as_array().unwrap();
        sizes.push(inputs.len());
        // Each id a JSON string of the exact digits.
        ids.extend(
            inputs
                .iter()
                .map(|i| i["id"].as_str().unwrap().parse::<u64>().unwrap()),
        );
    }
    sizes.sort();
    assert_eq!(sizes, [500, 1000, 1000]);
    ids.sort();
    assert_eq!(ids, (1..=2500).collect::<Vec<u64>>());
}

/// Compiles, or the build of this file fails: `.collect()` infers its
/// target from `new(..)`, a list setter and the batch input types.
#[test]
fn collect_infers_from_new_setters_and_batch_inputs() {
    use hubspot_associations::v2026_03::associations::{
        BatchInputPublicFetchAssociationsBatchRequest,
        CollectionResponseMultiAssociatedObjectWithLabelForwardPaging,
        MultiAssociatedObjectWithLabel, StandardError,
    };
    let by_new = BatchInputPublicFetchAssociationsBatchRequest::new(
        (0..250)
            .map(PublicFetchAssociationsBatchRequest::new)
            .collect(),
    );
    let by_collect: BatchReadInput = (0..250)
        .map(|n| PublicFetchAssociationsBatchRequest::new(n).with_after("x"))
        .collect();
    let by_vec: BatchReadInput = vec![PublicFetchAssociationsBatchRequest::new("1")].into();
    let page = CollectionResponseMultiAssociatedObjectWithLabelForwardPaging::new(
        (0..3u64)
            .map(|n| MultiAssociatedObjectWithLabel::new(Vec::new(), n))
            .collect(),
    );
    let error = StandardError::new(
        "VALIDATION_ERROR",
        [("ids", vec!["1".to_owned()])]
            .map(|(k, v)| (k.to_owned(), v))
            .into(),
        Vec::new(),
        (0..2).map(|n| (n.to_string(), "x".to_owned())).collect(),
        "message",
        "error",
    )
    .with_id(5434402448u64);
    assert_eq!(by_new.inputs.len(), 250);
    assert_eq!(by_new.inputs[249].id, "249");
    assert_eq!(by_collect.inputs[1].after.as_deref(), Some("x"));
    assert_eq!(by_vec.inputs[0].id, "1");
    assert_eq!(page.results[2].to_object_id, "2");
    assert_eq!(error.id.as_deref(), Some("5434402448"));
}
