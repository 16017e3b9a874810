//! The API changelog (`generator::diff`): snapshots of the real version
//! pairs, the breaking rules on tiny hand-built IR, and the migration
//! guarantees the generated crate makes (same endpoint, same method name).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use generator::diff::{self, Change, Changelog};
use generator::ir::{
    ApiVersion, Body, BodyKind, Document, EnumVariant, Field, FieldDecode, HttpMethod, Operation,
    Origin, Param, ParamLocation, QueryStyle, RateLimitClass, ResponseBody, RetrySafety,
    SuccessResponse, Type, TypeDef, TypeKind,
};
use generator::project::{self, Generated};

fn specs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

fn generated() -> &'static Generated {
    static GENERATED: OnceLock<Generated> = OnceLock::new();
    GENERATED.get_or_init(|| project::generate(&specs_dir(), &project::Options::default()).unwrap())
}

fn version(label: &str) -> &'static ApiVersion {
    generated()
        .versions
        .iter()
        .find(|v| v.label == label)
        .unwrap_or_else(|| panic!("no version {label}"))
}

fn real_changelog(from: &str, to: &str) -> Changelog {
    let (a, b) = (version(from), version(to));
    diff::changelog(&a.label, &a.documents, &b.label, &b.documents)
}

// ---- snapshots of the real differences ----

#[test]
fn changelog_2025_09_to_2026_03() {
    let log = real_changelog("2025-09", "2026-03");
    let text = diff::render_markdown(&log);
    // The associations document changed only in prose and operation ids.
    assert!(
        log.documents
            .iter()
            .all(|d| d.module == "associations_schema")
    );
    // 2026-03 adds 207s to the batch limit operations: a response enum now.
    assert!(text.contains(
        "changed `batch_create_limits` (`POST /crm/associations/2026-03/definitions/configurations/{fromObjectType}/{toObjectType}/batch/create`):\n  - **breaking** success responses `200 BatchResponsePublicAssociationDefinitionUserConfiguration` → `201 BatchResponsePublicAssociationDefinitionUserConfiguration`, `207 BatchResponsePublicAssociationDefinitionUserConfigurationWithErrors`; returns `BatchCreateLimitsResponse`, not `BatchResponsePublicAssociationDefinitionUserConfiguration`"
    ), "{text}");
    insta::assert_snapshot!("diff_2025-09_to_2026-03", text);
}

#[test]
fn changelog_2026_03_to_2026_09() {
    let log = real_changelog("2026-03", "2026-09");
    let text = diff::render_markdown(&log);
    // The reference listings: 2026-09 drops list and search ...
    for removed in ["list", "search_objects"] {
        let entry = operation(&log, "associations", removed);
        assert_eq!(entry.change, Change::Removed, "{removed}");
        assert!(entry.breaking());
    }
    // ... and every 207: no operation of 2026-09 has more than one success response.
    for doc in &version("2026-09").documents {
        for op in &doc.operations {
            assert!(
                op.responses.iter().all(|r| r.status != 207),
                "{} still has a 207",
                op.name
            );
        }
    }
    for (module, name) in [
        ("associations", "batch_create"),
        ("associations", "batch_read"),
        ("associations_schema", "batch_create_limits"),
        ("associations_schema", "batch_update_limits"),
    ] {
        let entry = operation(&log, module, name);
        let Change::Changed(details) = &entry.change else {
            panic!("{name}: {:?}", entry.change)
        };
        assert!(
            details
                .iter()
                .any(|d| d.breaking && d.text.starts_with("success responses")),
            "{name}: {details:?}"
        );
    }
    // Batch create returns 200 (was 201 + 207).
    assert!(text.contains(
        "success responses `201 BatchResponseLabelsBetweenObjectPair`, `207 BatchResponseLabelsBetweenObjectPairWithErrors` → `200 BatchResponseLabelsBetweenObjectPair`; returns `BatchResponseLabelsBetweenObjectPair`, not `BatchCreateResponse`"
    ), "{text}");
    // DateTime.value narrows from int64 to int32.
    assert!(
        text.contains("- **breaking** field `value`: `i64` → `i32`"),
        "{text}"
    );
    insta::assert_snapshot!("diff_2026-03_to_2026-09", text);
}

