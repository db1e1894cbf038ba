//! The field node's index: the opened contents in the screening engine, and
//! the answer to a check in the words of the operation's check API (the
//! watchlist, the matched record, the score, the instruction).

use crate::Contents;
use crate::SnapshotError;
use serde::{Deserialize, Serialize};
use veza_screen::{
    BirthDate, DocumentIndex, DocumentMatchKind, Gender, Person, Scratch, ScreenOptions, VehicleIndex,
    VehicleMatchKind, Watchlist,
};

/// Score of a document (or plate) that matches a report exactly.
const EXACT_DOCUMENT_SCORE: f64 = 1.0;
/// Score of a document (or plate) that matches once OCR confusions are folded: to be
/// checked by eye, so below an exact match.
const OCR_DOCUMENT_SCORE: f64 = 0.8;
/// Most hits per check.
const MAX_HITS: usize = 10;

/// A check as a checkpoint terminal sends it (every part optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldCheck {
    /// The person's name, any script.
    pub name: Option<String>,
    /// Birth date, `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    /// Nationality, ISO 3166-1 alpha-2.
    pub nationality: Option<String>,
    /// `M` or `F`.
    pub gender: Option<String>,
    /// Document number.
    pub document_number: Option<String>,
    /// Document's issuing country.
    pub document_country: Option<String>,
    /// Vehicle registration.
    pub vehicle_registration: Option<String>,
    /// Vehicle's registering country.
    pub vehicle_country: Option<String>,
}

/// One hit of a check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldHit {
    /// The watchlist (dataset) of the matched record.
    pub watchlist: String,
    /// The matched record's id.
    pub match_id: String,
    /// Score in [0, 1].
    pub score: f64,
    /// What the officer does.
    pub instruction: String,
}

/// The opened snapshot, indexed for checks.
pub struct FieldIndex {
    contents: Contents,
    persons: Watchlist,
    documents: DocumentIndex,
    vehicles: VehicleIndex,
}

