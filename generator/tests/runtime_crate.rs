//! The runtime crate (`runtime/`, package `hubspot-runtime`) and the
//! crates generated against it: a generated crate depends on it at its exact
//! version and forwards every feature it has; with `--vendor-runtime` it
//! carries a verbatim copy instead, which compiles on its own.

use std::path::PathBuf;
use std::process::Command;

use generator::emit::{GENERATED_HEADER, crate_files};
use generator::project::{self, Options, RuntimeSource};
use generator::runtime_crate;

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn runtime_manifest() -> toml::Table {
    let text = std::fs::read_to_string(repository().join("runtime/Cargo.toml"))
        .expect("runtime/Cargo.toml");
    text.parse().expect("runtime/Cargo.toml is TOML")
}

/// The files of a generated crate without any version.
fn crate_without_versions(runtime: RuntimeSource) -> std::collections::BTreeMap<String, String> {
    let options = Options {
        package: "any-client".to_owned(),
        runtime,
        ..Options::default()
    };
    let plan = project::crate_plan(&[], &options, project::CrateAbout::named("the Test API"));
    crate_files(&plan).expect("a crate without versions generates")
}

fn manifest_of(files: &std::collections::BTreeMap<String, String>) -> toml::Table {
    files["Cargo.toml"]
        .parse()
        .expect("the generated Cargo.toml is TOML")
}

#[test]
fn a_generated_crate_depends_on_the_exact_runtime_and_forwards_every_feature() {
    let runtime = runtime_manifest();
    let files = crate_without_versions(RuntimeSource::Dependency {
        path: Some("../runtime".into()),
    });
    let manifest = manifest_of(&files);
    let version = runtime["package"]["version"].as_str().unwrap();
    let dependency = &manifest["dependencies"]["hubspot-runtime"];
    assert_eq!(
        dependency["version"].as_str(),
        Some(format!("={version}").as_str())
    );
    assert_eq!(dependency["path"].as_str(), Some("../runtime"));
    assert_eq!(dependency["default-features"].as_bool(), Some(false));
    assert_eq!(
        manifest["dependencies"].as_table().unwrap().len(),
        1,
        "the runtime is the only dependency"
    );
    let features = manifest["features"].as_table().unwrap();
    for (name, _) in runtime["features"].as_table().unwrap() {
        let expected = if name == "default" {
            runtime["features"]["default"].clone()
        } else {
            toml::Value::Array(vec![format!("hubspot-runtime/{name}").into()])
        };
        assert_eq!(features.get(name), Some(&expected), "feature `{name}`");
    }
    assert_eq!(
        features.len(),
        runtime["features"].as_table().unwrap().len()
    );
    assert!(!files.keys().any(|f| f.starts_with("src/runtime")));
    assert!(files["src/lib.rs"].contains("pub use hubspot_runtime as runtime;"));
}

#[test]
fn without_a_path_the_runtime_comes_from_the_registry() {
    let manifest = manifest_of(&crate_without_versions(RuntimeSource::default()));
    let dependency = manifest["dependencies"]["hubspot-runtime"]
        .as_table()
        .unwrap();
    assert!(!dependency.contains_key("path"));
}

