//! IR types → Rust type tokens, and their text for the changelog.
//!
//! Every type emit prints for a field, a union variant, an alias or a
//! response body comes from here; `diff` shows types through [`type_text`]
//! of these same tokens, so a changelog never names a type the generated
//! crate does not have.

use proc_macro2::{Delimiter, Ident, Span, TokenStream, TokenTree};
use quote::quote;

use crate::ir::{Field, ResponseBody, Type, UnionVariant};

pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The owned Rust type of a value of `ty`.
pub fn rust_type(ty: &Type) -> TokenStream {
    let rt = super::paths::internals();
    match ty {
        Type::String => quote!(String),
        Type::I32 => quote!(i32),
        Type::I64 => quote!(i64),
        Type::F32 => quote!(f32),
        Type::F64 => quote!(f64),
        Type::Bool => quote!(bool),
        Type::DateTime => quote!(#rt::Timestamp),
        Type::Date => quote!(#rt::Date),
        Type::Json => quote!(#rt::serde_json::Value),
        Type::Named(name) => {
            let name = ident(name);
            quote!(#name)
        }
        Type::Vec(inner) => {
            let inner = rust_type(inner);
            quote!(Vec<#inner>)
        }
        Type::Map(inner) => {
            let inner = rust_type(inner);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
    }
}

/// A struct field's declared type: `Box` when it leads back to its own
/// type, `Option` when missing or `null` decodes to `None`.
pub fn field_type(field: &Field) -> TokenStream {
    let mut ty = rust_type(&field.ty);
    if field.boxed {
        ty = quote!(Box<#ty>);
    }
    if field.decode.is_option() {
        quote!(Option<#ty>)
    } else {
        ty
    }
}

/// A union variant's payload type (`Box` when it leads back to the union).
pub fn variant_type(variant: &UnionVariant) -> TokenStream {
    let ty = rust_type(&variant.ty);
    if variant.boxed { quote!(Box<#ty>) } else { ty }
}

/// What a success response's body decodes into.
pub fn response_body_type(body: &ResponseBody) -> TokenStream {
    match body {
        ResponseBody::Empty => quote!(()),
        ResponseBody::Json(ty) => rust_type(ty),
        ResponseBody::Text => quote!(String),
        ResponseBody::Bytes => quote!(Vec<u8>),
    }
}

/// Type tokens as one line a reader knows from the code: `Option<Vec<String>>`,
/// `BTreeMap<String, i64>`. A path into the generated crate or into `std` is
/// shown by its last segment (`crate::Timestamp`, `crate::runtime::…::Timestamp`
/// → `Timestamp`), so the text stays the same wherever emit reaches the item
/// from; other crates' paths are kept (`serde_json::Value`).
pub fn type_text(tokens: &TokenStream) -> String {
    let mut out = String::new();
    write_type_tokens(tokens.clone(), &mut out);
    out
}

fn write_type_tokens(tokens: TokenStream, out: &mut String) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    // After an identifier or literal, the next one needs a space (`impl Into`).
    let mut after_word = false;
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Ident(first) => {
                let mut path = vec![first.to_string()];
                while let [
                    TokenTree::Punct(a),
                    TokenTree::Punct(b),
                    TokenTree::Ident(next),
                    ..,
                ] = &tokens[i + 1..]
                {
                    if (a.as_char(), b.as_char()) != (':', ':') {
                        break;
                    }
                    path.push(next.to_string());
                    i += 3;
                }
                if after_word {
                    out.push(' ');
                }
                // Another crate reached through the runtime's re-exports
                // (`…::__private::serde_json::Value`) keeps its own path.
                let private = path.iter().position(|s| s == super::paths::PRIVATE_MODULE);
                match (path[0].as_str(), private) {
                    ("crate", Some(at)) => out.push_str(&path[at + 1..].join("::")),
                    ("crate" | "std", None) => out.push_str(&path[path.len() - 1]),
                    _ => out.push_str(&path.join("::")),
                }
                after_word = true;
            }
            TokenTree::Literal(literal) => {
                if after_word {
                    out.push(' ');
                }
                out.push_str(&literal.to_string());
                after_word = true;
            }
            TokenTree::Punct(punct) => {
                out.push(punct.as_char());
                if punct.as_char() == ',' {
                    out.push(' ');
                }
                after_word = false;
            }
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::None => ("", ""),
                };
                out.push_str(open);
                write_type_tokens(group.stream(), out);
                out.push_str(close);
                after_word = false;
            }
        }
        i += 1;
    }
}

/// The type a method argument takes for a value of `ty` (borrowed where cheap).
pub fn arg_type(ty: &Type) -> TokenStream {
    if ty.is_copy() {
        return rust_type(ty);
    }
    match ty {
        Type::String => quote!(&str),
        Type::Vec(inner) => {
            let inner = rust_type(inner);
            quote!(&[#inner])
        }
        other => {
            let t = rust_type(other);
            quote!(&#t)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::FieldDecode;

    fn owned(ty: &Type) -> String {
        rust_type(ty).to_string()
    }

    fn arg(ty: &Type) -> String {
        arg_type(ty).to_string()
    }

    fn vec(ty: Type) -> Type {
        Type::Vec(Box::new(ty))
    }

    fn map(ty: Type) -> Type {
        Type::Map(Box::new(ty))
    }

    #[test]
    fn each_ir_type_has_its_rust_type() {
        for (ty, rust) in [
            (Type::String, "String"),
            (Type::I32, "i32"),
            (Type::I64, "i64"),
            (Type::F32, "f32"),
            (Type::F64, "f64"),
            (Type::Bool, "bool"),
            (Type::DateTime, "crate :: runtime :: __private :: Timestamp"),
            (Type::Date, "crate :: runtime :: __private :: Date"),
            (
                Type::Json,
                "crate :: runtime :: __private :: serde_json :: Value",
            ),
            (Type::Named("Page".into()), "Page"),
            (vec(Type::I64), "Vec < i64 >"),
            (
                map(vec(Type::Named("A".into()))),
                "std :: collections :: BTreeMap < String , Vec < A > >",
            ),
        ] {
            assert_eq!(owned(&ty), rust, "{ty}");
        }
    }

    #[test]
    fn arguments_borrow_where_cheap() {
        for (ty, rust) in [
            (Type::String, "& str"),
            (Type::I64, "i64"),
            (Type::Bool, "bool"),
            (Type::DateTime, "crate :: runtime :: __private :: Timestamp"),
            (Type::Date, "crate :: runtime :: __private :: Date"),
            (vec(Type::String), "& [String]"),
            (Type::Named("Page".into()), "& Page"),
            (
                Type::Json,
                "& crate :: runtime :: __private :: serde_json :: Value",
            ),
            (
                map(Type::String),
                "& std :: collections :: BTreeMap < String , String >",
            ),
        ] {
            assert_eq!(arg(&ty), rust, "{ty}");
        }
    }

    #[test]
    fn type_text_reads_like_the_code() {
        for (tokens, text) in [
            (quote!(Option<Vec<String>>), "Option<Vec<String>>"),
            (quote!(Box<Node>), "Box<Node>"),
            (quote!(&[String]), "&[String]"),
            (quote!(()), "()"),
            (quote!(impl Into<crate::ObjectId>), "impl Into<ObjectId>"),
            (quote!(serde_json::Value), "serde_json::Value"),
            (quote!(r#Self_), "r#Self_"),
        ] {
            assert_eq!(type_text(&tokens), text);
        }
    }

    #[test]
    fn type_text_names_crate_and_std_items_by_their_last_segment() {
        for (tokens, text) in [
            (quote!(crate::Timestamp), "Timestamp"),
            (quote!(crate::runtime::__private::Timestamp), "Timestamp"),
            // As emit prints a JSON value: not `Value`, which a schema may be called.
            (rust_type(&Type::Json), "serde_json::Value"),
            (
                quote!(std::collections::BTreeMap<String, crate::runtime::Date>),
                "BTreeMap<String, Date>",
            ),
        ] {
            assert_eq!(type_text(&tokens), text);
        }
        // Whatever path emit prints for them, today's included.
        assert_eq!(type_text(&rust_type(&Type::DateTime)), "Timestamp");
        assert_eq!(
            type_text(&rust_type(&map(vec(Type::Date)))),
            "BTreeMap<String, Vec<Date>>"
        );
    }

    fn field(ty: Type, boxed: bool, decode: FieldDecode) -> Field {
        Field {
            name: "f".into(),
            setter: None,
            arg: crate::ir::ArgKind::Value,
            json_name: "f".into(),
            ty,
            required: decode.in_constructor(),
            nullable: false,
            decode,
            scalar: Default::default(),
            keep_undecoded: false,
            boxed,
            read_only: false,
            deprecated: false,
            doc: None,
        }
    }

    #[test]
    fn a_field_is_boxed_inside_its_option() {
        let node = || Type::Named("Node".into());
        for (field, text) in [
            (
                field(vec(Type::String), false, FieldDecode::Required),
                "Vec<String>",
            ),
            (
                field(Type::String, false, FieldDecode::EmptyWhenMissing),
                "String",
            ),
            (
                field(node(), true, FieldDecode::Optional),
                "Option<Box<Node>>",
            ),
            (
                field(Type::I64, false, FieldDecode::Nullable),
                "Option<i64>",
            ),
            (
                field(Type::DateTime, false, FieldDecode::AbsentWhenMissing),
                "Option<Timestamp>",
            ),
        ] {
            assert_eq!(type_text(&field_type(&field)), text);
        }
        let variant = |boxed| UnionVariant {
            name: "Node".into(),
            ty: node(),
            tag: None,
            boxed,
        };
        assert_eq!(type_text(&variant_type(&variant(true))), "Box<Node>");
        assert_eq!(type_text(&variant_type(&variant(false))), "Node");
    }

    #[test]
    fn raw_identifiers_stay_raw() {
        assert_eq!(ident("r#type").to_string(), "r#type");
        assert_eq!(ident("kind").to_string(), "kind");
        assert_eq!(owned(&Type::Named("r#Self_".into())), "r#Self_");
    }
}
