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

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::ir::{
    ApiVersion, Batch, Body, BodyKind, Document, Field, Operation, Param, ResponseBody, TypeDef,
    TypeKind,
};
use crate::naming;

/// Everything that changed from one version to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changelog {
    /// Version label (folder name) moved from, e.g. `2026-03`.
    pub from: String,
    pub to: String,
    /// Documents with at least one change, by module name.
    pub documents: Vec<DocumentChanges>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentChanges {
    /// Module name of the document (`associations_schema`).
    pub module: String,
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
    pub change: Change,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Added,
    Removed,
    Changed(Vec<Detail>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detail {
    pub breaking: bool,
    /// Markdown; names and types are code spans.
    pub text: String,
}

impl Entry {
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

    pub fn non_breaking(&self) -> usize {
        self.entries().filter(|e| !e.breaking()).count()
    }

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
                    code(&pa.ty.to_string()),
                    code(&pb.ty.to_string())
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
            code(&x.item.to_string()),
            code(&y.item.to_string())
        )),
        _ => {}
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
                code(&pa.ty.to_string()),
                code(&pb.ty.to_string())
            ));
        }
        if pa.required != pb.required {
            d.breaking(format!(
                "{kind} parameter {wire} is now {}",
                if pb.required { "required" } else { "optional" }
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
            code(&pb.ty.to_string())
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
        BodyKind::Json(ty) => code(&ty.to_string()),
        BodyKind::Form(ty) => format!("{} (form)", code(&ty.to_string())),
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
    match body {
        ResponseBody::Empty => "()".to_owned(),
        ResponseBody::Json(ty) => ty.to_string(),
        ResponseBody::Text => "String".to_owned(),
        ResponseBody::Bytes => "Vec<u8>".to_owned(),
    }
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
    match op.responses.as_slice() {
        [single] => response_body(&single.body),
        _ => op
            .response_enum
            .clone()
            .unwrap_or_else(|| format!("{}Response", naming::type_ident(&op.name))),
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
                            code(&x.ty.to_string()),
                            code(&y.ty.to_string())
                        ))
                    }
                    Some(_) => {}
                }
            }
            for y in vb.iter().filter(|y| !va.iter().any(|x| x.name == y.name)) {
                d.compatible(format!(
                    "added variant {}({}); such values used to arrive in `Other`",
                    code(&y.name),
                    code(&y.ty.to_string())
                ));
            }
        }
        (TypeKind::Alias(ta), TypeKind::Alias(tb)) => {
            if ta != tb {
                d.breaking(format!(
                    "{} → {}",
                    code(&ta.to_string()),
                    code(&tb.to_string())
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

/// The field's Rust type, in the IR's notation (`Option` and `Box` spelled out).
fn field_type(f: &Field) -> String {
    let ty = if f.boxed {
        format!("Box<{}>", f.ty)
    } else {
        f.ty.to_string()
    };
    if optional(f) {
        format!("Option<{ty}>")
    } else {
        ty
    }
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
                code(&field_type(fa)),
                code(&field_type(fb))
            ));
        } else if fa.required != fb.required {
            d.compatible(format!(
                "field {name} is now {} in JSON (nullable: still an `Option`)",
                if fb.required { "required" } else { "optional" }
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
        let what = format!("field {}: {}", code(&fb.name), code(&field_type(fb)));
        if !fb.decode.in_constructor() {
            d.compatible(format!("added optional {what}"));
        } else {
            d.breaking(format!("added required {what} (`new(..)` takes it)"));
        }
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
