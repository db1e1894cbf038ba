//! Planning helpers shared by the plan forms and `veza operation plan`: shift
//! times as people type them, and which countries and agencies take part in
//! an operation (a checkpoint must belong to them).

use crate::operations::{CheckpointDraft, Operation};
use crate::{AppError, Veza};

/// A shift's start or end as typed: RFC 3339 (`2026-11-28T06:00:00+01:00`)
/// or a date and time without zone (`2026-11-28T06:00`, the value of an
/// HTML `datetime-local` input; seconds optional), read as UTC. Microseconds.
pub fn shift_time(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp_micros());
    }
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        .iter()
        .find_map(|f| chrono::NaiveDateTime::parse_from_str(s, f).ok())
        .map(|t| t.and_utc().timestamp_micros())
}

/// A shift time as a `datetime-local` input shows it (UTC, to the minute).
pub fn shift_input(micros: i64) -> String {
    chrono::DateTime::from_timestamp_micros(micros).map(|t| t.format("%Y-%m-%dT%H:%M").to_string()).unwrap_or_default()
}

fn invalid(field: &str, message: String) -> AppError {
    AppError::Invalid { field: Some(field.into()), message }
}

impl Veza {
    /// The countries taking part in an operation: those listed with their
    /// contact NCB and those of its participating agencies, sorted, once each.
    pub async fn participating_countries(&self, op: &Operation) -> Result<Vec<String>, AppError> {
        let mut countries: Vec<String> = op.countries.iter().map(|c| c.country.clone()).collect();
        for a in &op.agencies {
            if let Some(found) = self.store.agency(&a.agency).await? {
                countries.push(found.country.to_lowercase());
            }
        }
        countries.sort();
        countries.dedup();
        Ok(countries)
    }

    /// A checkpoint belongs to a participating agency, in a participating
    /// country; the error names the field at fault.
    pub(crate) async fn check_participation(&self, op: &Operation, draft: &CheckpointDraft) -> Result<(), AppError> {
        let agency = draft.agency.trim();
        if !op.agencies.iter().any(|a| a.agency == agency) {
            return Err(invalid("agency", format!("'{agency}' does not take part in this operation")));
        }
        let country = veza_model::types::clean_country(&draft.country).unwrap_or_default();
        if !self.participating_countries(op).await?.contains(&country) {
            return Err(invalid("country", format!("'{country}' does not take part in this operation")));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shift_times_are_read_as_typed_and_shown_back() {
        let local = shift_time("2026-11-28T06:00").expect("datetime-local");
        assert_eq!(shift_time("2026-11-28T06:00:00Z"), Some(local));
        assert_eq!(shift_time("2026-11-28T07:00:00+01:00"), Some(local));
        assert_eq!(shift_time("2026-11-28 06:00"), Some(local));
        assert_eq!(shift_input(local), "2026-11-28T06:00");
        assert_eq!(shift_time("28.11.2026 06:00"), None);
        assert_eq!(shift_time(""), None);
    }
}
