//! Train-the-trainer: trainers certified by a TtT course record the national
//! courses they deliver (place, hotspot area, dates, target group) with their
//! trainees' attendance and results; the cascade tree (TtT graduate →
//! national courses → trainees, and on when a trainee becomes a trainer) and
//! its reach per country.
//!
//! Administrators see the whole tree; a trainer sees their own branch; the
//! reach per country (counts) is for them and programme managers too.

use crate::cohorts::{AcademyStanding, academy_standing, username};
use crate::{Access, AppError, Veza};
use chrono::{NaiveDate, Utc};
use std::collections::{BTreeMap, BTreeSet};
use veza_model::Role;
use veza_store::audit::AuditAction;
use veza_store::cohorts::{NationalCourse, NewNationalCourse, Trainee, Trainer};

/// Deepest level of the cascade shown (a trainee who became a trainer
/// opens the next level).
pub const MAX_CASCADE_DEPTH: usize = 6;

/// One trainer's branch of the cascade.
#[derive(Debug, Clone, PartialEq)]
pub struct CascadeBranch {
    /// The trainer.
    pub trainer: Trainer,
    /// The trainer's name.
    pub name: String,
    /// Their national courses with trainees and the branches of trainees
    /// who became trainers.
    pub courses: Vec<CascadeCourse>,
}

/// A national course in the cascade.
#[derive(Debug, Clone, PartialEq)]
pub struct CascadeCourse {
    /// The course.
    pub course: NationalCourse,
    /// Its trainees.
    pub trainees: Vec<Trainee>,
    /// Branches of its trainees who became trainers.
    pub next: Vec<CascadeBranch>,
}

/// Reach of the cascade in one country.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct CountryReach {
    /// Country code.
    pub country: String,
    /// Trainers.
    pub trainers: usize,
    /// National courses.
    pub courses: usize,
    /// Trainees recorded.
    pub trainees: usize,
    /// Trainees who attended.
    pub attended: usize,
    /// Trainees who passed.
    pub passed: usize,
}

/// The cascade page.
#[derive(Debug, Clone, PartialEq)]
pub struct CascadeView {
    /// Roots: trainers who are nobody's trainee (or the caller's own branch).
    pub roots: Vec<CascadeBranch>,
    /// Reach per country, of what the caller may see.
    pub reach: Vec<CountryReach>,
}

/// A national course as the form sends it.
#[derive(Debug, Clone, Default)]
pub struct NationalCourseDraft {
    /// The trainer (a trainer records their own: empty).
    pub trainer: String,
    /// Title.
    pub title: String,
    /// Country code.
    pub country: String,
    /// Place.
    pub place: String,
    /// Hotspot area.
    pub hotspot_area: String,
    /// First day.
    pub starts_on: String,
    /// Last day.
    pub ends_on: String,
    /// Target group.
    pub target_group: String,
}

