//! Server time per page of the workspace, with a large store behind it:
//! p50 and p95 of each main page, rendered in-process through the whole
//! router (session look-up, policy, purpose, audit entry, template), and
//! each page's weight (the HTML, and the HTML with the assets it loads).
//!
//! The store holds the demo scenario plus `VEZA_BENCH_ENTITIES` synthetic
//! people (default 1,000,000) owned by the Serbian border police and
//! visible to their country; the pages are read as the demo users of that
//! agency (a border officer), of another country (an analyst in North
//! Macedonia) and as the data-protection officer.
//!
//! `cargo bench -p veza-web --bench pages` (or `scripts/bench-pages`);
//! `VEZA_BENCH_N` requests per page (default 200); `VEZA_BENCH_DB` keeps
//! the database in that file and reuses it on the next run.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use std::io::Write;
use std::time::Instant;
use tower::ServiceExt;
use veza_app::{Access, ImportOptions, Veza};
use veza_web::{WebOptions, router};

const PASSWORD: &str = "bench password 2026";

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let n: usize = std::env::var("VEZA_BENCH_N").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let people: usize = std::env::var("VEZA_BENCH_ENTITIES").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("temporary folder");
    let db =
        std::env::var("VEZA_BENCH_DB").map(std::path::PathBuf::from).unwrap_or_else(|_| dir.path().join("veza.db"));
    let fresh = !db.exists();
    let veza = Veza::open(&format!("sqlite://{}", db.display())).await.expect("database opens");
    if fresh {
        let demo = veza.load_demo().await.expect("demo loads");
        let file = dir.path().join("people.ftm.json");
        {
            let mut out = std::io::BufWriter::new(std::fs::File::create(&file).expect("file"));
            let given = ["Marko", "Jelena", "Arben", "Ana", "Dragan", "Fatmir", "Ivana", "Goran", "Milica", "Besnik"];
            let family = ["Petrović", "Krasniqi", "Jovanović", "Hoxha", "Nikolić", "Gashi", "Ilić", "Berisha"];
            for i in 0..people {
                writeln!(
                    out,
                    r#"{{"id":"bg-{i}","schema":"Person","properties":{{"name":["{} {} {i}"],"birthDate":["19{:02}-{:02}-{:02}"],"nationality":["rs"]}},"veza":{{"handling":{{"visibility":"country"}}}}}}"#,
                    given[i % given.len()],
                    family[(i / 10) % family.len()],
                    50 + i % 50,
                    1 + i % 12,
                    1 + i % 28
                )
                .expect("write");
            }
        }
        let options = ImportOptions { agency: Some("rs-bp".into()), ..ImportOptions::default() };
        let op = Access::operator("bench import", None).expect("purpose");
        let started = Instant::now();
        let imported = veza.import_file(&op, &file, &options, |_| {}).await.expect("people import");
        eprintln!(
            "store: {} demo entities + {} people imported in {:.0} s",
            demo.entities,
            imported.created,
            started.elapsed().as_secs_f64()
        );
        veza.create_demo_users(Some(PASSWORD.into())).await.expect("demo users");
    }
    let web = router(veza.clone(), WebOptions { demo: true });
    let session = |user: &'static str| {
        let veza = veza.clone();
        async move {
            let s = veza.login(user, PASSWORD, None).await.expect("demo user signs in");
            format!("__Host-veza_session={}", s.token)
        }
    };
    let border = session("border.rs").await;
    let analyst = session("analyst.mk").await;
    let dpo = session("dpo").await;
    // The first case the analyst may open (the demo's exercise cases are not theirs).
    let cases: Vec<String> = veza
        .search(&Access::operator("bench", None).expect("purpose"), "", Some("Case"), 200, 0)
        .await
        .expect("cases")
        .results
        .into_iter()
        .map(|e| e.id)
        .collect();
    let mut case = String::new();
    for id in cases {
        if get(&web, &format!("/cases/{id}"), &analyst).await.0 == StatusCode::OK {
            case = id;
            break;
        }
    }
    // A person of the generated million (or of a smaller run).
    let person = format!("bg-{}", people.saturating_sub(1).min(424_242));

    let pages: Vec<(&str, String, &String)> = vec![
        ("home (border officer)", "/".into(), &border),
        ("home (analyst)", "/".into(), &analyst),
        ("search 'petrovic'", "/search?q=petrovic".into(), &border),
        ("search 'jelena petrovic 42'", "/search?q=jelena+petrovic+42".into(), &border),
        ("search, filter owner+type", "/search?schema=Person&owner=rs-bp".into(), &border),
        ("entity page", format!("/entities/{person}"), &border),
        ("screen a name", "/screen?name=Marko+Petrovi%C4%87&birth_date=1987".into(), &border),
        ("review queue", "/matches".into(), &analyst),
        ("case page", format!("/cases/{case}"), &analyst),
        ("link chart (case)", format!("/cases/{case}/chart"), &analyst),
        ("chart data (case)", format!("/api/v1/cases/{case}/network"), &analyst),
        ("timeline (case)", format!("/cases/{case}/timeline"), &analyst),
        ("link chart (entity)", format!("/entities/{person}/chart"), &border),
        ("timeline (entity)", format!("/entities/{person}/timeline"), &border),
        ("audit trail", "/audit".into(), &dpo),
        ("import form", "/import".into(), &border),
    ];
    println!("{:<30} {:>9} {:>9} {:>10} {:>12}", "page", "p50 ms", "p95 ms", "HTML KiB", "+assets KiB");
    for (label, uri, cookie) in pages {
        let (status, html) = get(&web, &uri, cookie).await;
        if status != StatusCode::OK {
            println!("{label:<30} skipped: {status} ({uri})");
            continue;
        }
        let mut times = Vec::with_capacity(n);
        for _ in 0..n {
            let start = Instant::now();
            let (status, _) = get(&web, &uri, cookie).await;
            times.push(start.elapsed().as_secs_f64() * 1e3);
            assert_eq!(status, StatusCode::OK, "{uri}");
        }
        times.sort_by(f64::total_cmp);
        let assets = asset_bytes(&web, &html, cookie).await;
        println!(
            "{label:<30} {:>9.2} {:>9.2} {:>10.1} {:>12.1}",
            times[n / 2],
            times[(n * 95 / 100).min(n - 1)],
            html.len() as f64 / 1024.0,
            (html.len() + assets) as f64 / 1024.0
        );
    }
}

async fn get(web: &Router, uri: &str, cookie: &str) -> (StatusCode, String) {
    let request = Request::builder()
        .uri(uri)
        .header("cookie", cookie)
        .header("x-purpose", "case RS-2026-0142")
        .body(Body::empty())
        .expect("request");
    let response = web.clone().oneshot(request).await.expect("answer");
    let status = response.status();
    let body = response.into_body().collect().await.expect("body").to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// Bytes of the stylesheet, scripts and images a page loads from /assets/.
async fn asset_bytes(web: &Router, html: &str, cookie: &str) -> usize {
    let mut total = 0;
    let mut seen = std::collections::BTreeSet::new();
    for part in html.split("\"/assets/").skip(1) {
        let name = part.split('"').next().unwrap_or("");
        if seen.insert(name.to_owned()) {
            total += get(web, &format!("/assets/{name}"), cookie).await.1.len();
        }
    }
    total
}
