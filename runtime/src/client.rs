//! The client: configuration, and the one place requests are sent.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;

use super::auth::{AccessToken, AuthContext, StaticToken, TokenProvider, within};
use super::error::{ApiErrorBody, Error, snippet};
#[cfg(feature = "gzip")]
use super::http::TransportError;
use super::http::{HttpClient, TransportErrorKind};
use super::limiter::{
    DEFAULT_LIMIT, DEFAULT_SEARCH_LIMIT, InProcessLimiter, Limit, LimiterError, Permit, RateClass,
    RateLimitHeaders, RateLimiter,
};
use super::request::{Request, Response};
use super::retry::{RetryPolicy, is_retryable_status, parse_retry_after};

/// Default of [`ClientBuilder::max_inflated_body`]: about 20 times the
/// largest answer HubSpot sends (a 1,000-input batch read, 1.5 MB), an
/// eighth of the 256 MiB a raw body may have (`MAX_BODY`), so a gzip bomb
/// costs tens of MB, not hundreds.
const DEFAULT_MAX_INFLATED_BODY: usize = 32 << 20;

/// `User-Agent` of every request.
const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// HubSpot's public API host.
pub const DEFAULT_BASE_URL: &str = "https://api.hubapi.com";

/// A HubSpot client. Cheap to clone; clones share the HTTP client (and its
/// connection pool) and the rate limiter.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: Arc<dyn HttpClient>,
    base: BaseUrl,
    /// `origin` and `prefix` together, for token providers.
    base_url: String,
    auth: Arc<dyn TokenProvider>,
    timeout: Duration,
    retry: RetryPolicy,
    limiter: Option<Arc<dyn RateLimiter>>,
    /// Longest wait for a permit; then `Error::Limiter`.
    max_limiter_wait: Duration,
    /// How long a `DAILY` 429 stops calls before one probes again.
    daily_limit_pause: Duration,
    /// How long a 429 without `Retry-After` waits when nothing says more.
    limit: Limit,
    search_limit: Limit,
    /// HubSpot's `X-HubSpot-RateLimit-*` headers, the latest of each.
    limits_seen: std::sync::Mutex<RateLimitHeaders>,
    max_concurrency: usize,
    batch_limits: Vec<(String, usize)>,
    /// Ask for gzip-compressed responses (`gzip` feature).
    #[cfg_attr(not(feature = "gzip"), allow(dead_code))]
    gzip: bool,
    /// Most bytes a compressed body may inflate to.
    #[cfg_attr(not(feature = "gzip"), allow(dead_code))]
    max_inflated_body: usize,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the token; the base URL was checked to carry no credentials.
        f.debug_struct("Client")
            .field(
                "base_url",
                &format_args!("{}{}", self.inner.base.origin, self.inner.base.prefix),
            )
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

/// Scheme and authority of the base URL, and the path it ends in.
#[derive(Debug, Clone)]
struct BaseUrl {
    /// `https://api.hubapi.com`
    origin: String,
    /// Path prefix without a trailing `/` (usually empty).
    prefix: String,
}

impl BaseUrl {
    /// Parses `http(s)://host[:port][/prefix]`. Messages never repeat the
    /// URL: it might hold credentials.
    fn parse(url: &str) -> Result<Self, String> {
        let uri: http::Uri = url
            .parse()
            .map_err(|_| "the base URL is not a valid absolute URL".to_owned())?;
        let scheme = uri.scheme_str().unwrap_or_default();
        if scheme != "http" && scheme != "https" {
            return Err("the base URL must start with http:// or https://".into());
        }
        let Some(authority) = uri.authority() else {
            return Err("the base URL has no host".into());
        };
        if authority.as_str().contains('@') {
            return Err(
                "the base URL must not carry credentials; pass the token to the client".into(),
            );
        }
        if uri.query().is_some() || url.contains('#') {
            return Err("the base URL must not have a query or fragment".into());
        }
        Ok(Self {
            origin: format!("{scheme}://{authority}"),
            prefix: uri.path().trim_end_matches('/').to_owned(),
        })
    }
}

