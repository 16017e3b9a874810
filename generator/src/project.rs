//! The whole run: a specs folder → the files of the generated crate.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::emit;
use crate::error::{Error, Result};
use crate::ir::{ApiVersion, CrateFeature, CratePlan, Document, RuntimeUse, VersionModule};
use crate::load;
use crate::lower::{self, LowerOptions, Strictness, Warning};
use crate::overrides::Overrides;

/// Name of the overrides file at the top of the specs folder.
pub const OVERRIDES_FILE: &str = "overrides.toml";
/// Markdown at the top of the specs folder placed in the generated crate's
/// docs (`CratePlan::guide`): data, like the API's name, so the tasks it
/// shows (with operation names of this API) are not code in the emitter.
pub const GUIDE_FILE: &str = "crate-docs.md";
/// Package name of the generated crate.
pub const PACKAGE: &str = "hubspot-associations";

/// Settings of a run that do not come from the specs folder.
#[derive(Debug, Clone)]
pub struct Options {
    /// Whether what cannot be lowered fails the run or is skipped with a warning.
    pub strictness: Strictness,
    /// Package name of the generated crate.
    pub package: String,
    /// How the generated crate gets its runtime.
    pub runtime: RuntimeSource,
    /// Whether the generated package may be published (`false` writes
    /// `publish = false`: a crate that exists for tests).
    pub publish: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            strictness: Strictness::default(),
            package: PACKAGE.to_owned(),
            runtime: RuntimeSource::default(),
            publish: true,
        }
    }
}

/// Where the generated crate gets its runtime (`hubspot-runtime`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeSource {
    /// A dependency on the runtime at the exact version the generator was
    /// built with: from the registry (`path: None`), or at `path`, relative
    /// to the generated crate (this workspace's `../runtime`).
    Dependency {
        /// Path from the generated crate to the runtime crate.
        path: Option<String>,
    },
    /// The runtime's sources copied into the crate (`--vendor-runtime`): one
    /// self-contained crate, whose `Client` is its own (not shared with
    /// other generated crates).
    Vendored,
}

impl Default for RuntimeSource {
    fn default() -> Self {
        Self::Dependency { path: None }
    }
}

/// What a run produced, before anything touches the disk.
#[derive(Debug)]
pub struct Generated {
    /// Every file of the generated crate, by path relative to its root (`src/lib.rs`).
    pub files: BTreeMap<String, String>,
    /// Every version, oldest first.
    pub versions: Vec<ApiVersion>,
    /// What lenient mode skipped (empty in strict mode).
    pub warnings: Vec<Warning>,
}

/// A document found under the specs folder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SpecFile {
    /// Group (version) folder as written, e.g. `2026-03`.
    pub group: String,
    /// Module name of the document inside its group.
    pub module: String,
    /// Path relative to the specs folder, `/`-separated.
    pub relative: String,
    /// The file on disk: the specs folder joined with `relative`.
    pub path: PathBuf,
}

/// Every OpenAPI document below `specs`, in a stable order. The first folder
/// level is the version; deeper folders and the file stem name the document.
pub fn discover(specs: &Path) -> Result<Vec<SpecFile>> {
    let mut found = Vec::new();
    walk(specs, specs, &mut found)?;
    found.sort();
    Ok(found)
}

fn walk(root: &Path, dir: &Path, found: &mut Vec<SpecFile>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Read {
        path: dir.to_owned(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = entries
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()
        .map_err(|source| Error::Read {
            path: dir.to_owned(),
            source,
        })?;
    paths.sort();
    for path in paths {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            walk(root, &path, found)?;
            continue;
        }
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        if !matches!(ext.as_str(), "json" | "yaml" | "yml") {
            continue;
        }
        let relative = path.strip_prefix(root).unwrap_or(&path);
        let parts: Vec<String> = relative
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (group, module) = match parts.as_slice() {
            [_single] => (stem.clone(), module_ident(&stem)),
            [group, middle @ .., _file] => {
                let words: Vec<String> = middle.iter().cloned().chain([stem.clone()]).collect();
                (group.clone(), module_ident(&words.join("_")))
            }
            [] => continue,
        };
        found.push(SpecFile {
            group,
            module,
            relative: parts.join("/"),
            path,
        });
    }
    Ok(())
}

/// A module name from a folder or file name: `2026-03` → `v2026_03`.
pub fn module_ident(raw: &str) -> String {
    let name = crate::naming::snake_ident(raw);
    match name.strip_prefix('n') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) && !raw.starts_with('n') => {
            format!("v{rest}")
        }
        _ => name,
    }
}

