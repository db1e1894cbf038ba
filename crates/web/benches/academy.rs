//! Server time of the academy's pages with a large academy behind them:
//! `VEZA_BENCH_LEARNERS` learners (default 10,000) in cohorts of 25 and
//! `VEZA_BENCH_ATTEMPTS` graded results (default 100,000: pre-tests,
//! post-tests and quizzes), plus 200 trainers with national courses. p50
//! and p95 of the reports, a cohort (as its facilitator, every learner's
//! progress), the cascade and the cohort list, through the whole router
//! (session, purpose, audit entry, template).
//!
//! `cargo bench -p veza-web --bench academy` (or `scripts/bench-academy`);
//! `VEZA_BENCH_N` requests per page (default 50).

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use std::time::Instant;
use tower::ServiceExt;
use veza_app::Veza;
use veza_store::cohorts::{
    Certificate, Invitation, LearnerProfile, NewCohort, NewNationalCourse, QuizResult, ScheduledModule, Stage, Trainee,
    Trainer,
};
use veza_web::{WebOptions, router};

const PASSWORD: &str = "bench password 2026";
const COUNTRIES: [&str; 6] = ["rs", "ba", "me", "mk", "al", "xk"];

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let env = |k: &str, d: usize| std::env::var(k).ok().and_then(|v| v.parse().ok()).unwrap_or(d);
    let (n, learners, attempts) =
        (env("VEZA_BENCH_N", 50), env("VEZA_BENCH_LEARNERS", 10_000), env("VEZA_BENCH_ATTEMPTS", 100_000));
    let dir = tempfile::tempdir().expect("temporary folder");
    let veza = Veza::open(&format!("sqlite://{}", dir.path().join("veza.db").display())).await.expect("database");
    // The demo users include the academy administrator `academy` and the `trainer`.
    veza.create_demo_users(Some(PASSWORD.into())).await.expect("demo users");
    let started = Instant::now();
    seed(&veza, learners, attempts).await;
    eprintln!("store: {learners} learners, {attempts} results seeded in {:.0} s", started.elapsed().as_secs_f64());

    let web = router(veza.clone(), WebOptions { demo: true });
    let session = |user: &'static str| {
        let veza = veza.clone();
        async move {
            let s = veza.login(user, PASSWORD, None).await.expect("signs in");
            format!("__Host-veza_session={}; __Host-veza_purpose=programme+report", s.token)
        }
    };
    let admin = session("academy").await;
    let trainer = session("trainer").await;
    println!("{:<34} {:>9} {:>9} {:>10}", "page", "p50 ms", "p95 ms", "HTML KiB");
    for (label, uri, cookie) in [
        ("reports (administrator)", "/academy/reports", &admin),
        ("cohort of 25 (facilitator)", "/academy/cohorts/1", &trainer),
        ("cascade (administrator)", "/academy/cascade", &admin),
        ("cohort list (administrator)", "/academy/cohorts", &admin),
        ("reports spreadsheet", "/academy/reports/xlsx", &admin),
    ] {
        let (status, size) = get(&web, uri, cookie).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        let mut times = Vec::with_capacity(n);
        for _ in 0..n {
            let t = Instant::now();
            get(&web, uri, cookie).await;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        let p = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
        println!("{label:<34} {:>9.1} {:>9.1} {:>10.1}", p(0.5), p(0.95), size as f64 / 1024.0);
    }
}

async fn get(web: &Router, uri: &str, cookie: &str) -> (StatusCode, usize) {
    let request = Request::get(uri).header("cookie", cookie).body(Body::empty()).expect("request");
    let response = web.clone().oneshot(request).await.expect("answer");
    let status = response.status();
    let body = response.into_body().collect().await.expect("body").to_bytes();
    (status, body.len())
}

