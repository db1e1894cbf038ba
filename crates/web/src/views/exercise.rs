//! What the exercise pages show: the list, the exercise's board (clock,
//! participants, MSEL, hot wash, improvement plan), the inject form, the
//! player's inbox and the evaluation sheet.

use crate::i18n::Tr;
use crate::views::{Layout, entity_href, path_segment};
use askama::Template;
use veza_app::{Exercise, ExerciseStatus, Inject, Part, Rating};

/// A form's problem, shown beside it.
#[derive(Debug, Clone, Default)]
pub(crate) struct FormError {
    /// Which form (`clock`, `participants`, `msel`, `hotwash`, `corrective`, `release`, `respond-3`, `score-2-1`).
    pub(crate) form: String,
    /// What is wrong.
    pub(crate) message: String,
}

/// The path of an exercise's page.
pub(crate) fn exercise_href(id: &str) -> String {
    format!("/exercises/{}", path_segment(id))
}

/// An exercise's status in the reader's language.
pub(crate) fn status_label(tr: &Tr, status: ExerciseStatus) -> String {
    tr.t(&format!("exercise-status-{}", status.code()))
}

/// A part in the reader's language.
pub(crate) fn part_label(tr: &Tr, part: Option<Part>) -> String {
    match part {
        Some(p) => tr.t(&format!("exercise-part-{}", p.code())),
        None => tr.t("exercise-part-platform"),
    }
}

/// A rating in the reader's language.
pub(crate) fn rating_label(tr: &Tr, rating: Option<Rating>) -> String {
    match rating {
        Some(r) => tr.t(&format!("exercise-rating-{}", r.code().replace('_', "-"))),
        None => tr.t("exercise-rating-none"),
    }
}

/// Microseconds as the reader's date and time; "" for none.
pub(crate) fn when(tr: &Tr, at: Option<i64>) -> String {
    at.and_then(chrono::DateTime::from_timestamp_micros).map(|d| tr.datetime(d)).unwrap_or_default()
}

/// One exercise in the list.
pub(crate) struct ExerciseRow {
    pub(crate) href: String,
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) status: String,
    pub(crate) part: String,
}

/// `/exercises`.
#[derive(Template)]
#[template(path = "exercise_list.html")]
pub(crate) struct ExerciseListTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) csrf: String,
    pub(crate) rows: Vec<ExerciseRow>,
    /// Whether the user may make exercises.
    pub(crate) creates: bool,
    pub(crate) name: String,
    pub(crate) seed: String,
    pub(crate) error: Option<FormError>,
}

/// An attached record, as a link.
pub(crate) struct RecordLink {
    pub(crate) href: String,
    pub(crate) id: String,
}

/// Links to an inject's records.
pub(crate) fn record_links(records: &[String]) -> Vec<RecordLink> {
    records.iter().map(|r| RecordLink { href: entity_href(r), id: r.clone() }).collect()
}

/// An expected action in a table.
pub(crate) struct ExpectedRow {
    pub(crate) position: i64,
    pub(crate) action: String,
    pub(crate) objective: String,
    pub(crate) rating: String,
    pub(crate) rating_code: String,
    pub(crate) notes: String,
    pub(crate) scored_by: String,
}

/// A response in a table.
pub(crate) struct ResponseRow {
    pub(crate) by: String,
    pub(crate) at: String,
    pub(crate) body: String,
    pub(crate) action: String,
}

/// An inject on the board, the inbox or the evaluation sheet.
pub(crate) struct InjectRow {
    pub(crate) number: i64,
    pub(crate) offset: i64,
    pub(crate) sender: String,
    pub(crate) recipients: String,
    pub(crate) content: String,
    pub(crate) records: Vec<RecordLink>,
    pub(crate) released: String,
    pub(crate) released_by: String,
    pub(crate) expected: Vec<ExpectedRow>,
    pub(crate) responses: Vec<ResponseRow>,
}

/// The rows of injects, with their responses.
pub(crate) fn inject_rows(tr: &Tr, injects: &[Inject], responses: &[veza_app::ExerciseResponse]) -> Vec<InjectRow> {
    injects
        .iter()
        .map(|i| InjectRow {
            number: i.number,
            offset: i.offset_minutes,
            sender: i.sender.clone(),
            recipients: i.recipients.join(", "),
            content: i.content.clone(),
            records: record_links(&i.records),
            released: when(tr, i.released_at),
            released_by: i.released_by.clone().unwrap_or_default(),
            expected: i
                .expected
                .iter()
                .map(|e| ExpectedRow {
                    position: e.position,
                    action: e.action.clone(),
                    objective: e.objective.clone(),
                    rating: rating_label(tr, e.rating),
                    rating_code: e.rating.map(|r| r.code().to_owned()).unwrap_or_default(),
                    notes: e.notes.clone(),
                    scored_by: e.scored_by.clone().unwrap_or_default(),
                })
                .collect(),
            responses: responses
                .iter()
                .filter(|r| r.inject_number == i.number)
                .map(|r| ResponseRow {
                    by: r.username.clone(),
                    at: when(tr, Some(r.responded_at)),
                    body: r.body.clone(),
                    action: r.audit_summary.clone(),
                })
                .collect(),
        })
        .collect()
}

