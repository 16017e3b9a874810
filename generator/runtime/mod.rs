//! The hand-written runtime every generated operation calls: one HTTP path
//! with auth, rate limiting, retries, timeouts and typed errors. Kept here
//! once so the generated methods stay a few lines each.

mod auth;
mod batch;
mod client;
mod codec;
mod error;
#[cfg(feature = "gzip")]
mod gzip;
mod http;
mod id;
mod limiter;
mod meta;
#[cfg(feature = "test-util")]
mod mock;
mod open_enum;
mod paging;
#[cfg(feature = "redis")]
mod redis_limiter;
mod request;
#[cfg(feature = "reqwest")]
mod reqwest_backend;
mod retry;
mod time;
mod undecoded;

pub use auth::{
    AccessToken, AuthContext, AuthError, OAUTH_TOKEN_PATH, OAuth, StaticToken, TokenFuture,
    TokenProvider,
};
pub use batch::{BatchMerge, BatchPlan};
pub use client::{Client, ClientBuilder};
pub use error::{ApiErrorBody, ApiErrorDetail, ChunkFailure, Error};
pub use http::{HttpClient, HttpFuture, TransportError, TransportErrorKind};
pub use id::ObjectId;
pub use limiter::{
    DEFAULT_LIMIT, DEFAULT_SEARCH_LIMIT, InProcessLimiter, Limit, LimiterError, LimiterFuture,
    Permit, RateClass, RateLimitHeaders, RateLimiter,
};
pub use meta::{WithResponse, with_response};
#[cfg(feature = "test-util")]
pub use mock::{MockHttp, MockResponse, RecordedRequest};
pub use paging::{Paginate, paginate};
#[cfg(feature = "redis")]
pub use redis_limiter::{RedisRateLimiter, RedisRateLimiterBuilder};
#[doc(hidden)]
pub use request::{Method, Request, Response};
pub use request::{Multipart, ParamValue, ParamWriter, Params, RawBody, encode_path};
pub use retry::RetryPolicy;
pub use time::{Date, DateError, Timestamp};
pub use undecoded::{DecodeProblem, KeepsUndecoded, UndecodedEntry};

#[doc(hidden)]
pub use codec::{
    ExactVec, FieldKey, JsonStruct, Tolerant, decode_struct, defaulted, defaulted_list,
    defaulted_tolerant, defaulted_tolerant_list, json_struct, keep_undecoded, kept, nullable,
    nullable_list, nullable_tolerant, nullable_tolerant_list, optional, optional_list,
    optional_tolerant, optional_tolerant_list, required, required_json, required_list,
    required_tolerant, required_tolerant_list, set, set_optional_list, set_optional_tolerant,
    set_optional_tolerant_list, set_tolerant, set_tolerant_list,
};
#[doc(hidden)]
pub use open_enum::{OpenEnumVisitor, open_enum};
#[doc(hidden)]
pub use undecoded::{EntryList, decode_entries, decode_value, take_list};
