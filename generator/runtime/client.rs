//! The client: configuration, and the one place requests are sent.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::error::{ApiErrorBody, Error, snippet};
use super::http1::{valid_header_name, valid_header_value};
use super::limiter::RateLimiter;
use super::proxy::ProxyChoice;
use super::request::{Request, Response};
use super::retry::{RetryPolicy, is_retryable_status, parse_retry_after};
use super::transport::{Transport, TransportError};

/// `User-Agent` of every request.
const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// HubSpot's public API host.
pub const DEFAULT_BASE_URL: &str = "https://api.hubapi.com";

/// A HubSpot client. Cheap to clone; clones share the connection pool and
/// the rate limiter.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: Transport,
    base_url: String,
    authorization: String,
    timeout: Duration,
    retry: RetryPolicy,
    limiter: Option<RateLimiter>,
    max_concurrency: usize,
    batch_limits: Vec<(String, usize)>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the token.
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`].
pub struct ClientBuilder {
    token: String,
    base_url: String,
    timeout: Duration,
    retry: RetryPolicy,
    rate_limit: Option<(u32, Duration)>,
    max_concurrency: usize,
    batch_limits: Vec<(String, usize)>,
    root_certificates: Vec<Vec<u8>>,
    proxy: ProxyChoice,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Where requests go (default `https://api.hubapi.com`).
    #[must_use]
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Per-request timeout, including reading the body (default 30 s).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
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

    /// At most `requests` per `window` (default 100 per 10 s, HubSpot's
    /// published ten-secondly limit for private apps).
    #[must_use]
    pub fn rate_limit(mut self, requests: u32, window: Duration) -> Self {
        self.rate_limit = Some((requests, window));
        self
    }

    /// Turns the client-side limiter off.
    #[must_use]
    pub fn no_rate_limit(mut self) -> Self {
        self.rate_limit = None;
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

    /// Also trusts this root certificate (DER), e.g. a company proxy's;
    /// Mozilla's roots (webpki-roots) are always trusted.
    #[must_use]
    pub fn add_root_certificate(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.root_certificates.push(der.into());
        self
    }

    /// Connects through this HTTP proxy (`http://[user:password@]host:port`),
    /// whatever the environment says. HTTPS goes through a `CONNECT` tunnel.
    /// By default the proxy comes from `HTTPS_PROXY` (or `HTTP_PROXY` for an
    /// `http://` base URL), `ALL_PROXY` and `NO_PROXY`, as with curl; a
    /// loopback base URL is never proxied.
    #[must_use]
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = ProxyChoice::Url(url.into());
        self
    }

    /// Connects directly, whatever the environment says.
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
        let authorization = format!("Bearer {}", self.token);
        if !valid_header_value(&authorization) {
            return Err(invalid(
                "the access token contains characters not allowed in a header".into(),
            ));
        }
        let http = Transport::new(&self.base_url, &self.root_certificates, &self.proxy)
            .map_err(invalid)?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url: self.base_url.trim_end_matches('/').to_owned(),
                authorization,
                timeout: self.timeout,
                retry: self.retry,
                limiter: self
                    .rate_limit
                    .map(|(n, window)| RateLimiter::new(n, window)),
                max_concurrency: self.max_concurrency,
                batch_limits: self.batch_limits,
            }),
        })
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
        ClientBuilder {
            token: access_token.into(),
            base_url: DEFAULT_BASE_URL.to_owned(),
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            rate_limit: Some((100, Duration::from_secs(10))),
            max_concurrency: 4,
            batch_limits: Vec::new(),
            root_certificates: Vec::new(),
            proxy: ProxyChoice::default(),
        }
    }

    /// Inputs per request for a batch operation: the configured override or
    /// the generated default.
    pub fn batch_limit(&self, operation: &str, default: usize) -> usize {
        self.inner
            .batch_limits
            .iter()
            .find(|(op, _)| op == operation)
            .map_or(default, |(_, limit)| *limit)
    }

    /// Requests a chunked batch call keeps in flight.
    pub fn max_concurrency(&self) -> usize {
        self.inner.max_concurrency
    }

    /// Sends a request, retrying and rate limiting as configured; `Ok` only
    /// for a 2xx response.
    pub async fn execute(&self, request: Request) -> Result<Response, Error> {
        let target = request.target(&self.inner.http.origin().prefix)?;
        let retry = &self.inner.retry;
        let mut retries = 0;
        loop {
            if let Some(limiter) = self
                .inner
                .limiter
                .as_ref()
                .filter(|_| !request.rate_limit_exempt)
            {
                limiter.acquire().await;
            }
            let (error, retry_after) = match self.send_once(&request, &target).await {
                Ok(response) => return Ok(response),
                Err(Attempt::Final(error)) => return Err(error),
                Err(Attempt::Retryable { error, retry_after }) => (error, retry_after),
            };
            let backoff = retry.backoff(retries);
            let wait = retry_after.map_or(backoff, |after| after.max(backoff));
            // Whatever the status, a server asking for a longer wait than
            // allowed gets the error now rather than a sleeping caller.
            let too_long = retry_after.is_some_and(|after| after > retry.max_retry_after);
            if retries >= retry.max_retries || too_long {
                return Err(error);
            }
            retries += 1;
            tokio::time::sleep(wait).await;
        }
    }

    async fn send_once(&self, request: &Request, target: &str) -> Result<Response, Attempt> {
        let operation = request.operation;
        let timeout = self.inner.timeout;
        let mut headers: Vec<(&str, &str)> = Vec::with_capacity(request.headers.len() + 3);
        headers.push(("authorization", &self.inner.authorization));
        headers.push(("user-agent", USER_AGENT));
        headers.push(("accept", "application/json"));
        for (name, value) in &request.headers {
            // The framing headers are the transport's; a parameter cannot set them.
            let reserved = ["host", "content-length", "transfer-encoding", "connection"]
                .iter()
                .any(|r| name.eq_ignore_ascii_case(r));
            if reserved || !valid_header_name(name) || !valid_header_value(value) {
                return Err(Attempt::Final(request.invalid(format!(
                    "header {name:?} cannot carry the value {value:?}"
                ))));
            }
            headers.push((name, value));
        }
        let body = request
            .body()
            .map(|(content_type, bytes)| (content_type, bytes.as_ref()));
        if let Some((content_type, _)) = body.filter(|(ct, _)| !valid_header_value(ct)) {
            return Err(Attempt::Final(request.invalid(format!(
                "content type {content_type:?} cannot be sent as a header"
            ))));
        }
        let sent = self
            .inner
            .http
            .send(request.method.as_str(), target, &headers, body);
        let response = match tokio::time::timeout(timeout, sent).await {
            Err(_) => return Err(Attempt::Final(Error::Timeout { operation, timeout })),
            // A proxy that refuses the tunnel will refuse it again.
            Ok(Err(source @ TransportError::Proxy(_))) => {
                return Err(Attempt::Final(Error::Connection { operation, source }));
            }
            // Refused, reset or cut-off connections are worth another try.
            Ok(Err(source)) => {
                return Err(Attempt::Retryable {
                    error: Error::Connection { operation, source },
                    retry_after: None,
                });
            }
            Ok(Ok(response)) => response,
        };
        let status = response.head.status;
        if let Some(limiter) = &self.inner.limiter {
            limiter.observe(|name| response.head.header(name));
        }
        let retry_after = response
            .head
            .header("retry-after")
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        let body = bytes::Bytes::from(response.body);
        if (200..300).contains(&status) {
            return Ok(Response {
                operation,
                status,
                body,
            });
        }
        let parsed = ApiErrorBody::parse(&body);
        let error = if status == 429 {
            Error::RateLimited {
                operation,
                retry_after,
                body: parsed,
            }
        } else {
            Error::Api {
                operation,
                status,
                body: parsed,
                raw: snippet(&body, 64 * 1024),
            }
        };
        if is_retryable_status(status) {
            Err(Attempt::Retryable { error, retry_after })
        } else {
            Err(Attempt::Final(error))
        }
    }
}

enum Attempt {
    Final(Error),
    Retryable {
        error: Error,
        retry_after: Option<Duration>,
    },
}
