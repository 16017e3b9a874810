//! Credentials: where the `Authorization` header of each request comes from.
//! A private app's static token, or OAuth tokens refreshed ahead of expiry
//! (refresh-token or client-credentials grant), once for all concurrent
//! calls, in the background while the current token is still valid; a
//! failed refresh is shared and kept briefly. The token endpoint is called through the client's own
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
    /// Shared, so a refresh can outlive the call that started it.
    http: &'a Arc<dyn HttpClient>,
    base_url: &'a str,
}

impl<'a> AuthContext<'a> {
    pub(crate) fn new(http: &'a Arc<dyn HttpClient>, base_url: &'a str) -> Self {
        Self { http, base_url }
    }

    /// The client's HTTP stack (the one API calls go through).
    pub fn http(&self) -> &'a dyn HttpClient {
        &**self.http
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

/// HubSpot's tokens live 30 minutes; an answer without `expires_in` is taken as that.
const DEFAULT_TOKEN_LIFE: Duration = Duration::from_secs(1800);
/// The longest token life believed, and the longest backoff honoured, so
/// no figure a server sends or a caller sets can overflow an `Instant`.
const MAX_TOKEN_LIFE: Duration = Duration::from_secs(24 * 3600);
/// A token is not sent in its last seconds (at most a quarter of its life),
/// so it does not expire on its way to HubSpot.
const EXPIRY_SAFETY: Duration = Duration::from_secs(10);
/// The token endpoint is asked at most once per this long after it issued
/// a token, however short the token's life: a shorter-lived token is sent
/// until it expires, then calls get an error until this has passed, rather
/// than every call asking for a token (a refresh storm).
const MIN_REFRESH_INTERVAL: Duration = Duration::from_secs(5);

/// `at + by`, never panicking: `by` is clamped to a day first, and an
/// `Instant` that still cannot hold it stays at `at`.
fn later(at: Instant, by: Duration) -> Instant {
    at.checked_add(by.min(MAX_TOKEN_LIFE)).unwrap_or(at)
}

/// OAuth access tokens from HubSpot's token endpoint, refreshed ahead of
/// expiry in the background while the current token is still used, by one
/// shared request for all concurrent calls (single flight). A failed
/// refresh is given to every call waiting for it and kept for
/// [`failure_backoff`](Self::failure_backoff) (a refusal for
/// [`refusal_backoff`](Self::refusal_backoff)); a token still valid keeps
/// being used meanwhile. The endpoint is asked at most once per 5 s even
/// if its tokens live shorter. A refresh token HubSpot rotates is kept. Cheap to
/// clone; clones share the token.
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
    token_timeout: Duration,
    failure_backoff: Duration,
    refusal_backoff: Duration,
    /// Space-separated, for the client-credentials grant.
    scopes: Option<String>,
}

/// Shared by all clones. Locked only briefly, never across a request.
struct State(Mutex<Tokens>);

struct Tokens {
    /// The grant, whose refresh token HubSpot may rotate.
    grant: Grant,
    current: Option<Current>,
    /// The refresh in flight; its outcome is sent to every waiting call.
    flight: Option<Flight>,
    /// The last refresh's failure, given to calls without a usable token
    /// until `retry_at`, so a failing endpoint is not asked for every call.
    failure: Option<Failure>,
}

type Outcome = Option<Result<AccessToken, AuthError>>;
type Flight = tokio::sync::watch::Receiver<Outcome>;

#[derive(Clone)]
struct Current {
    token: AccessToken,
    /// Refresh in the background from here (the expiry minus the margin).
    refresh_at: Instant,
    /// Sent until here (the expiry minus a few seconds).
    usable_until: Instant,
}

struct Failure {
    error: AuthError,
    retry_at: Instant,
}

