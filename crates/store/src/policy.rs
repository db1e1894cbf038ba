//! The policy check: who may see which record. Every read of personal data
//! in this crate applies it, in Rust for single records ([`Caller::can_see`])
//! and as a SQL condition for lists ([`sql_condition`]), so that no entity
//! leaves the store unchecked. Both say the same thing; the tests of both
//! back ends hold them to it.
//!
//! The rules, after INTERPOL's Rules on the Processing of Data:
//! - **realm**: exercise data (table-top exercises) and real data never mix —
//!   a user acting in an exercise sees only that exercise's records, anyone
//!   else only real records;
//! - **handling**: the owner's handling lets the user's agency or country see
//!   the record; or the owner **granted** this user access to it (an access
//!   request answered yes); or the record belongs to a **case** the user is a
//!   member of (the case itself, or a record whose `case` names it);
//! - **compartment**: a record in a compartment (victim records) is seen only
//!   by victim-support officers, the national THB coordinator of the owner's
//!   country, and the investigators of a case it belongs to.

use veza_model::{Model, Role};

/// How a user takes part in a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Capacity {
    /// Works the case: reads and adds to it; opens its victim records.
    Investigator,
    /// Analyses the case: reads and adds to it.
    Analyst,
    /// Prosecutor assigned to the case: reads only.
    Prosecutor,
    /// Judge assigned to the case: reads only.
    Judge,
    /// Follows the case (a liaison officer, a supervisor): reads only.
    Observer,
}

impl Capacity {
    /// Every capacity.
    pub const ALL: [Capacity; 5] =
        [Capacity::Investigator, Capacity::Analyst, Capacity::Prosecutor, Capacity::Judge, Capacity::Observer];

    /// The capacity's code (`investigator`, `prosecutor`, …).
    pub fn code(self) -> &'static str {
        match self {
            Capacity::Investigator => "investigator",
            Capacity::Analyst => "analyst",
            Capacity::Prosecutor => "prosecutor",
            Capacity::Judge => "judge",
            Capacity::Observer => "observer",
        }
    }

    /// The capacity of a code.
    pub fn parse(code: &str) -> Option<Capacity> {
        let code = code.trim().to_ascii_lowercase();
        Capacity::ALL.into_iter().find(|c| c.code() == code)
    }

    /// Whether members in this capacity only read the case.
    pub fn read_only(self) -> bool {
        matches!(self, Capacity::Prosecutor | Capacity::Judge | Capacity::Observer)
    }
}

impl std::fmt::Display for Capacity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// A user's membership of one case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Membership {
    /// The case's entity id.
    pub case_id: String,
    /// How the user takes part.
    pub capacity: Capacity,
}

/// What a user's standing adds to the owners' handling, loaded when the
/// caller is made: the cases the user is a member of, the records granted
/// to the user, and the exercise the user acts in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// Cases the user is a member of.
    pub cases: Vec<Membership>,
    /// Entity ids whose owners granted this user access.
    pub grants: Vec<String>,
    /// The exercise the user acts in; `None` for real work.
    pub exercise: Option<String>,
}

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
        /// The user's agency's country code.
        country: String,
        /// The user's roles.
        roles: Vec<Role>,
        /// Cases, grants and exercise.
        scope: Scope,
    },
}

/// What the policy needs to know of a stored record.
#[derive(Debug, Clone, Copy)]
pub struct RecordFacts<'a> {
    /// Entity id.
    pub id: &'a str,
    /// Schema name.
    pub schema: &'a str,
    /// Owning agency.
    pub owner_agency: &'a str,
    /// Owning agency's country.
    pub owner_country: &'a str,
    /// Handling visibility (`agency`, `country`, `countries`, `all`).
    pub visibility: &'a str,
    /// Countries of `countries` handling, framed: `,ba,me,`.
    pub countries: &'a str,
    /// Cases the record belongs to, framed: `,case-1,case-2,`.
    pub cases: &'a str,
    /// The exercise the record belongs to; `None` for real data.
    pub exercise: Option<&'a str>,
}

/// Whether a framed list (`,a,b,`) holds `item`: the same substring test
/// the SQL makes (`instr`/`strpos` of `,item,`).
fn framed_contains(framed: &str, item: &str) -> bool {
    framed.contains(&framed_item(item))
}

/// `item` framed by commas, as framed lists hold it.
fn framed_item(item: &str) -> String {
    format!(",{item},")
}

impl Caller {
    /// How the audit log names the caller: the user name, or `system:<name>`.
    pub fn actor(&self) -> String {
        match self {
            Caller::System { name } => format!("system:{name}"),
            Caller::User { username, .. } => username.clone(),
        }
    }

