//! Property types and their validation. Each type turns a raw value into its
//! canonical form (the form stored, exported and compared) or says why it
//! cannot.

use crate::date::PartialDate;
use crate::error::ValueError;
use serde::{Deserialize, Serialize};

/// The type of a property, after FollowTheMoney's property types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PropertyType {
    /// A plain short string (FtM's default type).
    String,
    /// Long free text.
    Text,
    /// A name of a person, organisation or thing.
    Name,
    /// A partial date (`1987`, `1987-03`, `1987-03-14`).
    Date,
    /// An ISO 3166-1 alpha-2 country code, lower case (`rs`, `xk`).
    Country,
    /// A phone number in E.164 form (`+381641234567`).
    Phone,
    /// An e-mail address.
    Email,
    /// An IBAN with valid check digits, in electronic form.
    Iban,
    /// An identifier: document, registration or account number.
    Identifier,
    /// A postal address as one line.
    Address,
    /// A web address (http or https).
    Url,
    /// A decimal number.
    Number,
    /// A reference to another entity by id.
    Entity,
    /// `male`, `female` or `other`.
    Gender,
    /// A topic tag from FtM's vocabulary (`crime.traffick.human`).
    Topic,
    /// An ISO 639 language code.
    Language,
    /// An IPv4 or IPv6 address.
    Ip,
    /// A hash value (hex).
    Checksum,
    /// A JSON document.
    Json,
    /// HTML text.
    Html,
    /// A MIME type.
    Mimetype,
}

/// Hints that help validate a value: the country an unprefixed phone number
/// belongs to, for instance.
#[derive(Debug, Clone, Default)]
pub struct CleanContext {
    /// Lower-case alpha-2 countries the value's entity is linked to; the
    /// first that makes a phone number valid is used.
    pub countries: Vec<String>,
}

