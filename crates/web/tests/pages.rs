//! The server-rendered pages: search, entity, restricted, not found, the
//! htmx partial, and the rules every page keeps (banner, no inline code, no
//! outside resources).

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::json;
use veza_app::{Caller, NewEntity};
use veza_web::{WebOptions, router};

const DEMO: &str = "Demo with synthetic data — do not load real personal data";

/// Checks what every page must be: a full document in English and UTF-8,
/// with the banner, and no inline script, inline style or outside resource.
fn assert_proper_page(html: &str, banner: Option<&str>) {
    assert!(html.starts_with("<!DOCTYPE html>"), "not a full page");
    assert!(html.contains(r#"<html lang="en">"#));
    assert!(html.contains(r#"<meta charset="utf-8">"#));
    assert!(html.contains(r#"<meta name="viewport""#));
    match banner {
        Some(banner) => assert!(html.contains(banner), "banner missing"),
        None => assert!(!html.contains("id=\"demo-banner\""), "a banner outside demo mode"),
    }
    assert_no_inline_code(html);
}

fn assert_no_inline_code(html: &str) {
    assert!(!html.contains("<style"), "inline <style>");
    assert!(!html.contains(" style="), "inline style attribute");
    assert!(!html.contains(" on") || !html.contains("=\"javascript:"), "javascript: URL");
    for attr in [" onclick=", " onload=", " onchange=", " onsubmit=", " hx-on"] {
        assert!(!html.contains(attr), "inline handler {attr}");
    }
    for (i, _) in html.match_indices("<script") {
        let tag = &html[i..html[i..].find('>').map(|e| i + e).unwrap_or(html.len())];
        assert!(tag.contains(" src=\"/assets/"), "inline or outside script: {tag}");
    }
    for needle in ["src=\"http", "href=\"http", "src=\"//", "href=\"//"] {
        assert!(!html.contains(needle), "outside resource: {needle}");
    }
}

#[tokio::test]
async fn the_search_page_lists_entities_with_filter_and_counts() {
    let app = app().await;
    let a = get(&app, "/search").await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.header("content-type").is_some_and(|c| c.starts_with("text/html")));
    let html = a.text();
    assert_proper_page(&html, None);
    assert!(html.contains(r#"<input id="q" name="q" type="search""#));
    assert!(html.contains(r#"<label for="q">"#) && html.contains(r#"<label for="schema">"#));
    assert!(html.contains(r#"<option value="Person">People (4)</option>"#), "schema filter from stats");
    assert!(html.contains(r#"<option value="Family">"#) && !html.contains(r#"<option value="Vehicle">"#));
    assert!(html.contains(r#"hx-get="/search""#) && html.contains(r#"hx-push-url="true""#));
    assert!(html.contains("/assets/htmx-2.0.4.min.js") && html.contains("/assets/veza.css"));
    assert!(html.contains("1–7 of 7, newest first"));
    assert!(html.contains(r#"<a class="entity-link" href="/entities/test.marko">Marko Petrović</a>"#));
    assert!(html.contains("Serbia"), "country column");
}

#[tokio::test]
async fn searching_folds_accents() {
    let app = app().await;
    let html = get(&app, "/search?q=petrovic").await.text();
    assert!(html.contains("Marko Petrović") && !html.contains("Ana Kovač"));
    assert!(html.contains("1–1 of 1 for “petrovic”"));
    assert!(html.contains(r#"value="petrovic""#), "the box keeps the text");
    let html = get(&app, "/search?q=nobody-at-all").await.text();
    assert!(html.contains("No record matches “nobody-at-all”."));
}

#[tokio::test]
async fn the_schema_filter_keeps_its_choice() {
    let app = app().await;
    let html = get(&app, "/search?schema=Passport").await.text();
    assert!(html.contains(r#"<option value="Passport" selected>"#));
    assert!(html.contains("AB1234567") && !html.contains("Marko Petrović</a>"));
    let a = get(&app, "/search?schema=Nonsense").await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_proper_page(&a.text(), None);
    let a = get(&app, "/search?offset=minus").await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn htmx_gets_only_the_results() {
    let app = app().await;
    let a = get_with(&app, "/search?q=petrovic", &[("HX-Request", "true")]).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.header("vary"), Some("HX-Request"));
    let html = a.text();
    assert!(!html.contains("<html") && !html.contains("<form"), "a partial, not a page");
    assert!(html.contains("Marko Petrović"));
    assert_no_inline_code(&html);
    let a =
        get_with(&app, "/search?q=petrovic", &[("HX-Request", "true"), ("HX-History-Restore-Request", "true")]).await;
    assert!(a.text().starts_with("<!DOCTYPE html>"), "history restores get the whole page");
}

#[tokio::test]
async fn results_are_paged() {
    let app = seeded().await;
    let caller = veza_app::Access::new(Caller::system("test"), None);
    for i in 0..25 {
        let e: NewEntity = serde_json::from_value(json!({"schema": "Vehicle",
            "properties": {"name": [format!("Golf {i:02}")], "registrationNumber": [format!("BG-{i:03}-AA")]}}))
        .expect("valid");
        app.create_entity(&caller, e).await.expect("stored");
    }
    let web = as_operator(router(app, WebOptions::default()));
    let first = get(&web, "/search?q=golf").await.text();
    assert!(first.contains("1–20 of 25 for “golf”"), "{first}");
    assert!(first.contains(r#"href="/search?q=golf&#38;offset=20""#), "next link");
    assert!(first.contains(r#"aria-disabled="true">← Previous"#));
    let second = get(&web, "/search?q=golf&offset=20").await.text();
    assert!(second.contains("21–25 of 25"));
    assert!(second.contains(r#"href="/search?q=golf" hx-get="/search?q=golf""#), "previous link");
    assert!(second.contains(r#"aria-disabled="true">Next →"#));
}

#[tokio::test]
async fn the_demo_banner_warns_about_real_data() {
    let web = as_operator(router(seeded().await, WebOptions { demo: true }));
    for uri in ["/", "/entities/test.marko", "/entities/test.nobody", "/nowhere"] {
        let html = get(&web, uri).await.text();
        assert_proper_page(&html, Some(DEMO));
    }
}

#[tokio::test]
async fn the_entity_page_shows_properties_provenance_handling_and_links() {
    let app = app().await;
    let a = get(&app, &format!("/entities/{MARKO}")).await;
    assert_eq!(a.status, StatusCode::OK);
    let html = a.text();
    assert_proper_page(&html, None);
    assert!(html.contains("<h1>Marko Petrović</h1>"));
    assert!(html.contains("<title>Marko Petrović · Veza</title>"));
    // Featured properties first, in the schema's order: name, nationality, birth date.
    let (name, nationality, birth) =
        (html.find(">Name</dt>"), html.find(">Nationality</dt>"), html.find(">Birth date</dt>"));
    assert!(name.is_some() && nationality.is_some() && birth.is_some(), "labels shown");
    assert!(name < nationality && nationality < birth, "featured order");
    assert!(html.contains("1987-03-14"));
    assert!(html.contains(r#"title="RS">Serbia</span>"#));
    // Provenance and handling.
    assert!(html.contains(r#"id="provenance""#) && html.contains("<h2 id=\"h-provenance\">Provenance</h2>"));
    assert!(html.contains("This installation") && html.contains("manual") && html.contains("Entered by hand"));
    assert!(html.contains("Retention review") && html.contains("Created") && html.contains("Changed"));
    assert!(html.contains("Owning agency only") && html.contains("Only the owning agency, This installation,"));
    // Links, grouped, to the other ends.
    assert!(html.contains("<h3>Family members</h3>"), "link schema group");
    assert!(html.contains("<h3>Passports (this person as identification holder)</h3>"), "reference group");
    assert!(html.contains(r#"related to <a href="/entities/test.ana">Ana Kovač</a>"#));
    assert!(html.contains(r#"<a class="via" href="/entities/test.family">Family record</a>"#));
    assert!(html.contains(r#"<a href="/entities/test.passport">AB1234567</a>"#), "referring passport");
    assert!(html.contains(r#"href="/api/v1/entities/test.marko""#));
}

#[tokio::test]
async fn caveats_stand_out() {
    let app = app().await;
    let html = get(&app, &format!("/entities/{ANA}")).await.text();
    assert!(html.contains("Conditions on use set by the owner"));
    assert!(html.contains("Not for judicial use without the owner&#39;s consent"));
    assert!(html.contains("All users"));
}

#[tokio::test]
async fn references_link_to_their_targets() {
    let app = app().await;
    let html = get(&app, &format!("/entities/{PASSPORT}")).await.text();
    assert!(html.contains(r#"<a href="/entities/test.marko" title="test.marko">Marko Petrović</a>"#), "holder");
}

#[tokio::test]
async fn restricted_records_say_whom_to_ask() {
    let app = app_as_outsider().await;
    let a = get(&app, &format!("/entities/{SECRET_KNOWN}")).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let html = a.text();
    assert_proper_page(&html, None);
    assert!(html.contains("restricted by its owner"));
    assert!(html.contains("This installation (local, Global)"));
    assert!(!html.contains("Known Secret"));
    assert!(html.contains(r#"action="/entities/test.secret-known/access-request""#), "the page offers to ask");
    let asked = post_raw(
        &app,
        &format!("/entities/{SECRET_KNOWN}/access-request"),
        Some("application/x-www-form-urlencoded"),
        "reason=case+RS-2026-7",
    )
    .await;
    assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.text());
    assert!(asked.text().contains("was sent to This installation"), "{}", asked.text());
    let again = post_raw(
        &app,
        &format!("/entities/{SECRET_KNOWN}/access-request"),
        Some("application/x-www-form-urlencoded"),
        "reason=case+RS-2026-7",
    )
    .await;
    assert_eq!(again.status, StatusCode::FORBIDDEN);
    assert!(again.text().contains("already asked"));
    let hidden = get(&app, &format!("/entities/{SECRET_HIDDEN}")).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert!(!hidden.text().contains("Hidden Secret"));
}

#[tokio::test]
async fn missing_things_get_a_proper_404_page() {
    let app = app().await;
    for uri in ["/entities/test.nobody", "/no/such/page"] {
        let a = get(&app, uri).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(a.header("content-type").is_some_and(|c| c.starts_with("text/html")));
        let html = a.text();
        assert_proper_page(&html, None);
        assert!(html.contains("404"));
    }
}

#[tokio::test]
async fn entered_text_is_escaped() {
    let app = seeded().await;
    let e: NewEntity = serde_json::from_value(json!({"id": "test.xss", "schema": "Person",
        "properties": {"name": ["<script>alert(1)</script>"]}}))
    .expect("valid");
    app.create_entity(&veza_app::Access::new(Caller::system("test"), None), e).await.expect("stored");
    let web = as_operator(router(app, WebOptions::default()));
    for uri in ["/search", "/entities/test.xss", "/search?q=%3Cscript%3E"] {
        let html = get(&web, uri).await.text();
        assert!(!html.contains("<script>alert"), "{uri}");
        assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"), "{uri}");
    }
}

#[tokio::test]
async fn assets_are_embedded() {
    let app = app().await;
    let css = get(&app, "/assets/veza.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(css.text().contains(":focus-visible"));
    let js = get(&app, "/assets/htmx-2.0.4.min.js").await;
    assert_eq!(js.status, StatusCode::OK);
    assert_eq!(js.header("content-type"), Some("text/javascript; charset=utf-8"));
    assert_eq!(js.body.as_ref(), include_bytes!("../assets/htmx-2.0.4.min.js").as_slice());
    assert!(js.header("cache-control").is_some_and(|c| c.contains("immutable")));
    let icon = get(&app, "/assets/veza.svg").await;
    assert_eq!(icon.header("content-type"), Some("image/svg+xml"));
    assert_eq!(get(&app, "/assets/nope.js").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn old_search_links_go_on_to_the_search_page() {
    let app = app().await;
    let a = get(&app, "/?q=petrovic&schema=Person").await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(a.header("location"), Some("/search?q=petrovic&schema=Person"));
}

#[tokio::test]
async fn search_filters_narrow_by_owner_country_dataset_and_day() {
    let app = app().await;
    let all = get(&app, "/search").await.text();
    // The filter choices come from what the caller may see.
    assert!(
        all.contains(r#"<select id="owner" name="owner">"#) && all.contains(r#"<select id="dataset" name="dataset">"#)
    );
    assert!(all.contains(r#"<select id="country" name="country">"#));
    let nowhere = get(&app, "/search?owner=nobody-owns-this").await.text();
    assert!(nowhere.contains("Nothing to show yet: no record is visible to you with this filter."), "{nowhere}");
    assert!(nowhere.contains(r#"<details class="filters field-full" open>"#), "filters stay open when set");
    let today = chrono::Utc::now().date_naive();
    let tomorrow = today.succ_opt().unwrap_or(today);
    let future = get(&app, &format!("/search?from={tomorrow}")).await.text();
    assert!(future.contains("Nothing to show yet"), "nothing changed after today");
    let recent = get(&app, &format!("/search?from={today}&to={today}")).await.text();
    assert!(recent.contains("1–7 of 7"), "all changed today: {recent}");
    let bad = get(&app, "/search?from=12.03.2026").await;
    assert_eq!(bad.status, StatusCode::OK);
    let html = bad.text();
    assert!(
        html.contains(r#"id="from-error""#) && html.contains("Give a date as YYYY-MM-DD."),
        "error beside the field"
    );
    assert!(html.contains(r#"aria-invalid="true""#));
}

/// Signs `username` in through the API and returns the headers a browser
/// with a stated purpose would send.
async fn signed_in(web: &axum::Router, username: &str) -> Vec<(&'static str, String)> {
    let (_, _, jar) = login(web, username, PW).await;
    vec![("cookie", jar), ("x-purpose", "case RS-2026-7".to_owned())]
}

async fn page(web: &axum::Router, uri: &str, headers: &[(&'static str, String)]) -> Answer {
    let h: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    request(web, "GET", uri, &h, None).await
}

#[tokio::test]
async fn the_home_page_shows_each_role_its_own_work() {
    let veza = seeded().await;
    veza.add_user("dpo.test", "Data officer", "rs-bp", &[veza_app::Role::DataProtectionOfficer], PW)
        .await
        .expect("dpo");
    let web = router(veza, WebOptions::default());
    let border = page(&web, "/", &signed_in(&web, BORDER_A).await).await;
    assert_eq!(border.status, StatusCode::OK, "{}", border.text());
    let html = border.text();
    assert_proper_page(&html, None);
    assert!(html.contains("Welcome, Border officer A") && html.contains("Border officer"));
    assert!(html.contains(r#"id="home-hits""#) && html.contains(r#"id="home-screen""#), "a border officer screens");
    assert!(!html.contains(r#"id="home-review""#) && !html.contains(r#"id="home-cases""#), "and reviews no matches");
    let analyst = page(&web, "/", &signed_in(&web, ANALYST_B).await).await.text();
    assert!(analyst.contains(r#"id="home-review""#) && analyst.contains(r#"id="home-cases""#));
    assert!(analyst.contains(r#"id="home-requests""#) && !analyst.contains(r#"id="home-screen""#));
    let dpo = page(&web, "/", &signed_in(&web, "dpo.test").await).await.text();
    assert!(dpo.contains(r#"id="home-audit""#) && dpo.contains(r#"href="/audit""#), "the audit trail in menu and home");
    assert!(!dpo.contains(r#"id="home-cases""#) && !dpo.contains(r#"id="home-review""#));
    assert!(!analyst.contains(r#"href="/audit""#), "others have no audit menu");
    // The menu groups pages by task and offers each only to the roles that use it.
    assert!(dpo.contains(r#"id="navgroup-admin""#) && dpo.contains(r#"id="nav-audit""#));
    assert!(!dpo.contains(r#"id="nav-matches""#) && !dpo.contains(r#"id="navgroup-investigate""#), "{dpo}");
    assert!(analyst.contains(r#"id="nav-matches""#) && !analyst.contains(r#"id="nav-audit""#));
    assert!(!html.contains(r#"id="nav-matches""#) && html.contains(r#"id="nav-screen""#), "border officer's menu");
    assert!(analyst.contains(r#"<a href="/" id="nav-home" aria-current="page">"#), "the current page is marked");
}

#[tokio::test]
async fn the_audit_trail_is_for_data_protection_officers_and_records_its_readers() {
    let veza = seeded().await;
    veza.add_user("dpo.test", "Data officer", "rs-bp", &[veza_app::Role::DataProtectionOfficer], PW)
        .await
        .expect("dpo");
    let web = router(veza.clone(), WebOptions::default());
    let analyst = signed_in(&web, ANALYST_B).await;
    // The analyst reads a record, then tries the audit trail and is refused (and that is logged).
    assert_eq!(page(&web, "/entities/test.ana", &analyst).await.status, StatusCode::OK);
    assert_eq!(page(&web, "/audit", &analyst).await.status, StatusCode::FORBIDDEN);

    let dpo = signed_in(&web, "dpo.test").await;
    let all = page(&web, "/audit", &dpo).await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.text());
    let html = all.text();
    assert_proper_page(&html, None);
    assert!(html.contains(r#"id="audit-entries""#) && html.contains(ANALYST_B), "who read what");
    assert!(html.contains("case RS-2026-7"), "and why");
    assert!(html.contains(r#"class="flagged""#), "the refused attempt stands out");
    let one = page(&web, "/audit?entity=test.ana&action=consult", &dpo).await.text();
    assert!(one.contains("test.ana") && one.contains(ANALYST_B));
    assert!(!one.contains(r#"<span class="tag">signed in</span>"#), "filtered to reads");
    let bad = page(&web, "/audit?from=yesterday", &dpo).await.text();
    assert!(bad.contains(r#"id="from-error""#));

    // The DPO's own reading is in the trail, with the filter named.
    let filter = veza_app::AuditFilter { user: Some("dpo.test".into()), ..Default::default() };
    let entries = veza.search_audit(&filter).await.expect("log");
    assert!(entries.iter().any(|e| e.detail.contains("audit trail: entity test.ana, action consult")), "{entries:?}");
}

#[tokio::test]
async fn assets_are_compressed_and_pages_are_not() {
    let app = app().await;
    let gz = [("accept-encoding", "gzip")];
    let asset = request(&app, "GET", "/assets/htmx-2.0.4.min.js", &gz, None).await;
    assert_eq!(asset.status, StatusCode::OK);
    assert_eq!(asset.header("content-encoding"), Some("gzip"), "assets travel compressed");
    let plain = get(&app, "/assets/htmx-2.0.4.min.js").await;
    assert!(asset.body.len() * 2 < plain.body.len(), "{} vs {} bytes", asset.body.len(), plain.body.len());
    // A page holds the CSRF token beside what the user typed: never compressed (BREACH).
    let page = request(&app, "GET", "/search?q=petrovic", &gz, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.header("content-encoding"), None);
}

#[tokio::test]
async fn the_entity_page_speaks_the_readers_language() {
    let app = app().await;
    let a = get_with(&app, &format!("/entities/{MARKO}"), &[("accept-language", "mk")]).await;
    assert_eq!(a.status, StatusCode::OK);
    let html = a.text();
    assert!(html.contains(r#"<html lang="mk">"#));
    // The model's labels in Macedonian: the schema, its properties, the link's verb and record.
    for label in [">Име</dt>", ">Државна припадност</dt>", ">Датум на раѓање</dt>", "Запис: Семејство"]
    {
        assert!(html.contains(label), "{label} missing");
    }
    assert!(html.contains(r#"во сродство со <a href="/entities/test.ana">Ana Kovač</a>"#), "link verb");
    for english in [">Name</dt>", ">Nationality</dt>", ">Birth date</dt>", "related to", "Family record", ">Person<"] {
        assert!(!html.contains(english), "{english} left in English");
    }
    // Names stay as the source wrote them.
    assert!(html.contains("<h1>Marko Petrović</h1>"));
}