impl State {
    fn lock(&self) -> std::sync::MutexGuard<'_, Tokens> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl std::fmt::Debug for OAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuth")
            .field("client_id", &self.config.client_id)
            .field("client_secret", &self.config.client_secret)
            .field("token_url", &self.config.token_url)
            .field("refresh_margin", &self.config.refresh_margin)
            .field("token_timeout", &self.config.token_timeout)
            .field("failure_backoff", &self.config.failure_backoff)
            .field("refusal_backoff", &self.config.refusal_backoff)
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
                token_timeout: Duration::from_secs(10),
                failure_backoff: Duration::from_secs(5),
                refusal_backoff: Duration::from_secs(60),
                scopes: None,
            }),
            state: Arc::new(State(Mutex::new(Tokens {
                grant,
                current: None,
                flight: None,
                failure: None,
            }))),
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

    /// Start refreshing this long before the token expires (default 5
    /// minutes, at most half the token's lifetime), as HubSpot advises,
    /// rather than waiting for a 401. Calls keep using the current token
    /// while the refresh runs, and while it fails, until the token expires.
    #[must_use]
    pub fn refresh_margin(self, margin: Duration) -> Self {
        self.configure(|config| config.refresh_margin = margin)
    }

    /// How long one request to the token endpoint may take (default 10 s).
    /// A call waits for a token no longer than its own
    /// [`timeout`](super::ClientBuilder::timeout) either; giving up does not
    /// cancel the refresh other calls wait for.
    #[must_use]
    pub fn token_timeout(self, timeout: Duration) -> Self {
        self.configure(|config| config.token_timeout = timeout)
    }

    /// After a failed refresh (5xx, timeout, a panicking `HttpClient`…),
    /// calls that have no valid token get the same error for this long
    /// (default 5 s, at most a day) before the token endpoint is asked
    /// again. A refusal has its own [`refusal_backoff`](Self::refusal_backoff).
    #[must_use]
    pub fn failure_backoff(self, backoff: Duration) -> Self {
        self.configure(|config| config.failure_backoff = backoff)
    }

    /// After the token endpoint refused the grant (HTTP 4xx but 429: a
    /// revoked refresh token, a wrong client secret), calls that have no
    /// valid token get the refusal for this long (default 1 minute, at
    /// most a day) before it is asked again: a refusal does not fix itself.
    #[must_use]
    pub fn refusal_backoff(self, backoff: Duration) -> Self {
        self.configure(|config| config.refusal_backoff = backoff)
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
        match &self.state.lock().grant {
            Grant::RefreshToken(secret) => Some(secret.0.clone()),
            Grant::ClientCredentials => None,
        }
    }

    /// A token to send now: the current one while it is usable (starting a
    /// background refresh past its refresh point), else the outcome of the
    /// shared refresh. `rejected` (refused by HubSpot with a 401) is never
    /// returned, and is dropped so later calls do not send it either.
    async fn token_now(
        &self,
        cx: AuthContext<'_>,
        rejected: Option<&AccessToken>,
    ) -> Result<AccessToken, AuthError> {
        let mut flight = {
            let mut tokens = self.state.lock();
            let now = Instant::now();
            if rejected.is_some() && tokens.current.as_ref().map(|c| &c.token) == rejected {
                tokens.current = None;
            }
            if let Some(current) = tokens.current.clone()
                && now < current.usable_until
            {
                if now >= current.refresh_at {
                    self.start_refresh(&mut tokens, cx, now);
                }
                return Ok(current.token);
            }
            if let Some(failure) = tokens.failure.as_ref().filter(|f| now < f.retry_at) {
                return Err(failure.error.duplicate());
            }
            match self.start_refresh(&mut tokens, cx, now) {
                Some(flight) => flight,
                None => return Err(cancelled()),
            }
        };
        let outcome = flight.wait_for(Option::is_some).await;
        match outcome.as_deref() {
            Ok(Some(Ok(token))) => Ok(token.clone()),
            Ok(Some(Err(error))) => Err(error.duplicate()),
            Ok(None) | Err(_) => Err(cancelled()),
        }
    }

    /// The refresh in flight, starting one unless the last one failed less
    /// than the backoff ago. It runs as its own task, so a call that stops
    /// waiting does not cancel it for the others.
    fn start_refresh(
        &self,
        tokens: &mut Tokens,
        cx: AuthContext<'_>,
        now: Instant,
    ) -> Option<Flight> {
        if let Some(flight) = &tokens.flight {
            // A flight whose task was dropped before it ran (its runtime
            // shut down first) never lands: start another one rather than
            // hand every later call its "cancelled" error.
            if flight.has_changed().is_ok() {
                return Some(flight.clone());
            }
            tokens.flight = None;
        }
        if tokens.failure.as_ref().is_some_and(|f| now < f.retry_at) {
            return None;
        }
        let (sender, flight) = tokio::sync::watch::channel(None);
        tokens.flight = Some(flight.clone());
        let this = self.clone();
        let http = Arc::clone(cx.http);
        let base_url = cx.base_url.to_owned();
        let grant = tokens.grant.clone();
        tokio::spawn(async move {
            let landed = FlightGuard(&this.state);
            let outcome = match unless_panicked(this.refresh(&*http, &base_url, &grant)).await {
                Some(outcome) => outcome,
                // A user's `HttpClient` panicked: a failed refresh like any
                // other, given to the waiting calls and backed off from.
                None => Err(this.fail(&mut this.state.lock(), panicked(), Instant::now())),
            };
            drop(landed);
            sender.send_replace(Some(outcome));
        });
        Some(flight)
    }

    /// One request to the token endpoint; its outcome recorded for every call.
    async fn refresh(
        &self,
        http: &dyn HttpClient,
        base_url: &str,
        grant: &Grant,
    ) -> Result<AccessToken, AuthError> {
        let sent_at = Instant::now();
        let answer = self
            .request_token(http, base_url, grant)
            .await
            .and_then(|answer| Ok((AccessToken::new(&answer.access_token)?, answer)));
        let mut tokens = self.state.lock();
        let now = Instant::now();
        let (token, answer) = match answer {
            Ok(fine) => fine,
            Err(error) => return Err(self.fail(&mut tokens, error, now)),
        };
        // Kept even if the token is no use: HubSpot may have retired the old one.
        if let (Grant::RefreshToken(secret), Some(rotated)) =
            (&mut tokens.grant, answer.refresh_token)
        {
            *secret = Secret(rotated);
        }
        // Counted from the request's start: the token may be that old.
        let life = answer.lifetime;
        let margin = self.config.refresh_margin.min(life / 2);
        let safety = EXPIRY_SAFETY.min(life / 4);
        let usable_until = later(sent_at, life - safety);
        if now >= usable_until {
            let error = AuthError::InvalidResponse {
                message: format!(
                    "the token expired before it arrived (`expires_in` {:.3} s, answered after {:.3} s)",
                    life.as_secs_f64(),
                    (now - sent_at).as_secs_f64()
                ),
            };
            return Err(self.fail(&mut tokens, error, now));
        }
        let next_request = later(sent_at, MIN_REFRESH_INTERVAL);
        tokens.current = Some(Current {
            token: token.clone(),
            refresh_at: later(sent_at, life - margin).max(next_request),
            usable_until,
        });
        // A token expiring before the endpoint may be asked again: calls
        // past its expiry get this until then.
        tokens.failure = (usable_until < next_request).then(|| Failure {
            error: AuthError::InvalidResponse {
                message: format!(
                    "the token endpoint's tokens expire after {:.3} s (`expires_in`); \
                     a new one is asked for at most once per {} s",
                    life.as_secs_f64(),
                    MIN_REFRESH_INTERVAL.as_secs()
                ),
            },
            retry_at: next_request,
        });
        #[cfg(feature = "tracing")]
        tracing::debug!(
            expires_in_s = life.as_secs_f64(),
            "refreshed the OAuth access token"
        );
        Ok(token)
    }

    /// Records a failed refresh, kept for the backoff its kind calls for,
    /// and returns it.
    fn fail(&self, tokens: &mut Tokens, error: AuthError, now: Instant) -> AuthError {
        let backoff = match error {
            AuthError::Refused { .. } => self.config.refusal_backoff,
            _ => self.config.failure_backoff,
        };
        tokens.failure = Some(Failure {
            error: error.duplicate(),
            retry_at: later(now, backoff),
        });
        error
    }

    async fn request_token(
        &self,
        http: &dyn HttpClient,
        base_url: &str,
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
            None => format!("{base_url}{OAUTH_TOKEN_PATH}"),
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
        let timeout = config.token_timeout;
        let response = match tokio::time::timeout(timeout, http.send(request)).await {
            Err(_) => return Err(AuthError::Timeout(timeout)),
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
            lifetime: lifetime(body.get("expires_in"))?,
        })
    }
}

