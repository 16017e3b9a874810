//! The one error type of the client. Every variant names the operation; none
//! carries the access token (it only ever travels in a header we never print).

use std::ops::Range;
use std::time::Duration;

/// Why a call failed. Match on the variant; `Display` is one sentence.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// HubSpot answered with an error status (after any retries).
    Api {
        /// The operation (generated method name) that failed.
        operation: &'static str,
        /// The HTTP status code HubSpot answered with.
        status: u16,
        /// The decoded error body, when it was HubSpot's JSON error shape.
        body: Option<Box<ApiErrorBody>>,
        /// The body as received (bounded to 64 KiB).
        raw: String,
        /// `X-HubSpot-Correlation-Id` (or the body's `correlationId`): quote it to HubSpot support.
        correlation_id: Option<String>,
    },
    /// HTTP 429 and retrying would not help in time (or retries ran out).
    RateLimited {
        /// The operation (generated method name) that failed.
        operation: &'static str,
        /// The wait HubSpot asked for in `Retry-After`.
        retry_after: Option<Duration>,
        /// The decoded error body, when it was HubSpot's JSON error shape.
        body: Option<Box<ApiErrorBody>>,
        /// `X-HubSpot-Correlation-Id` (or the body's `correlationId`).
        correlation_id: Option<String>,
    },
    /// No complete response within the configured timeout.
    Timeout {
        /// The operation (generated method name) that failed.
        operation: &'static str,
        /// The configured per-request timeout that ran out.
        timeout: Duration,
    },
    /// The request did not reach HubSpot, or the connection broke.
    Connection {
        /// The operation (generated method name) that failed.
        operation: &'static str,
        /// The underlying transport error.
        source: super::http::TransportError,
    },
    /// The response body is not what the document says.
    Decode {
        /// The operation (generated method name) that failed.
        operation: &'static str,
        /// The HTTP status of the response that could not be decoded.
        status: u16,
        /// Where in the JSON decoding failed, e.g. `results[3].to[0].toObjectId`.
        path: String,
        /// What the decoder found wrong.
        message: String,
        /// The start of the body, bounded.
        snippet: String,
        /// `X-HubSpot-Correlation-Id` of the response.
        correlation_id: Option<String>,
    },
    /// No access token: the OAuth refresh failed (e.g. the refresh token
    /// was revoked, [`AuthError::Refused`](super::auth::AuthError::Refused)).
    Auth {
        /// The operation (generated method name) that needed the token.
        operation: &'static str,
        /// Why there is no token.
        source: super::auth::AuthError,
    },
    /// HubSpot's daily limit is spent (a 429 with policy `DAILY`); it
    /// resets at midnight in the account's time zone, so nothing is retried.
    DailyLimitExceeded {
        /// The operation (generated method name) that failed.
        operation: &'static str,
        /// The decoded error body.
        body: Option<Box<ApiErrorBody>>,
        /// `X-HubSpot-Correlation-Id` (or the body's `correlationId`).
        correlation_id: Option<String>,
    },
    /// The rate limiter could not hand out a permit (e.g. its Redis is down).
    Limiter {
        /// The operation (generated method name) that waited.
        operation: &'static str,
        /// The limiter's error.
        source: super::limiter::LimiterError,
    },
    /// The call's own arguments cannot be sent (e.g. a path parameter of `..`).
    InvalidInput {
        /// The operation (generated method name) that failed.
        operation: &'static str,
        /// What is wrong with the input.
        message: String,
    },
    /// A batch call the client split into chunks, where a chunk failed and
    /// the operation's answer has nowhere to say so (no body, or no `errors`
    /// list), or every chunk failed. The client's report, not HubSpot's:
    /// `done` inputs were carried out; a `failed` chunk's inputs were not,
    /// unless [`ChunkFailure::outcome_unknown`] (a timeout, a lost answer, a
    /// 5xx): then HubSpot may have carried them out, and the message says so.
    Batch {
        /// The operation (generated method name) that failed.
        operation: &'static str,
        /// How many requests the call was split into.
        chunks: usize,
        /// How many inputs the call carried.
        inputs: usize,
        /// Positions (in the call's `inputs`) of the inputs HubSpot accepted,
        /// one range per successful chunk, in order.
        done: Vec<Range<usize>>,
        /// The chunks that failed, in order.
        failed: Vec<ChunkFailure>,
    },
}

