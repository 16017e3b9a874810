use hubspot_associations::Client;
use hubspot_associations::v2026_03::associations::{
    BatchInputPublicFetchAssociationsBatchRequest as Input, BatchReadResponse,
    PublicFetchAssociationsBatchRequest as Id,
};

#[tokio::main]
async fn main() -> Result<(), hubspot_associations::Error> {
    let client = Client::new(std::env::var("HUBSPOT_TOKEN").unwrap_or_default())?;
    let input = Input::new(vec![Id::new("101"), Id::new("102")]);
    let api = client.v2026_03();
    match api.batch_read("contacts", "companies", &input).await? {
        BatchReadResponse::Ok(all) => println!("{} results", all.results.len()),
        BatchReadResponse::MultiStatus(some) => println!("{:?} failed", some.num_errors),
    }
    Ok(())
}
