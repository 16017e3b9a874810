//! Our v4 requests are the official Node SDK's on the wire: method, path,
//! query and JSON body. `fixtures/node_sdk_v4_requests.json` holds what
//! `@hubspot/api-client` sent for each of its v4 associations operations
//! (recorded by `client-tests/node-sdk/record.mjs`, see TESTING.md); here
//! each recorded call is made again with `hubspot_associations::v4`, with
//! the same arguments, against a server on 127.0.0.1 that gives the
//! recorded answer, and what that server received is compared.
//!
//! Not compared, on purpose: headers besides `Content-Type` (User-Agent,
//! `Accept`, header casing and order are each client's own and HubSpot
//! routes on none of them; auth has its own tests in `auth.rs`), and the
//! percent-encoding of the query (its decoded pairs are what HubSpot reads).

use hubspot_associations::AssociationsExt as _;
use hubspot_associations::v4::associations as assoc;
use hubspot_associations::v4::associations_schema as schema;
use hubspot_associations::{Client, Error};
use serde::Deserialize;
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const FIXTURE: &str = include_str!("fixtures/node_sdk_v4_requests.json");

#[derive(Deserialize)]
struct Fixture {
    sdk: String,
    sdk_version: String,
    calls: Vec<RecordedCall>,
}

#[derive(Deserialize)]
struct RecordedCall {
    sdk_method: String,
    surface: String,
    request: Wire,
    response: Answer,
}

/// One request as a server sees it.
#[derive(Deserialize, Debug, Clone, PartialEq)]
struct Wire {
    method: String,
    path: String,
    /// Decoded name/value pairs, sorted.
    query: Vec<(String, String)>,
    content_type: Option<String>,
    body: Option<Value>,
}

#[derive(Deserialize)]
struct Answer {
    status: u16,
    body: Option<Value>,
}

/// A paging cursor with `+`, `/` and `=` (as in the recording), which a
/// query must escape for the server to read it back.
const CURSOR: &str = "MjAx+Lz0/=";

fn spec(category: assoc::AssociationCategory, type_id: i32) -> assoc::AssociationSpec {
    assoc::AssociationSpec::new(category, type_id)
}

fn id(value: &str) -> assoc::PublicObjectId {
    assoc::PublicObjectId::new(value)
}

fn multi_post() -> assoc::BatchInputPublicAssociationMultiPost {
    use assoc::AssociationCategory::{HubspotDefined, UserDefined};
    assoc::BatchInputPublicAssociationMultiPost::new(vec![
        assoc::PublicAssociationMultiPost::new(id("101"), id("201"), vec![spec(UserDefined, 36)]),
        assoc::PublicAssociationMultiPost::new(
            id("102"),
            id("202"),
            vec![spec(HubspotDefined, 1), spec(UserDefined, 36)],
        ),
    ])
}

fn label_create() -> schema::PublicAssociationDefinitionCreateRequest {
    schema::PublicAssociationDefinitionCreateRequest::new("Manager", "manager")
        .with_inverse_label("Employee")
}

fn label_update() -> schema::PublicAssociationDefinitionUpdateRequest {
    schema::PublicAssociationDefinitionUpdateRequest::new(36, "Boss").with_inverse_label("Report")
}

fn limits_create() -> schema::BatchInputPublicAssociationDefinitionConfigurationCreateRequest {
    schema::BatchInputPublicAssociationDefinitionConfigurationCreateRequest::new(vec![
        schema::PublicAssociationDefinitionConfigurationCreateRequest::new(
            schema::Category::UserDefined,
            5,
            36,
        ),
    ])
}

fn limits_purge() -> schema::BatchInputPublicAssociationSpec {
    schema::BatchInputPublicAssociationSpec::new(vec![schema::PublicAssociationSpec::new(
        "USER_DEFINED",
        36,
    )])
}

fn limits_update() -> schema::BatchInputPublicAssociationDefinitionConfigurationUpdateRequest {
    schema::BatchInputPublicAssociationDefinitionConfigurationUpdateRequest::new(vec![
        schema::PublicAssociationDefinitionConfigurationUpdateRequest::new(
            schema::Category::UserDefined,
            10,
            36,
        ),
    ])
}

