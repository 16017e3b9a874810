//! Turns HubSpot's OpenAPI documents into a typed Rust client crate.
//!
//! Data flows one way, one module per stage:
//! [`load`] (file → OpenAPI) → [`lower`] (OpenAPI → [`ir`]) → [`emit`]
//! (IR → formatted Rust) → [`output`] (files on disk, atomically).
//! [`project`] runs them over a specs folder. ARCHITECTURE.md at the
//! repository root is the map: where each decision is made, and how to add
//! a construct or a dated version.

#![deny(missing_docs)]

pub mod diff;
pub mod emit;
pub mod error;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
pub mod output;
pub mod overrides;
pub mod project;
pub mod runtime_crate;

pub use error::{Error, Result};
