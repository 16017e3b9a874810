//! Gzip-compressed responses (`gzip` feature, on by default): the client
//! asks for them (`Accept-Encoding: gzip`) and inflates a body whose
//! `Content-Encoding` is gzip once it is whole, above the [`HttpClient`]
//! seam, so it works the same over reqwest, middleware, your own stack and
//! `MockHttp`. A client that already inflated the body (a `reqwest::Client`
//! of yours built with reqwest's `gzip` feature) drops the header, and the
//! body passes through.
//!
//! Why not reqwest's `gzip` feature: it streams through tower-http,
//! async-compression, compression-codecs and flate2, five crates compiled
//! into every user's build, where the whole body is in hand anyway. What is
//! left is RFC 1952's framing (a header to skip, a trailer to check) around
//! one call to miniz_oxide, the inflater flate2 itself runs, with
//! crc32fast's checksum. The body is inflated straight into a buffer of the
//! size the trailer announces, taken from a small per-client pool so that
//! large bodies do not churn the heap ([`BufferPool`]; BENCHMARKS.md, 2b
//! and 4c).
//!
//! [`HttpClient`]: super::HttpClient

use miniz_oxide::inflate::stream::{InflateState, inflate};
use miniz_oxide::{DataFormat, MZError, MZFlush, MZStatus};

/// The `Accept-Encoding` the client sends.
pub(crate) const ACCEPT_ENCODING: &str = "gzip";

/// Whether a `Content-Encoding` header value says gzip.
pub(crate) fn is_gzip(content_encoding: &[u8]) -> bool {
    let value = content_encoding.trim_ascii();
    value.eq_ignore_ascii_case(b"gzip") || value.eq_ignore_ascii_case(b"x-gzip")
}

/// Buffers of inflated bodies, kept for the next responses.
///
/// Why: a 1,000-input batch read inflates to 1.5 MB. A fresh buffer per
/// response, freed when the body is decoded, is exactly the pattern that
/// makes glibc give the top of its heap back and fault it in again on the
/// next call (22 `brk` per call, 1.3x the wall time; BENCHMARKS.md 4c).
/// Reused buffers keep the heap still. At most [`KEEP`](Self::KEEP)
/// buffers of at most [`KEEP_BYTES`](Self::KEEP_BYTES) each are kept per
/// client; a larger one is freed as usual.
#[derive(Debug, Default)]
pub(crate) struct BufferPool {
    free: std::sync::Mutex<Vec<Vec<u8>>>,
}

impl BufferPool {
    /// Buffers kept: the default concurrency of batch chunks.
    const KEEP: usize = 4;
    /// Largest buffer kept.
    const KEEP_BYTES: usize = 16 << 20;

    fn take(&self) -> Vec<u8> {
        self.free
            .lock()
            .ok()
            .and_then(|mut free| free.pop())
            .unwrap_or_default()
    }

    fn put(&self, buffer: Vec<u8>) {
        if buffer.capacity() > Self::KEEP_BYTES {
            return;
        }
        if let Ok(mut free) = self.free.lock()
            && free.len() < Self::KEEP
        {
            free.push(buffer);
        }
    }
}

/// An inflated body: its bytes are `buffer[..len]`; the buffer goes back to
/// its pool when the last `Bytes` of it is dropped.
struct Inflated {
    buffer: Vec<u8>,
    len: usize,
    pool: std::sync::Arc<BufferPool>,
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

/// Inflates a gzip body into a buffer from `pool` (see [`gunzip_into`]).
pub(crate) fn gunzip_pooled(
    pool: &std::sync::Arc<BufferPool>,
    body: &[u8],
    limit: usize,
) -> Result<bytes::Bytes, String> {
    let mut buffer = pool.take();
    match gunzip_into(body, limit, &mut buffer) {
        Ok(len) => Ok(bytes::Bytes::from_owner(Inflated {
            buffer,
            len,
            pool: pool.clone(),
        })),
        Err(problem) => {
            pool.put(buffer);
            Err(problem)
        }
    }
}

/// Inflates a gzip body (every member, RFC 1952), checking each member's
/// CRC-32 and length; fails rather than grow past `limit` bytes.
#[cfg(test)]
pub(crate) fn gunzip(body: &[u8], limit: usize) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let len = gunzip_into(body, limit, &mut out)?;
    out.truncate(len);
    Ok(out)
}

