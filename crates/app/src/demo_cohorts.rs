//! The academy's demo: a SPOC cohort in progress (facilitated by the demo
//! `trainer`, with `learner.ba` and synthetic learners at different points,
//! one certified), a train-the-trainer cohort whose graduate (`trainer`) is a
//! certified trainer, and a national course of theirs with trainees. Names
//! are synthetic. Loaded once: a store with cohorts already is left alone.

use crate::certificates::new_verification_code;
use crate::{AppError, Veza};
use chrono::{Days, Utc};
use veza_store::cohorts::{
    Certificate, Invitation, LearnerProfile, NewCohort, NewNationalCourse, QuizResult, ScheduledModule, Stage, Trainee,
    Trainer,
};

/// Synthetic learners: (user name, name, gender, agency, country, role).
const LEARNERS: &[(&str, &str, &str, &str, &str, &str)] = &[
    ("learner.ba", "Learner, Bosnia and Herzegovina", "female", "ba-pa", "ba", "learner"),
    ("demo.learner.rs1", "Jelena Marković", "female", "rs-bp", "rs", "border police"),
    ("demo.learner.rs2", "Nikola Stojanović", "male", "rs-thb", "rs", "investigator"),
    ("demo.learner.mk1", "Ana Trajkovska", "female", "mk-thb", "mk", "investigator"),
    ("demo.learner.al1", "Arben Hoxha", "male", "al-thb", "al", "investigator"),
    ("demo.learner.me1", "Milica Vuković", "female", "me-pros", "me", "prosecutor"),
];

