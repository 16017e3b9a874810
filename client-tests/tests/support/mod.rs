//! A local stand-in for HubSpot's rate limiting, shared by the limit tests.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wiremock::{Request, Respond, ResponseTemplate};

/// Counts requests as HubSpot does, when they arrive, in a rolling window,
/// and answers 429 (no `Retry-After`, policy `TEN_SECONDLY_ROLLING`) above
/// `max`. With `headers`, every answer carries `X-HubSpot-RateLimit-Max`,
/// `-Interval-Milliseconds` and `-Remaining`.
#[derive(Clone)]
pub struct RollingWindow {
    pub max: usize,
    pub window: Duration,
    pub headers: bool,
    /// The 200 body.
    pub body: Value,
    arrivals: Arc<Mutex<VecDeque<Instant>>>,
    pub ok: Arc<AtomicUsize>,
    pub rejected: Arc<AtomicUsize>,
}

impl RollingWindow {
    pub fn new(max: usize, window: Duration, headers: bool, body: Value) -> Self {
        Self {
            max,
            window,
            headers,
            body,
            arrivals: Arc::default(),
            ok: Arc::default(),
            rejected: Arc::default(),
        }
    }

    pub fn ok(&self) -> usize {
        self.ok.load(Ordering::SeqCst)
    }

    pub fn rejected(&self) -> usize {
        self.rejected.load(Ordering::SeqCst)
    }

    fn with_headers(&self, response: ResponseTemplate, remaining: usize) -> ResponseTemplate {
        if !self.headers {
            return response;
        }
        response
            .insert_header("X-HubSpot-RateLimit-Max", self.max.to_string())
            .insert_header(
                "X-HubSpot-RateLimit-Interval-Milliseconds",
                self.window.as_millis().to_string(),
            )
            .insert_header("X-HubSpot-RateLimit-Remaining", remaining.to_string())
    }
}

/// HubSpot's 429 body for a policy.
pub fn rate_limit_body(policy: &str) -> Value {
    json!({
        "status": "error",
        "message": format!("You have reached your {} limit.", policy.to_lowercase()),
        "errorType": "RATE_LIMIT",
        "correlationId": "3c9a5f2e-0000-4000-8000-000000000429",
        "policyName": policy,
        "groupName": "publicapi:private-app:1234567"
    })
}

impl Respond for RollingWindow {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let now = Instant::now();
        let mut arrivals = self.arrivals.lock().unwrap();
        while arrivals
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            arrivals.pop_front();
        }
        if arrivals.len() >= self.max {
            self.rejected.fetch_add(1, Ordering::SeqCst);
            let response =
                ResponseTemplate::new(429).set_body_json(rate_limit_body("TEN_SECONDLY_ROLLING"));
            return self.with_headers(response, 0);
        }
        arrivals.push_back(now);
        self.ok.fetch_add(1, Ordering::SeqCst);
        let remaining = self.max - arrivals.len();
        self.with_headers(
            ResponseTemplate::new(200).set_body_json(self.body.clone()),
            remaining,
        )
    }
}