/// `expires_in`: a positive number of seconds (or such a number in a
/// string), at most a day; missing or `null` is HubSpot's 30 minutes. Zero,
/// negative or not a number: the token would be expired on arrival.
fn lifetime(expires_in: Option<&serde_json::Value>) -> Result<Duration, AuthError> {
    use serde_json::Value;
    let seconds = match expires_in {
        None | Some(Value::Null) => return Ok(DEFAULT_TOKEN_LIFE),
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().parse::<f64>().ok(),
        Some(_) => None,
    };
    match seconds {
        // NaN fails `> 0.0`; infinity and 1e19 are clamped before converting.
        Some(s) if s > 0.0 => Ok(Duration::from_secs_f64(s.min(MAX_TOKEN_LIFE.as_secs_f64()))),
        _ => Err(AuthError::InvalidResponse {
            message: "`expires_in` is not a positive number of seconds".into(),
        }),
    }
}

/// Clears the flight when its task ends, even cancelled with its runtime,
/// so the next call starts a new refresh instead of waiting forever.
struct FlightGuard<'a>(&'a State);

impl Drop for FlightGuard<'_> {
    fn drop(&mut self) {
        self.0.lock().flight = None;
    }
}

/// `future`'s output, or `None` if polling it panicked (a user's
/// `HttpClient` may), so that a panic is a failed refresh, not a dead task.
async fn unless_panicked<T>(future: impl Future<Output = T>) -> Option<T> {
    let mut future = std::pin::pin!(future);
    std::future::poll_fn(|cx| {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| future.as_mut().poll(cx))) {
            Ok(std::task::Poll::Ready(output)) => std::task::Poll::Ready(Some(output)),
            Ok(std::task::Poll::Pending) => std::task::Poll::Pending,
            Err(_) => std::task::Poll::Ready(None),
        }
    })
    .await
}

