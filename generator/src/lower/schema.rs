//! Schemas → IR types.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind,
    StringFormat, VariantOrUnknownOrEmpty,
};

use super::Lowerer;
use crate::error::{Error, Result, pointer_token};
use crate::ir::{EnumVariant, Field, Origin, Type, TypeDef, TypeKind, UnionVariant};
use crate::naming;

/// A schema position that may be a `$ref` or an inline schema.
#[derive(Clone, Copy)]
pub(crate) enum SchemaRef<'s> {
    Ref(&'s str),
    Inline(&'s Schema),
}

impl<'s> From<&'s ReferenceOr<Schema>> for SchemaRef<'s> {
    fn from(r: &'s ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Inline(s),
        }
    }
}

impl<'s> From<&'s ReferenceOr<Box<Schema>>> for SchemaRef<'s> {
    fn from(r: &'s ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Inline(s),
        }
    }
}

/// The object-ish view of a schema: properties and required names.
struct ObjectParts<'s> {
    properties: IndexMap<String, SchemaRef<'s>>,
    required: Vec<String>,
    additional: Option<SchemaRef<'s>>,
    additional_any: bool,
}

impl<'a> Lowerer<'a> {
    /// Lowers every component schema; with `skipped` (lenient mode) one the
    /// generator cannot express is left out and reported there instead.
    pub(super) fn lower_component_schemas(
        &mut self,
        mut skipped: Option<&mut Vec<(String, super::Warning)>>,
    ) -> Result<()> {
        let spec = self.spec;
        let Some(components) = &spec.components else {
            return Ok(());
        };
        for (original, schema) in &components.schemas {
            let pointer = format!("/components/schemas/{}", pointer_token(original));
            let name = self.component_names[original].clone();
            let kind = match schema {
                ReferenceOr::Reference { reference } => self
                    .schema_type(SchemaRef::Ref(reference), &pointer, &name)
                    .map(TypeKind::Alias),
                ReferenceOr::Item(schema) => self.type_kind(schema, &pointer, &name),
            };
            let kind = match (kind, skipped.as_deref_mut()) {
                (Ok(kind), _) => kind,
                (
                    Err(Error::Spec {
                        pointer, message, ..
                    }),
                    Some(skipped),
                ) => {
                    let location = format!("{}#{pointer}", self.path.display());
                    skipped.push((name, super::Warning { location, message }));
                    continue;
                }
                (Err(e), _) => return Err(e),
            };
            let (doc, deprecated) = match schema {
                ReferenceOr::Item(s) => (schema_doc(s), s.schema_data.deprecated),
                ReferenceOr::Reference { .. } => (None, false),
            };
            self.types.push(TypeDef {
                name,
                origin: Origin::Schema(original.clone()),
                doc,
                deprecated,
                kind,
            });
        }
        Ok(())
    }

    /// What a named schema becomes: a struct, an enum, a union or an alias.
    fn type_kind(&mut self, schema: &Schema, pointer: &str, name: &str) -> Result<TypeKind> {
        if let Some(variants) = self.string_enum(schema) {
            return Ok(TypeKind::Enum(variants));
        }
        if let Some(parts) = self.object_parts(schema, pointer)?
            && !parts.properties.is_empty()
        {
            return Ok(TypeKind::Struct(self.fields(&parts, pointer, name)?));
        }
        match &schema.schema_kind {
            SchemaKind::OneOf { one_of: list } | SchemaKind::AnyOf { any_of: list }
                if list.len() > 1 =>
            {
                self.union(schema, list, pointer, name)
            }
            _ => Ok(TypeKind::Alias(self.inline_type(schema, pointer, name)?)),
        }
    }

    /// The Rust type for a schema position; inline objects, enums and unions
    /// become new named types called after `hint`.
    pub(crate) fn schema_type(
        &mut self,
        schema: SchemaRef<'_>,
        pointer: &str,
        hint: &str,
    ) -> Result<Type> {
        match schema {
            SchemaRef::Ref(reference) => {
                let name = self.component_ref(reference, "schemas", pointer)?;
                self.component_names
                    .get(name)
                    .map(|n| Type::Named(n.clone()))
                    .ok_or_else(|| {
                        self.error(
                            pointer,
                            format!("dangling $ref `{reference}`: no such schema"),
                        )
                    })
            }
            SchemaRef::Inline(schema) => self.inline_type(schema, pointer, hint),
        }
    }

