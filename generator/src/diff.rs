//! An API changelog between two versions, computed from the IR (not from the
//! documents' text): documents are paired by module, operations by endpoint
//! key, types by name. Every change is marked breaking or not for a Rust
//! caller of the generated crate:
//!
//! - breaking: a removed operation, type, field, enum value, union variant or
//!   parameter; an added required field (`new(..)` takes it) or required
//!   parameter; the first query/header parameter of an operation (the method
//!   gains a `params` argument); a changed type, `T` ↔ `Option<T>`, request
//!   body or set of success responses (the method returns the one response's
//!   type, or a `<Name>Response` enum for several); required fields
//!   reordered (`new(..)` takes them in order).
//! - non-breaking: added operations and types; added optional fields (structs
//!   are `#[non_exhaustive]` with setters); added enum values (enums are open
//!   and `#[non_exhaustive]`); added union variants (unions are
//!   `#[non_exhaustive]`, and such a value used to arrive in `Other`); added
//!   optional parameters to an existing params
//!   struct; deprecation, batch limits, rate-limit exemption.
//! - non-breaking but listed, because what a call does changes while the
//!   code still compiles: when a call may be retried (`RetrySafety`), how a
//!   split batch call's answers merge (`BatchMerge`), how a query parameter
//!   is spelled (`QueryStyle`), what an undocumented 2xx status reads as,
//!   how a field decodes when missing or `null` (same Rust type), and which
//!   lists keep undecodable entries in `undecoded` (breaking only when the
//!   struct loses its `undecoded` field).
//!
//! Types are shown as the generated crate spells them, printed by emit's own
//! functions (`emit::field_type`, `emit::rust_type`, …) through
//! `emit::type_text`: a changelog never names a type the crate does not have.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::emit::{field_type, response_body_type, rust_type, type_text, variant_type};
use crate::ir::{
    ApiVersion, Batch, BatchMerge, Body, BodyKind, Document, Field, Operation, Param,
    ParamLocation, ResponseBody, RetrySafety, Type, TypeDef, TypeKind,
};

/// Everything that changed from one version to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changelog {
    /// Version label (folder name) moved from, e.g. `2026-03`.
    pub from: String,
    /// Version label moved to, e.g. `2026-09`.
    pub to: String,
    /// Documents with at least one change, by module name.
    pub documents: Vec<DocumentChanges>,
}

/// The changes within one document (module).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentChanges {
    /// Module name of the document (`associations_schema`).
    pub module: String,
    /// The document's `info.title` (the newer one's when both exist).
    pub title: String,
    /// Sorted by method name.
    pub operations: Vec<Entry>,
    /// Sorted by type name.
    pub types: Vec<Entry>,
}

/// One operation or type that was added, removed or changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Method name (operations) or type name (types).
    pub name: String,
    /// `POST /crm/…` for operations; `struct`, `enum`, `union` or `alias` for types.
    pub context: String,
    /// Added, removed, or changed in what way.
    pub change: Change,
}

/// What happened to an operation or type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// New in the later version (never breaking).
    Added,
    /// Gone from the later version (always breaking).
    Removed,
    /// Present in both, with these differences.
    Changed(Vec<Detail>),
}

/// One difference in a changed operation or type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detail {
    /// Breaks a Rust caller of the generated crate (see the module docs).
    pub breaking: bool,
    /// Markdown; names and types are code spans.
    pub text: String,
}

impl Entry {
    /// Removed, or changed in a way that breaks callers.
    pub fn breaking(&self) -> bool {
        match &self.change {
            Change::Added => false,
            Change::Removed => true,
            Change::Changed(details) => details.iter().any(|d| d.breaking),
        }
    }
}

impl Change {
    fn verb(&self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed(_) => "changed",
        }
    }
}

impl Changelog {
    fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.documents
            .iter()
            .flat_map(|d| d.operations.iter().chain(&d.types))
    }

    /// Operations and types whose change breaks callers.
    pub fn breaking(&self) -> usize {
        self.entries().filter(|e| e.breaking()).count()
    }

    /// Operations and types added, or changed without breaking callers.
    pub fn non_breaking(&self) -> usize {
        self.entries().filter(|e| !e.breaking()).count()
    }

    /// No document changed.
    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }
}

/// Compares the documents of two versions.
pub fn changelog(from: &str, old: &[Document], to: &str, new: &[Document]) -> Changelog {
    let modules: BTreeSet<&str> = old.iter().chain(new).map(|d| d.module.as_str()).collect();
    let documents = modules
        .into_iter()
        .filter_map(|module| {
            let a = old.iter().find(|d| d.module == module);
            let b = new.iter().find(|d| d.module == module);
            let changes = DocumentChanges {
                module: module.to_owned(),
                title: b.or(a).map(|d| d.title.clone()).unwrap_or_default(),
                operations: operations(
                    a.map_or(&[], |d| &d.operations),
                    b.map_or(&[], |d| &d.operations),
                ),
                types: types(a.map_or(&[], |d| &d.types), b.map_or(&[], |d| &d.types)),
            };
            (!changes.operations.is_empty() || !changes.types.is_empty()).then_some(changes)
        })
        .collect();
    Changelog {
        from: from.to_owned(),
        to: to.to_owned(),
        documents,
    }
}

/// The changes along a list of versions: what the project puts at the top
/// of each version module's docs and in the crate's `CHANGELOG.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    /// One per version, in the order given: a short summary of its changes
    /// from the previous version (`None` for the first).
    pub notes: Vec<Option<String>>,
    /// The crate's `CHANGELOG.md`, newest version first.
    pub markdown: String,
}

/// Compares each version with the one before (`versions` in order, oldest
/// first).
pub fn history(versions: &[ApiVersion]) -> History {
    let mut sections = Vec::new();
    let mut notes = Vec::with_capacity(versions.len());
    if let Some(first) = versions.first() {
        sections.push(format!(
            "## {}\n\nThe first version in this crate.\n",
            code(&first.label)
        ));
        notes.push(None);
    }
    for pair in versions.windows(2) {
        let (old, new) = (&pair[0], &pair[1]);
        let log = changelog(&old.label, &old.documents, &new.label, &new.documents);
        notes.push(Some(render_summary(&log)));
        sections.push(render_markdown(&log));
    }
    sections.reverse();
    let markdown = format!(
        "<!-- @generated by `cargo xtask codegen`. Do not edit. -->\n\
         # Changelog\n\n\
         What changes for a Rust caller moving from one API version module to the next, newest \
         first, computed from HubSpot's OpenAPI documents (`cargo xtask diff <old> <new>` \
         compares any two). **breaking**: code written against the previous module may stop \
         compiling (a removed method, type, field or enum value, a new required argument, a \
         different return type); non-breaking: additions existing code does not notice.\n\n{}",
        sections.join("\n")
    );
    History { notes, markdown }
}

// ---- operations ----

fn operations(old: &[Operation], new: &[Operation]) -> Vec<Entry> {
    let old_by: BTreeMap<&str, &Operation> = old.iter().map(|o| (o.endpoint.as_str(), o)).collect();
    let new_by: BTreeMap<&str, &Operation> = new.iter().map(|o| (o.endpoint.as_str(), o)).collect();
    let mut entries = Vec::new();
    for (key, a) in &old_by {
        let Some(b) = new_by.get(key) else {
            entries.push(op_entry(a, Change::Removed));
            continue;
        };
        let details = operation_details(a, b);
        if !details.is_empty() {
            entries.push(op_entry(b, Change::Changed(details)));
        }
    }
    for (key, b) in &new_by {
        if !old_by.contains_key(key) {
            entries.push(op_entry(b, Change::Added));
        }
    }
    sort(&mut entries);
    entries
}

