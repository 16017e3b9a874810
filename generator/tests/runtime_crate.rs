//! The runtime's development crate (`runtime/`, package `hubspot-runtime-dev`)
//! compiles `generator/runtime/` on its own. These tests keep it honest: it
//! builds with what a generated crate builds with, and what it builds is what
//! the generator copies.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use generator::emit::{CrateLayout, GENERATED_HEADER, crate_files};

fn generator_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The files of a generated crate without any version: the runtime's part.
fn runtime_only_crate() -> std::collections::BTreeMap<String, String> {
    crate_files(&CrateLayout {
        package: "any-client".to_owned(),
        versions: Vec::new(),
        default_version: None,
        keywords: Vec::new(),
        extra_files: Vec::new(),
        guide: None,
        api_name: "the Test API".to_owned(),
    })
    .expect("a crate without versions generates")
}

fn parse(path: &Path, text: &str) -> toml::Table {
    text.parse()
        .unwrap_or_else(|e| panic!("{} is not TOML: {e}", path.display()))
}

/// `key: runtime/Cargo.toml has …, the generator writes …`, per differing key.
fn differences(dev: Option<&toml::Value>, generated: Option<&toml::Value>) -> Vec<String> {
    let empty = toml::Table::new();
    let dev = dev.and_then(toml::Value::as_table).unwrap_or(&empty);
    let generated = generated.and_then(toml::Value::as_table).unwrap_or(&empty);
    let keys: BTreeSet<&String> = dev.keys().chain(generated.keys()).collect();
    keys.into_iter()
        .filter(|key| dev.get(*key) != generated.get(*key))
        .map(|key| {
            let show =
                |v: Option<&toml::Value>| v.map_or("nothing".to_owned(), |v| format!("`{v}`"));
            format!(
                "  {key}: runtime/Cargo.toml has {}, the generator writes {}",
                show(dev.get(key)),
                show(generated.get(key))
            )
        })
        .collect()
}

#[test]
fn runtime_crate_has_the_generated_manifests_features_and_dependencies() {
    let dev_path = generator_dir().join("../runtime/Cargo.toml");
    let dev_text = std::fs::read_to_string(&dev_path).expect("runtime/Cargo.toml");
    let dev = parse(&dev_path, &dev_text);
    let generated = parse(
        Path::new("<generated Cargo.toml>"),
        &runtime_only_crate()["Cargo.toml"],
    );
    for table in ["features", "dependencies", "dev-dependencies"] {
        let differences = differences(dev.get(table), generated.get(table));
        assert!(
            differences.is_empty(),
            "[{table}] of runtime/Cargo.toml differs from what \
             generator/src/emit/crate_files.rs writes for a generated crate \
             (version features aside); change both:\n{}",
            differences.join("\n")
        );
    }
    // Everything else a generated manifest has is package metadata.
    let known: BTreeSet<&str> = ["package", "features", "dependencies", "dev-dependencies"]
        .into_iter()
        .collect();
    for key in generated.keys() {
        assert!(
            known.contains(key.as_str()),
            "generated Cargo.toml has [{key}]: should runtime/Cargo.toml have it too?"
        );
    }
}

#[test]
fn every_runtime_file_is_copied_verbatim() {
    let dir = generator_dir().join("runtime");
    let mut on_disk = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).expect("generator/runtime") {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_some_and(|e| e == "rs") {
            on_disk.insert(path);
        }
    }
    let files = runtime_only_crate();
    let copied: BTreeSet<&str> = files
        .keys()
        .filter_map(|k| k.strip_prefix("src/runtime/"))
        .collect();
    let expected: BTreeSet<String> = on_disk
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        copied,
        expected.iter().map(String::as_str).collect(),
        "the RUNTIME list in generator/src/emit/crate_files.rs and the files in generator/runtime/ differ"
    );
    for path in &on_disk {
        let name = path.file_name().unwrap().to_string_lossy();
        let source = std::fs::read_to_string(path).unwrap();
        assert_eq!(
            files[&format!("src/runtime/{name}")],
            format!("{GENERATED_HEADER}{source}"),
            "{name} is not copied verbatim"
        );
    }
}

/// A doc example that compiles must name its crate, and the runtime is part of
/// every generated crate (and of `hubspot-runtime-dev`): its examples are
/// `ignore` (or `text`), so each of those crates runs its doctests.
#[test]
fn runtime_doc_examples_do_not_compile_against_one_crate() {
    for entry in std::fs::read_dir(generator_dir().join("runtime")).unwrap() {
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

/// The crate-level attributes (`#![forbid(unsafe_code)]`, `#![warn(missing_docs)]`,
/// …) of a file, docs left out, in order.
fn crate_attributes(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| l.starts_with("#![") && !l.starts_with("#![doc"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn runtime_crate_has_the_generated_lib_rs_crate_attributes() {
    let dev_path = generator_dir().join("../runtime/src/lib.rs");
    let dev = std::fs::read_to_string(&dev_path).expect("runtime/src/lib.rs");
    let generated = crate_attributes(&runtime_only_crate()["src/lib.rs"]);
    assert!(
        generated.iter().any(|a| a == "#![forbid(unsafe_code)]"),
        "{generated:?}"
    );
    assert_eq!(
        crate_attributes(&dev),
        generated,
        "the crate attributes of runtime/src/lib.rs differ from the lib.rs \
         generator/src/emit/crate_files.rs writes; change both"
    );
}

#[test]
fn runtime_crate_has_the_generated_edition_rust_version_and_license() {
    // runtime/Cargo.toml takes them from the workspace.
    let workspace_path = generator_dir().join("../Cargo.toml");
    let workspace = parse(
        &workspace_path,
        &std::fs::read_to_string(&workspace_path).expect("Cargo.toml"),
    );
    let dev_path = generator_dir().join("../runtime/Cargo.toml");
    let dev = parse(
        &dev_path,
        &std::fs::read_to_string(&dev_path).expect("runtime/Cargo.toml"),
    );
    let generated = parse(
        Path::new("<generated Cargo.toml>"),
        &runtime_only_crate()["Cargo.toml"],
    );
    let inherited = toml::Value::Table(toml::toml! { workspace = true });
    for key in ["edition", "rust-version", "license"] {
        assert_eq!(
            dev["package"].get(key),
            Some(&inherited),
            "runtime/Cargo.toml should take `{key}` from the workspace"
        );
        assert_eq!(
            workspace["workspace"]["package"].get(key),
            generated["package"].get(key),
            "`{key}`: the workspace's [workspace.package] (which runtime/ builds with) \
             differs from what generator/src/emit/crate_files.rs writes; change both"
        );
    }
}
