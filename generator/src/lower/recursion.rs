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
