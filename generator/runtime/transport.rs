//! Connections to the one origin a client talks to: connect (TLS with the
//! `rustls` feature), keep idle connections for reuse, and send one request.
//! A hand-written HTTP/1.1 client rather than reqwest + hyper + url keeps
//! the crate's cold build lean (see BENCHMARKS.md); HubSpot's API needs no more.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use tokio::io::{AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use super::http1::{self, Head, ResponseHead};
use super::proxy::{Proxy, ProxyChoice};

/// Idle connections kept per client.
const MAX_IDLE: usize = 32;
/// An idle connection older than this is dropped rather than reused: servers
/// close idle keep-alive connections, and reusing a closed one costs a retry.
const IDLE_TIMEOUT: Duration = Duration::from_secs(50);

/// Why a request got no complete response.
#[derive(Debug)]
#[non_exhaustive]
pub enum TransportError {
    /// Connecting, reading or writing failed.
    Io(std::io::Error),
    /// The TLS handshake failed.
    Tls(std::io::Error),
    /// The connection closed before the response was complete.
    Closed,
    /// The server's response is not valid HTTP/1.1.
    Protocol(String),
    /// The proxy refused or broke the tunnel.
    Proxy(String),
}

impl std::fmt::Display for TransportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TransportError::Io(e) => write!(f, "{e}"),
            TransportError::Tls(e) => write!(f, "TLS handshake failed: {e}"),
            TransportError::Closed => {
                f.write_str("connection closed before the response was complete")
            }
            TransportError::Protocol(message) => write!(f, "invalid HTTP response: {message}"),
            TransportError::Proxy(message) => write!(f, "proxy: {message}"),
        }
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TransportError::Io(e) | TransportError::Tls(e) => Some(e),
            _ => None,
        }
    }
}

impl From<std::io::Error> for TransportError {
    fn from(error: std::io::Error) -> Self {
        match error.kind() {
            std::io::ErrorKind::UnexpectedEof => TransportError::Closed,
            _ => TransportError::Io(error),
        }
    }
}

/// Scheme, host and port of the base URL, and its path prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Origin {
    pub tls: bool,
    pub host: String,
    pub port: u16,
    /// The `Host` header: `host`, or `host:port` for a non-default port.
    pub authority: String,
    /// Path the base URL ends in, without a trailing `/` (often empty).
    pub prefix: String,
}

impl Origin {
    /// Parses `http(s)://host[:port][/prefix]`.
    pub fn parse(url: &str) -> Result<Self, String> {
        let (tls, rest) = if let Some(rest) = url.strip_prefix("https://") {
            (true, rest)
        } else if let Some(rest) = url.strip_prefix("http://") {
            (false, rest)
        } else {
            return Err("must start with https:// or http://".into());
        };
        let (authority, prefix) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if prefix.contains(['?', '#']) || !http1::valid_header_value(prefix) || prefix.contains(' ')
        {
            return Err("must not have a query, fragment, spaces or control characters".into());
        }
        if authority.contains('@') {
            return Err("must not carry credentials; use the access token".into());
        }
        // `[v6]` or `[v6]:port`; otherwise `host` or `host:port`.
        let bad = || format!("bad host or port {authority:?}");
        let (host, port) = match authority.strip_prefix('[') {
            Some(rest) => {
                let (v6, after) = rest.split_once(']').ok_or_else(bad)?;
                if v6.parse::<std::net::Ipv6Addr>().is_err() {
                    return Err(format!("bad IPv6 address {v6:?}"));
                }
                match after {
                    "" => (v6, None),
                    _ => (v6, Some(after.strip_prefix(':').ok_or_else(bad)?)),
                }
            }
            None => {
                let (host, port) = match authority.split_once(':') {
                    Some((host, port)) => (host, Some(port)),
                    None => (authority, None),
                };
                let name = |b: u8| b.is_ascii_alphanumeric() || b"-._".contains(&b);
                if host.is_empty() || !host.bytes().all(name) {
                    return Err(format!("bad host {host:?}"));
                }
                (host, port)
            }
        };
        let port = match port {
            None => {
                if tls {
                    443
                } else {
                    80
                }
            }
            Some(port) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => {
                port.parse().map_err(|_| bad())?
            }
            Some(_) => return Err(bad()),
        };
        Ok(Origin {
            tls,
            host: host.to_ascii_lowercase(),
            port,
            authority: authority.to_ascii_lowercase(),
            prefix: prefix.trim_end_matches('/').to_owned(),
        })
    }
}

/// A response as read off the wire.
pub(crate) struct RawResponse {
    pub head: ResponseHead,
    pub body: Vec<u8>,
}

struct Connection {
    reader: BufReader<Stream>,
    idle_since: Instant,
}

