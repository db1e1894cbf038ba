//! Exercises' paperwork on every back end: participants, the MSEL with its
//! expected actions, release once, responses, scores kept across an edit,
//! hot wash and corrective actions.

use std::sync::Arc;
use veza_store::{
    CorrectiveAction, Exercise, ExerciseStatus, HotwashKind, NewInject, NewResponse, Part, Participant, Rating, Store,
};

mod backends;

fn exercise(id: &str) -> Exercise {
    Exercise {
        id: id.into(),
        operation_id: None,
        name: "Drill".into(),
        scenario_seed: 7,
        scenario_persons: 100,
        status: ExerciseStatus::Planned,
        elapsed_us: 0,
        resumed_at: None,
        started_at: None,
        ended_at: None,
        created_by: "controller".into(),
        created_at: 1,
    }
}

fn inject(number: i64, expected: &[(&str, &str)]) -> NewInject {
    NewInject {
        number,
        offset_minutes: number * 10,
        sender: "NCB Skopje".into(),
        recipients: vec!["border".into(), "ncb".into()],
        content: format!("inject {number}"),
        records: vec!["ttx-1.p-1".into()],
        expected: expected.iter().map(|(a, o)| (a.to_string(), o.to_string())).collect(),
    }
}

async fn paperwork(store: Arc<dyn Store>) {
    store.create_exercise(&exercise("ttx-1")).await.unwrap();
    assert!(store.create_exercise(&exercise("ttx-1")).await.is_err(), "an id is taken once");
    let mut x = store.exercise("ttx-1").await.unwrap().unwrap();
    assert_eq!(x.status, ExerciseStatus::Planned);
    x.status = ExerciseStatus::Running;
    x.resumed_at = Some(1_000);
    x.started_at = Some(1_000);
    store.set_exercise_clock(&x).await.unwrap();
    assert_eq!(store.exercise("ttx-1").await.unwrap().unwrap().clock_at(4_000), 3_000);

    for (user, part, team) in [("ana", Part::Player, "border"), ("eva", Part::Evaluator, "")] {
        let p = Participant { exercise_id: "ttx-1".into(), username: user.into(), part, team: team.into() };
        store.put_participant(&p).await.unwrap();
    }
    let p = Participant { exercise_id: "ttx-1".into(), username: "ana".into(), part: Part::Player, team: "ncb".into() };
    store.put_participant(&p).await.unwrap();
    let ps = store.participants("ttx-1").await.unwrap();
    assert_eq!(ps.len(), 2);
    assert_eq!(ps[0].team, "ncb", "a second put changes the team");
    assert_eq!(store.participations("ana").await.unwrap().len(), 1);
    assert!(store.remove_participant("ttx-1", "eva").await.unwrap());
    assert!(!store.remove_participant("ttx-1", "eva").await.unwrap());

    store.put_inject("ttx-1", &inject(2, &[("screen", "o1"), ("refer", "o2")])).await.unwrap();
    store.put_inject("ttx-1", &inject(1, &[("search", "o3")])).await.unwrap();
    let msel = store.injects("ttx-1").await.unwrap();
    assert_eq!(msel.iter().map(|i| i.number).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(msel[1].expected.len(), 2);
    assert_eq!(msel[1].recipients, ["border", "ncb"]);
    assert!(msel[1].is_for("ncb") && !msel[1].is_for("hq"));

    assert!(store.score("ttx-1", 2, 1, Rating::Partly, "late", "eva", 5).await.unwrap());
    assert!(!store.score("ttx-1", 2, 9, Rating::Met, "", "eva", 5).await.unwrap(), "no such action");
    // An edit that keeps position 1 keeps its score and drops position 2.
    store.put_inject("ttx-1", &inject(2, &[("screen at once", "o1")])).await.unwrap();
    let msel = store.injects("ttx-1").await.unwrap();
    assert_eq!(msel[1].expected.len(), 1);
    assert_eq!(msel[1].expected[0].rating, Some(Rating::Partly));
    assert_eq!(msel[1].expected[0].action, "screen at once");

    assert!(store.release_inject("ttx-1", 1, 10, "controller").await.unwrap());
    assert!(!store.release_inject("ttx-1", 1, 11, "schedule").await.unwrap(), "released once");
    assert_eq!(store.injects("ttx-1").await.unwrap()[0].released_by.as_deref(), Some("controller"));

    let r = NewResponse {
        inject_number: 1,
        username: "ana".into(),
        body: "screened".into(),
        audit: Some((42, "consult".into())),
    };
    store.add_response("ttx-1", &r, 20).await.unwrap();
    let rs = store.responses("ttx-1").await.unwrap();
    assert_eq!((rs[0].audit_seq, rs[0].body.as_str()), (Some(42), "screened"));

    store.add_hotwash("ttx-1", "ana", HotwashKind::Strength, "fast hits", 30).await.unwrap();
    assert_eq!(store.hotwash("ttx-1").await.unwrap()[0].kind, HotwashKind::Strength);
    let c = CorrectiveAction {
        id: 0,
        area: "NCB".into(),
        action: "24/7 duty".into(),
        owner: "mk-ncb".into(),
        due_date: "2027-01-31".into(),
    };
    store.add_corrective("ttx-1", &c, "controller", 40).await.unwrap();
    assert_eq!(store.correctives("ttx-1").await.unwrap()[0].owner, "mk-ncb");

    assert!(store.delete_inject("ttx-1", 1).await.unwrap());
    assert!(store.responses("ttx-1").await.unwrap().is_empty(), "responses go with their inject");
    assert_eq!(store.exercises().await.unwrap().len(), 1);
}

on_every_backend!(exercise_paperwork, paperwork);