    /// The platform acting for a local operator.
    pub fn system(name: &str) -> Self {
        Caller::System { name: name.to_owned() }
    }

    /// A user with no case memberships, no grants, not in an exercise.
    pub fn user(username: &str, agency: &str, country: &str, roles: &[Role]) -> Self {
        Caller::User {
            username: username.to_owned(),
            agency: agency.to_owned(),
            country: country.to_owned(),
            roles: roles.to_vec(),
            scope: Scope::default(),
        }
    }

    /// This caller with its scope replaced (no change for the system).
    pub fn with_scope(mut self, new: Scope) -> Self {
        if let Caller::User { scope, .. } = &mut self {
            *scope = new;
        }
        self
    }

    /// The user's scope; `None` for the system.
    pub fn scope(&self) -> Option<&Scope> {
        match self {
            Caller::System { .. } => None,
            Caller::User { scope, .. } => Some(scope),
        }
    }

    /// The exercise the caller acts in.
    pub fn exercise(&self) -> Option<&str> {
        self.scope().and_then(|s| s.exercise.as_deref())
    }

    /// The user's membership of a case, if any.
    pub fn membership(&self, case_id: &str) -> Option<Capacity> {
        self.scope()?.cases.iter().find(|m| m.case_id == case_id).map(|m| m.capacity)
    }

    /// Whether this caller may see a record.
    pub fn can_see(&self, r: &RecordFacts<'_>) -> bool {
        let Caller::User { agency, country, scope, .. } = self else { return true };
        if r.exercise != scope.exercise.as_deref() {
            return false;
        }
        let handling = r.visibility == "all"
            || r.owner_agency == agency
            || (matches!(r.visibility, "country" | "countries") && r.owner_country == country)
            || (r.visibility == "countries" && framed_contains(r.countries, country));
        let granted = scope.grants.iter().any(|g| g == r.id);
        let member = scope.cases.iter().any(|m| framed_contains(r.cases, &m.case_id));
        (handling || granted || member) && self.opens(compartment_of(r.schema), r)
    }

    /// Whether this caller, who may see a record of `owner_agency`, may also
    /// see one of its values that has its own handling: the owner agency
    /// always; others as that handling says. Case membership and grants do
    /// not open such a value — the owner marked it apart on purpose.
    pub fn can_see_value(&self, owner_agency: &str, owner_country: &str, handling: &veza_model::Handling) -> bool {
        let Caller::User { agency, country, .. } = self else { return true };
        use veza_model::Visibility;
        owner_agency == agency
            || match handling.visibility {
                Visibility::All => true,
                Visibility::Agency => false,
                Visibility::Country => owner_country == country,
                Visibility::Countries => owner_country == country || handling.countries.iter().any(|c| c == country),
            }
    }

