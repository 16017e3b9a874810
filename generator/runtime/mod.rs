//! The hand-written runtime every generated operation calls: one HTTP path
//! with auth, rate limiting, retries, timeouts and typed errors. Kept here
//! once so the generated methods stay a few lines each.

mod batch;
mod client;
mod codec;
mod error;
mod http1;
mod limiter;
mod open_enum;
mod paging;
mod proxy;
mod request;
mod retry;
mod time;
mod transport;

pub use batch::{BatchMerge, BatchPlan};
pub use client::{Client, ClientBuilder};
pub use error::{ApiErrorBody, ApiErrorDetail, ChunkFailure, Error};
pub use paging::{Paginate, paginate};
pub use request::{
    Method, Multipart, ParamValue, ParamWriter, Params, RawBody, Request, Response, encode_path,
    expand_path,
};
pub use retry::RetryPolicy;
pub use time::{Date, DateError, Timestamp};
pub use transport::TransportError;

#[doc(hidden)]
pub use codec::{
    FieldKey, JsonStruct, decode_struct, defaulted, json_struct, nullable, optional, required, set,
};
#[doc(hidden)]
pub use open_enum::{OpenEnumVisitor, open_enum};
