//! reqwest as the default [`HttpClient`]: HTTP/1.1 and HTTP/2, connection
//! pooling, gzip, proxies from the environment, rustls or native TLS, and
//! happy-eyeballs IPv6/IPv4 fallback, all maintained upstream.

use bytes::Bytes;

use super::http::{HttpClient, HttpFuture, TransportError, TransportErrorKind};

/// Largest response body read into memory (a 1,000-input batch read with
/// every association is a few MB; this bound only stops a runaway server).
const MAX_BODY: usize = 256 * 1024 * 1024;

impl HttpClient for reqwest::Client {
    fn send(&self, request: http::Request<Bytes>) -> HttpFuture<'_> {
        Box::pin(async move {
            let request = reqwest::Request::try_from(request).map_err(classify)?;
            let response = self.execute(request).await.map_err(classify)?;
            read_response(response).await
        })
    }
}

#[cfg(feature = "reqwest-middleware")]
impl HttpClient for reqwest_middleware::ClientWithMiddleware {
    fn send(&self, request: http::Request<Bytes>) -> HttpFuture<'_> {
        Box::pin(async move {
            let request = reqwest::Request::try_from(request).map_err(classify)?;
            let response = self.execute(request).await.map_err(|e| match e {
                reqwest_middleware::Error::Reqwest(e) => classify(e),
                // A middleware's own failure: nothing says the request left.
                reqwest_middleware::Error::Middleware(e) => TransportError::new(
                    TransportErrorKind::Interrupted,
                    format!("middleware: {e:#}"),
                ),
            })?;
            read_response(response).await
        })
    }
}

async fn read_response(
    mut response: reqwest::Response,
) -> Result<http::Response<Bytes>, TransportError> {
    let too_large = || {
        TransportError::new(
            TransportErrorKind::Other,
            format!("response body larger than {MAX_BODY} bytes"),
        )
    };
    if response
        .content_length()
        .is_some_and(|n| n > MAX_BODY as u64)
    {
        return Err(too_large());
    }
    // One allocation of the announced size instead of doublings, bounded:
    // the header is the server's word, not yet the body.
    let announced = response.content_length().unwrap_or(0).min(8 << 20) as usize;
    let mut body = bytes::BytesMut::with_capacity(announced);
    let status = response.status().as_u16();
    let correlation = response
        .headers()
        .get("x-hubspot-correlation-id")
        .and_then(|v| v.to_str().ok())
        .map(|id| format!(", correlation id {id}"))
        .unwrap_or_default();
    let cut = |error: reqwest::Error| {
        let error = classify(error);
        let message = format!(
            "HubSpot answered HTTP {status}{correlation}, then the body broke off ({})",
            error.message()
        );
        TransportError::new(error.kind(), message)
    };
    let mut head = http::Response::builder().status(response.status());
    if let Some(headers) = head.headers_mut() {
        *headers = std::mem::take(response.headers_mut());
    }
    while let Some(chunk) = response.chunk().await.map_err(cut)? {
        if body.len() + chunk.len() > MAX_BODY {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    head.body(body.freeze())
        .map_err(|e| TransportError::with_source(TransportErrorKind::Other, e))
}

/// Sorts a reqwest error by how far the request got; the URL is dropped
/// from it, since a base URL or proxy may carry credentials.
pub(crate) fn classify(error: reqwest::Error) -> TransportError {
    let kind = if error.is_builder() {
        TransportErrorKind::Other
    } else if error.is_connect() {
        TransportErrorKind::Connect
    } else if error.is_timeout() {
        TransportErrorKind::Timeout
    } else {
        TransportErrorKind::Interrupted
    };
    TransportError::with_source(kind, error.without_url())
}
