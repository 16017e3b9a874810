//! The `codegen` command.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use generator::lower::Strictness;
use generator::output::{self, StaleFile};
use generator::project::{self, Options};

use crate::{user_path, workspace_root};

pub struct Args {
    check: bool,
    strictness: Strictness,
    specs: PathBuf,
    out: PathBuf,
}

impl Args {
    pub fn parse(mut args: impl Iterator<Item = String>) -> Result<Self> {
        let root = workspace_root();
        let mut parsed = Args {
            check: false,
            strictness: Strictness::Strict,
            specs: root.join("specs"),
            out: root.join("generated"),
        };
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--check" => parsed.check = true,
                "--lenient" => parsed.strictness = Strictness::Lenient,
                "--specs" | "--out" => {
                    let Some(value) = args.next() else {
                        bail!("{arg} needs a folder")
                    };
                    let path = user_path(&value)?;
                    if arg == "--specs" {
                        parsed.specs = path
                    } else {
                        parsed.out = path
                    }
                }
                other => bail!("codegen: unknown argument `{other}`"),
            }
        }
        Ok(parsed)
    }
}

pub fn run(args: Args) -> Result<ExitCode> {
    let generated = project::generate(
        &args.specs,
        &Options {
            strictness: args.strictness,
        },
    )?;
    for warning in &generated.warnings {
        eprintln!("warning: {warning}");
    }
    if args.check {
        let stale = output::stale_files(&args.out, &generated.files)?;
        if stale.is_empty() {
            println!(
                "{} is up to date ({} files).",
                args.out.display(),
                generated.files.len()
            );
            return Ok(ExitCode::SUCCESS);
        }
        for file in &stale {
            print_diff(file);
        }
        eprintln!(
            "\n{} is stale: {} file(s) differ from what the specs generate.\nRun `cargo xtask codegen` and commit the result.",
            args.out.display(),
            stale.len()
        );
        return Ok(ExitCode::FAILURE);
    }
    output::write_atomically(&args.out, &generated.files)?;
    let operations: usize = generated
        .versions
        .iter()
        .flat_map(|v| &v.documents)
        .map(|d| d.operations.len())
        .sum();
    println!(
        "wrote {} ({} files, {} versions, {} operations)",
        args.out.display(),
        generated.files.len(),
        generated.versions.len(),
        operations
    );
    Ok(ExitCode::SUCCESS)
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
