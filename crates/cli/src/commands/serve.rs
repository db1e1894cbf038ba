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

pub async fn run(url: &str, args: Args) -> anyhow::Result<ExitCode> {
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
            }
            Err(e) => eprintln!("warning: demo users not created: {e}"),
        }
        println!("Demo mode: sign in at http://{}/login with a user above. Load no real personal data.", args.bind);
    }
    if !args.bind.ip().is_loopback() {
        eprintln!("warning: serving plain HTTP on {}: put a TLS-terminating proxy in front", args.bind);
    }
    println!("Veza {} on http://{}  (database: {})", env!("CARGO_PKG_VERSION"), args.bind, veza.backend().as_str());
    veza_web::serve(veza, args.bind, veza_web::WebOptions { demo: args.demo })
        .await
        .with_context(|| format!("cannot serve on {}", args.bind))?;
    Ok(ExitCode::SUCCESS)
}
