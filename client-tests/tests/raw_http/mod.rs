//! Reading HTTP/1.1 requests by hand, for the tests whose 127.0.0.1 server
//! must cut, stall or count at the byte level (where wiremock cannot).

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, BufReader};

/// Reads one request: its head and its `Content-Length` body, as text
/// (`None` when the connection ends first).
pub async fn read_request<S: AsyncRead + Unpin>(reader: &mut BufReader<S>) -> Option<String> {
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
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length").then_some(value)
        })
        .and_then(|n| n.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await.ok()?;
    head.push_str(&String::from_utf8_lossy(&body));
    Some(head)
}
