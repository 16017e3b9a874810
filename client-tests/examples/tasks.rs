use futures::TryStreamExt;
use hubspot_associations::AssociationsExt as _;
use hubspot_associations::Client;
use hubspot_associations::v2026_03::associations::{AssociationSpec, ListParams};
use hubspot_associations::v2026_03::associations_schema::CreateLabelInput;

#[tokio::main]
async fn main() -> Result<(), hubspot_associations::Error> {
    let client = Client::new(std::env::var("HUBSPOT_TOKEN").unwrap_or_default())?;
    let api = client.associations().v2026_03();

    // Associate two records (ids as integers or text).
    api.associate_default("contacts", 101, "companies", 5434402448u64)
        .await?;

    // Create a label, then associate two records with it.
    let label = CreateLabelInput::new("Manager", "manager");
    let created = api.create_label("contacts", "companies", &label).await?;
    for label in created.results {
        let spec = AssociationSpec::new("USER_DEFINED", label.type_id);
        api.associate("contacts", 101, "companies", 202, &[spec])
            .await?;
    }

    // Every company of contact 101, page after page.
    let params = ListParams::new();
    let all: Vec<_> = api
        .list_stream("contacts", 101, "companies", &params)
        .try_collect()
        .await?;
    println!("{} companies", all.len());
    Ok(())
}
