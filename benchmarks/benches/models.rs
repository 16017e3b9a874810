//! Bench 3: decode and encode throughput of the generated models against
//! hand-written serde structs of the same shape (closed enums, `String`
//! dates; and two variants to tell what costs what: hand-written open
//! enums, and `jiff` dates), on a
//! realistic 2026-03
//! batch-read 200 response (1,000 results × 10 associations each, ~2 MB;
//! see `benchmarks::fixture`). Same bytes in, same bytes out on both sides
//! (checked by the crate's unit tests).
//!
//! `cargo bench -p benchmarks --bench models`

use std::sync::LazyLock;

use benchmarks::{fixture, hand};
use divan::counter::BytesCount;
use divan::{Bencher, black_box};
use hubspot_associations::v2026_03::associations::BatchResponsePublicAssociationMultiWithLabel as Generated;

fn main() {
    divan::main();
}

static BODY: LazyLock<Vec<u8>> = LazyLock::new(fixture::batch_read_body);
static GENERATED: LazyLock<Generated> =
    LazyLock::new(|| serde_json::from_slice(&BODY).expect("generated decode"));
static HAND: LazyLock<hand::BatchResponse> =
    LazyLock::new(|| serde_json::from_slice(&BODY).expect("hand-written decode"));
static HAND_DATES: LazyLock<hand::timestamps::BatchResponse> =
    LazyLock::new(|| serde_json::from_slice(&BODY).expect("hand-written dates decode"));
static HAND_OPEN: LazyLock<hand::open::BatchResponse> =
    LazyLock::new(|| serde_json::from_slice(&BODY).expect("hand-written open decode"));

mod decode {
    use super::*;

    #[divan::bench]
    fn generated(bencher: Bencher) {
        bencher
            .counter(BytesCount::new(BODY.len()))
            .bench(|| serde_json::from_slice::<Generated>(black_box(&BODY)).unwrap());
    }

    #[divan::bench]
    fn hand_written(bencher: Bencher) {
        bencher
            .counter(BytesCount::new(BODY.len()))
            .bench(|| serde_json::from_slice::<hand::BatchResponse>(black_box(&BODY)).unwrap());
    }

    /// Hand-written, but with open enums like the generated models.
    #[divan::bench]
    fn hand_written_open_enums(bencher: Bencher) {
        bencher.counter(BytesCount::new(BODY.len())).bench(|| {
            serde_json::from_slice::<hand::open::BatchResponse>(black_box(&BODY)).unwrap()
        });
    }

    /// Hand-written, but with parsed dates (`jiff`), as the generated models
    /// parse theirs (into the crate's own `Timestamp`).
    #[divan::bench]
    fn hand_written_jiff_dates(bencher: Bencher) {
        bencher.counter(BytesCount::new(BODY.len())).bench(|| {
            serde_json::from_slice::<hand::timestamps::BatchResponse>(black_box(&BODY)).unwrap()
        });
    }
}

mod encode {
    use super::*;

    #[divan::bench]
    fn generated(bencher: Bencher) {
        let value = &*GENERATED;
        bencher
            .counter(BytesCount::new(BODY.len()))
            .bench(|| serde_json::to_vec(black_box(value)).unwrap());
    }

    #[divan::bench]
    fn hand_written(bencher: Bencher) {
        let value = &*HAND;
        bencher
            .counter(BytesCount::new(BODY.len()))
            .bench(|| serde_json::to_vec(black_box(value)).unwrap());
    }

    #[divan::bench]
    fn hand_written_jiff_dates(bencher: Bencher) {
        let value = &*HAND_DATES;
        bencher
            .counter(BytesCount::new(BODY.len()))
            .bench(|| serde_json::to_vec(black_box(value)).unwrap());
    }

    #[divan::bench]
    fn hand_written_open_enums(bencher: Bencher) {
        let value = &*HAND_OPEN;
        bencher
            .counter(BytesCount::new(BODY.len()))
            .bench(|| serde_json::to_vec(black_box(value)).unwrap());
    }
}
