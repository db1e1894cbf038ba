//! The needs assessment: an academy administrator nominates one respondent
//! per agency and round; only that respondent answers; answers become
//! scores per capacity area; a country's scores are the mean over its
//! agencies, per round, with the gap to the target, a recommended training
//! plan (rules as data: `academy/plan-rules.yaml`) and, from round 2 on,
//! the change since the round before. The gap chart is an SVG drawn with
//! `plotters`.
//!
//! Scores are the agencies' own statements about their capacity, not
//! personal data; who answered is shown only to academy administrators.

use crate::academy::{has_any, may_administer, to_json};
use crate::{AppError, Veza};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use veza_model::Role;
use veza_model::assessment::{CapacityArea, MAX_RATING, PlanLine, PlanRule, Questionnaire, mean_scores, training_plan};
use veza_store::{AssessmentRecord, Caller};

/// The questionnaire, as data.
const QUESTIONNAIRE: &str = include_str!("../academy/questionnaire.yaml");
/// The training plan's rules, as data.
const PLAN_RULES: &str = include_str!("../academy/plan-rules.yaml");

/// The questionnaire every agency answers.
pub fn questionnaire() -> Questionnaire {
    // Embedded data checked by a test; a broken file is a build mistake.
    serde_norway::from_str(QUESTIONNAIRE).unwrap_or(Questionnaire { target: 75.0, items: vec![] })
}

/// The rules that turn gaps into a training plan.
pub fn plan_rules() -> Vec<PlanRule> {
    serde_norway::from_str(PLAN_RULES).unwrap_or_default()
}

/// A round of one agency's assessment, as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessmentRound {
    /// Number.
    pub id: i64,
    /// Country code.
    pub country: String,
    /// Agency code.
    pub agency: String,
    /// Round (1, 2, …).
    pub round: i64,
    /// The nominated respondent (shown to administrators and to the respondent).
    pub respondent: Option<String>,
    /// Whether answered.
    pub submitted: bool,
    /// Scores by area, once answered.
    pub scores: BTreeMap<CapacityArea, f64>,
    /// Ratings by item key, once answered (to the respondent and administrators).
    pub ratings: BTreeMap<String, u8>,
}

/// One area of a country's assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaScore {
    /// The area.
    pub area: CapacityArea,
    /// Score in the latest round, 0–100.
    pub score: f64,
    /// Distance to the target (0 when reached).
    pub gap: f64,
    /// Score in the round before, if any.
    pub previous: Option<f64>,
}

/// A country's assessment: the latest round's scores per area (mean over
/// the agencies that answered), the change since the round before, and
/// the recommended plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryAssessment {
    /// Country code.
    pub country: String,
    /// The latest round with answers (0 when none).
    pub round: i64,
    /// The target every area should reach.
    pub target: f64,
    /// Agencies that answered the latest round.
    pub agencies: Vec<String>,
    /// Scores per area, in the questionnaire's order.
    pub areas: Vec<AreaScore>,
    /// The recommended training plan, largest gaps first.
    pub plan: Vec<PlanLine>,
    /// Every round of every agency.
    pub rounds: Vec<AssessmentRound>,
}

fn parse_scores(json: &str) -> BTreeMap<CapacityArea, f64> {
    serde_json::from_str(json).unwrap_or_default()
}

fn invalid(field: &str, message: impl Into<String>) -> AppError {
    AppError::Invalid { field: Some(field.to_owned()), message: message.into() }
}

/// Who may read countries' assessments: the academy, the programme, and
/// the national THB coordinators and NCBs who answer them.
fn may_read(caller: &Caller) -> bool {
    has_any(
        caller,
        &[
            Role::AcademyAdministrator,
            Role::Trainer,
            Role::ProgrammeManager,
            Role::Administrator,
            Role::ThbCoordinator,
            Role::NcbOfficer,
        ],
    )
}

impl Veza {
    fn round_of(&self, caller: &Caller, r: AssessmentRecord) -> AssessmentRound {
        let me = caller.actor();
        let open = may_administer(caller) || r.respondent == me;
        AssessmentRound {
            id: r.id,
            country: r.country,
            agency: r.agency,
            round: r.round,
            respondent: open.then_some(r.respondent),
            submitted: r.submitted,
            scores: parse_scores(&r.scores),
            ratings: if open { serde_json::from_str(&r.answers).unwrap_or_default() } else { BTreeMap::new() },
        }
    }

