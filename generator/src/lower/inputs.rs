//! Shortcuts for building request bodies, decided once every type and
//! operation is lowered and every field's `new(..)`/setter split is known
//! (after `policy::apply`): a short alias per operation's JSON body
//! (`BatchReadInput`), and, for batch bodies whose `new(..)` takes only their
//! list of inputs, collecting from any iterator and building from ids.

use std::collections::BTreeSet;

use crate::ir::{ArgKind, BatchInput, BodyKind, Field, Operation, Type, TypeDef, TypeKind};
use crate::naming;

/// Sets `Operation::input_alias` and returns the document's batch inputs.
/// `taken` holds every type name of the document (models, params types,
/// response enums); an alias is added to it, and one whose name is taken is
/// left out rather than numbered: a short name is only worth having when it
/// is the obvious one.
pub(super) fn apply(
    types: &[TypeDef],
    operations: &mut [Operation],
    taken: &mut BTreeSet<String>,
) -> Vec<BatchInput> {
    for op in operations.iter_mut() {
        let Some(BodyKind::Json(Type::Named(body))) = op.body.as_ref().map(|b| &b.kind) else {
            continue;
        };
        let alias = naming::input_alias(&op.name);
        if alias != *body && taken.insert(alias.clone()) {
            op.input_alias = Some(alias);
        }
    }
    let batch_bodies: BTreeSet<&str> = operations
        .iter()
        .filter(|op| op.batch.is_some())
        .filter_map(|op| match op.body.as_ref().map(|b| &b.kind) {
            Some(BodyKind::Json(Type::Named(body))) => Some(body.as_str()),
            _ => None,
        })
        .collect();
    types
        .iter()
        .filter(|t| batch_bodies.contains(t.name.as_str()))
        .filter_map(|t| {
            let [
                Field {
                    ty: Type::Vec(item),
                    ..
                },
            ] = constructor_fields(t)?.as_slice()
            else {
                return None;
            };
            let Type::Named(item) = &**item else {
                return None;
            };
            let item_def = types.iter().find(|d| d.name == *item)?;
            let from_ids = match constructor_fields(item_def)?.as_slice() {
                [only] if only.arg == ArgKind::Id && !only.boxed => {
                    Some(naming::FROM_IDS.to_owned())
                }
                _ => None,
            };
            Some(BatchInput {
                type_name: t.name.clone(),
                item: item.clone(),
                from_ids,
            })
        })
        .collect()
}

/// The fields `new(..)` of a struct takes, in order; `None` for other kinds.
fn constructor_fields(t: &TypeDef) -> Option<Vec<&Field>> {
    match &t.kind {
        TypeKind::Struct(fields) => Some(fields.iter().filter(|f| f.setter.is_none()).collect()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::lower::test_support::dump_yaml;

    /// Two batch operations and a plain one: a body of one list of one-id
    /// items gets `from_ids`, a body of one list of pairs only collects, a
    /// body with a second required field gets neither; every JSON body
    /// whose type is generated gets an alias, except where the name is a
    /// schema's.
    #[test]
    fn aliases_batch_inputs_and_from_ids() {
        let dump = dump_yaml(
            r#"
            paths:
              /batch/read:
                post:
                  requestBody:
                    content:
                      application/json:
                        schema: {$ref: '#/components/schemas/BatchIds'}
                  responses: {'200': {description: ok}}
              /batch/link:
                post:
                  requestBody:
                    content:
                      application/json:
                        schema: {$ref: '#/components/schemas/BatchPairs'}
                  responses: {'200': {description: ok}}
              /batch/tag:
                post:
                  requestBody:
                    content:
                      application/json:
                        schema: {$ref: '#/components/schemas/BatchTagged'}
                  responses: {'200': {description: ok}}
              /labels:
                post:
                  requestBody:
                    content:
                      application/json:
                        schema: {$ref: '#/components/schemas/Label'}
                  responses: {'200': {description: ok}}
            components:
              schemas:
                BatchIds:
                  type: object
                  required: [inputs]
                  properties:
                    inputs: {type: array, items: {$ref: '#/components/schemas/OneId'}}
                BatchPairs:
                  type: object
                  required: [inputs]
                  properties:
                    inputs: {type: array, items: {$ref: '#/components/schemas/Pair'}}
                BatchTagged:
                  type: object
                  required: [inputs, tag]
                  properties:
                    inputs: {type: array, items: {$ref: '#/components/schemas/OneId'}}
                    tag: {type: string}
                OneId:
                  type: object
                  required: [id]
                  properties:
                    id: {type: string}
                    after: {type: string}
                Pair:
                  type: object
                  required: [fromObjectId, toObjectId]
                  properties:
                    fromObjectId: {type: string}
                    toObjectId: {type: string}
                    fromObjectTypeId: {type: string}
                Label:
                  type: object
                  required: [label]
                  properties:
                    label: {type: string}
                CreateLabelsInput: {type: string}
            "#,
        );
        let interesting: Vec<&str> = dump
            .lines()
            .filter(|l| {
                l.starts_with("batch-input")
                    || l.starts_with("operation")
                    || l.contains("input-alias")
                    || l.contains("arg=id")
                    || l.contains("Id\"")
            })
            .collect();
        insta::assert_snapshot!(interesting.join("\n"), @r#"
              id "id": string required decode=strict arg=id
              from_object_id "fromObjectId": string required decode=strict arg=id
              to_object_id "toObjectId": string required decode=strict arg=id
              from_object_type_id "fromObjectTypeId": string decode=optional setter=with_from_object_type_id
            batch-input BatchIds of OneId from_ids
            batch-input BatchPairs of Pair
            operation batch_read = POST /batch/read
              retry=only-if-unsent batch-limit=100 merge=all-or-error(ok=200, json=false) other-2xx-as=200 input-alias=BatchReadInput
            operation create_batch_link = POST /batch/link
              retry=only-if-unsent batch-limit=100 merge=all-or-error(ok=200, json=false) other-2xx-as=200 input-alias=CreateBatchLinkInput
            operation create_batch_tag = POST /batch/tag
              retry=only-if-unsent batch-limit=100 merge=all-or-error(ok=200, json=false) other-2xx-as=200 input-alias=CreateBatchTagInput
            operation create_labels = POST /labels
        "#);
    }
}
