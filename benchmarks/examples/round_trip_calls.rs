//! N batch-read round trips of one side in a fresh process, for tools that
//! count rather than time (callgrind's instructions, strace's `brk` calls):
//! run it with N and with N + 10 and take the difference, so start-up and
//! the first call's one-off costs cancel. It prints the median and fastest
//! wall time per call after the first (`cargo xtask bench counts` runs the
//! sides alternately in fresh processes, so drift on a shared machine hits
//! both alike).
//!
//! `cargo run --release -p benchmarks --example round_trip_calls -- <generated|raw> <gzip|plain> <N>`

use benchmarks::server::LocalServer;
use benchmarks::{fixture, round_trip};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [side, encoding, calls] = args.as_slice() else {
        eprintln!("usage: round_trip_calls <generated|raw> <gzip|plain> <N>");
        std::process::exit(2);
    };
    let gzip = match encoding.as_str() {
        "gzip" => true,
        "plain" => false,
        other => panic!("encoding {other:?}: gzip or plain"),
    };
    let calls: usize = calls.parse().expect("N: a number of calls");
    let server = LocalServer::start(fixture::batch_read_body());
    let url = server.base_url();
    let rt = round_trip::runtime();
    let mut times = Vec::with_capacity(calls);
    let mut timed = |call: &mut dyn FnMut() -> usize| -> usize {
        (0..calls)
            .map(|_| {
                let start = std::time::Instant::now();
                let n = call();
                times.push(start.elapsed());
                n
            })
            .sum()
    };
    let received = match side.as_str() {
        "generated" => {
            let client = if gzip {
                round_trip::generated_client(&url)
            } else {
                round_trip::generated_client_with(&url, false)
            };
            let input = fixture::generated_input();
            timed(&mut || rt.block_on(round_trip::generated(&client, &input)).unwrap())
        }
        "raw" => {
            let client = round_trip::raw_client(gzip);
            let input = fixture::hand_input();
            timed(&mut || rt.block_on(round_trip::raw(&client, &url, &input)).unwrap())
        }
        other => panic!("side {other:?}: generated or raw"),
    };
    assert_eq!(received, calls * fixture::RESULTS);
    let mut warm: Vec<_> = times.into_iter().skip(1).collect();
    warm.sort();
    if let (Some(fastest), Some(median)) = (warm.first(), warm.get(warm.len() / 2)) {
        println!(
            "median_ns={} fastest_ns={}",
            median.as_nanos(),
            fastest.as_nanos()
        );
    }
}
