//! The builder methods of generated structs, models and params types alike:
//! `new(..)` taking the values every instance needs, and one `with_<field>`
//! setter per optional field, each returning the struct.
//!
//! One argument policy for both, in `new(..)` and in setters, decided per
//! field in lower ([`ArgKind::of`]) and printed here:
//!
//! - `Into`: a `String`, `serde_json::Value`, a generated model or enum is
//!   taken as `impl Into<T>`, so `"text"` passes for a `String`, `"VALUE"`
//!   for an open enum, `json!(..)` or `3` for JSON;
//! - `Value`: a `Copy` scalar (integers, floats, `bool`, `Timestamp`,
//!   `Date`) is taken as `T`: there is nothing to convert, and an integer
//!   literal keeps the field's own type instead of falling back to `i32`.
//!   So are lists and maps: with `impl Into<Vec<T>>`, `.collect()` has no
//!   type to collect into; with `Vec<T>`, `(0..n).map(..).collect()` and
//!   `vec![..]` infer;
//! - `Id`: a record id is taken as `impl Into<crate::ObjectId>` (`101`,
//!   `5434402448u64`, `"101"`, a `String`) and stored as the field's
//!   `String`.
//!
//! So one field takes the same argument on a model and on a params type.
//! The struct definitions themselves (fields, docs, codecs, the query
//! writer) belong to [`super::models`] and [`super::operations`].

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::code;
use super::types::{ident, rust_type};
use crate::ir::{ArgKind, Type};

/// One struct's builder, described by the struct's emitter.
pub struct Builder<'a> {
    /// The struct's name.
    pub type_name: &'a str,
    /// The doc line of `new(..)`.
    pub new_doc: String,
    /// The struct or one of its fields is deprecated: the `impl` allows it.
    pub allow_deprecated: bool,
    pub fields: Vec<BuilderField<'a>>,
    /// Initializers `new(..)` adds after the fields (`undecoded: Vec::new()`).
    pub extra_inits: Vec<TokenStream>,
}

/// A field as the builder sees it.
pub struct BuilderField<'a> {
    /// Rust field name.
    pub name: &'a str,
    /// Its setter; `None` for a field `new(..)` takes.
    pub setter: Option<&'a str>,
    /// The name on the wire, for the setter's doc.
    pub wire_name: &'a str,
    pub ty: &'a Type,
    /// How `new(..)` and the setter take it.
    pub arg: ArgKind,
    /// Held as `Box<T>`.
    pub boxed: bool,
    /// Held as `Option<T>` (a field `new(..)` takes may still be: it then
    /// stores `Some`).
    pub optional: bool,
}

