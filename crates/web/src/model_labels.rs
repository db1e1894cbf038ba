//! The model's words in the reader's language: schema, property, link and
//! vocabulary labels looked up in the `model.ftl` catalogues under keys
//! derived from the model itself, so that a Macedonian officer reads
//! "Лице" where the schema file says "Person".
//!
//! Keys (Fluent identifiers; schema and property names keep their case):
//! `schema-Person`, `schema-Person-plural`, `prop-Person-birthDate` (a
//! property under the schema that defines it, reverse properties under
//! their range: `prop-LegalEntity-ownershipOwner`), `edge-Ownership` (the
//! link's verb, "owns"), `value-Case-status-under_investigation` (a code of
//! a closed vocabulary). `model.ftl` is written from the model and the
//! translation tables by `cargo run -p veza-web --example model_catalogue`;
//! a test checks that every key of the loaded model exists in every
//! language. The schema file's English is the fallback only for a key that
//! does not exist.
//!
//! Descriptions (the tooltips of schemata and properties) have keys
//! `desc-schema-Person` and `desc-prop-Case-caseNumber`; the catalogue holds
//! those translated in `scripts/model-labels/descriptions.tsv` (the ones the
//! entity, case and screening pages show first), the others read in the
//! schema file's English.

use crate::i18n::Tr;
use std::collections::BTreeMap;
use veza_model::{Model, Property, Schema};

/// The key of a schema's label.
pub fn schema_key(schema: &str) -> String {
    format!("schema-{schema}")
}

/// The key of a schema's plural label.
pub fn plural_key(schema: &str) -> String {
    format!("schema-{schema}-plural")
}

/// The key of a property's label: under the schema that defines it.
pub fn property_key(property: &Property) -> String {
    format!("prop-{}-{}", property.defined_by, property.name)
}

/// The key of a link schema's verb (`owns`, `related to`).
pub fn edge_key(schema: &str) -> String {
    format!("edge-{schema}")
}

/// The key of one code of a property's closed vocabulary.
pub fn value_key(property: &Property, code: &str) -> String {
    let code: String =
        code.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    format!("value-{}-{}-{code}", property.defined_by, property.name)
}

/// The key of a schema's description.
pub fn schema_description_key(schema: &str) -> String {
    format!("desc-schema-{schema}")
}

/// The key of a property's description: under the schema that defines it.
pub fn property_description_key(property: &Property) -> String {
    format!("desc-prop-{}-{}", property.defined_by, property.name)
}

/// Every description of the model with its English text, in a stable order
/// (schemata by name, each followed by the properties it defines).
pub fn description_keys(model: &Model) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for schema in model.schemata() {
        if !schema.description.trim().is_empty() {
            out.push((schema_description_key(&schema.name), one_line(&schema.description)));
        }
        let mut own: Vec<&Property> = schema.properties.values().filter(|p| p.defined_by == schema.name).collect();
        own.sort_by(|a, b| a.name.cmp(&b.name));
        for p in own {
            if !p.description.trim().is_empty() {
                out.push((property_description_key(p), one_line(&p.description)));
            }
        }
    }
    out
}

/// A text with its runs of white space (folded YAML lines) as single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A vocabulary code as English words: `under_investigation` → `Under
/// investigation`, `ngo_outreach` → `NGO outreach`.
pub fn humanise_code(code: &str) -> String {
    const ACRONYMS: [&str; 9] = ["ngo", "un", "unodc", "ilo", "ec", "sltd", "smv", "eu", "id"];
    let words = code
        .split('_')
        .map(|w| if ACRONYMS.contains(&w) { w.to_ascii_uppercase() } else { w.to_owned() })
        .collect::<Vec<_>>()
        .join(" ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => words,
    }
}

/// Every key the model needs, with its English text from the schema files,
/// in a stable order (schemata by name; each schema's labels, link verb,
/// then the properties it defines and their vocabularies).
pub fn model_keys(model: &Model) -> Vec<(String, String)> {
    let mut properties: BTreeMap<String, &Property> = BTreeMap::new();
    for schema in model.schemata() {
        for p in schema.properties.values() {
            properties.entry(property_key(p)).or_insert(p);
        }
    }
    let mut out = Vec::new();
    for schema in model.schemata() {
        out.push((schema_key(&schema.name), schema.label.clone()));
        out.push((plural_key(&schema.name), schema.plural.clone()));
        if let Some(edge) = &schema.edge {
            out.push((edge_key(&schema.name), edge.label.clone()));
        }
        let own = format!("prop-{}-", schema.name);
        for (key, p) in properties.range(own.clone()..).take_while(|(k, _)| k.starts_with(&own)) {
            // `prop-Person-` also prefixes `prop-Person-x` of a schema named
            // `Person-…`: schema names have no dashes, so the range is exact.
            out.push((key.clone(), p.label.clone()));
            for code in p.values.iter().flatten() {
                out.push((value_key(p, code), humanise_code(code)));
            }
        }
    }
    out
}