/// One chunk of a split batch call that failed (after any retries).
#[derive(Debug)]
#[non_exhaustive]
pub struct ChunkFailure {
    /// The chunk's number, from 1.
    pub chunk: usize,
    /// Positions of its inputs in the call's `inputs`.
    pub inputs: Range<usize>,
    /// Why it failed.
    pub error: Box<Error>,
}

impl ChunkFailure {
    /// HubSpot may have carried out some of this chunk's inputs: the
    /// request left and no clear refusal came back (see
    /// [`Error::may_have_been_processed`]). Check before sending them again.
    pub fn outcome_unknown(&self) -> bool {
        self.error.may_have_been_processed()
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Api {
                operation,
                status,
                body,
                raw,
                ..
            } => write!(
                f,
                "HubSpot answered HTTP {status} to `{operation}`: {}",
                describe(body.as_deref(), raw)
            ),
            Error::RateLimited {
                operation,
                retry_after,
                ..
            } => {
                write!(f, "HubSpot rate-limited `{operation}`")?;
                match retry_after {
                    Some(wait) => write!(f, "; it asked to wait {:.1} s", wait.as_secs_f64()),
                    None => Ok(()),
                }
            }
            // As for a lost connection: a request that timed out may have
            // been carried out, and a reader must not resend a write on it.
            Error::Timeout { operation, timeout } => write!(
                f,
                "`{operation}` timed out after {:.1} s (HubSpot may have carried it out)",
                timeout.as_secs_f64()
            ),
            Error::Connection { operation, source } if source.never_sent() => {
                write!(f, "could not reach HubSpot for `{operation}`: {source}")
            }
            // A complete answer the client refused (a 2xx over the gzip
            // cap, a request that could not be built): not "no answer".
            Error::Connection { operation, source }
                if source.kind() == super::http::TransportErrorKind::Other =>
            {
                write!(
                    f,
                    "`{operation}` got no usable answer (HubSpot may have carried it out): {source}"
                )
            }
            // Past this point HubSpot may have carried the request out: say
            // so, so nobody resends a write on the strength of this message.
            Error::Connection { operation, source } => write!(
                f,
                "`{operation}` was sent but no complete answer came back (HubSpot may have carried it out): {source}"
            ),
            Error::Decode {
                operation,
                status,
                path,
                message,
                snippet,
                ..
            } => write!(
                f,
                "could not decode HTTP {status} response to `{operation}` at `{path}`: {message} (body starts: {snippet:?})"
            ),
            Error::InvalidInput { operation, message } => {
                write!(f, "invalid input to `{operation}`: {message}")
            }
            Error::Batch {
                operation,
                chunks,
                inputs,
                done,
                failed,
            } => {
                write!(f, "`{operation}` was split into {chunks} requests: ")?;
                for (i, failure) in failed.iter().enumerate() {
                    let separator = if i == 0 { "" } else { "; " };
                    let outcome = if failure.outcome_unknown() {
                        "outcome unknown: HubSpot may have carried them out"
                    } else {
                        "not done"
                    };
                    write!(
                        f,
                        "{separator}chunk {} of {chunks} failed (inputs {}, {outcome}): {}",
                        failure.chunk,
                        ranges(std::slice::from_ref(&failure.inputs)),
                        failure.error
                    )?;
                }
                match done.as_slice() {
                    [] => write!(f, "; none of the {inputs} inputs were done"),
                    done => write!(f, "; inputs {} of {inputs} were done", ranges(done)),
                }
            }
            Error::Auth { operation, source } => {
                write!(f, "no access token for `{operation}`: {source}")
            }
            Error::DailyLimitExceeded { operation, .. } => write!(
                f,
                "HubSpot's daily request limit is spent; `{operation}` was refused"
            ),
            Error::Limiter { operation, source } => {
                write!(f, "the rate limiter failed for `{operation}`: {source}")
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Connection { source, .. } => Some(source),
            Error::Auth { source, .. } => Some(source),
            Error::Limiter { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl Error {
    /// HTTP status of the failed response, where there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } | Error::Decode { status, .. } => Some(*status),
            Error::RateLimited { .. } | Error::DailyLimitExceeded { .. } => Some(429),
            _ => None,
        }
    }

    /// The request left and no clear refusal came back, so HubSpot may have
    /// carried it out (in part): a timeout, a connection lost after sending,
    /// a 5xx, a 2xx whose body could not be read, a partly failed batch.
    /// `false` means it was refused or never sent (4xx, 429, invalid input,
    /// no connection).
    pub fn may_have_been_processed(&self) -> bool {
        match self {
            Error::Timeout { .. } | Error::Decode { .. } => true,
            // Only what was done or may have been: a batch whose failed
            // chunks were all refused (4xx, 429, never sent) and nothing
            // done was not carried out at all.
            Error::Batch { done, failed, .. } => {
                !done.is_empty() || failed.iter().any(ChunkFailure::outcome_unknown)
            }
            Error::Connection { source, .. } => !source.never_sent(),
            Error::Api { status, .. } => *status >= 500,
            _ => false,
        }
    }

    /// `X-HubSpot-Correlation-Id` of the response (or its body's
    /// `correlationId`), where HubSpot sent one: quote it to HubSpot support.
    pub fn correlation_id(&self) -> Option<&str> {
        match self {
            Error::Api { correlation_id, .. }
            | Error::RateLimited { correlation_id, .. }
            | Error::DailyLimitExceeded { correlation_id, .. }
            | Error::Decode { correlation_id, .. } => correlation_id.as_deref(),
            _ => None,
        }
    }

    /// HubSpot's decoded error body, where there was one.
    pub fn api_body(&self) -> Option<&ApiErrorBody> {
        match self {
            Error::Api { body, .. }
            | Error::RateLimited { body, .. }
            | Error::DailyLimitExceeded { body, .. } => body.as_deref(),
            _ => None,
        }
    }
}

/// `0..100, 200..250`, half-open like Rust's ranges.
fn ranges(ranges: &[Range<usize>]) -> String {
    let parts: Vec<String> = ranges
        .iter()
        .map(|r| format!("{}..{}", r.start, r.end))
        .collect();
    parts.join(", ")
}

fn describe(body: Option<&ApiErrorBody>, raw: &str) -> String {
    match body {
        Some(body) => {
            let mut text = body
                .message
                .clone()
                .unwrap_or_else(|| "no message".to_owned());
            if let Some(category) = &body.category {
                text.push_str(&format!(" ({category})"));
            }
            if let Some(id) = &body.correlation_id {
                text.push_str(&format!(" [correlationId {id}]"));
            }
            text
        }
        None if raw.trim().is_empty() => "empty body".to_owned(),
        None => format!("{:?}", snippet(raw.as_bytes(), 200)),
    }
}

/// At most `max` bytes of `body` as text, cut on a character boundary.
pub(crate) fn snippet(body: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(max)]);
    let mut text = text.into_owned();
    if body.len() > max {
        text.push('…');
    }
    text
}

