//! Handling: the data owner's decision on who may see a record and on what
//! conditions. The policy that enforces it lives in the store; the fields
//! live on every entity from the start.

use serde::{Deserialize, Serialize};

/// Who may see a record, as its owner decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    /// Only the owning agency.
    #[default]
    Agency,
    /// Every agency of the owner's country.
    Country,
    /// The owner's country and the countries listed in `countries`.
    Countries,
    /// Every user of the platform.
    All,
}

impl Visibility {
    /// The wire name (`agency`, `country`, `countries`, `all`).
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Agency => "agency",
            Visibility::Country => "country",
            Visibility::Countries => "countries",
            Visibility::All => "all",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "agency" => Visibility::Agency,
            "country" => Visibility::Country,
            "countries" => Visibility::Countries,
            "all" => Visibility::All,
            _ => return None,
        })
    }
}

/// Restrictions and caveats the owner attached to a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Handling {
    /// Who may see the record. Deny by default: the owning agency only.
    pub visibility: Visibility,
    /// With `countries`: the countries (lower-case alpha-2) that may see it.
    pub countries: Vec<String>,
    /// Whether others may learn that the record exists (and ask the owner).
    pub existence_visible: bool,
    /// Conditions on use, e.g. "not for judicial use without owner consent".
    pub caveats: Vec<String>,
}

impl Handling {
    /// Checks that the fields agree: `countries` only with that visibility,
    /// and every country a valid code. Returns the normalised handling.
    pub fn validated(mut self) -> Result<Self, String> {
        let mut countries = Vec::new();
        for c in &self.countries {
            match crate::types::clean_country(c) {
                Some(code) => {
                    if !countries.contains(&code) {
                        countries.push(code)
                    }
                }
                None => return Err(format!("handling.countries: '{c}' is not a country code")),
            }
        }
        if self.visibility == Visibility::Countries && countries.is_empty() {
            return Err("handling.countries: visibility 'countries' needs at least one country".into());
        }
        if self.visibility != Visibility::Countries && !countries.is_empty() {
            return Err("handling.countries: only used with visibility 'countries'".into());
        }
        self.countries = countries;
        self.caveats = self.caveats.iter().map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect();
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_handling_is_owner_agency_only() {
        let h = Handling::default();
        assert_eq!(h.visibility, Visibility::Agency);
        assert!(!h.existence_visible);
    }

    #[test]
    fn countries_need_the_countries_visibility() {
        let h = Handling {
            visibility: Visibility::Countries,
            countries: vec!["SRB".into(), "ba".into()],
            ..Default::default()
        };
        assert_eq!(h.validated().unwrap().countries, vec!["rs", "ba"]);
        let h = Handling { visibility: Visibility::Countries, ..Default::default() };
        assert!(h.validated().is_err());
        let h = Handling { visibility: Visibility::All, countries: vec!["rs".into()], ..Default::default() };
        assert!(h.validated().is_err());
    }

    #[test]
    fn wire_form_is_lower_case() {
        let json = serde_json::to_string(&Handling::default()).unwrap();
        assert!(json.contains("\"visibility\":\"agency\""), "{json}");
        let parsed: Handling = serde_json::from_str(r#"{"visibility":"all","existence_visible":true}"#).unwrap();
        assert_eq!(parsed.visibility, Visibility::All);
        assert!(serde_json::from_str::<Handling>(r#"{"visibility":"nobody"}"#).is_err());
    }
}
