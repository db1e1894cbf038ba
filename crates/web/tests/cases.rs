//! The case pages as a signed-in browser uses them: the form's errors sit
//! beside their fields; the case page shows what was attached, the note as
//! text and the file's SHA-256; files come back only as downloads; a user of
//! another agency gets 404 on every address of the case and learns nothing.

mod common;

use axum::Router;
use axum::http::StatusCode;
use common::*;
use veza_web::{WebOptions, router};

const FORM: &str = "application/x-www-form-urlencoded";

struct Browser {
    cookie: String,
    csrf: String,
}

async fn sign_in(web: &Router, user: &str) -> Browser {
    let (_, csrf, cookie) = login(web, user, PW).await;
    Browser { cookie: format!("{cookie}; __Host-veza_purpose=case+M-7"), csrf }
}

impl Browser {
    async fn get(&self, web: &Router, uri: &str) -> Answer {
        request(web, "GET", uri, &[("cookie", &self.cookie)], None).await
    }

    async fn post(&self, web: &Router, uri: &str, form: &str) -> Answer {
        let body = format!("csrf={}&{form}", self.csrf);
        request(web, "POST", uri, &[("cookie", &self.cookie)], Some((FORM, body))).await
    }

    async fn upload(&self, web: &Router, case: &str, name: &str, bytes: &str) -> Answer {
        let body = format!(
            "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
             Content-Type: text/plain\r\n\r\n{bytes}\r\n--B--\r\n"
        );
        let uri = format!("{case}/evidence?csrf={}", self.csrf);
        request(web, "POST", &uri, &[("cookie", &self.cookie)], Some(("multipart/form-data; boundary=B", body))).await
    }
}

#[tokio::test]
async fn a_case_is_created_worked_and_hidden_from_other_agencies() {
    let web = router(seeded().await, WebOptions::default());
    let a = sign_in(&web, BORDER_A).await;

    // The form is generated from the schema; a bad date sits beside its field.
    let form = a.get(&web, "/cases/new").await;
    assert_eq!(form.status, StatusCode::OK);
    for field in ["field-name", "field-status", "field-openedDate", "field-methodOfControl", "field-handling"] {
        assert!(form.text().contains(&format!("id=\"{field}\"")), "{field}");
    }
    assert!(form.text().contains("value=\"debt_bondage\""), "means of control from the schema's vocabulary");
    let bad = a.post(&web, "/cases/new", "name=Lastavica&openedDate=2026-02-31").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text().contains("id=\"error-openedDate\""), "{}", bad.text());
    assert!(bad.text().contains("value=\"Lastavica\""), "what was typed is kept");

    let made = a
        .post(
            &web,
            "/cases/new",
            "name=Lastavica&status=open&exploitationType=forced_labour&exploitationType=forced_begging",
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.text());
    let case = made.header("location").expect("to the case").to_owned();
    let page = a.get(&web, &case).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("border.a"), "the creator is a member");
    assert!(page.text().contains(&format!("{case}/timeline")) && page.text().contains(&format!("{case}/chart")));

    // A note is text; a file shows its SHA-256 and is kept once.
    assert_eq!(a.post(&web, &format!("{case}/notes"), "body=%3Cscript%3Ealert(1)%3C%2Fscript%3E").await.status, 303);
    let stored = a.upload(&web, &case, "<i>list.pdf", "%PDF-1.7 a list").await;
    assert_eq!(stored.status, StatusCode::SEE_OTHER, "{}", stored.text());
    let sha = veza_app::sha256_hex(b"%PDF-1.7 a list");
    let page = a.get(&web, stored.header("location").unwrap()).await;
    assert!(page.text().contains(&sha), "the SHA-256 is shown");
    assert!(page.text().contains("alert(1)") && !page.text().contains("<script>alert"), "escaped");
    let again = a.upload(&web, &case, "copy.pdf", "%PDF-1.7 a list").await;
    assert!(again.header("location").unwrap().contains("duplicate="), "already there");
    let empty = a.upload(&web, &case, "empty.txt", "").await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);

    // Download only: octet-stream, attachment, nosniff, sandbox.
    let file = a.get(&web, &format!("{case}/evidence/1")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.header("content-type"), Some("application/octet-stream"));
    assert!(file.header("content-disposition").unwrap().starts_with("attachment; filename=\"_i_list.pdf\""));
    assert_eq!(file.header("x-content-type-options"), Some("nosniff"));
    assert!(file.header("content-security-policy").unwrap().contains("sandbox"));
    assert_eq!(file.text(), "%PDF-1.7 a list");

    // Another agency: 404 everywhere, and nothing of the case in the page.
    let b = sign_in(&web, ANALYST_B).await;
    for uri in [case.clone(), format!("{case}/evidence/1"), format!("{case}?find=Marko")] {
        let answer = b.get(&web, &uri).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(!answer.text().contains("Lastavica") && !answer.text().contains(&sha), "{uri} leaks");
    }
    for (uri, form) in [("notes", "body=x"), ("tasks", "title=x&assignee=analyst.b"), ("records", "entity=test.marko")]
    {
        let answer = b.post(&web, &format!("{case}/{uri}"), form).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{uri}");
    }
    assert!(!b.get(&web, "/cases").await.text().contains("Lastavica"), "not in B's cases");
    assert!(a.get(&web, "/cases").await.text().contains("Lastavica"), "in A's cases");
}
