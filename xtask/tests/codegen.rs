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
    assert!(
        text(&ok.stdout).contains("(25 files, 1 versions, 1 operations)"),
        "{}",
        text(&ok.stdout)
    );
    let before = tree(&out);
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
    assert_eq!(tree(&out), before, "output byte-for-byte as it was");

    // Malformed JSON: the same.
    std::fs::write(specs.join("v1/things.json"), &GOOD[..40]).unwrap();
    let failed = xtask(&["codegen", "--specs", specs_arg, "--out", out_arg]);
    assert!(!failed.status.success());
    assert!(
        text(&failed.stderr).contains("things.json: not valid JSON"),
        "{}",
        text(&failed.stderr)
    );
    assert_eq!(tree(&out), before);
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
    let fresh = xtask(&["codegen", "--check", "--specs", specs_arg, "--out", out_arg]);
    assert!(fresh.status.success(), "{}", text(&fresh.stderr));

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
    let before = tree(&out);
    assert!(
        before["src/v1/things/models.rs"]
            .windows(4)
            .any(|w| w == b"name"),
        "--check wrote nothing"
    );
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
    std::fs::write(specs.join("v1/things.json"), with_cookie).unwrap();
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
    assert!(
        text(&lenient.stdout).contains("0 operations"),
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
        .current_dir(&out)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .unwrap();
    let stderr = text(&check.stderr);
    assert!(check.status.success(), "{stderr}");
    assert!(!stderr.contains("warning:"), "{stderr}");
    assert!(out.join("Cargo.lock").exists());
}
