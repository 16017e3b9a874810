//! reqwest as the default [`HttpClient`]: HTTP/1.1 and HTTP/2, connection
//! pooling, proxies from the environment, rustls or native TLS, and
//! happy-eyeballs IPv6/IPv4 fallback, all maintained upstream.

use bytes::Bytes;

use super::http::{HttpClient, HttpFuture, MAX_BODY, TransportError, TransportErrorKind};

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
    // The body is copied once into a buffer of its final size, never grown
    // by doublings: growing a 1.5 MB buffer copies it again and again and
    // leaves freed blocks behind that make glibc trim and refault the heap
    // on the next call (BENCHMARKS.md, 4b). With a length announced (bounded:
    // the header is the server's word, not yet the body) that is one
    // allocation up front; without one (chunked) the chunks are held
    // until the end, as reqwest's own `bytes()` does.
    let announced = response.content_length().map(|n| n.min(8 << 20) as usize);
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
    let body = match announced {
        Some(length) => {
            let mut body = bytes::BytesMut::with_capacity(length);
            while let Some(chunk) = response.chunk().await.map_err(cut)? {
                if body.len() + chunk.len() > MAX_BODY {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            body.freeze()
        }
        None => {
            let mut chunks = Vec::new();
            let mut length = 0;
            while let Some(chunk) = response.chunk().await.map_err(cut)? {
                length += chunk.len();
                if length > MAX_BODY {
                    return Err(too_large());
                }
                chunks.push(chunk);
            }
            join(chunks, length)
        }
    };
    head.body(body)
        .map_err(|e| TransportError::with_source(TransportErrorKind::Other, e))
}

/// The chunks as one buffer: the only chunk as it is, several copied once.
fn join(mut chunks: Vec<Bytes>, length: usize) -> Bytes {
    if chunks.len() <= 1 {
        return chunks.pop().unwrap_or_default();
    }
    let mut body = bytes::BytesMut::with_capacity(length);
    for chunk in chunks {
        body.extend_from_slice(&chunk);
    }
    body.freeze()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_are_joined_in_order_into_one_buffer_of_their_length() {
        assert_eq!(join(Vec::new(), 0), Bytes::new());
        let only = Bytes::from_static(b"only");
        assert_eq!(
            join(vec![only.clone()], 4).as_ptr(),
            only.as_ptr(),
            "not copied"
        );
        let joined = join(
            vec![
                Bytes::from_static(b"ab"),
                Bytes::new(),
                Bytes::from_static(b"cde"),
            ],
            5,
        );
        assert_eq!(joined, Bytes::from_static(b"abcde"));
    }
}
