//! The files of the generated crate: manifest, README, lib.rs, one module
//! per version, one per document, and the hand-written runtime.

use std::collections::BTreeMap;

use quote::quote;

use super::docs::{code, module_doc_attrs};
use super::types::ident;
use super::{GENERATED_HEADER, batch_input_tokens, format_file, model_tokens, operation_tokens};
use crate::error::Result;
use crate::ir::Document;

/// The runtime is hand-written (generator/runtime/) and copied verbatim.
const RUNTIME: &[(&str, &str)] = &[
    ("mod.rs", include_str!("../../runtime/mod.rs")),
    ("batch.rs", include_str!("../../runtime/batch.rs")),
    ("paging.rs", include_str!("../../runtime/paging.rs")),
    ("client.rs", include_str!("../../runtime/client.rs")),
    ("http.rs", include_str!("../../runtime/http.rs")),
    ("id.rs", include_str!("../../runtime/id.rs")),
    ("gzip.rs", include_str!("../../runtime/gzip.rs")),
    (
        "reqwest_backend.rs",
        include_str!("../../runtime/reqwest_backend.rs"),
    ),
    ("mock.rs", include_str!("../../runtime/mock.rs")),
    ("meta.rs", include_str!("../../runtime/meta.rs")),
    ("codec.rs", include_str!("../../runtime/codec.rs")),
    ("error.rs", include_str!("../../runtime/error.rs")),
    ("request.rs", include_str!("../../runtime/request.rs")),
    ("retry.rs", include_str!("../../runtime/retry.rs")),
    ("time.rs", include_str!("../../runtime/time.rs")),
    ("limiter.rs", include_str!("../../runtime/limiter.rs")),
    ("auth.rs", include_str!("../../runtime/auth.rs")),
    (
        "redis_limiter.rs",
        include_str!("../../runtime/redis_limiter.rs"),
    ),
    ("open_enum.rs", include_str!("../../runtime/open_enum.rs")),
    ("undecoded.rs", include_str!("../../runtime/undecoded.rs")),
];

/// One cargo feature and module: a dated version (a folder of documents).
#[derive(Debug, Clone)]
pub struct VersionModule {
    /// Module and feature name (`v2026_03`).
    pub module: String,
    /// Folder name as the maintainer wrote it (`2026-03`).
    pub label: String,
    /// Its documents, lowered: one module each.
    pub documents: Vec<Document>,
    /// Markdown put at the top of the module docs (changes from the previous version).
    pub notes: Option<String>,
}

/// What the generated crate is made of: package name, versions, extra files.
#[derive(Debug, Clone)]
pub struct CrateLayout {
    /// Package name in the generated `Cargo.toml`, e.g. `hubspot-associations`.
    pub package: String,
    /// The API the crate is a client for, as it reads in a sentence
    /// (`HubSpot's CRM Associations API`); see [`crate::project::api_name`].
    pub api_name: String,
    /// The manifest's `keywords` (`keywords` in overrides.toml); no line when empty.
    pub keywords: Vec<String>,
    /// One module and cargo feature each, oldest first.
    pub versions: Vec<VersionModule>,
    /// Module of the version enabled by default (`None`: the newest that is
    /// not a beta, or the newest if all are).
    pub default_version: Option<String>,
    /// Extra files (e.g. CHANGELOG.md) placed as they are.
    pub extra_files: Vec<(String, String)>,
    /// Markdown placed in the crate docs after the summary, as written
    /// (`specs/crate-docs.md`, see [`crate::project::GUIDE_FILE`]): the
    /// common tasks, whose examples `cargo test` compiles as doctests.
    pub guide: Option<String>,
}

