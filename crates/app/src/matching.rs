//! Entity resolution in the platform: cross-referencing a dataset or a case
//! against everything the caller may see, and the review queue where an
//! analyst confirms (merges), rejects, marks unsure or later splits each
//! proposed pair.
//!
//! The policy holds throughout: the records compared are those the caller
//! may see (read through the store as the caller), and the queue shows a
//! pair only to callers who may see both records, so a proposal never
//! reveals a record. Decisions are "combinations" under the audit rules,
//! audited before they take effect; they are kept with their history, so a
//! merge can be undone (split) and traced; and they are the labels the next
//! cross-reference learns from.

use crate::{Access, AppError, Veza};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use veza_model::{Entity, Role};
use veza_resolve::{Field, FieldKind, Label, Record, Resolver, Schema, Settings, Silent};
use veza_store::audit::{AuditAction, AuditOutcome};
use veza_store::{Caller, Lookup, MatchCandidate, MatchDecision, MatchStatus, NewMatch};

/// What a cross-reference compares: one dataset, or the persons of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XrefScope {
    /// Records of this dataset.
    Dataset(String),
    /// Persons linked to this case (within two links).
    Case(String),
}

impl XrefScope {
    fn describe(&self) -> String {
        match self {
            XrefScope::Dataset(d) => format!("dataset:{d}"),
            XrefScope::Case(c) => format!("case:{c}"),
        }
    }
}

/// What a cross-reference did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct XrefSummary {
    /// Person records of the scope.
    pub records_in_scope: usize,
    /// Person records they were compared against (all the caller may see).
    pub records_compared: usize,
    /// Analyst decisions used as labels.
    pub labels: usize,
    /// Pairs at or above the threshold that involve the scope.
    pub pairs: usize,
    /// Of those, pairs new to the queue.
    pub proposed: u64,
}

/// A pair in the queue with the captions of its records.
#[derive(Debug, Clone, Serialize)]
pub struct MatchView {
    /// The pair.
    #[serde(flatten)]
    pub candidate: MatchCandidate,
    /// Caption of the left record.
    pub left_caption: String,
    /// Caption of the right record.
    pub right_caption: String,
}

/// A pair side by side: both records as the caller may see them, the
/// explanation, and the decisions so far.
#[derive(Debug, Clone, Serialize)]
pub struct MatchDetail {
    /// The pair.
    pub candidate: MatchCandidate,
    /// The left record (FtM JSON in answers).
    #[serde(serialize_with = "as_ftm")]
    pub left: Entity,
    /// The right record (FtM JSON in answers).
    #[serde(serialize_with = "as_ftm")]
    pub right: Entity,
    /// Decisions, oldest first.
    pub history: Vec<MatchDecision>,
}

fn as_ftm<S: serde::Serializer>(e: &Entity, s: S) -> Result<S::Ok, S::Error> {
    e.to_ftm().serialize(s)
}

/// Most records a cross-reference compares.
pub const MAX_XREF_RECORDS: usize = 2_000_000;
/// Shortest and longest reason for a decision, in characters.
const REASON: std::ops::RangeInclusive<usize> = 3..=500;
/// Entities read per round trip.
const PAGE: u32 = 5_000;

/// The resolver's fields for person records.
fn person_schema() -> Schema {
    Schema::new(vec![
        Field::new("name", FieldKind::FullName),
        Field::new("birth_date", FieldKind::Date),
        Field::new("gender", FieldKind::Categorical),
        Field::new("nationality", FieldKind::Categorical),
        Field::new("document", FieldKind::Identifier),
        Field::new("phone", FieldKind::Phone),
    ])
}

/// A person entity as a resolver record (first values of each field).
fn person_record(e: &Entity) -> Record {
    let first = |props: &[&str]| props.iter().find_map(|p| e.first(p)).map(str::to_owned);
    let name = e.first("name").map(str::to_owned).or_else(|| {
        let parts: Vec<&str> = ["firstName", "lastName"].iter().filter_map(|p| e.first(p)).collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    });
    Record::new(
        e.id.clone(),
        vec![
            name,
            first(&["birthDate"]),
            first(&["gender"]),
            first(&["nationality", "citizenship"]),
            first(&["passportNumber", "idNumber"]),
            first(&["phone"]),
        ],
    )
}

