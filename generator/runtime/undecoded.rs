//! Nothing lost inside a batch: when a batch response does not decode at
//! once, its `results` and `errors` lists are decoded entry by entry, and an
//! entry that does not decode is kept as JSON in the struct's `undecoded`
//! list with where and why. Only a body whose top level is not the
//! documented shape fails. The first, all-at-once decode is the fast path;
//! this one runs only after it failed, so it costs nothing otherwise.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// A `results` or `errors` entry of a batch response that did not decode
/// into its type, kept as HubSpot sent it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct UndecodedEntry {
    /// The list it was in (`results` or `errors`, the JSON name).
    pub field: &'static str,
    /// Its index in that list, as received.
    pub index: usize,
    /// JSON path of the problem, e.g. `results[3].to[0].toObjectId`.
    pub path: String,
    /// What the decoder found wrong.
    pub message: String,
    /// The entry as received.
    pub raw: Value,
}

/// Where and why a JSON value did not decode.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeProblem {
    /// JSON path of the problem (`.` for the top level).
    pub path: String,
    /// What the decoder found wrong.
    pub message: String,
}

impl std::fmt::Display for DecodeProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at `{}`: {}", self.path, self.message)
    }
}

impl std::error::Error for DecodeProblem {}

/// A response model whose `results`/`errors` entries can be kept as JSON
/// when they do not decode (the batch responses).
pub trait KeepsUndecoded: DeserializeOwned {
    /// Decodes `value`; list entries that do not decode go to `undecoded`.
    /// Fails only when the rest of the body is not the documented shape.
    #[doc(hidden)]
    fn from_value_keeping(value: Value) -> Result<Self, DecodeProblem>;

    /// Decodes a JSON body: at once when it can, else entry by entry,
    /// keeping the entries that do not decode in `undecoded`.
    fn from_json_keeping(body: &[u8]) -> Result<Self, DecodeProblem> {
        if let Ok(value) = serde_json::from_slice(body) {
            return Ok(value);
        }
        match serde_json::from_slice::<Value>(body) {
            Ok(value) => Self::from_value_keeping(value),
            // Not JSON (e.g. cut short): name the path where it broke.
            Err(not_json) => {
                let mut de = serde_json::Deserializer::from_slice(body);
                Err(match serde_path_to_error::deserialize::<_, Self>(&mut de) {
                    Err(e) => DecodeProblem {
                        path: e.path().to_string(),
                        message: e.inner().to_string(),
                    },
                    Ok(_) => DecodeProblem {
                        path: ".".to_owned(),
                        message: not_json.to_string(),
                    },
                })
            }
        }
    }
}

/// Takes the list `name` out of an object, leaving an empty list in its
/// place so the rest still decodes; `None` when it is not a list.
#[doc(hidden)]
pub fn take_list(value: &mut Value, name: &str) -> Option<Vec<Value>> {
    match value.get_mut(name)? {
        Value::Array(list) => Some(std::mem::take(list)),
        _ => None,
    }
}

/// Decodes a value, naming the path of a failure.
#[doc(hidden)]
pub fn decode_value<T: DeserializeOwned>(value: Value) -> Result<T, DecodeProblem> {
    serde_path_to_error::deserialize(value).map_err(|e| DecodeProblem {
        path: e.path().to_string(),
        message: e.inner().to_string(),
    })
}

/// A list field that can hold decoded entries: `Vec<T>` or `Option<Vec<T>>`.
#[doc(hidden)]
pub trait EntryList {
    /// One entry's type.
    type Entry: DeserializeOwned;
    /// The field's value holding `entries`.
    fn from_entries(entries: Vec<Self::Entry>) -> Self;
}

impl<T: DeserializeOwned> EntryList for Vec<T> {
    type Entry = T;
    fn from_entries(entries: Vec<T>) -> Self {
        entries
    }
}

impl<T: DeserializeOwned> EntryList for Option<Vec<T>> {
    type Entry = T;
    fn from_entries(entries: Vec<T>) -> Self {
        Some(entries)
    }
}

