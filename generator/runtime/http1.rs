//! HTTP/1.1 framing: the request the client writes and the responses it
//! reads. Small on purpose: one origin, JSON bodies, no upgrades. Responses
//! are bounded where a server could make us allocate without limit.

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt};

use super::transport::TransportError;

/// Longest response head (status line and headers) accepted.
const MAX_HEAD: usize = 64 * 1024;
/// Most headers accepted in one response head.
const MAX_HEADERS: usize = 256;
/// Longest chunk-size line accepted.
const MAX_LINE: usize = 4 * 1024;
/// Largest response body accepted (HubSpot's biggest batch answers are a
/// few MB); a server cannot make the client allocate beyond it.
pub(crate) const MAX_BODY: u64 = 256 * 1024 * 1024;
/// Most interim (1xx) responses skipped before the final one.
const MAX_INTERIM: usize = 16;
/// Up-front allocation limit for a declared body length; the buffer grows
/// beyond it only as bytes actually arrive.
const MAX_PREALLOCATE: usize = 1 << 20;

/// A request ready to be written.
pub(crate) struct Head<'a> {
    pub method: &'a str,
    /// Path and query, e.g. `/crm/v4/objects/contacts/1?limit=5`.
    pub target: &'a str,
    /// `host` or `host:port`, as the `Host` header says it.
    pub host: &'a str,
    pub headers: &'a [(&'a str, &'a str)],
    pub body: Option<(&'a str, &'a [u8])>,
}

/// Whether `name` is a valid header name (an RFC 9110 token).
pub(crate) fn valid_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Whether `value` can be sent as a header value: no control characters but
/// tab, so a value can never start a new header line.
pub(crate) fn valid_header_value(value: &str) -> bool {
    value
        .bytes()
        .all(|b| b == b'\t' || (b >= 0x20 && b != 0x7f))
}

/// The request's bytes: head, then body. Header names and values must have
/// been checked with [`valid_header_name`] and [`valid_header_value`].
pub(crate) fn encode(head: &Head<'_>) -> Vec<u8> {
    let body_len = head.body.map_or(0, |(_, body)| body.len());
    let mut out = Vec::with_capacity(256 + head.target.len() + body_len);
    let mut line = |parts: &[&[u8]]| {
        for part in parts {
            out.extend_from_slice(part);
        }
        out.extend_from_slice(b"\r\n");
    };
    line(&[
        head.method.as_bytes(),
        b" ",
        head.target.as_bytes(),
        b" HTTP/1.1",
    ]);
    line(&[b"host: ", head.host.as_bytes()]);
    for (name, value) in head.headers {
        line(&[name.as_bytes(), b": ", value.as_bytes()]);
    }
    let length = body_len.to_string();
    match head.body {
        Some((content_type, _)) => {
            line(&[b"content-type: ", content_type.as_bytes()]);
            line(&[b"content-length: ", length.as_bytes()]);
        }
        // A bodyless POST/PUT/PATCH still says so, as servers may require.
        None if !matches!(head.method, "GET" | "HEAD" | "DELETE" | "OPTIONS") => {
            line(&[b"content-length: 0"]);
        }
        None => {}
    }
    line(&[]);
    if let Some((_, body)) = head.body {
        out.extend_from_slice(body);
    }
    out
}

/// A response's status and headers (names lowercased).
#[derive(Debug)]
pub(crate) struct ResponseHead {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    http10: bool,
}

impl ResponseHead {
    /// The first value of header `name` (lowercase).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn has_token(&self, name: &str, token: &str) -> bool {
        self.headers
            .iter()
            .filter(|(n, _)| n == name)
            .flat_map(|(_, v)| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case(token))
    }
}

fn protocol(message: impl Into<String>) -> TransportError {
    TransportError::Protocol(message.into())
}

/// Reads one line ending in `\n` (at most `limit` bytes); `Ok(None)` at a
/// clean end of stream before any byte.
async fn read_line<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    buf: &mut Vec<u8>,
    limit: usize,
) -> Result<Option<()>, TransportError> {
    buf.clear();
    let read = (&mut *reader)
        .take(limit as u64 + 1)
        .read_until(b'\n', buf)
        .await?;
    if read == 0 {
        return Ok(None);
    }
    if buf.last() != Some(&b'\n') {
        return Err(if buf.len() > limit {
            protocol("response line too long")
        } else {
            TransportError::Closed
        });
    }
    buf.pop();
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(Some(()))
}

