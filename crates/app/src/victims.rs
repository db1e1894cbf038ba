//! Possible victims: the identification interview guided by the trafficking
//! indicators, the officer's decision, and referrals to the National Referral
//! Mechanism with the person's consent.
//!
//! The records (Person, Victim, IndicatorAssessment, Referral) are written in
//! the `victims` dataset of the caller's agency. Victim, IndicatorAssessment
//! and Referral are in the `victim` compartment (their schemata say so): the
//! store's policy opens them only to victim-support officers, the THB
//! coordinator of the owner's country and the investigators of a case they
//! belong to. They are written with the country's visibility, so those roles
//! of the whole country can work them; every other user of the country —
//! the investigators of another agency included — is stopped by the
//! compartment. The person's own record keeps the owner agency's handling.
//!
//! Every write is audited before it is made; every read is one consultation
//! entry. The assessment is advice: the officer records the decision.

use std::collections::BTreeMap;

use chrono::Utc;
use serde::Serialize;
use veza_indicators::{AgeGroup, Answers, Assessment, Catalogue, assess};
use veza_model::{Entity, Handling, SourceRef, Visibility};
use veza_store::audit::{AuditAction, AuditOutcome};
use veza_store::{Caller, Lookup, SearchQuery};

use crate::{Access, AppError, Veza};

/// The dataset of the records this module writes.
pub const VICTIMS_DATASET: &str = "victims";

/// The officer's decisions an interview may record (Victim `traffickingStatus`).
pub const DECISIONS: [&str; 2] = ["possible_victim", "not_a_victim"];

/// Kinds of service a referral goes to (Referral `serviceType`, the ones an NRM offers first).
pub const SERVICE_TYPES: [&str; 7] =
    ["shelter", "medical", "psychological", "legal", "financial", "repatriation", "other"];

/// The states of a referral, in the order it moves through them.
pub const REFERRAL_STATUSES: [&str; 5] = ["sent", "accepted", "in_progress", "completed", "declined"];

/// What a person consents to (Victim `consentScope`).
pub const CONSENT_SCOPES: [&str; 4] =
    ["referral_to_services", "data_processing", "domestic_data_sharing", "international_data_sharing"];

/// How the person asked to be interviewed, recorded before the interview.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HandlingRequest {
    /// `female`, `male` or `no_preference`.
    pub officer_gender: String,
    /// Whether an interpreter is needed.
    pub interpreter: bool,
    /// The language the person wants to speak (ISO 639), if given.
    pub language: String,
    /// Whether the person asked for a support worker to be present.
    pub support_worker: bool,
}

/// An identification interview as the form sends it.
#[derive(Debug, Clone, Default)]
pub struct Interview {
    /// An existing Person record, if the person is known.
    pub person_id: Option<String>,
    /// Name, for a new Person record.
    pub name: String,
    /// Birth date (partial dates allowed).
    pub birth_date: String,
    /// Gender (`female`, `male`, `other`).
    pub gender: String,
    /// Nationality (country code).
    pub nationality: String,
    /// Age in years, if known or estimated.
    pub age_years: String,
    /// The check the person was flagged at.
    pub check: Option<String>,
    /// The operation of that check.
    pub operation: Option<String>,
    /// A case the person belongs to.
    pub case: Option<String>,
    /// The request on who interviews and how.
    pub handling: HandlingRequest,
    /// The answers, with the age group.
    pub answers: Answers,
    /// The officer's decision (one of [`DECISIONS`]).
    pub decision: String,
    /// The types of exploitation the officer records (Victim `exploitationType`).
    pub exploitation: Vec<String>,
    /// Free notes.
    pub notes: String,
}

/// What was recorded.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The Victim record.
    pub victim_id: String,
    /// The IndicatorAssessment record.
    pub assessment_id: String,
    /// The Person record.
    pub person_id: String,
    /// Whether the caller may open the victim record afterwards (the
    /// compartment may close it to the officer who made it).
    pub visible: bool,
}

/// A victim record with what belongs to it.
#[derive(Debug, Clone)]
pub struct VictimFile {
    /// The Victim entity.
    pub victim: Entity,
    /// The person, when the caller may see it.
    pub person: Option<Entity>,
    /// The latest assessment and the reasoning made again from it.
    pub assessment: Option<(Entity, Assessment)>,
    /// Its referrals, newest first.
    pub referrals: Vec<Entity>,
}