#[test]
fn changelog_2026_09_to_2026_09_beta() {
    let log = real_changelog("2026-09", "2026-09-beta");
    let text = diff::render_markdown(&log);
    // The beta's one document adds the generic object endpoints, named by
    // the default rule (no overrides), without breaking anything.
    for added in [
        "list_objects",
        "get_object",
        "create_objects",
        "update_object",
        "delete_object",
        "objects_batch_read",
        "objects_merge",
        "objects_gdpr_delete",
    ] {
        let entry = operation(&log, "associations", added);
        assert_eq!(entry.change, Change::Added, "{added}");
        assert!(!entry.breaking(), "{added}");
    }
    // Batch create answers 201 + 207 again.
    assert!(text.contains(
        "success responses `200 BatchResponseLabelsBetweenObjectPair` → `201 BatchResponseLabelsBetweenObjectPair`, `207 BatchResponseLabelsBetweenObjectPairWithErrors`"
    ), "{text}");
    insta::assert_snapshot!("diff_2026-09_to_2026-09-beta", text);
}

fn operation<'a>(log: &'a Changelog, module: &str, name: &str) -> &'a diff::Entry {
    log.documents
        .iter()
        .filter(|d| d.module == module)
        .flat_map(|d| &d.operations)
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("no entry for {module}::{name}"))
}

#[test]
fn identical_versions_have_no_changes() {
    let v = version("2026-09");
    let log = diff::changelog("a", &v.documents, "b", &v.documents);
    assert!(log.is_empty());
    assert_eq!(
        diff::render_markdown(&log),
        "## `a` → `b`\n\nNo API changes.\n"
    );
}

