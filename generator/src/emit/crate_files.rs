//! The files of the generated crate: manifest, README, lib.rs, one module
//! per version, one per document, and (only with `--vendor-runtime`) the
//! runtime's sources. Everything is printed from the [`CratePlan`].

use std::collections::BTreeMap;

use quote::quote;

use super::docs::{code, module_doc_attrs};
use super::paths;
use super::types::ident;
use super::{GENERATED_HEADER, batch_input_tokens, format_file, model_tokens, operation_tokens};
use crate::error::Result;
use crate::ir::{ApiAccessor, CratePlan, Document, RuntimeUse, VersionModule};

/// Every file of the crate, by path relative to its root.
pub fn crate_files(plan: &CratePlan) -> Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    files.insert("Cargo.toml".to_owned(), manifest(plan));
    files.insert("README.md".to_owned(), readme(plan));
    files.insert("src/lib.rs".to_owned(), lib_rs(plan)?);
    if let RuntimeUse::Vendored { sources, .. } = &plan.runtime {
        // Marked generated too: an edit of the copy is lost at the next run.
        for (path, text) in sources {
            files.insert(path.clone(), format!("{GENERATED_HEADER}{text}"));
        }
    }
    for version in &plan.versions {
        let dir = format!("src/{}", version.module);
        files.insert(
            format!("{dir}/mod.rs"),
            version_mod(version, &plan.accessor)?,
        );
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
    for (path, text) in &plan.extra_files {
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

/// What the docs say of `Client` and where it comes from; `module` is how
/// the `runtime` module is written (a link in rustdoc, code in the README).
fn runtime_paragraph(runtime: &RuntimeUse, module: &str) -> String {
    match runtime {
        RuntimeUse::Dependency { package, .. } => format!(
            "[`Client`] is the runtime's (`{package}`, re-exported as {module}): one client \
             (one rate limiter, one token, one connection pool) serves every generated \
             HubSpot API crate of an application, since HubSpot's rate limit is per app \
             and account across its APIs."
        ),
        RuntimeUse::Vendored { .. } => format!(
            "[`Client`] is this crate's own: the runtime is copied into it as {module} \
             (`--vendor-runtime`), so it does not share its client, rate limiter or token \
             with other generated HubSpot API crates."
        ),
    }
}

fn lib_rs(plan: &CratePlan) -> Result<String> {
    let accessor = &plan.accessor;
    let example = match &plan.default_version {
        Some(module) => format!(" (`client.{}().{module}()`)", accessor.method),
        None => String::new(),
    };
    let default = match &plan.default_version {
        Some(module) => format!(" (`{module}` is on by default)"),
        None => String::new(),
    };
    let crate_doc = format!(
        "{}\n\n\
         Enable the version features you use{default}; each version's operations are \
         methods on the `Api` you get from [`{type_name}`]{example}. Upgrading is changing \
         one module path: the same endpoint has the same method name in every version.\n\n\
         {runtime}",
        plan.description,
        type_name = accessor.type_name,
        runtime = runtime_paragraph(&plan.runtime, "[`runtime`]"),
    );
    let paragraphs = std::iter::once(crate_doc.as_str()).chain(plan.guide.as_deref());
    let inner_docs = module_doc_attrs(paragraphs, true);
    let runtime_item = match &plan.runtime {
        RuntimeUse::Dependency { package, .. } => {
            let krate = ident(&package.replace('-', "_"));
            let doc =
                format!("The runtime this crate was generated for (`{package}`, exact version).");
            quote! {
                #[doc = #doc]
                pub use #krate as runtime;
            }
        }
        RuntimeUse::Vendored { .. } => quote! {
            /// The runtime, copied into this crate (`--vendor-runtime`).
            pub mod runtime;
        },
    };
    let modules = plan.versions.iter().map(|v| {
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
    let versions = plan.versions.iter().map(|v| {
        let module = ident(&v.module);
        let feature = &v.module;
        let doc = format!("The operations of version {}.", code(&v.label));
        quote! {
            #[cfg(feature = #feature)]
            #[doc = #doc]
            pub fn #module(&self) -> #module::Api {
                #module::Api::new(self.client.clone())
            }
        }
    });
    let type_name = ident(&accessor.type_name);
    let trait_name = ident(&accessor.trait_name);
    let method = ident(&accessor.method);
    let shared = matches!(plan.runtime, RuntimeUse::Dependency { .. });
    let type_doc = format!(
        "{} on {} [`Client`]: one method per version. Get it with \
         [`{}::{}`] (`client.{}()`) or `{}::new(&client)`.",
        upper_first(&plan.api_name),
        if shared { "a shared" } else { "a" },
        accessor.trait_name,
        accessor.method,
        accessor.method,
        accessor.type_name,
    );
    let trait_doc = format!(
        "Adds `{}()` to the runtime's [`Client`]{}: `use {}::{} as _;`.",
        accessor.method,
        if shared {
            ", which every generated HubSpot API crate shares"
        } else {
            " (this crate's own copy)"
        },
        plan.package.replace('-', "_"),
        accessor.trait_name,
    );
    let method_doc = format!("The versions of {} on this client.", plan.api_name);
    let tokens = quote! {
        #inner_docs
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]

        #runtime_item

        pub use runtime::{ApiErrorBody, Client, ClientBuilder, Date, Error, ObjectId, Timestamp};
        pub use runtime::{WithResponse, with_response};

        #(#modules)*

        #[doc = #type_doc]
        #[derive(Debug, Clone)]
        pub struct #type_name {
            // Read only by the version methods: unread when no version
            // feature is on (a build CI checks).
            #[allow(dead_code)]
            client: Client,
        }

        impl #type_name {
            /// This API on `client` (a clone of it: clones share everything).
            pub fn new(client: &Client) -> Self {
                let client = client.clone();
                Self { client }
            }

            #(#versions)*
        }

        #[doc = #trait_doc]
        pub trait #trait_name {
            #[doc = #method_doc]
            fn #method(&self) -> #type_name;
        }

        impl #trait_name for Client {
            fn #method(&self) -> #type_name {
                #type_name::new(self)
            }
        }
    };
    format_file("src/lib.rs", tokens)
}