/// Learners in cohorts of 25 (the first facilitated by the demo trainer),
/// results spread over them, 200 trainers with a national course each.
async fn seed(veza: &Veza, learners: usize, attempts: usize) {
    let store = veza.store();
    let cohorts = learners.div_ceil(25);
    for c in 0..cohorts {
        let cohort = NewCohort {
            course_id: format!("course-{}", c % 4),
            course_title: format!("Course {}", c % 4),
            course_kind: "spoc".into(),
            title: format!("Cohort {c}"),
            facilitator: if c == 0 { "trainer".into() } else { format!("trainer-{}", c % 200) },
            capacity: 25,
            starts_on: "2026-01-01".into(),
            ends_on: "2026-12-31".into(),
            modules: (1..=4)
                .map(|m| ScheduledModule {
                    module_id: format!("m{m}"),
                    title: format!("Module {m}"),
                    opens_on: "2026-01-01".into(),
                })
                .collect(),
            created_by: "bench".into(),
        };
        store.create_cohort(&cohort, 1).await.expect("cohort");
    }
    for i in 0..learners {
        let name = format!("learner-{i}");
        let profile = LearnerProfile {
            username: name.clone(),
            display_name: format!("Learner {i}"),
            gender: ["female", "male"][i % 2].into(),
            agency: format!("{}-bp", COUNTRIES[i % 6]),
            country: COUNTRIES[i % 6].into(),
            role: ["border police", "investigator", "prosecutor"][i % 3].into(),
        };
        store.put_learner(&profile).await.expect("learner");
        let cohort = (i / 25) as i64 + 1;
        let code = format!("B-{i}");
        let inv = Invitation {
            code: code.clone(),
            cohort_id: cohort,
            invitee: name.clone(),
            invited_by: "bench".into(),
            invited_at: 1,
            accepted_by: None,
        };
        store.invite(&inv).await.expect("invitation");
        store.accept_invitation(&code, &name, 2).await.expect("enrolment");
        store.mark_viewed(cohort, &name, "m1", 3).await.expect("view");
        if i % 10 == 0 {
            let cert = Certificate {
                code: format!("BENCH-{i}"),
                learner: name.clone(),
                holder_name: profile.display_name.clone(),
                course_id: format!("course-{}", (i / 25) % 4),
                course_title: "Course".into(),
                cohort_id: Some(cohort),
                issued_on: "2026-06-01".into(),
                issued_at: 4,
            };
            store.issue_certificate(&cert).await.expect("certificate");
        }
    }
    for a in 0..attempts {
        let i = a % learners;
        let stage = [Stage::Pre, Stage::Post, Stage::Quiz][(a / learners) % 3];
        let r = QuizResult {
            learner: format!("learner-{i}"),
            course_id: format!("course-{}", (i / 25) % 4),
            quiz_id: format!("{}-{}", stage.code(), a / learners),
            stage,
            score: (30 + (a * 7) % 70) as f64,
            passed: a % 3 != 0,
            taken_at: a as i64,
        };
        store.record_result(&r).await.expect("result");
    }
    for t in 0..200usize {
        let username = if t == 0 { "trainer".to_owned() } else { format!("trainer-{t}") };
        let cert = Certificate {
            code: format!("TTT-{t}"),
            learner: username.clone(),
            holder_name: format!("Trainer {t}"),
            course_id: "ttt".into(),
            course_title: "Train-the-Trainer".into(),
            cohort_id: None,
            issued_on: "2026-01-01".into(),
            issued_at: 1,
        };
        store.issue_certificate(&cert).await.expect("ttt certificate");
        let country = COUNTRIES[t % 6];
        store
            .put_trainer(&Trainer {
                username: username.clone(),
                certificate_code: cert.code,
                country: country.into(),
                certified_on: "2026-01-01".into(),
            })
            .await
            .expect("trainer");
        let nc = store
            .add_national_course(
                &NewNationalCourse {
                    trainer: username,
                    country: country.into(),
                    title: format!("National course {t}"),
                    place: "Town".into(),
                    hotspot_area: "Border".into(),
                    starts_on: "2026-03-01".into(),
                    ends_on: "2026-03-03".into(),
                    target_group: "Border police".into(),
                },
                1,
            )
            .await
            .expect("national course");
        for k in 0..10 {
            let trainee = Trainee {
                id: 0,
                national_course_id: nc,
                name: format!("Trainee {t}-{k}"),
                username: None,
                gender: ["female", "male"][k % 2].into(),
                agency: format!("{country}-bp"),
                role: "border police".into(),
                attended: k % 4 != 0,
                pre_score: Some(40.0),
                post_score: Some(70.0),
                passed: k % 3 != 0,
            };
            store.add_trainee(&trainee).await.expect("trainee");
        }
    }
}
