//! The runtime's gzip framing (`runtime/src/gzip.rs`: RFC 1952 by
//! hand around miniz_oxide, into buffers of a process-wide pool) against
//! flate2's `MultiGzDecoder` (the same miniz_oxide, no pool), in one binary
//! so both are built alike. N inflations of one body in a fresh process;
//! run with N and N + 10 and take the difference (`cargo xtask bench gzip`
//! does, under callgrind and strace), so start-up cancels. Prints the heap
//! at its peak during the calls, above what was live before them, counted
//! by its own allocator.
//!
//! `cargo run --release -p benchmarks --example gzip_framing -- <hand|flate2> <batch|bomb> <N>`

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};

#[allow(dead_code)]
#[path = "../../runtime/src/gzip.rs"]
mod gzip;

/// The system allocator, counting live bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            let live = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size
                - layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The client's default cap on the inflated size (`max_inflated_body`).
const LIMIT: usize = 32 << 20;

/// flate2's multi-member reader with the same contract as the runtime's:
/// the trailer's size as a first guess (capped as the runtime caps it),
/// refused past `LIMIT`.
fn flate2_inflate(body: &[u8]) -> Result<Vec<u8>, String> {
    let announced = match body.get(body.len().saturating_sub(4)..) {
        Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]) as usize,
        _ => 0,
    };
    let mut out = Vec::with_capacity(announced.min(body.len().saturating_mul(256)).min(LIMIT));
    flate2::read::MultiGzDecoder::new(body)
        .take(LIMIT as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| e.to_string())?;
    if out.len() > LIMIT {
        return Err(format!("it inflates to more than {LIMIT} bytes"));
    }
    Ok(out)
}

fn gzipped(data: &[u8]) -> Vec<u8> {
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gzip.write_all(data).unwrap();
    gzip.finish().unwrap()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [side, body, calls] = args.as_slice() else {
        eprintln!("usage: gzip_framing <hand|flate2> <batch|bomb> <N>");
        std::process::exit(2);
    };
    let calls: usize = calls.parse().expect("N: a number of calls");
    let (body, expect_ok) = match body.as_str() {
        // The 1,000 × 10 batch read of bench 4 (1.5 MB inflated).
        "batch" => (gzipped(&benchmarks::fixture::batch_read_body()), true),
        // 1 MB on the wire that would inflate to about 1 GB: stops at the cap.
        "bomb" => (gzipped(&vec![b' '; 1 << 30]), false),
        other => panic!("body {other:?}: batch or bomb"),
    };
    let body = bytes::Bytes::from(body);
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let mut inflated = 0usize;
    let mut times = Vec::with_capacity(calls);
    for _ in 0..calls {
        let start = std::time::Instant::now();
        let result = match side.as_str() {
            "hand" => {
                let mut headers = http::HeaderMap::new();
                headers.insert(http::header::CONTENT_ENCODING, "gzip".parse().unwrap());
                gzip::decode_body(&mut headers, body.clone(), LIMIT)
                    .map(|b| b.len())
                    .map_err(|p| p.to_string())
            }
            "flate2" => flate2_inflate(&body).map(|b| b.len()),
            other => panic!("side {other:?}: hand or flate2"),
        };
        times.push(start.elapsed());
        assert_eq!(result.is_ok(), expect_ok, "{result:?}");
        inflated += result.unwrap_or(0);
    }
    let mut warm: Vec<_> = times.into_iter().skip(1).collect();
    warm.sort();
    println!(
        "inflated={inflated} peak_heap_above_start={} median_ns={}",
        PEAK.load(Ordering::Relaxed) - before,
        warm.get(warm.len() / 2).map_or(0, |d| d.as_nanos())
    );
}
