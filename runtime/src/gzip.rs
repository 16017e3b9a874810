//! Gzip-compressed responses (`gzip` feature, on by default): the client
//! asks for them (`Accept-Encoding: gzip`) and inflates a body whose
//! `Content-Encoding` is gzip once it is whole, above the [`HttpClient`]
//! seam, so it works the same over reqwest, middleware, your own stack and
//! `MockHttp`. A client that already inflated the body (a `reqwest::Client`
//! of yours built with reqwest's `gzip` feature) drops the header, and the
//! body passes through. (OAuth token requests do not ask for gzip.)
//!
//! Why not reqwest's `gzip` feature: it streams through tower-http,
//! async-compression, compression-codecs and flate2, and turns on memchr's
//! `default` feature, so a typical app builds memchr and serde_json twice:
//! more compile time than the rest of this crate, where the whole body is in
//! hand anyway (BENCHMARKS.md 2b). What is left is RFC 1952's framing (a
//! header to skip, a trailer to check) around miniz_oxide, the inflater
//! flate2 itself runs, with crc32fast's checksum. A large body is inflated
//! straight into a buffer of the size the trailer announces, taken from a
//! small process-wide pool so that large bodies do not churn the heap
//! ([`BufferPool`]; BENCHMARKS.md 4c). Measured against flate2's
//! `MultiGzDecoder` (BENCHMARKS.md 4d): half the instructions for a large
//! answer, and a body inflating past the cap (`ClientBuilder::
//! max_inflated_body`) stops at the cap instead of twice it.
//!
//! [`HttpClient`]: super::HttpClient

use std::sync::{Mutex, PoisonError};

use bytes::Bytes;
use miniz_oxide::inflate::stream::{InflateState, MinReset, inflate};
use miniz_oxide::{DataFormat, MZError, MZFlush, MZStatus};

/// The `Accept-Encoding` the client sends.
pub(crate) const ACCEPT_ENCODING: &str = "gzip";

/// Why a body could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BodyProblem {
    /// What is wrong, for the error message.
    pub(crate) message: String,
    /// Damage a resend may not meet (cut short, a bad checksum), as opposed
    /// to an answer that would be the same again (not gzip, too large, a
    /// coding this client does not read).
    pub(crate) transient: bool,
}

impl BodyProblem {
    fn damaged(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            transient: true,
        }
    }

    fn refused(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            transient: false,
        }
    }
}

impl std::fmt::Display for BodyProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Undoes the body's `Content-Encoding` (every listed coding, last applied
/// first; `identity` is no coding) and removes the header and
/// `Content-Length` once it has. A body without one passes through.
pub(crate) fn decode_body(
    headers: &mut http::HeaderMap,
    body: Bytes,
    limit: usize,
) -> Result<Bytes, BodyProblem> {
    let mut codings = Vec::new();
    for value in headers.get_all(http::header::CONTENT_ENCODING) {
        for coding in value.as_bytes().split(|&b| b == b',') {
            let coding = coding.trim_ascii();
            if !coding.is_empty() && !coding.eq_ignore_ascii_case(b"identity") {
                codings.push(String::from_utf8_lossy(coding).into_owned());
            }
        }
    }
    if codings.is_empty() {
        return Ok(body);
    }
    let mut body = body;
    // An empty body (HEAD, 204) has nothing to decode, whatever the coding.
    if !body.is_empty() {
        for coding in codings.iter().rev() {
            if !is_gzip(coding.as_bytes()) {
                let shown: String = coding.chars().take(32).collect();
                return Err(BodyProblem::refused(format!(
                    "its Content-Encoding {shown:?} is not one this client decodes (it asks for gzip)"
                )));
            }
            body = gunzip_pooled(&INFLATED, &body, limit)?;
        }
    }
    headers.remove(http::header::CONTENT_ENCODING);
    headers.remove(http::header::CONTENT_LENGTH);
    Ok(body)
}

