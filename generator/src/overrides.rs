//! Names and limits that are data, not code: `overrides.toml` beside the specs.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::ir::RateLimitKind;

/// Inputs per request where the documents give no limit.
pub const DEFAULT_BATCH_LIMIT: usize = 100;

/// The contents of `overrides.toml`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Overrides {
    /// How the generated crate's README, crate docs and manifest name the API
    /// (`HubSpot's CRM Associations API`); without it, a name is made from the
    /// documents' `info.title` (see [`crate::project`]).
    #[serde(default)]
    pub api_name: Option<String>,
    /// The generated `Cargo.toml`'s `keywords` (crates.io: at most five,
    /// each an ASCII word of up to 20 characters); none when left out.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Batch limit for endpoints without their own.
    #[serde(default)]
    pub default_batch_limit: Option<usize>,
    /// Keyed by endpoint key (see [`crate::naming`]).
    #[serde(default)]
    pub endpoints: BTreeMap<String, EndpointOverride>,
    /// What HubSpot is known to send against its documents, one
    /// `[[quirks]]` entry per public report; `lower::policy` applies them.
    #[serde(default)]
    pub quirks: Vec<Quirk>,
}

/// One `[[quirks]]` entry: which fields (by version, schema and field,
/// each a glob where `*` matches any run of characters) HubSpot answers
/// differently than its documents say, how, and who reported it.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Quirk {
    /// What HubSpot sends instead.
    pub kind: QuirkKind,
    /// Version folders under `specs/` (`v4`, `2026-*`); every one by default.
    #[serde(default = "any")]
    pub versions: String,
    /// Schema names (or generated type names, for inline schemas); every one by default.
    #[serde(default = "any")]
    pub schema: String,
    /// JSON property names; every one by default.
    #[serde(default = "any")]
    pub field: String,
    /// The public report (an `https://` URL). Required: an entry without one
    /// is an error, so that each quirk can be checked and removed once fixed.
    pub source: Option<String>,
    /// What the report says, in a line.
    pub note: Option<String>,
}

/// One `https://` URL with a host, without whitespace.
fn is_https_url(url: &str) -> bool {
    url.strip_prefix("https://").is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !url.contains(char::is_whitespace)
    })
}

fn any() -> String {
    "*".to_owned()
}

/// How HubSpot's answer differs from its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuirkKind {
    /// A `string` field arrives as a JSON number (or boolean): it also
    /// decodes from one, as its text.
    NumberForString,
    /// An `integer`/`number` field arrives as a JSON string holding the
    /// number: it also decodes from one.
    StringForNumber,
    /// An `int32` field carries values past 2^31 (ids): it is an `i64`.
    IntegerWiderThanDocumented,
    /// A required field HubSpot leaves out: it decodes as empty (a list,
    /// map) or `None` when missing; `new(..)` still takes it.
    RequiredButMissing,
}

impl QuirkKind {
    /// The name `overrides.toml` spells it with.
    pub fn as_str(self) -> &'static str {
        match self {
            QuirkKind::NumberForString => "number-for-string",
            QuirkKind::StringForNumber => "string-for-number",
            QuirkKind::IntegerWiderThanDocumented => "integer-wider-than-documented",
            QuirkKind::RequiredButMissing => "required-but-missing",
        }
    }
}

impl Quirk {
    /// The entry as its selectors, for messages.
    fn describe(&self, index: usize) -> String {
        format!(
            "quirks[{index}] ({} for versions `{}`, schema `{}`, field `{}`)",
            self.kind.as_str(),
            self.versions,
            self.schema,
            self.field
        )
    }

    /// It applies to `schema_or_type` (either name) and `json_field`.
    pub fn selects(&self, schema_or_type: &[&str], json_field: &str) -> bool {
        glob_matches(&self.field, json_field)
            && schema_or_type.iter().any(|n| glob_matches(&self.schema, n))
    }
}

/// `pattern` matches all of `text`, `*` standing for any run of characters.
pub fn glob_matches(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        // No `*`: the whole text.
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// One `[endpoints."POST /crm/associations/{}/{}/batch/read"]` table.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EndpointOverride {
    /// Method name in the generated client (snake_case), e.g. `batch_read`.
    pub name: Option<String>,
    /// Inputs per request for a batch endpoint; overrides `default_batch_limit`.
    pub batch_limit: Option<usize>,
    /// A POST that only reads, so the client may retry it after it may have
    /// been processed (see [`crate::ir::RetrySafety`]).
    #[serde(default)]
    pub read_only: bool,
    /// Which client-side rate budget the endpoint draws on; by default
    /// decided from the path (see [`crate::ir::RateLimitClass`]).
    pub rate_limit: Option<RateLimitKind>,
}

