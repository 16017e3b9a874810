//! The default names a document's items get before any override: the
//! version-free endpoint key, the default method name read from the path,
//! derived method names, status variants, input aliases and the type-name
//! hints of params and responses, and the rule for which values are record
//! ids.

use heck::ToSnakeCase;

use super::spelling::{singular, snake_ident, type_ident};
use crate::ir::{ApiAccessor, HttpMethod};

/// Whether a value named `wire_name` is a record id: `id`, or a name whose
/// last words are `object id` (`objectId`, `fromObjectId`, `to_object_id`).
/// HubSpot numbers records, sends these ids as JSON numbers on some
/// endpoints and callers hold them as integers, so builders and methods
/// take them as `impl Into<ObjectId>` ([`crate::ir::ArgKind::Id`]). Other
/// ids are text that is never a number (`fromObjectTypeId` is `0-1`,
/// `correlationId` a UUID, `sourceId` and `objectWriteTraceId` free text)
/// and stay plain strings.
pub fn is_record_id(wire_name: &str) -> bool {
    let snake = wire_name.to_snake_case();
    snake == "id" || snake == "object_id" || snake.ends_with("_object_id")
}

/// The short name of an operation's JSON body type: the method's name in
/// UpperCamelCase plus `Input` (`batch_read` → `BatchReadInput`). Lowering
/// drops it where a type of the document already has that name.
pub fn input_alias(operation: &str) -> String {
    type_ident(&format!("{}_input", operation.trim_start_matches("r#")))
}

/// Words that already say what a POST does, so no verb is prefixed.
const ACTION_WORDS: &[&str] = &[
    "read", "create", "archive", "update", "upsert", "purge", "search", "merge", "delete",
    "remove", "default", "batch",
];

/// Variant name for a success status code.
pub fn status_variant(status: u16) -> String {
    match status {
        200 => "Ok".into(),
        201 => "Created".into(),
        202 => "Accepted".into(),
        203 => "NonAuthoritative".into(),
        204 => "NoContent".into(),
        206 => "PartialContent".into(),
        207 => "MultiStatus".into(),
        other => format!("Status{other}"),
    }
}

/// Is this path segment the version of the document (`v4`, `2026-03`)?
pub fn is_version_segment(segment: &str, version: &str) -> bool {
    if segment == version {
        return true;
    }
    let bytes = segment.as_bytes();
    let vn = bytes.len() >= 2 && bytes[0] == b'v' && bytes[1..].iter().all(u8::is_ascii_digit);
    let dated = bytes.len() >= 7
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5..7].iter().all(u8::is_ascii_digit);
    vn || dated
}

/// The version-free key that names an endpoint across versions.
pub fn endpoint_key(method: HttpMethod, path: &str, version: &str) -> String {
    let mut key = String::from(method.as_str());
    key.push(' ');
    let mut dropped_version = false;
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        if !dropped_version && is_version_segment(segment, version) {
            dropped_version = true;
            continue;
        }
        key.push('/');
        if segment.starts_with('{') && segment.ends_with('}') {
            key.push_str("{}");
        } else {
            key.push_str(segment);
        }
    }
    key
}

/// Words that mark a path parameter as a *qualifier* (it picks which kind of
/// collection, `{objectType}`), not an item of it (`{objectId}`, `{labelName}`).
const QUALIFIER_SUFFIX: &str = "type";

/// The default rule for an endpoint without a name in `overrides.toml`. It
/// reads the path template (with its parameter names), so it can tell items
/// from collections:
///
/// - the literal segments after the version (`crm` left out) are the words;
/// - a parameter whose last word is `type` (`{objectType}`) is a qualifier and
///   adds nothing; any other parameter (`{objectId}`, `{groupName}`,
///   `{campaignGuid}`) selects an item, so the word before it becomes singular
///   (`objects/{objectType}/{objectId}` → `object`); a second selector right
///   after the first adds its own name without `Id` (`{appId}/{definitionId}`
///   → `action_definition`);
/// - the verb: `get` for a GET ending in a selector, `list` for other GETs,
///   `replace` for PUT, `update` for PATCH, `delete` for DELETE, `create` for
///   a POST unless its last literal already is an action (`batch/read`).
///
/// So `GET /crm/objects/{objectType}` is `list_objects` and
/// `GET /crm/objects/{objectType}/{objectId}` is `get_object`. The name is a
/// function of the endpoint alone, so it is the same in every version; when
/// two endpoints still end up with one name,
/// [`assign_operation_names`](super::assign_operation_names) breaks the tie.
pub fn default_operation_name(method: HttpMethod, path: &str, version: &str) -> String {
    let shape = PathShape::read(path, version);
    let verb = match method {
        HttpMethod::Get if shape.ends_with_selector => Some("get"),
        HttpMethod::Get => Some("list"),
        HttpMethod::Post if shape.last_literal_is_action => None,
        HttpMethod::Post => Some("create"),
        HttpMethod::Put => Some("replace"),
        HttpMethod::Patch => Some("update"),
        HttpMethod::Delete => Some("delete"),
        HttpMethod::Head => Some("head"),
        HttpMethod::Options => Some("options"),
        HttpMethod::Trace => Some("trace"),
    };
    let words = verb
        .map(str::to_owned)
        .into_iter()
        .chain(shape.words)
        .collect::<Vec<_>>()
        .join("_");
    snake_ident(&words)
}