    /// Nominates `respondent` (a user of `agency`) to answer the agency's
    /// next round; academy administrators only. A new round opens only when
    /// the agency's previous one was answered.
    pub async fn nominate_respondent(
        &self,
        caller: &Caller,
        agency: &str,
        respondent: &str,
    ) -> Result<AssessmentRound, AppError> {
        if !may_administer(caller) {
            return Err(AppError::Forbidden("only an academy administrator nominates respondents".into()));
        }
        let a = self.store.agency(agency).await?.ok_or_else(|| invalid("agency", format!("no agency '{agency}'")))?;
        let user = self
            .store
            .user(respondent)
            .await?
            .ok_or_else(|| invalid("respondent", format!("no user '{respondent}'")))?;
        if user.agency != a.code {
            return Err(invalid("respondent", format!("{respondent} does not work for {agency}")));
        }
        let rounds: Vec<AssessmentRecord> =
            self.store.assessments(Some(&a.country)).await?.into_iter().filter(|r| r.agency == a.code).collect();
        if rounds.iter().any(|r| !r.submitted) {
            return Err(AppError::Conflict(format!("{agency} has a round that is not answered yet")));
        }
        let round = rounds.iter().map(|r| r.round).max().unwrap_or(0) + 1;
        let now = self.now().timestamp_micros();
        let id = self
            .store
            .nominate_respondent(&a.country, &a.code, round, respondent, &caller.actor(), now)
            .await?
            .ok_or_else(|| AppError::Conflict(format!("round {round} of {agency} exists already")))?;
        let r = self.store.assessment(id).await?.ok_or_else(|| AppError::Internal("round vanished".into()))?;
        Ok(self.round_of(caller, r))
    }

    /// The rounds the caller is the respondent of.
    pub async fn my_assessments(&self, caller: &Caller) -> Result<Vec<AssessmentRound>, AppError> {
        let rows = self.store.assessments_of_respondent(&caller.actor()).await?;
        Ok(rows.into_iter().map(|r| self.round_of(caller, r)).collect())
    }

    /// One round: to its respondent, and to those who read assessments.
    pub async fn assessment_round(&self, caller: &Caller, id: i64) -> Result<AssessmentRound, AppError> {
        let missing = || AppError::NotFound(format!("assessment {id}"));
        let r = self.store.assessment(id).await?.ok_or_else(missing)?;
        if r.respondent != caller.actor() && !may_read(caller) {
            return Err(missing());
        }
        Ok(self.round_of(caller, r))
    }

    /// The respondent answers a round: a rating 0–4 for every statement.
    /// Only the nominated respondent, once.
    pub async fn answer_assessment(
        &self,
        caller: &Caller,
        id: i64,
        ratings: &BTreeMap<String, u8>,
    ) -> Result<AssessmentRound, AppError> {
        let me = caller.actor();
        let r = self.store.assessment(id).await?.ok_or_else(|| AppError::NotFound(format!("assessment {id}")))?;
        if r.respondent != me {
            return Err(AppError::Forbidden("only the nominated respondent answers this assessment".into()));
        }
        if r.submitted {
            return Err(AppError::Conflict("this assessment was answered already".into()));
        }
        let q = questionnaire();
        for item in &q.items {
            match ratings.get(&item.key) {
                None => return Err(invalid(&item.key, "rate every statement")),
                Some(v) if *v > MAX_RATING => return Err(invalid(&item.key, format!("a rating is 0 to {MAX_RATING}"))),
                Some(_) => {}
            }
        }
        let kept: BTreeMap<String, u8> =
            q.items.iter().filter_map(|i| ratings.get(&i.key).map(|v| (i.key.clone(), *v))).collect();
        let scores = q.scores(&kept);
        let now = self.now().timestamp_micros();
        if !self.store.submit_assessment(id, &me, &to_json(&kept)?, &to_json(&scores)?, now).await? {
            return Err(AppError::Conflict("this assessment was answered already".into()));
        }
        self.assessment_round(caller, id).await
    }

    /// The countries with at least one round.
    pub async fn assessed_countries(&self, caller: &Caller) -> Result<Vec<String>, AppError> {
        if !may_read(caller) {
            return Err(AppError::Forbidden("assessments are for the academy and the programme".into()));
        }
        let set: BTreeSet<String> = self.store.assessments(None).await?.into_iter().map(|r| r.country).collect();
        Ok(set.into_iter().collect())
    }

    /// A country's assessment: scores by area of its latest answered round
    /// (mean over agencies), the gap to the target, the change since the
    /// round before, and the training plan.
    pub async fn country_assessment(&self, caller: &Caller, country: &str) -> Result<CountryAssessment, AppError> {
        if !may_read(caller) {
            return Err(AppError::Forbidden("assessments are for the academy and the programme".into()));
        }
        let country = country.trim().to_ascii_lowercase();
        let rows = self.store.assessments(Some(&country)).await?;
        let rounds: Vec<AssessmentRound> = rows.into_iter().map(|r| self.round_of(caller, r)).collect();
        let answered =
            |n: i64| -> Vec<&AssessmentRound> { rounds.iter().filter(|r| r.submitted && r.round == n).collect() };
        let latest = rounds.iter().filter(|r| r.submitted).map(|r| r.round).max().unwrap_or(0);
        let now: Vec<&AssessmentRound> = answered(latest);
        let scores = mean_scores(&now.iter().map(|r| r.scores.clone()).collect::<Vec<_>>());
        let before = (latest > 1)
            .then(|| mean_scores(&answered(latest - 1).iter().map(|r| r.scores.clone()).collect::<Vec<_>>()));
        let q = questionnaire();
        let areas = if latest == 0 {
            vec![]
        } else {
            CapacityArea::ALL
                .iter()
                .map(|a| {
                    let score = scores.get(a).copied().unwrap_or(0.0);
                    AreaScore {
                        area: *a,
                        score,
                        gap: ((q.target - score).max(0.0) * 10.0).round() / 10.0,
                        previous: before.as_ref().and_then(|b| b.get(a).copied()),
                    }
                })
                .collect()
        };
        let agencies: Vec<String> = now.iter().map(|r| r.agency.clone()).collect();
        let plan = training_plan(&plan_rules(), &scores, agencies.len() as u32);
        Ok(CountryAssessment { country, round: latest, target: q.target, agencies, areas, plan, rounds })
    }
}

