//! The client's own HTTP/1.1 transport against raw servers on 127.0.0.1:
//! connection reuse, a server closing idle connections, broken responses,
//! header injection, and TLS with a test root certificate.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use hubspot_associations::runtime::{RetryPolicy, TransportError};
use hubspot_associations::v2026_03::associations as assoc;
use hubspot_associations::{Client, Error};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

const TOKEN: &str = "pat-na1-transport-token";
const LIST_BODY: &str = r#"{"results":[{"toObjectId":"7","associationTypes":[]}]}"#;

/// What the server does with the n-th request (counting from 0) on a connection.
#[derive(Clone, Copy)]
enum Reply {
    /// 200 with the list body, connection kept open.
    Ok,
    /// 200 with the list body, then the server closes the connection
    /// without saying so (as servers do with idle keep-alive connections).
    OkThenClose,
    /// These bytes, then close.
    Raw(&'static str),
    /// These bytes, connection kept open.
    KeepRaw(&'static str),
    /// Read the request, then close without a byte of answer.
    Drop,
}

struct Server {
    url: String,
    connections: Arc<AtomicUsize>,
    requests: Arc<std::sync::Mutex<Vec<String>>>,
}

async fn read_request<S: AsyncRead + Unpin>(reader: &mut BufReader<S>) -> Option<String> {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        head.push_str(&line);
        if line == "\r\n" {
            break;
        }
    }
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length: "))
        .and_then(|n| n.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await.ok()?;
    head.push_str(&String::from_utf8_lossy(&body));
    Some(head)
}

fn ok_response() -> String {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{LIST_BODY}",
        LIST_BODY.len()
    )
}

async fn serve<S: AsyncRead + AsyncWrite + Unpin>(
    stream: S,
    script: fn(usize, usize) -> Reply,
    connection: usize,
    requests: Arc<std::sync::Mutex<Vec<String>>>,
) {
    let mut reader = BufReader::new(stream);
    let mut n = 0;
    while let Some(request) = read_request(&mut reader).await {
        requests.lock().unwrap().push(request);
        let stream = reader.get_mut();
        match script(connection, n) {
            Reply::Ok => stream.write_all(ok_response().as_bytes()).await.unwrap(),
            Reply::OkThenClose => {
                stream.write_all(ok_response().as_bytes()).await.unwrap();
                return;
            }
            Reply::Raw(bytes) => {
                let _ = stream.write_all(bytes.as_bytes()).await;
                return;
            }
            Reply::KeepRaw(bytes) => stream.write_all(bytes.as_bytes()).await.unwrap(),
            Reply::Drop => return,
        }
        n += 1;
    }
}

/// A server answering by `script(connection index, request index on it)`.
async fn server(script: fn(usize, usize) -> Reply) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let requests = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (count, log) = (connections.clone(), requests.clone());
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let connection = count.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(serve(stream, script, connection, log.clone()));
        }
    });
    Server {
        url,
        connections,
        requests,
    }
}

fn client(url: &str, max_retries: u32) -> Client {
    Client::builder(TOKEN)
        .base_url(url)
        .no_rate_limit()
        .timeout(Duration::from_secs(5))
        .retry_policy(RetryPolicy {
            max_retries,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(5),
            max_retry_after: Duration::from_secs(1),
        })
        .build()
        .unwrap()
}

async fn list(client: &Client) -> Result<Vec<String>, Error> {
    let page = client
        .v2026_03()
        .list("contacts", "101", "companies", &assoc::ListParams::new())
        .await?;
    Ok(page.results.into_iter().map(|r| r.to_object_id).collect())
}

#[tokio::test]
async fn sequential_calls_reuse_one_connection() {
    let server = server(|_, _| Reply::Ok).await;
    let client = client(&server.url, 0);
    for _ in 0..5 {
        assert_eq!(list(&client).await.unwrap(), ["7"]);
    }
    assert_eq!(server.connections.load(Ordering::SeqCst), 1);
    let requests = server.requests.lock().unwrap();
    assert_eq!(requests.len(), 5);
    let host = server.url.trim_start_matches("http://");
    assert!(
        requests[0].starts_with(&format!(
            "GET /crm/objects/2026-03/contacts/101/associations/companies HTTP/1.1\r\nhost: {host}\r\n\
             authorization: Bearer {TOKEN}\r\nuser-agent: hubspot-associations/"
        )),
        "{}",
        requests[0]
    );
}

