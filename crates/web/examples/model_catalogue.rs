//! Writes the `model.ftl` catalogue of every language: the labels of the
//! model's schemata, properties (reverse ones too), links and closed
//! vocabularies, under keys derived from the model (see
//! `veza_web::model_labels::model_keys`).
//!
//! English comes from the schema files. The other languages come from the
//! translation table `scripts/model-labels/labels.tsv`: a header naming the
//! columns (`en sq mk hr bs cnr sr-Latn`), then one row per English text, or
//! per key where one English text needs other words in one place (first
//! cell `=key`). A cell `=` repeats the cell to its left (Bosnian as
//! Croatian, Montenegrin as Bosnian, Serbian as Montenegrin), for the many
//! words the four standards share. Texts without lower-case letters (codes
//! such as `IBAN`, `OGRN`) are the same in every language. Serbian Cyrillic
//! is Serbian Latin transliterated. A text missing from the table stops the
//! run with the list of what is missing, so a schema added to the model is
//! translated before its catalogue is written.
//!
//! Descriptions (tooltips) come from `scripts/model-labels/descriptions.tsv`
//! in the same format, keyed by the English description; only those
//! translated into every language are written (under `desc-…` keys), the
//! others read in English. `--missing-descriptions` lists the untranslated
//! descriptions of the schemata the entity, case and screening pages show.
//!
//! ```text
//! cargo run -p veza-web --example model_catalogue            # write the files
//! cargo run -p veza-web --example model_catalogue -- --check # fail if stale
//! cargo run -p veza-web --example model_catalogue -- --missing     # list texts to translate
//! cargo run -p veza-web --example model_catalogue -- --missing-descriptions
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use veza_model::Model;
use veza_web::i18n::Language;
use veza_web::model_labels::{description_keys, model_keys, to_serbian_cyrillic};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let table_path = root.join("../../scripts/model-labels/labels.tsv");
    let tables = match read_tables(&table_path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{}: {e}", table_path.display());
            return ExitCode::FAILURE;
        }
    };
    let descriptions_path = root.join("../../scripts/model-labels/descriptions.tsv");
    let described = match read_tables(&descriptions_path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{}: {e}", descriptions_path.display());
            return ExitCode::FAILURE;
        }
    };
    let entries = model_keys(Model::builtin());
    let describe = |lang: Language, key: &str, english: &str| -> Option<String> {
        if lang == Language::En {
            return Some(english.to_owned());
        }
        let (tag, cyrillic) = if lang == Language::SrCyrl { ("sr-Latn", true) } else { (lang.tag(), false) };
        let table = described.get(tag)?;
        let text = table.get(&format!("={key}")).or_else(|| table.get(english))?;
        Some(if cyrillic { to_serbian_cyrillic(text) } else { text.clone() })
    };
    let all_descriptions = description_keys(Model::builtin());
    if args.iter().any(|a| a == "--missing-descriptions") {
        for (key, english) in &all_descriptions {
            let shown = PAGE_SCHEMATA
                .iter()
                .any(|s| key == &format!("desc-schema-{s}") || key.starts_with(&format!("desc-prop-{s}-")));
            if shown && Language::ALL.iter().any(|l| describe(*l, key, english).is_none()) {
                println!("{key}\t{english}");
            }
        }
        return ExitCode::SUCCESS;
    }
    let descriptions: Vec<(&String, &String)> = all_descriptions
        .iter()
        .filter(|(k, e)| Language::ALL.iter().all(|l| describe(*l, k, e).is_some()))
        .map(|(k, e)| (k, e))
        .collect();
    let lookup = |lang: Language, key: &str, english: &str| -> Option<String> {
        if lang == Language::En || !english.chars().any(char::is_lowercase) {
            return Some(english.to_owned());
        }
        let (tag, cyrillic) = if lang == Language::SrCyrl { ("sr-Latn", true) } else { (lang.tag(), false) };
        let table = tables.get(tag)?;
        let text = table.get(&format!("={key}")).or_else(|| table.get(english))?;
        Some(if cyrillic { to_serbian_cyrillic(text) } else { text.clone() })
    };
    if args.iter().any(|a| a == "--missing") {
        let texts: BTreeSet<&str> = entries
            .iter()
            .filter(|(k, e)| Language::ALL.iter().any(|l| lookup(*l, k, e).is_none()))
            .map(|(_, e)| e.as_str())
            .collect();
        for t in texts {
            println!("{t}");
        }
        return ExitCode::SUCCESS;
    }
    let check = args.iter().any(|a| a == "--check");
    let mut failed = false;
    for lang in Language::ALL {
        let mut missing = BTreeSet::new();
        let mut out = String::from(
            "# Labels of the model's schemata, properties, links and vocabularies.\n\
             # Written by `cargo run -p veza-web --example model_catalogue` from the schema\n\
             # files and scripts/model-labels/labels.tsv: edit those, not this file.\n\n",
        );
        for (key, english) in &entries {
            match lookup(lang, key, english) {
                Some(t) => out.push_str(&format!("{key} = {}\n", escape(&t))),
                None => {
                    missing.insert(english.clone());
                }
            }
        }
        out.push_str("\n# Descriptions (tooltips) translated in scripts/model-labels/descriptions.tsv.\n");
        for (key, english) in &descriptions {
            if let Some(t) = describe(lang, key, english) {
                out.push_str(&format!("{key} = {}\n", escape(&t)));
            }
        }
        if !missing.is_empty() {
            eprintln!("{}: {} texts untranslated: {missing:?}", lang.tag(), missing.len());
            failed = true;
            continue;
        }
        let path = root.join("locales").join(lang.tag()).join("model.ftl");
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != out {
            if check {
                eprintln!("{} is stale: rerun the example", path.display());
                failed = true;
            } else if let Err(e) = std::fs::write(&path, out) {
                eprintln!("{}: {e}", path.display());
                failed = true;
            }
        }
    }
    for file in HAND_WRITTEN {
        let latin = root.join("locales/sr-Latn").join(file);
        let cyrillic = root.join("locales/sr-Cyrl").join(file);
        let text = match std::fs::read_to_string(&latin) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{}: {e}", latin.display());
                failed = true;
                continue;
            }
        };
        let out: String = text.lines().map(|l| cyrillic_line(l) + "\n").collect();
        let current = std::fs::read_to_string(&cyrillic).unwrap_or_default();
        if current != out {
            if check {
                eprintln!("{} is stale: rerun the example", cyrillic.display());
                failed = true;
            } else if let Err(e) = std::fs::write(&cyrillic, out) {
                eprintln!("{}: {e}", cyrillic.display());
                failed = true;
            }
        }
    }
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

