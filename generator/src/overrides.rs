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
