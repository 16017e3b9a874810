//! IR types → model structs, open enums, unions and aliases.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::{code, doc_attrs};
use super::types::{ident, rust_type};
use crate::ir::{Field, Type, TypeDef, TypeKind, UnionVariant};

pub fn models(types: &[TypeDef]) -> TokenStream {
    let items = types.iter().map(type_def);
    quote!(#(#items)*)
}

fn type_def(def: &TypeDef) -> TokenStream {
    let origin = if let Some(field) = def.origin.strip_prefix("enum ") {
        format!(
            "Values of {} fields. Open: a value HubSpot adds later decodes as `Unknown` and encodes back unchanged.",
            code(&naming_field(field))
        )
    } else if def.origin.starts_with('#') {
        format!("Schema at {}.", code(&def.origin))
    } else {
        format!("Schema {}.", code(&def.origin))
    };
    let docs = doc_attrs(def.doc.as_deref().into_iter().chain([origin.as_str()]));
    let deprecated = def.deprecated.then(|| quote!(#[deprecated]));
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct(fields) => structure(&name, &docs, deprecated, fields),
        TypeKind::Enum(variants) => {
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
                    Unknown(String),
                }

                crate::runtime::open_enum!(#name { #(#pairs),* });
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

/// `AssociationCategory` → `associationCategory`, as the field is spelled in JSON.
fn naming_field(pascal: &str) -> String {
    let mut chars = pascal.chars();
    chars
        .next()
        .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

fn field_type(field: &Field) -> TokenStream {
    let mut ty = rust_type(&field.ty);
    if field.boxed {
        ty = quote!(Box<#ty>);
    }
    if is_optional(field) {
        quote!(Option<#ty>)
    } else {
        ty
    }
}

fn is_optional(field: &Field) -> bool {
    !field.required || field.nullable
}

fn structure(
    name: &proc_macro2::Ident,
    docs: &TokenStream,
    deprecated: Option<TokenStream>,
    fields: &[Field],
) -> TokenStream {
    let all_optional = fields.iter().all(is_optional);
    let default = all_optional.then(|| quote!(Default,));
    let field_defs = fields.iter().map(|f| {
        let fname = ident(&f.name);
        let ty = field_type(f);
        let json = &f.json_name;
        let mut notes = Vec::new();
        if f.read_only {
            notes.push("Read-only: set by HubSpot, ignored in requests.".to_owned());
        }
        notes.push(format!(
            "JSON: {}{}.",
            code(json),
            if f.required { ", required" } else { "" }
        ));
        let docs = doc_attrs(
            f.doc
                .as_deref()
                .into_iter()
                .chain(notes.iter().map(String::as_str)),
        );
        let deprecated = f.deprecated.then(|| quote!(#[deprecated]));
        quote!(#docs #deprecated pub #fname: #ty,)
    });

    let required: Vec<&Field> = fields.iter().filter(|f| !is_optional(f)).collect();
    let params = required.iter().map(|f| {
        let fname = ident(&f.name);
        match (&f.ty, f.boxed) {
            (Type::String, _) => quote!(#fname: impl Into<String>),
            (_, _) => {
                let ty = rust_type(&f.ty);
                quote!(#fname: #ty)
            }
        }
    });
    let inits = fields.iter().map(|f| {
        let fname = ident(&f.name);
        if is_optional(f) {
            quote!(#fname: None,)
        } else {
            match (&f.ty, f.boxed) {
                (Type::String, false) => quote!(#fname: #fname.into(),),
                (Type::String, true) => quote!(#fname: Box::new(#fname.into()),),
                (_, true) => quote!(#fname: Box::new(#fname),),
                (_, false) => quote!(#fname,),
            }
        }
    });
    let setters = fields.iter().filter(|f| is_optional(f)).map(|f| {
        let fname = ident(&f.name);
        let setter = ident(&f.setter);
        let doc = format!("Sets {}.", code(&f.json_name));
        let (param, value) = match &f.ty {
            Type::String => (quote!(impl Into<String>), quote!(value.into())),
            other => (rust_type(other), quote!(value)),
        };
        let value = if f.boxed {
            quote!(Box::new(#value))
        } else {
            value
        };
        quote! {
            #[doc = #doc]
            #[must_use]
            pub fn #setter(mut self, value: #param) -> Self {
                self.#fname = Some(#value);
                self
            }
        }
    });
    let many_args = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let new_doc = format!(
        "Creates {} from its required fields.",
        code(&name.to_string())
    );
    let any_deprecated = fields.iter().any(|f| f.deprecated) || deprecated.is_some();
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

        #allow_deprecated
        impl #name {
            #[doc = #new_doc]
            #many_args
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits)* }
            }
            #(#setters)*
        }

        #codec
    }
}

/// `Serialize` and `Deserialize` for a struct: one line per field for the
/// runtime's `json_struct!` (see `runtime/codec.rs`), which writes the impls
/// without proc macros.
fn struct_codec(name: &proc_macro2::Ident, fields: &[Field]) -> TokenStream {
    let entries = fields.iter().map(|f| {
        let kind = match (f.required, f.nullable) {
            (false, _) => quote!(optional),
            (true, true) => quote!(nullable),
            (true, false) => quote!(required),
        };
        let fname = ident(&f.name);
        let json = &f.json_name;
        quote!(#kind #fname = #json,)
    });
    quote!(crate::runtime::json_struct!(#name { #(#entries)* });)
}

fn union(
    name: &proc_macro2::Ident,
    docs: &TokenStream,
    deprecated: Option<TokenStream>,
    discriminator: Option<&str>,
    variants: &[UnionVariant],
) -> TokenStream {
    let variant_defs = variants.iter().map(|v| {
        let vname = ident(&v.name);
        let mut ty = rust_type(&v.ty);
        if v.boxed {
            ty = quote!(Box<#ty>);
        }
        let doc = match &v.tag {
            Some(tag) => format!("Chosen when the discriminator is {}.", code(tag)),
            None => "One of the alternatives, tried in document order.".to_owned(),
        };
        quote!(#[doc = #doc] #vname(#ty),)
    });
    let serialize_arms = variants.iter().map(|v| {
        let vname = ident(&v.name);
        quote!(Self::#vname(value) => serde::Serialize::serialize(value, serializer),)
    });
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
            Other(serde_json::Value),
        }

        // Untagged: each variant encodes as its own value.
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize_arms)*
                    Self::Other(value) => serde::Serialize::serialize(value, serializer),
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
                    if let Ok(v) = serde_json::from_value(value.clone()) {
                        return Ok(#variant);
                    }
                }
            });
            quote! {
                #header
                impl<'de> serde::Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                        #(#arms)*
                        Ok(Self::Other(value))
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
                    Some(#tag) => serde_json::from_value(value).map(#wrap).map_err(serde::de::Error::custom),
                })
            });
            let property = Literal::string(property);
            quote! {
                #header
                impl<'de> serde::Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                        let tag = value.get(#property).and_then(serde_json::Value::as_str).map(str::to_owned);
                        match tag.as_deref() {
                            #(#arms)*
                            _ => Ok(Self::Other(value)),
                        }
                    }
                }
            }
        }
    }
}
