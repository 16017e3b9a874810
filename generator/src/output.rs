//! Stage 4: files on disk. Output is swapped in whole, so a failed run leaves
//! the previous crate byte-for-byte as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Entries of an output folder that are not generated and survive a run:
/// build output, and for a crate outside a workspace (`--vendor-runtime`
/// into a repository of its own) its git folder and lock file.
const KEPT: &[&str] = &["target", ".git", "Cargo.lock"];

/// How the generated `Cargo.toml` begins: a folder whose manifest does not
/// is not codegen's to replace.
const GENERATED_MANIFEST_MARK: &str = "# @generated";

/// A file whose content on disk differs from what codegen would write.
#[derive(Debug, Clone, PartialEq)]
pub struct StaleFile {
    /// Relative to the output folder, e.g. `src/lib.rs`.
    pub path: String,
    /// `None`: missing on disk.
    pub on_disk: Option<String>,
    /// `None`: on disk but no longer generated.
    pub generated: Option<String>,
}

/// Replaces `out` with exactly `files` (keeping [`KEPT`]). A folder that
/// holds files but no generated `Cargo.toml` is refused, untouched: `--out`
/// pointed at the wrong place must not delete someone's work.
pub fn write_atomically(out: &Path, files: &BTreeMap<String, String>) -> Result<()> {
    refuse_foreign_folder(out)?;
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|source| Error::Write {
        path: parent.to_owned(),
        source,
    })?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let staging = parent.join(format!(".{name}.codegen-new-{}", std::process::id()));
    let backup = parent.join(format!(".{name}.codegen-old-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    let result = write_tree(&staging, files).and_then(|()| swap(out, &staging, &backup));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn refuse_foreign_folder(out: &Path) -> Result<()> {
    if !out.exists() || list_files(out, out)?.is_empty() {
        return Ok(());
    }
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap_or_default();
    if manifest.starts_with(GENERATED_MANIFEST_MARK) {
        return Ok(());
    }
    Err(Error::Config {
        path: out.to_owned(),
        message: "holds files codegen did not write (no Cargo.toml marked `@generated`); \
                  nothing was changed: choose an empty folder or one codegen wrote"
            .into(),
    })
}

fn write_tree(root: &Path, files: &BTreeMap<String, String>) -> Result<()> {
    for (relative, text) in files {
        let path = root.join(relative);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| Error::Write {
                path: dir.to_owned(),
                source,
            })?;
        }
        std::fs::write(&path, text).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
    }
    Ok(())
}

fn swap(out: &Path, staging: &Path, backup: &Path) -> Result<()> {
    let write_err = |path: &Path| {
        let path = path.to_owned();
        move |source| Error::Write { path, source }
    };
    if out.exists() {
        for kept in KEPT {
            let from = out.join(kept);
            if from.exists() {
                std::fs::rename(&from, staging.join(kept)).map_err(write_err(&from))?;
            }
        }
        std::fs::rename(out, backup).map_err(write_err(out))?;
        if let Err(source) = std::fs::rename(staging, out) {
            // Put the old crate back before reporting.
            let _ = std::fs::rename(backup, out);
            return Err(Error::Write {
                path: out.to_owned(),
                source,
            });
        }
        std::fs::remove_dir_all(backup).map_err(write_err(backup))?;
    } else {
        std::fs::rename(staging, out).map_err(write_err(out))?;
    }
    Ok(())
}

/// Compares `out` with `files`; empty when up to date.
pub fn stale_files(out: &Path, files: &BTreeMap<String, String>) -> Result<Vec<StaleFile>> {
    let mut stale = Vec::new();
    for (relative, text) in files {
        let on_disk = std::fs::read_to_string(out.join(relative)).ok();
        if on_disk.as_deref() != Some(text.as_str()) {
            stale.push(StaleFile {
                path: relative.clone(),
                on_disk,
                generated: Some(text.clone()),
            });
        }
    }
    if out.exists() {
        for relative in list_files(out, out)? {
            if !files.contains_key(&relative) {
                let on_disk = std::fs::read_to_string(out.join(&relative)).ok();
                stale.push(StaleFile {
                    path: relative,
                    on_disk,
                    generated: None,
                });
            }
        }
    }
    Ok(stale)
}