fn op_entry(op: &Operation, change: Change) -> Entry {
    Entry {
        name: op.name.clone(),
        context: format!("{} {}", op.method.as_str(), op.path),
        change,
    }
}

#[derive(Default)]
struct Details(Vec<Detail>);

impl Details {
    fn breaking(&mut self, text: String) {
        self.0.push(Detail {
            breaking: true,
            text,
        });
    }

    fn compatible(&mut self, text: String) {
        self.0.push(Detail {
            breaking: false,
            text,
        });
    }
}

fn operation_details(a: &Operation, b: &Operation) -> Vec<Detail> {
    let mut d = Details::default();
    if a.name != b.name {
        d.breaking(format!(
            "method renamed {} → {}",
            code(&a.name),
            code(&b.name)
        ));
    }
    if a.path_params.len() != b.path_params.len() {
        d.breaking(format!(
            "path parameters {} → {}",
            names(&a.path_params),
            names(&b.path_params)
        ));
    } else {
        for (pa, pb) in a.path_params.iter().zip(&b.path_params) {
            if pa.ty != pb.ty {
                d.breaking(format!(
                    "path parameter {}: {} → {}",
                    code(&pb.wire_name),
                    code(&value_type(&pa.ty)),
                    code(&value_type(&pb.ty))
                ));
            } else if pa.wire_name != pb.wire_name {
                d.compatible(format!(
                    "path parameter {} renamed {} (same position)",
                    code(&pa.wire_name),
                    code(&pb.wire_name)
                ));
            }
        }
    }
    let had_params = !a.query_params.is_empty() || !a.header_params.is_empty();
    if let (Some(x), Some(y)) = (&a.params_type, &b.params_type)
        && x != y
    {
        d.breaking(format!("parameters struct {} → {}", code(x), code(y)));
    }
    params(
        "query",
        &a.query_params,
        &b.query_params,
        had_params,
        &mut d,
    );
    params(
        "header",
        &a.header_params,
        &b.header_params,
        had_params,
        &mut d,
    );
    body(a.body.as_ref(), b.body.as_ref(), &mut d);
    responses(a, b, &mut d);
    if a.deprecated != b.deprecated {
        d.compatible(if b.deprecated {
            "now deprecated".to_owned()
        } else {
            "no longer deprecated".to_owned()
        });
    }
    batch(a, b, &mut d);
    match (&a.paging, &b.paging) {
        (Some(_), None) => d.breaking("no longer paged by a cursor (no paging stream)".to_owned()),
        (None, Some(_)) => d.compatible("now paged by a cursor".to_owned()),
        (Some(x), Some(y)) if x.item != y.item => d.breaking(format!(
            "paged item {} → {}",
            code(&value_type(&x.item)),
            code(&value_type(&y.item))
        )),
        _ => {}
    }
    if a.retry != b.retry {
        d.compatible(format!(
            "retries: {} → {}",
            retry_rule(a.retry),
            retry_rule(b.retry)
        ));
    }
    if a.undocumented_2xx_as != b.undocumented_2xx_as && same_statuses(a, b) {
        let reads = |status: Option<u16>| {
            status.map_or("an error".to_owned(), |s| {
                format!("the documented {}", code(&s.to_string()))
            })
        };
        d.compatible(format!(
            "a 2xx status the document does not list reads as {}, not {}",
            reads(b.undocumented_2xx_as),
            reads(a.undocumented_2xx_as)
        ));
    }
    if a.rate_class != b.rate_class {
        d.compatible(format!(
            "rate budget {:?} → {:?}",
            a.rate_class, b.rate_class
        ));
    }
    if a.rate_limit_exempt != b.rate_limit_exempt {
        d.compatible(if b.rate_limit_exempt {
            "now exempt from the ten-secondly rate limit".to_owned()
        } else {
            "no longer exempt from the ten-secondly rate limit".to_owned()
        });
    }
    d.0
}

fn batch(a: &Operation, b: &Operation, d: &mut Details) {
    let limit = |x: &Option<Batch>| {
        x.as_ref()
            .map_or("none".to_owned(), |x| x.limit.to_string())
    };
    if a.batch.as_ref().map(|x| x.limit) != b.batch.as_ref().map(|x| x.limit) {
        d.compatible(format!(
            "batch limit {} → {}",
            limit(&a.batch),
            limit(&b.batch)
        ));
    }
    if let (Some(x), Some(y)) = (&a.batch, &b.batch)
        && x.merge != y.merge
        && same_statuses(a, b)
    {
        d.compatible(format!(
            "split batch answers merge {}, not {}",
            merge_rule(y.merge),
            merge_rule(x.merge)
        ));
    }
    // The `_all` method that follows the per-input cursors, named in lowering.
    match (&a.derived.all, &b.derived.all) {
        (Some(all), None) => d.breaking(format!(
            "results no longer carry per-input cursors: {} is gone",
            code(all)
        )),
        (None, Some(all)) => d.compatible(format!(
            "results carry per-input cursors: adds {}",
            code(all)
        )),
        _ => {}
    }
}

/// The same success statuses: otherwise the (breaking) change of the
/// responses already says what follows from it (how batch answers merge,
/// what an undocumented 2xx reads as).
fn same_statuses(a: &Operation, b: &Operation) -> bool {
    a.responses
        .iter()
        .map(|r| r.status)
        .eq(b.responses.iter().map(|r| r.status))
}

/// When a call is sent again, for the changelog.
fn retry_rule(retry: RetrySafety) -> &'static str {
    match retry {
        RetrySafety::IdempotentMethod => "repeated after a timeout or 5xx (idempotent method)",
        RetrySafety::ReadOnlyPost => "repeated after a timeout or 5xx (read-only POST)",
        RetrySafety::OnlyIfUnsent => "repeated only when never sent, or after a 429",
    }
}

/// How a split batch call's answers become one, for the changelog.
fn merge_rule(merge: BatchMerge) -> String {
    match merge {
        BatchMerge::MultiStatus { ok } => format!(
            "into {} when every chunk succeeded, else `207` with the failed chunks in `errors`",
            code(&ok.to_string())
        ),
        BatchMerge::ErrorsList { ok } => format!(
            "into {} with the failed chunks in `errors`",
            code(&ok.to_string())
        ),
        BatchMerge::AllOrError { ok, .. } => format!(
            "into {} when every chunk succeeded, else an error naming the inputs done",
            code(&ok.to_string())
        ),
    }
}

/// The owned Rust type of a parameter, body, paged item or alias target
/// (whether a parameter or body is required is said apart).
fn value_type(ty: &Type) -> String {
    type_text(&rust_type(ty))
}

fn names(params: &[Param]) -> String {
    let list: Vec<String> = params.iter().map(|p| code(&p.wire_name)).collect();
    format!("({})", list.join(", "))
}

