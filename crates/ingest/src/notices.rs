//! INTERPOL notices in the shape of INTERPOL's public notices service
//! (`ws-public.interpol.int/notices/v1`, see `shared/reference/interpol/`):
//! a list page (`_embedded.notices`), a single notice's detail, a JSON
//! array of either, or JSON lines of either (what `veza synth` writes to
//! `watchlists/notices.jsonl`). Each notice becomes one `Notice` entity
//! with the person details as published, for screening.
//!
//! Rules, each pinned by a test below:
//! * the notice type comes from the path of `_links.self.href`
//!   (`/notices/v1/red/2025-6928` → `red`; `un` → `un_special`); a notice
//!   without it is rejected, since a red and a yellow notice call for
//!   opposite actions;
//! * the id is `notice-{type}-{entity_id with / as -}`, so a re-import
//!   updates the same record and `veza synth`'s ids agree;
//! * dates are published as `YYYY/MM/DD` or `YYYY`; `/` becomes `-`;
//! * `name` is the family name, `forename` the given names; the entity's
//!   `name` is "forename name", as the notice is read aloud;
//! * a value the model refuses (a placeholder country `XX`, an impossible
//!   date) is left out with a note; the notice is kept;
//! * public notices are visible to every user of the platform (they are
//!   published); a different handling can be set afterwards by the owner.

use crate::dataset::check_dataset;
use crate::error::IngestError;
use crate::outcome::{Accepted, Note, Outcome, Reject, excerpt};
use crate::progress::{Progress, ProgressUnit};
use crate::row::EXCERPT;
use serde_json::{Map, Value};
use std::collections::VecDeque;
use std::io::Read;
use veza_model::{Entity, Handling, Model, SourceRef, Visibility};

/// Largest notices file read, in bytes (the file is read whole).
pub const MAX_NOTICES_BYTES: usize = 1 << 30;

/// Reads INTERPOL-shaped notices, one `Notice` entity per [`Iterator::next`].
///
/// ```
/// use veza_ingest::NoticeReader;
/// let text = r#"{"forename": "JOHN", "name": "DOE", "date_of_birth": "1979/01/17",
///   "entity_id": "2021/75051", "nationalities": ["RS"],
///   "_links": {"self": {"href": "https://ws-public.interpol.int/notices/v1/red/2021-75051"}}}"#;
/// let model = veza_model::Model::builtin();
/// let rows: Vec<_> = NoticeReader::new(text.as_bytes(), model, "interpol").unwrap()
///     .collect::<Result<_, _>>().unwrap();
/// let notice = rows[0].entity().unwrap();
/// assert_eq!(notice.id, "notice-red-2021-75051");
/// assert_eq!(notice.first("birthDate"), Some("1979-01-17"));
/// assert_eq!(notice.first("name"), Some("JOHN DOE"));
/// ```
pub struct NoticeReader<'m> {
    model: &'m Model,
    dataset: String,
    pending: VecDeque<Outcome>,
    total: u64,
    rows: u64,
}

impl<'m> NoticeReader<'m> {
    /// Reads all of `input` and parses it; rows come out one by one. Only
    /// input that is not JSON at all, or too large, fails the whole file.
    pub fn new(mut input: impl Read, model: &'m Model, dataset: &str) -> Result<Self, IngestError> {
        check_dataset(dataset)?;
        let mut bytes = Vec::new();
        input.by_ref().take(MAX_NOTICES_BYTES as u64 + 1).read_to_end(&mut bytes)?;
        if bytes.len() > MAX_NOTICES_BYTES {
            return Err(IngestError::Content(format!(
                "the notices file is larger than {} MiB; split it into pages",
                MAX_NOTICES_BYTES >> 20
            )));
        }
        let text = std::str::from_utf8(&bytes).map_err(|e| {
            IngestError::Content(format!("the notices file is not UTF-8 (at byte {})", e.valid_up_to() + 1))
        })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = NoticeReader {
            model,
            dataset: dataset.to_owned(),
            pending: VecDeque::new(),
            total: bytes.len() as u64,
            rows: 0,
        };
        let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
        let mut any = false;
        loop {
            let start = stream.byte_offset();
            let line = line_at(text, start);
            match stream.next() {
                None => break,
                Some(Ok(value)) => {
                    any = true;
                    reader.add_document(line, value);
                }
                Some(Err(e)) => {
                    if !any {
                        return Err(IngestError::Content(format!(
                            "not INTERPOL notices JSON: {e} (expected a notice, a list page with \
                             _embedded.notices, an array, or JSON lines)"
                        )));
                    }
                    // serde_json counts lines from the start of the input.
                    let line = if e.line() > 0 { e.line() as u64 } else { line };
                    reader.pending.push_back(Outcome::Rejected(vec![Reject {
                        line,
                        column: "json".into(),
                        value: String::new(),
                        reason: format!("invalid JSON, the rest of the file is skipped: {e}"),
                    }]));
                    break;
                }
            }
        }
        Ok(reader)
    }

