//! Views of the academy's results pages: the grading queue and a course's
//! knowledge gain.

use super::{Frame, Layout};
use crate::i18n::Tr;
use askama::Template;
use veza_app::{CourseGain, GainSummary, WaitingAttempt};

/// A waiting attempt as the queue lists it.
pub(crate) struct QueueRow {
    pub(crate) id: i64,
    pub(crate) course: String,
    pub(crate) quiz: String,
    pub(crate) learner: String,
    pub(crate) submitted: String,
}

/// `/academy/grading`.
#[derive(Template)]
#[template(path = "academy_grading.html")]
pub(crate) struct GradingTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) rows: Vec<QueueRow>,
}

impl GradingTemplate {
    pub(crate) fn new(frame: &Frame, tr: Tr, queue: Vec<WaitingAttempt>) -> Self {
        let rows = queue
            .into_iter()
            .map(|w| QueueRow {
                id: w.attempt.id,
                course: w.course_title,
                quiz: w.quiz_title,
                learner: w.attempt.learner,
                submitted: w
                    .attempt
                    .submitted_at
                    .and_then(chrono::DateTime::from_timestamp_micros)
                    .map(|t| tr.datetime(t))
                    .unwrap_or_default(),
            })
            .collect();
        GradingTemplate { layout: Layout::new(frame, tr.t("academy-grading-title")), tr, rows }
    }
}

/// A group's figures, formatted.
pub(crate) struct GainLine {
    pub(crate) key: String,
    pub(crate) learners: usize,
    pub(crate) pre: String,
    pub(crate) post: String,
    pub(crate) gain: String,
    pub(crate) normalised: String,
}

fn line(key: String, g: &GainSummary) -> GainLine {
    GainLine {
        key,
        learners: g.learners,
        pre: format!("{:.1}", g.mean_pre),
        post: format!("{:.1}", g.mean_post),
        gain: format!("{:+.1}", g.mean_gain),
        normalised: g.normalised_gain.map(|n| format!("{n:.2}")).unwrap_or_else(|| "—".into()),
    }
}

/// `/academy/courses/{id}/gain`.
#[derive(Template)]
#[template(path = "academy_gain.html")]
pub(crate) struct GainTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) course_id: String,
    pub(crate) course_title: String,
    pub(crate) overall: GainLine,
    /// (heading key, table id, lines): by country, by gender.
    pub(crate) groups: Vec<(&'static str, &'static str, Vec<GainLine>)>,
    /// (learner, country, gender, pre, post, gain).
    pub(crate) rows: Vec<(String, String, String, String, String, String)>,
    pub(crate) chart: String,
}

impl GainTemplate {
    pub(crate) fn new(frame: &Frame, tr: Tr, gain: CourseGain, chart: String) -> Self {
        let gender = |g: &str| {
            let key = format!("cohort-gender-{g}");
            if tr.has(&key) { tr.t(&key) } else { g.to_owned() }
        };
        GainTemplate {
            layout: Layout::new(frame, tr.t1("academy-gain-title", "course", gain.course_title.clone())),
            overall: line(tr.t("academy-gain-everyone"), &gain.overall),
            groups: vec![
                (
                    "academy-gain-by-country",
                    "gain-by-country",
                    gain.by_country.iter().map(|g| line(g.key.to_uppercase(), g)).collect(),
                ),
                (
                    "academy-gain-by-gender",
                    "gain-by-gender",
                    gain.by_gender.iter().map(|g| line(gender(&g.key), g)).collect(),
                ),
            ],
            rows: gain
                .rows
                .iter()
                .map(|r| {
                    (
                        r.learner.clone(),
                        r.country.to_uppercase(),
                        gender(&r.gender),
                        format!("{:.1}", r.pre),
                        format!("{:.1}", r.post),
                        format!("{:+.1}", r.post - r.pre),
                    )
                })
                .collect(),
            course_id: gain.course_id,
            course_title: gain.course_title,
            chart,
            tr,
        }
    }
}
