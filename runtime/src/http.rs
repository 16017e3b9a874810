//! The seam between the client and whatever speaks HTTP: one request in
//! (method, URL, headers, body bytes), one response out (status, headers,
//! body bytes). Retries, rate limiting, auth, batch chunking and paging live
//! above it, so a user can bring their own HTTP stack (or a test double)
//! without losing any of them. reqwest is the default implementation
//! (`reqwest` feature, see `reqwest_backend.rs`).

use std::future::Future;
use std::pin::Pin;

use bytes::Bytes;

/// Largest response body the built-in reqwest client reads into memory (a
/// 1,000-input batch read with every association is a few MB; this bound
/// only stops a runaway server). Inflated bodies have their own bound,
/// `ClientBuilder::max_inflated_body`.
#[cfg(feature = "reqwest")]
pub(crate) const MAX_BODY: usize = 256 * 1024 * 1024;

/// The future an [`HttpClient`] returns.
pub type HttpFuture<'a> =
    Pin<Box<dyn Future<Output = Result<http::Response<Bytes>, TransportError>> + Send + 'a>>;

/// Sends one HTTP request and reads the whole response body.
///
/// Implementations must classify their failures with [`TransportErrorKind`]
/// truthfully: the client retries a request that is not safe to repeat (a
/// creating `POST`) only when its error says the request never left.
pub trait HttpClient: Send + Sync {
    /// Sends `request` (absolute URL in its URI) and returns the response
    /// with its body fully read.
    fn send(&self, request: http::Request<Bytes>) -> HttpFuture<'_>;
}

impl<T: HttpClient + ?Sized> HttpClient for std::sync::Arc<T> {
    fn send(&self, request: http::Request<Bytes>) -> HttpFuture<'_> {
        (**self).send(request)
    }
}

/// How far a failed request got, which decides whether it may be sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The request provably never left: DNS, a refused connection, the TLS
    /// handshake, a proxy refusing the tunnel. Safe to retry for any operation.
    Connect,
    /// The HTTP stack's own timeout ran out; the server may have processed it.
    Timeout,
    /// The connection broke after the request may have been sent, or the
    /// response was malformed or cut short; the server may have processed it.
    Interrupted,
    /// The request could not be sent as built (bad URL or header), or the
    /// response was refused (too large). Retrying cannot help.
    Other,
}

/// Why an HTTP exchange got no complete response. Its text never holds the
/// URL (which could carry credentials) or any header.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TransportError {
    /// An error of `kind` with a message (no URL or credentials in it).
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// An error of `kind` caused by `source`; the message is `source`'s
    /// chain of causes, so make sure it holds no URL or credentials.
    pub fn with_source(
        kind: TransportErrorKind,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        let mut message = source.to_string();
        let mut cause = source.source();
        while let Some(c) = cause {
            let text = c.to_string();
            if !message.contains(&text) {
                message.push_str(": ");
                message.push_str(&text);
            }
            cause = c.source();
        }
        Self {
            kind,
            message,
            source: Some(Box::new(source)),
        }
    }

    /// What went wrong, without the kind's prefix.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// How far the request got.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The request never left, so sending it again cannot duplicate anything.
    pub fn never_sent(&self) -> bool {
        self.kind == TransportErrorKind::Connect
    }
}

impl std::fmt::Display for TransportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.kind {
            TransportErrorKind::Connect => "could not connect",
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Interrupted => "connection broke",
            TransportErrorKind::Other => "request failed",
        };
        write!(f, "{what}: {}", self.message)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}