/// `the Shapes API` → `The Shapes API`, for the start of a sentence.
fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn version_mod(version: &VersionModule, accessor: &ApiAccessor) -> Result<String> {
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
        "The operations of version {}: get one with [`{}::{}`](crate::{}::{}).",
        code(&version.label),
        accessor.type_name,
        version.module,
        accessor.type_name,
        version.module
    );
    let rt = paths::internals();
    let tokens = quote! {
        #docs
        #(#modules)*

        #[doc = #api_doc]
        #[derive(Debug, Clone)]
        pub struct Api {
            client: #rt::Client,
        }

        impl Api {
            pub(crate) fn new(client: #rt::Client) -> Self {
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

fn manifest(plan: &CratePlan) -> String {
    let quoted = |items: &[String]| {
        items
            .iter()
            .map(|item| toml::Value::String(item.clone()).to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut features = format!("default = [{}]\n", quoted(&plan.default_features));
    for feature in &plan.features {
        for line in &feature.doc {
            features.push_str(&format!("# {line}\n"));
        }
        features.push_str(&format!(
            "{} = [{}]\n",
            feature.name,
            quoted(&feature.enables)
        ));
    }
    let dependencies = match &plan.runtime {
        RuntimeUse::Dependency {
            package,
            version,
            path,
        } => {
            let path = path
                .as_ref()
                .map(|p| format!(", path = {}", toml::Value::String(p.clone())))
                .unwrap_or_default();
            format!(
                "[dependencies]\n\
                 # Exact: generated code uses the runtime's `#[doc(hidden)]` items.\n\
                 {package} = {{ version = \"={version}\"{path}, default-features = false }}\n"
            )
        }
        RuntimeUse::Vendored {
            dependencies,
            dev_dependencies,
            ..
        } => format!("[dependencies]\n{dependencies}\n\n[dev-dependencies]\n{dev_dependencies}\n"),
    };
    format!(
        r#"# @generated by `cargo xtask codegen`. Do not edit.
[package]
name = "{package}"
version = "{version}"
edition = {edition}
rust-version = {rust_version}
description = {description}
license = {license}
readme = "README.md"
{publish}{keywords}categories = ["api-bindings", "web-programming::http-client"]

[features]
{features}
{dependencies}
[package.metadata.docs.rs]
all-features = true
"#,
        package = plan.package,
        version = plan.version,
        description = toml::Value::String(plan.description.clone()),
        edition = toml::Value::String(plan.edition.clone()),
        rust_version = toml::Value::String(plan.rust_version.clone()),
        license = toml::Value::String(plan.license.clone()),
        keywords = keywords_line(&plan.keywords),
        publish = if plan.publish {
            ""
        } else {
            "publish = false\n"
        },
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

fn readme(plan: &CratePlan) -> String {
    let versions: String = plan
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
Every version's operations are methods on `client.{method}().<version>()`; the same\n\
endpoint has the same method name in every version, so upgrading is changing one\n\
module path. {runtime}\n\n\
Pick the versions you compile with features (each is its own module):\n\n\
```toml\n\
[dependencies]\n\
{package} = {{ version = \"{requirement}\", default-features = false, features = [{features}] }}\n\
```\n\n\
```rust,ignore\n\
use {krate}::{trait_name} as _;\n\n\
let client = {krate}::Client::new(access_token)?;\n\
let api = client.{method}().{latest}();\n\
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
        package = plan.package,
        api_name = plan.api_name,
        krate = plan.package.replace('-', "_"),
        latest = plan.default_version.as_deref().unwrap_or("<version>"),
        // `0.1.0` → `0.1`: what a dependent writes.
        requirement = plan
            .version
            .rsplit_once('.')
            .map_or(plan.version.as_str(), |(req, _)| req),
        // Spelled out, so a reader sees which to keep when picking versions.
        features = plan
            .default_features
            .iter()
            .map(|f| format!("\"{f}\""))
            .collect::<Vec<_>>()
            .join(", "),
        method = plan.accessor.method,
        trait_name = plan.accessor.trait_name,
        runtime = runtime_paragraph(&plan.runtime, "`runtime`").replace("[`Client`]", "`Client`"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::CrateFeature;

    fn version(module: &str, label: &str) -> VersionModule {
        VersionModule {
            module: module.to_owned(),
            label: label.to_owned(),
            documents: Vec::new(),
            notes: None,
        }
    }

    /// A plan as `project::crate_plan` would decide it, written out: emit
    /// prints what it is given.
    fn plan(versions: &[(&str, &str)]) -> CratePlan {
        let mut features = vec![CrateFeature {
            name: "gzip".to_owned(),
            doc: vec!["Inflates.".to_owned()],
            enables: vec!["hubspot-runtime/gzip".to_owned()],
        }];
        features.extend(versions.iter().map(|(module, _)| CrateFeature {
            name: (*module).to_owned(),
            doc: Vec::new(),
            enables: Vec::new(),
        }));
        let default_version = versions.last().map(|(module, _)| (*module).to_owned());
        CratePlan {
            package: "shapes-client".to_owned(),
            version: "0.1.0".to_owned(),
            edition: "2024".to_owned(),
            rust_version: "1.88".to_owned(),
            license: "MIT OR Apache-2.0".to_owned(),
            api_name: "the Shapes API".to_owned(),
            description: "Typed client for the Shapes API, one module per dated version."
                .to_owned(),
            keywords: Vec::new(),
            publish: true,
            versions: versions.iter().map(|(m, l)| version(m, l)).collect(),
            default_features: std::iter::once("gzip".to_owned())
                .chain(default_version.clone())
                .collect(),
            default_version,
            features,
            runtime: RuntimeUse::Dependency {
                package: "hubspot-runtime".to_owned(),
                version: "0.1.0".to_owned(),
                path: Some("../runtime".to_owned()),
            },
            accessor: ApiAccessor {
                method: "shapes".to_owned(),
                type_name: "Shapes".to_owned(),
                trait_name: "ShapesExt".to_owned(),
            },
            extra_files: Vec::new(),
            guide: None,
        }
    }

    fn manifest_table(plan: &CratePlan) -> toml::Table {
        manifest(plan).parse().expect("the manifest is TOML")
    }

    #[test]
    fn the_description_reaches_readme_crate_docs_and_manifest() {
        let plan = plan(&[("v1", "v1")]);
        let files = crate_files(&plan).unwrap();
        let description = "Typed client for the Shapes API, one module per dated version.";
        assert_eq!(
            manifest_table(&plan)["package"]["description"].as_str(),
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
    fn features_and_the_default_list_are_printed_as_planned() {
        let plan = plan(&[("v1", "v1"), ("v2026_03", "2026-03")]);
        let table = manifest_table(&plan);
        let features = table["features"].as_table().unwrap();
        assert_eq!(
            features["default"],
            toml::Value::Array(vec!["gzip".into(), "v2026_03".into()])
        );
        assert_eq!(
            features["gzip"],
            toml::Value::Array(vec!["hubspot-runtime/gzip".into()])
        );
        assert!(manifest(&plan).contains("# Inflates.\ngzip = ["));
        let files = crate_files(&plan).unwrap();
        assert!(files["src/lib.rs"].contains("(`v2026_03` is on by default)"));
        assert!(files["README.md"].contains("let api = client.shapes().v2026_03();"));
    }

    #[test]
    fn each_version_is_a_gated_module_reached_through_the_accessor() {
        let plan = plan(&[("v1", "v1"), ("v2026_03", "2026-03")]);
        let files = crate_files(&plan).unwrap();
        let lib = &files["src/lib.rs"];
        assert!(
            lib.contains(
                "#[cfg(feature = \"v2026_03\")]\n/// HubSpot API version `2026-03`.\n#[rustfmt::skip]\npub mod v2026_03;"
            ),
            "{lib}"
        );
        assert!(lib.contains("pub struct Shapes {"), "{lib}");
        assert!(lib.contains("pub fn v1(&self) -> v1::Api {"), "{lib}");
        assert!(lib.contains("pub trait ShapesExt {"), "{lib}");
        assert!(lib.contains("fn shapes(&self) -> Shapes;"), "{lib}");
        assert!(lib.contains("impl ShapesExt for Client {"), "{lib}");
        assert!(files.contains_key("src/v2026_03/mod.rs"));
        assert!(files["README.md"].contains("| `2026-03` | `v2026_03` |  |\n"));
    }

    #[test]
    fn the_runtime_is_a_pinned_dependency_or_a_copied_module() {
        let mut plan = plan(&[("v1", "v1")]);
        let table = manifest_table(&plan);
        assert_eq!(
            table["dependencies"]["hubspot-runtime"]["version"].as_str(),
            Some("=0.1.0")
        );
        let files = crate_files(&plan).unwrap();
        assert!(files["src/lib.rs"].contains("pub use hubspot_runtime as runtime;"));
        assert!(!files.contains_key("src/runtime/mod.rs"));
        plan.runtime = RuntimeUse::Vendored {
            dependencies: "serde = \"1\"".to_owned(),
            dev_dependencies: "tokio = \"1\"".to_owned(),
            sources: vec![("src/runtime/mod.rs".to_owned(), "pub mod x;\n".to_owned())],
        };
        let table = manifest_table(&plan);
        assert_eq!(table["dependencies"]["serde"].as_str(), Some("1"));
        assert_eq!(table["dev-dependencies"]["tokio"].as_str(), Some("1"));
        let files = crate_files(&plan).unwrap();
        assert!(files["src/lib.rs"].contains("pub mod runtime;"));
        assert_eq!(
            files["src/runtime/mod.rs"],
            format!("{GENERATED_HEADER}pub mod x;\n")
        );
        // A vendored client is its own: the docs do not promise sharing.
        for file in ["src/lib.rs", "README.md"] {
            assert!(files[file].contains("is this crate's own"), "{file}");
            assert!(!files[file].contains("re-exported"), "{file}");
            assert!(!files[file].contains("crate shares"), "{file}");
            assert!(!files[file].contains("a shared"), "{file}");
        }
    }

    #[test]
    fn a_test_only_crate_is_not_published() {
        let mut plan = plan(&[("v1", "v1")]);
        // What `output` checks before it replaces a folder.
        assert!(manifest(&plan).starts_with("# @generated"));
        assert!(
            !manifest_table(&plan)["package"]
                .as_table()
                .unwrap()
                .contains_key("publish")
        );
        plan.publish = false;
        assert_eq!(
            manifest_table(&plan)["package"]["publish"].as_bool(),
            Some(false)
        );
    }

    #[test]
    fn manifest_strings_are_escaped_and_keywords_are_optional() {
        let mut plan = plan(&[("v1", "v1")]);
        plan.description = r#"For the "Quoted" \ API."#.to_owned();
        let table = manifest_table(&plan);
        assert_eq!(
            table["package"]["description"].as_str(),
            Some(r#"For the "Quoted" \ API."#)
        );
        assert!(
            !table["package"]
                .as_table()
                .unwrap()
                .contains_key("keywords")
        );
        plan.keywords = vec!["hubspot".to_owned(), "c++".to_owned()];
        let table = manifest_table(&plan);
        assert_eq!(
            table["package"]["keywords"],
            toml::Value::Array(vec!["hubspot".into(), "c++".into()])
        );
    }

    #[test]
    fn the_guide_follows_the_summary_in_the_crate_docs_as_written() {
        let mut with_guide = plan(&[("v1", "v1")]);
        with_guide.guide =
            Some("# Tasks\n\n```rust,no_run\n# let hidden = 1;\nlet x = [1];\n```\n".into());
        let lib = lib_rs(&with_guide).unwrap();
        assert!(
            lib.contains("//!\n//! # Tasks\n//!\n//! ```rust,no_run\n//! # let hidden = 1;\n//! let x = [1];\n//! ```\n"),
            "{lib}"
        );
        assert!(!lib_rs(&plan(&[("v1", "v1")])).unwrap().contains("Tasks"));
    }
}
