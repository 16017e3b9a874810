//! Snapshot tests: the IR and the generated Rust of every document in
//! `specs/`. Review changes with `cargo insta review` (or accept them all
//! with `INSTA_UPDATE=always cargo test`); under `CI=true` an unreviewed
//! change fails.

use std::path::{Path, PathBuf};

use generator::lower::{self, LowerOptions, Strictness};
use generator::overrides::Overrides;
use generator::project;

fn specs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

#[test]
fn every_document_snapshots_ir_and_code() {
    let specs = specs_dir();
    let overrides = Overrides::load(&specs.join(project::OVERRIDES_FILE)).unwrap();
    let files = project::discover(&specs).unwrap();
    assert!(
        files.len() >= 8,
        "expected the four versions' documents, found {}",
        files.len()
    );
    let generated = project::generate(&specs, &project::Options::default()).unwrap();
    for file in &files {
        let loaded = generator::load::load_file(&file.path).unwrap();
        let options = LowerOptions {
            module: file.module.clone(),
            source: file.relative.clone(),
            overrides: &overrides,
            strictness: Strictness::Strict,
        };
        let (doc, warnings) = lower::lower(&file.path, &loaded.spec, &options).unwrap();
        assert!(warnings.is_empty());
        let name = format!("{}__{}", file.group, file.module);
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
fn generation_is_deterministic() {
    let a = project::generate(&specs_dir(), &project::Options::default()).unwrap();
    let b = project::generate(&specs_dir(), &project::Options::default()).unwrap();
    assert_eq!(a.files, b.files);
}