/// A referral as the form sends it.
#[derive(Debug, Clone, Default)]
pub struct NewReferral {
    /// One of [`SERVICE_TYPES`].
    pub service_type: String,
    /// The receiving organisation or service, by name.
    pub to_service: String,
    /// Country of the service.
    pub country: String,
    /// Why.
    pub reason: String,
    /// Whether the person consented to this referral and to their data going with it.
    pub consent: bool,
    /// What the consent covers ([`CONSENT_SCOPES`]).
    pub consent_scope: Vec<String>,
}

/// What a referral passes to the receiving service: with consent the
/// person's details, without it only the victim code and the needs.
#[derive(Debug, Clone, Serialize)]
pub struct ReferralSheet {
    /// The victim's pseudonymous code.
    pub victim_code: String,
    /// Service type.
    pub service_type: String,
    /// Needs stated for the service (interpreter, officer gender, support worker).
    pub needs: HandlingRequest,
    /// Name, birth date, nationality — only with consent.
    pub person: Option<BTreeMap<String, String>>,
}

fn invalid(field: &str, message: impl Into<String>) -> AppError {
    AppError::Invalid { field: Some(field.to_owned()), message: message.into() }
}

fn trimmed(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|s| !s.is_empty())
}

/// The age group from the stated age, else the one given.
pub fn age_group(age_years: &str, given: Option<AgeGroup>) -> Result<Option<AgeGroup>, AppError> {
    match trimmed(age_years) {
        None => Ok(given),
        Some(a) => match a.parse::<u32>() {
            Ok(n) if n < 120 => Ok(Some(if n < 18 { AgeGroup::Minor } else { AgeGroup::Adult })),
            _ => Err(invalid("age_years", "give the age in whole years (0–119), or leave it empty")),
        },
    }
}

impl Veza {
    /// Assesses answers against the built-in catalogue. Pure: nothing is
    /// stored or read, so nothing is audited.
    pub fn assess_indicators(&self, answers: &Answers) -> Result<Assessment, AppError> {
        assess(Catalogue::builtin(), answers).map_err(|e| invalid("answers", e.to_string()))
    }

