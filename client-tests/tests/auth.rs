//! OAuth against a local token endpoint and API: refresh ahead of expiry
//! once for all concurrent calls (in the background while the token is
//! still valid), the rotated refresh token kept, one
//! refresh and one retry on a 401, a revoked refresh token as a typed error,
//! and no secret in any `Debug` or `Display`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use hubspot_associations::AssociationsExt as _;
use hubspot_associations::runtime::{AuthError, OAuth};
use hubspot_associations::v2026_03::associations as assoc;
use hubspot_associations::{Client, Error};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const TOKEN_PATH: &str = "/oauth/2026-03/token";
const LIST: &str = "/crm/objects/2026-03/contacts/101/associations/companies";
const CLIENT_ID: &str = "5f0c-client-id";
const CLIENT_SECRET: &str = "client-secret-do-not-print-91";
const REFRESH_TOKEN: &str = "refresh-secret-na1-0";

/// A form body's fields, in order.
type Form = Vec<(String, String)>;

fn form(request: &Request) -> Form {
    String::from_utf8_lossy(&request.body)
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| {
            let v = v.replace("%2D", "-").replace("%20", " ");
            (k.to_owned(), v)
        })
        .collect()
}

fn value<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// HubSpot's token endpoint: issues `access-N` and rotates the refresh token
/// to `refresh-secret-na1-N`, accepting only the latest refresh token.
#[derive(Clone, Default)]
struct TokenEndpoint {
    forms: Arc<Mutex<Vec<Form>>>,
    expires_in: u64,
}

impl TokenEndpoint {
    fn refreshes(&self) -> usize {
        self.forms.lock().unwrap().len()
    }
}

impl Respond for TokenEndpoint {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let form = form(request);
        let mut forms = self.forms.lock().unwrap();
        let n = forms.len();
        let expected = format!("refresh-secret-na1-{n}");
        let grant = value(&form, "grant_type").map(str::to_owned);
        let valid = match grant.as_deref() {
            Some("refresh_token") => value(&form, "refresh_token") == Some(expected.as_str()),
            Some("client_credentials") => true,
            _ => false,
        } && value(&form, "client_secret") == Some(CLIENT_SECRET);
        forms.push(form);
        if !valid {
            return ResponseTemplate::new(400).set_body_json(json!({
                "status": "BAD_REFRESH_TOKEN",
                "message": "missing or unknown refresh token",
                "correlationId": "7f1d1a3e-0000-4000-8000-000000000001",
            }));
        }
        ResponseTemplate::new(200).set_body_json(json!({
            "token_type": "bearer",
            "access_token": format!("access-{}", n + 1),
            "refresh_token": format!("refresh-secret-na1-{}", n + 1),
            "expires_in": self.expires_in,
        }))
    }
}

/// The API: records the `Authorization` of each request; answers 401 to
/// the tokens in `reject`.
#[derive(Clone, Default)]
struct Api {
    seen: Arc<Mutex<Vec<String>>>,
    reject: Arc<Mutex<Vec<String>>>,
}

impl Respond for Api {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let auth = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        self.seen.lock().unwrap().push(auth.clone());
        if self.reject.lock().unwrap().contains(&auth) {
            return ResponseTemplate::new(401).set_body_json(json!({
                "status": "error",
                "message": "Authentication credentials not found. This API supports OAuth 2.0 authentication.",
                "correlationId": "7f1d1a3e-0000-4000-8000-000000000002",
                "category": "INVALID_AUTHENTICATION",
            }));
        }
        ResponseTemplate::new(200)
            .set_body_json(json!({"results": [{"toObjectId": "7", "associationTypes": []}]}))
    }
}

async fn serve(token: &TokenEndpoint, api: &Api) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(token.clone())
        .mount(&server)
        .await;
    Mock::given(path(LIST))
        .respond_with(api.clone())
        .mount(&server)
        .await;
    server
}

fn no_secret(text: &str) {
    for secret in [CLIENT_SECRET, REFRESH_TOKEN, "refresh-secret", "access-"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}

async fn list(client: &Client) -> Result<(), Error> {
    client
        .associations()
        .v2026_03()
        .list("contacts", "101", "companies", &assoc::ListParams::new())
        .await
        .map(|_| ())
}

#[tokio::test]
async fn fifty_concurrent_calls_across_an_expiry_refresh_once_each_time() {
    // 8 s tokens: refreshed from 5 s (the margin is at most half the life,
    // and a token is asked for at most once per 5 s), sent until 6 s (the
    // last quarter of the life is not used).
    let token = TokenEndpoint {
        expires_in: 8,
        ..TokenEndpoint::default()
    };
    let api = Api::default();
    let server = serve(&token, &api).await;
    let oauth = OAuth::refresh_token(CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN);
    let client = Client::builder_with_auth(oauth.clone())
        .base_url(server.uri())
        .build()
        .unwrap();

    let calls = (0..50).map(|_| list(&client));
    for result in futures::future::join_all(calls).await {
        result.unwrap();
    }
    assert_eq!(token.refreshes(), 1, "one refresh for 50 concurrent calls");

    // Past the refresh point (5 s), before the last usable second (6 s):
    // the calls go on with access-1 (or access-2 once it lands) while one
    // refresh runs.
    tokio::time::sleep(Duration::from_millis(5200)).await;
    let calls = (0..50).map(|_| list(&client));
    for result in futures::future::join_all(calls).await {
        result.unwrap();
    }
    // Past the last second access-1 is sent (6 s): all on access-2.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let calls = (0..50).map(|_| list(&client));
    for result in futures::future::join_all(calls).await {
        result.unwrap();
    }
    assert_eq!(token.refreshes(), 2, "one more refresh ahead of the expiry");

    let seen = api.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 150);
    assert!(
        seen[..50].iter().all(|a| a == "Bearer access-1"),
        "{seen:?}"
    );
    assert!(
        seen[50..100]
            .iter()
            .all(|a| a == "Bearer access-1" || a == "Bearer access-2"),
        "{seen:?}"
    );
    assert!(
        seen[100..].iter().all(|a| a == "Bearer access-2"),
        "{seen:?}"
    );

    // The form HubSpot documents, and the rotated refresh token used next.
    let forms = token.forms.lock().unwrap().clone();
    assert_eq!(value(&forms[0], "grant_type"), Some("refresh_token"));
    assert_eq!(value(&forms[0], "client_id"), Some(CLIENT_ID));
    assert_eq!(value(&forms[0], "refresh_token"), Some(REFRESH_TOKEN));
    assert_eq!(
        value(&forms[1], "refresh_token"),
        Some("refresh-secret-na1-1")
    );
    assert_eq!(
        oauth.current_refresh_token().await.as_deref(),
        Some("refresh-secret-na1-2")
    );
    no_secret(&format!("{oauth:?} {client:?}"));
}

