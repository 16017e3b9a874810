//! The response decoding policy: how each field decodes when HubSpot leaves
//! it out or sends `null`. HubSpot's documents mark fields required that its
//! responses often omit, so decoding strictly by the document would fail
//! whole responses (and lose every good result of a batch) over a missing
//! `links` map. The rules, per field (written down in the README too):
//!
//! - not required: `Option<T>`; missing or `null` is `None`;
//! - required and `nullable`: `Option<T>`, always written;
//! - in a model that appears in a response (reachable from any response
//!   body, success or error), a required array or map decodes as empty when
//!   missing;
//! - in an error shape (the schema of an error response, or the item of an
//!   `errors` array), the required `message` decodes as `""` when missing,
//!   and every other required field that is not an array or map decodes as
//!   `None` (`Option<T>`);
//! - the next-page cursor (`after` of the type at `paging.next` in a
//!   response model) decodes as `None` when missing: HubSpot sends a `link`
//!   without `after` on some pages, and no cursor means no next page;
//! - any other required field is strict: missing fails decoding.
//!
//! `null` counts as missing, for every field and type: a lenient field
//! decodes as empty or `None`, a strict one fails (free-form JSON too,
//! though `serde_json::Value` could hold the `null`). Requests are unaffected:
//! `new(..)` still takes every required field and encoding writes it.
//!
//! What HubSpot is known to send against its documents is data: the
//! `[[quirks]]` of `overrides.toml`, each with its public source. Applied
//! here per field, after the rules above:
//!
//! - `number-for-string`: a `string` field (or list of strings) also
//!   decodes from a JSON number, as its exact text, or a boolean
//!   ([`ScalarDecode::StringFromNumberOrBool`]);
//! - `string-for-number`: an `integer`/`number` field (or list) also decodes
//!   from a string holding a number ([`ScalarDecode::NumberFromString`]);
//! - `integer-wider-than-documented`: an `int32` field is an `i64`;
//! - `required-but-missing`: a strict required field decodes as empty (an
//!   array or map) or `None` when missing.
//!
//! Encoding is unaffected: a field is always written as its document says.
//!
//! Also decided here: which batch response lists keep undecodable entries
//! as JSON (`results` and `errors` of the success bodies of batch
//! operations) instead of failing the response.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{
    Field, FieldDecode, Operation, Origin, ResponseBody, ScalarDecode, Type, TypeDef, TypeKind,
};
use crate::naming::{self, UNDECODED_FIELD};
use crate::overrides::{Quirk, QuirkKind};

/// Sets [`Field::decode`], [`Field::scalar`] and [`Field::keep_undecoded`]
/// on every struct field, `keeps_undecoded` on responses, and paging's
/// `Option` flags to match. `quirks` are those of this document's version.
pub(super) fn apply(
    types: &mut [TypeDef],
    operations: &mut [Operation],
    error_types: &BTreeSet<String>,
    quirks: &[Quirk],
) {
    let kinds: BTreeMap<String, TypeKind> = types
        .iter()
        .map(|t| (t.name.clone(), t.kind.clone()))
        .collect();
    let mut roots: Vec<String> = error_types.iter().cloned().collect();
    for op in operations.iter() {
        for r in &op.responses {
            if let ResponseBody::Json(ty) = &r.body {
                roots.extend(named_in(ty));
            }
        }
    }
    let in_response = reachable(&kinds, roots);

    let mut error_shapes: BTreeSet<String> = error_types.clone();
    let mut next_pages = BTreeSet::new();
    for name in &in_response {
        let Some(TypeKind::Struct(fields)) = kinds.get(name) else {
            continue;
        };
        for f in fields {
            match (f.json_name.as_str(), &f.ty) {
                ("errors", Type::Vec(item)) => {
                    error_shapes.extend(named_in(item).filter(|n| is_struct(&kinds, n)));
                }
                ("paging", Type::Named(paging)) => {
                    if let Some(next) = field(&kinds, paging, "next")
                        && let Type::Named(next) = &next.ty
                    {
                        next_pages.insert(next.clone());
                    }
                }
                _ => {}
            }
        }
    }

    let keeping = keeping_structs(&kinds, operations);
    for def in types.iter_mut() {
        let name = def.name.clone();
        let TypeKind::Struct(fields) = &mut def.kind else {
            continue;
        };
        let shape = Shape {
            in_response: in_response.contains(&name),
            error_shape: error_shapes.contains(&name),
            next_page: next_pages.contains(&name),
        };
        let schema = match &def.origin {
            Origin::Schema(schema) => schema.as_str(),
            _ => name.as_str(),
        };
        for f in fields.iter_mut() {
            f.decode = decide(f, shape, &kinds);
            for quirk in quirks {
                if quirk.selects(&[schema, &name], &f.json_name) {
                    apply_quirk(quirk.kind, f, &kinds);
                }
            }
            // A field `new(..)` takes has no setter.
            f.setter = (!f.decode.in_constructor()).then(|| naming::setter_name(&f.name));
        }
        if keeping.contains(&name) {
            for f in fields.iter_mut() {
                f.keep_undecoded = is_entry_list(f);
            }
        }
    }
    for op in operations.iter_mut() {
        for r in &mut op.responses {
            r.keeps_undecoded =
                matches!(&r.body, ResponseBody::Json(Type::Named(n)) if keeping.contains(n));
        }
        accept_undocumented_multi_status(op, &kinds);
    }
    fix_paging(types, operations);
}