fn reviewer(caller: &Caller) -> Result<(), AppError> {
    match caller {
        Caller::System { .. } => Ok(()),
        Caller::User { roles, .. } => {
            if roles.iter().any(|r| matches!(r, Role::Analyst | Role::Investigator | Role::NcbOfficer)) {
                Ok(())
            } else {
                Err(AppError::Forbidden(
                    "only analysts, investigators and NCB officers decide whether records are one person".into(),
                ))
            }
        }
    }
}

impl Veza {
    /// Cross-references the scope against every person record the caller
    /// may see, with the analysts' earlier decisions as labels, and puts
    /// the pairs at or above `threshold` that involve the scope in the
    /// review queue. One consultation entry in the audit log.
    pub async fn cross_reference(
        &self,
        access: &Access,
        scope: &XrefScope,
        threshold: f64,
    ) -> Result<XrefSummary, AppError> {
        if !(0.5..=1.0).contains(&threshold) {
            return Err(AppError::Invalid {
                field: Some("threshold".into()),
                message: format!("threshold is between 0.5 and 1, not {threshold}"),
            });
        }
        reviewer(&access.caller)?;
        let detail = format!("cross-reference of {}", scope.describe());
        self.purpose_of(access, AuditAction::Consult, &[], &detail).await?;
        let caller = &access.caller;
        let in_scope: HashSet<String> = match scope {
            XrefScope::Dataset(d) => {
                if !self.store.sources().await?.iter().any(|s| &s.dataset == d) {
                    return Err(AppError::NotFound(format!("dataset {d}")));
                }
                HashSet::new()
            }
            XrefScope::Case(c) => {
                match self.store.entity(caller, c).await? {
                    Lookup::Found(e) if self.model.schema(&e.schema).is_ok_and(|s| s.is_a("Case")) => {}
                    _ => return Err(AppError::NotFound(format!("case {c}"))),
                }
                let slice = self.store.network(caller, std::slice::from_ref(c), 2, 100_000).await?;
                slice.nodes.into_iter().map(|n| n.id).collect()
            }
        };
        let mut records = Vec::new();
        let mut scoped = HashSet::new();
        let mut cursor = 0;
        loop {
            let (page, next) = self.store.scan(caller, cursor, PAGE).await?;
            if page.is_empty() {
                break;
            }
            for e in &page {
                if !self.model.schema(&e.schema).is_ok_and(|s| s.is_a("Person")) {
                    continue;
                }
                let inside = match scope {
                    XrefScope::Dataset(d) => &e.provenance.source.dataset == d,
                    XrefScope::Case(_) => in_scope.contains(&e.id),
                };
                if inside {
                    scoped.insert(e.id.clone());
                }
                records.push(person_record(e));
            }
            if records.len() > MAX_XREF_RECORDS {
                return Err(AppError::Invalid {
                    field: None,
                    message: format!(
                        "more than {MAX_XREF_RECORDS} person records: cross-reference with `veza resolve`"
                    ),
                });
            }
            cursor = next;
        }
        let mut summary =
            XrefSummary { records_in_scope: scoped.len(), records_compared: records.len(), ..XrefSummary::default() };
        if scoped.is_empty() || records.len() < 2 {
            self.audit_access(access, AuditAction::Consult, Vec::new(), AuditOutcome::Ok, &detail).await?;
            return Ok(summary);
        }
        let present: HashSet<&str> = records.iter().map(|r| r.id.as_str()).collect();
        let labels: Vec<Label> = self
            .store
            .match_labels(caller)
            .await?
            .into_iter()
            .filter(|(l, r, _)| present.contains(l.as_str()) && present.contains(r.as_str()))
            .map(|(id_l, id_r, is_match)| Label { id_l, id_r, is_match })
            .collect();
        summary.labels = labels.len();
        let settings = Settings { threshold, ..Settings::default() };
        let source = scope.describe();
        let proposals = tokio::task::spawn_blocking(move || -> Result<Vec<NewMatch>, String> {
            let mut resolver =
                Resolver::resolve(person_schema(), records, settings, &Silent).map_err(|e| e.to_string())?;
            if !labels.is_empty() {
                resolver.label(&labels).map_err(|e| e.to_string())?;
            }
            let mut out = Vec::new();
            for (l, r, p) in resolver.pairs() {
                if p < threshold || !(scoped.contains(l) || scoped.contains(r)) {
                    continue;
                }
                let explanation = resolver
                    .explain_pair(l, r)
                    .and_then(|x| serde_json::to_value(x).ok())
                    .unwrap_or(serde_json::Value::Null);
                out.push(NewMatch {
                    left_id: l.to_owned(),
                    right_id: r.to_owned(),
                    score: p,
                    explanation,
                    source: source.clone(),
                });
            }
            Ok(out)
        })
        .await
        .map_err(|e| AppError::Internal(format!("resolution task: {e}")))?
        .map_err(|e| AppError::Invalid { field: None, message: format!("the records cannot be resolved: {e}") })?;
        summary.pairs = proposals.len();
        let now = self.now().timestamp_micros();
        summary.proposed = self.store.propose_matches(caller, &proposals, now).await?;
        let detail = format!(
            "{detail}: {} records in scope against {}, {} labels, {} pairs, {} new in the queue",
            summary.records_in_scope, summary.records_compared, summary.labels, summary.pairs, summary.proposed
        );
        self.audit_access(access, AuditAction::Consult, Vec::new(), AuditOutcome::Ok, &detail).await?;
        Ok(summary)
    }