impl Tr {
    fn model_text(&self, key: &str, english: impl FnOnce() -> String) -> String {
        if self.has(key) { self.t(key) } else { english() }
    }

    /// A schema's label (`Лице`).
    pub fn schema(&self, schema: &Schema) -> String {
        self.model_text(&schema_key(&schema.name), || schema.label.clone())
    }

    /// A schema's plural label (`Лица`).
    pub fn schema_plural(&self, schema: &Schema) -> String {
        self.model_text(&plural_key(&schema.name), || schema.plural.clone())
    }

    /// The label of the schema named `name`; the name itself for a schema
    /// the model does not know.
    pub fn schema_named(&self, model: &Model, name: &str) -> String {
        model.schema(name).map(|s| self.schema(s)).unwrap_or_else(|_| name.to_owned())
    }

    /// The plural label of the schema named `name`; the name itself for a
    /// schema the model does not know.
    pub fn plural_named(&self, model: &Model, name: &str) -> String {
        model.schema(name).map(|s| self.schema_plural(s)).unwrap_or_else(|_| name.to_owned())
    }

    /// A schema's description in the reader's language, the schema file's
    /// English where it is not translated.
    pub fn schema_description(&self, schema: &Schema) -> String {
        self.model_text(&schema_description_key(&schema.name), || schema.description.clone())
    }

    /// A property's description in the reader's language, the schema file's
    /// English where it is not translated.
    pub fn property_description(&self, property: &Property) -> String {
        self.model_text(&property_description_key(property), || property.description.clone())
    }

    /// A property's label (`Датум на раѓање`).
    pub fn property(&self, property: &Property) -> String {
        self.model_text(&property_key(property), || property.label.clone())
    }

    /// The label of property `name` of `schema`; the name itself for a
    /// property the schema does not have.
    pub fn property_named(&self, schema: &Schema, name: &str) -> String {
        schema.properties.get(name).map(|p| self.property(p)).unwrap_or_else(|| name.to_owned())
    }

    /// A link schema's verb (`поседува`); empty for a schema that is no link.
    pub fn edge(&self, schema: &Schema) -> String {
        match &schema.edge {
            Some(edge) => self.model_text(&edge_key(&schema.name), || edge.label.clone()),
            None => String::new(),
        }
    }

    /// One code of a property's closed vocabulary in words; the code as is
    /// for a property without a vocabulary or a code outside it.
    pub fn value(&self, property: &Property, code: &str) -> String {
        let known = property.values.as_ref().is_some_and(|v| v.iter().any(|c| c == code));
        if known { self.model_text(&value_key(property, code), || humanise_code(code)) } else { code.to_owned() }
    }
}

/// Serbian Latin written in Serbian Cyrillic (Vuk's alphabet: `lj`, `nj`,
/// `dž` are one letter each). Left as written: Fluent placeables (`{ $n }`),
/// acronyms (`IBAN`), words with letters Serbian does not have (`q w x
/// y`: foreign names such as `Wikidata`), and code identifiers: words with an
/// underscore (`date_of_birth`) or a capital inside (`MethodOfRecruitment`).
pub fn to_serbian_cyrillic(latin: &str) -> String {
    let mut out = String::with_capacity(latin.len() * 2);
    let mut depth = 0usize;
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(&cyrillic_word(word));
        word.clear();
    };
    for c in latin.chars() {
        match c {
            '{' => {
                flush(&mut word, &mut out);
                depth += 1;
                out.push(c);
            }
            '}' => {
                depth = depth.saturating_sub(1);
                out.push(c);
            }
            _ if depth > 0 => out.push(c),
            _ if c.is_alphanumeric() || c == '_' => word.push(c),
            _ => {
                flush(&mut word, &mut out);
                out.push(c);
            }
        }
    }
    flush(&mut word, &mut out);
    out
}

