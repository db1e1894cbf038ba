//! Table-top exercises through the use cases: the clock releases injects on
//! schedule (an injected clock, moved by the test), exercise records stay in
//! their realm (search, screening, statistics), players respond from their
//! inbox, evaluators score, and the AAR/IP data add up.

use chrono::DateTime;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use veza_app::{
    Access, AppError, Caller, Clock, ClockCommand, HashCost, HotwashKind, IdentityConfig, MselExpected, MselFormat,
    MselInject, Part, Rating, Role, ScreenPerson, Veza,
};
use veza_store::{Agency, Scope};

const MINUTE: i64 = 60_000_000;

struct World {
    veza: Veza,
    now: Arc<AtomicI64>,
}

impl World {
    fn advance(&self, minutes: i64) {
        self.now.fetch_add(minutes * MINUTE, Ordering::SeqCst);
    }
}

async fn world() -> World {
    // The audit log keeps real time: the injected clock starts now and only moves forward.
    let now = Arc::new(AtomicI64::new(chrono::Utc::now().timestamp_micros()));
    let n = now.clone();
    let config = IdentityConfig {
        hash_cost: HashCost::TEST_ONLY,
        clock: Clock::from_fn(move || DateTime::from_timestamp_micros(n.load(Ordering::SeqCst)).unwrap()),
        ..IdentityConfig::default()
    };
    let veza = Veza::open_with("sqlite::memory:", config).await.unwrap();
    for (code, country) in [("int-gs", "zz"), ("rs-bp", "rs"), ("mk-ncb", "mk")] {
        let agency = Agency { code: code.into(), name: code.into(), country: country.into(), kind: "police".into() };
        veza.store().put_agency(&agency).await.unwrap();
    }
    for (name, agency, role) in [
        ("ctl", "int-gs", Role::ExerciseController),
        ("ana", "rs-bp", Role::BorderOfficer),
        ("nik", "mk-ncb", Role::NcbOfficer),
        ("eva", "int-gs", Role::Trainer),
        ("out", "rs-bp", Role::BorderOfficer),
    ] {
        veza.add_user(name, name, agency, &[role], "correct horse battery").await.unwrap();
    }
    World { veza, now }
}

fn user(name: &str) -> Caller {
    match name {
        "ctl" => Caller::user("ctl", "int-gs", "zz", &[Role::ExerciseController]),
        "ana" | "out" => Caller::user(name, "rs-bp", "rs", &[Role::BorderOfficer]),
        "nik" => Caller::user("nik", "mk-ncb", "mk", &[Role::NcbOfficer]),
        _ => Caller::user(name, "int-gs", "zz", &[Role::Trainer]),
    }
}

fn acting_in(caller: Caller, exercise: &str) -> Access {
    let caller = caller.with_scope(Scope { exercise: Some(exercise.into()), ..Scope::default() });
    Access::with_purpose(caller, "exercise play").unwrap()
}

fn inject(number: i64, minutes: i64, teams: &[&str], records: Vec<String>) -> MselInject {
    MselInject {
        number,
        offset_minutes: minutes,
        sender: "NCB Skopje".into(),
        recipients: teams.iter().map(|t| t.to_string()).collect(),
        content: format!("inject {number}"),
        records,
        expected: vec![MselExpected { action: "screen the passenger".into(), objective: "O2 screening".into() }],
    }
}

/// An exercise made by `ctl` with players ana (border), nik (ncb) and evaluator eva.
async fn exercise(w: &World) -> String {
    let ctl = user("ctl");
    let x = w.veza.create_exercise(&ctl, "Drill", 5, None).await.unwrap();
    for (u, part, team) in [("ana", Part::Player, "border"), ("nik", Part::Player, "ncb"), ("eva", Part::Evaluator, "")]
    {
        w.veza.put_exercise_participant(&ctl, &x.id, u, part, team).await.unwrap();
    }
    x.id
}

/// A person record of the exercise, found as a participant would find it.
async fn some_person(w: &World, id: &str) -> veza_model::Entity {
    let page = w.veza.search(&acting_in(user("ana"), id), "", Some("Person"), 1, 0).await.unwrap();
    page.results.into_iter().next().expect("the exercise has persons")
}

