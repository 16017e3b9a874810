//! The HTTP status and headers of a successful call, next to its typed
//! body: [`with_response`] wraps any operation's future, so no operation
//! needs a second generated method.

use std::cell::RefCell;
use std::future::Future;

use super::error::Error;

tokio::task_local! {
    static CAPTURED: RefCell<Option<(u16, http::HeaderMap)>>;
}

/// A typed body with the HTTP response it came in.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct WithResponse<T> {
    /// The HTTP status (for a chunked batch call: of the last response received).
    pub status: u16,
    /// The response headers (for a chunked batch call: of the last response received).
    pub headers: http::HeaderMap,
    /// The decoded body, as the operation returns it.
    pub body: T,
}

impl<T> WithResponse<T> {
    /// A header's value, if present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// `X-HubSpot-Correlation-Id`: quote it to HubSpot support.
    pub fn correlation_id(&self) -> Option<&str> {
        self.header("x-hubspot-correlation-id")
    }

    /// An `X-HubSpot-RateLimit-*` header as a number, e.g.
    /// `rate_limit("remaining")` or `rate_limit("daily-remaining")`.
    pub fn rate_limit(&self, which: &str) -> Option<u64> {
        self.header(&format!("x-hubspot-ratelimit-{which}"))?
            .trim()
            .parse()
            .ok()
    }

    /// The body alone.
    pub fn into_body(self) -> T {
        self.body
    }
}

/// Runs one operation call and returns its result with the status and
/// headers of the response it was decoded from:
///
/// ```ignore
/// let labels = with_response(api.list_labels("contacts", "companies")).await?;
/// println!("{:?} {:?}", labels.correlation_id(), labels.rate_limit("remaining"));
/// ```
///
/// Errors carry the correlation id themselves ([`Error::correlation_id`]).
pub async fn with_response<T, F>(call: F) -> Result<WithResponse<T>, Error>
where
    F: Future<Output = Result<T, Error>>,
{
    CAPTURED
        .scope(RefCell::new(None), async move {
            let body = call.await?;
            let (status, headers) = CAPTURED
                .with(|captured| captured.borrow_mut().take())
                .unwrap_or_default();
            Ok(WithResponse {
                status,
                headers,
                body,
            })
        })
        .await
}

/// Called by the client for each successful response; a no-op outside
/// [`with_response`].
pub(crate) fn capture(status: u16, headers: &http::HeaderMap) {
    let _ = CAPTURED.try_with(|captured| {
        *captured.borrow_mut() = Some((status, headers.clone()));
    });
}
