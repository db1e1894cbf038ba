//! The message catalogues are complete: every language has exactly the keys
//! English has, every file parses, every key a template or handler uses
//! exists, and the keys built at run time (statuses) resolve in every
//! language. A page can therefore never show a raw key or fall back to
//! English in the middle of a sentence.

use fluent_syntax::ast::Entry;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use veza_web::i18n::{Language, Tr};

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Message ids per language, from every `.ftl` file of its folder.
fn catalogue(lang: Language) -> BTreeMap<String, String> {
    let dir = crate_dir().join("locales").join(lang.tag());
    let mut ids = BTreeMap::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} has no .ftl file", dir.display());
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let resource = fluent_syntax::parser::parse(text.as_str())
            .unwrap_or_else(|(_, errors)| panic!("{} does not parse: {errors:?}", file.display()));
        for entry in resource.body {
            if let Entry::Message(m) = entry {
                let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                if let Some(first) = ids.insert(m.id.name.to_owned(), name.clone()) {
                    panic!("{}: key {} is defined twice ({first} and {name})", lang.tag(), m.id.name);
                }
            }
        }
    }
    ids
}

#[test]
fn every_language_has_exactly_the_english_keys() {
    let english = catalogue(Language::En);
    assert!(english.len() > 100, "the English catalogue looks truncated: {} keys", english.len());
    for lang in Language::ALL {
        let theirs = catalogue(lang);
        let missing: Vec<_> = english.keys().filter(|k| !theirs.contains_key(*k)).collect();
        let extra: Vec<_> = theirs.keys().filter(|k| !english.contains_key(*k)).collect();
        assert!(missing.is_empty(), "{} lacks {} keys: {missing:?}", lang.tag(), missing.len());
        assert!(extra.is_empty(), "{} has keys English lacks: {extra:?}", lang.tag());
        // Each key lives in the same file in every language.
        for (key, file) in &english {
            assert_eq!(theirs.get(key), Some(file), "{}: {key} is not in {file}", lang.tag());
        }
    }
}

fn files_under(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())).flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, ext, out);
        } else if path.extension().is_some_and(|x| x == ext) {
            out.push(path);
        }
    }
}

/// Keys used as literal first arguments of the translator's methods
/// (`tr.t("…")`, `frame.tr.t1("…", …)`, `tr.count("…", n)`), and literal
/// keys handed to helpers that translate them (`bad("error-form")`).
fn used_keys() -> BTreeMap<String, String> {
    let english = catalogue(Language::En);
    let prefixes: BTreeSet<&str> = english.keys().filter_map(|k| k.split('-').next()).collect();
    let call = regex_lite_calls();
    let mut used = BTreeMap::new();
    let mut files = Vec::new();
    files_under(&crate_dir().join("templates"), "html", &mut files);
    files_under(&crate_dir().join("src"), "rs", &mut files);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let where_ = file.strip_prefix(crate_dir()).unwrap_or(&file).display().to_string();
        for key in call(&text) {
            used.entry(key).or_insert_with(|| where_.clone());
        }
        if file.extension().is_some_and(|x| x == "rs") {
            // Any other literal shaped like a key with a catalogue prefix.
            for lit in string_literals(&text) {
                let shaped = lit.contains('-')
                    && lit.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    && !lit.ends_with('-');
                if shaped && lit.split('-').next().is_some_and(|p| prefixes.contains(p)) {
                    used.entry(lit).or_insert_with(|| where_.clone());
                }
            }
        }
    }
    used
}

/// The literal first arguments of `t(`, `t1(`, `t2(`, `t3(`, `ta(`, `count(`.
fn regex_lite_calls() -> impl Fn(&str) -> Vec<String> {
    |text: &str| {
        let mut keys = Vec::new();
        for method in [".t(\"", ".t1(\"", ".t2(\"", ".t3(\"", ".ta(\"", ".count(\""] {
            let mut rest = text;
            while let Some(at) = rest.find(method) {
                let after = &rest[at + method.len()..];
                if let Some(end) = after.find('"') {
                    keys.push(after[..end].to_owned());
                }
                rest = after;
            }
        }
        keys
    }
}

/// Double-quoted string literals of Rust source, roughly (no raw strings).
fn string_literals(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '"' {
            let mut lit = String::new();
            while let Some(d) = chars.next() {
                match d {
                    '\\' => {
                        chars.next();
                    }
                    '"' => break,
                    _ => lit.push(d),
                }
            }
            out.push(lit);
        }
    }
    out
}

#[test]
fn every_key_the_pages_use_exists() {
    let english = catalogue(Language::En);
    let used = used_keys();
    assert!(used.len() > 100, "the scan found too few keys ({}): is it still reading the calls?", used.len());
    let missing: Vec<_> = used.iter().filter(|(k, _)| !english.contains_key(*k)).collect();
    assert!(missing.is_empty(), "keys used but not in the catalogues (key, first file): {missing:?}");
}

