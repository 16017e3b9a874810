//! Fixtures shared by the benches in `benches/` (see `BENCHMARKS.md`):
//!
//! - [`fixture`]: a realistic 2026-03 batch-read 200 response (1,000 results
//!   × 10 associations each) and the matching 1,000-input request;
//! - [`hand`]: hand-written serde structs of the same shape, the baseline
//!   the generated models are measured against (and two variants:
//!   [`hand::open`] with hand-written open enums, [`hand::timestamps`] with
//!   `jiff` dates);
//! - [`server`]: a minimal HTTP/1.1 server on 127.0.0.1 that answers every
//!   request with one prebuilt response;
//! - [`round_trip`]: one batch read through the generated client and the
//!   same request with raw reqwest + serde;
//! - [`synth`]: synthetic specs folders holding N renamed copies of a real
//!   document, to show codegen time is linear in spec size.
//!
//! The unit tests below check that both sides of every comparison do the
//! same work (same bytes in, same bytes out).

pub mod fixture;
pub mod hand;
pub mod round_trip;
pub mod server;
pub mod synth;

use std::path::PathBuf;

/// The workspace's `specs/` folder.
pub fn specs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("benchmarks/ is inside the workspace")
        .join("specs")
}

#[cfg(test)]
mod tests {
    use hubspot_associations::v2026_03::associations as generated;

    use super::*;

    #[test]
    fn both_models_decode_the_fixture_and_encode_it_identically() {
        let body = fixture::batch_read_body();
        let ours: generated::BatchResponsePublicAssociationMultiWithLabel =
            serde_json::from_slice(&body).unwrap();
        let theirs: hand::BatchResponse = serde_json::from_slice(&body).unwrap();
        let open: hand::open::BatchResponse = serde_json::from_slice(&body).unwrap();
        let dates: hand::timestamps::BatchResponse = serde_json::from_slice(&body).unwrap();
        assert_eq!(ours.results.len(), fixture::RESULTS);
        assert_eq!(theirs.results.len(), fixture::RESULTS);
        assert!(
            ours.results
                .iter()
                .all(|r| r.to.len() == fixture::ASSOCIATIONS_PER_RESULT)
        );
        // No value fell into an open enum's `Unknown`: both sides decode the
        // same known values.
        assert!(ours.results.iter().flat_map(|r| &r.to).all(|t| {
            t.association_types
                .iter()
                .all(|a| !matches!(a.category, generated::Category::Unknown(_)))
        }));
        let a = serde_json::to_vec(&ours).unwrap();
        let b = serde_json::to_vec(&theirs).unwrap();
        let c = serde_json::to_vec(&open).unwrap();
        assert_eq!(String::from_utf8(a).unwrap(), String::from_utf8(b).unwrap());
        assert_eq!(c, serde_json::to_vec(&theirs).unwrap());
        assert_eq!(serde_json::to_vec(&dates).unwrap(), c);
    }

    #[test]
    fn both_clients_send_the_same_request_and_read_the_same_response() {
        let server = server::LocalServer::start(fixture::batch_read_body());
        let rt = round_trip::runtime();
        let client = round_trip::generated_client(&server.base_url());
        let http = round_trip::raw_client(true);
        let ours = rt
            .block_on(round_trip::generated(&client, &fixture::generated_input()))
            .unwrap();
        let theirs = rt
            .block_on(round_trip::raw(
                &http,
                &server.base_url(),
                &fixture::hand_input(),
            ))
            .unwrap();
        assert_eq!(ours, fixture::RESULTS);
        assert_eq!(theirs, fixture::RESULTS);
        let requests = server.requests();
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[0], requests[1], "same method, path and body");
    }

    #[test]
    fn scaled_specs_generate() {
        let dir = tempfile::tempdir().unwrap();
        let source = synth::largest_spec(&specs_dir()).unwrap();
        let one = synth::write_scaled(&dir.path().join("x1"), &specs_dir(), &source, 1).unwrap();
        let two = synth::write_scaled(&dir.path().join("x2"), &specs_dir(), &source, 2).unwrap();
        assert!(
            two.bytes > 19 * one.bytes / 10,
            "{} vs {}",
            two.bytes,
            one.bytes
        );
        let options = generator::project::Options::default();
        let gen1 = generator::project::generate(&one.specs, &options).unwrap();
        let gen2 = generator::project::generate(&two.specs, &options).unwrap();
        let ops = |g: &generator::project::Generated| -> usize {
            g.versions
                .iter()
                .flat_map(|v| &v.documents)
                .map(|d| d.operations.len())
                .sum()
        };
        assert_eq!(ops(&gen2), 2 * ops(&gen1));
        assert!(gen2.warnings.is_empty());
    }
}
