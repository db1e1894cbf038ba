//! `veza operation plan --file PLAN.yaml`: the example plan creates an
//! operation with its checkpoints and shifts and prints its id; running it
//! again updates the same operation; a file with problems saves nothing and
//! names the file, the field and the reason.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use veza_app::{Caller, Veza};
use veza_store::{Agency, Source};

fn veza(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_veza"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("VEZA_DATABASE_URL")
        .output()
        .expect("run veza")
}

fn out(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/operation-plan.example.yaml")
}

fn db(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("veza.db").display())
}

/// A platform with the example's agencies and watchlist.
async fn platform(dir: &Path) {
    let veza = Veza::open(&db(dir)).await.unwrap();
    for (code, country) in [("mk-bp", "mk"), ("rs-bp", "rs"), ("rs-thb", "rs")] {
        let agency = Agency { code: code.into(), name: code.into(), country: country.into(), kind: "police".into() };
        veza.store().put_agency(&agency).await.unwrap();
    }
    veza.store()
        .put_source(&Source {
            dataset: "demo-int-gs".into(),
            title: "notices".into(),
            kind: "import".into(),
            owner_agency: "rs-bp".into(),
            created_at: "2026-11-01T00:00:00Z".into(),
            updated_at: "2026-11-01T00:00:00Z".into(),
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn the_example_plan_creates_then_updates_an_operation() {
    let dir = tempfile::tempdir().unwrap();
    platform(dir.path()).await;
    let file = example();
    let made = veza(dir.path(), &["operation", "plan", "--file", file.to_str().unwrap()]);
    assert!(made.status.success(), "{}", out(&made));
    let id = String::from_utf8_lossy(&made.stdout).trim().to_owned();
    assert!(id.starts_with("op-"), "prints the id: {id:?}");

    let again = veza(dir.path(), &["operation", "plan", "--file", file.to_str().unwrap()]);
    assert!(again.status.success(), "{}", out(&again));
    assert_eq!(String::from_utf8_lossy(&again.stdout).trim(), id, "the same code updates the same operation");
    assert!(out(&again).contains("0 checkpoints added, 2 updated"), "{}", out(&again));

    let veza = Veza::open(&db(dir.path())).await.unwrap();
    let view = veza.operation_view(&Caller::system("test"), &id).await.unwrap();
    assert_eq!(view.operation.code, "BALKAN-GATE-2");
    assert_eq!(view.operation.watchlists[0].instruction, "do not arrest; contact {ncb}");
    assert!(view.operation.agencies.iter().any(|a| a.agency == "rs-thb" && a.coordinator));
    assert_eq!(view.checkpoints.len(), 2);
    let tab = view.checkpoints.iter().find(|c| c.code == "MK-TAB").unwrap();
    assert_eq!(tab.shifts.len(), 2);
    assert_eq!(tab.shifts[0].team, "Team A");
    assert_eq!(tab.shifts[0].ends_at - tab.shifts[0].starts_at, 8 * 3_600_000_000);
    let bus = view.checkpoints.iter().find(|c| c.code == "RS-BEG-BUS").unwrap();
    // 08:00 at +01:00 is 07:00 UTC.
    assert_eq!(bus.shifts[0].starts_at, veza_app::operation_plan::shift_time("2026-12-02T07:00").unwrap());
}

#[tokio::test]
async fn a_plan_with_problems_names_file_field_and_reason_and_saves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    platform(dir.path()).await;
    let text = std::fs::read_to_string(example()).unwrap();
    let run = |name: &str, text: String| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let o = veza(dir.path(), &["operation", "plan", "--file", path.to_str().unwrap()]);
        assert!(!o.status.success(), "{name} is refused");
        (path, out(&o))
    };

    // Dates and a shift time: every problem, each with its field.
    let (path, said) = run(
        "dates.yaml",
        text.replace("end_date: 2026-12-03", "end_date: 2026-11-03")
            .replace("start: 2026-12-01T06:00", "start: 1 December 06:00"),
    );
    assert!(said.contains(&format!("{}: end_date: the last day comes after the first", path.display())), "{said}");
    assert!(said.contains("checkpoints[0].shifts[0].start: '1 December 06:00' is not a date and time"), "{said}");

    // An unknown field: the line is named.
    let (path, said) = run("typo.yaml", text.replace("objectives:", "objectivs:"));
    assert!(said.contains(&format!("{}:", path.display())) && said.contains("objectivs"), "{said}");

    // A checkpoint in a country that does not take part.
    let (path, said) =
        run("country.yaml", text.replace("    country: mk          # a participating country", "    country: al"));
    assert!(said.contains(&format!("{}: checkpoints[0].country: 'al' does not take part", path.display())), "{said}");

    // An unknown agency.
    let (_, said) = run("agency.yaml", text.replace("{ agency: mk-bp }", "{ agency: xx-nobody }"));
    assert!(said.contains("agencies: unknown agency 'xx-nobody'"), "{said}");

    // Nothing was saved.
    let veza = Veza::open(&db(dir.path())).await.unwrap();
    assert!(veza.operations(&Caller::system("test")).await.unwrap().is_empty());
}