fn params(kind: &str, old: &[Param], new: &[Param], had_params: bool, d: &mut Details) {
    for pa in old {
        let Some(pb) = new.iter().find(|p| p.wire_name == pa.wire_name) else {
            d.breaking(format!("removed {kind} parameter {}", code(&pa.wire_name)));
            continue;
        };
        let wire = code(&pb.wire_name);
        if pa.name != pb.name {
            d.breaking(format!(
                "{kind} parameter {wire}: field {} → {}",
                code(&pa.name),
                code(&pb.name)
            ));
        }
        if pa.ty != pb.ty {
            d.breaking(format!(
                "{kind} parameter {wire}: {} → {}",
                code(&value_type(&pa.ty)),
                code(&value_type(&pb.ty))
            ));
        }
        if pa.required != pb.required {
            d.breaking(format!(
                "{kind} parameter {wire} is now {}",
                if pb.required { "required" } else { "optional" }
            ));
        }
        if let (ParamLocation::Query(x), ParamLocation::Query(y)) = (pa.location, pb.location)
            && x != y
        {
            d.compatible(format!(
                "{kind} parameter {wire} is written {}, not {}",
                y.as_str(),
                x.as_str()
            ));
        }
    }
    for pb in new
        .iter()
        .filter(|p| !old.iter().any(|o| o.wire_name == p.wire_name))
    {
        let what = format!(
            "{kind} parameter {}: {}",
            code(&pb.wire_name),
            code(&value_type(&pb.ty))
        );
        if pb.required {
            d.breaking(format!("added required {what} (`new(..)` takes it)"));
        } else if !had_params {
            d.breaking(format!(
                "added optional {what}; the method gains a `params` argument"
            ));
        } else {
            d.compatible(format!("added optional {what}"));
        }
    }
}

fn body_kind(kind: &BodyKind) -> String {
    match kind {
        BodyKind::Json(ty) => code(&value_type(ty)),
        BodyKind::Form(ty) => format!("{} (form)", code(&value_type(ty))),
        BodyKind::Multipart => "multipart".to_owned(),
        BodyKind::Bytes => "raw bytes".to_owned(),
    }
}

fn body(a: Option<&Body>, b: Option<&Body>, d: &mut Details) {
    match (a, b) {
        (None, None) => {}
        (None, Some(b)) => d.breaking(format!("request body added: {}", body_kind(&b.kind))),
        (Some(a), None) => d.breaking(format!("request body removed: {}", body_kind(&a.kind))),
        (Some(a), Some(b)) => {
            if a.kind != b.kind {
                d.breaking(format!(
                    "request body {} → {}",
                    body_kind(&a.kind),
                    body_kind(&b.kind)
                ));
            }
            if a.required != b.required {
                d.breaking(format!(
                    "request body is now {}",
                    if b.required { "required" } else { "optional" }
                ));
            }
            if a.content_type != b.content_type && a.kind == b.kind {
                d.compatible(format!(
                    "request content type {} → {}",
                    code(&a.content_type),
                    code(&b.content_type)
                ));
            }
        }
    }
}

fn response_body(body: &ResponseBody) -> String {
    type_text(&response_body_type(body))
}

/// `201 Foo`, `207 FooWithErrors`
fn response_list(op: &Operation) -> String {
    let list: Vec<String> = op
        .responses
        .iter()
        .map(|r| match &r.body {
            ResponseBody::Empty => code(&r.status.to_string()),
            body => code(&format!("{} {}", r.status, response_body(body))),
        })
        .collect();
    if list.is_empty() {
        "none".to_owned()
    } else {
        list.join(", ")
    }
}

/// What the generated method returns (inside `Result`).
fn return_type(op: &Operation) -> String {
    match (&op.response_enum, op.single_response()) {
        (Some(name), _) => name.clone(),
        (None, Some(single)) => response_body(&single.body),
        (None, None) => "()".to_owned(),
    }
}

fn responses(a: &Operation, b: &Operation, d: &mut Details) {
    let statuses = |op: &Operation| op.responses.iter().map(|r| r.status).collect::<Vec<_>>();
    if statuses(a) != statuses(b) {
        let (ra, rb) = (return_type(a), return_type(b));
        let returns = if ra == rb {
            format!("the variants of {} change", code(&rb))
        } else {
            format!("returns {}, not {}", code(&rb), code(&ra))
        };
        d.breaking(format!(
            "success responses {} → {}; {returns}",
            response_list(a),
            response_list(b)
        ));
        return;
    }
    if b.responses.len() > 1 && a.response_enum != b.response_enum {
        d.breaking(format!(
            "response enum {} → {}",
            code(&return_type(a)),
            code(&return_type(b))
        ));
    }
    for (ra, rb) in a.responses.iter().zip(&b.responses) {
        if ra.body != rb.body {
            d.breaking(format!(
                "response {}: {} → {}",
                code(&rb.status.to_string()),
                code(&response_body(&ra.body)),
                code(&response_body(&rb.body))
            ));
        } else if ra.variant != rb.variant && b.responses.len() > 1 {
            d.breaking(format!(
                "response {}: variant {} → {}",
                code(&rb.status.to_string()),
                code(&ra.variant),
                code(&rb.variant)
            ));
        }
    }
}

// ---- types ----

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::Enum(_) => "enum",
        TypeKind::Union { .. } => "union",
        TypeKind::Alias(_) => "alias",
    }
}

fn types(old: &[TypeDef], new: &[TypeDef]) -> Vec<Entry> {
    let old_by: BTreeMap<&str, &TypeDef> = old.iter().map(|t| (t.name.as_str(), t)).collect();
    let new_by: BTreeMap<&str, &TypeDef> = new.iter().map(|t| (t.name.as_str(), t)).collect();
    let entry = |t: &TypeDef, change| Entry {
        name: t.name.clone(),
        context: kind_name(&t.kind).to_owned(),
        change,
    };
    let mut entries = Vec::new();
    for (name, a) in &old_by {
        let Some(b) = new_by.get(name) else {
            entries.push(entry(a, Change::Removed));
            continue;
        };
        let details = type_details(a, b);
        if !details.is_empty() {
            entries.push(entry(b, Change::Changed(details)));
        }
    }
    for (name, b) in &new_by {
        if !old_by.contains_key(name) {
            entries.push(entry(b, Change::Added));
        }
    }
    sort(&mut entries);
    entries
}

fn type_details(a: &TypeDef, b: &TypeDef) -> Vec<Detail> {
    let mut d = Details::default();
    match (&a.kind, &b.kind) {
        (TypeKind::Struct(fa), TypeKind::Struct(fb)) => fields(fa, fb, &mut d),
        (TypeKind::Enum(va), TypeKind::Enum(vb)) => {
            for x in va {
                match vb.iter().find(|y| y.value == x.value) {
                    None => d.breaking(format!("removed value {}", code(&x.value))),
                    Some(y) if y.name != x.name => d.breaking(format!(
                        "value {}: variant {} → {}",
                        code(&x.value),
                        code(&x.name),
                        code(&y.name)
                    )),
                    Some(_) => {}
                }
            }
            for y in vb.iter().filter(|y| !va.iter().any(|x| x.value == y.value)) {
                d.compatible(format!("added value {}", code(&y.value)));
            }
        }
        (
            TypeKind::Union {
                discriminator: da,
                variants: va,
            },
            TypeKind::Union {
                discriminator: db,
                variants: vb,
            },
        ) => {
            if da != db {
                let show = |x: &Option<String>| x.as_deref().map_or("none".to_owned(), code);
                d.breaking(format!("discriminator {} → {}", show(da), show(db)));
            }
            for x in va {
                match vb.iter().find(|y| y.name == x.name) {
                    None => d.breaking(format!("removed variant {}", code(&x.name))),
                    Some(y) if (&y.ty, y.boxed, &y.tag) != (&x.ty, x.boxed, &x.tag) => {
                        d.breaking(format!(
                            "variant {}: {} → {}",
                            code(&x.name),
                            code(&type_text(&variant_type(x))),
                            code(&type_text(&variant_type(y)))
                        ))
                    }
                    Some(_) => {}
                }
            }
            for y in vb.iter().filter(|y| !va.iter().any(|x| x.name == y.name)) {
                d.compatible(format!(
                    "added variant {}({}); such values used to arrive in `Other`",
                    code(&y.name),
                    code(&type_text(&variant_type(y)))
                ));
            }
        }
        (TypeKind::Alias(ta), TypeKind::Alias(tb)) => {
            if ta != tb {
                d.breaking(format!(
                    "{} → {}",
                    code(&value_type(ta)),
                    code(&value_type(tb))
                ));
            }
        }
        (ka, kb) => d.breaking(format!("was {}, now {}", kind_name(ka), kind_name(kb))),
    }
    if a.deprecated != b.deprecated {
        d.compatible(if b.deprecated {
            "now deprecated".to_owned()
        } else {
            "no longer deprecated".to_owned()
        });
    }
    d.0
}

