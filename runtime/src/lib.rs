//! The generated crates' runtime, compiled on its own.
//!
//! `generator/runtime/` is copied verbatim into every generated crate as
//! `src/runtime/`; this crate mounts the same files at the same path
//! (`crate::runtime`), with the same dependencies and features, so a runtime
//! edit can be checked without regenerating:
//!
//! ```sh
//! cargo clippy -p hubspot-runtime-dev --all-targets --all-features
//! cargo test -p hubspot-runtime-dev --all-features
//! cargo xtask codegen   # then copy the edit into generated/ and generated-fixtures/
//! ```
//!
//! The crate-level attributes are those of a generated `lib.rs`.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[path = "../../generator/runtime/mod.rs"]
pub mod runtime;
