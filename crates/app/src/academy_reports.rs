//! The academy's reports: participants and completions disaggregated by
//! country, agency, role and gender; knowledge gain (post-test minus
//! pre-test, Kirkpatrick level 2); the cascade's reach; and Kirkpatrick
//! level 4 — what trained people later took part in (cases, checks,
//! operations), as counts only. Exported as a spreadsheet and a PDF.
//!
//! Only aggregates leave this module, so the reports are for academy
//! administrators and programme managers; reading them is still logged.

use crate::academy_followup::{SurveyItem, SurveySummary};
use crate::cascade::{CountryReach, reach};
use crate::cohorts::{AcademyStanding, academy_standing};
use crate::{Access, AppError, Veza};
use serde::Serialize;
use std::collections::BTreeMap;
use veza_model::Role;
use veza_store::audit::{AuditAction, AuditOutcome};
use veza_store::cohorts::{KnowledgeGain, LaterPractice, ParticipationCount};

/// Participants and completions of one value of a dimension.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Tally {
    /// The value (a country code, agency, role, gender).
    pub key: String,
    /// Participants.
    pub participants: i64,
    /// Completions.
    pub completions: i64,
}

/// The academy's report.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AcademyReport {
    /// Every cell (channel × country × agency × role × gender).
    pub cells: Vec<ParticipationCount>,
    /// Totals by country.
    pub by_country: Vec<Tally>,
    /// Totals by agency.
    pub by_agency: Vec<Tally>,
    /// Totals by role.
    pub by_role: Vec<Tally>,
    /// Totals by gender.
    pub by_gender: Vec<Tally>,
    /// Totals by channel (`cohort`, `national`).
    pub by_channel: Vec<Tally>,
    /// Knowledge gain per course.
    pub gain: Vec<KnowledgeGain>,
    /// Reach of the cascade per country.
    pub reach: Vec<CountryReach>,
    /// Kirkpatrick level 4.
    pub later: LaterPractice,
    /// Reaction (level 1) and follow-up (level 3) survey aggregates.
    pub surveys: SurveySummary,
}

/// Totals of `cells` by the dimension `key` picks.
fn tally(cells: &[ParticipationCount], key: impl Fn(&ParticipationCount) -> &str) -> Vec<Tally> {
    let mut by: BTreeMap<String, Tally> = BTreeMap::new();
    for c in cells {
        let k = key(c);
        let t = by.entry(k.to_owned()).or_insert_with(|| Tally { key: k.to_owned(), ..Default::default() });
        t.participants += c.participants;
        t.completions += c.completions;
    }
    by.into_values().collect()
}

impl AcademyReport {
    /// The report from its parts.
    pub fn from_parts(
        cells: Vec<ParticipationCount>,
        gain: Vec<KnowledgeGain>,
        reach: Vec<CountryReach>,
        later: LaterPractice,
    ) -> AcademyReport {
        AcademyReport {
            by_country: tally(&cells, |c| &c.country),
            by_agency: tally(&cells, |c| &c.agency),
            by_role: tally(&cells, |c| &c.role),
            by_gender: tally(&cells, |c| &c.gender),
            by_channel: tally(&cells, |c| &c.channel),
            cells,
            gain,
            reach,
            later,
            surveys: SurveySummary::default(),
        }
    }