impl Veza {
    /// Checks and records a national course: a certified trainer records
    /// their own; an academy administrator any trainer's.
    pub async fn record_national_course(
        &self,
        access: &Access,
        draft: &NationalCourseDraft,
    ) -> Result<i64, Vec<crate::FieldProblem>> {
        let mut problems = Vec::new();
        let mut problem = |f: &str, m: &str| problems.push(crate::FieldProblem { field: f.into(), message: m.into() });
        let standing = academy_standing(&access.caller);
        let trainer = match (standing, draft.trainer.trim()) {
            (AcademyStanding::Administrator, "") => {
                problem("trainer", "name the trainer (a user name)");
                String::new()
            }
            (AcademyStanding::Administrator, t) => t.to_owned(),
            _ => username(&access.caller).to_owned(),
        };
        let certified = match self.store.trainer(&trainer).await {
            Ok(t) => t,
            Err(e) => return Err(vec![crate::FieldProblem { field: "title".into(), message: e.to_string() }]),
        };
        if certified.is_none() && !trainer.is_empty() {
            problem("trainer", "only trainers certified by a train-the-trainer course record national courses");
        }
        for (field, value, what) in [
            ("title", &draft.title, "a title"),
            ("place", &draft.place, "the place"),
            ("hotspot_area", &draft.hotspot_area, "the hotspot area"),
            ("target_group", &draft.target_group, "the target group"),
        ] {
            let v = value.trim();
            if v.is_empty() || v.chars().count() > 200 {
                problem(field, &format!("give {what} (at most 200 characters)"));
            }
        }
        let country = draft.country.trim().to_ascii_lowercase();
        if veza_model::types::clean_country(&country).is_none() {
            problem("country", "give the country's two-letter code (rs, ba, me, mk, al, xk, hr…)");
        }
        let day = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
        let (starts, ends) = (day(&draft.starts_on), day(&draft.ends_on));
        if starts.is_none() {
            problem("starts_on", "the first day is a date (YYYY-MM-DD)");
        }
        if ends.is_none() {
            problem("ends_on", "the last day is a date (YYYY-MM-DD)");
        }
        if let (Some(s), Some(e)) = (starts, ends)
            && e < s
        {
            problem("ends_on", "the last day comes on or after the first");
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let course = NewNationalCourse {
            trainer,
            country,
            title: draft.title.trim().to_owned(),
            place: draft.place.trim().to_owned(),
            hotspot_area: draft.hotspot_area.trim().to_owned(),
            starts_on: starts.map(|d| d.to_string()).unwrap_or_default(),
            ends_on: ends.map(|d| d.to_string()).unwrap_or_default(),
            target_group: draft.target_group.trim().to_owned(),
        };
        let fail = |e: AppError| vec![crate::FieldProblem { field: "title".into(), message: e.to_string() }];
        self.academy_audit(access, AuditAction::Collect, &[], &format!("national course '{}' recorded", course.title))
            .await
            .map_err(fail)?;
        self.store.add_national_course(&course, Utc::now().timestamp_micros()).await.map_err(|e| fail(e.into()))
    }

    /// A national course with its trainees, for its trainer or an administrator.
    pub async fn national_course(&self, access: &Access, id: i64) -> Result<(NationalCourse, Vec<Trainee>), AppError> {
        let course = self.managed_national_course(access, id).await?;
        let trainees = self.store.trainees(Some(id)).await?;
        let names: Vec<String> = trainees.iter().map(trainee_ref).collect();
        if !names.is_empty() {
            self.audit_access(
                access,
                AuditAction::Consult,
                names,
                veza_store::audit::AuditOutcome::Ok,
                &format!("trainees of national course {id}"),
            )
            .await?;
        }
        Ok((course, trainees))
    }

    async fn managed_national_course(&self, access: &Access, id: i64) -> Result<NationalCourse, AppError> {
        let course =
            self.store.national_course(id).await?.ok_or_else(|| AppError::NotFound(format!("national course {id}")))?;
        let manages = academy_standing(&access.caller) == AcademyStanding::Administrator
            || course.course.trainer == username(&access.caller);
        if !manages {
            return Err(AppError::NotFound(format!("national course {id}")));
        }
        Ok(course)
    }

    /// Records a trainee of a national course, with attendance and results.
    pub async fn add_trainee(&self, access: &Access, id: i64, mut trainee: Trainee) -> Result<i64, AppError> {
        self.managed_national_course(access, id).await?;
        trainee.national_course_id = id;
        trainee.name = trainee.name.trim().to_owned();
        if trainee.name.is_empty() || trainee.name.chars().count() > 200 {
            return Err(AppError::Invalid { field: Some("name".into()), message: "give the trainee's name".into() });
        }
        if !matches!(trainee.gender.as_str(), "female" | "male" | "other" | "unknown") {
            return Err(AppError::Invalid {
                field: Some("gender".into()),
                message: "gender is one of female, male, other, unknown".into(),
            });
        }
        for (field, score) in [("pre_score", trainee.pre_score), ("post_score", trainee.post_score)] {
            if score.is_some_and(|s| !(0.0..=100.0).contains(&s)) {
                return Err(AppError::Invalid { field: Some(field.into()), message: "a score is 0–100".into() });
            }
        }
        trainee.username = trainee.username.map(|u| u.trim().to_owned()).filter(|u| !u.is_empty());
        self.audit_access(
            access,
            AuditAction::Collect,
            vec![trainee_ref(&trainee)],
            veza_store::audit::AuditOutcome::Ok,
            &format!("trainee of national course {id}"),
        )
        .await?;
        Ok(self.store.add_trainee(&trainee).await?)
    }

    /// The cascade tree the caller may see, and its reach per country.
    /// Administrators: every root trainer; a trainer: their own branch;
    /// programme managers: the reach only.
    pub async fn cascade(&self, access: &Access) -> Result<CascadeView, AppError> {
        let standing = academy_standing(&access.caller);
        let me = username(&access.caller).to_owned();
        let programme =
            matches!(&access.caller, veza_store::Caller::User { roles, .. } if roles.contains(&Role::ProgrammeManager));
        let trainers = self.store.trainers().await?;
        let courses = self.store.national_courses(None).await?;
        let trainees = self.store.trainees(None).await?;
        let trainee_users: BTreeSet<&str> = trainees.iter().filter_map(|t| t.username.as_deref()).collect();
        let roots: Vec<&Trainer> = match standing {
            AcademyStanding::Administrator => {
                trainers.iter().filter(|t| !trainee_users.contains(t.username.as_str())).collect()
            }
            _ => trainers.iter().filter(|t| t.username == me).collect(),
        };
        if roots.is_empty() && standing != AcademyStanding::Administrator && !programme {
            return Err(AppError::Forbidden(
                "the cascade is for trainers, academy administrators and programme managers".into(),
            ));
        }
        let mut names = BTreeMap::new();
        for t in &trainers {
            let name = self.store.learner(&t.username).await?.map(|p| p.display_name);
            names.insert(t.username.clone(), name.unwrap_or_else(|| t.username.clone()));
        }
        let tree = Tree { trainers: &trainers, courses: &courses, trainees: &trainees, names: &names };
        let branches: Vec<CascadeBranch> =
            if programme && standing != AcademyStanding::Administrator && roots.is_empty() {
                Vec::new()
            } else {
                roots.iter().map(|t| tree.branch(t, 0, &mut BTreeSet::new())).collect()
            };
        // Reach: of the whole cascade for administrators and programme
        // managers, of the caller's branch for a trainer.
        let reach = if standing == AcademyStanding::Administrator || programme {
            reach(&trainers, &courses, &trainees)
        } else {
            let mut t = Vec::new();
            let mut c = Vec::new();
            let mut e = Vec::new();
            fn walk(b: &CascadeBranch, t: &mut Vec<Trainer>, c: &mut Vec<NationalCourse>, e: &mut Vec<Trainee>) {
                t.push(b.trainer.clone());
                for k in &b.courses {
                    c.push(k.course.clone());
                    e.extend(k.trainees.iter().cloned());
                    for n in &k.next {
                        walk(n, t, c, e);
                    }
                }
            }
            for b in &branches {
                walk(b, &mut t, &mut c, &mut e);
            }
            reach(&t, &c, &e)
        };
        let shown: Vec<String> = {
            let mut ids = Vec::new();
            fn collect(b: &CascadeBranch, ids: &mut Vec<String>) {
                ids.push(crate::cohorts::learner_ref(&b.trainer.username));
                for k in &b.courses {
                    ids.extend(k.trainees.iter().map(trainee_ref));
                    for n in &k.next {
                        collect(n, ids);
                    }
                }
            }
            for b in &branches {
                collect(b, &mut ids);
            }
            ids
        };
        if !shown.is_empty() {
            self.audit_access(access, AuditAction::Consult, shown, veza_store::audit::AuditOutcome::Ok, "cascade tree")
                .await?;
        }
        Ok(CascadeView { roots: branches, reach })
    }
}

/// The audit id of a trainee: their user name when they have one, else the
/// trainee record.
fn trainee_ref(t: &Trainee) -> String {
    match &t.username {
        Some(u) => crate::cohorts::learner_ref(u),
        None => format!("trainee:{}", t.id),
    }
}

struct Tree<'a> {
    trainers: &'a [Trainer],
    courses: &'a [NationalCourse],
    trainees: &'a [Trainee],
    names: &'a BTreeMap<String, String>,
}

