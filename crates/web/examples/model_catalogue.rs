//! Writes the `model.ftl` catalogue of every language: the labels of the
//! model's schemata, properties (reverse ones too), links and closed
//! vocabularies, under keys derived from the model (see
//! `veza_web::model_labels::model_keys`).
//!
//! English comes from the schema files. The other languages come from the
//! translation tables `scripts/model-labels/<tag>.tsv`: one line per English
//! text (`English<TAB>translation`), or per key where one English text needs
//! different words in different places (`=key<TAB>translation`). Serbian
//! Cyrillic is Serbian Latin transliterated (its own table holds exceptions
//! only). A text missing from a table stops the run with the list of what
//! is missing, so a schema added to the model is translated before it ships.
//!
//! ```text
//! cargo run -p veza-web --example model_catalogue            # write the files
//! cargo run -p veza-web --example model_catalogue -- --check # fail if stale
//! cargo run -p veza-web --example model_catalogue -- --missing sq # list texts to translate
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use veza_model::Model;
use veza_web::i18n::Language;
use veza_web::model_labels::{model_keys, to_serbian_cyrillic};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let tables = root.join("../../scripts/model-labels");
    let entries = model_keys(Model::builtin());
    if let Some(i) = args.iter().position(|a| a == "--missing") {
        let tag = args.get(i + 1).map(String::as_str).unwrap_or("sq");
        let table = read_table(&tables.join(format!("{tag}.tsv")));
        let texts: BTreeSet<&str> = entries
            .iter()
            .filter(|(k, _)| !table.contains_key(&format!("={k}")))
            .map(|(_, e)| e.as_str())
            .filter(|e| !table.contains_key(*e))
            .collect();
        for t in texts {
            println!("{t}");
        }
        return ExitCode::SUCCESS;
    }
    let check = args.iter().any(|a| a == "--check");
    let mut failed = false;
    let latin = read_table(&tables.join("sr-Latn.tsv"));
    for lang in Language::ALL {
        let table = match lang {
            Language::En => BTreeMap::new(),
            Language::SrCyrl => {
                let own = read_table(&tables.join("sr-Cyrl.tsv"));
                let mut t: BTreeMap<String, String> =
                    latin.iter().map(|(k, v)| (k.clone(), to_serbian_cyrillic(v))).collect();
                t.extend(own);
                t
            }
            _ => read_table(&tables.join(format!("{}.tsv", lang.tag()))),
        };
        let mut missing = BTreeSet::new();
        let mut out = String::from(
            "# Labels of the model's schemata, properties, links and vocabularies.\n\
             # Written by `cargo run -p veza-web --example model_catalogue` from the schema\n\
             # files and scripts/model-labels/<language>.tsv: edit those, not this file.\n\n",
        );
        for (key, english) in &entries {
            let text = if lang == Language::En {
                Some(english.clone())
            } else {
                table.get(&format!("={key}")).or_else(|| table.get(english)).cloned()
            };
            match text {
                Some(t) => out.push_str(&format!("{key} = {}\n", escape(&t))),
                None => {
                    missing.insert(english.clone());
                }
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
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

/// `English<TAB>translation` lines; `#` starts a comment line.
fn read_table(path: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .filter(|(_, v)| !v.is_empty())
        .collect()
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