    /// The report as an Excel workbook: one sheet per table.
    pub fn to_xlsx(&self) -> Result<Vec<u8>, AppError> {
        use rust_xlsxwriter::{Format, Workbook};
        let fail = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("spreadsheet: {e}"));
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        {
            let sheet = book.add_worksheet().set_name("Participation").map_err(fail)?;
            let head = ["channel", "country", "agency", "role", "gender", "participants", "completions"];
            for (c, h) in head.iter().enumerate() {
                sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(fail)?;
            }
            for (r, cell) in self.cells.iter().enumerate() {
                let r = r as u32 + 1;
                for (c, v) in [&cell.channel, &cell.country, &cell.agency, &cell.role, &cell.gender].iter().enumerate()
                {
                    sheet.write_string(r, c as u16, v.as_str()).map_err(fail)?;
                }
                sheet.write_number(r, 5, cell.participants as f64).map_err(fail)?;
                sheet.write_number(r, 6, cell.completions as f64).map_err(fail)?;
            }
        }
        for (name, rows) in [
            ("By country", &self.by_country),
            ("By agency", &self.by_agency),
            ("By role", &self.by_role),
            ("By gender", &self.by_gender),
        ] {
            let sheet = book.add_worksheet().set_name(name).map_err(fail)?;
            for (c, h) in ["value", "participants", "completions"].iter().enumerate() {
                sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(fail)?;
            }
            for (r, t) in rows.iter().enumerate() {
                let r = r as u32 + 1;
                sheet.write_string(r, 0, t.key.as_str()).map_err(fail)?;
                sheet.write_number(r, 1, t.participants as f64).map_err(fail)?;
                sheet.write_number(r, 2, t.completions as f64).map_err(fail)?;
            }
        }
        {
            let sheet = book.add_worksheet().set_name("Knowledge gain").map_err(fail)?;
            for (c, h) in ["course", "learners", "mean pre-test", "mean post-test", "gain"].iter().enumerate() {
                sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(fail)?;
            }
            for (r, g) in self.gain.iter().enumerate() {
                let r = r as u32 + 1;
                sheet.write_string(r, 0, g.course_id.as_str()).map_err(fail)?;
                sheet.write_number(r, 1, g.learners as f64).map_err(fail)?;
                sheet.write_number(r, 2, g.mean_pre).map_err(fail)?;
                sheet.write_number(r, 3, g.mean_post).map_err(fail)?;
                sheet.write_number(r, 4, g.mean_post - g.mean_pre).map_err(fail)?;
            }
        }
        {
            let sheet = book.add_worksheet().set_name("Cascade reach").map_err(fail)?;
            let head = ["country", "trainers", "national courses", "trainees", "attended", "passed"];
            for (c, h) in head.iter().enumerate() {
                sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(fail)?;
            }
            for (r, x) in self.reach.iter().enumerate() {
                let r = r as u32 + 1;
                sheet.write_string(r, 0, x.country.as_str()).map_err(fail)?;
                for (c, v) in [x.trainers, x.courses, x.trainees, x.attended, x.passed].iter().enumerate() {
                    sheet.write_number(r, c as u16 + 1, *v as f64).map_err(fail)?;
                }
            }
        }
        {
            let sheet = book.add_worksheet().set_name("Level 4").map_err(fail)?;
            let l = &self.later;
            let rows = [
                ("trained platform users", l.trained_users),
                ("of them later in cases", l.users_in_cases),
                ("cases joined after training", l.cases),
                ("of them later recording checks", l.users_in_checks),
                ("checks recorded after training", l.checks),
                ("of them later recording operations", l.users_in_operations),
                ("operations recorded after training", l.operations),
            ];
            for (r, (label, n)) in rows.iter().enumerate() {
                sheet.write_string(r as u32, 0, *label).map_err(fail)?;
                sheet.write_number(r as u32, 1, *n as f64).map_err(fail)?;
            }
        }
        {
            let sheet = book.add_worksheet().set_name("Surveys").map_err(fail)?;
            let head = ["course", "survey", "question", "answers", "mean rating (1-5)", "choices"];
            for (c, h) in head.iter().enumerate() {
                sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(fail)?;
            }
            for (r, i) in self.surveys.items.iter().enumerate() {
                let r = r as u32 + 1;
                sheet.write_string(r, 0, i.course_title.as_str()).map_err(fail)?;
                sheet.write_string(r, 1, i.purpose.as_str()).map_err(fail)?;
                sheet.write_string(r, 2, i.prompt.as_str()).map_err(fail)?;
                sheet.write_number(r, 3, i.answers as f64).map_err(fail)?;
                if let Some(m) = i.mean {
                    sheet.write_number(r, 4, m).map_err(fail)?;
                }
                sheet.write_string(r, 5, survey_counts(i)).map_err(fail)?;
            }
        }
        book.save_to_buffer().map_err(fail)
    }

    /// The report as a PDF (`reports/academy_report.typ`), with the
    /// participants-per-country chart.
    pub fn to_pdf(&self) -> Result<Vec<u8>, AppError> {
        let gain: Vec<serde_json::Value> = self
            .gain
            .iter()
            .map(|g| {
                serde_json::json!({
                    "course": g.course_id,
                    "learners": g.learners,
                    "pre": format!("{:.1}", g.mean_pre),
                    "post": format!("{:.1}", g.mean_post),
                    "gain": format!("{:+.1}", g.mean_post - g.mean_pre),
                })
            })
            .collect();
        let surveys: Vec<serde_json::Value> = self
            .surveys
            .items
            .iter()
            .map(|i| {
                serde_json::json!({
                    "course": i.course_title,
                    "survey": if i.purpose == "follow_up" { "follow-up (level 3)" } else { "reaction (level 1)" },
                    "prompt": i.prompt,
                    "answers": i.answers,
                    "mean": i.mean.map(|m| format!("{m:.1}")).unwrap_or_default(),
                    "counts": survey_counts(i),
                })
            })
            .collect();
        let data = serde_json::json!({
            "generated": chrono::Utc::now().date_naive().to_string(),
            "report": self,
            "gain": gain,
            "surveys": surveys,
        });
        let files = [("chart.svg", self.country_chart_svg().into_bytes())];
        veza_report::render_pdf(include_str!("../reports/academy_report.typ"), &data, &files, None)
            .map_err(|e| AppError::Internal(e.to_string()))
    }

    /// A bar chart of participants per country as SVG (for the PDF and the page).
    pub fn country_chart_svg(&self) -> String {
        bar_chart_svg(&self.by_country.iter().map(|t| (t.key.clone(), t.participants)).collect::<Vec<_>>())
    }
}

