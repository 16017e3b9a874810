//! Every naming rule in one place.
//!
//! Operation names: HubSpot's operationIds embed paths and older versions, so
//! they are neither valid identifiers nor stable. A method is named from its
//! *endpoint key*: the HTTP method plus the path with the version segment
//! removed and every parameter written `{}`, e.g.
//! `POST /crm/associations/{}/{}/batch/read`. The same endpoint therefore has
//! the same key, and the same name, in every dated version. The name is the
//! one `specs/overrides.toml` gives for that key, or else the default rule
//! ([`default_operation_name`]), which reads the path's parameter names to
//! tell items from collections (`list_objects`, `get_object`). All endpoints
//! of a version share one `Api`, so they are named together
//! ([`assign_operation_names`]): two keys named alike in `overrides.toml` are
//! an error naming both endpoints; any other clash is settled by a documented
//! tie-break that never fails. Derived names (`<name>_all`, `<name>_with`,
//! `<name>_stream`, `with_<field>` setters, `…Params` and `…Response` types)
//! are made here too and stored in the IR; [`check_method_names`] checks every
//! method name of a version together, and [`check_document_names`] every other
//! name of a document within its scope (types, fields, setters, variants).

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::ir::HttpMethod;

/// Keywords that need `r#` (or, for the few that cannot be raw, a `_` suffix).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where",
    "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// The variant every open enum gets for a value its document does not list:
/// `Unknown(String)` (the runtime's `open_enum!` names it too).
pub const UNKNOWN_VARIANT: &str = "Unknown";

/// The variant every union gets for a value none of its alternatives
/// accepts: `Other(serde_json::Value)`.
pub const OTHER_VARIANT: &str = "Other";

/// The constructor of every generated struct, models and params types:
/// `new(..)`, taking the values every instance needs.
pub const CONSTRUCTOR: &str = "new";

/// Name of the struct field that holds entries kept as JSON; a struct that
/// already has a field of that name keeps no entries (`lower::policy`).
pub const UNDECODED_FIELD: &str = "undecoded";

/// The associated function of a batch body built from record ids alone
/// (`BatchReadInput::from_ids([101, 102])`; see [`crate::ir::BatchInput`]).
/// Setters all start with `with_`, so it meets none of them.
pub const FROM_IDS: &str = "from_ids";

/// Whether a value named `wire_name` is a record id: `id`, or a name whose
/// last words are `object id` (`objectId`, `fromObjectId`, `to_object_id`).
/// HubSpot numbers records, sends these ids as JSON numbers on some
/// endpoints and callers hold them as integers, so builders and methods
/// take them as `impl Into<ObjectId>` ([`crate::ir::ArgKind::Id`]). Other
/// ids are text that is never a number (`fromObjectTypeId` is `0-1`,
/// `correlationId` a UUID, `sourceId` and `objectWriteTraceId` free text)
/// and stay plain strings.
pub fn is_record_id(wire_name: &str) -> bool {
    let snake = wire_name.to_snake_case();
    snake == "id" || snake == "object_id" || snake.ends_with("_object_id")
}

/// The short name of an operation's JSON body type: the method's name in
/// UpperCamelCase plus `Input` (`batch_read` → `BatchReadInput`). Lowering
/// drops it where a type of the document already has that name.
pub fn input_alias(operation: &str) -> String {
    type_ident(&format!("{}_input", operation.trim_start_matches("r#")))
}

/// Words that already say what a POST does, so no verb is prefixed.
const ACTION_WORDS: &[&str] = &[
    "read", "create", "archive", "update", "upsert", "purge", "search", "merge", "delete",
    "remove", "default", "batch",
];

/// snake_case identifier, valid in Rust (keywords become raw identifiers).
pub fn snake_ident(raw: &str) -> String {
    let mut name = raw.to_snake_case();
    if name.is_empty() {
        name = "value".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("n{name}");
    }
    escape_keyword(valid_or_ascii(name, "value"))
}

/// UpperCamelCase enum variant name (variants cannot shadow prelude names).
pub fn variant_ident(raw: &str) -> String {
    let name = camel(raw);
    if name == "Self" {
        "Self_".to_owned()
    } else {
        name
    }
}

/// UpperCamelCase type name.
pub fn type_ident(raw: &str) -> String {
    let mut name = camel(raw);
    if PRELUDE.contains(&name.as_str()) || KEYWORDS.contains(&name.as_str()) {
        name.push_str("Model");
    }
    name
}

fn camel(raw: &str) -> String {
    let mut name = raw.to_upper_camel_case();
    name.retain(|c| c.is_alphanumeric() || c == '_');
    if name.is_empty() {
        name = "Empty".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("V{name}");
    }
    valid_or_ascii(name, "Type")
}

/// Names generated code uses unqualified; a schema may not shadow them.
const PRELUDE: &[&str] = &[
    "Self", "Result", "Option", "Some", "None", "Ok", "Err", "String", "Vec", "Box", "Default",
    "Api",
];