/// Loads and lowers every document; nothing is written.
pub fn generate(specs: &Path, options: &Options) -> Result<Generated> {
    let overrides = Overrides::load(&specs.join(OVERRIDES_FILE))?;
    let files = discover(specs)?;
    if files.is_empty() {
        return Err(Error::Config {
            path: specs.to_owned(),
            message: "no OpenAPI documents (*.json, *.yaml, *.yml) found".into(),
        });
    }
    let mut groups: BTreeMap<String, Vec<Document>> = BTreeMap::new();
    let mut labels: BTreeMap<String, String> = BTreeMap::new();
    let mut warnings = Vec::new();
    // All documents of a version share one `Api`, so they are named together.
    let mut by_group: BTreeMap<&str, Vec<&SpecFile>> = BTreeMap::new();
    for file in &files {
        by_group.entry(&file.group).or_default().push(file);
    }
    for (group, group_files) in by_group {
        let loaded = group_files
            .iter()
            .map(|file| load::load_file(&file.path))
            .collect::<Result<Vec<_>>>()?;
        let named: Vec<(&openapiv3::OpenAPI, &str)> = loaded
            .iter()
            .zip(&group_files)
            .map(|(l, f)| (&l.spec, f.relative.as_str()))
            .collect();
        let module = module_ident(group);
        let (lowered, group_warnings) =
            lower_group(specs, &group_files, &named, &overrides, options)?;
        warnings.extend(group_warnings);
        for (file, doc) in group_files.iter().zip(lowered) {
            if let Some(label) = labels.get(&module).filter(|l| **l != file.group) {
                return Err(Error::Config {
                    path: file.path.clone(),
                    message: format!(
                        "folders `{label}` and `{}` both become module `{module}`",
                        file.group
                    ),
                });
            }
            labels.insert(module.clone(), file.group.clone());
            let docs = groups.entry(module.clone()).or_default();
            if docs.iter().any(|d| d.module == doc.module) {
                return Err(Error::Config {
                    path: file.path.clone(),
                    message: format!(
                        "two documents of `{}` become module `{}`",
                        file.group, doc.module
                    ),
                });
            }
            docs.push(doc);
        }
        let docs = &groups[&module];
        for (file, doc) in group_files.iter().zip(docs) {
            crate::naming::check_document_names(doc).map_err(|clash| Error::Config {
                path: file.path.clone(),
                message: clash.to_string(),
            })?;
        }
        crate::naming::check_method_names(docs).map_err(|clash| {
            let path = group_files
                .iter()
                .find(|f| f.relative == clash.second.source)
                .map_or_else(|| specs.to_owned(), |f| f.path.clone());
            Error::Config {
                path,
                message: clash.to_string(),
            }
        })?;
    }
    let mut versions: Vec<ApiVersion> = groups
        .into_iter()
        .map(|(module, documents)| ApiVersion {
            label: labels[&module].clone(),
            module,
            documents,
        })
        .collect();
    versions.sort_by_key(|v| version_order(&v.label));
    // A quirk that selects nothing is a typo, not a report applied.
    let fields = versions.iter().flat_map(|v| {
        v.documents.iter().flat_map(|doc| {
            // As `lower` names the version: the document's folder.
            let folder = doc
                .source
                .split_once('/')
                .map_or(doc.version.as_str(), |(f, _)| f);
            doc.types.iter().flat_map(move |def| {
                let schema = match &def.origin {
                    crate::ir::Origin::Schema(schema) => schema.as_str(),
                    _ => def.name.as_str(),
                };
                let fields = match &def.kind {
                    crate::ir::TypeKind::Struct(fields) => fields.as_slice(),
                    _ => &[],
                };
                fields
                    .iter()
                    .map(move |f| (folder, [schema, def.name.as_str()], f.json_name.as_str()))
            })
        })
    });
    if let Some(message) = overrides.unselected_quirk(fields) {
        return Err(Error::Config {
            path: specs.join(OVERRIDES_FILE),
            message,
        });
    }
    let guide_path = specs.join(GUIDE_FILE);
    let guide = match std::fs::read_to_string(&guide_path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(source) => {
            return Err(Error::Read {
                path: guide_path,
                source,
            });
        }
    };
    check_version_names(specs, &versions)?;
    let about = CrateAbout {
        api_name: api_name(&overrides, &versions),
        keywords: overrides.keywords.clone(),
        guide,
    };
    let plan = crate_plan(&versions, options, about);
    let files = emit::crate_files(&plan)?;
    Ok(Generated {
        files,
        versions,
        warnings,
    })
}

