//! The academy's pages as data for their templates: the course list, a
//! course, a lesson, an attempt, the outline editor, and the needs
//! assessment (a country's gap chart and table, a round's form).

use super::Layout;
use crate::i18n::Tr;
use askama::Template;
use veza_model::assessment::CapacityArea;

/// A capacity area's name in the reader's language.
pub(crate) fn area_label(tr: &Tr, area: CapacityArea) -> String {
    tr.t(&format!("academy-area-{}", area.code().replace('_', "-")))
}

/// A course kind in the reader's language.
pub(crate) fn kind_label(tr: &Tr, code: &str) -> String {
    tr.t(&format!("academy-kind-{code}"))
}

/// A score with one decimal.
pub(crate) fn score(v: f64) -> String {
    format!("{v:.1}")
}

/// A course in the list.
pub(crate) struct CourseRow {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) kind: String,
    pub(crate) languages: String,
    pub(crate) version: String,
}

/// `/academy`.
#[derive(Template)]
#[template(path = "academy.html")]
pub(crate) struct AcademyTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) csrf: String,
    pub(crate) courses: Vec<CourseRow>,
    pub(crate) author: bool,
    /// Rounds the user is to answer: (id, agency, round).
    pub(crate) to_answer: Vec<(i64, String, i64)>,
    pub(crate) countries: Vec<String>,
    pub(crate) error: Option<String>,
    /// Follow-up surveys due (level 3): (course id, quiz key, course title, completed on).
    pub(crate) follow_ups: Vec<(String, String, String, String)>,
}

/// A lesson in a course's outline.
pub(crate) struct LessonRow {
    pub(crate) key: String,
    pub(crate) title: String,
    pub(crate) viewed: bool,
    pub(crate) practice: bool,
}

/// A module in a course's outline.
pub(crate) struct ModuleRow {
    pub(crate) title: String,
    pub(crate) lessons: Vec<LessonRow>,
}

/// A quiz on a course page.
pub(crate) struct QuizRow {
    pub(crate) key: String,
    pub(crate) title: String,
    pub(crate) purpose: String,
    pub(crate) limit: String,
    pub(crate) attempts: String,
}

/// One of the learner's attempts.
pub(crate) struct AttemptRow {
    pub(crate) id: i64,
    pub(crate) quiz: String,
    pub(crate) status: String,
    pub(crate) score: String,
}

/// `/academy/courses/{id}`.
#[derive(Template)]
#[template(path = "academy_course.html")]
pub(crate) struct CourseTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) csrf: String,
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) summary: String,
    pub(crate) version: i64,
    pub(crate) modules: Vec<ModuleRow>,
    pub(crate) quizzes: Vec<QuizRow>,
    pub(crate) attempts: Vec<AttemptRow>,
    pub(crate) author: bool,
    pub(crate) error: Option<String>,
}

/// `/academy/courses/{id}/lessons/{key}`.
#[derive(Template)]
#[template(path = "academy_lesson.html")]
pub(crate) struct LessonTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) csrf: String,
    pub(crate) course_id: String,
    pub(crate) course_title: String,
    pub(crate) key: String,
    /// Sanitised HTML of the lesson.
    pub(crate) html: String,
    /// The exercise's task, as its input's label, if the lesson has one.
    pub(crate) task: Option<String>,
    pub(crate) input: String,
    /// (passed, found ids) of the exercise just run.
    pub(crate) outcome: Option<(bool, String)>,
    pub(crate) error: Option<String>,
}

/// A question on the attempt page.
pub(crate) struct QuestionView {
    pub(crate) key: String,
    pub(crate) prompt: String,
    pub(crate) kind: String,
    /// (index, text, chosen) of each option (choices, scale 1–5).
    pub(crate) options: Vec<(usize, String, bool)>,
    /// Matching: (index, left, chosen right index) and the right sides in order shown.
    pub(crate) lefts: Vec<(usize, String, usize)>,
    pub(crate) rights: Vec<(usize, String)>,
    pub(crate) text: String,
    pub(crate) mark: String,
    pub(crate) points: String,
    pub(crate) rubric: String,
    pub(crate) to_grade: bool,
}

/// `/academy/attempts/{id}`.
#[derive(Template)]
#[template(path = "academy_attempt.html")]
pub(crate) struct AttemptTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) csrf: String,
    pub(crate) id: i64,
    pub(crate) course_id: String,
    pub(crate) quiz_title: String,
    pub(crate) open: bool,
    pub(crate) grading: bool,
    pub(crate) deadline: String,
    pub(crate) status: String,
    pub(crate) score: String,
    pub(crate) questions: Vec<QuestionView>,
    pub(crate) error: Option<String>,
}

/// `/academy/courses/{id}/edit`: the outline editor.
#[derive(Template)]
#[template(path = "academy_edit.html")]
pub(crate) struct EditTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) csrf: String,
    pub(crate) id: String,
    pub(crate) outline: String,
    /// Published versions: (version, by, when).
    pub(crate) versions: Vec<(i64, String, String)>,
    pub(crate) problems: Vec<String>,
    pub(crate) saved: bool,
    pub(crate) image: Option<i64>,
}

/// A row of the gap table.
pub(crate) struct AreaRow {
    pub(crate) area: String,
    pub(crate) score: String,
    pub(crate) gap: String,
    pub(crate) previous: String,
    pub(crate) change: String,
}

/// A line of the training plan.
pub(crate) struct PlanRow {
    pub(crate) area: String,
    pub(crate) course: String,
    pub(crate) target_group: String,
    pub(crate) people: String,
}

/// `/academy/assessments/{country}`.
#[derive(Template)]
#[template(path = "academy_assessment.html")]
pub(crate) struct AssessmentTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) country: String,
    pub(crate) round: i64,
    pub(crate) target: String,
    /// The chart, SVG made by the app (labels escaped there).
    pub(crate) chart: String,
    pub(crate) areas: Vec<AreaRow>,
    pub(crate) plan: Vec<PlanRow>,
    pub(crate) agencies: String,
}

/// A statement on the round form.
pub(crate) struct ItemRow {
    pub(crate) key: String,
    pub(crate) area: String,
    pub(crate) text: String,
    /// Ratings 0–4 with whether each is chosen.
    pub(crate) choices: Vec<(u8, bool)>,
    pub(crate) error: bool,
}

/// `/academy/assessments/rounds/{id}`.
#[derive(Template)]
#[template(path = "academy_round.html")]
pub(crate) struct RoundTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) csrf: String,
    pub(crate) id: i64,
    pub(crate) country: String,
    pub(crate) agency: String,
    pub(crate) round: i64,
    pub(crate) items: Vec<ItemRow>,
    pub(crate) error_count: usize,
}