#[tokio::test]
async fn injects_are_released_on_schedule_and_by_hand() {
    let w = world().await;
    let id = exercise(&w).await;
    let ctl = user("ctl");
    for i in [inject(1, 0, &["all"], vec![]), inject(2, 10, &["border"], vec![]), inject(3, 30, &["ncb"], vec![])] {
        w.veza.put_exercise_inject(&ctl, &id, &i).await.unwrap();
    }
    assert!(w.veza.release_due_injects().await.unwrap().is_empty(), "a planned exercise releases nothing");
    w.veza.exercise_clock(&ctl, &id, ClockCommand::Start).await.unwrap();
    assert_eq!(w.veza.release_due_injects().await.unwrap(), [(id.clone(), 1)]);
    w.advance(9);
    assert!(w.veza.release_due_injects().await.unwrap().is_empty(), "inject 2 is due at 10 minutes");
    w.advance(1);
    assert_eq!(w.veza.release_due_injects().await.unwrap(), [(id.clone(), 2)]);

    // A pause stops the exercise's clock: 30 wall minutes later, inject 3 is still not due.
    w.veza.exercise_clock(&ctl, &id, ClockCommand::Pause).await.unwrap();
    w.advance(30);
    assert!(w.veza.release_due_injects().await.unwrap().is_empty());
    w.veza.exercise_clock(&ctl, &id, ClockCommand::Start).await.unwrap();
    w.advance(19);
    assert!(w.veza.release_due_injects().await.unwrap().is_empty(), "10 + 19 exercise minutes < 30");
    // The controller releases it by hand instead; the schedule then has nothing left.
    assert!(w.veza.release_exercise_inject(&ctl, &id, 3).await.unwrap());
    assert!(!w.veza.release_exercise_inject(&ctl, &id, 3).await.unwrap(), "once");
    w.advance(5);
    assert!(w.veza.release_due_injects().await.unwrap().is_empty());

    // Players see only what went to their team; the expected actions stay hidden.
    let ana = w.veza.exercise_inbox(&user("ana"), &id).await.unwrap();
    assert_eq!(ana.injects.iter().map(|i| i.number).collect::<Vec<_>>(), [2, 1]);
    assert!(ana.injects.iter().all(|i| i.expected.is_empty()));
    let nik = w.veza.exercise_inbox(&user("nik"), &id).await.unwrap();
    assert_eq!(nik.injects.iter().map(|i| i.number).collect::<Vec<_>>(), [3, 1]);

    // Only controllers run it; outsiders do not even see it.
    let err = w.veza.exercise_clock(&user("ana"), &id, ClockCommand::End).await.unwrap_err();
    assert!(matches!(err, AppError::Forbidden(_)), "{err:?}");
    let err = w.veza.exercise_board(&user("out"), &id).await.unwrap_err();
    assert!(matches!(err, AppError::NotFound(_)), "{err:?}");
    assert!(w.veza.may_act_in_exercise("ana", &id).await.unwrap());
    assert!(!w.veza.may_act_in_exercise("out", &id).await.unwrap());
}

