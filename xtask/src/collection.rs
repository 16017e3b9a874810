//! `cargo xtask bench collection --dir DIR`: HubSpot's whole published
//! collection (github.com/HubSpot/HubSpot-public-api-spec-collection, fetched
//! locally; its files are not ours to commit) as a test bed.
//!
//! It measures, and prints for BENCHMARKS.md:
//! 1. each document generated on its own, with an empty `overrides.toml`:
//!    how many generate strictly, how many only with `--lenient`, and why the
//!    rest fail (messages grouped, names elided);
//! 2. the whole collection generated in one run (every version at once,
//!    `--lenient`), timed;
//! 3. for each dated version, one crate from all of that version's documents
//!    together (`--lenient`), and whether `cargo check` passes warning-free.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use generator::lower::Strictness;
use generator::project::{self, Options, RuntimeSource};

use crate::{user_path, workspace_root};

pub struct Args {
    dir: PathBuf,
    work: PathBuf,
    /// Generate the per-version crates but do not `cargo check` them.
    skip_check: bool,
}

impl Args {
    pub fn parse(mut args: impl Iterator<Item = String>) -> Result<Self> {
        let mut dir = None;
        let mut work = None;
        let mut skip_check = false;
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--skip-check" => skip_check = true,
                "--dir" | "--work" => {
                    let Some(value) = args.next() else {
                        bail!("bench collection: {arg} needs a value")
                    };
                    let path = user_path(&value)?;
                    if arg == "--dir" {
                        dir = Some(path);
                    } else {
                        work = Some(path);
                    }
                }
                other => bail!("bench collection: unknown argument `{other}`"),
            }
        }
        let Some(dir) = dir else {
            bail!(
                "bench collection: --dir DIR is required (a local copy of \
                 HubSpot-public-api-spec-collection, e.g. from `git clone`)"
            )
        };
        let work = work.unwrap_or_else(|| target_dir().join("bench-collection"));
        Ok(Args {
            dir,
            work,
            skip_check,
        })
    }
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// One OpenAPI document of the collection.
#[derive(Debug, Clone)]
struct Published {
    /// Path under the collection folder.
    relative: String,
    /// The version folder (`2026-03`, `v3`, `2026-09-beta`).
    version: String,
    /// API folder name (`Associations Schema`).
    api: String,
    rollout: String,
    file: String,
    text: String,
}

/// `PublicApiSpecs/<area>/<API>/Rollouts/<id>/<version>/<file>.json` with an
/// `openapi` field (Postman collections sit beside some; they are skipped).
fn find_documents(dir: &Path) -> Result<Vec<Published>> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in
            std::fs::read_dir(&d).with_context(|| format!("cannot read {}", d.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let relative = path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            let parts: Vec<&str> = relative.split('/').collect();
            let [
                "PublicApiSpecs",
                _area,
                api,
                "Rollouts",
                rollout,
                version,
                file,
            ] = parts.as_slice()
            else {
                continue;
            };
            if !file.ends_with(".json") {
                continue;
            }
            let text = std::fs::read_to_string(&path)?;
            let is_openapi = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .is_some_and(|v| v.get("openapi").is_some());
            if !is_openapi {
                continue;
            }
            found.push(Published {
                version: (*version).to_owned(),
                api: (*api).to_owned(),
                rollout: (*rollout).to_owned(),
                file: (*file).to_owned(),
                relative: relative.clone(),
                text,
            });
        }
    }
    found.sort_by(|a, b| a.relative.cmp(&b.relative));
    Ok(found)
}

/// A dated version: `2026-03`, `2026-09-beta`.
fn is_dated(version: &str) -> bool {
    let b = version.as_bytes();
    b.len() >= 7
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
}