/// Keeps a name only if Rust accepts it as an identifier; otherwise its
/// ASCII letters, digits and underscores (spec names can hold anything).
fn valid_or_ascii(name: String, fallback: &str) -> String {
    if syn::parse_str::<syn::Ident>(&name).is_ok() || KEYWORDS.contains(&name.as_str()) {
        return name;
    }
    let mut ascii: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if ascii.is_empty() || ascii == "_" {
        ascii = fallback.to_owned();
    }
    if ascii.starts_with(|c: char| c.is_ascii_digit()) {
        ascii.insert_str(0, &fallback[..1]);
    }
    ascii
}

fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The names an operation method gives its own arguments and locals
/// (`emit/operations.rs`): `params`, `body` and `follow` are arguments; the
/// method body binds `request` and `response`; the `_stream` method binds
/// `api`, `params` and `page` and takes `cursor` in its closure. A path
/// parameter is an argument of the same method, so it may not be named
/// like any of these ([`path_param_names`]). (The one-letter closure
/// arguments `|p|` and `|n|` read only their own argument.)
pub const METHOD_LOCALS: &[&str] = &[
    "params", "body", "follow", "api", "cursor", "page", "request", "response",
];

/// Names of an operation's path parameters (snake_case, in path order),
/// unique and unlike [`METHOD_LOCALS`]: a clash gets `2`, `3`…
pub fn path_param_names(names: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut all: Vec<String> = METHOD_LOCALS.iter().map(|n| (*n).to_owned()).collect();
    all.extend(names);
    dedupe(&mut all);
    all.split_off(METHOD_LOCALS.len())
}

/// Gives each name in `names` a unique spelling: the first keeps it, later
/// ones get `2`, `3`… (in the given order, which callers keep stable).
pub fn dedupe(names: &mut [String]) {
    let mut seen = std::collections::BTreeSet::new();
    for name in names.iter_mut() {
        if seen.insert(name.clone()) {
            continue;
        }
        let base = name.trim_start_matches("r#").to_owned();
        let mut n = 2;
        while !seen.insert(format!("{base}{n}")) {
            n += 1;
        }
        *name = format!("{base}{n}");
    }
}

/// Variant name for a success status code.
pub fn status_variant(status: u16) -> String {
    match status {
        200 => "Ok".into(),
        201 => "Created".into(),
        202 => "Accepted".into(),
        203 => "NonAuthoritative".into(),
        204 => "NoContent".into(),
        206 => "PartialContent".into(),
        207 => "MultiStatus".into(),
        other => format!("Status{other}"),
    }
}

/// Is this path segment the version of the document (`v4`, `2026-03`)?
pub fn is_version_segment(segment: &str, version: &str) -> bool {
    if segment == version {
        return true;
    }
    let bytes = segment.as_bytes();
    let vn = bytes.len() >= 2 && bytes[0] == b'v' && bytes[1..].iter().all(u8::is_ascii_digit);
    let dated = bytes.len() >= 7
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5..7].iter().all(u8::is_ascii_digit);
    vn || dated
}

/// The version-free key that names an endpoint across versions.
pub fn endpoint_key(method: HttpMethod, path: &str, version: &str) -> String {
    let mut key = String::from(method.as_str());
    key.push(' ');
    let mut dropped_version = false;
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        if !dropped_version && is_version_segment(segment, version) {
            dropped_version = true;
            continue;
        }
        key.push('/');
        if segment.starts_with('{') && segment.ends_with('}') {
            key.push_str("{}");
        } else {
            key.push_str(segment);
        }
    }
    key
}

/// Words that mark a path parameter as a *qualifier* (it picks which kind of
/// collection, `{objectType}`), not an item of it (`{objectId}`, `{labelName}`).
const QUALIFIER_SUFFIX: &str = "type";

/// The default rule for an endpoint without a name in `overrides.toml`. It
/// reads the path template (with its parameter names), so it can tell items
/// from collections:
///
/// - the literal segments after the version (`crm` left out) are the words;
/// - a parameter whose last word is `type` (`{objectType}`) is a qualifier and
///   adds nothing; any other parameter (`{objectId}`, `{groupName}`,
///   `{campaignGuid}`) selects an item, so the word before it becomes singular
///   (`objects/{objectType}/{objectId}` → `object`); a second selector right
///   after the first adds its own name without `Id` (`{appId}/{definitionId}`
///   → `action_definition`);
/// - the verb: `get` for a GET ending in a selector, `list` for other GETs,
///   `replace` for PUT, `update` for PATCH, `delete` for DELETE, `create` for
///   a POST unless its last literal already is an action (`batch/read`).
///
/// So `GET /crm/objects/{objectType}` is `list_objects` and
/// `GET /crm/objects/{objectType}/{objectId}` is `get_object`. The name is a
/// function of the endpoint alone, so it is the same in every version; when
/// two endpoints still end up with one name, [`assign_operation_names`]
/// breaks the tie.
pub fn default_operation_name(method: HttpMethod, path: &str, version: &str) -> String {
    let shape = PathShape::read(path, version);
    let verb = match method {
        HttpMethod::Get if shape.ends_with_selector => Some("get"),
        HttpMethod::Get => Some("list"),
        HttpMethod::Post if shape.last_literal_is_action => None,
        HttpMethod::Post => Some("create"),
        HttpMethod::Put => Some("replace"),
        HttpMethod::Patch => Some("update"),
        HttpMethod::Delete => Some("delete"),
        HttpMethod::Head => Some("head"),
        HttpMethod::Options => Some("options"),
        HttpMethod::Trace => Some("trace"),
    };
    let words = verb
        .map(str::to_owned)
        .into_iter()
        .chain(shape.words)
        .collect::<Vec<_>>()
        .join("_");
    snake_ident(&words)
}

