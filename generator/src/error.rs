//! One error type for every stage; each variant names the file and, where it
//! applies, the JSON pointer inside it, so a maintainer can jump straight there.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not valid {format}: {message}", path.display())]
    Syntax {
        path: PathBuf,
        format: &'static str,
        message: String,
    },
    /// The document parsed but says something the generator cannot turn into Rust.
    #[error("{}#{pointer}: {message}", path.display())]
    Spec {
        path: PathBuf,
        pointer: String,
        message: String,
    },
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {message}", path.display())]
    Config { path: PathBuf, message: String },
    #[error("generated Rust does not parse ({file}): {message}")]
    Emit { file: String, message: String },
}

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
