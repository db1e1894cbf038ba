//! The workspace in a real browser: sign in on the log-in page as a demo
//! user, search with accents stripped, open the result, see the entity and
//! its provenance, sign out; and review proposed matches (cross-reference a
//! dataset, open a pair side by side, merge it, split it). Needs chromedriver:
//!
//! ```sh
//! source scripts/lib/browser.sh && browser_start
//! cargo test -p veza-web --test browser -- --nocapture
//! ```
//!
//! Without `VEZA_WEBDRIVER_URL` the test is skipped, unless `CI` is set.
//! Screenshots of both pages go to `$CARGO_TARGET_TMPDIR/veza-web-screenshots/`.

mod common;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::Duration;
use veza_app::{Caller, NewEntity, Veza};
use veza_web::{WebOptions, router};

const WAIT: Duration = Duration::from_secs(20);
/// The demo users' password in this test.
const DEMO_PW: &str = "browser demo password";

/// A platform with the demo users and two people entered by the Serbian
/// border police.
async fn platform() -> Veza {
    let veza = Veza::open_with("sqlite::memory:", common::test_identity(None)).await.expect("in-memory store opens");
    veza.create_demo_users(Some(DEMO_PW.into())).await.expect("demo users");
    let officer = Caller::user("border.rs", "rs-bp", "rs", &[]);
    for seed in [
        json!({"id": "test.marko", "schema": "Person", "properties": {
            "name": ["Marko Petrović"], "nationality": ["rs"], "birthDate": ["1987-03-14"]}}),
        json!({"id": "test.ana", "schema": "Person", "properties": {"name": ["Ana Kovač"], "country": ["ba"]}}),
    ] {
        let e: NewEntity = serde_json::from_value(seed).expect("valid");
        veza.create_entity(&common::with_purpose(officer.clone()), e).await.expect("stored");
    }
    let investigator = Caller::user("investigator.rs", "rs-thb", "rs", &[]);
    let secret: NewEntity = serde_json::from_value(json!({"id": "test.secret", "schema": "Person",
        "properties": {"name": ["Goran Secret"]}, "handling": {"visibility": "agency", "existence_visible": true}}))
    .expect("valid");
    veza.create_entity(&common::with_purpose(investigator), secret).await.expect("stored");
    veza
}

/// Where the screenshots go.
/// Where screenshots go: `VEZA_SCREENSHOT_DIR` (`scripts/screenshots` sets
/// it to `docs/screenshots`), else the test target's scratch folder.
fn screenshot_dir() -> PathBuf {
    std::env::var_os("VEZA_SCREENSHOT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("veza-web-screenshots"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_without_accents_then_open_the_entity() {
    let Some(webdriver) = webdriver_url() else { return };

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("bound address"));
    let web = router(platform().await, WebOptions { demo: true });
    let server = tokio::spawn(async move { axum::serve(listener, web).await });

    let (client, _profile) = session(&webdriver).await;
    let outcome = walk_through(&client, &base).await;
    let _ = client.close().await;
    server.abort();
    if let Err(e) = outcome {
        panic!("browser walk-through failed: {e}");
    }
}

/// A WebDriver session in a new, empty headless Chromium profile (kept
/// alive by the returned folder).
async fn session(webdriver: &str) -> (Client, tempfile::TempDir) {
    let profile = tempfile::tempdir().expect("a temporary browser profile");
    let mut options = json!({
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--window-size=1280,900",
            format!("--user-data-dir={}", profile.path().display()),
        ]
    });
    if let Ok(binary) = std::env::var("VEZA_CHROMIUM") {
        options["binary"] = Value::String(binary);
    }
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), options);
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(webdriver)
        .await
        .expect("a WebDriver session");

    (client, profile)
}

/// The WebDriver URL, or `None` when the test is to be skipped.
fn webdriver_url() -> Option<String> {
    match std::env::var("VEZA_WEBDRIVER_URL") {
        Ok(url) => Some(url),
        Err(_) if std::env::var_os("CI").is_some() => {
            panic!("CI is set but VEZA_WEBDRIVER_URL is not: start chromedriver (scripts/lib/browser.sh browser_start)")
        }
        Err(_) => {
            eprintln!(
                "SKIPPED browser test: VEZA_WEBDRIVER_URL is not set (source scripts/lib/browser.sh; browser_start)"
            );
            None
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_analyst_reviews_a_proposed_match_side_by_side() {
    let Some(webdriver) = webdriver_url() else { return };
    let veza = Veza::open_with("sqlite::memory:", common::test_identity(None)).await.expect("in-memory store opens");
    veza.create_demo_users(Some(DEMO_PW.into())).await.expect("demo users");
    // A police file and a border log of the same 30 people, as each writes names.
    let dir = tempfile::tempdir().expect("folder");
    let given = ["Arben", "Besnik", "Dragan", "Marko", "Ivana", "Milica", "Driton", "Fatmir", "Jelena", "Goran"];
    let family = ["Krasniqi", "Hoxha", "Petrović", "Jovanović", "Gashi", "Berisha", "Nikolić", "Stojanović", "Ilić"];
    let op = veza_app::Access::new(Caller::system("browser test"), None);
    for (dataset, upper) in [("police-file", false), ("border-log", true)] {
        let mut lines = String::new();
        for i in 0..30 {
            let (g, f) = (given[i % given.len()], family[(i * 7 + i / 3) % family.len()]);
            let name = if upper { format!("{} {}", f.to_uppercase(), g.to_uppercase()) } else { format!("{g} {f}") };
            lines.push_str(
                &json!({"id": format!("{dataset}-{i}"), "schema": "Person", "properties": {
                "name": [name], "birthDate": [format!("19{:02}-{:02}-{:02}", 60 + i, 1 + i % 12, 1 + i % 28)]},
                "veza": {"handling": {"visibility": "all"}}})
                .to_string(),
            );
            lines.push('\n');
        }
        let file = dir.path().join(format!("{dataset}.json"));
        std::fs::write(&file, lines).expect("write");
        let options = veza_app::ImportOptions {
            dataset: Some(dataset.into()),
            agency: Some("mk-thb".into()),
            ..veza_app::ImportOptions::default()
        };
        veza.import_file(&op, &file, &options, |_| {}).await.expect("import");
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("bound address"));
    let web = router(veza, WebOptions { demo: true });
    let server = tokio::spawn(async move { axum::serve(listener, web).await });
    let (client, _profile) = session(&webdriver).await;
    let outcome = review(&client, &base).await;
    if outcome.is_err() {
        eprintln!("the page at the failure: {}", client.source().await.unwrap_or_default());
    }
    let _ = client.close().await;
    server.abort();
    if let Err(e) = outcome {
        panic!("review walk-through failed: {e}");
    }
}

/// Cross-reference the border log, open the best pair, merge it, split it.
async fn review(c: &Client, base: &str) -> Result<(), String> {
    let fail = |what: &str| {
        let what = what.to_owned();
        move |e: fantoccini::error::CmdError| format!("{what}: {e}")
    };
    c.goto(&format!("{base}/")).await.map_err(fail("open the workspace"))?;
    sign_in(c, "analyst.mk").await?;
    // Screen a name as a border log writes it; then a date the form refuses, next to its field.
    c.goto(&format!("{base}/screen")).await.map_err(fail("open the screening page"))?;
    for (id, text) in [("name", "KRASNIQI ARBEN"), ("birth_date", "1960")] {
        type_into(c, Locator::Id(id), text, "type into the screening form").await?;
    }
    click(c, Locator::Css("#screen-form button[type=submit]"), "press check").await?;
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::XPath("//ol[@id='person-hits']/li/a[contains(., 'Arben')]"))
        .await
        .map_err(fail("wait for the hit on Arben Krasniqi"))?;
    screenshot(c, "screen.png").await?;
    c.goto(&format!("{base}/screen?name=Arben&birth_date=14.03.1987")).await.map_err(fail("a bad date"))?;
    c.wait().at_most(WAIT).for_element(Locator::Id("birth_date-error")).await.map_err(fail("the date's error"))?;

    c.goto(&format!("{base}/matches")).await.map_err(fail("open the review page again"))?;
    c.wait().at_most(WAIT).for_element(Locator::Id("no-matches")).await.map_err(fail("an empty queue"))?;
    click(c, Locator::Css("#xref-dataset option[value='border-log']"), "choose the border log").await?;
    click(c, Locator::Css("#xref button[type=submit]"), "press find matches").await?;
    let first = c
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("#matches tbody tr td a"))
        .await
        .map_err(fail("wait for the proposed pairs"))?;
    let rows = c.find_all(Locator::Css("#matches tbody tr")).await.map_err(fail("count the pairs"))?;
    if rows.len() < 25 {
        return Err(format!("only {} of the 30 pairs were proposed", rows.len()));
    }
    screenshot(c, "matches.png").await?;
    // A proposed pair shows on the record's own page, with the way to review it.
    let pair = first.attr("href").await.map_err(fail("read the pair's link"))?.unwrap_or_default();
    click(c, Locator::Css("#matches tbody tr td:nth-child(2) a"), "open a proposed record").await?;
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css(&format!("#possible-duplicates a.via[href='{pair}']")))
        .await
        .map_err(fail("the possible duplicate on the record's page"))?;
    c.goto(&format!("{base}{pair}")).await.map_err(fail("open the first pair"))?;
    c.wait().at_most(WAIT).for_element(Locator::Id("side-by-side")).await.map_err(fail("the side-by-side table"))?;
    let explained = c.find_all(Locator::Css("#explanation tbody tr")).await.map_err(fail("the explanation"))?;
    if explained.is_empty() {
        return Err("the pair has no explanation".into());
    }
    for (decision, reason, status) in
        [("confirmed", "same date of birth and name", "confirmed"), ("split", "different fathers", "split")]
    {
        type_into(c, Locator::Id("reason"), reason, "type the reason").await?;
        click(c, Locator::Css(&format!("#decide button[value={decision}]")), "press the decision").await?;
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&format!("//span[@id='status' and text()='{status}']")))
            .await
            .map_err(fail("wait for the new status"))?;
        if decision == "confirmed" {
            // The merge shows on the record's page, with a way back to the decision.
            let here = c.current_url().await.map_err(fail("read the URL"))?;
            click(c, Locator::Css("#side-by-side thead th:nth-child(2) a"), "open the left record").await?;
            c.wait().at_most(WAIT).for_element(Locator::Css("#same-as a.via")).await.map_err(fail("the merge"))?;
            c.goto(here.as_str()).await.map_err(fail("back to the pair"))?;
        }
    }
    let history = c.find_all(Locator::Css("#history li")).await.map_err(fail("the decisions"))?;
    if history.len() != 2 {
        return Err(format!("{} decisions listed, not 2", history.len()));
    }
    screenshot(c, "match.png").await?;
    Ok(())
}

