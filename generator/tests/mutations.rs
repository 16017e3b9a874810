//! Property test: mutated versions of every test document go through the
//! whole generator (load → lower → emit) and come back as values or errors,
//! never a panic, and never an emit error once lowering accepted them. CI
//! runs a bounded number of cases (PROPTEST_CASES, 256 by default) and prints
//! how many reached each stage; a failing case prints the mutations that
//! caused it.

use std::path::Path;
use std::sync::OnceLock;

use generator::emit::crate_files;
use generator::ir::ApiVersion;
use generator::lower::{self, LowerOptions, Strictness};
use generator::overrides::Overrides;
use generator::project::{self, Options};
use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestRunner};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Cases when PROPTEST_CASES is not set (CI).
const CI_CASES: u32 = 256;
/// Mutations per case: 1 to this many minus one. Few, so most cases get past
/// loading and lowering and exercise emit.
const MAX_MUTATIONS: usize = 4;

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
    let current = doc.pointer(&target).cloned().unwrap_or(Value::Null);
    // The same JSON type, so the document still loads and the mutation
    // reaches lowering and emit.
    let same_type = match &current {
        Value::String(_) => json!(text),
        Value::Number(_) => json!(payload as i64 - 1000),
        Value::Bool(b) => json!(!b),
        other => other.clone(),
    };
    let schema_like = current.is_object() && target.contains("/schema");
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
        1..=3 => same_type,
        4 => {
            if let Some(Value::Object(map)) = doc.pointer_mut(&parent_ptr) {
                let copy = map.get(&key).cloned().unwrap_or(Value::Null);
                map.insert(text.to_owned(), copy);
            }
            return;
        }
        // Schemas replaced by other schemas: a $ref (often dangling), a
        // typed one with odd values, a composition of the original.
        5 if schema_like => json!({ "$ref": format!("#/components/schemas/{text}") }),
        6 if schema_like => {
            json!({ "type": text, "enum": [text, text], "format": text, "nullable": true })
        }
        7 if schema_like => {
            let combinator = ["allOf", "oneOf", "anyOf"][payload as usize % 3];
            json!({ combinator: [current, { "type": "object" }] })
        }
        5..=7 => same_type,
        // A value of the wrong type, which the loader should refuse cleanly
        // (rarer, so most cases get past loading).
        8 => match payload % 5 {
            0 => Value::Null,
            1 => json!(payload as i64 - 1000),
            2 => json!(text),
            3 => json!({}),
            _ => json!([current]),
        },
        _ => same_type,
    };
    if let Some(slot) = doc.pointer_mut(&target) {
        *slot = replacement;
    }
}

/// How far a mutated document got through the generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Refused while loading (not JSON/YAML, not OpenAPI 3.0).
    Load,
    /// Loaded, refused by lowering (strict and lenient alike).
    Lower,
    /// Lowered (strictly or leniently) and emitted.
    Emit,
}

/// Runs the whole pipeline. A panic, or an emit error for a document that
/// lowering accepted (lowering is where input is judged; emit must print
/// whatever it accepted), fails the property.
fn run(value: &Value, as_yaml: bool) -> Result<Stage, TestCaseError> {
    let (name, text) = if as_yaml {
        (
            "fuzz.yaml",
            serde_yaml::to_string(value).unwrap_or_default(),
        )
    } else {
        ("fuzz.json", serde_json::to_string(value).unwrap())
    };
    let Ok(loaded) = generator::load::load_str(Path::new(name), &text) else {
        return Ok(Stage::Load);
    };
    let overrides = Overrides::default();
    let mut stage = Stage::Lower;
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
        let versions = [ApiVersion {
            module: "v1".into(),
            label: "v1".into(),
            documents: vec![doc],
        }];
        let options = Options {
            package: "fuzz".into(),
            ..Options::default()
        };
        let plan = project::crate_plan(
            &versions,
            &options,
            project::CrateAbout::named("the Fuzz API"),
        );
        if let Err(error) = crate_files(&plan) {
            return Err(TestCaseError::fail(format!(
                "lowering ({strictness:?}) accepted the document but emit failed: {error}"
            )));
        }
        stage = Stage::Emit;
    }
    Ok(stage)
}

/// Mutated documents: errors or output, never a panic, never an emit
/// error. Counts how many cases reached each stage and requires most to
/// reach emit, so the property tests the whole generator and not the loader.
#[test]
fn mutated_documents_never_panic_and_whatever_lowers_emits() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(CI_CASES);
    let mut runner = TestRunner::new(ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let reached = [Stage::Load, Stage::Lower, Stage::Emit].map(|_| AtomicUsize::new(0));
    let strategy = (
        0usize..64,
        prop::collection::vec((any::<usize>(), 0u8..12, any::<u32>()), 1..MAX_MUTATIONS),
        any::<bool>(),
    );
    let outcome = runner.run(&strategy, |(base, mutations, as_yaml)| {
        let bases = bases();
        let mut doc = bases[base % bases.len()].clone();
        for mutation in mutations {
            mutate(&mut doc, mutation);
        }
        let stage = run(&doc, as_yaml)?;
        reached[stage as usize].fetch_add(1, Ordering::Relaxed);
        Ok(())
    });
    let [load, lower, emit] = reached.map(|n| n.into_inner());
    let total = load + lower + emit;
    eprintln!("{total} cases: {load} refused by load, {lower} refused by lower, {emit} emitted");
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
    assert!(
        emit * 2 > total,
        "only {emit} of {total} mutated documents reached emit: the property barely tests it"
    );
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
