//! IR types → model structs, open enums, unions and aliases.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::builder::{self, Builder, BuilderField};
use super::docs::{code, doc_attrs};
use super::types::{field_type, ident, rust_type, variant_type};
use crate::ir::{
    BatchInput, Field, FieldDecode, Origin, ScalarDecode, Type, TypeDef, TypeKind, UnionVariant,
};
use crate::naming::{OTHER_VARIANT, UNDECODED_FIELD, UNKNOWN_VARIANT};

/// The items for a document's types, in order: structs, enums, unions, aliases.
pub fn models(types: &[TypeDef]) -> TokenStream {
    let items = types.iter().map(type_def);
    quote!(#(#items)*)
}

/// For each batch body built from its items alone: `FromIterator` and
/// `From<Vec<_>>` of its items, and `from_ids` where an item is one id.
/// Small and generic or `#[inline]`, so a body nobody builds this way costs
/// the crate's build next to nothing.
pub fn batch_inputs(inputs: &[BatchInput]) -> TokenStream {
    let rt = super::paths::internals();
    let items = inputs.iter().map(|b| {
        let name = ident(&b.type_name);
        let item = ident(&b.item);
        let from_ids = b.from_ids.as_deref().map(|f| {
            let f = ident(f);
            let doc = format!(
                " One input per record id, in order: `{}::{f}([101, 102])`, \
                 `{}::{f}(1..=2500u64)`, or `String`s; each id is sent as the text the \
                 document asks for. Any number of ids: the call splits them into requests \
                 of HubSpot's limit.",
                b.type_name, b.type_name
            );
            quote! {
                impl #name {
                    #[doc = #doc]
                    pub fn #f<I>(ids: I) -> Self
                    where
                        I: IntoIterator,
                        I::Item: Into<#rt::ObjectId>,
                    {
                        ids.into_iter().map(#item::new).collect()
                    }
                }
            }
        });
        let collect_doc = format!(
            " Collects the inputs: `items.into_iter().map(..).collect::<{}>()`.",
            b.type_name
        );
        quote! {
            impl FromIterator<#item> for #name {
                #[doc = #collect_doc]
                fn from_iter<I: IntoIterator<Item = #item>>(items: I) -> Self {
                    Self::new(items.into_iter().collect())
                }
            }

            impl From<Vec<#item>> for #name {
                #[inline]
                fn from(items: Vec<#item>) -> Self {
                    Self::new(items)
                }
            }

            #from_ids
        }
    });
    quote!(#(#items)*)
}