/// The user's path through the workspace; any failure is described.
async fn walk_through(c: &Client, base: &str) -> Result<(), String> {
    let fail = |what: &str| {
        let what = what.to_owned();
        move |e: fantoccini::error::CmdError| format!("{what}: {e}")
    };
    // Not signed in: the workspace sends the browser to the log-in page.
    c.goto(&format!("{base}/")).await.map_err(fail("open the search page"))?;
    c.wait().at_most(WAIT).for_element(Locator::Id("username")).await.map_err(fail("wait for the log-in page"))?;
    let url = c.current_url().await.map_err(fail("read the URL"))?;
    if url.path() != "/login" {
        return Err(format!("not sent to the log-in page but to {url}"));
    }
    screenshot(c, "login.png").await?;
    type_into(c, Locator::Id("username"), "border.rs", "type the user name").await?;
    type_into(c, Locator::Id("password"), DEMO_PW, "type the password").await?;
    click(c, Locator::Css("form.login-form button[type=submit]"), "press sign in").await?;
    // Signed in, the workspace first asks why: the purpose goes with every read.
    let field = c
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Id("purpose-field"))
        .await
        .map_err(fail("wait for the purpose form"))?;
    let url = c.current_url().await.map_err(fail("read the URL"))?;
    if url.path() != "/purpose" {
        return Err(format!("not asked for a purpose but sent to {url}"));
    }
    screenshot(c, "purpose.png").await?;
    field.send_keys("case RS-2026-0142").await.map_err(fail("type the purpose"))?;
    click(c, Locator::Css("form.login-form button[type=submit]"), "press continue").await?;
    let shown =
        c.wait().at_most(WAIT).for_element(Locator::Id("purpose")).await.map_err(fail("wait for the purpose"))?;
    let shown = shown.text().await.map_err(fail("read the purpose"))?;
    if shown != "case RS-2026-0142" {
        return Err(format!("the top bar shows the purpose {shown:?}"));
    }
    let whoami =
        c.wait().at_most(WAIT).for_element(Locator::Id("whoami")).await.map_err(fail("wait to be signed in"))?;
    let name = whoami.text().await.map_err(fail("read who is signed in"))?;
    if name != "Border officer, Serbia" {
        return Err(format!("the top bar shows {name:?}"));
    }
    let banner = c.find(Locator::Id("demo-banner")).await.map_err(fail("find the banner"))?;
    let banner = banner.text().await.map_err(fail("read the banner"))?;
    if !banner.contains("Demo with synthetic data — do not load real personal data") {
        return Err(format!("banner says {banner:?}"));
    }
    let htmx = c.execute("return typeof window.htmx;", vec![]).await.map_err(fail("look for htmx"))?;
    if htmx != json!("object") {
        return Err(format!("htmx did not load: {htmx}"));
    }

    screenshot(c, "home.png").await?;

    // Search without the accent, as people type at a checkpoint.
    let q = c.find(Locator::Id("q")).await.map_err(fail("find the search box"))?;
    q.send_keys("petrovic").await.map_err(fail("type into the search box"))?;
    click(c, Locator::Css("form.search-form button[type=submit]"), "press search").await?;
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::XPath("//p[@class='summary' and contains(., 'petrovic')]"))
        .await
        .map_err(fail("wait for the results of 'petrovic'"))?;
    let rows = c.find_all(Locator::Css("#results a.entity-link")).await.map_err(fail("read the result rows"))?;
    let mut captions = Vec::new();
    for r in &rows {
        captions.push(r.text().await.map_err(fail("read a result"))?);
    }
    if captions != ["Marko Petrović"] {
        return Err(format!("expected only Marko Petrović, got {captions:?}"));
    }
    let url = c.current_url().await.map_err(fail("read the URL"))?;
    if !url.as_str().contains("q=petrovic") {
        return Err(format!("the search is not in the address bar: {url}"));
    }
    let inline_styles =
        c.execute("return document.querySelectorAll('style').length;", vec![]).await.map_err(fail("count styles"))?;
    if inline_styles != json!(0) {
        return Err(format!("{inline_styles} inline <style> elements: the CSP blocks them"));
    }
    screenshot(c, "search.png").await?;

    // Open the result.
    rows[0].click().await.map_err(fail("click the result"))?;
    let h1 = c
        .wait()
        .at_most(WAIT)
        .for_element(Locator::XPath("//h1[text()='Marko Petrović']"))
        .await
        .map_err(fail("wait for the entity page"))?;
    if !h1.is_displayed().await.map_err(fail("see the name"))? {
        return Err("the name is not visible".into());
    }
    let url = c.current_url().await.map_err(fail("read the URL"))?;
    if url.path() != "/entities/test.marko" {
        return Err(format!("landed on {url}"));
    }
    let provenance = c.find(Locator::Css("#provenance")).await.map_err(fail("find the provenance section"))?;
    // Labels are shown in capitals by the stylesheet: compare without case.
    let text = provenance.text().await.map_err(fail("read the provenance"))?.to_lowercase();
    for expected in ["provenance", "rs-bp", "manual", "retention review"] {
        if !text.contains(expected) {
            return Err(format!("provenance lacks {expected:?}: {text:?}"));
        }
    }
    screenshot(c, "entity.png").await?;

    // A record of another agency whose existence is visible: ask its owner.
    c.goto(&format!("{base}/entities/test.secret")).await.map_err(fail("open the restricted record"))?;
    let reason = c
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Id("reason-field"))
        .await
        .map_err(fail("wait for the access request form"))?;
    let page = c.find(Locator::Css("main")).await.map_err(fail("find the page"))?;
    let text = page.text().await.map_err(fail("read the page"))?;
    if text.contains("Goran Secret") {
        return Err("the restricted record's name is shown".into());
    }
    reason.send_keys("case RS-2026-0142, same phone").await.map_err(fail("type the reason"))?;
    screenshot(c, "restricted.png").await?;
    click(c, Locator::Css("form.login-form button[type=submit]"), "press ask for access").await?;
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::XPath("//h1[text()='Access requested']"))
        .await
        .map_err(fail("wait for the confirmation"))?;

    // Import a small border log: preview with a mapping written in the page, then import.
    let dir = tempfile::tempdir().map_err(|e| format!("a folder: {e}"))?;
    let file = dir.path().join("border-log.csv");
    std::fs::write(&file, "record_no,full_name,dob\nb-1,Arben Krasniqi,14.03.1987\nb-2,Jelena Petrović,31.02.19x0\n")
        .map_err(|e| format!("write the file: {e}"))?;
    c.goto(&format!("{base}/import")).await.map_err(fail("open the import page"))?;
    let input = c.wait().at_most(WAIT).for_element(Locator::Id("file")).await.map_err(fail("the file field"))?;
    input.send_keys(&file.display().to_string()).await.map_err(fail("choose the file"))?;
    let mapping = "schema = \"Person\"\nid = \"record_no\"\n[properties]\nname = \"full_name\"\nbirthDate = { column = \"dob\", format = \"%d.%m.%Y\" }\n";
    type_into(c, Locator::Id("mapping"), mapping, "write the mapping").await?;
    type_into(c, Locator::Id("dataset"), "border-log-web", "name the dataset").await?;
    click(c, Locator::Css("#import-form button[type=submit]"), "press preview").await?;
    let summary =
        c.wait().at_most(WAIT).for_element(Locator::Id("preview-summary")).await.map_err(fail("the preview"))?;
    let summary = summary.text().await.map_err(fail("read the preview"))?;
    if !summary.contains("1 mapped, 1 refused") {
        return Err(format!("the preview says {summary:?}"));
    }
    screenshot(c, "import.png").await?;
    click(c, Locator::Css("#import-start button"), "press import").await?;
    let done = c.wait().at_most(WAIT).for_element(Locator::Id("import-done")).await.map_err(fail("the import"))?;
    let done = done.text().await.map_err(fail("read the summary"))?;
    if !done.contains("1 records created") || !done.contains("1 rows refused") {
        return Err(format!("the import says {done:?}"));
    }

    // Switch to Serbian Cyrillic: the menu, the dates and the language attribute change; then back.
    click(c, Locator::Css("#language option[value='sr-Cyrl']"), "choose Serbian Cyrillic").await?;
    click(c, Locator::Css("#language-form button"), "press change language").await?;
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::XPath("//html[@lang='sr-Cyrl']"))
        .await
        .map_err(fail("the page in Serbian Cyrillic"))?;
    let nav = c.find(Locator::Css("nav.mainnav")).await.map_err(fail("find the menu"))?;
    let nav = nav.text().await.map_err(fail("read the menu"))?;
    if !nav.contains("Претрага") {
        return Err(format!("the menu is not in Serbian Cyrillic: {nav:?}"));
    }
    screenshot(c, "language.png").await?;
    click(c, Locator::Css("#language option[value='en']"), "choose English").await?;
    click(c, Locator::Css("#language-form button"), "press change language").await?;
    c.wait().at_most(WAIT).for_element(Locator::XPath("//html[@lang='en']")).await.map_err(fail("English again"))?;

    // Sign out: back on the log-in page, and the workspace is closed again.
    click(c, Locator::Css("form.signout button"), "press sign out").await?;
    c.wait().at_most(WAIT).for_element(Locator::Id("username")).await.map_err(fail("wait for the log-in page"))?;
    c.goto(&format!("{base}/entities/test.marko")).await.map_err(fail("open the entity again"))?;
    let url = c.current_url().await.map_err(fail("read the URL"))?;
    if url.path() != "/login" {
        return Err(format!("still signed in after signing out: {url}"));
    }

    // The owner answers: the Serbian investigator grants the request.
    sign_in(c, "investigator.rs").await?;
    c.goto(&format!("{base}/access-requests")).await.map_err(fail("open the access requests"))?;
    let reason = c
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Id("reason-1"))
        .await
        .map_err(fail("wait for the request of border.rs"))?;
    reason.send_keys("same phone as our suspect").await.map_err(fail("type the reason"))?;
    screenshot(c, "requests.png").await?;
    click(c, Locator::Css("#request-1 button[value=grant]"), "press grant").await?;
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::XPath("//tr[@id='request-1']//span[@class='tag' and text()='granted']"))
        .await
        .map_err(fail("wait for the request to show as granted"))?;
    Ok(())
}

/// Signs in on the log-in page and states a purpose.
async fn sign_in(c: &Client, username: &str) -> Result<(), String> {
    let fail = |what: &str| {
        let what = what.to_owned();
        move |e: fantoccini::error::CmdError| format!("{what}: {e}")
    };
    let field = c.wait().at_most(WAIT).for_element(Locator::Id("username")).await.map_err(fail("log-in page"))?;
    field.send_keys(username).await.map_err(fail("type the user name"))?;
    type_into(c, Locator::Id("password"), DEMO_PW, "type the password").await?;
    click(c, Locator::Css("form.login-form button[type=submit]"), "press sign in").await?;
    // The purpose is asked only when the page signed in to needs one (record
    // pages do; an operation's check page or an exercise board do not).
    // Both pages show who is signed in; the purpose page also has its field.
    c.wait().at_most(WAIT).for_element(Locator::Id("whoami")).await.map_err(fail("the page after sign-in"))?;
    if let Ok(purpose) = c.find(Locator::Id("purpose-field")).await {
        purpose.send_keys("case RS-2026-0142").await.map_err(fail("type the purpose"))?;
        click(c, Locator::Css("form.login-form button[type=submit]"), "press continue").await?;
        c.wait().at_most(WAIT).for_element(Locator::Id("whoami")).await.map_err(fail("signed in"))?;
    }
    Ok(())
}