fn filled(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl FieldIndex {
    /// Indexes the contents (persons with the screening engine, on every
    /// core; documents and vehicles by normalised number).
    pub fn build(contents: Contents) -> FieldIndex {
        let people: Vec<Person> = contents.persons.iter().map(|p| p.person.clone()).collect();
        let persons = Watchlist::build_parallel(&people);
        drop(people);
        let mut documents = DocumentIndex::new();
        for (i, d) in contents.documents.iter().enumerate() {
            documents.insert(&d.number, d.country.as_deref(), i as u32);
        }
        let mut vehicles = VehicleIndex::new();
        for (i, v) in contents.vehicles.iter().enumerate() {
            vehicles.insert(&v.registration, v.country.as_deref(), i as u32);
        }
        FieldIndex { contents, persons, documents, vehicles }
    }

    /// Entries held.
    pub fn entries(&self) -> u64 {
        self.contents.entries()
    }

    /// The engine's query for a check; errors name the field.
    pub fn query(check: &FieldCheck) -> Result<Option<Person>, SnapshotError> {
        let Some(name) = filled(&check.name) else { return Ok(None) };
        let mut p = Person::named("query", name);
        if let Some(d) = filled(&check.birth_date) {
            p.birth_dates
                .push(BirthDate::parse(d).map_err(|e| SnapshotError::Invalid(format!("person.birth_date: {e}")))?);
        }
        if let Some(g) = filled(&check.gender) {
            p.gender = Some(
                Gender::parse(g)
                    .ok_or_else(|| SnapshotError::Invalid(format!("person.gender: '{g}' is not M or F")))?,
            );
        }
        if let Some(n) = filled(&check.nationality) {
            p.nationalities.push(n.to_ascii_lowercase());
        }
        if let Some(d) = filled(&check.document_number) {
            match filled(&check.document_country) {
                Some(c) => p.documents.push(format!("{} {d}", c.to_ascii_uppercase())),
                None => p.documents.push(d.to_owned()),
            }
        }
        Ok(Some(p))
    }

    /// The hits of a check at or above `threshold`, best first.
    pub fn check(&self, check: &FieldCheck, threshold: f64) -> Result<Vec<FieldHit>, SnapshotError> {
        self.check_with(check, threshold, &mut Scratch::default())
    }

    /// [`FieldIndex::check`] with a work space kept between checks (one per
    /// thread: a fresh one costs a slot per entry).
    pub fn check_with(
        &self,
        check: &FieldCheck,
        threshold: f64,
        scratch: &mut Scratch,
    ) -> Result<Vec<FieldHit>, SnapshotError> {
        let mut hits = Vec::new();
        if let Some(query) = Self::query(check)? {
            let options = ScreenOptions { threshold, limit: MAX_HITS, ..ScreenOptions::default() };
            for hit in self.persons.screen_with(&query, &options, scratch) {
                let Some(listed) = self.contents.persons.get(hit.entry) else { continue };
                hits.push(self.hit(listed.watchlist, &listed.person.id, hit.score, listed.instruction));
            }
        }
        if let Some(number) = filled(&check.document_number) {
            let country = filled(&check.document_country).map(str::to_ascii_lowercase);
            for m in self.documents.find(number, country.as_deref()) {
                let Some(d) = self.contents.documents.get(m.record as usize) else { continue };
                let score = if m.kind == DocumentMatchKind::Exact { EXACT_DOCUMENT_SCORE } else { OCR_DOCUMENT_SCORE };
                if score >= threshold {
                    hits.push(self.hit(d.watchlist, &d.id, score, d.instruction));
                }
            }
        }
        if let Some(registration) = filled(&check.vehicle_registration) {
            let country = filled(&check.vehicle_country);
            for m in self.vehicles.find(registration, country) {
                let Some(v) = self.contents.vehicles.get(m.record as usize) else { continue };
                let score = if m.kind == VehicleMatchKind::Exact { EXACT_DOCUMENT_SCORE } else { OCR_DOCUMENT_SCORE };
                if score >= threshold {
                    hits.push(self.hit(v.watchlist, &v.id, score, v.instruction));
                }
            }
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.match_id.cmp(&b.match_id)));
        hits.dedup_by(|a, b| a.match_id == b.match_id);
        hits.truncate(MAX_HITS);
        Ok(hits)
    }

    fn hit(&self, watchlist: u16, id: &str, score: f64, instruction: u32) -> FieldHit {
        FieldHit {
            watchlist: self.contents.watchlists.get(watchlist as usize).cloned().unwrap_or_default(),
            match_id: id.to_owned(),
            score: (score * 1000.0).round() / 1000.0,
            instruction: self.contents.instructions.get(instruction as usize).cloned().unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ListedDocument, ListedPerson, ListedVehicle};

    fn contents() -> Contents {
        let mut c = Contents::default();
        let (w, i) = (c.watchlist_number("notices"), c.instruction_number("do not arrest; contact NCB Skopje"));
        let mut p = Person::named("n1", "Ђорђе Петровић");
        p.birth_dates.push(BirthDate::parse("1980-05-07").unwrap());
        c.persons.push(ListedPerson { person: p, watchlist: w, instruction: i });
        let (w2, i2) = (c.watchlist_number("sltd"), c.instruction_number("seize the document"));
        c.documents.push(ListedDocument {
            id: "d1".into(),
            number: "BA4471190".into(),
            country: Some("al".into()),
            watchlist: w2,
            instruction: i2,
        });
        c.vehicles.push(ListedVehicle {
            id: "v1".into(),
            registration: "SK-123-AB".into(),
            country: Some("mk".into()),
            watchlist: w2,
            instruction: i2,
        });
        c
    }

    #[test]
    fn persons_documents_and_vehicles_hit_with_their_instruction() {
        let ix = FieldIndex::build(contents());
        let check =
            FieldCheck { name: Some("DJORDJE PETROVIC".into()), birth_date: Some("1980".into()), ..Default::default() };
        let hits = ix.check(&check, 0.7).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!((hits[0].watchlist.as_str(), hits[0].match_id.as_str()), ("notices", "n1"));
        assert_eq!(hits[0].instruction, "do not arrest; contact NCB Skopje");
        let doc = FieldCheck {
            document_number: Some("ba 447 1190".into()),
            document_country: Some("AL".into()),
            ..Default::default()
        };
        let hits = ix.check(&doc, 0.7).unwrap();
        assert_eq!(
            (hits[0].match_id.as_str(), hits[0].score, hits[0].instruction.as_str()),
            ("d1", 1.0, "seize the document")
        );
        let car = FieldCheck {
            vehicle_registration: Some("sk123ab".into()),
            vehicle_country: Some("MK".into()),
            ..Default::default()
        };
        assert_eq!(ix.check(&car, 0.7).unwrap()[0].match_id, "v1");
        let other = FieldCheck {
            vehicle_registration: Some("sk123ab".into()),
            vehicle_country: Some("RS".into()),
            ..Default::default()
        };
        assert!(ix.check(&other, 0.7).unwrap().is_empty());
        let misread = FieldCheck { vehicle_registration: Some("5K-123-A8".into()), ..Default::default() };
        let hits = ix.check(&misread, 0.7).unwrap();
        assert_eq!(
            (hits[0].match_id.as_str(), hits[0].score),
            ("v1", 0.8),
            "a misread plate scores below an exact one"
        );
        let nobody = FieldCheck { name: Some("Ana Kovač".into()), ..Default::default() };
        assert!(ix.check(&nobody, 0.7).unwrap().is_empty());
    }

    #[test]
    fn a_bad_date_names_its_field() {
        let ix = FieldIndex::build(contents());
        let check = FieldCheck { name: Some("Ana".into()), birth_date: Some("1980-13".into()), ..Default::default() };
        assert!(matches!(ix.check(&check, 0.7), Err(SnapshotError::Invalid(m)) if m.starts_with("person.birth_date")));
    }
}