    fn inline_type(&mut self, schema: &Schema, pointer: &str, hint: &str) -> Result<Type> {
        if let Some(variants) = self.string_enum(schema) {
            return Ok(Type::Named(self.inline_enum(variants, hint)));
        }
        match &schema.schema_kind {
            SchemaKind::Type(openapiv3::Type::String(s)) => Ok(match &s.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Type::DateTime,
                VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Type::Date,
                _ => Type::String,
            }),
            SchemaKind::Type(openapiv3::Type::Integer(i)) => Ok(match &i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Type::I32,
                _ => Type::I64,
            }),
            SchemaKind::Type(openapiv3::Type::Number(n)) => Ok(match &n.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => Type::F32,
                _ => Type::F64,
            }),
            SchemaKind::Type(openapiv3::Type::Boolean(_)) => Ok(Type::Bool),
            SchemaKind::Type(openapiv3::Type::Array(a)) => match &a.items {
                Some(items) => {
                    let item_hint = format!("{hint}Item");
                    let inner =
                        self.schema_type(items.into(), &format!("{pointer}/items"), &item_hint)?;
                    Ok(Type::Vec(Box::new(inner)))
                }
                None => Ok(Type::Vec(Box::new(Type::Json))),
            },
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                self.schema_type((&all_of[0]).into(), &format!("{pointer}/allOf/0"), hint)
            }
            SchemaKind::OneOf { one_of: list } | SchemaKind::AnyOf { any_of: list }
                if list.len() == 1 =>
            {
                let key = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) {
                    "oneOf"
                } else {
                    "anyOf"
                };
                self.schema_type((&list[0]).into(), &format!("{pointer}/{key}/0"), hint)
            }
            SchemaKind::OneOf { one_of: list } | SchemaKind::AnyOf { any_of: list }
                if list.len() > 1 =>
            {
                let name = self.fresh_type_name(hint);
                let kind = self.union(schema, list, pointer, &name)?;
                self.push_inline(name.clone(), pointer, schema, kind);
                Ok(Type::Named(name))
            }
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => Ok(Type::Json),
            SchemaKind::Not { .. } => Err(self.error(pointer, "`not` schemas are not supported")),
            SchemaKind::Type(openapiv3::Type::Object(_))
            | SchemaKind::AllOf { .. }
            | SchemaKind::Any(_) => {
                let parts = self.object_parts(schema, pointer)?;
                match parts {
                    Some(parts) if !parts.properties.is_empty() => {
                        let name = self.fresh_type_name(hint);
                        let fields = self.fields(&parts, pointer, &name)?;
                        self.push_inline(name.clone(), pointer, schema, TypeKind::Struct(fields));
                        Ok(Type::Named(name))
                    }
                    Some(ObjectParts {
                        additional: Some(value),
                        ..
                    }) => {
                        let inner = self.schema_type(
                            value,
                            &format!("{pointer}/additionalProperties"),
                            &format!("{hint}Value"),
                        )?;
                        Ok(Type::Map(Box::new(inner)))
                    }
                    _ => self.any_scalar(schema, pointer, hint),
                }
            }
        }
    }

    /// A schema with no `type` keyword: free-form unless it carries a
    /// scalar hint (`format`, `items`).
    fn any_scalar(&mut self, schema: &Schema, pointer: &str, hint: &str) -> Result<Type> {
        let SchemaKind::Any(any) = &schema.schema_kind else {
            return Ok(Type::Json);
        };
        match (any.typ.as_deref(), any.format.as_deref()) {
            (Some("string"), Some("date-time")) => Ok(Type::DateTime),
            (Some("string"), Some("date")) => Ok(Type::Date),
            (Some("string"), _) => Ok(Type::String),
            (Some("integer"), Some("int32")) => Ok(Type::I32),
            (Some("integer"), _) => Ok(Type::I64),
            (Some("number"), _) => Ok(Type::F64),
            (Some("boolean"), _) => Ok(Type::Bool),
            (Some("array"), _) => match &any.items {
                Some(items) => Ok(Type::Vec(Box::new(self.schema_type(
                    items.into(),
                    &format!("{pointer}/items"),
                    &format!("{hint}Item"),
                )?))),
                None => Ok(Type::Vec(Box::new(Type::Json))),
            },
            _ => Ok(Type::Json),
        }
    }

    fn push_inline(&mut self, name: String, pointer: &str, schema: &Schema, kind: TypeKind) {
        self.types.push(TypeDef {
            name,
            origin: Origin::Inline(pointer.to_owned()),
            doc: schema_doc(schema),
            deprecated: schema.schema_data.deprecated,
            kind,
        });
    }

    /// Named enum for an inline string enum: called after the field
    /// (`Status`), shared by every identical one, qualified by the parent only
    /// when a different type already has that name.
    fn inline_enum(&mut self, variants: Vec<EnumVariant>, hint: &str) -> String {
        let (parent, field) = hint.split_once("::").unwrap_or(("", hint));
        let values: Vec<String> = variants.iter().map(|v| v.value.clone()).collect();
        let key = (field.to_owned(), values);
        if let Some(name) = self.inline_enums.get(&key) {
            return name.clone();
        }
        let short = naming::type_ident(field);
        let name = if self.taken.contains(&short) {
            self.fresh_type_name(&format!("{parent}{short}"))
        } else {
            self.taken.insert(short.clone());
            short
        };
        self.inline_enums.insert(key, name.clone());
        self.types.push(TypeDef {
            name: name.clone(),
            origin: Origin::SharedEnum {
                field: field.to_owned(),
                json_field: naming::shared_enum_field(field),
            },
            doc: None,
            deprecated: false,
            kind: TypeKind::Enum(variants),
        });
        name
    }

    fn string_enum(&self, schema: &Schema) -> Option<Vec<EnumVariant>> {
        let values: Vec<String> = match &schema.schema_kind {
            SchemaKind::Type(openapiv3::Type::String(s)) if !s.enumeration.is_empty() => {
                s.enumeration.iter().flatten().cloned().collect()
            }
            SchemaKind::Any(any) if !any.enumeration.is_empty() => {
                let strings: Vec<String> = any
                    .enumeration
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect();
                if strings.len() != any.enumeration.iter().filter(|v| !v.is_null()).count() {
                    return None;
                }
                strings
            }
            _ => return None,
        };
        let mut unique = Vec::new();
        for value in values {
            if !unique.contains(&value) {
                unique.push(value);
            }
        }
        if unique.is_empty() {
            return None;
        }
        let mut names: Vec<String> = unique
            .iter()
            .map(|v| {
                let name = naming::variant_ident(v);
                // `Unknown` carries values the document does not list.
                if name == naming::UNKNOWN_VARIANT {
                    format!("{}Value", naming::UNKNOWN_VARIANT)
                } else {
                    name
                }
            })
            .collect();
        naming::dedupe(&mut names);
        Some(
            names
                .into_iter()
                .zip(unique)
                .map(|(name, value)| EnumVariant { name, value })
                .collect(),
        )
    }

    /// Properties of an object, `allOf` parts merged in order.
    fn object_parts<'s>(&self, schema: &'s Schema, pointer: &str) -> Result<Option<ObjectParts<'s>>>
    where
        'a: 's,
    {
        let mut parts = ObjectParts {
            properties: IndexMap::new(),
            required: Vec::new(),
            additional: None,
            additional_any: false,
        };
        let found = self.collect_object(schema, pointer, &mut parts, 0)?;
        Ok(found.then_some(parts))
    }

    fn collect_object<'s>(
        &self,
        schema: &'s Schema,
        pointer: &str,
        parts: &mut ObjectParts<'s>,
        depth: usize,
    ) -> Result<bool>
    where
        'a: 's,
    {
        if depth > 32 {
            return Err(self.error(
                pointer,
                "allOf nests too deep (a $ref cycle through allOf?)",
            ));
        }
        let mut merge = |properties: &'s IndexMap<String, ReferenceOr<Box<Schema>>>,
                         required: &'s [String],
                         additional: &'s Option<AdditionalProperties>| {
            for (name, prop) in properties {
                parts.properties.insert(name.clone(), prop.into());
            }
            for name in required {
                if !parts.required.contains(name) {
                    parts.required.push(name.clone());
                }
            }
            match additional {
                Some(AdditionalProperties::Schema(s)) => parts.additional = Some((&**s).into()),
                Some(AdditionalProperties::Any(true)) => parts.additional_any = true,
                _ => {}
            }
        };
        match &schema.schema_kind {
            SchemaKind::Type(openapiv3::Type::Object(o)) => {
                merge(&o.properties, &o.required, &o.additional_properties);
                Ok(true)
            }
            SchemaKind::Any(any) => {
                merge(&any.properties, &any.required, &any.additional_properties);
                let mut found = !any.properties.is_empty() || any.additional_properties.is_some();
                for (i, part) in any.all_of.iter().enumerate() {
                    let p = format!("{pointer}/allOf/{i}");
                    let part = self.resolve(part, "schemas", |c| &c.schemas, &p)?;
                    found |= self.collect_object(part, &p, parts, depth + 1)?;
                }
                Ok(found)
            }
            SchemaKind::AllOf { all_of } => {
                let mut found = false;
                for (i, part) in all_of.iter().enumerate() {
                    let p = format!("{pointer}/allOf/{i}");
                    let part = self.resolve(part, "schemas", |c| &c.schemas, &p)?;
                    found |= self.collect_object(part, &p, parts, depth + 1)?;
                }
                Ok(found)
            }
            _ => Ok(false),
        }
    }

    fn fields(
        &mut self,
        parts: &ObjectParts<'_>,
        pointer: &str,
        owner: &str,
    ) -> Result<Vec<Field>> {
        let mut fields = Vec::with_capacity(parts.properties.len());
        for (json_name, prop) in &parts.properties {
            let p = format!("{pointer}/properties/{}", pointer_token(json_name));
            let hint = format!("{owner}::{}", naming::type_ident(json_name));
            let ty = match prop {
                SchemaRef::Inline(s) if self.string_enum(s).is_some() => {
                    self.schema_type(*prop, &p, &hint)?
                }
                _ => self.schema_type(*prop, &p, &hint.replace("::", ""))?,
            };
            let data = match prop {
                SchemaRef::Inline(s) => Some(&s.schema_data),
                SchemaRef::Ref(_) => None,
            };
            fields.push(Field {
                name: naming::snake_ident(json_name),
                // Set by `policy::apply` with `decode`.
                setter: None,
                arg: crate::ir::ArgKind::of(&ty, json_name),
                json_name: json_name.clone(),
                ty,
                required: parts.required.contains(json_name),
                nullable: data.is_some_and(|d| d.nullable),
                // Set by `policy::apply` once every type is known.
                decode: Default::default(),
                scalar: Default::default(),
                keep_undecoded: false,
                boxed: false,
                read_only: data.is_some_and(|d| d.read_only),
                deprecated: data.is_some_and(|d| d.deprecated),
                doc: data
                    .and_then(|d| d.description.clone())
                    .filter(|d| !d.trim().is_empty()),
            });
        }
        let mut names: Vec<String> = fields.iter().map(|f| f.name.clone()).collect();
        naming::dedupe(&mut names);
        for (field, name) in fields.iter_mut().zip(names) {
            field.name = name;
        }
        Ok(fields)
    }

    fn union(
        &mut self,
        schema: &Schema,
        list: &[ReferenceOr<Schema>],
        pointer: &str,
        name: &str,
    ) -> Result<TypeKind> {
        let key = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) {
            "oneOf"
        } else {
            "anyOf"
        };
        let discriminator = schema.schema_data.discriminator.as_ref();
        let mut variants = Vec::with_capacity(list.len());
        for (i, member) in list.iter().enumerate() {
            let p = format!("{pointer}/{key}/{i}");
            let ty = self.schema_type(member.into(), &p, &format!("{name}Variant{i}"))?;
            let variant_name = match &ty {
                Type::Named(n) => n.clone(),
                other => naming::variant_ident(&type_word(other)),
            };
            let tag = discriminator.map(|d| {
                let target = match member {
                    ReferenceOr::Reference { reference } => reference.as_str(),
                    ReferenceOr::Item(_) => "",
                };
                d.mapping
                    .iter()
                    .find(|(_, r)| r.as_str() == target)
                    .map(|(value, _)| value.clone())
                    .unwrap_or_else(|| target.rsplit('/').next().unwrap_or_default().to_owned())
            });
            variants.push(UnionVariant {
                name: variant_name,
                ty,
                tag,
                boxed: false,
            });
        }
        let mut names: Vec<String> = variants.iter().map(|v| v.name.clone()).collect();
        naming::dedupe(&mut names);
        for (v, n) in variants.iter_mut().zip(names) {
            v.name = n;
        }
        Ok(TypeKind::Union {
            discriminator: discriminator.map(|d| d.property_name.clone()),
            variants,
        })
    }
}