#[test]
fn the_crate_carries_the_changelog_and_version_notes() {
    let generated = generated();
    let changelog = &generated.files["CHANGELOG.md"];
    // Newest first, every version present.
    let positions: Vec<usize> = [
        "## `2026-09` → `2026-09-beta`",
        "## `2026-03` → `2026-09`",
        "## `2025-09` → `2026-03`",
        "## `v4` → `2025-09`",
        "## `v3` → `v4`",
        "## `v3`\n",
    ]
    .iter()
    .map(|h| {
        changelog
            .find(h)
            .unwrap_or_else(|| panic!("{h} missing:\n{changelog}"))
    })
    .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    assert!(changelog.contains(&diff::render_markdown(&real_changelog(
        "2026-03", "2026-09"
    ))));

    // The oldest version has nothing to compare with; every other one opens
    // its module docs with its changes.
    let history = diff::history(&generated.versions);
    assert_eq!(history.markdown, generated.files["CHANGELOG.md"]);
    assert_eq!(generated.versions[0].label, "v3");
    assert_eq!(history.notes[0], None);
    assert!(!generated.files["src/v3/mod.rs"].contains("Changes from"));
    assert!(generated.files["src/v4/mod.rs"].contains("Changes from"));
    let module = &generated.files["src/v2026_09/mod.rs"];
    let docs: Vec<&str> = module
        .lines()
        .filter_map(|l| l.strip_prefix("//!"))
        .collect();
    let title = docs
        .iter()
        .position(|l| l.trim() == "HubSpot API version `2026-09`.")
        .unwrap_or_else(|| panic!("{docs:?}"));
    let start = title + 2;
    assert_eq!(docs[title + 1], "");
    // The counts in the heading are the items the list under it names (one
    // per operation line, one per type in a `types …:` line) ...
    let items: Vec<&str> = docs[start + 1..]
        .iter()
        .take_while(|l| !l.starts_with(" Documents:"))
        .filter_map(|l| l.strip_prefix(" - "))
        .collect();
    let count = |breaking: bool| -> usize {
        items
            .iter()
            .filter(|l| l.starts_with("**breaking**") == breaking)
            .map(|l| {
                let item = l
                    .trim_start_matches("**breaking** ")
                    .trim_start_matches("non-breaking ");
                match item.strip_prefix("types ") {
                    Some(names) => names.matches("`, `").count() + 1,
                    None => 1,
                }
            })
            .sum()
    };
    assert_eq!(
        docs[start],
        format!(
            " **Changes from `2026-03`:** {} breaking changes, {} non-breaking changes; `CHANGELOG.md` lists each one.",
            count(true),
            count(false)
        ),
        "{docs:?}"
    );
    // ... and the removed types and operations are the ones the two
    // versions' IR say: names in 2026-03 and not in 2026-09.
    let names = |label: &str, of_types: bool| -> std::collections::BTreeSet<String> {
        version(label)
            .documents
            .iter()
            .flat_map(|d| {
                let names: Vec<String> = if of_types {
                    d.types
                        .iter()
                        .map(|t| format!("{}::{}", d.module, t.name))
                        .collect()
                } else {
                    d.operations.iter().map(|o| o.endpoint.clone()).collect()
                };
                names
            })
            .collect()
    };
    let removed_types: Vec<String> = names("2026-03", true)
        .difference(&names("2026-09", true))
        .map(|n| format!("`{n}`"))
        .collect();
    assert!(
        items.contains(
            &format!("**breaking** types removed: {}", removed_types.join(", ")).as_str()
        ),
        "{items:?}"
    );
    let removed_operations = names("2026-03", false)
        .difference(&names("2026-09", false))
        .count();
    assert_eq!(
        items
            .iter()
            .filter(|l| l.starts_with("**breaking** removed `"))
            .count(),
        removed_operations
    );
    assert!(removed_operations > 0 && !removed_types.is_empty());
    assert!(module.contains("//! - **breaking** removed `list` (`GET /crm/objects/2026-03/{objectType}/{objectId}/associations/{toObjectType}`)"), "{module}");
    // Names are code spans, never bare brackets rustdoc would read as links.
    let notes = docs
        .iter()
        .skip(start)
        .take_while(|l| !l.starts_with(" Documents:"));
    for line in notes {
        assert!(!outside_code(line).contains(['[', ']', '<', '>']), "{line}");
    }
}

/// The parts of a Markdown line outside code spans.
fn outside_code(line: &str) -> String {
    line.split('`').step_by(2).collect()
}

// ---- migration: the same endpoint has the same method name everywhere ----

#[test]
fn an_endpoint_has_the_same_method_name_in_every_version() {
    let versions = &generated().versions;
    assert_eq!(versions.len(), 6);
    let names = |v: &ApiVersion| -> BTreeMap<String, String> {
        v.documents
            .iter()
            .flat_map(|d| &d.operations)
            .map(|o| (o.endpoint.clone(), o.name.clone()))
            .collect()
    };
    let mut compared = 0;
    for (i, a) in versions.iter().enumerate() {
        for b in &versions[i + 1..] {
            let (na, nb) = (names(a), names(b));
            for (endpoint, name) in &na {
                if let Some(other) = nb.get(endpoint) {
                    assert_eq!(
                        name, other,
                        "{endpoint}: `{name}` in {} but `{other}` in {}",
                        a.label, b.label
                    );
                    compared += 1;
                }
            }
        }
    }
    assert!(compared > 80, "only {compared} endpoint pairs compared");

    let everywhere = [
        ("POST /crm/associations/{}/{}/batch/read", "batch_read"),
        ("POST /crm/associations/{}/{}/batch/create", "batch_create"),
        (
            "POST /crm/associations/{}/{}/batch/archive",
            "batch_archive",
        ),
        (
            "POST /crm/associations/{}/{}/batch/labels/archive",
            "batch_archive_labels",
        ),
        ("PUT /crm/objects/{}/{}/associations/{}/{}", "associate"),
        ("DELETE /crm/objects/{}/{}/associations/{}/{}", "archive"),
        ("GET /crm/associations/{}/{}/labels", "list_labels"),
        ("POST /crm/associations/{}/{}/labels", "create_label"),
        (
            "POST /crm/associations/definitions/configurations/{}/{}/batch/create",
            "batch_create_limits",
        ),
    ];
    for v in versions {
        let n = names(v);
        // v3 has only the three batch endpoints of associations records.
        let everywhere = if v.label == "v3" {
            &everywhere[..3]
        } else {
            &everywhere[..]
        };
        for &(endpoint, name) in everywhere {
            assert_eq!(
                n.get(endpoint).map(String::as_str),
                Some(name),
                "{}",
                v.label
            );
        }
        let list = n.get("GET /crm/objects/{}/{}/associations/{}");
        let search = n.get("POST /crm/objects/{}/search");
        match v.label.as_str() {
            "2026-09" | "v3" => assert_eq!((list, search), (None, None)),
            "v4" => assert_eq!((list.map(String::as_str), search), (Some("list"), None)),
            _ => assert_eq!(
                (list.map(String::as_str), search.map(String::as_str)),
                (Some("list"), Some("search_objects"))
            ),
        }
    }
}