/// Why crates.io would refuse these `keywords`, if it would.
fn keywords_problem(keywords: &[String]) -> Option<String> {
    if keywords.len() > 5 {
        return Some(format!(
            "`keywords`: {} given, crates.io takes at most 5",
            keywords.len()
        ));
    }
    keywords.iter().find_map(|k| {
        let valid = k.len() <= 20
            && k.starts_with(|c: char| c.is_ascii_alphanumeric())
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'));
        (!valid).then(|| {
            format!(
                "`keywords`: `{k}` is not a crates.io keyword (up to 20 ASCII letters, \
                 digits, `_`, `-` or `+`, starting with a letter or digit)"
            )
        })
    })
}

impl Overrides {
    /// Reads the file; a missing file means no overrides.
    pub fn load(path: &Path) -> Result<Self> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(source) => {
                return Err(Error::Read {
                    path: path.to_owned(),
                    source,
                });
            }
        };
        Self::parse(path, &text)
    }

    /// Parses `text` (read from `path`, named in errors) and checks every `name` is snake_case.
    pub fn parse(path: &Path, text: &str) -> Result<Self> {
        let overrides: Self = toml::from_str(text).map_err(|e| Error::Config {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        if overrides
            .api_name
            .as_deref()
            .is_some_and(|name| name.trim().is_empty() || name.contains('\n'))
        {
            return Err(Error::Config {
                path: path.to_owned(),
                message: "`api_name` must be one line of text".into(),
            });
        }
        if let Some(message) = keywords_problem(&overrides.keywords) {
            return Err(Error::Config {
                path: path.to_owned(),
                message,
            });
        }
        for (index, quirk) in overrides.quirks.iter().enumerate() {
            let problem = match quirk.source.as_deref().map(str::trim) {
                None | Some("") => Some("has no `source`: give the public report's URL"),
                Some(url) if !is_https_url(url) => Some("`source` must be one https:// URL"),
                _ if [&quirk.versions, &quirk.schema, &quirk.field]
                    .iter()
                    .any(|glob| glob.trim().is_empty()) =>
                {
                    Some("`versions`, `schema` and `field` must not be empty (`*` is any)")
                }
                _ => None,
            };
            if let Some(problem) = problem {
                return Err(Error::Config {
                    path: path.to_owned(),
                    message: format!("{} {problem}", quirk.describe(index)),
                });
            }
        }
        for (key, endpoint) in &overrides.endpoints {
            if let Some(name) = &endpoint.name {
                let valid = !name.is_empty()
                    && !name.starts_with(|c: char| c.is_ascii_digit())
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                if !valid {
                    return Err(Error::Config {
                        path: path.to_owned(),
                        message: format!(
                            "endpoint `{key}`: name `{name}` is not a snake_case identifier"
                        ),
                    });
                }
            }
        }
        Ok(overrides)
    }

    /// `Some(message)` for the first quirk that selects no field of any
    /// version; `fields` yields (version folder, schema or type names, JSON
    /// field) for every struct field of every lowered document.
    pub fn unselected_quirk<'f>(
        &self,
        fields: impl Iterator<Item = (&'f str, [&'f str; 2], &'f str)> + Clone,
    ) -> Option<String> {
        self.quirks.iter().enumerate().find_map(|(index, quirk)| {
            let selects = fields.clone().any(|(version, names, field)| {
                glob_matches(&quirk.versions, version) && quirk.selects(&names, field)
            });
            (!selects).then(|| {
                format!(
                    "{} selects no field in any version: check its `versions`, `schema` and `field`",
                    quirk.describe(index)
                )
            })
        })
    }

    /// The quirks whose `versions` glob matches the version folder `version`.
    pub fn quirks_for(&self, version: &str) -> Vec<Quirk> {
        self.quirks
            .iter()
            .filter(|q| glob_matches(&q.versions, version))
            .cloned()
            .collect()
    }

    /// The endpoint's `name`, if set.
    pub fn name_for(&self, endpoint: &str) -> Option<&str> {
        self.endpoints.get(endpoint)?.name.as_deref()
    }

    /// The endpoint is marked `read_only = true`.
    pub fn read_only(&self, endpoint: &str) -> bool {
        self.endpoints.get(endpoint).is_some_and(|e| e.read_only)
    }

    /// The endpoint's `rate_limit`, if set.
    pub fn rate_limit(&self, endpoint: &str) -> Option<RateLimitKind> {
        self.endpoints.get(endpoint)?.rate_limit
    }

    /// Inputs per request: the endpoint's `batch_limit`, else `default_batch_limit`,
    /// else [`DEFAULT_BATCH_LIMIT`].
    pub fn batch_limit_for(&self, endpoint: &str) -> usize {
        self.endpoints
            .get(endpoint)
            .and_then(|e| e.batch_limit)
            .or(self.default_batch_limit)
            .unwrap_or(DEFAULT_BATCH_LIMIT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Overrides> {
        Overrides::parse(Path::new("specs/overrides.toml"), text)
    }

    #[test]
    fn a_quirk_is_one_entry_with_its_source() {
        let overrides = parse(
            r#"
            [[quirks]]
            kind = "number-for-string"
            source = "https://github.com/HubSpot/hubspot-api-nodejs/issues/552"

            [[quirks]]
            kind = "integer-wider-than-documented"
            versions = "2026-*"
            schema = "DateTime"
            field = "value"
            source = "https://example.com/report"
            note = "epoch milliseconds"
            "#,
        )
        .unwrap();
        let [everywhere, dated] = &overrides.quirks[..] else {
            panic!("{:?}", overrides.quirks)
        };
        assert_eq!(everywhere.kind, QuirkKind::NumberForString);
        assert_eq!(
            (
                &everywhere.versions[..],
                &everywhere.schema[..],
                &everywhere.field[..]
            ),
            ("*", "*", "*")
        );
        assert_eq!(dated.kind, QuirkKind::IntegerWiderThanDocumented);
        assert_eq!(overrides.quirks_for("v4").len(), 1);
        assert_eq!(overrides.quirks_for("2026-09-beta").len(), 2);
        assert!(dated.selects(&["DateTime"], "value"));
        assert!(!dated.selects(&["DateTime"], "timeZoneShift"));
    }

    #[test]
    fn a_quirk_without_a_source_is_one_error_naming_the_entry() {
        for (entry, problem) in [
            ("", "has no `source`"),
            (r#"source = "  ""#, "has no `source`"),
            (r#"source = "http://example.com""#, "one https:// URL"),
            (r#"source = "https://""#, "one https:// URL"),
            (r#"source = "https:///issues/1""#, "one https:// URL"),
            (
                r#"source = "https://a.example https://b.example""#,
                "one https:// URL",
            ),
            (
                r#"source = "https://a.example"
                field = """#,
                "must not be empty",
            ),
        ] {
            let text = format!(
                "[[quirks]]\nkind = \"number-for-string\"\nsource = \"https://ok.example\"\n\n\
                 [[quirks]]\nkind = \"required-but-missing\"\nschema = \"Pair\"\n{entry}\n"
            );
            let error = parse(&text).unwrap_err().to_string();
            assert!(error.contains("specs/overrides.toml"), "{error}");
            assert!(
                error.contains("quirks[1] (required-but-missing for versions `*`, schema `Pair`"),
                "{error}"
            );
            assert!(error.contains(problem), "{entry}: {error}");
        }
        let unknown =
            parse("[[quirks]]\nkind = \"bool-for-string\"\nsource = \"https://a.example\"\n")
                .unwrap_err()
                .to_string();
        assert!(
            unknown.contains("unknown variant `bool-for-string`"),
            "{unknown}"
        );
    }

    #[test]
    fn globs_match_the_whole_name() {
        for (pattern, text, matches) in [
            ("*", "", true),
            ("*", "anything", true),
            ("v4", "v4", true),
            ("v4", "v40", false),
            ("2026-*", "2026-09-beta", true),
            ("2026-*", "2025-09", false),
            ("*Id", "toObjectId", true),
            ("*Id", "toObjectIds", false),
            ("to*Id", "toObjectId", true),
            ("a*b*c", "abc", true),
            ("a*b*c", "aXbYc", true),
            ("a*b*c", "acb", false),
            ("ab*ba", "aba", false),
        ] {
            assert_eq!(glob_matches(pattern, text), matches, "{pattern} ~ {text}");
        }
    }
}