/// Inflates a gzip body into `out[..len]`, returning `len`. `out` is reused
/// as it is: it only grows (never shrinks), and its bytes past `len` are
/// left from earlier bodies, so a reused buffer is not cleared each time.
pub(crate) fn gunzip_into(body: &[u8], limit: usize, out: &mut Vec<u8>) -> Result<usize, String> {
    let mut len: usize = 0;
    let mut rest = body;
    while !rest.is_empty() {
        let deflate = skip_header(rest)?;
        let start = len;
        // The trailer's ISIZE ends the body: the exact size of the usual
        // single member, believed only as far as deflate can expand (1032:1).
        // When it is short (several members, or false), start over with
        // twice the room until the member fits.
        let isize = match body.get(body.len().saturating_sub(4)..) {
            Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]) as usize,
            _ => 0,
        };
        let mut room = isize.min(deflate.len().saturating_mul(1032)).max(1);
        let (consumed, written) = loop {
            if start.saturating_add(room) > limit {
                room = limit.saturating_sub(start);
            }
            if out.len() < start + room {
                out.resize(start + room, 0);
            }
            let mut state = InflateState::new_boxed(DataFormat::Raw);
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
                        return Err(format!("inflates to more than {limit} bytes"));
                    }
                    room = room.saturating_mul(2);
                }
                Err(MZError::Buf) => return Err("the compressed data is cut short".to_owned()),
                _ => return Err("the compressed data is corrupt".to_owned()),
            }
        };
        len = start + written;
        let Some(&[c0, c1, c2, c3, s0, s1, s2, s3]) = deflate.get(consumed..consumed + 8) else {
            return Err("the gzip trailer is cut short".to_owned());
        };
        if crc32fast::hash(&out[start..len]) != u32::from_le_bytes([c0, c1, c2, c3]) {
            return Err("the gzip checksum does not match".to_owned());
        }
        if written as u32 != u32::from_le_bytes([s0, s1, s2, s3]) {
            return Err("the gzip length does not match".to_owned());
        }
        rest = &deflate[consumed + 8..];
    }
    Ok(len)
}

/// The deflate data after a member's header.
fn skip_header(member: &[u8]) -> Result<&[u8], String> {
    const FHCRC: u8 = 0x02;
    const FEXTRA: u8 = 0x04;
    const FNAME: u8 = 0x08;
    const FCOMMENT: u8 = 0x10;
    let cut = || "the gzip header is cut short".to_owned();
    let [0x1f, 0x8b, method, flags, ..] = *member else {
        return Err("not gzip data".to_owned());
    };
    if method != 8 || flags & 0xe0 != 0 || member.len() < 10 {
        return Err("not gzip data this client reads (method or flags)".to_owned());
    }
    let mut at = 10;
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
        assert!(err.contains("more than 4999 bytes"), "{err}");
        // A false ISIZE cannot make it allocate more than the limit either.
        let mut lying = member.clone();
        let end = lying.len();
        lying[end - 4..].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(gunzip(&lying, 1 << 20).is_err());
    }

    #[test]
    fn inflated_buffers_are_reused_never_shared() {
        let pool = std::sync::Arc::new(BufferPool::default());
        let big: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        let member = stored_member(&big);
        let first = gunzip_pooled(&pool, &member, 1 << 20).unwrap();
        assert_eq!(first, big);
        let first_at = first.as_ptr();
        // A body still held is not written over by the next one.
        let second = gunzip_pooled(&pool, SMALL, 1 << 20).unwrap();
        assert_ne!(second.as_ptr(), first_at);
        assert_eq!(first, big);
        assert_eq!(second, &br#"{"results":[]}"#[..]);
        // Dropped (every clone), the buffer is the next body's.
        let clone = first.slice(10..20);
        drop(first);
        assert_eq!(clone, big[10..20]);
        drop(clone);
        drop(second);
        let third = gunzip_pooled(&pool, &stored_member(b"short"), 1 << 20).unwrap();
        assert_eq!(third, &b"short"[..]);
        let fourth = gunzip_pooled(&pool, &member, 1 << 20).unwrap();
        assert!(third.as_ptr() == first_at || fourth.as_ptr() == first_at);
        assert_eq!(fourth, big);
        // A failed inflate gives its buffer back; no more than KEEP are kept.
        drop((third, fourth));
        assert!(gunzip_pooled(&pool, b"not gzip", 1 << 20).is_err());
        let held: Vec<_> = (0..BufferPool::KEEP + 2)
            .map(|_| gunzip_pooled(&pool, SMALL, 1 << 20).unwrap())
            .collect();
        drop(held);
        assert_eq!(pool.free.lock().unwrap().len(), BufferPool::KEEP);
        let mut huge = Vec::with_capacity(BufferPool::KEEP_BYTES + 1);
        huge.push(1);
        pool.free.lock().unwrap().clear();
        pool.put(huge);
        assert!(pool.free.lock().unwrap().is_empty());
    }

    #[test]
    fn the_header_value_is_read_loosely() {
        assert!(is_gzip(b"gzip"));
        assert!(is_gzip(b" GZIP "));
        assert!(is_gzip(b"x-gzip"));
        assert!(!is_gzip(b"br"));
        assert!(!is_gzip(b"gzip, br"));
    }
}
