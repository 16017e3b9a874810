use hubspot_associations::AssociationsExt as _;
use hubspot_associations::Client;
use hubspot_associations::v2026_03::associations::{BatchReadInput, BatchReadResponse};

#[tokio::main]
async fn main() -> Result<(), hubspot_associations::Error> {
    let client = Client::new(std::env::var("HUBSPOT_TOKEN").unwrap_or_default())?;
    let input = BatchReadInput::from_ids(1..=2500u64); // sent as 3 requests of 1,000
    let api = client.associations().v2026_03();
    match api.batch_read("contacts", "companies", &input).await? {
        BatchReadResponse::Ok(all) => println!("{} results", all.results.len()),
        BatchReadResponse::MultiStatus(some) => println!("{:?} failed", some.num_errors),
    }
    Ok(())
}
