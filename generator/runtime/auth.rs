//! Credentials: where the `Authorization` header of each request comes from.
//! A private app's static token, or OAuth tokens refreshed ahead of expiry
//! (refresh-token or client-credentials grant), once for all concurrent
//! calls. The token endpoint is called through the client's own
//! [`HttpClient`], never through the retry path. No secret is ever written
//! by `Debug`, `Display`, an error or a trace.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use tokio::time::Instant;

use super::http::{HttpClient, TransportError};

/// The dated token endpoint (the older `/oauth/v1/token` takes the same form).
pub const OAUTH_TOKEN_PATH: &str = "/oauth/2026-03/token";

/// Everything but unreserved characters is escaped in a form value.
const FORM_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The future a [`TokenProvider`] returns.
pub type TokenFuture<'a> =
    Pin<Box<dyn Future<Output = Result<AccessToken, AuthError>> + Send + 'a>>;

/// An access token, kept as the ready `Authorization: Bearer …` header
/// value (marked sensitive). `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken {
    header: http::HeaderValue,
}

impl AccessToken {
    /// Wraps a token; fails if it holds characters a header cannot carry.
    pub fn new(token: &str) -> Result<Self, AuthError> {
        let mut header = http::HeaderValue::try_from(format!("Bearer {token}")).map_err(|_| {
            AuthError::InvalidToken {
                message: "the access token contains characters not allowed in a header".into(),
            }
        })?;
        header.set_sensitive(true);
        Ok(Self { header })
    }

    /// The `Authorization` header value.
    pub fn header_value(&self) -> &http::HeaderValue {
        &self.header
    }
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

/// What a [`TokenProvider`] may use: the client's HTTP stack and base URL.
#[derive(Clone, Copy)]
pub struct AuthContext<'a> {
    http: &'a dyn HttpClient,
    base_url: &'a str,
}

impl<'a> AuthContext<'a> {
    pub(crate) fn new(http: &'a dyn HttpClient, base_url: &'a str) -> Self {
        Self { http, base_url }
    }

    /// The client's HTTP stack (the one API calls go through).
    pub fn http(&self) -> &'a dyn HttpClient {
        self.http
    }

    /// The client's base URL, e.g. `https://api.hubapi.com`, without a trailing `/`.
    pub fn base_url(&self) -> &'a str {
        self.base_url
    }
}

impl std::fmt::Debug for AuthContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthContext")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

/// Supplies the access token of each request. Object-safe, so a client
/// holds any implementation; implement it for your own token store.
pub trait TokenProvider: Send + Sync {
    /// A token valid for the next request; may refresh it first.
    fn token<'a>(&'a self, cx: AuthContext<'a>) -> TokenFuture<'a>;

    /// HubSpot refused `rejected` with a 401: a fresh token, refreshing
    /// unless another call already replaced `rejected`. A provider that
    /// cannot refresh returns `rejected` itself, and the 401 is reported.
    fn refresh_after_rejection<'a>(
        &'a self,
        cx: AuthContext<'a>,
        rejected: &'a AccessToken,
    ) -> TokenFuture<'a> {
        let _ = rejected;
        self.token(cx)
    }
}

/// A fixed token: a private app's access token (or an OAuth access token
/// you refresh yourself).
pub struct StaticToken(AccessToken);

impl StaticToken {
    /// Fails if the token holds characters a header cannot carry.
    pub fn new(token: &str) -> Result<Self, AuthError> {
        AccessToken::new(token).map(Self)
    }
}

impl std::fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StaticToken(<redacted>)")
    }
}

impl TokenProvider for StaticToken {
    fn token<'a>(&'a self, _cx: AuthContext<'a>) -> TokenFuture<'a> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }
}