    /// Records an identification interview: the person (new or known), the
    /// Victim record with the handling request and the officer's decision,
    /// and the IndicatorAssessment with the observed indicators and the
    /// advice. One collection entry naming the records, written first.
    pub async fn record_interview(&self, access: &Access, interview: Interview) -> Result<Recorded, AppError> {
        let caller = &access.caller;
        if !DECISIONS.contains(&interview.decision.as_str()) {
            return Err(invalid("decision", "record your decision: possible victim, or not a victim"));
        }
        let h = &interview.handling;
        if !["female", "male", "no_preference"].contains(&h.officer_gender.as_str()) {
            return Err(invalid("officer_gender", "ask the person whom they want to be interviewed by"));
        }
        let age = age_group(&interview.age_years, interview.answers.age)?;
        let answers = Answers { age, ..interview.answers.clone() };
        let assessment = self.assess_indicators(&answers)?;
        let owner = self.owner_for(caller, None).await?;
        let now = Utc::now();
        let today = now.date_naive().to_string();
        let stamp = uuid::Uuid::new_v4().simple().to_string();
        let new = |schema: &str, id: String| {
            let mut e = Entity::new(id, schema);
            e.provenance.owner = owner.clone();
            e.provenance.source = SourceRef { dataset: VICTIMS_DATASET.into(), record: None };
            e.provenance.exercise = caller.exercise().map(str::to_owned);
            e.handling = Handling { visibility: Visibility::Country, ..Handling::default() };
            e
        };
        let mut records = Vec::new();
        let person_id = match interview.person_id.as_deref().and_then(trimmed) {
            Some(id) => match self.store.entity(caller, id).await? {
                Lookup::Found(p) if p.schema == "Person" => p.id,
                _ => return Err(invalid("person", format!("no person {id} that you may see"))),
            },
            None => {
                let name = trimmed(&interview.name).ok_or_else(|| invalid("name", "give the person's name"))?;
                let mut p = new("Person", format!("{VICTIMS_DATASET}.p{stamp}"));
                // The person's own record stays with the owner agency.
                p.handling = Handling::default();
                let mut raw = vec![("name", name)];
                raw.extend(trimmed(&interview.birth_date).map(|v| ("birthDate", v)));
                raw.extend(trimmed(&interview.gender).map(|v| ("gender", v)));
                raw.extend(trimmed(&interview.nationality).map(|v| ("nationality", v)));
                add_values(self, &mut p, &raw)?;
                let id = p.id.clone();
                records.push(p);
                id
            }
        };
        let victim_code = format!("{}-V-{}", owner.country.to_uppercase(), &stamp[..8].to_uppercase());
        let mut v = new("Victim", format!("{VICTIMS_DATASET}.v{stamp}"));
        let age_years = interview.age_years.trim().to_owned();
        let mut raw: Vec<(&str, &str)> = vec![
            ("person", &person_id),
            ("victimCode", &victim_code),
            ("traffickingStatus", &interview.decision),
            ("statusDecisionBy", "police"),
            ("identificationDate", &today),
            ("identifiedBy", &owner.agency),
            ("interviewerGenderPreference", &h.officer_gender),
            ("interpreterNeeded", if h.interpreter { "yes" } else { "no" }),
            ("supportWorkerRequested", if h.support_worker { "yes" } else { "no" }),
            ("ageCategory", age.unwrap_or(AgeGroup::Unknown).code()),
            ("identificationContext", if interview.check.is_some() { "checkpoint_screening" } else { "other" }),
        ];
        raw.extend(trimmed(&age_years).map(|v| ("ageAtIdentification", v)));
        raw.extend(trimmed(&h.language).map(|v| ("primaryLanguage", v)));
        raw.extend(trimmed(&interview.gender).map(|v| ("gender", v)));
        raw.extend(trimmed(&interview.nationality).map(|v| ("citizenship", v)));
        raw.extend(interview.check.as_deref().and_then(trimmed).map(|v| ("check", v)));
        raw.extend(interview.operation.as_deref().and_then(trimmed).map(|v| ("operation", v)));
        raw.extend(interview.case.as_deref().and_then(trimmed).map(|v| ("case", v)));
        raw.extend(interview.exploitation.iter().map(|x| ("exploitationType", x.as_str())));
        raw.extend(trimmed(&interview.notes).map(|v| ("notes", v)));
        add_values(self, &mut v, &raw)?;
        let mut a = new("IndicatorAssessment", format!("{VICTIMS_DATASET}.a{stamp}"));
        let score = assessment.score.to_string();
        let reasoning: Vec<String> = assessment.reasoning.iter().map(|r| r.describe(Catalogue::builtin())).collect();
        let reasoning = reasoning.join("\n");
        let set = if age == Some(AgeGroup::Minor) { "ilo_ec_child_labour" } else { "ilo_ec_adult_labour" };
        let mut raw: Vec<(&str, &str)> = vec![
            ("subject", &person_id),
            ("date", &today),
            ("indicatorSet", set),
            ("method", "interview"),
            ("result", assessment.advice.result_code()),
            ("score", &score),
            ("assessorAgency", &owner.agency),
            ("interpreterUsed", if h.interpreter { "yes" } else { "no" }),
            ("notes", &reasoning),
        ];
        raw.extend(assessment.observed.iter().map(|c| ("indicator", c.as_str())));
        raw.extend(assessment.dimensions_observed.iter().map(|d| ("dimension", d.as_str())));
        raw.extend(assessment.strongest.map(|s| ("strength", s.code())));
        if let veza_indicators::Advice::Indications { purposes } = &assessment.advice {
            raw.extend(purposes.iter().map(|p| ("suspectedExploitation", p.exploitation_type())));
        }
        raw.extend(trimmed(&h.language).map(|v| ("interviewLanguage", v)));
        raw.extend(interview.check.as_deref().and_then(trimmed).map(|v| ("check", v)));
        raw.extend(interview.case.as_deref().and_then(trimmed).map(|v| ("case", v)));
        add_values(self, &mut a, &raw)?;
        records.push(v);
        records.push(a);
        let ids: Vec<String> = records.iter().map(|e| e.id.clone()).collect();
        let detail = format!(
            "identification interview: decision {}, advice {}",
            interview.decision,
            assessment.advice.result_code()
        );
        self.write_victim_records(access, AuditAction::Collect, ids, &detail, records).await?;
        let victim_id = format!("{VICTIMS_DATASET}.v{stamp}");
        let visible = matches!(self.store.entity(caller, &victim_id).await?, Lookup::Found(_));
        Ok(Recorded { victim_id, assessment_id: format!("{VICTIMS_DATASET}.a{stamp}"), person_id, visible })
    }

