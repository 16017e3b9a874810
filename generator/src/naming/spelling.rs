//! Spelling: raw text from the documents made into valid, unique Rust
//! identifiers (snake_case, UpperCamelCase types and variants, keyword
//! escaping, de-duplication), plus the plain word rules other names are built
//! with (singular, setters, shared-enum field names).

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords that need `r#` (or, for the few that cannot be raw, a `_` suffix).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where",
    "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

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

/// The singular of the last word of a snake_case name, by the plain English
/// rules (`properties` → `property`, `labels` → `label`, `status` stays).
pub fn singular(name: &str) -> String {
    let (head, last) = match name.rsplit_once('_') {
        Some((head, last)) => (Some(head), last),
        None => (None, name),
    };
    let one = if let Some(stem) = last.strip_suffix("ies").filter(|s| s.len() > 1) {
        format!("{stem}y")
    } else if ["sses", "xes", "ches", "shes", "zzes"]
        .iter()
        .any(|suffix| last.ends_with(suffix))
    {
        last[..last.len() - 2].to_owned()
    } else if last.len() > 3
        && last.ends_with('s')
        && !["ss", "us", "is"]
            .iter()
            .any(|suffix| last.ends_with(suffix))
    {
        last[..last.len() - 1].to_owned()
    } else {
        last.to_owned()
    };
    match head {
        Some(head) => format!("{head}_{one}"),
        None => one,
    }
}

/// Setter of a struct field or parameter: `with_<field>`. Field names of
/// one struct differ, so their setters do, and no other method of a model
/// starts with `with_`.
pub fn setter_name(field: &str) -> String {
    format!("with_{}", field.trim_start_matches("r#"))
}

/// How the docs of a shared inline enum name the fields it serves: the
/// field's type-name form with a lowercase first letter
/// (`AssociationCategory` → `associationCategory`), as HubSpot spells most
/// JSON keys. One enum serves every field with that type name and the same
/// values, so this is not necessarily any one field's exact key.
pub fn shared_enum_field(field_type_name: &str) -> String {
    let mut chars = field_type_name.chars();
    chars
        .next()
        .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default()
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
    fn a_shared_enum_names_its_fields_in_camel_case() {
        assert_eq!(
            shared_enum_field("AssociationCategory"),
            "associationCategory"
        );
        assert_eq!(shared_enum_field("Status"), "status");
        assert_eq!(shared_enum_field(""), "");
    }

    #[test]
    fn dedupe_keeps_first_and_numbers_the_rest() {
        let mut names = vec!["Foo".to_string(), "Bar".into(), "Foo".into(), "Foo".into()];
        dedupe(&mut names);
        assert_eq!(names, ["Foo", "Bar", "Foo2", "Foo3"]);
    }

    #[test]
    fn singular_of_plain_english_plurals() {
        for (plural, one) in [
            ("properties", "property"),
            ("labels", "label"),
            ("high_usage_reports", "high_usage_report"),
            ("batches", "batch"),
            ("addresses", "address"),
            ("status", "status"),
            ("analysis", "analysis"),
            ("ids", "ids"),
            ("objects", "object"),
        ] {
            assert_eq!(singular(plural), one, "{plural}");
        }
    }
}