/// Where the diff sees no change in a type, the generated Rust for it is the
/// same in both versions (documentation aside): moving up needs no edit.
#[test]
fn types_the_diff_calls_unchanged_generate_identical_rust() {
    let versions = &generated().versions;
    let mut compared = 0;
    for pair in versions.windows(2) {
        let log = diff::changelog(
            &pair[0].label,
            &pair[0].documents,
            &pair[1].label,
            &pair[1].documents,
        );
        for old in &pair[0].documents {
            let Some(new) = pair[1].documents.iter().find(|d| d.module == old.module) else {
                continue;
            };
            let changed: Vec<&str> = log
                .documents
                .iter()
                .filter(|d| d.module == old.module)
                .flat_map(|d| &d.types)
                .map(|e| e.name.as_str())
                .collect();
            for a in &old.types {
                let Some(b) = new.types.iter().find(|t| t.name == a.name) else {
                    continue;
                };
                let (ra, rb) = (rust_without_docs(a), rust_without_docs(b));
                if changed.contains(&a.name.as_str()) {
                    continue;
                }
                assert_eq!(
                    ra, rb,
                    "{}::{} ({} → {})",
                    old.module, a.name, pair[0].label, pair[1].label
                );
                compared += 1;
            }
        }
    }
    assert!(compared > 100, "only {compared} types compared");
}

fn rust_without_docs(t: &TypeDef) -> String {
    let mut t = t.clone();
    t.doc = None;
    if let TypeKind::Struct(fields) = &mut t.kind {
        for f in fields {
            f.doc = None;
        }
    }
    generator::emit::model_tokens(&[t]).to_string()
}

// ---- the breaking rules, on tiny hand-built IR ----

fn field(name: &str, ty: Type, required: bool) -> Field {
    Field {
        name: name.to_owned(),
        setter: (!required).then(|| format!("with_{name}")),
        arg: generator::ir::ArgKind::of(&ty, name),
        json_name: name.to_owned(),
        ty,
        required,
        nullable: false,
        decode: if required {
            FieldDecode::Required
        } else {
            FieldDecode::Optional
        },
        scalar: Default::default(),
        keep_undecoded: false,
        boxed: false,
        read_only: false,
        deprecated: false,
        doc: None,
    }
}

fn structure(name: &str, fields: Vec<Field>) -> TypeDef {
    TypeDef {
        name: name.to_owned(),
        origin: Origin::Schema(name.to_owned()),
        doc: None,
        deprecated: false,
        kind: TypeKind::Struct(fields),
    }
}

