//! One batch read of 1,000 inputs, two ways: the generated client, and what
//! a person would write with raw reqwest + serde and the hand-written
//! structs. Both use a default `reqwest::Client` (same crate, same features)
//! on the same current-thread runtime.

use hubspot_associations::AssociationsExt as _;
use hubspot_associations::v2026_03::associations as generated;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};

use crate::hand;

/// The access token both clients send.
pub const TOKEN: &str = "pat-na1-00000000-0000-0000-0000-000000000000";

/// A current-thread runtime with the I/O and time drivers.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// The generated client against `base_url` with its default HTTP client
/// (gzip on, inflated by the client's own `gzip` feature), client-side
/// limiter off (it would only add waits, not overhead).
pub fn generated_client(base_url: &str) -> hubspot_associations::Client {
    hubspot_associations::Client::builder(TOKEN)
        .base_url(base_url)
        .no_rate_limit()
        .build()
        .expect("client")
}

/// The generated client sending through a default `reqwest::Client`,
/// asking for gzip (inflated by the client's own `gzip` feature) or not.
pub fn generated_client_with(base_url: &str, gzip: bool) -> hubspot_associations::Client {
    hubspot_associations::Client::builder(TOKEN)
        .base_url(base_url)
        .no_rate_limit()
        .http_client(raw_client(false))
        .gzip(gzip)
        .build()
        .expect("client")
}

/// A reqwest client as a person would build it, with or without gzip.
pub fn raw_client(gzip: bool) -> reqwest::Client {
    reqwest::Client::builder()
        .gzip(gzip)
        .build()
        .expect("reqwest client")
}

/// Generated client: results received.
pub async fn generated(
    client: &hubspot_associations::Client,
    input: &generated::BatchInputPublicFetchAssociationsBatchRequest,
) -> Result<usize, hubspot_associations::Error> {
    Ok(
        match client
            .associations()
            .v2026_03()
            .batch_read("contacts", "companies", input)
            .await?
        {
            generated::BatchReadResponse::Ok(all) => all.results.len(),
            generated::BatchReadResponse::MultiStatus(some) => some.results.len(),
        },
    )
}

pub type RawError = Box<dyn std::error::Error + Send + Sync>;

/// Raw reqwest + serde: results received.
pub async fn raw(
    http: &reqwest::Client,
    base_url: &str,
    input: &hand::BatchInput,
) -> Result<usize, RawError> {
    let (from, to) = ("contacts", "companies");
    let url = format!("{base_url}/crm/associations/2026-03/{from}/{to}/batch/read");
    let response = http
        .post(url)
        .header(AUTHORIZATION, format!("Bearer {TOKEN}"))
        .header(CONTENT_TYPE, "application/json")
        .body(serde_json::to_vec(input)?)
        .send()
        .await?;
    let status = response.status();
    let bytes = response.bytes().await?;
    if status != reqwest::StatusCode::OK {
        return Err(format!("HTTP {status}").into());
    }
    let decoded: hand::BatchResponse = serde_json::from_slice(&bytes)?;
    Ok(decoded.results.len())
}