/// What the default rule reads from a path template.
struct PathShape {
    words: Vec<String>,
    ends_with_selector: bool,
    last_literal_is_action: bool,
    /// Parameters after the last literal segment, snake_case.
    trailing_params: Vec<String>,
    /// The version segment, if the path has one.
    version_segment: Option<String>,
}

impl PathShape {
    fn read(path: &str, version: &str) -> Self {
        let mut shape = PathShape {
            words: Vec::new(),
            ends_with_selector: false,
            last_literal_is_action: false,
            trailing_params: Vec::new(),
            version_segment: None,
        };
        // A selector already made the word before it singular.
        let mut selected = false;
        for segment in path.split('/').filter(|s| !s.is_empty()) {
            if shape.version_segment.is_none() && is_version_segment(segment, version) {
                shape.version_segment = Some(segment.to_owned());
                continue;
            }
            let Some(param) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
                selected = false;
                shape.ends_with_selector = false;
                shape.trailing_params.clear();
                if segment == "crm" {
                    continue;
                }
                let word = segment.to_snake_case();
                // `gdpr-delete` is an action as much as `delete` is.
                shape.last_literal_is_action = word
                    .rsplit('_')
                    .next()
                    .is_some_and(|last| ACTION_WORDS.contains(&last));
                shape.words.push(word);
                continue;
            };
            let param_words = param.to_snake_case();
            shape.trailing_params.push(param_words.clone());
            if param_words.rsplit('_').next() == Some(QUALIFIER_SUFFIX) {
                shape.ends_with_selector = false;
                continue;
            }
            shape.ends_with_selector = true;
            if !selected {
                selected = true;
                if let Some(last) = shape.words.last_mut() {
                    *last = singular(last);
                }
                continue;
            }
            let own = param_words
                .strip_suffix("_ids")
                .or_else(|| param_words.strip_suffix("_id"))
                .filter(|w| !w.is_empty());
            shape.words.push(match own {
                Some(word) => word.to_owned(),
                None => format!("by_{param_words}"),
            });
        }
        shape
    }
}

/// The singular of the last word of a snake_case name, by the plain English
/// rules (`properties` → `property`, `labels` → `label`, `status` stays).
pub fn singular(name: &str) -> String {
    let (head, last) = match name.rsplit_once('_') {
        Some((head, last)) => (Some(head), last),
        None => (None, name),
    };
    let one = if let Some(stem) = last.strip_suffix("ies").filter(|s| s.len() > 1) {
        format!("{stem}y")
    } else if ["sses", "xes", "ches", "shes", "zzes"]
        .iter()
        .any(|suffix| last.ends_with(suffix))
    {
        last[..last.len() - 2].to_owned()
    } else if last.len() > 3
        && last.ends_with('s')
        && !["ss", "us", "is"]
            .iter()
            .any(|suffix| last.ends_with(suffix))
    {
        last[..last.len() - 1].to_owned()
    } else {
        last.to_owned()
    };
    match head {
        Some(head) => format!("{head}_{one}"),
        None => one,
    }
}

/// Method names generated code already uses on every version's `Api`.
const RESERVED_METHODS: &[&str] = &[CONSTRUCTOR, "clone", "fmt"];

/// One endpoint of a version, as [`assign_operation_names`] sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointRef {
    /// The HTTP method.
    pub method: HttpMethod,
    /// Path template exactly as in the document.
    pub path: String,
    /// The document's `info.version`.
    pub version: String,
    /// The document, relative to the specs folder (`2026-09/associations.json`).
    pub source: String,
}

impl EndpointRef {
    /// Its version-free endpoint key, e.g. `POST /crm/associations/{}/{}/batch/read`.
    pub fn key(&self) -> String {
        endpoint_key(self.method, &self.path, &self.version)
    }
}

impl std::fmt::Display for EndpointRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`{} {}` (version {}, {})",
            self.method.as_str(),
            self.path,
            self.version,
            self.source
        )
    }
}

/// Two endpoints of one version that would get the same method name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameClash {
    /// The method name both would get, e.g. `batch_read`.
    pub name: String,
    /// The endpoint met first.
    pub first: EndpointRef,
    /// The other endpoint.
    pub second: EndpointRef,
    /// Both names come from `overrides.toml` (otherwise a derived name clashed).
    pub both_explicit: bool,
}