/// Reads a response head, skipping interim (1xx) responses. Returns `None`
/// if the connection closed before the first byte, which on a reused
/// connection means the server had closed it while idle.
pub(crate) async fn read_head<R: AsyncBufRead + Unpin>(
    reader: &mut R,
) -> Result<Option<ResponseHead>, TransportError> {
    let mut line = Vec::new();
    let mut first = true;
    for _ in 0..=MAX_INTERIM {
        let mut budget = MAX_HEAD;
        if read_line(reader, &mut line, budget).await?.is_none() {
            return if first {
                Ok(None)
            } else {
                Err(TransportError::Closed)
            };
        }
        first = false;
        budget -= line.len();
        // The reason phrase may be any bytes; only version and code matter.
        let status_line = String::from_utf8_lossy(&line);
        let mut parts = status_line.splitn(3, ' ');
        let version = parts.next().unwrap_or_default();
        let http10 = match version {
            "HTTP/1.1" => false,
            "HTTP/1.0" => true,
            _ => {
                return Err(protocol(format!(
                    "not an HTTP/1.x status line: {status_line:?}"
                )));
            }
        };
        let status = parts
            .next()
            .filter(|code| code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|code| code.parse::<u16>().ok())
            .filter(|code| (100..600).contains(code))
            .ok_or_else(|| protocol(format!("bad status line: {status_line:?}")))?;
        let mut headers: Vec<(String, String)> = Vec::new();
        loop {
            if read_line(reader, &mut line, budget).await?.is_none() {
                return Err(TransportError::Closed);
            }
            budget = budget
                .checked_sub(line.len() + 2)
                .ok_or_else(|| protocol("response head too long"))?;
            if line.is_empty() {
                break;
            }
            let text = String::from_utf8_lossy(&line);
            if text.starts_with([' ', '\t']) {
                // Obsolete line folding: part of the previous value.
                let (_, value) = headers
                    .last_mut()
                    .ok_or_else(|| protocol("header continuation without a header"))?;
                value.push(' ');
                value.push_str(text.trim());
                continue;
            }
            let (name, value) = text
                .split_once(':')
                .ok_or_else(|| protocol(format!("bad header line: {text:?}")))?;
            if !valid_header_name(name) {
                return Err(protocol(format!("bad header name: {name:?}")));
            }
            if headers.len() == MAX_HEADERS {
                return Err(protocol("too many response headers"));
            }
            headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
        }
        match status {
            101 => {
                return Err(protocol(
                    "101 Switching Protocols, which was never asked for",
                ));
            }
            100..=199 => continue,
            _ => {
                return Ok(Some(ResponseHead {
                    status,
                    headers,
                    http10,
                }));
            }
        }
    }
    Err(protocol("too many interim (1xx) responses"))
}

/// A decimal (or, for chunk sizes, hexadecimal) number of digits only:
/// `parse` alone would also take a sign.
fn number(text: &str, radix: u32) -> Option<u64> {
    let digits = !text.is_empty() && text.chars().all(|c| c.is_digit(radix));
    digits
        .then(|| u64::from_str_radix(text, radix).ok())
        .flatten()
}

/// Reads at most `limit` more bytes into `body`; more is an error.
async fn read_bounded<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    body: &mut Vec<u8>,
    limit: u64,
) -> Result<u64, TransportError> {
    let room = MAX_BODY.saturating_sub(body.len() as u64);
    if limit > room {
        return Err(protocol(format!("body larger than {MAX_BODY} bytes")));
    }
    Ok((&mut *reader).take(limit).read_to_end(body).await? as u64)
}

/// Reads to the end of the stream, at most [`MAX_BODY`] bytes.
async fn read_to_close<R: AsyncBufRead + Unpin>(reader: &mut R) -> Result<Vec<u8>, TransportError> {
    let mut body = Vec::new();
    (&mut *reader)
        .take(MAX_BODY + 1)
        .read_to_end(&mut body)
        .await?;
    if body.len() as u64 > MAX_BODY {
        return Err(protocol(format!("body larger than {MAX_BODY} bytes")));
    }
    Ok(body)
}

