//! What a snapshot carries: the watchlist entries a checkpoint may hold, the
//! lost/stolen documents and wanted vehicles, and the instruction attached to
//! each, with the names of the watchlists they come from.
//!
//! Encoded with postcard (varints, no field names), so a million persons take
//! about 60 bytes each before compression. Watchlist names and instructions
//! are stored once and referred to by number.

use crate::SnapshotError;
use serde::{Deserialize, Serialize};
use veza_screen::Person;

/// A watchlist person: the screening engine's person, the list it comes
/// from and the instruction an officer follows on a hit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedPerson {
    /// Names, dates, gender, nationalities, documents; `id` is the record's id.
    pub person: Person,
    /// Index into [`Contents::watchlists`].
    pub watchlist: u16,
    /// Index into [`Contents::instructions`].
    pub instruction: u32,
}

/// A document reported lost or stolen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedDocument {
    /// The report's record id.
    pub id: String,
    /// The number as reported.
    pub number: String,
    /// The issuing country (ISO 3166-1 alpha-2), when known.
    pub country: Option<String>,
    /// Index into [`Contents::watchlists`].
    pub watchlist: u16,
    /// Index into [`Contents::instructions`].
    pub instruction: u32,
}

/// A vehicle looked for (stolen, or used by a network under watch).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedVehicle {
    /// The record id.
    pub id: String,
    /// The registration as written.
    pub registration: String,
    /// The registering country, when known.
    pub country: Option<String>,
    /// Index into [`Contents::watchlists`].
    pub watchlist: u16,
    /// Index into [`Contents::instructions`].
    pub instruction: u32,
}

/// The decrypted contents of a snapshot.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contents {
    /// Names of the watchlists (datasets) the entries come from.
    pub watchlists: Vec<String>,
    /// The instructions, each once.
    pub instructions: Vec<String>,
    /// Persons to check names against.
    pub persons: Vec<ListedPerson>,
    /// Documents to check numbers against.
    pub documents: Vec<ListedDocument>,
    /// Vehicles to check registrations against.
    pub vehicles: Vec<ListedVehicle>,
}

impl Contents {
    /// Number of entries of every kind.
    pub fn entries(&self) -> u64 {
        (self.persons.len() + self.documents.len() + self.vehicles.len()) as u64
    }

    /// The number of a watchlist name, added when new.
    pub fn watchlist_number(&mut self, name: &str) -> u16 {
        match self.watchlists.iter().position(|w| w == name) {
            Some(i) => i as u16,
            None => {
                self.watchlists.push(name.to_owned());
                (self.watchlists.len() - 1) as u16
            }
        }
    }

    /// The number of an instruction, added when new (a linear search: a
    /// snapshot holds a handful of instructions, one per list or notice kind).
    pub fn instruction_number(&mut self, text: &str) -> u32 {
        match self.instructions.iter().position(|w| w == text) {
            Some(i) => i as u32,
            None => {
                self.instructions.push(text.to_owned());
                (self.instructions.len() - 1) as u32
            }
        }
    }

    /// Encodes the contents (postcard).
    pub fn encode(&self) -> Result<Vec<u8>, SnapshotError> {
        postcard::to_allocvec(self).map_err(|e| SnapshotError::Corrupt(format!("cannot encode the contents: {e}")))
    }

    /// Decodes contents and checks that every reference to a watchlist or
    /// an instruction exists. Never panics, whatever the bytes.
    pub fn decode(bytes: &[u8]) -> Result<Contents, SnapshotError> {
        let (contents, rest): (Contents, &[u8]) = postcard::take_from_bytes(bytes)
            .map_err(|e| SnapshotError::Corrupt(format!("the contents do not decode: {e}")))?;
        if !rest.is_empty() {
            return Err(SnapshotError::Corrupt(format!("{} bytes after the contents", rest.len())));
        }
        contents.check_references()?;
        Ok(contents)
    }

    fn check_references(&self) -> Result<(), SnapshotError> {
        let (lists, instructions) = (self.watchlists.len(), self.instructions.len());
        let refs = self
            .persons
            .iter()
            .map(|p| (p.person.id.as_str(), p.watchlist, p.instruction))
            .chain(self.documents.iter().map(|d| (d.id.as_str(), d.watchlist, d.instruction)))
            .chain(self.vehicles.iter().map(|v| (v.id.as_str(), v.watchlist, v.instruction)));
        for (id, list, instruction) in refs {
            if list as usize >= lists {
                return Err(SnapshotError::Corrupt(format!("entry {id} names watchlist {list} of {lists}")));
            }
            if instruction as usize >= instructions {
                return Err(SnapshotError::Corrupt(format!(
                    "entry {id} names instruction {instruction} of {instructions}"
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contents_round_trip_and_references_are_checked() {
        let mut c = Contents::default();
        let w = c.watchlist_number("interpol-notices");
        let i = c.instruction_number("do not arrest; contact NCB Skopje");
        assert_eq!(
            (c.watchlist_number("interpol-notices"), c.instruction_number("do not arrest; contact NCB Skopje")),
            (w, i)
        );
        c.persons
            .push(ListedPerson { person: Person::named("n1", "Dragan Stojanović"), watchlist: w, instruction: i });
        c.documents.push(ListedDocument {
            id: "d1".into(),
            number: "BA4471190".into(),
            country: Some("al".into()),
            watchlist: w,
            instruction: i,
        });
        let bytes = c.encode().unwrap();
        assert_eq!(Contents::decode(&bytes).unwrap(), c);
        c.persons[0].instruction = 5;
        let bad = c.encode().unwrap();
        assert!(matches!(Contents::decode(&bad), Err(SnapshotError::Corrupt(m)) if m.contains("instruction 5")));
        let mut trailing = bytes.clone();
        trailing.push(0);
        assert!(matches!(Contents::decode(&trailing), Err(SnapshotError::Corrupt(_))));
    }
}
