//! The `codegen` command.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, bail};
use generator::lower::Strictness;
use generator::output::{self, StaleFile};
use generator::project::{self, Options, RuntimeSource};

use crate::{user_path, workspace_root};

pub struct Args {
    check: bool,
    strictness: Strictness,
    specs: Option<PathBuf>,
    out: Option<PathBuf>,
    package: Option<String>,
    vendor_runtime: bool,
}

/// One specs folder → one crate.
struct Job {
    specs: PathBuf,
    out: PathBuf,
    package: String,
    /// `false` for a crate that exists only for tests.
    publish: bool,
}

/// Package name of the crate generated from the construct test specs.
const FIXTURES_PACKAGE: &str = "constructs-client";

impl Args {
    pub fn parse(mut args: impl Iterator<Item = String>) -> Result<Self> {
        let mut parsed = Args {
            check: false,
            strictness: Strictness::Strict,
            specs: None,
            out: None,
            package: None,
            vendor_runtime: false,
        };
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--check" => parsed.check = true,
                "--lenient" => parsed.strictness = Strictness::Lenient,
                "--vendor-runtime" => parsed.vendor_runtime = true,
                "--specs" | "--out" | "--package" => {
                    let Some(value) = args.next() else {
                        bail!("{arg} needs a value")
                    };
                    match arg.as_str() {
                        "--specs" => parsed.specs = Some(user_path(&value)?),
                        "--out" => parsed.out = Some(user_path(&value)?),
                        _ => parsed.package = Some(value),
                    }
                }
                other => bail!("codegen: unknown argument `{other}`"),
            }
        }
        if parsed.vendor_runtime && parsed.out.is_none() {
            // The default folders are this workspace's crates, which share
            // the runtime crate (client-tests use both on one `Client`).
            bail!("codegen: --vendor-runtime writes a crate of its own: give it --out <folder>");
        }
        Ok(parsed)
    }

    /// Without `--specs`/`--out`: the client from specs/, and the crate of
    /// construct test specs that CI compiles to prove every construct builds.
    fn jobs(&self) -> Vec<Job> {
        let root = workspace_root();
        if self.specs.is_none() && self.out.is_none() {
            return vec![
                Job {
                    specs: root.join("specs"),
                    out: root.join("generated"),
                    package: project::PACKAGE.into(),
                    publish: true,
                },
                Job {
                    specs: root.join("generator/tests/fixtures/constructs"),
                    out: root.join("generated-fixtures"),
                    package: FIXTURES_PACKAGE.into(),
                    publish: false,
                },
            ];
        }
        vec![Job {
            specs: self.specs.clone().unwrap_or_else(|| root.join("specs")),
            out: self.out.clone().unwrap_or_else(|| root.join("generated")),
            package: self
                .package
                .clone()
                .unwrap_or_else(|| project::PACKAGE.into()),
            publish: true,
        }]
    }
}

pub fn run(args: Args) -> Result<ExitCode> {
    let mut code = ExitCode::SUCCESS;
    for job in args.jobs() {
        if run_job(&args, &job)? != ExitCode::SUCCESS {
            code = ExitCode::FAILURE;
        }
    }
    Ok(code)
}

fn run_job(args: &Args, job: &Job) -> Result<ExitCode> {
    // A dependency on this workspace's runtime by path (and exact version,
    // which is what a published crate keeps), or a copy of it.
    let runtime = if args.vendor_runtime {
        RuntimeSource::Vendored
    } else {
        RuntimeSource::Dependency {
            path: Some(relative_path(&job.out, &workspace_root().join("runtime"))),
        }
    };
    let options = Options {
        strictness: args.strictness,
        package: job.package.clone(),
        runtime,
        publish: job.publish,
    };
    let generated = project::generate(&job.specs, &options)?;
    for warning in &generated.warnings {
        eprintln!("warning: {warning}");
    }
    if args.check {
        let stale = output::stale_files(&job.out, &generated.files)?;
        if stale.is_empty() {
            println!(
                "{} is up to date ({} files).",
                job.out.display(),
                generated.files.len()
            );
            return Ok(ExitCode::SUCCESS);
        }
        for file in &stale {
            print_diff(file);
        }
        eprintln!(
            "\n{} is stale: {} file(s) differ from what the specs generate.\nRun `cargo xtask codegen` and commit the result.",
            job.out.display(),
            stale.len()
        );
        return Ok(ExitCode::FAILURE);
    }
    output::write_atomically(&job.out, &generated.files)?;
    let operations: usize = generated
        .versions
        .iter()
        .flat_map(|v| &v.documents)
        .map(|d| d.operations.len())
        .sum();
    println!(
        "wrote {} ({} files, {} versions, {} operations)",
        job.out.display(),
        generated.files.len(),
        generated.versions.len(),
        operations
    );
    Ok(ExitCode::SUCCESS)
}

/// `to` as seen from the directory `from` (`generated` → `../runtime`),
/// `/`-separated for Cargo.toml; both absolute.
fn relative_path(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let ups = std::iter::repeat_n("..".to_owned(), from.len() - common);
    let downs = to[common..]
        .iter()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    ups.chain(downs).collect::<Vec<_>>().join("/")
}

/// A unified diff of one stale file, at most 40 lines of it.
fn print_diff(file: &StaleFile) {
    let old = file.on_disk.as_deref().unwrap_or("");
    let new = file.generated.as_deref().unwrap_or("");
    let state = match (&file.on_disk, &file.generated) {
        (None, _) => "missing",
        (_, None) => "no longer generated",
        _ => "changed",
    };
    println!("--- {} ({state})", file.path);
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{}", file.path), &format!("b/{}", file.path))
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    for line in lines.iter().take(40) {
        println!("{line}");
    }
    if lines.len() > 40 {
        println!("... ({} more diff lines)", lines.len() - 40);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_paths_are_relative_to_the_generated_crate() {
        let rel = |from: &str, to: &str| relative_path(Path::new(from), Path::new(to));
        assert_eq!(rel("/w/generated", "/w/runtime"), "../runtime");
        assert_eq!(
            rel("/w/target/tmp/out/x", "/w/runtime"),
            "../../../../runtime"
        );
        assert_eq!(rel("/w", "/w/runtime"), "runtime");
    }

    #[test]
    fn vendor_runtime_is_a_flag_that_needs_an_out_folder() {
        let parse = |args: &[&str]| Args::parse(args.iter().map(|a| (*a).to_owned()));
        let args = parse(&["--vendor-runtime", "--out", "/tmp/vendored"]).unwrap();
        assert!(args.vendor_runtime);
        assert!(!parse(&[]).unwrap().vendor_runtime);
        // Not into this workspace's crates, which share the runtime crate.
        let error = parse(&["--vendor-runtime"]).map(drop).unwrap_err();
        assert!(error.to_string().contains("--out"), "{error}");
    }
}