/// The table: each SDK method's equivalent call of ours, with the arguments
/// `record.mjs` passed the SDK. `None`: no equivalent known to this test.
async fn call_ours(
    api: &hubspot_associations::v4::Api,
    sdk_method: &str,
) -> Option<Result<(), Error>> {
    use assoc::AssociationCategory::{HubspotDefined, UserDefined};
    let result = match sdk_method {
        "crm.associations.v4.basicApi.archive" => {
            api.archive("contacts", "101", "companies", "201").await
        }
        "crm.associations.v4.basicApi.create" => api
            .associate(
                "contacts",
                "101",
                "companies",
                "201",
                &[spec(HubspotDefined, 1), spec(UserDefined, 36)],
            )
            .await
            .map(drop),
        "crm.associations.v4.basicApi.createDefault" => api
            .associate_default("contacts", "101", "companies", "201")
            .await
            .map(drop),
        "crm.associations.v4.basicApi.getPage" => {
            let params = assoc::ListParams::new().with_after(CURSOR).with_limit(100);
            api.list("contacts", "101", "companies", &params)
                .await
                .map(drop)
        }
        "crm.associations.v4.basicApi.getPage (no optional arguments)" => api
            .list("contacts", "101", "companies", &assoc::ListParams::new())
            .await
            .map(drop),
        "crm.associations.v4.batchApi.archive" => {
            let body = assoc::BatchInputPublicAssociationMultiArchive::new(vec![
                assoc::PublicAssociationMultiArchive::new(id("101"), vec![id("201"), id("202")]),
            ]);
            api.batch_archive("contacts", "companies", &body).await
        }
        "crm.associations.v4.batchApi.archiveLabels" => {
            api.batch_archive_labels("contacts", "companies", &multi_post())
                .await
        }
        "crm.associations.v4.batchApi.create" => api
            .batch_create("contacts", "companies", &multi_post())
            .await
            .map(drop),
        "crm.associations.v4.batchApi.createDefault" => {
            let body = assoc::BatchInputPublicDefaultAssociationMultiPost::new(vec![
                assoc::PublicDefaultAssociationMultiPost::new(id("101"), id("201")),
            ]);
            api.batch_associate_default("contacts", "companies", &body)
                .await
                .map(drop)
        }
        "crm.associations.v4.batchApi.getPage" => {
            let body = assoc::BatchInputPublicFetchAssociationsBatchRequest::new(vec![
                assoc::PublicFetchAssociationsBatchRequest::new("101").with_after(CURSOR),
                assoc::PublicFetchAssociationsBatchRequest::new("102"),
            ]);
            api.batch_read("contacts", "companies", &body)
                .await
                .map(drop)
        }
        "crm.associations.v4.reportApi.request" => api.report_high_usage(1234567).await.map(drop),
        "crm.associations.v4.schema.definitionsApi.create" | "LabelsApiRequestFactory.create" => {
            api.create_label("contacts", "companies", &label_create())
                .await
                .map(drop)
        }
        "crm.associations.v4.schema.definitionsApi.getAll" | "LabelsApiRequestFactory.getPage" => {
            api.list_labels("contacts", "companies").await.map(drop)
        }
        "crm.associations.v4.schema.definitionsApi.remove" | "LabelsApiRequestFactory.remove" => {
            api.delete_label("contacts", "companies", 36).await
        }
        "crm.associations.v4.schema.definitionsApi.update" | "LabelsApiRequestFactory.update" => {
            api.update_label("contacts", "companies", &label_update())
                .await
        }
        "DefinitionConfigurationsApi.batchCreate" | "LimitsApiRequestFactory.batchCreate" => api
            .batch_create_limits("contacts", "companies", &limits_create())
            .await
            .map(drop),
        "DefinitionConfigurationsApi.batchRemove" | "LimitsApiRequestFactory.batchRemove" => {
            api.batch_purge_limits("contacts", "companies", &limits_purge())
                .await
        }
        "DefinitionConfigurationsApi.batchUpdate" | "LimitsApiRequestFactory.batchUpdate" => api
            .batch_update_limits("contacts", "companies", &limits_update())
            .await
            .map(drop),
        "DefinitionConfigurationsApi.getAll" | "LimitsApiRequestFactory.getPage" => {
            api.list_all_limits().await.map(drop)
        }
        "DefinitionConfigurationsApi.getAllBetweenTwoObjectTypes"
        | "LimitsApiRequestFactory.getPageBetweenTwoObjectTypes" => {
            api.list_limits("contacts", "companies").await.map(drop)
        }
        _ => return None,
    };
    Some(result)
}

/// The one known difference, in our path, and why it is not a fault of
/// ours: the SDK's wired label and limit APIs (`DefinitionsApi`,
/// `DefinitionConfigurationsApi`) call HubSpot's older spelling of these
/// endpoints, `/crm/v4/associations/...`; HubSpot's current v4 schema
/// document (the one we generate from) spells them
/// `/crm/associations/v4/...`, and so do the request factories the same
/// SDK package ships for them unwired (`LabelsApi`, `LimitsApi`, recorded
/// as `surface: "unexported"`), which this test holds to our path exactly.
const OLD_SCHEMA_PREFIX: &str = "/crm/v4/associations/";
const OUR_SCHEMA_PREFIX: &str = "/crm/associations/v4/";

fn expects_old_schema_path(sdk_method: &str) -> bool {
    sdk_method.starts_with("crm.associations.v4.schema.definitionsApi.")
        || sdk_method.starts_with("DefinitionConfigurationsApi.")
}

