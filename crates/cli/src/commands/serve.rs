//! `veza serve`.

use anyhow::Context;
use std::net::SocketAddr;
use std::process::ExitCode;

/// Serve the web workspace and JSON API.
#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  veza serve --demo\n  veza serve --bind 127.0.0.1:9000 --database-url postgres://veza@db/veza"
)]
pub struct Args {
    /// Address and port to listen on. Every page and API call needs sign-in;
    /// beyond loopback, put a TLS-terminating proxy in front.
    #[arg(long, default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    /// Load the synthetic demo scenario into an empty database first.
    #[arg(long)]
    demo: bool,
}

/// How often the running server signs the audit log's head.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_secs(300);

pub async fn run(url: &str, data_dir: &std::path::Path, args: Args) -> anyhow::Result<ExitCode> {
    let veza = super::open(url).await?;
    if args.demo {
        let caller = super::operator("serve --demo");
        if veza.stats(&caller).await?.entities == 0 {
            let summary = veza.load_demo().await.context("cannot load the demo scenario")?;
            println!(
                "Loaded the synthetic demo scenario: {} agencies, {} entities.",
                summary.agencies, summary.entities
            );
        } else {
            println!("The database holds data already: the demo scenario was not loaded again.");
        }
        let password = std::env::var("VEZA_DEMO_PASSWORD").ok().filter(|p| !p.is_empty());
        match veza.create_demo_users(password).await {
            Ok((users, password)) => {
                println!("Demo users (MFA off), all with the password below:");
                println!("  {:<18} {:<10} ROLES", "USER", "AGENCY");
                for (name, roles, agency) in &users {
                    let roles: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
                    println!("  {name:<18} {agency:<10} {}", roles.join(","));
                }
                println!("  password: {password}");
                match veza.assign_demo_case().await {
                    Ok(n) => println!("  {n} of them work on the demo case {}.", veza_app::DEMO_CASE),
                    Err(e) => eprintln!("warning: demo case members not assigned: {e}"),
                }
            }
            Err(e) => eprintln!("warning: demo users not created: {e}"),
        }
        println!("Demo mode: sign in at http://{}/login with a user above. Load no real personal data.", args.bind);
    }
    if !args.bind.ip().is_loopback() {
        eprintln!("warning: serving plain HTTP on {}: put a TLS-terminating proxy in front", args.bind);
    }
    println!("Veza {} on http://{}  (database: {})", env!("CARGO_PKG_VERSION"), args.bind, veza.backend().as_str());
    // Sign the audit log's head now and then, so that a cut of the newest
    // entries cannot go unnoticed for long, and once more on the way out.
    let key_path = veza_app::AuditKey::default_path(data_dir);
    let key = veza_app::AuditKey::load_or_create(&key_path)
        .with_context(|| format!("cannot use the audit signing key {}", key_path.display()))?;
    let key = std::sync::Arc::new(key);
    veza.set_field_issuer(veza_app::AuditKey::load(&key_path)?);
    let signer = {
        let (veza, key) = (veza.clone(), key.clone());
        tokio::spawn(async move {
            let mut every = tokio::time::interval(CHECKPOINT_EVERY);
            loop {
                every.tick().await;
                if let Err(e) = veza.checkpoint_audit(&key).await {
                    tracing::error!(error = %e, "cannot sign the audit log's head");
                }
            }
        })
    };
    let served = veza_web::serve(veza.clone(), args.bind, veza_web::WebOptions { demo: args.demo }).await;
    signer.abort();
    veza.checkpoint_audit(&key).await.context("cannot sign the audit log's head at shutdown")?;
    served.with_context(|| format!("cannot serve on {}", args.bind))?;
    Ok(ExitCode::SUCCESS)
}
