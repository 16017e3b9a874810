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
    generated_client: hubspot_associations::Client,
    raw_client: reqwest::Client,
    generated_input: BatchInputPublicFetchAssociationsBatchRequest,
    hand_input: hand::BatchInput,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let server = LocalServer::start(fixture::batch_read_body());
    Fixture {
        generated_client: round_trip::generated_client(&server.base_url()),
        raw_client: round_trip::raw_client(),
        rt: round_trip::runtime(),
        generated_input: fixture::generated_input(),
        hand_input: fixture::hand_input(),
        server,
    }
});

mod batch_read_round_trip {
    use super::*;

    #[divan::bench]
    fn generated_client(bencher: Bencher) {
        let f = &*FIXTURE;
        bencher.bench(|| {
            let n =
                f.rt.block_on(round_trip::generated(
                    &f.generated_client,
                    &f.generated_input,
                ))
                .unwrap();
            assert_eq!(n, fixture::RESULTS);
        });
    }

    #[divan::bench]
    fn raw_reqwest_serde(bencher: Bencher) {
        let f = &*FIXTURE;
        let base_url = f.server.base_url();
        bencher.bench(|| {
            let n =
                f.rt.block_on(round_trip::raw(&f.raw_client, &base_url, &f.hand_input))
                    .unwrap();
            assert_eq!(n, fixture::RESULTS);
        });
    }
}