/// Which proxy the default reqwest client uses.
#[derive(Debug, Clone, Default)]
#[cfg_attr(not(feature = "reqwest"), allow(dead_code))]
enum ProxyChoice {
    /// reqwest's own rules: `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`
    /// (and the system's settings on macOS and Windows).
    #[default]
    Environment,
    Url(String),
    Off,
}

/// Where the client's credentials come from.
enum Credentials {
    /// Checked when the client is built.
    Token(String),
    Provider(Arc<dyn TokenProvider>),
}

/// Configures a [`Client`].
pub struct ClientBuilder {
    credentials: Credentials,
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    /// `None`: no client-side limiting.
    rate_limit: Option<Limit>,
    search_limit: Limit,
    limiter: Option<Arc<dyn RateLimiter>>,
    max_limiter_wait: Duration,
    daily_limit_pause: Duration,
    max_concurrency: usize,
    batch_limits: Vec<(String, usize)>,
    http: Option<Arc<dyn HttpClient>>,
    #[cfg_attr(not(feature = "gzip"), allow(dead_code))]
    gzip: bool,
    #[cfg_attr(not(feature = "gzip"), allow(dead_code))]
    max_inflated_body: usize,
    #[cfg_attr(
        not(all(feature = "reqwest", any(feature = "rustls", feature = "native-tls"))),
        allow(dead_code)
    )]
    root_certificates: Vec<Vec<u8>>,
    #[cfg_attr(not(feature = "reqwest"), allow(dead_code))]
    proxy: ProxyChoice,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Where requests go (default `https://api.hubapi.com`); may end in a
    /// path prefix. It must not carry credentials.
    #[must_use]
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Per-attempt timeout, from sending to reading the whole body
    /// (default 30 s). A timed-out operation that is safe to repeat is
    /// retried like a broken connection; any other fails with
    /// [`Error::Timeout`].
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Timeout for opening a connection (default 10 s), for the default
    /// reqwest client; a client passed with [`http_client`](Self::http_client)
    /// keeps its own.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Retries after the first attempt (default 2).
    #[must_use]
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.retry.max_retries = retries;
        self
    }

    /// The whole retry policy.
    #[must_use]
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// At most `requests` per `window` until HubSpot's
    /// `X-HubSpot-RateLimit-Max` and `-Interval-Milliseconds` headers say
    /// otherwise (default 100 per 10 s, HubSpot's ten-secondly limit for
    /// private apps on most tiers and for OAuth apps).
    #[must_use]
    pub fn rate_limit(mut self, requests: u32, window: Duration) -> Self {
        self.rate_limit = Some(Limit::new(requests, window));
        self
    }

    /// At most `requests` per `window` to the CRM search endpoints, on top
    /// of the general limit (default 5 per second, HubSpot's search limit).
    #[must_use]
    pub fn search_rate_limit(mut self, requests: u32, window: Duration) -> Self {
        self.search_limit = Limit::new(requests, window);
        self
    }

    /// Whether to ask for gzip-compressed responses (on by default): a
    /// 1,000 × 10 batch read is 1.5 MB of JSON, 44 kB compressed.
    #[cfg(feature = "gzip")]
    #[must_use]
    pub fn gzip(mut self, enabled: bool) -> Self {
        self.gzip = enabled;
        self
    }

    /// Most bytes a gzip answer may inflate to (32 MiB by default); a body
    /// that would inflate past it fails the call, naming the cap, and is not
    /// retried. It bounds what a small answer can cost: deflate expands up
    /// to 1032:1, so 1 MB on the wire could otherwise claim 1 GB. HubSpot's
    /// largest answers (a 1,000-input batch read) are a few MB inflated.
    #[cfg(feature = "gzip")]
    #[must_use]
    pub fn max_inflated_body(mut self, bytes: usize) -> Self {
        self.max_inflated_body = bytes;
        self
    }

    /// Turns the client-side limiter off.
    #[must_use]
    pub fn no_rate_limit(mut self) -> Self {
        self.rate_limit = None;
        self.limiter = None;
        self
    }

    /// Uses this limiter instead of the in-process one, e.g. a
    /// `RedisRateLimiter` (`redis` feature) that many processes share, or
    /// one `Arc` shared by several clients.
    #[must_use]
    pub fn rate_limiter(mut self, limiter: impl RateLimiter + 'static) -> Self {
        self.limiter = Some(Arc::new(limiter));
        self
    }

    /// Longest a call waits in the rate limiter for leave to send (default
    /// 5 minutes); then it fails with `Error::Limiter`, nothing sent.
    #[must_use]
    pub fn max_limiter_wait(mut self, wait: Duration) -> Self {
        self.max_limiter_wait = wait;
        self
    }

    /// After a `DAILY` 429, how long the limiter refuses every call with
    /// `Error::DailyLimitExceeded` without sending it (default 5 minutes);
    /// then calls are sent again, the first finding out whether the day
    /// has reset. HubSpot resets at midnight in the account's time zone,
    /// which the client does not know.
    #[must_use]
    pub fn daily_limit_pause(mut self, pause: Duration) -> Self {
        self.daily_limit_pause = pause;
        self
    }

    /// Requests one chunked batch call keeps in flight (default 4).
    #[must_use]
    pub fn max_concurrency(mut self, requests: usize) -> Self {
        self.max_concurrency = requests.max(1);
        self
    }

    /// Overrides the inputs-per-request limit of a batch operation, by
    /// method name (e.g. `"batch_read"`).
    #[must_use]
    pub fn batch_limit(mut self, operation: &str, limit: usize) -> Self {
        self.batch_limits.retain(|(op, _)| op != operation);
        self.batch_limits.push((operation.to_owned(), limit.max(1)));
        self
    }

    /// Sends requests through any [`HttpClient`] (your own stack, a test
    /// double such as `MockHttp` with the `test-util` feature). Retries,
    /// rate limiting, auth and batching still apply on top.
    #[must_use]
    pub fn http(mut self, client: impl HttpClient + 'static) -> Self {
        self.http = Some(Arc::new(client));
        self
    }

    /// Sends requests through your own `reqwest::Client`, sharing its
    /// connection pool, proxy, TLS roots and timeouts. Responses come
    /// gzip-compressed all the same (`gzip` feature).
    #[cfg(feature = "reqwest")]
    #[must_use]
    pub fn http_client(self, client: reqwest::Client) -> Self {
        self.http(client)
    }

    /// Sends requests through a `reqwest_middleware::ClientWithMiddleware`.
    #[cfg(feature = "reqwest-middleware")]
    #[must_use]
    pub fn http_middleware(self, client: reqwest_middleware::ClientWithMiddleware) -> Self {
        self.http(client)
    }

    /// Also trusts this root certificate (DER), e.g. a company proxy's, in
    /// the default reqwest client.
    #[cfg(all(feature = "reqwest", any(feature = "rustls", feature = "native-tls")))]
    #[must_use]
    pub fn add_root_certificate(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.root_certificates.push(der.into());
        self
    }

    /// Connects through this proxy (`http://`, `https://` or, with the
    /// `socks` feature, `socks5h://`), whatever the environment says. By
    /// default the proxy comes from the environment as reqwest reads it.
    #[cfg(feature = "reqwest")]
    #[must_use]
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = ProxyChoice::Url(url.into());
        self
    }

    /// Connects directly, whatever the environment says.
    #[cfg(feature = "reqwest")]
    #[must_use]
    pub fn no_proxy(mut self) -> Self {
        self.proxy = ProxyChoice::Off;
        self
    }

    /// Creates the client; fails on an invalid token, base URL or HTTP client setup.
    pub fn build(self) -> Result<Client, Error> {
        let invalid = |message: String| Error::InvalidInput {
            operation: "build client",
            message,
        };
        let auth: Arc<dyn TokenProvider> = match &self.credentials {
            Credentials::Token(token) => {
                Arc::new(StaticToken::new(token).map_err(|e| invalid(e.to_string()))?)
            }
            Credentials::Provider(provider) => provider.clone(),
        };
        let base = BaseUrl::parse(&self.base_url).map_err(invalid)?;
        let http = match self.http.clone() {
            Some(http) => http,
            None => {
                // reqwest without a TLS feature builds, then fails every call
                // to https:// (after retries): say so here, once.
                #[cfg(not(any(feature = "rustls", feature = "native-tls")))]
                if base.origin.starts_with("https://") {
                    return Err(invalid(
                        "the built-in HTTP client has no TLS: enable the `rustls` or `native-tls` \
                         feature, or pass a client with `ClientBuilder::http`"
                            .into(),
                    ));
                }
                self.default_http().map_err(invalid)?
            }
        };
        let limiter = match (self.limiter, self.rate_limit) {
            (Some(limiter), _) => Some(limiter),
            (None, Some(limit)) => {
                Some(Arc::new(InProcessLimiter::new(limit, self.search_limit))
                    as Arc<dyn RateLimiter>)
            }
            (None, None) => None,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url: format!("{}{}", base.origin, base.prefix),
                base,
                auth,
                timeout: self.timeout,
                retry: self.retry,
                limiter,
                max_limiter_wait: self.max_limiter_wait,
                daily_limit_pause: self.daily_limit_pause,
                limit: self.rate_limit.unwrap_or(DEFAULT_LIMIT),
                search_limit: self.search_limit,
                limits_seen: std::sync::Mutex::default(),
                max_concurrency: self.max_concurrency,
                batch_limits: self.batch_limits,
                gzip: self.gzip,
                max_inflated_body: self.max_inflated_body,
            }),
        })
    }

    #[cfg(feature = "reqwest")]
    fn default_http(&self) -> Result<Arc<dyn HttpClient>, String> {
        let mut builder = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(self.connect_timeout)
            // Shorter than the idle timeouts of common load balancers, so
            // a pooled connection is rarely closed under us.
            .pool_idle_timeout(Duration::from_secs(50));
        // Gzip is inflated above the seam (see `gzip.rs`), the same for every
        // client, even if another crate turns on reqwest's own.
        #[cfg(feature = "gzip")]
        {
            builder = builder.no_gzip();
        }
        match &self.proxy {
            ProxyChoice::Environment => {}
            ProxyChoice::Off => builder = builder.no_proxy(),
            ProxyChoice::Url(url) => {
                let proxy = reqwest::Proxy::all(url.as_str())
                    .map_err(|_| "the proxy URL is not valid".to_owned())?;
                builder = builder.proxy(proxy);
            }
        }
        #[cfg(any(feature = "rustls", feature = "native-tls"))]
        for der in &self.root_certificates {
            let certificate = reqwest::Certificate::from_der(der)
                .map_err(|e| format!("root certificate: {e}"))?;
            builder = builder.add_root_certificate(certificate);
        }
        let client = builder
            .build()
            .map_err(|e| format!("cannot set up the HTTP client: {}", e.without_url()))?;
        Ok(Arc::new(client))
    }

    #[cfg(not(feature = "reqwest"))]
    fn default_http(&self) -> Result<Arc<dyn HttpClient>, String> {
        Err(
            "no HTTP client: enable the `reqwest` feature or pass one with `ClientBuilder::http`"
                .into(),
        )
    }
}