/// The request the SDK sent, as ours should be: the recording with the
/// documented difference applied.
fn expected(call: &RecordedCall) -> Wire {
    let mut wire = call.request.clone();
    if expects_old_schema_path(&call.sdk_method) {
        let rest = wire
            .path
            .strip_prefix(OLD_SCHEMA_PREFIX)
            .unwrap_or_else(|| panic!("{}: the SDK's path moved: {}", call.sdk_method, wire.path));
        wire.path = format!("{OUR_SCHEMA_PREFIX}{rest}");
    }
    wire
}

fn received(request: &wiremock::Request) -> Wire {
    let mut query: Vec<(String, String)> = request
        .url
        .query_pairs()
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    query.sort();
    Wire {
        method: request.method.as_str().to_owned(),
        path: request.url.path().to_owned(),
        query,
        content_type: request
            .headers
            .get("content-type")
            .map(|value| value.to_str().unwrap().to_owned()),
        body: (!request.body.is_empty())
            .then(|| serde_json::from_slice(&request.body).expect("our request body is JSON")),
    }
}

fn answer(response: &Answer) -> ResponseTemplate {
    let template = ResponseTemplate::new(response.status);
    match &response.body {
        Some(body) => template.set_body_json(body),
        None => template,
    }
}

/// Makes the SDK's call with our client (default settings) against a server
/// giving the recorded answer; what that server received, once.
async fn our_request(call: &RecordedCall) -> Option<Result<Wire, String>> {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(answer(&call.response))
        .mount(&server)
        .await;
    let client = Client::builder("pat-na1-wire-token")
        .base_url(server.uri())
        .build()
        .unwrap();
    let outcome = call_ours(&client.associations().v4(), &call.sdk_method).await?;
    let requests = server.received_requests().await.unwrap();
    Some(match (outcome, requests.as_slice()) {
        (Err(error), _) => Err(format!("our call failed on the SDK's answer: {error}")),
        (Ok(()), [request]) => Ok(received(request)),
        (Ok(()), requests) => Err(format!("{} requests, expected 1", requests.len())),
    })
}

#[tokio::test]
async fn every_recorded_sdk_call_sends_the_same_request_from_our_client() {
    let fixture: Fixture = serde_json::from_str(FIXTURE).unwrap();
    assert_eq!(fixture.sdk, "@hubspot/api-client");
    assert!(
        fixture.sdk_version.starts_with("14."),
        "{}",
        fixture.sdk_version
    );
    let mut unmapped = Vec::new();
    let mut differences = Vec::new();
    let mut endpoints_reached = std::collections::BTreeSet::new();
    for call in &fixture.calls {
        match our_request(call).await {
            None => unmapped.push(format!("{} ({})", call.sdk_method, call.surface)),
            Some(Err(problem)) => differences.push(format!("{}: {problem}", call.sdk_method)),
            Some(Ok(ours)) => {
                endpoints_reached.insert((ours.method.clone(), ours.path.clone()));
                let sdk = expected(call);
                if ours != sdk {
                    differences.push(format!(
                        "{}:\n  SDK:  {sdk:?}\n  ours: {ours:?}",
                        call.sdk_method
                    ));
                }
            }
        }
    }
    // One report with both lists: a new SDK operation and a changed request
    // are seen in the same run.
    let mut report = String::new();
    if !unmapped.is_empty() {
        report += &format!(
            "SDK operations with no equivalent in this test's table (`call_ours`); map each to our call:\n{}\n",
            unmapped.join("\n")
        );
    }
    if !differences.is_empty() {
        report += &format!(
            "{} of {} requests differ from the SDK's (its path with the documented difference applied):\n{}\n",
            differences.len(),
            fixture.calls.len(),
            differences.join("\n")
        );
    }
    assert!(report.is_empty(), "{report}");
    // Each of our 19 v4 operations was called (each has its own method and
    // path with these arguments), so none of ours lacks an SDK counterpart.
    assert_eq!(endpoints_reached.len(), 19, "{endpoints_reached:#?}");
}

/// The recording covers every v4 operation the SDK package has, per
/// surface; a re-recording that silently lost calls fails here.
#[test]
fn the_recording_covers_every_v4_operation_the_sdk_has() {
    let fixture: Fixture = serde_json::from_str(FIXTURE).unwrap();
    let count = |surface: &str| {
        fixture
            .calls
            .iter()
            .filter(|call| call.surface == surface)
            .count()
    };
    // basicApi 4 (+ getPage without its optional arguments), batchApi 5,
    // reportApi 1, schema.definitionsApi 4.
    assert_eq!(count("client"), 15);
    assert_eq!(count("export"), 5, "DefinitionConfigurationsApi");
    assert_eq!(count("unexported"), 9, "LabelsApi 4, LimitsApi 5");
    assert_eq!(fixture.calls.len(), 29);
}
