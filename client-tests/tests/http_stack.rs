//! The client over its default HTTP stack (reqwest) against raw servers on
//! 127.0.0.1: which failures are retried for which operations (counting what
//! the server received), connection reuse, broken and chunked responses,
//! base URL checks, TLS with a test root certificate and a proxy.

mod raw_http;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use hubspot_associations::AssociationsExt as _;
use hubspot_associations::runtime::{RetryPolicy, TransportErrorKind};
use hubspot_associations::v2026_03::associations as assoc;
use hubspot_associations::v2026_03::associations_schema as schema;
use hubspot_associations::{Client, Error};
use raw_http::read_request;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
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
    /// Read the request, wait a second, then answer as `Ok`.
    Slow,
}

struct Server {
    url: String,
    connections: Arc<AtomicUsize>,
    requests: Arc<std::sync::Mutex<Vec<String>>>,
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
            Reply::Slow => {
                tokio::time::sleep(Duration::from_secs(1)).await;
                let _ = stream.write_all(ok_response().as_bytes()).await;
            }
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

/// A client with the defaults users get (retries and limiter on).
fn default_client(url: &str) -> Client {
    Client::builder(TOKEN).base_url(url).build().unwrap()
}

async fn list(client: &Client) -> Result<Vec<String>, Error> {
    let page = client
        .associations()
        .v2026_03()
        .list("contacts", "101", "companies", &assoc::ListParams::new())
        .await?;
    Ok(page.results.into_iter().map(|r| r.to_object_id).collect())
}

const LABEL_CREATED: &str = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 53\r\n\r\n\
    {\"results\":[{\"category\":\"USER_DEFINED\",\"typeId\":12}]}";

async fn create_label(client: &Client) -> Result<(), Error> {
    let label = schema::PublicAssociationDefinitionCreateRequest::new("Manager", "manager");
    client
        .associations()
        .v2026_03()
        .create_label("contacts", "companies", &label)
        .await
        .map(drop)
}

const BATCH_OK: &str = "HTTP/1.1 200 OK\r\ncontent-length: 106\r\n\r\n\
    {\"status\":\"COMPLETE\",\"results\":[],\"startedAt\":\"2026-03-04T10:15:30Z\",\"completedAt\":\"2026-03-04T10:15:31Z\"}";

async fn batch_read(client: &Client) -> Result<(), Error> {
    let input = assoc::BatchInputPublicFetchAssociationsBatchRequest::new(vec![
        assoc::PublicFetchAssociationsBatchRequest::new("1"),
    ]);
    client
        .associations()
        .v2026_03()
        .batch_read("contacts", "companies", &input)
        .await
        .map(drop)
}

fn received(server: &Server) -> usize {
    server.requests.lock().unwrap().len()
}

#[tokio::test]
async fn a_creating_post_cut_after_the_server_read_it_arrives_exactly_once() {
    let server = server(|_, _| Reply::Drop).await;
    let err = create_label(&default_client(&server.url))
        .await
        .unwrap_err();
    let Error::Connection { source, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(source.kind(), TransportErrorKind::Interrupted, "{source}");
    // Give a late retry time to show up before counting.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(received(&server), 1);
}

#[tokio::test]
async fn a_body_cut_after_hubspot_answered_says_the_write_may_be_done() {
    let server = server(|_, _| {
        Reply::Raw(
            "HTTP/1.1 200 OK\r\nx-hubspot-correlation-id: 9f2c\r\ncontent-length: 53\r\n\r\n{\"results\":",
        )
    })
    .await;
    let err = create_label(&default_client(&server.url))
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with("`create_label` was sent but no complete answer came back (HubSpot may have carried it out)"),
        "{text}"
    );
    assert!(
        text.contains("HubSpot answered HTTP 200, correlation id 9f2c, then the body broke off"),
        "{text}"
    );
    assert_eq!(received(&server), 1);
}

#[tokio::test]
async fn the_same_cut_on_batch_read_is_retried_and_succeeds() {
    let server = server(|connection, _| match connection {
        0 => Reply::Drop,
        _ => Reply::KeepRaw(BATCH_OK),
    })
    .await;
    batch_read(&default_client(&server.url)).await.unwrap();
    assert_eq!(received(&server), 2);
}

#[tokio::test]
async fn a_503_is_retried_for_a_list_but_not_for_create_label() {
    fn unavailable(_: usize, _: usize) -> Reply {
        Reply::Raw("HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n")
    }
    let server = server(unavailable).await;
    let err = create_label(&default_client(&server.url))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(received(&server), 1);

    let server = self::server(unavailable).await;
    let err = list(&default_client(&server.url)).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    // The first attempt and the default two retries.
    assert_eq!(received(&server), 3);
}

#[tokio::test]
async fn a_429_without_retry_after_is_retried_even_for_create_label() {
    let server = server(|connection, _| match connection {
        0 => Reply::Raw(
            "HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\ncontent-length: 105\r\n\r\n\
             {\"status\":\"error\",\"message\":\"You have reached your ten_secondly_rolling limit.\",\"category\":\"RATE_LIMITS\"}",
        ),
        _ => Reply::KeepRaw(LABEL_CREATED),
    })
    .await;
    create_label(&default_client(&server.url)).await.unwrap();
    assert_eq!(received(&server), 2);
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_for_create_label() {
    // Nothing listens at first; a server takes the port 150 ms later, before
    // the first backoff (at least 250 ms by default) ends.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let requests = Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = requests.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(150)).await;
        let listener = TcpListener::bind(address).await.unwrap();
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            tokio::spawn(serve(
                stream,
                |_, _| Reply::KeepRaw(LABEL_CREATED),
                0,
                log.clone(),
            ));
        }
    });
    create_label(&default_client(&format!("http://{address}")))
        .await
        .unwrap();
    assert_eq!(requests.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn timeouts_are_retried_only_for_operations_safe_to_repeat() {
    let short_timeout = |url: &str| {
        Client::builder(TOKEN)
            .base_url(url)
            .timeout(Duration::from_millis(200))
            .build()
            .unwrap()
    };
    let server = server(|_, _| Reply::Slow).await;
    let err = list(&short_timeout(&server.url)).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_eq!(received(&server), 3);

    let server = self::server(|_, _| Reply::Slow).await;
    let err = create_label(&short_timeout(&server.url)).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(received(&server), 1);
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
    let head = requests[0].to_ascii_lowercase();
    assert!(
        head.starts_with(
            "get /crm/objects/2026-03/contacts/101/associations/companies http/1.1\r\n"
        ),
        "{head}"
    );
    for line in [
        format!("authorization: bearer {}", TOKEN.to_ascii_lowercase()),
        "user-agent: hubspot-runtime/".to_owned(),
        "accept: application/json".to_owned(),
        "accept-encoding: gzip".to_owned(),
    ] {
        assert!(head.contains(&format!("\r\n{line}")), "{line} in {head}");
    }
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
async fn broken_responses_are_connection_errors_and_retried_when_safe() {
    // First connection: a body cut short; second: a good answer.
    let server = server(|connection, _| match connection {
        0 => Reply::Raw("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"results\":"),
        _ => Reply::Ok,
    })
    .await;
    assert_eq!(list(&client(&server.url, 1)).await.unwrap(), ["7"]);
    assert_eq!(received(&server), 2);

    let garbage = server_with_garbage().await;
    let err = list(&client(&garbage.url, 1)).await.unwrap_err();
    let Error::Connection { source, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(source.kind(), TransportErrorKind::Interrupted, "{source}");
    // Tried twice (one retry).
    assert_eq!(received(&garbage), 2);
}

#[tokio::test]
async fn a_long_retry_after_on_503_fails_at_once() {
    let server = server(|_, _| {
        Reply::Raw(
            "HTTP/1.1 503 Service Unavailable\r\nretry-after: 86400\r\ncontent-length: 0\r\n\r\n",
        )
    })
    .await;
    let err = list(&client(&server.url, 2)).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(received(&server), 1);
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
            "HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\nx-hubspot-correlation-id: 3c1f\r\ncontent-length: 46\r\n\r\n\
             {\"status\":\"error\",\"message\":\"no such contact\"}",
        )
    })
    .await;
    let err = list(&client(&not_found.url, 2)).await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.correlation_id(), Some("3c1f"));
    assert_eq!(
        err.api_body().and_then(|b| b.message.as_deref()),
        Some("no such contact")
    );
    // 404 is final: one request.
    assert_eq!(received(&not_found), 1);
}