impl PropertyType {
    /// The FtM name of the type.
    pub fn name(self) -> &'static str {
        match self {
            PropertyType::String => "string",
            PropertyType::Text => "text",
            PropertyType::Name => "name",
            PropertyType::Date => "date",
            PropertyType::Country => "country",
            PropertyType::Phone => "phone",
            PropertyType::Email => "email",
            PropertyType::Iban => "iban",
            PropertyType::Identifier => "identifier",
            PropertyType::Address => "address",
            PropertyType::Url => "url",
            PropertyType::Number => "number",
            PropertyType::Entity => "entity",
            PropertyType::Gender => "gender",
            PropertyType::Topic => "topic",
            PropertyType::Language => "language",
            PropertyType::Ip => "ip",
            PropertyType::Checksum => "checksum",
            PropertyType::Json => "json",
            PropertyType::Html => "html",
            PropertyType::Mimetype => "mimetype",
        }
    }

    /// The type named `name` in a schema file; unknown names are `None`.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "string" => PropertyType::String,
            "text" => PropertyType::Text,
            "name" => PropertyType::Name,
            "date" => PropertyType::Date,
            "country" => PropertyType::Country,
            "phone" => PropertyType::Phone,
            "email" => PropertyType::Email,
            "iban" => PropertyType::Iban,
            "identifier" => PropertyType::Identifier,
            "address" => PropertyType::Address,
            "url" => PropertyType::Url,
            "number" => PropertyType::Number,
            "entity" => PropertyType::Entity,
            "gender" => PropertyType::Gender,
            "topic" => PropertyType::Topic,
            "language" => PropertyType::Language,
            "ip" => PropertyType::Ip,
            "checksum" => PropertyType::Checksum,
            "json" => PropertyType::Json,
            "html" => PropertyType::Html,
            "mimetype" => PropertyType::Mimetype,
            _ => return None,
        })
    }

    /// Whether values of this type are searched as names or identifiers.
    pub fn is_searchable(self) -> bool {
        matches!(
            self,
            PropertyType::Name
                | PropertyType::Identifier
                | PropertyType::Phone
                | PropertyType::Email
                | PropertyType::Iban
        )
    }

    /// Validates `raw` and returns its canonical form.
    pub fn clean(self, raw: &str, ctx: &CleanContext) -> Result<String, ValueError> {
        let kind = self.name();
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(ValueError::new(kind, raw, "empty value"));
        }
        if trimmed.chars().any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r') {
            return Err(ValueError::new(kind, raw, "contains control characters"));
        }
        match self {
            PropertyType::String | PropertyType::Name | PropertyType::Address | PropertyType::Identifier => {
                let v = collapse_spaces(trimmed);
                if v.chars().count() > 1024 {
                    return Err(ValueError::new(kind, raw, "longer than 1024 characters"));
                }
                Ok(v)
            }
            PropertyType::Text | PropertyType::Html | PropertyType::Json => {
                if self == PropertyType::Json && serde_json::from_str::<serde_json::Value>(trimmed).is_err() {
                    return Err(ValueError::new(kind, raw, "not valid JSON"));
                }
                Ok(trimmed.replace("\r\n", "\n"))
            }
            PropertyType::Date => PartialDate::parse_iso(trimmed).map(|d| d.to_string()),
            PropertyType::Country => clean_country(trimmed).ok_or_else(|| {
                ValueError::new(kind, raw, "not an ISO 3166-1 country code or name (use e.g. 'rs', 'SRB' or 'Serbia')")
            }),
            PropertyType::Phone => clean_phone(trimmed, ctx).map_err(|r| ValueError::new(kind, raw, r)),
            PropertyType::Email => {
                clean_email(trimmed).ok_or_else(|| ValueError::new(kind, raw, "not an e-mail address"))
            }
            PropertyType::Iban => clean_iban(trimmed).map_err(|r| ValueError::new(kind, raw, r)),
            PropertyType::Url => clean_url(trimmed).map_err(|r| ValueError::new(kind, raw, r)),
            PropertyType::Number => clean_number(trimmed).ok_or_else(|| ValueError::new(kind, raw, "not a number")),
            PropertyType::Entity => {
                if crate::entity::valid_id(trimmed) {
                    Ok(trimmed.to_owned())
                } else {
                    Err(ValueError::new(kind, raw, "not an entity id"))
                }
            }
            PropertyType::Gender => {
                clean_gender(trimmed).ok_or_else(|| ValueError::new(kind, raw, "use male, female or other"))
            }
            PropertyType::Topic => {
                let v = trimmed.to_ascii_lowercase();
                if v.chars().all(|c| c.is_ascii_lowercase() || c == '.' || c == '_' || c.is_ascii_digit()) {
                    Ok(v)
                } else {
                    Err(ValueError::new(kind, raw, "topics are dotted lower-case codes like crime.traffick.human"))
                }
            }
            PropertyType::Language => {
                let v = trimmed.to_ascii_lowercase();
                if (v.len() == 2 || v.len() == 3) && v.chars().all(|c| c.is_ascii_lowercase()) {
                    Ok(v)
                } else {
                    Err(ValueError::new(kind, raw, "use an ISO 639 code like 'sr' or 'sqi'"))
                }
            }
            PropertyType::Ip => trimmed
                .parse::<std::net::IpAddr>()
                .map(|ip| ip.to_string())
                .map_err(|_| ValueError::new(kind, raw, "not an IPv4 or IPv6 address")),
            PropertyType::Checksum => {
                let v = trimmed.to_ascii_lowercase();
                if v.chars().all(|c| c.is_ascii_hexdigit()) {
                    Ok(v)
                } else {
                    Err(ValueError::new(kind, raw, "a checksum is hexadecimal"))
                }
            }
            PropertyType::Mimetype => {
                let v = trimmed.to_ascii_lowercase();
                if v.contains('/') && !v.contains(' ') {
                    Ok(v)
                } else {
                    Err(ValueError::new(kind, raw, "not a MIME type like text/plain"))
                }
            }
        }
    }
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Country codes outside ISO 3166-1 that FtM and INTERPOL use.
const EXTRA_COUNTRIES: &[(&str, &str)] =
    &[("xk", "Kosovo"), ("eu", "European Union"), ("zz", "Global"), ("un", "United Nations")];