/// Whether a content coding (trimmed) is gzip.
fn is_gzip(coding: &[u8]) -> bool {
    coding.eq_ignore_ascii_case(b"gzip") || coding.eq_ignore_ascii_case(b"x-gzip")
}

/// The buffers inflated bodies are written into.
static INFLATED: BufferPool = BufferPool::new();

/// Buffers of inflated bodies, kept for the next responses.
///
/// Why: a 1,000-input batch read inflates to 1.5 MB. A fresh buffer per
/// response, freed when the body is decoded, is exactly the pattern that
/// makes glibc give the top of its heap back and fault it in again on the
/// next call (22 `brk` per call, 1.3x the wall time; BENCHMARKS.md 4c).
/// Reused buffers keep the heap still. One pool serves the process (an app
/// with a `Client` per portal holds no more than one with a single
/// client): at most [`KEEP`](Self::KEEP) buffers and
/// [`KEEP_BYTES`](Self::KEEP_BYTES) in all; a buffer beyond that is freed
/// as usual. Bodies under [`SMALL`](Self::SMALL) get a buffer of their own.
#[derive(Debug)]
pub(crate) struct BufferPool {
    free: Mutex<Vec<Vec<u8>>>,
}

impl BufferPool {
    /// Buffers kept: the default concurrency of batch chunks.
    const KEEP: usize = 4;
    /// Bytes kept in all.
    const KEEP_BYTES: usize = 32 << 20;
    /// Smaller bodies come and go without disturbing the heap.
    const SMALL: usize = 64 << 10;

    pub(crate) const fn new() -> Self {
        Self {
            free: Mutex::new(Vec::new()),
        }
    }

    /// The smallest kept buffer that holds `size` bytes, else the largest.
    fn take(&self, size: usize) -> Vec<u8> {
        let mut free = self.free.lock().unwrap_or_else(PoisonError::into_inner);
        let fits = (0..free.len())
            .filter(|&i| free[i].capacity() >= size)
            .min_by_key(|&i| free[i].capacity());
        let best = fits.or_else(|| (0..free.len()).max_by_key(|&i| free[i].capacity()));
        best.map(|i| free.swap_remove(i)).unwrap_or_default()
    }

    fn put(&self, buffer: Vec<u8>) {
        // A buffer that never grew (the body failed at once) is not worth a place.
        if buffer.capacity() < Self::SMALL {
            return;
        }
        let mut free = self.free.lock().unwrap_or_else(PoisonError::into_inner);
        let kept: usize = free.iter().map(Vec::capacity).sum();
        if free.len() < Self::KEEP && kept.saturating_add(buffer.capacity()) <= Self::KEEP_BYTES {
            free.push(buffer);
        }
    }
}

/// An inflated body: its bytes are `buffer[..len]`; the buffer goes back to
/// its pool when the last `Bytes` of it is dropped.
struct Inflated {
    buffer: Vec<u8>,
    len: usize,
    pool: &'static BufferPool,
}

impl AsRef<[u8]> for Inflated {
    fn as_ref(&self) -> &[u8] {
        &self.buffer[..self.len]
    }
}

impl Drop for Inflated {
    fn drop(&mut self) {
        self.pool.put(std::mem::take(&mut self.buffer));
    }
}

/// Inflates a gzip body (see [`gunzip_into`]), a large one into a buffer
/// from `pool`.
fn gunzip_pooled(
    pool: &'static BufferPool,
    body: &[u8],
    limit: usize,
) -> Result<Bytes, BodyProblem> {
    let size = announced_size(body);
    if size < BufferPool::SMALL {
        return gunzip(body, limit).map(Bytes::from);
    }
    let mut buffer = pool.take(size.min(limit));
    match gunzip_into(body, limit, &mut buffer) {
        Ok(len) => Ok(Bytes::from_owner(Inflated { buffer, len, pool })),
        Err(problem) => {
            pool.put(buffer);
            Err(problem)
        }
    }
}

