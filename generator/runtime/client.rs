//! The client: configuration, and the one place requests are sent.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue, RETRY_AFTER};

use super::error::{ApiErrorBody, Error, snippet};
use super::limiter::RateLimiter;
use super::request::{Request, Response};
use super::retry::{RetryPolicy, is_retryable_status, parse_retry_after};

/// HubSpot's public API host.
pub const DEFAULT_BASE_URL: &str = "https://api.hubapi.com";

/// A HubSpot client. Cheap to clone; clones share the connection pool and
/// the rate limiter.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    authorization: HeaderValue,
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
    http: Option<reqwest::Client>,
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

    /// Uses your own `reqwest::Client` (proxies, TLS roots, ...).
    #[must_use]
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Creates the client; fails on an invalid token, base URL or HTTP client setup.
    pub fn build(self) -> Result<Client, Error> {
        let invalid = |message: String| Error::InvalidInput {
            operation: "build client",
            message,
        };
        let mut authorization =
            HeaderValue::from_str(&format!("Bearer {}", self.token)).map_err(|_| {
                invalid("the access token contains characters not allowed in a header".into())
            })?;
        authorization.set_sensitive(true);
        reqwest::Url::parse(&self.base_url)
            .map_err(|e| invalid(format!("base URL {:?}: {e}", self.base_url)))?;
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .build()
                .map_err(|source| Error::Connection {
                    operation: "build client",
                    source,
                })?,
        };
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
            http: None,
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
        let url = request.url(&self.inner.base_url)?;
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
            let (error, wait) = match self.send_once(&request, url.clone()).await {
                Ok(response) => return Ok(response),
                Err(Attempt::Final(error)) => return Err(error),
                Err(Attempt::Retryable { error, retry_after }) => {
                    let backoff = retry.backoff(retries);
                    (
                        error,
                        retry_after.map_or(backoff, |after| after.max(backoff)),
                    )
                }
            };
            let too_long = matches!(&error, Error::RateLimited { retry_after: Some(after), .. } if *after > retry.max_retry_after);
            if retries >= retry.max_retries || too_long {
                return Err(error);
            }
            retries += 1;
            tokio::time::sleep(wait).await;
        }
    }

    async fn send_once(&self, request: &Request, url: reqwest::Url) -> Result<Response, Attempt> {
        let operation = request.operation;
        let timeout = self.inner.timeout;
        let mut builder = self
            .inner
            .http
            .request(request.method.clone(), url)
            .header(AUTHORIZATION, self.inner.authorization.clone())
            .timeout(timeout);
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        if let Some((content_type, bytes)) = request.body() {
            builder = builder
                .header(CONTENT_TYPE, content_type)
                .body(bytes.clone());
        }
        let transport = |source: reqwest::Error| {
            if source.is_timeout() {
                Attempt::Final(Error::Timeout { operation, timeout })
            } else if source.is_builder() {
                Attempt::Final(Error::InvalidInput {
                    operation,
                    message: source.to_string(),
                })
            } else {
                // Refused or reset connections are worth another try.
                Attempt::Retryable {
                    error: Error::Connection { operation, source },
                    retry_after: None,
                }
            }
        };
        let response = builder.send().await.map_err(transport)?;
        let status = response.status().as_u16();
        if let Some(limiter) = &self.inner.limiter {
            limiter.observe(response.headers());
        }
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        let body = response.bytes().await.map_err(transport)?;
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