/// What the default rule reads from a path template.
pub(super) struct PathShape {
    words: Vec<String>,
    ends_with_selector: bool,
    last_literal_is_action: bool,
    /// Parameters after the last literal segment, snake_case.
    pub(super) trailing_params: Vec<String>,
    /// The version segment, if the path has one.
    pub(super) version_segment: Option<String>,
}

impl PathShape {
    pub(super) fn read(path: &str, version: &str) -> Self {
        let mut shape = PathShape {
            words: Vec::new(),
            ends_with_selector: false,
            last_literal_is_action: false,
            trailing_params: Vec::new(),
            version_segment: None,
        };
        // A selector already made the word before it singular.
        let mut selected = false;
        for segment in path.split('/').filter(|s| !s.is_empty()) {
            if shape.version_segment.is_none() && is_version_segment(segment, version) {
                shape.version_segment = Some(segment.to_owned());
                continue;
            }
            let Some(param) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
                selected = false;
                shape.ends_with_selector = false;
                shape.trailing_params.clear();
                if segment == "crm" {
                    continue;
                }
                let word = segment.to_snake_case();
                // `gdpr-delete` is an action as much as `delete` is.
                shape.last_literal_is_action = word
                    .rsplit('_')
                    .next()
                    .is_some_and(|last| ACTION_WORDS.contains(&last));
                shape.words.push(word);
                continue;
            };
            let param_words = param.to_snake_case();
            shape.trailing_params.push(param_words.clone());
            if param_words.rsplit('_').next() == Some(QUALIFIER_SUFFIX) {
                shape.ends_with_selector = false;
                continue;
            }
            shape.ends_with_selector = true;
            if !selected {
                selected = true;
                if let Some(last) = shape.words.last_mut() {
                    *last = singular(last);
                }
                continue;
            }
            let own = param_words
                .strip_suffix("_ids")
                .or_else(|| param_words.strip_suffix("_id"))
                .filter(|w| !w.is_empty());
            shape.words.push(match own {
                Some(word) => word.to_owned(),
                None => format!("by_{param_words}"),
            });
        }
        shape
    }
}

/// The derived method names of operation `name`.
pub fn derived_methods(
    name: &str,
    follows_cursors: bool,
    streams: bool,
) -> crate::ir::DerivedMethods {
    let base = name.trim_start_matches("r#");
    crate::ir::DerivedMethods {
        all: follows_cursors.then(|| format!("{base}_all")),
        with: follows_cursors.then(|| format!("{base}_with")),
        stream: streams.then(|| format!("{base}_stream")),
    }
}

/// Name hint of an operation's query/header parameter struct.
pub fn params_type_hint(operation_type: &str) -> String {
    format!("{operation_type}Params")
}

/// Name hint of an operation's enum of success responses.
pub fn response_enum_hint(operation_type: &str) -> String {
    format!("{operation_type}Response")
}

