//! SPOC cohorts: private, invitation-only runs of a course with a capacity,
//! dates, a schedule of modules, a facilitator, a discussion thread per
//! module, and each learner's progress.
//!
//! Who may do what (deny by default, decided here; the store records):
//! - an **academy administrator** (and the platform) does everything;
//! - a **trainer** creates cohorts they facilitate, and reads, invites to and
//!   signs off in the cohorts they facilitate;
//! - a **learner** sees a cohort they are enrolled in, their own progress only,
//!   its schedule and threads, and accepts invitations addressed to them.
//!
//! Every read or change of a learner's data writes an audit entry (ids
//! `learner:<username>`): a learner's own data with the purpose "own
//! record", anyone else's with the purpose they gave ([`AppError::PurposeRequired`]
//! otherwise).

use crate::casework::FieldProblem;
use crate::{Access, AppError, Veza};
use chrono::{NaiveDate, Utc};
use veza_model::Role;
use veza_store::audit::{AuditAction, AuditOutcome, NewAuditEntry};
use veza_store::cohorts::{
    Cohort, Enrolment, Invitation, LearnerProfile, NewCohort, Post, QuizResult, ScheduledModule, Stage,
};
use veza_store::{Caller, StoreError};

/// Most learners a cohort may take (a SPOC is small).
pub const MAX_COHORT_CAPACITY: i64 = 500;
/// Longest discussion post, in characters.
pub const MAX_POST_CHARS: usize = 4_000;
/// The name of the academy administrator's role (academy-a's `Role`).
const ACADEMY_ADMIN: &str = "academy_administrator";

/// What a caller is in the academy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcademyStanding {
    /// Academy administrator or the platform: everything.
    Administrator,
    /// A trainer: their own cohorts and national courses.
    Trainer,
    /// Anyone else signed in: their own learning.
    Learner,
}

/// The caller's standing in the academy.
pub fn academy_standing(caller: &Caller) -> AcademyStanding {
    match caller {
        Caller::System { .. } => AcademyStanding::Administrator,
        Caller::User { roles, .. } if roles.iter().any(|r| r.as_str() == ACADEMY_ADMIN) => {
            AcademyStanding::Administrator
        }
        Caller::User { roles, .. } if roles.contains(&Role::Trainer) => AcademyStanding::Trainer,
        Caller::User { .. } => AcademyStanding::Learner,
    }
}

/// The caller's user name ("" for the platform).
pub(crate) fn username(caller: &Caller) -> &str {
    match caller {
        Caller::User { username, .. } => username,
        Caller::System { .. } => "",
    }
}

/// The audit id of a learner.
pub fn learner_ref(username: &str) -> String {
    format!("learner:{username}")
}

/// A cohort as the creation form sends it.
#[derive(Debug, Clone, Default)]
pub struct CohortDraft {
    /// Course id.
    pub course_id: String,
    /// Course title.
    pub course_title: String,
    /// `course`, `spoc` or `ttt`.
    pub course_kind: String,
    /// Cohort title.
    pub title: String,
    /// Facilitator's user name (a trainer creating it: themselves when empty).
    pub facilitator: String,
    /// Capacity, as typed.
    pub capacity: String,
    /// First day, as typed.
    pub starts_on: String,
    /// Last day, as typed.
    pub ends_on: String,
    /// Schedule, one module a line: `YYYY-MM-DD module-id Title of the module`.
    pub schedule: String,
}

/// One learner's progress in a cohort.
#[derive(Debug, Clone, PartialEq)]
pub struct LearnerProgress {
    /// The enrolment.
    pub enrolment: Enrolment,
    /// Scheduled modules the learner opened.
    pub modules_viewed: usize,
    /// Scheduled modules.
    pub modules_total: usize,
    /// Distinct quizzes and tests passed.
    pub quizzes_passed: usize,
    /// Best pre-test score.
    pub best_pre: Option<f64>,
    /// Best post-test score.
    pub best_post: Option<f64>,
    /// Module ids viewed.
    pub viewed: Vec<String>,
    /// The learner's certificate of this course, if any.
    pub certificate: Option<String>,
}