/// A survey question's choices and counts as one line (`option: n; …`).
pub fn survey_counts(item: &SurveyItem) -> String {
    item.counts.iter().map(|(o, n)| format!("{o}: {n}")).collect::<Vec<_>>().join("; ")
}

/// A small horizontal bar chart as SVG (presentation attributes only, so a
/// strict CSP holds). Labels are escaped.
pub fn bar_chart_svg(bars: &[(String, i64)]) -> String {
    let max = bars.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1) as f64;
    let row = 22;
    let height = bars.len() * row + 10;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"420\" height=\"{height}\" viewBox=\"0 0 420 {height}\" role=\"img\">"
    );
    for (i, (label, v)) in bars.iter().enumerate() {
        let y = i * row + 5;
        let w = (*v as f64 / max * 280.0).round().max(1.0);
        let label: String = label
            .chars()
            .map(|c| match c {
                '<' => "&lt;".to_owned(),
                '>' => "&gt;".to_owned(),
                '&' => "&amp;".to_owned(),
                '"' => "&quot;".to_owned(),
                c => c.to_string(),
            })
            .collect();
        svg.push_str(&format!(
            "<text x=\"0\" y=\"{}\" font-size=\"12\" font-family=\"sans-serif\">{label}</text>\
             <rect x=\"80\" y=\"{y}\" width=\"{w}\" height=\"16\" fill=\"#1f5f8b\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"12\" font-family=\"sans-serif\">{v}</text>",
            y + 13,
            85.0 + w,
            y + 13
        ));
    }
    svg.push_str("</svg>");
    svg
}

impl Veza {
    /// The academy's report (academy administrators and programme managers).
    pub async fn academy_report(&self, access: &Access) -> Result<AcademyReport, AppError> {
        let programme =
            matches!(&access.caller, veza_store::Caller::User { roles, .. } if roles.contains(&Role::ProgrammeManager));
        if academy_standing(&access.caller) != AcademyStanding::Administrator && !programme {
            return Err(AppError::Forbidden(
                "the academy's reports are for academy administrators and programme managers".into(),
            ));
        }
        self.audit_access(access, AuditAction::Consult, Vec::new(), AuditOutcome::Ok, "academy report (aggregates)")
            .await?;
        let cells = self.store.participation().await?;
        let gain = self.store.knowledge_gain().await?;
        let trainers = self.store.trainers().await?;
        let courses = self.store.national_courses(None).await?;
        let trainees = self.store.trainees(None).await?;
        let later = self.store.later_practice().await?;
        let mut report = AcademyReport::from_parts(cells, gain, reach(&trainers, &courses, &trainees), later);
        report.surveys = self.survey_summary().await?;
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(country: &str, gender: &str, n: i64, done: i64) -> ParticipationCount {
        ParticipationCount {
            channel: "cohort".into(),
            country: country.into(),
            agency: "a".into(),
            role: "r".into(),
            gender: gender.into(),
            participants: n,
            completions: done,
        }
    }

    #[test]
    fn tallies_add_up_per_dimension() {
        let r = AcademyReport::from_parts(
            vec![cell("rs", "female", 3, 1), cell("rs", "male", 2, 2), cell("ba", "female", 1, 0)],
            vec![],
            vec![],
            LaterPractice::default(),
        );
        assert_eq!(
            r.by_country.iter().map(|t| (t.key.as_str(), t.participants)).collect::<Vec<_>>(),
            [("ba", 1), ("rs", 5)]
        );
        assert_eq!(
            r.by_gender.iter().map(|t| (t.key.as_str(), t.completions)).collect::<Vec<_>>(),
            [("female", 1), ("male", 2)]
        );
        let xlsx = r.to_xlsx().unwrap();
        assert_eq!(&xlsx[..2], b"PK", "a zip container");
    }

    #[test]
    fn chart_labels_are_escaped() {
        let svg = bar_chart_svg(&[("<script>".into(), 3)]);
        assert!(svg.contains("&lt;script&gt;") && !svg.contains("<script>"));
    }
}