/// The connection pool and TLS setup of one client.
pub(crate) struct Transport {
    origin: Origin,
    proxy: Option<Proxy>,
    idle: Mutex<Vec<Connection>>,
    #[cfg(feature = "rustls")]
    tls: Option<tls::Connector>,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("origin", &self.origin)
            .field("proxy", &self.proxy)
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// A transport for `base_url`; extra root certificates (DER) are trusted
    /// beside the built-in ones.
    pub fn new(
        base_url: &str,
        extra_roots: &[Vec<u8>],
        proxy: &ProxyChoice,
    ) -> Result<Self, String> {
        let origin = Origin::parse(base_url).map_err(|e| format!("base URL {base_url:?}: {e}"))?;
        let proxy = Proxy::choose(proxy, &origin, |name| std::env::var(name).ok())?;
        #[cfg(feature = "rustls")]
        let tls = if origin.tls {
            Some(tls::Connector::new(extra_roots)?)
        } else {
            None
        };
        #[cfg(not(feature = "rustls"))]
        {
            let _ = extra_roots;
            if origin.tls {
                return Err(format!(
                    "base URL {base_url:?}: https needs the crate's `rustls` feature"
                ));
            }
        }
        Ok(Transport {
            origin,
            proxy,
            idle: Mutex::new(Vec::new()),
            #[cfg(feature = "rustls")]
            tls,
        })
    }

    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// Sends one request and reads the whole response. A reused connection
    /// the server had closed while idle is replaced once, transparently.
    pub async fn send(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: Option<(&str, &[u8])>,
    ) -> Result<RawResponse, TransportError> {
        // Plain HTTP through a proxy names the origin in the request line.
        let (absolute, proxy_headers);
        let (target, headers) = match &self.proxy {
            Some(proxy) if !self.origin.tls => {
                absolute = format!("http://{}{target}", self.origin.authority);
                let mut all = headers.to_vec();
                if let Some(authorization) = &proxy.authorization {
                    all.push(("proxy-authorization", authorization.as_str()));
                }
                proxy_headers = all;
                (absolute.as_str(), proxy_headers.as_slice())
            }
            _ => (target, headers),
        };
        let bytes = http1::encode(&Head {
            method,
            target,
            host: &self.origin.authority,
            headers,
            body,
        });
        if let Some(connection) = self.take_idle() {
            match self.exchange(connection, method, &bytes).await {
                Ok(response) => return Ok(response),
                Err(Exchange::Failed(error)) => return Err(error),
                // The request never fully left: sending it again is safe.
                Err(Exchange::Unsent) => {}
                // Sent, and the server closed without a byte of answer: it
                // most likely closed the idle connection as the request
                // went out, but it may have acted on it, so only requests
                // that can be repeated are sent again here (RFC 9112 9.3.1).
                Err(Exchange::Unanswered) if idempotent(method) => {}
                Err(Exchange::Unanswered) => return Err(TransportError::Closed),
            }
        }
        let connection = self.connect().await?;
        match self.exchange(connection, method, &bytes).await {
            Ok(response) => Ok(response),
            Err(Exchange::Unsent | Exchange::Unanswered) => Err(TransportError::Closed),
            Err(Exchange::Failed(error)) => Err(error),
        }
    }

    async fn exchange(
        &self,
        mut connection: Connection,
        method: &str,
        request: &[u8],
    ) -> Result<RawResponse, Exchange> {
        let written = async {
            let stream = connection.reader.get_mut();
            stream.write_all(request).await?;
            stream.flush().await
        }
        .await;
        if written.is_err() {
            // A request cut short is incomplete for the server too.
            return Err(Exchange::Unsent);
        }
        let head = match http1::read_head(&mut connection.reader).await {
            Ok(Some(head)) => head,
            Ok(None) | Err(TransportError::Closed) => return Err(Exchange::Unanswered),
            Err(TransportError::Io(e)) if is_disconnect(&e) => return Err(Exchange::Unanswered),
            Err(error) => return Err(Exchange::Failed(error)),
        };
        let (body, reusable) = http1::read_body(&mut connection.reader, &head, method)
            .await
            .map_err(Exchange::Failed)?;
        // Bytes past the body would be read as the next request's answer.
        if reusable && connection.reader.buffer().is_empty() {
            connection.idle_since = Instant::now();
            self.put_idle(connection);
        }
        Ok(RawResponse { head, body })
    }

    fn take_idle(&self) -> Option<Connection> {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        while let Some(connection) = idle.pop() {
            if connection.idle_since.elapsed() < IDLE_TIMEOUT
                && connection.reader.get_ref().is_quiet()
            {
                return Some(connection);
            }
        }
        None
    }

    fn put_idle(&self, connection: Connection) {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < MAX_IDLE {
            idle.push(connection);
        }
    }

