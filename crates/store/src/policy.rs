//! The policy check: who may see which record. Every read of personal data
//! in this crate applies it, in Rust for single records and as a SQL filter
//! for lists, so that no entity leaves the store unchecked.

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// The platform itself acting for an operator on the machine (CLI
    /// import, export, the local demo): sees everything, and is named in logs.
    System {
        /// What acts (`cli import`, `demo`).
        name: String,
    },
    /// A signed-in user of an agency.
    User {
        /// User name.
        username: String,
        /// The user's agency code.
        agency: String,
        /// The agency's country code.
        country: String,
    },
}

impl Caller {
    /// The platform acting for a local operator.
    pub fn system(name: &str) -> Self {
        Caller::System { name: name.to_owned() }
    }

    /// Whether this caller may see a record with this owner and handling.
    pub fn can_see(&self, owner_agency: &str, owner_country: &str, visibility: &str, countries: &str) -> bool {
        match self {
            Caller::System { .. } => true,
            Caller::User { agency, country, .. } => {
                visibility == "all"
                    || owner_agency == agency
                    || (matches!(visibility, "country" | "countries") && owner_country == country)
                    || (visibility == "countries" && countries.split(',').any(|c| c == country))
            }
        }
    }
}

/// The SQL condition that keeps only rows of `entity` (aliased `e`) the
/// caller may see, with its parameters: agency, country, and the pattern for
/// the comma-separated country list. `None` for callers who see all.
pub(crate) fn visibility_filter(caller: &Caller) -> Option<(String, String, String)> {
    match caller {
        Caller::System { .. } => None,
        Caller::User { agency, country, .. } => Some((agency.clone(), country.clone(), format!("%,{country},%"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(agency: &str, country: &str) -> Caller {
        Caller::User { username: "u".into(), agency: agency.into(), country: country.into() }
    }

    #[test]
    fn owners_always_see_their_records() {
        assert!(user("rs-bp", "rs").can_see("rs-bp", "rs", "agency", ""));
    }

    #[test]
    fn agency_records_stay_in_the_agency() {
        assert!(!user("rs-thb", "rs").can_see("rs-bp", "rs", "agency", ""));
    }

    #[test]
    fn country_records_reach_the_country_only() {
        assert!(user("rs-thb", "rs").can_see("rs-bp", "rs", "country", ""));
        assert!(!user("ba-bp", "ba").can_see("rs-bp", "rs", "country", ""));
    }

    #[test]
    fn listed_countries_see_shared_records() {
        assert!(user("ba-bp", "ba").can_see("rs-bp", "rs", "countries", ",ba,me,"));
        assert!(!user("al-bp", "al").can_see("rs-bp", "rs", "countries", ",ba,me,"));
    }

    #[test]
    fn system_sees_everything() {
        assert!(Caller::system("test").can_see("rs-bp", "rs", "agency", ""));
    }
}
