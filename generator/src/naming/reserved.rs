//! The names generated code uses itself (`Unknown`, `Other`, `new`,
//! `undecoded`, `from_ids`, a method's locals, `Api`'s own methods), which
//! the names made from the documents must keep clear of.

use super::spelling::dedupe;

/// The variant every open enum gets for a value its document does not list:
/// `Unknown(String)` (the runtime's `open_enum!` names it too).
pub const UNKNOWN_VARIANT: &str = "Unknown";

/// The variant every union gets for a value none of its alternatives
/// accepts: `Other(serde_json::Value)`.
pub const OTHER_VARIANT: &str = "Other";

/// The constructor of every generated struct, models and params types:
/// `new(..)`, taking the values every instance needs.
pub const CONSTRUCTOR: &str = "new";

/// Name of the struct field that holds entries kept as JSON; a struct that
/// already has a field of that name keeps no entries (`lower::policy`).
pub const UNDECODED_FIELD: &str = "undecoded";

/// The associated function of a batch body built from record ids alone
/// (`BatchReadInput::from_ids([101, 102])`; see [`crate::ir::BatchInput`]).
/// Setters all start with `with_`, so it meets none of them.
pub const FROM_IDS: &str = "from_ids";

/// The names an operation method gives its own arguments and locals
/// (`emit/operations.rs`): `params`, `body` and `follow` are arguments; the
/// method body binds `request` and `response`; the `_stream` method binds
/// `api`, `params` and `page` and takes `cursor` in its closure. A path
/// parameter is an argument of the same method, so it may not be named
/// like any of these ([`path_param_names`]). (The one-letter closure
/// arguments `|p|` and `|n|` read only their own argument.)
pub const METHOD_LOCALS: &[&str] = &[
    "params", "body", "follow", "api", "cursor", "page", "request", "response",
];

/// Names of an operation's path parameters (snake_case, in path order),
/// unique and unlike [`METHOD_LOCALS`]: a clash gets `2`, `3`…
pub fn path_param_names(names: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut all: Vec<String> = METHOD_LOCALS.iter().map(|n| (*n).to_owned()).collect();
    all.extend(names);
    dedupe(&mut all);
    all.split_off(METHOD_LOCALS.len())
}

/// Method names generated code already uses on every version's `Api`.
pub(super) const RESERVED_METHODS: &[&str] = &[CONSTRUCTOR, "clone", "fmt"];
