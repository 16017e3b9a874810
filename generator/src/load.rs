//! Stage 1: a file on disk → a checked OpenAPI 3.0 document.

use std::path::{Path, PathBuf};

use openapiv3::OpenAPI;

use crate::error::{Error, Result};

/// A parsed document and where it came from (for error messages).
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// Path as given, used in every message about this document.
    pub path: PathBuf,
    /// The parsed OpenAPI 3.0 document.
    pub spec: OpenAPI,
}

/// Reads a JSON or YAML OpenAPI document from disk.
pub fn load_file(path: &Path) -> Result<LoadedSpec> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    load_str(path, &text)
}

/// Parses document text; the format follows the extension (`.json`, or YAML otherwise).
pub fn load_str(path: &Path, text: &str) -> Result<LoadedSpec> {
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let value: serde_json::Value = if is_json {
        serde_json::from_str(text).map_err(|e| Error::Syntax {
            path: path.to_owned(),
            format: "JSON",
            message: e.to_string(),
        })?
    } else {
        serde_yaml::from_str(text).map_err(|e| Error::Syntax {
            path: path.to_owned(),
            format: "YAML",
            message: e.to_string(),
        })?
    };
    check_version(path, &value)?;
    let spec: OpenAPI = serde_path_to_error::deserialize(&value).map_err(|e| {
        let pointer = json_path_to_pointer(&e.path().to_string());
        let (pointer, message) = refine(&value, pointer, e.into_inner().to_string());
        Error::Spec {
            path: path.to_owned(),
            pointer,
            message,
        }
    })?;
    Ok(LoadedSpec {
        path: path.to_owned(),
        spec,
    })
}

/// openapiv3 reads `paths` and component maps through custom or untagged
/// impls that lose the position; find the entry that fails on its own.
fn refine(value: &serde_json::Value, pointer: String, message: String) -> (String, String) {
    fn first_failure<T: serde::de::DeserializeOwned>(
        entries: Option<&serde_json::Map<String, serde_json::Value>>,
        prefix: &str,
    ) -> Option<(String, String)> {
        for (key, entry) in entries? {
            if key.starts_with("x-") || entry.get("$ref").is_some() {
                continue;
            }
            if let Err(e) = serde_path_to_error::deserialize::<_, T>(entry) {
                let inner = json_path_to_pointer(&e.path().to_string());
                let at = format!("{prefix}/{}{inner}", crate::error::pointer_token(key));
                return Some((at, e.into_inner().to_string()));
            }
        }
        None
    }
    let found = match pointer.as_str() {
        "/paths" => first_failure::<openapiv3::PathItem>(value["paths"].as_object(), "/paths"),
        "/components" | "/components/schemas" => first_failure::<openapiv3::Schema>(
            value["components"]["schemas"].as_object(),
            "/components/schemas",
        ),
        _ => None,
    };
    found.unwrap_or((pointer, message))
}

fn check_version(path: &Path, value: &serde_json::Value) -> Result<()> {
    let fail = |pointer: &str, message: String| Error::Spec {
        path: path.to_owned(),
        pointer: pointer.to_owned(),
        message,
    };
    let Some(object) = value.as_object() else {
        return Err(fail("", "an OpenAPI document must be an object".into()));
    };
    if let Some(swagger) = object.get("swagger") {
        return Err(fail(
            "/swagger",
            format!("Swagger {swagger} documents are not supported; convert to OpenAPI 3.0"),
        ));
    }
    match object.get("openapi").and_then(|v| v.as_str()) {
        Some(v) if v.starts_with("3.0") => Ok(()),
        Some(v) => Err(fail(
            "/openapi",
            format!("OpenAPI {v} is not supported; this generator reads OpenAPI 3.0.x"),
        )),
        None => Err(fail(
            "/openapi",
            "missing the `openapi` version field; this generator reads OpenAPI 3.0.x".into(),
        )),
    }
}

/// serde_path_to_error prints `paths./crm/x.post.responses`; turn that into a
/// JSON pointer. Keys that themselves contain dots are ambiguous there, so
/// segments that start with `/` (paths) swallow everything up to the next
/// known operation key.
fn json_path_to_pointer(dotted: &str) -> String {
    if dotted == "." || dotted.is_empty() {
        return String::new();
    }
    let mut tokens: Vec<String> = Vec::new();
    for part in dotted.split('.') {
        // Array indices print as `[3]` appended to the previous segment.
        let mut rest = part;
        let base_end = rest.find('[').unwrap_or(rest.len());
        let base = &rest[..base_end];
        let continues_path = tokens
            .last()
            .is_some_and(|t| t.starts_with('/') && !is_path_item_key(base));
        if continues_path && !base.is_empty() {
            let last = tokens.last_mut().expect("checked above");
            last.push('.');
            last.push_str(base);
        } else if !base.is_empty() {
            tokens.push(base.to_owned());
        }
        rest = &rest[base_end..];
        while let Some(close) = rest.find(']') {
            tokens.push(rest[1..close].to_owned());
            rest = &rest[close + 1..];
        }
    }
    tokens
        .iter()
        .map(|t| format!("/{}", crate::error::pointer_token(t)))
        .collect()
}

fn is_path_item_key(key: &str) -> bool {
    matches!(
        key,
        "get"
            | "put"
            | "post"
            | "delete"
            | "options"
            | "head"
            | "patch"
            | "trace"
            | "parameters"
            | "summary"
            | "description"
            | "servers"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_paths_become_pointers() {
        assert_eq!(
            json_path_to_pointer("paths./crm/v4/a.b/{x}.post.responses.200"),
            "/paths/~1crm~1v4~1a.b~1{x}/post/responses/200"
        );
        assert_eq!(json_path_to_pointer("tags[2].name"), "/tags/2/name");
        assert_eq!(json_path_to_pointer("."), "");
    }

    #[test]
    fn refuses_swagger_and_openapi_31() {
        let err = load_str(Path::new("a.json"), r#"{"swagger":"2.0"}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.json#/swagger: Swagger \"2.0\" documents are not supported; convert to OpenAPI 3.0"
        );
        let err = load_str(Path::new("b.yaml"), "openapi: 3.1.0\n").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("b.yaml#/openapi: OpenAPI 3.1.0 is not supported")
        );
    }

    #[test]
    fn reports_syntax_errors_with_position() {
        let err = load_str(Path::new("c.json"), "{\"openapi\": ").unwrap_err();
        assert!(
            err.to_string().starts_with("c.json: not valid JSON: EOF"),
            "{err}"
        );
    }

    #[test]
    fn yaml_and_json_give_the_same_document() {
        let json = r#"{"openapi":"3.0.1","info":{"title":"t","version":"1"},"paths":{}}"#;
        let yaml = "openapi: 3.0.1\ninfo:\n  title: t\n  version: '1'\npaths: {}\n";
        let a = load_str(Path::new("a.json"), json).unwrap();
        let b = load_str(Path::new("a.yml"), yaml).unwrap();
        assert_eq!(a.spec, b.spec);
    }
}
