//! A minimal HTTP/1.1 server on 127.0.0.1: keep-alive, reads each request
//! (headers and `Content-Length` body) and answers with one prebuilt `200`
//! response, gzip-compressed (once, up front) when the request accepts gzip.
//! Small enough that both clients pay the same, tiny server cost. It counts
//! the bytes on the wire each way.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Requests kept for inspection; later ones are answered but not kept.
const KEPT_REQUESTS: usize = 16;

/// What a test compares of a request: the request line, the
/// `authorization` and `content-type` headers, and the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenRequest {
    pub line: String,
    pub authorization: Option<String>,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

pub struct LocalServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    seen: Arc<Mutex<Vec<SeenRequest>>>,
    wire: Arc<Wire>,
}

/// Bytes read from clients and written to them.
#[derive(Debug, Default)]
pub struct Wire {
    pub received: AtomicU64,
    pub sent: AtomicU64,
}

/// The prebuilt answers: as is, and gzip-compressed.
struct Answers {
    plain: Vec<u8>,
    gzip: Vec<u8>,
}

fn answer(body: &[u8], encoding: Option<&str>) -> Vec<u8> {
    let encoding = encoding
        .map(|e| format!("content-encoding: {e}\r\n"))
        .unwrap_or_default();
    let mut response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{encoding}content-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(body);
    response
}

impl LocalServer {
    /// Serves `body` as `application/json` to every request, on a free port.
    pub fn start(body: Vec<u8>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let gzipped = {
            use std::io::Write as _;
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            gz.write_all(&body).expect("gzip");
            gz.finish().expect("gzip")
        };
        let response = Arc::new(Answers {
            plain: answer(&body, None),
            gzip: answer(&gzipped, Some("gzip")),
        });
        let wire = Arc::new(Wire::default());
        let stop = Arc::new(AtomicBool::new(false));
        let seen = Arc::new(Mutex::new(Vec::new()));
        {
            let stop = stop.clone();
            let seen = seen.clone();
            let wire = wire.clone();
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let response = response.clone();
                    let seen = seen.clone();
                    let wire = wire.clone();
                    std::thread::spawn(move || {
                        let _ = serve(stream, &response, &seen, &wire);
                    });
                }
            });
        }
        Self {
            addr,
            stop,
            seen,
            wire,
        }
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Bytes on the wire so far: `(received from clients, sent to them)`.
    pub fn wire_bytes(&self) -> (u64, u64) {
        (
            self.wire.received.load(Ordering::Relaxed),
            self.wire.sent.load(Ordering::Relaxed),
        )
    }

    /// The first requests served, in order.
    pub fn requests(&self) -> Vec<SeenRequest> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

fn serve(
    stream: TcpStream,
    answers: &Answers,
    seen: &Mutex<Vec<SeenRequest>>,
    wire: &Wire,
) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut reader = BufReader::with_capacity(64 * 1024, stream.try_clone()?);
    let mut writer = stream;
    let mut line = String::new();
    let mut body = Vec::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let request_line = line.trim_end().to_owned();
        let mut received = line.len();
        let mut gzip = false;
        let mut length = 0;
        let mut close = false;
        let mut authorization = None;
        let mut content_type = None;
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            received += line.len();
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            let Some((name, value)) = header.split_once(':') else {
                continue;
            };
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = value.parse().unwrap_or(0);
            } else if name.eq_ignore_ascii_case("connection") {
                close = value.eq_ignore_ascii_case("close");
            } else if name.eq_ignore_ascii_case("authorization") {
                authorization = Some(value.to_owned());
            } else if name.eq_ignore_ascii_case("content-type") {
                content_type = Some(value.to_owned());
            } else if name.eq_ignore_ascii_case("accept-encoding") {
                gzip = value.split(',').any(|e| e.trim() == "gzip");
            }
        }
        body.resize(length, 0);
        reader.read_exact(&mut body)?;
        {
            let mut seen = seen.lock().unwrap();
            if seen.len() < KEPT_REQUESTS {
                seen.push(SeenRequest {
                    line: request_line,
                    authorization,
                    content_type,
                    body: body.clone(),
                });
            }
        }
        let response = if gzip { &answers.gzip } else { &answers.plain };
        wire.received
            .fetch_add((received + length) as u64, Ordering::Relaxed);
        wire.sent
            .fetch_add(response.len() as u64, Ordering::Relaxed);
        writer.write_all(response)?;
        if close {
            return Ok(());
        }
    }
}
