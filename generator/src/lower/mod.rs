//! Stage 2: OpenAPI document → IR. All decisions (names, types, boxing,
//! response variants) are made here.

mod inputs;
mod operation;
mod policy;
mod recursion;
mod schema;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use openapiv3::{OpenAPI, ReferenceOr};

use crate::error::{Error, Result};
use crate::ir::{
    BodyKind, Document, HttpMethod, Operation, Origin, ResponseBody, Type, TypeDef, TypeKind,
};
use crate::naming;
use crate::overrides::Overrides;

/// How to treat an operation the generator cannot express.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Strictness {
    /// Fail the run (the default).
    #[default]
    Strict,
    /// Skip the operation and report a warning.
    Lenient,
}

/// A skipped operation (lenient mode only).
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    /// What was skipped, as `<file>#<JSON pointer>`.
    pub location: String,
    /// Why it could not be lowered.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "skipped {}: {}", self.location, self.message)
    }
}

/// What [`lower`] needs besides the document.
pub struct LowerOptions<'a> {
    /// Rust module name of the document, e.g. `associations_schema`.
    pub module: String,
    /// Shown in messages and docs (relative to the specs folder).
    pub source: String,
    /// The `overrides.toml` in force: batch limits, `read_only`, `rate_limit`, names.
    pub overrides: &'a Overrides,
    /// Whether what cannot be lowered fails the run or is skipped with a warning.
    pub strictness: Strictness,
    /// Method names chosen for the whole version (see
    /// [`naming::assign_operation_names`]); `None` names this document's
    /// endpoints on their own.
    pub method_names: Option<&'a MethodNames>,
}

/// Method name by HTTP method and path template, for one document.
pub type MethodNames = BTreeMap<(HttpMethod, String), String>;

/// Every operation of a document, as naming sees it: the ones the generator
/// will reject (path item `$ref`s) are left out, lowering reports them.
pub fn endpoints(spec: &OpenAPI, source: &str) -> Vec<naming::EndpointRef> {
    let mut found = Vec::new();
    for (path, item) in &spec.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, _) in item.iter() {
            if let Some(method) = operation::parse_method(method) {
                found.push(naming::EndpointRef {
                    method,
                    path: path.clone(),
                    version: spec.info.version.clone(),
                    source: source.to_owned(),
                });
            }
        }
    }
    found
}

/// Names every endpoint of one version's documents together.
pub fn name_operations(
    documents: &[(&OpenAPI, &str)],
    overrides: &Overrides,
    reserved: &std::collections::BTreeSet<String>,
) -> std::result::Result<Vec<MethodNames>, Box<naming::NameClash>> {
    let per_document: Vec<Vec<naming::EndpointRef>> = documents
        .iter()
        .map(|(spec, source)| endpoints(spec, source))
        .collect();
    let all: Vec<naming::EndpointRef> = per_document.iter().flatten().cloned().collect();
    let mut names = naming::assign_operation_names(&all, overrides, reserved)?.into_iter();
    Ok(per_document
        .into_iter()
        .map(|endpoints| {
            endpoints
                .into_iter()
                .zip(names.by_ref())
                .map(|(e, name)| ((e.method, e.path), name))
                .collect()
        })
        .collect())
}