/// HubSpot's error body. Decoded leniently: real responses omit fields the
/// document marks required, so every field is optional.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ApiErrorBody {
    /// Overall status, usually `"error"`.
    pub status: Option<String>,
    /// HubSpot's error category, e.g. `VALIDATION_ERROR`.
    pub category: Option<String>,
    /// Finer-grained category, as HubSpot sent it.
    pub sub_category: Option<serde_json::Value>,
    /// Human-readable description of the error.
    pub message: Option<String>,
    /// ID to quote to HubSpot support for this request.
    pub correlation_id: Option<String>,
    /// Individual problems, e.g. one per invalid field.
    pub errors: Vec<ApiErrorDetail>,
    /// Extra details keyed by name, as HubSpot sent them.
    pub context: Option<serde_json::Value>,
    /// Related links (e.g. documentation), as HubSpot sent them.
    pub links: Option<serde_json::Value>,
    /// On a 429: the limit that was hit, e.g. `TEN_SECONDLY_ROLLING`.
    pub policy_name: Option<String>,
    /// On a 429: the group the limit is counted for (app and account).
    pub group_name: Option<String>,
    /// On a 429: `RATE_LIMIT`.
    pub error_type: Option<String>,
}

/// One entry of [`ApiErrorBody::errors`].
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ApiErrorDetail {
    /// Human-readable description of this problem.
    pub message: Option<String>,
    /// Machine-readable error code.
    pub code: Option<String>,
    /// The field or parameter the problem was found in (JSON key `in`).
    pub in_: Option<String>,
    /// Finer-grained category, as HubSpot sent it.
    pub sub_category: Option<serde_json::Value>,
    /// Extra details keyed by name, as HubSpot sent them.
    pub context: Option<serde_json::Value>,
}