fn cyrillic_word(word: &str) -> String {
    let acronym = word.chars().count() >= 2 && word.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    let foreign = word.chars().any(|c| matches!(c.to_ascii_lowercase(), 'q' | 'w' | 'x' | 'y'));
    let chars: Vec<char> = word.chars().collect();
    let identifier = word.contains('_') || chars.windows(2).any(|p| p[0].is_lowercase() && p[1].is_uppercase());
    if acronym || foreign || identifier {
        return word.to_owned();
    }
    let mut out = String::with_capacity(word.len() * 2);
    let mut i = 0;
    while i < chars.len() {
        let pair = chars.get(i + 1).map(|n| (chars[i], *n));
        let digraph = match pair {
            Some(('l', 'j')) => Some('љ'),
            Some(('L', 'j' | 'J')) => Some('Љ'),
            Some(('n', 'j')) => Some('њ'),
            Some(('N', 'j' | 'J')) => Some('Њ'),
            Some(('d', 'ž')) => Some('џ'),
            Some(('D', 'ž' | 'Ž')) => Some('Џ'),
            _ => None,
        };
        if let Some(d) = digraph {
            out.push(d);
            i += 2;
            continue;
        }
        let c = chars[i];
        let lower = c.to_lowercase().next().unwrap_or(c);
        let mapped = match lower {
            'a' => 'а',
            'b' => 'б',
            'c' => 'ц',
            'č' => 'ч',
            'ć' => 'ћ',
            'd' => 'д',
            'đ' => 'ђ',
            'e' => 'е',
            'f' => 'ф',
            'g' => 'г',
            'h' => 'х',
            'i' => 'и',
            'j' => 'ј',
            'k' => 'к',
            'l' => 'л',
            'm' => 'м',
            'n' => 'н',
            'o' => 'о',
            'p' => 'п',
            'r' => 'р',
            's' => 'с',
            'š' => 'ш',
            't' => 'т',
            'u' => 'у',
            'v' => 'в',
            'z' => 'з',
            'ž' => 'ж',
            other => other,
        };
        if c.is_uppercase() {
            out.extend(mapped.to_uppercase());
        } else {
            out.push(mapped);
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_read_in_the_readers_language_where_translated() {
        let model = Model::builtin();
        let case = model.schema("Case").expect("Case");
        let number = case.properties.get("caseNumber").expect("caseNumber");
        let mk = Tr::new(crate::i18n::Language::Mk);
        let en = Tr::new(crate::i18n::Language::En);
        assert_eq!(en.property_description(number), number.description.trim());
        assert_eq!(mk.property_description(number), "Референтен број на предметот во водечката агенција.");
        let person = model.schema("Person").expect("Person");
        assert_eq!(
            Tr::new(crate::i18n::Language::SrCyrl).schema_description(person),
            "Физичко лице, за разлику од правног лица било које врсте."
        );
        let victim = model.schema("Victim").expect("Victim");
        assert!(mk.schema_description(victim).starts_with("Запис за претпоставена"));
        // An untranslated description (a generated reverse link) reads in English.
        let referrals = victim.properties.get("referrals").expect("referrals");
        assert_eq!(mk.property_description(referrals), referrals.description.trim());
    }

    #[test]
    fn description_keys_cover_the_model_once() {
        let keys = description_keys(Model::builtin());
        let unique: std::collections::BTreeSet<&String> = keys.iter().map(|(k, _)| k).collect();
        assert_eq!(unique.len(), keys.len());
        assert!(keys.iter().any(|(k, _)| k == "desc-prop-Case-caseNumber"));
        assert!(keys.iter().all(|(_, e)| !e.is_empty() && !e.contains('\n')));
    }

    #[test]
    fn serbian_latin_becomes_cyrillic() {
        assert_eq!(to_serbian_cyrillic("Datum rođenja"), "Датум рођења");
        assert_eq!(to_serbian_cyrillic("Ljubljana, Njegoš, džep"), "Љубљана, Његош, џеп");
        assert_eq!(to_serbian_cyrillic("Ljubav"), "Љубав");
        assert_eq!(to_serbian_cyrillic("IBAN račun"), "IBAN рачун", "acronyms stay Latin");
        assert_eq!(to_serbian_cyrillic("{ $count } lica"), "{ $count } лица", "placeables stay");
        assert_eq!(to_serbian_cyrillic("Wikidata ID"), "Wikidata ID");
        assert_eq!(
            to_serbian_cyrillic("prema HTCDS MethodOfRecruitment (date_of_birth)"),
            "према HTCDS MethodOfRecruitment (date_of_birth)",
            "code identifiers stay Latin"
        );
    }

    #[test]
    fn codes_read_as_words() {
        assert_eq!(humanise_code("under_investigation"), "Under investigation");
        assert_eq!(humanise_code("ngo_outreach"), "NGO outreach");
        assert_eq!(humanise_code(""), "");
    }

    #[test]
    fn keys_follow_the_defining_schema() {
        let model = Model::builtin();
        let person = model.schema("Person").unwrap_or_else(|e| panic!("{e}"));
        let name = person.property("name").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(property_key(name), "prop-Thing-name");
        let keys = model_keys(model);
        assert!(keys.iter().any(|(k, v)| k == "schema-Person" && v == "Person"));
        assert!(keys.iter().any(|(k, v)| k == "edge-Ownership" && v == "owns"));
        assert!(keys.iter().any(|(k, _)| k == "prop-LegalEntity-ownershipOwner"));
        let unique: std::collections::BTreeSet<&String> = keys.iter().map(|(k, _)| k).collect();
        assert_eq!(unique.len(), keys.len(), "keys are unique");
    }
}
