//! `veza snapshot export|verify` and `veza field check`: a snapshot holds
//! only what the checkpoint's country may hold, verifies, is refused when
//! altered or checked with another key, and answers checks offline into an
//! encrypted queue.

use std::path::Path;
use std::process::{Command, Output};
use veza_app::{Caller, Veza};
use veza_model::{Entity, Handling, Owner, SourceRef, Visibility};
use veza_store::operations::*;
use veza_store::{Agency, Source};

const PASS: &str = "a long field passphrase";

fn veza(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_veza"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("VEZA_DATABASE_URL")
        .env("VEZA_SNAPSHOT_PASSPHRASE", PASS)
        .output()
        .expect("run veza")
}

fn out(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn listed(id: &str, schema: &str, values: &[(&str, &str)], owner: (&str, &str), handling: Handling) -> Entity {
    let model = veza_model::Model::builtin();
    let mut e = Entity::new(id, schema);
    for (p, v) in values {
        e.add(model, p, v).unwrap();
    }
    e.provenance.owner = Owner { agency: owner.0.into(), country: owner.1.into() };
    e.provenance.source = SourceRef { dataset: "notices".into(), record: None };
    e.handling = handling;
    e
}

/// A platform with an operation whose checkpoint `MK-TAB` is in North
/// Macedonia, a watchlist `notices` of three persons (one for all, one for
/// Serbia only, one Macedonian record for its country) and a stolen passport.
async fn platform(dir: &Path) {
    let veza = Veza::open(&format!("sqlite://{}", dir.join("veza.db").display())).await.unwrap();
    let store = veza.store();
    for (code, country) in [("mk-mvr", "mk"), ("rs-bp", "rs"), ("int-gs", "fr")] {
        let agency = Agency { code: code.into(), name: code.into(), country: country.into(), kind: "police".into() };
        store.put_agency(&agency).await.unwrap();
    }
    store
        .put_source(&Source {
            dataset: "notices".into(),
            title: "notices".into(),
            kind: "import".into(),
            owner_agency: "int-gs".into(),
            created_at: "2026-11-01T00:00:00Z".into(),
            updated_at: "2026-11-01T00:00:00Z".into(),
        })
        .await
        .unwrap();
    let all = Handling { visibility: Visibility::All, ..Handling::default() };
    let country = Handling { visibility: Visibility::Country, ..Handling::default() };
    let batch = vec![
        listed(
            "n-dragan",
            "Person",
            &[("name", "Драган Стојановић"), ("birthDate", "1974-03-02")],
            ("int-gs", "fr"),
            all.clone(),
        ),
        listed("n-serbian", "Person", &[("name", "Milan Rakić")], ("rs-bp", "rs"), country.clone()),
        listed("n-local", "Person", &[("name", "Arta Krasniqi")], ("mk-mvr", "mk"), country),
        listed(
            "d-stolen",
            "DocumentStatus",
            &[("documentNumber", "BA4471190"), ("status", "stolen"), ("issuingCountry", "al")],
            ("int-gs", "fr"),
            all,
        ),
    ];
    store.write_entities(&Caller::system("test"), &batch).await.unwrap();
    store
        .put_operation(&Operation {
            id: "op-1".into(),
            code: "BALKAN_GATE".into(),
            name: "Balkan Gate".into(),
            mode: OperationMode::Live,
            status: OperationStatus::Running,
            start_date: "2026-11-28".into(),
            end_date: "2026-12-30".into(),
            lead_agency: "mk-mvr".into(),
            objectives: "Identify victims".into(),
            created_by: "ana".into(),
            created_at: 1,
            changed_at: 1,
            countries: vec![
                OperationCountry { country: "mk".into(), contact_ncb: "NCB Skopje".into() },
                OperationCountry { country: "fr".into(), contact_ncb: "IPSG Lyon".into() },
            ],
            agencies: vec![OperationAgency { agency: "mk-mvr".into(), coordinator: true }],
            watchlists: vec![OperationWatchlist {
                dataset: "notices".into(),
                instruction: "do not arrest; contact {ncb}".into(),
            }],
        })
        .await
        .unwrap();
    store
        .put_checkpoint(&Checkpoint {
            id: 0,
            operation_id: "op-1".into(),
            code: "MK-TAB".into(),
            name: "Tabanovce".into(),
            kind: CheckpointKind::BorderCrossing,
            country: "mk".into(),
            agency: "mk-mvr".into(),
            latitude: None,
            longitude: None,
            shifts: vec![],
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn export_verify_and_check_offline() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    platform(data).await;
    let file = data.join("tab.vzs");
    let f = file.to_str().unwrap();
    let o = veza(
        data,
        &["snapshot", "export", "--operation", "op-1", "--checkpoint", "MK-TAB", "--output", f, "--valid-for", "24h"],
    );
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("2 persons, 1 documents"), "the Serbian-only record stays home: {}", out(&o));

    let o = veza(data, &["snapshot", "verify", f]);
    assert!(o.status.success(), "{}", out(&o));
    let text = out(&o);
    assert!(
        text.contains("entries    3") && text.contains("contents   decrypted: 3 entries") && text.contains("OK"),
        "{text}"
    );

    // another issuer's key: refused, and said so
    let other = data.join("other.pub");
    let theirs = ed25519_dalek::SigningKey::from_bytes(&[7; 32]).verifying_key().to_bytes();
    std::fs::write(&other, format!("{}\n", theirs.iter().map(|b| format!("{b:02x}")).collect::<String>())).unwrap();
    let o = veza(data, &["snapshot", "verify", f, "--issuer-key", other.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(out(&o).contains("REFUSED") && out(&o).contains("not by the trusted issuer key"), "{}", out(&o));

    // one altered byte of the contents: refused
    let mut bytes = std::fs::read(&file).unwrap();
    let last = bytes.len() - 100;
    bytes[last] ^= 1;
    let bad = data.join("bad.vzs");
    std::fs::write(&bad, &bytes).unwrap();
    let o = veza(data, &["snapshot", "verify", bad.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(out(&o).contains("altered after signing"), "{}", out(&o));

    // offline checks, queued encrypted
    let queue = data.join("queue");
    let q = queue.to_str().unwrap();
    let o = veza(
        data,
        &["field", "check", "--snapshot", f, "--queue", q, "--name", "DRAGAN STOJANOVIC", "--birth-date", "1974"],
    );
    assert!(o.status.success(), "{}", out(&o));
    assert!(
        out(&o).contains("HIT n-dragan in notices") && out(&o).contains("do not arrest; contact IPSG Lyon"),
        "{}",
        out(&o)
    );
    let o = veza(data, &["field", "check", "--snapshot", f, "--queue", q, "--name", "Milan Rakić", "--json"]);
    assert!(o.status.success(), "{}", out(&o));
    let answer: serde_json::Value = serde_json::from_str(String::from_utf8_lossy(&o.stdout).trim()).unwrap();
    assert_eq!(answer["result"], "no_hit", "a record not released to the checkpoint's country is not there");
    let o = veza(
        data,
        &["field", "check", "--snapshot", f, "--queue", q, "--document", "BA 447 1190", "--document-country", "AL"],
    );
    assert!(out(&o).contains("HIT d-stolen"), "{}", out(&o));
    let log = std::fs::read_to_string(queue.join("queue.log")).unwrap();
    assert_eq!(log.lines().count(), 3);
    assert!(!log.contains("DRAGAN") && !log.contains("Rak"), "the queue is encrypted");

    // a wrong passphrase opens nothing
    let o = Command::new(env!("CARGO_BIN_EXE_veza"))
        .arg("--data-dir")
        .arg(data)
        .args(["field", "check", "--snapshot", f, "--queue", q, "--name", "x"])
        .env("VEZA_SNAPSHOT_PASSPHRASE", "not the passphrase")
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(out(&o).contains("wrong passphrase"), "{}", out(&o));

    // the export is in the audit log as a disclosure
    let o = veza(data, &["audit", "search", "--action", "disclose", "--json"]);
    assert!(out(&o).contains("field snapshot of operation op-1 for checkpoint MK-TAB"), "{}", out(&o));
}

#[tokio::test]
async fn an_unknown_checkpoint_is_named_with_the_known_ones() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    platform(data).await;
    let f = data.join("x.vzs");
    let o = veza(
        data,
        &["snapshot", "export", "--operation", "op-1", "--checkpoint", "RS-PRE", "--output", f.to_str().unwrap()],
    );
    assert!(!o.status.success());
    assert!(out(&o).contains("no checkpoint RS-PRE") && out(&o).contains("MK-TAB"), "{}", out(&o));
    assert!(!f.exists());
}