/// Decodes each entry; one that does not decode is kept in `undecoded`.
#[doc(hidden)]
pub fn decode_entries<L: EntryList>(
    entries: Vec<Value>,
    field: &'static str,
    undecoded: &mut Vec<UndecodedEntry>,
) -> L {
    let mut decoded = Vec::with_capacity(entries.len());
    for (index, raw) in entries.into_iter().enumerate() {
        match serde_path_to_error::deserialize::<_, L::Entry>(&raw) {
            Ok(entry) => decoded.push(entry),
            Err(e) => {
                let inner = e.path().to_string();
                let path = if inner == "." {
                    format!("{field}[{index}]")
                } else {
                    format!("{field}[{index}].{inner}")
                };
                undecoded.push(UndecodedEntry {
                    field,
                    index,
                    path,
                    message: e.inner().to_string(),
                    raw,
                });
            }
        }
    }
    L::from_entries(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq)]
    struct Item {
        id: String,
    }

    crate::runtime::json_struct!(Item { required id = "id" });

    #[derive(Debug, Clone, PartialEq)]
    struct Batch {
        status: String,
        results: Vec<Item>,
        errors: Option<Vec<Item>>,
        undecoded: Vec<UndecodedEntry>,
    }

    crate::runtime::json_struct!(Batch {
        required status = "status",
        defaulted results = "results",
        optional errors = "errors",
        kept undecoded = "undecoded",
    });
    crate::runtime::keep_undecoded!(Batch, undecoded, [results = "results", errors = "errors"]);

    #[test]
    fn a_bad_entry_is_kept_and_the_others_decode() {
        let body =
            br#"{"status":"COMPLETE","results":[{"id":"1"},{"id":2},{"id":"3"}],"errors":[7]}"#;
        assert!(serde_json::from_slice::<Batch>(body).is_err());
        let batch = Batch::from_json_keeping(body).unwrap();
        let ids: Vec<&str> = batch.results.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["1", "3"]);
        assert_eq!(batch.errors, Some(vec![]));
        assert_eq!(batch.undecoded.len(), 2);
        assert_eq!(batch.undecoded[0].field, "results");
        assert_eq!(batch.undecoded[0].index, 1);
        assert_eq!(batch.undecoded[0].path, "results[1].id");
        assert_eq!(batch.undecoded[0].raw, serde_json::json!({"id": 2}));
        assert_eq!(batch.undecoded[1].path, "errors[0]");
        // Not encoded: the struct writes what it decoded.
        let encoded = serde_json::to_value(&batch).unwrap();
        assert_eq!(encoded["results"].as_array().unwrap().len(), 2);
        assert!(encoded.get("undecoded").is_none());
        // A key of that name in the JSON is skipped.
        let odd: Batch =
            serde_json::from_str(r#"{"status":"x","results":[],"undecoded":[1]}"#).unwrap();
        assert!(odd.undecoded.is_empty());
    }

    #[test]
    fn a_bad_top_level_still_fails_with_its_path() {
        let problem = Batch::from_json_keeping(br#"{"status":5,"results":[]}"#).unwrap_err();
        assert_eq!(problem.path, "status");
        let problem = Batch::from_json_keeping(br#"{"status":"x","results":{}}"#).unwrap_err();
        assert_eq!(problem.path, "results");
        let problem = Batch::from_json_keeping(b"not json").unwrap_err();
        assert_eq!(problem.path, ".");
        let problem = Batch::from_json_keeping(br#"{"status":"x","results":[{"id":"#).unwrap_err();
        assert_eq!(problem.path, "results[0].id");
    }

    #[test]
    fn a_good_body_takes_the_fast_path_with_nothing_undecoded() {
        let batch = Batch::from_json_keeping(br#"{"status":"x","results":[{"id":"1"}]}"#).unwrap();
        assert_eq!(batch.results.len(), 1);
        assert!(batch.undecoded.is_empty());
    }
}
