//! Every naming rule in one place.
//!
//! Operation names: HubSpot's operationIds embed paths and older versions, so
//! they are neither valid identifiers nor stable. A method is named from its
//! *endpoint key*: the HTTP method plus the path with the version segment
//! removed and every parameter written `{}`, e.g.
//! `POST /crm/associations/{}/{}/batch/read`. The same endpoint therefore has
//! the same key, and the same name, in every dated version. The name is the
//! one `specs/overrides.toml` gives for that key, or else the default rule:
//! the literal path segments after `crm`, snake_case, led by a verb for the
//! HTTP method unless the last segment already is one (`batch_read`).

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::ir::HttpMethod;

/// Keywords that need `r#` (or, for the few that cannot be raw, a `_` suffix).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where",
    "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Words that already say what a POST does, so no verb is prefixed.
const ACTION_WORDS: &[&str] = &[
    "read", "create", "archive", "update", "upsert", "purge", "search", "merge", "delete",
    "remove", "default", "batch",
];

/// snake_case identifier, valid in Rust (keywords become raw identifiers).
pub fn snake_ident(raw: &str) -> String {
    let mut name = raw.to_snake_case();
    if name.is_empty() {
        name = "value".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("n{name}");
    }
    escape_keyword(valid_or_ascii(name, "value"))
}

/// UpperCamelCase enum variant name (variants cannot shadow prelude names).
pub fn variant_ident(raw: &str) -> String {
    let name = camel(raw);
    if name == "Self" {
        "Self_".to_owned()
    } else {
        name
    }
}

/// UpperCamelCase type name.
pub fn type_ident(raw: &str) -> String {
    let mut name = camel(raw);
    if PRELUDE.contains(&name.as_str()) || KEYWORDS.contains(&name.as_str()) {
        name.push_str("Model");
    }
    name
}

fn camel(raw: &str) -> String {
    let mut name = raw.to_upper_camel_case();
    name.retain(|c| c.is_alphanumeric() || c == '_');
    if name.is_empty() {
        name = "Empty".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("V{name}");
    }
    valid_or_ascii(name, "Type")
}

/// Names generated code uses unqualified; a schema may not shadow them.
const PRELUDE: &[&str] = &[
    "Self", "Result", "Option", "Some", "None", "Ok", "Err", "String", "Vec", "Box", "Default",
    "Api",
];

/// Keeps a name only if Rust accepts it as an identifier; otherwise its
/// ASCII letters, digits and underscores (spec names can hold anything).
fn valid_or_ascii(name: String, fallback: &str) -> String {
    if syn::parse_str::<syn::Ident>(&name).is_ok() || KEYWORDS.contains(&name.as_str()) {
        return name;
    }
    let mut ascii: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if ascii.is_empty() || ascii == "_" {
        ascii = fallback.to_owned();
    }
    if ascii.starts_with(|c: char| c.is_ascii_digit()) {
        ascii.insert_str(0, &fallback[..1]);
    }
    ascii
}

fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// Gives each name in `names` a unique spelling: the first keeps it, later
/// ones get `2`, `3`… (in the given order, which callers keep stable).
pub fn dedupe(names: &mut [String]) {
    let mut seen = std::collections::BTreeSet::new();
    for name in names.iter_mut() {
        if seen.insert(name.clone()) {
            continue;
        }
        let base = name.trim_start_matches("r#").to_owned();
        let mut n = 2;
        while !seen.insert(format!("{base}{n}")) {
            n += 1;
        }
        *name = format!("{base}{n}");
    }
}

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

/// The default rule for an endpoint key without an override.
pub fn default_operation_name(key: &str) -> String {
    let (method, path) = key.split_once(' ').unwrap_or(("GET", key));
    let literals: Vec<&str> = path
        .split('/')
        .filter(|s| !s.is_empty() && *s != "{}" && *s != "crm")
        .collect();
    let ends_with_param = path.ends_with("{}");
    let last_is_action = literals
        .last()
        .is_some_and(|l| ACTION_WORDS.contains(&l.to_ascii_lowercase().as_str()));
    let verb = match method {
        "GET" if ends_with_param => Some("get"),
        "GET" => Some("list"),
        "POST" if last_is_action => None,
        "POST" => Some("create"),
        "PUT" => Some("replace"),
        "PATCH" => Some("update"),
        "DELETE" => Some("delete"),
        other => Some(other),
    };
    let words = verb
        .into_iter()
        .chain(literals.iter().copied())
        .collect::<Vec<_>>()
        .join("_");
    snake_ident(&words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_valid_rust() {
        assert_eq!(snake_ident("type"), "r#type");
        assert_eq!(snake_ident("self"), "self_");
        assert_eq!(snake_ident("1stPlace"), "n1st_place");
        assert_eq!(snake_ident("fromObjectTypeId"), "from_object_type_id");
        assert_eq!(snake_ident(""), "value");
        assert_eq!(type_ident("Foo_1"), "Foo1");
        assert_eq!(type_ident("HUBSPOT_DEFINED"), "HubspotDefined");
        assert_eq!(type_ident("3d"), "V3d");
        assert_eq!(type_ident("-"), "Empty");
        assert_eq!(type_ident("Result"), "ResultModel");
        assert_eq!(snake_ident("\u{301}x"), "x");
        assert_eq!(type_ident("été"), "Été");
        assert_eq!(snake_ident("🙂"), "value");
    }

    #[test]
    fn dedupe_keeps_first_and_numbers_the_rest() {
        let mut names = vec!["Foo".to_string(), "Bar".into(), "Foo".into(), "Foo".into()];
        dedupe(&mut names);
        assert_eq!(names, ["Foo", "Bar", "Foo2", "Foo3"]);
    }

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

    #[test]
    fn default_rule() {
        assert_eq!(
            default_operation_name("POST /crm/associations/{}/{}/batch/read"),
            "associations_batch_read"
        );
        assert_eq!(
            default_operation_name("GET /crm/objects/{}/{}/associations/{}"),
            "get_objects_associations"
        );
        assert_eq!(
            default_operation_name("GET /crm/associations/{}/{}/labels"),
            "list_associations_labels"
        );
        assert_eq!(default_operation_name("DELETE /crm/x/{}"), "delete_x");
        assert_eq!(
            default_operation_name("POST /crm/x/labels"),
            "create_x_labels"
        );
    }
}