/// Finds an element and clicks it; a failure says what was being done.
async fn click(c: &Client, at: Locator<'_>, what: &str) -> Result<(), String> {
    let element = c.find(at).await.map_err(|e| format!("find ({what}): {e}"))?;
    element.click().await.map_err(|e| format!("{what}: {e}"))
}

/// Finds a field and types into it; a failure says what was being done.
async fn type_into(c: &Client, at: Locator<'_>, text: &str, what: &str) -> Result<(), String> {
    let element = c.find(at).await.map_err(|e| format!("find ({what}): {e}"))?;
    element.send_keys(text).await.map_err(|e| format!("{what}: {e}"))
}

/// Saves a screenshot of the whole window.
async fn screenshot(c: &Client, name: &str) -> Result<(), String> {
    let png = c.screenshot().await.map_err(|e| format!("screenshot {name}: {e}"))?;
    let dir = screenshot_dir();
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = dir.join(name);
    std::fs::write(&path, png).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("screenshot: {}", path.display());
    Ok(())
}

/// An investigator opens a case, attaches a record, writes a note and
/// uploads a file, seeing its SHA-256; an investigator of another country's
/// agency then gets 404 at the case's address.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_investigator_opens_a_case_and_another_agency_cannot() {
    let Some(webdriver) = webdriver_url() else { return };
    let veza = Veza::open_with("sqlite::memory:", common::test_identity(None)).await.expect("in-memory store opens");
    veza.create_demo_users(Some(DEMO_PW.into())).await.expect("demo users");
    let investigator = Caller::user("investigator.rs", "rs-thb", "rs", &[]);
    let operation: NewEntity = serde_json::from_value(json!({"id": "test.sweep", "schema": "Operation",
        "properties": {"name": ["Sweep Drina"]}}))
    .expect("valid");
    veza.create_entity(&common::with_purpose(investigator), operation).await.expect("stored");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("bound address"));
    let server = tokio::spawn(async move { axum::serve(listener, router(veza, WebOptions { demo: true })).await });
    let files = tempfile::tempdir().expect("folder");
    let evidence = files.path().join("statement.txt");
    std::fs::write(&evidence, b"Statement of the labour inspector, 3 March").expect("file written");

    let (client, _profile) = session(&webdriver).await;
    let outcome = case_flow(&client, &base, &evidence).await;
    let _ = client.close().await;
    server.abort();
    if let Err(e) = outcome {
        panic!("case walk-through failed: {e}");
    }
}

async fn case_flow(c: &Client, base: &str, evidence: &std::path::Path) -> Result<(), String> {
    let fail = |what: &str| {
        let what = what.to_owned();
        move |e: fantoccini::error::CmdError| format!("{what}: {e}")
    };
    c.goto(&format!("{base}/cases")).await.map_err(fail("open my cases"))?;
    sign_in(c, "investigator.rs").await.map_err(|e| format!("first sign-in: {e}"))?;
    c.goto(&format!("{base}/cases/new")).await.map_err(fail("open the case form"))?;
    c.wait().at_most(WAIT).for_element(Locator::Id("field-name")).await.map_err(fail("wait for the form"))?;
    type_into(c, Locator::Id("field-name"), "Operation Lastavica", "type the case name").await?;
    type_into(c, Locator::Id("field-caseNumber"), "RS-THB-2026-31", "type the case number").await?;
    click(c, Locator::Css("#field-status option[value='under_investigation']"), "choose the status").await?;
    click(c, Locator::Css("input[name='exploitationType'][value='forced_labour']"), "tick forced labour").await?;
    click(c, Locator::Css("input[name='methodOfControl'][value='debt_bondage']"), "tick debt bondage").await?;
    screenshot(c, "case-new.png").await?;
    click(c, Locator::Id("create-case"), "open the case").await?;
    let h1 = c.wait().at_most(WAIT).for_element(Locator::Id("case-name")).await.map_err(fail("the case page"))?;
    if h1.text().await.map_err(fail("read the name"))? != "Operation Lastavica" {
        return Err("the case page shows another name".into());
    }
    let case_url = c.current_url().await.map_err(fail("read the URL"))?;

    type_into(c, Locator::Id("attach-id"), "test.sweep", "type the record id").await?;
    click(c, Locator::Id("attach"), "attach the record").await?;
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::XPath("//section[@id='records']//a[text()='Sweep Drina']"))
        .await
        .map_err(fail("wait for the attached record"))?;

    type_into(c, Locator::Id("note-body"), "Met the labour inspector <b>today</b>", "type a note").await?;
    click(c, Locator::Id("add-note"), "add the note").await?;
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::XPath("//p[@class='note-body' and contains(., '<b>today</b>')]"))
        .await
        .map_err(fail("wait for the note, shown as written"))?;

    let file = c.find(Locator::Id("evidence-file")).await.map_err(fail("find the file field"))?;
    file.send_keys(&evidence.display().to_string()).await.map_err(fail("choose the file"))?;
    click(c, Locator::Id("upload"), "upload the file").await?;
    let notice = c.wait().at_most(WAIT).for_element(Locator::Id("notice")).await.map_err(fail("the notice"))?;
    let expected = veza_app::sha256_hex(&std::fs::read(evidence).map_err(|e| e.to_string())?);
    let said = notice.text().await.map_err(fail("read the notice"))?;
    let listed = c.find(Locator::Css("#evidence-list td.sha256")).await.map_err(fail("find the file's SHA-256"))?;
    let listed = listed.text().await.map_err(fail("read the SHA-256"))?;
    if !said.contains(&expected) || listed != expected {
        return Err(format!("expected SHA-256 {expected}; the page says {said:?} and lists {listed:?}"));
    }
    screenshot(c, "case.png").await?;

    // Another country's investigator: the case does not exist for them.
    click(c, Locator::Css("form.signout button[type=submit]"), "sign out").await?;
    c.goto(case_url.as_str()).await.map_err(fail("open the case as someone else"))?;
    if let Err(e) = sign_in(c, "investigator.al").await {
        let url = c.current_url().await.map_err(fail("read the URL"))?;
        let _ = screenshot(c, "case-signin-failed.png").await;
        return Err(format!("second sign-in at {url}: {e}"));
    }
    c.goto(case_url.as_str()).await.map_err(fail("open the case URL"))?;
    let status =
        c.wait().at_most(WAIT).for_element(Locator::Css("p.status")).await.map_err(fail("wait for the 404 page"))?;
    let status = status.text().await.map_err(fail("read the status"))?;
    let source = c.source().await.map_err(fail("read the page"))?;
    if status != "404" || source.contains("Lastavica") || source.contains(&expected) {
        return Err(format!("another agency got status {status:?} or saw the case"));
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_analyst_expands_a_link_chart_and_reads_the_timeline() {
    let Some(webdriver) = webdriver_url() else { return };
    let veza = Veza::open_with("sqlite::memory:", common::test_identity(None)).await.expect("in-memory store opens");
    veza.create_demo_users(Some(DEMO_PW.into())).await.expect("demo users");
    // A Serbian network open to all, and one person and link the Serbian
    // border police keep to themselves.
    let officer = common::with_purpose(Caller::user("border.rs", "rs-bp", "rs", &[]));
    let all = json!({"visibility": "all"});
    let own = json!({"visibility": "agency", "existence_visible": true});
    let person = |id: &str, name: &str, h: &Value| json!({"id": id, "schema": "Person", "properties": {"name": [name]}, "handling": h});
    let family = |id: &str, a: &str, b: &str, h: &Value| json!({"id": id, "schema": "Family", "properties": {"person": [a], "relative": [b]}, "handling": h});
    for seed in [
        person("test.hub", "Dragan Hub", &all),
        person("test.p1", "Milica Prva", &all),
        person("test.p2", "Jelena Druga", &all),
        person("test.q1", "Arben Treći", &all),
        person("test.q2", "Besnik Četvrti", &all),
        person("test.secret", "Goran Secret", &own),
        family("test.f1", "test.hub", "test.p1", &all),
        family("test.f2", "test.hub", "test.p2", &all),
        family("test.f3", "test.p1", "test.q1", &all),
        family("test.f4", "test.p1", "test.q2", &all),
        family("test.f5", "test.hub", "test.secret", &own),
        json!({"id": "test.call", "schema": "Call", "properties": {"caller": ["test.hub"], "receiver": ["test.p2"],
            "date": ["2024-03-01"]}, "handling": all}),
    ] {
        let e: NewEntity = serde_json::from_value(seed).expect("valid");
        veza.create_entity(&officer, e).await.expect("stored");
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("bound address"));
    let web = router(veza, WebOptions { demo: true });
    let server = tokio::spawn(async move { axum::serve(listener, web).await });
    let (client, _profile) = session(&webdriver).await;
    let outcome = chart_walk(&client, &base).await;
    if outcome.is_err() {
        eprintln!("the page at the failure: {}", client.source().await.unwrap_or_default());
    }
    let _ = client.close().await;
    server.abort();
    if let Err(e) = outcome {
        panic!("chart walk-through failed: {e}");
    }
}

/// Open the hub's chart, expand Milica, see her relatives; the restricted
/// person is nowhere; then the timeline shows the call.
async fn chart_walk(c: &Client, base: &str) -> Result<(), String> {
    let fail = |what: &str| {
        let what = what.to_owned();
        move |e: fantoccini::error::CmdError| format!("{what}: {e}")
    };
    c.goto(&format!("{base}/")).await.map_err(fail("open the workspace"))?;
    sign_in(c, "analyst.mk").await?;
    c.goto(&format!("{base}/entities/test.hub")).await.map_err(fail("open the entity"))?;
    click(c, Locator::Id("open-chart"), "open the link chart").await?;
    c.wait().at_most(WAIT).for_element(Locator::Css("#chart canvas")).await.map_err(fail("the drawn chart"))?;
    c.goto(&format!("{base}/entities/test.hub/chart?hops=1")).await.map_err(fail("one hop"))?;
    c.wait().at_most(WAIT).for_element(Locator::Css("#chart canvas")).await.map_err(fail("the drawn chart"))?;
    let drawn = |c: &Client| {
        let c = c.clone();
        async move {
            let v = c
                .execute(
                    "return window.vezaChart && window.vezaChart.cy ? window.vezaChart.cy.nodes().length : -1;",
                    vec![],
                )
                .await
                .map_err(|e| format!("count the drawn nodes: {e}"))?;
            v.as_i64().ok_or_else(|| format!("no chart: {v}"))
        }
    };
    let before = drawn(c).await?;
    if before != 4 {
        return Err(format!("one hop from the hub should draw the hub, two relatives and the call, not {before}"));
    }
    let source = c.source().await.map_err(fail("read the page"))?;
    if source.contains("Goran Secret") || source.contains("test.secret") {
        return Err("the restricted person is in the chart page".into());
    }
    click(c, Locator::Css("#chart-pick option[value='test.p1']"), "choose Milica").await?;
    click(c, Locator::Css("#chart-link-type option[value='Family']"), "choose family links").await?;
    click(c, Locator::Id("chart-expand"), "press expand").await?;
    let mut after = before;
    for _ in 0..100 {
        after = drawn(c).await?;
        if after > before {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    if after != before + 2 {
        return Err(format!("expanding Milica drew {after} nodes, not {}", before + 2));
    }
    let shown = c.find(Locator::Id("node-count")).await.map_err(fail("the count"))?;
    let shown = shown.text().await.map_err(fail("read the count"))?;
    if shown != after.to_string() {
        return Err(format!("the page says {shown} entities, the chart has {after}"));
    }
    screenshot(c, "chart.png").await?;

    c.goto(&format!("{base}/entities/test.hub/timeline")).await.map_err(fail("open the timeline"))?;
    let event = c
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("#timeline li.timeline-event a"))
        .await
        .map_err(fail("the timeline's events"))?;
    let href = event.attr("href").await.map_err(fail("read the event"))?.unwrap_or_default();
    if href != "/entities/test.call" {
        return Err(format!("the first event links to {href}"));
    }
    let main = c.find(Locator::Css("main")).await.map_err(fail("find the page"))?;
    if main.text().await.map_err(fail("read the page"))?.contains("Goran Secret") {
        return Err("the restricted person is in the timeline".into());
    }
    screenshot(c, "timeline.png").await?;
    Ok(())
}

/// A border officer checks a traveller at a checkpoint of the demo
/// operation: HIT, with the instruction to contact NCB Skopje; the
/// operation's coordinator records the owner's confirmation and the arrest;
/// the dashboard shows the figures, each a link to its records.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_checks_a_traveller_and_the_hit_is_confirmed() {
    let Some(webdriver) = webdriver_url() else { return };
    let veza = Veza::open_with("sqlite::memory:", common::test_identity(None)).await.expect("in-memory store opens");
    veza.load_demo().await.expect("demo with its operation");
    veza.create_demo_users(Some(DEMO_PW.into())).await.expect("demo users");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("bound address"));
    let server = tokio::spawn(async move { axum::serve(listener, router(veza, WebOptions { demo: true })).await });
    let (client, _profile) = session(&webdriver).await;
    let outcome = operation_flow(&client, &base).await;
    let _ = client.close().await;
    server.abort();
    if let Err(e) = outcome {
        panic!("operation walk-through failed: {e}");
    }
}