impl std::fmt::Display for NameClash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (first, second) = (self.first.key(), self.second.key());
        if self.both_explicit {
            write!(
                f,
                "`{first}` and `{second}` are both named `{}`, but {} and {} share one `Api`; \
                 give `{first}` or `{second}` another name in overrides.toml",
                self.name, self.first, self.second
            )
        } else {
            write!(
                f,
                "method name `{}` is used by both {} and {}; give `{first}` or `{second}` a name in overrides.toml",
                self.name, self.first, self.second
            )
        }
    }
}

impl std::error::Error for NameClash {}

/// Method names for every endpoint of one version (all documents of a
/// version share one `Api`), in the order given.
///
/// A name `overrides.toml` gives is kept; two different keys given the same
/// name there are an error naming both. Otherwise each endpoint gets
/// [`default_operation_name`], and where several claim one name the
/// last-resort tie-break applies, which never fails: named endpoints first,
/// then the endpoint with the fewest path parameters (then by key and path)
/// keeps the name, and each other one takes the first free of
/// `<name>_by_<parameters after the last literal>`, `<name>_<version segment>`
/// (only where one document carries the same endpoint under two versions, so
/// the key is the same) and `<name>_2`,
/// `<name>_3`…. Default names never take one of `reserved` (derived method
/// names found taken after lowering, see `project::generate`).
pub fn assign_operation_names(
    endpoints: &[EndpointRef],
    overrides: &crate::overrides::Overrides,
    reserved: &std::collections::BTreeSet<String>,
) -> Result<Vec<String>, Box<NameClash>> {
    let keys: Vec<String> = endpoints.iter().map(EndpointRef::key).collect();
    let explicit: Vec<Option<&str>> = keys.iter().map(|k| overrides.name_for(k)).collect();
    let bases: Vec<String> = endpoints
        .iter()
        .zip(&explicit)
        .map(|(e, name)| match name {
            Some(name) => (*name).to_owned(),
            None => default_operation_name(e.method, &e.path, &e.version),
        })
        .collect();
    // Two keys named alike in overrides.toml: only the user can fix that.
    let mut named: std::collections::BTreeMap<&str, usize> = Default::default();
    for (i, name) in explicit.iter().enumerate() {
        let Some(name) = name else { continue };
        match named.get(name) {
            Some(&j) if keys[j] != keys[i] => {
                return Err(Box::new(NameClash {
                    name: (*name).to_owned(),
                    first: endpoints[j].clone(),
                    second: endpoints[i].clone(),
                    both_explicit: true,
                }));
            }
            Some(_) => {}
            None => {
                named.insert(name, i);
            }
        }
    }
    let mut order: Vec<usize> = (0..endpoints.len()).collect();
    order.sort_by_key(|&i| {
        let e = &endpoints[i];
        (
            explicit[i].is_none(),
            template_param_count(&e.path),
            keys[i].clone(),
            e.path.clone(),
            e.source.clone(),
        )
    });
    let mut taken: std::collections::BTreeSet<String> =
        RESERVED_METHODS.iter().map(|s| (*s).to_owned()).collect();
    let mut names: Vec<Option<String>> = vec![None; endpoints.len()];
    for &i in &order {
        let free = explicit[i].is_some() || !reserved.contains(&bases[i]);
        if free && taken.insert(bases[i].clone()) {
            names[i] = Some(bases[i].clone());
        }
    }
    for &i in &order {
        if names[i].is_some() {
            continue;
        }
        let shape = PathShape::read(&endpoints[i].path, &endpoints[i].version);
        let base = bases[i].trim_start_matches("r#");
        let by_params = (!shape.trailing_params.is_empty())
            .then(|| format!("{base}_by_{}", shape.trailing_params.join("_")));
        // Only for the same endpoint under two versions: a version in the
        // name would otherwise change from one version to the next.
        let twin = (0..endpoints.len()).any(|j| j != i && keys[j] == keys[i]);
        let by_version = shape.version_segment.filter(|_| twin).map(|v| {
            format!(
                "{base}_{}",
                v.to_ascii_lowercase()
                    .replace(|c: char| !c.is_ascii_alphanumeric(), "_")
            )
        });
        let numbered = (2..).map(|n| format!("{base}_{n}"));
        let name = by_params
            .into_iter()
            .chain(by_version)
            .chain(numbered)
            .find(|candidate| !taken.contains(candidate) && !reserved.contains(candidate))
            .expect("numbered names are endless");
        taken.insert(name.clone());
        names[i] = Some(name);
    }
    Ok(names.into_iter().map(|n| n.unwrap_or_default()).collect())
}

fn template_param_count(path: &str) -> usize {
    path.matches('{').count()
}

/// Every method name on one version's `Api` (the operations' own and their
/// derived ones) must differ: the final check over all its documents.
pub fn check_method_names(documents: &[crate::ir::Document]) -> Result<(), Box<NameClash>> {
    match method_name_clashes(documents).into_iter().next() {
        Some(clash) => Err(Box::new(clash)),
        None => Ok(()),
    }
}