fn type_word(ty: &Type) -> String {
    match ty {
        Type::String => "String".into(),
        Type::I32 | Type::I64 => "Integer".into(),
        Type::F32 | Type::F64 => "Number".into(),
        Type::Bool => "Boolean".into(),
        Type::DateTime => "DateTime".into(),
        Type::Date => "Date".into(),
        Type::Json => "Json".into(),
        Type::Named(n) => n.clone(),
        Type::Vec(inner) => format!("{}List", type_word(inner)),
        Type::Map(inner) => format!("{}Map", type_word(inner)),
    }
}

fn schema_doc(schema: &Schema) -> Option<String> {
    let data = &schema.schema_data;
    data.description
        .clone()
        .or_else(|| data.title.clone())
        .filter(|d| !d.trim().is_empty())
}

/// One test per construct: a tiny document, and what lowering made of it
/// (`ir::dump`, without the document line).
#[cfg(test)]
mod tests {
    use crate::lower::test_support::{dump_yaml, try_lower_yaml};

    #[test]
    fn struct_fields_required_optional_nullable() {
        let dump = dump_yaml(
            r#"
            components:
              schemas:
                Thing:
                  description: A thing.
                  type: object
                  required: [id, label, note]
                  properties:
                    id: {type: string}
                    label: {type: string, nullable: true}
                    note: {type: string, nullable: true, readOnly: true}
                    count: {type: integer, format: int32}
                    size: {type: integer}
                    ratio: {type: number, format: float}
                    score: {type: number}
                    done: {type: boolean, deprecated: true}
                    anything: {}
            "#,
        );
        insta::assert_snapshot!(dump, @r#"
            struct Thing <- Thing
              id "id": string required decode=strict arg=id
              label "label": string required nullable decode=nullable setter=with_label
              note "note": string required nullable read-only decode=nullable setter=with_note
              count "count": i32 decode=optional setter=with_count
              size "size": i64 decode=optional setter=with_size
              ratio "ratio": f32 decode=optional setter=with_ratio
              score "score": f64 decode=optional setter=with_score
              done "done": bool deprecated decode=optional setter=with_done
              anything "anything": json decode=optional setter=with_anything
        "#);
    }

    #[test]
    fn inline_objects_are_named_after_owner_and_field() {
        let dump = dump_yaml(
            r#"
            components:
              schemas:
                Outer:
                  type: object
                  properties:
                    inner:
                      type: object
                      properties:
                        deepest:
                          type: object
                          properties:
                            x: {type: string}
                    items:
                      type: array
                      items:
                        type: object
                        properties:
                          y: {type: string}
                OuterInner: {type: string}
            "#,
        );
        insta::assert_snapshot!(dump, @r#"
            struct OuterInner2Deepest <- #/components/schemas/Outer/properties/inner/properties/deepest
              x "x": string decode=optional setter=with_x
            struct OuterInner2 <- #/components/schemas/Outer/properties/inner
              deepest "deepest": OuterInner2Deepest decode=optional setter=with_deepest
            struct OuterItemsItem <- #/components/schemas/Outer/properties/items/items
              y "y": string decode=optional setter=with_y
            struct Outer <- Outer
              inner "inner": OuterInner2 decode=optional setter=with_inner
              items "items": [OuterItemsItem] decode=optional setter=with_items
            alias OuterInner = string <- OuterInner
        "#);
    }

    #[test]
    fn string_enums_are_named_types_and_identical_inline_ones_are_shared() {
        let dump = dump_yaml(
            r#"
            components:
              schemas:
                Color:
                  type: string
                  enum: [red, DARK_BLUE, unknown, red]
                A:
                  type: object
                  properties:
                    status: {type: string, enum: [open, closed]}
                B:
                  type: object
                  properties:
                    status: {type: string, enum: [open, closed]}
                C:
                  type: object
                  properties:
                    status: {type: string, enum: [on, off]}
                    color: {$ref: '#/components/schemas/Color'}
            "#,
        );
        insta::assert_snapshot!(dump, @r#"
            enum Color <- Color: Red="red" DarkBlue="DARK_BLUE" UnknownValue="unknown"
            enum Status <- enum Status: Open="open" Closed="closed"
            struct A <- A
              status "status": Status decode=optional setter=with_status
            struct B <- B
              status "status": Status decode=optional setter=with_status
            enum CStatus <- enum Status: On="on" Off="off"
            struct C <- C
              status "status": CStatus decode=optional setter=with_status
              color "color": Color decode=optional setter=with_color
        "#);
    }

    #[test]
    fn one_of_and_any_of_without_discriminator_are_untagged_unions() {
        let dump = dump_yaml(
            r#"
            components:
              schemas:
                Cat: {type: object, properties: {meow: {type: boolean}}}
                Dog: {type: object, properties: {bark: {type: boolean}}}
                Pet:
                  oneOf:
                    - $ref: '#/components/schemas/Cat'
                    - $ref: '#/components/schemas/Dog'
                Value:
                  anyOf:
                    - {type: string}
                    - {type: integer}
                    - {type: array, items: {type: string}}
                    - type: object
                      properties: {z: {type: string}}
                Single:
                  oneOf:
                    - $ref: '#/components/schemas/Cat'
                Holder:
                  type: object
                  properties:
                    either:
                      oneOf: [{type: string}, {type: boolean}]
            "#,
        );
        insta::assert_snapshot!(dump, @r#"
            struct Cat <- Cat
              meow "meow": bool decode=optional setter=with_meow
            struct Dog <- Dog
              bark "bark": bool decode=optional setter=with_bark
            union Pet <- Pet discriminator=None
              Cat(Cat) tag=None
              Dog(Dog) tag=None
            struct ValueVariant3 <- #/components/schemas/Value/anyOf/3
              z "z": string decode=optional setter=with_z
            union Value <- Value discriminator=None
              String(string) tag=None
              Integer(i64) tag=None
              StringList([string]) tag=None
              ValueVariant3(ValueVariant3) tag=None
            alias Single = Cat <- Single
            union HolderEither <- #/components/schemas/Holder/properties/either discriminator=None
              String(string) tag=None
              Boolean(bool) tag=None
            struct Holder <- Holder
              either "either": HolderEither decode=optional setter=with_either
        "#);
    }

    #[test]
    fn one_of_with_a_discriminator_is_tagged_by_mapping_or_schema_name() {
        let dump = dump_yaml(
            r#"
            components:
              schemas:
                Cat: {type: object, properties: {kind: {type: string}}}
                Dog: {type: object, properties: {kind: {type: string}}}
                Pet:
                  oneOf:
                    - $ref: '#/components/schemas/Cat'
                    - $ref: '#/components/schemas/Dog'
                  discriminator:
                    propertyName: kind
                    mapping:
                      kitty: '#/components/schemas/Cat'
            "#,
        );
        insta::assert_snapshot!(dump, @r#"
            struct Cat <- Cat
              kind "kind": string decode=optional setter=with_kind
            struct Dog <- Dog
              kind "kind": string decode=optional setter=with_kind
            union Pet <- Pet discriminator=Some("kind")
              Cat(Cat) tag=Some("kitty")
              Dog(Dog) tag=Some("Dog")
        "#);
    }

    #[test]
    fn all_of_merges_properties_and_required_in_order() {
        let dump = dump_yaml(
            r#"
            components:
              schemas:
                Base:
                  type: object
                  required: [id]
                  properties:
                    id: {type: string}
                    name: {type: string}
                Extended:
                  allOf:
                    - $ref: '#/components/schemas/Base'
                    - type: object
                      required: [name, extra]
                      properties:
                        extra: {type: integer}
                Same:
                  allOf:
                    - $ref: '#/components/schemas/Base'
            "#,
        );
        insta::assert_snapshot!(dump, @r#"
            struct Base <- Base
              id "id": string required decode=strict arg=id
              name "name": string decode=optional setter=with_name
            struct Extended <- Extended
              id "id": string required decode=strict arg=id
              name "name": string required decode=strict
              extra "extra": i64 required decode=strict
            struct Same <- Same
              id "id": string required decode=strict arg=id
              name "name": string decode=optional setter=with_name
        "#);
    }

    #[test]
    fn aliases_of_arrays_primitives_and_references() {
        let dump = dump_yaml(
            r#"
            components:
              schemas:
                Ids: {type: array, items: {type: string}}
                Anything: {type: array}
                Name: {type: string}
                Count: {type: integer, format: int32}
                Other: {$ref: '#/components/schemas/Name'}
                Free: {type: object}
            "#,
        );
        insta::assert_snapshot!(dump, @r"
            alias Ids = [string] <- Ids
            alias Anything = [json] <- Anything
            alias Name = string <- Name
            alias Count = i32 <- Count
            alias Other = Name <- Other
            alias Free = json <- Free
        ");
    }

    #[test]
    fn additional_properties_become_maps() {
        let dump = dump_yaml(
            r#"
            components:
              schemas:
                Counts:
                  type: object
                  additionalProperties: {type: integer}
                Holder:
                  type: object
                  properties:
                    labels:
                      type: object
                      additionalProperties: {type: string}
                    shapes:
                      type: object
                      additionalProperties:
                        type: object
                        properties: {sides: {type: integer}}
                    free:
                      type: object
                      additionalProperties: true
            "#,
        );
        insta::assert_snapshot!(dump, @r#"
            alias Counts = {string: i64} <- Counts
            struct HolderShapesValue <- #/components/schemas/Holder/properties/shapes/additionalProperties
              sides "sides": i64 decode=optional setter=with_sides
            struct Holder <- Holder
              labels "labels": {string: string} decode=optional setter=with_labels
              shapes "shapes": {string: HolderShapesValue} decode=optional setter=with_shapes
              free "free": json decode=optional setter=with_free
        "#);
    }

    #[test]
    fn recursive_fields_are_boxed_unless_behind_a_list_or_map() {
        let dump = dump_yaml(
            r#"
            components:
              schemas:
                Node:
                  type: object
                  properties:
                    parent: {$ref: '#/components/schemas/Node'}
                    children:
                      type: array
                      items: {$ref: '#/components/schemas/Node'}
                    byName:
                      type: object
                      additionalProperties: {$ref: '#/components/schemas/Node'}
                    other: {$ref: '#/components/schemas/Ping'}
                Ping:
                  type: object
                  properties:
                    pong: {$ref: '#/components/schemas/Pong'}
                Pong:
                  oneOf:
                    - $ref: '#/components/schemas/Ping'
                    - {type: string}
            "#,
        );
        insta::assert_snapshot!(dump, @r#"
            struct Node <- Node
              parent "parent": Node boxed decode=optional setter=with_parent
              children "children": [Node] decode=optional setter=with_children
              by_name "byName": {string: Node} decode=optional setter=with_by_name
              other "other": Ping decode=optional setter=with_other
            struct Ping <- Ping
              pong "pong": Pong boxed decode=optional setter=with_pong
            union Pong <- Pong discriminator=None
              Ping(Ping) tag=None boxed
              String(string) tag=None
        "#);
    }

    #[test]
    fn dates_and_times_by_format() {
        // Epoch milliseconds are a runtime matter (`Timestamp` decodes both);
        // an integer stays an integer. Without `type`, a format is not enough.
        let dump = dump_yaml(
            r#"
            components:
              schemas:
                Times:
                  type: object
                  properties:
                    createdAt: {type: string, format: date-time}
                    day: {type: string, format: date}
                    epochMillis: {type: integer, format: int64}
                    maybe: {type: string, format: date-time, nullable: true}
                    untyped: {format: date-time}
                    other: {type: string, format: uuid}
            "#,
        );
        insta::assert_snapshot!(dump, @r#"
            struct Times <- Times
              created_at "createdAt": date-time decode=optional setter=with_created_at
              day "day": date decode=optional setter=with_day
              epoch_millis "epochMillis": i64 decode=optional setter=with_epoch_millis
              maybe "maybe": date-time nullable decode=optional setter=with_maybe
              untyped "untyped": json decode=optional setter=with_untyped
              other "other": string decode=optional setter=with_other
        "#);
    }

    #[test]
    fn keyword_and_clashing_property_names() {
        let dump = dump_yaml(
            r#"
            components:
              schemas:
                Words:
                  type: object
                  properties:
                    type: {type: string}
                    self: {type: string}
                    match: {type: string}
                    fooBar: {type: string}
                    foo_bar: {type: string}
                    2xx: {type: string}
                    hs-object-id: {type: string}
                type: {type: string}
            "#,
        );
        insta::assert_snapshot!(dump, @r#"
            struct Words <- Words
              r#type "type": string decode=optional setter=with_type
              self_ "self": string decode=optional setter=with_self_
              r#match "match": string decode=optional setter=with_match
              foo_bar "fooBar": string decode=optional setter=with_foo_bar
              foo_bar2 "foo_bar": string decode=optional setter=with_foo_bar2
              n2xx "2xx": string decode=optional setter=with_n2xx
              hs_object_id "hs-object-id": string decode=optional setter=with_hs_object_id arg=id
            alias Type = string <- type
        "#);
    }

    #[test]
    fn field_decoding_differs_in_request_and_response_models() {
        let dump = dump_yaml(
            r#"
            paths:
              /things:
                post:
                  requestBody:
                    content:
                      application/json:
                        schema: {$ref: '#/components/schemas/Input'}
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: {$ref: '#/components/schemas/Output'}
                    default:
                      description: error
                      content:
                        application/json:
                          schema: {$ref: '#/components/schemas/Failure'}
            components:
              schemas:
                Input:
                  type: object
                  required: [ids, name]
                  properties:
                    ids: {type: array, items: {type: string}}
                    name: {type: string}
                Output:
                  type: object
                  required: [ids, name, links, paging]
                  properties:
                    ids: {type: array, items: {type: string}}
                    name: {type: string}
                    links: {type: object, additionalProperties: {type: string}}
                    paging:
                      type: object
                      properties:
                        next:
                          type: object
                          required: [after]
                          properties:
                            after: {type: string}
                Failure:
                  type: object
                  required: [message, category, errors]
                  properties:
                    message: {type: string}
                    category: {type: string}
                    errors: {type: array, items: {type: string}}
            "#,
        );
        // The types only: the operation is there to make `Output` and
        // `Failure` response models.
        let types = dump.split("\noperation ").next().unwrap_or_default();
        insta::assert_snapshot!(types, @r#"
            struct Input <- Input
              ids "ids": [string] required decode=strict
              name "name": string required decode=strict
            struct OutputPagingNext <- #/components/schemas/Output/properties/paging/properties/next
              after "after": string required decode=none-if-missing
            struct OutputPaging <- #/components/schemas/Output/properties/paging
              next "next": OutputPagingNext decode=optional setter=with_next
            struct Output <- Output
              ids "ids": [string] required decode=empty-if-missing
              name "name": string required decode=strict
              links "links": {string: string} required decode=empty-if-missing
              paging "paging": OutputPaging required decode=strict
            struct Failure <- Failure
              message "message": string required decode=empty-if-missing
              category "category": string required decode=none-if-missing
              errors "errors": [string] required decode=empty-if-missing
        "#);
    }

    #[test]
    fn not_schemas_are_rejected_with_their_pointer() {
        let error = try_lower_yaml(
            r#"
            components:
              schemas:
                Thing:
                  type: object
                  properties:
                    never:
                      not: {type: string}
            "#,
        )
        .unwrap_err();
        insta::assert_snapshot!(error.to_string(), @"t.yaml#/components/schemas/Thing/properties/never: `not` schemas are not supported");
    }
}
