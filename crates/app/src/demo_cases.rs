//! Who works on the demo case: the demo users as its members, so that each
//! role sees what it would in a real case file (investigators its victims,
//! the prosecutor and judge the file read-only).

use crate::{Access, AppError, Veza};
use veza_store::Capacity;

/// The demo case, and its members with their capacity.
pub const DEMO_CASE: &str = "case-rs-2023-017";
const DEMO_MEMBERS: &[(&str, Capacity)] = &[
    ("investigator.rs", Capacity::Investigator),
    ("investigator.al", Capacity::Investigator),
    ("analyst.mk", Capacity::Analyst),
    ("prosecutor.me", Capacity::Prosecutor),
    ("judge.me", Capacity::Judge),
];

impl Veza {
    /// Makes the demo users members of the demo case (after
    /// [`Veza::load_demo`] and [`Veza::create_demo_users`]); each addition
    /// is audited. Returns how many were added.
    pub async fn assign_demo_case(&self) -> Result<usize, AppError> {
        let access = Access::operator("serve --demo", Some("demo case members"))?;
        let mut added = 0;
        for (username, capacity) in DEMO_MEMBERS {
            if self.store.user(username).await?.is_some() {
                self.put_case_member(&access, DEMO_CASE, username, *capacity).await?;
                added += 1;
            }
        }
        Ok(added)
    }
}