/// Every clash among the method names of one version's documents, in order.
pub fn method_name_clashes(documents: &[crate::ir::Document]) -> Vec<NameClash> {
    let mut seen: std::collections::BTreeMap<String, EndpointRef> = Default::default();
    let mut clashes = Vec::new();
    for doc in documents {
        for op in &doc.operations {
            let endpoint = EndpointRef {
                method: op.method,
                path: op.path.clone(),
                version: doc.version.clone(),
                source: doc.source.clone(),
            };
            let derived = [&op.derived.all, &op.derived.with, &op.derived.stream];
            let names = std::iter::once(&op.name).chain(derived.into_iter().flatten());
            for name in names {
                let name = name.trim_start_matches("r#").to_owned();
                match seen.get(&name) {
                    Some(first) => clashes.push(NameClash {
                        name,
                        first: first.clone(),
                        second: endpoint.clone(),
                        both_explicit: false,
                    }),
                    None => {
                        seen.insert(name, endpoint.clone());
                    }
                }
            }
        }
    }
    clashes
}

/// Two things of one scope named alike: types of one document, or fields,
/// methods or variants of one type. Lowering dedupes every one of these, so
/// this is the net under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberClash {
    /// What the names share, e.g. `` type `Page` `` or `` document `t` ``.
    pub scope: String,
    /// The name used twice.
    pub name: String,
}

impl std::fmt::Display for MemberClash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} has two items named `{}`", self.scope, self.name)
    }
}

impl std::error::Error for MemberClash {}

/// Every other name of a document the generated code uses must differ
/// within its scope: its type names (models, params types, response enums,
/// input aliases); each struct's fields and its methods (`new`, the
/// setters, `from_ids`); each enum's
/// and union's variants, with the `Unknown` or `Other` the emitter adds; each
/// params type's fields and methods; each response enum's variants. Method
/// names on the `Api` are [`check_method_names`]'.
pub fn check_document_names(doc: &crate::ir::Document) -> Result<(), Box<MemberClash>> {
    use crate::ir::TypeKind;
    fn unique<'a>(
        scope: impl Fn() -> String,
        names: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), Box<MemberClash>> {
        let mut seen = std::collections::BTreeSet::new();
        for name in names {
            if !seen.insert(name.trim_start_matches("r#")) {
                return Err(Box::new(MemberClash {
                    scope: scope(),
                    name: name.to_owned(),
                }));
            }
        }
        Ok(())
    }
    let op_types = doc.operations.iter().flat_map(|op| {
        op.params_type
            .iter()
            .chain(&op.response_enum)
            .chain(&op.input_alias)
    });
    unique(
        || format!("document `{}`", doc.module),
        doc.types
            .iter()
            .map(|t| &t.name)
            .chain(op_types)
            .map(String::as_str),
    )?;
    for t in &doc.types {
        let scope = || format!("type `{}`", t.name);
        match &t.kind {
            TypeKind::Struct(fields) => {
                let kept = fields.iter().any(|f| f.keep_undecoded);
                let undecoded = kept.then_some(UNDECODED_FIELD);
                unique(
                    scope,
                    fields.iter().map(|f| f.name.as_str()).chain(undecoded),
                )?;
                let setters = fields.iter().filter_map(|f| f.setter.as_deref());
                let from_ids = doc
                    .batch_inputs
                    .iter()
                    .filter(|b| b.type_name == t.name)
                    .filter_map(|b| b.from_ids.as_deref());
                unique(
                    scope,
                    std::iter::once(CONSTRUCTOR).chain(setters).chain(from_ids),
                )?;
            }
            TypeKind::Enum(variants) => unique(
                scope,
                variants
                    .iter()
                    .map(|v| v.name.as_str())
                    .chain([UNKNOWN_VARIANT]),
            )?,
            TypeKind::Union { variants, .. } => unique(
                scope,
                variants
                    .iter()
                    .map(|v| v.name.as_str())
                    .chain([OTHER_VARIANT]),
            )?,
            TypeKind::Alias(_) => {}
        }
    }
    for op in &doc.operations {
        if let Some(params) = &op.params_type {
            let scope = || format!("type `{params}`");
            let all = || op.query_params.iter().chain(&op.header_params);
            unique(scope, all().map(|p| p.name.as_str()))?;
            let setters = all().filter_map(|p| p.setter.as_deref());
            unique(scope, std::iter::once(CONSTRUCTOR).chain(setters))?;
        }
        if let Some(responses) = &op.response_enum {
            let scope = || format!("type `{responses}`");
            unique(scope, op.responses.iter().map(|r| r.variant.as_str()))?;
        }
    }
    Ok(())
}

/// The derived method names of operation `name`.
pub fn derived_methods(
    name: &str,
    follows_cursors: bool,
    streams: bool,
) -> crate::ir::DerivedMethods {
    let base = name.trim_start_matches("r#");
    crate::ir::DerivedMethods {
        all: follows_cursors.then(|| format!("{base}_all")),
        with: follows_cursors.then(|| format!("{base}_with")),
        stream: streams.then(|| format!("{base}_stream")),
    }
}

/// Setter of a struct field or parameter: `with_<field>`. Field names of
/// one struct differ, so their setters do, and no other method of a model
/// starts with `with_`.
pub fn setter_name(field: &str) -> String {
    format!("with_{}", field.trim_start_matches("r#"))
}