fn enumeration(name: &str, values: &[&str]) -> TypeDef {
    TypeDef {
        name: name.to_owned(),
        origin: Origin::Schema(name.to_owned()),
        doc: None,
        deprecated: false,
        kind: TypeKind::Enum(
            values
                .iter()
                .map(|v| EnumVariant {
                    name: v.to_owned().to_owned(),
                    value: v.to_uppercase(),
                })
                .collect(),
        ),
    }
}

fn param(name: &str, required: bool) -> Param {
    Param {
        name: name.to_owned(),
        setter: (!required).then(|| format!("with_{name}")),
        arg: generator::ir::ArgKind::of(&Type::String, name),
        wire_name: name.to_owned(),
        ty: Type::String,
        required,
        location: ParamLocation::Query(QueryStyle::Form),
        default: None,
        doc: None,
    }
}

fn response(status: u16, variant: &str, ty: &str) -> SuccessResponse {
    SuccessResponse {
        status,
        variant: variant.to_owned(),
        body: ResponseBody::Json(Type::Named(ty.to_owned())),
        keeps_undecoded: false,
        also_multi_status: false,
        doc: None,
    }
}

fn op(name: &str, path: &str) -> Operation {
    Operation {
        name: name.to_owned(),
        endpoint: format!("POST {path}"),
        method: HttpMethod::Post,
        path: path.to_owned(),
        summary: None,
        description: None,
        deprecated: false,
        path_params: Vec::new(),
        query_params: Vec::new(),
        header_params: Vec::new(),
        body: None,
        responses: vec![response(200, "Ok", "Out")],
        rate_limit_exempt: false,
        retry: RetrySafety::IdempotentMethod,
        rate_class: RateLimitClass::Standard,
        batch: None,
        paging: None,
        params_type: None,
        response_enum: None,
        undocumented_2xx_as: Some(200),
        derived: Default::default(),
        input_alias: None,
    }
}

fn doc(types: Vec<TypeDef>, operations: Vec<Operation>) -> Document {
    Document {
        module: "things".to_owned(),
        title: "Things [beta]".to_owned(),
        version: "1".to_owned(),
        description: None,
        source: "x/things.json".to_owned(),
        types,
        operations,
        batch_inputs: Vec::new(),
    }
}

/// `(breaking, text)` of every change, types then operations, flattened.
fn changes(old: Document, new: Document) -> Vec<(bool, String)> {
    let log = diff::changelog("old", &[old], "new", &[new]);
    let mut out = Vec::new();
    for d in &log.documents {
        for e in d.types.iter().chain(&d.operations) {
            match &e.change {
                Change::Changed(details) => {
                    out.extend(
                        details
                            .iter()
                            .map(|x| (x.breaking, format!("{}: {}", e.name, x.text))),
                    );
                }
                other => out.push((e.breaking(), format!("{}: {other:?}", e.name))),
            }
        }
    }
    out
}

#[test]
fn added_operations_and_types_are_compatible_removed_ones_break() {
    let a = op("a", "/a");
    let b = op("b", "/b");
    let t = structure("T", vec![field("x", Type::String, true)]);
    let u = structure("U", vec![]);
    assert_eq!(
        changes(
            doc(vec![t.clone()], vec![a.clone()]),
            doc(vec![t.clone(), u.clone()], vec![a.clone(), b.clone()])
        ),
        [
            (false, "U: Added".to_owned()),
            (false, "b: Added".to_owned())
        ]
    );
    assert_eq!(
        changes(
            doc(vec![t.clone(), u], vec![a.clone(), b]),
            doc(vec![t], vec![a])
        ),
        [
            (true, "U: Removed".to_owned()),
            (true, "b: Removed".to_owned())
        ]
    );
}

