//! The import pages: upload, preview with a mapping (mapped rows and
//! refused rows, nothing stored), a changed mapping previewed again, the
//! import in the background with its summary, and uploads private to their
//! sender.

mod common;

use axum::Router;
use axum::http::StatusCode;
use common::*;
use veza_app::{Caller, Purpose};
use veza_web::{StatedPurpose, WebOptions, router};

const BOUNDARY: &str = "----veza-test-boundary";

fn multipart(file_name: &str, file: &str, fields: &[(&str, &str)]) -> (String, String) {
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"));
    }
    body.push_str(&format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: text/csv\r\n\r\n{file}\r\n--{BOUNDARY}--\r\n"
    ));
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

const CSV: &str = "record_no,full_name,dob,citizenship\n\
                   b-1,Arben Krasniqi,14.03.1987,xk\n\
                   b-2,Јелена Петровић,01.02.1990,rs\n\
                   b-3,Nobody Born,31.02.19x0,rs\n";

const MAPPING: &str = "schema = \"Person\"\nid = \"record_no\"\n[properties]\nname = \"full_name\"\n\
                       birthDate = { column = \"dob\", format = \"%d.%m.%Y\" }\nnationality = \"citizenship\"\n";

fn as_user(veza: veza_app::Veza, username: &str) -> Router {
    let user = Caller::user(username, "rs-bp", "rs", &[veza_app::Role::BorderOfficer]);
    router(veza, WebOptions::default())
        .layer(axum::Extension(user))
        .layer(axum::Extension(StatedPurpose(Purpose::parse(TEST_PURPOSE).expect("valid purpose"))))
}

#[tokio::test]
async fn upload_preview_then_import_in_the_background() {
    let veza = seeded().await;
    let web = as_user(veza.clone(), BORDER_A);
    let form = get(&web, "/import").await;
    assert_eq!(form.status, StatusCode::OK);
    let html = form.text();
    assert!(html.contains(r#"enctype="multipart/form-data""#) && html.contains(r#"<textarea id="mapping""#));

    // Without a mapping a CSV cannot be read: the error is beside the mapping field.
    let (ct, body) = multipart("border log.csv", CSV, &[("dataset", "border-log")]);
    let a = request(&web, "POST", "/import", &[], Some((&ct, body))).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text());
    assert!(a.text().contains(r#"id="mapping-error""#), "{}", a.text());
    let id =
        a.text().split("action=\"/import/").nth(1).and_then(|r| r.split('/').next()).expect("upload id").to_owned();

    // With a mapping: two rows mapped, one refused, nothing stored yet.
    let body = format!(
        "csrf=x&format=&dataset=border-log&mapping={}",
        url::form_urlencoded::byte_serialize(MAPPING.as_bytes()).collect::<String>()
    );
    let a =
        request(&web, "POST", &format!("/import/{id}/preview"), &[], Some(("application/x-www-form-urlencoded", body)))
            .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let html = a.text();
    assert!(html.contains("First 3 rows read: 2 mapped, 1 refused"), "{html}");
    assert!(html.contains("Arben Krasniqi") && html.contains("Јелена Петровић"), "names as written");
    assert!(html.contains(r#"id="preview-rejects""#) && html.contains("dob"), "the refused row, with its column");
    let stored =
        veza.search(&veza_app::Access::new(Caller::system("t"), None), "krasniqi", None, 10, 0).await.expect("search");
    assert_eq!(stored.total, 0, "a preview stores nothing");

    // Another user cannot see or start it.
    let other = as_user(veza.clone(), "someone.else");
    assert_eq!(get(&other, &format!("/import/{id}")).await.status, StatusCode::NOT_FOUND);
    let start = request(
        &other,
        "POST",
        &format!("/import/{id}/start"),
        &[],
        Some(("application/x-www-form-urlencoded", "csrf=x".into())),
    )
    .await;
    assert_eq!(start.status, StatusCode::NOT_FOUND);

    // Start: goes to the progress page, which ends with the summary.
    let start = request(
        &web,
        "POST",
        &format!("/import/{id}/start"),
        &[],
        Some(("application/x-www-form-urlencoded", "csrf=x".into())),
    )
    .await;
    assert_eq!(start.status, StatusCode::SEE_OTHER);
    assert_eq!(start.header("location"), Some(format!("/import/{id}").as_str()));
    let mut done = String::new();
    for _ in 0..100 {
        let status = get(&web, &format!("/import/{id}/status")).await.text();
        if status.contains(r#"id="import-done""#) || status.contains(r#"id="import-failed""#) {
            done = status;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(done.contains("Done: 3 rows read, 2 records created, 0 updated, 1 rows refused."), "{done}");
    assert!(done.contains(r#"href="/search?dataset=border-log""#));
    assert!(done.contains(r#"id="import-rejects""#), "the refused rows listed");
    let folder = std::env::temp_dir().join("veza-uploads").join(&id);
    assert!(!folder.exists(), "the upload and its rejects report are deleted once imported");
    let page = get(&web, &format!("/import/{id}")).await.text();
    assert!(
        page.contains(r#"id="import-status""#) && !page.contains("hx-trigger=\"every 1s\""),
        "no polling once done"
    );
    let stored =
        veza.search(&veza_app::Access::new(Caller::system("t"), None), "krasniqi", None, 10, 0).await.expect("search");
    assert_eq!(stored.total, 1, "the import stored the rows");
}

#[tokio::test]
async fn a_missing_file_is_said_beside_the_field() {
    let web = as_user(seeded().await, BORDER_A);
    let body =
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"dataset\"\r\n\r\nx\r\n--{BOUNDARY}--\r\n");
    let a =
        request(&web, "POST", "/import", &[], Some((&format!("multipart/form-data; boundary={BOUNDARY}"), body))).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.text().contains(r#"id="file-error""#) && a.text().contains("Choose a file to import."));
}