/// `Option<T>` in Rust (not required, nullable, or `None` when missing by
/// the decoding policy).
fn optional(f: &Field) -> bool {
    f.decode.is_option()
}

/// A field's declared type, as the struct prints it (`Option`, `Box`).
fn declared_type(f: &Field) -> String {
    type_text(&field_type(f))
}

fn fields(old: &[Field], new: &[Field], d: &mut Details) {
    for fa in old {
        let Some(fb) = new.iter().find(|f| f.json_name == fa.json_name) else {
            d.breaking(format!("removed field {}", code(&fa.name)));
            continue;
        };
        let name = code(&fb.name);
        if fa.name != fb.name {
            d.breaking(format!("field {} renamed {name}", code(&fa.name)));
        }
        if (&fa.ty, fa.boxed, optional(fa)) != (&fb.ty, fb.boxed, optional(fb)) {
            let required = if optional(fa) == optional(fb) {
                String::new()
            } else if optional(fb) {
                " (now optional)".to_owned()
            } else {
                " (now required)".to_owned()
            };
            d.breaking(format!(
                "field {name}: {} → {}{required}",
                code(&declared_type(fa)),
                code(&declared_type(fb))
            ));
        } else if fa.required != fb.required {
            d.compatible(format!(
                "field {name} is now {} in JSON (nullable: still an `Option`)",
                if fb.required { "required" } else { "optional" }
            ));
        } else if fa.decode != fb.decode {
            d.compatible(format!(
                "field {name}: missing or `null` decodes {}, not {}",
                fb.decode.as_str(),
                fa.decode.as_str()
            ));
        }
        if fa.scalar != fb.scalar {
            d.compatible(format!(
                "field {name}: decodes {}, not {} (the `[[quirks]]` of `overrides.toml`)",
                fb.scalar.as_str(),
                fa.scalar.as_str()
            ));
        }
        if fa.keep_undecoded != fb.keep_undecoded {
            d.compatible(format!(
                "field {name}: entries that do not decode {}",
                if fb.keep_undecoded {
                    "are kept in `undecoded`, no longer failing the response"
                } else {
                    "fail the response, no longer kept in `undecoded`"
                }
            ));
        }
        if fa.deprecated != fb.deprecated {
            d.compatible(format!(
                "field {name} {}",
                if fb.deprecated {
                    "now deprecated"
                } else {
                    "no longer deprecated"
                }
            ));
        }
    }
    for fb in new
        .iter()
        .filter(|f| !old.iter().any(|o| o.json_name == f.json_name))
    {
        let what = format!("field {}: {}", code(&fb.name), code(&declared_type(fb)));
        if !fb.decode.in_constructor() {
            d.compatible(format!("added optional {what}"));
        } else {
            d.breaking(format!("added required {what} (`new(..)` takes it)"));
        }
    }
    let keeps = |fields: &[Field]| fields.iter().any(|f| f.keep_undecoded);
    if keeps(old) && !keeps(new) {
        d.breaking(format!(
            "removed field {} (no list keeps undecodable entries)",
            code(crate::naming::UNDECODED_FIELD)
        ));
    }
    // `new(..)` takes the required fields in order: a reorder swaps arguments.
    let stays_required = |f: &&Field| {
        let both: Vec<&Field> = old
            .iter()
            .chain(new)
            .filter(|g| g.json_name == f.json_name)
            .collect();
        both.len() == 2 && both.iter().all(|g| g.decode.in_constructor())
    };
    let ra: Vec<&Field> = old.iter().filter(stays_required).collect();
    let rb: Vec<&Field> = new.iter().filter(stays_required).collect();
    let json = |v: &[&Field]| v.iter().map(|f| f.json_name.clone()).collect::<Vec<_>>();
    if json(&ra) != json(&rb) {
        let list = |v: &[&Field]| {
            v.iter()
                .map(|f| code(&f.name))
                .collect::<Vec<_>>()
                .join(", ")
        };
        d.breaking(format!(
            "`new(..)` arguments reordered: {} → {}",
            list(&ra),
            list(&rb)
        ));
    }
}

fn sort(entries: &mut [Entry]) {
    let rank = |c: &Change| match c {
        Change::Removed => 0,
        Change::Changed(_) => 1,
        Change::Added => 2,
    };
    entries.sort_by(|a, b| {
        (&a.name, &a.context, rank(&a.change)).cmp(&(&b.name, &b.context, rank(&b.change)))
    });
}

// ---- Markdown ----

/// A code span (names, types, paths are shown verbatim and never read as links).
fn code(text: &str) -> String {
    let ticks = if text.contains('`') { "``" } else { "`" };
    format!("{ticks}{text}{ticks}")
}

/// Document prose kept out of Markdown and rustdoc markup.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn mark(breaking: bool) -> &'static str {
    if breaking {
        "**breaking**"
    } else {
        "non-breaking"
    }
}

fn counts(log: &Changelog) -> String {
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let (b, n) = (log.breaking(), log.non_breaking());
    format!(
        "{b} breaking change{}, {n} non-breaking change{}",
        plural(b),
        plural(n)
    )
}

fn entry_head(entry: &Entry, operation: bool) -> String {
    let verb = entry.change.verb();
    if operation {
        format!("{verb} {} ({})", code(&entry.name), code(&entry.context))
    } else {
        format!("{verb} {} {}", entry.context, code(&entry.name))
    }
}

