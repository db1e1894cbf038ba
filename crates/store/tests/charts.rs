//! Saved charts and the chart's reads, on every back end: a chart belongs
//! to the user who saved it; entities by id and a case's entities pass the
//! policy row by row (a record the caller may not see is simply absent).

use std::sync::Arc;
use veza_model::{Entity, Model, Owner, SourceRef, Visibility};
use veza_store::{Agency, Caller, ChartAnchor, NewChart, Source, Store};

mod backends;

async fn setup(store: &Arc<dyn Store>) {
    for (code, country) in [("rs-bp", "rs"), ("ba-bp", "ba")] {
        let agency = Agency { code: code.into(), name: code.into(), country: country.into(), kind: "x".into() };
        store.put_agency(&agency).await.unwrap();
        let source = Source {
            dataset: format!("ds-{code}"),
            title: code.into(),
            kind: "test".into(),
            owner_agency: code.into(),
            created_at: String::new(),
            updated_at: String::new(),
        };
        store.put_source(&source).await.unwrap();
    }
    let model = Model::builtin();
    let make = |id: &str, schema: &str, visibility: Visibility, values: &[(&str, &str)]| {
        let mut e = Entity::new(id, schema);
        e.add_all(model, values.iter().copied()).unwrap();
        e.provenance.owner = Owner { agency: "rs-bp".into(), country: "rs".into() };
        e.provenance.source = SourceRef { dataset: "ds-rs-bp".into(), record: None };
        e.handling.visibility = visibility;
        e
    };
    // A case with an underscore in its id (a LIKE wildcard), a public and a
    // restricted suspect record, and a case whose id the first one's matches
    // only as a pattern.
    let batch = vec![
        make("case_1", "Case", Visibility::All, &[("name", "Lipa")]),
        make("caseX1", "Case", Visibility::All, &[("name", "Other")]),
        make("p", "Person", Visibility::All, &[("name", "Public")]),
        make("h", "Person", Visibility::Agency, &[("name", "Hidden")]),
        make("x", "Person", Visibility::All, &[("name", "Elsewhere")]),
        make("sp", "Suspect", Visibility::All, &[("suspect", "p"), ("case", "case_1")]),
        make("sh", "Suspect", Visibility::Agency, &[("suspect", "h"), ("case", "case_1")]),
        make("sx", "Suspect", Visibility::All, &[("suspect", "x"), ("case", "caseX1")]),
    ];
    store.write_entities(&Caller::system("test"), &batch).await.unwrap();
}

async fn charts_and_chart_reads(store: Arc<dyn Store>) {
    setup(&store).await;
    let owner = Caller::user("ana", "rs-bp", "rs", &[]);
    let outsider = Caller::user("boris", "ba-bp", "ba", &[]);
    let ids = |v: Vec<(String, String)>| v.into_iter().map(|(id, _)| id).collect::<Vec<_>>();

    // A case is in its own list; `caseX1` does not match `case_1` (the `_` is escaped).
    assert_eq!(ids(store.case_entity_ids(&owner, "case_1", 100).await.unwrap()), ["case_1", "h", "p", "sh", "sp"]);
    assert_eq!(ids(store.case_entity_ids(&outsider, "case_1", 100).await.unwrap()), ["case_1", "p", "sp"]);
    assert_eq!(ids(store.case_entity_ids(&owner, "case_1", 2).await.unwrap()), ["case_1", "h"]);
    // The case index follows later writes: a record that comes to name the
    // case joins it with the person it links; a deleted record leaves it, and
    // the person it linked with it.
    let mut moved = Entity::new("sx", "Suspect");
    moved.add_all(Model::builtin(), [("suspect", "x"), ("case", "case_1")]).unwrap();
    moved.provenance.owner = Owner { agency: "rs-bp".into(), country: "rs".into() };
    moved.provenance.source = SourceRef { dataset: "ds-rs-bp".into(), record: None };
    moved.handling.visibility = Visibility::All;
    store.write_entities(&Caller::system("test"), &[moved]).await.unwrap();
    assert_eq!(ids(store.case_entity_ids(&outsider, "case_1", 100).await.unwrap()), ["case_1", "p", "sp", "sx", "x"]);
    assert!(store.delete_entity(&Caller::system("test"), "sp").await.unwrap());
    assert_eq!(ids(store.case_entity_ids(&outsider, "case_1", 100).await.unwrap()), ["case_1", "sx", "x"]);
    let wanted = ["p".to_owned(), "h".to_owned(), "nobody".to_owned()];
    let seen: Vec<String> = store.entities_by_id(&outsider, &wanted).await.unwrap().into_iter().map(|e| e.id).collect();
    assert_eq!(seen, ["p"]);
    let full = store.entities_by_id(&owner, &wanted).await.unwrap();
    assert_eq!(full.len(), 2);
    assert!(full.iter().all(|e| !e.values("name").is_empty()), "with their values");

    let chart = NewChart {
        id: None,
        title: "Lipa".into(),
        anchor: ChartAnchor::Case,
        anchor_id: "case_1".into(),
        layout: r#"{"nodes":[]}"#.into(),
    };
    let id = store.save_chart(&owner, &chart, 10).await.unwrap();
    let again = store.save_chart(&owner, &chart, 11).await.unwrap();
    assert_ne!(id, again);
    let list = store.saved_charts(&owner).await.unwrap();
    assert_eq!(list.iter().map(|c| c.id).collect::<Vec<_>>(), [again, id], "last changed first");
    assert!(store.saved_charts(&outsider).await.unwrap().is_empty());
    assert!(store.saved_chart(&outsider, id).await.unwrap().is_none());
    let renamed = NewChart { id: Some(id), title: "Lipa 2".into(), ..chart.clone() };
    assert!(store.save_chart(&outsider, &renamed, 12).await.is_err(), "not theirs to change");
    assert_eq!(store.save_chart(&owner, &renamed, 12).await.unwrap(), id);
    let back = store.saved_chart(&owner, id).await.unwrap().unwrap();
    assert_eq!(
        (back.title.as_str(), back.anchor, back.created_at, back.changed_at),
        ("Lipa 2", ChartAnchor::Case, 10, 12)
    );
    assert!(!store.delete_chart(&outsider, id).await.unwrap());
    assert!(store.delete_chart(&owner, id).await.unwrap());
    assert!(store.saved_chart(&owner, id).await.unwrap().is_none());
    assert!(store.saved_charts(&Caller::system("cli")).await.is_err(), "the platform keeps no charts");
}
on_every_backend!(charts, charts_and_chart_reads);