/// Why no access token could be had. Never holds a secret.
#[derive(Debug)]
#[non_exhaustive]
pub enum AuthError {
    /// The token endpoint refused the grant: a revoked or unknown refresh
    /// token, a wrong client secret, a missing scope. Refreshing again will
    /// not help; the app must be re-authorized.
    Refused {
        /// HTTP status of the token endpoint's answer (HubSpot uses 400).
        status: u16,
        /// HubSpot's code, e.g. `BAD_REFRESH_TOKEN`, `BAD_CLIENT_ID`.
        code: Option<String>,
        /// HubSpot's message.
        message: Option<String>,
        /// `X-HubSpot-Correlation-Id` (or the body's `correlationId`).
        correlation_id: Option<String>,
    },
    /// The token endpoint answered with a server error (5xx) or 429.
    Unavailable {
        /// HTTP status of the answer.
        status: u16,
    },
    /// The token endpoint could not be reached.
    Connection(TransportError),
    /// No answer from the token endpoint in time.
    Timeout(Duration),
    /// A 2xx answer that is not a token (no `access_token`, not JSON).
    InvalidResponse {
        /// What is wrong with it.
        message: String,
    },
    /// A token (given or received) cannot be sent in a header.
    InvalidToken {
        /// What is wrong with it.
        message: String,
    },
}

impl std::fmt::Display for AuthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuthError::Refused {
                status,
                code,
                message,
                ..
            } => {
                write!(
                    f,
                    "the OAuth token endpoint refused the grant (HTTP {status}"
                )?;
                if let Some(code) = code {
                    write!(f, ", {code}")?;
                }
                f.write_str(")")?;
                if let Some(message) = message {
                    write!(f, ": {message}")?;
                }
                Ok(())
            }
            AuthError::Unavailable { status } => {
                write!(f, "the OAuth token endpoint answered HTTP {status}")
            }
            AuthError::Connection(e) => write!(f, "could not reach the OAuth token endpoint: {e}"),
            AuthError::Timeout(t) => write!(
                f,
                "the OAuth token endpoint did not answer within {:.1} s",
                t.as_secs_f64()
            ),
            AuthError::InvalidResponse { message } => {
                write!(
                    f,
                    "the OAuth token endpoint's answer is not a token: {message}"
                )
            }
            AuthError::InvalidToken { message } => f.write_str(message),
        }
    }
}

impl std::error::Error for AuthError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            AuthError::Connection(e) => Some(e),
            _ => None,
        }
    }
}

/// A secret string: `Debug` never shows it.
#[derive(Clone)]
struct Secret(String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

#[derive(Debug, Clone)]
enum Grant {
    RefreshToken(Secret),
    ClientCredentials,
}

/// OAuth access tokens from HubSpot's token endpoint, refreshed ahead of
/// expiry, once for all concurrent calls (single flight). A refresh token
/// HubSpot rotates is kept. Cheap to clone; clones share the token.
#[derive(Clone)]
pub struct OAuth {
    config: Arc<Config>,
    state: Arc<State>,
}

#[derive(Clone)]
struct Config {
    client_id: String,
    client_secret: Secret,
    token_url: Option<String>,
    refresh_margin: Duration,
    timeout: Duration,
    /// Space-separated, for the client-credentials grant.
    scopes: Option<String>,
}

struct State {
    /// The current token; read without waiting on a refresh in flight.
    current: Mutex<Option<Current>>,
    /// Held while refreshing; holds the grant (whose refresh token rotates).
    refreshing: tokio::sync::Mutex<Grant>,
}

#[derive(Clone)]
struct Current {
    token: AccessToken,
    /// Refresh when this passes (the expiry minus the margin).
    refresh_at: Instant,
}

impl std::fmt::Debug for OAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuth")
            .field("client_id", &self.config.client_id)
            .field("client_secret", &self.config.client_secret)
            .field("token_url", &self.config.token_url)
            .field("refresh_margin", &self.config.refresh_margin)
            .finish_non_exhaustive()
    }
}

impl OAuth {
    /// The authorization-code flow's refresh token: an OAuth (public) app
    /// installed in an account.
    pub fn refresh_token(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        refresh_token: impl Into<String>,
    ) -> Self {
        Self::with_grant(
            client_id.into(),
            client_secret.into(),
            Grant::RefreshToken(Secret(refresh_token.into())),
        )
    }