/// Labels of the chart: the area names in the reader's language.
pub type AreaLabels = BTreeMap<CapacityArea, String>;

/// The gap chart of a country: per area, a bar of the latest score, a
/// thinner bar of the round before (when there is one) and the target as a
/// line; SVG, presentation attributes only (no script, no style element),
/// so it can be embedded in a page under a strict CSP and in a PDF.
pub fn gap_chart_svg(a: &CountryAssessment, labels: &AreaLabels, caption: &str) -> Result<String, AppError> {
    use plotters::prelude::*;
    let mut svg = String::new();
    {
        let n = a.areas.len().max(1) as u32;
        let height = 60 + 34 * n;
        let root = SVGBackend::with_string(&mut svg, (720, height)).into_drawing_area();
        let fail = |e: &dyn std::fmt::Display| AppError::Internal(format!("gap chart: {e}"));
        root.fill(&WHITE).map_err(|e| fail(&e))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(caption, ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(24)
            .y_label_area_size(230)
            .build_cartesian_2d(0f64..100f64, 0f64..f64::from(n))
            .map_err(|e| fail(&e))?;
        let label_of = |i: f64| -> String {
            let idx = i.floor() as usize;
            a.areas
                .get(idx)
                .map(|s| labels.get(&s.area).cloned().unwrap_or_else(|| s.area.code().to_owned()))
                .unwrap_or_default()
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n as usize * 2)
            .y_label_formatter(&|y| if (y.fract() - 0.5).abs() < 0.01 { label_of(*y) } else { String::new() })
            .x_label_formatter(&|x| format!("{x:.0}"))
            .draw()
            .map_err(|e| fail(&e))?;
        let blue = RGBColor(0x1f, 0x4e, 0x8c);
        let grey = RGBColor(0x9a, 0xa5, 0xb1);
        let red = RGBColor(0xb0, 0x24, 0x18);
        chart
            .draw_series(a.areas.iter().enumerate().map(|(i, s)| {
                let y = i as f64;
                Rectangle::new([(0.0, y + 0.15), (s.score, y + 0.6)], blue.filled())
            }))
            .map_err(|e| fail(&e))?;
        chart
            .draw_series(a.areas.iter().enumerate().filter_map(|(i, s)| {
                let y = i as f64;
                s.previous.map(|p| Rectangle::new([(0.0, y + 0.65), (p, y + 0.85)], grey.filled()))
            }))
            .map_err(|e| fail(&e))?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(a.target, 0.0), (a.target, f64::from(n))],
                red.stroke_width(2),
            )))
            .map_err(|e| fail(&e))?;
        root.present().map_err(|e| fail(&e))?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_questionnaire_and_rules_read_and_cover_every_area() {
        let q = questionnaire();
        assert!(!q.items.is_empty());
        assert!(q.problems().is_empty(), "{:?}", q.problems());
        let rules = plan_rules();
        for a in CapacityArea::ALL {
            assert!(rules.iter().any(|r| r.area == a), "no rule for {}", a.code());
        }
        let ids: Vec<&str> = crate::academy::PROGRAMMES.iter().map(|p| p.0).collect();
        assert!(rules.iter().all(|r| ids.contains(&r.course.as_str())), "rules name the programmes");
    }

    #[test]
    fn the_chart_is_svg_without_script() {
        let a = CountryAssessment {
            country: "rs".into(),
            round: 2,
            target: 75.0,
            agencies: vec!["rs-thb".into()],
            areas: CapacityArea::ALL
                .iter()
                .map(|a| AreaScore { area: *a, score: 40.0, gap: 35.0, previous: Some(20.0) })
                .collect(),
            plan: vec![],
            rounds: vec![],
        };
        let labels: AreaLabels = [(CapacityArea::LegalFramework, "Legal <framework>".to_owned())].into();
        let svg = gap_chart_svg(&a, &labels, "Serbia").unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..60.min(svg.len())]);
        assert!(svg.contains("Legal &lt;framework&gt;") || svg.contains("Legal &#60;framework&#62;"), "labels escaped");
        assert!(!svg.contains("<script"));
        assert!(svg.matches("<rect").count() >= 16, "a bar per area and round");
    }
}