/// How the docs of a shared inline enum name the fields it serves: the
/// field's type-name form with a lowercase first letter
/// (`AssociationCategory` → `associationCategory`), as HubSpot spells most
/// JSON keys. One enum serves every field with that type name and the same
/// values, so this is not necessarily any one field's exact key.
pub fn shared_enum_field(field_type_name: &str) -> String {
    let mut chars = field_type_name.chars();
    chars
        .next()
        .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// Name hint of an operation's query/header parameter struct.
pub fn params_type_hint(operation_type: &str) -> String {
    format!("{operation_type}Params")
}

/// Name hint of an operation's enum of success responses.
pub fn response_enum_hint(operation_type: &str) -> String {
    format!("{operation_type}Response")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_valid_rust() {
        assert_eq!(snake_ident("type"), "r#type");
        assert_eq!(snake_ident("self"), "self_");
        assert_eq!(snake_ident("1stPlace"), "n1st_place");
        assert_eq!(snake_ident("fromObjectTypeId"), "from_object_type_id");
        assert_eq!(snake_ident(""), "value");
        assert_eq!(type_ident("Foo_1"), "Foo1");
        assert_eq!(type_ident("HUBSPOT_DEFINED"), "HubspotDefined");
        assert_eq!(type_ident("3d"), "V3d");
        assert_eq!(type_ident("-"), "Empty");
        assert_eq!(type_ident("Result"), "ResultModel");
        assert_eq!(snake_ident("\u{301}x"), "x");
        assert_eq!(type_ident("été"), "Été");
        assert_eq!(snake_ident("🙂"), "value");
    }

    #[test]
    fn a_shared_enum_names_its_fields_in_camel_case() {
        assert_eq!(
            shared_enum_field("AssociationCategory"),
            "associationCategory"
        );
        assert_eq!(shared_enum_field("Status"), "status");
        assert_eq!(shared_enum_field(""), "");
    }

    #[test]
    fn dedupe_keeps_first_and_numbers_the_rest() {
        let mut names = vec!["Foo".to_string(), "Bar".into(), "Foo".into(), "Foo".into()];
        dedupe(&mut names);
        assert_eq!(names, ["Foo", "Bar", "Foo2", "Foo3"]);
    }

    #[test]
    fn endpoint_keys_ignore_version_and_parameter_names() {
        let v4 = endpoint_key(
            HttpMethod::Post,
            "/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read",
            "v4",
        );
        let dated = endpoint_key(
            HttpMethod::Post,
            "/crm/associations/2026-03/{fromObjectType}/{toObjectType}/batch/read",
            "2026-03",
        );
        assert_eq!(v4, "POST /crm/associations/{}/{}/batch/read");
        assert_eq!(v4, dated);
    }

    fn default(method: HttpMethod, path: &str) -> String {
        default_operation_name(method, path, "2026-09-beta")
    }

    #[test]
    fn default_rule_verbs() {
        use HttpMethod::*;
        assert_eq!(
            default(Get, "/crm/things/2026-09-beta/list"),
            "list_things_list"
        );
        assert_eq!(
            default(Post, "/crm/things/2026-09-beta/batch/read"),
            "things_batch_read"
        );
        assert_eq!(
            default(Post, "/crm/things/2026-09-beta/labels"),
            "create_things_labels"
        );
        assert_eq!(
            default(Put, "/crm/things/2026-09-beta/{thingId}"),
            "replace_thing"
        );
        assert_eq!(
            default(Patch, "/crm/things/2026-09-beta/{thingId}"),
            "update_thing"
        );
        assert_eq!(
            default(Delete, "/crm/things/2026-09-beta/{thingId}"),
            "delete_thing"
        );
        assert_eq!(
            default(Get, "/crm/things/2026-09-beta/{thingId}"),
            "get_thing"
        );
    }

    #[test]
    fn default_rule_tells_items_from_collections() {
        use HttpMethod::*;
        // A `...Type` parameter picks a collection; any other one an item.
        assert_eq!(
            default(Get, "/crm/objects/2026-09-beta/{objectType}"),
            "list_objects"
        );
        assert_eq!(
            default(Get, "/crm/objects/2026-09-beta/{objectType}/{objectId}"),
            "get_object"
        );
        assert_eq!(
            default(
                Get,
                "/crm/objects/2026-09-beta/{objectType}/{objectId}/associations/{toObjectType}"
            ),
            "list_object_associations"
        );
        assert_eq!(
            default(
                Put,
                "/crm/objects/2026-09-beta/{fromObjectType}/{fromObjectId}/associations/{toObjectType}/{toObjectId}"
            ),
            "replace_object_association"
        );
        assert_eq!(
            default(
                Get,
                "/crm/properties/2026-09-beta/{objectType}/{propertyName}"
            ),
            "get_property"
        );
        assert_eq!(
            default(Get, "/crm/properties/2026-09-beta/{objectType}/groups"),
            "list_properties_groups"
        );
        assert_eq!(
            default(Get, "/marketing/2026-09-beta/campaigns/{campaignGuid}"),
            "get_marketing_campaign"
        );
        // A second selector in a row adds its own name.
        assert_eq!(
            default(
                Get,
                "/automation/actions/2026-09-beta/{appId}/{definitionId}"
            ),
            "get_automation_action_definition"
        );
        assert_eq!(
            default(Get, "/automation/actions/2026-09-beta/{appId}/{id}"),
            "get_automation_action_by_id"
        );
        assert_eq!(
            default(Get, "/cms/2026-09-beta/tables/{tableIdOrName}/draft"),
            "list_cms_table_draft"
        );
    }

    #[test]
    fn default_rule_is_the_same_in_every_version() {
        let v4 = default_operation_name(
            HttpMethod::Get,
            "/crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}",
            "v4",
        );
        let dated = default_operation_name(
            HttpMethod::Get,
            "/crm/objects/2026-03/{objectType}/{objectId}/associations/{toObjectType}",
            "2026-03",
        );
        assert_eq!(v4, dated);
    }

    #[test]
    fn singular_of_plain_english_plurals() {
        for (plural, one) in [
            ("properties", "property"),
            ("labels", "label"),
            ("high_usage_reports", "high_usage_report"),
            ("batches", "batch"),
            ("addresses", "address"),
            ("status", "status"),
            ("analysis", "analysis"),
            ("ids", "ids"),
            ("objects", "object"),
        ] {
            assert_eq!(singular(plural), one, "{plural}");
        }
    }

    fn endpoint(method: HttpMethod, path: &str, source: &str) -> EndpointRef {
        EndpointRef {
            method,
            path: path.into(),
            version: "2026-09-beta".into(),
            source: source.into(),
        }
    }

    fn overrides(toml: &str) -> crate::overrides::Overrides {
        crate::overrides::Overrides::parse(std::path::Path::new("overrides.toml"), toml).unwrap()
    }

    #[test]
    fn every_endpoint_gets_a_distinct_name() {
        use HttpMethod::*;
        let endpoints = [
            endpoint(
                Get,
                "/crm/objects/2026-09-beta/{objectType}/{objectId}",
                "a.json",
            ),
            endpoint(Get, "/crm/objects/2026-09-beta/{objectType}", "a.json"),
            endpoint(Get, "/crm/objects/2026-09-beta/objects", "a.json"),
        ];
        let names =
            assign_operation_names(&endpoints, &overrides(""), &Default::default()).unwrap();
        // `/objects/{objectType}` and `/objects/objects`... differ; the first two by the rule.
        assert_eq!(
            names,
            ["get_object", "list_objects", "list_objects_objects"]
        );
    }

    #[test]
    fn tie_break_keeps_the_fewest_parameters_and_adds_by_parameters() {
        use HttpMethod::*;
        // Given in the "wrong" order: the tie-break does not depend on it.
        let endpoints = [
            endpoint(Get, "/crm/schemas/2026-09-beta/{objectType}", "b.json"),
            endpoint(Get, "/crm/schemas/2026-09-beta", "a.json"),
        ];
        let names =
            assign_operation_names(&endpoints, &overrides(""), &Default::default()).unwrap();
        assert_eq!(names, ["list_schemas_by_object_type", "list_schemas"]);
    }

    #[test]
    fn tie_break_uses_the_version_segment_for_one_path_under_two_versions() {
        use HttpMethod::*;
        let endpoints = [
            endpoint(Get, "/meta/origins/2026-03/ranges", "a.json"),
            endpoint(Get, "/meta/origins/2025-09/ranges", "a.json"),
        ];
        let names =
            assign_operation_names(&endpoints, &overrides(""), &Default::default()).unwrap();
        assert_eq!(
            names,
            [
                "list_meta_origins_ranges_2026_03",
                "list_meta_origins_ranges"
            ]
        );
    }

    #[test]
    fn tie_break_numbers_as_a_last_resort_and_never_takes_another_endpoints_name() {
        use HttpMethod::*;
        let endpoints = [
            endpoint(Get, "/things", "a.json"),
            endpoint(Get, "/things", "b.json"),
            endpoint(Get, "/things", "c.json"),
            // Its own name is what the tie-break would try first: it keeps it.
            endpoint(Get, "/things/2", "a.json"),
        ];
        let names =
            assign_operation_names(&endpoints, &overrides(""), &Default::default()).unwrap();
        assert_eq!(
            names,
            [
                "list_things",
                "list_things_3",
                "list_things_4",
                "list_things_2"
            ]
        );
    }

    #[test]
    fn a_named_endpoint_keeps_its_name_and_a_default_one_moves() {
        use HttpMethod::*;
        let endpoints = [
            endpoint(Get, "/crm/things/2026-09-beta", "a.json"),
            endpoint(Get, "/crm/other/2026-09-beta/{otherType}", "a.json"),
        ];
        let named = overrides("[endpoints.\"GET /crm/other/{}\"]\nname = \"list_things\"\n");
        let names = assign_operation_names(&endpoints, &named, &Default::default()).unwrap();
        assert_eq!(names, ["list_things_2", "list_things"]);
    }

    #[test]
    fn reserved_method_names_are_avoided() {
        let endpoints = [endpoint(HttpMethod::Post, "/new", "a.json")];
        let named = overrides("[endpoints.\"POST /new\"]\nname = \"new\"\n");
        assert_eq!(
            assign_operation_names(&endpoints, &named, &Default::default()).unwrap(),
            ["new_2"]
        );
    }

    #[test]
    fn record_ids_are_id_and_object_ids_and_no_other_id() {
        for id in [
            "id",
            "objectId",
            "fromObjectId",
            "toObjectId",
            "hs_object_id",
            "ID",
        ] {
            assert!(is_record_id(id), "{id}");
        }
        for text in [
            "fromObjectTypeId",
            "correlationId",
            "sourceId",
            "objectWriteTraceId",
            "idProperty",
            "ids",
            "objectType",
        ] {
            assert!(!is_record_id(text), "{text}");
        }
    }

    #[test]
    fn input_aliases_are_the_method_in_camel_case_plus_input() {
        assert_eq!(input_alias("batch_read"), "BatchReadInput");
        assert_eq!(input_alias("create_label"), "CreateLabelInput");
        assert_eq!(input_alias("r#type"), "TypeInput");
    }

    #[test]
    fn input_aliases_and_from_ids_are_in_the_clash_checks() {
        let mut doc = crate::lower::test_support::lower_yaml(
            r#"
            paths:
              /batch/read:
                post:
                  requestBody:
                    content:
                      application/json:
                        schema: {$ref: '#/components/schemas/Batch'}
                  responses: {'200': {description: ok}}
            components:
              schemas:
                Batch:
                  type: object
                  required: [inputs]
                  properties:
                    inputs: {type: array, items: {$ref: '#/components/schemas/One'}}
                    note: {type: string}
                One:
                  type: object
                  required: [id]
                  properties:
                    id: {type: string}
            "#,
        );
        assert_eq!(check_document_names(&doc), Ok(()));
        assert_eq!(
            doc.operations[0].input_alias.as_deref(),
            Some("BatchReadInput")
        );
        assert_eq!(doc.batch_inputs[0].from_ids.as_deref(), Some(FROM_IDS));
        // An alias named like a type.
        let mut aliased = doc.clone();
        aliased.operations[0].input_alias = Some("One".into());
        let clash = check_document_names(&aliased).unwrap_err();
        assert_eq!(clash.to_string(), "document `t` has two items named `One`");
        // `from_ids` named like a method the struct already has.
        let crate::ir::TypeKind::Struct(fields) = &mut doc.types[0].kind else {
            panic!("Batch is a struct")
        };
        fields[1].setter = Some(FROM_IDS.into());
        let clash = check_document_names(&doc).unwrap_err();
        assert_eq!(
            clash.to_string(),
            "type `Batch` has two items named `from_ids`"
        );
    }

    #[test]
    fn clashes_inside_a_document_are_found_per_scope() {
        use crate::ir::{Document, Origin, TypeDef, TypeKind};
        let alias = |name: &str| TypeDef {
            name: name.into(),
            origin: Origin::Schema(name.into()),
            doc: None,
            deprecated: false,
            kind: TypeKind::Alias(crate::ir::Type::String),
        };
        let mut doc = Document {
            module: "t".into(),
            title: "t".into(),
            version: "v1".into(),
            description: None,
            source: "t.yaml".into(),
            types: vec![alias("Page"), alias("Other")],
            operations: Vec::new(),
            batch_inputs: Vec::new(),
        };
        assert_eq!(check_document_names(&doc), Ok(()));
        doc.types.push(TypeDef {
            kind: TypeKind::Enum(vec![crate::ir::EnumVariant {
                name: "Unknown".into(),
                value: "x".into(),
            }]),
            ..alias("Kind")
        });
        let clash = check_document_names(&doc).unwrap_err();
        assert_eq!(
            clash.to_string(),
            "type `Kind` has two items named `Unknown`"
        );
        doc.types.pop();
        doc.types.push(alias("Page"));
        let clash = check_document_names(&doc).unwrap_err();
        assert_eq!(clash.to_string(), "document `t` has two items named `Page`");
    }

    #[test]
    fn two_keys_named_alike_in_overrides_is_an_error_naming_both() {
        use HttpMethod::*;
        let endpoints = [
            endpoint(Get, "/crm/a/2026-09-beta", "x/one.json"),
            endpoint(Get, "/crm/b/2026-09-beta", "x/two.json"),
        ];
        let named = overrides(
            "[endpoints.\"GET /crm/a\"]\nname = \"same\"\n[endpoints.\"GET /crm/b\"]\nname = \"same\"\n",
        );
        let clash = assign_operation_names(&endpoints, &named, &Default::default()).unwrap_err();
        assert_eq!(clash.name, "same");
        assert_eq!(
            (clash.first.key(), clash.second.key()),
            ("GET /crm/a".into(), "GET /crm/b".into())
        );
        assert!(clash.both_explicit);
    }
}
