//! A small synthetic demo scenario: the region's agencies, a trafficking
//! network with its people, phones, vehicles, accounts and links, a case
//! with victims, a red notice, a stolen passport, and a background
//! population to search through — the small preset of `veza synth`
//! (`veza_synth::demo_preset`). Every name is invented and every run gives
//! the same data.

use crate::{AppError, Veza};
use veza_model::{Entity, Handling, Owner, Role, SourceRef, Visibility};
use veza_store::{Agency, Caller};

/// What loading the demo created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoSummary {
    /// Agencies created.
    pub agencies: u64,
    /// Entities created.
    pub entities: u64,
}

/// Western Balkan countries and their agencies: (country, kind, code suffix, name).
const COUNTRIES: &[(&str, &str)] = &[
    ("al", "Albania"),
    ("ba", "Bosnia and Herzegovina"),
    ("me", "Montenegro"),
    ("mk", "North Macedonia"),
    ("rs", "Serbia"),
    ("xk", "Kosovo"),
];
const AGENCY_KINDS: &[(&str, &str, &str)] = &[
    ("bp", "border_police", "Border Police"),
    ("thb", "thb_unit", "Criminal Police, THB Unit"),
    ("ncb", "ncb", "INTERPOL NCB"),
    ("pros", "prosecution", "Prosecutor's Office"),
];

/// Builds the demo's entities, owned by the agencies they name.
struct Scenario {
    entities: Vec<Entity>,
    /// Values that did not validate (a bug in the demo; tests keep it empty).
    problems: Vec<String>,
}

impl Scenario {
    fn add(
        &mut self,
        veza: &Veza,
        id: &str,
        schema: &str,
        owner: &str,
        visibility: Visibility,
        values: &[(&str, &str)],
    ) {
        let mut e = Entity::new(id, schema);
        let country = owner.split('-').next().unwrap_or("zz").to_owned();
        e.provenance.owner = Owner { agency: owner.to_owned(), country };
        e.provenance.source = SourceRef { dataset: format!("demo-{owner}"), record: Some(id.to_owned()) };
        e.handling = Handling { visibility, ..Handling::default() };
        // Demo values are written to be valid; one that is not is a bug the
        // tests catch, so it is skipped rather than stopping the demo.
        if let Err(errors) = e.add_all(veza.model(), values.iter().copied()) {
            tracing::warn!(id, ?errors, "demo entity has invalid values");
            self.problems.extend(errors.iter().map(|e| format!("{id}: {e}")));
        }
        e.complete(veza.model());
        self.entities.push(e);
    }
}

/// The demo's agencies: INTERPOL's General Secretariat, each country's
/// border police, THB unit, NCB and prosecution, and the court, victim
/// support and police academy that the demo users work in.
fn demo_agencies() -> Vec<Agency> {
    let agency = |code: &str, name: &str, country: &str, kind: &str| Agency {
        code: code.into(),
        name: name.into(),
        country: country.into(),
        kind: kind.into(),
    };
    let mut agencies = vec![agency("int-gs", "INTERPOL General Secretariat", "zz", "interpol_gs")];
    for (cc, country) in COUNTRIES {
        for (suffix, kind, name) in AGENCY_KINDS {
            agencies.push(agency(&format!("{cc}-{suffix}"), &format!("{country} {name}"), cc, kind));
        }
    }
    agencies.push(agency("me-court", "Montenegro High Court in Podgorica", "me", "court"));
    agencies.push(agency("xk-vs", "Kosovo Victim Advocacy and Assistance Office", "xk", "victim_support"));
    agencies.push(agency("ba-pa", "Bosnia and Herzegovina Police Academy", "ba", "police_academy"));
    agencies
}