/// Every decision about the whole crate, made once: the versions (in
/// order) with each one's changes from the previous one, the features and
/// the default ones, how the runtime is reached, the `Client` accessor, the
/// changelog, the runtime files a vendored crate copies.
pub fn crate_plan(versions: &[ApiVersion], options: &Options, about: CrateAbout) -> CratePlan {
    let CrateAbout {
        api_name,
        keywords,
        guide,
    } = about;
    let history = crate::diff::history(versions);
    // Betas are opt-in: the default feature is the newest released version,
    // or the newest beta when there is nothing else.
    let default_version = versions
        .iter()
        .rev()
        .find(|v| !is_prerelease(&v.label))
        .or(versions.last())
        .map(|v| v.module.clone());
    let runtime_manifest = crate::runtime_crate::manifest();
    let runtime = match &options.runtime {
        RuntimeSource::Dependency { path } => RuntimeUse::Dependency {
            package: runtime_manifest.package.clone(),
            version: runtime_manifest.version.clone(),
            path: path.clone(),
        },
        RuntimeSource::Vendored => RuntimeUse::Vendored {
            dependencies: runtime_manifest.dependencies.clone(),
            dev_dependencies: runtime_manifest.dev_dependencies.clone(),
            sources: crate::runtime_crate::vendored_sources(&runtime_manifest.version),
        },
    };
    // The runtime owns its features; a dependent crate forwards each by name.
    let mut features: Vec<CrateFeature> = runtime_manifest
        .features
        .iter()
        .map(|feature| match &runtime {
            RuntimeUse::Dependency { package, .. } => CrateFeature {
                name: feature.name.clone(),
                doc: feature.doc.clone(),
                enables: vec![format!("{package}/{}", feature.name)],
            },
            RuntimeUse::Vendored { .. } => feature.clone(),
        })
        .collect();
    features.extend(versions.iter().map(|v| CrateFeature {
        name: v.module.clone(),
        doc: Vec::new(),
        enables: Vec::new(),
    }));
    let mut default_features = runtime_manifest.default_features.clone();
    default_features.extend(default_version.clone());
    CratePlan {
        package: options.package.clone(),
        version: "0.1.0".to_owned(),
        edition: runtime_manifest.edition.clone(),
        rust_version: runtime_manifest.rust_version.clone(),
        license: runtime_manifest.license.clone(),
        description: format!("Typed client for {api_name}, one module per dated version."),
        api_name,
        keywords,
        publish: options.publish,
        default_version,
        features,
        default_features,
        runtime,
        accessor: crate::naming::api_accessor(&options.package),
        versions: versions
            .iter()
            .zip(history.notes)
            .map(|(v, notes)| VersionModule {
                module: v.module.clone(),
                label: v.label.clone(),
                documents: v.documents.clone(),
                notes,
            })
            .collect(),
        extra_files: vec![("CHANGELOG.md".to_owned(), history.markdown)],
        guide,
    }
}

/// A version's module is also a cargo feature and an item of `lib.rs`: it
/// may not take the name of a runtime feature, `default`, or `runtime`.
fn check_version_names(specs: &Path, versions: &[ApiVersion]) -> Result<()> {
    let runtime = crate::runtime_crate::manifest();
    for version in versions {
        let module = version.module.as_str();
        let taken = module == "default"
            || module == "runtime"
            || runtime.features.iter().any(|f| f.name == module);
        if taken {
            return Err(Error::Config {
                path: specs.join(&version.label),
                message: format!(
                    "version folder `{}` becomes feature and module `{module}`, a name the \
                     crate already uses (runtime feature, `default` or `runtime`): rename the folder",
                    version.label
                ),
            });
        }
    }
    Ok(())
}