/// Lowers one document.
pub fn lower(
    path: &Path,
    spec: &OpenAPI,
    options: &LowerOptions<'_>,
) -> Result<(Document, Vec<Warning>)> {
    let own_names;
    let method_names = match options.method_names {
        Some(names) => names,
        None => {
            own_names = name_operations(
                &[(spec, &options.source)],
                options.overrides,
                &Default::default(),
            )
            .map_err(|clash| Error::Config {
                path: path.to_owned(),
                message: clash.to_string(),
            })?
            .pop()
            .unwrap_or_default();
            &own_names
        }
    };
    let mut cx = Lowerer::new(path, spec);
    cx.name_component_schemas();
    let lenient = options.strictness == Strictness::Lenient;
    let mut skipped_schemas = Vec::new();
    cx.lower_component_schemas(lenient.then_some(&mut skipped_schemas))?;
    cx.method_names = method_names.clone();
    let (mut operations, mut warnings) = cx.lower_operations(options)?;
    if !skipped_schemas.is_empty() {
        cx.drop_users_of_skipped(skipped_schemas, &mut operations, &mut warnings);
    }
    cx.check_alias_cycles()?;
    // The version is the document's folder under `specs/`.
    let version = match options.source.split_once('/') {
        Some((folder, _)) => folder,
        None => spec.info.version.as_str(),
    };
    let quirks = options.overrides.quirks_for(version);
    policy::apply(&mut cx.types, &mut operations, &cx.error_types, &quirks);
    recursion::box_recursive_fields(&mut cx.types);
    let batch_inputs = inputs::apply(&cx.types, &mut operations, &mut cx.taken);
    let info = &spec.info;
    let doc = Document {
        module: options.module.clone(),
        title: info.title.clone(),
        version: info.version.clone(),
        description: info.description.clone().filter(|d| !d.trim().is_empty()),
        source: options.source.clone(),
        types: cx.types,
        operations,
        batch_inputs,
    };
    Ok((doc, warnings))
}

pub(crate) struct Lowerer<'a> {
    path: PathBuf,
    spec: &'a OpenAPI,
    /// Component schema name → Rust type name.
    component_names: BTreeMap<String, String>,
    types: Vec<TypeDef>,
    /// Every Rust type name taken so far.
    taken: std::collections::BTreeSet<String>,
    /// Inline string enums by (field hint, values), so identical ones share a type.
    inline_enums: BTreeMap<(String, Vec<String>), String>,
    /// Named schemas of error responses (4xx, 5xx, `default`).
    error_types: std::collections::BTreeSet<String>,
    /// This document's method names, chosen before lowering.
    method_names: MethodNames,
}

impl<'a> Lowerer<'a> {
    fn new(path: &Path, spec: &'a OpenAPI) -> Self {
        Self {
            path: path.to_owned(),
            spec,
            component_names: BTreeMap::new(),
            types: Vec::new(),
            taken: Default::default(),
            inline_enums: BTreeMap::new(),
            error_types: Default::default(),
            method_names: MethodNames::new(),
        }
    }

    pub(crate) fn error(&self, pointer: &str, message: impl Into<String>) -> Error {
        Error::Spec {
            path: self.path.clone(),
            pointer: pointer.to_owned(),
            message: message.into(),
        }
    }

    /// Component schemas keep their names; ones that collide after case
    /// conversion are numbered in document order.
    fn name_component_schemas(&mut self) {
        let Some(components) = &self.spec.components else {
            return;
        };
        let originals: Vec<&String> = components.schemas.keys().collect();
        let mut names: Vec<String> = originals.iter().map(|n| naming::type_ident(n)).collect();
        naming::dedupe(&mut names);
        for (original, name) in originals.into_iter().zip(names) {
            self.taken.insert(name.clone());
            self.component_names.insert(original.clone(), name);
        }
    }

    /// Reserves a fresh type name derived from `hint`.
    pub(crate) fn fresh_type_name(&mut self, hint: &str) -> String {
        let base = naming::type_ident(hint);
        let mut name = base.clone();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }

    /// Resolves `#/components/<section>/<name>` to the name, or fails naming `pointer`.
    pub(crate) fn component_ref<'r>(
        &self,
        reference: &'r str,
        section: &str,
        pointer: &str,
    ) -> Result<&'r str> {
        let prefix = format!("#/components/{section}/");
        reference
            .strip_prefix(&prefix)
            .filter(|name| !name.is_empty() && !name.contains('/'))
            .ok_or_else(|| {
                self.error(
                    pointer,
                    format!("unsupported $ref `{reference}`: expected `{prefix}<name>`"),
                )
            })
    }

    pub(crate) fn resolve<'s, T>(
        &self,
        item: &'s ReferenceOr<T>,
        section: &str,
        lookup: impl Fn(&'a openapiv3::Components) -> &'a indexmap::IndexMap<String, ReferenceOr<T>>,
        pointer: &str,
    ) -> Result<&'s T>
    where
        'a: 's,
        T: 'a,
    {
        let mut current = item;
        let mut hops = 0;
        loop {
            match current {
                ReferenceOr::Item(item) => return Ok(item),
                ReferenceOr::Reference { reference } => {
                    hops += 1;
                    if hops > 32 {
                        return Err(
                            self.error(pointer, format!("$ref cycle through `{reference}`"))
                        );
                    }
                    let name = self.component_ref(reference, section, pointer)?;
                    current = self
                        .spec
                        .components
                        .as_ref()
                        .and_then(|c| lookup(c).get(name))
                        .ok_or_else(|| {
                            self.error(
                                pointer,
                                format!("dangling $ref `{reference}`: no such component"),
                            )
                        })?;
                }
            }
        }
    }
}

impl Lowerer<'_> {
    /// Lenient mode: schemas that use a skipped one (at any depth) are left
    /// out too, and so are the operations that use any of them; each is named
    /// in a warning, and the rest of the document generates.
    fn drop_users_of_skipped(
        &mut self,
        skipped: Vec<(String, Warning)>,
        operations: &mut Vec<Operation>,
        warnings: &mut Vec<Warning>,
    ) {
        let mut removed: std::collections::BTreeSet<String> = Default::default();
        let mut schema_warnings = Vec::new();
        for (name, warning) in skipped {
            removed.insert(name);
            schema_warnings.push(warning);
        }
        loop {
            let users: Vec<(String, Origin, String)> = self
                .types
                .iter()
                .filter_map(|t| {
                    let used = type_def_uses(t, &removed)?;
                    Some((t.name.clone(), t.origin.clone(), used.to_owned()))
                })
                .collect();
            if users.is_empty() {
                break;
            }
            for (name, origin, used) in users {
                // Only structs, unions and aliases use other types, and each
                // has a place in the document.
                let pointer = origin.pointer().unwrap_or_default();
                schema_warnings.push(Warning {
                    location: format!("{}{pointer}", self.path.display()),
                    message: format!("uses `{used}`, which was skipped"),
                });
                removed.insert(name);
            }
            self.types.retain(|t| !removed.contains(&t.name));
        }
        operations.retain(|op| {
            let Some(used) = operation_uses(op, &removed) else {
                return true;
            };
            warnings.push(Warning {
                location: format!(
                    "{}#/paths/{}/{}",
                    self.path.display(),
                    crate::error::pointer_token(&op.path),
                    op.method.as_str().to_ascii_lowercase()
                ),
                message: format!("uses `{used}`, which was skipped"),
            });
            false
        });
        // Schemas first: they explain the operations after them.
        schema_warnings.append(warnings);
        *warnings = schema_warnings;
    }

    fn check_alias_cycles(&self) -> Result<()> {
        match recursion::alias_cycle(&self.types) {
            Some(name) => {
                // Only component schemas are aliases.
                let pointer = self
                    .types
                    .iter()
                    .find(|t| t.name == name)
                    .and_then(|t| t.origin.pointer())
                    .unwrap_or_else(|| Origin::Schema(name).pointer().unwrap_or_default());
                Err(self.error(
                    pointer.trim_start_matches('#'),
                    "$ref cycle: this schema is only a reference to itself, which no type can represent",
                ))
            }
            None => Ok(()),
        }
    }
}

/// The first of `names` that `ty` mentions.
fn type_uses<'n>(ty: &Type, names: &'n std::collections::BTreeSet<String>) -> Option<&'n str> {
    match ty {
        Type::Named(name) => names.get(name).map(String::as_str),
        Type::Vec(inner) | Type::Map(inner) => type_uses(inner, names),
        _ => None,
    }
}

