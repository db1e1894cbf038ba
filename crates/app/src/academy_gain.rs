//! Knowledge gain of a course (Kirkpatrick level 2): each learner's best
//! pre-test and post-test score in percent, the means, the mean gain and
//! the normalised gain, split by country and by gender, with an SVG chart.
//!
//! Who sees whom (deny by default): an academy administrator every learner;
//! a trainer the learners of the cohorts of this course they facilitate; a
//! learner only themselves. Reading others' results is audited with the
//! caller's stated purpose, one's own as "own record".

use crate::academy::person_of;
use crate::cohorts::{AcademyStanding, academy_standing};
use crate::{Access, AppError, Veza};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use veza_model::academy::QuizPurpose;
use veza_store::audit::AuditAction;

/// One learner's best pre- and post-test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GainRow {
    /// User name.
    pub learner: String,
    /// Country code (the learner profile's, else the one the attempt recorded).
    pub country: String,
    /// `female`, `male`, `other` or `unknown`.
    pub gender: String,
    /// Best pre-test, percent.
    pub pre: f64,
    /// Best post-test, percent.
    pub post: f64,
}

/// Means of a group of learners.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GainSummary {
    /// What the group is (a country or gender code; empty for everyone).
    pub key: String,
    /// Learners with both tests.
    pub learners: usize,
    /// Mean pre-test, percent.
    pub mean_pre: f64,
    /// Mean post-test, percent.
    pub mean_post: f64,
    /// Mean post minus mean pre, percentage points.
    pub mean_gain: f64,
    /// Hake's normalised gain of the group: (post − pre) / (100 − pre) of
    /// the means; none when the mean pre-test is already 100.
    pub normalised_gain: Option<f64>,
}

/// A course's knowledge gain as the caller may see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CourseGain {
    /// The course.
    pub course_id: String,
    /// Its title (latest published version).
    pub course_title: String,
    /// Learners with both tests, by user name.
    pub rows: Vec<GainRow>,
    /// Everyone shown.
    pub overall: GainSummary,
    /// By country code.
    pub by_country: Vec<GainSummary>,
    /// By gender.
    pub by_gender: Vec<GainSummary>,
}

/// The means of `rows` under `key`.
pub fn summarise(key: &str, rows: &[&GainRow]) -> GainSummary {
    let n = rows.len();
    let mean = |f: fn(&GainRow) -> f64| if n == 0 { 0.0 } else { rows.iter().map(|r| f(r)).sum::<f64>() / n as f64 };
    let (mean_pre, mean_post) = (mean(|r| r.pre), mean(|r| r.post));
    let normalised_gain = (n > 0 && mean_pre < 100.0).then(|| (mean_post - mean_pre) / (100.0 - mean_pre));
    GainSummary {
        key: key.to_owned(),
        learners: n,
        mean_pre,
        mean_post,
        mean_gain: mean_post - mean_pre,
        normalised_gain,
    }
}

/// Groups `rows` by `key_of`, in key order.
fn grouped(rows: &[GainRow], key_of: fn(&GainRow) -> &str) -> Vec<GainSummary> {
    let mut groups: BTreeMap<&str, Vec<&GainRow>> = BTreeMap::new();
    for r in rows {
        groups.entry(key_of(r)).or_default().push(r);
    }
    groups.into_iter().map(|(k, rs)| summarise(k, &rs)).collect()
}

impl CourseGain {
    /// The gain of `rows` (sorted by learner).
    pub fn from_rows(course_id: &str, course_title: &str, mut rows: Vec<GainRow>) -> CourseGain {
        rows.sort_by(|a, b| a.learner.cmp(&b.learner));
        let all: Vec<&GainRow> = rows.iter().collect();
        CourseGain {
            course_id: course_id.to_owned(),
            course_title: course_title.to_owned(),
            overall: summarise("", &all),
            by_country: grouped(&rows, |r| &r.country),
            by_gender: grouped(&rows, |r| &r.gender),
            rows,
        }
    }

    /// Pre (grey) and post (blue) bars of every country and of everyone,
    /// as SVG text (plotters; labels escaped by the backend).
    pub fn chart_svg(&self, everyone: &str, caption: &str) -> Result<String, AppError> {
        use plotters::prelude::*;
        let mut bars: Vec<(String, f64, f64)> =
            self.by_country.iter().map(|g| (g.key.to_uppercase(), g.mean_pre, g.mean_post)).collect();
        bars.push((everyone.to_owned(), self.overall.mean_pre, self.overall.mean_post));
        let n = bars.len() as u32;
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (720, 60 + 40 * n)).into_drawing_area();
            let fail = |e: &dyn std::fmt::Display| AppError::Internal(format!("gain chart: {e}"));
            root.fill(&WHITE).map_err(|e| fail(&e))?;
            let mut chart = ChartBuilder::on(&root)
                .caption(caption, ("sans-serif", 16))
                .margin(10)
                .x_label_area_size(24)
                .y_label_area_size(120)
                .build_cartesian_2d(0f64..100f64, 0f64..f64::from(n))
                .map_err(|e| fail(&e))?;
            chart
                .configure_mesh()
                .disable_y_mesh()
                .y_labels(0)
                .x_label_formatter(&|x| format!("{x:.0}"))
                .draw()
                .map_err(|e| fail(&e))?;
            // Group names in the left margin, level with their bars.
            for (i, b) in bars.iter().enumerate() {
                let (_, y) = chart.backend_coord(&(0.0, i as f64 + 0.5));
                root.draw(&Text::new(b.0.clone(), (14, y - 7), ("sans-serif", 13))).map_err(|e| fail(&e))?;
            }
            let grey = RGBColor(0x9a, 0xa5, 0xb1);
            let blue = RGBColor(0x1f, 0x4e, 0x8c);
            chart
                .draw_series(bars.iter().enumerate().map(|(i, b)| {
                    Rectangle::new([(0.0, i as f64 + 0.15), (b.1.clamp(0.0, 100.0), i as f64 + 0.45)], grey.filled())
                }))
                .map_err(|e| fail(&e))?;
            chart
                .draw_series(bars.iter().enumerate().map(|(i, b)| {
                    Rectangle::new([(0.0, i as f64 + 0.5), (b.2.clamp(0.0, 100.0), i as f64 + 0.85)], blue.filled())
                }))
                .map_err(|e| fail(&e))?;
            root.present().map_err(|e| fail(&e))?;
        }
        Ok(svg)
    }
}