/// A cohort's page: what the caller may see of it.
#[derive(Debug, Clone)]
pub struct CohortView {
    /// The cohort.
    pub cohort: Cohort,
    /// The schedule.
    pub modules: Vec<ScheduledModule>,
    /// Whether the caller manages it (facilitator or administrator).
    pub manages: bool,
    /// Every learner's progress (managers) or the caller's own (a learner).
    pub progress: Vec<LearnerProgress>,
    /// Invitations (managers only).
    pub invitations: Vec<Invitation>,
}

impl Veza {
    /// Writes the audit entry of an academy read or change about
    /// `learners`: the caller's own data needs no stated purpose ("own
    /// record"); anyone else's does.
    pub(crate) async fn academy_audit(
        &self,
        access: &Access,
        action: AuditAction,
        learners: &[String],
        detail: &str,
    ) -> Result<(), AppError> {
        let me = username(&access.caller);
        let own = !me.is_empty() && learners.iter().all(|l| l == me);
        let ids: Vec<String> = learners.iter().map(|l| learner_ref(l)).collect();
        if own && access.purpose.is_none() {
            let agency = match &access.caller {
                Caller::User { agency, .. } => agency.clone(),
                Caller::System { .. } => String::new(),
            };
            self.append_audit(NewAuditEntry {
                actor: access.caller.actor(),
                agency,
                action,
                entity_ids: ids,
                outcome: AuditOutcome::Ok,
                purpose: "own record".into(),
                detail: detail.to_owned(),
            })
            .await?;
            return Ok(());
        }
        self.audit_access(access, action, ids, AuditOutcome::Ok, detail).await
    }

    /// Keeps a learner's profile (the caller's own, or anyone's for an
    /// administrator).
    pub async fn put_learner_profile(&self, access: &Access, profile: LearnerProfile) -> Result<(), AppError> {
        let mine = username(&access.caller) == profile.username;
        if !mine && academy_standing(&access.caller) != AcademyStanding::Administrator {
            return Err(AppError::Forbidden("only an academy administrator keeps other learners' profiles".into()));
        }
        if !matches!(profile.gender.as_str(), "female" | "male" | "other" | "unknown") {
            return Err(invalid("gender", "gender is one of female, male, other, unknown"));
        }
        if profile.display_name.trim().is_empty() {
            return Err(invalid("display_name", "give the name to print on certificates"));
        }
        self.academy_audit(access, AuditAction::Collect, std::slice::from_ref(&profile.username), "learner profile")
            .await?;
        Ok(self.store.put_learner(&profile).await?)
    }

