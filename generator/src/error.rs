//! One error type for every stage; each variant names the file and, where it
//! applies, the JSON pointer inside it, so a maintainer can jump straight there.

use std::path::PathBuf;

/// Any failure of the generator, from reading a spec to writing the crate.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        /// The file or folder that could not be read.
        path: PathBuf,
        /// What the operating system reported.
        source: std::io::Error,
    },
    /// The file is not well-formed JSON or YAML.
    #[error("{}: not valid {format}: {message}", path.display())]
    Syntax {
        /// The file that failed to parse.
        path: PathBuf,
        /// The expected format: `"JSON"` or `"YAML"`.
        format: &'static str,
        /// The parser's message, with line and column.
        message: String,
    },
    /// The document parsed but says something the generator cannot turn into Rust.
    #[error("{}#{pointer}: {message}", path.display())]
    Spec {
        /// The OpenAPI document.
        path: PathBuf,
        /// JSON pointer to the offending node, e.g. `/components/schemas/Foo`.
        pointer: String,
        /// What is wrong there.
        message: String,
    },
    /// A generated file or folder could not be written.
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        /// The file or folder that could not be written.
        path: PathBuf,
        /// What the operating system reported.
        source: std::io::Error,
    },
    /// The specs folder or `overrides.toml` is inconsistent: a bad override,
    /// a name clash, a missing or unexpected document.
    #[error("{}: {message}", path.display())]
    Config {
        /// The file or folder at fault.
        path: PathBuf,
        /// What is wrong and, where it helps, how to fix it.
        message: String,
    },
    /// The emitted tokens are not valid Rust: a generator bug.
    #[error("generated Rust does not parse ({file}): {message}")]
    Emit {
        /// The file being generated, relative to the crate, e.g. `src/lib.rs`.
        file: String,
        /// `syn`'s parse error.
        message: String,
    },
}

/// `Result` with the generator's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Escapes one JSON pointer token (RFC 6901).
pub fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Builds a pointer from raw tokens.
pub fn pointer(tokens: &[&str]) -> String {
    tokens
        .iter()
        .map(|t| format!("/{}", pointer_token(t)))
        .collect()
}