impl Veza {
    /// Loads the academy's demo cohorts and cascade (see the module).
    pub(crate) async fn load_demo_cohorts(&self) -> Result<(), AppError> {
        if !self.store.cohorts(None, None).await?.is_empty() {
            return Ok(());
        }
        let now = Utc::now();
        let today = now.date_naive();
        let day = |offset: i64| {
            if offset >= 0 { today + Days::new(offset as u64) } else { today - Days::new(offset.unsigned_abs()) }
                .to_string()
        };
        let at = now.timestamp_micros();
        for (username, name, gender, agency, country, role) in LEARNERS {
            let profile = LearnerProfile {
                username: (*username).into(),
                display_name: (*name).into(),
                gender: (*gender).into(),
                agency: (*agency).into(),
                country: (*country).into(),
                role: (*role).into(),
            };
            self.store.put_learner(&profile).await?;
        }
        let trainer_profile = LearnerProfile {
            username: "trainer".into(),
            display_name: "Trainer, INTERPOL capacity building".into(),
            gender: "male".into(),
            agency: "int-gs".into(),
            country: "rs".into(),
            role: "trainer".into(),
        };
        self.store.put_learner(&trainer_profile).await?;

        // The train-the-trainer cohort, finished: the trainer graduated.
        let ttt = NewCohort {
            course_id: "train-the-trainer".into(),
            course_title: "Train-the-Trainer: Countering Human Trafficking".into(),
            course_kind: "ttt".into(),
            title: "Train-the-Trainer, first session".into(),
            facilitator: "admin".into(),
            capacity: 12,
            starts_on: day(-120),
            ends_on: day(-90),
            modules: vec![ScheduledModule {
                module_id: "ttt-1".into(),
                title: "Adult learning".into(),
                opens_on: day(-120),
            }],
            created_by: "system:demo".into(),
        };
        let ttt_id = self.store.create_cohort(&ttt, at).await?;
        self.enrol_demo(ttt_id, "trainer", at).await?;
        self.store.mark_viewed(ttt_id, "trainer", "ttt-1", at).await?;
        let ttt_cert = self
            .store
            .issue_certificate(&Certificate {
                code: new_verification_code()?,
                learner: "trainer".into(),
                holder_name: trainer_profile.display_name.clone(),
                course_id: ttt.course_id.clone(),
                course_title: ttt.course_title.clone(),
                cohort_id: Some(ttt_id),
                issued_on: day(-90),
                issued_at: at,
            })
            .await?;
        self.store
            .put_trainer(&Trainer {
                username: "trainer".into(),
                certificate_code: ttt_cert.code,
                country: "rs".into(),
                certified_on: day(-90),
            })
            .await?;

        // The SPOC in progress, facilitated by the trainer.
        let spoc = NewCohort {
            course_id: "countering-human-trafficking".into(),
            course_title: "Countering Human Trafficking SPOC".into(),
            course_kind: "spoc".into(),
            title: "Countering Human Trafficking, autumn cohort".into(),
            facilitator: "trainer".into(),
            capacity: 25,
            starts_on: day(-21),
            ends_on: day(35),
            modules: vec![
                ScheduledModule { module_id: "m1".into(), title: "Legal frameworks".into(), opens_on: day(-21) },
                ScheduledModule { module_id: "m2".into(), title: "Modus operandi".into(), opens_on: day(-14) },
                ScheduledModule { module_id: "m3".into(), title: "Investigative techniques".into(), opens_on: day(-7) },
                ScheduledModule { module_id: "m4".into(), title: "International cooperation".into(), opens_on: day(7) },
            ],
            created_by: "system:demo".into(),
        };
        let spoc_id = self.store.create_cohort(&spoc, at).await?;
        for (i, (username, name, ..)) in LEARNERS.iter().enumerate() {
            self.enrol_demo(spoc_id, username, at).await?;
            for m in spoc.modules.iter().take(1 + i % 3) {
                self.store.mark_viewed(spoc_id, username, &m.module_id, at).await?;
            }
            let pre = 30.0 + (i as f64) * 5.0;
            self.demo_result(username, &spoc.course_id, Stage::Pre, pre, at).await?;
            if i % 2 == 1 {
                self.demo_result(username, &spoc.course_id, Stage::Post, pre + 35.0, at).await?;
            }
            if i == 1 {
                self.store
                    .issue_certificate(&Certificate {
                        code: new_verification_code()?,
                        learner: (*username).into(),
                        holder_name: (*name).into(),
                        course_id: spoc.course_id.clone(),
                        course_title: spoc.course_title.clone(),
                        cohort_id: Some(spoc_id),
                        issued_on: day(-1),
                        issued_at: at,
                    })
                    .await?;
            }
        }
        self.store
            .invite(&Invitation {
                code: "DEMO-INVITATION-RS".into(),
                cohort_id: spoc_id,
                invitee: "border.rs".into(),
                invited_by: "trainer".into(),
                invited_at: at,
                accepted_by: None,
            })
            .await?;

        // The trainer's national course with trainees.
        let course = NewNationalCourse {
            trainer: "trainer".into(),
            country: "rs".into(),
            title: "Identifying victims at the border".into(),
            place: "Subotica".into(),
            hotspot_area: "Northern border crossings".into(),
            starts_on: day(-30),
            ends_on: day(-28),
            target_group: "Border police".into(),
        };
        let nc = self.store.add_national_course(&course, at).await?;
        let trainees = [
            ("Dragan Ilić", "male", true, 35.0, 75.0, true),
            ("Marija Kovač", "female", true, 40.0, 85.0, true),
            ("Stefan Petrović", "male", true, 30.0, 55.0, false),
            ("Ivana Đurić", "female", false, 45.0, 45.0, false),
        ];
        for (name, gender, attended, pre, post, passed) in trainees {
            self.store
                .add_trainee(&Trainee {
                    id: 0,
                    national_course_id: nc,
                    name: name.into(),
                    username: None,
                    gender: gender.into(),
                    agency: "rs-bp".into(),
                    role: "border police".into(),
                    attended,
                    pre_score: Some(pre),
                    post_score: attended.then_some(post),
                    passed,
                })
                .await?;
        }
        Ok(())
    }

    async fn enrol_demo(&self, cohort_id: i64, learner: &str, at: i64) -> Result<(), AppError> {
        let code = format!("DEMO-{cohort_id}-{learner}");
        self.store
            .invite(&Invitation {
                code: code.clone(),
                cohort_id,
                invitee: learner.into(),
                invited_by: "system:demo".into(),
                invited_at: at,
                accepted_by: None,
            })
            .await?;
        self.store.accept_invitation(&code, learner, at).await?;
        Ok(())
    }

    async fn demo_result(
        &self,
        learner: &str,
        course: &str,
        stage: Stage,
        score: f64,
        at: i64,
    ) -> Result<(), AppError> {
        let result = QuizResult {
            learner: learner.into(),
            course_id: course.into(),
            quiz_id: stage.code().into(),
            stage,
            score,
            passed: score >= 60.0,
            taken_at: at,
        };
        Ok(self.store.record_result(&result).await?)
    }
}