/// The demo users: (user name, display name, roles, agency). Outside checks
/// log in with these names.
const DEMO_USERS: &[(&str, &str, &[Role], &str)] = &[
    ("admin", "Demo Administrator", &[Role::Administrator], "int-gs"),
    ("border.rs", "Border officer, Serbia", &[Role::BorderOfficer], "rs-bp"),
    ("investigator.al", "Investigator, Albania", &[Role::Investigator], "al-thb"),
    ("analyst.mk", "Analyst, North Macedonia", &[Role::Analyst], "mk-thb"),
    ("ncb.ba", "NCB officer, Bosnia and Herzegovina", &[Role::NcbOfficer], "ba-ncb"),
    ("coordinator.rs", "National THB coordinator, Serbia", &[Role::ThbCoordinator], "rs-thb"),
    ("prosecutor.me", "Prosecutor, Montenegro", &[Role::Prosecutor], "me-pros"),
    ("judge.me", "Judge, Montenegro", &[Role::Judge], "me-court"),
    ("victims.xk", "Victim-support officer, Kosovo", &[Role::VictimSupport], "xk-vs"),
    ("trainer", "Trainer, INTERPOL capacity building", &[Role::Trainer], "int-gs"),
    ("learner.ba", "Learner, Bosnia and Herzegovina", &[Role::Learner], "ba-pa"),
    ("programme", "Programme manager", &[Role::ProgrammeManager], "int-gs"),
    ("controller", "Exercise controller", &[Role::ExerciseController, Role::Trainer], "int-gs"),
    ("investigator.rs", "Investigator, Serbia", &[Role::Investigator], "rs-thb"),
    ("border.mk", "Border officer, North Macedonia", &[Role::BorderOfficer], "mk-bp"),
    ("dpo", "Data-protection officer, INTERPOL", &[Role::DataProtectionOfficer], "int-gs"),
    ("academy", "Academy administrator, INTERPOL", &[Role::AcademyAdministrator], "int-gs"),
    ("learner.rs", "Learner, Serbia", &[Role::Learner], "rs-bp"),
    ("learner.mk", "Learner, North Macedonia", &[Role::Learner], "mk-bp"),
];

/// A demo user as created: user name, roles, agency.
pub type DemoUser = (String, Vec<Role>, String);

impl Veza {
    /// Creates (or resets) one demo user per role in several countries,
    /// with MFA off, all with `password` or a random 20-character one,
    /// which is returned. Existing demo users get the password anew and
    /// lose their sessions. Refused (`Conflict`) when the database holds
    /// any other user, so that a real installation's accounts are never reset.
    pub async fn create_demo_users(&self, password: Option<String>) -> Result<(Vec<DemoUser>, String), AppError> {
        let password = password.unwrap_or_else(|| crate::identity::random_password(20));
        crate::identity::check_password_policy(&password)?;
        if let Some(other) =
            self.store.users().await?.into_iter().find(|u| !DEMO_USERS.iter().any(|d| d.0 == u.username))
        {
            return Err(AppError::Conflict(format!(
                "the database has users of its own ('{}'): demo users are made only where there are none",
                other.username
            )));
        }
        for a in demo_agencies() {
            if self.store.agency(&a.code).await?.is_none() {
                self.store.put_agency(&a).await?;
            }
        }
        let cost = self.identity_config().hash_cost;
        let now = self.identity_config().clock.now().timestamp_micros();
        let mut created = Vec::new();
        for (username, display, roles, agency) in DEMO_USERS {
            let pw = password.clone();
            let hash = tokio::task::spawn_blocking(move || crate::identity::hash_password(cost, &pw))
                .await
                .map_err(|e| AppError::Invalid { field: None, message: format!("internal error: {e}") })??;
            let old = self.store.user(username).await?;
            let mut names: Vec<String> = roles.iter().map(|r| r.as_str().to_owned()).collect();
            names.sort();
            self.store
                .put_user(&veza_store::UserRecord {
                    username: (*username).into(),
                    display_name: (*display).into(),
                    agency: (*agency).into(),
                    password_hash: hash,
                    totp_secret: None,
                    totp_last_step: None,
                    disabled: false,
                    failed_logins: 0,
                    locked_until: None,
                    created_at: old.as_ref().map_or(now, |u| u.created_at),
                    rights_version: old.as_ref().map_or(1, |u| u.rights_version + 1),
                    roles: names,
                })
                .await?;
            self.store.delete_user_sessions(username).await?;
            created.push(((*username).to_owned(), roles.to_vec(), (*agency).to_owned()));
        }
        Ok((created, password))
    }