    /// The review queue: pairs in `status` (all when `None`) the caller may
    /// see both records of, best first. A consultation of the records shown.
    pub async fn match_queue(
        &self,
        access: &Access,
        status: Option<MatchStatus>,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<MatchView>, AppError> {
        if !(1..=500).contains(&limit) {
            return Err(AppError::Invalid {
                field: Some("limit".into()),
                message: "limit must be between 1 and 500".into(),
            });
        }
        let detail = format!("match queue ({})", status.map(MatchStatus::code).unwrap_or("all"));
        self.purpose_of(access, AuditAction::Consult, &[], &detail).await?;
        let pairs = self.store.matches(&access.caller, status, limit, offset).await?;
        let mut captions: HashMap<String, String> = HashMap::new();
        let mut out = Vec::with_capacity(pairs.len());
        for m in pairs {
            for id in [&m.left_id, &m.right_id] {
                if !captions.contains_key(id) {
                    let caption = match self.store.entity(&access.caller, id).await? {
                        Lookup::Found(e) => e.caption(self.model),
                        _ => id.clone(),
                    };
                    captions.insert(id.clone(), caption);
                }
            }
            let left_caption = captions.get(&m.left_id).cloned().unwrap_or_default();
            let right_caption = captions.get(&m.right_id).cloned().unwrap_or_default();
            out.push(MatchView { candidate: m, left_caption, right_caption });
        }
        let ids: Vec<String> = captions.into_keys().collect();
        self.audit_access(access, AuditAction::Consult, ids, AuditOutcome::Ok, &detail).await?;
        Ok(out)
    }

    /// One pair side by side. A consultation of both records.
    pub async fn match_detail(&self, access: &Access, id: i64) -> Result<MatchDetail, AppError> {
        let detail = format!("match {id}");
        self.purpose_of(access, AuditAction::Consult, &[], &detail).await?;
        let caller = &access.caller;
        let Some(candidate) = self.store.match_candidate(caller, id).await? else {
            self.audit_access(access, AuditAction::Consult, Vec::new(), AuditOutcome::Denied, &detail).await?;
            return Err(AppError::NotFound(format!("match {id}")));
        };
        let (Lookup::Found(left), Lookup::Found(right)) = (
            self.store.entity(caller, &candidate.left_id).await?,
            self.store.entity(caller, &candidate.right_id).await?,
        ) else {
            return Err(AppError::NotFound(format!("match {id}")));
        };
        let history = self.store.match_history(caller, id).await?;
        let ids = vec![left.id.clone(), right.id.clone()];
        self.audit_access(access, AuditAction::Consult, ids, AuditOutcome::Ok, &detail).await?;
        Ok(MatchDetail { candidate, left, right, history })
    }

    /// An analyst's decision on a pair: `confirmed` merges the two records,
    /// `rejected` keeps them apart, `unsure` leaves the pair open, `split`
    /// undoes a confirmed merge. Audited (a combination) before it takes
    /// effect; a refusal gets its own entry.
    pub async fn decide_match(
        &self,
        access: &Access,
        id: i64,
        to: MatchStatus,
        reason: &str,
    ) -> Result<MatchCandidate, AppError> {
        let reason = reason.trim();
        if !REASON.contains(&reason.chars().count()) || reason.chars().any(char::is_control) {
            return Err(AppError::Invalid {
                field: Some("reason".into()),
                message: format!(
                    "give the reason for the decision in {}–{} characters, on one line",
                    REASON.start(),
                    REASON.end()
                ),
            });
        }
        if to == MatchStatus::Proposed {
            return Err(AppError::Invalid {
                field: Some("decision".into()),
                message: "a decision is confirmed, rejected, unsure or split".into(),
            });
        }
        reviewer(&access.caller)?;
        let caller = &access.caller;
        let Some(candidate) = self.store.match_candidate(caller, id).await? else {
            self.purpose_of(access, AuditAction::Combine, &[], &format!("match {id}")).await?;
            self.audit_access(access, AuditAction::Combine, Vec::new(), AuditOutcome::Denied, &format!("match {id}"))
                .await?;
            return Err(AppError::NotFound(format!("match {id}")));
        };
        let ids = vec![candidate.left_id.clone(), candidate.right_id.clone()];
        let detail = format!(
            "match {id}: {} = {} {} ({reason})",
            candidate.left_id,
            candidate.right_id,
            match to {
                MatchStatus::Confirmed => "confirmed (merged)",
                MatchStatus::Rejected => "rejected",
                MatchStatus::Unsure => "marked unsure",
                MatchStatus::Split => "split (merge undone)",
                MatchStatus::Proposed => "proposed",
            }
        );
        self.purpose_of(access, AuditAction::Combine, &[], &detail).await?;
        let now = self.now().timestamp_micros();
        let store = self.store.clone();
        let caller_owned = caller.clone();
        let reason_owned = reason.to_owned();
        let change = async move { store.decide_match(&caller_owned, id, to, &reason_owned, now).await };
        self.audited_change(access, AuditAction::Combine, ids, &detail, change).await
    }

    /// Records confirmed as the same person as `id`, as the caller may see
    /// them (for the record's page).
    pub async fn same_as(&self, access: &Access, id: &str) -> Result<Vec<MatchCandidate>, AppError> {
        Ok(self.store.same_as(&access.caller, id).await?)
    }

    /// The possible duplicates of record `id` waiting for a decision, for
    /// its page: pairs whose two records the caller may see.
    pub async fn possible_duplicates(&self, access: &Access, id: &str) -> Result<Vec<MatchCandidate>, AppError> {
        Ok(self.store.open_matches_of(&access.caller, id).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persons_become_records_with_a_name_from_its_parts() {
        let model = veza_model::Model::builtin();
        let mut e = Entity::new("p1", "Person");
        for (p, v) in [("firstName", "Arben"), ("lastName", "Krasniqi"), ("birthDate", "1985"), ("nationality", "xk")] {
            e.add(model, p, v).unwrap();
        }
        let r = person_record(&e);
        assert_eq!(r.values[0].as_deref(), Some("Arben Krasniqi"));
        assert_eq!(r.values[1].as_deref(), Some("1985"));
        assert_eq!(r.values[3].as_deref(), Some("xk"));
        assert_eq!(r.values.len(), person_schema().fields.len());
    }

    #[test]
    fn only_reviewers_decide() {
        assert!(reviewer(&Caller::user("a", "rs", "rs", &[Role::Analyst])).is_ok());
        assert!(reviewer(&Caller::user("b", "rs", "rs", &[Role::BorderOfficer])).is_err());
        assert!(reviewer(&Caller::system("cli")).is_ok());
    }
}