/// Every file of the crate, by path relative to its root.
pub fn crate_files(layout: &CrateLayout) -> Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    files.insert("Cargo.toml".to_owned(), manifest(layout));
    files.insert("README.md".to_owned(), readme(layout));
    files.insert("src/lib.rs".to_owned(), lib_rs(layout)?);
    for (name, text) in RUNTIME {
        files.insert(
            format!("src/runtime/{name}"),
            format!("{GENERATED_HEADER}{text}"),
        );
    }
    for version in &layout.versions {
        let dir = format!("src/{}", version.module);
        files.insert(format!("{dir}/mod.rs"), version_mod(version)?);
        let api = ident(&version.module);
        let api_path = quote!(crate::#api::Api);
        for doc in &version.documents {
            let doc_dir = format!("{dir}/{}", doc.module);
            files.insert(format!("{doc_dir}/mod.rs"), document_mod(doc)?);
            // Deprecated items are used by their own document's code; only
            // callers should see the warnings.
            let allow = has_deprecated(doc).then(|| quote!(#![allow(deprecated)]));
            let models = model_tokens(&doc.types);
            let batch_inputs = batch_input_tokens(&doc.batch_inputs);
            files.insert(
                format!("{doc_dir}/models.rs"),
                format_file(
                    &format!("{doc_dir}/models.rs"),
                    quote!(#allow #models #batch_inputs),
                )?,
            );
            let ops = operation_tokens(&doc.operations, &api_path);
            let tokens = quote! {
                #allow
                #[allow(unused_imports)]
                use super::models::*;
                #ops
            };
            files.insert(
                format!("{doc_dir}/operations.rs"),
                format_file(&format!("{doc_dir}/operations.rs"), tokens)?,
            );
        }
    }
    for (path, text) in &layout.extra_files {
        files.insert(path.clone(), text.clone());
    }
    Ok(files)
}

fn has_deprecated(doc: &Document) -> bool {
    use crate::ir::TypeKind;
    doc.operations.iter().any(|o| o.deprecated) || doc.types.iter().any(|t| {
        t.deprecated
            || matches!(&t.kind, TypeKind::Struct(fields) if fields.iter().any(|f| f.deprecated))
    })
}

impl CrateLayout {
    /// The version feature on by default.
    fn default_module(&self) -> &str {
        let released = || {
            self.versions
                .iter()
                .rev()
                .find(|v| !crate::project::is_prerelease(&v.label))
        };
        self.default_version
            .as_deref()
            .or_else(|| {
                released()
                    .or(self.versions.last())
                    .map(|v| v.module.as_str())
            })
            .unwrap_or_default()
    }
}

fn lib_rs(layout: &CrateLayout) -> Result<String> {
    let latest = layout.default_module();
    let crate_doc = format!(
        "{}\n\n\
         Enable the version features you use (`{latest}` is on by default); each version's \
         operations are methods on the `Api` you get from [`Client`]. Upgrading is changing \
         one module path: the same endpoint has the same method name in every version.",
        description(layout)
    );
    let paragraphs = std::iter::once(crate_doc.as_str()).chain(layout.guide.as_deref());
    let inner_docs = module_doc_attrs(paragraphs, true);
    let modules = layout.versions.iter().map(|v| {
        let module = ident(&v.module);
        let feature = &v.module;
        let doc = format!("HubSpot API version {}.", code(&v.label));
        // Generated modules are formatted by prettyplease, not rustfmt.
        quote! {
            #[cfg(feature = #feature)]
            #[doc = #doc]
            #[rustfmt::skip]
            pub mod #module;
        }
    });
    let accessors = layout.versions.iter().map(|v| {
        let module = ident(&v.module);
        let feature = &v.module;
        let doc = format!("The operations of version {}.", code(&v.label));
        quote! {
            #[cfg(feature = #feature)]
            #[doc = #doc]
            pub fn #module(&self) -> #module::Api {
                #module::Api::new(self.clone())
            }
        }
    });
    let tokens = quote! {
        #inner_docs
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]

        pub mod runtime;

        pub use runtime::{ApiErrorBody, Client, ClientBuilder, Date, Error, ObjectId, Timestamp};
        pub use runtime::{WithResponse, with_response};

        #(#modules)*

        impl Client {
            #(#accessors)*
        }
    };
    format_file("src/lib.rs", tokens)
}

fn version_mod(version: &VersionModule) -> Result<String> {
    let mut paragraphs = vec![format!("HubSpot API version {}.", code(&version.label))];
    if let Some(notes) = &version.notes {
        paragraphs.push(notes.clone());
    }
    let listing = version
        .documents
        .iter()
        .map(|d| {
            format!(
                "- [`{}`](crate::{}::{}): {} (`{}`)",
                d.module, version.module, d.module, d.title, d.source
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    paragraphs.push(format!("Documents:\n{listing}"));
    let docs = module_doc_attrs(paragraphs.iter().map(String::as_str), true);
    let modules = version.documents.iter().map(|d| {
        let m = ident(&d.module);
        quote!(pub mod #m;)
    });
    let api_doc = format!(
        "The operations of version {}: get one with [`Client::{}`](crate::Client::{}).",
        code(&version.label),
        version.module,
        version.module
    );
    let tokens = quote! {
        #docs
        #(#modules)*

        #[doc = #api_doc]
        #[derive(Debug, Clone)]
        pub struct Api {
            client: crate::Client,
        }

        impl Api {
            pub(crate) fn new(client: crate::Client) -> Self {
                Self { client }
            }
        }
    };
    format_file(&format!("src/{}/mod.rs", version.module), tokens)
}

fn document_mod(doc: &Document) -> Result<String> {
    let mut paragraphs = vec![format!(
        "{} (`info.version` {}), generated from {}.",
        doc.title,
        code(&doc.version),
        code(&doc.source)
    )];
    paragraphs.extend(doc.description.clone());
    let docs = module_doc_attrs(paragraphs.iter().map(String::as_str), false);
    let tokens = quote! {
        #docs
        mod models;
        mod operations;

        pub use models::*;
        #[allow(unused_imports)]
        pub use operations::*;
    };
    format_file(&format!("{}/mod.rs", doc.module), tokens)
}

/// The one-line summary: the manifest's `description`, the crate docs' first line.
fn description(layout: &CrateLayout) -> String {
    format!(
        "Typed client for {}, one module per dated version.",
        layout.api_name
    )
}

fn manifest(layout: &CrateLayout) -> String {
    let latest = match layout.default_module() {
        "" => String::new(),
        module => format!(", \"{module}\""),
    };
    let features: String = layout
        .versions
        .iter()
        .map(|v| format!("{} = []\n", v.module))
        .collect();
    format!(
        r#"# @generated by `cargo xtask codegen`. Do not edit.
[package]
name = "{package}"
version = "0.1.0"
edition = "2024"
rust-version = "1.88"
description = {description}
license = "MIT OR Apache-2.0"
readme = "README.md"
{keywords}categories = ["api-bindings", "web-programming::http-client"]

[features]
default = ["reqwest", "rustls", "gzip"{latest}]
# The default HTTP client (HTTP/1.1 and HTTP/2, pooling, proxies from the environment).
# Without it, pass your own `HttpClient` to `ClientBuilder::http`.
reqwest = ["dep:reqwest"]
# Asks for gzip-compressed responses and inflates them (35x fewer bytes for a large batch read),
# whichever `HttpClient` sends the request.
gzip = ["dep:miniz_oxide", "dep:crc32fast"]
# TLS for https://api.hubapi.com: rustls (reqwest's default), or the platform's native TLS.
rustls = ["reqwest?/rustls"]
native-tls = ["reqwest?/native-tls"]
# socks5:// and socks5h:// proxies.
socks = ["reqwest?/socks"]
# `ClientBuilder::http_middleware` takes a `reqwest_middleware::ClientWithMiddleware`.
reqwest-middleware = ["reqwest", "dep:reqwest-middleware"]
# One span per call (operation, method, path template, status, attempts) and an event per retry.
tracing = ["dep:tracing"]
# `runtime::MockHttp`: canned responses and recorded requests, for unit tests without a server.
test-util = []
# Conversions between the models' Timestamp/Date and jiff's types.
jiff = ["dep:jiff"]
# `runtime::RedisRateLimiter`: one rate budget shared by many processes through Redis.
redis = ["dep:redis"]
{features}
[dependencies]
bytes = "1.9"
crc32fast = {{ version = "1", optional = true }}
futures-core = "0.3"
http = "1"
jiff = {{ version = "1", default-features = false, features = ["std"], optional = true }}
miniz_oxide = {{ version = "0.9", default-features = false, features = ["with-alloc"], optional = true }}
percent-encoding = "2"
redis = {{ version = "1.8", default-features = false, features = ["connection-manager", "script", "tokio-comp"], optional = true }}
reqwest = {{ version = "0.13", default-features = false, features = ["http2", "system-proxy"], optional = true }}
reqwest-middleware = {{ version = "0.5", default-features = false, optional = true }}
serde = "1"
serde_json = "1"
tokio = {{ version = "1", features = ["rt", "sync", "time"] }}
tracing = {{ version = "0.1", default-features = false, features = ["std"], optional = true }}

[dev-dependencies]
# The runtime's unit tests run on a paused clock.
tokio = {{ version = "1", features = ["macros", "rt", "sync", "test-util", "time"] }}

[package.metadata.docs.rs]
all-features = true
"#,
        package = layout.package,
        description = toml::Value::String(description(layout)),
        keywords = keywords_line(&layout.keywords),
    )
}

/// `keywords = [..]` and its newline, or nothing when there are none.
fn keywords_line(keywords: &[String]) -> String {
    if keywords.is_empty() {
        return String::new();
    }
    let list = keywords
        .iter()
        .map(|k| toml::Value::String(k.clone()).to_string())
        .collect::<Vec<_>>()
        .join(", ");
    format!("keywords = [{list}]\n")
}

fn readme(layout: &CrateLayout) -> String {
    let versions: String = layout
        .versions
        .iter()
        .map(|v| {
            let docs = v
                .documents
                .iter()
                .map(|d| format!("`{}`", d.module))
                .collect::<Vec<_>>()
                .join(", ");
            format!("| `{}` | `{}` | {} |\n", v.label, v.module, docs)
        })
        .collect();
    format!(
        "<!-- @generated by `cargo xtask codegen`. Do not edit. -->\n\
# {package}\n\n\
A typed Rust client for {api_name}, generated from HubSpot's\n\
published OpenAPI documents. One module (and cargo feature) per dated version:\n\n\
| version | module / feature | documents |\n|---|---|---|\n{versions}\n\
Every version's operations are methods on `client.<version>()`; the same endpoint has\n\
the same method name in every version, so upgrading is changing one module path.\n\n\
Pick the versions you compile with features (each is its own module):\n\n\
```toml\n\
[dependencies]\n\
{package} = {{ version = \"0.1\", default-features = false, features = [\"rustls\", \"{latest}\"] }}\n\
```\n\n\
```rust,ignore\n\
let client = {krate}::Client::new(access_token)?;\n\
let api = client.{latest}();\n\
```\n\n\
The client retries 429 (honouring `Retry-After`) and 502/503/504 with backoff, keeps\n\
under HubSpot's ten-secondly rate limit, times out slow requests, splits batch calls\n\
larger than an operation's limit and merges the results, streams paged lists, and\n\
decodes HubSpot's error bodies into `Error::Api`. `CHANGELOG.md` lists what changes,\n\
breaking or not, from one version module to the next.\n\n\
HTTP goes through reqwest by default (`reqwest` feature: HTTP/2, pooling, proxies\n\
from the environment; `rustls` or `native-tls`); responses come gzip-compressed and are\n\
inflated by the client itself (`gzip` feature). Pass your own `reqwest::Client` with\n\
`ClientBuilder::http_client`, or any `HttpClient` with `ClientBuilder::http`; the\n\
`test-util` feature adds `runtime::MockHttp` for tests without a server, and `tracing`\n\
one span per call. A write that is not safe to repeat is retried only when it provably\n\
never reached HubSpot, or after a 429. `with_response(call)` returns the status and\n\
headers (correlation id, rate-limit headers) beside the typed body.\n\n\
OAuth apps authenticate with `Client::builder_with_auth(runtime::OAuth::refresh_token(..))`\n\
(or `OAuth::client_credentials`): tokens are refreshed ahead of expiry, once for all\n\
concurrent calls. The limiter adopts the limits HubSpot announces in its\n\
`X-HubSpot-RateLimit-*` headers and holds search endpoints to their per-second limit;\n\
the `redis` feature adds `runtime::RedisRateLimiter`, one budget shared by many processes.\n\n\
The models implement serde through a runtime macro (no proc-macro dependencies).\n\
Dates are the crate's own `Timestamp` and `Date` (RFC 3339 or, for date-times, Unix\n\
milliseconds in; RFC 3339 in UTC out); the `jiff` feature adds conversions to and\n\
from jiff's types.\n\n\
Responses decode as HubSpot sends them, not strictly by the documents: in response\n\
models a required array or map that is missing (or `null`) is empty; in error bodies\n\
and error entries the message is `\"\"` when missing and every other field `None` (or\n\
empty); the next-page cursor is `None` when missing. Other required fields fail decoding when\n\
missing or `null`. Where HubSpot sends a scalar of another JSON kind than its document\n\
says, a string field also decodes from a number (its exact text) or boolean, and a number\n\
field from a string holding the number. Requests still send every required field, as\n\
documented. A `results` or `errors`\n\
entry of a batch response that cannot be decoded is kept as JSON, with its path, in\n\
the response's `undecoded` list; the other entries are returned as usual.\n",
        package = layout.package,
        api_name = layout.api_name,
        krate = layout.package.replace('-', "_"),
        latest = layout.default_module(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(label: &str) -> VersionModule {
        VersionModule {
            module: crate::project::module_ident(label),
            label: label.to_owned(),
            documents: Vec::new(),
            notes: None,
        }
    }

    fn layout(labels: &[&str]) -> CrateLayout {
        CrateLayout {
            package: "shapes-client".to_owned(),
            api_name: "the Shapes API".to_owned(),
            keywords: Vec::new(),
            versions: labels.iter().map(|l| version(l)).collect(),
            default_version: None,
            extra_files: Vec::new(),
            guide: None,
        }
    }

    fn manifest_table(layout: &CrateLayout) -> toml::Table {
        manifest(layout).parse().expect("the manifest is TOML")
    }

    fn default_features(layout: &CrateLayout) -> Vec<String> {
        manifest_table(layout)["features"]["default"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn the_api_name_reaches_readme_crate_docs_and_description() {
        let layout = layout(&["v1"]);
        let files = crate_files(&layout).unwrap();
        let description = "Typed client for the Shapes API, one module per dated version.";
        assert_eq!(
            manifest_table(&layout)["package"]["description"].as_str(),
            Some(description)
        );
        assert!(
            files["src/lib.rs"].contains(&format!("//! {description}\n")),
            "{}",
            files["src/lib.rs"]
        );
        assert!(
            files["README.md"].contains("A typed Rust client for the Shapes API, generated"),
            "{}",
            files["README.md"]
        );
    }

    #[test]
    fn the_default_feature_is_the_newest_release_not_a_beta() {
        // `None`: chosen here, the way `project::crate_layout` chooses.
        let betas_last = layout(&["v1", "2026-03", "2026-09-beta"]);
        assert_eq!(
            default_features(&betas_last),
            ["reqwest", "rustls", "gzip", "v2026_03"]
        );
        let files = crate_files(&betas_last).unwrap();
        assert!(files["src/lib.rs"].contains("(`v2026_03` is on by default)"));
        assert!(files["README.md"].contains("let api = client.v2026_03();"));
        // Only betas: the newest beta, so the README's example still works.
        assert_eq!(
            default_features(&layout(&["2026-03-beta", "2026-09-beta"])),
            ["reqwest", "rustls", "gzip", "v2026_09_beta"]
        );
        // Chosen by the caller: taken as it is.
        let mut chosen = layout(&["v1", "2026-03"]);
        chosen.default_version = Some("v1".to_owned());
        assert_eq!(
            default_features(&chosen),
            ["reqwest", "rustls", "gzip", "v1"]
        );
        // No versions: no version feature.
        assert_eq!(
            default_features(&layout(&[])),
            ["reqwest", "rustls", "gzip"]
        );
    }

    #[test]
    fn each_version_is_a_feature_and_a_gated_module() {
        let layout = layout(&["v1", "2026-03"]);
        let features = manifest_table(&layout)["features"].clone();
        for module in ["v1", "v2026_03"] {
            assert_eq!(
                features[module].as_array().map(Vec::len),
                Some(0),
                "{module}"
            );
        }
        let files = crate_files(&layout).unwrap();
        let lib = &files["src/lib.rs"];
        assert!(
            lib.contains(
                "#[cfg(feature = \"v2026_03\")]\n/// HubSpot API version `2026-03`.\n#[rustfmt::skip]\npub mod v2026_03;"
            ),
            "{lib}"
        );
        assert!(lib.contains("pub fn v1(&self) -> v1::Api {"), "{lib}");
        assert!(files.contains_key("src/v2026_03/mod.rs"));
        assert!(files["README.md"].contains("| `2026-03` | `v2026_03` |  |\n"));
    }

    #[test]
    fn manifest_strings_are_escaped_and_keywords_are_optional() {
        let mut layout = layout(&["v1"]);
        layout.api_name = r#"the "Quoted" \ API"#.to_owned();
        let table = manifest_table(&layout);
        assert_eq!(
            table["package"]["description"].as_str(),
            Some(r#"Typed client for the "Quoted" \ API, one module per dated version."#)
        );
        assert!(
            !table["package"]
                .as_table()
                .unwrap()
                .contains_key("keywords")
        );
        layout.keywords = vec!["hubspot".to_owned(), "c++".to_owned()];
        let table = manifest_table(&layout);
        assert_eq!(
            table["package"]["keywords"],
            toml::Value::Array(vec!["hubspot".into(), "c++".into()])
        );
    }

    #[test]
    fn the_guide_follows_the_summary_in_the_crate_docs_as_written() {
        let mut with_guide = layout(&["v1"]);
        with_guide.guide =
            Some("# Tasks\n\n```rust,no_run\n# let hidden = 1;\nlet x = [1];\n```\n".into());
        let lib = lib_rs(&with_guide).unwrap();
        assert!(
            lib.contains("//!\n//! # Tasks\n//!\n//! ```rust,no_run\n//! # let hidden = 1;\n//! let x = [1];\n//! ```\n"),
            "{lib}"
        );
        assert!(!lib_rs(&layout(&["v1"])).unwrap().contains("Tasks"));
    }
}