async fn operation_flow(c: &Client, base: &str) -> Result<(), String> {
    let fail = |what: &str| {
        let what = what.to_owned();
        move |e: fantoccini::error::CmdError| format!("{what}: {e}")
    };
    let op = format!("{base}/operations/{}", veza_app::DEMO_OPERATION);
    c.goto(&format!("{op}/check")).await.map_err(fail("open the check page"))?;
    sign_in(c, "border.mk").await?;
    c.goto(&format!("{op}/check")).await.map_err(fail("open the check page"))?;
    c.wait().at_most(WAIT).for_element(Locator::Id("check-form")).await.map_err(fail("the check form"))?;
    click(c, Locator::Css("#checkpoint option[value='MK-TAB']"), "choose Tabanovce").await?;
    type_into(c, Locator::Id("name"), "Dragan Stojanović", "type the name").await?;
    type_into(c, Locator::Id("birth_date"), "1974-05-12", "type the birth date").await?;
    type_into(c, Locator::Id("nationality"), "rs", "type the nationality").await?;
    click(c, Locator::Id("check-submit"), "press check").await?;
    let verdict = c.wait().at_most(WAIT).for_element(Locator::Id("verdict")).await.map_err(fail("the answer"))?;
    let verdict = verdict.text().await.map_err(fail("read the answer"))?;
    let instruction = c.find(Locator::Css("#check-hits .instruction")).await.map_err(fail("the instruction"))?;
    let instruction = instruction.text().await.map_err(fail("read the instruction"))?;
    if verdict != "HIT" || !instruction.contains("contact NCB Skopje") {
        return Err(format!(
            "expected HIT with the instruction to contact NCB Skopje, got {verdict:?} / {instruction:?}"
        ));
    }
    screenshot(c, "operation-check.png").await?;

    // The coordinator confirms the hit with the owner and records the arrest.
    click(c, Locator::Css("form.signout button[type=submit]"), "sign out").await?;
    c.goto(&format!("{op}/hits?status=pending")).await.map_err(fail("open the hit queue"))?;
    sign_in(c, "coordinator.rs").await?;
    c.goto(&format!("{op}/hits?status=pending")).await.map_err(fail("open the hit queue"))?;
    c.wait().at_most(WAIT).for_element(Locator::Css("form.decision")).await.map_err(fail("a pending hit"))?;
    click(c, Locator::Css("form.decision select[name=action] option[value='arrested']"), "choose arrested").await?;
    type_into(c, Locator::Css("form.decision input[name=reason]"), "NCB Skopje confirmed", "type the reason").await?;
    click(c, Locator::Css("form.decision button[type=submit]"), "record the decision").await?;
    c.wait().at_most(WAIT).for_element(Locator::Id("hit-queue")).await.map_err(fail("back at the queue"))?;
    c.goto(&format!("{op}/hits?status=confirmed")).await.map_err(fail("open the confirmed hits"))?;
    let confirmed = c.find_all(Locator::Css("#hit-queue > li")).await.map_err(fail("list confirmed hits"))?;
    if confirmed.len() < 2 {
        return Err(format!("expected the demo's and the new confirmed hit, found {}", confirmed.len()));
    }
    c.goto(&op).await.map_err(fail("open the operation"))?;
    c.wait().at_most(WAIT).for_element(Locator::Id("outcome-form")).await.map_err(fail("the outcome form"))?;
    type_into(c, Locator::Id("person"), "p-stojanovic", "type the person").await?;
    click(c, Locator::Css("#outcome-checkpoint option[value='MK-TAB']"), "choose the checkpoint").await?;
    type_into(c, Locator::Id("detail"), "red_notice", "type the legal basis").await?;
    click(c, Locator::Id("outcome-submit"), "record the arrest").await?;
    let arrests =
        c.wait().at_most(WAIT).for_element(Locator::Id("fig-arrests")).await.map_err(fail("the dashboard"))?;
    let count = arrests.text().await.map_err(fail("read the arrests"))?;
    let link = arrests.attr("href").await.map_err(fail("read the link"))?.unwrap_or_default();
    if count.trim() != "2" || !link.contains("schema=Arrest") {
        return Err(format!("expected 2 arrests linked to their records, got {count:?} at {link:?}"));
    }
    let checks = c.find(Locator::Id("fig-checks")).await.map_err(fail("the checks"))?;
    let checks = checks.text().await.map_err(fail("read the checks"))?;
    if checks.chars().filter(char::is_ascii_digit).collect::<String>().parse::<u32>().unwrap_or(0) < 301 {
        return Err(format!("expected at least 301 checks, got {checks:?}"));
    }
    screenshot(c, "operation-dashboard.png").await?;
    Ok(())
}

/// A victim-support officer interviews a possible victim flagged at a
/// check: the person's request (a female officer, an interpreter, a support
/// worker) is recorded first and shown prominently, the answers give a
/// reasoned assessment (advice, never a verdict), the officer records the
/// decision and refers the person to a shelter with consent; the referral
/// shows on the referrals page and its status moves on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_possible_victim_is_interviewed_from_a_check_and_referred_with_consent() {
    let Some(webdriver) = webdriver_url() else { return };
    let veza = Veza::open_with("sqlite::memory:", common::test_identity(None)).await.expect("in-memory store opens");
    veza.create_demo_users(Some(DEMO_PW.into())).await.expect("demo users");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("bound address"));
    let server = tokio::spawn(async move { axum::serve(listener, router(veza, WebOptions { demo: true })).await });
    let (client, _profile) = session(&webdriver).await;
    let outcome = victim_flow(&client, &base).await;
    let _ = client.close().await;
    server.abort();
    if let Err(e) = outcome {
        panic!("victim walk-through failed: {e}");
    }
}

async fn victim_flow(c: &Client, base: &str) -> Result<(), String> {
    let fail = |what: &str| {
        let what = what.to_owned();
        move |e: fantoccini::error::CmdError| format!("{what}: {e}")
    };
    let start = format!("{base}/victims/new?check=check-7&operation=op-demo");
    // The list asks for a purpose (it reads victim records); the sign-in asks for one.
    c.goto(&format!("{base}/victims")).await.map_err(fail("open the victim records"))?;
    sign_in(c, "victims.xk").await?;
    c.goto(&start).await.map_err(fail("open the interview again"))?;
    c.wait().at_most(WAIT).for_element(Locator::Id("interview")).await.map_err(fail("the interview form"))?;
    click(c, Locator::Css("input[name='officer_gender'][value='female']"), "ask for a female officer").await?;
    click(c, Locator::Id("field-interpreter"), "ask for an interpreter").await?;
    type_into(c, Locator::Id("field-language"), "ron", "type the language").await?;
    click(c, Locator::Id("field-support_worker"), "ask for a support worker").await?;
    type_into(c, Locator::Id("field-name"), "Elena Synthetic", "type the name").await?;
    type_into(c, Locator::Id("field-age_years"), "23", "type the age").await?;
    for code in ["dr-nature-of-work", "dr-conditions", "ec-excessive-hours", "ec-no-pay", "cd-documents", "cd-threats"]
    {
        click(c, Locator::Css(&format!("#ind-{code} option[value='yes']")), code).await?;
    }
    click(c, Locator::Id("assess"), "assess the answers").await?;
    let advice = c.wait().at_most(WAIT).for_element(Locator::Id("advice")).await.map_err(fail("the assessment"))?;
    let advice = advice.text().await.map_err(fail("read the advice"))?;
    if !advice.contains("Indications of trafficking") || !advice.contains("advice, not a decision") {
        return Err(format!("unexpected advice: {advice:?}"));
    }
    let reasoning = c.find(Locator::Id("reasoning")).await.map_err(fail("find the reasoning"))?;
    let reasoning = reasoning.text().await.map_err(fail("read the reasoning"))?;
    if !reasoning.contains("Coercion at destination") || !reasoning.contains("the officer decides") {
        return Err(format!("the reasoning does not say why: {reasoning:?}"));
    }
    let request = c.find(Locator::Id("handling-request")).await.map_err(fail("the handling request"))?;
    let request = request.text().await.map_err(fail("read the request"))?;
    if !request.contains("female") || !request.contains("interpreter for ron") || !request.contains("support worker") {
        return Err(format!("the request is not shown: {request:?}"));
    }
    screenshot(c, "victim-interview.png").await?;
    click(c, Locator::Id("decision-possible_victim"), "decide: possible victim").await?;
    click(c, Locator::Id("record"), "record the interview").await?;
    c.wait().at_most(WAIT).for_element(Locator::Id("refer")).await.map_err(fail("the victim record"))?;
    let facts = c.find(Locator::Id("victim-facts")).await.map_err(fail("find the facts"))?;
    let facts = facts.text().await.map_err(fail("read the facts"))?;
    if !facts.contains("possible victim") || !facts.contains("op-demo") || !facts.contains("check-7") {
        return Err(format!("the record lacks the decision or the check: {facts:?}"));
    }
    click(c, Locator::Css("#field-service_type option[value='shelter']"), "choose a shelter").await?;
    type_into(c, Locator::Id("field-to_service"), "Safe House Prishtina", "name the shelter").await?;
    type_into(c, Locator::Id("field-country"), "xk", "type the country").await?;
    click(c, Locator::Id("field-consent"), "record the consent").await?;
    click(c, Locator::Id("scope-referral_to_services"), "consent to the referral").await?;
    click(c, Locator::Id("send-referral"), "send the referral").await?;
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::XPath("//table[@id='referral-list']//td[text()='Safe House Prishtina']"))
        .await
        .map_err(fail("the referral on the referrals page"))?;
    click(c, Locator::Css("#referral-list select[name='status'] option[value='accepted']"), "choose accepted").await?;
    click(c, Locator::Css("#referral-list form button[type=submit]"), "update the status").await?;
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css("#referral-list select[data-status='accepted']"))
        .await
        .map_err(fail("the referral shows as accepted"))?;
    screenshot(c, "referrals.png").await?;
    Ok(())
}