/// The full changelog: a `##` section, one `###` per changed document, every
/// change on its own line.
pub fn render_markdown(log: &Changelog) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## {} → {}\n", code(&log.from), code(&log.to));
    if log.is_empty() {
        out.push_str("No API changes.\n");
        return out;
    }
    let _ = writeln!(out, "{}.\n", counts(log));
    for doc in &log.documents {
        let _ = writeln!(out, "### {} ({})\n", code(&doc.module), escape(&doc.title));
        for (label, entries, operation) in [
            ("Operations", &doc.operations, true),
            ("Types", &doc.types, false),
        ] {
            if entries.is_empty() {
                continue;
            }
            let _ = writeln!(out, "{label}:\n");
            for entry in entries {
                let head = entry_head(entry, operation);
                match &entry.change {
                    Change::Changed(details) => {
                        let _ = writeln!(out, "- {} {head}:", mark(entry.breaking()));
                        for detail in details {
                            let _ = writeln!(out, "  - {} {}", mark(detail.breaking), detail.text);
                        }
                    }
                    _ => {
                        let _ = writeln!(out, "- {} {head}", mark(entry.breaking()));
                    }
                }
            }
            out.push('\n');
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// A short version for the top of a version module's rustdoc: one line per
/// operation change, types grouped by what happened to them.
pub fn render_summary(log: &Changelog) -> String {
    let mut out = format!("**Changes from {}:** ", code(&log.from));
    if log.is_empty() {
        out.push_str("none in the API (descriptions and operation ids may differ).");
        return out;
    }
    let _ = writeln!(out, "{}; `CHANGELOG.md` lists each one.\n", counts(log));
    for doc in &log.documents {
        for entry in &doc.operations {
            let line = match &entry.change {
                Change::Changed(details) => {
                    let shown: Vec<&str> = details
                        .iter()
                        .filter(|d| d.breaking == entry.breaking())
                        .map(|d| d.text.as_str())
                        .collect();
                    format!("{}: {}", code(&entry.name), shown.join("; "))
                }
                _ => entry_head(entry, true),
            };
            let _ = writeln!(out, "- {} {line}", mark(entry.breaking()));
        }
    }
    let groups = [
        ("removed", true),
        ("changed", true),
        ("changed", false),
        ("added", false),
    ];
    for (verb, breaking) in groups {
        let names: Vec<String> = log
            .documents
            .iter()
            .flat_map(|doc| {
                doc.types
                    .iter()
                    .filter(|e| e.change.verb() == verb && e.breaking() == breaking)
                    .map(|e| code(&format!("{}::{}", doc.module, e.name)))
            })
            .collect();
        if !names.is_empty() {
            let _ = writeln!(
                out,
                "- {} types {verb}: {}",
                mark(breaking),
                names.join(", ")
            );
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// One test per kind of change the changelog tells apart, on tiny lowered
/// documents: each line is `breaking`/`compatible`, the entry, and the detail.
#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;
    use crate::lower::test_support::{dedent, lower_yaml};

    /// Component schemas every document has, for bodies and responses.
    const SHARED: &str = "
        A: {type: object, properties: {a: {type: string}}}
        B: {type: object, properties: {b: {type: string}}}
    ";

    fn indent(text: &str, by: usize) -> String {
        dedent(text)
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| format!("{:by$}{l}\n", ""))
            .collect()
    }

    /// A document of `paths` (YAML under `paths:`) and `schemas` (under
    /// `components.schemas:`, besides [`SHARED`]).
    fn document(paths: &str, schemas: &str) -> Document {
        let paths = if paths.trim().is_empty() {
            "paths: {}\n".to_owned()
        } else {
            format!("paths:\n{}", indent(paths, 2))
        };
        let schemas = indent(SHARED, 4) + &indent(schemas, 4);
        lower_yaml(&format!("{paths}components:\n  schemas:\n{schemas}"))
    }

    fn log(old: &Document, new: &Document) -> Changelog {
        changelog(
            "old",
            std::slice::from_ref(old),
            "new",
            std::slice::from_ref(new),
        )
    }

    /// One line per added or removed entry and per detail of a changed one.
    fn lines(log: &Changelog) -> String {
        let mark = |breaking| if breaking { "breaking" } else { "compatible" };
        let mut out = String::new();
        for doc in &log.documents {
            for e in doc.operations.iter().chain(&doc.types) {
                match &e.change {
                    Change::Changed(details) => {
                        for d in details {
                            let _ = writeln!(out, "{} {}: {}", mark(d.breaking), e.name, d.text);
                        }
                    }
                    change => {
                        let _ = writeln!(
                            out,
                            "{} {} {} ({})",
                            mark(e.breaking()),
                            change.verb(),
                            e.name,
                            e.context
                        );
                    }
                }
            }
        }
        out
    }

    fn types_changes(old: &str, new: &str) -> String {
        lines(&log(&document("", old), &document("", new)))
    }

    fn operation_changes(old: &str, new: &str) -> String {
        lines(&log(&document(old, ""), &document(new, "")))
    }

    // ---- operations ----

    #[test]
    fn operations_added_and_removed() {
        let changes = operation_changes(
            "
            /old: {get: {responses: {'204': {description: ok}}}}
            /kept: {get: {responses: {'204': {description: ok}}}}
            ",
            "
            /kept: {get: {responses: {'204': {description: ok}}}}
            /new: {delete: {responses: {'204': {description: ok}}}}
            ",
        );
        insta::assert_snapshot!(changes, @r"
            compatible added delete_new (DELETE /new)
            breaking removed list_old (GET /old)
        ");
    }

    #[test]
    fn a_method_renamed_for_the_same_endpoint_breaks() {
        let old = document("/x: {get: {responses: {'204': {description: ok}}}}", "");
        let mut new = old.clone();
        new.operations[0].name = "fetch_x".to_owned();
        insta::assert_snapshot!(lines(&log(&old, &new)), @"breaking fetch_x: method renamed `list_x` → `fetch_x`");
    }

    #[test]
    fn path_parameters_renamed_or_retyped() {
        let changes = operation_changes(
            "
            /a/{id}:
              get:
                parameters: [{name: id, in: path, required: true, schema: {type: string}}]
                responses: {'204': {description: ok}}
            /b/{id}:
              get:
                parameters: [{name: id, in: path, required: true, schema: {type: string}}]
                responses: {'204': {description: ok}}
            ",
            "
            /a/{key}:
              get:
                parameters: [{name: key, in: path, required: true, schema: {type: string}}]
                responses: {'204': {description: ok}}
            /b/{id}:
              get:
                parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
                responses: {'204': {description: ok}}
            ",
        );
        insta::assert_snapshot!(changes, @r"
            compatible get_a: path parameter `id` renamed `key` (same position)
            breaking get_b: path parameter `id`: `String` → `i64`
        ");
    }

    #[test]
    fn query_parameters_added_removed_retyped_and_required() {
        let changes = operation_changes(
            "
            /params:
              get:
                parameters:
                  - {name: limit, in: query, schema: {type: integer}}
                  - {name: gone, in: query, schema: {type: string}}
                  - {name: count, in: query, schema: {type: string}}
                responses: {'204': {description: ok}}
            /none:
              get:
                responses: {'204': {description: ok}}
            /strict:
              get:
                responses: {'204': {description: ok}}
            ",
            "
            /params:
              get:
                parameters:
                  - {name: limit, in: query, required: true, schema: {type: integer}}
                  - {name: count, in: query, schema: {type: integer}}
                  - {name: archived, in: query, schema: {type: boolean}}
                responses: {'204': {description: ok}}
            /none:
              get:
                parameters: [{name: archived, in: query, schema: {type: boolean}}]
                responses: {'204': {description: ok}}
            /strict:
              get:
                parameters: [{name: archived, in: query, required: true, schema: {type: boolean}}]
                responses: {'204': {description: ok}}
            ",
        );
        insta::assert_snapshot!(changes, @r"
            breaking list_none: added optional query parameter `archived`: `bool`; the method gains a `params` argument
            breaking list_params: query parameter `limit` is now required
            breaking list_params: removed query parameter `gone`
            breaking list_params: query parameter `count`: `String` → `i64`
            compatible list_params: added optional query parameter `archived`: `bool`
            breaking list_strict: added required query parameter `archived`: `bool` (`new(..)` takes it)
        ");
    }

    #[test]
    fn header_parameters_are_named_as_headers() {
        let changes = operation_changes(
            "
            /h:
              get:
                parameters: [{name: X-Old, in: header, schema: {type: string}}]
                responses: {'204': {description: ok}}
            ",
            "
            /h:
              get:
                parameters: [{name: X-New, in: header, schema: {type: string}}]
                responses: {'204': {description: ok}}
            ",
        );
        insta::assert_snapshot!(changes, @r"
            breaking list_h: removed header parameter `X-Old`
            compatible list_h: added optional header parameter `X-New`: `String`
        ");
    }

    #[test]
    fn request_bodies_added_removed_and_changed() {
        let json = |schema: &str| {
            format!(
                "requestBody: {{required: true, content: {{application/json: {{schema: {{$ref: '#/components/schemas/{schema}'}}}}}}}}"
            )
        };
        let op = |path: &str, body: &str| {
            format!("{path}: {{post: {{{body}, responses: {{'204': {{description: ok}}}}}}}}\n")
        };
        let old = document(
            &[
                op("/added", "summary: none"),
                op("/removed", &json("A")),
                op("/retyped", &json("A")),
                op("/optional", &json("A")),
            ]
            .concat(),
            "",
        );
        let new = document(
            &[
                op("/added", &json("A")),
                op("/removed", "summary: none"),
                op("/retyped", &json("B")),
                op(
                    "/optional",
                    &json("A").replace("required: true", "required: false"),
                ),
            ]
            .concat(),
            "",
        );
        insta::assert_snapshot!(lines(&log(&old, &new)), @r"
            breaking create_added: request body added: `A`
            breaking create_optional: request body is now optional
            breaking create_removed: request body removed: `A`
            breaking create_retyped: request body `A` → `B`
        ");
    }

    #[test]
    fn success_responses_statuses_bodies_and_enum() {
        let response = |status: u16, schema: &str| {
            format!(
                "'{status}': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/{schema}'}}}}}}}}"
            )
        };
        let op = |path: &str, responses: &[String]| {
            format!(
                "{path}: {{get: {{responses: {{{}}}}}}}\n",
                responses.join(", ")
            )
        };
        let old = document(
            &[
                op("/statuses", &[response(200, "A")]),
                op("/body", &[response(200, "A")]),
                op("/enum", &[response(200, "A"), response(207, "B")]),
            ]
            .concat(),
            "",
        );
        let mut new = document(
            &[
                op("/statuses", &[response(201, "A"), response(207, "B")]),
                op("/body", &[response(200, "B")]),
                op("/enum", &[response(200, "A"), response(207, "B")]),
            ]
            .concat(),
            "",
        );
        let renamed = new
            .operations
            .iter_mut()
            .find(|o| o.path == "/enum")
            .unwrap();
        renamed.response_enum = Some("Renamed".to_owned());
        insta::assert_snapshot!(lines(&log(&old, &new)), @r"
            breaking list_body: response `200`: `A` → `B`
            breaking list_enum: response enum `ListEnumResponse` → `Renamed`
            breaking list_statuses: success responses `200 A` → `201 A`, `207 B`; returns `ListStatusesResponse`, not `A`
        ");
    }

    #[test]
    fn deprecation_and_rate_limits_are_compatible() {
        let old = document("/x: {get: {responses: {'204': {description: ok}}}}", "");
        let mut new = document(
            "
            /x:
              get:
                deprecated: true
                x-hubspot-rate-limit-exemptions: [ten-secondly]
                responses: {'204': {description: ok}}
            ",
            "",
        );
        new.operations[0].rate_class = crate::ir::RateLimitClass::Search;
        insta::assert_snapshot!(lines(&log(&old, &new)), @r"
            compatible list_x: now deprecated
            compatible list_x: rate budget Standard → Search
            compatible list_x: now exempt from the ten-secondly rate limit
        ");
    }

    #[test]
    fn batch_limits_and_per_input_cursors() {
        let paths = "
            /batch/read:
              post:
                requestBody:
                  required: true
                  content: {application/json: {schema: {$ref: '#/components/schemas/Inputs'}}}
                responses:
                  '200':
                    description: ok
                    content: {application/json: {schema: {$ref: '#/components/schemas/Results'}}}
            ";
        let inputs = "
            Inputs:
              type: object
              required: [inputs]
              properties:
                inputs: {type: array, items: {$ref: '#/components/schemas/Input'}}
            Input: {type: object, properties: {id: {type: string}, after: {type: string}}}
            ";
        let results = |item: &str| {
            format!(
                "
                Results:
                  type: object
                  properties:
                    results: {{type: array, items: {{$ref: '#/components/schemas/{item}'}}}}
                Plain: {{type: object, properties: {{id: {{type: string}}}}}}
                Linked:
                  type: object
                  properties:
                    from: {{type: string}}
                    to: {{type: string}}
                    paging: {{type: string}}
                "
            )
        };
        let types = |item: &str| dedent(inputs) + &dedent(&results(item));
        let mut plain = document(paths, &types("Plain"));
        let mut linked = document(paths, &types("Linked"));
        // The same types: only the operation differs.
        plain.types = linked.types.clone();
        linked.operations[0].batch.as_mut().unwrap().limit = 10;
        let on = lines(&log(&plain, &linked));
        let off = lines(&log(&linked, &plain));
        insta::assert_snapshot!(format!("{on}--\n{off}"), @r"
            compatible batch_read: batch limit 100 → 10
            compatible batch_read: results carry per-input cursors: adds `batch_read_all`
            --
            compatible batch_read: batch limit 10 → 100
            breaking batch_read: results no longer carry per-input cursors: `batch_read_all` is gone
        ");
    }

    #[test]
    fn cursor_paging_added_removed_and_retyped() {
        let paged = |item: &str| {
            format!(
                "
                /paged:
                  get:
                    parameters: [{{name: after, in: query, schema: {{type: string}}}}]
                    responses:
                      '200':
                        description: ok
                        content: {{application/json: {{schema: {{$ref: '#/components/schemas/Page{item}'}}}}}}
                "
            )
        };
        let page = |item: &str| {
            format!(
                "
                Page{item}:
                  type: object
                  required: [results]
                  properties:
                    results: {{type: array, items: {{$ref: '#/components/schemas/{item}'}}}}
                    paging:
                      type: object
                      properties:
                        next: {{type: object, properties: {{after: {{type: string}}}}}}
                "
            )
        };
        let unpaged = "
            /paged:
              get:
                parameters: [{name: after, in: query, schema: {type: string}}]
                responses:
                  '200':
                    description: ok
                    content: {application/json: {schema: {$ref: '#/components/schemas/A'}}}
            ";
        let types = format!("{}{}", page("A"), page("B"));
        let none = document(unpaged, &types);
        let a = document(&paged("A"), &types);
        let b = document(&paged("B"), &types);
        let text = [(&none, &a), (&a, &b), (&b, &none)]
            .map(|(x, y)| lines(&log(x, y)))
            .join("--\n");
        insta::assert_snapshot!(text, @r"
            breaking list_paged: response `200`: `A` → `PageA`
            compatible list_paged: now paged by a cursor
            compatible PageA: field `results`: missing or `null` decodes empty-if-missing, not strict
            --
            breaking list_paged: response `200`: `PageA` → `PageB`
            breaking list_paged: paged item `A` → `B`
            compatible PageA: field `results`: missing or `null` decodes strict, not empty-if-missing
            compatible PageB: field `results`: missing or `null` decodes empty-if-missing, not strict
            --
            breaking list_paged: response `200`: `PageB` → `A`
            breaking list_paged: no longer paged by a cursor (no paging stream)
            compatible PageB: field `results`: missing or `null` decodes strict, not empty-if-missing
        ");
    }

    // ---- types ----

    #[test]
    fn types_added_removed_and_of_another_kind() {
        let changes = types_changes(
            "
            Gone: {type: string}
            Shape: {type: object, properties: {x: {type: string}}}
            ",
            "
            Shape: {type: string}
            New: {type: string, enum: [a]}
            ",
        );
        insta::assert_snapshot!(changes, @r"
            breaking removed Gone (alias)
            compatible added New (enum)
            breaking Shape: was struct, now alias
        ");
    }

    #[test]
    fn struct_fields_added_removed_retyped_and_required() {
        let changes = types_changes(
            "
            S:
              type: object
              required: [keep, loosen, nullable]
              properties:
                keep: {type: string}
                loosen: {type: string}
                tighten: {type: string}
                nullable: {type: string}
                retype: {type: string}
                gone: {type: string}
                old: {type: string}
            ",
            "
            S:
              type: object
              required: [keep, tighten, nullable, must]
              properties:
                keep: {type: string}
                loosen: {type: string}
                tighten: {type: string}
                nullable: {type: string, nullable: true}
                retype: {type: integer}
                old: {type: string, deprecated: true}
                may: {type: string}
                must: {type: string}
            ",
        );
        insta::assert_snapshot!(changes, @r"
            breaking S: field `loosen`: `String` → `Option<String>` (now optional)
            breaking S: field `tighten`: `Option<String>` → `String` (now required)
            breaking S: field `nullable`: `String` → `Option<String>` (now optional)
            breaking S: field `retype`: `Option<String>` → `Option<i64>`
            breaking S: removed field `gone`
            compatible S: field `old` now deprecated
            compatible S: added optional field `may`: `Option<String>`
            breaking S: added required field `must`: `String` (`new(..)` takes it)
        ");
    }

    #[test]
    fn types_are_shown_as_the_generated_crate_spells_them() {
        let changes = types_changes(
            "
            S:
              type: object
              properties:
                at: {type: string}
                tags: {type: object, additionalProperties: {type: string}}
            ",
            "
            S:
              type: object
              properties:
                at: {type: string, format: date-time}
                tags: {type: object, additionalProperties: {type: array, items: {type: integer}}}
            ",
        );
        insta::assert_snapshot!(changes, @r"
            breaking S: field `at`: `Option<String>` → `Option<Timestamp>`
            breaking S: field `tags`: `Option<BTreeMap<String, String>>` → `Option<BTreeMap<String, Vec<i64>>>`
        ");
    }

    #[test]
    fn a_nullable_field_becoming_required_stays_an_option() {
        let changes = types_changes(
            "S: {type: object, properties: {x: {type: string, nullable: true}}}",
            "S: {type: object, required: [x], properties: {x: {type: string, nullable: true}}}",
        );
        insta::assert_snapshot!(changes, @"compatible S: field `x` is now required in JSON (nullable: still an `Option`)");
    }

    #[test]
    fn reordered_required_fields_reorder_the_constructor() {
        let changes = types_changes(
            "S: {type: object, required: [a, b], properties: {a: {type: string}, b: {type: string}}}",
            "S: {type: object, required: [a, b], properties: {b: {type: string}, a: {type: string}}}",
        );
        insta::assert_snapshot!(changes, @"breaking S: `new(..)` arguments reordered: `a`, `b` → `b`, `a`");
    }

    #[test]
    fn a_field_renamed_in_rust_for_the_same_property() {
        // A new `foo_bar` takes the name; `fooBar` becomes `foo_bar2`.
        let changes = types_changes(
            "S: {type: object, properties: {fooBar: {type: string}}}",
            "S: {type: object, properties: {foo_bar: {type: string}, fooBar: {type: string}}}",
        );
        insta::assert_snapshot!(changes, @r"
            breaking S: field `foo_bar` renamed `foo_bar2`
            compatible S: added optional field `foo_bar`: `Option<String>`
        ");
    }

    #[test]
    fn enum_values_added_removed_and_renamed() {
        let changes = types_changes(
            "E: {type: string, enum: [kept, gone, a-b]}",
            "E: {type: string, enum: [kept, a_b, a-b, new]}",
        );
        insta::assert_snapshot!(changes, @r"
            breaking E: removed value `gone`
            breaking E: value `a-b`: variant `AB` → `AB2`
            compatible E: added value `a_b`
            compatible E: added value `new`
        ");
    }

    #[test]
    fn union_variants_and_discriminator() {
        let changes = types_changes(
            "
            Untagged:
              oneOf:
                - $ref: '#/components/schemas/A'
                - {type: string}
            Tagged:
              oneOf:
                - $ref: '#/components/schemas/A'
                - $ref: '#/components/schemas/B'
              discriminator: {propertyName: kind}
            ",
            "
            Untagged:
              oneOf:
                - $ref: '#/components/schemas/B'
                - {type: string}
                - {type: integer}
            Tagged:
              oneOf:
                - $ref: '#/components/schemas/A'
                - $ref: '#/components/schemas/B'
              discriminator: {propertyName: type}
            ",
        );
        insta::assert_snapshot!(changes, @r"
            breaking Tagged: discriminator `kind` → `type`
            breaking Untagged: removed variant `A`
            compatible Untagged: added variant `B`(`B`); such values used to arrive in `Other`
            compatible Untagged: added variant `Integer`(`i64`); such values used to arrive in `Other`
        ");
    }

    #[test]
    fn alias_targets_and_type_deprecation() {
        let changes = types_changes(
            "
            Ids: {type: array, items: {type: string}}
            Old: {type: object, properties: {x: {type: string}}}
            ",
            "
            Ids: {type: array, items: {type: integer}}
            Old: {type: object, deprecated: true, properties: {x: {type: string}}}
            ",
        );
        insta::assert_snapshot!(changes, @r"
            breaking Ids: `Vec<String>` → `Vec<i64>`
            compatible Old: now deprecated
        ");
    }

    // ---- breaking or not, and the rendered text ----

    #[test]
    fn an_entry_breaks_when_any_of_its_details_does() {
        let old = document(
            "",
            "
            Mixed: {type: object, properties: {x: {type: string}}}
            Additive: {type: object, properties: {x: {type: string}}}
            ",
        );
        let new = document(
            "",
            "
            Mixed: {type: object, properties: {y: {type: string}}}
            Additive: {type: object, properties: {x: {type: string}, y: {type: string}}}
            Added: {type: string}
            ",
        );
        let log = log(&old, &new);
        let types = &log.documents[0].types;
        let breaking: Vec<(&str, bool)> = types
            .iter()
            .map(|e| (e.name.as_str(), e.breaking()))
            .collect();
        assert_eq!(
            breaking,
            [("Added", false), ("Additive", false), ("Mixed", true)]
        );
        assert_eq!((log.breaking(), log.non_breaking()), (1, 2));
        assert!(!log.is_empty());
        let same = std::slice::from_ref(&old);
        assert!(super::changelog("a", same, "b", same).is_empty());
    }

    #[test]
    fn markdown_and_summary_of_one_change_of_each_verb() {
        let old = document(
            "/x: {get: {responses: {'204': {description: ok}}}}",
            "Gone: {type: string}\nE: {type: string, enum: [a]}",
        );
        let new = document(
            "/y: {get: {responses: {'204': {description: ok}}}}",
            "New: {type: string}\nE: {type: string, enum: [a, b]}",
        );
        let log = log(&old, &new);
        insta::assert_snapshot!(render_markdown(&log), @r"
            ## `old` → `new`

            2 breaking changes, 3 non-breaking changes.

            ### `t` (T)

            Operations:

            - **breaking** removed `list_x` (`GET /x`)
            - non-breaking added `list_y` (`GET /y`)

            Types:

            - non-breaking changed enum `E`:
              - non-breaking added value `b`
            - **breaking** removed alias `Gone`
            - non-breaking added alias `New`
        ");
        insta::assert_snapshot!(render_summary(&log), @r"
            **Changes from `old`:** 2 breaking changes, 3 non-breaking changes; `CHANGELOG.md` lists each one.

            - **breaking** removed `list_x` (`GET /x`)
            - non-breaking added `list_y` (`GET /y`)
            - **breaking** types removed: `t::Gone`
            - non-breaking types changed: `t::E`
            - non-breaking types added: `t::New`
        ");
    }

    #[test]
    fn history_notes_every_version_but_the_first_and_lists_newest_first() {
        let version = |label: &str, schemas: &str| ApiVersion {
            module: format!("v{label}"),
            label: label.to_owned(),
            documents: vec![document("", schemas)],
        };
        let versions = [
            version("1", ""),
            version("2", "T: {type: string}"),
            version("3", "T: {type: string}"),
        ];
        let history = history(&versions);
        assert_eq!(history.notes.len(), 3);
        assert_eq!(history.notes[0], None);
        insta::assert_snapshot!(history.notes[1].as_deref().unwrap(), @r"
            **Changes from `1`:** 0 breaking changes, 1 non-breaking change; `CHANGELOG.md` lists each one.

            - non-breaking types added: `t::T`
        ");
        insta::assert_snapshot!(history.notes[2].as_deref().unwrap(), @"**Changes from `2`:** none in the API (descriptions and operation ids may differ).");
        let sections = &history.markdown[history.markdown.find("\n## ").unwrap() + 1..];
        insta::assert_snapshot!(sections, @r"
            ## `2` → `3`

            No API changes.

            ## `1` → `2`

            0 breaking changes, 1 non-breaking change.

            ### `t` (T)

            Types:

            - non-breaking added alias `T`

            ## `1`

            The first version in this crate.
        ");
        assert!(super::history(&[]).notes.is_empty());
    }

    // ---- behaviour that changes while the code still compiles ----

    /// A batch read: JSON body with `inputs`, a 200 with `results`.
    const BATCH: &str = "
        /batch/read:
          post:
            requestBody:
              content:
                application/json:
                  schema: {type: object, required: [inputs], properties: {inputs: {type: array, items: {type: string}}}}
            responses:
              '200':
                description: ok
                content:
                  application/json:
                    schema: {type: object, properties: {results: {type: array, items: {type: string}}}}
    ";

    #[test]
    fn retry_safety_changes_are_listed_not_breaking() {
        let old = document("/x: {post: {responses: {'204': {description: ok}}}}", "");
        assert_eq!(old.operations[0].retry, RetrySafety::OnlyIfUnsent);
        let mut new = old.clone();
        new.operations[0].retry = RetrySafety::ReadOnlyPost;
        insta::assert_snapshot!(lines(&log(&old, &new)), @"compatible create_x: retries: repeated only when never sent, or after a 429 → repeated after a timeout or 5xx (read-only POST)");
        insta::assert_snapshot!(lines(&log(&new, &old)), @"compatible create_x: retries: repeated after a timeout or 5xx (read-only POST) → repeated only when never sent, or after a 429");
    }

    #[test]
    fn batch_merge_changes_are_listed_not_breaking() {
        let old = document(BATCH, "");
        let batch = old.operations[0].batch.clone().expect("a batch operation");
        let mut new = old.clone();
        new.operations[0].batch = Some(Batch {
            merge: BatchMerge::MultiStatus { ok: 200 },
            ..batch
        });
        assert_ne!(old.operations[0].batch, new.operations[0].batch);
        let changes = lines(&log(&old, &new));
        assert!(
            changes.starts_with("compatible ") && !changes.contains("breaking"),
            "{changes}"
        );
        assert!(
            changes.contains(
                "split batch answers merge into `200` when every chunk succeeded, else `207` with the failed chunks in `errors`, not "
            ),
            "{changes}"
        );
    }

    #[test]
    fn query_style_changes_are_listed_not_breaking() {
        let changes = operation_changes(
            "
            /x:
              get:
                parameters: [{name: ids, in: query, schema: {type: array, items: {type: string}}}]
                responses: {'204': {description: ok}}
            ",
            "
            /x:
              get:
                parameters: [{name: ids, in: query, explode: false, schema: {type: array, items: {type: string}}}]
                responses: {'204': {description: ok}}
            ",
        );
        insta::assert_snapshot!(changes, @"compatible list_x: query parameter `ids` is written comma-joined, not form");
    }

    #[test]
    fn undocumented_2xx_changes_are_listed_not_breaking() {
        let old = document("/x: {get: {responses: {'204': {description: ok}}}}", "");
        let mut new = old.clone();
        new.operations[0].undocumented_2xx_as = match old.operations[0].undocumented_2xx_as {
            Some(_) => None,
            None => Some(204),
        };
        let changes = lines(&log(&old, &new));
        assert!(
            changes.starts_with(
                "compatible list_x: a 2xx status the document does not list reads as "
            ),
            "{changes}"
        );
        assert_eq!(changes.lines().count(), 1, "{changes}");
    }

    #[test]
    fn keep_undecoded_changes_list_and_losing_the_field_breaks() {
        let schemas = "R: {type: object, properties: {results: {type: array, items: {type: string}}, errors: {type: array, items: {type: string}}}}";
        let old = document("", schemas);
        let keep = |doc: &mut Document, json: &str, on: bool| {
            let TypeKind::Struct(fields) =
                &mut doc.types.iter_mut().find(|t| t.name == "R").unwrap().kind
            else {
                panic!("R is a struct")
            };
            fields
                .iter_mut()
                .find(|f| f.json_name == json)
                .unwrap()
                .keep_undecoded = on;
        };
        let mut one = old.clone();
        keep(&mut one, "results", true);
        let mut two = one.clone();
        keep(&mut two, "errors", true);
        insta::assert_snapshot!(lines(&log(&old, &one)), @"compatible R: field `results`: entries that do not decode are kept in `undecoded`, no longer failing the response");
        // `undecoded` stays: `results` still keeps.
        insta::assert_snapshot!(lines(&log(&two, &one)), @"compatible R: field `errors`: entries that do not decode fail the response, no longer kept in `undecoded`");
        insta::assert_snapshot!(lines(&log(&one, &old)), @r"
            compatible R: field `results`: entries that do not decode fail the response, no longer kept in `undecoded`
            breaking R: removed field `undecoded` (no list keeps undecodable entries)
        ");
    }

    #[test]
    fn a_decoding_policy_change_with_the_same_type_is_listed_not_breaking() {
        use crate::ir::FieldDecode;
        let old = document(
            "",
            "R: {type: object, required: [ids], properties: {ids: {type: array, items: {type: string}}}}",
        );
        let mut new = old.clone();
        let r = new.types.iter_mut().find(|t| t.name == "R").unwrap();
        let TypeKind::Struct(fields) = &mut r.kind else {
            panic!("R is a struct")
        };
        assert_eq!(fields[0].decode, FieldDecode::Required);
        fields[0].decode = FieldDecode::EmptyWhenMissing;
        insta::assert_snapshot!(lines(&log(&old, &new)), @"compatible R: field `ids`: missing or `null` decodes empty-if-missing, not strict");
    }

    #[test]
    fn a_scalar_tolerance_change_is_listed_not_breaking() {
        use crate::ir::ScalarDecode;
        let old = document(
            "",
            "R: {type: object, required: [id], properties: {id: {type: string}}}",
        );
        let mut new = old.clone();
        let r = new.types.iter_mut().find(|t| t.name == "R").unwrap();
        let TypeKind::Struct(fields) = &mut r.kind else {
            panic!("R is a struct")
        };
        fields[0].scalar = ScalarDecode::StringFromNumberOrBool;
        insta::assert_snapshot!(lines(&log(&old, &new)), @"compatible R: field `id`: decodes string-from-number-or-bool, not exact (the `[[quirks]]` of `overrides.toml`)");
    }
}
