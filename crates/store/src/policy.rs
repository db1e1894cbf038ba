//! The policy check: who may see which record. Every read of personal data
//! in this crate applies it, in Rust for single records ([`Caller::can_see`])
//! and as a SQL condition for lists ([`sql_condition`]), so that no entity
//! leaves the store unchecked. Both say the same thing; the tests of both
//! back ends hold them to it.
//!
//! A user sees a record when the owner's handling lets the user's agency or
//! country see it, and, for records in a compartment (victim records), when
//! the user also holds a role that opens the compartment.

use veza_model::{Model, Role};

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// The platform itself acting for an operator on the machine (CLI
    /// import, export, the demo loader): sees everything, and is named in logs.
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
        /// The user's roles.
        roles: Vec<Role>,
    },
}

/// How far a user's roles open the victim compartment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VictimAccess {
    /// Victim-support officers: every victim record the handling allows.
    All,
    /// Neither of the others: no victim record at all.
    None,
    /// National THB coordinator (own country) and/or investigator (own
    /// agency, standing in for "investigators of the case" until cases have
    /// members).
    Some { own_country: bool, own_agency: bool },
}

impl Caller {
    /// The platform acting for a local operator.
    pub fn system(name: &str) -> Self {
        Caller::System { name: name.to_owned() }
    }

    /// Whether this caller may see a record of `schema` with this owner and
    /// handling (`countries` as stored: `,ba,me,`).
    pub fn can_see(
        &self,
        schema: &str,
        owner_agency: &str,
        owner_country: &str,
        visibility: &str,
        countries: &str,
    ) -> bool {
        let Caller::User { agency, country, .. } = self else { return true };
        let handling = visibility == "all"
            || owner_agency == agency
            || (matches!(visibility, "country" | "countries") && owner_country == country)
            || (visibility == "countries" && countries.split(',').any(|c| c == country));
        handling && self.opens(compartment_of(schema), owner_agency, owner_country)
    }

    fn opens(&self, compartment: Option<&str>, owner_agency: &str, owner_country: &str) -> bool {
        let Caller::User { agency, country, .. } = self else { return true };
        match compartment {
            None => true,
            Some("victim") => match self.victim_access() {
                VictimAccess::All => true,
                VictimAccess::None => false,
                VictimAccess::Some { own_country, own_agency } => {
                    (own_country && owner_country == country) || (own_agency && owner_agency == agency)
                }
            },
            // A compartment this code does not know is closed to everyone.
            Some(_) => false,
        }
    }

    fn victim_access(&self) -> VictimAccess {
        let Caller::User { roles, .. } = self else { return VictimAccess::All };
        if roles.contains(&Role::VictimSupport) {
            return VictimAccess::All;
        }
        let own_country = roles.contains(&Role::ThbCoordinator);
        let own_agency = roles.contains(&Role::Investigator);
        if own_country || own_agency { VictimAccess::Some { own_country, own_agency } } else { VictimAccess::None }
    }
}

/// The compartment of a schema's records, if any.
fn compartment_of(schema: &str) -> Option<&'static str> {
    Model::builtin().schema(schema).ok().and_then(|s| s.compartment.as_deref())
}

/// The schemata whose records are in a compartment.
fn compartment_schemata() -> Vec<String> {
    Model::builtin().schemata().filter(|s| s.compartment.is_some()).map(|s| s.name.clone()).collect()
}

/// A parameter of the policy's SQL condition.
pub(crate) enum PolicyParam {
    /// A text value.
    Text(String),
    /// A list of text values (SQLite: a JSON array for `json_each`;
    /// PostgreSQL: an array for `ANY`).
    List(Vec<String>),
}

/// The SQL condition (to follow `AND`) that keeps only rows of `entity e`
/// the caller may see: `{}` marks each parameter, in order, for the back
/// end to render (`?` or `$n`, and for lists `IN (SELECT value FROM
/// json_each(?))` or `= ANY($n)`). `None` for callers who see everything.
pub(crate) fn sql_condition(caller: &Caller) -> Option<(String, Vec<PolicyParam>)> {
    let Caller::User { agency, country, .. } = caller else { return None };
    let mut sql = String::from(
        "(e.visibility = 'all' OR e.owner_agency = {} OR (e.visibility IN ('country', 'countries') \
         AND e.owner_country = {}) OR (e.visibility = 'countries' AND e.handling_countries LIKE {}))",
    );
    let mut params = vec![
        PolicyParam::Text(agency.clone()),
        PolicyParam::Text(country.clone()),
        PolicyParam::Text(format!("%,{country},%")),
    ];
    let open = match caller.victim_access() {
        VictimAccess::All => None,
        VictimAccess::None => Some(String::new()),
        VictimAccess::Some { own_country, own_agency } => {
            let mut alternatives = Vec::new();
            if own_country {
                alternatives.push("e.owner_country = {}");
            }
            if own_agency {
                alternatives.push("e.owner_agency = {}");
            }
            Some(alternatives.join(" OR "))
        }
    };
    if let Some(open) = open {
        sql.push_str(" AND (NOT e.schema IN_LIST");
        params.push(PolicyParam::List(compartment_schemata()));
        if !open.is_empty() {
            sql.push_str(" OR ");
            sql.push_str(&open);
            if open.contains("owner_country") {
                params.push(PolicyParam::Text(country.clone()));
            }
            if open.contains("owner_agency") {
                params.push(PolicyParam::Text(agency.clone()));
            }
        }
        sql.push(')');
    }
    Some((sql, params))
}