    fn opens(&self, compartment: Option<&str>, r: &RecordFacts<'_>) -> bool {
        let Caller::User { country, roles, scope, .. } = self else { return true };
        match compartment {
            None => true,
            Some("victim") => {
                roles.contains(&Role::VictimSupport)
                    || (roles.contains(&Role::ThbCoordinator) && r.owner_country == country)
                    || scope
                        .cases
                        .iter()
                        .any(|m| m.capacity == Capacity::Investigator && framed_contains(r.cases, &m.case_id))
            }
            // A compartment this code does not know is closed to everyone.
            Some(_) => false,
        }
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

/// How a back end renders a mark of the policy's SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mark {
    /// `{}`: one text parameter.
    Text,
    /// `IN_LIST`: membership of a column in a list parameter.
    InList,
    /// `CASES_MATCH`: `e.cases` contains one of a list of framed items
    /// (`,case-1,`) as a substring — exact and case-sensitive, unlike LIKE.
    CasesMatch,
}

/// The SQL condition (to follow `AND`) that keeps only rows of `entity e`
/// the caller may see: `{}` marks each text parameter, `IN_LIST` a list
/// membership test and `CASES_MATCH` a test of `e.cases` against a list of
/// patterns, in order, for the back end to render ([`render`]). `None` for
/// callers who see everything.
pub(crate) fn sql_condition(caller: &Caller) -> Option<(String, Vec<PolicyParam>)> {
    let Caller::User { agency, country, roles, scope, .. } = caller else { return None };
    let mut params = Vec::new();
    let mut sql = match &scope.exercise {
        None => String::from("e.exercise IS NULL"),
        Some(x) => {
            params.push(PolicyParam::Text(x.clone()));
            String::from("e.exercise = {}")
        }
    };
    sql.push_str(
        " AND (e.visibility = 'all' OR e.owner_agency = {} OR (e.visibility IN ('country', 'countries') \
         AND e.owner_country = {}) OR (e.visibility = 'countries' AND e.handling_countries LIKE {})",
    );
    params.push(PolicyParam::Text(agency.clone()));
    params.push(PolicyParam::Text(country.clone()));
    params.push(PolicyParam::Text(format!("%,{country},%")));
    if !scope.grants.is_empty() {
        sql.push_str(" OR e.id IN_LIST");
        params.push(PolicyParam::List(scope.grants.clone()));
    }
    if !scope.cases.is_empty() {
        sql.push_str(" OR CASES_MATCH");
        params.push(PolicyParam::List(scope.cases.iter().map(|m| framed_item(&m.case_id)).collect()));
    }
    sql.push(')');
    if !roles.contains(&Role::VictimSupport) {
        sql.push_str(" AND (NOT e.schema IN_LIST");
        params.push(PolicyParam::List(compartment_schemata()));
        if roles.contains(&Role::ThbCoordinator) {
            sql.push_str(" OR e.owner_country = {}");
            params.push(PolicyParam::Text(country.clone()));
        }
        let investigating: Vec<String> = scope
            .cases
            .iter()
            .filter(|m| m.capacity == Capacity::Investigator)
            .map(|m| framed_item(&m.case_id))
            .collect();
        if !investigating.is_empty() {
            sql.push_str(" OR CASES_MATCH");
            params.push(PolicyParam::List(investigating));
        }
        sql.push(')');
    }
    Some((sql, params))
}

/// Writes the condition for a back end: `mark` renders each mark.
pub(crate) fn render(sql: &str, mut mark: impl FnMut(Mark) -> String) -> String {
    const MARKS: [(&str, Mark); 3] = [("{}", Mark::Text), ("IN_LIST", Mark::InList), ("CASES_MATCH", Mark::CasesMatch)];
    let mut out = String::with_capacity(sql.len() + 32);
    let mut rest = sql;
    while let Some((at, token, m)) =
        MARKS.iter().filter_map(|(t, m)| rest.find(t).map(|at| (at, *t, *m))).min_by_key(|(at, _, _)| *at)
    {
        out.push_str(&rest[..at]);
        out.push_str(&mark(m));
        rest = &rest[at + token.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(agency: &str, country: &str, roles: &[Role]) -> Caller {
        Caller::user("u", agency, country, roles)
    }

    fn record<'a>(schema: &'a str, owner: &'a str, country: &'a str, visibility: &'a str) -> RecordFacts<'a> {
        RecordFacts {
            id: "r-1",
            schema,
            owner_agency: owner,
            owner_country: country,
            visibility,
            countries: "",
            cases: "",
            exercise: None,
        }
    }

    fn member(case_id: &str, capacity: Capacity) -> Scope {
        Scope { cases: vec![Membership { case_id: case_id.into(), capacity }], ..Scope::default() }
    }

    #[test]
    fn owners_always_see_their_records() {
        assert!(user("rs-bp", "rs", &[]).can_see(&record("Person", "rs-bp", "rs", "agency")));
    }

    #[test]
    fn agency_records_stay_in_the_agency() {
        assert!(!user("rs-thb", "rs", &[]).can_see(&record("Person", "rs-bp", "rs", "agency")));
    }

    #[test]
    fn country_records_reach_the_country_only() {
        assert!(user("rs-thb", "rs", &[]).can_see(&record("Person", "rs-bp", "rs", "country")));
        assert!(!user("ba-bp", "ba", &[]).can_see(&record("Person", "rs-bp", "rs", "country")));
    }

    #[test]
    fn listed_countries_see_shared_records() {
        let shared = RecordFacts { countries: ",ba,me,", ..record("Person", "rs-bp", "rs", "countries") };
        assert!(user("ba-bp", "ba", &[]).can_see(&shared));
        assert!(!user("al-bp", "al", &[]).can_see(&shared));
    }

    #[test]
    fn victim_records_need_a_role_or_the_case_as_well_as_the_handling() {
        let victim = RecordFacts { cases: ",case-1,", ..record("Victim", "rs-thb", "rs", "all") };
        assert!(!user("rs-thb", "rs", &[Role::Analyst]).can_see(&victim), "even the owner agency's analyst");
        assert!(user("xk-vs", "xk", &[Role::VictimSupport]).can_see(&victim));
        assert!(user("rs-nc", "rs", &[Role::ThbCoordinator]).can_see(&victim));
        assert!(!user("ba-nc", "ba", &[Role::ThbCoordinator]).can_see(&victim), "another country's coordinator");
        assert!(!user("rs-thb", "rs", &[Role::Investigator]).can_see(&victim), "an investigator not on the case");
        let on_case = user("al-thb", "al", &[Role::Investigator]).with_scope(member("case-1", Capacity::Investigator));
        assert!(on_case.can_see(&victim), "an investigator of the case, of any agency");
        let prosecutor = user("me-pr", "me", &[Role::Prosecutor]).with_scope(member("case-1", Capacity::Prosecutor));
        assert!(!prosecutor.can_see(&victim), "a prosecutor of the case is not an investigator");
        assert!(
            !user("xk-vs", "xk", &[Role::VictimSupport]).can_see(&record("Victim", "rs-thb", "rs", "agency")),
            "handling still applies"
        );
    }

    #[test]
    fn case_members_see_the_case_file_whatever_its_handling() {
        let case = RecordFacts { id: "case-1", cases: ",case-1,", ..record("Case", "rs-thb", "rs", "agency") };
        let suspect = RecordFacts { cases: ",case-1,", ..record("Suspect", "rs-thb", "rs", "agency") };
        let judge = user("me-court", "me", &[Role::Judge]).with_scope(member("case-1", Capacity::Judge));
        assert!(judge.can_see(&case) && judge.can_see(&suspect));
        let other = user("me-court", "me", &[Role::Judge]).with_scope(member("case-10", Capacity::Judge));
        assert!(!other.can_see(&case), "case-10 is not case-1");
        assert!(!user("me-court", "me", &[Role::Judge]).can_see(&case));
    }

    #[test]
    fn a_grant_opens_one_record() {
        let hidden = record("Person", "rs-bp", "rs", "agency");
        let granted = user("ba-bp", "ba", &[]).with_scope(Scope { grants: vec!["r-1".into()], ..Scope::default() });
        assert!(granted.can_see(&hidden));
        assert!(!granted.can_see(&RecordFacts { id: "r-2", ..hidden }));
    }

    #[test]
    fn exercise_and_real_data_never_mix() {
        let real = record("Person", "rs-bp", "rs", "all");
        let drill = RecordFacts { exercise: Some("ttx-1"), ..real };
        let in_drill =
            user("rs-bp", "rs", &[]).with_scope(Scope { exercise: Some("ttx-1".into()), ..Scope::default() });
        assert!(user("rs-bp", "rs", &[]).can_see(&real));
        assert!(!user("rs-bp", "rs", &[]).can_see(&drill));
        assert!(in_drill.can_see(&drill));
        assert!(!in_drill.can_see(&real));
        assert!(!in_drill.can_see(&RecordFacts { exercise: Some("ttx-2"), ..real }));
    }

    #[test]
    fn system_sees_everything() {
        assert!(Caller::system("test").can_see(&record("Victim", "rs-bp", "rs", "agency")));
        assert!(sql_condition(&Caller::system("test")).is_none());
    }

    #[test]
    fn capacities_round_trip() {
        for c in Capacity::ALL {
            assert_eq!(Capacity::parse(c.code()), Some(c));
        }
        assert!(Capacity::Judge.read_only() && !Capacity::Investigator.read_only());
        assert_eq!(Capacity::parse("chef"), None);
    }

    #[test]
    fn the_sql_condition_has_one_parameter_per_mark() {
        let scopes = [
            Scope::default(),
            member("case-1", Capacity::Investigator),
            Scope { grants: vec!["a".into()], exercise: Some("x".into()), ..member("c", Capacity::Judge) },
        ];
        for roles in
            [&[][..], &[Role::VictimSupport], &[Role::ThbCoordinator], &[Role::Investigator, Role::ThbCoordinator]]
        {
            for scope in &scopes {
                let caller = user("rs-bp", "rs", roles).with_scope(scope.clone());
                let (sql, params) = sql_condition(&caller).unwrap();
                let marks =
                    sql.matches("{}").count() + sql.matches("IN_LIST").count() + sql.matches("CASES_MATCH").count();
                assert_eq!(marks, params.len(), "{sql}");
            }
        }
    }

    #[test]
    fn render_replaces_marks_in_order() {
        let out = render("a {} IN_LIST b CASES_MATCH {}", |m| format!("<{m:?}>"));
        assert_eq!(out, "a <Text> <InList> b <CasesMatch> <Text>");
    }
}
