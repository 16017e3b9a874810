//! Each kind of endpoint against a local server on 127.0.0.1: the request
//! on the wire (method, encoded path, headers, body) and the decoded result.

use hubspot_associations::AssociationsExt as _;
use hubspot_associations::v2026_03::associations as assoc;
use hubspot_associations::{Client, Error};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "pat-na1-secret-token-123";

fn client(server: &MockServer) -> Client {
    Client::builder(TOKEN)
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap()
}

fn batch_body(results: serde_json::Value) -> serde_json::Value {
    json!({"status": "COMPLETE", "results": results,
           "startedAt": "2026-03-04T10:15:30Z", "completedAt": "2026-03-04T10:15:31Z"})
}

#[tokio::test]
async fn batch_read_sends_bearer_json_and_decodes_200_and_207() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(
            "/crm/associations/2026-03/contacts/companies/batch/read",
        ))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"inputs": [{"id": "101"}]})))
        .respond_with(ResponseTemplate::new(200).set_body_json(batch_body(json!([
            {"from": {"id": "101"}, "to": [{"toObjectId": "201", "associationTypes": []}]}
        ]))))
        .expect(1)
        .mount(&server)
        .await;
    let input = assoc::BatchInputPublicFetchAssociationsBatchRequest::new(vec![
        assoc::PublicFetchAssociationsBatchRequest::new("101"),
    ]);
    let api = client(&server).associations().v2026_03();
    match api
        .batch_read("contacts", "companies", &input)
        .await
        .unwrap()
    {
        assoc::BatchReadResponse::Ok(ok) => assert_eq!(ok.results[0].to[0].to_object_id, "201"),
        other => panic!("expected 200, got {other:?}"),
    }

    server.reset().await;
    Mock::given(method("POST"))
        .and(path(
            "/crm/associations/2026-03/contacts/companies/batch/read",
        ))
        .and(body_json(json!({"inputs": [{"id": "101"}]})))
        .respond_with(ResponseTemplate::new(207).set_body_json(json!({
            "status": "COMPLETE", "results": [], "numErrors": 1,
            "errors": [{"status": "error", "category": "OBJECT_NOT_FOUND", "message": "missing",
                        "context": {"ids": ["101"]}, "errors": [], "links": {}}],
            "startedAt": "2026-03-04T10:15:30Z", "completedAt": "2026-03-04T10:15:31Z"})))
        .expect(1)
        .mount(&server)
        .await;
    match api
        .batch_read("contacts", "companies", &input)
        .await
        .unwrap()
    {
        assoc::BatchReadResponse::MultiStatus(partial) => {
            assert_eq!(partial.num_errors, Some(1));
            assert_eq!(partial.errors.unwrap()[0].context["ids"], ["101"]);
        }
        other => panic!("expected 207, got {other:?}"),
    }
}

#[tokio::test]
async fn list_sends_query_parameters() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(
            "/crm/objects/2026-03/contacts/101/associations/companies",
        ))
        .and(query_param("after", "MjAy"))
        .and(query_param("limit", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "results": [{"toObjectId": "203", "associationTypes": []}]})))
        .expect(1)
        .mount(&server)
        .await;
    let params = assoc::ListParams::new().with_after("MjAy").with_limit(2);
    let page = client(&server)
        .associations()
        .v2026_03()
        .list("contacts", "101", "companies", &params)
        .await
        .unwrap();
    assert_eq!(page.results[0].to_object_id, "203");
    assert!(page.paging.is_none());
}

#[tokio::test]
async fn delete_returns_unit_on_204() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(
            "/crm/objects/2026-03/contacts/101/associations/companies/201",
        ))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .associations()
        .v2026_03()
        .archive("contacts", "101", "companies", "201")
        .await
        .unwrap();
}