    /// Loads the demo scenario. Safe to call again: it rewrites the same
    /// entities.
    pub async fn load_demo(&self) -> Result<DemoSummary, AppError> {
        let mut summary = DemoSummary::default();
        let agencies = demo_agencies();
        for a in &agencies {
            self.store.put_agency(a).await?;
            summary.agencies += 1;
        }
        let scenario = self.demo_entities();
        let mut datasets: Vec<(String, String)> = scenario
            .entities
            .iter()
            .map(|e| (e.provenance.source.dataset.clone(), e.provenance.owner.agency.clone()))
            .collect();
        datasets.sort();
        datasets.dedup();
        for (ds, owner) in &datasets {
            self.ensure_source(ds, &format!("Demo records of {owner}"), "demo", owner).await?;
        }
        let caller = Caller::system("demo loader");
        for chunk in scenario.entities.chunks(500) {
            let report = self.store.write_entities(&caller, chunk).await?;
            self.screening.touch();
            summary.entities += report.created + report.updated;
        }
        self.load_demo_operation().await?;
        self.load_academy_demo().await?;
        self.load_demo_exercise().await?;
        self.load_demo_cohorts().await?;
        Ok(summary)
    }

    fn demo_entities(&self) -> Scenario {
        use Visibility::*;
        let mut s = Scenario { entities: Vec::new(), problems: Vec::new() };

        // The network: a hierarchical OCG spanning Serbia, North Macedonia,
        // Albania, Kosovo, Montenegro and Bosnia and Herzegovina.
        s.add(self, "ocg-vardar", "Organization", "rs-thb", Country, &[
            ("name", "Vardar–Morava network"), ("alias", "Вардар–Морава"), ("country", "rs"), ("country", "mk"),
            ("topics", "crime.traffick.human"), ("description", "Recruits women from Moldova and Ukraine with false job offers and moves migrants along the Balkan route."),
        ]);
        let members: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
            (
                "p-stojanovic",
                "Драган Стојановић",
                "Dragan Stojanović",
                "rs",
                "1974-05-12",
                "organiser",
                "+381641112233",
            ),
            ("p-trajkovski", "Горан Трајковски", "Goran Trajkovski", "mk", "1981-11-03", "recruiter", "+38970223344"),
            ("p-krasniqi", "Arbër Krasniqi", "Arber Krasniqi", "xk", "1988", "transporter", "+38344556677"),
            ("p-hoxha", "Besnik Hoxha", "Besnik Hoxha", "al", "1979-02", "document_forger", "+355691234567"),
            ("p-vujovic", "Nikola Vujović", "Nikola Vujovic", "me", "1985-07-21", "money_handler", "+38267345678"),
            ("p-hadzic", "Emir Hadžić", "Emir Hadzic", "ba", "1970-09-30", "corrupt_official", "+38761987654"),
            ("p-djordjevic", "Milica Đorđević", "Milica Djordjevic", "rs", "1990-01-15", "recruiter", "+381631234567"),
            ("p-gashi", "Fatos Gashi", "Fatos Gashi", "xk", "1992-04", "enforcer", "+38349111222"),
        ];
        for (id, name, alias, cc, born, role, phone) in members {
            let owner = format!("{cc}-thb");
            let gender = if *id == "p-djordjevic" { "female" } else { "male" };
            s.add(
                self,
                id,
                "Person",
                &owner,
                Country,
                &[
                    ("name", name),
                    ("alias", alias),
                    ("nationality", cc),
                    ("birthDate", born),
                    ("gender", gender),
                    ("phone", phone),
                    ("topics", "crime.traffick.human"),
                ],
            );
            s.add(
                self,
                &format!("m-{id}"),
                "Membership",
                &owner,
                Country,
                &[("member", id), ("organization", "ocg-vardar"), ("role", role)],
            );
        }
        s.add(
            self,
            "pp-hoxha",
            "Passport",
            "al-bp",
            Country,
            &[("holder", "p-hoxha"), ("number", "BA4471190"), ("country", "al"), ("type", "passport")],
        );
        s.add(
            self,
            "pp-krasniqi",
            "Passport",
            "xk-bp",
            Country,
            &[("holder", "p-krasniqi"), ("number", "P01234567"), ("country", "xk"), ("type", "passport")],
        );
        s.add(
            self,
            "v-krasniqi",
            "Vehicle",
            "rs-bp",
            Country,
            &[
                ("name", "Mercedes-Benz Sprinter"),
                ("registrationNumber", "PR-123-AB"),
                ("owner", "p-krasniqi"),
                ("country", "xk"),
            ],
        );
        s.add(
            self,
            "acct-vujovic",
            "BankAccount",
            "me-thb",
            Agency,
            &[("name", "Account of Nikola Vujović"), ("iban", "ME25505000012345678951"), ("country", "me")],
        );
        s.add(
            self,
            "own-vujovic-acct",
            "Ownership",
            "me-thb",
            Agency,
            &[("owner", "p-vujovic"), ("asset", "acct-vujovic")],
        );
        s.add(
            self,
            "fam-stojanovic-djordjevic",
            "Family",
            "rs-thb",
            Agency,
            &[("person", "p-stojanovic"), ("relative", "p-djordjevic"), ("relationship", "niece")],
        );
        s.add(
            self,
            "assoc-hadzic-krasniqi",
            "Associate",
            "ba-thb",
            Agency,
            &[
                ("person", "p-hadzic"),
                ("associate", "p-krasniqi"),
                ("relationship", "lets vehicles through at Gradiška crossing"),
            ],
        );
        let phone_of = |id: &str| members.iter().find(|m| m.0 == id).map(|m| m.6).unwrap_or_default();
        for (i, (from, to, date)) in [
            ("p-stojanovic", "p-trajkovski", "2023-03-02"),
            ("p-trajkovski", "p-krasniqi", "2023-03-04"),
            ("p-krasniqi", "p-hadzic", "2023-03-05"),
            ("p-stojanovic", "p-vujovic", "2023-03-06"),
            ("p-gashi", "p-stojanovic", "2023-03-07"),
            ("p-djordjevic", "p-trajkovski", "2023-03-08"),
        ]
        .iter()
        .enumerate()
        {
            s.add(
                self,
                &format!("call-{i}"),
                "Call",
                "rs-thb",
                Agency,
                &[
                    ("caller", from),
                    ("receiver", to),
                    ("callerNumber", phone_of(from)),
                    ("receiverNumber", phone_of(to)),
                    ("date", date),
                    ("duration", "120"),
                ],
            );
        }
        s.add(
            self,
            "pay-1",
            "Payment",
            "me-thb",
            Agency,
            &[
                ("payer", "p-stojanovic"),
                ("beneficiary", "p-vujovic"),
                ("amount", "12500"),
                ("currency", "EUR"),
                ("date", "2023-03-10"),
                ("purpose", "\"consulting\""),
            ],
        );

