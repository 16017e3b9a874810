//! Recursive schemas: a field or union variant that leads back to its own
//! type without passing through a `Vec` or map is boxed, so the type has a size.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Type, TypeDef, TypeKind};

pub(super) fn box_recursive_fields(types: &mut [TypeDef]) {
    let edges: BTreeMap<String, BTreeSet<String>> = types
        .iter()
        .map(|t| (t.name.clone(), direct_edges(&t.kind)))
        .collect();
    for def in types.iter_mut() {
        let owner = def.name.clone();
        match &mut def.kind {
            TypeKind::Struct(fields) => {
                for field in fields {
                    if let Type::Named(target) = &field.ty {
                        field.boxed = reaches(&edges, target, &owner);
                    }
                }
            }
            TypeKind::Union { variants, .. } => {
                for variant in variants {
                    if let Type::Named(target) = &variant.ty {
                        variant.boxed = reaches(&edges, target, &owner);
                    }
                }
            }
            TypeKind::Enum(_) | TypeKind::Alias(_) => {}
        }
    }
}

/// Types held inline (not behind a `Vec` or map) by a type.
fn direct_edges(kind: &TypeKind) -> BTreeSet<String> {
    let named = |ty: &Type| match ty {
        Type::Named(n) => Some(n.clone()),
        _ => None,
    };
    match kind {
        TypeKind::Struct(fields) => fields.iter().filter_map(|f| named(&f.ty)).collect(),
        TypeKind::Union { variants, .. } => variants.iter().filter_map(|v| named(&v.ty)).collect(),
        TypeKind::Alias(ty) => named(ty).into_iter().collect(),
        TypeKind::Enum(_) => BTreeSet::new(),
    }
}

fn reaches(edges: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str) -> bool {
    let mut stack = vec![from.to_owned()];
    let mut seen = BTreeSet::new();
    while let Some(node) = stack.pop() {
        if node == to {
            return true;
        }
        if seen.insert(node.clone()) {
            stack.extend(edges.get(&node).into_iter().flatten().cloned());
        }
    }
    false
}

/// Names of aliases that only lead to each other (`A = B`, `B = A`): no Rust
/// type can express them.
pub(super) fn alias_cycle(types: &[TypeDef]) -> Option<String> {
    let aliases: BTreeMap<&str, &str> = types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Alias(Type::Named(target)) => Some((t.name.as_str(), target.as_str())),
            _ => None,
        })
        .collect();
    for start in aliases.keys() {
        let mut current = *start;
        for _ in 0..=aliases.len() {
            match aliases.get(current) {
                Some(next) if next == start => return Some((*start).to_owned()),
                Some(next) => current = next,
                None => break,
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Document, Origin};
    use crate::lower::test_support::lower_yaml;

    /// `Type.field` (or `Type::Variant`) for everything boxed.
    fn boxed(doc: &Document) -> Vec<String> {
        let mut out = Vec::new();
        for t in &doc.types {
            match &t.kind {
                TypeKind::Struct(fields) => out.extend(
                    fields
                        .iter()
                        .filter(|f| f.boxed)
                        .map(|f| format!("{}.{}", t.name, f.name)),
                ),
                TypeKind::Union { variants, .. } => out.extend(
                    variants
                        .iter()
                        .filter(|v| v.boxed)
                        .map(|v| format!("{}::{}", t.name, v.name)),
                ),
                TypeKind::Enum(_) | TypeKind::Alias(_) => {}
            }
        }
        out
    }

    fn schemas(yaml: &str) -> Document {
        let body: String = yaml.lines().map(|l| format!("    {l}\n")).collect();
        lower_yaml(&format!("components:\n  schemas:\n{body}"))
    }

    #[test]
    fn a_direct_self_reference_is_boxed() {
        let doc = schemas(
            "Node: {type: object, properties: {next: {$ref: '#/components/schemas/Node'}, id: {type: string}}}",
        );
        assert_eq!(boxed(&doc), ["Node.next"]);
    }

    #[test]
    fn recursion_through_a_vec_or_map_is_not_boxed() {
        let doc = schemas(
            "Tree: {type: object, properties: {children: {type: array, items: {$ref: '#/components/schemas/Tree'}}, byName: {type: object, additionalProperties: {$ref: '#/components/schemas/Tree'}}}}",
        );
        assert_eq!(boxed(&doc), Vec::<String>::new());
    }

    #[test]
    fn recursion_through_a_union_boxes_both_edges() {
        let doc = schemas(
            "Expr: {oneOf: [{$ref: '#/components/schemas/Lit'}, {$ref: '#/components/schemas/Neg'}]}\n\
             Lit: {type: object, properties: {value: {type: integer}}}\n\
             Neg: {type: object, properties: {inner: {$ref: '#/components/schemas/Expr'}}}",
        );
        assert_eq!(boxed(&doc), ["Expr::Neg", "Neg.inner"]);
    }

    #[test]
    fn mutual_recursion_boxes_the_cycle_only() {
        let doc = schemas(
            "A: {type: object, properties: {b: {$ref: '#/components/schemas/B'}}}\n\
             B: {type: object, properties: {a: {$ref: '#/components/schemas/A'}}}\n\
             C: {type: object, properties: {a: {$ref: '#/components/schemas/A'}}}",
        );
        assert_eq!(boxed(&doc), ["A.b", "B.a"]);
    }

    #[test]
    fn aliases_that_only_lead_to_each_other_are_found() {
        let alias = |name: &str, target: Type| TypeDef {
            name: name.into(),
            origin: Origin::Schema(name.into()),
            doc: None,
            deprecated: false,
            kind: TypeKind::Alias(target),
        };
        let cycle = [
            alias("A", Type::Named("B".into())),
            alias("B", Type::Named("A".into())),
        ];
        assert_eq!(alias_cycle(&cycle).as_deref(), Some("A"));
        let chain = [
            alias("A", Type::Named("B".into())),
            alias("B", Type::String),
        ];
        assert_eq!(alias_cycle(&chain), None);
    }
}