/// The demo exercise end to end: the controller starts it and releases an
/// inject; a border officer enters the exercise, opens the attached record
/// in the exercise space and responds from the inbox; an evaluator scores
/// the expected action and downloads the AAR/IP, a PDF.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_controller_runs_the_demo_exercise_and_an_evaluator_scores_it() {
    let Some(webdriver) = webdriver_url() else { return };
    let veza = Veza::open_with("sqlite::memory:", common::test_identity(None)).await.expect("in-memory store opens");
    veza.create_demo_users(Some(DEMO_PW.into())).await.expect("demo users");
    veza.load_demo_exercise().await.expect("the demo exercise");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("bound address"));
    let server = tokio::spawn(async move { axum::serve(listener, router(veza, WebOptions { demo: true })).await });

    let (client, _profile) = session(&webdriver).await;
    let outcome = exercise_flow(&client, &base).await;
    let _ = client.close().await;
    server.abort();
    if let Err(e) = outcome {
        panic!("exercise walk-through failed: {e}");
    }
}

async fn exercise_flow(c: &Client, base: &str) -> Result<(), String> {
    let fail = |what: &str| {
        let what = what.to_owned();
        move |e: fantoccini::error::CmdError| format!("{what}: {e}")
    };
    let board = format!("{base}/exercises/{}", veza_app::DEMO_EXERCISE);
    // The controller starts the clock and releases inject 2 (the border team's) by hand.
    // Exercise pages need no purpose, record pages do: sign in through the purpose form.
    let purpose_first = format!("{base}/purpose?next=%2Fexercises");
    c.goto(&purpose_first).await.map_err(fail("open the exercise"))?;
    sign_in(c, "controller").await.map_err(|e| format!("controller sign-in: {e}"))?;
    c.goto(&board).await.map_err(fail("open the exercise again"))?;
    c.wait().at_most(WAIT).for_element(Locator::Id("clock-start")).await.map_err(fail("the clock form"))?;
    click(c, Locator::Id("clock-start"), "start the exercise").await?;
    c.wait().at_most(WAIT).for_element(Locator::Id("clock-pause")).await.map_err(fail("the exercise runs"))?;
    click(c, Locator::Id("release-2"), "release inject 2").await?;
    c.wait().at_most(WAIT).for_element(Locator::Id("released-2")).await.map_err(fail("inject 2 is out"))?;
    click(c, Locator::Css("form.signout button[type=submit]"), "controller signs out").await?;

    // The player sees it in the inbox, enters the exercise and opens the attached record.
    c.goto(&purpose_first).await.map_err(fail("open the inbox"))?;
    sign_in(c, "border.rs").await.map_err(|e| format!("player sign-in: {e}"))?;
    c.goto(&format!("{board}/inbox")).await.map_err(fail("open the inbox again"))?;
    c.wait().at_most(WAIT).for_element(Locator::Id("inject-2")).await.map_err(fail("inject 2 in the inbox"))?;
    click(c, Locator::Css("#inbox-outside button[type=submit]"), "enter the exercise").await?;
    c.wait().at_most(WAIT).for_element(Locator::Id("acting-exercise")).await.map_err(fail("acting in the exercise"))?;
    c.goto(&format!("{board}/inbox")).await.map_err(fail("back to the inbox"))?;
    let record = c
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("#inject-2 a.record-link"))
        .await
        .map_err(fail("the attached record"))?;
    let href = record.attr("href").await.map_err(fail("the record's link"))?.unwrap_or_default();
    c.goto(&format!("{base}{href}")).await.map_err(fail("open the record"))?;
    c.wait().at_most(WAIT).for_element(Locator::Css("main h1")).await.map_err(fail("the record's page"))?;
    let title = c.find(Locator::Css("main h1")).await.map_err(fail("the title"))?.text().await.unwrap_or_default();
    if title.contains("not found") || title.is_empty() {
        return Err(format!("the attached record did not open in the exercise space: '{title}'"));
    }
    c.goto(&format!("{board}/inbox")).await.map_err(fail("back to the inbox"))?;
    c.wait().at_most(WAIT).for_element(Locator::Id("respond-2-body")).await.map_err(fail("the response form"))?;
    type_into(c, Locator::Id("respond-2-body"), "Screened: possible notice hit, NCB asked to confirm", "respond")
        .await?;
    click(c, Locator::Id("respond-2"), "send the response").await?;
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::XPath("//ul[@class='responses']/li[contains(., 'NCB asked to confirm')]"))
        .await
        .map_err(fail("the response is listed"))?;
    click(c, Locator::Css("form.signout button[type=submit]"), "player signs out").await?;

    // The evaluator scores the first expected action and downloads the AAR/IP.
    let sheet = format!("{board}/evaluation");
    c.goto(&purpose_first).await.map_err(fail("open the evaluation"))?;
    sign_in(c, "trainer").await.map_err(|e| format!("evaluator sign-in: {e}"))?;
    c.goto(&sheet).await.map_err(fail("open the evaluation again"))?;
    c.wait().at_most(WAIT).for_element(Locator::Id("score-2-1")).await.map_err(fail("the score form"))?;
    click(c, Locator::Css("#rating-2-1-select option[value='partly']"), "choose partly met").await?;
    type_into(c, Locator::Id("notes-2-1"), "screened quickly, NCB called late", "the notes").await?;
    click(c, Locator::Id("score-2-1"), "score it").await?;
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::XPath("//span[@id='rating-2-1' and text()='partly met']"))
        .await
        .map_err(fail("the rating is shown"))?;
    let head = c
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             fetch(arguments[0]).then(r => r.arrayBuffer()).then(b => \
             done(String.fromCharCode(...new Uint8Array(b.slice(0, 4))))).catch(e => done('error ' + e));",
            vec![json!(format!("{board}/aar.pdf"))],
        )
        .await
        .map_err(fail("download the AAR/IP"))?;
    if head.as_str() != Some("%PDF") {
        return Err(format!("the AAR/IP is not a PDF: starts with {head}"));
    }
    screenshot(c, "exercise-evaluation.png").await?;
    Ok(())
}

/// Serves `veza` on a loopback port; returns the base address and the server.
async fn serve_academy(veza: Veza) -> (String, tokio::task::JoinHandle<std::io::Result<()>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("bound address"));
    let server = tokio::spawn(async move { axum::serve(listener, router(veza, WebOptions { demo: true })).await });
    (base, server)
}

/// The national THB coordinator answers the needs assessment they were
/// nominated for, and sees the country's gap chart beside its table and
/// the training plan.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_respondent_answers_an_assessment_and_sees_the_gap_chart() {
    let Some(webdriver) = webdriver_url() else { return };
    let veza = Veza::open_with("sqlite::memory:", common::test_identity(None)).await.expect("in-memory store opens");
    veza.create_demo_users(Some(DEMO_PW.into())).await.expect("demo users");
    let admin = Caller::user("academy", "int-gs", "zz", &[veza_app::Role::AcademyAdministrator]);
    veza.nominate_respondent(&admin, "rs-thb", "coordinator.rs").await.expect("nominated");
    let (base, server) = serve_academy(veza).await;
    let (client, _profile) = session(&webdriver).await;
    let outcome = assessment_walk(&client, &base).await;
    if outcome.is_err() {
        eprintln!("the page at the failure: {}", client.source().await.unwrap_or_default());
    }
    let _ = client.close().await;
    server.abort();
    if let Err(e) = outcome {
        panic!("assessment walk-through failed: {e}");
    }
}

async fn assessment_walk(c: &Client, base: &str) -> Result<(), String> {
    let fail = |what: &str| {
        let what = what.to_owned();
        move |e: fantoccini::error::CmdError| format!("{what}: {e}")
    };
    c.goto(&format!("{base}/login")).await.map_err(fail("open the log-in page"))?;
    sign_in(c, "coordinator.rs").await?;
    c.goto(&format!("{base}/academy")).await.map_err(fail("open the academy"))?;
    click(c, Locator::Css("#to-answer a"), "open the round to answer").await?;
    c.wait().at_most(WAIT).for_element(Locator::Id("round-form")).await.map_err(fail("the round's form"))?;
    // Submitting with nothing rated marks every statement.
    click(c, Locator::Id("submit-round"), "submit empty").await?;
    c.wait().at_most(WAIT).for_element(Locator::Id("round-errors")).await.map_err(fail("errors shown"))?;
    let radios = c.find_all(Locator::Css("#round-form input[type=radio][value='2']")).await.map_err(fail("ratings"))?;
    if radios.len() < 8 {
        return Err(format!("only {} statements to rate", radios.len()));
    }
    for r in radios {
        r.click().await.map_err(fail("rate a statement"))?;
    }
    click(c, Locator::Id("submit-round"), "submit the ratings").await?;
    c.wait().at_most(WAIT).for_element(Locator::Css("#gap-chart svg")).await.map_err(fail("the gap chart"))?;
    let table = c.find(Locator::Id("gap-table")).await.map_err(fail("the gap table"))?;
    let text = table.text().await.map_err(fail("read the table"))?;
    if !text.contains("50.0") {
        return Err(format!("the table does not show a score of 50: {text}"));
    }
    c.find(Locator::Id("plan")).await.map_err(fail("the training plan"))?;
    screenshot(c, "academy-assessment.png").await?;
    Ok(())
}

/// A trainer creates a course, writes its outline with a module, a lesson
/// and a quiz, publishes it, and finds the quiz on the course page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trainer_authors_a_course_with_a_quiz() {
    let Some(webdriver) = webdriver_url() else { return };
    let veza = Veza::open_with("sqlite::memory:", common::test_identity(None)).await.expect("in-memory store opens");
    veza.create_demo_users(Some(DEMO_PW.into())).await.expect("demo users");
    let (base, server) = serve_academy(veza).await;
    let (client, _profile) = session(&webdriver).await;
    let outcome = authoring_walk(&client, &base).await;
    if outcome.is_err() {
        eprintln!("the page at the failure: {}", client.source().await.unwrap_or_default());
    }
    let _ = client.close().await;
    server.abort();
    if let Err(e) = outcome {
        panic!("authoring walk-through failed: {e}");
    }
}

