//! Planning an operation in the browser: a THB coordinator plans one, the
//! form's problems (bad dates, an unknown agency, a checkpoint in a country
//! that does not take part) sit beside their fields; checkpoints carry their
//! shifts; a terminal token is shown once with a `curl` example that works;
//! an analyst of a participating agency neither sees the planning link nor
//! may plan or change the plan.

mod common;

use axum::Router;
use axum::http::StatusCode;
use common::*;
use veza_app::Role;
use veza_web::{WebOptions, router};

const FORM: &str = "application/x-www-form-urlencoded";
const COORD: &str = "coord.rs";

struct Browser {
    cookie: String,
    csrf: String,
}

async fn sign_in(web: &Router, user: &str) -> Browser {
    let (_, csrf, cookie) = login(web, user, PW).await;
    Browser { cookie: format!("{cookie}; __Host-veza_purpose=operation+PLAN-1"), csrf }
}

impl Browser {
    async fn get(&self, web: &Router, uri: &str) -> Answer {
        request(web, "GET", uri, &[("cookie", &self.cookie)], None).await
    }

    async fn post(&self, web: &Router, uri: &str, form: &str) -> Answer {
        let body = format!("csrf={}&{form}", self.csrf);
        request(web, "POST", uri, &[("cookie", &self.cookie)], Some((FORM, body))).await
    }
}

/// The text of the error paragraph of `field`, if the page has one.
fn error_of(page: &str, field: &str) -> Option<String> {
    let start = page.find(&format!("id=\"error-{field}\">"))?;
    let rest = &page[start..];
    let text = &rest[rest.find('>')? + 1..];
    Some(text[..text.find('<')?].to_owned())
}

const PLAN: &str = "code=BALKAN-GATE&name=Balkan+Gate&status=running&start_date=2026-11-28&end_date=2026-11-30\
                    &objectives=identify+victims&country-0=mk&ncb-0=NCB+Skopje&agency-0=mk-thb&agency-1=rs-bp\
                    &coordinator-1=yes&watchlist-0=&instruction-0=";