fn type_def_uses<'n>(
    def: &TypeDef,
    names: &'n std::collections::BTreeSet<String>,
) -> Option<&'n str> {
    match &def.kind {
        TypeKind::Struct(fields) => fields.iter().find_map(|f| type_uses(&f.ty, names)),
        TypeKind::Union { variants, .. } => variants.iter().find_map(|v| type_uses(&v.ty, names)),
        TypeKind::Alias(ty) => type_uses(ty, names),
        TypeKind::Enum(_) => None,
    }
}

fn operation_uses<'n>(
    op: &Operation,
    names: &'n std::collections::BTreeSet<String>,
) -> Option<&'n str> {
    let params = op
        .path_params
        .iter()
        .chain(&op.query_params)
        .chain(&op.header_params)
        .find_map(|p| type_uses(&p.ty, names));
    let body = op.body.as_ref().and_then(|b| match &b.kind {
        BodyKind::Json(ty) | BodyKind::Form(ty) => type_uses(ty, names),
        BodyKind::Multipart | BodyKind::Bytes => None,
    });
    let responses = op.responses.iter().find_map(|r| match &r.body {
        ResponseBody::Json(ty) => type_uses(ty, names),
        _ => None,
    });
    params.or(body).or(responses)
}

/// Tiny inline documents for the unit tests of lowering and of the changelog.
#[cfg(test)]
pub(crate) mod test_support {
    use std::path::Path;

    use super::{LowerOptions, Strictness, lower};
    use crate::ir::Document;
    use crate::overrides::Overrides;

    /// Lowers a YAML document written without the `openapi` and `info`
    /// keys (and without `paths` when it has none). The indentation common
    /// to every line is ignored, so the text may be indented like the code
    /// around it.
    pub(crate) fn lower_yaml(body: &str) -> Document {
        try_lower_yaml(body).unwrap_or_else(|e| panic!("{e}"))
    }

    /// [`lower_yaml`], keeping the error.
    pub(crate) fn try_lower_yaml(body: &str) -> crate::Result<Document> {
        lower_yaml_with(body, &Overrides::default(), "t.yaml")
    }

    /// [`dump_yaml`] with `overrides.toml` text, the document read from
    /// `source` (its folder is its version, e.g. `v4/t.yaml`).
    pub(crate) fn dump_yaml_with(body: &str, overrides: &str, source: &str) -> String {
        let overrides = Overrides::parse(Path::new("overrides.toml"), &dedent(overrides))
            .unwrap_or_else(|e| panic!("{e}"));
        let doc = lower_yaml_with(body, &overrides, source).unwrap_or_else(|e| panic!("{e}"));
        let dump = crate::ir::dump(&doc);
        dump.split_once('\n')
            .map_or(dump.clone(), |(_, rest)| rest.to_owned())
    }

    fn lower_yaml_with(body: &str, overrides: &Overrides, source: &str) -> crate::Result<Document> {
        let body = dedent(body);
        let mut text = String::from("openapi: 3.0.1\ninfo: {title: T, version: v1}\n");
        if !body.lines().any(|l| l.starts_with("paths:")) {
            text.push_str("paths: {}\n");
        }
        text.push_str(&body);
        let path = Path::new("t.yaml");
        let loaded = crate::load::load_str(path, &text)?;
        let options = LowerOptions {
            module: "t".into(),
            source: source.into(),
            overrides,
            strictness: Strictness::Strict,
            method_names: None,
        };
        Ok(lower(path, &loaded.spec, &options)?.0)
    }

    /// [`crate::ir::dump`] of [`lower_yaml`], without the first line (the
    /// document's name and source, the same for every test).
    pub(crate) fn dump_yaml(body: &str) -> String {
        let dump = crate::ir::dump(&lower_yaml(body));
        dump.split_once('\n')
            .map_or(dump.clone(), |(_, rest)| rest.to_owned())
    }

    /// Removes the indentation common to every non-blank line.
    pub(crate) fn dedent(text: &str) -> String {
        let indent = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start().len())
            .min()
            .unwrap_or(0);
        let mut out = String::new();
        for line in text.lines() {
            out.push_str(line.get(indent..).unwrap_or("").trim_end());
            out.push('\n');
        }
        out
    }
}
