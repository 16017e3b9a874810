//! What one generated method hands the client, and what it gets back.

use std::fmt::Display;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::{Error, snippet};
use super::undecoded::KeepsUndecoded;

/// Everything but RFC 3986 unreserved characters is encoded, so a value
/// can never add a path segment, a query or a fragment.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes one path segment.
pub fn encode_path<T: Display + ?Sized>(value: &T) -> String {
    let text = value.to_string();
    // `.` and `..` are dot segments even when encoded; encode them so the
    // guard in `Request::url` reports them instead of the URL moving.
    match text.as_str() {
        "." => "%2E".to_owned(),
        ".." => "%2E%2E".to_owned(),
        _ => utf8_percent_encode(&text, COMPONENT).to_string(),
    }
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Method(&'static str);

impl Method {
    /// `GET`.
    pub const GET: Method = Method("GET");
    /// `POST`.
    pub const POST: Method = Method("POST");
    /// `PUT`.
    pub const PUT: Method = Method("PUT");
    /// `PATCH`.
    pub const PATCH: Method = Method("PATCH");
    /// `DELETE`.
    pub const DELETE: Method = Method("DELETE");
    /// `HEAD`.
    pub const HEAD: Method = Method("HEAD");
    /// `OPTIONS`.
    pub const OPTIONS: Method = Method("OPTIONS");
    /// `TRACE`.
    pub const TRACE: Method = Method("TRACE");

    /// The method as sent.
    pub fn as_str(&self) -> &'static str {
        self.0
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// Body of a request, serialized up front so a retry resends the same bytes.
#[derive(Debug, Clone)]
enum Payload {
    None,
    Bytes {
        content_type: String,
        /// Shared, so every retry sends it without a copy.
        bytes: bytes::Bytes,
    },
}

/// One HTTP request of a named operation, built by generated code (public
/// only for the crate's own tests, hidden from the docs). Whatever builds
/// it, the client parses the target as an `http::Uri` (no CR, LF or space
/// can reach the request line), refuses dot segments and checks headers.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct Request {
    pub(crate) method: Method,
    /// The path template as the document writes it (for tracing).
    #[cfg_attr(not(feature = "tracing"), allow(dead_code))]
    pub(crate) template: &'static str,
    pub(crate) path: String,
    /// The first path parameter given as `""` (by its name in the
    /// template): sent, it would make `//`, which servers read as another
    /// path, so the request is refused instead.
    empty_param: Option<&'static str>,
    pub(crate) operation: &'static str,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    payload: Payload,
    pub(crate) rate_limit_exempt: bool,
    /// The budget it draws on (search endpoints have their own too).
    pub(crate) rate_class: super::limiter::RateClass,
    /// Sending it twice does no harm (decided by the generator per
    /// operation), so it may be retried after it may have been processed.
    pub(crate) idempotent: bool,
}

impl Request {
    /// A bodyless request to `template` filled with `values` (each
    /// percent-encoded as one segment); `operation` names it in errors.
    pub fn new(
        method: Method,
        template: &'static str,
        values: &[&dyn Display],
        operation: &'static str,
    ) -> Self {
        let (path, empty_param) = expand_path(template, values);
        Self {
            method,
            template,
            path,
            empty_param,
            operation,
            query: Vec::new(),
            headers: Vec::new(),
            payload: Payload::None,
            rate_limit_exempt: false,
            rate_class: super::limiter::RateClass::Standard,
            idempotent: false,
        }
    }

    /// The operation may be sent again after the server may have processed
    /// it (GET, PUT, DELETE, and POSTs that only read).
    pub fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }

    /// Sets the query and header parameters, replacing any set before.
    pub fn params(mut self, params: &impl Params) -> Self {
        let mut writer = ParamWriter {
            query: Vec::new(),
            headers: Vec::new(),
        };
        params.write(&mut writer);
        self.query = writer.query;
        self.headers = writer.headers;
        self
    }

    /// Sets a JSON body; fails if `body` cannot be serialized.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self, Error> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| self.invalid(format!("body cannot be encoded as JSON: {e}")))?;
        self.payload = Payload::Bytes {
            content_type: "application/json".into(),
            bytes: bytes.into(),
        };
        Ok(self)
    }

    /// [`json`](Self::json) if there is a body; `None` leaves the request bodyless.
    pub fn json_opt<T: Serialize + ?Sized>(self, body: Option<&T>) -> Result<Self, Error> {
        match body {
            Some(body) => self.json(body),
            None => Ok(self),
        }
    }

    /// `application/x-www-form-urlencoded` from the top-level fields of `body`.
    pub fn form<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self, Error> {
        let value = serde_json::to_value(body)
            .map_err(|e| self.invalid(format!("body cannot be encoded: {e}")))?;
        let serde_json::Value::Object(fields) = value else {
            return Err(self.invalid("a form body must be an object".into()));
        };
        let mut out = String::new();
        for (name, value) in fields {
            let items = match value {
                serde_json::Value::Array(items) => items,
                serde_json::Value::Null => continue,
                other => vec![other],
            };
            for item in items {
                let text = match item {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                if !out.is_empty() {
                    out.push('&');
                }
                out.push_str(&utf8_percent_encode(&name, COMPONENT).to_string());
                out.push('=');
                out.push_str(&utf8_percent_encode(&text, COMPONENT).to_string());
            }
        }
        self.payload = Payload::Bytes {
            content_type: "application/x-www-form-urlencoded".into(),
            bytes: out.into_bytes().into(),
        };
        Ok(self)
    }

    /// [`form`](Self::form) if there is a body; `None` leaves the request bodyless.
    pub fn form_opt<T: Serialize + ?Sized>(self, body: Option<&T>) -> Result<Self, Error> {
        match body {
            Some(body) => self.form(body),
            None => Ok(self),
        }
    }

    /// Sets a `multipart/form-data` body.
    pub fn multipart(mut self, body: Multipart) -> Self {
        let (content_type, bytes) = body.encode();
        self.payload = Payload::Bytes {
            content_type,
            bytes: bytes.into(),
        };
        self
    }

    /// Sets a body sent as given, with its own content type.
    pub fn raw(mut self, body: RawBody) -> Self {
        self.payload = Payload::Bytes {
            content_type: body.content_type,
            bytes: body.bytes.into(),
        };
        self
    }

    /// The operation does not count against HubSpot's ten-secondly limit.
    pub fn rate_limit_exempt(mut self) -> Self {
        self.rate_limit_exempt = true;
        self
    }

    /// A search endpoint: also held to the search limit.
    pub fn search_rate_limited(mut self) -> Self {
        self.rate_class = super::limiter::RateClass::Search;
        self
    }

    pub(crate) fn invalid(&self, message: String) -> Error {
        Error::InvalidInput {
            operation: self.operation,
            message,
        }
    }

    /// Path and query as sent, under the base URL's `prefix`; fails if a
    /// parameter would be read as a dot segment (`.`/`..`, which servers
    /// resolve, moving the request elsewhere).
    pub(crate) fn target(&self, prefix: &str) -> Result<String, Error> {
        if let Some(name) = self.empty_param {
            return Err(self.invalid(format!(
                "path parameter `{name}` is empty (it would make `//` in `{}`)",
                self.path
            )));
        }
        let dot_segment = self.path.split('/').any(|segment| {
            let segment = segment.to_ascii_lowercase().replace("%2e", ".");
            segment == "." || segment == ".."
        });
        if dot_segment || !self.path.starts_with('/') {
            return Err(self.invalid(format!(
                "a path parameter would change the request path (`{}`)",
                self.path
            )));
        }
        let mut text = format!("{prefix}{}", self.path);
        for (i, (name, value)) in self.query.iter().enumerate() {
            text.push(if i == 0 { '?' } else { '&' });
            text.extend(utf8_percent_encode(name, COMPONENT));
            text.push('=');
            text.extend(utf8_percent_encode(value, COMPONENT));
        }
        Ok(text)
    }

    /// The `inputs` array of a JSON batch body.
    pub(crate) fn json_inputs(&self) -> Vec<Value> {
        let Payload::Bytes { bytes, .. } = &self.payload else {
            return Vec::new();
        };
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(mut body)) => match body.remove("inputs") {
                Some(Value::Array(inputs)) => inputs,
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    /// The same request with `inputs` replaced (other body fields kept).
    pub(crate) fn with_inputs(&self, inputs: Vec<Value>) -> Result<Self, Error> {
        let mut body = match &self.payload {
            Payload::Bytes { bytes, .. } => match serde_json::from_slice::<Value>(bytes) {
                Ok(Value::Object(body)) => body,
                _ => serde_json::Map::new(),
            },
            Payload::None => serde_json::Map::new(),
        };
        body.insert("inputs".into(), Value::Array(inputs));
        let mut request = self.clone();
        request.payload = Payload::None;
        request.json(&Value::Object(body))
    }

    pub(crate) fn body(&self) -> Option<(&str, &bytes::Bytes)> {
        match &self.payload {
            Payload::None => None,
            Payload::Bytes {
                content_type,
                bytes,
            } => Some((content_type, bytes)),
        }
    }
}

/// Query and header parameters of an operation (implemented by the
/// generated `…Params` structs).
pub trait Params {
    /// Adds the operation's query and header parameters to `out`.
    fn write(&self, out: &mut ParamWriter);
}

/// Collects parameters; `None` values are left out.
#[derive(Debug, Default)]
pub struct ParamWriter {
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
}

impl ParamWriter {
    /// One `name=value` per value (`explode: true`).
    pub fn query<V: ParamValue + ?Sized>(&mut self, name: &str, value: &V) {
        value.each(&mut |v| self.query.push((name.to_owned(), v)));
    }

    /// Values joined by commas (`explode: false`).
    pub fn query_joined<V: ParamValue + ?Sized>(&mut self, name: &str, value: &V) {
        let mut parts = Vec::new();
        value.each(&mut |v| parts.push(v));
        if !parts.is_empty() {
            self.query.push((name.to_owned(), parts.join(",")));
        }
    }

    /// A header whose values are joined by commas; left out if there are none.
    pub fn header<V: ParamValue + ?Sized>(&mut self, name: &str, value: &V) {
        let mut parts = Vec::new();
        value.each(&mut |v| parts.push(v));
        if !parts.is_empty() {
            self.headers.push((name.to_owned(), parts.join(",")));
        }
    }
}

/// Object-valued query parameters (OpenAPI `style: form` / `deepObject`):
/// the value's fields become query keys; `None` and `null` fields are left out.
impl ParamWriter {
    /// `style: form, explode: true`: one `key=value` per field. A name with a
    /// `{…}` placeholder (HubSpot's `property.{propname}`) puts each key in
    /// its place (`property.color=red`); otherwise the keys stand alone.
    pub fn query_object<V: Serialize + ?Sized>(&mut self, name: &str, value: &V) {
        let template = name.find('{').zip(name.find('}')).filter(|(a, b)| a < b);
        for (key, text) in object_fields(value) {
            let key = match template {
                Some((open, close)) => format!("{}{key}{}", &name[..open], &name[close + 1..]),
                None => key,
            };
            self.query.push((key, text));
        }
    }

    /// `style: form, explode: false`: `name=key,value,key,value`.
    pub fn query_object_joined<V: Serialize + ?Sized>(&mut self, name: &str, value: &V) {
        let parts: Vec<String> = object_fields(value)
            .into_iter()
            .flat_map(|(key, text)| [key, text])
            .collect();
        if !parts.is_empty() {
            self.query.push((name.to_owned(), parts.join(",")));
        }
    }

    /// `style: deepObject`: `name[key]=value`.
    pub fn query_deep_object<V: Serialize + ?Sized>(&mut self, name: &str, value: &V) {
        for (key, text) in object_fields(value) {
            self.query.push((format!("{name}[{key}]"), text));
        }
    }
}

/// The fields of a serialised object as query text, by key: strings as they are,
/// numbers and booleans printed, each item of a list on its own (same key),
/// nested objects as JSON.
fn object_fields<V: Serialize + ?Sized>(value: &V) -> Vec<(String, String)> {
    let Ok(Value::Object(fields)) = serde_json::to_value(value) else {
        return Vec::new();
    };
    // By key, so the query is the same whatever map order serde_json was built with.
    let mut fields: Vec<(String, Value)> = fields.into_iter().collect();
    fields.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = Vec::new();
    for (key, field) in fields {
        let items = match field {
            Value::Array(items) => items,
            other => vec![other],
        };
        for item in items {
            let text = match item {
                Value::Null => continue,
                Value::String(text) => text,
                other => other.to_string(),
            };
            out.push((key.clone(), text));
        }
    }
    out
}

/// A value that can stand in a query string or header.
pub trait ParamValue {
    /// Calls `f` with the text of each value (none for `None`, one per item of a list).
    fn each(&self, f: &mut dyn FnMut(String));
}

macro_rules! display_param {
    ($($t:ty),*) => {$(
        impl ParamValue for $t {
            fn each(&self, f: &mut dyn FnMut(String)) {
                f(self.to_string())
            }
        }
    )*};
}
display_param!(
    str,
    String,
    i32,
    i64,
    f32,
    f64,
    bool,
    super::time::Timestamp,
    super::time::Date
);

impl<T: ParamValue> ParamValue for Option<T> {
    fn each(&self, f: &mut dyn FnMut(String)) {
        if let Some(v) = self {
            v.each(f);
        }
    }
}

impl<T: ParamValue> ParamValue for Vec<T> {
    fn each(&self, f: &mut dyn FnMut(String)) {
        for v in self {
            v.each(f);
        }
    }
}

impl<T: ParamValue + ?Sized> ParamValue for &T {
    fn each(&self, f: &mut dyn FnMut(String)) {
        (**self).each(f)
    }
}

/// A request body sent as it is, with its content type.
#[derive(Debug, Clone, PartialEq)]
pub struct RawBody {
    /// The `Content-Type` header sent with the body.
    pub content_type: String,
    /// The body bytes.
    pub bytes: Vec<u8>,
}

impl RawBody {
    /// A body of `bytes` with the given content type.
    pub fn new(content_type: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            content_type: content_type.into(),
            bytes: bytes.into(),
        }
    }
}

/// A `multipart/form-data` body: text fields and files.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Multipart {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    bytes: Vec<u8>,
}