    /// Notices read so far, and the share of the file they come from.
    pub fn progress(&self) -> Progress {
        let left = self.pending.len() as u64;
        let all = self.rows + left;
        let done = (self.total * self.rows).checked_div(all).unwrap_or(self.total);
        Progress { rows: self.rows, done, total: Some(self.total), unit: ProgressUnit::Bytes }
    }

    /// One JSON document: a list page, an array, or a notice.
    fn add_document(&mut self, line: u64, value: Value) {
        match value {
            Value::Array(items) => {
                for item in items {
                    self.add_document(line, item);
                }
            }
            Value::Object(obj) => {
                let page = obj.get("_embedded").and_then(|e| e.get("notices")).and_then(Value::as_array).cloned();
                match page {
                    Some(notices) => {
                        for n in notices {
                            self.add_document(line, n);
                        }
                    }
                    None => {
                        let outcome = self.notice(line, &obj);
                        self.pending.push_back(outcome);
                    }
                }
            }
            other => self.pending.push_back(Outcome::Rejected(vec![Reject {
                line,
                column: "json".into(),
                value: excerpt(&other.to_string(), EXCERPT),
                reason: "a notice is a JSON object".into(),
            }])),
        }
    }

    /// One notice object as an entity, or why not.
    fn notice(&self, line: u64, obj: &Map<String, Value>) -> Outcome {
        let reject = |column: &str, value: &str, reason: String| {
            Outcome::Rejected(vec![Reject { line, column: column.into(), value: excerpt(value, EXCERPT), reason }])
        };
        let Some(notice_id) = obj.get("entity_id").and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
        else {
            return reject("entity_id", "", "missing: every notice has an entity_id such as 2025/6928".into());
        };
        let href = obj.get("_links").and_then(|l| l.get("self")).and_then(|s| s.get("href")).and_then(Value::as_str);
        let Some(kind) = href.and_then(notice_type) else {
            return reject(
                "_links.self.href",
                href.unwrap_or(""),
                "cannot tell the notice type: the link must name it, as in /notices/v1/red/2025-6928".into(),
            );
        };
        let id = format!("notice-{kind}-{}", notice_id.replace('/', "-"));
        let mut entity = Entity::new(id, "Notice");
        entity.provenance.source = SourceRef { dataset: self.dataset.clone(), record: Some(notice_id.to_owned()) };
        entity.handling = Handling { visibility: Visibility::All, existence_visible: true, ..Handling::default() };
        let mut notes = Vec::new();
        let mut put = |entity: &mut Entity, prop: &str, column: &str, raw: &str| {
            let raw = raw.trim();
            if raw.is_empty() {
                return;
            }
            if let Err(e) = entity.add(self.model, prop, raw) {
                notes.push(Note {
                    line,
                    column: column.into(),
                    value: excerpt(raw, EXCERPT),
                    message: format!("left out: {e}"),
                });
            }
        };
        put(&mut entity, "noticeType", "_links.self.href", kind);
        put(&mut entity, "noticeId", "entity_id", notice_id);
        let forename = text_of(obj, "forename");
        let family = text_of(obj, "name");
        let full = [forename.as_deref(), family.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
        put(&mut entity, "name", "forename+name", &full);
        for (prop, key) in [
            ("firstName", "forename"),
            ("lastName", "name"),
            ("birthName", "birth_name"),
            ("fatherForename", "father_forename"),
            ("motherForename", "mother_forename"),
            ("motherFamilyName", "mother_name"),
            ("birthPlace", "place_of_birth"),
            ("distinguishingMarks", "distinguishing_marks"),
            ("eventPlace", "place"),
        ] {
            if let Some(v) = text_of(obj, key) {
                put(&mut entity, prop, key, &v);
            }
        }
        for (prop, key) in [("birthDate", "date_of_birth"), ("eventDate", "date_of_event")] {
            if let Some(v) = text_of(obj, key) {
                put(&mut entity, prop, key, &v.replace('/', "-"));
            }
        }
        for (prop, key) in [("birthCountry", "country_of_birth_id"), ("eventCountry", "country")] {
            if let Some(v) = text_of(obj, key) {
                put(&mut entity, prop, key, &v.to_ascii_lowercase());
            }
        }
        for v in list_of(obj, "nationalities") {
            put(&mut entity, "nationality", "nationalities", &v.to_ascii_lowercase());
        }
        for v in list_of(obj, "languages_spoken_ids") {
            put(&mut entity, "spokenLanguage", "languages_spoken_ids", &v.to_ascii_lowercase());
        }
        for v in list_of(obj, "eyes_colors_id") {
            put(&mut entity, "eyeColor", "eyes_colors_id", &v);
        }
        for v in list_of(obj, "hairs_id") {
            put(&mut entity, "hairColor", "hairs_id", &v);
        }
        match text_of(obj, "sex_id").as_deref() {
            Some("M") => put(&mut entity, "gender", "sex_id", "male"),
            Some("F") => put(&mut entity, "gender", "sex_id", "female"),
            _ => {}
        }
        for (prop, key) in [("height", "height"), ("weight", "weight")] {
            if let Some(n) = obj.get(key).and_then(Value::as_f64) {
                put(&mut entity, prop, key, &n.to_string());
            }
        }
        for warrant in obj.get("arrest_warrants").and_then(Value::as_array).into_iter().flatten() {
            let Some(w) = warrant.as_object() else { continue };
            if let Some(c) = text_of(w, "charge") {
                put(&mut entity, "charge", "arrest_warrants.charge", &c);
            }
            if let Some(c) = text_of(w, "charge_translation") {
                put(&mut entity, "chargeTranslation", "arrest_warrants.charge_translation", &c);
            }
            if let Some(c) = text_of(w, "issuing_country_id") {
                put(&mut entity, "warrantCountry", "arrest_warrants.issuing_country_id", &c.to_ascii_lowercase());
            }
        }
        let thumbnail =
            obj.get("_links").and_then(|l| l.get("thumbnail")).and_then(|s| s.get("href")).and_then(Value::as_str);
        if let Some(url) = thumbnail {
            put(&mut entity, "imageUrl", "_links.thumbnail.href", url);
        }
        put(&mut entity, "status", "", "active");
        Outcome::Accepted(Accepted { line, entity, notes })
    }
}

impl Iterator for NoticeReader<'_> {
    type Item = Result<Outcome, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        let outcome = self.pending.pop_front()?;
        self.rows += 1;
        Some(Ok(outcome))
    }
}

