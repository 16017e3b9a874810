//! `cargo xtask codegen | diff | fetch-specs | bench`: see `USAGE`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

mod bench;
mod codegen;
mod collection;
mod diff;
mod fetch;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  codegen [--check] [--lenient] [--vendor-runtime] [--specs DIR] [--out DIR] [--package NAME]
      Regenerate the client crate. Default: specs/ -> generated/, and the
      construct test documents -> generated-fixtures/.
      --check    change nothing; fail with a diff if the output is stale
      --lenient  skip operations the generator cannot express, with a warning
      --vendor-runtime  copy the runtime into the crate (src/runtime/) instead
                 of depending on hubspot-runtime: one self-contained crate
                 whose Client is not shared with other generated crates
      --package  the generated crate's package name (with --specs/--out)

  diff <old> <new> [--specs DIR]
      Print the API changelog between two versions (folder names, e.g.
      2026-03 2026-09) as Markdown, each change marked breaking or not.

  fetch-specs [--base-url URL] [--config FILE] [--specs DIR] [--discover [--listing-url URL]]
      Download the documents listed in specs/versions.toml into specs/.
      Nothing is replaced unless every document downloads, parses and
      generates. --base-url replaces `{base}` in the listed URLs.
      --discover changes nothing: it lists the repository's files (GitHub's
      API, `listing_url` or --listing-url) and reports the published
      documents of the `discover` APIs that versions.toml does not list.

  bench collection --dir DIR [--work DIR] [--skip-check]
      HubSpot's whole published collection (a local copy of
      HubSpot-public-api-spec-collection): each document generated alone
      (strict, then --lenient), the whole collection in one run, and one
      crate per dated version through `cargo check` (BENCHMARKS.md).

  bench [run | compile | marginal] [--work DIR] [--openapi-generator PATH] [--repeat N]
        [--skip-baseline] [--skip-tls] [--units-only] [-- DIVAN ARGS]
      The benchmarks of BENCHMARKS.md, each against its alternative.
      run      divan benches: codegen time, model decode/encode, client
               round trip (cargo bench -p benchmarks), then the ratios
      compile  generation time and cold build time of generated/ against
               openapi-generator's rust client, lines per operation
               (work folder default: target/bench-compile)
      marginal cold debug build of a typical app (tokio, reqwest, serde,
               serde_json) without and with the crate: what users pay;
               then 3 x N rounds rebuilding only the units that differ
               (--units-only: those alone)
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
        Some("bench") => {
            let mut args = args.peekable();
            if args.peek().map(String::as_str) == Some("collection") {
                args.next();
                collection::run(collection::Args::parse(args)?)
            } else {
                bench::run(bench::Args::parse(args)?)
            }
        }
        Some("diff") => diff::run(diff::Args::parse(args)?),
        Some("fetch-specs") => fetch::run(fetch::Args::parse(args)?),
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