fn list_files(root: &Path, dir: &Path) -> Result<Vec<String>> {
    let mut found = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Read {
        path: dir.to_owned(),
        source,
    })?;
    for entry in entries {
        let path: PathBuf = entry
            .map_err(|source| Error::Read {
                path: dir.to_owned(),
                source,
            })?
            .path();
        let relative = path.strip_prefix(root).unwrap_or(&path);
        if dir == root && relative.to_str().is_some_and(|r| KEPT.contains(&r)) {
            continue;
        }
        if path.is_dir() {
            found.extend(list_files(root, &path)?);
        } else {
            found.push(
                relative
                    .iter()
                    .map(|p| p.to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/"),
            );
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    const MANIFEST: &str = "# @generated by codegen\n[package]\n";

    #[test]
    fn replaces_the_tree_and_keeps_target_git_and_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("crate");
        write_atomically(
            &out,
            &files(&[("Cargo.toml", MANIFEST), ("a.rs", "1"), ("old.rs", "x")]),
        )
        .unwrap();
        std::fs::create_dir_all(out.join("target")).unwrap();
        std::fs::write(out.join("target/keep"), "k").unwrap();
        std::fs::create_dir_all(out.join(".git")).unwrap();
        std::fs::write(out.join(".git/HEAD"), "ref").unwrap();
        std::fs::write(out.join("Cargo.lock"), "lock").unwrap();
        write_atomically(
            &out,
            &files(&[("Cargo.toml", MANIFEST), ("a.rs", "2"), ("src/b.rs", "3")]),
        )
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join(".git/HEAD")).unwrap(),
            "ref"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("Cargo.lock")).unwrap(),
            "lock"
        );
        assert_eq!(std::fs::read_to_string(out.join("a.rs")).unwrap(), "2");
        assert_eq!(std::fs::read_to_string(out.join("src/b.rs")).unwrap(), "3");
        assert!(!out.join("old.rs").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("target/keep")).unwrap(),
            "k"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging or backup folders left");
    }

    #[test]
    fn a_folder_codegen_did_not_write_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("someones-crate");
        std::fs::create_dir_all(out.join("src")).unwrap();
        std::fs::write(out.join("Cargo.toml"), "[package]\nname = \"mine\"\n").unwrap();
        std::fs::write(out.join("src/lib.rs"), "// mine").unwrap();
        let error = write_atomically(&out, &files(&[("Cargo.toml", MANIFEST)])).unwrap_err();
        assert!(error.to_string().contains("did not write"), "{error}");
        assert_eq!(
            std::fs::read_to_string(out.join("src/lib.rs")).unwrap(),
            "// mine"
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no staging left"
        );
        // An empty folder, or one holding only build output, is taken.
        let empty = dir.path().join("empty");
        std::fs::create_dir_all(empty.join("target")).unwrap();
        write_atomically(&empty, &files(&[("Cargo.toml", MANIFEST)])).unwrap();
    }

    #[test]
    fn stale_files_lists_changed_missing_and_extra() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("crate");
        write_atomically(&out, &files(&[("a.rs", "1"), ("extra.rs", "e")])).unwrap();
        let want = files(&[("a.rs", "2"), ("new.rs", "n")]);
        let stale = stale_files(&out, &want).unwrap();
        let paths: Vec<&str> = stale.iter().map(|s| s.path.as_str()).collect();
        assert_eq!(paths, ["a.rs", "new.rs", "extra.rs"]);
        assert!(
            stale_files(&out, &files(&[("a.rs", "1"), ("extra.rs", "e")]))
                .unwrap()
                .is_empty()
        );
    }
}