/// The size the last member's trailer announces (ISIZE), if it has one.
fn announced_size(body: &[u8]) -> usize {
    match body.get(body.len().saturating_sub(4)..) {
        Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]) as usize,
        _ => 0,
    }
}

/// Inflates a gzip body (every member, RFC 1952), checking each member's
/// CRC-32 and length; fails rather than grow past `limit` bytes.
fn gunzip(body: &[u8], limit: usize) -> Result<Vec<u8>, BodyProblem> {
    let mut out = Vec::new();
    let len = gunzip_into(body, limit, &mut out)?;
    out.truncate(len);
    Ok(out)
}

/// Inflates a gzip body into `out[..len]`, returning `len`. `out` is reused
/// as it is: it only grows (never shrinks), and its bytes past `len` are
/// left from earlier bodies, so a reused buffer is not cleared each time
/// (deflate cannot refer back past the start of its output: miniz_oxide
/// refuses such data as corrupt).
fn gunzip_into(body: &[u8], limit: usize, out: &mut Vec<u8>) -> Result<usize, BodyProblem> {
    let mut len: usize = 0;
    let mut rest = body;
    // One inflater for every member and every retry, reset in between.
    let mut state = InflateState::new_boxed(DataFormat::Raw);
    // Zero bytes after the last member are padding (as gzip(1) reads them).
    let mut members = 0;
    while (members == 0 && !rest.is_empty()) || rest.iter().any(|&b| b != 0) {
        members += 1;
        let deflate = skip_header(rest)?;
        let start = len;
        // The trailer's ISIZE ends the body: the exact size of the usual
        // single member, believed only as far as JSON plausibly expands
        // (256:1; deflate can reach 1032:1). When it is short (several
        // members, a false ISIZE, or more expansion), start over with twice
        // the room until the member fits.
        let mut room = announced_size(body)
            .min(deflate.len().saturating_mul(256))
            .max(1);
        let (consumed, written) = loop {
            if start.saturating_add(room) > limit {
                room = limit.saturating_sub(start);
            }
            if out.len() < start + room {
                out.resize(start + room, 0);
            }
            state.reset_as(MinReset);
            let result = inflate(
                &mut state,
                deflate,
                &mut out[start..start + room],
                MZFlush::Finish,
            );
            match result.status {
                Ok(MZStatus::StreamEnd) => break (result.bytes_consumed, result.bytes_written),
                // The output is full: more room, unless at the limit.
                Err(MZError::Buf) if result.bytes_written == room => {
                    if start + room >= limit {
                        return Err(BodyProblem::refused(format!(
                            "it inflates to more than {limit} bytes, the client's cap \
                             (`ClientBuilder::max_inflated_body`)"
                        )));
                    }
                    room = room.saturating_mul(2);
                }
                Err(MZError::Buf) => {
                    return Err(BodyProblem::damaged("the compressed data is cut short"));
                }
                _ => return Err(BodyProblem::damaged("the compressed data is corrupt")),
            }
        };
        len = start + written;
        let Some(&[c0, c1, c2, c3, s0, s1, s2, s3]) = deflate.get(consumed..consumed + 8) else {
            return Err(BodyProblem::damaged("the gzip trailer is cut short"));
        };
        if crc32fast::hash(&out[start..len]) != u32::from_le_bytes([c0, c1, c2, c3]) {
            return Err(BodyProblem::damaged("the gzip checksum does not match"));
        }
        if written as u32 != u32::from_le_bytes([s0, s1, s2, s3]) {
            return Err(BodyProblem::damaged("the gzip length does not match"));
        }
        rest = &deflate[consumed + 8..];
    }
    Ok(len)
}

