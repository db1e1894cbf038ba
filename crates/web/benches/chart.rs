//! Time to first render of a 2,000-node link chart in headless Chromium,
//! and the page's weight: a synthetic network (40 groups of 50 people, each
//! group's people linked to its leader and to two others in the group, the
//! leaders to one hub) open to all, served in-process; an analyst signs in
//! and opens the hub's chart at 2 hops (2,001 nodes). `chart.js` marks
//! `veza-chart-rendered` two frames after its layout; the figure is that
//! mark's time from the start of navigation (server time, transfer, parse,
//! layout, first paint). Page weight is the HTML plus every asset, as the
//! browser decoded them (and as sent: no compression is configured).
//!
//! Each run is a fresh navigation; the first is cold (assets not cached).
//! Beside Veza's layout (communities on a grid, O(n)), the same page with
//! cytoscape's force-directed `cose` at its defaults (`?layout=cose`).
//!
//! Needs chromedriver: `source scripts/lib/browser.sh && browser_start`,
//! then `cargo bench -p veza-web --bench chart` (or `scripts/bench-chart`).
//! `VEZA_BENCH_RUNS` runs per layout (default 5); `VEZA_BENCH_LAYOUTS=veza`
//! leaves out the slow force layout (about 70 s a run at 2,000 nodes).

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::io::Write;
use std::time::{Duration, Instant};
use veza_app::{Access, ImportOptions, Role, Veza};
use veza_web::{WebOptions, router};

const GROUPS: usize = 40;
const GROUP_SIZE: usize = 50;
const PASSWORD: &str = "bench chart password";

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let Ok(webdriver) = std::env::var("VEZA_WEBDRIVER_URL") else {
        eprintln!("VEZA_WEBDRIVER_URL is not set: source scripts/lib/browser.sh && browser_start");
        std::process::exit(2);
    };
    let runs: usize = std::env::var("VEZA_BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(5);
    let dir = tempfile::tempdir().expect("temporary folder");
    let veza = Veza::open(&format!("sqlite://{}", dir.path().join("veza.db").display())).await.expect("database");
    veza.load_demo().await.expect("demo agencies");
    veza.add_user("bench.analyst", "Bench analyst", "mk-thb", &[Role::Analyst], PASSWORD).await.expect("user");
    let file = dir.path().join("network.ftm.json");
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&file).expect("file"));
        let mut line = |v: Value| writeln!(out, "{v}").expect("write");
        let person = |id: String, name: String| json!({"id": id, "schema": "Person", "properties": {"name": [name]}, "veza": {"handling": {"visibility": "all"}}});
        let family = |id: String, a: &str, b: &str| {
            json!({"id": id, "schema": "Family", "properties": {"person": [a], "relative": [b]},
                "veza": {"handling": {"visibility": "all"}}})
        };
        line(person("bench.hub".into(), "Hub Person".into()));
        let mut links = 0;
        for g in 0..GROUPS {
            let leader = format!("bench.g{g}.0");
            line(family(format!("bench.l{g}"), "bench.hub", &leader));
            for m in 0..GROUP_SIZE {
                let id = format!("bench.g{g}.{m}");
                line(person(id.clone(), format!("Member {m} of group {g}")));
                if m > 0 {
                    line(family(format!("bench.f{g}.{m}"), &leader, &id));
                    let other = format!("bench.g{g}.{}", 1 + (m * 7 + 3) % (GROUP_SIZE - 1));
                    if other != id {
                        line(family(format!("bench.c{g}.{m}"), &id, &other));
                        links += 1;
                    }
                }
            }
            links += GROUP_SIZE;
        }
        eprintln!("network: {} people, about {links} family links", GROUPS * GROUP_SIZE + 1);
    }
    let op = Access::operator("bench chart import", None).expect("purpose");
    let options = ImportOptions { agency: Some("rs-bp".into()), ..ImportOptions::default() };
    veza.import_file(&op, &file, &options, |_| {}).await.expect("network imports");

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("bound address"));
    let web = router(veza, WebOptions { demo: true });
    let server = tokio::spawn(async move { axum::serve(listener, web).await });

    let profile = tempfile::tempdir().expect("browser profile");
    let mut options = json!({"args": [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1280,900",
        format!("--user-data-dir={}", profile.path().display()),
    ]});
    if let Ok(binary) = std::env::var("VEZA_CHROMIUM") {
        options["binary"] = Value::String(binary);
    }
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), options);
    let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&webdriver)
        .await
        .expect("a WebDriver session");
    sign_in(&c, &base).await;
    let layouts = std::env::var("VEZA_BENCH_LAYOUTS").unwrap_or_else(|_| "veza,cose".into());
    for layout in layouts.split(',').map(str::trim).filter(|l| !l.is_empty()) {
        let mut times = Vec::new();
        for run in 0..runs {
            let url = match layout {
                "cose" => format!("{base}/entities/bench.hub/chart?hops=2&layout=cose"),
                _ => format!("{base}/entities/bench.hub/chart?hops=2"),
            };
            let wall = Instant::now();
            c.goto(&url).await.expect("open the chart");
            let m = measure(&c).await;
            let t = m["rendered"].as_f64().unwrap_or(f64::NAN);
            println!(
                "{layout:>4} run {run}: first render {t:.0} ms (server answered at {:.0} ms), {} nodes, \
                 HTML {:.0} kB, assets {:.0} kB, wall {:.0} ms",
                m["response_end"].as_f64().unwrap_or(f64::NAN),
                m["nodes"],
                m["html"].as_f64().unwrap_or(0.0) / 1024.0,
                m["assets"].as_f64().unwrap_or(0.0) / 1024.0,
                wall.elapsed().as_secs_f64() * 1000.0
            );
            if run > 0 {
                times.push(t);
            }
        }
        times.sort_by(f64::total_cmp);
        if !times.is_empty() {
            println!("{layout:>4}: warm first render, median of {}: {:.0} ms", times.len(), times[times.len() / 2]);
        }
    }
    let _ = c.close().await;
    server.abort();
}

