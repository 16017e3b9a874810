//! Batch calls split into chunks, for every shape of batch answer HubSpot's
//! documents have, in every version that has it: no body (204), JSON with a
//! 207, JSON without one (failed chunks listed in `errors`). Each shape: all
//! chunks succeed, one chunk fails, and the failed chunk's inputs are named.
//!
//! The server is a small HTTP/1.1 server on 127.0.0.1 written here, so it can
//! count the requests in flight while it answers them; it checks the path and
//! records every body. Expected values come from the inputs the test built,
//! never from the client's output.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hubspot_associations::AssociationsExt as _;
use hubspot_associations::runtime::__private::{Method, Request};
use hubspot_associations::runtime::{BatchMerge, BatchPlan};
use hubspot_associations::{Client, Error};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// What the server answers: a status and a JSON body (`None`: no body).
type Answer = (u16, Option<Value>);
type Handler =
    Arc<dyn Fn(String, Value) -> Pin<Box<dyn Future<Output = Answer> + Send>> + Send + Sync>;

/// A local server: every request's path and JSON body, and the most
/// requests it was answering at one time.
struct Server {
    addr: SocketAddr,
    received: Arc<Mutex<Vec<(String, String, Value)>>>,
    max_in_flight: Arc<AtomicUsize>,
}

