//! The operations API: a coordinator issues a terminal token; the terminal
//! sends checks (one, or a batch) and gets the exact answer shape;
//! the token reaches nothing else and stops working when revoked.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use veza_app::Role;
use veza_app::operations::*;
use veza_web::{WebOptions, router};

const COORD: &str = "coord.a";

async fn platform() -> veza_app::Veza {
    let app = seeded().await;
    app.add_user(COORD, "Coordinator A", "rs-bp", &[Role::ThbCoordinator], PW).await.expect("coordinator");
    let op = Operation {
        id: "op-api".into(),
        code: "API".into(),
        name: "API test".into(),
        mode: OperationMode::Live,
        status: OperationStatus::Running,
        start_date: "2026-01-01".into(),
        end_date: "2026-12-31".into(),
        lead_agency: "rs-bp".into(),
        objectives: String::new(),
        created_by: "test".into(),
        created_at: 0,
        changed_at: 0,
        countries: vec![],
        agencies: vec![OperationAgency { agency: "rs-bp".into(), coordinator: true }],
        watchlists: vec![OperationWatchlist {
            dataset: "manual".into(),
            instruction: "do not arrest; contact {ncb}".into(),
        }],
    };
    app.store().put_operation(&op).await.expect("operation");
    for code in ["TAB", "LUK"] {
        let cp = Checkpoint {
            id: 0,
            operation_id: op.id.clone(),
            code: code.into(),
            name: code.into(),
            kind: CheckpointKind::BorderCrossing,
            country: "rs".into(),
            agency: "rs-bp".into(),
            latitude: None,
            longitude: None,
            shifts: vec![],
        };
        app.store().put_checkpoint(&cp).await.expect("checkpoint");
    }
    app
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().expect("an object").keys().cloned().collect()
}

fn set(k: &[&str]) -> BTreeSet<String> {
    k.iter().map(|s| (*s).to_owned()).collect()
}

#[tokio::test]
async fn a_terminal_sends_checks_and_nothing_else() {
    let web = router(platform().await, WebOptions::default());
    let (session, _, _) = login(&web, COORD, PW).await;
    let bearer = format!("Bearer {session}");
    let coord = [("authorization", bearer.as_str()), ("x-purpose", "operation API")];
    let a = request(
        &web,
        "POST",
        "/api/v1/operations/op-api/tokens",
        &coord,
        Some(("application/json", json!({"name": "tab-lane-1", "checkpoint": "TAB"}).to_string())),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let token = a.json()["token"].as_str().expect("token shown once").to_owned();
    let terminal = format!("Bearer {token}");
    let term = [("authorization", terminal.as_str())];

    // One check: the answer, exactly.
    let check = json!({"checkpoint": "TAB", "person": {"name": "Ana Kovač", "birth_date": null,
        "nationality": "ba", "gender": "female"}, "document": {"number": "XX998877", "country": "ba", "type": "passport"}});
    let a =
        request(&web, "POST", "/api/v1/operations/op-api/checks", &term, Some(("application/json", check.to_string())))
            .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let v = a.json();
    assert_eq!(keys(&v), set(&["check_id", "result", "hits"]));
    assert_eq!(v["result"], "hit");
    let hit = &v["hits"][0];
    assert_eq!(keys(hit), set(&["watchlist", "match_id", "score", "instruction"]));
    assert_eq!((hit["watchlist"].as_str(), hit["match_id"].as_str()), (Some("manual"), Some(ANA)));
    assert!(hit["instruction"].as_str().unwrap().starts_with("do not arrest; contact"), "{hit}");
    let hit_check = v["check_id"].as_i64().unwrap();

    // A batch: one answer per check, in order.
    let batch = json!({"checks": [
        {"checkpoint": "TAB", "person": {"name": "Nobody Atall", "birth_date": "1990-01-01"}},
        {"checkpoint": "TAB", "vehicle": {"registration": "BG-123-XY", "country": "rs"}},
    ]});
    let a =
        request(&web, "POST", "/api/v1/operations/op-api/checks", &term, Some(("application/json", batch.to_string())))
            .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let v = a.json();
    assert_eq!(keys(&v), set(&["checks"]));
    let answers = v["checks"].as_array().unwrap();
    assert_eq!(answers.len(), 2);
    assert!(answers.iter().all(|c| c["result"] == "no_hit" && c["hits"].as_array().unwrap().is_empty()));

    // Bound to its checkpoint; field errors name the check.
    let other = json!({"checkpoint": "LUK", "person": {"name": "Ana Kovač"}});
    let a =
        request(&web, "POST", "/api/v1/operations/op-api/checks", &term, Some(("application/json", other.to_string())))
            .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let bad = json!({"checks": [{"checkpoint": "TAB", "person": {"name": "X Y", "birth_date": "1990-13-45"}}, {"checkpoint": "TAB"}]});
    let a =
        request(&web, "POST", "/api/v1/operations/op-api/checks", &term, Some(("application/json", bad.to_string())))
            .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.error().1.as_deref(), Some("checks[0].person.birth_date[0]"));

    // It reads back its check with the hit's state…
    let a = get_with(&web, &format!("/api/v1/operations/op-api/checks/{hit_check}"), &term).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(a.json()["hits"][0]["status"], "pending");
    // …and reaches nothing else.
    for uri in
        ["/api/v1/operations/op-api", "/api/v1/operations/op-api/results", "/api/v1/search?q=ana", "/api/v1/operations"]
    {
        assert_eq!(get_with(&web, uri, &term).await.status, StatusCode::FORBIDDEN, "{uri}");
    }

    // The coordinator sees the token (never the token itself) and revokes it.
    let a = get_with(&web, "/api/v1/operations/op-api/tokens", &coord).await;
    let listed = a.json()["tokens"][0].clone();
    assert_eq!(listed["name"], "tab-lane-1");
    assert!(!a.text().contains(&token));
    let id = listed["id"].as_str().unwrap();
    let a = request(&web, "DELETE", &format!("/api/v1/operations/op-api/tokens/{id}"), &coord, None).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let a =
        request(&web, "POST", "/api/v1/operations/op-api/checks", &term, Some(("application/json", check.to_string())))
            .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);

    // The live picture counts the three stored checks.
    let a = get_with(&web, "/api/v1/operations/op-api/results", &coord).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let r = a.json();
    assert_eq!((r["checks"]["count"].as_i64(), r["checks_with_hits"]["count"].as_i64()), (Some(3), Some(1)));
    assert_eq!(r["checks"]["records"], "/operations/op-api/checks");
}