#[tokio::test]
async fn associate_sends_an_array_body_and_decodes_201() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path(
            "/crm/objects/2026-03/contacts/101/associations/companies/201",
        ))
        .and(body_json(
            json!([{"associationCategory": "USER_DEFINED", "associationTypeId": 57}]),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "fromObjectTypeId": "0-1", "fromObjectId": "101", "toObjectTypeId": "0-2",
            "toObjectId": "201", "labels": ["Manager"]})))
        .mount(&server)
        .await;
    let spec = assoc::AssociationSpec::new(assoc::AssociationCategory::UserDefined, 57);
    let pair = client(&server)
        .associations()
        .v2026_03()
        .associate("contacts", "101", "companies", "201", &[spec])
        .await
        .unwrap();
    assert_eq!(pair.labels, ["Manager"]);
}

#[tokio::test]
async fn path_parameters_cannot_change_the_path() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(
            "/crm/objects/2026-03/..%2Fx/a%2Fb%3Fc%23d/associations/companies/%C3%A9t%C3%A9",
        ))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let api = client(&server).associations().v2026_03();
    api.archive("../x", "a/b?c#d", "companies", "été")
        .await
        .unwrap();

    let err = api.archive("..", "1", "companies", "2").await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
}

/// An empty path parameter would be sent as `//` (a path HubSpot reads as
/// another, or redirects): refused like `..`, naming the parameter, nothing
/// sent, for a plain call and a batch call the client would split.
#[tokio::test]
async fn an_empty_path_parameter_is_refused_naming_it_and_nothing_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server);
    let err = client
        .associations()
        .v2026_03()
        .archive("contacts", "1", "", "2")
        .await
        .unwrap_err();
    let Error::InvalidInput { operation, message } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*operation, "archive");
    assert!(
        message.starts_with("path parameter `toObjectType` is empty"),
        "{message}"
    );
    let inputs: Vec<_> = (0..250)
        .map(|i| json!({"from": {"id": format!("f{i}")}, "to": [{"id": format!("t{i}")}]}))
        .collect();
    let body = serde_json::from_value(json!({ "inputs": inputs })).unwrap();
    let err = client
        .associations()
        .v4()
        .batch_archive("", "companies", &body)
        .await
        .unwrap_err();
    let Error::InvalidInput { message, .. } = &err else {
        panic!("one error for the call, not one per chunk: {err:?}")
    };
    assert!(
        message.starts_with("path parameter `fromObjectType` is empty"),
        "{message}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn error_bodies_decode_leniently_or_stay_raw() {
    let server = MockServer::start().await;
    // HubSpot omits fields its document calls required (correlationId here).
    Mock::given(method("GET"))
        .and(path("/crm/objects/2026-03/contacts/1/associations/deals"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "status": "error", "message": "Unable to infer object type from: deals2",
            "category": "VALIDATION_ERROR"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/crm/objects/2026-03/contacts/2/associations/deals"))
        .respond_with(
            ResponseTemplate::new(502)
                .set_body_string("<html>Bad gateway</html>")
                .insert_header("content-type", "text/html"),
        )
        .mount(&server)
        .await;
    let api = client(&server).associations().v2026_03();
    let err = api
        .list("contacts", "1", "deals", &assoc::ListParams::new())
        .await
        .unwrap_err();
    let Error::Api { status, body, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*status, 400);
    let body = body.as_ref().unwrap();
    assert_eq!(body.category.as_deref(), Some("VALIDATION_ERROR"));
    assert_eq!(body.correlation_id, None);
    assert_eq!(
        err.to_string(),
        "HubSpot answered HTTP 400 to `list`: Unable to infer object type from: deals2 (VALIDATION_ERROR)"
    );

    let err = api
        .list("contacts", "2", "deals", &assoc::ListParams::new())
        .await
        .unwrap_err();
    let Error::Api {
        status, body, raw, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(
        (*status, body.is_none(), raw.as_str()),
        (502, true, "<html>Bad gateway</html>")
    );
}
