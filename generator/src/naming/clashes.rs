//! The net under every naming rule: names that must differ in one scope are
//! checked together (a version's method names, a document's types, a type's
//! fields, methods and variants), and a clash is an error naming both.

use super::overrides::EndpointRef;
use super::reserved::{CONSTRUCTOR, OTHER_VARIANT, UNDECODED_FIELD, UNKNOWN_VARIANT};

/// Two endpoints of one version that would get the same method name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameClash {
    /// The method name both would get, e.g. `batch_read`.
    pub name: String,
    /// The endpoint met first.
    pub first: EndpointRef,
    /// The other endpoint.
    pub second: EndpointRef,
    /// Both names come from `overrides.toml` (otherwise a derived name clashed).
    pub both_explicit: bool,
}

impl std::fmt::Display for NameClash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (first, second) = (self.first.key(), self.second.key());
        if self.both_explicit {
            write!(
                f,
                "`{first}` and `{second}` are both named `{}`, but {} and {} share one `Api`; \
                 give `{first}` or `{second}` another name in overrides.toml",
                self.name, self.first, self.second
            )
        } else {
            write!(
                f,
                "method name `{}` is used by both {} and {}; give `{first}` or `{second}` a name in overrides.toml",
                self.name, self.first, self.second
            )
        }
    }
}

impl std::error::Error for NameClash {}

/// Every method name on one version's `Api` (the operations' own and their
/// derived ones) must differ: the final check over all its documents.
pub fn check_method_names(documents: &[crate::ir::Document]) -> Result<(), Box<NameClash>> {
    match method_name_clashes(documents).into_iter().next() {
        Some(clash) => Err(Box::new(clash)),
        None => Ok(()),
    }
}

/// Every clash among the method names of one version's documents, in order.
pub fn method_name_clashes(documents: &[crate::ir::Document]) -> Vec<NameClash> {
    let mut seen: std::collections::BTreeMap<String, EndpointRef> = Default::default();
    let mut clashes = Vec::new();
    for doc in documents {
        for op in &doc.operations {
            let endpoint = EndpointRef {
                method: op.method,
                path: op.path.clone(),
                version: doc.version.clone(),
                source: doc.source.clone(),
            };
            let derived = [&op.derived.all, &op.derived.with, &op.derived.stream];
            let names = std::iter::once(&op.name).chain(derived.into_iter().flatten());
            for name in names {
                let name = name.trim_start_matches("r#").to_owned();
                match seen.get(&name) {
                    Some(first) => clashes.push(NameClash {
                        name,
                        first: first.clone(),
                        second: endpoint.clone(),
                        both_explicit: false,
                    }),
                    None => {
                        seen.insert(name, endpoint.clone());
                    }
                }
            }
        }
    }
    clashes
}

/// Two things of one scope named alike: types of one document, or fields,
/// methods or variants of one type. Lowering dedupes every one of these, so
/// this is the net under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberClash {
    /// What the names share, e.g. `` type `Page` `` or `` document `t` ``.
    pub scope: String,
    /// The name used twice.
    pub name: String,
}

impl std::fmt::Display for MemberClash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} has two items named `{}`", self.scope, self.name)
    }
}

impl std::error::Error for MemberClash {}

