//! IR types → Rust type tokens.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::Type;

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
    fn raw_identifiers_stay_raw() {
        assert_eq!(ident("r#type").to_string(), "r#type");
        assert_eq!(ident("kind").to_string(), "kind");
        assert_eq!(owned(&Type::Named("r#Self_".into())), "r#Self_");
    }
}