    /// Writes records of this module after its audit entry (a refusal by
    /// the store gets a second entry).
    async fn write_victim_records(
        &self,
        access: &Access,
        action: AuditAction,
        ids: Vec<String>,
        detail: &str,
        records: Vec<Entity>,
    ) -> Result<(), AppError> {
        let owner = records.first().map(|e| e.provenance.owner.agency.clone()).unwrap_or_default();
        self.ensure_source(VICTIMS_DATASET, "Identification interviews and referrals", "manual", &owner).await?;
        let store = self.store.clone();
        let caller = access.caller.clone();
        let change = async move { store.write_entities(&caller, &records).await };
        self.audited_change(access, action, ids, detail, change).await?;
        self.screening.touch();
        Ok(())
    }

    /// A victim record with its person, latest assessment (reasoning made
    /// again from the stored indicators) and referrals. One consultation entry.
    pub async fn victim_file(&self, access: &Access, id: &str) -> Result<VictimFile, AppError> {
        let caller = &access.caller;
        self.purpose_of(access, AuditAction::Consult, &[id], "victim record").await?;
        let victim = match self.store.entity(caller, id).await? {
            Lookup::Found(v) if v.schema == "Victim" => v,
            _ => {
                self.audit_access(
                    access,
                    AuditAction::Consult,
                    vec![id.to_owned()],
                    AuditOutcome::Denied,
                    "victim record",
                )
                .await?;
                return Err(AppError::NotFound(format!("victim record {id}")));
            }
        };
        let person = match victim.first("person") {
            Some(p) => match self.store.entity(caller, p).await? {
                Lookup::Found(p) => Some(p),
                _ => None,
            },
            None => None,
        };
        let mut assessment = None;
        let mut referrals = Vec::new();
        let linked = self.linked_records(caller, &victim).await?;
        for e in linked {
            match e.schema.as_str() {
                "Referral" if e.first("victim") == Some(victim.id.as_str()) => referrals.push(e),
                "IndicatorAssessment" => {
                    let newer = assessment
                        .as_ref()
                        .is_none_or(|(a, _): &(Entity, Assessment)| e.first("date") >= a.first("date"));
                    if newer {
                        let answers = Answers::observed(
                            victim.first("ageCategory").and_then(AgeGroup::parse).unwrap_or(AgeGroup::Unknown),
                            e.values("indicator").iter().map(String::as_str),
                        );
                        if let Ok(a) = self.assess_indicators(&answers) {
                            assessment = Some((e, a));
                        }
                    }
                }
                _ => {}
            }
        }
        referrals.sort_by(|a, b| b.first("date").cmp(&a.first("date")));
        let mut ids = vec![victim.id.clone()];
        ids.extend(person.iter().map(|p| p.id.clone()));
        ids.extend(assessment.iter().map(|(a, _)| a.id.clone()));
        ids.extend(referrals.iter().map(|r| r.id.clone()));
        self.audit_access(access, AuditAction::Consult, ids, AuditOutcome::Ok, "victim record").await?;
        Ok(VictimFile { victim, person, assessment, referrals })
    }

    /// The assessments of the victim's person and the referrals of the
    /// victim, as the caller may see them.
    async fn linked_records(&self, caller: &Caller, victim: &Entity) -> Result<Vec<Entity>, AppError> {
        let mut out = Vec::new();
        let mut ids = Vec::new();
        for l in self.store.links(caller, &victim.id).await? {
            ids.push(l.via_id.clone());
            ids.push(l.other_id.clone());
        }
        if let Some(p) = victim.first("person") {
            for l in self.store.links(caller, p).await? {
                ids.push(l.via_id.clone());
                ids.push(l.other_id.clone());
            }
        }
        ids.sort();
        ids.dedup();
        for id in ids {
            if let Lookup::Found(e) = self.store.entity(caller, &id).await?
                && matches!(e.schema.as_str(), "Referral" | "IndicatorAssessment")
            {
                out.push(e);
            }
        }
        Ok(out)
    }

    /// The victim records the caller may see, newest first (at most 500).
    /// One consultation entry with the ids shown.
    pub async fn victims(&self, access: &Access) -> Result<Vec<Entity>, AppError> {
        self.list_of(access, "Victim", "victim records").await
    }

    /// The referrals the caller may see, newest first (at most 500).
    pub async fn referrals(&self, access: &Access) -> Result<Vec<Entity>, AppError> {
        self.list_of(access, "Referral", "referrals").await
    }