/// What the specs folder says about the crate as a whole (its overrides
/// and guide), beside its documents.
#[derive(Debug, Clone, Default)]
pub struct CrateAbout {
    /// How the crate names its API in a sentence ([`api_name`]).
    pub api_name: String,
    /// The manifest's `keywords` (overrides.toml).
    pub keywords: Vec<String>,
    /// Markdown for the crate docs after the summary ([`GUIDE_FILE`]).
    pub guide: Option<String>,
}

impl CrateAbout {
    /// Only a name: no keywords, no guide.
    pub fn named(api_name: impl Into<String>) -> Self {
        Self {
            api_name: api_name.into(),
            ..Self::default()
        }
    }
}

/// How the generated crate names its API (README, crate docs, manifest):
/// `api_name` in overrides.toml, or else made from the documents' distinct
/// `info.title`s, in version order (`the Shapes API`, `the Media and Shapes APIs`).
pub fn api_name(overrides: &Overrides, versions: &[ApiVersion]) -> String {
    if let Some(name) = &overrides.api_name {
        return name.trim().to_owned();
    }
    let mut titles: Vec<&str> = Vec::new();
    for doc in versions.iter().flat_map(|v| &v.documents) {
        let title = doc.title.trim();
        let title = title
            .strip_suffix(" API")
            .or_else(|| title.strip_suffix(" Api"))
            .unwrap_or(title)
            .trim_end();
        if !title.is_empty() && !titles.contains(&title) {
            titles.push(title);
        }
    }
    match titles.as_slice() {
        [] => "the API".to_owned(),
        [one] => format!("the {one} API"),
        [init @ .., last] => format!("the {} and {last} APIs", init.join(", ")),
    }
}

/// A beta (or alpha) version such as `2026-09-beta`.
pub fn is_prerelease(label: &str) -> bool {
    let lower = label.to_ascii_lowercase();
    lower.contains("beta") || lower.contains("alpha")
}

/// `v4` sorts before dated versions (it is older); dated ones by date.
fn version_order(label: &str) -> (u8, String) {
    if label.starts_with(|c: char| c.is_ascii_digit()) {
        (1, label.to_owned())
    } else {
        (0, label.to_owned())
    }
}

