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
    match ty {
        Type::String => quote!(String),
        Type::I32 => quote!(i32),
        Type::I64 => quote!(i64),
        Type::F32 => quote!(f32),
        Type::F64 => quote!(f64),
        Type::Bool => quote!(bool),
        Type::DateTime => quote!(crate::Timestamp),
        Type::Date => quote!(crate::Date),
        Type::Json => quote!(serde_json::Value),
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