/// The canonical lower-case code of a country given as an alpha-2 or
/// alpha-3 code or an English name; `None` when it is none of these.
pub fn clean_country(raw: &str) -> Option<String> {
    let v = raw.trim();
    let lower = v.to_ascii_lowercase();
    if let Some((code, _)) = EXTRA_COUNTRIES.iter().find(|(c, n)| *c == lower || n.eq_ignore_ascii_case(v)) {
        return Some((*code).to_owned());
    }
    if lower == "xkx" || lower == "kos" {
        return Some("xk".to_owned());
    }
    let upper = v.to_ascii_uppercase();
    let found = match v.len() {
        2 => isocountry::CountryCode::for_alpha2(&upper).ok(),
        3 => isocountry::CountryCode::for_alpha3(&upper).ok(),
        _ => None,
    }
    .or_else(|| isocountry::CountryCode::iter().find(|c| c.name().eq_ignore_ascii_case(v)).copied());
    found.map(|c| c.alpha2().to_ascii_lowercase())
}

/// The English name of a canonical country code.
pub fn country_name(code: &str) -> Option<&'static str> {
    if let Some((_, name)) = EXTRA_COUNTRIES.iter().find(|(c, _)| *c == code) {
        return Some(name);
    }
    isocountry::CountryCode::for_alpha2(&code.to_ascii_uppercase()).ok().map(|c| c.name())
}

/// Every country code the model accepts, with its English name.
pub fn countries() -> Vec<(String, &'static str)> {
    let mut all: Vec<(String, &'static str)> =
        isocountry::CountryCode::iter().map(|c| (c.alpha2().to_ascii_lowercase(), c.name())).collect();
    all.extend(EXTRA_COUNTRIES.iter().map(|(c, n)| ((*c).to_owned(), *n)));
    all.sort();
    all.dedup_by(|a, b| a.0 == b.0);
    all
}

fn clean_phone(raw: &str, ctx: &CleanContext) -> Result<String, String> {
    use phonenumber::{Mode, country};
    let to_e164 = |n: phonenumber::PhoneNumber| n.format().mode(Mode::E164).to_string();
    let international = raw.starts_with('+') || raw.starts_with("00");
    if international {
        let normalised = raw.strip_prefix("00").map(|r| format!("+{r}")).unwrap_or_else(|| raw.to_owned());
        return match phonenumber::parse(None, &normalised) {
            Ok(n) if phonenumber::is_valid(&n) => Ok(to_e164(n)),
            Ok(_) => Err("not a valid number for its country code".into()),
            Err(e) => Err(format!("cannot read as a phone number ({e})")),
        };
    }
    for code in &ctx.countries {
        let Ok(id) = code.to_ascii_uppercase().parse::<country::Id>() else { continue };
        if let Ok(n) = phonenumber::parse(Some(id), raw)
            && phonenumber::is_valid(&n)
        {
            return Ok(to_e164(n));
        }
    }
    Err("give the number with its country code (+381…), or a country on the entity".into())
}

fn clean_email(raw: &str) -> Option<String> {
    let addr: email_address::EmailAddress = raw.parse().ok()?;
    let domain = addr.domain().to_ascii_lowercase();
    if !domain.contains('.') {
        return None;
    }
    Some(format!("{}@{}", addr.local_part(), domain))
}

fn clean_iban(raw: &str) -> Result<String, String> {
    use iban::IbanLike;
    raw.parse::<iban::Iban>().map(|i| i.electronic_str().to_owned()).map_err(|e| match e {
        iban::ParseIbanError::InvalidBaseIban { source: iban::ParseBaseIbanError::InvalidChecksum } => {
            "IBAN check digits do not match".to_owned()
        }
        other => format!("not an IBAN ({other})"),
    })
}

fn clean_url(raw: &str) -> Result<String, String> {
    let candidate = if raw.contains("://") { raw.to_owned() } else { format!("https://{raw}") };
    let url = url::Url::parse(&candidate).map_err(|e| format!("not a web address ({e})"))?;
    match url.scheme() {
        "http" | "https" if url.host().is_some() => Ok(url.to_string()),
        _ => Err("only http and https addresses are kept".into()),
    }
}

fn clean_number(raw: &str) -> Option<String> {
    let compact: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '_' && *c != '\'').collect();
    let candidates = [compact.clone(), compact.replace(',', "."), compact.replace(',', "")];
    for c in candidates {
        if let Ok(n) = c.parse::<f64>()
            && n.is_finite()
        {
            return Some(c);
        }
    }
    None
}