/// The argument type of a field under the policy.
fn argument_type(f: &BuilderField<'_>) -> TokenStream {
    let rt = super::paths::internals();
    let rust = rust_type(f.ty);
    match f.arg {
        ArgKind::Into => quote!(impl Into<#rust>),
        ArgKind::Value => rust,
        ArgKind::Id => quote!(impl Into<#rt::ObjectId>),
    }
}

/// `#[inline]` for a builder method that is not generic (every argument
/// taken as a `Value`): a crate compiles its non-generic functions whether
/// or not anyone calls them, and `#[inline]` ones only where they are
/// called, as it does for the generic ones. Most builders are never called
/// (a response model's `new(..)`), so this keeps them out of the build.
fn inline_unless_generic<'a>(
    mut args: impl Iterator<Item = &'a BuilderField<'a>>,
) -> Option<TokenStream> {
    args.all(|f| f.arg == ArgKind::Value)
        .then(|| quote!(#[inline]))
}

/// The value stored for argument `arg` of field `f`.
fn stored_value(f: &BuilderField<'_>, arg: TokenStream) -> TokenStream {
    let rt = super::paths::internals();
    let mut value = match f.arg {
        ArgKind::Into => quote!(#arg.into()),
        ArgKind::Value => arg,
        ArgKind::Id => quote!(#rt::ObjectId::into_text(#arg)),
    };
    if f.boxed {
        value = quote!(Box::new(#value));
    }
    if f.optional {
        value = quote!(Some(#value));
    }
    value
}

/// `impl <type_name> { new(..) and the setters }`.
pub fn builder(b: &Builder<'_>) -> TokenStream {
    let name = ident(b.type_name);
    let required: Vec<&BuilderField<'_>> = b.fields.iter().filter(|f| f.setter.is_none()).collect();
    let params = required.iter().map(|f| {
        let fname = ident(f.name);
        let ty = argument_type(f);
        quote!(#fname: #ty)
    });
    let inits = b.fields.iter().map(|f| {
        let fname = ident(f.name);
        if f.setter.is_some() {
            return quote!(#fname: None,);
        }
        let plain = f.arg == ArgKind::Value && !f.boxed && !f.optional;
        if plain {
            return quote!(#fname,);
        }
        let value = stored_value(f, quote!(#fname));
        quote!(#fname: #value,)
    });
    let extra = &b.extra_inits;
    let setters = b.fields.iter().filter_map(|f| {
        let setter = ident(f.setter?);
        let fname = ident(f.name);
        let doc = format!("Sets {}.", code(f.wire_name));
        let param = argument_type(f);
        let value = stored_value(
            &BuilderField {
                // A setter always stores `Some`.
                optional: true,
                ..*f
            },
            quote!(value),
        );
        let inline = inline_unless_generic(std::iter::once(f));
        Some(quote! {
            #[doc = #doc]
            #[must_use]
            #inline
            pub fn #setter(mut self, value: #param) -> Self {
                self.#fname = #value;
                self
            }
        })
    });
    let new_inline = inline_unless_generic(required.iter().copied());
    let many_args = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let allow_deprecated = b.allow_deprecated.then(|| quote!(#[allow(deprecated)]));
    let new_doc = &b.new_doc;
    let new = ident(crate::naming::CONSTRUCTOR);
    quote! {
        #allow_deprecated
        impl #name {
            #[doc = #new_doc]
            #many_args
            #new_inline
            pub fn #new(#(#params),*) -> Self {
                Self { #(#inits)* #(#extra)* }
            }
            #(#setters)*
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field<'a>(name: &'a str, ty: &'a Type, setter: Option<&'a str>) -> BuilderField<'a> {
        BuilderField {
            name,
            setter,
            wire_name: name,
            ty,
            arg: ArgKind::of(ty, name),
            boxed: false,
            optional: setter.is_some(),
        }
    }

    fn text(b: &Builder<'_>) -> String {
        super::super::format_file("t.rs", builder(b)).unwrap()
    }

    fn builder_of<'a>(fields: Vec<BuilderField<'a>>) -> Builder<'a> {
        Builder {
            type_name: "Thing",
            new_doc: "Creates it.".into(),
            allow_deprecated: false,
            fields,
            extra_inits: Vec::new(),
        }
    }

    #[test]
    fn ids_through_object_id_owned_values_through_into_scalars_and_collections_as_themselves() {
        let (string, list, named, int) = (
            Type::String,
            Type::Vec(Box::new(Type::String)),
            Type::Named("Kind".into()),
            Type::I64,
        );
        let b = builder_of(vec![
            field("id", &string, None),
            field("count", &int, None),
            field("after", &string, Some("with_after")),
            field("tags", &list, Some("with_tags")),
            field("kind", &named, Some("with_kind")),
            field("limit", &int, Some("with_limit")),
        ]);
        let text = text(&b);
        assert!(
            text.contains("pub fn new(id: impl Into<crate::runtime::__private::ObjectId>, count: i64) -> Self {"),
            "{text}"
        );
        assert!(
            text.contains("id: crate::runtime::__private::ObjectId::into_text(id),"),
            "{text}"
        );
        assert!(text.contains("            count,\n"), "{text}");
        assert!(text.contains("after: None,"), "{text}");
        for (setter, arg, stored) in [
            ("with_after", "impl Into<String>", "Some(value.into())"),
            ("with_tags", "Vec<String>", "Some(value)"),
            ("with_kind", "impl Into<Kind>", "Some(value.into())"),
            ("with_limit", "i64", "Some(value)"),
        ] {
            assert!(
                text.contains(&format!(
                    "pub fn {setter}(mut self, value: {arg}) -> Self {{"
                )),
                "{setter}: {text}"
            );
            let field = setter.trim_start_matches("with_");
            assert!(
                text.contains(&format!("self.{field} = {stored};")),
                "{setter}: {text}"
            );
        }
        assert_eq!(text.matches("#[must_use]").count(), 4);
        // Only the setters that are not generic are `#[inline]`.
        assert_eq!(text.matches("#[inline]").count(), 2, "{text}");
    }

    #[test]
    fn boxed_and_optional_required_fields_are_wrapped_in_new() {
        let node = Type::Named("Node".into());
        let mut parent = field("parent", &node, None);
        parent.boxed = true;
        parent.optional = true;
        let mut child = field("child", &node, Some("with_child"));
        child.boxed = true;
        let b = builder_of(vec![parent, child]);
        let text = text(&b);
        assert!(
            text.contains("parent: Some(Box::new(parent.into())),"),
            "{text}"
        );
        assert!(
            text.contains("self.child = Some(Box::new(value.into()));"),
            "{text}"
        );
    }

    #[test]
    fn many_arguments_deprecation_and_extra_inits() {
        let ty = Type::Bool;
        let names = ["a", "b", "c", "d", "e", "f", "g", "h"];
        let mut b = builder_of(names.iter().map(|n| field(n, &ty, None)).collect());
        b.allow_deprecated = true;
        b.extra_inits = vec![quote!(undecoded: Vec::new(),)];
        let text = text(&b);
        assert!(
            text.contains("#[allow(clippy::too_many_arguments)]"),
            "{text}"
        );
        assert!(
            text.contains("#[allow(deprecated)]\nimpl Thing {"),
            "{text}"
        );
        assert!(text.contains("undecoded: Vec::new(),"), "{text}");
        assert!(!text.contains("with_"), "{text}");
    }
}