    async fn list_of(&self, access: &Access, schema: &str, detail: &str) -> Result<Vec<Entity>, AppError> {
        self.purpose_of(access, AuditAction::Consult, &[], detail).await?;
        let query = SearchQuery { schemata: vec![schema.to_owned()], limit: 500, ..SearchQuery::default() };
        let mut found = self.store.search(&access.caller, &query).await?.results;
        found.sort_by(|a, b| {
            b.first("date").or(b.first("identificationDate")).cmp(&a.first("date").or(a.first("identificationDate")))
        });
        let ids = found.iter().map(|e| e.id.clone()).collect();
        self.audit_access(access, AuditAction::Consult, ids, AuditOutcome::Ok, detail).await?;
        Ok(found)
    }

    /// Refers a victim to a service. The consent is recorded on the referral
    /// (given or not, when, by which agency; the audit entry names the officer)
    /// and, when given, its scope on the victim record. Without consent the
    /// referral passes no personal data ([`Veza::referral_sheet`]).
    pub async fn refer_victim(&self, access: &Access, victim_id: &str, r: NewReferral) -> Result<String, AppError> {
        let caller = &access.caller;
        if !SERVICE_TYPES.contains(&r.service_type.as_str()) {
            return Err(invalid("service_type", "choose the kind of service"));
        }
        let to_service =
            trimmed(&r.to_service).ok_or_else(|| invalid("to_service", "name the service or organisation"))?;
        if let Some(s) = r.consent_scope.iter().find(|s| !CONSENT_SCOPES.contains(&s.as_str())) {
            return Err(invalid("consent_scope", format!("unknown consent scope {s}")));
        }
        if r.consent && !r.consent_scope.iter().any(|s| s == "referral_to_services") {
            return Err(invalid("consent_scope", "consent to a referral covers at least the referral to services"));
        }
        if !r.consent && !r.consent_scope.is_empty() {
            return Err(invalid(
                "consent_scope",
                "without consent there is no scope: untick the scopes or record the consent",
            ));
        }
        self.purpose_of(access, AuditAction::Collect, &[victim_id], "referral").await?;
        let victim = match self.store.entity(caller, victim_id).await? {
            Lookup::Found(v) if v.schema == "Victim" => v,
            _ => return Err(AppError::NotFound(format!("victim record {victim_id}"))),
        };
        let owner = self.owner_for(caller, None).await?;
        let today = Utc::now().date_naive().to_string();
        let id = format!("{VICTIMS_DATASET}.r{}", uuid::Uuid::new_v4().simple());
        let mut e = Entity::new(id.clone(), "Referral");
        e.provenance.owner = owner.clone();
        e.provenance.source = SourceRef { dataset: VICTIMS_DATASET.into(), record: None };
        e.provenance.exercise = caller.exercise().map(str::to_owned);
        e.handling = Handling { visibility: Visibility::Country, ..Handling::default() };
        let mut raw: Vec<(&str, &str)> = vec![
            ("victim", &victim.id),
            ("serviceType", &r.service_type),
            ("toService", to_service),
            ("status", "sent"),
            ("date", &today),
            ("fromAgency", &owner.agency),
            ("consentGiven", if r.consent { "yes" } else { "no" }),
            ("consentDate", &today),
        ];
        raw.extend(trimmed(&r.country).map(|v| ("country", v)));
        raw.extend(trimmed(&r.reason).map(|v| ("reason", v)));
        add_values(self, &mut e, &raw)?;
        let mut records = vec![e];
        // The consent's scope lives on the victim record, which only its owner changes.
        if r.consent && victim.provenance.owner.agency == owner.agency {
            let mut v = victim.clone();
            v.provenance.source = SourceRef { dataset: VICTIMS_DATASET.into(), record: None };
            for p in ["consentStatus", "consentScope", "consentDate", "referred"] {
                v.properties.remove(p);
            }
            let mut raw: Vec<(&str, &str)> =
                vec![("consentStatus", "given"), ("consentDate", &today), ("referred", "yes")];
            raw.extend(r.consent_scope.iter().map(|s| ("consentScope", s.as_str())));
            add_values(self, &mut v, &raw)?;
            records.push(v);
        }
        let detail = format!(
            "referral of {} to {} ({}); consent {}",
            victim.first("victimCode").unwrap_or(&victim.id),
            to_service,
            r.service_type,
            if r.consent {
                format!("given for {}", r.consent_scope.join(", "))
            } else {
                "not given: no personal data passed".into()
            }
        );
        let ids = records.iter().map(|e| e.id.clone()).collect();
        self.write_victim_records(access, AuditAction::Collect, ids, &detail, records).await?;
        Ok(id)
    }