#[tokio::test]
async fn a_401_refreshes_once_and_retries_once() {
    let token = TokenEndpoint {
        expires_in: 1800,
        ..TokenEndpoint::default()
    };
    let api = Api::default();
    // HubSpot revoked access-1 early (e.g. the app was reinstalled).
    api.reject.lock().unwrap().push("Bearer access-1".into());
    let server = serve(&token, &api).await;
    let client = Client::builder_with_auth(OAuth::refresh_token(
        CLIENT_ID,
        CLIENT_SECRET,
        REFRESH_TOKEN,
    ))
    .base_url(server.uri())
    .build()
    .unwrap();
    list(&client).await.unwrap();
    assert_eq!(token.refreshes(), 2, "the first token, then one refresh");
    assert_eq!(
        *api.seen.lock().unwrap(),
        ["Bearer access-1", "Bearer access-2"]
    );

    // A token refused again after the refresh: one refresh, one retry, then the 401.
    api.reject.lock().unwrap().push("Bearer access-2".into());
    api.reject.lock().unwrap().push("Bearer access-3".into());
    let err = list(&client).await.unwrap_err();
    assert_eq!(err.status(), Some(401), "{err:?}");
    assert_eq!(token.refreshes(), 3);
    assert_eq!(api.seen.lock().unwrap().len(), 4);
    no_secret(&format!("{err} {err:?}"));
}

#[tokio::test]
async fn a_static_token_is_not_retried_on_401() {
    let api = Api::default();
    api.reject
        .lock()
        .unwrap()
        .push("Bearer pat-na1-static".into());
    let server = serve(&TokenEndpoint::default(), &api).await;
    let client = Client::builder("pat-na1-static")
        .base_url(server.uri())
        .build()
        .unwrap();
    let err = list(&client).await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(api.seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_revoked_refresh_token_is_a_typed_error() {
    let token = TokenEndpoint::default();
    let api = Api::default();
    let server = serve(&token, &api).await;
    let oauth = OAuth::refresh_token(CLIENT_ID, CLIENT_SECRET, "refresh-secret-revoked");
    let client = Client::builder_with_auth(oauth)
        .base_url(server.uri())
        .build()
        .unwrap();
    let err = list(&client).await.unwrap_err();
    let Error::Auth {
        operation,
        source:
            AuthError::Refused {
                status,
                code,
                correlation_id,
                ..
            },
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*operation, "list");
    assert_eq!(*status, 400);
    assert_eq!(code.as_deref(), Some("BAD_REFRESH_TOKEN"));
    assert_eq!(
        correlation_id.as_deref(),
        Some("7f1d1a3e-0000-4000-8000-000000000001")
    );
    assert_eq!(
        err.to_string(),
        "no access token for `list`: the OAuth token endpoint refused the grant \
         (HTTP 400, BAD_REFRESH_TOKEN): missing or unknown refresh token"
    );
    assert!(
        api.seen.lock().unwrap().is_empty(),
        "nothing sent without a token"
    );
    no_secret(&format!("{err} {err:?}"));
    assert!(!format!("{err:?}").contains("revoked"));
}

#[tokio::test]
async fn client_credentials_ask_for_their_scopes() {
    let token = TokenEndpoint {
        expires_in: 1800,
        ..TokenEndpoint::default()
    };
    let api = Api::default();
    let server = serve(&token, &api).await;
    let oauth = OAuth::client_credentials(CLIENT_ID, CLIENT_SECRET)
        .scopes(["crm.objects.contacts.read", "crm.objects.companies.read"]);
    let client = Client::builder_with_auth(oauth)
        .base_url(server.uri())
        .build()
        .unwrap();
    list(&client).await.unwrap();
    list(&client).await.unwrap();
    let forms = token.forms.lock().unwrap().clone();
    assert_eq!(forms.len(), 1, "the token is reused until near its expiry");
    assert_eq!(value(&forms[0], "grant_type"), Some("client_credentials"));
    assert_eq!(
        value(&forms[0], "scope"),
        Some("crm.objects.contacts.read crm.objects.companies.read")
    );
    assert_eq!(*api.seen.lock().unwrap(), ["Bearer access-1"; 2]);
}