impl Client {
    /// A client with the defaults, authenticated by a private app or OAuth
    /// access token.
    pub fn new(access_token: impl Into<String>) -> Result<Self, Error> {
        Self::builder(access_token).build()
    }

    /// A [`ClientBuilder`] with the defaults, to change settings before building.
    pub fn builder(access_token: impl Into<String>) -> ClientBuilder {
        Self::builder_with(Credentials::Token(access_token.into()))
    }

    /// A [`ClientBuilder`] whose tokens come from `auth`: an
    /// [`OAuth`](super::OAuth) provider (refresh token or client
    /// credentials) or your own [`TokenProvider`].
    pub fn builder_with_auth(auth: impl TokenProvider + 'static) -> ClientBuilder {
        Self::builder_with(Credentials::Provider(Arc::new(auth)))
    }

    fn builder_with(credentials: Credentials) -> ClientBuilder {
        ClientBuilder {
            credentials,
            base_url: DEFAULT_BASE_URL.to_owned(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            rate_limit: Some(DEFAULT_LIMIT),
            search_limit: DEFAULT_SEARCH_LIMIT,
            limiter: None,
            max_limiter_wait: Duration::from_secs(5 * 60),
            daily_limit_pause: Duration::from_secs(5 * 60),
            max_concurrency: 4,
            batch_limits: Vec::new(),
            http: None,
            gzip: true,
            max_inflated_body: DEFAULT_MAX_INFLATED_BODY,
            root_certificates: Vec::new(),
            proxy: ProxyChoice::default(),
        }
    }

    /// The latest `X-HubSpot-RateLimit-*` figures HubSpot sent (each field
    /// from the latest response that carried it), e.g. the daily budget left.
    pub fn rate_limits(&self) -> RateLimitHeaders {
        *self
            .inner
            .limits_seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// Requests left today by `X-HubSpot-RateLimit-Daily-Remaining` (0
    /// after a `DAILY` 429); `None` until HubSpot has said.
    pub fn daily_remaining(&self) -> Option<u64> {
        self.rate_limits().daily_remaining
    }

    /// Inputs per request for a batch operation: the configured override or
    /// the generated default.
    pub(crate) fn batch_limit(&self, operation: &str, default: usize) -> usize {
        self.inner
            .batch_limits
            .iter()
            .find(|(op, _)| op == operation)
            .map_or(default, |(_, limit)| *limit)
    }

    /// Requests a chunked batch call keeps in flight.
    pub(crate) fn max_concurrency(&self) -> usize {
        self.inner.max_concurrency
    }

    /// Sends a request, retrying and rate limiting as configured; `Ok` only
    /// for a 2xx response (for generated code).
    #[doc(hidden)]
    pub async fn execute(&self, request: Request) -> Result<Response, Error> {
        #[cfg(feature = "tracing")]
        {
            use tracing::Instrument;
            let span = tracing::info_span!(
                "hubspot",
                operation = request.operation,
                method = request.method.as_str(),
                path = request.template,
                status = tracing::field::Empty,
                attempts = tracing::field::Empty,
            );
            self.execute_traced(&request).instrument(span).await
        }
        #[cfg(not(feature = "tracing"))]
        self.execute_traced(&request).await
    }

    async fn execute_traced(&self, request: &Request) -> Result<Response, Error> {
        let url = format!(
            "{}{}",
            self.inner.base.origin,
            request.target(&self.inner.base.prefix)?
        );
        // Checked once: the URI parser refuses CR, LF and spaces, so nothing
        // a caller passes can reach the request line as anything but a URL.
        let uri: http::Uri = url
            .parse()
            .map_err(|_| request.invalid("the request path is not a valid URL".into()))?;
        let retry = &self.inner.retry;
        let operation = request.operation;
        let cx = AuthContext::new(&self.inner.http, &self.inner.base_url);
        let auth_error = |source| Error::Auth { operation, source };
        let class = rate_class(request);
        let limiter = self.inner.limiter.as_deref().filter(|_| class.is_some());
        let mut retries = 0;
        let mut reauthorized = false;
        loop {
            // A call waits for a token no longer than for an answer.
            let token = within(self.inner.timeout, self.inner.auth.token(cx))
                .await
                .map_err(auth_error)?;
            let permit = match limiter {
                Some(limiter) => Some(PermitGuard {
                    limiter,
                    permit: Some(
                        self.acquire(limiter, class.unwrap_or(RateClass::Standard), operation)
                            .await?,
                    ),
                }),
                None => None,
            };
            let sent = self.send_once(request, &uri, &token).await;
            // Answered: the permit's slot starts to free now, not after a backoff.
            drop(permit);
            let failure = match sent {
                Ok(response) => {
                    record(response.status, retries + 1);
                    super::meta::capture(response.status, &response.headers);
                    return Ok(response);
                }
                Err(failure) => failure,
            };
            if let Some(status) = failure.error.status() {
                record(status, retries + 1);
            }
            // A 401 is refused before anything is done, so any operation may
            // be sent again, once, with a refreshed token.
            if failure.error.status() == Some(401) && !reauthorized {
                reauthorized = true;
                let rejected = self.inner.auth.refresh_after_rejection(cx, &token);
                let fresh = within(self.inner.timeout, rejected)
                    .await
                    .map_err(auth_error)?;
                if fresh != token {
                    continue;
                }
                return Err(failure.error);
            }
            let Some(retry_after) = failure.retry else {
                return Err(failure.error);
            };
            let backoff = retry.backoff(retries);
            let wait = retry_after.map_or(backoff, |after| after.max(backoff));
            // Whatever the status, a server asking for a longer wait than
            // allowed gets the error now rather than a sleeping caller.
            let too_long = retry_after.is_some_and(|after| after > retry.max_retry_after);
            if retries >= retry.max_retries || too_long {
                return Err(failure.error);
            }
            retries += 1;
            #[cfg(feature = "tracing")]
            tracing::info!(
                attempt = retries,
                wait_ms = wait.as_millis() as u64,
                error = %failure.error,
                "retrying"
            );
            tokio::time::sleep(wait).await;
        }
    }

    /// A permit within `max_limiter_wait`, whatever the limiter does.
    async fn acquire(
        &self,
        limiter: &dyn RateLimiter,
        class: RateClass,
        operation: &'static str,
    ) -> Result<Permit, Error> {
        let bound = self.inner.max_limiter_wait;
        let acquired = tokio::time::timeout(bound, limiter.acquire(class))
            .await
            .unwrap_or_else(|_| {
                Err(LimiterError::new(format!(
                    "no leave to send within {bound:?} (max_limiter_wait)"
                )))
            });
        // A `DAILY` pause: the refusal HubSpot gave, repeated without a round trip.
        acquired.map_err(|source| {
            if source.is_daily_limit() {
                Error::DailyLimitExceeded {
                    operation,
                    body: None,
                    correlation_id: None,
                }
            } else {
                Error::Limiter { operation, source }
            }
        })
    }

    fn http_request(
        &self,
        request: &Request,
        uri: &http::Uri,
        token: &AccessToken,
    ) -> Result<http::Request<Bytes>, Error> {
        let mut builder = http::Request::builder()
            .method(request.method.as_str())
            .uri(uri.clone())
            .header(http::header::AUTHORIZATION, token.header_value().clone())
            .header(http::header::USER_AGENT, USER_AGENT)
            .header(http::header::ACCEPT, "application/json");
        #[cfg(feature = "gzip")]
        if self.inner.gzip {
            builder = builder.header(http::header::ACCEPT_ENCODING, super::gzip::ACCEPT_ENCODING);
        }
        for (name, value) in &request.headers {
            let name = http::HeaderName::try_from(name.as_str());
            let value = http::HeaderValue::try_from(value.as_str());
            let (Ok(name), Ok(value)) = (name, value) else {
                return Err(request.invalid("a header parameter cannot be sent as a header".into()));
            };
            builder = builder.header(name, value);
        }
        let body = match request.body() {
            Some((content_type, bytes)) => {
                let Ok(content_type) = http::HeaderValue::try_from(content_type) else {
                    return Err(
                        request.invalid("the content type cannot be sent as a header".into())
                    );
                };
                builder = builder.header(http::header::CONTENT_TYPE, content_type);
                bytes.clone()
            }
            None => Bytes::new(),
        };
        builder
            .body(body)
            .map_err(|e| request.invalid(format!("the request cannot be built: {e}")))
    }

    async fn send_once(
        &self,
        request: &Request,
        uri: &http::Uri,
        token: &AccessToken,
    ) -> Result<Response, Failure> {
        let operation = request.operation;
        let timeout = self.inner.timeout;
        let safe = request.idempotent;
        let http_request = self
            .http_request(request, uri, token)
            .map_err(Failure::fatal)?;
        let sent = self.inner.http.send(http_request);
        let response = match tokio::time::timeout(timeout, sent).await {
            // The server may be processing it: only a safe operation is sent again.
            Err(_) => {
                return Err(Failure::retry_if(
                    safe,
                    Error::Timeout { operation, timeout },
                ));
            }
            Ok(Err(source)) => {
                let retry = match source.kind() {
                    TransportErrorKind::Connect => true,
                    TransportErrorKind::Timeout | TransportErrorKind::Interrupted => safe,
                    _ => false,
                };
                return Err(Failure::retry_if(
                    retry,
                    Error::Connection { operation, source },
                ));
            }
            Ok(Ok(response)) => response,
        };
        #[cfg_attr(not(feature = "gzip"), allow(unused_mut))]
        let (mut head, mut body) = response.into_parts();
        let status = head.status.as_u16();
        let seen = RateLimitHeaders::from_headers(&head.headers);
        self.inner
            .limits_seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .update(&seen);
        if let Some(limiter) = &self.inner.limiter {
            limiter.observe(rate_class(request).unwrap_or(RateClass::Standard), &seen);
        }
        #[cfg(feature = "gzip")]
        match super::gzip::decode_body(&mut head.headers, body, self.inner.max_inflated_body) {
            Ok(decoded) => body = decoded,
            // A success must come with its body. Damage (cut short, a bad
            // checksum) is like a connection cut after the answer: only a
            // safe operation is sent again. An answer that would be the same
            // again (too large, not gzip) is not retried.
            Err(problem) if (200..300).contains(&status) => {
                let correlation = head
                    .headers
                    .get("x-hubspot-correlation-id")
                    .and_then(|v| v.to_str().ok())
                    .map(|id| format!(", correlation id {id}"))
                    .unwrap_or_default();
                let kind = if problem.transient {
                    TransportErrorKind::Interrupted
                } else {
                    TransportErrorKind::Other
                };
                let source = TransportError::new(
                    kind,
                    format!(
                        "HubSpot answered HTTP {status}{correlation}, but its body does not decode: {problem}"
                    ),
                );
                return Err(Failure::retry_if(
                    safe && problem.transient,
                    Error::Connection { operation, source },
                ));
            }
            // A refusal is told by its status (401, 429, 5xx ...), which
            // decides what happens next; the body is only a note of why it
            // could not be read.
            Err(problem) => {
                body = Bytes::from(format!("(the body does not decode: {problem})"));
            }
        }
        let header = |name: &str| head.headers.get(name).and_then(|v| v.to_str().ok());
        if (200..300).contains(&status) {
            return Ok(Response::from_http(operation, status, head.headers, body));
        }
        let retry_after =
            header("retry-after").and_then(|v| parse_retry_after(v, SystemTime::now()));
        let correlation_id = header("x-hubspot-correlation-id").map(str::to_owned);
        let parsed = ApiErrorBody::parse(&body);
        let correlation_id = correlation_id.or_else(|| parsed.as_ref()?.correlation_id.clone());
        if status == 429 {
            let daily_spent = seen.daily_remaining == Some(0);
            return Err(self.rate_limited(
                request,
                retry_after,
                parsed,
                correlation_id,
                daily_spent,
            ));
        }
        let error = Error::Api {
            operation,
            status,
            body: parsed,
            raw: snippet(&body, 64 * 1024),
            correlation_id,
        };
        // A 5xx may come after the work was done.
        let retry = safe && is_retryable_status(status);
        Err(Failure {
            error,
            retry: retry.then_some(retry_after),
        })
    }

    /// A 429: refused before HubSpot did anything, so any operation may be
    /// sent again, after the wait HubSpot asked for or, without
    /// `Retry-After`, the rest of the window its policy names; the limiter
    /// holds every other call back as long. A `DAILY` 429 is final.
    fn rate_limited(
        &self,
        request: &Request,
        retry_after: Option<Duration>,
        body: Option<Box<ApiErrorBody>>,
        correlation_id: Option<String>,
        daily_spent: bool,
    ) -> Failure {
        let operation = request.operation;
        let policy = body.as_ref().and_then(|b| b.policy_name.as_deref());
        // A body that could not be read cannot name its policy; the daily
        // budget at 0 in this answer's headers says it as well.
        if policy == Some("DAILY") || (body.is_none() && daily_spent) {
            self.inner
                .limits_seen
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .daily_remaining = Some(0);
            if let Some(limiter) = &self.inner.limiter {
                limiter.pause_daily(self.inner.daily_limit_pause);
            }
            return Failure::fatal(Error::DailyLimitExceeded {
                operation,
                body,
                correlation_id,
            });
        }
        let (class, window) = match policy {
            Some(policy) if policy.starts_with("SECONDLY") => {
                (request.rate_class, Duration::from_secs(1))
            }
            None if request.rate_class.uses_search() => {
                (RateClass::SearchOnly, self.inner.search_limit.window)
            }
            // TEN_SECONDLY_ROLLING, or a policy this client does not know.
            _ => {
                // `seen` is already merged into the latest figures.
                let announced = self
                    .inner
                    .limits_seen
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .window();
                let window = announced.unwrap_or(self.inner.limit.window);
                (RateClass::Standard, window)
            }
        };
        // HubSpot's windows roll and we cannot see where this one started:
        // only a whole window is sure to be over.
        let wait = retry_after.unwrap_or(window);
        // A longer `Retry-After` fails this call at once; the others are
        // held back no longer than this call would have waited.
        if let Some(limiter) = &self.inner.limiter {
            limiter.pause(class, wait.min(self.inner.retry.max_retry_after));
        }
        Failure {
            error: Error::RateLimited {
                operation,
                retry_after,
                body,
                correlation_id,
            },
            retry: Some(Some(wait)),
        }
    }
}

/// The budgets a request draws on; `None`: none (exempt from the
/// ten-secondly limit and not a search).
fn rate_class(request: &Request) -> Option<RateClass> {
    match (request.rate_class.uses_search(), request.rate_limit_exempt) {
        (false, true) => None,
        (false, false) => Some(RateClass::Standard),
        (true, false) => Some(RateClass::Search),
        (true, true) => Some(RateClass::SearchOnly),
    }
}

/// Gives a permit back when the attempt ends, however it ends.
struct PermitGuard<'a> {
    limiter: &'a dyn RateLimiter,
    permit: Option<Permit>,
}

impl Drop for PermitGuard<'_> {
    fn drop(&mut self) {
        if let Some(permit) = self.permit.take() {
            self.limiter.release(permit);
        }
    }
}