    /// The `client_credentials` grant: the app authenticates as itself.
    pub fn client_credentials(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        Self::with_grant(
            client_id.into(),
            client_secret.into(),
            Grant::ClientCredentials,
        )
    }

    fn with_grant(client_id: String, client_secret: String, grant: Grant) -> Self {
        Self {
            config: Arc::new(Config {
                client_id,
                client_secret: Secret(client_secret),
                token_url: None,
                refresh_margin: Duration::from_secs(300),
                timeout: Duration::from_secs(30),
                scopes: None,
            }),
            state: Arc::new(State {
                current: Mutex::new(None),
                refreshing: tokio::sync::Mutex::new(grant),
            }),
        }
    }

    /// Settings belong to this handle (clones made before keep theirs);
    /// the token is shared by all clones.
    fn configure(mut self, change: impl FnOnce(&mut Config)) -> Self {
        change(Arc::make_mut(&mut self.config));
        self
    }

    /// The token endpoint's full URL (default: the client's base URL and
    /// [`OAUTH_TOKEN_PATH`]).
    #[must_use]
    pub fn token_url(self, url: impl Into<String>) -> Self {
        let url = url.into();
        self.configure(|config| config.token_url = Some(url))
    }

    /// Refresh this long before the token expires (default 5 minutes, at
    /// most half the token's lifetime), as HubSpot advises, rather than
    /// waiting for a 401.
    #[must_use]
    pub fn refresh_margin(self, margin: Duration) -> Self {
        self.configure(|config| config.refresh_margin = margin)
    }

    /// Scopes to ask for with the client-credentials grant (space-separated
    /// in the request); ignored for the refresh-token grant.
    #[must_use]
    pub fn scopes<I, S>(self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let joined = scopes
            .into_iter()
            .map(|s| s.as_ref().to_owned())
            .collect::<Vec<_>>()
            .join(" ");
        self.configure(|config| config.scopes = Some(joined))
    }

    /// The current refresh token (HubSpot may rotate it on each refresh);
    /// store it if your process restarts. `None` for client credentials.
    pub async fn current_refresh_token(&self) -> Option<String> {
        match &*self.state.refreshing.lock().await {
            Grant::RefreshToken(secret) => Some(secret.0.clone()),
            Grant::ClientCredentials => None,
        }
    }

    fn fresh(&self) -> Option<AccessToken> {
        let current = self.state.current.lock().unwrap_or_else(|e| e.into_inner());
        current
            .as_ref()
            .filter(|c| Instant::now() < c.refresh_at)
            .map(|c| c.token.clone())
    }

    fn current(&self) -> Option<AccessToken> {
        let current = self.state.current.lock().unwrap_or_else(|e| e.into_inner());
        current.as_ref().map(|c| c.token.clone())
    }

    /// Refreshes unless `stale_ok` says the token now held will do; one
    /// caller at a time, and callers that waited reuse its result.
    async fn refresh(
        &self,
        cx: AuthContext<'_>,
        reuse: impl Fn(&Self) -> Option<AccessToken>,
    ) -> Result<AccessToken, AuthError> {
        let mut grant = self.state.refreshing.lock().await;
        if let Some(token) = reuse(self) {
            return Ok(token);
        }
        let answer = self.request_token(cx, &grant).await?;
        if let (Grant::RefreshToken(secret), Some(rotated)) = (&mut *grant, answer.refresh_token) {
            *secret = Secret(rotated);
        }
        let lifetime = Duration::from_secs(answer.expires_in);
        let margin = self.config.refresh_margin.min(lifetime / 2);
        let token = AccessToken::new(&answer.access_token)?;
        *self.state.current.lock().unwrap_or_else(|e| e.into_inner()) = Some(Current {
            token: token.clone(),
            refresh_at: Instant::now() + lifetime - margin,
        });
        #[cfg(feature = "tracing")]
        tracing::debug!(
            expires_in = answer.expires_in,
            "refreshed the OAuth access token"
        );
        Ok(token)
    }