impl Multipart {
    /// An empty body; add parts with [`text`](Self::text) and [`file`](Self::file).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field.
    #[must_use]
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parts.push(Part {
            name: name.into(),
            file_name: None,
            content_type: None,
            bytes: value.into().into_bytes(),
        });
        self
    }

    /// Adds a file part with its file name and content type.
    #[must_use]
    pub fn file(
        mut self,
        name: impl Into<String>,
        file_name: impl Into<String>,
        content_type: impl Into<String>,
        bytes: impl Into<Vec<u8>>,
    ) -> Self {
        self.parts.push(Part {
            name: name.into(),
            file_name: Some(file_name.into()),
            content_type: Some(content_type.into()),
            bytes: bytes.into(),
        });
        self
    }

    fn encode(&self) -> (String, Vec<u8>) {
        // A boundary that no part contains.
        let mut boundary = String::from("hubspot-associations-boundary");
        while self
            .parts
            .iter()
            .any(|p| contains(&p.bytes, boundary.as_bytes()))
        {
            boundary.push('x');
        }
        let quote = |s: &str| {
            s.replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace(['\r', '\n'], " ")
        };
        let mut out = Vec::new();
        for part in &self.parts {
            out.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"",
                    quote(&part.name)
                )
                .as_bytes(),
            );
            if let Some(file_name) = &part.file_name {
                out.extend_from_slice(format!("; filename=\"{}\"", quote(file_name)).as_bytes());
            }
            out.extend_from_slice(b"\r\n");
            if let Some(ct) = &part.content_type {
                out.extend_from_slice(format!("Content-Type: {}\r\n", quote(ct)).as_bytes());
            }
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(&part.bytes);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (format!("multipart/form-data; boundary={boundary}"), out)
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A successful (2xx) response, body fully read (for generated code).
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct Response {
    pub(crate) operation: &'static str,
    pub(crate) status: u16,
    pub(crate) headers: http::HeaderMap,
    pub(crate) body: bytes::Bytes,
}