/// The notice type a notice's own link names.
fn notice_type(href: &str) -> Option<&'static str> {
    let path = href.split("/notices/v1/").nth(1)?;
    match path.split('/').next()? {
        "red" => Some("red"),
        "yellow" => Some("yellow"),
        "un" => Some("un_special"),
        "blue" => Some("blue"),
        "green" => Some("green"),
        "black" => Some("black"),
        "orange" => Some("orange"),
        "purple" => Some("purple"),
        "silver" => Some("silver"),
        _ => None,
    }
}

/// A string member, trimmed; numbers are written out; null and empty are none.
fn text_of(obj: &Map<String, Value>, key: &str) -> Option<String> {
    match obj.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The strings of a list member (a lone string counts as a list of one).
fn list_of(obj: &Map<String, Value>, key: &str) -> Vec<String> {
    match obj.get(key) {
        Some(Value::Array(items)) => {
            items.iter().filter_map(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
        }
        Some(Value::String(s)) if !s.trim().is_empty() => vec![s.trim().to_owned()],
        _ => Vec::new(),
    }
}

/// 1-based line of the first non-blank byte at or after `offset` in `text`.
fn line_at(text: &str, offset: usize) -> u64 {
    let bytes = text.as_bytes();
    let mut end = offset.min(bytes.len());
    while end < bytes.len() && bytes[end].is_ascii_whitespace() {
        end += 1;
    }
    1 + text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn read(text: &str) -> Vec<Outcome> {
        NoticeReader::new(text.as_bytes(), Model::builtin(), "interpol").unwrap().map(|o| o.unwrap()).collect()
    }

    const REFERENCE: &str = "../../../shared/reference/interpol";

    fn reference(name: &str) -> Option<String> {
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(REFERENCE).join(name)).ok()
    }

    #[test]
    fn a_red_notice_detail_becomes_a_notice_with_its_warrant() {
        let Some(text) = reference("red_notice_detail.example.json") else { return };
        let rows = read(&text);
        assert_eq!(rows.len(), 1);
        let Outcome::Accepted(a) = &rows[0] else { panic!("{rows:?}") };
        let e = &a.entity;
        assert_eq!(e.id, "notice-red-2025-6928");
        assert_eq!(e.first("noticeType"), Some("red"));
        assert_eq!(e.first("name"), Some("JOHN DOE"));
        assert_eq!(e.first("birthDate"), Some("1993-01-08"));
        assert_eq!(e.first("gender"), Some("male"));
        assert!(e.first("charge").is_some_and(|c| c.contains("Trafficking")));
        assert_eq!(e.handling.visibility, Visibility::All);
        // The reference data uses the placeholder country XX: left out, noted.
        assert!(e.values("nationality").is_empty());
        assert!(a.notes.iter().any(|n| n.column == "nationalities" && n.value == "xx"), "{:?}", a.notes);
    }

    #[test]
    fn a_list_page_gives_one_notice_per_entry_with_partial_dates() {
        let Some(text) = reference("red_notices_list.example.json") else { return };
        let rows = read(&text);
        assert_eq!(rows.len(), 2);
        let second = rows[1].entity().unwrap();
        assert_eq!(second.id, "notice-red-2008-19815");
        assert_eq!(second.first("birthDate"), Some("1972"));
        assert_eq!(second.first("name"), Some("SINGLENAME"));
    }

    #[test]
    fn yellow_notices_keep_the_disappearance() {
        let Some(text) = reference("yellow_notice_detail.example.json") else { return };
        let rows = read(&text);
        let e = rows[0].entity().unwrap();
        assert_eq!(e.first("noticeType"), Some("yellow"));
        assert_eq!(e.first("eventDate"), Some("2021-02-01"));
        assert_eq!(e.first("fatherForename"), Some("JOHN"));
        assert_eq!(e.first("gender"), Some("female"));
    }

    #[test]
    fn json_lines_are_read_and_bad_notices_rejected_with_their_line() {
        let text = concat!(
            r#"{"entity_id": "2020/1", "name": "KRASNIQI", "forename": "ARBEN", "nationalities": ["XK"], "_links": {"self": {"href": "https://x/notices/v1/red/2020-1"}}}"#,
            "\n",
            r#"{"entity_id": "2020/2", "name": "NOLINK"}"#,
            "\n",
            r#"{"name": "NOID", "_links": {"self": {"href": "https://x/notices/v1/un/2020-3"}}}"#,
            "\n",
            r#"{"entity_id": "2020/4", "name": "HOXHA", "_links": {"self": {"href": "https://x/notices/v1/un/2020-4"}}}"#,
            "\n"
        );
        let rows = read(text);
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0].entity().unwrap().first("nationality"), Some("xk"));
        assert_eq!(rows[1].rejects()[0].column, "_links.self.href");
        assert_eq!(rows[1].rejects()[0].line, 2);
        assert_eq!(rows[2].rejects()[0].column, "entity_id");
        assert_eq!(rows[2].rejects()[0].line, 3);
        assert_eq!(rows[3].entity().unwrap().first("noticeType"), Some("un_special"));
    }

    #[test]
    fn garbage_fails_the_file_and_a_broken_tail_is_one_reject() {
        assert!(NoticeReader::new("not json".as_bytes(), Model::builtin(), "x").is_err());
        let text = "{\"entity_id\": \"1/1\", \"_links\": {\"self\": {\"href\": \"/notices/v1/red/1-1\"}}}\n{broken\n";
        let rows = read(text);
        assert_eq!(rows.len(), 2);
        assert!(rows[0].entity().is_some());
        assert_eq!(rows[1].rejects()[0].column, "json");
        assert_eq!(rows[1].rejects()[0].line, 2);
    }

    proptest! {
        #[test]
        fn arbitrary_input_never_panics(text in "\\PC{0,300}") {
            if let Ok(reader) = NoticeReader::new(text.as_bytes(), Model::builtin(), "x") {
                for outcome in reader {
                    prop_assert!(outcome.is_ok());
                }
            }
        }

        #[test]
        fn notice_like_objects_never_panic(
            id in "[0-9/]{0,8}", name in "\\PC{0,20}", dob in "[0-9/]{0,12}", kind in "(red|yellow|un|xyz)",
        ) {
            let v = serde_json::json!({"entity_id": id, "name": name, "date_of_birth": dob,
                "_links": {"self": {"href": format!("https://x/notices/v1/{kind}/1")}}});
            let rows = read(&v.to_string());
            prop_assert_eq!(rows.len(), 1);
        }
    }
}