/// A batch operation that documents no 207 still gets one from HubSpot
/// when some inputs fail; if exactly one success body has an `errors` list,
/// the 207 decodes into it rather than failing as an unexpected status
/// (which would lose the results it carries).
fn accept_undocumented_multi_status(op: &mut Operation, kinds: &BTreeMap<String, TypeKind>) {
    if op.batch.is_none() || op.responses.iter().any(|r| r.status == 207) {
        return;
    }
    let with_errors: Vec<usize> = op
        .responses
        .iter()
        .enumerate()
        .filter(|(_, r)| match &r.body {
            ResponseBody::Json(Type::Named(n)) => field(kinds, n, "errors").is_some(),
            _ => false,
        })
        .map(|(i, _)| i)
        .collect();
    if let [only] = with_errors[..] {
        op.responses[only].also_multi_status = true;
    }
}

#[derive(Clone, Copy)]
struct Shape {
    in_response: bool,
    error_shape: bool,
    next_page: bool,
}

fn decide(f: &Field, shape: Shape, kinds: &BTreeMap<String, TypeKind>) -> FieldDecode {
    if !f.required {
        return FieldDecode::Optional;
    }
    if f.nullable {
        return FieldDecode::Nullable;
    }
    if !shape.in_response {
        return FieldDecode::Required;
    }
    if is_collection(&f.ty, kinds) {
        return FieldDecode::EmptyWhenMissing;
    }
    if shape.error_shape {
        return if f.json_name == "message" && f.ty == Type::String {
            FieldDecode::EmptyWhenMissing
        } else {
            FieldDecode::AbsentWhenMissing
        };
    }
    if shape.next_page && f.json_name == "after" {
        return FieldDecode::AbsentWhenMissing;
    }
    FieldDecode::Required
}

/// What one quirk changes in a field it selects; a quirk that does not fit
/// the field's type (a string quirk on a number) leaves it as it is.
fn apply_quirk(kind: QuirkKind, f: &mut Field, kinds: &BTreeMap<String, TypeKind>) {
    let scalar = scalar_of(&f.ty, kinds);
    match kind {
        QuirkKind::NumberForString if scalar == Some(&Type::String) => {
            f.scalar = ScalarDecode::StringFromNumberOrBool;
        }
        QuirkKind::StringForNumber
            if matches!(scalar, Some(Type::I32 | Type::I64 | Type::F32 | Type::F64)) =>
        {
            f.scalar = ScalarDecode::NumberFromString;
        }
        QuirkKind::IntegerWiderThanDocumented => match &mut f.ty {
            Type::I32 => f.ty = Type::I64,
            Type::Vec(item) if **item == Type::I32 => **item = Type::I64,
            _ => {}
        },
        QuirkKind::RequiredButMissing if f.decode == FieldDecode::Required => {
            f.decode = if is_collection(&f.ty, kinds) {
                FieldDecode::EmptyWhenMissing
            } else {
                FieldDecode::AbsentWhenMissing
            };
        }
        _ => {}
    }
}