/// Reads the body that follows `head`; returns it and whether the
/// connection can carry another request.
pub(crate) async fn read_body<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    head: &ResponseHead,
    method: &str,
) -> Result<(Vec<u8>, bool), TransportError> {
    let mut reusable = !head.http10 && !head.has_token("connection", "close");
    // `read_head` never returns an interim (1xx) head.
    if method == "HEAD" || matches!(head.status, 204 | 304) {
        return Ok((Vec::new(), reusable));
    }
    let codings: Vec<&str> = head
        .headers
        .iter()
        .filter(|(n, _)| n == "transfer-encoding")
        .flat_map(|(_, v)| v.split(','))
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    if !codings.is_empty() {
        // With both headers the message is suspect (RFC 9112 6.3): read it
        // by transfer-encoding, then do not trust the connection again.
        if head.header("content-length").is_some() {
            reusable = false;
        }
        if codings
            .last()
            .is_some_and(|c| c.eq_ignore_ascii_case("chunked"))
        {
            return Ok((read_chunked(reader).await?, reusable));
        }
        // Framed by the end of the connection.
        return Ok((read_to_close(reader).await?, false));
    }
    let lengths: Vec<&str> = head
        .headers
        .iter()
        .filter(|(n, _)| n == "content-length")
        .flat_map(|(_, v)| v.split(','))
        .map(str::trim)
        .collect();
    match lengths.first() {
        Some(first) => {
            if lengths.iter().any(|l| l != first) {
                return Err(protocol("conflicting content-length headers"));
            }
            let length = number(first, 10)
                .ok_or_else(|| protocol(format!("bad content-length: {first:?}")))?;
            let mut body = Vec::with_capacity((length as usize).min(MAX_PREALLOCATE));
            if read_bounded(reader, &mut body, length).await? < length {
                return Err(TransportError::Closed);
            }
            Ok((body, reusable))
        }
        None => Ok((read_to_close(reader).await?, false)),
    }
}