/// A participant in the table.
pub(crate) struct ParticipantRow {
    pub(crate) username: String,
    pub(crate) part: String,
    pub(crate) team: String,
}

/// A hot-wash item.
pub(crate) struct HotwashRow {
    pub(crate) by: String,
    pub(crate) body: String,
}

/// A corrective action.
pub(crate) struct CorrectiveRow {
    pub(crate) area: String,
    pub(crate) action: String,
    pub(crate) owner: String,
    pub(crate) due: String,
}

/// `/exercises/{id}`.
#[derive(Template)]
#[template(path = "exercise_board.html")]
pub(crate) struct ExerciseBoardTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) csrf: String,
    pub(crate) base: String,
    pub(crate) exercise: Exercise,
    pub(crate) status: String,
    pub(crate) clock_minutes: i64,
    pub(crate) part: String,
    pub(crate) team: String,
    pub(crate) controls: bool,
    pub(crate) evaluates: bool,
    pub(crate) plays: bool,
    /// Whether the request acts in this exercise's realm.
    pub(crate) inside: bool,
    pub(crate) can_start: bool,
    pub(crate) can_pause: bool,
    pub(crate) can_end: bool,
    pub(crate) participants: Vec<ParticipantRow>,
    pub(crate) injects: Vec<InjectRow>,
    pub(crate) strengths: Vec<HotwashRow>,
    pub(crate) improvements: Vec<HotwashRow>,
    pub(crate) correctives: Vec<CorrectiveRow>,
    pub(crate) error: Option<FormError>,
    /// Text kept in the MSEL import box after a refusal.
    pub(crate) msel_text: String,
}

impl ExerciseBoardTemplate {
    /// The error of `form`, if it is the one that failed.
    pub(crate) fn error_of(&self, form: &str) -> String {
        self.error.as_ref().filter(|e| e.form == form).map(|e| e.message.clone()).unwrap_or_default()
    }
}

/// `/exercises/{id}/injects/{n}`: the inject form.
#[derive(Template)]
#[template(path = "exercise_inject.html")]
pub(crate) struct InjectFormTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) csrf: String,
    pub(crate) base: String,
    pub(crate) name: String,
    pub(crate) number: String,
    pub(crate) offset: String,
    pub(crate) sender: String,
    pub(crate) recipients: String,
    pub(crate) content: String,
    pub(crate) records: String,
    /// One line per expected action: `action | objective`.
    pub(crate) expected: String,
    /// (field, message).
    pub(crate) errors: Vec<(String, String)>,
}

impl InjectFormTemplate {
    /// The message beside `field`.
    pub(crate) fn error_of(&self, field: &str) -> String {
        self.errors.iter().filter(|(f, _)| f == field).map(|(_, m)| m.as_str()).collect::<Vec<_>>().join("; ")
    }
}

/// One of the player's actions to link.
pub(crate) struct ActionOption {
    pub(crate) seq: i64,
    pub(crate) label: String,
}

/// `/exercises/{id}/inbox`.
#[derive(Template)]
#[template(path = "exercise_inbox.html")]
pub(crate) struct InboxTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) csrf: String,
    pub(crate) base: String,
    pub(crate) name: String,
    pub(crate) team: String,
    pub(crate) status: String,
    pub(crate) inside: bool,
    pub(crate) injects: Vec<InjectRow>,
    pub(crate) actions: Vec<ActionOption>,
    pub(crate) error: Option<FormError>,
}

impl InboxTemplate {
    /// The error of `form`, if it is the one that failed.
    pub(crate) fn error_of(&self, form: &str) -> String {
        self.error.as_ref().filter(|e| e.form == form).map(|e| e.message.clone()).unwrap_or_default()
    }
}

/// `/exercises/{id}/evaluation`.
#[derive(Template)]
#[template(path = "exercise_evaluation.html")]
pub(crate) struct EvaluationTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) csrf: String,
    pub(crate) base: String,
    pub(crate) name: String,
    pub(crate) injects: Vec<InjectRow>,
    pub(crate) error: Option<FormError>,
}

impl EvaluationTemplate {
    /// The error of `form`, if it is the one that failed.
    pub(crate) fn error_of(&self, form: &str) -> String {
        self.error.as_ref().filter(|e| e.form == form).map(|e| e.message.clone()).unwrap_or_default()
    }

    /// The rating codes with their labels, for the select.
    pub(crate) fn ratings(&self) -> Vec<(String, String)> {
        Rating::ALL.iter().map(|r| (r.code().to_owned(), rating_label(&self.tr, Some(*r)))).collect()
    }
}