fn panicked() -> AuthError {
    AuthError::Connection(TransportError::new(
        super::http::TransportErrorKind::Other,
        "the HTTP client panicked during the token request",
    ))
}

fn cancelled() -> AuthError {
    AuthError::Connection(TransportError::new(
        super::http::TransportErrorKind::Other,
        "the token refresh was cancelled (its runtime shut down)",
    ))
}

struct TokenAnswer {
    access_token: String,
    refresh_token: Option<String>,
    lifetime: Duration,
}

impl AuthError {
    /// The same error for another waiting call (a connection error's
    /// source chain is kept as its message).
    fn duplicate(&self) -> AuthError {
        match self {
            AuthError::Refused {
                status,
                code,
                message,
                correlation_id,
            } => AuthError::Refused {
                status: *status,
                code: code.clone(),
                message: message.clone(),
                correlation_id: correlation_id.clone(),
            },
            AuthError::Unavailable { status } => AuthError::Unavailable { status: *status },
            AuthError::Connection(e) => {
                AuthError::Connection(TransportError::new(e.kind(), e.message()))
            }
            AuthError::Timeout(t) => AuthError::Timeout(*t),
            AuthError::InvalidResponse { message } => AuthError::InvalidResponse {
                message: message.clone(),
            },
            AuthError::InvalidToken { message } => AuthError::InvalidToken {
                message: message.clone(),
            },
        }
    }
}