#[tokio::test]
async fn exercise_records_are_invisible_outside_the_exercise() {
    let w = world().await;
    let id = exercise(&w).await;
    let person = some_person(&w, &id).await;
    let name = person.first("name").unwrap().to_owned();
    assert!(person.id.starts_with(&format!("{id}.")), "ids carry the exercise: {}", person.id);

    // Real work: the search, the statistics and the screening know nothing of it.
    let real = Access::with_purpose(user("ana"), "real work").unwrap();
    let page = w.veza.search(&real, &name, None, 50, 0).await.unwrap();
    assert!(page.results.iter().all(|e| e.provenance.exercise.is_none()) && page.total == 0, "{page:?}");
    for caller in [user("ana"), Caller::system("stats")] {
        assert_eq!(w.veza.stats(&caller).await.unwrap().entities, 0, "exercise records never count in real figures");
    }
    let query = ScreenPerson::named("q", &name);
    let hits = w.veza.screen(&real, "default", std::slice::from_ref(&query), 0.5, 10).await.unwrap();
    assert!(hits[0].results.is_empty(), "real screening never meets exercise records");

    // Inside: the participant finds and screens it, and sees no real record.
    let inside = acting_in(user("ana"), &id);
    let page = w.veza.search(&inside, &name, None, 50, 0).await.unwrap();
    assert!(page.results.iter().any(|e| e.id == person.id));
    let hits = w.veza.screen(&inside, "default", std::slice::from_ref(&query), 0.5, 10).await.unwrap();
    assert!(hits[0].results.iter().any(|r| r.id == person.id), "{:?}", hits[0].results.len());

    // An inject may attach only the exercise's own records.
    let bad = inject(1, 0, &["border"], vec!["real-person-1".into()]);
    let err = w.veza.put_exercise_inject(&user("ctl"), &id, &bad).await.unwrap_err();
    assert!(matches!(&err, AppError::Invalid { field: Some(f), .. } if f == "records"), "{err:?}");
    w.veza.put_exercise_inject(&user("ctl"), &id, &inject(1, 0, &["border"], vec![person.id.clone()])).await.unwrap();
}

#[tokio::test]
async fn players_respond_evaluators_score_and_the_aar_adds_up() {
    let w = world().await;
    let id = exercise(&w).await;
    let ctl = user("ctl");
    w.veza.put_exercise_inject(&ctl, &id, &inject(1, 0, &["border"], vec![])).await.unwrap();
    let mut two = inject(2, 5, &["border"], vec![]);
    two.expected.push(MselExpected { action: "call the NCB".into(), objective: "O3 confirmation".into() });
    w.veza.put_exercise_inject(&ctl, &id, &two).await.unwrap();
    w.veza.exercise_clock(&ctl, &id, ClockCommand::Start).await.unwrap();
    w.veza.release_due_injects().await.unwrap();

    // Not released yet: not in the inbox, so no response.
    let err = w.veza.respond_to_inject(&user("ana"), &id, 2, "done", None).await.unwrap_err();
    assert!(matches!(err, AppError::NotFound(_)), "{err:?}");
    // The player searches inside the exercise (an audited action) and links it.
    w.advance(1);
    let person = some_person(&w, &id).await;
    w.veza.search(&acting_in(user("ana"), &id), person.first("name").unwrap(), None, 5, 0).await.unwrap();
    let inbox = w.veza.exercise_inbox(&user("ana"), &id).await.unwrap();
    let action = inbox.actions.iter().find(|a| a.summary.starts_with("consult")).expect("the search is listed").seq;
    w.veza.respond_to_inject(&user("ana"), &id, 1, "screened, no hit", Some(action)).await.unwrap();
    let err = w.veza.respond_to_inject(&user("ana"), &id, 1, "x", Some(1)).await.unwrap_err();
    assert!(matches!(&err, AppError::Invalid { field: Some(f), .. } if f == "action"), "not one of hers: {err:?}");
    let err = w.veza.respond_to_inject(&user("nik"), &id, 1, "x", None).await.unwrap_err();
    assert!(matches!(err, AppError::NotFound(_)), "inject 1 went to the border team only: {err:?}");

    // Scoring: evaluators yes, players no.
    w.veza.score_expected_action(&user("eva"), &id, 1, 1, Rating::Met, "quick").await.unwrap();
    w.veza.score_expected_action(&user("eva"), &id, 2, 2, Rating::NotMet, "never called").await.unwrap();
    let err = w.veza.score_expected_action(&user("ana"), &id, 1, 1, Rating::Met, "").await.unwrap_err();
    assert!(matches!(err, AppError::Forbidden(_)), "{err:?}");

    w.veza.add_hotwash(&user("ana"), &id, HotwashKind::Strength, "fast screening").await.unwrap();
    w.veza.add_hotwash(&user("nik"), &id, HotwashKind::Improvement, "NCB reachable at night").await.unwrap();
    let plan = veza_app::CorrectiveAction {
        id: 0,
        area: "NCB duty".into(),
        action: "24/7 roster".into(),
        owner: "mk-ncb".into(),
        due_date: "2027-02-01".into(),
    };
    w.veza.add_corrective_action(&ctl, &id, &plan).await.unwrap();
    let bad = veza_app::CorrectiveAction { due_date: "soon".into(), ..plan.clone() };
    let err = w.veza.add_corrective_action(&ctl, &id, &bad).await.unwrap_err();
    assert!(matches!(&err, AppError::Invalid { field: Some(f), .. } if f == "due_date"), "{err:?}");
    w.veza.exercise_clock(&ctl, &id, ClockCommand::End).await.unwrap();

    let aar = w.veza.aar_data(&user("eva"), &id).await.unwrap();
    assert_eq!(aar["totals"]["met"], 1);
    assert_eq!(aar["totals"]["not_met"], 1);
    assert_eq!(aar["totals"]["not_scored"], 1);
    assert_eq!(aar["strengths"][0]["text"], "fast screening");
    assert_eq!(aar["improvements"][0]["text"], "NCB reachable at night");
    assert_eq!(aar["corrective_actions"][0]["owner"], "mk-ncb");
    assert_eq!(aar["injects"][0]["responses"][0]["text"], "screened, no hit");
    assert!(aar["injects"][0]["responses"][0]["action"].as_str().unwrap().starts_with("consult"));
    assert!(w.veza.aar_data(&user("ana"), &id).await.is_err(), "players do not read the AAR/IP");
    let pdf = w.veza.aar_pdf(&user("ctl"), &id).await.unwrap();
    assert!(pdf.starts_with(b"%PDF"), "the AAR/IP is a PDF");
}

