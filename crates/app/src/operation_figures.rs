//! The figures of an operation, computed in one place: the live picture
//! (`operation_results`, the dashboard and `GET …/results`) and the daily and
//! final reports are built from [`Veza::operation_figures`] and the groupings
//! of [`OperationFigures`], so they cannot disagree.
//!
//! Checks and hits are counted by the store in SQL (a dashboard poll reads
//! no check row). Victims, arrests, seizures and new investigations are the
//! entities whose `operation` reference names the operation, found through
//! the store's indexed reference look-up (never a scan of every entity of
//! those types). They are read as the platform, for counting only: what
//! leaves to a caller is a count, and the records behind a figure are
//! listed only as the caller may see them (`operation_records`, the report's
//! record ids).

use crate::{AppError, Veza};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use veza_model::Entity;
use veza_store::Caller;
use veza_store::operations::{CheckCounts, Operation, Window};

/// Most records of one kind counted for an operation.
pub const MAX_OPERATION_RECORDS: u32 = 100_000;

/// The reference that ties a record to an operation.
pub const OPERATION_PROPERTY: &str = "operation";

/// What is counted under a value nobody recorded.
pub const UNKNOWN: &str = "unknown";

/// One row of a figure: what is counted, how many, and the records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    /// The value counted (a gender, an agency…).
    pub key: String,
    /// How many records carry it.
    pub count: i64,
    /// Their ids.
    pub ids: Vec<String>,
}

/// An operation's figures, before any face presents them.
#[derive(Debug, Clone, Default)]
pub struct OperationFigures {
    /// Checks and hits, counted by the store.
    pub counts: CheckCounts,
    /// Victim records naming the operation.
    pub victims: Vec<Entity>,
    /// Arrests naming it.
    pub arrests: Vec<Entity>,
    /// Seizures naming it.
    pub seizures: Vec<Entity>,
    /// New investigations (Case records) naming it.
    pub cases: Vec<Entity>,
}

/// Counts records by the keys `keys` gives each (a record may count under
/// several keys, or none), keys in order.
fn tally<'a>(records: &'a [Entity], keys: impl Fn(&'a Entity) -> Vec<String>) -> Vec<Tally> {
    let mut m: BTreeMap<String, Tally> = BTreeMap::new();
    for e in records {
        for k in keys(e) {
            let t = m.entry(k.clone()).or_insert_with(|| Tally { key: k, count: 0, ids: Vec::new() });
            t.count += 1;
            t.ids.push(e.id.clone());
        }
    }
    m.into_values().collect()
}

fn first_or_unknown(e: &Entity, props: &[&str]) -> Vec<String> {
    vec![props.iter().find_map(|p| e.first(p)).unwrap_or(UNKNOWN).to_owned()]
}

/// The age group of a victim from `ageCategory`, else from the birth date.
pub fn age_group(e: &Entity) -> String {
    if let Some(g) = e.first("ageCategory") {
        return g.to_owned();
    }
    let year = e.first("birthDate").and_then(|d| d.get(..4)).and_then(|y| y.parse::<i32>().ok());
    match year {
        Some(y) => {
            use chrono::Datelike;
            if chrono::Utc::now().year() - y < 18 { "child".into() } else { "adult".into() }
        }
        None => UNKNOWN.into(),
    }
}

impl OperationFigures {
    /// Every hit.
    pub fn hits(&self) -> i64 {
        self.counts.hits_by_watchlist.iter().map(|w| w.1).sum()
    }

    /// Hits confirmed by their owner.
    pub fn hits_confirmed(&self) -> i64 {
        self.counts.hits_by_watchlist.iter().map(|w| w.2).sum()
    }

    /// Hits rejected by their owner.
    pub fn hits_rejected(&self) -> i64 {
        self.counts.hits_by_watchlist.iter().map(|w| w.3).sum()
    }

    /// Hits awaiting their owner.
    pub fn hits_pending(&self) -> i64 {
        self.hits() - self.hits_confirmed() - self.hits_rejected()
    }

    /// Victims by gender.
    pub fn victims_by_gender(&self) -> Vec<Tally> {
        tally(&self.victims, |e| first_or_unknown(e, &["gender"]))
    }

    /// Victims by age group.
    pub fn victims_by_age_group(&self) -> Vec<Tally> {
        tally(&self.victims, |e| vec![age_group(e)])
    }

    /// Victims by nationality (else citizenship).
    pub fn victims_by_nationality(&self) -> Vec<Tally> {
        tally(&self.victims, |e| first_or_unknown(e, &["nationality", "citizenship"]))
    }

    /// Victims by type of exploitation (a victim may count under several).
    pub fn victims_by_exploitation(&self) -> Vec<Tally> {
        tally(&self.victims, |e| {
            let v = e.values("exploitationType");
            if v.is_empty() { vec![UNKNOWN.to_owned()] } else { v.to_vec() }
        })
    }