async fn read_chunked<R: AsyncBufRead + Unpin>(reader: &mut R) -> Result<Vec<u8>, TransportError> {
    let mut body = Vec::new();
    let mut line = Vec::new();
    loop {
        read_line(reader, &mut line, MAX_LINE)
            .await?
            .ok_or(TransportError::Closed)?;
        let text = String::from_utf8_lossy(&line);
        let size = text.split(';').next().unwrap_or_default().trim();
        let size = number(size, 16).ok_or_else(|| protocol(format!("bad chunk size: {text:?}")))?;
        if size == 0 {
            // Trailers, up to the empty line.
            loop {
                read_line(reader, &mut line, MAX_LINE)
                    .await?
                    .ok_or(TransportError::Closed)?;
                if line.is_empty() {
                    return Ok(body);
                }
            }
        }
        if read_bounded(reader, &mut body, size).await? < size {
            return Err(TransportError::Closed);
        }
        read_line(reader, &mut line, MAX_LINE)
            .await?
            .ok_or(TransportError::Closed)?;
        if !line.is_empty() {
            return Err(protocol("chunk longer than its size"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs a future over an in-memory reader, which never waits.
    fn ready<F: std::future::Future>(future: F) -> F::Output {
        let mut future = std::pin::pin!(future);
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        match future.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(value) => value,
            std::task::Poll::Pending => panic!("in-memory reads never wait"),
        }
    }

    fn response(bytes: &[u8], method: &str) -> Result<(u16, Vec<u8>, bool), TransportError> {
        let mut reader = bytes;
        ready(async {
            let head = read_head(&mut reader)
                .await?
                .ok_or(TransportError::Closed)?;
            let (body, reusable) = read_body(&mut reader, &head, method).await?;
            Ok((head.status, body, reusable))
        })
    }

    #[test]
    fn encodes_head_headers_and_body() {
        let bytes = encode(&Head {
            method: "POST",
            target: "/crm/v4/x?a=1",
            host: "api.hubapi.com",
            headers: &[("authorization", "Bearer t")],
            body: Some(("application/json", b"{}")),
        });
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "POST /crm/v4/x?a=1 HTTP/1.1\r\nhost: api.hubapi.com\r\nauthorization: Bearer t\r\n\
             content-type: application/json\r\ncontent-length: 2\r\n\r\n{}"
        );
        let bodyless = encode(&Head {
            method: "PUT",
            target: "/",
            host: "h:8080",
            headers: &[],
            body: None,
        });
        assert!(bodyless.ends_with(b"host: h:8080\r\ncontent-length: 0\r\n\r\n"));
    }

    #[test]
    fn header_checks_refuse_line_breaks() {
        assert!(valid_header_value("Bearer abc\t1"));
        assert!(!valid_header_value("a\r\nx-injected: 1"));
        assert!(valid_header_name("x-hubspot-thing"));
        assert!(!valid_header_name("bad name") && !valid_header_name(""));
    }

    #[test]
    fn content_length_bodies_and_keep_alive() {
        let ok = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: 1\r\n\r\nhelloEXTRA";
        assert_eq!(response(ok, "GET").unwrap(), (200, b"hello".to_vec(), true));
        let close = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: Close\r\n\r\nhi";
        assert!(!response(close, "GET").unwrap().2);
        let old = b"HTTP/1.0 200 OK\r\ncontent-length: 2\r\n\r\nhi";
        assert!(!response(old, "GET").unwrap().2);
        let to_close = b"HTTP/1.1 500 Oops\r\n\r\nuntil the end";
        assert_eq!(
            response(to_close, "GET").unwrap(),
            (500, b"until the end".to_vec(), false)
        );
        // Transfer-encoding wins over content-length, and the connection is dropped after.
        let both = b"HTTP/1.1 200 OK\r\ncontent-length: 3\r\ntransfer-encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n";
        assert_eq!(response(both, "GET").unwrap(), (200, b"ok".to_vec(), false));
        // Codings across several headers: chunked must be the last of all.
        let split =
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ntransfer-encoding: gzip\r\n\r\nzz";
        assert_eq!(
            response(split, "GET").unwrap(),
            (200, b"zz".to_vec(), false)
        );
        let latin1_reason = b"HTTP/1.1 200 \xc9t\xe9\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(response(latin1_reason, "GET").unwrap().0, 200);
        let head = b"HTTP/1.1 200 OK\r\ncontent-length: 9\r\n\r\n";
        assert_eq!(response(head, "HEAD").unwrap(), (200, Vec::new(), true));
        let empty = b"HTTP/1.1 204 No Content\r\n\r\n";
        assert_eq!(response(empty, "DELETE").unwrap(), (204, Vec::new(), true));
    }

    #[test]
    fn chunked_bodies_with_extensions_and_trailers() {
        let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\
            4;ext=1\r\n{\"a\"\r\n2\r\n:1\r\n1\r\n}\r\n0\r\nx-trailer: y\r\n\r\n";
        assert_eq!(
            response(chunked, "GET").unwrap(),
            (200, b"{\"a\":1}".to_vec(), true)
        );
        let overlong = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1\r\nab\r\n0\r\n\r\n";
        assert!(matches!(
            response(overlong, "GET"),
            Err(TransportError::Protocol(_))
        ));
        let bad_size = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n";
        assert!(matches!(
            response(bad_size, "GET"),
            Err(TransportError::Protocol(_))
        ));
    }

    #[test]
    fn interim_responses_and_folded_headers() {
        let bytes = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 429 Too Many\r\nRetry-After: 1\r\n\
            X-Long: a\r\n  b\r\ncontent-length: 0\r\n\r\n";
        let mut reader = &bytes[..];
        let head = ready(read_head(&mut reader)).unwrap().unwrap();
        assert_eq!(head.status, 429);
        assert_eq!(head.header("retry-after"), Some("1"));
        assert_eq!(head.header("x-long"), Some("a b"));
    }

    #[test]
    fn truncated_and_malformed_responses_are_errors() {
        assert!(ready(read_head(&mut &b""[..])).unwrap().is_none());
        let cut_head = b"HTTP/1.1 200 OK\r\ncontent-len";
        assert!(matches!(
            response(cut_head, "GET"),
            Err(TransportError::Closed)
        ));
        let cut_body = b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nshort";
        assert!(matches!(
            response(cut_body, "GET"),
            Err(TransportError::Closed)
        ));
        let conflicting = b"HTTP/1.1 200 OK\r\ncontent-length: 1\r\ncontent-length: 2\r\n\r\nab";
        assert!(matches!(
            response(conflicting, "GET"),
            Err(TransportError::Protocol(_))
        ));
        for bad in [
            &b"SSH-2.0-x\r\n\r\n"[..],
            b"HTTP/1.1 2000 OK\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
        ] {
            assert!(
                matches!(response(bad, "GET"), Err(TransportError::Protocol(_))),
                "{bad:?}"
            );
        }
        for bad in [
            &b"HTTP/1.1 200 OK\r\ncontent-length: +5\r\n\r\nhello"[..],
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n+5\r\nhello\r\n0\r\n\r\n",
            b"HTTP/1.1 200 OK\r\ncontent-length: 99999999999999\r\n\r\n",
            b"HTTP/1.1 101 Switching Protocols\r\nupgrade: h2c\r\n\r\n",
        ] {
            assert!(
                matches!(response(bad, "GET"), Err(TransportError::Protocol(_))),
                "{bad:?}"
            );
        }
        let endless_interim = b"HTTP/1.1 100 Continue\r\n\r\n".repeat(MAX_INTERIM + 1);
        assert!(matches!(
            response(&endless_interim, "GET"),
            Err(TransportError::Protocol(_))
        ));
        let mut huge = b"HTTP/1.1 200 OK\r\n".to_vec();
        huge.extend(std::iter::repeat_n(b"x-filler: 0123456789\r\n".as_slice(), 4000).flatten());
        assert!(matches!(
            response(&huge, "GET"),
            Err(TransportError::Protocol(_))
        ));
    }
}
