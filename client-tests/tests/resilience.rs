//! The runtime against a local server that injects HubSpot's failure modes:
//! rate limits, 5xx, slow and truncated responses, paging and batch limits.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use hubspot_associations::AssociationsExt as _;
use hubspot_associations::runtime::RetryPolicy;
use hubspot_associations::v2026_03::associations as assoc;
use hubspot_associations::{Client, ClientBuilder, Error};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const TOKEN: &str = "pat-na1-very-secret-token-42";
const LIST: &str = "/crm/objects/2026-03/contacts/101/associations/companies";
const BATCH_READ: &str = "/crm/associations/2026-03/contacts/companies/batch/read";

fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder(TOKEN)
        .base_url(server.uri())
        .retry_policy(RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(40),
            max_retry_after: Duration::from_secs(5),
        })
}

fn page(ids: &[&str], after: Option<&str>) -> Value {
    let results: Vec<Value> = ids
        .iter()
        .map(|id| json!({"toObjectId": id, "associationTypes": []}))
        .collect();
    match after {
        Some(after) => json!({"results": results, "paging": {"next": {"after": after}}}),
        None => json!({"results": results}),
    }
}

fn batch(results: Vec<Value>, errors: Vec<Value>) -> Value {
    let mut body = json!({"status": "COMPLETE", "results": results,
        "startedAt": "2026-03-04T10:15:30Z", "completedAt": "2026-03-04T10:15:31Z"});
    if !errors.is_empty() {
        body["numErrors"] = json!(errors.len());
        body["errors"] = Value::Array(errors);
    }
    body
}

fn read_input(
    ids: impl IntoIterator<Item = String>,
) -> assoc::BatchInputPublicFetchAssociationsBatchRequest {
    assoc::BatchInputPublicFetchAssociationsBatchRequest::new(
        ids.into_iter()
            .map(assoc::PublicFetchAssociationsBatchRequest::new)
            .collect::<Vec<_>>(),
    )
}

fn secret_free(error: &Error) {
    assert!(!error.to_string().contains(TOKEN), "{error}");
    assert!(!format!("{error:?}").contains(TOKEN), "{error:?}");
}

#[tokio::test]
async fn rate_limited_then_ok_waits_as_asked() {
    let server = MockServer::start().await;
    Mock::given(path(LIST))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .set_body_json(json!({
            "status": "error", "message": "You have reached your ten_secondly_rolling limit.",
            "errorType": "RATE_LIMIT", "correlationId": "c0ffee00-0000-4000-8000-000000000000",
            "policyName": "TEN_SECONDLY_ROLLING"})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path(LIST))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["1"], None)))
        .mount(&server)
        .await;
    let started = Instant::now();
    let result = builder(&server)
        .build()
        .unwrap()
        .associations()
        .v2026_03()
        .list("contacts", "101", "companies", &assoc::ListParams::new())
        .await;
    let waited = started.elapsed();
    assert_eq!(result.unwrap().results[0].to_object_id, "1");
    assert!(
        waited >= Duration::from_secs(1),
        "honours Retry-After: {waited:?}"
    );
    assert!(
        waited < Duration::from_secs(4),
        "but no longer than needed: {waited:?}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn rate_limit_longer_than_allowed_fails_at_once() {
    let server = MockServer::start().await;
    Mock::given(path(LIST))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "120"))
        .mount(&server)
        .await;
    let err = builder(&server)
        .build()
        .unwrap()
        .associations()
        .v2026_03()
        .list("contacts", "101", "companies", &assoc::ListParams::new())
        .await
        .unwrap_err();
    let Error::RateLimited { retry_after, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*retry_after, Some(Duration::from_secs(120)));
    assert_eq!(
        err.to_string(),
        "HubSpot rate-limited `list`; it asked to wait 120.0 s"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    secret_free(&err);
}