/// A failed attempt; `retry` is `Some(wait asked for)` when it may be sent again.
struct Failure {
    error: Error,
    retry: Option<Option<Duration>>,
}

impl Failure {
    fn fatal(error: Error) -> Self {
        Self { error, retry: None }
    }

    fn retry_if(retry: bool, error: Error) -> Self {
        Self {
            error,
            retry: retry.then_some(None),
        }
    }
}

/// Puts the status and attempt count on the call's span.
#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
fn record(status: u16, attempts: u32) {
    #[cfg(feature = "tracing")]
    {
        let span = tracing::Span::current();
        span.record("status", status);
        span.record("attempts", attempts);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Built without TLS (`--no-default-features --features reqwest`, as CI
    /// tests it): https:// is refused when the client is built, not on
    /// every call; http:// (a local proxy, a test server) still builds.
    #[cfg(all(
        feature = "reqwest",
        not(any(feature = "rustls", feature = "native-tls"))
    ))]
    #[test]
    fn the_built_in_client_without_tls_refuses_https_at_build() {
        let error = Client::new("token").map(drop).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("enable the `rustls` or `native-tls` feature"),
            "{error}"
        );
        Client::builder("token")
            .base_url("http://127.0.0.1:9")
            .build()
            .expect("plain http builds");
    }

    /// With TLS, or with a client of one's own, https:// builds.
    #[test]
    fn https_builds_with_tls_or_an_own_client() {
        struct Unanswered;
        impl HttpClient for Unanswered {
            fn send(&self, _: http::Request<bytes::Bytes>) -> super::super::http::HttpFuture<'_> {
                Box::pin(std::future::pending())
            }
        }
        let own = Client::builder("token").http(Unanswered).build();
        assert!(own.is_ok());
        #[cfg(all(feature = "reqwest", any(feature = "rustls", feature = "native-tls")))]
        Client::new("token").expect("the default client builds with TLS");
    }
}