/// The scalar a field holds, itself or as the entries of a list, through
/// aliases of the scalar; `None` for anything else (maps, objects, enums,
/// dates, JSON, and an alias of a list: it prints as its name, where
/// `Field::codec_kind` sees no list, so it stays exact).
fn scalar_of<'t>(ty: &'t Type, kinds: &'t BTreeMap<String, TypeKind>) -> Option<&'t Type> {
    let mut ty = match ty {
        Type::Vec(item) => item,
        ty => ty,
    };
    for _ in 0..32 {
        match ty {
            Type::String | Type::I32 | Type::I64 | Type::F32 | Type::F64 => return Some(ty),
            Type::Named(n) => match kinds.get(n) {
                Some(TypeKind::Alias(inner)) => ty = inner,
                _ => return None,
            },
            _ => return None,
        }
    }
    None
}

/// `results`/`errors` lists of the success bodies of batch operations.
fn keeping_structs(
    kinds: &BTreeMap<String, TypeKind>,
    operations: &[Operation],
) -> BTreeSet<String> {
    let mut keeping = BTreeSet::new();
    for op in operations.iter().filter(|op| op.batch.is_some()) {
        for r in &op.responses {
            let ResponseBody::Json(Type::Named(name)) = &r.body else {
                continue;
            };
            let Some(TypeKind::Struct(fields)) = kinds.get(name) else {
                continue;
            };
            let clash = fields
                .iter()
                .any(|f| f.name == UNDECODED_FIELD || f.json_name == UNDECODED_FIELD);
            if !clash && fields.iter().any(is_entry_list) {
                keeping.insert(name.clone());
            }
        }
    }
    keeping
}

fn is_entry_list(f: &Field) -> bool {
    matches!(f.json_name.as_str(), "results" | "errors") && matches!(f.ty, Type::Vec(_))
}

/// An array or map, directly or through aliases.
fn is_collection(ty: &Type, kinds: &BTreeMap<String, TypeKind>) -> bool {
    let mut ty = ty;
    for _ in 0..32 {
        match ty {
            Type::Vec(_) | Type::Map(_) => return true,
            Type::Named(n) => match kinds.get(n) {
                Some(TypeKind::Alias(inner)) => ty = inner,
                _ => return false,
            },
            _ => return false,
        }
    }
    false
}

fn is_struct(kinds: &BTreeMap<String, TypeKind>, name: &str) -> bool {
    matches!(kinds.get(name), Some(TypeKind::Struct(_)))
}

fn field<'k>(kinds: &'k BTreeMap<String, TypeKind>, owner: &str, json: &str) -> Option<&'k Field> {
    match kinds.get(owner)? {
        TypeKind::Struct(fields) => fields.iter().find(|f| f.json_name == json),
        _ => None,
    }
}

/// Type names a type mentions.
fn named_in(ty: &Type) -> impl Iterator<Item = String> {
    let mut ty = ty;
    while let Type::Vec(inner) | Type::Map(inner) = ty {
        ty = inner;
    }
    match ty {
        Type::Named(n) => Some(n.clone()),
        _ => None,
    }
    .into_iter()
}

/// Every type reachable from `roots` through fields, variants and aliases.
fn reachable(kinds: &BTreeMap<String, TypeKind>, roots: Vec<String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack = roots;
    while let Some(name) = stack.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let next: Vec<String> = match kinds.get(&name) {
            Some(TypeKind::Struct(fields)) => fields.iter().flat_map(|f| named_in(&f.ty)).collect(),
            Some(TypeKind::Union { variants, .. }) => {
                variants.iter().flat_map(|v| named_in(&v.ty)).collect()
            }
            Some(TypeKind::Alias(ty)) => named_in(ty).collect(),
            _ => Vec::new(),
        };
        stack.extend(next);
    }
    seen
}