fn type_def(def: &TypeDef) -> TokenStream {
    let rt = super::paths::internals();
    let origin = match &def.origin {
        Origin::SharedEnum { json_field, .. } => format!(
            "Values of {} fields. Open: a value HubSpot adds later decodes as `{UNKNOWN_VARIANT}` and encodes back unchanged.",
            code(json_field)
        ),
        Origin::Inline(_) => format!("Schema at {}.", code(&def.origin.to_string())),
        Origin::Schema(name) => format!("Schema {}.", code(name)),
    };
    let docs = doc_attrs(def.doc.as_deref().into_iter().chain([origin.as_str()]));
    let deprecated = def.deprecated.then(|| quote!(#[deprecated]));
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct(fields) => structure(&name, &docs, deprecated, fields),
        TypeKind::Enum(variants) => {
            let unknown = ident(UNKNOWN_VARIANT);
            let defs = variants.iter().map(|v| {
                let variant = ident(&v.name);
                let doc = format!(" {}", code(&v.value));
                quote!(#[doc = #doc] #variant,)
            });
            let pairs = variants.iter().map(|v| {
                let variant = ident(&v.name);
                let value = &v.value;
                quote!(#variant = #value)
            });
            quote! {
                #docs
                #deprecated
                #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
                #[non_exhaustive]
                pub enum #name {
                    #(#defs)*
                    #[doc = " A value this document does not list, kept verbatim."]
                    #unknown(String),
                }

                #rt::open_enum!(#name { #(#pairs),* });
            }
        }
        TypeKind::Union {
            discriminator,
            variants,
        } => union(&name, &docs, deprecated, discriminator.as_deref(), variants),
        TypeKind::Alias(ty) => {
            let ty = rust_type(ty);
            quote!(#docs #deprecated pub type #name = #ty;)
        }
    }
}

/// The field's doc line about its JSON key and the decoding policy.
fn json_note(f: &Field) -> String {
    let rule = match f.decode {
        FieldDecode::Optional | FieldDecode::Nullable => "",
        FieldDecode::Required => ", required",
        FieldDecode::EmptyWhenMissing => {
            ", required; HubSpot may leave it out: missing or `null` decodes as empty"
        }
        FieldDecode::AbsentWhenMissing => {
            ", required; HubSpot may leave it out: missing or `null` decodes as `None` \
             (`new(..)` still takes it)"
        }
    };
    let list = matches!(f.ty, Type::Vec(_));
    let scalar = match f.scalar {
        ScalarDecode::Exact => "",
        ScalarDecode::StringFromNumberOrBool if list => {
            " Entries also decode from JSON numbers (an integer as its exact text; another \
             number as the shortest text of its `f64`, refused when whole and past ±2^53) \
             or booleans."
        }
        ScalarDecode::StringFromNumberOrBool => {
            " Also decodes from a JSON number (an integer as its exact text, `5434402448`; \
             another number as the shortest text of its `f64`, `1e3` as `1000`, refused \
             when whole and past ±2^53) or boolean."
        }
        ScalarDecode::NumberFromString if list => {
            " Entries also decode from strings holding the number."
        }
        ScalarDecode::NumberFromString => {
            " Also decodes from a string holding the number (`\"12\"`)."
        }
    };
    format!("JSON: {}{rule}.{scalar}", code(&f.json_name))
}

fn structure(
    name: &proc_macro2::Ident,
    docs: &TokenStream,
    deprecated: Option<TokenStream>,
    fields: &[Field],
) -> TokenStream {
    let rt = super::paths::internals();
    let all_optional = fields.iter().all(|f| !f.decode.in_constructor());
    let default = all_optional.then(|| quote!(Default,));
    let mut field_defs: Vec<TokenStream> = fields
        .iter()
        .map(|f| {
            let fname = ident(&f.name);
            let ty = field_type(f);
            let mut notes = Vec::new();
            if f.read_only {
                notes.push("Read-only: set by HubSpot, ignored in requests.".to_owned());
            }
            notes.push(json_note(f));
            let docs = doc_attrs(
                f.doc
                    .as_deref()
                    .into_iter()
                    .chain(notes.iter().map(String::as_str)),
            );
            let deprecated = f.deprecated.then(|| quote!(#[deprecated]));
            quote!(#docs #deprecated pub #fname: #ty,)
        })
        .collect();
    let keeping: Vec<&Field> = fields.iter().filter(|f| f.keep_undecoded).collect();
    let undecoded = ident(UNDECODED_FIELD);
    if !keeping.is_empty() {
        let lists = keeping
            .iter()
            .map(|f| code(&f.json_name))
            .collect::<Vec<_>>()
            .join(" or ");
        let doc = format!(
            " Entries of {lists} that did not decode, kept as JSON with where and why, so one \
             malformed entry does not fail the response. Never encoded."
        );
        field_defs.push(quote! {
            #[doc = #doc]
            pub #undecoded: Vec<#rt::UndecodedEntry>,
        });
    }

    let any_deprecated = fields.iter().any(|f| f.deprecated) || deprecated.is_some();
    let builder = builder::builder(&Builder {
        type_name: &name.to_string(),
        new_doc: format!(
            "Creates {} from its required fields.",
            code(&name.to_string())
        ),
        allow_deprecated: any_deprecated,
        fields: fields
            .iter()
            .map(|f| BuilderField {
                name: &f.name,
                setter: f.setter.as_deref(),
                wire_name: &f.json_name,
                ty: &f.ty,
                arg: f.arg,
                boxed: f.boxed,
                optional: f.decode.is_option(),
            })
            .collect(),
        extra_inits: (!keeping.is_empty())
            .then(|| quote!(#undecoded: Vec::new(),))
            .into_iter()
            .collect(),
    });
    let allow_deprecated = any_deprecated.then(|| quote!(#[allow(deprecated)]));
    let codec = struct_codec(name, fields);
    quote! {
        #docs
        #deprecated
        #[derive(Debug, Clone, PartialEq, #default)]
        #[non_exhaustive]
        #allow_deprecated
        pub struct #name {
            #(#field_defs)*
        }

        #builder

        #codec
    }
}

/// `Serialize` and `Deserialize` for a struct: one line per field for the
/// runtime's `json_struct!` (see `runtime/codec.rs`), which writes the impls
/// without proc macros; lists that keep undecodable entries are named to
/// `keep_undecoded!`.
fn struct_codec(name: &proc_macro2::Ident, fields: &[Field]) -> TokenStream {
    let rt = super::paths::internals();
    let entries = fields.iter().map(|f| {
        let kind = ident(f.codec_kind());
        let fname = ident(&f.name);
        let json = &f.json_name;
        quote!(#kind #fname = #json,)
    });
    let keeping: Vec<TokenStream> = fields
        .iter()
        .filter(|f| f.keep_undecoded)
        .map(|f| {
            let fname = ident(&f.name);
            let json = &f.json_name;
            quote!(#fname = #json)
        })
        .collect();
    if keeping.is_empty() {
        return quote!(#rt::json_struct!(#name { #(#entries)* }););
    }
    let undecoded = ident(UNDECODED_FIELD);
    quote! {
        #rt::json_struct!(#name { #(#entries)* kept #undecoded = #UNDECODED_FIELD, });
        #rt::keep_undecoded!(#name, #undecoded, [#(#keeping),*]);
    }
}

fn union(
    name: &proc_macro2::Ident,
    docs: &TokenStream,
    deprecated: Option<TokenStream>,
    discriminator: Option<&str>,
    variants: &[UnionVariant],
) -> TokenStream {
    let rt = super::paths::internals();
    let variant_defs = variants.iter().map(|v| {
        let vname = ident(&v.name);
        let ty = variant_type(v);
        let doc = match &v.tag {
            Some(tag) => format!("Chosen when the discriminator is {}.", code(tag)),
            None => "One of the alternatives, tried in document order.".to_owned(),
        };
        quote!(#[doc = #doc] #vname(#ty),)
    });
    let serialize_arms = variants.iter().map(|v| {
        let vname = ident(&v.name);
        quote!(Self::#vname(value) => #rt::serde::Serialize::serialize(value, serializer),)
    });
    let other = ident(OTHER_VARIANT);
    let other_doc =
        "A value none of the known alternatives accepts, kept as JSON so nothing is lost.";
    let header = quote! {
        #docs
        #deprecated
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_defs)*
            #[doc = #other_doc]
            #other(#rt::serde_json::Value),
        }

        // Untagged: each variant encodes as its own value.
        impl #rt::serde::Serialize for #name {
            fn serialize<S: #rt::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize_arms)*
                    Self::#other(value) => #rt::serde::Serialize::serialize(value, serializer),
                }
            }
        }
    };
    match discriminator {
        None => {
            // Untagged: serde tries the alternatives in order, `Other` last.
            let arms = variants.iter().map(|v| {
                let vname = ident(&v.name);
                // A closure called in place would not parse as a call.
                let variant = if v.boxed {
                    quote!(Self::#vname(Box::new(v)))
                } else {
                    quote!(Self::#vname(v))
                };
                quote! {
                    if let Ok(v) = #rt::serde_json::from_value(value.clone()) {
                        return Ok(#variant);
                    }
                }
            });
            quote! {
                #header
                impl<'de> #rt::serde::Deserialize<'de> for #name {
                    fn deserialize<D: #rt::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        let value = <#rt::serde_json::Value as #rt::serde::Deserialize>::deserialize(deserializer)?;
                        #(#arms)*
                        Ok(Self::#other(value))
                    }
                }
            }
        }
        Some(property) => {
            let arms = variants.iter().filter_map(|v| {
                let tag = v.tag.as_ref()?;
                let vname = ident(&v.name);
                let wrap = if v.boxed { quote!(|v| Self::#vname(Box::new(v))) } else { quote!(Self::#vname) };
                Some(quote! {
                    Some(#tag) => #rt::serde_json::from_value(value).map(#wrap).map_err(#rt::serde::de::Error::custom),
                })
            });
            let property = Literal::string(property);
            quote! {
                #header
                impl<'de> #rt::serde::Deserialize<'de> for #name {
                    fn deserialize<D: #rt::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        let value = <#rt::serde_json::Value as #rt::serde::Deserialize>::deserialize(deserializer)?;
                        let tag = value.get(#property).and_then(#rt::serde_json::Value::as_str).map(str::to_owned);
                        match tag.as_deref() {
                            #(#arms)*
                            _ => Ok(Self::#other(value)),
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Type;

    fn text(types: &[TypeDef]) -> String {
        super::super::format_file("models.rs", models(types)).unwrap()
    }

    fn def(name: &str, origin: Origin, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.into(),
            origin,
            doc: None,
            deprecated: false,
            kind,
        }
    }

    fn field(json: &str, ty: Type, decode: FieldDecode) -> Field {
        let name = crate::naming::snake_ident(json);
        Field {
            setter: (!decode.in_constructor()).then(|| crate::naming::setter_name(&name)),
            arg: crate::ir::ArgKind::of(&ty, json),
            name,
            json_name: json.into(),
            ty,
            required: decode.in_constructor(),
            nullable: false,
            decode,
            scalar: Default::default(),
            keep_undecoded: false,
            boxed: false,
            read_only: false,
            deprecated: false,
            doc: None,
        }
    }

    #[test]
    fn the_origin_is_named_in_the_docs() {
        let kind = || TypeKind::Alias(Type::String);
        let text = text(&[
            def("Named", Origin::Schema("named_schema".into()), kind()),
            def(
                "Inline",
                Origin::Inline("/paths/~1things/get/responses/200".into()),
                kind(),
            ),
            def(
                "AssociationCategory",
                Origin::SharedEnum {
                    field: "AssociationCategory".into(),
                    json_field: "associationCategory".into(),
                },
                TypeKind::Enum(vec![crate::ir::EnumVariant {
                    name: "HubspotDefined".into(),
                    value: "HUBSPOT_DEFINED".into(),
                }]),
            ),
        ]);
        assert!(
            text.contains("/// Schema `named_schema`.\npub type Named = String;"),
            "{text}"
        );
        assert!(
            text.contains("/// Schema at `#/paths/~1things/get/responses/200`.\n"),
            "{text}"
        );
        assert!(
            text.contains("/// Values of `associationCategory` fields. Open:"),
            "{text}"
        );
        assert!(
            text.contains("    HubspotDefined = \"HUBSPOT_DEFINED\",\n"),
            "{text}"
        );
    }

    #[test]
    fn a_struct_gets_the_shared_builder_and_its_codec() {
        let mut errors = field(
            "errors",
            Type::Vec(Box::new(Type::Json)),
            FieldDecode::Optional,
        );
        errors.keep_undecoded = true;
        let fields = vec![
            field("id", Type::String, FieldDecode::Required),
            field("count", Type::I32, FieldDecode::Required),
            field("after", Type::String, FieldDecode::Optional),
            errors,
        ];
        let text = text(&[def(
            "Page",
            Origin::Schema("Page".into()),
            TypeKind::Struct(fields),
        )]);
        assert!(
            text.contains("pub fn new(id: impl Into<crate::runtime::__private::ObjectId>, count: i32) -> Self {"),
            "{text}"
        );
        assert!(
            text.contains("pub fn with_after(mut self, value: impl Into<String>) -> Self {"),
            "{text}"
        );
        let compact: String = text.split_whitespace().collect();
        assert!(
            compact.contains(
                "#[inline]pubfnwith_errors(mutself,value:Vec<crate::runtime::__private::serde_json::Value>,)->Self{"
            ),
            "{text}"
        );
        assert!(
            text.contains("id: crate::runtime::__private::ObjectId::into_text(id),"),
            "{text}"
        );
        assert!(text.contains("undecoded: Vec::new(),"), "{text}");
        assert!(text.contains("    required id = \"id\",\n"), "{text}");
        assert!(text.contains("    optional after = \"after\",\n"), "{text}");
        assert!(
            text.contains(
                "crate::runtime::__private::keep_undecoded!(Page, undecoded, [errors = \"errors\"]);"
            ),
            "{text}"
        );
        // Required fields: no `Default`.
        assert!(
            text.contains("#[derive(Debug, Clone, PartialEq)]\n"),
            "{text}"
        );
    }
}

/// One test per construct this file prints: unions (tagged, untagged,
/// boxed variants), each codec kind of a struct field, open enums.
#[cfg(test)]
mod construct_tests {
    use super::*;
    use crate::ir::{EnumVariant, Type};

    fn text(types: &[TypeDef]) -> String {
        super::super::format_file("models.rs", models(types)).unwrap()
    }

    fn def(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.into(),
            origin: Origin::Schema(name.into()),
            doc: None,
            deprecated: false,
            kind,
        }
    }

    /// The one place a `Field` is built, so a change to its shape is one edit.
    fn field(json: &str, ty: Type, decode: FieldDecode) -> Field {
        let name = crate::naming::snake_ident(json);
        Field {
            setter: (!decode.in_constructor()).then(|| crate::naming::setter_name(&name)),
            arg: crate::ir::ArgKind::of(&ty, json),
            name,
            json_name: json.into(),
            ty,
            required: decode != FieldDecode::Optional,
            nullable: decode == FieldDecode::Nullable,
            decode,
            scalar: Default::default(),
            keep_undecoded: false,
            boxed: false,
            read_only: false,
            deprecated: false,
            doc: None,
        }
    }

    fn variant(name: &str, ty: Type, tag: Option<&str>, boxed: bool) -> UnionVariant {
        UnionVariant {
            name: name.into(),
            ty,
            tag: tag.map(str::to_owned),
            boxed,
        }
    }

    /// Whitespace aside: prettyplease wraps lines by their length.
    fn assert_has(text: &str, needle: &str) {
        let compact = |t: &str| t.split_whitespace().collect::<String>();
        assert!(
            compact(text).contains(&compact(needle)),
            "missing:\n{needle}\nin:\n{text}"
        );
    }

    #[test]
    fn a_tagged_union_dispatches_on_its_discriminator() {
        let text = text(&[def(
            "Shape",
            TypeKind::Union {
                discriminator: Some("kind".into()),
                variants: vec![
                    variant(
                        "Circle",
                        Type::Named("Circle".into()),
                        Some("circle"),
                        false,
                    ),
                    variant("Group", Type::Named("Group".into()), Some("group"), true),
                ],
            },
        )]);
        assert_has(
            &text,
            "    /// Chosen when the discriminator is `circle`.\n    Circle(Circle),\n",
        );
        assert_has(&text, "    Group(Box<Group>),\n");
        assert_has(
            &text,
            "    /// A value none of the known alternatives accepts, kept as JSON so nothing is lost.\n    Other(crate::runtime::__private::serde_json::Value),\n",
        );
        assert_has(&text, ".get(\"kind\")");
        assert_has(
            &text,
            "Some(\"circle\") => {\n                crate::runtime::__private::serde_json::from_value(value)\n                    .map(Self::Circle)\n",
        );
        assert_has(&text, ".map(|v| Self::Group(Box::new(v)))");
        assert_has(&text, "_ => Ok(Self::Other(value)),");
        // Encoding writes the variant's own value (its tag is inside it).
        assert_has(
            &text,
            "Self::Group(value) => { crate::runtime::__private::serde::Serialize::serialize(value, serializer) }",
        );
    }

    #[test]
    fn an_untagged_union_tries_its_variants_in_order() {
        let text = text(&[def(
            "Value",
            TypeKind::Union {
                discriminator: None,
                variants: vec![
                    variant("String", Type::String, None, false),
                    variant("Node", Type::Named("Node".into()), None, true),
                ],
            },
        )]);
        assert_has(
            &text,
            "    /// One of the alternatives, tried in document order.\n    String(String),\n",
        );
        assert_has(&text, "    Node(Box<Node>),\n");
        let string = text
            .find("return Ok(Self::String(v));")
            .expect("String is tried");
        let node = text
            .find("return Ok(Self::Node(Box::new(v)));")
            .expect("Node is tried, boxed");
        let other = text.find("Ok(Self::Other(value))").expect("Other last");
        assert!(string < node && node < other, "{text}");
        assert!(!text.contains(".get("), "no discriminator read:\n{text}");
    }

    #[test]
    fn each_field_decoding_prints_its_codec_kind_and_type() {
        let list = || Type::Vec(Box::new(Type::String));
        let fields = vec![
            field("req", Type::String, FieldDecode::Required),
            field("nul", Type::String, FieldDecode::Nullable),
            field("opt", Type::String, FieldDecode::Optional),
            field("absent", Type::String, FieldDecode::AbsentWhenMissing),
            field("dflt", Type::String, FieldDecode::EmptyWhenMissing),
            field("json", Type::Json, FieldDecode::Required),
            field("reqList", list(), FieldDecode::Required),
            field("optList", list(), FieldDecode::Optional),
            field("absentList", list(), FieldDecode::AbsentWhenMissing),
            field("nulList", list(), FieldDecode::Nullable),
            field("dfltList", list(), FieldDecode::EmptyWhenMissing),
        ];
        let text = text(&[def("All", TypeKind::Struct(fields))]);
        for (kind, rust, json, ty) in [
            ("required", "req", "req", "String"),
            ("nullable", "nul", "nul", "Option<String>"),
            ("optional", "opt", "opt", "Option<String>"),
            ("optional", "absent", "absent", "Option<String>"),
            ("defaulted", "dflt", "dflt", "String"),
            (
                "required_json",
                "json",
                "json",
                "crate::runtime::__private::serde_json::Value",
            ),
            ("required_list", "req_list", "reqList", "Vec<String>"),
            (
                "optional_list",
                "opt_list",
                "optList",
                "Option<Vec<String>>",
            ),
            (
                "optional_list",
                "absent_list",
                "absentList",
                "Option<Vec<String>>",
            ),
            (
                "nullable_list",
                "nul_list",
                "nulList",
                "Option<Vec<String>>",
            ),
            ("defaulted_list", "dflt_list", "dfltList", "Vec<String>"),
        ] {
            assert_has(&text, &format!("\n    {kind} {rust} = \"{json}\",\n"));
            assert_has(&text, &format!("    pub {rust}: {ty},\n"));
        }
        // The policy is in each field's docs.
        assert_has(&text, "/// JSON: `req`, required.\n");
        assert_has(&text, "/// JSON: `opt`.\n");
        assert_has(
            &text,
            "/// JSON: `dflt`, required; HubSpot may leave it out: missing or `null` decodes as empty.\n",
        );
        assert_has(
            &text,
            "/// JSON: `absent`, required; HubSpot may leave it out: missing or `null` decodes as `None` (`new(..)` still takes it).\n",
        );
    }

    #[test]
    fn a_tolerant_scalar_prints_its_tolerant_kind_and_says_so_in_its_docs() {
        let tolerant = |json, ty, decode, scalar| Field {
            scalar,
            ..field(json, ty, decode)
        };
        let list = |ty| Type::Vec(Box::new(ty));
        use ScalarDecode::*;
        let fields = vec![
            tolerant(
                "toObjectId",
                Type::String,
                FieldDecode::Required,
                StringFromNumberOrBool,
            ),
            tolerant(
                "label",
                Type::String,
                FieldDecode::Nullable,
                StringFromNumberOrBool,
            ),
            tolerant(
                "ids",
                list(Type::String),
                FieldDecode::Optional,
                StringFromNumberOrBool,
            ),
            tolerant("typeId", Type::I32, FieldDecode::Required, NumberFromString),
            tolerant(
                "counts",
                list(Type::I64),
                FieldDecode::EmptyWhenMissing,
                NumberFromString,
            ),
            tolerant(
                "after",
                Type::String,
                FieldDecode::AbsentWhenMissing,
                StringFromNumberOrBool,
            ),
            tolerant(
                "message",
                Type::String,
                FieldDecode::EmptyWhenMissing,
                StringFromNumberOrBool,
            ),
            tolerant("exact", Type::String, FieldDecode::Required, Exact),
        ];
        let text = text(&[def("Pair", TypeKind::Struct(fields))]);
        for (kind, rust, json, ty) in [
            ("required_tolerant", "to_object_id", "toObjectId", "String"),
            ("nullable_tolerant", "label", "label", "Option<String>"),
            (
                "optional_tolerant_list",
                "ids",
                "ids",
                "Option<Vec<String>>",
            ),
            ("required_tolerant", "type_id", "typeId", "i32"),
            ("defaulted_tolerant_list", "counts", "counts", "Vec<i64>"),
            ("optional_tolerant", "after", "after", "Option<String>"),
            ("defaulted_tolerant", "message", "message", "String"),
            ("required", "exact", "exact", "String"),
        ] {
            assert_has(&text, &format!("\n    {kind} {rust} = \"{json}\",\n"));
            assert_has(&text, &format!("    pub {rust}: {ty},\n"));
        }
        assert_has(
            &text,
            "/// JSON: `toObjectId`, required. Also decodes from a JSON number (an integer as its exact text, `5434402448`; another number as the shortest text of its `f64`, `1e3` as `1000`, refused when whole and past ±2^53) or boolean.\n",
        );
        assert_has(
            &text,
            "/// JSON: `ids`. Entries also decode from JSON numbers (an integer as its exact text; another number as the shortest text of its `f64`, refused when whole and past ±2^53) or booleans.\n",
        );
        assert_has(
            &text,
            "/// JSON: `typeId`, required. Also decodes from a string holding the number (`\"12\"`).\n",
        );
        assert_has(&text, "/// JSON: `exact`, required.\n");
    }

    #[test]
    fn a_struct_of_optional_fields_derives_default() {
        let text = text(&[def(
            "Opts",
            TypeKind::Struct(vec![
                field("a", Type::String, FieldDecode::Optional),
                field("b", Type::I64, FieldDecode::Nullable),
            ]),
        )]);
        assert_has(&text, "#[derive(Debug, Clone, PartialEq, Default)]\n");
        assert_has(
            &text,
            "crate::runtime::__private::json_struct!(Opts {\n    optional a = \"a\",\n    nullable b = \"b\",\n});",
        );
    }

    #[test]
    fn an_enum_is_open_and_keeps_unknown_values() {
        let text = text(&[def(
            "Color",
            TypeKind::Enum(vec![
                EnumVariant {
                    name: "Red".into(),
                    value: "red".into(),
                },
                EnumVariant {
                    name: "DarkBlue".into(),
                    value: "dark-blue".into(),
                },
            ]),
        )]);
        assert_has(
            &text,
            "#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]\n#[non_exhaustive]\npub enum Color {\n    /// `red`\n    Red,\n    /// `dark-blue`\n    DarkBlue,\n    /// A value this document does not list, kept verbatim.\n    Unknown(String),\n}\n",
        );
        assert_has(
            &text,
            "crate::runtime::__private::open_enum!(Color {\n    Red = \"red\",\n    DarkBlue = \"dark-blue\",\n});",
        );
    }

    #[test]
    fn a_batch_input_collects_its_items_and_one_of_ids_builds_from_ids() {
        use crate::ir::BatchInput;
        let text = |inputs: &[BatchInput]| {
            super::super::format_file("models.rs", super::batch_inputs(inputs)).unwrap()
        };
        let ids = text(&[BatchInput {
            type_name: "BatchIds".into(),
            item: "OneId".into(),
            from_ids: Some("from_ids".into()),
        }]);
        let compact: String = ids.split_whitespace().collect();
        for expected in [
            "implFromIterator<OneId>forBatchIds{",
            "fnfrom_iter<I:IntoIterator<Item=OneId>>(items:I)->Self{Self::new(items.into_iter().collect())}",
            "implFrom<Vec<OneId>>forBatchIds{#[inline]fnfrom(items:Vec<OneId>)->Self{Self::new(items)}}",
            "pubfnfrom_ids<I>(ids:I)->SelfwhereI:IntoIterator,I::Item:Into<crate::runtime::__private::ObjectId>,{ids.into_iter().map(OneId::new).collect()}",
        ] {
            assert!(compact.contains(expected), "{expected}: {ids}");
        }
        let pairs = text(&[BatchInput {
            type_name: "BatchPairs".into(),
            item: "Pair".into(),
            from_ids: None,
        }]);
        assert!(
            pairs.contains("impl FromIterator<Pair> for BatchPairs {"),
            "{pairs}"
        );
        assert!(!pairs.contains("from_ids"), "{pairs}");
    }
}