/// Names and lowers the documents of one version. A derived method
/// (`<name>_stream`, `<name>_all`) is only known once lowered; if it meets
/// another endpoint's default name, that name is reserved and the version is
/// named again, so default names never stop a run.
fn lower_group(
    specs: &Path,
    files: &[&SpecFile],
    named: &[(&openapiv3::OpenAPI, &str)],
    overrides: &Overrides,
    options: &Options,
) -> Result<(Vec<Document>, Vec<Warning>)> {
    let mut reserved = std::collections::BTreeSet::new();
    loop {
        let method_names =
            lower::name_operations(named, overrides, &reserved).map_err(|clash| Error::Config {
                path: specs.join(OVERRIDES_FILE),
                message: clash.to_string(),
            })?;
        let mut docs = Vec::with_capacity(files.len());
        let mut warnings = Vec::new();
        for ((file, (spec, _)), names) in files.iter().zip(named).zip(&method_names) {
            let lower_options = LowerOptions {
                module: file.module.clone(),
                source: file.relative.clone(),
                overrides,
                strictness: options.strictness,
                method_names: Some(names),
            };
            let (doc, doc_warnings) = lower::lower(&file.path, spec, &lower_options)?;
            warnings.extend(doc_warnings);
            docs.push(doc);
        }
        let clashes = crate::naming::method_name_clashes(&docs);
        let before = reserved.len();
        for clash in &clashes {
            let default_named = docs.iter().flat_map(|d| &d.operations).any(|op| {
                op.name.trim_start_matches("r#") == clash.name
                    && overrides.name_for(&op.endpoint).is_none()
            });
            if default_named {
                reserved.insert(clash.name.clone());
            }
        }
        if reserved.len() == before {
            // None, or names only overrides.toml can change: the caller reports them.
            return Ok((docs, warnings));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(label: &str, titles: &[&str]) -> ApiVersion {
        ApiVersion {
            module: module_ident(label),
            label: label.to_owned(),
            documents: titles
                .iter()
                .enumerate()
                .map(|(i, title)| Document {
                    module: format!("doc{i}"),
                    title: (*title).to_owned(),
                    version: label.to_owned(),
                    description: None,
                    source: format!("{label}/doc{i}.json"),
                    types: Vec::new(),
                    operations: Vec::new(),
                    batch_inputs: Vec::new(),
                })
                .collect(),
        }
    }

    fn named(overrides: &str, versions: &[ApiVersion]) -> String {
        let overrides = Overrides::parse(Path::new("overrides.toml"), overrides).unwrap();
        api_name(&overrides, versions)
    }

    #[test]
    fn api_name_from_overrides_wins() {
        let versions = [version("v1", &["Shapes"])];
        assert_eq!(
            named(
                r#"api_name = " HubSpot's CRM Associations API ""#,
                &versions
            ),
            "HubSpot's CRM Associations API"
        );
    }

    #[test]
    fn api_name_from_titles() {
        assert_eq!(named("", &[version("v1", &["Shapes"])]), "the Shapes API");
        assert_eq!(
            named("", &[version("v1", &["Shapes API"])]),
            "the Shapes API"
        );
        assert_eq!(
            named(
                "",
                &[
                    version("labs", &["Odd names"]),
                    version("v1", &["Media", "Shapes"]),
                    version("v2", &["Media", " Shapes API "]),
                ]
            ),
            "the Odd names, Media and Shapes APIs"
        );
        assert_eq!(
            named("", &[version("v1", &["Media", "Shapes"])]),
            "the Media and Shapes APIs"
        );
        assert_eq!(named("", &[version("v1", &["", " "])]), "the API");
    }

    #[test]
    fn api_name_must_be_one_line() {
        for bad in [r#"api_name = """#, r#"api_name = "a\nb""#] {
            let error = Overrides::parse(Path::new("overrides.toml"), bad).unwrap_err();
            assert!(error.to_string().contains("api_name"), "{error}");
        }
    }

    #[test]
    fn keywords_come_from_overrides_and_are_checked() {
        let parse = |text: &str| Overrides::parse(Path::new("overrides.toml"), text);
        assert_eq!(parse("").unwrap().keywords, Vec::<String>::new());
        assert_eq!(
            parse(r#"keywords = ["hubspot", "crm"]"#).unwrap().keywords,
            ["hubspot", "crm"]
        );
        for bad in [
            r#"keywords = ["a", "b", "c", "d", "e", "f"]"#,
            r#"keywords = ["two words"]"#,
            r#"keywords = ["-dash"]"#,
            r#"keywords = ["abcdefghijklmnopqrstu"]"#,
        ] {
            let error = parse(bad).unwrap_err();
            assert!(error.to_string().contains("keywords"), "{bad}: {error}");
        }
    }

    fn plan(labels: &[&str]) -> CratePlan {
        let versions: Vec<ApiVersion> = labels.iter().map(|l| version(l, &[])).collect();
        crate_plan(&versions, &Options::default(), CrateAbout::named("the API"))
    }

    #[test]
    fn the_default_feature_is_the_newest_release_not_a_beta() {
        let runtime_defaults = crate::runtime_crate::manifest().default_features;
        let with = |module: &str| {
            let mut list = runtime_defaults.clone();
            list.push(module.to_owned());
            list
        };
        let betas_last = plan(&["v1", "2026-03", "2026-09-beta"]);
        assert_eq!(betas_last.default_version.as_deref(), Some("v2026_03"));
        assert_eq!(betas_last.default_features, with("v2026_03"));
        // Only betas: the newest beta, so the README's example still works.
        let only_betas = plan(&["2026-03-beta", "2026-09-beta"]);
        assert_eq!(only_betas.default_features, with("v2026_09_beta"));
        // No versions: no version feature.
        let none = plan(&[]);
        assert_eq!(none.default_version, None);
        assert_eq!(none.default_features, runtime_defaults);
    }

    #[test]
    fn every_runtime_feature_is_forwarded_then_one_per_version() {
        let plan = plan(&["v1", "2026-03"]);
        let runtime = crate::runtime_crate::manifest();
        let names: Vec<&str> = plan.features.iter().map(|f| f.name.as_str()).collect();
        let expected: Vec<&str> = runtime
            .features
            .iter()
            .map(|f| f.name.as_str())
            .chain(["v1", "v2026_03"])
            .collect();
        assert_eq!(names, expected);
        let gzip = plan.features.iter().find(|f| f.name == "gzip").unwrap();
        assert_eq!(gzip.enables, ["hubspot-runtime/gzip"]);
    }
}
