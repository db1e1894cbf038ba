//! What the academy's cohort, certificate, cascade and report pages show.

use super::{Frame, Layout, path_segment};
use crate::i18n::Tr;
use askama::Template;
use std::collections::BTreeMap;
use veza_app::{
    AcademyReport, AcademyStanding, CascadeBranch, CascadeView, Certificate, Cohort, CohortDraft, CohortView,
    CompletionRule, Invitation, NationalCourse, NationalCourseDraft, Post, ScheduledModule, Trainee,
    VerifiedCertificate,
};
use veza_store::Caller;

/// `/academy/cohorts`.
#[derive(Template)]
#[template(path = "cohorts.html")]
pub(crate) struct CohortsTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) cohorts: Vec<Cohort>,
    pub(crate) invitations: Vec<(String, Cohort)>,
    pub(crate) certificates: Vec<Certificate>,
    pub(crate) creates: bool,
    pub(crate) reports: bool,
}

impl CohortsTemplate {
    pub(crate) fn new(
        frame: &Frame,
        tr: Tr,
        cohorts: Vec<Cohort>,
        invitations: Vec<(Invitation, Cohort)>,
        certificates: Vec<Certificate>,
        standing: AcademyStanding,
    ) -> Self {
        CohortsTemplate {
            layout: Layout::new(frame, tr.t("cohort-list-title")),
            tr,
            cohorts,
            invitations: invitations
                .into_iter()
                .map(|(i, c)| (format!("/academy/invitations/{}", i.code), c))
                .collect(),
            certificates,
            creates: standing != AcademyStanding::Learner,
            reports: standing == AcademyStanding::Administrator,
        }
    }
}

/// `/academy/cohorts/new`.
#[derive(Template)]
#[template(path = "cohort_new.html")]
pub(crate) struct CohortNewTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) csrf: String,
    pub(crate) draft: CohortDraft,
    pub(crate) errors: BTreeMap<String, String>,
    /// (name, label key, value, input type) of the one-line fields.
    pub(crate) inputs: Vec<(&'static str, &'static str, String, &'static str)>,
}

impl CohortNewTemplate {
    pub(crate) fn new(frame: &Frame, tr: Tr, draft: CohortDraft, errors: BTreeMap<String, String>) -> Self {
        let d = &draft;
        let inputs = vec![
            ("course_id", "cohort-field-course", d.course_id.clone(), "text"),
            ("course_title", "cohort-field-course-title", d.course_title.clone(), "text"),
            ("course_kind", "cohort-field-kind", d.course_kind.clone(), "text"),
            ("title", "cohort-field-title", d.title.clone(), "text"),
            ("facilitator", "cohort-field-facilitator", d.facilitator.clone(), "text"),
            ("capacity", "cohort-field-capacity", d.capacity.clone(), "number"),
            ("starts_on", "cohort-field-starts", d.starts_on.clone(), "date"),
            ("ends_on", "cohort-field-ends", d.ends_on.clone(), "date"),
        ];
        CohortNewTemplate {
            layout: Layout::new(frame, tr.t("cohort-new-title")),
            tr,
            csrf: frame.csrf(),
            draft,
            errors,
            inputs,
        }
    }

    /// The error beside a field, or "".
    pub(crate) fn error(&self, field: &str) -> String {
        self.errors.get(field).cloned().unwrap_or_default()
    }
}

/// One learner's row on the cohort page.
pub(crate) struct ProgressRow {
    pub(crate) learner: String,
    pub(crate) name: String,
    pub(crate) modules: String,
    pub(crate) quizzes: usize,
    pub(crate) pre: String,
    pub(crate) post: String,
    pub(crate) signed_off: bool,
    pub(crate) certificate: Option<String>,
}

/// `/academy/cohorts/{id}`.
#[derive(Template)]
#[template(path = "cohort.html")]
pub(crate) struct CohortTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) csrf: String,
    pub(crate) cohort: Cohort,
    pub(crate) base: String,
    pub(crate) modules: Vec<(ScheduledModule, String)>,
    pub(crate) manages: bool,
    pub(crate) learner: bool,
    pub(crate) rows: Vec<ProgressRow>,
    pub(crate) invitations: Vec<Invitation>,
    pub(crate) rule: Vec<String>,
    pub(crate) errors: BTreeMap<String, String>,
}

fn score(s: Option<f64>) -> String {
    s.map(|v| format!("{v:.0}%")).unwrap_or_else(|| "—".into())
}