/// Paging reads `paging.next.after` through `Option`s where the fields are
/// `Option`s, which the policy may have changed.
fn fix_paging(types: &[TypeDef], operations: &mut [Operation]) {
    let field = |owner: &str, json: &str| -> Option<&Field> {
        types
            .iter()
            .find(|t| t.name == owner)
            .and_then(|t| match &t.kind {
                TypeKind::Struct(fields) => fields.iter().find(|f| f.json_name == json),
                _ => None,
            })
    };
    for op in operations.iter_mut() {
        let Some(paging) = &mut op.paging else {
            continue;
        };
        let Some(ResponseBody::Json(Type::Named(body))) = op.responses.first().map(|r| &r.body)
        else {
            continue;
        };
        let Some(p) = field(body, "paging") else {
            continue;
        };
        let Type::Named(p_ty) = &p.ty else { continue };
        let Some(next) = field(p_ty, "next") else {
            continue;
        };
        let Type::Named(n_ty) = &next.ty else {
            continue;
        };
        let Some(after) = field(n_ty, "after") else {
            continue;
        };
        paging.optional = crate::ir::PagingOptional {
            paging: p.decode.is_option(),
            next: next.decode.is_option(),
            after: after.decode.is_option(),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{HttpMethod, RetrySafety, SuccessResponse};

    fn field(json: &str, ty: Type, required: bool) -> Field {
        Field {
            name: json.to_owned(),
            setter: None,
            arg: crate::ir::ArgKind::of(&ty, json),
            json_name: json.to_owned(),
            ty,
            required,
            nullable: false,
            decode: FieldDecode::Optional,
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
            origin: crate::ir::Origin::Schema(name.to_owned()),
            doc: None,
            deprecated: false,
            kind: TypeKind::Struct(fields),
        }
    }

    fn named(n: &str) -> Type {
        Type::Named(n.to_owned())
    }

    fn list(ty: Type) -> Type {
        Type::Vec(Box::new(ty))
    }

    fn operation(body: Option<Type>, batch: bool) -> Operation {
        Operation {
            name: "op".into(),
            endpoint: "POST /x".into(),
            method: HttpMethod::Post,
            path: "/x".into(),
            summary: None,
            description: None,
            deprecated: false,
            path_params: vec![],
            query_params: vec![],
            header_params: vec![],
            body: None,
            responses: vec![SuccessResponse {
                status: 200,
                variant: "Ok".into(),
                body: body.map_or(ResponseBody::Empty, ResponseBody::Json),
                keeps_undecoded: false,
                also_multi_status: false,
                doc: None,
            }],
            rate_limit_exempt: false,
            retry: RetrySafety::OnlyIfUnsent,
            rate_class: crate::ir::RateLimitClass::Standard,
            batch: batch.then_some(crate::ir::Batch {
                limit: 100,
                inputs_field: "inputs".into(),
                per_input_cursors: false,
                merge: crate::ir::BatchMerge::ErrorsList { ok: 200 },
            }),
            undocumented_2xx_as: None,
            derived: Default::default(),
            input_alias: None,
            paging: None,
            params_type: None,
            response_enum: None,
        }
    }

    fn decode_of(types: &[TypeDef], owner: &str, json: &str) -> FieldDecode {
        let t = types.iter().find(|t| t.name == owner).unwrap();
        let TypeKind::Struct(fields) = &t.kind else {
            panic!()
        };
        fields.iter().find(|f| f.json_name == json).unwrap().decode
    }

    /// A batch response, its error entries, a request-only input, and the
    /// schema of the `default` error response.
    fn sample() -> (Vec<TypeDef>, Vec<Operation>, BTreeSet<String>) {
        let types = vec![
            structure(
                "Batch",
                vec![
                    field("results", list(named("Item")), true),
                    field("errors", list(named("StdError")), false),
                    field("status", Type::String, true),
                    field("links", Type::Map(Box::new(Type::String)), false),
                ],
            ),
            structure(
                "Item",
                vec![
                    field("id", Type::String, true),
                    field("tags", list(Type::String), true),
                    field("paging", named("Paging"), false),
                ],
            ),
            structure("Paging", vec![field("next", named("Next"), false)]),
            structure(
                "Next",
                vec![
                    field("after", Type::String, true),
                    field("link", Type::String, false),
                ],
            ),
            structure(
                "StdError",
                vec![
                    field("message", Type::String, true),
                    field("category", Type::String, true),
                    field("links", Type::Map(Box::new(Type::String)), true),
                    field("id", Type::String, false),
                ],
            ),
            structure(
                "Input",
                vec![
                    field("id", Type::String, true),
                    field("tags", list(Type::String), true),
                ],
            ),
            structure("Failure", vec![field("category", Type::String, true)]),
        ];
        let ops = vec![operation(Some(named("Batch")), true)];
        (types, ops, BTreeSet::from(["Failure".to_owned()]))
    }

    #[test]
    fn response_models_get_lenient_collections_and_error_shapes_lenient_fields() {
        let (mut types, mut ops, errors) = sample();
        apply(&mut types, &mut ops, &errors, &[]);
        use FieldDecode::*;
        assert_eq!(decode_of(&types, "Batch", "results"), EmptyWhenMissing);
        assert_eq!(decode_of(&types, "Batch", "errors"), Optional);
        assert_eq!(decode_of(&types, "Batch", "status"), Required);
        assert_eq!(decode_of(&types, "Item", "id"), Required);
        assert_eq!(decode_of(&types, "Item", "tags"), EmptyWhenMissing);
        assert_eq!(decode_of(&types, "Next", "after"), AbsentWhenMissing);
        assert_eq!(decode_of(&types, "StdError", "message"), EmptyWhenMissing);
        assert_eq!(decode_of(&types, "StdError", "category"), AbsentWhenMissing);
        assert_eq!(decode_of(&types, "StdError", "links"), EmptyWhenMissing);
        assert_eq!(decode_of(&types, "StdError", "id"), Optional);
        // Only in requests: strict, as the document says.
        assert_eq!(decode_of(&types, "Input", "tags"), Required);
        // The schema of an error response is an error shape.
        assert_eq!(decode_of(&types, "Failure", "category"), AbsentWhenMissing);
    }

    #[test]
    fn a_field_new_takes_has_no_setter_and_every_other_field_has_one() {
        let (mut types, mut ops, errors) = sample();
        apply(&mut types, &mut ops, &errors, &[]);
        for t in &types {
            let TypeKind::Struct(fields) = &t.kind else {
                continue;
            };
            for f in fields {
                let expected = (!f.decode.in_constructor()).then(|| format!("with_{}", f.name));
                assert_eq!(f.setter, expected, "{}.{}", t.name, f.json_name);
            }
        }
        let TypeKind::Struct(next) = &types[3].kind else {
            panic!()
        };
        // Lenient when decoding, but `new(..)` still takes it: no setter.
        assert_eq!(
            (next[0].decode, next[0].setter.as_deref()),
            (FieldDecode::AbsentWhenMissing, None)
        );
        assert_eq!(next[1].setter.as_deref(), Some("with_link"));
    }

    fn quirk(kind: QuirkKind, schema: &str, field: &str) -> Quirk {
        Quirk {
            kind,
            versions: "*".into(),
            schema: schema.into(),
            field: field.into(),
            source: Some("https://example.com/report".into()),
            note: None,
        }
    }

    fn field_of<'t>(types: &'t [TypeDef], owner: &str, json: &str) -> &'t Field {
        let t = types.iter().find(|t| t.name == owner).unwrap();
        let TypeKind::Struct(fields) = &t.kind else {
            panic!()
        };
        fields.iter().find(|f| f.json_name == json).unwrap()
    }

    #[test]
    fn scalar_quirks_make_fields_of_their_type_tolerant_and_leave_the_rest() {
        let mut types = vec![
            structure(
                "Pair",
                vec![
                    field("toObjectId", Type::String, true),
                    field("ids", list(Type::String), false),
                    field("alias", named("Id"), true),
                    field("typeId", Type::I32, true),
                    field("ratio", Type::F64, false),
                    field("counts", list(Type::I64), true),
                    field("flag", Type::Bool, true),
                    field("when", Type::DateTime, true),
                    field("labels", Type::Map(Box::new(Type::String)), false),
                    field("nested", named("Pair"), false),
                    field("lists", list(list(Type::String)), false),
                    field("aliasedIds", named("Ids"), false),
                ],
            ),
            TypeDef {
                kind: TypeKind::Alias(Type::String),
                ..structure("Id", vec![])
            },
            TypeDef {
                kind: TypeKind::Alias(list(Type::String)),
                ..structure("Ids", vec![])
            },
        ];
        let mut ops = vec![operation(Some(named("Pair")), false)];
        let quirks = [
            quirk(QuirkKind::NumberForString, "*", "*"),
            quirk(QuirkKind::StringForNumber, "*", "*"),
        ];
        apply(&mut types, &mut ops, &BTreeSet::new(), &quirks);
        use ScalarDecode::*;
        for (json, scalar) in [
            ("toObjectId", StringFromNumberOrBool),
            ("ids", StringFromNumberOrBool),
            ("alias", StringFromNumberOrBool),
            ("typeId", NumberFromString),
            ("ratio", NumberFromString),
            ("counts", NumberFromString),
            ("flag", Exact),
            ("when", Exact),
            ("labels", Exact),
            ("nested", Exact),
            ("lists", Exact),
            // An alias of a list prints as its name, which no `_list` codec
            // kind sees through: exact, so decision and printing agree.
            ("aliasedIds", Exact),
        ] {
            assert_eq!(field_of(&types, "Pair", json).scalar, scalar, "{json}");
        }
        // The decoding of a missing value is the policy's, as without quirks.
        let id = field_of(&types, "Pair", "toObjectId");
        assert_eq!(
            (id.decode, id.codec_kind()),
            (FieldDecode::Required, "required_tolerant")
        );
        let ids = field_of(&types, "Pair", "ids");
        assert_eq!(ids.codec_kind(), "optional_tolerant_list");
        let counts = field_of(&types, "Pair", "counts");
        assert_eq!(counts.codec_kind(), "defaulted_tolerant_list");
        let flag = field_of(&types, "Pair", "flag");
        assert_eq!(flag.codec_kind(), "required");

        // Without the quirks, every field is exact.
        let (mut types, mut ops, errors) = sample();
        apply(&mut types, &mut ops, &errors, &[]);
        assert_eq!(field_of(&types, "Item", "id").scalar, Exact);
    }

    #[test]
    fn quirks_select_by_schema_and_field_globs() {
        let (mut types, mut ops, errors) = sample();
        let quirks = [
            quirk(QuirkKind::NumberForString, "Item", "id"),
            quirk(QuirkKind::RequiredButMissing, "Std*", "category"),
            quirk(QuirkKind::RequiredButMissing, "Batch", "status"),
            quirk(QuirkKind::RequiredButMissing, "Input", "*"),
        ];
        apply(&mut types, &mut ops, &errors, &quirks);
        assert_eq!(
            field_of(&types, "Item", "id").scalar,
            ScalarDecode::StringFromNumberOrBool
        );
        assert_eq!(field_of(&types, "Input", "id").scalar, ScalarDecode::Exact);
        assert_eq!(
            field_of(&types, "Next", "after").scalar,
            ScalarDecode::Exact
        );
        use FieldDecode::*;
        // Strict before, lenient now; already lenient stays as it was.
        assert_eq!(decode_of(&types, "Batch", "status"), AbsentWhenMissing);
        assert_eq!(decode_of(&types, "Input", "id"), AbsentWhenMissing);
        assert_eq!(decode_of(&types, "Input", "tags"), EmptyWhenMissing);
        assert_eq!(decode_of(&types, "StdError", "category"), AbsentWhenMissing);
        assert_eq!(decode_of(&types, "Item", "id"), Required);
        // `new(..)` still takes it.
        assert_eq!(field_of(&types, "Batch", "status").setter, None);
    }

    #[test]
    fn an_int32_wider_than_documented_is_an_i64() {
        let mut types = vec![structure(
            "Ids",
            vec![
                field("objectId", Type::I32, true),
                field("objectIds", list(Type::I32), true),
                field("typeId", Type::I32, true),
                field("name", Type::String, true),
            ],
        )];
        let mut ops = vec![operation(Some(named("Ids")), false)];
        let quirks = [
            quirk(QuirkKind::IntegerWiderThanDocumented, "Ids", "object*"),
            quirk(QuirkKind::IntegerWiderThanDocumented, "Ids", "name"),
        ];
        apply(&mut types, &mut ops, &BTreeSet::new(), &quirks);
        assert_eq!(field_of(&types, "Ids", "objectId").ty, Type::I64);
        assert_eq!(field_of(&types, "Ids", "objectIds").ty, list(Type::I64));
        assert_eq!(field_of(&types, "Ids", "typeId").ty, Type::I32);
        assert_eq!(field_of(&types, "Ids", "name").ty, Type::String);
    }

    #[test]
    fn a_quirks_entry_changes_the_ir_of_the_versions_it_selects() {
        let document = r##"
            paths:
              /pairs:
                get:
                  responses:
                    "200":
                      description: ok
                      content:
                        application/json:
                          schema: {$ref: "#/components/schemas/Pair"}
            components:
              schemas:
                Pair:
                  type: object
                  required: [toObjectId, typeId, category]
                  properties:
                    toObjectId: {type: string}
                    typeId: {type: integer, format: int32}
                    category: {type: string}
                    labels: {type: array, items: {type: string}}
        "##;
        let quirks = r#"
            [[quirks]]
            kind = "number-for-string"
            versions = "v4"
            field = "*Id"
            source = "https://github.com/HubSpot/hubspot-api-nodejs/issues/552"

            [[quirks]]
            kind = "integer-wider-than-documented"
            schema = "Pair"
            field = "typeId"
            source = "https://example.com/int32-report"

            [[quirks]]
            kind = "required-but-missing"
            field = "category"
            source = "https://example.com/missing-report"
        "#;
        let without = crate::lower::test_support::dump_yaml_with(document, "", "v4/t.yaml");
        insta::assert_snapshot!(without, @r#"
        struct Pair <- Pair
          to_object_id "toObjectId": string required decode=strict arg=id
          type_id "typeId": i32 required decode=strict
          category "category": string required decode=strict
          labels "labels": [string] decode=optional setter=with_labels
        operation list_pairs = GET /pairs
          endpoint "GET /pairs"
          retry=idempotent other-2xx-as=200
          200 Ok json Pair
        "#);
        let v4 = crate::lower::test_support::dump_yaml_with(document, quirks, "v4/t.yaml");
        insta::assert_snapshot!(v4, @r#"
        struct Pair <- Pair
          to_object_id "toObjectId": string required decode=strict scalar=string-from-number-or-bool arg=id
          type_id "typeId": i64 required decode=strict
          category "category": string required decode=none-if-missing
          labels "labels": [string] decode=optional setter=with_labels
        operation list_pairs = GET /pairs
          endpoint "GET /pairs"
          retry=idempotent other-2xx-as=200
          200 Ok json Pair
        "#);
        // Only the entries whose `versions` match.
        let dated = crate::lower::test_support::dump_yaml_with(document, quirks, "2026-03/t.yaml");
        insta::assert_snapshot!(dated, @r#"
        struct Pair <- Pair
          to_object_id "toObjectId": string required decode=strict arg=id
          type_id "typeId": i64 required decode=strict
          category "category": string required decode=none-if-missing
          labels "labels": [string] decode=optional setter=with_labels
        operation list_pairs = GET /pairs
          endpoint "GET /pairs"
          retry=idempotent other-2xx-as=200
          200 Ok json Pair
        "#);
    }

    #[test]
    fn batch_bodies_keep_undecodable_entries() {
        let (mut types, mut ops, errors) = sample();
        apply(&mut types, &mut ops, &errors, &[]);
        assert!(ops[0].responses[0].keeps_undecoded);
        let TypeKind::Struct(fields) = &types[0].kind else {
            panic!()
        };
        let keeping: Vec<&str> = fields
            .iter()
            .filter(|f| f.keep_undecoded)
            .map(|f| f.json_name.as_str())
            .collect();
        assert_eq!(keeping, ["results", "errors"]);

        // Its only success body has `errors`: a 207 decodes into it too.
        assert!(ops[0].responses[0].also_multi_status);

        // Not a batch operation: strict lists.
        let (mut types, _, errors) = sample();
        let mut ops = vec![operation(Some(named("Batch")), false)];
        apply(&mut types, &mut ops, &errors, &[]);
        assert!(!ops[0].responses[0].keeps_undecoded);
    }
}
