//! `cargo xtask codegen` as a maintainer runs it: the binary, on folders
//! given with --specs/--out.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file under `dir` with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let key = path.strip_prefix(dir).unwrap().display().to_string();
                files.insert(key, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// Operations in a document, counted from its `paths` (the oracle for the
/// summary line, independent of the generator).
fn operations_in(document: &str) -> usize {
    let value: serde_json::Value = serde_json::from_str(document).unwrap();
    let methods = [
        "get", "put", "post", "delete", "patch", "head", "options", "trace",
    ];
    value["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|item| methods.iter().filter(|m| item.get(**m).is_some()).count())
        .sum()
}

/// The tree at `dir` is byte-for-byte `before`; a failure names the files
/// that were added, removed or changed (not their bytes).
fn assert_unchanged(dir: &Path, before: &BTreeMap<String, Vec<u8>>, what: &str) {
    let after = tree(dir);
    let differ: std::collections::BTreeSet<&String> = before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        .collect();
    assert!(differ.is_empty(), "{what}: files touched: {differ:?}");
}

const GOOD: &str = r##"{"openapi": "3.0.1", "info": {"title": "Things", "version": "v1"},
  "paths": {"/crm/v1/things/{id}": {"get": {"parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
    "responses": {"200": {"description": "A thing.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}}}},
  "components": {"schemas": {"Thing": {"type": "object", "properties": {"name": {"type": "string"}}}}}}"##;

#[test]
fn failed_runs_leave_the_output_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let specs = dir.path().join("my specs");
    let out = dir.path().join("out crate");
    std::fs::create_dir_all(specs.join("v1")).unwrap();
    std::fs::write(specs.join("v1/things.json"), GOOD).unwrap();
    let (specs_arg, out_arg) = (specs.to_str().unwrap(), out.to_str().unwrap());

    let ok = xtask(&[
        "codegen",
        "--specs",
        specs_arg,
        "--out",
        out_arg,
        "--package",
        "things",
    ]);
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    let before = tree(&out);
    // The summary's counts: files as found on disk, one version folder, and
    // the operations the document's paths declare.
    assert_eq!(
        text(&ok.stdout).trim_end(),
        format!(
            "wrote {out_arg} ({} files, 1 versions, {} operations)",
            before.len(),
            operations_in(GOOD)
        )
    );
    assert!(before.contains_key("src/v1/things/models.rs") && before.contains_key("Cargo.toml"));
    assert!(text(&before["Cargo.toml"]).contains("name = \"things\""));

    // A dangling $ref: one clear message, non-zero exit, nothing touched.
    std::fs::write(
        specs.join("v1/things.json"),
        GOOD.replace("schemas/Thing\"}", "schemas/Gone\"}"),
    )
    .unwrap();
    let failed = xtask(&["codegen", "--specs", specs_arg, "--out", out_arg]);
    assert!(!failed.status.success());
    let stderr = text(&failed.stderr);
    assert_eq!(
        stderr.trim_end(),
        format!(
            "error: {}#/paths/~1crm~1v1~1things~1{{id}}/get/responses/200/content/application~1json/schema: dangling $ref `#/components/schemas/Gone`: no such schema",
            specs.join("v1/things.json").display()
        )
    );
    assert_unchanged(&out, &before, "a failed run leaves the output as it was");

    // Malformed JSON: the same.
    std::fs::write(specs.join("v1/things.json"), &GOOD[..40]).unwrap();
    let failed = xtask(&["codegen", "--specs", specs_arg, "--out", out_arg]);
    assert!(!failed.status.success());
    assert!(
        text(&failed.stderr).contains("things.json: not valid JSON"),
        "{}",
        text(&failed.stderr)
    );
    assert_unchanged(&out, &before, "a failed run leaves the output as it was");
}

#[test]
fn check_reports_a_stale_crate_and_what_to_run() {
    let dir = tempfile::tempdir().unwrap();
    let specs = dir.path().join("specs");
    let out = dir.path().join("out");
    std::fs::create_dir_all(specs.join("v1")).unwrap();
    std::fs::write(specs.join("v1/things.json"), GOOD).unwrap();
    let (specs_arg, out_arg) = (specs.to_str().unwrap(), out.to_str().unwrap());
    assert!(
        xtask(&["codegen", "--specs", specs_arg, "--out", out_arg])
            .status
            .success()
    );
    let before = tree(&out);
    let fresh = xtask(&["codegen", "--check", "--specs", specs_arg, "--out", out_arg]);
    assert!(fresh.status.success(), "{}", text(&fresh.stderr));
    assert_unchanged(&out, &before, "--check of a fresh crate writes nothing");

    std::fs::write(
        specs.join("v1/things.json"),
        GOOD.replace("\"properties\": {\"name\"", "\"properties\": {\"title\""),
    )
    .unwrap();
    let stale = xtask(&["codegen", "--check", "--specs", specs_arg, "--out", out_arg]);
    assert_eq!(stale.status.code(), Some(1));
    let stdout = text(&stale.stdout);
    assert!(
        stdout.contains("--- src/v1/things/models.rs (changed)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("+    pub title: Option<String>,"),
        "{stdout}"
    );
    assert!(text(&stale.stderr).contains("Run `cargo xtask codegen` and commit the result."));
    assert_unchanged(&out, &before, "--check of a stale crate writes nothing");
}

#[test]
fn lenient_skips_what_it_cannot_express_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let specs = dir.path().join("specs");
    std::fs::create_dir_all(specs.join("v1")).unwrap();
    let with_cookie = GOOD.replace(
        r#"{"name": "id", "in": "path""#,
        r#"{"name": "session", "in": "cookie", "schema": {"type": "string"}}, {"name": "id", "in": "path""#,
    );
    std::fs::write(specs.join("v1/things.json"), &with_cookie).unwrap();
    let out = dir.path().join("out");
    let (specs_arg, out_arg) = (specs.to_str().unwrap(), out.to_str().unwrap());
    let strict = xtask(&["codegen", "--specs", specs_arg, "--out", out_arg]);
    assert!(!strict.status.success());
    assert!(
        text(&strict.stderr).contains("/get/parameters/0: cookie parameters are not supported")
    );
    assert!(!out.exists());
    let lenient = xtask(&[
        "codegen",
        "--lenient",
        "--specs",
        specs_arg,
        "--out",
        out_arg,
    ]);
    assert!(lenient.status.success(), "{}", text(&lenient.stderr));
    assert!(
        text(&lenient.stderr).starts_with("warning: skipped "),
        "{}",
        text(&lenient.stderr)
    );
    // Every operation of the document was skipped (its one operation has a
    // cookie parameter): the summary counts what the paths declare, minus it.
    let skipped = text(&lenient.stderr).matches("warning: skipped ").count();
    assert_eq!(skipped, 1, "{}", text(&lenient.stderr));
    assert!(
        text(&lenient.stdout).ends_with(&format!(
            ", {} operations)\n",
            operations_in(&with_cookie) - skipped
        )),
        "{}",
        text(&lenient.stdout)
    );
}

#[test]
fn the_out_dir_is_a_crate_that_builds_on_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("standalone");
    let made = xtask(&["codegen", "--out", out.to_str().unwrap()]);
    assert!(made.status.success(), "{}", text(&made.stderr));
    check_builds(&out);
}

/// The versions added after the naming rule (2026-09-beta adds generic
/// object endpoints beside the association ones; v3) need no name in
/// overrides.toml: with an empty one they generate and build warning-free.
#[test]
fn new_versions_generate_and_build_with_empty_overrides() {
    let dir = tempfile::tempdir().unwrap();
    let specs = dir.path().join("specs");
    let repo_specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    for version in ["2026-09-beta", "v3"] {
        let to = specs.join(version);
        std::fs::create_dir_all(&to).unwrap();
        for entry in std::fs::read_dir(repo_specs.join(version)).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
        }
    }
    std::fs::write(specs.join("overrides.toml"), "").unwrap();
    let out = dir.path().join("out");
    let made = xtask(&[
        "codegen",
        "--specs",
        specs.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(made.status.success(), "{}", text(&made.stderr));
    let beta =
        std::fs::read_to_string(out.join("src/v2026_09_beta/associations/operations.rs")).unwrap();
    // The endpoints that stopped codegen before: one path with one and with
    // two parameters.
    for method in ["pub async fn list_objects(", "pub async fn get_object("] {
        assert!(beta.contains(method), "{method} missing");
    }
    check_builds(&out);
}

/// `cargo check` of a generated crate outside the workspace, warning-free.
fn check_builds(out: &Path) {
    // Outside the workspace, with the workspace's target dir so dependencies
    // are not built twice; offline, from the registry cache this build filled.
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| workspace.join("target"), Into::into);
    let check = Command::new(env!("CARGO"))
        .args([
            "check",
            "--offline",
            "--all-features",
            "--message-format",
            "short",
        ])
        .current_dir(out)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .unwrap();
    let stderr = text(&check.stderr);
    assert!(check.status.success(), "{stderr}");
    assert!(!stderr.contains("warning:"), "{stderr}");
    assert!(out.join("Cargo.lock").exists());
}