/// `client.associations()` for `hubspot-associations`: the package name
/// without a leading `hubspot-` and a trailing `-client` (`constructs-client`
/// → `constructs`), as a method, a type (`Associations`) and a trait
/// (`AssociationsExt`).
pub fn api_accessor(package: &str) -> ApiAccessor {
    let name = package.strip_prefix("hubspot-").unwrap_or(package);
    let name = name.strip_suffix("-client").unwrap_or(name);
    let type_name = type_ident(name);
    ApiAccessor {
        method: snake_ident(name),
        trait_name: format!("{}Ext", type_name.trim_start_matches("r#")),
        type_name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_keys_ignore_version_and_parameter_names() {
        let v4 = endpoint_key(
            HttpMethod::Post,
            "/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read",
            "v4",
        );
        let dated = endpoint_key(
            HttpMethod::Post,
            "/crm/associations/2026-03/{fromObjectType}/{toObjectType}/batch/read",
            "2026-03",
        );
        assert_eq!(v4, "POST /crm/associations/{}/{}/batch/read");
        assert_eq!(v4, dated);
    }

    fn default(method: HttpMethod, path: &str) -> String {
        default_operation_name(method, path, "2026-09-beta")
    }

    #[test]
    fn default_rule_verbs() {
        use HttpMethod::*;
        assert_eq!(
            default(Get, "/crm/things/2026-09-beta/list"),
            "list_things_list"
        );
        assert_eq!(
            default(Post, "/crm/things/2026-09-beta/batch/read"),
            "things_batch_read"
        );
        assert_eq!(
            default(Post, "/crm/things/2026-09-beta/labels"),
            "create_things_labels"
        );
        assert_eq!(
            default(Put, "/crm/things/2026-09-beta/{thingId}"),
            "replace_thing"
        );
        assert_eq!(
            default(Patch, "/crm/things/2026-09-beta/{thingId}"),
            "update_thing"
        );
        assert_eq!(
            default(Delete, "/crm/things/2026-09-beta/{thingId}"),
            "delete_thing"
        );
        assert_eq!(
            default(Get, "/crm/things/2026-09-beta/{thingId}"),
            "get_thing"
        );
    }

    #[test]
    fn default_rule_tells_items_from_collections() {
        use HttpMethod::*;
        // A `...Type` parameter picks a collection; any other one an item.
        assert_eq!(
            default(Get, "/crm/objects/2026-09-beta/{objectType}"),
            "list_objects"
        );
        assert_eq!(
            default(Get, "/crm/objects/2026-09-beta/{objectType}/{objectId}"),
            "get_object"
        );
        assert_eq!(
            default(
                Get,
                "/crm/objects/2026-09-beta/{objectType}/{objectId}/associations/{toObjectType}"
            ),
            "list_object_associations"
        );
        assert_eq!(
            default(
                Put,
                "/crm/objects/2026-09-beta/{fromObjectType}/{fromObjectId}/associations/{toObjectType}/{toObjectId}"
            ),
            "replace_object_association"
        );
        assert_eq!(
            default(
                Get,
                "/crm/properties/2026-09-beta/{objectType}/{propertyName}"
            ),
            "get_property"
        );
        assert_eq!(
            default(Get, "/crm/properties/2026-09-beta/{objectType}/groups"),
            "list_properties_groups"
        );
        assert_eq!(
            default(Get, "/marketing/2026-09-beta/campaigns/{campaignGuid}"),
            "get_marketing_campaign"
        );
        // A second selector in a row adds its own name.
        assert_eq!(
            default(
                Get,
                "/automation/actions/2026-09-beta/{appId}/{definitionId}"
            ),
            "get_automation_action_definition"
        );
        assert_eq!(
            default(Get, "/automation/actions/2026-09-beta/{appId}/{id}"),
            "get_automation_action_by_id"
        );
        assert_eq!(
            default(Get, "/cms/2026-09-beta/tables/{tableIdOrName}/draft"),
            "list_cms_table_draft"
        );
    }

    #[test]
    fn default_rule_is_the_same_in_every_version() {
        let v4 = default_operation_name(
            HttpMethod::Get,
            "/crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}",
            "v4",
        );
        let dated = default_operation_name(
            HttpMethod::Get,
            "/crm/objects/2026-03/{objectType}/{objectId}/associations/{toObjectType}",
            "2026-03",
        );
        assert_eq!(v4, dated);
    }

    #[test]
    fn record_ids_are_id_and_object_ids_and_no_other_id() {
        for id in [
            "id",
            "objectId",
            "fromObjectId",
            "toObjectId",
            "hs_object_id",
            "ID",
        ] {
            assert!(is_record_id(id), "{id}");
        }
        for text in [
            "fromObjectTypeId",
            "correlationId",
            "sourceId",
            "objectWriteTraceId",
            "idProperty",
            "ids",
            "objectType",
        ] {
            assert!(!is_record_id(text), "{text}");
        }
    }

    #[test]
    fn input_aliases_are_the_method_in_camel_case_plus_input() {
        assert_eq!(input_alias("batch_read"), "BatchReadInput");
        assert_eq!(input_alias("create_label"), "CreateLabelInput");
        assert_eq!(input_alias("r#type"), "TypeInput");
    }

    #[test]
    fn the_accessor_is_named_after_the_package() {
        let accessor = api_accessor("hubspot-associations");
        assert_eq!(
            (
                accessor.method.as_str(),
                accessor.type_name.as_str(),
                accessor.trait_name.as_str()
            ),
            ("associations", "Associations", "AssociationsExt")
        );
        assert_eq!(api_accessor("constructs-client").method, "constructs");
        assert_eq!(api_accessor("crm-objects").type_name, "CrmObjects");
    }
}