#[tokio::test]
async fn an_msel_imports_whole_or_not_at_all_and_round_trips() {
    let w = world().await;
    let id = exercise(&w).await;
    let ctl = user("ctl");
    let bad = "number,offset_minutes,sender,recipients,content,records,expected_actions,objectives\n\
               1,0,NCB,border,Start,,screen,O1\n\
               2,abc,NCB,border,Next,,,\n";
    let err = w.veza.import_msel(&ctl, &id, bad, MselFormat::Csv).await.unwrap_err();
    assert!(err.to_string().contains("line 3, offset_minutes"), "{err}");
    assert!(w.veza.export_msel(&ctl, &id, MselFormat::Json).await.unwrap().contains("\"injects\": []"), "none stored");
    let good = bad.replace("abc", "15");
    assert_eq!(w.veza.import_msel(&ctl, &id, &good, MselFormat::Csv).await.unwrap(), 2);
    let json = w.veza.export_msel(&ctl, &id, MselFormat::Json).await.unwrap();
    let csv = w.veza.export_msel(&ctl, &id, MselFormat::Csv).await.unwrap();
    assert_eq!(csv, good, "the CSV comes back as written");
    assert_eq!(w.veza.import_msel(&ctl, &id, &json, MselFormat::Json).await.unwrap(), 2);
    assert!(w.veza.export_msel(&user("ana"), &id, MselFormat::Csv).await.is_err(), "players never read the MSEL");
}

#[tokio::test]
async fn the_demo_exercise_is_ready_to_run() {
    let w = world().await;
    assert!(w.veza.load_demo_exercise().await.unwrap());
    assert!(!w.veza.load_demo_exercise().await.unwrap(), "once");
    let board = w.veza.exercise_board(&Caller::system("t"), veza_app::DEMO_EXERCISE).await.unwrap();
    assert!((8..=12).contains(&board.injects.len()));
    assert!(board.injects.iter().all(|i| !i.expected.is_empty()));
    let attached: Vec<&String> = board.injects.iter().flat_map(|i| &i.records).collect();
    assert!(attached.len() >= 5, "records are attached: {attached:?}");
    for i in &board.injects {
        let problems = w.veza.check_exercise_inject(veza_app::DEMO_EXERCISE, &veza_app::to_msel(i)).await.unwrap();
        assert!(problems.is_empty(), "inject {}: {problems:?}", i.number);
    }
    assert!(board.participants.iter().any(|p| p.username == "controller" && p.part == Part::Controller));
}
