//! Exercise pages and the exercise space as a signed-in client meets them:
//! only a participant may act in an exercise (header or cookie), and then
//! sees its records and nothing real; the controller runs it from the
//! board, a bad MSEL is refused with the line beside the form, the player
//! answers from the inbox.

mod common;

use axum::Router;
use axum::http::StatusCode;
use common::*;
use veza_app::{Caller, Part, Role, Veza};
use veza_web::{WebOptions, router};

const FORM: &str = "application/x-www-form-urlencoded";

struct Browser {
    cookie: String,
    csrf: String,
    token: String,
}

async fn sign_in(web: &Router, user: &str) -> Browser {
    let (token, csrf, cookie) = login(web, user, PW).await;
    Browser { cookie: format!("{cookie}; __Host-veza_purpose=exercise+play"), csrf, token }
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

/// A seeded platform with a controller and an exercise in which border
/// officer A plays for team `border`; analyst B takes no part.
async fn platform() -> (Veza, String) {
    let app = seeded().await;
    app.store()
        .put_agency(&veza_store::Agency {
            code: "int-gs".into(),
            name: "INTERPOL".into(),
            country: "zz".into(),
            kind: "interpol_gs".into(),
        })
        .await
        .unwrap();
    app.add_user("ctl", "Controller", "int-gs", &[Role::ExerciseController], PW).await.unwrap();
    let ctl = Caller::user("ctl", "int-gs", "zz", &[Role::ExerciseController]);
    let x = app.create_exercise(&ctl, "Drill", 3, None).await.unwrap();
    app.put_exercise_participant(&ctl, &x.id, BORDER_A, Part::Player, "border").await.unwrap();
    (app, x.id)
}

#[tokio::test]
async fn only_participants_act_in_an_exercise_and_then_see_nothing_real() {
    let (app, id) = platform().await;
    let web = router(app, WebOptions::default());
    let a = sign_in(&web, BORDER_A).await;
    let b = sign_in(&web, ANALYST_B).await;
    let search = "/api/v1/search?q=&limit=50";
    let bearer = |t: &str| format!("Bearer {t}");
    let purpose = ("x-purpose", "exercise play");

    // Real work: the seeded person, no exercise record.
    let real = get_with(&web, search, &[("authorization", &bearer(&a.token)), purpose]).await;
    assert_eq!(real.status, StatusCode::OK);
    let ids: Vec<String> =
        real.json()["results"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap().to_owned()).collect();
    assert!(ids.contains(&ANA.to_owned()) && !ids.iter().any(|i| i.starts_with(&format!("{id}."))), "{ids:?}");

    // In the exercise: its records only.
    let inside =
        get_with(&web, search, &[("authorization", &bearer(&a.token)), purpose, ("x-exercise", id.as_str())]).await;
    assert_eq!(inside.status, StatusCode::OK, "{}", inside.text());
    let ids: Vec<String> =
        inside.json()["results"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap().to_owned()).collect();
    assert!(!ids.is_empty() && ids.iter().all(|i| i.starts_with(&format!("{id}."))), "{ids:?}");

    // Someone who takes no part is refused, not quietly given real data.
    let refused =
        get_with(&web, search, &[("authorization", &bearer(&b.token)), purpose, ("x-exercise", id.as_str())]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // Pages: entering sets the cookie for participants only.
    let entered = a.post(&web, &format!("/exercises/{id}/enter"), "").await;
    assert_eq!(entered.status, StatusCode::SEE_OTHER);
    let set = entered.header("set-cookie").unwrap_or_default().to_owned();
    assert!(set.starts_with(&format!("__Host-veza_exercise={id};")), "{set}");
    assert_eq!(b.post(&web, &format!("/exercises/{id}/enter"), "").await.status, StatusCode::NOT_FOUND);
    let with_cookie = Browser { cookie: format!("{}; __Host-veza_exercise={id}", a.cookie), ..a };
    let page = with_cookie.get(&web, "/search?q=Ana").await;
    assert!(page.text().contains("acting-exercise"), "the top bar says so");
    assert!(!page.text().contains(ANA), "real records are out of sight in the exercise");
    // A cookie naming an exercise the user takes no part in is ignored: real work.
    let b_cookie = Browser { cookie: format!("{}; __Host-veza_exercise={id}", b.cookie), ..b };
    let page = b_cookie.get(&web, "/search?q=Ana").await;
    assert!(!page.text().contains("acting-exercise") && page.text().contains(ANA), "real work");
}

#[tokio::test]
async fn the_controller_runs_the_board_and_the_player_answers_from_the_inbox() {
    let (app, id) = platform().await;
    let web = router(app, WebOptions::default());
    let ctl = sign_in(&web, "ctl").await;
    let a = sign_in(&web, BORDER_A).await;
    let board = format!("/exercises/{id}");

    let bad = "number,offset_minutes,sender,recipients,content,records,expected_actions,objectives\n\
               1,soon,NCB,border,Go,,Dutyphone,O1\n";
    let form = format!("format=csv&msel={}", url_encode(bad));
    let refused = ctl.post(&web, &format!("{board}/msel"), &form).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.text().contains("line 2, offset_minutes"), "the line and field beside the form");
    let good = format!("format=csv&msel={}", url_encode(&bad.replace("soon", "0")));
    assert_eq!(ctl.post(&web, &format!("{board}/msel"), &good).await.status, StatusCode::SEE_OTHER);
    let csv = ctl.get(&web, &format!("{board}/msel?format=csv")).await;
    assert!(csv.text().contains("1,0,NCB,border,Go,,Dutyphone,O1"), "{}", csv.text());

    assert_eq!(a.get(&web, &format!("{board}/msel?format=csv")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(ctl.post(&web, &format!("{board}/clock"), "command=start").await.status, StatusCode::SEE_OTHER);
    assert_eq!(ctl.post(&web, &format!("{board}/injects/1/release"), "").await.status, StatusCode::SEE_OTHER);

    let inbox = a.get(&web, &format!("{board}/inbox")).await;
    assert_eq!(inbox.status, StatusCode::OK);
    assert!(
        inbox.text().contains("id=\"inject-1\"") && !inbox.text().contains("Dutyphone"),
        "no expected action shown"
    );
    let sent = a.post(&web, &format!("{board}/injects/1/respond"), "body=Screened+at+once&action=").await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    assert!(a.get(&web, &format!("{board}/inbox")).await.text().contains("Screened at once"));
    // The player is no controller.
    assert_eq!(a.post(&web, &format!("{board}/clock"), "command=end").await.status, StatusCode::BAD_REQUEST);
    let plan = "area=NCB&action=Roster&owner=mk-ncb&due_date=someday";
    let wrong = ctl.post(&web, &format!("{board}/corrective"), plan).await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(wrong.text().contains("corrective-error"));
    let pdf = ctl.get(&web, &format!("{board}/aar.pdf")).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.body.starts_with(b"%PDF"));
}

fn url_encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