async fn authoring_walk(c: &Client, base: &str) -> Result<(), String> {
    let fail = |what: &str| {
        let what = what.to_owned();
        move |e: fantoccini::error::CmdError| format!("{what}: {e}")
    };
    c.goto(&format!("{base}/login")).await.map_err(fail("open the log-in page"))?;
    sign_in(c, "trainer").await?;
    c.goto(&format!("{base}/academy")).await.map_err(fail("open the academy"))?;
    type_into(c, Locator::Id("course-id"), "border-basics", "type the id").await?;
    type_into(c, Locator::Id("course-title"), "Border basics", "type the title").await?;
    click(c, Locator::Css("#new-course button[type=submit]"), "create the course").await?;
    let outline = c.wait().at_most(WAIT).for_element(Locator::Id("outline")).await.map_err(fail("the editor"))?;
    outline.clear().await.map_err(fail("clear the outline"))?;
    let yaml = "title: Border basics\nlanguages: [en, mk]\nmodules:\n  - key: m1\n    title: Documents\n    quiz: q1\n    lessons:\n      - key: l1\n        title: Reading a passport\n        body: '# The MRZ'\nquizzes:\n  - key: q1\n    title: Passport quiz\n    purpose: module\n    questions:\n      - key: q1-1\n        kind: true_false\n        prompt: The MRZ uses only A-Z, 0-9 and <\n        correct: true\n";
    outline.send_keys(yaml).await.map_err(fail("type the outline"))?;
    click(c, Locator::Id("publish"), "publish").await?;
    let quizzes = c.wait().at_most(WAIT).for_element(Locator::Id("quizzes")).await.map_err(fail("the course page"))?;
    let text = quizzes.text().await.map_err(fail("read the quizzes"))?;
    if !text.contains("Passport quiz") {
        return Err(format!("the quiz is not on the course page: {text}"));
    }
    click(c, Locator::Id("start-q1"), "start the quiz").await?;
    c.wait().at_most(WAIT).for_element(Locator::Id("attempt-form")).await.map_err(fail("the attempt"))?;
    click(c, Locator::Id("q1-1-1"), "answer true").await?;
    click(c, Locator::Id("submit-attempt"), "submit").await?;
    let score = c.wait().at_most(WAIT).for_element(Locator::Id("attempt-score")).await.map_err(fail("the score"))?;
    let s = score.text().await.map_err(fail("read the score"))?;
    if !s.starts_with('1') {
        return Err(format!("the right answer did not score: {s}"));
    }
    Ok(())
}

/// The menu's groups open from the keyboard, close with Escape and mark the
/// page they lead to.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_menu_opens_from_the_keyboard_and_closes_with_escape() {
    let Some(webdriver) = webdriver_url() else { return };
    let veza = Veza::open_with("sqlite::memory:", common::test_identity(None)).await.expect("in-memory store opens");
    veza.create_demo_users(Some(DEMO_PW.into())).await.expect("demo users");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("bound address"));
    let web = router(veza, WebOptions { demo: true });
    let server = tokio::spawn(async move { axum::serve(listener, web).await });
    let (client, _profile) = session(&webdriver).await;
    let outcome = menu_walk(&client, &base).await;
    if outcome.is_err() {
        eprintln!("the page at the failure: {}", client.source().await.unwrap_or_default());
    }
    let _ = client.close().await;
    server.abort();
    if let Err(e) = outcome {
        panic!("menu walk-through failed: {e}");
    }
}

async fn menu_walk(c: &Client, base: &str) -> Result<(), String> {
    let fail = |what: &str| {
        let what = what.to_owned();
        move |e: fantoccini::error::CmdError| format!("{what}: {e}")
    };
    c.goto(&format!("{base}/login")).await.map_err(fail("open the log-in page"))?;
    sign_in(c, "analyst.mk").await?;
    let review = c.find(Locator::Id("nav-matches")).await.map_err(fail("the review link in the menu"))?;
    if review.is_displayed().await.map_err(fail("is the review link shown"))? {
        return Err("the Investigate group is open before it is asked for".into());
    }
    // Enter on the group's button opens it (no script needed), Escape closes it.
    let summary = c.find(Locator::Css("#navgroup-investigate > summary")).await.map_err(fail("the group"))?;
    summary.send_keys("\u{E007}").await.map_err(fail("press Enter on the group"))?;
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css("#navgroup-investigate[open]"))
        .await
        .map_err(fail("the group open"))?;
    if !review.is_displayed().await.map_err(fail("is the review link shown"))? {
        return Err("the open group does not show its links".into());
    }
    let active = c.active_element().await.map_err(fail("the focused element"))?;
    active.send_keys("\u{E00C}").await.map_err(fail("press Escape"))?;
    for _ in 0..20 {
        if c.find(Locator::Css("#navgroup-investigate[open]")).await.is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    if c.find(Locator::Css("#navgroup-investigate[open]")).await.is_ok() {
        return Err("Escape does not close the group".into());
    }
    // Open it again and follow the link: the review queue is marked as the current page.
    summary.click().await.map_err(fail("open the group"))?;
    click(c, Locator::Id("nav-matches"), "follow the review link").await?;
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css("#nav-matches[aria-current='page']"))
        .await
        .map_err(fail("the review queue marked in the menu"))?;
    Ok(())
}

/// Today shifted by `days`, as `YYYY-MM-DD`.
fn academy_day(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days)).to_string()
}

/// Sets a field's value through the page (date fields take typed keys in
/// the browser's locale format; the server wants `YYYY-MM-DD`).
async fn set_value(c: &Client, id: &str, value: &str) -> Result<(), String> {
    c.execute("document.getElementById(arguments[0]).value = arguments[1];", vec![json!(id), json!(value)])
        .await
        .map(|_| ())
        .map_err(|e| format!("set {id}: {e}"))
}

/// States a purpose when the purpose page is showing (a page or form that
/// reads others' personal data asks once per session).
async fn purpose_if_asked(c: &Client) -> Result<(), String> {
    c.wait().at_most(WAIT).for_element(Locator::Id("whoami")).await.map_err(|e| format!("a page: {e}"))?;
    if let Ok(field) = c.find(Locator::Id("purpose-field")).await {
        field.send_keys("academy cohort RS-2026").await.map_err(|e| format!("type the purpose: {e}"))?;
        click(c, Locator::Css("form.login-form button[type=submit]"), "state the purpose").await?;
        c.wait().at_most(WAIT).for_element(Locator::Id("whoami")).await.map_err(|e| format!("after purpose: {e}"))?;
    }
    Ok(())
}

/// A platform with the demo users and the four programmes installed.
async fn academy_platform() -> Veza {
    let veza = Veza::open_with("sqlite::memory:", common::test_identity(None)).await.expect("in-memory store opens");
    veza.create_demo_users(Some(DEMO_PW.into())).await.expect("demo users");
    let admin = Caller::user("academy", "int-gs", "zz", &[veza_app::Role::AcademyAdministrator]);
    veza.install_programmes(&admin).await.expect("the programmes");
    veza
}

/// Enrols `who` (by invitation, accepted) in a new cohort of `course` that
/// started `started` days ago and ends yesterday or later; returns its id.
async fn academy_cohort(veza: &Veza, course: &str, facilitator: &str, who: &Caller, started: i64) -> i64 {
    let admin = Caller::user("academy", "int-gs", "zz", &[veza_app::Role::AcademyAdministrator]);
    let access = veza_app::Access::with_purpose(admin, "browser test set-up").expect("a purpose");
    let draft = veza_app::CohortDraft {
        course_id: course.into(),
        title: format!("{course} test cohort"),
        facilitator: facilitator.into(),
        capacity: "10".into(),
        starts_on: academy_day(-started),
        ends_on: academy_day(30),
        ..Default::default()
    };
    let id = veza.create_cohort(&access, &draft).await.expect("the cohort");
    let Caller::User { username, .. } = who else { panic!("a user") };
    let code = veza.invite_to_cohort(&access, id, username).await.expect("invited");
    veza.accept_invitation(&veza_app::Access::new(who.clone(), None), &code).await.expect("accepted");
    id
}

/// A trainer creates a cohort and invites a learner; the learner finds the
/// invitation among their cohorts, accepts it, and is enrolled.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_facilitator_creates_a_cohort_and_a_learner_enrols() {
    let Some(webdriver) = webdriver_url() else { return };
    let (base, server) = serve_academy(academy_platform().await).await;
    let (client, _profile) = session(&webdriver).await;
    let outcome = enrolment_walk(&client, &base).await;
    if outcome.is_err() {
        eprintln!("the page at the failure: {}", client.source().await.unwrap_or_default());
    }
    let _ = client.close().await;
    server.abort();
    if let Err(e) = outcome {
        panic!("enrolment walk-through failed: {e}");
    }
}

async fn enrolment_walk(c: &Client, base: &str) -> Result<(), String> {
    let fail = |what: &str| {
        let what = what.to_owned();
        move |e: fantoccini::error::CmdError| format!("{what}: {e}")
    };
    c.goto(&format!("{base}/login")).await.map_err(fail("open the log-in page"))?;
    sign_in(c, "trainer").await?;
    c.goto(&format!("{base}/academy/cohorts")).await.map_err(fail("open the cohorts"))?;
    click(c, Locator::Id("new-cohort"), "open the new cohort form").await?;
    c.wait().at_most(WAIT).for_element(Locator::Id("cohort-form")).await.map_err(fail("the form"))?;
    // Nothing typed: the errors stand beside their fields.
    click(c, Locator::Css("#cohort-form button[type=submit]"), "create with nothing").await?;
    c.wait().at_most(WAIT).for_element(Locator::Id("e-capacity")).await.map_err(fail("the capacity's error"))?;
    type_into(c, Locator::Id("f-course_id"), "countering-human-trafficking", "type the course").await?;
    type_into(c, Locator::Id("f-title"), "Winter cohort", "type the title").await?;
    type_into(c, Locator::Id("f-capacity"), "12", "type the capacity").await?;
    set_value(c, "f-starts_on", &academy_day(0)).await?;
    set_value(c, "f-ends_on", &academy_day(42)).await?;
    click(c, Locator::Css("#cohort-form button[type=submit]"), "create the cohort").await?;
    c.wait().at_most(WAIT).for_element(Locator::Id("invite-form")).await.map_err(fail("the cohort's page"))?;
    let cohort = c.current_url().await.map_err(fail("the cohort's address"))?.path().to_owned();
    let schedule = c.find(Locator::Id("schedule")).await.map_err(fail("the schedule"))?;
    let text = schedule.text().await.map_err(fail("read the schedule"))?;
    if !text.contains(&academy_day(0)) {
        return Err(format!("the course's modules are not scheduled from the first day: {text}"));
    }
    type_into(c, Locator::Id("f-invitee"), "learner.rs", "type the invitee").await?;
    click(c, Locator::Css("#invite-form button[type=submit]"), "invite").await?;
    // Inviting names a person: the purpose is asked once, then the cohort's page is back.
    purpose_if_asked(c).await?;
    let list = c.find(Locator::Id("invitation-list")).await.map_err(fail("the invitations"))?;
    if !list.text().await.map_err(fail("read the invitations"))?.contains("learner.rs") {
        type_into(c, Locator::Id("f-invitee"), "learner.rs", "type the invitee again").await?;
        click(c, Locator::Css("#invite-form button[type=submit]"), "invite after the purpose").await?;
        c.wait().at_most(WAIT).for_element(Locator::Id("invitation-list")).await.map_err(fail("the list"))?;
    }
    let list = c.find(Locator::Id("invitation-list")).await.map_err(fail("the invitations"))?;
    let text = list.text().await.map_err(fail("read the invitations"))?;
    if !text.contains("learner.rs") {
        return Err(format!("the invitation is not listed: {text}"));
    }
    click(c, Locator::Css("form.signout button"), "sign out").await?;

    c.goto(&format!("{base}/login")).await.map_err(fail("open the log-in page"))?;
    sign_in(c, "learner.rs").await?;
    c.goto(&format!("{base}/academy/cohorts")).await.map_err(fail("the learner's cohorts"))?;
    click(c, Locator::Css("#invitations a"), "open the invitation").await?;
    c.wait().at_most(WAIT).for_element(Locator::Id("accept")).await.map_err(fail("the invitation"))?;
    click(c, Locator::Id("accept"), "accept").await?;
    let progress = c.wait().at_most(WAIT).for_element(Locator::Id("progress")).await.map_err(fail("enrolled"))?;
    let here = c.current_url().await.map_err(fail("where"))?.path().to_owned();
    if here != cohort {
        return Err(format!("accepting led to {here}, not the cohort {cohort}"));
    }
    let rows = progress.find_all(Locator::Css("tbody tr")).await.map_err(fail("progress rows"))?;
    if rows.len() != 1 {
        return Err(format!("the learner sees {} progress rows, not only their own", rows.len()));
    }
    c.goto(&format!("{base}/academy/cohorts")).await.map_err(fail("the cohorts again"))?;
    let mine = c.find(Locator::Id("cohorts")).await.map_err(fail("my cohorts"))?;
    if !mine.text().await.map_err(fail("read my cohorts"))?.contains("Winter cohort") {
        return Err("the cohort is not among the learner's cohorts".into());
    }
    if c.find(Locator::Id("invitations")).await.is_ok() {
        return Err("the accepted invitation is still offered".into());
    }
    screenshot(c, "academy-enrolment.png").await?;
    Ok(())
}

