//! The runtime crate (`runtime/`, package `hubspot-runtime`) as the
//! generator sees it: its manifest, read for the package name, version and
//! features a generated crate forwards, and its sources, copied only for
//! `--vendor-runtime`. Compiled into the generator, so a generator binary
//! always writes crates for the runtime it was built with.

use crate::ir::CrateFeature;

/// `runtime/Cargo.toml`, as written.
pub const MANIFEST: &str = include_str!("../../runtime/Cargo.toml");

/// `runtime/src/`, file by file: what `--vendor-runtime` copies into a
/// generated crate's `src/runtime/` (`lib.rs` becomes `mod.rs`).
pub const SOURCES: &[(&str, &str)] = &[
    ("auth.rs", include_str!("../../runtime/src/auth.rs")),
    ("batch.rs", include_str!("../../runtime/src/batch.rs")),
    ("client.rs", include_str!("../../runtime/src/client.rs")),
    ("codec.rs", include_str!("../../runtime/src/codec.rs")),
    ("error.rs", include_str!("../../runtime/src/error.rs")),
    ("gzip.rs", include_str!("../../runtime/src/gzip.rs")),
    ("http.rs", include_str!("../../runtime/src/http.rs")),
    ("id.rs", include_str!("../../runtime/src/id.rs")),
    ("lib.rs", include_str!("../../runtime/src/lib.rs")),
    ("limiter.rs", include_str!("../../runtime/src/limiter.rs")),
    ("meta.rs", include_str!("../../runtime/src/meta.rs")),
    ("mock.rs", include_str!("../../runtime/src/mock.rs")),
    (
        "open_enum.rs",
        include_str!("../../runtime/src/open_enum.rs"),
    ),
    ("paging.rs", include_str!("../../runtime/src/paging.rs")),
    (
        "redis_limiter.rs",
        include_str!("../../runtime/src/redis_limiter.rs"),
    ),
    ("request.rs", include_str!("../../runtime/src/request.rs")),
    (
        "reqwest_backend.rs",
        include_str!("../../runtime/src/reqwest_backend.rs"),
    ),
    ("retry.rs", include_str!("../../runtime/src/retry.rs")),
    ("time.rs", include_str!("../../runtime/src/time.rs")),
    (
        "undecoded.rs",
        include_str!("../../runtime/src/undecoded.rs"),
    ),
];

/// The files `--vendor-runtime` writes, by path in the generated crate:
/// every runtime source as written, but `lib.rs` becomes `src/runtime/mod.rs`
/// with its own docs, since the crate's docs speak of a shared, separately
/// versioned crate, and this copy is neither.
pub fn vendored_sources(runtime_version: &str) -> Vec<(String, String)> {
    SOURCES
        .iter()
        .map(|(name, text)| {
            if *name != "lib.rs" {
                return (format!("src/runtime/{name}"), (*text).to_owned());
            }
            let body: String = text
                .split_inclusive('\n')
                .skip_while(|line| line.starts_with("//!"))
                .collect();
            let doc = format!(
                "//! The runtime, copied from `hubspot-runtime` {runtime_version} by `--vendor-runtime`:\n\
                 //! one HTTP path with auth, rate limiting, retries, timeouts and typed errors.\n\
                 //!\n\
                 //! This copy's [`Client`] belongs to this crate alone: it does not share its rate\n\
                 //! limiter, token or connection pool with other generated HubSpot API crates,\n\
                 //! which a crate depending on `hubspot-runtime` would. Its requests carry this\n\
                 //! crate's name and version as `User-Agent`, and its tracing targets start with\n\
                 //! this crate's name.\n\
                 //!\n\
                 //! Everything under `__private` exists for generated code.\n"
            );
            ("src/runtime/mod.rs".to_owned(), doc + &body)
        })
        .collect()
}

/// What a generated crate needs to know of the runtime's manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeManifest {
    /// `package.name`.
    pub package: String,
    /// `package.version`.
    pub version: String,
    /// `package.edition`, `package.rust-version` and `package.license`: a
    /// generated crate builds with the same.
    pub edition: String,
    /// `package.rust-version`.
    pub rust_version: String,
    /// `package.license`.
    pub license: String,
    /// `[features]` but `default`, in order, with their comments.
    pub features: Vec<CrateFeature>,
    /// The `default` feature's list.
    pub default_features: Vec<String>,
    /// The `[dependencies]` section's lines, as written.
    pub dependencies: String,
    /// The `[dev-dependencies]` section's lines, as written.
    pub dev_dependencies: String,
}

/// The runtime's manifest the generator was built with.
pub fn manifest() -> RuntimeManifest {
    // Compiled in and checked by this module's tests: it cannot fail at run time.
    parse_manifest(MANIFEST).unwrap_or_else(|e| unreachable!("runtime/Cargo.toml: {e}"))
}

/// The runtime manifest's top-level tables the generator understands.
const KNOWN_SECTIONS: &[&str] = &["package", "features", "dependencies", "dev-dependencies"];