/// `future` (a [`TokenProvider`]'s) given at most the call's `timeout`.
pub(crate) async fn within(
    timeout: Duration,
    future: TokenFuture<'_>,
) -> Result<AccessToken, AuthError> {
    tokio::time::timeout(timeout, future)
        .await
        .unwrap_or(Err(AuthError::Timeout(timeout)))
}

impl TokenProvider for OAuth {
    fn token<'a>(&'a self, cx: AuthContext<'a>) -> TokenFuture<'a> {
        Box::pin(self.token_now(cx, None))
    }

    fn refresh_after_rejection<'a>(
        &'a self,
        cx: AuthContext<'a>,
        rejected: &'a AccessToken,
    ) -> TokenFuture<'a> {
        Box::pin(self.token_now(cx, Some(rejected)))
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

    /// A refresh started on a runtime that shuts down before the refresh
    /// task runs must not leave a dead flight that fails every later call
    /// (an `OAuth` kept in a static and shared by test runtimes, say).
    #[cfg(feature = "test-util")]
    #[test]
    fn a_refresh_dropped_with_its_runtime_is_started_again() {
        use crate::runtime::{MockHttp, MockResponse};
        let mock = MockHttp::new();
        mock.respond(
            "POST",
            "/oauth/2026-03/token",
            MockResponse::json(
                200,
                r#"{"access_token":"fresh","refresh_token":"r","expires_in":1800}"#,
            ),
        );
        let http: Arc<dyn HttpClient> = Arc::new(mock.clone());
        let oauth = OAuth::refresh_token("id", "secret", "refresh");
        let first = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        first.block_on(async {
            // Polled once: the refresh task is spawned, never run.
            let mut call = oauth.token(AuthContext::new(&http, "http://127.0.0.1:9"));
            let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
            assert!(call.as_mut().poll(&mut cx).is_pending());
        });
        drop(first);
        let second = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let token = second
            .block_on(oauth.token(AuthContext::new(&http, "http://127.0.0.1:9")))
            .expect("a new refresh, not the dead flight's error");
        assert_eq!(token.header_value(), "Bearer fresh");
        assert_eq!(mock.requests().len(), 1);
    }

    /// A user's `HttpClient` that panics on the token path (synchronously
    /// in `send` or while its future is polled, in turn) after issuing
    /// `good_tokens` 30-minute tokens; API requests get `{}`.
    struct PanicsOnTokenPath {
        good_tokens: usize,
        token_calls: Arc<std::sync::atomic::AtomicUsize>,
        api_seen: Arc<Mutex<Vec<String>>>,
    }

    impl HttpClient for PanicsOnTokenPath {
        fn send(&self, request: http::Request<Bytes>) -> crate::runtime::HttpFuture<'_> {
            let reply = |body: String| {
                Ok(http::Response::builder()
                    .status(200)
                    .header("content-type", "application/json")
                    .body(Bytes::from(body))
                    .unwrap())
            };
            if request.uri().path() == OAUTH_TOKEN_PATH {
                let n = 1 + self
                    .token_calls
                    .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                if n <= self.good_tokens {
                    let body = format!(r#"{{"access_token":"access-{n}","expires_in":1800}}"#);
                    return Box::pin(async move { reply(body) });
                }
                if n.is_multiple_of(2) {
                    panic!("test HttpClient: the token path panics in send");
                }
                return Box::pin(async {
                    panic!("test HttpClient: the token path panics when polled")
                });
            }
            let auth = request.headers().get("authorization");
            let auth = auth.and_then(|v| v.to_str().ok()).unwrap_or_default();
            self.api_seen.lock().unwrap().push(auth.to_owned());
            Box::pin(async move { reply("{}".into()) })
        }
    }

    struct PanickingSetup {
        client: crate::runtime::Client,
        token_calls: Arc<std::sync::atomic::AtomicUsize>,
        api_seen: Arc<Mutex<Vec<String>>>,
    }

    impl PanickingSetup {
        /// A client with default settings (retries, limiter) over the panicking stack.
        fn new(good_tokens: usize) -> Self {
            let token_calls = Arc::default();
            let api_seen = Arc::default();
            let http = PanicsOnTokenPath {
                good_tokens,
                token_calls: Arc::clone(&token_calls),
                api_seen: Arc::clone(&api_seen),
            };
            let oauth = OAuth::refresh_token("client-id", "client-secret", "refresh-token");
            let client = crate::runtime::Client::builder_with_auth(oauth)
                .base_url("http://127.0.0.1:9")
                .http(http)
                .timeout(Duration::from_secs(5))
                .build()
                .unwrap();
            Self {
                client,
                token_calls,
                api_seen,
            }
        }

        async fn call(&self) -> Result<(), crate::runtime::Error> {
            let request = crate::runtime::__private::Request::new(
                crate::runtime::__private::Method::GET,
                "/crm/x",
                &[],
                "get_x",
            )
            .idempotent();
            self.client.execute(request).await.map(drop)
        }

        fn token_calls(&self) -> usize {
            self.token_calls.load(std::sync::atomic::Ordering::SeqCst)
        }

        fn api_seen(&self) -> Vec<String> {
            self.api_seen.lock().unwrap().clone()
        }
    }

    /// A panic in the refresh task is a failed refresh: every waiting call
    /// gets an error at once (no hang, no panic in the caller) and the
    /// endpoint is tried again only after the failure backoff, not by
    /// every call.
    #[tokio::test(start_paused = true)]
    async fn a_panicking_http_client_in_the_refresh_is_a_failed_refresh() {
        fn auth_message(result: Result<(), crate::runtime::Error>) -> String {
            match result {
                Err(crate::runtime::Error::Auth { source, .. }) => source.to_string(),
                other => panic!("expected Error::Auth, got {other:?}"),
            }
        }
        // No token yet: 10 concurrent calls, then one every 200 ms for 20 s.
        let setup = PanickingSetup::new(0);
        let start = Instant::now();
        let setup = Arc::new(setup);
        let burst: Vec<_> = (0..10)
            .map(|_| {
                let setup = Arc::clone(&setup);
                tokio::spawn(async move { setup.call().await })
            })
            .collect();
        let mut failures = Vec::new();
        for call in burst {
            failures.push(auth_message(call.await.expect("the caller does not panic")));
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        for i in 1..100 {
            let at = start + Duration::from_millis(200 * i);
            tokio::time::sleep_until(at).await;
            failures.push(auth_message(setup.call().await));
            assert_eq!(Instant::now(), at, "answered at once");
        }
        for message in &failures {
            assert!(message.contains("panicked"), "{message}");
        }
        assert_eq!(setup.token_calls(), 4, "at 0, 5, 10 and 15 s");
        assert!(setup.api_seen().is_empty());

        // A valid token: calls go on with it while every refresh panics,
        // tried once per 5 s from the refresh point (25 min) on.
        let setup = PanickingSetup::new(1);
        let start = Instant::now();
        setup.call().await.unwrap();
        tokio::time::sleep_until(start + Duration::from_secs(1500)).await;
        while start.elapsed() < Duration::from_secs(1780) {
            setup.call().await.unwrap();
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        let seen = setup.api_seen();
        assert_eq!(seen.len(), 281);
        assert!(seen.iter().all(|a| a == "Bearer access-1"), "{seen:?}");
        assert_eq!(setup.token_calls() - 1, 280 / 5);
    }
}
