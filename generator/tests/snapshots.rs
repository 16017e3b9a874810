//! Snapshot tests: the IR and the generated Rust of every document in
//! `specs/` and in the construct test specs. Review changes with
//! `cargo insta review` (or accept them all with `INSTA_UPDATE=always cargo
//! test`); under `CI=true` an unreviewed change fails.

use std::path::{Path, PathBuf};

use generator::lower::{self, LowerOptions, Strictness};
use generator::overrides::Overrides;
use generator::project;

fn dir(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// Snapshots every document under `specs` as `<prefix>__<group>__<module>__{ir,code}`.
fn snapshot_tree(specs: &Path, prefix: &str, min_documents: usize) {
    let overrides = Overrides::load(&specs.join(project::OVERRIDES_FILE)).unwrap();
    let files = project::discover(specs).unwrap();
    assert!(
        files.len() >= min_documents,
        "expected {min_documents} documents, found {}",
        files.len()
    );
    let generated = project::generate(specs, &project::Options::default()).unwrap();
    for file in &files {
        let loaded = generator::load::load_file(&file.path).unwrap();
        let options = LowerOptions {
            module: file.module.clone(),
            source: file.relative.clone(),
            overrides: &overrides,
            strictness: Strictness::Strict,
            method_names: None,
        };
        let (doc, warnings) = lower::lower(&file.path, &loaded.spec, &options).unwrap();
        assert!(warnings.is_empty());
        let name = format!("{prefix}{}__{}", file.group.replace(' ', "_"), file.module);
        insta::assert_snapshot!(format!("{name}__ir"), generator::ir::dump(&doc));

        let version = project::module_ident(&file.group);
        let dir = format!("src/{version}/{}", file.module);
        let code = ["mod.rs", "models.rs", "operations.rs"]
            .iter()
            .map(|f| {
                format!(
                    "// ==== {dir}/{f}\n{}",
                    generated.files[&format!("{dir}/{f}")]
                )
            })
            .collect::<String>();
        insta::assert_snapshot!(format!("{name}__code"), code);
    }
}

#[test]
fn hubspot_documents() {
    snapshot_tree(&dir("../specs"), "", 11);
}

#[test]
fn construct_documents() {
    snapshot_tree(&dir("tests/fixtures/constructs"), "constructs__", 3);
}

#[test]
fn generation_is_deterministic() {
    let specs = dir("../specs");
    let a = project::generate(&specs, &project::Options::default()).unwrap();
    let b = project::generate(&specs, &project::Options::default()).unwrap();
    assert_eq!(a.files, b.files);
}
