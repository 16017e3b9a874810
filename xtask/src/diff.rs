//! The `diff` command: the API changelog between two versions, as Markdown.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use generator::diff;
use generator::project::{self, Options};

use crate::{user_path, workspace_root};

pub struct Args {
    old: String,
    new: String,
    specs: PathBuf,
}

impl Args {
    pub fn parse(mut args: impl Iterator<Item = String>) -> Result<Self> {
        let mut versions = Vec::new();
        let mut specs = workspace_root().join("specs");
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--specs" => {
                    let Some(value) = args.next() else {
                        bail!("--specs needs a folder")
                    };
                    specs = user_path(&value)?;
                }
                other if other.starts_with('-') => bail!("diff: unknown argument `{other}`"),
                _ => versions.push(arg),
            }
        }
        let [old, new] = <[String; 2]>::try_from(versions)
            .map_err(|_| anyhow::anyhow!("diff needs two versions: diff <old> <new>"))?;
        Ok(Args { old, new, specs })
    }
}

pub fn run(args: Args) -> Result<ExitCode> {
    let generated = project::generate(&args.specs, &Options::default())?;
    let find = |name: &str| {
        generated
            .versions
            .iter()
            .find(|v| v.label == name || v.module == name)
            .ok_or_else(|| {
                let known: Vec<&str> = generated
                    .versions
                    .iter()
                    .map(|v| v.label.as_str())
                    .collect();
                anyhow::anyhow!(
                    "no version `{name}` in {} (versions: {})",
                    args.specs.display(),
                    known.join(", ")
                )
            })
    };
    let (old, new) = (find(&args.old)?, find(&args.new)?);
    let log = diff::changelog(&old.label, &old.documents, &new.label, &new.documents);
    print!("{}", diff::render_markdown(&log));
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Args> {
        Args::parse(args.iter().map(|a| a.to_string()))
    }

    #[test]
    fn takes_two_versions_and_a_specs_folder() {
        let args = parse(&["2026-03", "--specs", "/tmp/specs", "2026-09"]).unwrap();
        assert_eq!(
            (args.old.as_str(), args.new.as_str()),
            ("2026-03", "2026-09")
        );
        assert_eq!(args.specs, PathBuf::from("/tmp/specs"));
        for bad in [&["2026-03"][..], &["a", "b", "c"], &["a", "b", "--check"]] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn an_unknown_version_names_the_known_ones() {
        let error = run(parse(&["2026-03", "2030-01"]).unwrap()).unwrap_err();
        assert!(
            error
                .to_string()
                .ends_with("(versions: v3, v4, 2025-09, 2026-03, 2026-09, 2026-09-beta)"),
            "{error}"
        );
    }
}
