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

/// A star of 300 (more than a batch the walk splits in two), a ring among
/// its points, a second ring one hop further tied twice inward, and a third
/// ring beyond the hops asked: every visible link between two kept nodes
/// is an edge exactly once, whichever frontier reads it (the same hop, an
/// earlier one, the last), and a link to a node beyond the walk is none.
async fn every_link_between_kept_nodes_is_one_edge(store: Arc<dyn Store>) {
    setup(&store, false).await;
    let model = Model::builtin();
    let owned = |mut e: Entity, visibility: Visibility| {
        e.provenance.owner = Owner { agency: "rs-bp".into(), country: "rs".into() };
        e.provenance.source = SourceRef { dataset: "ds-rs-bp".into(), record: None };
        e.handling.visibility = visibility;
        e
    };
    let person = |id: String| {
        let mut e = Entity::new(&id, "Person");
        e.add_all(model, [("name", id.as_str())]).unwrap();
        owned(e, Visibility::All)
    };
    let link = |a: String, b: String, visibility: Visibility| {
        let mut e = Entity::new(format!("{a}~{b}"), "Associate");
        e.add_all(model, [("person", a.as_str()), ("associate", b.as_str())]).unwrap();
        owned(e, visibility)
    };
    let n = 300;
    let mut batch = vec![person("z".into())];
    let mut expected = 0;
    for i in 0..n {
        let (p, q, r, next) = (format!("p{i}"), format!("q{i}"), format!("r{i}"), (i + 1) % n);
        batch.extend([person(p.clone()), person(q.clone()), person(r.clone())]);
        // Links both ways round, so each frontier half holds sources and targets.
        let (z, p) = if i % 2 == 0 { ("z".to_owned(), p) } else { (p, "z".to_owned()) };
        batch.push(link(z, p, Visibility::All));
        let p = format!("p{i}");
        batch.push(link(p.clone(), format!("p{next}"), if i % 7 == 3 { Visibility::Agency } else { Visibility::All }));
        batch.push(link(q.clone(), p.clone(), Visibility::All));
        batch.push(link(format!("p{next}"), q.clone(), Visibility::All));
        batch.push(link(q.clone(), format!("q{next}"), Visibility::All));
        batch.push(link(r, q, Visibility::All));
        expected += 1 + usize::from(i % 7 != 3) + 3;
    }
    store.write_entities(&Caller::system("test"), &batch).await.unwrap();
    let outsider = Caller::user("u", "ba-bp", "ba", &[]);
    let slice = store.network(&outsider, &["z".to_owned()], 2, 10_000).await.unwrap();
    assert_eq!(slice.nodes.len(), 1 + 2 * n);
    assert!(slice.nodes.iter().all(|node| !node.id.starts_with('r')));
    let keys: std::collections::HashSet<&str> = slice.edges.iter().map(|e| e.via_id.as_str()).collect();
    assert_eq!(keys.len(), slice.edges.len(), "an edge appears twice");
    assert_eq!(slice.edges.len(), expected);
    assert!(slice.edges.iter().all(|e| !e.source.starts_with('r') && !e.target.starts_with('r')));
}
on_every_backend!(network_walk_reads_each_link_once, every_link_between_kept_nodes_is_one_edge);
