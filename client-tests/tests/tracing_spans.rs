//! The `tracing` feature: one span per call with its outcome, an event per
//! retry, and never the token. Alone in its binary with a global subscriber:
//! tracing caches per-callsite interest process-wide, so a scoped subscriber
//! would race with other tests' threads.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hubspot_associations::AssociationsExt as _;
use hubspot_associations::Client;
use hubspot_associations::runtime::RetryPolicy;
use hubspot_associations::v2026_03::associations as assoc;
use tracing::field::{Field, Visit};
use tracing::span;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "pat-na1-tracing-secret-77";
const LIST: &str = "/crm/objects/2026-03/contacts/101/associations/companies";
const PAGE: &str = r#"{"results":[{"toObjectId":"7","associationTypes":[]}]}"#;

/// `(name, value)` of each field, as text.
type FieldList = Vec<(String, String)>;

/// Every span's and event's fields, as text.
#[derive(Clone, Default)]
struct Captured {
    spans: Arc<Mutex<HashMap<u64, (String, FieldList)>>>,
    events: Arc<Mutex<Vec<FieldList>>>,
}

struct Fields<'a>(&'a mut Vec<(String, String)>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }
}

impl<S: tracing::Subscriber> Layer<S> for Captured {
    fn on_new_span(&self, attrs: &span::Attributes<'_>, id: &span::Id, _: Context<'_, S>) {
        let mut fields = Vec::new();
        attrs.record(&mut Fields(&mut fields));
        let name = attrs.metadata().name().to_owned();
        self.spans
            .lock()
            .unwrap()
            .insert(id.into_u64(), (name, fields));
    }
    fn on_record(&self, id: &span::Id, values: &span::Record<'_>, _: Context<'_, S>) {
        if let Some((_, fields)) = self.spans.lock().unwrap().get_mut(&id.into_u64()) {
            values.record(&mut Fields(fields));
        }
    }
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let mut fields = Vec::new();
        event.record(&mut Fields(&mut fields));
        self.events.lock().unwrap().push(fields);
    }
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .rev()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn each_call_is_one_span_with_its_outcome_and_no_secret() {
    let server = MockServer::start().await;
    Mock::given(path(LIST))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path(LIST))
        .respond_with(ResponseTemplate::new(200).set_body_string(PAGE))
        .mount(&server)
        .await;
    let client = Client::builder(TOKEN)
        .base_url(server.uri())
        .retry_policy(RetryPolicy {
            base_delay: Duration::from_millis(10),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    let captured = Captured::default();
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(captured.clone()))
        .unwrap();

    client
        .associations()
        .v2026_03()
        .list("contacts", "101", "companies", &assoc::ListParams::new())
        .await
        .unwrap();

    let spans = captured.spans.lock().unwrap();
    let calls: Vec<_> = spans
        .values()
        .filter(|(name, _)| name == "hubspot")
        .collect();
    assert_eq!(calls.len(), 1, "one span per call: {:?}", *spans);
    let fields = &calls[0].1;
    assert_eq!(field(fields, "operation"), Some("list"));
    assert_eq!(field(fields, "method"), Some("GET"));
    assert_eq!(
        field(fields, "path"),
        Some("/crm/objects/2026-03/{objectType}/{objectId}/associations/{toObjectType}")
    );
    assert_eq!(field(fields, "status"), Some("200"));
    assert_eq!(field(fields, "attempts"), Some("2"));
    let events = captured.events.lock().unwrap();
    let retries: Vec<_> = events
        .iter()
        .filter(|e| field(e, "message") == Some("retrying"))
        .collect();
    assert_eq!(retries.len(), 1);
    assert_eq!(field(retries[0], "attempt"), Some("1"));
    assert!(field(retries[0], "wait_ms").is_some());
    let everything = format!("{:?} {:?}", *spans, *events);
    assert!(!everything.contains(TOKEN), "{everything}");
}