impl Response {
    pub fn new(operation: &'static str, status: u16, body: impl Into<bytes::Bytes>) -> Self {
        Self::from_http(operation, status, http::HeaderMap::new(), body.into())
    }

    pub(crate) fn from_http(
        operation: &'static str,
        status: u16,
        headers: http::HeaderMap,
        body: bytes::Bytes,
    ) -> Self {
        Self {
            operation,
            status,
            headers,
            body,
        }
    }

    /// `X-HubSpot-Correlation-Id`, for errors made from this response.
    pub(crate) fn correlation_id(&self) -> Option<String> {
        let header = self.headers.get("x-hubspot-correlation-id")?;
        header.to_str().ok().map(str::to_owned)
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    pub(crate) fn decode_error(&self, path: &str, message: &str) -> Error {
        Error::Decode {
            operation: self.operation,
            status: self.status,
            path: path.to_owned(),
            message: message.to_owned(),
            snippet: snippet(&self.body, 200),
            correlation_id: self.correlation_id(),
        }
    }

    /// Decodes the body; a failure names the JSON path where it happened.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        // Fast path without path tracking; decode again only to explain a failure.
        match serde_json::from_slice(&self.body) {
            Ok(value) => Ok(value),
            Err(first) => {
                let crate::runtime::DecodeProblem { path, message } =
                    crate::runtime::DecodeProblem::new(&self.body, &first);
                Err(Error::Decode {
                    operation: self.operation,
                    status: self.status,
                    path,
                    message,
                    snippet: snippet(&self.body, 200),
                    correlation_id: self.correlation_id(),
                })
            }
        }
    }