    /// The form's problems, field by field (empty when it is good).
    pub fn check_cohort(&self, caller: &Caller, draft: &CohortDraft) -> (Option<NewCohort>, Vec<FieldProblem>) {
        let mut problems = Vec::new();
        let mut problem =
            |field: &str, message: &str| problems.push(FieldProblem { field: field.into(), message: message.into() });
        let course_id = draft.course_id.trim();
        if course_id.is_empty() || course_id.len() > 100 {
            problem("course_id", "give the course's id (at most 100 characters)");
        }
        if draft.course_title.trim().is_empty() {
            problem("course_title", "give the course's title");
        }
        let kind = match draft.course_kind.trim() {
            "" => "spoc",
            k @ ("course" | "spoc" | "ttt") => k,
            _ => {
                problem("course_kind", "the kind is course, spoc or ttt");
                "spoc"
            }
        };
        let title = draft.title.trim();
        if title.is_empty() || title.chars().count() > 200 {
            problem("title", "give the cohort a title (at most 200 characters)");
        }
        let standing = academy_standing(caller);
        let facilitator = match (draft.facilitator.trim(), standing) {
            ("", AcademyStanding::Trainer) => username(caller).to_owned(),
            (f, AcademyStanding::Trainer) if f != username(caller) => {
                problem("facilitator", "a trainer creates cohorts they facilitate themselves");
                f.to_owned()
            }
            ("", _) => {
                problem("facilitator", "name the facilitator (a user name)");
                String::new()
            }
            (f, _) => f.to_owned(),
        };
        let capacity = match draft.capacity.trim().parse::<i64>() {
            Ok(n) if (1..=MAX_COHORT_CAPACITY).contains(&n) => n,
            _ => {
                problem("capacity", &format!("the capacity is a whole number from 1 to {MAX_COHORT_CAPACITY}"));
                0
            }
        };
        let day = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
        let starts = day(&draft.starts_on);
        let ends = day(&draft.ends_on);
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
        let mut modules = Vec::new();
        for (n, line) in draft.schedule.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let mut parts = line.split_whitespace();
            let (Some(date), Some(id)) = (parts.next(), parts.next()) else {
                problem("schedule", &format!("line {}: write `YYYY-MM-DD module-id Title`", n + 1));
                continue;
            };
            let title: Vec<&str> = parts.collect();
            match day(date) {
                Some(d) if starts.is_none_or(|s| d >= s) && ends.is_none_or(|e| d <= e) => {
                    if modules.iter().any(|m: &ScheduledModule| m.module_id == id) {
                        problem("schedule", &format!("line {}: module {id} is scheduled twice", n + 1));
                    }
                    modules.push(ScheduledModule {
                        module_id: id.to_owned(),
                        title: if title.is_empty() { id.to_owned() } else { title.join(" ") },
                        opens_on: d.to_string(),
                    });
                }
                Some(_) => problem("schedule", &format!("line {}: the module opens outside the cohort's dates", n + 1)),
                None => problem("schedule", &format!("line {}: {date} is not a date (YYYY-MM-DD)", n + 1)),
            }
        }
        if modules.is_empty() {
            problem("schedule", "schedule at least one module");
        }
        if !problems.is_empty() {
            return (None, problems);
        }
        let cohort = NewCohort {
            course_id: course_id.to_owned(),
            course_title: draft.course_title.trim().to_owned(),
            course_kind: kind.to_owned(),
            title: title.to_owned(),
            facilitator,
            capacity,
            starts_on: starts.map(|d| d.to_string()).unwrap_or_default(),
            ends_on: ends.map(|d| d.to_string()).unwrap_or_default(),
            modules,
            created_by: caller.actor(),
        };
        (Some(cohort), problems)
    }

    /// Creates a cohort (administrators, and trainers for themselves).
    pub async fn create_cohort(&self, access: &Access, draft: &CohortDraft) -> Result<i64, Vec<FieldProblem>> {
        if academy_standing(&access.caller) == AcademyStanding::Learner {
            return Err(vec![problem("title", "only trainers and academy administrators create cohorts")]);
        }
        let draft = self.with_course_outline(draft).await;
        let (cohort, problems) = self.check_cohort(&access.caller, &draft);
        let Some(cohort) = cohort else { return Err(problems) };
        let now = Utc::now().timestamp_micros();
        let detail = format!("cohort '{}' of course {} created", cohort.title, cohort.course_id);
        if let Err(e) = self.academy_audit(access, AuditAction::Collect, &[], &detail).await {
            return Err(vec![problem("title", &e.to_string())]);
        }
        self.store.create_cohort(&cohort, now).await.map_err(|e| vec![problem("title", &e.to_string())])
    }

    /// The draft completed from the course's latest published version: its
    /// title and kind, and (when no schedule was typed) its modules, one a
    /// week from the first day (none after the last day).
    async fn with_course_outline(&self, draft: &CohortDraft) -> CohortDraft {
        let mut draft = draft.clone();
        let id = draft.course_id.trim().to_owned();
        let Ok(Some(course)) = self.store.course(&id).await else { return draft };
        if draft.course_kind.trim().is_empty() {
            draft.course_kind = course.kind.clone();
        }
        let Ok(versions) = self.store.course_versions(&id).await else { return draft };
        let Some(latest) = versions.into_iter().max_by_key(|v| v.version) else { return draft };
        if draft.course_title.trim().is_empty() {
            draft.course_title = latest.title.clone();
        }
        let start = NaiveDate::parse_from_str(draft.starts_on.trim(), "%Y-%m-%d").ok();
        let end = NaiveDate::parse_from_str(draft.ends_on.trim(), "%Y-%m-%d").ok();
        if draft.schedule.trim().is_empty()
            && let (Some(start), Some(end)) = (start, end)
            && let Ok(outline) = serde_json::from_str::<veza_model::academy::CourseOutline>(&latest.outline)
        {
            let lines: Vec<String> = outline
                .modules
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    let day = (start + chrono::Days::new(7 * i as u64)).min(end);
                    format!("{day} {} {}", m.key, m.title)
                })
                .collect();
            draft.schedule = lines.join("\n");
        }
        draft
    }

    /// The cohort, if the caller may see it: administrators all, a trainer
    /// those they facilitate, a learner those they are enrolled in. Others
    /// get `NotFound`, the answer for a cohort that does not exist.
    async fn visible_cohort(&self, caller: &Caller, id: i64) -> Result<(Cohort, bool), AppError> {
        let cohort = self.store.cohort(id).await?.ok_or_else(|| AppError::NotFound(format!("cohort {id}")))?;
        let me = username(caller);
        let manages = academy_standing(caller) == AcademyStanding::Administrator || cohort.facilitator == me;
        if manages {
            return Ok((cohort, true));
        }
        if self.store.enrolment(id, me).await?.is_some() {
            return Ok((cohort, false));
        }
        Err(AppError::NotFound(format!("cohort {id}")))
    }

    /// The cohorts the caller may see: all (administrators), those they
    /// facilitate (trainers) and those they are enrolled in.
    pub async fn my_cohorts(&self, caller: &Caller) -> Result<Vec<Cohort>, AppError> {
        if academy_standing(caller) == AcademyStanding::Administrator {
            return Ok(self.store.cohorts(None, None).await?);
        }
        let me = username(caller);
        let mut list = self.store.cohorts(Some(me), None).await?;
        for c in self.store.cohorts(None, Some(me)).await? {
            if !list.iter().any(|k| k.id == c.id) {
                list.push(c);
            }
        }
        Ok(list)
    }

    /// Open invitations addressed to the caller (by user name).
    pub async fn my_invitations(&self, caller: &Caller) -> Result<Vec<(Invitation, Cohort)>, AppError> {
        let me = username(caller);
        if me.is_empty() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for i in self.store.open_invitations_for(&[me.to_owned()]).await? {
            if let Some(c) = self.store.cohort(i.cohort_id).await? {
                out.push((i, c));
            }
        }
        Ok(out)
    }

    /// A cohort's page. Managers see every learner's progress (audited as a
    /// consultation of them all); a learner sees their own.
    pub async fn cohort_view(&self, access: &Access, id: i64) -> Result<CohortView, AppError> {
        let (cohort, manages) = self.visible_cohort(&access.caller, id).await?;
        let modules = self.store.cohort_modules(id).await?;
        let me = username(&access.caller).to_owned();
        let enrolments: Vec<Enrolment> =
            self.store.enrolments(id).await?.into_iter().filter(|e| manages || e.learner == me).collect();
        let learners: Vec<String> = enrolments.iter().map(|e| e.learner.clone()).collect();
        if !learners.is_empty() {
            self.academy_audit(access, AuditAction::Consult, &learners, &format!("progress in cohort {id}")).await?;
        }
        let views = self.store.views(id).await?;
        let mut progress = Vec::new();
        for e in enrolments {
            progress.push(self.progress_of(&cohort, &modules, &views, e).await?);
        }
        let invitations = if manages { self.store.invitations(id).await? } else { Vec::new() };
        Ok(CohortView { cohort, modules, manages, progress, invitations })
    }

    async fn progress_of(
        &self,
        cohort: &Cohort,
        modules: &[ScheduledModule],
        views: &[(String, String)],
        enrolment: Enrolment,
    ) -> Result<LearnerProgress, AppError> {
        let viewed: Vec<String> = views
            .iter()
            .filter(|(l, m)| *l == enrolment.learner && modules.iter().any(|s| s.module_id == *m))
            .map(|(_, m)| m.clone())
            .collect();
        let results = self.store.results(&enrolment.learner, &cohort.course_id).await?;
        let best = |stage: Stage| {
            results
                .iter()
                .filter(|r| r.stage == stage)
                .map(|r| r.score)
                .fold(None, |m: Option<f64>, s| Some(m.map_or(s, |m| m.max(s))))
        };
        let mut passed: Vec<&str> = results.iter().filter(|r| r.passed).map(|r| r.quiz_id.as_str()).collect();
        passed.sort_unstable();
        passed.dedup();
        let certificate = self
            .store
            .certificates_of(&enrolment.learner)
            .await?
            .into_iter()
            .find(|c| c.course_id == cohort.course_id)
            .map(|c| c.code);
        Ok(LearnerProgress {
            modules_viewed: viewed.len(),
            modules_total: modules.len(),
            quizzes_passed: passed.len(),
            best_pre: best(Stage::Pre),
            best_post: best(Stage::Post),
            viewed,
            certificate,
            enrolment,
        })
    }

    /// Invites someone (a user name or an e-mail-like address) to a cohort
    /// the caller manages; returns the invitation's code.
    pub async fn invite_to_cohort(&self, access: &Access, id: i64, invitee: &str) -> Result<String, AppError> {
        let (cohort, manages) = self.visible_cohort(&access.caller, id).await?;
        if !manages {
            return Err(AppError::Forbidden("only the facilitator and academy administrators invite".into()));
        }
        let invitee = invitee.trim();
        if invitee.is_empty()
            || invitee.chars().count() > 200
            || invitee.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(invalid("invitee", "give a user name or an e-mail address, without spaces"));
        }
        if cohort.enrolled >= cohort.capacity {
            return Err(AppError::Conflict("the cohort is full".into()));
        }
        let code = crate::certificates::random_code(16)?;
        let detail = format!("invited to cohort {id}");
        self.academy_audit(access, AuditAction::Collect, &[invitee.to_owned()], &detail).await?;
        let invitation = Invitation {
            code: code.clone(),
            cohort_id: id,
            invitee: invitee.to_owned(),
            invited_by: access.caller.actor(),
            invited_at: Utc::now().timestamp_micros(),
            accepted_by: None,
        };
        self.store.invite(&invitation).await?;
        Ok(code)
    }

    /// An open invitation addressed to the caller, with its cohort; others'
    /// invitations and used codes are `NotFound`.
    pub async fn invitation_for(&self, caller: &Caller, code: &str) -> Result<(Invitation, Cohort), AppError> {
        let gone = || AppError::NotFound("invitation".into());
        let invitation = self.store.invitation(code.trim()).await?.ok_or_else(gone)?;
        if !self.addressed_to(caller, &invitation).await? || invitation.accepted_by.is_some() {
            return Err(gone());
        }
        let cohort = self.store.cohort(invitation.cohort_id).await?.ok_or_else(gone)?;
        Ok((invitation, cohort))
    }

    /// Whether an invitation names the caller: their user name, or (an
    /// e-mail-like invitee) anyone holding the code — the code is the secret
    /// sent to that address.
    async fn addressed_to(&self, caller: &Caller, invitation: &Invitation) -> Result<bool, AppError> {
        let me = username(caller);
        Ok(!me.is_empty() && (invitation.invitee == me || invitation.invitee.contains('@')))
    }

    /// Accepts an invitation: the caller is enrolled (and their profile
    /// made from their account when they have none).
    pub async fn accept_invitation(&self, access: &Access, code: &str) -> Result<i64, AppError> {
        let (_, cohort) = self.invitation_for(&access.caller, code).await?;
        let me = username(&access.caller).to_owned();
        if self.store.learner(&me).await?.is_none()
            && let (Some(user), Caller::User { agency, country, roles, .. }) =
                (self.store.user(&me).await?, &access.caller)
        {
            let role = roles.first().map(|r| r.as_str().to_owned()).unwrap_or_default();
            let profile = LearnerProfile {
                username: me.clone(),
                display_name: user.display_name,
                gender: "unknown".into(),
                agency: agency.clone(),
                country: country.clone(),
                role,
            };
            self.store.put_learner(&profile).await?;
        }
        self.academy_audit(
            access,
            AuditAction::Collect,
            std::slice::from_ref(&me),
            &format!("enrolled in cohort {}", cohort.id),
        )
        .await?;
        match self.store.accept_invitation(code.trim(), &me, Utc::now().timestamp_micros()).await {
            Ok(id) => Ok(id),
            Err(StoreError::Forbidden(m)) => Err(AppError::Conflict(m)),
            Err(StoreError::Missing(_)) => Err(AppError::NotFound("invitation".into())),
            Err(e) => Err(e.into()),
        }
    }

    /// A module of a cohort with its discussion; a learner's opening of it
    /// counts as viewed. A module before its day is closed to learners.
    pub async fn cohort_module(
        &self,
        access: &Access,
        id: i64,
        module_id: &str,
    ) -> Result<(Cohort, ScheduledModule, Vec<Post>), AppError> {
        let (cohort, manages) = self.visible_cohort(&access.caller, id).await?;
        let module = self
            .store
            .cohort_modules(id)
            .await?
            .into_iter()
            .find(|m| m.module_id == module_id)
            .ok_or_else(|| AppError::NotFound(format!("module {module_id}")))?;
        let today = Utc::now().date_naive().to_string();
        if !manages {
            if module.opens_on > today {
                return Err(AppError::Forbidden(format!("this module opens on {}", module.opens_on)));
            }
            let me = username(&access.caller).to_owned();
            self.store.mark_viewed(id, &me, module_id, Utc::now().timestamp_micros()).await?;
        }
        let posts = self.store.posts(id, module_id).await?;
        let authors: Vec<String> = {
            let mut a: Vec<String> = posts.iter().map(|p| p.author.clone()).collect();
            a.sort();
            a.dedup();
            a
        };
        if !authors.is_empty() {
            self.academy_audit(
                access,
                AuditAction::Consult,
                &authors,
                &format!("discussion of {module_id} in cohort {id}"),
            )
            .await?;
        }
        Ok((cohort, module, posts))
    }

    /// Adds a post to a module's thread (learners once the module is open).
    pub async fn post_to_module(&self, access: &Access, id: i64, module_id: &str, body: &str) -> Result<i64, AppError> {
        let (_, module, _) = self.cohort_module(access, id, module_id).await?;
        let body = body.trim();
        if body.is_empty() || body.chars().count() > MAX_POST_CHARS {
            return Err(invalid("body", &format!("write between 1 and {MAX_POST_CHARS} characters")));
        }
        let me = username(&access.caller).to_owned();
        self.academy_audit(access, AuditAction::Collect, std::slice::from_ref(&me), &format!("post in cohort {id}"))
            .await?;
        Ok(self.store.add_post(id, &module.module_id, &me, body, Utc::now().timestamp_micros()).await?)
    }

    /// Signs a learner off (the facilitator or an administrator).
    pub async fn sign_off_learner(&self, access: &Access, id: i64, learner: &str) -> Result<(), AppError> {
        let (_, manages) = self.visible_cohort(&access.caller, id).await?;
        if !manages {
            return Err(AppError::Forbidden("only the facilitator signs learners off".into()));
        }
        self.academy_audit(access, AuditAction::Alter, &[learner.to_owned()], &format!("signed off in cohort {id}"))
            .await?;
        if !self.store.sign_off(id, learner, &access.caller.actor(), Utc::now().timestamp_micros()).await? {
            return Err(AppError::NotFound(format!("learner {learner} in cohort {id}")));
        }
        Ok(())
    }

    /// Records a graded quiz or test of the caller (the quiz engine calls
    /// this when an attempt is graded; administrators may record for anyone).
    pub async fn record_quiz_result(&self, access: &Access, result: QuizResult) -> Result<(), AppError> {
        let mine = username(&access.caller) == result.learner;
        if !mine && academy_standing(&access.caller) != AcademyStanding::Administrator {
            return Err(AppError::Forbidden("results are recorded for the learner who took the quiz".into()));
        }
        if !(0.0..=100.0).contains(&result.score) {
            return Err(invalid("score", "a score is a percentage from 0 to 100"));
        }
        self.academy_audit(
            access,
            AuditAction::Collect,
            std::slice::from_ref(&result.learner),
            &format!("{} result in {}", result.stage.code(), result.course_id),
        )
        .await?;
        Ok(self.store.record_result(&result).await?)
    }
}

fn invalid(field: &str, message: &str) -> AppError {
    AppError::Invalid { field: Some(field.into()), message: message.into() }
}

fn problem(field: &str, message: &str) -> FieldProblem {
    FieldProblem { field: field.into(), message: message.into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standing_follows_roles() {
        assert_eq!(academy_standing(&Caller::system("t")), AcademyStanding::Administrator);
        assert_eq!(academy_standing(&Caller::user("t", "a", "rs", &[Role::Trainer])), AcademyStanding::Trainer);
        assert_eq!(academy_standing(&Caller::user("l", "a", "rs", &[Role::Learner])), AcademyStanding::Learner);
        assert_eq!(
            academy_standing(&Caller::user("x", "a", "rs", &[Role::Administrator])),
            AcademyStanding::Learner,
            "a platform administrator is not an academy administrator"
        );
    }
}
