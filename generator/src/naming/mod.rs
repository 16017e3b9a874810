//! Every naming rule in one place.
//!
//! Operation names: HubSpot's operationIds embed paths and older versions, so
//! they are neither valid identifiers nor stable. A method is named from its
//! *endpoint key*: the HTTP method plus the path with the version segment
//! removed and every parameter written `{}`, e.g.
//! `POST /crm/associations/{}/{}/batch/read`. The same endpoint therefore has
//! the same key, and the same name, in every dated version. The name is the
//! one `specs/overrides.toml` gives for that key, or else the default rule
//! ([`default_operation_name`]), which reads the path's parameter names to
//! tell items from collections (`list_objects`, `get_object`). All endpoints
//! of a version share one `Api`, so they are named together
//! ([`assign_operation_names`]): two keys named alike in `overrides.toml` are
//! an error naming both endpoints; any other clash is settled by a documented
//! tie-break that never fails. Derived names (`<name>_all`, `<name>_with`,
//! `<name>_stream`, `with_<field>` setters, `…Params` and `…Response` types)
//! are made here too and stored in the IR; [`check_method_names`] checks every
//! method name of a version together, and [`check_document_names`] every other
//! name of a document within its scope (types, fields, setters, variants).
//!
//! The rules by job:
//!
//! - `spelling.rs`: raw text made into valid, unique Rust identifiers
//!   ([`snake_ident`], [`type_ident`], [`variant_ident`], keyword escaping,
//!   [`dedupe`]) and the word rules names are built with ([`singular`],
//!   [`setter_name`], [`shared_enum_field`]);
//! - `defaults.rs`: the names an item gets unless `overrides.toml` says
//!   otherwise: [`endpoint_key`], [`default_operation_name`],
//!   [`derived_methods`], [`status_variant`], [`input_alias`],
//!   [`api_accessor`] (`client.associations()`), the params
//!   and response type hints, and which values are record ids
//!   ([`is_record_id`]);
//! - `overrides.rs`: a version's method names all together
//!   ([`assign_operation_names`] over [`EndpointRef`]s), the maintainer's
//!   names first, then the default rule and its tie-break;
//! - `clashes.rs`: the checks that names of one scope differ ([`NameClash`],
//!   [`MemberClash`]);
//! - `reserved.rs`: the names generated code uses itself ([`UNKNOWN_VARIANT`],
//!   [`CONSTRUCTOR`], [`METHOD_LOCALS`], …), which the others keep clear of.
//!
//! Every public item is re-exported here, so callers write `naming::X`.

mod clashes;
mod defaults;
mod overrides;
mod reserved;
mod spelling;

pub use clashes::{
    MemberClash, NameClash, check_document_names, check_method_names, method_name_clashes,
};
pub use defaults::{
    api_accessor, default_operation_name, derived_methods, endpoint_key, input_alias, is_record_id,
    is_version_segment, params_type_hint, response_enum_hint, status_variant,
};
pub use overrides::{EndpointRef, assign_operation_names};
pub use reserved::{
    CONSTRUCTOR, FROM_IDS, METHOD_LOCALS, OTHER_VARIANT, UNDECODED_FIELD, UNKNOWN_VARIANT,
    path_param_names,
};
pub use spelling::{
    dedupe, setter_name, shared_enum_field, singular, snake_ident, type_ident, variant_ident,
};