#[test]
fn keys_built_at_run_time_resolve_in_every_language() {
    let mut keys: Vec<String> =
        veza_app::MatchStatus::ALL.iter().map(|s| format!("match-status-{}", s.code())).collect();
    keys.push("match-status-all".into());
    for s in ["pending", "granted", "refused"] {
        keys.push(format!("status-{s}"));
    }
    // The audit view names each action through its own key.
    keys.extend(veza_app::AuditAction::ALL.iter().map(|a| format!("audit-action-{}", a.as_str().replace('_', "-"))));
    for lang in Language::ALL {
        let tr = Tr::new(lang);
        for key in &keys {
            assert!(tr.has(key), "{}: {key}", lang.tag());
        }
    }
}

#[test]
fn translations_are_not_english_left_in_place() {
    // A catalogue copied from English and not translated would pass the key
    // checks: most of each language's long messages must differ from English.
    let english = Tr::new(Language::En);
    let long: Vec<String> = catalogue(Language::En)
        .into_keys()
        .filter(|k| english.t(k).split_whitespace().count() >= 4 && !english.t(k).contains('$'))
        .collect();
    assert!(long.len() > 30);
    for lang in Language::ALL.into_iter().filter(|l| *l != Language::En) {
        let tr = Tr::new(lang);
        let same: Vec<&String> = long.iter().filter(|k| tr.t(k) == english.t(k)).collect();
        assert!(
            same.len() * 20 <= long.len(),
            "{}: {} long messages are still English: {same:?}",
            lang.tag(),
            same.len()
        );
    }
}

#[test]
fn serbian_cyrillic_is_cyrillic() {
    let tr = Tr::new(Language::SrCyrl);
    let latin_words = catalogue(Language::En)
        .into_keys()
        .map(|k| tr.t(&k))
        .filter(|m| m.chars().any(|c| matches!(c, 'č' | 'ć' | 'š' | 'ž' | 'đ')))
        .collect::<Vec<_>>();
    // Latin diacritics appear only in examples of what a user may type.
    assert!(latin_words.iter().all(|m| m.contains("Petrović")), "{latin_words:?}");
}

/// Every label the model has, in every language: walks the loaded model, so
/// a schema, property, link or vocabulary code added later fails here until
/// `scripts/model-labels/labels.tsv` translates it and the catalogues are
/// written again (`cargo run -p veza-web --example model_catalogue`).
#[test]
fn every_model_label_has_a_key_in_every_language() {
    use veza_web::model_labels::{edge_key, plural_key, property_key, schema_key, value_key};
    let model = veza_model::Model::builtin();
    let mut keys = Vec::new();
    for schema in model.schemata() {
        keys.push(schema_key(&schema.name));
        keys.push(plural_key(&schema.name));
        if schema.edge.is_some() {
            keys.push(edge_key(&schema.name));
        }
        for p in schema.properties.values() {
            keys.push(property_key(p));
            for code in p.values.iter().flatten() {
                keys.push(value_key(p, code));
            }
        }
    }
    assert!(keys.len() > 1000, "the walk found too few labels: {}", keys.len());
    for lang in Language::ALL {
        let tr = Tr::new(lang);
        let missing: Vec<&String> = keys.iter().filter(|k| !tr.has(k)).collect();
        assert!(missing.is_empty(), "{}: {} model labels lack a key: {missing:?}", lang.tag(), missing.len());
    }
}

#[test]
fn model_labels_are_translated() {
    let model = veza_model::Model::builtin();
    let person = model.schema("Person").unwrap_or_else(|e| panic!("{e}"));
    let birth = person.property("birthDate").unwrap_or_else(|e| panic!("{e}"));
    let mk = Tr::new(Language::Mk);
    assert_eq!(mk.schema(person), "Лице");
    assert_eq!(mk.property(birth), "Датум на раѓање");
    assert_eq!(Tr::new(Language::SrCyrl).property(birth), "Датум рођења");
    assert_eq!(Tr::new(Language::Sq).property(birth), "Datëlindja");
    assert_eq!(Tr::new(Language::En).property(birth), birth.label, "English is the schema file's");
    let ownership = model.schema("Ownership").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(Tr::new(Language::Hr).edge(ownership), "posjeduje");
    let case = model.schema("Case").unwrap_or_else(|e| panic!("{e}"));
    let status = case.property("status").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(Tr::new(Language::Bs).value(status, "under_investigation"), "U istrazi");
    assert_eq!(Tr::new(Language::En).value(status, "under_investigation"), "Under investigation");
    assert_eq!(mk.value(status, "not-a-code"), "not-a-code", "codes outside the vocabulary as they are");
    // A label most languages share with English is rare: the model's labels
    // were translated, not copied.
    let english = Tr::new(Language::En);
    let labels: Vec<&veza_model::Property> = model.schemata().flat_map(|s| s.properties.values()).collect();
    for lang in Language::ALL.into_iter().filter(|l| *l != Language::En) {
        let tr = Tr::new(lang);
        let same = labels.iter().filter(|p| tr.property(p) == english.property(p)).count();
        assert!(same * 10 < labels.len(), "{}: {same} of {} property labels are English", lang.tag(), labels.len());
    }
}