    /// Moves a referral to another status (sent, accepted, in progress,
    /// completed, declined); accepted/declined set the response date,
    /// completed the completion date. Audited as an alteration.
    pub async fn set_referral_status(&self, access: &Access, id: &str, status: &str) -> Result<(), AppError> {
        if !REFERRAL_STATUSES.contains(&status) {
            return Err(invalid("status", "choose a status: sent, accepted, in progress, completed, declined"));
        }
        self.purpose_of(access, AuditAction::Alter, &[id], "referral status").await?;
        let mut r = match self.store.entity(&access.caller, id).await? {
            Lookup::Found(r) if r.schema == "Referral" => r,
            _ => return Err(AppError::NotFound(format!("referral {id}"))),
        };
        let before = r.first("status").unwrap_or("").to_owned();
        let today = Utc::now().date_naive().to_string();
        r.provenance.source = SourceRef { dataset: VICTIMS_DATASET.into(), record: None };
        r.properties.remove("status");
        let mut raw = vec![("status", status)];
        match status {
            "accepted" | "declined" => {
                r.properties.remove("responseDate");
                raw.push(("responseDate", &today));
            }
            "completed" => {
                r.properties.remove("completionDate");
                raw.push(("completionDate", &today));
            }
            _ => {}
        }
        add_values(self, &mut r, &raw)?;
        let detail = format!("referral status {before} -> {status}");
        self.write_victim_records(access, AuditAction::Alter, vec![id.to_owned()], &detail, vec![r]).await
    }

    /// What the referral passes to the service: the victim code and needs;
    /// the person's name, birth date and nationality only with consent.
    /// A disclosure entry when personal data goes with it.
    pub async fn referral_sheet(&self, access: &Access, id: &str) -> Result<ReferralSheet, AppError> {
        let caller = &access.caller;
        self.purpose_of(access, AuditAction::Consult, &[id], "referral sheet").await?;
        let r = match self.store.entity(caller, id).await? {
            Lookup::Found(r) if r.schema == "Referral" => r,
            _ => return Err(AppError::NotFound(format!("referral {id}"))),
        };
        let victim = match r.first("victim") {
            Some(v) => match self.store.entity(caller, v).await? {
                Lookup::Found(v) => Some(v),
                _ => None,
            },
            None => None,
        };
        let v = victim.as_ref();
        let needs = HandlingRequest {
            officer_gender: v
                .and_then(|v| v.first("interviewerGenderPreference"))
                .unwrap_or("no_preference")
                .to_owned(),
            interpreter: v.and_then(|v| v.first("interpreterNeeded")) == Some("yes"),
            language: v.and_then(|v| v.first("primaryLanguage")).unwrap_or("").to_owned(),
            support_worker: v.and_then(|v| v.first("supportWorkerRequested")) == Some("yes"),
        };
        let mut person = None;
        let mut ids = vec![r.id.clone()];
        if r.first("consentGiven") == Some("yes")
            && let Some(pid) = v.and_then(|v| v.first("person"))
            && let Lookup::Found(p) = self.store.entity(caller, pid).await?
        {
            let mut m = BTreeMap::new();
            for prop in ["name", "birthDate", "nationality", "gender"] {
                if let Some(x) = p.first(prop) {
                    m.insert(prop.to_owned(), x.to_owned());
                }
            }
            ids.push(p.id.clone());
            person = Some(m);
        }
        let action = if person.is_some() { AuditAction::Disclose } else { AuditAction::Consult };
        self.audit_access(access, action, ids, AuditOutcome::Ok, "referral sheet").await?;
        Ok(ReferralSheet {
            victim_code: v.and_then(|v| v.first("victimCode")).unwrap_or("").to_owned(),
            service_type: r.first("serviceType").unwrap_or("").to_owned(),
            needs,
            person,
        })
    }
}

/// Adds raw values (cleaned by their types), completes and validates the
/// entity; the first problem names its field.
fn add_values(veza: &Veza, e: &mut Entity, raw: &[(&str, &str)]) -> Result<(), AppError> {
    let model = veza.model;
    let mut problems = Vec::new();
    if let Err(errs) = e.add_all(model, raw.iter().copied()) {
        problems.extend(errs);
    }
    e.complete(model);
    if problems.is_empty() {
        if let Err(errs) = e.validate(model) {
            problems.extend(errs);
        }
        problems.extend(e.missing_required(model));
    }
    match problems.first() {
        None => Ok(()),
        Some(p) => {
            let field = match p {
                veza_model::ModelError::InvalidValue { property, .. } => property.clone(),
                _ => "entity".into(),
            };
            Err(AppError::Invalid { field: Some(field), message: p.to_string() })
        }
    }
}