/// A learner enrolled in a cohort takes the pre-test, reads the lessons,
/// takes the post-test, sees their own knowledge gain, and claims the
/// certificate; signed out, the public page verifies its code and shows
/// only the name, the course and the date.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_learner_takes_the_tests_and_lessons_and_the_certificate_verifies() {
    let Some(webdriver) = webdriver_url() else { return };
    let veza = academy_platform().await;
    let learner = Caller::user("learner.rs", "rs-bp", "rs", &[veza_app::Role::Learner]);
    let cohort = academy_cohort(&veza, "gender-transnational-crime", "trainer", &learner, 14).await;
    let (base, server) = serve_academy(veza).await;
    let (client, _profile) = session(&webdriver).await;
    let outcome = certificate_walk(&client, &base, cohort).await;
    if outcome.is_err() {
        eprintln!("the page at the failure: {}", client.source().await.unwrap_or_default());
    }
    let _ = client.close().await;
    server.abort();
    if let Err(e) = outcome {
        panic!("certificate walk-through failed: {e}");
    }
}

/// Starts a test from the course page, ticks the first choice of every
/// question and submits; returns the score shown.
async fn take_test(c: &Client, base: &str, course: &str, quiz: &str) -> Result<String, String> {
    let fail = |what: &str| {
        let what = what.to_owned();
        move |e: fantoccini::error::CmdError| format!("{what}: {e}")
    };
    c.goto(&format!("{base}/academy/courses/{course}")).await.map_err(fail("open the course"))?;
    click(c, Locator::Id(&format!("start-{quiz}")), "start the test").await?;
    let form = c.wait().at_most(WAIT).for_element(Locator::Id("attempt-form")).await.map_err(fail("the test"))?;
    let questions = form.find_all(Locator::Css("fieldset.question")).await.map_err(fail("the questions"))?;
    if questions.is_empty() {
        return Err(format!("{quiz} has no question"));
    }
    for q in questions {
        let first = q.find(Locator::Css("input[type=radio], input[type=checkbox]")).await.map_err(fail("a choice"))?;
        first.click().await.map_err(fail("choose"))?;
    }
    click(c, Locator::Id("submit-attempt"), "submit the test").await?;
    let score = c.wait().at_most(WAIT).for_element(Locator::Id("attempt-score")).await.map_err(fail("the score"))?;
    score.text().await.map_err(fail("read the score"))
}

async fn certificate_walk(c: &Client, base: &str, cohort: i64) -> Result<(), String> {
    let fail = |what: &str| {
        let what = what.to_owned();
        move |e: fantoccini::error::CmdError| format!("{what}: {e}")
    };
    let course = "gender-transnational-crime";
    c.goto(&format!("{base}/login")).await.map_err(fail("open the log-in page"))?;
    sign_in(c, "learner.rs").await?;
    take_test(c, base, course, "gt-pre").await?;
    // Not complete yet: the claim is refused with the reason beside it.
    c.goto(&format!("{base}/academy/cohorts/{cohort}")).await.map_err(fail("the cohort"))?;
    click(c, Locator::Id("claim"), "claim too early").await?;
    c.wait().at_most(WAIT).for_element(Locator::Id("claim-error")).await.map_err(fail("the refusal"))?;

    c.goto(&format!("{base}/academy/courses/{course}")).await.map_err(fail("open the course"))?;
    let links = c.find_all(Locator::Css("ol li a")).await.map_err(fail("the lessons"))?;
    let mut lessons = Vec::new();
    for l in links {
        if let Some(href) = l.attr("href").await.map_err(fail("a lesson's address"))? {
            lessons.push(href);
        }
    }
    if lessons.len() < 3 {
        return Err(format!("only {} lessons listed", lessons.len()));
    }
    for href in &lessons {
        c.goto(&format!("{base}{href}")).await.map_err(fail("open a lesson"))?;
        c.wait().at_most(WAIT).for_element(Locator::Id("lesson")).await.map_err(fail("the lesson"))?;
    }
    take_test(c, base, course, "gt-post").await?;

    c.goto(&format!("{base}/academy/courses/{course}/gain")).await.map_err(fail("my knowledge gain"))?;
    let n = c.wait().at_most(WAIT).for_element(Locator::Id("gain-learners")).await.map_err(fail("the gain"))?;
    let n = n.text().await.map_err(fail("read the gain"))?;
    if n.trim() != "1" {
        return Err(format!("a learner sees {n} learners' gain, not only their own"));
    }
    c.find(Locator::Css("#gain-chart svg")).await.map_err(fail("the gain chart"))?;

    c.goto(&format!("{base}/academy/cohorts/{cohort}")).await.map_err(fail("the cohort"))?;
    let modules = c.find(Locator::Css("#progress tbody td:nth-child(2)")).await.map_err(fail("modules viewed"))?;
    let modules = modules.text().await.map_err(fail("read modules viewed"))?;
    click(c, Locator::Id("claim"), "claim the certificate").await?;
    let code = c
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("#progress .cert-code"))
        .await
        .map_err(|e| format!("the certificate's code (modules viewed: {modules}): {e}"))?;
    let code = code.text().await.map_err(fail("read the code"))?;
    screenshot(c, "academy-certificate.png").await?;
    click(c, Locator::Css("form.signout button"), "sign out").await?;
    c.wait().at_most(WAIT).for_element(Locator::Id("username")).await.map_err(fail("signed out"))?;

    c.goto(&format!("{base}/certificates/verify/{code}")).await.map_err(fail("the verification page"))?;
    let card = c.wait().at_most(WAIT).for_element(Locator::Id("verified")).await.map_err(fail("verified"))?;
    let name = c.find(Locator::Id("verified-name")).await.map_err(fail("the name"))?;
    let name = name.text().await.map_err(fail("read the name"))?;
    let title = c.find(Locator::Id("verified-course")).await.map_err(fail("the course"))?;
    let title = title.text().await.map_err(fail("read the course"))?;
    let date = c.find(Locator::Id("verified-date")).await.map_err(fail("the date"))?;
    let date = date.text().await.map_err(fail("read the date"))?;
    if name != "Learner, Serbia" || !title.contains("Gender") || date.trim().is_empty() {
        return Err(format!("verified: {name} / {title} / {date}"));
    }
    let shown = card.find_all(Locator::Css("dt")).await.map_err(fail("the facts"))?;
    let page = c.source().await.map_err(fail("the page"))?;
    if shown.len() != 3 || page.contains("learner.rs") || page.contains("rs-bp") {
        return Err(format!("the public page shows more than name, course and date: {} facts", shown.len()));
    }
    if c.find(Locator::Id("whoami")).await.is_ok() {
        return Err("the verification page was read signed in".into());
    }
    Ok(())
}

/// A certified trainer records a national course (place, hotspot area,
/// dates, target group) and its trainees; the cascade's reach grows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trainer_records_a_national_course_and_the_cascade_grows() {
    let Some(webdriver) = webdriver_url() else { return };
    let veza = academy_platform().await;
    // The trainer graduates from a train-the-trainer cohort: every module
    // opened, the certificate claimed, which makes them a certified trainer.
    let trainer = Caller::user("trainer", "int-gs", "rs", &[veza_app::Role::Trainer]);
    let ttt = academy_cohort(&veza, "train-the-trainer", "academy", &trainer, 60).await;
    let own = veza_app::Access::new(trainer.clone(), None);
    for m in veza.cohort_view(&own, ttt).await.expect("the cohort").modules {
        veza.cohort_module(&own, ttt, &m.module_id).await.expect("the module opens");
    }
    veza.claim_certificate(&own, ttt).await.expect("certified");
    let (base, server) = serve_academy(veza).await;
    let (client, _profile) = session(&webdriver).await;
    let outcome = cascade_walk(&client, &base).await;
    if outcome.is_err() {
        eprintln!("the page at the failure: {}", client.source().await.unwrap_or_default());
    }
    let _ = client.close().await;
    server.abort();
    if let Err(e) = outcome {
        panic!("cascade walk-through failed: {e}");
    }
}

/// The trainees in the reach table's row of `country`, if it has one.
async fn reach_of(c: &Client, country: &str) -> Result<Option<i64>, String> {
    let rows = c.find_all(Locator::Css("#reach tbody tr")).await.map_err(|e| format!("the reach: {e}"))?;
    for r in rows {
        let text = r.text().await.map_err(|e| format!("a reach row: {e}"))?;
        let cells: Vec<&str> = text.split_whitespace().collect();
        if cells.first().is_some_and(|c| c.eq_ignore_ascii_case(country)) {
            return Ok(cells.get(3).and_then(|n| n.parse().ok()));
        }
    }
    Ok(None)
}