#[tokio::test]
async fn service_unavailable_three_times_gives_up_with_the_last_error() {
    let server = MockServer::start().await;
    Mock::given(path(LIST))
        .respond_with(ResponseTemplate::new(503).set_body_string("upstream unavailable"))
        .expect(3)
        .mount(&server)
        .await;
    let err = builder(&server)
        .build()
        .unwrap()
        .associations()
        .v2026_03()
        .list("contacts", "101", "companies", &assoc::ListParams::new())
        .await
        .unwrap_err();
    let Error::Api { status, raw, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!((*status, raw.as_str()), (503, "upstream unavailable"));
    secret_free(&err);
}

#[tokio::test]
async fn slow_responses_time_out() {
    let server = MockServer::start().await;
    Mock::given(path(LIST))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(page(&["1"], None))
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    let client = builder(&server)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client
        .associations()
        .v2026_03()
        .list("contacts", "101", "companies", &assoc::ListParams::new())
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Timeout { timeout, .. } if timeout == Duration::from_millis(200)),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(
        err.to_string(),
        "`list` timed out after 0.2 s (HubSpot may have carried it out)"
    );
    // A GET is safe to repeat: the first attempt and both retries timed out.
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    secret_free(&err);
}

#[tokio::test]
async fn truncated_json_names_the_path() {
    let server = MockServer::start().await;
    Mock::given(path(BATCH_READ))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"status":"COMPLETE","startedAt":"2026-03-04T10:15:30Z","completedAt":"2026-03-04T10:15:31Z","results":[{"from":{"id":"1"},"to":[{"toObjectId":"2","associationTypes":[{"category":"HUBSPOT_DEFINED","typeId":"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let err = builder(&server)
        .build()
        .unwrap()
        .associations()
        .v2026_03()
        .batch_read("contacts", "companies", &read_input(["1".to_owned()]))
        .await
        .unwrap_err();
    let Error::Decode {
        path,
        message,
        status,
        snippet,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*status, 200);
    assert_eq!(path, "results[0].to[0].associationTypes[0].typeId");
    assert!(message.contains("EOF"), "{message}");
    assert!(
        snippet.starts_with(r#"{"status":"COMPLETE""#) && snippet.ends_with('…'),
        "{snippet}"
    );
    secret_free(&err);
}

#[tokio::test]
async fn non_json_error_bodies_are_kept_raw() {
    let server = MockServer::start().await;
    Mock::given(path(LIST))
        .respond_with(
            ResponseTemplate::new(500).set_body_raw("internal error, try later", "text/plain"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = builder(&server)
        .build()
        .unwrap()
        .associations()
        .v2026_03()
        .list("contacts", "101", "companies", &assoc::ListParams::new())
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "HubSpot answered HTTP 500 to `list`: \"internal error, try later\""
    );
    assert!(err.api_body().is_none());
    secret_free(&err);
}

#[tokio::test]
async fn list_stream_reads_three_pages_to_the_end() {
    let server = MockServer::start().await;
    Mock::given(path(LIST))
        .and(query_param_is_missing("after"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["1", "2"], Some("p2"))))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path(LIST))
        .and(query_param("after", "p2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["3", "4"], Some("p3"))))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path(LIST))
        .and(query_param("after", "p3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["5"], None)))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let items: Vec<_> = client
        .associations()
        .v2026_03()
        .list_stream(
            "contacts",
            "101",
            "companies",
            &assoc::ListParams::new().with_limit(2),
        )
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<&str> = items.iter().map(|i| i.to_object_id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5"]);
    for request in server.received_requests().await.unwrap() {
        assert_eq!(
            request
                .url
                .query_pairs()
                .find(|(k, _)| k == "limit")
                .unwrap()
                .1,
            "2"
        );
    }
}

#[tokio::test]
async fn list_stream_stops_at_the_first_error() {
    let server = MockServer::start().await;
    Mock::given(path(LIST))
        .and(query_param_is_missing("after"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["1"], Some("p2"))))
        .mount(&server)
        .await;
    Mock::given(path(LIST))
        .and(query_param("after", "p2"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"message": "gone", "category": "OBJECT_NOT_FOUND"})),
        )
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let results: Vec<Result<_, Error>> =
        futures::StreamExt::collect(client.associations().v2026_03().list_stream(
            "contacts",
            "101",
            "companies",
            &assoc::ListParams::new(),
        ))
        .await;
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].as_ref().unwrap().to_object_id, "1");
    assert_eq!(results[1].as_ref().unwrap_err().status(), Some(404));
}

#[tokio::test]
async fn list_stream_reports_a_repeated_cursor_instead_of_ending_quietly() {
    let server = MockServer::start().await;
    Mock::given(path(LIST))
        .and(query_param_is_missing("after"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["1"], Some("p2"))))
        .mount(&server)
        .await;
    // Page two points back at itself.
    Mock::given(path(LIST))
        .and(query_param("after", "p2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["2"], Some("p2"))))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let results: Vec<Result<_, Error>> =
        futures::StreamExt::collect(client.associations().v2026_03().list_stream(
            "contacts",
            "101",
            "companies",
            &assoc::ListParams::new(),
        ))
        .await;
    assert_eq!(results.len(), 3, "{results:?}");
    assert_eq!(results[0].as_ref().unwrap().to_object_id, "1");
    assert_eq!(results[1].as_ref().unwrap().to_object_id, "2");
    let err = results[2].as_ref().unwrap_err();
    assert!(
        err.to_string().contains("cursor \"p2\" a second time"),
        "{err}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

/// `(id, after in the request)` → `(to ids, next cursor)`.
type ScriptedPage = (
    &'static str,
    Option<&'static str>,
    Vec<&'static str>,
    Option<&'static str>,
);

/// Answers batch reads from the request: one result per input, an error
/// for ids ending in 7, and per-input cursors from a script.
struct BatchEcho {
    bodies: Arc<Mutex<Vec<Value>>>,
    /// (id, after in request) -> (to ids, next cursor)
    pages: Vec<ScriptedPage>,
}

impl Respond for BatchEcho {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        self.bodies.lock().unwrap().push(body.clone());
        let mut results = Vec::new();
        let mut errors = Vec::new();
        for input in body["inputs"].as_array().unwrap() {
            let id = input["id"].as_str().unwrap();
            let after = input.get("after").and_then(Value::as_str);
            if id.ends_with('7') {
                errors.push(json!({"status": "error", "category": "OBJECT_NOT_FOUND", "message": format!("no {id}"),
                    "context": {"ids": [id]}, "errors": [], "links": {}}));
                continue;
            }
            let scripted = self
                .pages
                .iter()
                .find(|(pid, pafter, ..)| *pid == id && *pafter == after);
            let (to, next) = match scripted {
                Some((_, _, to, next)) => (to.iter().map(|t| t.to_string()).collect(), *next),
                None => (vec![format!("to-{id}")], None),
            };
            let mut result = json!({"from": {"id": id},
                "to": to.iter().map(|t| json!({"toObjectId": t, "associationTypes": []})).collect::<Vec<_>>()});
            if let Some(next) = next {
                result["paging"] = json!({"next": {"after": next}});
            }
            results.push(result);
        }
        let status = if errors.is_empty() { 200 } else { 207 };
        ResponseTemplate::new(status).set_body_json(batch(results, errors))
    }
}

#[tokio::test]
async fn batch_read_all_follows_every_inputs_cursor() {
    let server = MockServer::start().await;
    let bodies = Arc::new(Mutex::new(Vec::new()));
    Mock::given(method("POST"))
        .and(path(BATCH_READ))
        .respond_with(BatchEcho {
            bodies: bodies.clone(),
            pages: vec![
                ("1", None, vec!["a", "b"], Some("c1")),
                ("1", Some("c1"), vec!["c"], Some("c2")),
                ("1", Some("c2"), vec!["d"], None),
                ("2", None, vec!["x"], Some("c9")),
                ("2", Some("c9"), vec!["y"], None),
                ("3", None, vec!["z"], None),
            ],
        })
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let input = read_input(["1", "2", "3"].map(String::from));
    let assoc::BatchReadResponse::Ok(all) = client
        .associations()
        .v2026_03()
        .batch_read_all("contacts", "companies", &input)
        .await
        .unwrap()
    else {
        panic!("no errors expected")
    };
    let merged: Vec<(String, Vec<String>)> = all
        .results
        .iter()
        .map(|r| {
            (
                r.from.id.clone(),
                r.to.iter().map(|t| t.to_object_id.clone()).collect(),
            )
        })
        .collect();
    assert_eq!(
        merged,
        [
            (
                "1".into(),
                vec!["a".into(), "b".into(), "c".into(), "d".into()]
            ),
            ("2".into(), vec!["x".into(), "y".into()]),
            ("3".into(), vec!["z".into()])
        ]
    );
    assert!(
        all.results
            .iter()
            .all(|r| r.paging.as_ref().is_none_or(|p| p.next.is_none()))
    );
    let bodies = bodies.lock().unwrap().clone();
    assert_eq!(
        bodies[1],
        json!({"inputs": [{"id": "1", "after": "c1"}, {"id": "2", "after": "c9"}]})
    );
    assert_eq!(bodies[2], json!({"inputs": [{"id": "1", "after": "c2"}]}));
    assert_eq!(bodies.len(), 3);

    // The plain call returns the first page and leaves the cursors to the caller.
    let assoc::BatchReadResponse::Ok(first) = client
        .associations()
        .v2026_03()
        .batch_read("contacts", "companies", &input)
        .await
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(
        first.results[0]
            .paging
            .as_ref()
            .unwrap()
            .next
            .as_ref()
            .unwrap()
            .after
            .as_deref(),
        Some("c1")
    );
}

#[tokio::test]
async fn batch_of_2500_is_sent_as_three_requests_and_merged_in_order() {
    let server = MockServer::start().await;
    let bodies = Arc::new(Mutex::new(Vec::new()));
    Mock::given(method("POST"))
        .and(path(BATCH_READ))
        .respond_with(BatchEcho {
            bodies: bodies.clone(),
            pages: Vec::new(),
        })
        .expect(3)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let input = read_input((0..2500).map(|i| i.to_string()));
    let response = client
        .associations()
        .v2026_03()
        .batch_read("contacts", "companies", &input)
        .await
        .unwrap();
    let assoc::BatchReadResponse::MultiStatus(merged) = response else {
        panic!("ids ending in 7 fail: 207 expected")
    };
    let expected: Vec<String> = (0..2500)
        .map(|i| i.to_string())
        .filter(|id| !id.ends_with('7'))
        .collect();
    let got: Vec<String> = merged.results.iter().map(|r| r.from.id.clone()).collect();
    assert_eq!(got, expected, "every success, in input order");
    let errors = merged.errors.unwrap();
    assert_eq!(errors.len(), 250, "every per-item error");
    assert_eq!(merged.num_errors, Some(250));
    assert_eq!(errors[0].context["ids"], ["7"]);
    assert_eq!(errors[249].context["ids"], ["2497"]);
    let mut sizes: Vec<usize> = bodies
        .lock()
        .unwrap()
        .iter()
        .map(|b| b["inputs"].as_array().unwrap().len())
        .collect();
    sizes.sort();
    assert_eq!(sizes, [500, 1000, 1000]);
}

#[tokio::test]
async fn a_chunk_that_fails_is_reported_per_input_not_lost() {
    let server = MockServer::start().await;
    // The second of three chunks fails for good; the others succeed.
    struct SecondFails(Mutex<usize>);
    impl Respond for SecondFails {
        fn respond(&self, request: &Request) -> ResponseTemplate {
            let body: Value = serde_json::from_slice(&request.body).unwrap();
            let ids: Vec<String> = body["inputs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].as_str().unwrap().to_owned())
                .collect();
            *self.0.lock().unwrap() += 1;
            if ids[0] == "2" {
                return ResponseTemplate::new(400).set_body_json(
                    json!({"message": "bad chunk", "category": "VALIDATION_ERROR"}),
                );
            }
            let results = ids
                .iter()
                .map(|id| json!({"from": {"id": id}, "to": []}))
                .collect();
            ResponseTemplate::new(200).set_body_json(batch(results, vec![]))
        }
    }
    Mock::given(path(BATCH_READ))
        .respond_with(SecondFails(Mutex::new(0)))
        .mount(&server)
        .await;
    let client = builder(&server)
        .batch_limit("batch_read", 2)
        .build()
        .unwrap();
    let input = read_input((0..6).map(|i| i.to_string()));
    let assoc::BatchReadResponse::MultiStatus(merged) = client
        .associations()
        .v2026_03()
        .batch_read("contacts", "companies", &input)
        .await
        .unwrap()
    else {
        panic!("a failed chunk makes the result partial")
    };
    let got: Vec<&str> = merged.results.iter().map(|r| r.from.id.as_str()).collect();
    assert_eq!(got, ["0", "1", "4", "5"]);
    let errors = merged.errors.unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].category.as_deref(), Some("CLIENT_CHUNK_FAILED"));
    assert_eq!(errors[0].context["ids"], ["2", "3"]);
    assert!(
        errors[0].message.contains("bad chunk"),
        "{}",
        errors[0].message
    );
}

#[tokio::test]
async fn limiter_keeps_requests_under_the_window_and_exempt_ones_bypass_it() {
    let server = MockServer::start().await;
    let times = Arc::new(Mutex::new(Vec::new()));
    struct Stamp(Arc<Mutex<Vec<(String, Instant)>>>);
    impl Respond for Stamp {
        fn respond(&self, request: &Request) -> ResponseTemplate {
            self.0
                .lock()
                .unwrap()
                .push((request.url.path().to_owned(), Instant::now()));
            if request.url.path() == LIST {
                ResponseTemplate::new(200).set_body_json(page(&["1"], None))
            } else {
                ResponseTemplate::new(200).set_body_json(batch(vec![], vec![]))
            }
        }
    }
    Mock::given(wiremock::matchers::any())
        .respond_with(Stamp(times.clone()))
        .mount(&server)
        .await;
    let window = Duration::from_millis(400);
    let client = builder(&server).rate_limit(3, window).build().unwrap();
    let api = client.associations().v2026_03();
    let params = assoc::ListParams::new();
    let started = Instant::now();
    let calls = (0..7).map(|_| api.list("contacts", "101", "companies", &params));
    for result in futures::future::join_all(calls).await {
        result.unwrap();
    }
    assert!(
        started.elapsed() >= window * 2,
        "7 requests at 3 per window need 3 windows"
    );
    let list_times: Vec<Instant> = times
        .lock()
        .unwrap()
        .iter()
        .filter(|(p, _)| p == LIST)
        .map(|(_, t)| *t)
        .collect();
    // Arrival times jitter on a busy machine, so look at half a window:
    // without the limiter all 7 would land in it.
    for (i, t) in list_times.iter().enumerate() {
        let in_half_window = list_times[i..]
            .iter()
            .filter(|u| u.duration_since(*t) < window / 2)
            .count();
        assert!(
            in_half_window <= 3,
            "{in_half_window} requests within half a window"
        );
    }

    // batch_read is exempt (x-hubspot-rate-limit-exemptions: ten-secondly):
    // 7 calls under a 3-per-10-s limit would need 20 s if it were counted.
    let strict = builder(&server)
        .rate_limit(3, Duration::from_secs(10))
        .build()
        .unwrap()
        .associations()
        .v2026_03();
    let started = Instant::now();
    let input = read_input(["1".to_owned()]);
    let calls = (0..7).map(|_| strict.batch_read("contacts", "companies", &input));
    for result in futures::future::join_all(calls).await {
        result.unwrap();
    }
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "exempt calls are not held back: {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn hubspot_remaining_zero_pauses_the_next_request() {
    let server = MockServer::start().await;
    Mock::given(path(LIST))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(page(&["1"], None))
                .insert_header("X-HubSpot-RateLimit-Remaining", "0")
                .insert_header("X-HubSpot-RateLimit-Interval-Milliseconds", "500"),
        )
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let api = client.associations().v2026_03();
    api.list("contacts", "101", "companies", &assoc::ListParams::new())
        .await
        .unwrap();
    let started = Instant::now();
    api.list("contacts", "101", "companies", &assoc::ListParams::new())
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(450),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn connection_errors_are_reported_without_the_token() {
    // A port nothing listens on: bound, then released.
    let uri = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let client = Client::builder(TOKEN)
        .base_url(uri)
        .retry_policy(RetryPolicy {
            max_retries: 1,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(5),
            max_retry_after: Duration::from_secs(1),
        })
        .build()
        .unwrap();
    let err = client
        .associations()
        .v2026_03()
        .list("contacts", "101", "companies", &assoc::ListParams::new())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("could not reach HubSpot for `list`"),
        "{err}"
    );
    secret_free(&err);
    assert!(!format!("{client:?}").contains(TOKEN));
}