    /// Arrests by arresting agency (else the record's owner).
    pub fn arrests_by_agency(&self) -> Vec<Tally> {
        tally(&self.arrests, |e| vec![e.first("arrestingAgency").unwrap_or(&e.provenance.owner.agency).to_owned()])
    }

    /// Seizures by kind of item.
    pub fn seizures_by_item(&self) -> Vec<Tally> {
        tally(&self.seizures, |e| first_or_unknown(e, &["itemType"]))
    }

    /// New investigations by status.
    pub fn cases_by_status(&self) -> Vec<Tally> {
        tally(&self.cases, |e| first_or_unknown(e, &["status"]))
    }

    /// The ids of every record behind the entity figures.
    pub fn record_ids(&self) -> Vec<String> {
        [&self.victims, &self.arrests, &self.seizures, &self.cases]
            .iter()
            .flat_map(|v| v.iter().map(|e| e.id.clone()))
            .collect()
    }
}

/// The microseconds of one day: `[start, end)`.
pub fn day_window(day: NaiveDate) -> (i64, i64) {
    let start = day.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp_micros()).unwrap_or(0);
    (start, start + 86_400_000_000)
}

impl Veza {
    /// The figures of `op`, of the whole operation or of one `day` (checks
    /// and hits of that day; records dated that day). Read as the platform:
    /// the callers of this function show counts, and list records only
    /// through the policy.
    pub async fn operation_figures(
        &self,
        op: &Operation,
        day: Option<NaiveDate>,
    ) -> Result<OperationFigures, AppError> {
        let window: Window = day.map(day_window);
        let counts = self.store.check_counts(&op.id, window).await?;
        let platform = Caller::system("operation figures");
        let linked = self
            .store
            .entities_referencing(
                &platform,
                OPERATION_PROPERTY,
                &op.id,
                &["Victim", "Arrest", "Seizure", "Case"],
                MAX_OPERATION_RECORDS,
            )
            .await?;
        let day = day.map(|d| d.to_string());
        let on_day = |e: &Entity, prop: &str| day.as_deref().is_none_or(|d| e.first(prop) == Some(d));
        let mut figures = OperationFigures { counts, ..OperationFigures::default() };
        for e in linked {
            let (list, dated_by) = match e.schema.as_str() {
                "Victim" => (&mut figures.victims, "identificationDate"),
                "Arrest" => (&mut figures.arrests, "date"),
                "Seizure" => (&mut figures.seizures, "date"),
                "Case" => (&mut figures.cases, "openedDate"),
                _ => continue,
            };
            if on_day(&e, dated_by) {
                list.push(e);
            }
        }
        Ok(figures)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn victim(id: &str, values: &[(&str, &str)]) -> Entity {
        let model = veza_model::Model::builtin();
        let mut e = Entity::new(id, "Victim");
        e.add_all(model, values.iter().copied()).unwrap();
        e
    }

    #[test]
    fn victims_are_grouped_with_the_records_behind_each_row() {
        let figures = OperationFigures {
            victims: vec![
                victim("v1", &[("gender", "female"), ("exploitationType", "forced_labour")]),
                victim("v2", &[("gender", "female")]),
                victim("v3", &[("gender", "male"), ("ageCategory", "minor")]),
            ],
            ..OperationFigures::default()
        };
        let by_gender = figures.victims_by_gender();
        assert_eq!(by_gender[0], Tally { key: "female".into(), count: 2, ids: vec!["v1".into(), "v2".into()] });
        assert_eq!(by_gender[1].key, "male");
        let by_exploitation = figures.victims_by_exploitation();
        assert_eq!(
            by_exploitation.iter().map(|t| (t.key.as_str(), t.count)).collect::<Vec<_>>(),
            [("forced_labour", 1), (UNKNOWN, 2)]
        );
        assert!(figures.victims_by_age_group().iter().any(|t| t.key == "minor" && t.ids == ["v3"]));
    }

    #[test]
    fn hits_pending_are_those_neither_confirmed_nor_rejected() {
        let figures = OperationFigures {
            counts: CheckCounts {
                hits_by_watchlist: vec![("a".into(), 5, 2, 1), ("b".into(), 1, 0, 0)],
                ..CheckCounts::default()
            },
            ..OperationFigures::default()
        };
        assert_eq!((figures.hits(), figures.hits_confirmed(), figures.hits_rejected()), (6, 2, 1));
        assert_eq!(figures.hits_pending(), 3);
    }

    #[test]
    fn a_day_is_its_24_hours() {
        let (from, to) = day_window(NaiveDate::from_ymd_opt(2026, 11, 29).unwrap());
        assert_eq!(to - from, 86_400_000_000);
        assert_eq!(chrono::DateTime::from_timestamp_micros(from).unwrap().to_rfc3339(), "2026-11-29T00:00:00+00:00");
    }
}
