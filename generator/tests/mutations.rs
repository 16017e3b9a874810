//! Property test: mutated versions of every test document go through the
//! whole generator (load → lower → emit) and come back as values or errors,
//! never a panic. CI runs a bounded number of cases (PROPTEST_CASES, 64 by
//! default); a failing case prints the mutations that caused it.

use std::path::Path;
use std::sync::OnceLock;

use generator::emit::{CrateLayout, VersionModule, crate_files};
use generator::lower::{self, LowerOptions, Strictness};
use generator::overrides::Overrides;
use proptest::prelude::*;
use serde_json::{Value, json};

fn bases() -> &'static [Value] {
    static BASES: OnceLock<Vec<Value>> = OnceLock::new();
    BASES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut docs = Vec::new();
        for dir in [
            root.join("../specs"),
            root.join("tests/fixtures/constructs"),
        ] {
            for file in generator::project::discover(&dir).unwrap() {
                let text = std::fs::read_to_string(&file.path).unwrap();
                let value: Value = if file.relative.ends_with(".json") {
                    serde_json::from_str(&text).unwrap()
                } else {
                    serde_yaml::from_str(&text).unwrap()
                };
                docs.push(value);
            }
        }
        docs
    })
}

/// Every node's JSON pointer, in document order.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                pointers(
                    child,
                    format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

const STRINGS: &[&str] = &[
    "",
    "object",
    "array",
    "string",
    "integer",
    "3.1.0",
    "#/components/schemas/Nope",
    "#/components/schemas/",
    "other.json#/x",
    "{id}",
    "/crm/{a}/{a}",
    "type",
    "self",
    "1st",
    "é",
    "🙂",
    "\u{301}x",
    "date-time",
    "binary",
    "multipart/form-data",
    "*/*",
    "text/csv",
    "Unknown",
    "..",
    "in",
    "cookie",
];

fn mutate(doc: &mut Value, (seed, kind, payload): (usize, u8, u32)) {
    let mut all = Vec::new();
    pointers(doc, String::new(), &mut all);
    let target = all[seed % all.len()].clone();
    let (parent_ptr, key) = match target.rfind('/') {
        Some(i) => (
            target[..i].to_owned(),
            target[i + 1..].replace("~1", "/").replace("~0", "~"),
        ),
        None => (String::new(), String::new()),
    };
    let text = STRINGS[payload as usize % STRINGS.len()];
    let replacement = match kind {
        0 => {
            match doc.pointer_mut(&parent_ptr) {
                Some(Value::Object(map)) => {
                    map.shift_remove(&key);
                }
                Some(Value::Array(items)) => {
                    if let Ok(i) = key.parse::<usize>()
                        && i < items.len()
                    {
                        items.remove(i);
                    }
                }
                _ => {}
            }
            return;
        }
        1 => Value::Null,
        2 => json!(payload as i64 - 1000),
        3 => json!(text),
        4 => json!({}),
        5 => json!([doc.pointer(&target).cloned().unwrap_or(Value::Null)]),
        6 => json!({ "$ref": format!("#/components/schemas/{text}") }),
        7 => {
            if let Some(Value::Object(map)) = doc.pointer_mut(&parent_ptr) {
                let copy = map.get(&key).cloned().unwrap_or(Value::Null);
                map.insert(text.to_owned(), copy);
            }
            return;
        }
        _ => json!({ "type": text, "enum": [text, text], "format": text, "nullable": true }),
    };
    if let Some(slot) = doc.pointer_mut(&target) {
        *slot = replacement;
    }
}

/// Runs the whole pipeline; only a panic fails the property.
fn run(value: &Value, as_yaml: bool) {
    let (name, text) = if as_yaml {
        (
            "fuzz.yaml",
            serde_yaml::to_string(value).unwrap_or_default(),
        )
    } else {
        ("fuzz.json", serde_json::to_string(value).unwrap())
    };
    let Ok(loaded) = generator::load::load_str(Path::new(name), &text) else {
        return;
    };
    let overrides = Overrides::default();
    for strictness in [Strictness::Strict, Strictness::Lenient] {
        let options = LowerOptions {
            module: "doc".into(),
            source: name.into(),
            overrides: &overrides,
            strictness,
            method_names: None,
        };
        let Ok((doc, _)) = lower::lower(Path::new(name), &loaded.spec, &options) else {
            continue;
        };
        let layout = CrateLayout {
            default_version: None,
            package: "fuzz".into(),
            versions: vec![VersionModule {
                module: "v1".into(),
                label: "v1".into(),
                documents: vec![doc],
                notes: None,
            }],
            extra_files: Vec::new(),
        };
        let _ = crate_files(&layout);
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_documents_never_panic(
        base in 0usize..64,
        mutations in prop::collection::vec((any::<usize>(), 0u8..9, any::<u32>()), 1..8),
        as_yaml in any::<bool>(),
    ) {
        let bases = bases();
        let mut doc = bases[base % bases.len()].clone();
        for mutation in mutations {
            mutate(&mut doc, mutation);
        }
        run(&doc, as_yaml);
    }
}

#[test]
fn unmutated_documents_generate() {
    for doc in bases() {
        let loaded = generator::load::load_str(Path::new("doc.json"), &doc.to_string()).unwrap();
        let overrides = Overrides::default();
        let options = LowerOptions {
            module: "doc".into(),
            source: "doc.json".into(),
            overrides: &overrides,
            strictness: Strictness::Strict,
            method_names: None,
        };
        lower::lower(Path::new("doc.json"), &loaded.spec, &options).unwrap();
    }
}