    async fn connect(&self) -> Result<Connection, TransportError> {
        let (host, port) = match &self.proxy {
            Some(proxy) => (proxy.host.as_str(), proxy.port),
            None => (self.origin.host.as_str(), self.origin.port),
        };
        #[allow(unused_mut)]
        let mut tcp = TcpStream::connect((host, port)).await?;
        tcp.set_nodelay(true)?;
        #[cfg(feature = "rustls")]
        if let (Some(proxy), true) = (&self.proxy, self.origin.tls) {
            let host = &self.origin.host;
            let target = if host.contains(':') {
                format!("[{host}]:{}", self.origin.port)
            } else {
                format!("{host}:{}", self.origin.port)
            };
            proxy.tunnel(&mut tcp, &target).await?;
        }
        #[cfg(feature = "rustls")]
        let stream = match &self.tls {
            Some(tls) => Stream::Tls(Box::new(tls.connect(&self.origin.host, tcp).await?)),
            None => Stream::Plain(tcp),
        };
        #[cfg(not(feature = "rustls"))]
        let stream = Stream::Plain(tcp);
        Ok(Connection {
            reader: BufReader::with_capacity(16 * 1024, stream),
            idle_since: Instant::now(),
        })
    }
}

enum Exchange {
    /// Writing the request failed.
    Unsent,
    /// The request was written; the connection closed before any response byte.
    Unanswered,
    Failed(TransportError),
}

/// Methods a server must be able to receive twice (RFC 9110 9.2.2).
fn idempotent(method: &str) -> bool {
    matches!(
        method,
        "GET" | "HEAD" | "PUT" | "DELETE" | "OPTIONS" | "TRACE"
    )
}

fn is_disconnect(error: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        error.kind(),
        ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof
    )
}

/// A plain or TLS connection.
enum Stream {
    Plain(TcpStream),
    #[cfg(feature = "rustls")]
    Tls(Box<tokio_rustls::client::TlsStream<TcpStream>>),
}

impl Stream {
    /// Whether an idle connection is still open with nothing to read: a
    /// server that closed it (or sent anything unasked, like a 408) makes
    /// it unusable. Reads without waiting; whatever it reads is discarded
    /// along with the connection.
    #[cfg_attr(not(feature = "rustls"), allow(clippy::infallible_destructuring_match))]
    fn is_quiet(&self) -> bool {
        let tcp = match self {
            Stream::Plain(tcp) => tcp,
            #[cfg(feature = "rustls")]
            Stream::Tls(tls) => tls.get_ref().0,
        };
        matches!(tcp.try_read(&mut [0; 1]), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock)
    }
}

impl tokio::io::AsyncRead for Stream {
    fn poll_read(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => std::pin::Pin::new(s).poll_read(cx, buf),
            #[cfg(feature = "rustls")]
            Stream::Tls(s) => std::pin::Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl tokio::io::AsyncWrite for Stream {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => std::pin::Pin::new(s).poll_write(cx, buf),
            #[cfg(feature = "rustls")]
            Stream::Tls(s) => std::pin::Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => std::pin::Pin::new(s).poll_flush(cx),
            #[cfg(feature = "rustls")]
            Stream::Tls(s) => std::pin::Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => std::pin::Pin::new(s).poll_shutdown(cx),
            #[cfg(feature = "rustls")]
            Stream::Tls(s) => std::pin::Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

#[cfg(feature = "rustls")]
mod tls {
    use std::sync::Arc;

    use tokio::net::TcpStream;
    use tokio_rustls::rustls::{self, RootCertStore, pki_types};

    use super::TransportError;

    /// rustls with the `ring` provider and Mozilla's root certificates
    /// (webpki-roots), plus any the caller adds.
    pub(super) struct Connector(tokio_rustls::TlsConnector);

    impl Connector {
        pub(super) fn new(extra_roots: &[Vec<u8>]) -> Result<Self, String> {
            let mut roots = RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            };
            for der in extra_roots {
                roots
                    .add(pki_types::CertificateDer::from(der.clone()))
                    .map_err(|e| format!("root certificate: {e}"))?;
            }
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let mut config = rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .map_err(|e| format!("TLS setup: {e}"))?
                .with_root_certificates(roots)
                .with_no_client_auth();
            config.alpn_protocols = vec![b"http/1.1".to_vec()];
            Ok(Connector(tokio_rustls::TlsConnector::from(Arc::new(
                config,
            ))))
        }

        pub(super) async fn connect(
            &self,
            host: &str,
            tcp: TcpStream,
        ) -> Result<tokio_rustls::client::TlsStream<TcpStream>, TransportError> {
            let name = pki_types::ServerName::try_from(host.to_owned()).map_err(|e| {
                TransportError::Tls(std::io::Error::new(std::io::ErrorKind::InvalidInput, e))
            })?;
            self.0.connect(name, tcp).await.map_err(TransportError::Tls)
        }
    }
}