        // The case, its victims and the notices.
        s.add(
            self,
            "case-rs-2023-017",
            "Case",
            "rs-thb",
            Agency,
            &[
                ("name", "Operation Morava"),
                ("caseNumber", "KTR-2023-017"),
                ("status", "under_investigation"),
                ("caseType", "transnational"),
                ("exploitationType", "sexual_exploitation"),
                ("exploitationType", "forced_labour"),
                ("recruitmentMethod", "through_an_online_advertisement"),
                ("methodOfControl", "debt_bondage"),
                ("originCountry", "md"),
                ("originCountry", "ua"),
                ("transitCountry", "mk"),
                ("exploitationCountry", "rs"),
                ("openedDate", "2023-02-20"),
                ("leadCountry", "rs"),
            ],
        );
        for (id, role) in [
            ("p-stojanovic", "organiser"),
            ("p-trajkovski", "recruiter"),
            ("p-krasniqi", "transporter"),
            ("p-hoxha", "document_forger"),
        ] {
            s.add(
                self,
                &format!("sus-{id}"),
                "Suspect",
                "rs-thb",
                Agency,
                &[("suspect", id), ("case", "case-rs-2023-017"), ("role", role), ("status", "suspected")],
            );
        }
        for (i, (given, family, cc, born)) in [
            ("Maria", "Rusu", "md", "2001-06-14"),
            ("Olena", "Kovalenko", "ua", "1999"),
            ("Elena", "Ceban", "md", "2006-02-01"),
        ]
        .iter()
        .enumerate()
        {
            let pid = format!("p-victim-{i}");
            s.add(
                self,
                &pid,
                "Person",
                "rs-thb",
                Agency,
                &[
                    ("firstName", given),
                    ("lastName", family),
                    ("nationality", cc),
                    ("birthDate", born),
                    ("gender", "female"),
                ],
            );
            let minor = if *born > "2005" { "minor" } else { "adult" };
            s.add(
                self,
                &format!("victim-{i}"),
                "Victim",
                "rs-thb",
                Agency,
                &[
                    ("person", &pid),
                    ("case", "case-rs-2023-017"),
                    ("victimCode", &format!("RS-V-2023-{:03}", i + 41)),
                    ("traffickingStatus", "possible_victim"),
                    ("identificationDate", "2023-03-15"),
                    ("gender", "female"),
                    ("ageCategory", minor),
                    ("citizenship", cc),
                    ("exploitationType", "sexual_exploitation"),
                    ("recruiterRelationship", "recruitment_agent"),
                    ("consentStatus", "given"),
                    ("consentScope", "referral_to_services"),
                    ("referred", "yes"),
                    ("assistanceReceived", "shelter"),
                    ("riskLevel", "high"),
                ],
            );
        }
        s.add(
            self,
            "notice-red-stojanovic",
            "Notice",
            "int-gs",
            All,
            &[
                ("noticeType", "red"),
                ("noticeId", "2023/41277"),
                ("subject", "p-stojanovic"),
                ("firstName", "Dragan"),
                ("lastName", "Stojanović"),
                ("name", "Dragan Stojanović"),
                ("birthDate", "1974-05-12"),
                ("nationality", "rs"),
                ("issuingCountry", "mk"),
                ("warrantCountry", "mk"),
                ("charge", "Trafficking in human beings (Art. 418 CC)"),
                ("status", "active"),
            ],
        );
        s.add(
            self,
            "sltd-ba4471190",
            "DocumentStatus",
            "int-gs",
            All,
            &[
                ("documentNumber", "BA4471190"),
                ("status", "stolen"),
                ("documentType", "passport"),
                ("issuingCountry", "al"),
                ("reportedDate", "2022-11-03"),
                ("reportingCountry", "al"),
            ],
        );

        // A background population, with its own groups, victims, calls and
        // border checks: the small preset of `veza synth`.
        s.entities.extend(veza_synth::demo_preset());
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_entity_is_valid() {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let veza = rt.block_on(Veza::open("sqlite::memory:")).unwrap();
        let scenario = veza.demo_entities();
        assert!(scenario.entities.len() > 250);
        assert!(scenario.problems.is_empty(), "{:#?}", scenario.problems);
        for e in &scenario.entities {
            assert!(e.validate(veza.model()).is_ok(), "{}: {:?}", e.id, e.validate(veza.model()));
        }
    }

    #[test]
    fn the_demo_is_the_same_every_time() {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let veza = rt.block_on(Veza::open("sqlite::memory:")).unwrap();
        let a: Vec<_> = veza.demo_entities().entities.into_iter().map(|e| e.properties).collect();
        let b: Vec<_> = veza.demo_entities().entities.into_iter().map(|e| e.properties).collect();
        assert_eq!(a, b);
    }
}