#[tokio::test]
async fn a_coordinator_plans_an_operation_and_problems_sit_beside_their_fields() {
    let app = seeded().await;
    app.add_user(COORD, "Coordinator RS", "rs-bp", &[Role::ThbCoordinator], PW).await.expect("coordinator");
    let web = router(app.clone(), WebOptions::default());
    let c = sign_in(&web, COORD).await;

    let list = c.get(&web, "/operations").await;
    assert!(list.text().contains("id=\"plan-operation\""), "a coordinator is offered to plan");
    let form = c.get(&web, "/operations/new").await;
    assert_eq!(form.status, StatusCode::OK);
    for id in ["field-code", "field-start_date", "country-0", "ncb-0", "agency-0", "coordinator-0", "watchlist-0"] {
        assert!(form.text().contains(&format!("id=\"{id}\"")), "{id}");
        assert!(form.text().contains(&format!("for=\"{id}\"")), "a label for {id}");
    }

    // Bad dates: each beside its field, what was typed kept.
    let bad = c.post(&web, "/operations/new", &PLAN.replace("start_date=2026-11-28", "start_date=2026-13-01")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(error_of(&bad.text(), "start_date").is_some(), "{}", bad.text());
    assert!(bad.text().contains("value=\"Balkan Gate\""), "what was typed is kept");
    let bad = c.post(&web, "/operations/new", &PLAN.replace("end_date=2026-11-30", "end_date=2026-11-01")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(error_of(&bad.text(), "end_date").is_some_and(|e| e.contains("after")), "{}", bad.text());
    assert!(error_of(&bad.text(), "start_date").is_none());

    // An unknown agency: beside the agencies.
    let bad = c.post(&web, "/operations/new", &PLAN.replace("agency-0=mk-thb", "agency-0=xx-nobody")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(error_of(&bad.text(), "agencies").is_some_and(|e| e.contains("xx-nobody")), "{}", bad.text());
    assert!(app.operations(&veza_app::Caller::system("test")).await.expect("list").is_empty(), "nothing saved");

    // The plan is saved: a live operation, the creator's agency coordinates.
    let made = c.post(&web, "/operations/new", PLAN).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.text());
    let at = made.header("location").expect("goes to the operation").to_owned();
    let id = at.trim_start_matches("/operations/").to_owned();
    let op = app.store().operation(&id).await.expect("read").expect("stored");
    assert_eq!(op.mode.code(), "live");
    assert_eq!(op.countries[0].contact_ncb, "NCB Skopje");
    assert!(op.agencies.iter().any(|a| a.agency == "rs-bp" && a.coordinator));
    assert!(op.agencies.iter().any(|a| a.agency == "mk-thb" && !a.coordinator));
    let page = c.get(&web, &at).await;
    assert!(page.text().contains("id=\"op-edit-plan\""), "the coordinator may edit the plan");

    // A checkpoint in a country that takes part in nothing here: beside the country.
    let cp = "code=TAB&name=Tabanovce&kind=border_crossing&country=al&agency=mk-thb&latitude=42.21&longitude=21.71\
              &team-0=Team+A&start-0=2026-11-28T06%3A00&end-0=2026-11-28T14%3A00";
    let bad = c.post(&web, &format!("{at}/checkpoints/new"), cp).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(error_of(&bad.text(), "country").is_some_and(|e| e.contains("take part")), "{}", bad.text());
    let bad = c.post(&web, &format!("{at}/checkpoints/new"), &cp.replace("agency=mk-thb", "agency=al-bp")).await;
    assert!(error_of(&bad.text(), "agency").is_some(), "{}", bad.text());
    let bad =
        c.post(&web, &format!("{at}/checkpoints/new"), &cp.replace("end-0=2026-11-28T14", "end-0=2026-11-28T05")).await;
    assert!(error_of(&bad.text(), "shifts").is_some(), "a shift that ends before it starts: {}", bad.text());
    let bad = c.post(&web, &format!("{at}/checkpoints/new"), &cp.replace("latitude=42.21", "latitude=north")).await;
    assert!(error_of(&bad.text(), "latitude").is_some(), "{}", bad.text());

    // North Macedonia takes part (its NCB is listed; mk-thb is there too).
    let ok = c.post(&web, &format!("{at}/checkpoints/new"), &cp.replace("country=al", "country=mk")).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text());
    let page = c.get(&web, &at).await.text();
    assert!(page.contains("id=\"checkpoint-TAB\""), "listed on the operation page");
    assert!(page.contains("Team A: ") && page.contains("06:00 UTC"), "with its shift: {page}");
    let edit = c.get(&web, &format!("{at}/checkpoints/TAB")).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.text().contains("value=\"2026-11-28T06:00\""), "the shift comes back as typed");

    // A terminal token: shown once, with a curl example; listed afterwards without it.
    let bad = c.post(&web, &format!("{at}/tokens"), "label=&days=500").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(error_of(&bad.text(), "label").is_some() && error_of(&bad.text(), "days").is_some());
    let issued = c.post(&web, &format!("{at}/tokens"), "label=tab-lane-1&checkpoint=TAB&days=3").await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.text());
    let text = issued.text();
    let marker = "id=\"token-secret\" type=\"text\" readonly value=\"";
    let start = text.find(marker).expect("the secret") + marker.len();
    let secret = &text[start..start + text[start..].find('"').expect("end")];
    assert!(secret.len() > 20, "{secret}");
    assert!(text.contains(&format!("/api/v1/operations/{id}/checks")) && text.contains("Authorization: Bearer"));
    let list = c.get(&web, &format!("{at}/tokens")).await.text();
    assert!(list.contains("tab-lane-1") && !list.contains(secret), "the secret is never shown again");

    // The token sends a check (the operation runs).
    let term = format!("Bearer {secret}");
    let check = serde_json::json!({"checkpoint": "TAB", "person": {"name": "Ana Petrova"}}).to_string();
    let a = request(
        &web,
        "POST",
        &format!("/api/v1/operations/{id}/checks"),
        &[("authorization", term.as_str())],
        Some(("application/json", check)),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());

    // Revoked, it stops.
    let tokens = app.terminal_tokens(&veza_app::Caller::system("test"), &id).await.expect("tokens");
    let revoke = c.post(&web, &format!("{at}/tokens/{}/revoke", tokens[0].id), "").await;
    assert_eq!(revoke.status, StatusCode::SEE_OTHER, "{}", revoke.text());
    let check = serde_json::json!({"checkpoint": "TAB", "person": {"name": "Ana Petrova"}}).to_string();
    let a = request(
        &web,
        "POST",
        &format!("/api/v1/operations/{id}/checks"),
        &[("authorization", term.as_str())],
        Some(("application/json", check)),
    )
    .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);

    // The plan is edited; its mode stays live.
    let edited = c.post(&web, &format!("{at}/plan"), &PLAN.replace("Balkan+Gate", "Balkan+Gate+II")).await;
    assert_eq!(edited.status, StatusCode::SEE_OTHER, "{}", edited.text());
    let op = app.store().operation(&id).await.expect("read").expect("stored");
    assert_eq!(op.name, "Balkan Gate II");

    // An analyst of a participating agency that does not coordinate: no
    // planning link, no planning, no tokens.
    let b = sign_in(&web, ANALYST_B).await;
    assert!(!b.get(&web, "/operations").await.text().contains("id=\"plan-operation\""));
    assert_eq!(b.get(&web, "/operations/new").await.status, StatusCode::FORBIDDEN);
    assert_eq!(b.post(&web, "/operations/new", PLAN).await.status, StatusCode::FORBIDDEN);
    let page = b.get(&web, &at).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.text().contains("id=\"op-edit-plan\""), "only coordinators edit");
    assert_eq!(b.get(&web, &format!("{at}/plan")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(b.get(&web, &format!("{at}/tokens")).await.status, StatusCode::FORBIDDEN);
}