impl Tree<'_> {
    fn branch(&self, trainer: &Trainer, depth: usize, seen: &mut BTreeSet<String>) -> CascadeBranch {
        seen.insert(trainer.username.clone());
        let courses = self
            .courses
            .iter()
            .filter(|c| c.course.trainer == trainer.username)
            .map(|c| {
                let trainees: Vec<Trainee> =
                    self.trainees.iter().filter(|t| t.national_course_id == c.id).cloned().collect();
                let next = if depth + 1 >= MAX_CASCADE_DEPTH {
                    Vec::new()
                } else {
                    trainees
                        .iter()
                        .filter_map(|t| t.username.as_deref())
                        .filter_map(|u| self.trainers.iter().find(|k| k.username == u))
                        .filter(|k| !seen.contains(&k.username))
                        .cloned()
                        .collect::<Vec<_>>()
                        .iter()
                        .map(|k| self.branch(k, depth + 1, seen))
                        .collect()
                };
                CascadeCourse { course: c.clone(), trainees, next }
            })
            .collect();
        CascadeBranch {
            trainer: trainer.clone(),
            name: self.names.get(&trainer.username).cloned().unwrap_or_else(|| trainer.username.clone()),
            courses,
        }
    }
}

/// Reach per country: trainers (by their country), courses and trainees (by
/// the course's country).
pub fn reach(trainers: &[Trainer], courses: &[NationalCourse], trainees: &[Trainee]) -> Vec<CountryReach> {
    let mut map: BTreeMap<String, CountryReach> = BTreeMap::new();
    fn at<'m>(map: &'m mut BTreeMap<String, CountryReach>, country: &str) -> &'m mut CountryReach {
        map.entry(country.to_owned())
            .or_insert_with(|| CountryReach { country: country.to_owned(), ..Default::default() })
    }
    for t in trainers {
        at(&mut map, &t.country).trainers += 1;
    }
    let country_of: BTreeMap<i64, &str> = courses.iter().map(|c| (c.id, c.course.country.as_str())).collect();
    for c in courses {
        at(&mut map, &c.course.country).courses += 1;
    }
    for t in trainees {
        let Some(country) = country_of.get(&t.national_course_id) else { continue };
        let r = at(&mut map, country);
        r.trainees += 1;
        r.attended += usize::from(t.attended);
        r.passed += usize::from(t.passed);
    }
    map.into_values().collect()
}