/// The deflate data after a member's header.
fn skip_header(member: &[u8]) -> Result<&[u8], BodyProblem> {
    const FHCRC: u8 = 0x02;
    const FEXTRA: u8 = 0x04;
    const FNAME: u8 = 0x08;
    const FCOMMENT: u8 = 0x10;
    let cut = || BodyProblem::damaged("the gzip header is cut short");
    let [0x1f, 0x8b, method, flags, ..] = *member else {
        return Err(if b"\x1f\x8b".starts_with(member) {
            cut()
        } else {
            BodyProblem::refused("it is not gzip data")
        });
    };
    if method != 8 || flags & 0xe0 != 0 {
        return Err(BodyProblem::refused(
            "it is not gzip data this client reads (method or flags)",
        ));
    }
    if member.len() < 10 {
        return Err(cut());
    }
    let mut at: usize = 10;
    if flags & FEXTRA != 0 {
        let length = member.get(at..at + 2).ok_or_else(cut)?;
        at += 2 + usize::from(u16::from_le_bytes([length[0], length[1]]));
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            let text = member.get(at..).ok_or_else(cut)?;
            at += text.iter().position(|&b| b == 0).ok_or_else(cut)? + 1;
        }
    }
    if flags & FHCRC != 0 {
        at += 2;
    }
    member.get(at..).ok_or_else(cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `gzip.compress(b'{"results":[]}', mtime=0)` from Python's gzip module.
    const SMALL: &[u8] = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03\xab\x56\x2a\x4a\x2d\x2e\xcd\x29\x29\x56\xb2\x8a\x8e\xad\x05\x00\x0a\x27\x7c\x9e\x0e\x00\x00\x00";

    /// "hello, hubspot" with every optional header field: FEXTRA "abc",
    /// FNAME, FCOMMENT and FHCRC (written with Python's zlib).
    const ALL_FIELDS: &[u8] = b"\x1f\x8b\x08\x1e\x00\x00\x00\x00\x00\xff\x03\x00\x61\x62\x63\x6e\x61\x6d\x65\x2e\x6a\x73\x6f\x6e\x00\x61\x20\x63\x6f\x6d\x6d\x65\x6e\x74\x00\xb2\x67\xcb\x48\xcd\xc9\xc9\xd7\x51\xc8\x28\x4d\x2a\x2e\xc8\x2f\x01\x00\x4d\xf7\x18\x2f\x0e\x00\x00\x00";

    /// A gzip member holding `data` in stored (uncompressed) deflate blocks.
    fn stored_member(data: &[u8]) -> Vec<u8> {
        let mut member = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
        let mut blocks = data.chunks(65_535).peekable();
        if blocks.peek().is_none() {
            member.extend([1, 0, 0, 0xff, 0xff]);
        }
        while let Some(block) = blocks.next() {
            member.push(u8::from(blocks.peek().is_none()));
            let length = block.len() as u16;
            member.extend(length.to_le_bytes());
            member.extend((!length).to_le_bytes());
            member.extend(block);
        }
        member.extend(crc32fast::hash(data).to_le_bytes());
        member.extend((data.len() as u32).to_le_bytes());
        member
    }

    #[test]
    fn a_member_inflates_into_exactly_its_size() {
        let json = gunzip(SMALL, 1 << 20).unwrap();
        assert_eq!(json, br#"{"results":[]}"#);
        assert_eq!(json.capacity(), json.len());
        assert_eq!(gunzip(ALL_FIELDS, 1 << 20).unwrap(), b"hello, hubspot");
        let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let inflated = gunzip(&stored_member(&big), 1 << 20).unwrap();
        assert_eq!(inflated, big);
        assert_eq!(inflated.capacity(), big.len());
        assert_eq!(gunzip(&stored_member(b""), 10).unwrap(), b"");
        assert_eq!(gunzip(b"", 10).unwrap(), b"");
    }

    #[test]
    fn several_members_are_joined_even_when_the_last_is_small() {
        let first: Vec<u8> = (0..100_000u32).map(|i| (i % 7) as u8).collect();
        let mut body = stored_member(&first);
        body.extend(SMALL);
        body.extend(stored_member(b"!"));
        let mut expected = first.clone();
        expected.extend(br#"{"results":[]}!"#);
        assert_eq!(gunzip(&body, 1 << 20).unwrap(), expected);
    }

    #[test]
    fn damage_is_an_error_never_a_panic_or_a_short_body() {
        let member = stored_member(b"some JSON text");
        for length in 0..member.len() {
            assert!(
                gunzip(&member[..length.max(1)], 1 << 20).is_err(),
                "{length}"
            );
        }
        for at in 0..member.len() {
            let mut damaged = member.clone();
            damaged[at] ^= 0x55;
            // A flipped byte in the header's MTIME/XFL/OS is harmless; any
            // other flip must not pass as the original text.
            if let Ok(text) = gunzip(&damaged, 1 << 20) {
                assert!((4..10).contains(&at) && text == b"some JSON text", "{at}");
            }
        }
        let mut reserved = SMALL.to_vec();
        reserved[3] = 0x20;
        assert!(gunzip(&reserved, 1 << 20).is_err());
        assert!(gunzip(b"{\"results\":[]}", 1 << 20).is_err());
    }

    #[test]
    fn a_body_that_inflates_past_the_limit_is_refused() {
        let member = stored_member(&[b'x'; 5_000]);
        assert_eq!(gunzip(&member, 5_000).unwrap().len(), 5_000);
        let err = gunzip(&member, 4_999).unwrap_err();
        assert!(err.message.contains("more than 4999 bytes"), "{err}");
        // A false ISIZE cannot make it allocate more than the limit either.
        let mut lying = member.clone();
        let end = lying.len();
        lying[end - 4..].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(gunzip(&lying, 1 << 20).is_err());
    }

    /// A gzip member holding `data` deflated for real (miniz_oxide, level 6).
    fn deflated_member(data: &[u8]) -> Vec<u8> {
        let mut member = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
        member.extend(miniz_oxide::deflate::compress_to_vec(data, 6));
        member.extend(crc32fast::hash(data).to_le_bytes());
        member.extend((data.len() as u32).to_le_bytes());
        member
    }

    /// JSON-like text of `n` bytes that deflates well.
    fn json_text(n: usize) -> Vec<u8> {
        let mut text = Vec::with_capacity(n);
        let mut i = 0u32;
        while text.len() < n {
            text.extend(format!(r#"{{"id":"{i}","labels":["a","b"]}},"#).bytes());
            i = i.wrapping_mul(7).wrapping_add(13) % 100_000;
        }
        text.truncate(n);
        text
    }

    fn own_pool() -> &'static BufferPool {
        Box::leak(Box::new(BufferPool::new()))
    }

    #[test]
    fn large_bodies_reuse_buffers_never_shared_nor_stale() {
        let pool = own_pool();
        let big = json_text(300_000);
        let member = deflated_member(&big);
        assert!(member.len() < big.len() / 4);
        let first = gunzip_pooled(pool, &member, 1 << 20).unwrap();
        assert_eq!(first, big);
        let first_at = first.as_ptr();
        // A body still held is not written over by the next one.
        let other = json_text(200_000)
            .iter()
            .map(|b| b ^ 1)
            .collect::<Vec<u8>>();
        let second = gunzip_pooled(pool, &deflated_member(&other), 1 << 20).unwrap();
        assert_ne!(second.as_ptr(), first_at);
        assert_eq!(first, big);
        assert_eq!(second, other);
        // Dropped (every clone), the buffer is the next large body's.
        let clone = first.slice(10..20);
        drop(first);
        assert_eq!(clone, big[10..20]);
        drop((clone, second));
        let shorter = json_text(100_000);
        let third = gunzip_pooled(pool, &deflated_member(&shorter), 1 << 20).unwrap();
        // Best fit: the smaller of the two kept buffers, and only its own bytes.
        assert_ne!(third.as_ptr(), first_at);
        assert_eq!(third, shorter);
        let fourth = gunzip_pooled(pool, &member, 1 << 20).unwrap();
        assert_eq!(fourth.as_ptr(), first_at);
        assert_eq!(fourth, big);
        // What a caller copies out holds only this body's bytes.
        assert_eq!(Vec::from(fourth.clone()), big);
        drop((third, fourth));
        // A failed inflate gives its buffer back.
        let mut broken = member.clone();
        let at = broken.len() - 8;
        broken[at] ^= 0xff;
        assert!(gunzip_pooled(pool, &broken, 1 << 20).unwrap_err().transient);
        assert_eq!(pool.free.lock().unwrap().len(), 2);
    }

    #[test]
    fn the_pool_keeps_a_few_buffers_within_its_budget() {
        let pool = own_pool();
        let member = deflated_member(&json_text(BufferPool::SMALL * 2));
        let held: Vec<_> = (0..BufferPool::KEEP + 2)
            .map(|_| gunzip_pooled(pool, &member, 1 << 20).unwrap())
            .collect();
        drop(held);
        assert_eq!(pool.free.lock().unwrap().len(), BufferPool::KEEP);
        pool.free.lock().unwrap().clear();
        let huge = Vec::with_capacity(BufferPool::KEEP_BYTES + 1);
        pool.put(huge);
        assert!(pool.free.lock().unwrap().is_empty());
        // Small bodies never take or leave a pooled buffer.
        let small = gunzip_pooled(pool, SMALL, 1 << 20).unwrap();
        assert_eq!(small, &br#"{"results":[]}"#[..]);
        drop(small);
        assert!(pool.free.lock().unwrap().is_empty());
    }

    #[test]
    fn deflate_cannot_reach_back_into_an_earlier_body() {
        // A stored block of "SECRET", then a Huffman block whose only match
        // refers back 6 bytes: valid in the first member, refused as the
        // start of a member written where "SECRET" still sits.
        let mut buffer = Vec::new();
        let secret = deflated_member(&b"SECRET".repeat(20_000));
        let len = gunzip_into(&secret, 1 << 20, &mut buffer).unwrap();
        assert_eq!(len, 120_000);
        // Fixed-Huffman block: a length-3 match at distance 1, with no literal before.
        let mut reaching_back = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
        reaching_back.extend([0x03, 0x02, 0x00]);
        reaching_back.extend([0u8; 8]);
        let problem = gunzip_into(&reaching_back, 1 << 20, &mut buffer).unwrap_err();
        assert!(problem.transient, "{problem}");
        // Whatever a reused buffer held, a body inflates to the same bytes.
        for size in [0, 1, 5_000, 70_000, 119_999] {
            let text = json_text(size);
            let mut fresh = Vec::new();
            let n = gunzip_into(&deflated_member(&text), 1 << 20, &mut fresh).unwrap();
            let m = gunzip_into(&deflated_member(&text), 1 << 20, &mut buffer).unwrap();
            assert_eq!((&fresh[..n], &buffer[..m]), (&text[..], &text[..]));
        }
    }

    #[test]
    fn many_tiny_members_and_a_false_size_cost_no_more_than_they_must() {
        let mut body = Vec::new();
        for _ in 0..5_000 {
            body.extend(deflated_member(b"x"));
        }
        assert_eq!(gunzip(&body, 1 << 20).unwrap(), vec![b'x'; 5_000]);
        // ISIZE says 4 GB of a 2 kB member: the first guess stays near
        // 256 times the data, and the truth still comes out.
        let text = json_text(2_000);
        let mut lying = deflated_member(&text);
        let end = lying.len();
        lying[end - 4..].copy_from_slice(&u32::MAX.to_le_bytes());
        let mut out = Vec::new();
        let problem = gunzip_into(&lying, 1 << 30, &mut out).unwrap_err();
        assert_eq!(problem.message, "the gzip length does not match");
        assert!(out.len() <= 256 * lying.len(), "{}", out.len());
    }

    fn headers(values: &[&str]) -> http::HeaderMap {
        let mut headers = http::HeaderMap::new();
        for value in values {
            headers.append(
                http::header::CONTENT_ENCODING,
                http::HeaderValue::from_str(value).unwrap(),
            );
        }
        headers.insert(http::header::CONTENT_LENGTH, http::HeaderValue::from(35u32));
        headers
    }

    #[test]
    fn every_listed_coding_is_undone_or_refused() {
        let json = &br#"{"results":[]}"#[..];
        let body = Bytes::from_static(SMALL);
        for values in [
            &["gzip"][..],
            &["GZIP"],
            &["x-gzip"],
            &["gzip, identity"],
            &["identity", "gzip"],
            &[" gzip ,"],
        ] {
            let mut headers = headers(values);
            let decoded = decode_body(&mut headers, body.clone(), 1 << 20).unwrap();
            assert_eq!(decoded, json, "{values:?}");
            assert!(headers.get(http::header::CONTENT_ENCODING).is_none());
            assert!(headers.get(http::header::CONTENT_LENGTH).is_none());
        }
        // Compressed twice, listed twice: undone twice.
        let twice = Bytes::from(deflated_member(SMALL));
        let decoded = decode_body(&mut headers(&["gzip", "gzip"]), twice, 1 << 20).unwrap();
        assert_eq!(decoded, json);
        // No coding, or identity: the body and headers as they were.
        for values in [&[][..], &["identity"]] {
            let mut headers = headers(values);
            let plain = Bytes::from_static(json);
            assert_eq!(decode_body(&mut headers, plain, 1 << 20).unwrap(), json);
            assert!(headers.get(http::header::CONTENT_LENGTH).is_some());
        }
        // A coding it does not read, or gzip that is not: refused, for good.
        for (values, body) in [
            (&["br"][..], body.clone()),
            (&["gzip, br"], body.clone()),
            (&["gzip"], Bytes::from_static(json)),
        ] {
            let problem = decode_body(&mut headers(values), body, 1 << 20).unwrap_err();
            assert!(!problem.transient, "{values:?}: {problem}");
        }
        // HEAD or 204: nothing to inflate.
        let empty = decode_body(&mut headers(&["gzip"]), Bytes::new(), 1 << 20).unwrap();
        assert!(empty.is_empty());
    }

    #[test]
    fn padding_empty_bodies_and_failed_buffers() {
        let mut padded = SMALL.to_vec();
        padded.extend([0; 7]);
        assert_eq!(gunzip(&padded, 1 << 20).unwrap(), br#"{"results":[]}"#);
        assert!(!gunzip(&[0; 12], 1 << 20).unwrap_err().transient);
        let mut trailing = SMALL.to_vec();
        trailing.push(b'\n');
        assert!(gunzip(&trailing, 1 << 20).is_err());
        // An empty body passes whatever its coding says.
        let mut headers = headers(&["br"]);
        assert!(
            decode_body(&mut headers, Bytes::new(), 1 << 20)
                .unwrap()
                .is_empty()
        );
        assert!(headers.get(http::header::CONTENT_ENCODING).is_none());
        // A body that fails at once leaves no empty buffer in the pool.
        let pool = own_pool();
        let mut json_tail = b"not gzip at all".to_vec();
        json_tail.extend(u32::MAX.to_le_bytes());
        assert!(gunzip_pooled(pool, &json_tail, 1 << 20).is_err());
        assert!(pool.free.lock().unwrap().is_empty());
    }

    #[test]
    fn damage_is_transient_a_refusal_is_not() {
        let cut = decode_body(
            &mut headers(&["gzip"]),
            Bytes::from_static(&SMALL[..20]),
            1 << 20,
        );
        assert!(cut.unwrap_err().transient);
        let header_cut = decode_body(
            &mut headers(&["gzip"]),
            Bytes::from_static(&SMALL[..5]),
            1 << 20,
        );
        assert!(header_cut.unwrap_err().transient);
        let too_large = decode_body(&mut headers(&["gzip"]), Bytes::from_static(SMALL), 5);
        let too_large = too_large.unwrap_err();
        assert!(!too_large.transient);
        assert_eq!(
            too_large.message,
            "it inflates to more than 5 bytes, the client's cap (`ClientBuilder::max_inflated_body`)"
        );
    }
}