impl ApiErrorBody {
    /// Decodes a body if it is a JSON object; anything else is `None`.
    pub(crate) fn parse(body: &[u8]) -> Option<Box<Self>> {
        // The models' decoder only takes an object. It refuses a key given
        // twice, which a `Value` merges (the last wins): then decode that.
        match serde_json::from_slice(body) {
            Ok(parsed) => Some(Box::new(parsed)),
            Err(_) => {
                let value: serde_json::Value = serde_json::from_slice(body).ok()?;
                if !value.is_object() {
                    return None;
                }
                crate::runtime::__private::decode_value(value)
                    .ok()
                    .map(Box::new)
            }
        }
    }
}

// Like the generated models (see `codec.rs`); every field is lenient:
// missing or `null` decodes as empty.
crate::runtime::__private::json_struct!(ApiErrorBody {
    nullable status = "status",
    nullable category = "category",
    nullable sub_category = "subCategory",
    nullable message = "message",
    nullable correlation_id = "correlationId",
    defaulted errors = "errors",
    nullable context = "context",
    nullable links = "links",
    nullable policy_name = "policyName",
    nullable group_name = "groupName",
    nullable error_type = "errorType",
});

crate::runtime::__private::json_struct!(ApiErrorDetail {
    nullable message = "message",
    nullable code = "code",
    nullable in_ = "in",
    nullable sub_category = "subCategory",
    nullable context = "context",
});

#[cfg(test)]
mod tests {
    use super::super::http::{TransportError, TransportErrorKind};
    use super::{ApiErrorBody, ChunkFailure, Error};

    fn chunk(chunk: usize, error: Error) -> ChunkFailure {
        ChunkFailure {
            chunk,
            inputs: (chunk - 1) * 100..chunk * 100,
            error: Box::new(error),
        }
    }

    fn connection(kind: TransportErrorKind) -> Error {
        Error::Connection {
            operation: "batch_create",
            source: TransportError::new(kind, "gone"),
        }
    }

    #[test]
    fn a_batch_may_have_been_processed_only_if_a_chunk_was_done_or_may_have_been() {
        let batch = |done: Vec<std::ops::Range<usize>>, failed| Error::Batch {
            operation: "batch_create",
            chunks: 2,
            inputs: 200,
            done,
            failed,
        };
        let refused = || connection(TransportErrorKind::Connect);
        let lost = || connection(TransportErrorKind::Interrupted);
        assert!(
            !batch(Vec::new(), vec![chunk(1, refused()), chunk(2, refused())])
                .may_have_been_processed(),
            "nothing done, every chunk never sent"
        );
        assert!(
            batch(Vec::new(), vec![chunk(1, refused()), chunk(2, lost())])
                .may_have_been_processed()
        );
        assert!(
            batch(std::iter::once(0..100).collect(), vec![chunk(2, refused())])
                .may_have_been_processed()
        );
    }

    #[test]
    fn a_complete_answer_refused_by_the_client_is_not_called_missing() {
        let refused = connection(TransportErrorKind::Other).to_string();
        assert!(
            refused.starts_with(
                "`batch_create` got no usable answer (HubSpot may have carried it out)"
            ),
            "{refused}"
        );
        assert!(
            !refused.contains("no complete answer came back"),
            "{refused}"
        );
        let lost = connection(TransportErrorKind::Interrupted).to_string();
        assert!(
            lost.starts_with("`batch_create` was sent but no complete answer came back"),
            "{lost}"
        );
    }

    #[test]
    fn an_error_body_is_read_leniently_and_only_from_an_object() {
        let body =
            ApiErrorBody::parse(br#"{"message":"first","message":"last","correlationId":"c-1"}"#)
                .expect("a key given twice: the last wins, as in a JSON value");
        assert_eq!(body.message.as_deref(), Some("last"));
        assert_eq!(body.correlation_id.as_deref(), Some("c-1"));
        let body = ApiErrorBody::parse(br#"{"category":"RATE_LIMITS","errors":null}"#).unwrap();
        assert_eq!(body.category.as_deref(), Some("RATE_LIMITS"));
        for not_an_object in [
            &b"[1]"[..],
            b"\"busy\"",
            b"42",
            b"null",
            b"<html>",
            b"",
            b"{\"a\":",
        ] {
            assert_eq!(ApiErrorBody::parse(not_an_object), None);
        }
    }
}