    /// Decodes a batch body; when it does not decode at once, its
    /// `results`/`errors` entries are decoded one by one and those that do
    /// not decode are kept in `undecoded`. Only a body whose top level is not
    /// the documented shape is an error.
    pub fn json_keeping<T: KeepsUndecoded>(&self) -> Result<T, Error> {
        T::from_json_keeping(&self.body).map_err(|problem| Error::Decode {
            operation: self.operation,
            status: self.status,
            path: problem.path,
            message: problem.message,
            snippet: snippet(&self.body, 200),
            correlation_id: self.correlation_id(),
        })
    }

    /// The body as text; fails if it is not UTF-8.
    pub fn text(&self) -> Result<String, Error> {
        String::from_utf8(self.body.to_vec()).map_err(|e| Error::Decode {
            operation: self.operation,
            status: self.status,
            path: String::new(),
            message: format!("body is not UTF-8: {e}"),
            snippet: snippet(&self.body, 200),
            correlation_id: self.correlation_id(),
        })
    }

    /// The body as received.
    pub fn into_bytes(self) -> Vec<u8> {
        self.body.into()
    }

    /// A 2xx status the document does not list, read as the operation's one
    /// documented success (status `read_as`, decoded by `decode`): HubSpot
    /// answering 200 where the document says 201 is still that success. If
    /// the body is not that success's body, a decode error naming the
    /// statuses the document lists.
    pub fn undocumented<T>(
        self,
        documented: &[u16],
        read_as: u16,
        decode: impl FnOnce(Self) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let status = self.status;
        decode(self).map_err(|error| match error {
            Error::Decode {
                operation,
                path,
                message,
                snippet,
                correlation_id,
                ..
            } => Error::Decode {
                operation,
                status,
                path,
                message: format!(
                    "HTTP {status} is not a status the document lists ({}), and the body is not the HTTP {read_as} body: {message}",
                    statuses(documented)
                ),
                snippet,
                correlation_id,
            },
            other => other,
        })
    }