#[test]
fn field_rules() {
    let old = structure(
        "T",
        vec![
            field("keep", Type::String, true),
            field("gone", Type::String, false),
            field("narrowed", Type::I64, true),
            field("loosened", Type::String, true),
        ],
    );
    let new = structure(
        "T",
        vec![
            field("keep", Type::String, true),
            field("narrowed", Type::I32, true),
            field("loosened", Type::String, false),
            field("extra", Type::Bool, false),
            field("needed", Type::Vec(Box::new(Type::String)), true),
        ],
    );
    assert_eq!(
        changes(doc(vec![old], vec![]), doc(vec![new], vec![])),
        [
            (true, "T: removed field `gone`".to_owned()),
            (true, "T: field `narrowed`: `i64` → `i32`".to_owned()),
            (
                true,
                "T: field `loosened`: `String` → `Option<String>` (now optional)".to_owned()
            ),
            (
                false,
                "T: added optional field `extra`: `Option<bool>`".to_owned()
            ),
            (
                true,
                "T: added required field `needed`: `Vec<String>` (`new(..)` takes it)".to_owned()
            ),
        ]
    );
}

#[test]
fn a_required_but_nullable_field_added_is_compatible() {
    let mut nullable = field("n", Type::String, true);
    nullable.nullable = true;
    nullable.decode = FieldDecode::Nullable;
    assert_eq!(
        changes(
            doc(vec![structure("T", vec![])], vec![]),
            doc(vec![structure("T", vec![nullable])], vec![])
        ),
        [(
            false,
            "T: added optional field `n`: `Option<String>`".to_owned()
        )]
    );
}

#[test]
fn reordered_required_fields_break_the_constructor() {
    let x = field("x", Type::String, true);
    let y = field("y", Type::String, true);
    assert_eq!(
        changes(
            doc(vec![structure("T", vec![x.clone(), y.clone()])], vec![]),
            doc(vec![structure("T", vec![y, x])], vec![])
        ),
        [(
            true,
            "T: `new(..)` arguments reordered: `x`, `y` → `y`, `x`".to_owned()
        )]
    );
}

#[test]
fn enum_values_added_are_compatible_removed_break() {
    assert_eq!(
        changes(
            doc(vec![enumeration("E", &["a", "b"])], vec![]),
            doc(vec![enumeration("E", &["b", "c"])], vec![])
        ),
        [
            (true, "E: removed value `A`".to_owned()),
            (false, "E: added value `C`".to_owned()),
        ]
    );
}

fn union(name: &str, variants: &[&str]) -> TypeDef {
    let variants = variants
        .iter()
        .map(|v| generator::ir::UnionVariant {
            name: v.to_string(),
            ty: Type::Named(v.to_string()),
            tag: None,
            boxed: false,
        })
        .collect();
    TypeDef {
        name: name.to_owned(),
        origin: Origin::Schema(name.to_owned()),
        doc: None,
        deprecated: false,
        kind: TypeKind::Union {
            discriminator: None,
            variants,
        },
    }
}

#[test]
fn union_variants_added_are_compatible_removed_break() {
    assert_eq!(
        changes(
            doc(vec![union("U", &["A", "B"])], vec![]),
            doc(vec![union("U", &["B", "C"])], vec![])
        ),
        [
            (true, "U: removed variant `A`".to_owned()),
            (
                false,
                "U: added variant `C`(`C`); such values used to arrive in `Other`".to_owned()
            ),
        ]
    );
}

#[test]
fn a_type_changing_kind_breaks() {
    assert_eq!(
        changes(
            doc(vec![enumeration("E", &["a"])], vec![]),
            doc(vec![structure("E", vec![])], vec![])
        ),
        [(true, "E: was enum, now struct".to_owned())]
    );
}

#[test]
fn response_codes_changed_break_the_return_type() {
    let mut old = op("batch_create", "/batch/create");
    old.responses = vec![
        response(201, "Created", "Out"),
        response(207, "MultiStatus", "OutWithErrors"),
    ];
    old.response_enum = Some("BatchCreateResponse".to_owned());
    let mut new = old.clone();
    new.responses = vec![response(200, "Ok", "Out")];
    new.response_enum = None;
    assert_eq!(
        changes(doc(vec![], vec![old.clone()]), doc(vec![], vec![new.clone()])),
        [(
            true,
            "batch_create: success responses `201 Out`, `207 OutWithErrors` → `200 Out`; returns `Out`, not `BatchCreateResponse`".to_owned()
        )]
    );
    // Same codes, another body type: the return type changes too.
    let mut other = new.clone();
    other.responses = vec![response(200, "Ok", "Other")];
    assert_eq!(
        changes(doc(vec![], vec![new]), doc(vec![], vec![other])),
        [(
            true,
            "batch_create: response `200`: `Out` → `Other`".to_owned()
        )]
    );
}