/// Reads a runtime manifest; comments above a feature become its docs.
pub fn parse_manifest(text: &str) -> Result<RuntimeManifest, String> {
    // A checkout with CRLF line ends (git's autocrlf) reads the same.
    let text = &text.replace("\r\n", "\n");
    let table: toml::Table = text.parse().map_err(|e| format!("not TOML: {e}"))?;
    // A vendored crate gets `[dependencies]` and `[dev-dependencies]` as
    // written, line by line: a section this reader would drop is an error.
    if let Some(key) = table
        .keys()
        .find(|key| !KNOWN_SECTIONS.contains(&key.as_str()))
    {
        return Err(format!(
            "[{key}] is not carried to generated crates (runtime_crate.rs)"
        ));
    }
    if let Some(line) = text.lines().find(|line| {
        let line = line.trim_start();
        line.starts_with("[dependencies.") || line.starts_with("[dev-dependencies.")
    }) {
        return Err(format!(
            "`{line}`: write dependencies inline, one line each"
        ));
    }
    let field = |key: &str| {
        table
            .get("package")
            .and_then(|p| p.get(key))
            .and_then(toml::Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| format!("no package.{key}"))
    };
    let names_of = |value: &toml::Value| -> Result<Vec<String>, String> {
        value
            .as_array()
            .ok_or("a feature is not a list")?
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or("a feature entry is not a string".into())
            })
            .collect()
    };
    let features_table = table
        .get("features")
        .and_then(toml::Value::as_table)
        .ok_or("no [features]")?;
    let mut features = Vec::new();
    let mut comments = Vec::new();
    for line in section(text, "features").lines() {
        let line = line.trim();
        if let Some(comment) = line.strip_prefix('#') {
            comments.push(comment.trim().to_owned());
            continue;
        }
        let Some((name, _)) = line.split_once('=') else {
            comments.clear();
            continue;
        };
        // A key may be quoted (`"a" = [..]`); the table knows it unquoted.
        let name = name.trim().trim_matches(['"', '\'']);
        let doc = std::mem::take(&mut comments);
        if name == "default" {
            continue;
        }
        let value = features_table
            .get(name)
            .ok_or_else(|| format!("feature `{name}` is not a plain `name = [..]` line"))?;
        let enables = names_of(value)?;
        features.push(CrateFeature {
            name: name.to_owned(),
            doc,
            enables,
        });
    }
    let default_features = features_table
        .get("default")
        .map(names_of)
        .transpose()?
        .unwrap_or_default();
    Ok(RuntimeManifest {
        package: field("name")?,
        version: field("version")?,
        edition: field("edition")?,
        rust_version: field("rust-version")?,
        license: field("license")?,
        features,
        default_features,
        dependencies: section(text, "dependencies").trim().to_owned(),
        dev_dependencies: section(text, "dev-dependencies").trim().to_owned(),
    })
}

/// The lines of a `[name]` section, up to the next section.
fn section<'a>(text: &'a str, name: &str) -> &'a str {
    let header = format!("\n[{name}]\n");
    let Some(start) = text.find(&header).map(|i| i + header.len()) else {
        return "";
    };
    let end = text[start..]
        .find("\n[")
        .map_or(text.len(), |i| start + i + 1);
    &text[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runtime_manifest_reads() {
        let manifest = manifest();
        assert_eq!(manifest.package, "hubspot-runtime");
        assert!(!manifest.version.is_empty());
        let gzip = manifest.features.iter().find(|f| f.name == "gzip").unwrap();
        assert_eq!(gzip.enables, ["dep:miniz_oxide", "dep:crc32fast"]);
        assert!(
            gzip.doc[0].starts_with("Asks for gzip-compressed responses"),
            "{gzip:?}"
        );
        assert_eq!(manifest.default_features, ["reqwest", "rustls", "gzip"]);
        assert!(manifest.dependencies.contains("\nserde_json = \"1\"\n"));
        assert!(manifest.dev_dependencies.contains("test-util"));
    }

    #[test]
    fn every_runtime_source_file_is_listed() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let listed: Vec<&str> = SOURCES.iter().map(|(name, _)| *name).collect();
        assert_eq!(
            on_disk, listed,
            "runtime/src and runtime_crate::SOURCES differ"
        );
    }

    #[test]
    fn features_keep_their_comments_and_sections_end_at_the_next_header() {
        let text = "[package]\nname = \"rt\"\nversion = \"1.2.3\"\nedition = \"2024\"\nrust-version = \"1.88\"\nlicense = \"MIT\"\n\n[features]\ndefault = [\"a\"]\n# Does a.\n# Really.\na = [\"dep:x\"]\n\nb = []\n\n[dependencies]\nx = \"1\"\n\n[dev-dependencies]\ny = \"2\"\n";
        let manifest = parse_manifest(text).unwrap();
        assert_eq!(manifest.version, "1.2.3");
        assert_eq!(
            manifest.features,
            [
                CrateFeature {
                    name: "a".into(),
                    doc: vec!["Does a.".into(), "Really.".into()],
                    enables: vec!["dep:x".into()]
                },
                CrateFeature {
                    name: "b".into(),
                    doc: vec![],
                    enables: vec![]
                },
            ]
        );
        assert_eq!(manifest.dependencies, "x = \"1\"");
        assert_eq!(manifest.dev_dependencies, "y = \"2\"");
        assert!(parse_manifest("[package]\nname = \"rt\"\n").is_err());
        // CRLF line ends and quoted keys read the same.
        let crlf = text.replace("a = [", "\"a\" = [").replace('\n', "\r\n");
        assert_eq!(parse_manifest(&crlf).unwrap(), manifest);
        // A feature in a form the line reader does not follow is an error, not a panic.
        let dotted = text.replace("b = []", "b.x = []");
        assert!(parse_manifest(&dotted).is_err());
        // Sections a vendored crate would silently lose are errors.
        for extra in [
            "\n[build-dependencies]\ncc = \"1\"\n",
            "\n[target.'cfg(unix)'.dependencies]\nlibc = \"0.2\"\n",
            "\n[dependencies.z]\nversion = \"1\"\n",
            "\n[lints.rust]\nunsafe_code = \"forbid\"\n",
        ] {
            let error = parse_manifest(&format!("{text}{extra}")).unwrap_err();
            assert!(!error.is_empty(), "{extra}");
        }
    }
}
