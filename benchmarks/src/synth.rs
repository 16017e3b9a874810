//! Synthetic specs N times the size of a real document, for showing that
//! codegen time is linear in spec size.
//!
//! Copy 0 is the document as it is; copy `k ≥ 1` has every path moved under
//! `/crm/c{k}/`, every operationId suffixed `-c{k}`, every component (but the
//! security schemes) renamed `{Name}C{k}` with its `$ref`s rewritten, and an
//! `overrides.toml` entry `{name}_c{k}` for each renamed endpoint. So the
//! result is one valid document with N times the operations and schemas,
//! which the generator lowers in strict mode like the real one.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use generator::overrides::Overrides;
use generator::project::{self, OVERRIDES_FILE, SpecFile};
use serde_json::{Map, Value};

pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// A specs folder written by [`write_scaled`].
#[derive(Debug, Clone)]
pub struct Scaled {
    /// The folder to hand to the generator.
    pub specs: PathBuf,
    /// Size of the one document in it.
    pub bytes: usize,
    pub copies: usize,
}

/// The largest document under `specs`, by file size.
pub fn largest_spec(specs: &Path) -> Result<SpecFile, Error> {
    let mut best: Option<(u64, SpecFile)> = None;
    for file in project::discover(specs)? {
        let size = std::fs::metadata(&file.path)?.len();
        if best.as_ref().is_none_or(|(s, _)| size > *s) {
            best = Some((size, file));
        }
    }
    Ok(best.ok_or("no documents in specs/")?.1)
}

/// Writes `dir/overrides.toml` and `dir/<group>/<file>` holding `copies`
/// copies of `source` (see the module docs).
pub fn write_scaled(
    dir: &Path,
    specs: &Path,
    source: &SpecFile,
    copies: usize,
) -> Result<Scaled, Error> {
    let original: Value = serde_json::from_slice(&std::fs::read(&source.path)?)?;
    let Value::Object(original) = original else {
        return Err("document is not an object".into());
    };
    let mut doc = original.clone();
    let mut paths = Map::new();
    let mut components = Map::new();
    let empty = Map::new();
    let source_paths = original
        .get("paths")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let source_components = original
        .get("components")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    for k in 0..copies {
        for (path, item) in source_paths {
            let mut item = item.clone();
            rewrite(&mut item, k);
            paths.insert(rename_path(path, k), item);
        }
        for (section, entries) in source_components {
            let Some(entries) = entries.as_object() else {
                continue;
            };
            if section == "securitySchemes" {
                components.insert(section.clone(), Value::Object(entries.clone()));
                continue;
            }
            let target = components
                .entry(section.clone())
                .or_insert_with(|| Value::Object(Map::new()))
                .as_object_mut()
                .expect("sections are objects");
            for (name, entry) in entries {
                let mut entry = entry.clone();
                rewrite(&mut entry, k);
                target.insert(rename_component(name, k), entry);
            }
        }
    }
    doc.insert("paths".into(), Value::Object(paths));
    doc.insert("components".into(), Value::Object(components));
    let text = serde_json::to_vec_pretty(&Value::Object(doc))?;

    let group_dir = dir.join(&source.group);
    std::fs::create_dir_all(&group_dir)?;
    let file_name = source.path.file_name().ok_or("document has no file name")?;
    std::fs::write(group_dir.join(file_name), &text)?;
    let overrides = Overrides::load(&specs.join(OVERRIDES_FILE))?;
    std::fs::write(
        dir.join(OVERRIDES_FILE),
        scaled_overrides(&overrides, copies),
    )?;
    Ok(Scaled {
        specs: dir.to_owned(),
        bytes: text.len(),
        copies,
    })
}

fn rename_path(path: &str, k: usize) -> String {
    if k == 0 {
        return path.to_owned();
    }
    match path.strip_prefix("/crm/") {
        Some(rest) => format!("/crm/c{k}/{rest}"),
        None => format!("/c{k}{path}"),
    }
}

fn rename_component(name: &str, k: usize) -> String {
    if k == 0 {
        name.to_owned()
    } else {
        format!("{name}C{k}")
    }
}

/// Points `$ref`s at copy `k`'s components and makes operationIds unique.
fn rewrite(value: &mut Value, k: usize) {
    if k == 0 {
        return;
    }
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match (key.as_str(), &mut *child) {
                    ("$ref", Value::String(target))
                        if target.starts_with("#/components/")
                            && !target.starts_with("#/components/securitySchemes/") =>
                    {
                        target.push_str(&format!("C{k}"));
                    }
                    ("operationId", Value::String(id)) => id.push_str(&format!("-c{k}")),
                    _ => rewrite(child, k),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| rewrite(item, k)),
        _ => {}
    }
}

/// The real overrides plus, for each copy `k ≥ 1`, every endpoint again
/// under its renamed key with its name suffixed `_c{k}`.
fn scaled_overrides(overrides: &Overrides, copies: usize) -> String {
    let mut out = String::new();
    if let Some(limit) = overrides.default_batch_limit {
        writeln!(out, "default_batch_limit = {limit}").unwrap();
    }
    for k in 0..copies {
        for (key, endpoint) in &overrides.endpoints {
            let key = match key.split_once(' ') {
                Some((method, path)) => format!("{method} {}", rename_path(path, k)),
                None => key.clone(),
            };
            writeln!(out, "\n[endpoints.{key:?}]").unwrap();
            if let Some(name) = &endpoint.name {
                let name = if k == 0 {
                    name.clone()
                } else {
                    format!("{name}_c{k}")
                };
                writeln!(out, "name = {name:?}").unwrap();
            }
            if let Some(limit) = endpoint.batch_limit {
                writeln!(out, "batch_limit = {limit}").unwrap();
            }
        }
    }
    out
}
