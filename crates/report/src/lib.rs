//! Veza's reports — situation reports, results reports, after-action reports,
//! certificates — typeset into PDF with typst used as a library.
//!
//! A report is a typst template plus data. The template never receives user
//! text pasted into its markup: it reads its data as JSON from the virtual
//! file `data.json` (`#let data = json("data.json")`), so a name or a note
//! that contains typst syntax is printed as written, never evaluated. Extra
//! virtual files (an SVG chart, an image) are passed by name.
//!
//! Everything happens in memory: no file system, no network, no packages.
//! Fonts are the ones typst ships (`typst-assets`): Libertinus Serif, New
//! Computer Modern and DejaVu Sans Mono, which cover Latin with the region's
//! diacritics, Cyrillic and Greek.

mod world;

use std::sync::OnceLock;
use thiserror::Error;
use typst::foundations::Smart;
use typst_layout::PagedDocument;

pub use world::Fonts;

/// Why a report could not be typeset.
#[derive(Debug, Error)]
pub enum ReportError {
    /// The data could not be serialised as JSON.
    #[error("report data: {0}")]
    Data(String),
    /// The template did not compile; the messages say where and why.
    #[error("report template: {0}")]
    Template(String),
    /// The PDF writer failed.
    #[error("PDF export: {0}")]
    Pdf(String),
}

/// The fonts every report uses, loaded once per process.
fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(Fonts::embedded)
}

/// Typesets `template` with `data` (readable in the template as
/// `json("data.json")`) and extra virtual `files`, and returns the PDF.
///
/// `today` is the date `datetime.today()` answers in the template
/// (year, month, day); reports pass the date they are made on, so one input
/// always gives the same document.
pub fn render_pdf(
    template: &str,
    data: &serde_json::Value,
    files: &[(&str, Vec<u8>)],
    today: Option<(i32, u8, u8)>,
) -> Result<Vec<u8>, ReportError> {
    let document = compile(template, data, files, today)?;
    let options = typst_pdf::PdfOptions { ident: Smart::Auto, ..Default::default() };
    typst_pdf::pdf(&document, &options).map_err(|errors| ReportError::Pdf(messages(&errors)))
}

/// How many pages `template` with `data` makes (for tests and previews).
pub fn page_count(template: &str, data: &serde_json::Value, files: &[(&str, Vec<u8>)]) -> Result<usize, ReportError> {
    Ok(compile(template, data, files, None)?.pages().len())
}

fn compile(
    template: &str,
    data: &serde_json::Value,
    files: &[(&str, Vec<u8>)],
    today: Option<(i32, u8, u8)>,
) -> Result<PagedDocument, ReportError> {
    let json = serde_json::to_vec(data).map_err(|e| ReportError::Data(e.to_string()))?;
    let mut all: Vec<(&str, Vec<u8>)> = vec![("data.json", json)];
    all.extend(files.iter().map(|(name, bytes)| (*name, bytes.clone())));
    let world = world::ReportWorld::new(fonts(), template, all, today);
    let warned = typst::compile::<PagedDocument>(&world);
    warned.output.map_err(|errors| ReportError::Template(messages(&errors)))
}

/// The compiler's messages, one per line.
fn messages(errors: &[typst::diag::SourceDiagnostic]) -> String {
    errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; ")
}

/// Escapes text for a typst *string literal* (`"…"`), for the rare template
/// built in code. Prefer passing text in the data.
pub fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const TEMPLATE: &str = r#"
#let data = json("data.json")
#set page(paper: "a4")
= #data.title
#table(columns: 2, ..data.rows.map(r => (r.name, str(r.count))).flatten())
"#;

    #[test]
    fn a_template_with_data_becomes_a_pdf() {
        let data = json!({"title": "Situation report", "rows": [
            {"name": "Tabanovce", "count": 12}, {"name": "Ђевђелија", "count": 3}]});
        let pdf = render_pdf(TEMPLATE, &data, &[], Some((2026, 11, 29))).expect("typesets");
        assert!(pdf.starts_with(b"%PDF-"), "a PDF");
        assert!(pdf.len() > 1_000);
    }

    #[test]
    fn user_text_that_looks_like_markup_is_printed_not_run() {
        // A note holding typst code must not be evaluated: it arrives as data.
        let data = json!({"title": "#panic(\"boom\") #read(\"/etc/passwd\")", "rows": []});
        let pdf = render_pdf(TEMPLATE, &data, &[], None);
        assert!(pdf.is_ok(), "{pdf:?}");
    }

    #[test]
    fn the_template_cannot_read_the_file_system() {
        let template = "#read(\"/etc/passwd\")";
        let err = render_pdf(template, &json!({}), &[], None).expect_err("no such virtual file");
        assert!(matches!(err, ReportError::Template(_)), "{err}");
    }

    #[test]
    fn a_broken_template_says_why() {
        let err = render_pdf("#let x = (", &json!({}), &[], None).expect_err("syntax error");
        let ReportError::Template(message) = err else { panic!("template error expected") };
        assert!(!message.is_empty());
    }

    #[test]
    fn extra_files_are_readable_by_name() {
        let svg =
            br#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>"#;
        let template = "#image(\"chart.svg\", width: 2cm)";
        let pdf = render_pdf(template, &json!({}), &[("chart.svg", svg.to_vec())], None).expect("typesets");
        assert!(pdf.starts_with(b"%PDF-"));
    }

    #[test]
    fn long_tables_run_over_several_pages() {
        let rows: Vec<_> = (0..300).map(|i| json!({"name": format!("row {i}"), "count": i})).collect();
        let pages = page_count(TEMPLATE, &json!({"title": "Long", "rows": rows}), &[]).expect("typesets");
        assert!(pages > 1, "{pages} page(s)");
    }

    #[test]
    fn string_literals_escape_quotes_and_backslashes() {
        assert_eq!(string_literal("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
    }
}
