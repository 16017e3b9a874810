//! Bench 4: client overhead. One full batch read (1,000 inputs in, 1,000
//! results × 10 associations out, ~2 MB) against a local HTTP server on
//! 127.0.0.1 that answers both sides with the same prebuilt response:
//! the generated client's `batch_read` against raw reqwest + serde_json
//! into hand-written structs (see `benchmarks::round_trip`). Both use a
//! default `reqwest::Client` on one current-thread tokio runtime.
//!
//! `cargo bench -p benchmarks --bench client`

use std::sync::LazyLock;

use benchmarks::server::LocalServer;
use benchmarks::{fixture, hand, round_trip};
use divan::Bencher;
use hubspot_associations::v2026_03::associations::BatchInputPublicFetchAssociationsBatchRequest;

fn main() {
    divan::main();
}

struct Fixture {
    server: LocalServer,
    rt: tokio::runtime::Runtime,
    /// Index 0: gzip off, 1: gzip on.
    generated_clients: [hubspot_associations::Client; 2],
    raw_clients: [reqwest::Client; 2],
    generated_input: BatchInputPublicFetchAssociationsBatchRequest,
    hand_input: hand::BatchInput,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let server = LocalServer::start(fixture::batch_read_body());
    let url = server.base_url();
    Fixture {
        generated_clients: [
            round_trip::generated_client_with(&url, false),
            round_trip::generated_client(&url),
        ],
        raw_clients: [round_trip::raw_client(false), round_trip::raw_client(true)],
        rt: round_trip::runtime(),
        generated_input: fixture::generated_input(),
        hand_input: fixture::hand_input(),
        server,
    }
});

/// Prints the bytes on the wire per call of one side, measured over a few calls.
fn wire_per_call(side: &str, call: impl Fn()) {
    let f = &*FIXTURE;
    let (r0, s0) = f.server.wire_bytes();
    for _ in 0..4 {
        call();
    }
    let (r1, s1) = f.server.wire_bytes();
    eprintln!(
        "wire bytes per call, {side}: {} to the server, {} back",
        (r1 - r0) / 4,
        (s1 - s0) / 4
    );
}

mod batch_read_round_trip {
    use super::*;

    #[divan::bench(args = [false, true])]
    fn generated_client(bencher: Bencher, gzip: bool) {
        let f = &*FIXTURE;
        let client = &f.generated_clients[gzip as usize];
        let call = || {
            let n =
                f.rt.block_on(round_trip::generated(client, &f.generated_input))
                    .unwrap();
            assert_eq!(n, fixture::RESULTS);
        };
        wire_per_call(&format!("generated, gzip {gzip}"), call);
        bencher.bench(call);
    }

    #[divan::bench(args = [false, true])]
    fn raw_reqwest_serde(bencher: Bencher, gzip: bool) {
        let f = &*FIXTURE;
        let base_url = f.server.base_url();
        let client = &f.raw_clients[gzip as usize];
        let call = || {
            let n =
                f.rt.block_on(round_trip::raw(client, &base_url, &f.hand_input))
                    .unwrap();
            assert_eq!(n, fixture::RESULTS);
        };
        wire_per_call(&format!("raw, gzip {gzip}"), call);
        bencher.bench(call);
    }
}