impl CohortTemplate {
    pub(crate) fn new(
        frame: &Frame,
        tr: Tr,
        caller: &Caller,
        view: CohortView,
        rule: &CompletionRule,
        errors: BTreeMap<String, String>,
    ) -> Self {
        let base = format!("/academy/cohorts/{}", view.cohort.id);
        let me = match caller {
            Caller::User { username, .. } => username.clone(),
            Caller::System { .. } => String::new(),
        };
        let rows = view
            .progress
            .iter()
            .map(|p| ProgressRow {
                learner: p.enrolment.learner.clone(),
                name: p.enrolment.display_name.clone(),
                modules: format!("{}/{}", p.modules_viewed, p.modules_total),
                quizzes: p.quizzes_passed,
                pre: score(p.best_pre),
                post: score(p.best_post),
                signed_off: p.enrolment.signed_off_by.is_some(),
                certificate: p.certificate.clone(),
            })
            .collect();
        let mut lines = Vec::new();
        if rule.all_modules_viewed {
            lines.push(tr.t("cohort-rule-modules"));
        }
        if rule.quizzes_passed > 0 {
            lines.push(tr.t1("cohort-rule-quizzes", "count", rule.quizzes_passed));
        }
        if rule.min_score > 0.0 {
            lines.push(tr.t1("cohort-rule-score", "score", format!("{:.0}", rule.min_score)));
        }
        if rule.sign_off {
            lines.push(tr.t("cohort-rule-sign-off"));
        }
        let modules = view
            .modules
            .iter()
            .map(|m| (m.clone(), format!("{base}/modules/{}", path_segment(&m.module_id))))
            .collect();
        CohortTemplate {
            layout: Layout::new(frame, view.cohort.title.clone()),
            csrf: frame.csrf(),
            learner: view.progress.iter().any(|p| p.enrolment.learner == me),
            cohort: view.cohort,
            base,
            modules,
            manages: view.manages,
            rows,
            invitations: view.invitations,
            rule: lines,
            errors,
            tr,
        }
    }

    /// The error beside a form, or "".
    pub(crate) fn error(&self, form: &str) -> String {
        self.errors.get(form).cloned().unwrap_or_default()
    }
}

/// `/academy/cohorts/{id}/modules/{module}`.
#[derive(Template)]
#[template(path = "cohort_module.html")]
pub(crate) struct ModuleTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) csrf: String,
    pub(crate) cohort: Cohort,
    pub(crate) module: ScheduledModule,
    pub(crate) posts: Vec<Post>,
    pub(crate) error: Option<String>,
    pub(crate) draft: String,
    pub(crate) action: String,
}

impl ModuleTemplate {
    pub(crate) fn new(
        frame: &Frame,
        tr: Tr,
        cohort: Cohort,
        module: ScheduledModule,
        posts: Vec<Post>,
        error: Option<String>,
        draft: String,
    ) -> Self {
        let action = format!("/academy/cohorts/{}/modules/{}", cohort.id, path_segment(&module.module_id));
        ModuleTemplate {
            layout: Layout::new(frame, module.title.clone()),
            tr,
            csrf: frame.csrf(),
            cohort,
            module,
            posts,
            error,
            draft,
            action,
        }
    }
}

/// `/academy/invitations/{code}`.
#[derive(Template)]
#[template(path = "cohort_invitation.html")]
pub(crate) struct InvitationTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) csrf: String,
    pub(crate) action: String,
    pub(crate) cohort: Cohort,
    pub(crate) error: Option<String>,
}

impl InvitationTemplate {
    pub(crate) fn new(frame: &Frame, tr: Tr, invitation: Invitation, cohort: Cohort, error: Option<String>) -> Self {
        InvitationTemplate {
            layout: Layout::new(frame, tr.t("cohort-invitation-title")),
            tr,
            csrf: frame.csrf(),
            action: format!("/academy/invitations/{}", invitation.code),
            cohort,
            error,
        }
    }
}

/// `/certificates/verify/{code}`.
#[derive(Template)]
#[template(path = "cohort_verify.html")]
pub(crate) struct VerifyTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) found: VerifiedCertificate,
}

impl VerifyTemplate {
    pub(crate) fn new(frame: &Frame, tr: Tr, found: VerifiedCertificate) -> Self {
        VerifyTemplate { layout: Layout::new(frame, tr.t("cohort-verify-title")), tr, found }
    }
}

/// One branch of the cascade, flattened for the nested list.
pub(crate) struct CascadeItem {
    /// `open-trainer`, `course`, `trainee`, `close` markers laid out by the template.
    pub(crate) kind: &'static str,
    pub(crate) text: String,
    pub(crate) detail: String,
    pub(crate) href: String,
}

fn flatten(b: &CascadeBranch, out: &mut Vec<CascadeItem>) {
    out.push(CascadeItem {
        kind: "trainer",
        text: b.name.clone(),
        detail: b.trainer.country.clone(),
        href: String::new(),
    });
    for c in &b.courses {
        out.push(CascadeItem {
            kind: "course",
            text: c.course.course.title.clone(),
            detail: format!(
                "{}, {} — {} – {}",
                c.course.course.place, c.course.course.hotspot_area, c.course.course.starts_on, c.course.course.ends_on
            ),
            href: format!("/academy/national-courses/{}", c.course.id),
        });
        for t in &c.trainees {
            out.push(CascadeItem {
                kind: "trainee",
                text: t.name.clone(),
                detail: t.agency.clone(),
                href: String::new(),
            });
        }
        for n in &c.next {
            flatten(n, out);
        }
        out.push(CascadeItem { kind: "end-course", text: String::new(), detail: String::new(), href: String::new() });
    }
    out.push(CascadeItem { kind: "end-trainer", text: String::new(), detail: String::new(), href: String::new() });
}