/// Every other name of a document the generated code uses must differ
/// within its scope: its type names (models, params types, response enums,
/// input aliases); each struct's fields and its methods (`new`, the
/// setters, `from_ids`); each enum's
/// and union's variants, with the `Unknown` or `Other` the emitter adds; each
/// params type's fields and methods; each response enum's variants. Method
/// names on the `Api` are [`check_method_names`]'.
pub fn check_document_names(doc: &crate::ir::Document) -> Result<(), Box<MemberClash>> {
    use crate::ir::TypeKind;
    fn unique<'a>(
        scope: impl Fn() -> String,
        names: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), Box<MemberClash>> {
        let mut seen = std::collections::BTreeSet::new();
        for name in names {
            if !seen.insert(name.trim_start_matches("r#")) {
                return Err(Box::new(MemberClash {
                    scope: scope(),
                    name: name.to_owned(),
                }));
            }
        }
        Ok(())
    }
    let op_types = doc.operations.iter().flat_map(|op| {
        op.params_type
            .iter()
            .chain(&op.response_enum)
            .chain(&op.input_alias)
    });
    unique(
        || format!("document `{}`", doc.module),
        doc.types
            .iter()
            .map(|t| &t.name)
            .chain(op_types)
            .map(String::as_str),
    )?;
    for t in &doc.types {
        let scope = || format!("type `{}`", t.name);
        match &t.kind {
            TypeKind::Struct(fields) => {
                let kept = fields.iter().any(|f| f.keep_undecoded);
                let undecoded = kept.then_some(UNDECODED_FIELD);
                unique(
                    scope,
                    fields.iter().map(|f| f.name.as_str()).chain(undecoded),
                )?;
                let setters = fields.iter().filter_map(|f| f.setter.as_deref());
                let from_ids = doc
                    .batch_inputs
                    .iter()
                    .filter(|b| b.type_name == t.name)
                    .filter_map(|b| b.from_ids.as_deref());
                unique(
                    scope,
                    std::iter::once(CONSTRUCTOR).chain(setters).chain(from_ids),
                )?;
            }
            TypeKind::Enum(variants) => unique(
                scope,
                variants
                    .iter()
                    .map(|v| v.name.as_str())
                    .chain([UNKNOWN_VARIANT]),
            )?,
            TypeKind::Union { variants, .. } => unique(
                scope,
                variants
                    .iter()
                    .map(|v| v.name.as_str())
                    .chain([OTHER_VARIANT]),
            )?,
            TypeKind::Alias(_) => {}
        }
    }
    for op in &doc.operations {
        if let Some(params) = &op.params_type {
            let scope = || format!("type `{params}`");
            let all = || op.query_params.iter().chain(&op.header_params);
            unique(scope, all().map(|p| p.name.as_str()))?;
            let setters = all().filter_map(|p| p.setter.as_deref());
            unique(scope, std::iter::once(CONSTRUCTOR).chain(setters))?;
        }
        if let Some(responses) = &op.response_enum {
            let scope = || format!("type `{responses}`");
            unique(scope, op.responses.iter().map(|r| r.variant.as_str()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::naming::FROM_IDS;

    #[test]
    fn input_aliases_and_from_ids_are_in_the_clash_checks() {
        let mut doc = crate::lower::test_support::lower_yaml(
            r#"
            paths:
              /batch/read:
                post:
                  requestBody:
                    content:
                      application/json:
                        schema: {$ref: '#/components/schemas/Batch'}
                  responses: {'200': {description: ok}}
            components:
              schemas:
                Batch:
                  type: object
                  required: [inputs]
                  properties:
                    inputs: {type: array, items: {$ref: '#/components/schemas/One'}}
                    note: {type: string}
                One:
                  type: object
                  required: [id]
                  properties:
                    id: {type: string}
            "#,
        );
        assert_eq!(check_document_names(&doc), Ok(()));
        assert_eq!(
            doc.operations[0].input_alias.as_deref(),
            Some("BatchReadInput")
        );
        assert_eq!(doc.batch_inputs[0].from_ids.as_deref(), Some(FROM_IDS));
        // An alias named like a type.
        let mut aliased = doc.clone();
        aliased.operations[0].input_alias = Some("One".into());
        let clash = check_document_names(&aliased).unwrap_err();
        assert_eq!(clash.to_string(), "document `t` has two items named `One`");
        // `from_ids` named like a method the struct already has.
        let crate::ir::TypeKind::Struct(fields) = &mut doc.types[0].kind else {
            panic!("Batch is a struct")
        };
        fields[1].setter = Some(FROM_IDS.into());
        let clash = check_document_names(&doc).unwrap_err();
        assert_eq!(
            clash.to_string(),
            "type `Batch` has two items named `from_ids`"
        );
    }

    #[test]
    fn clashes_inside_a_document_are_found_per_scope() {
        use crate::ir::{Document, Origin, TypeDef, TypeKind};
        let alias = |name: &str| TypeDef {
            name: name.into(),
            origin: Origin::Schema(name.into()),
            doc: None,
            deprecated: false,
            kind: TypeKind::Alias(crate::ir::Type::String),
        };
        let mut doc = Document {
            module: "t".into(),
            title: "t".into(),
            version: "v1".into(),
            description: None,
            source: "t.yaml".into(),
            types: vec![alias("Page"), alias("Other")],
            operations: Vec::new(),
            batch_inputs: Vec::new(),
        };
        assert_eq!(check_document_names(&doc), Ok(()));
        doc.types.push(TypeDef {
            kind: TypeKind::Enum(vec![crate::ir::EnumVariant {
                name: "Unknown".into(),
                value: "x".into(),
            }]),
            ..alias("Kind")
        });
        let clash = check_document_names(&doc).unwrap_err();
        assert_eq!(
            clash.to_string(),
            "type `Kind` has two items named `Unknown`"
        );
        doc.types.pop();
        doc.types.push(alias("Page"));
        let clash = check_document_names(&doc).unwrap_err();
        assert_eq!(clash.to_string(), "document `t` has two items named `Page`");
    }
}
