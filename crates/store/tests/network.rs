//! The network around an entity, on every back end: the walk goes as far
//! as asked, and a record the caller may not see is neither a node nor the
//! reason for an edge — the slice equals the one of a store where the
//! hidden record never existed.

use std::sync::Arc;
use veza_model::{Entity, Model, Owner, SourceRef, Visibility};
use veza_store::{Agency, Caller, Source, Store};

mod backends;

async fn setup(store: &Arc<dyn Store>, with_hidden: bool) {
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
    let make = |id: &str, schema: &str, agency: &str, visibility: Visibility, values: &[(&str, &str)]| {
        let mut e = Entity::new(id, schema);
        e.add_all(model, values.iter().copied()).unwrap();
        e.provenance.owner = Owner { agency: agency.into(), country: agency[..2].into() };
        e.provenance.source = SourceRef { dataset: format!("ds-{agency}"), record: None };
        e.handling.visibility = visibility;
        e
    };
    // a — b — c — d (a chain of associates), b — e through a hidden person h
    // (owned by rs-bp, agency only) and a hidden link b—e.
    let mut batch = vec![
        make("a", "Person", "rs-bp", Visibility::All, &[("name", "A")]),
        make("b", "Person", "rs-bp", Visibility::All, &[("name", "B")]),
        make("c", "Person", "rs-bp", Visibility::All, &[("name", "C")]),
        make("d", "Person", "rs-bp", Visibility::All, &[("name", "D")]),
        make("e", "Person", "rs-bp", Visibility::All, &[("name", "E")]),
        make("ab", "Associate", "rs-bp", Visibility::All, &[("person", "a"), ("associate", "b")]),
        make("bc", "Associate", "rs-bp", Visibility::All, &[("person", "b"), ("associate", "c")]),
        make("cd", "Associate", "rs-bp", Visibility::All, &[("person", "c"), ("associate", "d")]),
    ];
    if with_hidden {
        batch.push(make("h", "Person", "rs-bp", Visibility::Agency, &[("name", "Hidden")]));
        batch.push(make("bh", "Associate", "rs-bp", Visibility::All, &[("person", "b"), ("associate", "h")]));
        batch.push(make("he", "Associate", "rs-bp", Visibility::All, &[("person", "h"), ("associate", "e")]));
        batch.push(make("be", "Associate", "rs-bp", Visibility::Agency, &[("person", "b"), ("associate", "e")]));
    }
    store.write_entities(&Caller::system("test"), &batch).await.unwrap();
}

async fn hidden_records_never_shape_the_network(store: Arc<dyn Store>) {
    setup(&store, true).await;
    let outsider = Caller::user("u", "ba-bp", "ba", &[]);
    let owner = Caller::user("u", "rs-bp", "rs", &[]);
    let seeds = ["a".to_owned()];
    let ids = |s: &veza_store::NetworkSlice| s.nodes.iter().map(|n| n.id.clone()).collect::<Vec<_>>();

    let near = store.network(&outsider, &seeds, 1, 100).await.unwrap();
    assert_eq!(ids(&near), ["a", "b"]);
    assert_eq!(near.edges.len(), 1);
    let far = store.network(&outsider, &seeds, 3, 100).await.unwrap();
    assert_eq!(ids(&far), ["a", "b", "c", "d"], "e is reached only through what the outsider may not see");
    assert!(far.edges.iter().all(|e| !["bh", "he", "be"].contains(&e.via_id.as_str())));
    assert_eq!(far.nodes.iter().map(|n| n.hop).collect::<Vec<_>>(), [0, 1, 2, 3]);

    // The same as if the hidden records had never been stored.
    let clean = backends::sqlite().await;
    setup(&clean.store, false).await;
    let expected = clean.store.network(&Caller::user("u", "ba-bp", "ba", &[]), &seeds, 3, 100).await.unwrap();
    assert_eq!(far, expected);

    // The owner sees the hidden person and both ways to e.
    let all = store.network(&owner, &seeds, 3, 100).await.unwrap();
    assert!(ids(&all).contains(&"h".to_owned()) && ids(&all).contains(&"e".to_owned()));
    assert!(all.edges.iter().any(|e| e.via_id == "be"));

    // A hidden seed gives nothing; a cap truncates.
    assert!(store.network(&outsider, &["h".to_owned()], 2, 100).await.unwrap().nodes.is_empty());
    let capped = store.network(&owner, &seeds, 3, 2).await.unwrap();
    assert_eq!(capped.nodes.len(), 2);
    assert!(capped.truncated);
}
on_every_backend!(network_walk, hidden_records_never_shape_the_network);
