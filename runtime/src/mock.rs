//! An in-memory [`HttpClient`] for unit-testing code that uses the client
//! without a server (`test-util` feature): canned responses per route, and a
//! record of every request received.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use bytes::Bytes;

use super::http::{HttpClient, HttpFuture, TransportError};

/// Answers requests from canned responses and records them. Cheap to clone;
/// clones share routes and records, so keep one to inspect after the call.
///
/// ```ignore
/// let mock = MockHttp::new();
/// mock.respond("GET", "/crm/associations/2026-09/contacts/companies/labels",
///     MockResponse::json(200, r#"{"results":[]}"#));
/// let client = Client::builder("token").http(mock.clone()).build()?;
/// // … call your code with `client`, then check `mock.requests()`.
/// ```
///
/// (The README's example, a compiled test, shows it whole.)
#[derive(Debug, Clone, Default)]
pub struct MockHttp {
    state: Arc<Mutex<MockState>>,
}

#[derive(Debug, Default)]
struct MockState {
    /// `(method, path)` → responses in order; the last one repeats.
    routes: HashMap<(String, String), VecDeque<MockResponse>>,
    requests: Vec<RecordedRequest>,
}

/// A canned response.
#[derive(Debug, Clone)]
pub struct MockResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: Bytes,
    /// Fail like a broken connection instead of answering.
    fail: Option<super::http::TransportErrorKind>,
}

impl MockResponse {
    /// A JSON body with `status`.
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: Bytes::from(body.into()),
            fail: None,
        }
    }

    /// Any body with `status` (e.g. gzip-compressed bytes), without
    /// headers: add them with [`header`](Self::header).
    pub fn bytes(status: u16, body: impl Into<Bytes>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.into(),
            fail: None,
        }
    }

    /// An empty body with `status` (e.g. 204).
    pub fn empty(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Bytes::new(),
            fail: None,
        }
    }

    /// A transport failure of `kind` instead of a response.
    pub fn fail(kind: super::http::TransportErrorKind) -> Self {
        Self {
            status: 0,
            headers: Vec::new(),
            body: Bytes::new(),
            fail: Some(kind),
        }
    }

    /// Adds a response header.
    #[must_use]
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// A request the mock received.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path without the query.
    pub path: String,
    /// The query string, without `?` (empty when there is none).
    pub query: String,
    /// Headers as sent (the `authorization` header included, for tests of auth).
    pub headers: http::HeaderMap,
    /// The body as sent.
    pub body: Bytes,
}

impl RecordedRequest {
    /// The body parsed as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

impl MockHttp {
    /// A mock with no routes: every request gets a 404.
    pub fn new() -> Self {
        Self::default()
    }

    /// Queues `response` for `method` and exact `path` (no query). Responses
    /// to a route are used in order, and the last one keeps answering.
    pub fn respond(&self, method: &str, path: &str, response: MockResponse) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state
            .routes
            .entry((method.to_ascii_uppercase(), path.to_owned()))
            .or_default()
            .push_back(response);
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.requests.clone()
    }
}

impl HttpClient for MockHttp {
    fn send(&self, request: http::Request<Bytes>) -> HttpFuture<'_> {
        let (parts, body) = request.into_parts();
        let recorded = RecordedRequest {
            method: parts.method.as_str().to_owned(),
            path: parts.uri.path().to_owned(),
            query: parts.uri.query().unwrap_or_default().to_owned(),
            headers: parts.headers,
            body,
        };
        let key = (recorded.method.clone(), recorded.path.clone());
        let reply = {
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            state.requests.push(recorded);
            state.routes.get_mut(&key).and_then(|queue| {
                if queue.len() > 1 {
                    queue.pop_front()
                } else {
                    queue.front().cloned()
                }
            })
        };
        let reply = reply.unwrap_or_else(|| {
            MockResponse::json(
                404,
                format!(
                    r#"{{"status":"error","message":"MockHttp has no response for {} {}","category":"OBJECT_NOT_FOUND"}}"#,
                    key.0, key.1
                ),
            )
        });
        Box::pin(async move {
            if let Some(kind) = reply.fail {
                return Err(TransportError::new(kind, "MockHttp failure"));
            }
            let mut response = http::Response::builder().status(reply.status);
            for (name, value) in &reply.headers {
                response = response.header(name.as_str(), value.as_str());
            }
            response
                .body(reply.body)
                .map_err(|e| TransportError::with_source(super::http::TransportErrorKind::Other, e))
        })
    }
}