fn clean_gender(raw: &str) -> Option<String> {
    let folded = veza_text::fold(raw);
    Some(
        match folded.as_str() {
            "m" | "male" | "man" | "musko" | "muski" | "mashkull" | "mashkulli" | "mashkullore" | "erkek" => "male",
            "f" | "w" | "female" | "woman" | "zensko" | "zenski" | "femer" | "femra" | "femerore" | "kadin" | "z" => {
                "female"
            }
            "x" | "o" | "other" | "diverse" | "nonbinary" | "non binary" | "drugo" | "tjeter" => "other",
            _ => return None,
        }
        .to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn clean(t: PropertyType, v: &str) -> Result<String, ValueError> {
        t.clean(v, &CleanContext::default())
    }

    #[test]
    fn countries_accept_codes_and_names() {
        assert_eq!(clean(PropertyType::Country, "RS").unwrap(), "rs");
        assert_eq!(clean(PropertyType::Country, "SRB").unwrap(), "rs");
        assert_eq!(clean(PropertyType::Country, "Albania").unwrap(), "al");
        assert_eq!(clean(PropertyType::Country, "XK").unwrap(), "xk");
        assert!(clean(PropertyType::Country, "Atlantis").is_err());
    }

    #[test]
    fn phones_become_e164() {
        assert_eq!(clean(PropertyType::Phone, "+381 64 123 4567").unwrap(), "+381641234567");
        assert_eq!(clean(PropertyType::Phone, "00381641234567").unwrap(), "+381641234567");
        let rs = CleanContext { countries: vec!["rs".into()] };
        assert_eq!(PropertyType::Phone.clean("064 123 4567", &rs).unwrap(), "+381641234567");
        assert!(clean(PropertyType::Phone, "064 123 4567").is_err());
        assert!(clean(PropertyType::Phone, "+381 1").is_err());
    }

    #[test]
    fn ibans_are_checked() {
        assert_eq!(clean(PropertyType::Iban, "DE89 3704 0044 0532 0130 00").unwrap(), "DE89370400440532013000");
        let err = clean(PropertyType::Iban, "DE88 3704 0044 0532 0130 00").unwrap_err();
        assert!(err.reason.contains("check digits"), "{err}");
    }

    #[test]
    fn emails_are_checked() {
        assert_eq!(clean(PropertyType::Email, "Ana@Example.RS").unwrap(), "Ana@example.rs");
        assert!(clean(PropertyType::Email, "not-an-email").is_err());
    }

    #[test]
    fn dates_keep_partial_precision() {
        assert_eq!(clean(PropertyType::Date, "1987").unwrap(), "1987");
        assert_eq!(clean(PropertyType::Date, "1987-03").unwrap(), "1987-03");
        assert!(clean(PropertyType::Date, "1987-3").is_err());
    }

    #[test]
    fn genders_accept_regional_words() {
        assert_eq!(clean(PropertyType::Gender, "Ž").unwrap(), "female");
        assert_eq!(clean(PropertyType::Gender, "M").unwrap(), "male");
        assert!(clean(PropertyType::Gender, "unknown-ish").is_err());
    }

    #[test]
    fn numbers_and_urls() {
        assert_eq!(clean(PropertyType::Number, "1 750").unwrap(), "1750");
        assert_eq!(clean(PropertyType::Number, "1,5").unwrap(), "1.5");
        assert!(clean(PropertyType::Number, "many").is_err());
        assert_eq!(clean(PropertyType::Url, "example.org/x").unwrap(), "https://example.org/x");
        assert!(clean(PropertyType::Url, "ftp://example.org").is_err());
    }

    #[test]
    fn empty_and_control_values_are_rejected() {
        assert!(clean(PropertyType::Name, "   ").is_err());
        assert!(clean(PropertyType::Name, "a\u{0}b").is_err());
        assert_eq!(clean(PropertyType::Name, "  Ana   Kovač ").unwrap(), "Ana Kovač");
    }

    proptest! {
        #[test]
        fn cleaning_is_idempotent(v in "\\PC{1,30}", t in 0usize..13) {
            let types = [PropertyType::String, PropertyType::Name, PropertyType::Date, PropertyType::Country,
                PropertyType::Phone, PropertyType::Email, PropertyType::Iban, PropertyType::Identifier,
                PropertyType::Url, PropertyType::Number, PropertyType::Gender, PropertyType::Topic, PropertyType::Entity];
            let ty = types[t];
            if let Ok(once) = clean(ty, &v) {
                prop_assert_eq!(clean(ty, &once).unwrap(), once);
            }
        }
    }
}