#[tokio::test]
async fn a_connection_closed_while_idle_is_replaced_without_a_retry() {
    // Every connection answers once, then closes without a `connection: close`.
    let server = server(|_, _| Reply::OkThenClose).await;
    let client = client(&server.url, 0);
    for _ in 0..3 {
        // No retries allowed: the reconnect must not count as one.
        assert_eq!(list(&client).await.unwrap(), ["7"]);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(server.connections.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn broken_responses_are_connection_errors_and_retried() {
    // First connection: a body cut short; second: a good answer.
    let server = server(|connection, _| match connection {
        0 => Reply::Raw("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"results\":"),
        _ => Reply::Ok,
    })
    .await;
    assert_eq!(list(&client(&server.url, 1)).await.unwrap(), ["7"]);
    assert_eq!(server.connections.load(Ordering::SeqCst), 2);

    let garbage = server_with_garbage().await;
    let err = list(&client(&garbage.url, 1)).await.unwrap_err();
    let Error::Connection { source, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(matches!(source, TransportError::Protocol(_)), "{source:?}");
    assert!(err.to_string().contains("invalid HTTP response"), "{err}");
    // Tried twice (one retry), each on a fresh connection.
    assert_eq!(garbage.connections.load(Ordering::SeqCst), 2);
}

const BATCH_OK: &str = "HTTP/1.1 200 OK\r\ncontent-length: 106\r\n\r\n\
    {\"status\":\"COMPLETE\",\"results\":[],\"startedAt\":\"2026-03-04T10:15:30Z\",\"completedAt\":\"2026-03-04T10:15:31Z\"}";

async fn batch_read(client: &Client) -> Result<(), Error> {
    let input = assoc::BatchInputPublicFetchAssociationsBatchRequest::new(vec![
        assoc::PublicFetchAssociationsBatchRequest::new("1"),
    ]);
    client
        .v2026_03()
        .batch_read("contacts", "companies", &input)
        .await
        .map(drop)
}

#[tokio::test]
async fn unanswered_requests_on_a_reused_connection_are_replayed_only_if_idempotent() {
    // Second request on the first connection: read, then closed unanswered.
    let server = server(|connection, n| match (connection, n) {
        (0, 0) => Reply::KeepRaw(BATCH_OK),
        (0, _) => Reply::Drop,
        _ => Reply::Ok,
    })
    .await;
    let client = client(&server.url, 0);
    batch_read(&client).await.unwrap();
    // A POST the server may have acted on is not sent again behind the
    // caller's back (no retries allowed here): the error says what happened.
    let err = batch_read(&client).await.unwrap_err();
    let Error::Connection { source, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(matches!(source, TransportError::Closed), "{source:?}");
    assert_eq!(server.requests.lock().unwrap().len(), 2);

    // A GET in the same spot is replayed on a new connection.
    let server = self::server(|connection, n| match (connection, n) {
        (0, 0) => Reply::Ok,
        (0, _) => Reply::Drop,
        _ => Reply::Ok,
    })
    .await;
    let client = self::client(&server.url, 0);
    assert_eq!(list(&client).await.unwrap(), ["7"]);
    assert_eq!(list(&client).await.unwrap(), ["7"]);
    assert_eq!(server.requests.lock().unwrap().len(), 3);
    assert_eq!(server.connections.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn bytes_after_a_body_are_never_read_as_the_next_answer() {
    // The first answer carries a second, unasked-for response after its body.
    let server = server(|connection, n| match (connection, n) {
        (0, 0) => Reply::KeepRaw(
            "HTTP/1.1 200 OK\r\ncontent-length: 54\r\n\r\n\
             {\"results\":[{\"toObjectId\":\"1\",\"associationTypes\":[]}]}\
             HTTP/1.1 200 OK\r\ncontent-length: 54\r\n\r\n\
             {\"results\":[{\"toObjectId\":\"X\",\"associationTypes\":[]}]}",
        ),
        _ => Reply::Ok,
    })
    .await;
    let client = client(&server.url, 0);
    assert_eq!(list(&client).await.unwrap(), ["1"]);
    assert_eq!(list(&client).await.unwrap(), ["7"]);
    assert_eq!(server.connections.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_long_retry_after_on_503_fails_at_once() {
    let server = server(|_, _| {
        Reply::Raw(
            "HTTP/1.1 503 Service Unavailable\r\nretry-after: 86400\r\ncontent-length: 0\r\n\r\n",
        )
    })
    .await;
    let started = std::time::Instant::now();
    let err = list(&client(&server.url, 2)).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.connections.load(Ordering::SeqCst), 1);
}

async fn server_with_garbage() -> Server {
    server(|_, _| Reply::Raw("SSH-2.0-OpenSSH_9.6\r\n\r\n")).await
}

#[tokio::test]
async fn chunked_responses_and_error_statuses() {
    let server = server(|_, n| match n {
        0 => Reply::Raw(
            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n\
             a\r\n{\"results\"\r\n2b\r\n:[{\"toObjectId\":\"9\",\"associationTypes\":[]}]\r\n1\r\n}\r\n0\r\n\r\n",
        ),
        _ => Reply::Ok,
    })
    .await;
    assert_eq!(list(&client(&server.url, 0)).await.unwrap(), ["9"]);

    let not_found = self::server(|_, _| {
        Reply::Raw(
            "HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: 46\r\n\r\n\
             {\"status\":\"error\",\"message\":\"no such contact\"}",
        )
    })
    .await;
    let err = list(&client(&not_found.url, 2)).await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(
        err.api_body().and_then(|b| b.message.as_deref()),
        Some("no such contact")
    );
    // 404 is final: one connection, one request.
    assert_eq!(not_found.connections.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn bad_base_urls_and_tokens_are_refused_when_building() {
    for url in [
        "ftp://example.com",
        "https://user:pw@example.com",
        "http://exa mple.com",
        "http://example.com/a?b",
        "http://example.com:99999",
        "http://example.com:",
        "http://example.com:+80",
        "http://::1",
        "http://fe80::1:8080",
        "http://[::1",
        "http://[::1]x",
        "http://[example.com]",
    ] {
        let err = Client::builder(TOKEN).base_url(url).build().unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{url}: {err:?}");
        assert!(err.to_string().contains("base URL"), "{err}");
    }
    for url in [
        "http://[::1]:8080",
        "http://[::1]",
        "https://API.hubapi.com/",
        "http://h:1/p/",
    ] {
        Client::builder(TOKEN).base_url(url).build().unwrap();
    }
    let err = Client::builder("abc\r\nx-evil: 1").build().unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    // A base URL with a path prefix keeps it.
    let server = server(|_, _| Reply::Ok).await;
    let prefixed = client(&format!("{}/proxy/hubspot/", server.url), 0);
    list(&prefixed).await.unwrap();
    let requests = server.requests.lock().unwrap();
    assert!(
        requests[0].starts_with("GET /proxy/hubspot/crm/objects/2026-03/contacts/101/"),
        "{}",
        requests[0]
    );
}

/// A TLS server for `localhost` with a fresh self-signed certificate: its
/// port, the certificate (DER) and the requests it receives.
async fn tls_server() -> (u16, Vec<u8>, Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio_rustls::rustls;

    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let cert = certified.cert.der().to_vec();
    let key =
        rustls::pki_types::PrivateKeyDer::try_from(certified.signing_key.serialize_der()).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert.clone().into()], key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let requests = Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = requests.clone();
    tokio::spawn(async move {
        for connection in 0.. {
            let (tcp, _) = listener.accept().await.unwrap();
            let acceptor = acceptor.clone();
            let log = log.clone();
            tokio::spawn(async move {
                // A client that does not trust the certificate aborts the handshake.
                if let Ok(tls) = acceptor.accept(tcp).await {
                    serve(tls, |_, _| Reply::Ok, connection, log).await;
                }
            });
        }
    });
    (port, cert, requests)
}

#[tokio::test]
async fn tls_with_an_added_root_certificate() {
    let (port, cert, requests) = tls_server().await;
    let url = format!("https://localhost:{port}");

    let trusting = Client::builder(TOKEN)
        .base_url(&url)
        .no_rate_limit()
        .add_root_certificate(cert)
        .build()
        .unwrap();
    assert_eq!(list(&trusting).await.unwrap(), ["7"]);
    assert_eq!(list(&trusting).await.unwrap(), ["7"]);
    assert!(requests.lock().unwrap()[0].contains(&format!("host: localhost:{port}\r\n")));

    let untrusting = client(&url, 0);
    let err = list(&untrusting).await.unwrap_err();
    let Error::Connection { source, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(matches!(source, TransportError::Tls(_)), "{source:?}");
    assert!(err.to_string().contains("TLS handshake failed"), "{err}");
    assert_eq!(requests.lock().unwrap().len(), 2);
}

/// A CONNECT proxy on 127.0.0.1: records each CONNECT head, then either
/// refuses with `refuse` or tunnels to 127.0.0.1 at the requested port.
async fn connect_proxy(
    refuse: Option<&'static str>,
) -> (String, Arc<std::sync::Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("127.0.0.1:{}", listener.local_addr().unwrap().port());
    let heads = Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = heads.clone();
    tokio::spawn(async move {
        loop {
            let (tcp, _) = listener.accept().await.unwrap();
            let log = log.clone();
            tokio::spawn(async move {
                let mut reader = BufReader::new(tcp);
                let Some(head) = read_request(&mut reader).await else {
                    return;
                };
                log.lock().unwrap().push(head.clone());
                let mut client = reader.into_inner();
                if let Some(answer) = refuse {
                    let _ = client.write_all(answer.as_bytes()).await;
                    return;
                }
                let port = head
                    .split_whitespace()
                    .nth(1)
                    .and_then(|target| target.rsplit(':').next())
                    .and_then(|port| port.parse::<u16>().ok())
                    .unwrap();
                let mut upstream = tokio::net::TcpStream::connect(("127.0.0.1", port))
                    .await
                    .unwrap();
                client
                    .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    .await
                    .unwrap();
                let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
            });
        }
    });
    (url, heads)
}

#[tokio::test]
async fn https_through_a_connect_proxy_with_credentials() {
    let (port, cert, requests) = tls_server().await;
    let (proxy, heads) = connect_proxy(None).await;
    let client = Client::builder(TOKEN)
        .base_url(format!("https://localhost:{port}"))
        .no_rate_limit()
        .add_root_certificate(cert)
        .proxy(format!("http://me:s%40cret@{proxy}"))
        .build()
        .unwrap();
    assert_eq!(list(&client).await.unwrap(), ["7"]);
    assert_eq!(list(&client).await.unwrap(), ["7"]);
    // One tunnel, reused; the proxy saw the CONNECT and credentials, never the token.
    let heads = heads.lock().unwrap().clone();
    assert_eq!(heads.len(), 1);
    assert_eq!(
        heads[0],
        format!(
            "CONNECT localhost:{port} HTTP/1.1\r\nhost: localhost:{port}\r\n\
             proxy-authorization: Basic bWU6c0BjcmV0\r\n\r\n"
        )
    );
    assert!(!heads[0].contains(TOKEN));
    assert_eq!(requests.lock().unwrap().len(), 2);

    let (refusing, refused) = connect_proxy(Some(
        "HTTP/1.1 407 Proxy Authentication Required\r\ncontent-length: 0\r\n\r\n",
    ))
    .await;
    let client = Client::builder(TOKEN)
        .base_url(format!("https://localhost:{port}"))
        .proxy(format!("http://{refusing}"))
        .retry_policy(RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(5),
            max_retry_after: Duration::from_secs(1),
        })
        .build()
        .unwrap();
    let err = list(&client).await.unwrap_err();
    let Error::Connection { source, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(matches!(source, TransportError::Proxy(_)), "{source:?}");
    assert!(err.to_string().contains("407"), "{err}");
    // A refusal is final: asking again would only be refused again.
    assert_eq!(refused.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn plain_http_through_a_proxy_uses_the_absolute_form() {
    // The "proxy" answers itself; the origin's name is never resolved.
    let proxy = server(|_, _| Reply::Ok).await;
    let client = Client::builder(TOKEN)
        .base_url("http://hubspot.invalid:8080/prefix")
        .no_rate_limit()
        .proxy(format!(
            "{}/",
            proxy.url.replace("http://", "http://user:pw@")
        ))
        .build()
        .unwrap();
    assert_eq!(list(&client).await.unwrap(), ["7"]);
    let requests = proxy.requests.lock().unwrap();
    assert!(
        requests[0].starts_with(
            "GET http://hubspot.invalid:8080/prefix/crm/objects/2026-03/contacts/101/associations/companies HTTP/1.1\r\n\
             host: hubspot.invalid:8080\r\n"
        ),
        "{}",
        requests[0]
    );
    assert!(requests[0].contains("proxy-authorization: Basic dXNlcjpwdw==\r\n"));

    let err = Client::builder(TOKEN)
        .proxy("socks5://x:1")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("proxy \"socks5://x:1\""), "{err}");
}