impl Veza {
    /// A course's knowledge gain as the caller may see it (see the module):
    /// the best scored pre- and post-test attempt of each learner in view.
    pub async fn course_gain(&self, access: &Access, course_id: &str) -> Result<CourseGain, AppError> {
        let course = self.published_course(course_id, None).await?;
        let (me, _, _) = person_of(&access.caller);
        let visible: Option<BTreeSet<String>> = match academy_standing(&access.caller) {
            AcademyStanding::Administrator => None,
            AcademyStanding::Trainer => {
                let mut learners = BTreeSet::new();
                for c in self.store.cohorts(Some(&me), None).await? {
                    if c.course_id == course_id {
                        learners.extend(self.store.enrolments(c.id).await?.into_iter().map(|e| e.learner));
                    }
                }
                Some(learners)
            }
            AcademyStanding::Learner => Some(BTreeSet::from([me.clone()])),
        };
        let mut best: BTreeMap<String, (Option<f64>, Option<f64>, String)> = BTreeMap::new();
        for a in self.store.quiz_attempts(course_id, None).await? {
            if visible.as_ref().is_some_and(|v| !v.contains(&a.learner)) {
                continue;
            }
            let post = match QuizPurpose::parse(&a.purpose) {
                Some(QuizPurpose::PreTest) => false,
                Some(QuizPurpose::PostTest) => true,
                _ => continue,
            };
            let (Some(score), true) = (a.score, a.max_score > 0.0) else { continue };
            let pct = score / a.max_score * 100.0;
            let entry = best.entry(a.learner.clone()).or_insert((None, None, a.learner_country.clone()));
            let slot = if post { &mut entry.1 } else { &mut entry.0 };
            *slot = Some(slot.map_or(pct, |s: f64| s.max(pct)));
        }
        let mut rows = Vec::new();
        for (learner, (pre, post, country)) in best {
            let (Some(pre), Some(post)) = (pre, post) else { continue };
            let profile = self.store.learner(&learner).await?;
            let (country, gender) = match profile {
                Some(p) => (if p.country.is_empty() { country } else { p.country }, p.gender),
                None => (country, "unknown".to_owned()),
            };
            rows.push(GainRow { learner, country, gender, pre, post });
        }
        let learners: Vec<String> = rows.iter().map(|r| r.learner.clone()).collect();
        if !learners.is_empty() {
            self.academy_audit(access, AuditAction::Consult, &learners, &format!("knowledge gain of {course_id}"))
                .await?;
        }
        Ok(CourseGain::from_rows(course_id, &course.outline.title, rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(learner: &str, country: &str, gender: &str, pre: f64, post: f64) -> GainRow {
        GainRow { learner: learner.into(), country: country.into(), gender: gender.into(), pre, post }
    }

    #[test]
    fn means_gain_and_normalised_gain() {
        let g = CourseGain::from_rows(
            "c",
            "C",
            vec![
                row("b", "rs", "male", 40.0, 70.0),
                row("a", "rs", "female", 20.0, 60.0),
                row("c", "mk", "female", 60.0, 80.0),
            ],
        );
        assert_eq!(g.rows[0].learner, "a", "sorted by learner");
        assert_eq!(g.overall.learners, 3);
        assert!((g.overall.mean_pre - 40.0).abs() < 1e-9);
        assert!((g.overall.mean_post - 70.0).abs() < 1e-9);
        assert!((g.overall.mean_gain - 30.0).abs() < 1e-9);
        assert!((g.overall.normalised_gain.unwrap() - 0.5).abs() < 1e-9, "30 of the 60 points left");
        let rs = g.by_country.iter().find(|s| s.key == "rs").unwrap();
        assert_eq!((rs.learners, rs.mean_pre, rs.mean_post), (2, 30.0, 65.0));
        let female = g.by_gender.iter().find(|s| s.key == "female").unwrap();
        assert_eq!((female.learners, female.mean_gain), (2, 30.0));
    }

    #[test]
    fn a_full_pre_test_has_no_normalised_gain_and_nobody_no_means() {
        let g = CourseGain::from_rows("c", "C", vec![row("a", "rs", "male", 100.0, 100.0)]);
        assert_eq!(g.overall.normalised_gain, None);
        let empty = CourseGain::from_rows("c", "C", vec![]);
        assert_eq!((empty.overall.learners, empty.overall.normalised_gain), (0, None));
        assert!(empty.by_country.is_empty());
    }

    #[test]
    fn the_chart_is_escaped_svg_with_two_bars_a_group() {
        let g = CourseGain::from_rows("c", "C", vec![row("a", "rs", "male", 20.0, 60.0)]);
        let svg = g.chart_svg("All <b>", "Gain").unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("All &lt;b"), "labels are escaped");
        assert!(svg.matches("<rect").count() >= 4, "pre and post for RS and everyone");
    }
}