/// Lays `documents` out as a specs folder: `<version>/<API>[ <rollout>]/<file>`,
/// the rollout only where one API has two of a version.
fn write_specs(specs: &Path, documents: &[&Published]) -> Result<()> {
    let _ = std::fs::remove_dir_all(specs);
    std::fs::create_dir_all(specs)?;
    let mut seen = std::collections::BTreeSet::new();
    for doc in documents {
        let mut folder = doc.api.clone();
        if !seen.insert((doc.version.clone(), doc.api.clone(), doc.file.clone())) {
            folder = format!("{} {}", doc.api, doc.rollout);
        }
        let path = specs.join(&doc.version).join(folder).join(&doc.file);
        std::fs::create_dir_all(path.parent().unwrap_or(specs))?;
        std::fs::write(&path, &doc.text)?;
    }
    Ok(())
}

/// `a \`name\` b` → `a \`…\` b`: failures of one kind read alike.
fn kind_of(message: &str) -> String {
    // Drop `<file>#<pointer>: ` (or `<file>: `).
    let text = match message.find(".json") {
        Some(at) => {
            let rest = &message[at + 5..];
            let rest = match rest.strip_prefix('#') {
                Some(pointed) => pointed.split_once(": ").map_or(pointed, |(_, m)| m),
                None => rest.trim_start_matches(": "),
            };
            rest.to_owned()
        }
        None => message.to_owned(),
    };
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str("`…`");
        } else {
            out.push_str(part);
        }
    }
    out
}

#[derive(Default)]
struct PerDocument {
    strict: usize,
    lenient_only: Vec<String>,
    failed: Vec<(String, String)>,
}

fn generate_each(work: &Path, documents: &[Published]) -> Result<(PerDocument, Duration)> {
    let mut result = PerDocument::default();
    let specs = work.join("one");
    let started = Instant::now();
    for doc in documents {
        write_specs(&specs, &[doc])?;
        let strict = Options {
            strictness: Strictness::Strict,
            ..Options::default()
        };
        if project::generate(&specs, &strict).is_ok() {
            result.strict += 1;
            continue;
        }
        let lenient = Options {
            strictness: Strictness::Lenient,
            ..Options::default()
        };
        match project::generate(&specs, &lenient) {
            Ok(_) => result.lenient_only.push(doc.relative.clone()),
            Err(e) => result.failed.push((doc.relative.clone(), e.to_string())),
        }
    }
    Ok((result, started.elapsed()))
}

struct VersionCrate {
    version: String,
    documents: usize,
    operations: usize,
    skipped_operations: usize,
    generate: Duration,
    check: Option<(bool, usize, Duration)>,
}

fn version_crate(
    work: &Path,
    version: &str,
    documents: &[&Published],
    check: bool,
) -> Result<VersionCrate> {
    let root = work.join(format!("v-{version}"));
    let specs = root.join("specs");
    write_specs(&specs, documents)?;
    let options = Options {
        strictness: Strictness::Lenient,
        package: format!("collection-{version}"),
        // This workspace's runtime, shared by every version crate checked.
        runtime: RuntimeSource::Dependency {
            path: Some(
                crate::workspace_root()
                    .join("runtime")
                    .display()
                    .to_string(),
            ),
        },
        // A measurement's scratch crate.
        publish: false,
    };
    let started = Instant::now();
    let generated = project::generate(&specs, &options)
        .with_context(|| format!("version {version} does not generate"))?;
    let generate = started.elapsed();
    let out = root.join("crate");
    let mut files = generated.files.clone();
    // Its own workspace: the work folder may lie inside this one (target/).
    if let Some(manifest) = files.get_mut("Cargo.toml") {
        manifest.push_str("\n[workspace]\n");
    }
    generator::output::write_atomically(&out, &files)?;
    let operations = generated
        .versions
        .iter()
        .flat_map(|v| &v.documents)
        .map(|d| d.operations.len())
        .sum();
    let check = if check {
        let started = Instant::now();
        let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args([
                "check",
                "--offline",
                "--all-features",
                "--message-format",
                "short",
            ])
            .current_dir(&out)
            .env("CARGO_TARGET_DIR", work.join("target"))
            .output()
            .context("cannot run cargo check")?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        let warnings = stderr.lines().filter(|l| l.contains("warning:")).count();
        if !output.status.success() {
            let first: Vec<&str> = stderr
                .lines()
                .filter(|l| l.contains("error"))
                .take(5)
                .collect();
            eprintln!("{version}: cargo check failed:\n{}", first.join("\n"));
        }
        Some((output.status.success(), warnings, started.elapsed()))
    } else {
        None
    };
    Ok(VersionCrate {
        version: version.to_owned(),
        documents: documents.len(),
        operations,
        skipped_operations: generated.warnings.len(),
        generate,
        check,
    })
}