/// Writes the condition for a back end: `mark(false)` renders a text
/// parameter, `mark(true)` a list membership test (`IN …`/`= ANY(…)`).
pub(crate) fn render(sql: &str, mut mark: impl FnMut(bool) -> String) -> String {
    let mut out = String::with_capacity(sql.len() + 32);
    let mut rest = sql;
    loop {
        let text = rest.find("{}");
        let list = rest.find("IN_LIST");
        let (at, is_list, len) = match (text, list) {
            (Some(t), Some(l)) if l < t => (l, true, "IN_LIST".len()),
            (Some(t), _) => (t, false, 2),
            (None, Some(l)) => (l, true, "IN_LIST".len()),
            (None, None) => break,
        };
        out.push_str(&rest[..at]);
        out.push_str(&mark(is_list));
        rest = &rest[at + len..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(agency: &str, country: &str, roles: &[Role]) -> Caller {
        Caller::User { username: "u".into(), agency: agency.into(), country: country.into(), roles: roles.to_vec() }
    }

    #[test]
    fn owners_always_see_their_records() {
        assert!(user("rs-bp", "rs", &[]).can_see("Person", "rs-bp", "rs", "agency", ""));
    }

    #[test]
    fn agency_records_stay_in_the_agency() {
        assert!(!user("rs-thb", "rs", &[]).can_see("Person", "rs-bp", "rs", "agency", ""));
    }

    #[test]
    fn country_records_reach_the_country_only() {
        assert!(user("rs-thb", "rs", &[]).can_see("Person", "rs-bp", "rs", "country", ""));
        assert!(!user("ba-bp", "ba", &[]).can_see("Person", "rs-bp", "rs", "country", ""));
    }

    #[test]
    fn listed_countries_see_shared_records() {
        assert!(user("ba-bp", "ba", &[]).can_see("Person", "rs-bp", "rs", "countries", ",ba,me,"));
        assert!(!user("al-bp", "al", &[]).can_see("Person", "rs-bp", "rs", "countries", ",ba,me,"));
    }

    #[test]
    fn victim_records_need_a_role_as_well_as_the_handling() {
        let open = |u: &Caller, owner: &str, country: &str| u.can_see("Victim", owner, country, "all", "");
        assert!(!open(&user("rs-thb", "rs", &[Role::Analyst]), "rs-thb", "rs"), "even the owner agency's analyst");
        assert!(open(&user("xk-vs", "xk", &[Role::VictimSupport]), "rs-thb", "rs"));
        assert!(open(&user("rs-nc", "rs", &[Role::ThbCoordinator]), "rs-thb", "rs"));
        assert!(!open(&user("ba-nc", "ba", &[Role::ThbCoordinator]), "rs-thb", "rs"), "another country's coordinator");
        assert!(open(&user("rs-thb", "rs", &[Role::Investigator]), "rs-thb", "rs"));
        assert!(!open(&user("al-thb", "al", &[Role::Investigator]), "rs-thb", "rs"), "another agency's investigator");
        assert!(
            !user("xk-vs", "xk", &[Role::VictimSupport]).can_see("Victim", "rs-thb", "rs", "agency", ""),
            "handling still applies"
        );
    }

    #[test]
    fn system_sees_everything() {
        assert!(Caller::system("test").can_see("Victim", "rs-bp", "rs", "agency", ""));
        assert!(sql_condition(&Caller::system("test")).is_none());
    }

    #[test]
    fn the_sql_condition_has_one_parameter_per_mark() {
        for roles in
            [&[][..], &[Role::VictimSupport], &[Role::ThbCoordinator], &[Role::Investigator, Role::ThbCoordinator]]
        {
            let (sql, params) = sql_condition(&user("rs-bp", "rs", roles)).unwrap();
            assert_eq!(sql.matches("{}").count() + sql.matches("IN_LIST").count(), params.len(), "{sql}");
        }
    }
}