/// The schemata whose descriptions the entity, case and screening pages
/// show (the person, the case and its records, documents, addresses).
const PAGE_SCHEMATA: [&str; 10] = [
    "Thing",
    "LegalEntity",
    "Person",
    "Case",
    "Suspect",
    "Victim",
    "Identification",
    "Passport",
    "Address",
    "Interval",
];

/// Catalogues written by hand in Serbian Latin whose Serbian Cyrillic this
/// example writes.
const HAND_WRITTEN: [&str; 1] = ["labels.ftl"];

/// One line of a Fluent file in Cyrillic: message ids and variant keys
/// (`[few]`) stay as they are.
fn cyrillic_line(line: &str) -> String {
    if let Some((id, value)) = line.split_once(" = ")
        && !id.starts_with([' ', '#'])
    {
        return format!("{id} = {}", to_serbian_cyrillic(value));
    }
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    match trimmed.strip_prefix('[').or_else(|| trimmed.strip_prefix("*[")).and_then(|r| r.split_once(']')) {
        Some((key, rest)) => {
            let star = if trimmed.starts_with('*') { "*" } else { "" };
            format!("{indent}{star}[{key}]{}", to_serbian_cyrillic(rest))
        }
        None => format!("{indent}{}", to_serbian_cyrillic(trimmed)),
    }
}

/// Per language tag: English text (or `=key`) → translation.
fn read_tables(path: &Path) -> Result<BTreeMap<String, BTreeMap<String, String>>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let mut rows = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
    let header: Vec<&str> = rows.next().map(|(_, l)| l.split('\t').map(str::trim).collect()).unwrap_or_default();
    if header.first() != Some(&"en") {
        return Err("the first line must name the columns, English first".into());
    }
    let mut tables: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (n, line) in rows {
        let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
        if cells.len() != header.len() {
            return Err(format!("line {}: {} cells, the header has {}", n + 1, cells.len(), header.len()));
        }
        let mut left = cells[0];
        for (tag, cell) in header.iter().zip(&cells).skip(1) {
            let text = if *cell == "=" { left } else { cell };
            if text.is_empty() || text.starts_with('=') {
                return Err(format!("line {}: no {tag} text", n + 1));
            }
            tables.entry((*tag).to_owned()).or_default().insert(cells[0].to_owned(), text.to_owned());
            left = text;
        }
    }
    Ok(tables)
}

/// A label as a Fluent value: braces and leading syntax characters quoted.
fn escape(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        match c {
            '{' => out.push_str("{\"{\"}"),
            '}' => out.push_str("{\"}\"}"),
            '[' | '*' | '.' if i == 0 => out.push_str(&format!("{{\"{c}\"}}")),
            _ => out.push(c),
        }
    }
    out
}
