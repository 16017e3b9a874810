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
        let first = match serde_json::from_slice(body) {
            Ok(value) => return Ok(value),
            Err(first) => first,
        };
        match serde_json::from_slice::<Value>(body) {
            Ok(value) => Self::from_value_keeping(value),
            // Not JSON (e.g. cut short): the first error says where.
            Err(_) => Err(DecodeProblem::new(body, &first)),
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
///
/// Every decode, fast or slow, goes through serde_json's slice reader, so
/// each type's decoder is compiled once: a value is written back to JSON
/// text first (this runs only after the fast path failed), and the path of
/// a failure is read off serde_json's error position by [`path_at`]
/// instead of tracking it while decoding (BENCHMARKS.md, 2b).
#[doc(hidden)]
pub fn decode_value<T: DeserializeOwned>(value: Value) -> Result<T, DecodeProblem> {
    decode_ref(&value)
}

/// [`decode_value`] for a borrowed value.
fn decode_ref<T: DeserializeOwned>(value: &Value) -> Result<T, DecodeProblem> {
    let json = value.to_string();
    // `from_slice`, not `from_str`: the same reader, so the same decoder.
    serde_json::from_slice(json.as_bytes()).map_err(|e| DecodeProblem::new(json.as_bytes(), &e))
}

impl DecodeProblem {
    /// The problem serde_json reported while decoding `json`, with the JSON
    /// path of where it stopped.
    pub(crate) fn new(json: &[u8], error: &serde_json::Error) -> Self {
        let message = error.to_string();
        // A type that rejects an object or array (a list of strings holding
        // an object, a date given as an object) stops serde_json around
        // its opening bracket; `path_at` needs to know.
        let rejected_container = message.starts_with("invalid type: map")
            || message.starts_with("invalid type: sequence");
        let path = path_at(
            json,
            error.line(),
            error.column(),
            error.is_eof(),
            rejected_container,
        );
        // serde_json appends where it stopped; below the top level the path
        // says it better, at the top level the position still helps.
        let suffix = format!(" at line {} column {}", error.line(), error.column());
        let message = match message.strip_suffix(&suffix) {
            Some(bare) if path != "." => bare.to_owned(),
            _ => message,
        };
        DecodeProblem { path, message }
    }
}

/// One open object or array on the way to where decoding stopped.
enum Level {
    /// An object, its current key, and whether that key's value has begun.
    Object { key: Option<String>, in_value: bool },
    /// An array, its current index, and whether that entry has begun.
    Array { index: usize, in_value: bool },
}

impl Level {
    /// The current member is read whole: the next thing read is a `,` or
    /// the close, which is the container's own business.
    fn finish_member(&mut self) {
        match self {
            Level::Object { key, in_value } => (*key, *in_value) = (None, false),
            Level::Array { in_value, .. } => *in_value = false,
        }
    }
}

/// The JSON path (`results[3].to[0].toObjectId`, `.` for the top level)
/// of the value serde_json was reading when it stopped at `line` (1-based)
/// and `column` (bytes read on that line), written as `serde_path_to_error`
/// writes paths, so the slow path needs no second decoder that tracks
/// them. At an object's closing brace (a missing field) it is the object's
/// path; past the end (`eof`, a body cut short) it is the innermost value
/// left unfinished, or `?` where a key was expected next.
pub(crate) fn path_at(
    json: &[u8],
    line: usize,
    column: usize,
    eof: bool,
    rejected_container: bool,
) -> String {
    let line_start = match line {
        0 => return ".".to_owned(),
        1 => Some(0),
        _ => json
            .iter()
            .enumerate()
            .filter(|&(_, &byte)| byte == b'\n')
            .nth(line - 2)
            .map(|(at, _)| at + 1),
    };
    let Some(line_start) = line_start else {
        return ".".to_owned();
    };
    let read = &json[..(line_start + column).min(json.len())];
    // Whether the byte at `end` is the last one read by an error that is
    // not about running out: then the value ending there is what failed.
    let failed_at = |end: usize| !eof && end + 1 >= read.len();
    let mut levels: Vec<Level> = Vec::new();
    let begin_value = |levels: &mut Vec<Level>| {
        if let Some(Level::Array { in_value, .. }) = levels.last_mut() {
            *in_value = true;
        }
    };
    let mut at = 0;
    while at < read.len() {
        match read[at] {
            b'{' | b'[' => {
                begin_value(&mut levels);
                levels.push(if read[at] == b'{' {
                    Level::Object {
                        key: None,
                        in_value: false,
                    }
                } else {
                    Level::Array {
                        index: 0,
                        in_value: false,
                    }
                });
            }
            b'}' | b']' => {
                levels.pop();
                if failed_at(at) {
                    // Stopped at the close (a missing field): the container.
                    break;
                }
                if let Some(level) = levels.last_mut() {
                    level.finish_member();
                }
            }
            b':' => {
                if let Some(Level::Object { in_value, .. }) = levels.last_mut() {
                    *in_value = true;
                }
            }
            b',' => match levels.last_mut() {
                Some(Level::Object { key, in_value }) => (*key, *in_value) = (None, false),
                Some(Level::Array { index, in_value }) => (*index, *in_value) = (*index + 1, false),
                None => {}
            },
            b'"' => {
                let mut end = at + 1;
                while end < read.len() && read[end] != b'"' {
                    end += if read[end] == b'\\' { 2 } else { 1 };
                }
                let closed = end < read.len();
                match levels.last_mut() {
                    Some(Level::Object {
                        key,
                        in_value: false,
                    }) => {
                        if closed {
                            let raw = &read[at..=end];
                            *key = Some(serde_json::from_slice(raw).unwrap_or_else(|_| {
                                String::from_utf8_lossy(&raw[1..raw.len() - 1]).into_owned()
                            }));
                        }
                    }
                    _ => {
                        begin_value(&mut levels);
                        if closed
                            && !failed_at(end)
                            && let Some(level) = levels.last_mut()
                        {
                            level.finish_member();
                        }
                    }
                }
                at = end;
            }
            b' ' | b'\t' | b'\r' | b'\n' => {}
            _ => {
                // A number or `true`/`false`/`null`: whole when something
                // follows it, or at the end when it is a complete token.
                begin_value(&mut levels);
                let mut end = at;
                while end + 1 < read.len() && !b",:]}[{\" \t\r\n".contains(&read[end + 1]) {
                    end += 1;
                }
                let token = &read[at..=end];
                let whole = if end + 1 < read.len() {
                    true
                } else {
                    eof && (matches!(token, b"true" | b"false" | b"null")
                        || token.last().is_some_and(u8::is_ascii_digit))
                };
                if whole && let Some(level) = levels.last_mut() {
                    level.finish_member();
                }
                at = end;
            }
        }
        at += 1;
    }
    if rejected_container && !eof {
        let last_read = read.iter().rev().find(|b| !b.is_ascii_whitespace());
        let next = json[read.len()..].iter().find(|b| !b.is_ascii_whitespace());
        if last_read == Some(&b'{')
            && matches!(levels.last(), Some(Level::Object { key: None, .. }))
        {
            // Read its `{`, then refused it (a type that looks at any
            // value first): the object is the value, not a level inside.
            levels.pop();
        } else if matches!(next, Some(b'{' | b'[')) {
            // Refused before reading it: a list entry that has begun.
            if let Some(Level::Array { in_value, .. }) = levels.last_mut() {
                *in_value = true;
            }
        }
    }
    let mut path = String::new();
    for level in &levels {
        match level {
            // A key read but its value not begun (a duplicate key, a cut
            // before the colon) is the object's own problem.
            Level::Object {
                key: Some(_),
                in_value: false,
            } => break,
            Level::Object { key, .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                // Where a key is expected, `serde_path_to_error` writes `?`.
                path.push_str(key.as_deref().unwrap_or("?"));
            }
            Level::Array {
                index,
                in_value: true,
            } => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
            Level::Array { .. } => break,
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
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
        match decode_ref::<L::Entry>(&raw) {
            Ok(entry) => decoded.push(entry),
            Err(e) => {
                let inner = e.path;
                let path = if inner == "." {
                    format!("{field}[{index}]")
                } else {
                    format!("{field}[{index}].{inner}")
                };
                undecoded.push(UndecodedEntry {
                    field,
                    index,
                    path,
                    message: e.message,
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

    crate::runtime::__private::json_struct!(Item { required id = "id" });

    #[derive(Debug, Clone, PartialEq)]
    struct Batch {
        status: String,
        results: Vec<Item>,
        errors: Option<Vec<Item>>,
        undecoded: Vec<UndecodedEntry>,
    }

    crate::runtime::__private::json_struct!(Batch {
        required status = "status",
        defaulted results = "results",
        optional errors = "errors",
        kept undecoded = "undecoded",
    });
    crate::runtime::__private::keep_undecoded!(
        Batch,
        undecoded,
        [results = "results", errors = "errors"]
    );

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
