//! `cargo xtask codegen [--check] [--specs DIR] [--out DIR] [--lenient]`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

mod codegen;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  codegen [--check] [--lenient] [--specs DIR] [--out DIR]
      Regenerate the client crate (default: specs/ -> generated/).
      --check    change nothing; fail with a diff if the output is stale
      --lenient  skip operations the generator cannot express, with a warning
";

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<ExitCode> {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("codegen") => codegen::run(codegen::Args::parse(args)?),
        Some("help" | "--help" | "-h") | None => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        Some(other) => bail!("unknown command `{other}`\n\n{USAGE}"),
    }
}

/// The workspace root (xtask lives one level below it).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the workspace")
        .to_owned()
}

/// Resolves a user-given path against the directory cargo was run from.
pub fn user_path(raw: &str) -> Result<PathBuf> {
    let path = PathBuf::from(raw);
    if path.is_absolute() {
        return Ok(path);
    }
    Ok(std::env::current_dir()
        .context("current directory")?
        .join(path))
}
