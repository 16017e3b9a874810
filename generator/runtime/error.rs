//! The one error type of the client. Every variant names the operation; none
//! carries the access token (it only ever travels in a header we never print).

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
    },
    /// HTTP 429 and retrying would not help in time (or retries ran out).
    RateLimited {
        /// The operation (generated method name) that failed.
        operation: &'static str,
        /// The wait HubSpot asked for in `Retry-After`.
        retry_after: Option<Duration>,
        /// The decoded error body, when it was HubSpot's JSON error shape.
        body: Option<Box<ApiErrorBody>>,
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
        source: super::TransportError,
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
    },
    /// The call's own arguments cannot be sent (e.g. a path parameter of `..`).
    InvalidInput {
        /// The operation (generated method name) that failed.
        operation: &'static str,
        /// What is wrong with the input.
        message: String,
    },
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Api {
                operation,
                status,
                body,
                raw,
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
            Error::Timeout { operation, timeout } => write!(
                f,
                "`{operation}` timed out after {:.1} s",
                timeout.as_secs_f64()
            ),
            Error::Connection { operation, source } => {
                write!(f, "could not reach HubSpot for `{operation}`: {source}")
            }
            Error::Decode {
                operation,
                status,
                path,
                message,
                snippet,
            } => write!(
                f,
                "could not decode HTTP {status} response to `{operation}` at `{path}`: {message} (body starts: {snippet:?})"
            ),
            Error::InvalidInput { operation, message } => {
                write!(f, "invalid input to `{operation}`: {message}")
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Connection { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl Error {
    /// HTTP status of the failed response, where there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } | Error::Decode { status, .. } => Some(*status),
            Error::RateLimited { .. } => Some(429),
            _ => None,
        }
    }

    /// HubSpot's decoded error body, where there was one.
    pub fn api_body(&self) -> Option<&ApiErrorBody> {
        match self {
            Error::Api { body, .. } | Error::RateLimited { body, .. } => body.as_deref(),
            _ => None,
        }
    }
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
        let value: serde_json::Value = serde_json::from_slice(body).ok()?;
        if !value.is_object() {
            return None;
        }
        serde_json::from_value(value).ok().map(Box::new)
    }
}

// Written out rather than derived, like the generated models (see `codec.rs`).
// Every field is lenient: missing or `null` decodes as empty.
impl serde::Serialize for ApiErrorBody {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut out = serializer.serialize_struct("ApiErrorBody", 8)?;
        out.serialize_field("status", &self.status)?;
        out.serialize_field("category", &self.category)?;
        out.serialize_field("subCategory", &self.sub_category)?;
        out.serialize_field("message", &self.message)?;
        out.serialize_field("correlationId", &self.correlation_id)?;
        out.serialize_field("errors", &self.errors)?;
        out.serialize_field("context", &self.context)?;
        out.serialize_field("links", &self.links)?;
        out.end()
    }
}

impl<'de> serde::Deserialize<'de> for ApiErrorBody {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::decode_struct(deserializer)
    }
}

impl super::JsonStruct for ApiErrorBody {
    const NAME: &'static str = "ApiErrorBody";
    const FIELDS: &'static [&'static str] = &[
        "status",
        "category",
        "subCategory",
        "message",
        "correlationId",
        "errors",
        "context",
        "links",
    ];

    fn field_index(key: &str) -> Option<usize> {
        Self::FIELDS.iter().position(|field| *field == key)
    }

    fn from_map<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        use super::set;
        let mut body = Self::default();
        let (mut status, mut category, mut message, mut correlation_id) = (None, None, None, None);
        let (mut sub_category, mut errors, mut context, mut links) = (None, None, None, None);
        while let Some(field) = super::next_field::<Self, _>(&mut map)? {
            match field {
                Some(0) => set(&mut status, &mut map, "status")?,
                Some(1) => set(&mut category, &mut map, "category")?,
                Some(2) => set(&mut sub_category, &mut map, "subCategory")?,
                Some(3) => set(&mut message, &mut map, "message")?,
                Some(4) => set(&mut correlation_id, &mut map, "correlationId")?,
                Some(5) => set(&mut errors, &mut map, "errors")?,
                Some(6) => set(&mut context, &mut map, "context")?,
                Some(7) => set(&mut links, &mut map, "links")?,
                _ => super::skip(&mut map)?,
            }
        }
        body.status = status.flatten();
        body.category = category.flatten();
        body.sub_category = sub_category.flatten();
        body.message = message.flatten();
        body.correlation_id = correlation_id.flatten();
        body.errors = errors.flatten().unwrap_or_default();
        body.context = context.flatten();
        body.links = links.flatten();
        Ok(body)
    }
}

impl serde::Serialize for ApiErrorDetail {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut out = serializer.serialize_struct("ApiErrorDetail", 5)?;
        out.serialize_field("message", &self.message)?;
        out.serialize_field("code", &self.code)?;
        out.serialize_field("in", &self.in_)?;
        out.serialize_field("subCategory", &self.sub_category)?;
        out.serialize_field("context", &self.context)?;
        out.end()
    }
}

impl<'de> serde::Deserialize<'de> for ApiErrorDetail {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::decode_struct(deserializer)
    }
}

impl super::JsonStruct for ApiErrorDetail {
    const NAME: &'static str = "ApiErrorDetail";
    const FIELDS: &'static [&'static str] = &["message", "code", "in", "subCategory", "context"];

    fn field_index(key: &str) -> Option<usize> {
        Self::FIELDS.iter().position(|field| *field == key)
    }

    fn from_map<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        use super::set;
        let (mut message, mut code, mut in_, mut sub_category, mut context) =
            (None, None, None, None, None);
        while let Some(field) = super::next_field::<Self, _>(&mut map)? {
            match field {
                Some(0) => set(&mut message, &mut map, "message")?,
                Some(1) => set(&mut code, &mut map, "code")?,
                Some(2) => set(&mut in_, &mut map, "in")?,
                Some(3) => set(&mut sub_category, &mut map, "subCategory")?,
                Some(4) => set(&mut context, &mut map, "context")?,
                _ => super::skip(&mut map)?,
            }
        }
        Ok(Self {
            message: message.flatten(),
            code: code.flatten(),
            in_: in_.flatten(),
            sub_category: sub_category.flatten(),
            context: context.flatten(),
        })
    }
}