    /// A 2xx status the document does not list, for an operation with no
    /// single success to read it as.
    pub fn undocumented_status(&self, documented: &[u16]) -> Error {
        self.decode_error(
            "",
            &format!(
                "HTTP {} is not a status the document lists ({}), and the operation has more than one kind of success to read it as",
                self.status,
                statuses(documented)
            ),
        )
    }
}

/// `201, 207`.
fn statuses(list: &[u16]) -> String {
    let parts: Vec<String> = list.iter().map(u16::to_string).collect();
    parts.join(", ")
}

/// Fills `{name}` placeholders of a path template, in order, each value
/// percent-encoded as a single segment.
/// `template` with each `{name}` replaced by the next value, percent-encoded
/// as one segment; and the name of the first parameter whose value is empty.
pub(crate) fn expand_path(
    template: &'static str,
    values: &[&dyn Display],
) -> (String, Option<&'static str>) {
    let mut out = String::with_capacity(template.len() + 16 * values.len());
    let mut empty = None;
    let mut values = values.iter();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        match values.next() {
            Some(value) => {
                let segment = encode_path(*value);
                if segment.is_empty() && empty.is_none() {
                    empty = Some(&rest[open + 1..open + close]);
                }
                out.push_str(&segment);
            }
            None => out.push_str(&rest[open..open + close + 1]),
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    (out, empty)
}
