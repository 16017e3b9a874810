//! With the `tracing` feature on and every level captured, an OAuth flow
//! (refresh, a 401, a second refresh, a retry, then a revoked refresh token)
//! leaves no client secret, refresh token or access token in any span or
//! event. Alone in its binary: it installs a global subscriber.

use std::sync::{Arc, Mutex};

use hubspot_associations::AssociationsExt as _;
use hubspot_associations::Client;
use hubspot_associations::runtime::OAuth;
use hubspot_associations::v2026_03::associations as assoc;
use serde_json::json;
use tracing::field::{Field, Visit};
use tracing::span;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use wiremock::matchers::{body_string_contains, header, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRETS: [&str; 4] = [
    "client-secret-tracing-5",
    "refresh-tracing-6",
    "access-tracing-7",
    "access-tracing-8",
];
const LIST: &str = "/crm/objects/2026-03/contacts/101/associations/companies";

/// Every span's and event's name and fields, as text.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<String>>);

struct Text<'a>(&'a mut String);

impl Visit for Text<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={value:?}", field.name()));
    }
}

impl<S: tracing::Subscriber> Layer<S> for Captured {
    fn on_new_span(&self, attrs: &span::Attributes<'_>, _: &span::Id, _: Context<'_, S>) {
        let mut text = format!("\nspan {}", attrs.metadata().name());
        attrs.record(&mut Text(&mut text));
        self.0.lock().unwrap().push_str(&text);
    }
    fn on_record(&self, _: &span::Id, values: &span::Record<'_>, _: Context<'_, S>) {
        let mut text = String::from("\nrecord");
        values.record(&mut Text(&mut text));
        self.0.lock().unwrap().push_str(&text);
    }
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let mut text = format!("\nevent {}", event.metadata().level());
        event.record(&mut Text(&mut text));
        self.0.lock().unwrap().push_str(&text);
    }
}

#[tokio::test]
async fn no_secret_reaches_a_trace() {
    let captured = Captured::default();
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(captured.clone()))
        .unwrap();
    let server = MockServer::start().await;
    let token = |n: u8| {
        ResponseTemplate::new(200).set_body_json(json!({
            "token_type": "bearer", "access_token": format!("access-tracing-{n}"),
            "refresh_token": "refresh-tracing-6", "expires_in": 1800}))
    };
    Mock::given(path("/oauth/2026-03/token"))
        .respond_with(token(7))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/oauth/2026-03/token"))
        .and(body_string_contains("refresh_token=refresh-tracing-6"))
        .respond_with(token(8))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/oauth/2026-03/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(
            json!({"status": "BAD_REFRESH_TOKEN", "message": "missing or unknown refresh token"}),
        ))
        .mount(&server)
        .await;
    Mock::given(path(LIST))
        .and(header("authorization", "Bearer access-tracing-7"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "status": "error", "message": "The OAuth token used to make this call expired.",
            "category": "EXPIRED_AUTHENTICATION"})))
        .mount(&server)
        .await;
    Mock::given(path(LIST))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"results": [{"toObjectId": "7", "associationTypes": []}]})),
        )
        .mount(&server)
        .await;
    let oauth = OAuth::refresh_token("tracing-client-id", SECRETS[0], "refresh-tracing-6");
    let client = Client::builder_with_auth(oauth)
        .base_url(server.uri())
        .build()
        .unwrap();
    let api = client.associations().v2026_03();
    let params = assoc::ListParams::new();
    api.list("contacts", "101", "companies", &params)
        .await
        .unwrap();

    // Revoked: a fresh provider whose refresh token the endpoint refuses.
    let revoked = OAuth::refresh_token("tracing-client-id", SECRETS[0], "refresh-tracing-6")
        .token_url(format!("{}/oauth/2026-03/token", server.uri()));
    let client = Client::builder_with_auth(revoked)
        .base_url(server.uri())
        .build()
        .unwrap();
    let err = client
        .associations()
        .v2026_03()
        .list("contacts", "101", "companies", &params)
        .await
        .unwrap_err();
    assert!(
        matches!(err, hubspot_associations::Error::Auth { .. }),
        "{err:?}"
    );

    let text = captured.0.lock().unwrap().clone();
    assert!(text.contains("span hubspot"), "spans were captured: {text}");
    assert!(
        text.contains("refreshed the OAuth access token"),
        "the refresh is traced: {text}"
    );
    for secret in SECRETS {
        assert!(!text.contains(secret), "{secret} in the trace: {text}");
    }
}
