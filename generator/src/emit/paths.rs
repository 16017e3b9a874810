//! The one place generated code's paths into the runtime are printed.
//!
//! Every runtime item a generated file names (the codec macros, `Request`,
//! `Error`, `serde_json`, …) is reached through `crate::runtime::__private`:
//! the runtime's `#[doc(hidden)]` module for generated code. `crate::runtime`
//! is the generated crate's `runtime` item, which `lib.rs` makes either a
//! re-export of the `hubspot-runtime` dependency or, with `--vendor-runtime`,
//! the copied module; so the version modules are the same text either way.

use proc_macro2::TokenStream;
use quote::quote;

/// The generated crate's path to the runtime's items for generated code.
pub const RUNTIME_INTERNALS: &str = "crate::runtime::__private";

/// The last segment of [`RUNTIME_INTERNALS`].
pub const PRIVATE_MODULE: &str = "__private";

/// `crate::runtime::__private` as tokens, to write `#rt::Error` in `quote!`
/// (emit's functions bind it as `rt`).
pub fn internals() -> TokenStream {
    quote!(crate::runtime::__private)
}

/// The text that starts an invocation of a runtime macro (`json_struct!`).
pub fn runtime_macro_start(name: &str) -> String {
    format!("{RUNTIME_INTERNALS}::{name}!(")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_text_name_the_same_path() {
        let printed = internals().to_string().replace(' ', "");
        assert_eq!(printed, RUNTIME_INTERNALS);
        assert!(RUNTIME_INTERNALS.ends_with(&format!("::{PRIVATE_MODULE}")));
        assert_eq!(
            runtime_macro_start("json_struct"),
            "crate::runtime::__private::json_struct!("
        );
    }
}