/// `/academy/cascade`.
#[derive(Template)]
#[template(path = "cohort_cascade.html")]
pub(crate) struct CascadeTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) csrf: String,
    pub(crate) items: Vec<CascadeItem>,
    pub(crate) reach: Vec<veza_app::CountryReach>,
    pub(crate) chart: String,
    pub(crate) errors: BTreeMap<String, String>,
    /// (name, label key, value, input type) of the form's fields.
    pub(crate) inputs: Vec<(&'static str, &'static str, String, &'static str)>,
}

impl CascadeTemplate {
    pub(crate) fn new(
        frame: &Frame,
        tr: Tr,
        caller: &Caller,
        view: CascadeView,
        draft: NationalCourseDraft,
        errors: BTreeMap<String, String>,
    ) -> Self {
        let mut items = Vec::new();
        for b in &view.roots {
            flatten(b, &mut items);
        }
        let bars: Vec<(String, i64)> = view.reach.iter().map(|r| (r.country.clone(), r.trainees as i64)).collect();
        CascadeTemplate {
            layout: Layout::new(frame, tr.t("cohort-cascade-title")),
            csrf: frame.csrf(),
            items,
            chart: veza_app::bar_chart_svg(&bars),
            reach: view.reach,
            errors,
            inputs: {
                let d = &draft;
                let mut v = vec![
                    ("title", "cohort-field-title", d.title.clone(), "text"),
                    ("country", "cohort-col-country", d.country.clone(), "text"),
                    ("place", "cohort-field-place", d.place.clone(), "text"),
                    ("hotspot_area", "cohort-field-hotspot", d.hotspot_area.clone(), "text"),
                    ("starts_on", "cohort-field-starts", d.starts_on.clone(), "date"),
                    ("ends_on", "cohort-field-ends", d.ends_on.clone(), "date"),
                    ("target_group", "cohort-field-target", d.target_group.clone(), "text"),
                ];
                if veza_app::academy_standing(caller) == AcademyStanding::Administrator {
                    v.insert(0, ("trainer", "cohort-field-trainer", d.trainer.clone(), "text"));
                }
                v
            },
            tr,
        }
    }

    /// The error beside a field, or "".
    pub(crate) fn error(&self, field: &str) -> String {
        self.errors.get(field).cloned().unwrap_or_default()
    }
}

/// `/academy/national-courses/{id}`.
#[derive(Template)]
#[template(path = "cohort_national.html")]
pub(crate) struct NationalTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) csrf: String,
    pub(crate) course: NationalCourse,
    pub(crate) trainees: Vec<Trainee>,
    pub(crate) error: Option<String>,
}

impl NationalTemplate {
    pub(crate) fn new(
        frame: &Frame,
        tr: Tr,
        course: NationalCourse,
        trainees: Vec<Trainee>,
        error: Option<String>,
    ) -> Self {
        NationalTemplate {
            layout: Layout::new(frame, course.course.title.clone()),
            tr,
            csrf: frame.csrf(),
            course,
            trainees,
            error,
        }
    }

    /// A score for the table.
    pub(crate) fn score(&self, s: &Option<f64>) -> String {
        score(*s)
    }
}

/// `/academy/reports`.
#[derive(Template)]
#[template(path = "cohort_reports.html")]
pub(crate) struct ReportsTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) report: AcademyReport,
    pub(crate) chart: String,
    pub(crate) gains: Vec<(String, i64, String, String, String)>,
    /// (heading key, rows) of the four dimensions.
    pub(crate) tables: Vec<(&'static str, Vec<veza_app::Tally>)>,
    /// Survey aggregates: (course, survey, question, answers, mean rating, choices).
    pub(crate) surveys: Vec<(String, String, String, usize, String, String)>,
}

impl ReportsTemplate {
    pub(crate) fn new(frame: &Frame, tr: Tr, report: AcademyReport) -> Self {
        let gains = report
            .gain
            .iter()
            .map(|g| {
                (
                    g.course_id.clone(),
                    g.learners,
                    format!("{:.1}", g.mean_pre),
                    format!("{:.1}", g.mean_post),
                    format!("{:+.1}", g.mean_post - g.mean_pre),
                )
            })
            .collect();
        let tables = vec![
            ("cohort-col-country", report.by_country.clone()),
            ("cohort-field-agency", report.by_agency.clone()),
            ("cohort-field-role", report.by_role.clone()),
            ("cohort-field-gender", report.by_gender.clone()),
        ];
        let surveys = report
            .surveys
            .items
            .iter()
            .map(|i| {
                let survey = if i.purpose == "follow_up" {
                    tr.t("cohort-survey-follow-up")
                } else {
                    tr.t("cohort-survey-reaction")
                };
                let mean = i.mean.map(|m| format!("{m:.1}")).unwrap_or_default();
                (i.course_title.clone(), survey, i.prompt.clone(), i.answers, mean, veza_app::survey_counts(i))
            })
            .collect();
        ReportsTemplate {
            surveys,
            tables,
            layout: Layout::new(frame, tr.t("cohort-reports-title")),
            chart: report.country_chart_svg(),
            tr,
            report,
            gains,
        }
    }
}