/// Waits for the chart's mark and reads the figures.
async fn measure(c: &Client) -> Value {
    let script = "const m = performance.getEntriesByName('veza-chart-rendered'); \
        if (!m.length) return null; \
        const nav = performance.getEntriesByType('navigation')[0]; \
        const res = performance.getEntriesByType('resource'); \
        return {rendered: m[0].startTime, response_end: nav.responseEnd, html: nav.decodedBodySize, \
          assets: res.reduce((s, r) => s + r.decodedBodySize, 0), nodes: window.vezaChart.cy.nodes().length};";
    for _ in 0..600 {
        let v = c.execute(script, vec![]).await.expect("read the marks");
        if !v.is_null() {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the chart did not render within a minute");
}

/// Signs in on the log-in page and states a purpose.
async fn sign_in(c: &Client, base: &str) {
    c.goto(&format!("{base}/login")).await.expect("log-in page");
    let wait = Duration::from_secs(20);
    c.wait()
        .at_most(wait)
        .for_element(Locator::Id("username"))
        .await
        .expect("form")
        .send_keys("bench.analyst")
        .await
        .expect("type");
    c.find(Locator::Id("password")).await.expect("field").send_keys(PASSWORD).await.expect("type");
    c.find(Locator::Css("form.login-form button[type=submit]")).await.expect("button").click().await.expect("click");
    let purpose = c.wait().at_most(wait).for_element(Locator::Id("purpose-field")).await.expect("purpose form");
    purpose.send_keys("bench chart").await.expect("type");
    c.find(Locator::Css("form.login-form button[type=submit]")).await.expect("button").click().await.expect("click");
    c.wait().at_most(wait).for_element(Locator::Id("whoami")).await.expect("signed in");
}