#[test]
fn a_vendored_crate_copies_the_runtime_verbatim_with_its_manifest() {
    let runtime = runtime_manifest();
    let files = crate_without_versions(RuntimeSource::Vendored);
    let dir = repository().join("runtime/src");
    let mut copied = 0;
    for entry in std::fs::read_dir(&dir).expect("runtime/src") {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let target = if name == "lib.rs" {
            "mod.rs".to_owned()
        } else {
            name.clone()
        };
        let source = std::fs::read_to_string(&path).unwrap();
        let copy = &files[&format!("src/runtime/{target}")];
        if name == "lib.rs" {
            // The crate root's docs are replaced (they speak of a shared
            // crate); the code after them is the same.
            let code = |text: &str| -> String {
                text.lines()
                    .filter(|l| !l.starts_with("//!"))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            assert_eq!(code(copy), code(&source), "runtime/src/lib.rs");
            assert!(copy.contains("belongs to this crate alone"));
            assert!(!copy.contains("generated crates pin"));
        } else {
            assert_eq!(
                copy,
                &format!("{GENERATED_HEADER}{source}"),
                "runtime/src/{name} is not copied verbatim"
            );
        }
        copied += 1;
    }
    assert_eq!(
        files
            .keys()
            .filter(|f| f.starts_with("src/runtime/"))
            .count(),
        copied
    );
    assert_eq!(copied, runtime_crate::SOURCES.len());
    let manifest = manifest_of(&files);
    for table in ["features", "dependencies", "dev-dependencies"] {
        assert_eq!(manifest.get(table), runtime.get(table), "[{table}]");
    }
    assert!(files["src/lib.rs"].contains("pub mod runtime;"));
}

#[test]
fn generated_crates_build_with_the_runtimes_edition_rust_version_and_license() {
    let runtime = runtime_manifest();
    for source in [RuntimeSource::default(), RuntimeSource::Vendored] {
        let manifest = manifest_of(&crate_without_versions(source));
        for key in ["edition", "rust-version", "license"] {
            assert_eq!(
                manifest["package"].get(key),
                runtime["package"].get(key),
                "`{key}`: runtime/Cargo.toml and the generated manifest differ"
            );
        }
    }
}

/// A doc example that compiles must name its crate, and with
/// `--vendor-runtime` the runtime's docs are part of the generated crate:
/// its examples are `ignore` (or `text`), so both crates run their doctests.
#[test]
fn runtime_doc_examples_do_not_compile_against_one_crate() {
    for entry in std::fs::read_dir(repository().join("runtime/src")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut in_block = false;
        for (number, line) in text.lines().enumerate() {
            let doc = line.trim_start();
            let Some(doc) = doc.strip_prefix("///").or_else(|| doc.strip_prefix("//!")) else {
                continue;
            };
            let Some(fence) = doc.trim_start().strip_prefix("```") else {
                continue;
            };
            if !in_block {
                assert!(
                    fence
                        .split(',')
                        .any(|a| matches!(a.trim(), "ignore" | "text")),
                    "{}:{}: a runtime doc example must be `ignore` or `text`",
                    path.display(),
                    number + 1
                );
            }
            in_block = !in_block;
        }
    }
}

/// `--vendor-runtime` end to end: the construct fixtures generated as one
/// self-contained crate, outside the workspace, type-check with every
/// feature and the runtime's own unit tests (`cargo check --all-targets`).
#[test]
fn a_vendored_crate_compiles_on_its_own() {
    let root = repository();
    let options = Options {
        package: "vendored-client".to_owned(),
        runtime: RuntimeSource::Vendored,
        ..Options::default()
    };
    let generated = project::generate(&root.join("generator/tests/fixtures/constructs"), &options)
        .expect("the construct fixtures generate");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("vendored-client");
    let mut files = generated.files;
    assert!(
        !files["Cargo.toml"].contains("hubspot-runtime"),
        "a vendored crate does not depend on the runtime crate"
    );
    files
        .get_mut("Cargo.toml")
        .unwrap()
        .push_str("\n[workspace]\n");
    generator::output::write_atomically(&out, &files).expect("written");
    // The workspace's lock: the same dependency versions. Not `--offline`:
    // a fresh machine's registry cache holds only what the workspace built
    // (the vendored crate's `--all-features` may want a crate it skipped).
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    // Everything on (its unit tests too), then nothing: both are builds users make.
    for features in [
        &["--all-features", "--all-targets"][..],
        &["--no-default-features"],
    ] {
        let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .arg("check")
            .args(features)
            .arg("--message-format=short")
            .current_dir(&out)
            .env(
                "CARGO_TARGET_DIR",
                root.join("target/vendored-runtime-check"),
            )
            .env("RUSTFLAGS", "-D warnings")
            .output()
            .expect("cargo runs");
        assert!(
            output.status.success(),
            "the vendored crate does not compile with {features:?}:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
