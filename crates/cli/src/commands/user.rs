//! `veza user add|list|disable|role`.

use anyhow::Context;
use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;
use veza_app::Role;

/// Manage users.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Add a user of an agency, with one or more roles. The password comes
    /// from VEZA_PASSWORD, else is asked twice on a terminal, else is read as
    /// one line from standard input. At least 12 characters.
    #[command(
        after_help = "Examples:\n  veza user add border.rs --agency rs-bp --role border_officer --name \"Marko Jovanović\"\n  VEZA_PASSWORD='…' veza user add analyst.mk --agency mk-thb --role analyst --role investigator"
    )]
    Add {
        /// Log-in name: lower-case letters, digits, '.', '_' or '-'.
        username: String,
        /// Agency code (see `veza agency list`).
        #[arg(long)]
        agency: String,
        /// Role, repeatable: border_officer, investigator, analyst, ncb_officer, thb_coordinator,
        /// prosecutor, judge, victim_support, trainer, learner, programme_manager,
        /// exercise_controller, administrator.
        #[arg(long = "role", required = true)]
        roles: Vec<Role>,
        /// Name shown to people (default: the user name).
        #[arg(long)]
        name: Option<String>,
    },
    /// List users with their agency, roles and state.
    #[command(after_help = "Example:\n  veza user list")]
    List,
    /// Disable a user: no more log-ins; their sessions end and API tokens stop working.
    #[command(after_help = "Example:\n  veza user disable border.rs")]
    Disable {
        /// User name.
        username: String,
    },
    /// Add or remove roles of a user; their sessions end.
    #[command(after_help = "Example:\n  veza user role analyst.mk --add investigator --remove analyst")]
    Role {
        /// User name.
        username: String,
        /// Role to add, repeatable.
        #[arg(long)]
        add: Vec<Role>,
        /// Role to remove, repeatable.
        #[arg(long)]
        remove: Vec<Role>,
    },
    /// Give a user an authenticator (TOTP, RFC 6238): prints the secret and
    /// the otpauth link once; from then on the user signs in with a code.
    #[command(after_help = "Example:\n  veza user totp ncb.ba")]
    Totp {
        /// User name.
        username: String,
    },
    /// Show, or set, the roles whose holders must sign in with a code.
    #[command(after_help = "Examples:\n  veza user mfa-roles\n  veza user mfa-roles administrator ncb_officer")]
    MfaRoles {
        /// Roles that require TOTP (none given: show the current ones).
        roles: Vec<Role>,
        /// Require TOTP of no role.
        #[arg(long, conflicts_with = "roles")]
        none: bool,
    },
}

/// The new user's password: VEZA_PASSWORD, a prompt on a terminal (twice,
/// without echo), or one line of standard input.
fn read_password() -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("VEZA_PASSWORD") {
        return Ok(p);
    }
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password (at least 12 characters): ")?;
        let second = rpassword::prompt_password("Password again: ")?;
        anyhow::ensure!(first == second, "the two passwords differ");
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("cannot read the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

fn role_list(roles: &[Role]) -> String {
    roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(",")
}

pub async fn run(url: &str, cmd: Command) -> anyhow::Result<ExitCode> {
    let veza = super::open(url).await?;
    match cmd {
        Command::Add { username, agency, roles, name } => {
            let password = read_password()?;
            let user = veza.add_user(&username, name.as_deref().unwrap_or(""), &agency, &roles, &password).await?;
            println!("User {} of {} added with roles {}.", user.username, user.agency, role_list(&user.roles));
        }
        Command::List => {
            println!("{:<20} {:<10} {:<9} {:<30} NAME", "USER", "AGENCY", "STATE", "ROLES");
            for u in veza.users().await? {
                let state = if u.disabled {
                    "disabled"
                } else if u.locked_until.is_some() {
                    "locked"
                } else {
                    "active"
                };
                println!(
                    "{:<20} {:<10} {:<9} {:<30} {}",
                    u.username,
                    u.agency,
                    state,
                    role_list(&u.roles),
                    u.display_name
                );
            }
        }
        Command::Disable { username } => {
            veza.disable_user(&username).await?;
            println!("User {username} disabled; their sessions have ended.");
        }
        Command::Role { username, add, remove } => {
            anyhow::ensure!(!add.is_empty() || !remove.is_empty(), "say which roles to --add or --remove");
            let mut roles = veza.user(&username).await?.roles;
            roles.retain(|r| !remove.contains(r));
            for r in add {
                if !roles.contains(&r) {
                    roles.push(r);
                }
            }
            veza.set_roles(&username, &roles).await?;
            let roles = veza.user(&username).await?.roles;
            println!("User {username} now has roles {}; their sessions have ended.", role_list(&roles));
        }
        Command::Totp { username } => {
            let secret = veza.enroll_totp(&username).await?;
            println!("Authenticator for {username} (shown once; their sessions have ended):");
            println!("  secret: {secret}");
            println!(
                "  link:   otpauth://totp/Veza:{username}?secret={secret}&issuer=Veza&algorithm=SHA1&digits=6&period=30"
            );
        }
        Command::MfaRoles { roles, none } => {
            if none || !roles.is_empty() {
                veza.set_mfa_required_roles(&roles).await?;
            }
            let now = veza.mfa_required_roles().await?;
            if now.is_empty() {
                println!("No role requires a code at sign-in.");
            } else {
                println!("Holders of these roles sign in with a code: {}", role_list(&now));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