#[tokio::test]
async fn bad_base_urls_and_tokens_are_refused_when_building() {
    for url in [
        "ftp://example.com",
        "https://user:pw@example.com",
        "http://exa mple.com",
        "http://example.com/a?b",
        "http://example.com/a#b",
        "example.com",
        "/relative",
    ] {
        let err = Client::builder(TOKEN).base_url(url).build().unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{url}: {err:?}");
        assert!(err.to_string().contains("base URL"), "{err}");
        // The message never repeats the URL: it may carry credentials.
        assert!(!err.to_string().contains("pw@"), "{err}");
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
        .add_root_certificate(cert)
        .build()
        .unwrap();
    assert_eq!(list(&trusting).await.unwrap(), ["7"]);
    assert_eq!(list(&trusting).await.unwrap(), ["7"]);
    assert_eq!(requests.lock().unwrap().len(), 2);

    // Without the root the handshake fails: the request never left.
    let untrusting = client(&url, 0);
    let err = list(&untrusting).await.unwrap_err();
    let Error::Connection { source, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(source.kind(), TransportErrorKind::Connect, "{source}");
    assert_eq!(requests.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn plain_http_through_a_proxy_uses_the_absolute_form_with_its_credentials() {
    // The "proxy" answers itself; the origin's name is never resolved.
    let proxy = server(|_, _| Reply::Ok).await;
    let client = Client::builder(TOKEN)
        .base_url("http://hubspot.invalid:8080/prefix")
        .proxy(proxy.url.replace("http://", "http://user:pw@"))
        .build()
        .unwrap();
    assert_eq!(list(&client).await.unwrap(), ["7"]);
    let requests = proxy.requests.lock().unwrap();
    let head = requests[0].to_ascii_lowercase();
    assert!(
        head.starts_with(
            "get http://hubspot.invalid:8080/prefix/crm/objects/2026-03/contacts/101/associations/companies http/1.1\r\n"
        ),
        "{head}"
    );
    assert!(
        head.contains("\r\nproxy-authorization: basic dxnlcjpwdw==\r\n"),
        "{head}"
    );
    // Debug output never shows the token.
    assert!(!format!("{client:?}").contains(TOKEN));
}