    async fn request_token(
        &self,
        cx: AuthContext<'_>,
        grant: &Grant,
    ) -> Result<TokenAnswer, AuthError> {
        let config = &self.config;
        let mut form = Vec::new();
        match grant {
            Grant::RefreshToken(refresh) => {
                form.push(("grant_type", "refresh_token"));
                form.push(("refresh_token", refresh.0.as_str()));
            }
            Grant::ClientCredentials => {
                form.push(("grant_type", "client_credentials"));
                if let Some(scopes) = &config.scopes {
                    form.push(("scope", scopes.as_str()));
                }
            }
        }
        form.push(("client_id", &config.client_id));
        form.push(("client_secret", &config.client_secret.0));
        let form = form
            .iter()
            .map(|(name, value)| {
                let value = percent_encoding::utf8_percent_encode(value, FORM_VALUE);
                format!("{name}={value}")
            })
            .collect::<Vec<_>>()
            .join("&");
        let url = match &config.token_url {
            Some(url) => url.clone(),
            None => format!("{}{OAUTH_TOKEN_PATH}", cx.base_url()),
        };
        let request = http::Request::builder()
            .method("POST")
            .uri(url)
            .header(
                http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .header(http::header::ACCEPT, "application/json")
            .body(Bytes::from(form))
            .map_err(|_| AuthError::InvalidResponse {
                message: "the token endpoint URL is not valid".into(),
            })?;
        let response = match tokio::time::timeout(config.timeout, cx.http().send(request)).await {
            Err(_) => return Err(AuthError::Timeout(config.timeout)),
            Ok(Err(e)) => return Err(AuthError::Connection(e)),
            Ok(Ok(response)) => response,
        };
        let status = response.status().as_u16();
        let correlation_id = response
            .headers()
            .get("x-hubspot-correlation-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body: serde_json::Value =
            serde_json::from_slice(response.body()).unwrap_or(serde_json::Value::Null);
        let text = |name: &str| body.get(name).and_then(|v| v.as_str()).map(str::to_owned);
        if status == 429 || status >= 500 {
            return Err(AuthError::Unavailable { status });
        }
        if !(200..300).contains(&status) {
            return Err(AuthError::Refused {
                status,
                // HubSpot: `status: "BAD_REFRESH_TOKEN"`; RFC 6749: `error`.
                code: text("error").or_else(|| text("status")),
                message: text("message").or_else(|| text("error_description")),
                correlation_id: correlation_id.or_else(|| text("correlationId")),
            });
        }
        let Some(access_token) = text("access_token") else {
            return Err(AuthError::InvalidResponse {
                message: format!("HTTP {status} without `access_token`"),
            });
        };
        Ok(TokenAnswer {
            access_token,
            refresh_token: text("refresh_token"),
            // HubSpot's tokens live 30 minutes; a missing figure is taken as that.
            expires_in: body
                .get("expires_in")
                .and_then(|v| v.as_u64())
                .unwrap_or(1800),
        })
    }
}

struct TokenAnswer {
    access_token: String,
    refresh_token: Option<String>,
    expires_in: u64,
}

impl TokenProvider for OAuth {
    fn token<'a>(&'a self, cx: AuthContext<'a>) -> TokenFuture<'a> {
        Box::pin(async move {
            match self.fresh() {
                Some(token) => Ok(token),
                None => self.refresh(cx, Self::fresh).await,
            }
        })
    }

    fn refresh_after_rejection<'a>(
        &'a self,
        cx: AuthContext<'a>,
        rejected: &'a AccessToken,
    ) -> TokenFuture<'a> {
        Box::pin(async move {
            // Another call may have replaced the rejected token meanwhile.
            self.refresh(cx, |this| this.current().filter(|t| t != rejected))
                .await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_stay_out_of_debug() {
        let oauth = OAuth::refresh_token("id-1", "secret-2", "refresh-3");
        let text = format!("{oauth:?}");
        assert!(text.contains("id-1"), "{text}");
        assert!(
            !text.contains("secret-2") && !text.contains("refresh-3"),
            "{text}"
        );
        let token = AccessToken::new("pat-4").unwrap();
        assert!(!format!("{token:?}").contains("pat-4"));
        assert!(AccessToken::new("bad\ntoken").is_err());
    }
}
