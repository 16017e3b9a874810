use hubspot_associations::AssociationsExt as _;
use hubspot_associations::runtime::{OAuth, RedisRateLimiter};
use hubspot_associations::{Client, Error};

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_default()
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A private app: its access token does not expire.
    let _private = Client::new(env("HUBSPOT_TOKEN"))?;

    // An OAuth app installed in an account, with the refresh token from the
    // install: access tokens are refreshed ahead of expiry, once for all
    // concurrent calls, and once more if HubSpot answers 401.
    let oauth = OAuth::refresh_token(
        env("HUBSPOT_CLIENT_ID"),
        env("HUBSPOT_CLIENT_SECRET"),
        env("HUBSPOT_REFRESH_TOKEN"),
    );
    let _public = Client::builder_with_auth(oauth.clone()).build()?;

    // An app authenticating as itself (client-credentials grant).
    let service = OAuth::client_credentials(env("HUBSPOT_CLIENT_ID"), env("HUBSPOT_CLIENT_SECRET"))
        .scopes(["crm.objects.contacts.read", "crm.objects.companies.read"]);
    let _service = Client::builder_with_auth(service).build()?;

    // Many workers, one budget: every process using this Redis and app key
    // shares one limit (`redis` feature).
    let limiter = RedisRateLimiter::builder(env("HUBSPOT_APP_ID"))
        .connect("redis://127.0.0.1:6379/")
        .await?;
    let worker = Client::builder_with_auth(oauth.clone())
        .rate_limiter(limiter)
        .build()?;

    match worker
        .associations()
        .v2026_03()
        .list_labels("contacts", "companies")
        .await
    {
        Ok(labels) => println!("{} labels", labels.results.len()),
        Err(Error::Auth { source, .. }) => eprintln!("re-authorize the app: {source}"),
        Err(Error::DailyLimitExceeded { .. }) => eprintln!("daily limit spent, try tomorrow"),
        Err(other) => return Err(other.into()),
    }
    println!("daily budget left: {:?}", worker.daily_remaining());
    // HubSpot may rotate the refresh token: keep the current one.
    if let Some(refresh_token) = oauth.current_refresh_token().await {
        let _ = refresh_token; // store it where you keep secrets
    }
    Ok(())
}