async fn cascade_walk(c: &Client, base: &str) -> Result<(), String> {
    let fail = |what: &str| {
        let what = what.to_owned();
        move |e: fantoccini::error::CmdError| format!("{what}: {e}")
    };
    c.goto(&format!("{base}/login")).await.map_err(fail("open the log-in page"))?;
    sign_in(c, "trainer").await?;
    c.goto(&format!("{base}/academy/cascade")).await.map_err(fail("open the cascade"))?;
    purpose_if_asked(c).await?;
    c.wait().at_most(WAIT).for_element(Locator::Id("national-form")).await.map_err(fail("the cascade page"))?;
    let before = reach_of(c, "rs").await?.unwrap_or(0);
    // The hotspot area forgotten: the error stands beside it.
    type_into(c, Locator::Id("n-title"), "Identifying victims on the Danube", "type the title").await?;
    type_into(c, Locator::Id("n-country"), "rs", "type the country").await?;
    type_into(c, Locator::Id("n-place"), "Novi Sad", "type the place").await?;
    set_value(c, "n-starts_on", &academy_day(-10)).await?;
    set_value(c, "n-ends_on", &academy_day(-8)).await?;
    type_into(c, Locator::Id("n-target_group"), "Border police", "type the target group").await?;
    click(c, Locator::Css("#national-form button[type=submit]"), "record without a hotspot").await?;
    c.wait().at_most(WAIT).for_element(Locator::Id("ne-hotspot_area")).await.map_err(fail("the hotspot's error"))?;
    type_into(c, Locator::Id("n-hotspot_area"), "Danube ports", "type the hotspot area").await?;
    set_value(c, "n-starts_on", &academy_day(-10)).await?;
    set_value(c, "n-ends_on", &academy_day(-8)).await?;
    click(c, Locator::Css("#national-form button[type=submit]"), "record the course").await?;
    purpose_if_asked(c).await?;
    c.wait().at_most(WAIT).for_element(Locator::Id("trainee-form")).await.map_err(fail("the national course"))?;
    for (name, pre, post) in [("Jovana Test", "40", "80"), ("Petar Test", "35", "70")] {
        type_into(c, Locator::Id("t-name"), name, "type the trainee").await?;
        type_into(c, Locator::Id("t-agency"), "rs-bp", "type the agency").await?;
        type_into(c, Locator::Id("t-role"), "border police", "type the role").await?;
        type_into(c, Locator::Id("t-pre"), pre, "type the pre-test").await?;
        type_into(c, Locator::Id("t-post"), post, "type the post-test").await?;
        click(c, Locator::Id("t-passed"), "passed").await?;
        click(c, Locator::Css("#trainee-form button[type=submit]"), "add the trainee").await?;
        // Trainees are people: the purpose is asked once; then the form again.
        purpose_if_asked(c).await?;
        let table = c.wait().at_most(WAIT).for_element(Locator::Id("trainees")).await.map_err(fail("trainees"))?;
        if !table.text().await.map_err(fail("read the trainees"))?.contains(name) {
            type_into(c, Locator::Id("t-name"), name, "type the trainee again").await?;
            type_into(c, Locator::Id("t-agency"), "rs-bp", "type the agency").await?;
            type_into(c, Locator::Id("t-role"), "border police", "type the role").await?;
            click(c, Locator::Css("#trainee-form button[type=submit]"), "add after the purpose").await?;
            c.wait().at_most(WAIT).for_element(Locator::Id("trainees")).await.map_err(fail("trainees"))?;
        }
    }
    let table = c.find(Locator::Id("trainees")).await.map_err(fail("the trainees"))?;
    let rows = table.find_all(Locator::Css("tbody tr")).await.map_err(fail("trainee rows"))?;
    if rows.len() != 2 {
        return Err(format!("{} trainees listed, not 2", rows.len()));
    }
    c.goto(&format!("{base}/academy/cascade")).await.map_err(fail("the cascade again"))?;
    purpose_if_asked(c).await?;
    let tree = c.wait().at_most(WAIT).for_element(Locator::Id("cascade")).await.map_err(fail("the tree"))?;
    let text = tree.text().await.map_err(fail("read the tree"))?;
    if !text.contains("Identifying victims on the Danube") || !text.contains("Jovana Test") {
        return Err(format!("the course and its trainees are not in the tree: {text}"));
    }
    let after = reach_of(c, "rs").await?.unwrap_or(0);
    if after != before + 2 {
        return Err(format!("the reach in RS went from {before} to {after}, not up by 2"));
    }
    screenshot(c, "academy-cascade.png").await?;
    Ok(())
}

/// A THB coordinator plans a new operation in the browser, adds a
/// checkpoint with a shift, issues a terminal token and sees its secret once
/// (with a `curl` example); a terminal then sends one check with that token
/// to the API, and the check is listed on the operation's checks page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_plans_an_operation_and_a_terminal_checks_with_its_token() {
    let Some(webdriver) = webdriver_url() else { return };
    let veza = Veza::open_with("sqlite::memory:", common::test_identity(None)).await.expect("in-memory store opens");
    veza.load_demo().await.expect("demo with its watchlists");
    veza.create_demo_users(Some(DEMO_PW.into())).await.expect("demo users");
    let (base, server) = serve_academy(veza).await;
    let (client, _profile) = session(&webdriver).await;
    let outcome = plan_flow(&client, &base).await;
    let _ = client.close().await;
    server.abort();
    if let Err(e) = outcome {
        panic!("planning walk-through failed: {e}");
    }
}

async fn plan_flow(c: &Client, base: &str) -> Result<(), String> {
    let fail = |what: &str| {
        let what = what.to_owned();
        move |e: fantoccini::error::CmdError| format!("{what}: {e}")
    };
    let new = format!("{base}/operations/new");
    c.goto(&new).await.map_err(fail("open the plan form"))?;
    sign_in(c, "coordinator.rs").await?;
    c.goto(&format!("{base}/operations")).await.map_err(fail("open the operations"))?;
    click(c, Locator::Id("plan-operation"), "follow 'Plan an operation'").await?;
    c.wait().at_most(WAIT).for_element(Locator::Id("plan-form")).await.map_err(fail("the plan form"))?;
    type_into(c, Locator::Id("field-code"), "WEB-PLAN-1", "type the code").await?;
    type_into(c, Locator::Id("field-name"), "Planned in the browser", "type the name").await?;
    click(c, Locator::Css("#field-status option[value='running']"), "choose running").await?;
    set_value(c, "field-start_date", "2026-11-28").await?;
    set_value(c, "field-end_date", "2026-11-30").await?;
    type_into(c, Locator::Id("country-0"), "rs", "type a country").await?;
    type_into(c, Locator::Id("ncb-0"), "NCB Belgrade", "type its NCB").await?;
    type_into(c, Locator::Id("agency-0"), "rs-bp", "type an agency").await?;
    click(c, Locator::Css("#watchlist-0 option[value='demo-int-gs']"), "choose a watchlist").await?;
    type_into(c, Locator::Id("instruction-0"), "do not arrest; contact {ncb}", "type the instruction").await?;
    click(c, Locator::Id("plan-submit"), "save the plan").await?;
    c.wait().at_most(WAIT).for_element(Locator::Id("op-add-checkpoint")).await.map_err(fail("the operation"))?;
    let op = c.current_url().await.map_err(fail("read the address"))?.as_str().trim_end_matches('/').to_owned();
    let id = op.rsplit('/').next().unwrap_or_default().to_owned();
    if !id.starts_with("op-") {
        return Err(format!("the plan did not lead to its operation: {op}"));
    }

    click(c, Locator::Id("op-add-checkpoint"), "follow 'Add a checkpoint'").await?;
    c.wait().at_most(WAIT).for_element(Locator::Id("checkpoint-form")).await.map_err(fail("the checkpoint form"))?;
    type_into(c, Locator::Id("field-code"), "RS-WEB", "type the checkpoint code").await?;
    type_into(c, Locator::Id("field-name"), "Batrovci crossing", "type the checkpoint name").await?;
    click(c, Locator::Css("#field-country option[value='rs']"), "choose Serbia").await?;
    click(c, Locator::Css("#field-agency option[value='rs-bp']"), "choose the border police").await?;
    type_into(c, Locator::Id("team-0"), "Team A", "type the team").await?;
    set_value(c, "start-0", "2026-11-28T06:00").await?;
    set_value(c, "end-0", "2026-11-28T14:00").await?;
    click(c, Locator::Id("checkpoint-submit"), "save the checkpoint").await?;
    let row = c
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Id("checkpoint-RS-WEB"))
        .await
        .map_err(fail("the checkpoint is listed"))?;
    let text = row.text().await.map_err(fail("read the checkpoint"))?;
    if !text.contains("Team A") || !text.contains("06:00") {
        return Err(format!("the checkpoint's shift is not shown: {text:?}"));
    }

    click(c, Locator::Id("op-tokens"), "follow 'Terminal tokens'").await?;
    c.wait().at_most(WAIT).for_element(Locator::Id("token-form")).await.map_err(fail("the token form"))?;
    type_into(c, Locator::Id("field-label"), "batrovci-lane-1", "type the label").await?;
    click(c, Locator::Css("#field-checkpoint option[value='RS-WEB']"), "bind it to the checkpoint").await?;
    click(c, Locator::Id("token-submit"), "issue the token").await?;
    let secret =
        c.wait().at_most(WAIT).for_element(Locator::Id("token-secret")).await.map_err(fail("the secret shown"))?;
    let token = secret.attr("value").await.map_err(fail("read the secret"))?.unwrap_or_default();
    let curl = c.find(Locator::Id("token-curl")).await.map_err(fail("the curl example"))?;
    let curl = curl.text().await.map_err(fail("read the curl example"))?;
    if token.len() < 20 || !curl.contains(&token) || !curl.contains(&format!("/api/v1/operations/{id}/checks")) {
        return Err(format!("expected the token and a curl example, got {token:?} / {curl:?}"));
    }
    screenshot(c, "operation-token.png").await?;
    c.goto(&format!("{op}/tokens")).await.map_err(fail("open the tokens again"))?;
    let page = c.find(Locator::Css("main")).await.map_err(fail("the tokens page"))?;
    let page = page.text().await.map_err(fail("read the tokens page"))?;
    if !page.contains("batrovci-lane-1") || page.contains(&token) || c.find(Locator::Id("token-secret")).await.is_ok() {
        return Err("the token must be listed and its secret never shown again".into());
    }

    // The terminal sends one check with the token (no cookies: the token only).
    let answer = c
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             fetch(arguments[0], {method: 'POST', credentials: 'omit', headers: {\
               'Authorization': 'Bearer ' + arguments[1], 'Content-Type': 'application/json'},\
               body: JSON.stringify({checkpoint: 'RS-WEB', person: {name: 'Jelena Marković', birth_date: '1995-02-11'}})})\
             .then(r => r.text().then(t => done(r.status + ' ' + t))).catch(e => done('error ' + e));",
            vec![json!(format!("{base}/api/v1/operations/{id}/checks")), json!(token)],
        )
        .await
        .map_err(fail("send a check with the token"))?;
    let answer = answer.as_str().unwrap_or_default().to_owned();
    let Some(body) = answer.strip_prefix("200 ") else {
        return Err(format!("the terminal's check was refused: {answer}"));
    };
    let check_id = serde_json::from_str::<Value>(body).ok().and_then(|v| v["check_id"].as_i64()).unwrap_or(0);
    if check_id == 0 {
        return Err(format!("no check id in the answer: {body}"));
    }
    c.goto(&format!("{op}/checks")).await.map_err(fail("open the checks"))?;
    let link = format!("/operations/{id}/checks/{check_id}");
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css(&format!("#checks a[href='{link}']")))
        .await
        .map_err(fail("the terminal's check is listed"))?;
    let table = c.find(Locator::Id("checks")).await.map_err(fail("the checks table"))?;
    let table = table.text().await.map_err(fail("read the checks"))?;
    if !table.contains("RS-WEB") {
        return Err(format!("the check is not listed with its checkpoint: {table}"));
    }
    Ok(())
}