#[test]
fn parameter_rules() {
    let mut old = op("list", "/list");
    old.query_params = vec![param("limit", false), param("gone", false)];
    old.params_type = Some("ListParams".to_owned());
    let mut new = old.clone();
    new.query_params = vec![
        param("limit", false),
        param("after", false),
        param("must", true),
    ];
    assert_eq!(
        changes(doc(vec![], vec![old]), doc(vec![], vec![new])),
        [
            (true, "list: removed query parameter `gone`".to_owned()),
            (
                false,
                "list: added optional query parameter `after`: `String`".to_owned()
            ),
            (
                true,
                "list: added required query parameter `must`: `String` (`new(..)` takes it)"
                    .to_owned()
            ),
        ]
    );
    // The first optional parameter adds a `params` argument to the method.
    let plain = op("list", "/list");
    let mut with = plain.clone();
    with.query_params = vec![param("limit", false)];
    with.params_type = Some("ListParams".to_owned());
    assert_eq!(
        changes(doc(vec![], vec![plain]), doc(vec![], vec![with])),
        [(
            true,
            "list: added optional query parameter `limit`: `String`; the method gains a `params` argument".to_owned()
        )]
    );
}

#[test]
fn request_body_changes_break() {
    let mut old = op("create", "/create");
    old.body = Some(Body {
        content_type: "application/json".to_owned(),
        kind: BodyKind::Json(Type::Named("In".to_owned())),
        required: true,
        doc: None,
    });
    let mut new = old.clone();
    new.body.as_mut().unwrap().kind = BodyKind::Json(Type::Named("In2".to_owned()));
    assert_eq!(
        changes(doc(vec![], vec![old]), doc(vec![], vec![new])),
        [(true, "create: request body `In` → `In2`".to_owned())]
    );
}

#[test]
fn markdown_is_sorted_marked_and_escaped() {
    let old = doc(
        vec![
            enumeration("Zed", &["a"]),
            structure("Alpha", vec![field("x", Type::String, false)]),
        ],
        vec![op("zulu", "/z"), op("alpha", "/a")],
    );
    let mut alpha = op("alpha", "/a");
    alpha.deprecated = true;
    let new = doc(
        vec![enumeration("Zed", &["a", "b"]), structure("Beta", vec![])],
        vec![alpha, op("mike", "/m")],
    );
    let log = diff::changelog("old", &[old], "new", &[new]);
    assert_eq!(log.breaking(), 2);
    assert_eq!(log.non_breaking(), 4);
    assert_eq!(
        diff::render_markdown(&log),
        "\
## `old` → `new`

2 breaking changes, 4 non-breaking changes.

### `things` (Things \\[beta\\])

Operations:

- non-breaking changed `alpha` (`POST /a`):
  - non-breaking now deprecated
- non-breaking added `mike` (`POST /m`)
- **breaking** removed `zulu` (`POST /z`)

Types:

- **breaking** removed struct `Alpha`
- non-breaking added struct `Beta`
- non-breaking changed enum `Zed`:
  - non-breaking added value `B`
"
    );
    assert_eq!(
        diff::render_summary(&log),
        "\
**Changes from `old`:** 2 breaking changes, 4 non-breaking changes; `CHANGELOG.md` lists each one.

- non-breaking `alpha`: now deprecated
- non-breaking added `mike` (`POST /m`)
- **breaking** removed `zulu` (`POST /z`)
- **breaking** types removed: `things::Alpha`
- non-breaking types changed: `things::Zed`
- non-breaking types added: `things::Beta`"
    );
}