pub fn run(args: Args) -> Result<ExitCode> {
    let documents = find_documents(&args.dir)?;
    if documents.is_empty() {
        bail!(
            "{}: no OpenAPI documents under PublicApiSpecs/",
            args.dir.display()
        );
    }
    std::fs::create_dir_all(&args.work)?;
    let total = documents.len();
    println!(
        "collection: {total} OpenAPI documents in {}",
        args.dir.display()
    );

    // 1. Each document on its own.
    let (each, each_time) = generate_each(&args.work, &documents)?;
    let generated = each.strict + each.lenient_only.len();
    println!(
        "\none at a time (empty overrides.toml), {:.1} s in all:\n  {} generate ({:.1}%), {} more only with --lenient, {} fail",
        each_time.as_secs_f64(),
        each.strict,
        100.0 * each.strict as f64 / total as f64,
        each.lenient_only.len(),
        each.failed.len()
    );
    let _ = generated;
    for path in &each.lenient_only {
        println!("  lenient only: {path}");
    }
    let mut kinds: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (path, message) in &each.failed {
        kinds.entry(kind_of(message)).or_default().push(path);
    }
    for (kind, paths) in &kinds {
        println!("  {} fail: {kind}", paths.len());
        for path in paths.iter().take(3) {
            println!("    e.g. {path}");
        }
    }

    // 2. The whole collection in one run.
    let all: Vec<&Published> = documents.iter().collect();
    let specs = args.work.join("all");
    write_specs(&specs, &all)?;
    let lenient = Options {
        strictness: Strictness::Lenient,
        package: "collection".into(),
        ..Options::default()
    };
    let started = Instant::now();
    let whole = project::generate(&specs, &lenient);
    let whole_time = started.elapsed();
    match &whole {
        Ok(g) => println!(
            "\nwhole collection in one run (--lenient): {:.2} s, {} versions, {} files, {} operations skipped",
            whole_time.as_secs_f64(),
            g.versions.len(),
            g.files.len(),
            g.warnings.len()
        ),
        Err(e) => println!(
            "\nwhole collection in one run (--lenient): fails after {:.2} s: {e}",
            whole_time.as_secs_f64()
        ),
    }

    // 3. One crate per dated version.
    let mut by_version: BTreeMap<&str, Vec<&Published>> = BTreeMap::new();
    for doc in &documents {
        if is_dated(&doc.version) {
            by_version.entry(&doc.version).or_default().push(doc);
        }
    }
    // Documents that fail even leniently cannot be in any crate.
    let failing: std::collections::BTreeSet<&str> =
        each.failed.iter().map(|(p, _)| p.as_str()).collect();
    println!("\none crate per dated version (--lenient), cargo check --all-features:");
    println!(
        "| version | documents | operations | skipped operations | generate | cargo check | warnings | check time |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut all_pass = true;
    for (version, docs) in by_version {
        let docs: Vec<&Published> = docs
            .into_iter()
            .filter(|d| !failing.contains(d.relative.as_str()))
            .collect();
        let v = version_crate(&args.work, version, &docs, !args.skip_check)?;
        let (status, warnings, time) = match v.check {
            Some((ok, warnings, time)) => {
                all_pass &= ok && warnings == 0;
                (
                    if ok { "pass" } else { "FAIL" },
                    warnings.to_string(),
                    format!("{:.0} s", time.as_secs_f64()),
                )
            }
            None => ("not run", "-".into(), "-".into()),
        };
        println!(
            "| {} | {} | {} | {} | {:.2} s | {status} | {warnings} | {time} |",
            v.version,
            v.documents,
            v.operations,
            v.skipped_operations,
            v.generate.as_secs_f64()
        );
    }
    Ok(if all_pass || args.skip_check {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