impl Server {
    async fn start<F, Fut>(handler: F) -> Server
    where
        F: Fn(String, Value) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Answer> + Send + 'static,
    {
        let handler: Handler = Arc::new(move |path, body| Box::pin(handler(path, body)));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let in_flight = Arc::new(AtomicUsize::new(0));
        let max_in_flight = Arc::new(AtomicUsize::new(0));
        let (r, now, max) = (received.clone(), in_flight, max_in_flight.clone());
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let (handler, r, now, max) = (handler.clone(), r.clone(), now.clone(), max.clone());
                tokio::spawn(async move {
                    let mut stream = BufReader::new(stream);
                    // Keep-alive: one request after another on the connection.
                    while let Some((method, path, body)) = read_request(&mut stream).await {
                        r.lock().unwrap().push((method, path.clone(), body.clone()));
                        let current = now.fetch_add(1, Ordering::SeqCst) + 1;
                        max.fetch_max(current, Ordering::SeqCst);
                        let (status, body) = handler(path, body).await;
                        now.fetch_sub(1, Ordering::SeqCst);
                        let head = match &body {
                            None if status == 204 => format!("HTTP/1.1 {status} Answer\r\n\r\n"),
                            None => {
                                format!("HTTP/1.1 {status} Answer\r\ncontent-length: 0\r\n\r\n")
                            }
                            Some(body) => format!(
                                "HTTP/1.1 {status} Answer\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                                body.to_string().len()
                            ),
                        };
                        let mut out = head.into_bytes();
                        if let Some(body) = body {
                            out.extend(body.to_string().into_bytes());
                        }
                        if stream.get_mut().write_all(&out).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        Server {
            addr,
            received,
            max_in_flight,
        }
    }

    fn client(&self) -> Client {
        // The defaults users get: retries and the limiter on.
        Client::builder("pat-na1-test-token")
            .base_url(format!("http://{}", self.addr))
            .build()
            .unwrap()
    }

    fn received(&self) -> Vec<(String, String, Value)> {
        self.received.lock().unwrap().clone()
    }
}

async fn read_request<R: AsyncBufReadExt + Unpin>(
    stream: &mut R,
) -> Option<(String, String, Value)> {
    let mut line = String::new();
    if stream.read_line(&mut line).await.ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let path = parts.next()?.to_owned();
    let mut length = 0;
    loop {
        let mut header = String::new();
        stream.read_line(&mut header).await.ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    stream.read_exact(&mut body).await.ok()?;
    let body = serde_json::from_slice(&body).unwrap_or(Value::Null);
    Some((method, path, body))
}

fn batch_body(results: Vec<Value>) -> Value {
    json!({"status": "COMPLETE", "results": results,
        "startedAt": "2026-03-04T10:15:30Z", "completedAt": "2026-03-04T10:15:31Z"})
}

fn hubspot_400() -> Value {
    json!({"status": "error", "message": "One or more inputs are invalid",
        "category": "VALIDATION_ERROR", "correlationId": "aa-bb"})
}

/// `{from: {id: f<i>}, to: [{id: t<i>}]}` for i in 0..n.
fn archive_inputs(n: usize) -> Value {
    let inputs: Vec<Value> = (0..n)
        .map(|i| json!({"from": {"id": format!("f{i}")}, "to": [{"id": format!("t{i}")}]}))
        .collect();
    json!({ "inputs": inputs })
}

/// `{from: {id: f<i>}, to: {id: t<i>}, types: [...]}` for i in 0..n.
fn create_inputs(n: usize) -> Value {
    let inputs: Vec<Value> = (0..n)
        .map(|i| {
            json!({"from": {"id": format!("f{i}")}, "to": {"id": format!("t{i}")},
            "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 1}]})
        })
        .collect();
    json!({ "inputs": inputs })
}

/// `{from: {id: f<i>}, to: {id: t<i>}}` for i in 0..n.
fn default_inputs(n: usize) -> Value {
    let inputs: Vec<Value> = (0..n)
        .map(|i| json!({"from": {"id": format!("f{i}")}, "to": {"id": format!("t{i}")}}))
        .collect();
    json!({ "inputs": inputs })
}

/// One result per input, the way each operation answers.
fn pair(input: &Value) -> Value {
    json!({"fromObjectTypeId": "0-1", "fromObjectId": input["from"]["id"],
        "toObjectTypeId": "0-2", "toObjectId": input["to"]["id"], "labels": []})
}

fn default_association(input: &Value) -> Value {
    json!({"from": input["from"], "to": input["to"],
        "associationSpec": {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 279}})
}

fn echo(input: &Value) -> Value {
    json!({"from": input["from"]})
}

/// Which chunk a request is, by its first input (`f0`, `f100`, `f200`).
fn first_id(body: &Value) -> String {
    body["inputs"][0]["from"]["id"].as_str().unwrap().to_owned()
}

fn ids(range: std::ops::Range<usize>) -> Vec<String> {
    range.map(|i| format!("f{i}")).collect()
}

/// The server got the inputs in order, 100 a request, on `path`.
fn assert_chunked(server: &Server, path: &str, inputs: &Value) {
    let mut received = server.received();
    received.sort_by_key(|(_, _, body)| first_id(body)[1..].parse::<usize>().unwrap());
    let all = inputs["inputs"].as_array().unwrap();
    let expected: Vec<(String, String, Value)> = all
        .chunks(100)
        .map(|c| ("POST".to_owned(), path.to_owned(), json!({ "inputs": c })))
        .collect();
    assert_eq!(received, expected);
}

/// The one `errors` entry a failed chunk 2 of 3 (inputs 100..200) becomes.
fn assert_failed_chunk_entry(entry: &Value) {
    assert_eq!(entry["category"], "CLIENT_CHUNK_FAILED");
    let message = entry["message"].as_str().unwrap();
    assert!(
        message.starts_with("chunk 2 of 3 failed: HubSpot answered HTTP 400 to `"),
        "{message}"
    );
    assert!(
        message.contains("One or more inputs are invalid"),
        "{message}"
    );
    assert_eq!(entry["context"]["inputs"], json!(["100..200"]));
    assert_eq!(entry["context"]["ids"], json!(ids(100..200)));
    // A 400 is a refusal: surely not carried out.
    assert_eq!(entry["context"]["outcome"], json!(["not_done"]));
}

// ---- no body (v4's 204 operations): all done, or an error naming what was done ----

const V4_ARCHIVE: &str = "/crm/v4/associations/contacts/companies/batch/archive";

#[tokio::test]
async fn no_body_every_chunk_204_is_ok() {
    let server = Server::start(|path, _| async move {
        assert_eq!(path, V4_ARCHIVE);
        (204, None)
    })
    .await;
    let inputs = archive_inputs(250);
    let body = serde_json::from_value(inputs.clone()).unwrap();
    server
        .client()
        .associations()
        .v4()
        .batch_archive("contacts", "companies", &body)
        .await
        .unwrap();
    assert_chunked(&server, V4_ARCHIVE, &inputs);
}

#[tokio::test]
async fn no_body_a_failed_chunk_is_an_error_naming_inputs_done_and_not() {
    let server = Server::start(|_, body| async move {
        match first_id(&body).as_str() {
            "f100" => (400, Some(hubspot_400())),
            _ => (204, None),
        }
    })
    .await;
    let inputs = archive_inputs(250);
    let body = serde_json::from_value(inputs.clone()).unwrap();
    let err = server
        .client()
        .associations()
        .v4()
        .batch_archive("contacts", "companies", &body)
        .await
        .unwrap_err();
    // Every chunk was still sent: the first and third were archived.
    assert_chunked(&server, V4_ARCHIVE, &inputs);
    let Error::Batch {
        operation,
        chunks,
        inputs: count,
        done,
        failed,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(
        (*operation, *chunks, *count, done.as_slice()),
        ("batch_archive", 3, 250, [0..100, 200..250].as_slice())
    );
    assert_eq!(failed.len(), 1);
    assert_eq!((failed[0].chunk, failed[0].inputs.clone()), (2, 100..200));
    assert_eq!(failed[0].error.status(), Some(400));
    assert_eq!(
        err.to_string(),
        format!(
            "`batch_archive` was split into 3 requests: chunk 2 of 3 failed (inputs 100..200, not done): {}; inputs 0..100, 200..250 of 250 were done",
            failed[0].error
        )
    );
    assert!(
        failed[0]
            .error
            .to_string()
            .starts_with("HubSpot answered HTTP 400 to `batch_archive`"),
        "{}",
        failed[0].error
    );
}

// ---- JSON without a 207: merged into the one success, a failed chunk in `errors` ----

/// batch_archive of the versions whose answer is JSON without a 207.
macro_rules! errors_list_archive {
    ($name:ident, $version:ident, $segment:literal) => {
        #[tokio::test]
        async fn $name() {
            let path = concat!("/crm/associations/", $segment, "/contacts/companies/batch/archive");
            for fail in [false, true] {
                let server = Server::start(move |got, body| async move {
                    assert_eq!(got, path);
                    if fail && first_id(&body) == "f100" {
                        return (400, Some(hubspot_400()));
                    }
                    let results = body["inputs"].as_array().unwrap().iter().map(echo).collect();
                    (200, Some(batch_body(results)))
                })
                .await;
                let inputs = archive_inputs(250);
                let body = serde_json::from_value(inputs.clone()).unwrap();
                let merged = server
                    .client()
                    .associations().$version()
                    .batch_archive("contacts", "companies", &body)
                    .await
                    .unwrap();
                assert_chunked(&server, path, &inputs);
                let merged = serde_json::to_value(&merged).unwrap();
                let kept: Vec<usize> = if fail {
                    (0..100).chain(200..250).collect()
                } else {
                    (0..250).collect()
                };
                let expected: Vec<Value> =
                    kept.iter().map(|i| json!({"from": {"id": format!("f{i}")}})).collect();
                assert_eq!(merged["results"], json!(expected), "good chunks kept, in order");
                if fail {
                    assert_eq!(merged["numErrors"], 1);
                    assert_eq!(merged["errors"].as_array().unwrap().len(), 1);
                    assert_failed_chunk_entry(&merged["errors"][0]);
                } else {
                    assert_eq!(merged.get("errors"), None, "{merged}");
                }
            }
        }
    };
}

errors_list_archive!(errors_list_archive_2025_09, v2025_09, "2025-09");
errors_list_archive!(errors_list_archive_2026_03, v2026_03, "2026-03");
errors_list_archive!(errors_list_archive_2026_09, v2026_09, "2026-09");

/// batch_associate_default: JSON without a 207 in every version (typed results).
macro_rules! errors_list_default {
    ($name:ident, $version:ident, $prefix:literal) => {
        #[tokio::test]
        async fn $name() {
            let path = concat!($prefix, "/contacts/companies/batch/associate/default");
            let server = Server::start(move |got, body| async move {
                assert_eq!(got, path);
                if first_id(&body) == "f100" {
                    return (400, Some(hubspot_400()));
                }
                let results = body["inputs"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(default_association)
                    .collect();
                (200, Some(batch_body(results)))
            })
            .await;
            let inputs = default_inputs(250);
            let body = serde_json::from_value(inputs.clone()).unwrap();
            let merged = server
                .client()
                .associations()
                .$version()
                .batch_associate_default("contacts", "companies", &body)
                .await
                .unwrap();
            assert_chunked(&server, path, &inputs);
            let got: Vec<&str> = merged.results.iter().map(|r| r.from.id.as_str()).collect();
            let expected: Vec<String> = ids(0..100).into_iter().chain(ids(200..250)).collect();
            assert_eq!(got, expected);
            let errors = serde_json::to_value(merged.errors.as_ref().unwrap()).unwrap();
            assert_eq!(errors.as_array().unwrap().len(), 1);
            assert_failed_chunk_entry(&errors[0]);
            assert_eq!(merged.num_errors, Some(1));
        }
    };
}

errors_list_default!(errors_list_default_v4, v4, "/crm/v4/associations");
errors_list_default!(
    errors_list_default_2025_09,
    v2025_09,
    "/crm/associations/2025-09"
);
errors_list_default!(
    errors_list_default_2026_03,
    v2026_03,
    "/crm/associations/2026-03"
);
errors_list_default!(
    errors_list_default_2026_09,
    v2026_09,
    "/crm/associations/2026-09"
);

/// The merged answer of a JSON operation without a 207 carries its own
/// status, never a 207 HubSpot did not send.
#[tokio::test]
async fn errors_list_never_answers_a_status_hubspot_did_not_send() {
    let server = Server::start(|_, body| async move {
        if first_id(&body) == "f100" {
            return (400, Some(hubspot_400()));
        }
        (200, Some(batch_body(vec![])))
    })
    .await;
    let client = server.client();
    for (merge, expected) in [
        (BatchMerge::ErrorsList { ok: 200 }, 200),
        (BatchMerge::MultiStatus { ok: 200 }, 207),
    ] {
        let request = Request::new(
            Method::POST,
            "/crm/associations/2026-03/contacts/companies/batch/archive",
            &[],
            "batch_archive",
        )
        .json(&archive_inputs(250))
        .unwrap();
        let plan = BatchPlan {
            limit: 100,
            follow_cursors: false,
            merge,
        };
        let response = client.execute_batch(request, plan, 250).await.unwrap();
        assert_eq!(response.status(), expected, "{merge:?}");
    }
}

#[tokio::test]
async fn every_chunk_failing_is_an_error_listing_each_chunk() {
    let server = Server::start(|_, _| async move { (400, Some(hubspot_400())) }).await;
    let body = serde_json::from_value(archive_inputs(250)).unwrap();
    let err = server
        .client()
        .associations()
        .v2026_03()
        .batch_archive("contacts", "companies", &body)
        .await
        .unwrap_err();
    let Error::Batch { done, failed, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(done.is_empty());
    let failed: Vec<_> = failed.iter().map(|f| (f.chunk, f.inputs.clone())).collect();
    assert_eq!(failed, [(1, 0..100), (2, 100..200), (3, 200..250)]);
    assert!(
        err.to_string()
            .ends_with("none of the 250 inputs were done"),
        "{err}"
    );
    assert_eq!(server.received().len(), 3);
}

#[tokio::test]
async fn a_chunk_whose_answer_cannot_be_read_is_a_failed_chunk() {
    // A 200 without the body the document promises (HubSpot's 204 habit).
    let server = Server::start(|_, body| async move {
        if first_id(&body) == "f100" {
            return (200, None);
        }
        let results = body["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(echo)
            .collect();
        (200, Some(batch_body(results)))
    })
    .await;
    let body = serde_json::from_value(archive_inputs(250)).unwrap();
    let merged = server
        .client()
        .associations()
        .v2026_03()
        .batch_archive("contacts", "companies", &body)
        .await
        .unwrap();
    assert_eq!(merged.results.len(), 150);
    let errors = merged.errors.unwrap();
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].message.starts_with(
            "chunk 2 of 3 failed (outcome unknown: HubSpot may have carried them out): could not decode HTTP 200 response to `batch_archive`"
        ),
        "{}",
        errors[0].message
    );
    assert_eq!(errors[0].context["inputs"], ["100..200"]);
    // A 2xx was sent: HubSpot did something, the client cannot tell what.
    assert_eq!(
        errors[0].category.as_deref(),
        Some("CLIENT_CHUNK_OUTCOME_UNKNOWN")
    );
    assert_eq!(errors[0].context["outcome"], ["unknown"]);
}

// ---- JSON with a 207: the 207 when any chunk is partial or failed ----

/// batch_create of the versions that document 201 and 207.
macro_rules! multi_status_create {
    ($name:ident, $version:ident, $prefix:literal) => {
        #[tokio::test]
        async fn $name() {
            use hubspot_associations::$version::associations::BatchCreateResponse;
            let path = concat!($prefix, "/contacts/companies/batch/create");
            // Chunk 2: none, HubSpot's own 207, a failure.
            for chunk_two in [201, 207, 400] {
                let server = Server::start(move |got, body| async move {
                    assert_eq!(got, path);
                    let inputs = body["inputs"].as_array().unwrap();
                    if first_id(&body) != "f100" || chunk_two == 201 {
                        return (201, Some(batch_body(inputs.iter().map(pair).collect())));
                    }
                    if chunk_two == 400 {
                        return (400, Some(hubspot_400()));
                    }
                    // HubSpot's partial answer: f100 failed, the rest created.
                    let mut answer = batch_body(inputs[1..].iter().map(pair).collect());
                    answer["numErrors"] = json!(1);
                    answer["errors"] = json!([{"status": "error", "category": "OBJECT_NOT_FOUND",
                        "message": "no f100", "context": {"ids": ["f100"]}, "errors": [], "links": {}}]);
                    (207, Some(answer))
                })
                .await;
                let inputs = create_inputs(250);
                let body = serde_json::from_value(inputs.clone()).unwrap();
                let merged = server
                    .client()
                    .associations().$version()
                    .batch_create("contacts", "companies", &body)
                    .await
                    .unwrap();
                assert_chunked(&server, path, &inputs);
                let kept: Vec<String> = match chunk_two {
                    201 => ids(0..250),
                    207 => ids(0..100).into_iter().chain(ids(101..250)).collect(),
                    _ => ids(0..100).into_iter().chain(ids(200..250)).collect(),
                };
                match (chunk_two, merged) {
                    (201, BatchCreateResponse::Created(all)) => {
                        let got: Vec<&str> = all.results.iter().map(|r| r.from_object_id.as_str()).collect();
                        assert_eq!(got, kept);
                    }
                    (207 | 400, BatchCreateResponse::MultiStatus(partial)) => {
                        let got: Vec<&str> = partial.results.iter().map(|r| r.from_object_id.as_str()).collect();
                        assert_eq!(got, kept);
                        let errors = serde_json::to_value(partial.errors.as_ref().unwrap()).unwrap();
                        assert_eq!(errors.as_array().unwrap().len(), 1);
                        assert_eq!(partial.num_errors, Some(1));
                        if chunk_two == 207 {
                            assert_eq!(errors[0]["message"], "no f100", "HubSpot's own error kept");
                        } else {
                            assert_failed_chunk_entry(&errors[0]);
                        }
                    }
                    (status, other) => panic!("chunk 2 answered {status}: {other:?}"),
                }
            }
        }
    };
}

multi_status_create!(multi_status_create_v4, v4, "/crm/v4/associations");
multi_status_create!(
    multi_status_create_2025_09,
    v2025_09,
    "/crm/associations/2025-09"
);
multi_status_create!(
    multi_status_create_2026_03,
    v2026_03,
    "/crm/associations/2026-03"
);

/// 2026-09's batch_create documents only 200: the JSON-without-207 shape.
#[tokio::test]
async fn errors_list_create_2026_09() {
    let path = "/crm/associations/2026-09/contacts/companies/batch/create";
    let server = Server::start(move |got, body| async move {
        assert_eq!(got, path);
        if first_id(&body) == "f100" {
            return (400, Some(hubspot_400()));
        }
        let inputs = body["inputs"].as_array().unwrap();
        (200, Some(batch_body(inputs.iter().map(pair).collect())))
    })
    .await;
    let inputs = create_inputs(250);
    let body = serde_json::from_value(inputs.clone()).unwrap();
    let merged = server
        .client()
        .associations()
        .v2026_09()
        .batch_create("contacts", "companies", &body)
        .await
        .unwrap();
    assert_chunked(&server, path, &inputs);
    let got: Vec<&str> = merged
        .results
        .iter()
        .map(|r| r.from_object_id.as_str())
        .collect();
    let expected: Vec<String> = ids(0..100).into_iter().chain(ids(200..250)).collect();
    assert_eq!(got, expected);
    let errors = serde_json::to_value(merged.errors.as_ref().unwrap()).unwrap();
    assert_failed_chunk_entry(&errors[0]);
}

// ---- a 2xx the document does not list ----

#[tokio::test]
async fn an_undocumented_2xx_with_the_documented_body_is_that_success() {
    let pair_body = json!({"fromObjectTypeId": "0-1", "fromObjectId": "101",
        "toObjectTypeId": "0-2", "toObjectId": "201", "labels": ["Manager"]});
    let answer = pair_body.clone();
    let server = Server::start(move |path, body| {
        let answer = answer.clone();
        async move {
            assert_eq!(
                path,
                "/crm/objects/2026-03/contacts/101/associations/companies/201"
            );
            assert_eq!(
                body,
                json!([{"associationCategory": "USER_DEFINED", "associationTypeId": 57}])
            );
            (200, Some(answer))
        }
    })
    .await;
    let spec = hubspot_associations::v2026_03::associations::AssociationSpec::new(
        hubspot_associations::v2026_03::associations::AssociationCategory::UserDefined,
        57,
    );
    let api = server.client().associations().v2026_03();
    // associate documents 201 only; HubSpot answering 200 is still the success.
    let pair = api
        .associate(
            "contacts",
            "101",
            "companies",
            "201",
            std::slice::from_ref(&spec),
        )
        .await
        .unwrap();
    assert_eq!(serde_json::to_value(&pair).unwrap(), pair_body);

    // A body that is not the documented one: an error naming the statuses.
    let server =
        Server::start(|_, _| async move { (200, Some(json!({"unexpected": true}))) }).await;
    let err = server
        .client()
        .associations()
        .v2026_03()
        .associate("contacts", "101", "companies", "201", &[spec])
        .await
        .unwrap_err();
    let Error::Decode {
        status, message, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*status, 200);
    assert!(
        message.starts_with("HTTP 200 is not a status the document lists (201), and the body is not the HTTP 201 body: missing field"),
        "{message}"
    );
    assert!(!err.to_string().contains("HubSpot answered"), "{err}");
}

#[tokio::test]
async fn an_undocumented_2xx_of_a_batch_with_a_207_is_the_full_success() {
    use hubspot_associations::v2026_03::associations::BatchCreateResponse;
    let server = Server::start(|_, body| async move {
        let inputs = body["inputs"].as_array().unwrap();
        (200, Some(batch_body(inputs.iter().map(pair).collect())))
    })
    .await;
    let body = serde_json::from_value(create_inputs(3)).unwrap();
    let answer = server
        .client()
        .associations()
        .v2026_03()
        .batch_create("contacts", "companies", &body)
        .await
        .unwrap();
    let BatchCreateResponse::Created(all) = answer else {
        panic!("{answer:?}")
    };
    assert_eq!(all.results.len(), 3);
}

// ---- chunks in flight ----

/// Nine chunks of one input; the server counts how many it is answering at
/// once. With `max_concurrency(3)` that is exactly 3, never more; by default 4.
#[tokio::test]
async fn chunks_run_at_most_max_concurrency_at_a_time_and_merge_in_input_order() {
    for (concurrency, expected) in [(Some(3), 3), (None, 4)] {
        let server = Server::start(|_, body| async move {
            let id = body["inputs"][0]["id"].as_str().unwrap().to_owned();
            // The first chunk answers last.
            let delay = if id == "0" { 300 } else { 100 };
            tokio::time::sleep(Duration::from_millis(delay)).await;
            let result = json!({"from": {"id": id}, "to": []});
            (200, Some(batch_body(vec![result])))
        })
        .await;
        let mut builder = Client::builder("pat-na1-test-token")
            .base_url(format!("http://{}", server.addr))
            .batch_limit("batch_read", 1);
        if let Some(n) = concurrency {
            builder = builder.max_concurrency(n);
        }
        let client = builder.build().unwrap();
        let input = serde_json::from_value(
            json!({"inputs": (0..9).map(|i| json!({"id": i.to_string()})).collect::<Vec<_>>()}),
        )
        .unwrap();
        let hubspot_associations::v2026_03::associations::BatchReadResponse::Ok(merged) = client
            .associations()
            .v2026_03()
            .batch_read("contacts", "companies", &input)
            .await
            .unwrap()
        else {
            panic!("no errors expected")
        };
        let got: Vec<&str> = merged.results.iter().map(|r| r.from.id.as_str()).collect();
        assert_eq!(got, ["0", "1", "2", "3", "4", "5", "6", "7", "8"]);
        assert_eq!(server.received().len(), 9);
        assert_eq!(
            server.max_in_flight.load(Ordering::SeqCst),
            expected,
            "requests in flight at once ({concurrency:?})"
        );
    }
}

// ---- per-input cursors (`batch_read_all`) across chunks and pages ----

const READ_2026_03: &str = "/crm/associations/2026-03/contacts/companies/batch/read";

/// A batch read answer: one result per input (`to-<id>`); inputs without a
/// cursor get a next page `p2` when `paged`; cursor requests (`after: p2`)
/// answer the last page, or `page_two` when given.
fn read_answer(body: &Value, paged: bool, page_two: Option<Answer>) -> Answer {
    let inputs = body["inputs"].as_array().unwrap();
    if inputs[0].get("after").is_some()
        && let Some(answer) = page_two
    {
        return answer;
    }
    let results = inputs
        .iter()
        .map(|input| {
            let id = input["id"].as_str().unwrap();
            let after = input.get("after").and_then(Value::as_str);
            let mut result = json!({"from": {"id": id},
                "to": [{"toObjectId": format!("to-{id}-{}", after.unwrap_or("p1")), "associationTypes": []}]});
            if paged && after.is_none() {
                result["paging"] = json!({"next": {"after": "p2"}});
            }
            result
        })
        .collect();
    (200, Some(batch_body(results)))
}

fn read_input(
    n: usize,
) -> hubspot_associations::v2026_03::associations::BatchInputPublicFetchAssociationsBatchRequest {
    serde_json::from_value(
        json!({"inputs": (0..n).map(|i| json!({"id": i.to_string()})).collect::<Vec<_>>()}),
    )
    .unwrap()
}

#[tokio::test]
async fn a_split_plain_batch_read_leaves_the_cursors_to_the_caller() {
    use hubspot_associations::v2026_03::associations::BatchReadResponse;
    let server = Server::start(|_, body| async move { read_answer(&body, true, None) }).await;
    let client = Client::builder("pat-na1-test-token")
        .base_url(format!("http://{}", server.addr))
        .batch_limit("batch_read", 2)
        .build()
        .unwrap();
    let BatchReadResponse::Ok(first) = client
        .associations()
        .v2026_03()
        .batch_read("contacts", "companies", &read_input(5))
        .await
        .unwrap()
    else {
        panic!()
    };
    // Three chunks, no follow-up request; every input's cursor is returned.
    assert_eq!(server.received().len(), 3);
    let cursors: Vec<&str> = first
        .results
        .iter()
        .map(|r| {
            r.paging
                .as_ref()
                .unwrap()
                .next
                .as_ref()
                .unwrap()
                .after
                .as_deref()
                .unwrap()
        })
        .collect();
    assert_eq!(cursors, ["p2"; 5]);
}

#[tokio::test]
async fn batch_read_all_keeps_the_first_pages_when_a_follow_up_fails_or_is_partial() {
    use hubspot_associations::v2026_03::associations::BatchReadResponse;
    let partial = {
        let mut answer = batch_body(vec![json!({"from": {"id": "0"},
            "to": [{"toObjectId": "to-0-p2", "associationTypes": []}]})]);
        answer["numErrors"] = json!(1);
        answer["errors"] = json!([{"status": "error", "category": "OBJECT_NOT_FOUND",
            "message": "no 1", "context": {"ids": ["1"]}, "errors": [], "links": {}}]);
        (207, Some(answer))
    };
    for page_two in [(400, Some(hubspot_400())), partial] {
        let status = page_two.0;
        let server = Server::start(move |path, body| {
            let page_two = page_two.clone();
            async move {
                assert_eq!(path, READ_2026_03);
                read_answer(&body, true, Some(page_two))
            }
        })
        .await;
        let answer = server
            .client()
            .associations()
            .v2026_03()
            .batch_read_all("contacts", "companies", &read_input(2))
            .await
            .unwrap();
        let BatchReadResponse::MultiStatus(merged) = answer else {
            panic!("follow-up page answered {status}: {answer:?}")
        };
        let to: Vec<Vec<&str>> = merged
            .results
            .iter()
            .map(|r| r.to.iter().map(|t| t.to_object_id.as_str()).collect())
            .collect();
        let errors = merged.errors.unwrap();
        assert_eq!(merged.num_errors, Some(1));
        assert_eq!(errors.len(), 1);
        if status == 400 {
            // The first page of both inputs is kept; the follow-up's failure is listed.
            assert_eq!(to, [vec!["to-0-p1"], vec!["to-1-p1"]]);
            assert_eq!(errors[0].category.as_deref(), Some("CLIENT_CHUNK_FAILED"));
            assert!(
                errors[0]
                    .message
                    .starts_with("next-page chunk 1 of 1 failed: HubSpot answered HTTP 400"),
                "{}",
                errors[0].message
            );
            assert_eq!(errors[0].context["ids"], ["0", "1"]);
        } else {
            assert_eq!(to, [vec!["to-0-p1", "to-0-p2"], vec!["to-1-p1"]]);
            assert_eq!(errors[0].message, "no 1");
        }
        assert_eq!(server.received().len(), 2);
    }
}

#[tokio::test]
async fn batch_read_all_of_one_chunk_fails_with_hubspots_own_error() {
    let server = Server::start(|_, _| async move { (400, Some(hubspot_400())) }).await;
    let err = server
        .client()
        .associations()
        .v2026_03()
        .batch_read_all("contacts", "companies", &read_input(3))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api { status: 400, .. }), "{err:?}");
}

/// The runtime's merge with shapes no HubSpot operation combines today:
/// per-input cursors on an answer with nowhere to list a failure, and body
/// fields besides `inputs`.
#[tokio::test]
async fn all_or_error_with_cursors_fails_when_a_follow_up_page_fails() {
    let server = Server::start(|_, body| async move {
        read_answer(&body, true, Some((400, Some(hubspot_400()))))
    })
    .await;
    let request = Request::new(Method::POST, READ_2026_03, &[], "batch_read")
        .json(&json!({"inputs": [{"id": "0"}, {"id": "1"}]}))
        .unwrap();
    let plan = BatchPlan {
        limit: 100,
        follow_cursors: true,
        merge: BatchMerge::AllOrError {
            ok: 200,
            json: true,
        },
    };
    let err = server
        .client()
        .execute_batch(request, plan, 2)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api { status: 400, .. }), "{err:?}");
    assert_eq!(server.received().len(), 2);

    // The follow-up page succeeding: one answer with both pages.
    let server = Server::start(|_, body| async move { read_answer(&body, true, None) }).await;
    let request = Request::new(Method::POST, READ_2026_03, &[], "batch_read")
        .json(&json!({"inputs": [{"id": "0"}, {"id": "1"}]}))
        .unwrap();
    let response = server
        .client()
        .execute_batch(request, plan, 2)
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().unwrap();
    let to: Vec<Vec<&str>> = body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["to"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["toObjectId"].as_str().unwrap())
                .collect()
        })
        .collect();
    assert_eq!(to, [["to-0-p1", "to-0-p2"], ["to-1-p1", "to-1-p2"]]);
}

#[tokio::test]
async fn every_chunk_keeps_the_body_fields_besides_inputs() {
    let server = Server::start(|_, body| async move { read_answer(&body, false, None) }).await;
    let request = Request::new(Method::POST, READ_2026_03, &[], "batch_read")
        .json(&json!({"idProperty": "email", "inputs": [{"id": "0"}, {"id": "1"}, {"id": "2"}]}))
        .unwrap();
    let plan = BatchPlan {
        limit: 2,
        follow_cursors: false,
        merge: BatchMerge::ErrorsList { ok: 200 },
    };
    server
        .client()
        .execute_batch(request, plan, 3)
        .await
        .unwrap();
    let mut bodies: Vec<Value> = server.received().into_iter().map(|(_, _, b)| b).collect();
    bodies.sort_by_key(|b| b["inputs"][0]["id"].as_str().unwrap().to_owned());
    assert_eq!(
        bodies,
        [
            json!({"idProperty": "email", "inputs": [{"id": "0"}, {"id": "1"}]}),
            json!({"idProperty": "email", "inputs": [{"id": "2"}]}),
        ]
    );
}

#[tokio::test]
async fn no_body_adjacent_done_chunks_are_one_range() {
    let server = Server::start(|_, body| async move {
        match first_id(&body).as_str() {
            "f200" => (400, Some(hubspot_400())),
            _ => (204, None),
        }
    })
    .await;
    let body = serde_json::from_value(archive_inputs(250)).unwrap();
    let err = server
        .client()
        .associations()
        .v4()
        .batch_archive("contacts", "companies", &body)
        .await
        .unwrap_err();
    let Error::Batch { done, failed, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(done.as_slice(), std::slice::from_ref(&(0..200)));
    assert_eq!((failed[0].chunk, failed[0].inputs.clone()), (3, 200..250));
    assert!(
        err.to_string()
            .ends_with("; inputs 0..200 of 250 were done"),
        "{err}"
    );
}

#[tokio::test]
async fn batch_read_all_keeps_the_cursor_of_an_input_whose_follow_up_failed() {
    use hubspot_associations::v2026_03::associations::BatchReadResponse;
    // Only input 2 has a next page, and its follow-up request fails.
    let server = Server::start(|_, body| async move {
        let inputs = body["inputs"].as_array().unwrap().clone();
        if inputs[0].get("after").is_some() {
            return (400, Some(hubspot_400()));
        }
        let results = inputs
            .iter()
            .map(|input| {
                let id = input["id"].as_str().unwrap();
                let mut result = json!({"from": {"id": id},
                    "to": [{"toObjectId": format!("to-{id}"), "associationTypes": []}]});
                if id == "2" {
                    result["paging"] = json!({"next": {"after": "c2"}});
                }
                result
            })
            .collect();
        (200, Some(batch_body(results)))
    })
    .await;
    let answer = server
        .client()
        .associations()
        .v2026_03()
        .batch_read_all("contacts", "companies", &read_input(3))
        .await
        .unwrap();
    let BatchReadResponse::MultiStatus(merged) = answer else {
        panic!("{answer:?}")
    };
    let next: Vec<Option<&str>> = merged
        .results
        .iter()
        .map(|r| {
            r.paging
                .as_ref()
                .and_then(|p| p.next.as_ref())
                .and_then(|n| n.after.as_deref())
        })
        .collect();
    // Input 2 can be resumed from where it stopped; the others are complete.
    assert_eq!(next, [None, None, Some("c2")]);
    let errors = merged.errors.unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].context["ids"], ["2"]);
    // Positions in the call's inputs, not in the follow-up request.
    assert_eq!(errors[0].context["inputs"], ["2..3"]);
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn no_body_a_chunk_that_timed_out_is_reported_as_outcome_unknown() {
    let server = Server::start(|_, body| async move {
        if first_id(&body) == "f100" {
            // Carried out, but answered too late.
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
        (204, None)
    })
    .await;
    let client = Client::builder("pat-na1-test-token")
        .base_url(format!("http://{}", server.addr))
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let body = serde_json::from_value(archive_inputs(250)).unwrap();
    let err = client
        .associations()
        .v4()
        .batch_archive("contacts", "companies", &body)
        .await
        .unwrap_err();
    let Error::Batch { failed, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!((failed[0].chunk, failed[0].inputs.clone()), (2, 100..200));
    assert!(failed[0].outcome_unknown());
    assert!(
        err.to_string()
            .contains("chunk 2 of 3 failed (inputs 100..200, outcome unknown: HubSpot may have carried them out)"),
        "{err}"
    );
    // A write that timed out is not sent again: three requests in all.
    assert_eq!(server.received().len(), 3);
}

/// A failed chunk of a write listed in `errors` says whether HubSpot may have
/// carried it out: a refusal (400, 429 after retries) surely not, a timeout
/// or a 5xx maybe, so a caller resending the failed inputs can tell which
/// resends could repeat a write. Both shapes that list failures: v4's 207,
/// 2026-09's `errors` list.
#[tokio::test(start_paused = true)]
async fn a_failed_write_chunk_in_errors_says_whether_its_outcome_is_unknown() {
    // (what chunk 2 gets, outcome unknown, how many times the server got it)
    let cases = [
        ("timeout", true, 1),
        ("503", true, 1),
        ("400", false, 1),
        ("429", false, 3),
    ];
    for (fault, unknown, chunk_two_sent) in cases {
        for prefix in ["/crm/v4/associations", "/crm/associations/2026-09"] {
            let server = Server::start(move |_, body| async move {
                let inputs = body["inputs"].as_array().unwrap().clone();
                let ok = if prefix.contains("v4") { 201 } else { 200 };
                if first_id(&body) != "f100" {
                    return (ok, Some(batch_body(inputs.iter().map(pair).collect())));
                }
                match fault {
                    "timeout" => {
                        // Carried out, answered past the client's 30 s timeout.
                        tokio::time::sleep(Duration::from_secs(60)).await;
                        (ok, Some(batch_body(inputs.iter().map(pair).collect())))
                    }
                    "503" => (503, Some(json!({"status": "error", "message": "busy"}))),
                    "429" => (
                        429,
                        Some(json!({"status": "error", "message": "slow down",
                        "errorType": "RATE_LIMIT", "policyName": "TEN_SECONDLY_ROLLING"})),
                    ),
                    _ => (400, Some(hubspot_400())),
                }
            })
            .await;
            let body = create_inputs(250);
            let client = server.client();
            let errors = if prefix.contains("v4") {
                use hubspot_associations::v4::associations::BatchCreateResponse;
                let body = serde_json::from_value(body).unwrap();
                let answer = client
                    .associations()
                    .v4()
                    .batch_create("contacts", "companies", &body)
                    .await
                    .unwrap();
                let BatchCreateResponse::MultiStatus(partial) = answer else {
                    panic!("{fault}: {answer:?}")
                };
                assert_eq!(partial.results.len(), 150, "{fault}");
                serde_json::to_value(partial.errors.unwrap()).unwrap()
            } else {
                let body = serde_json::from_value(body).unwrap();
                let answer = client
                    .associations()
                    .v2026_09()
                    .batch_create("contacts", "companies", &body)
                    .await
                    .unwrap();
                assert_eq!(answer.results.len(), 150, "{fault}");
                serde_json::to_value(answer.errors.unwrap()).unwrap()
            };
            let entry = &errors[0];
            let (category, outcome) = if unknown {
                ("CLIENT_CHUNK_OUTCOME_UNKNOWN", "unknown")
            } else {
                ("CLIENT_CHUNK_FAILED", "not_done")
            };
            assert_eq!(entry["category"], category, "{fault} {prefix}: {entry}");
            assert_eq!(entry["context"]["outcome"], json!([outcome]), "{fault}");
            assert_eq!(entry["context"]["inputs"], json!(["100..200"]), "{fault}");
            let message = entry["message"].as_str().unwrap();
            assert_eq!(
                message.contains("outcome unknown: HubSpot may have carried them out"),
                unknown,
                "{fault}: {message}"
            );
            let sent = server
                .received()
                .iter()
                .filter(|(_, _, body)| first_id(body) == "f100")
                .count();
            assert_eq!(sent, chunk_two_sent, "{fault} {prefix}");
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_timeout_says_hubspot_may_have_carried_the_request_out() {
    let server = Server::start(|_, body| async move {
        tokio::time::sleep(Duration::from_secs(60)).await;
        (
            201,
            Some(batch_body(
                body["inputs"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(pair)
                    .collect(),
            )),
        )
    })
    .await;
    let body = serde_json::from_value(create_inputs(2)).unwrap();
    let err = server
        .client()
        .associations()
        .v4()
        .batch_create("contacts", "companies", &body)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "`batch_create` timed out after 30.0 s (HubSpot may have carried it out)"
    );
    assert_eq!(server.received().len(), 1);
}
