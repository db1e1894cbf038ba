//! The store's behaviour, run against every back end: SQLite always, and
//! PostgreSQL when `VEZA_TEST_POSTGRES_URL` names a server (scripts/test
//! starts one; in CI its absence is a failure).

use std::sync::Arc;
use veza_model::{Entity, Handling, Model, Owner, SourceRef, Visibility};
use veza_store::{
    Agency, Caller, Capacity, Direction, Lookup, Membership, Scope, SearchQuery, Source, Store, StoreError,
};

mod backends;

fn model() -> &'static Model {
    Model::builtin()
}

async fn setup(store: &Arc<dyn Store>) {
    for (code, country) in [("rs-bp", "rs"), ("rs-thb", "rs"), ("ba-bp", "ba"), ("al-bp", "al")] {
        store
            .put_agency(&Agency {
                code: code.into(),
                name: code.into(),
                country: country.into(),
                kind: "border_police".into(),
            })
            .await
            .unwrap();
    }
    for (ds, owner) in [("cases", "rs-bp"), ("other", "rs-bp"), ("ba-data", "ba-bp")] {
        store
            .put_source(&Source {
                dataset: ds.into(),
                title: ds.into(),
                kind: "test".into(),
                owner_agency: owner.into(),
                created_at: "2026-01-01T00:00:00Z".into(),
                updated_at: "2026-01-01T00:00:00Z".into(),
            })
            .await
            .unwrap();
    }
}

fn entity(id: &str, schema: &str, dataset: &str, values: &[(&str, &str)]) -> Entity {
    let mut e = Entity::new(id, schema);
    e.add_all(model(), values.iter().copied()).unwrap();
    e.provenance.owner = Owner { agency: "rs-bp".into(), country: "rs".into() };
    e.provenance.source = SourceRef { dataset: dataset.into(), record: Some(id.into()) };
    e
}

fn system() -> Caller {
    Caller::system("test")
}

fn user(agency: &str, country: &str) -> Caller {
    Caller::user("u", agency, country, &[])
}

async fn found(store: &Arc<dyn Store>, caller: &Caller, id: &str) -> Entity {
    match store.entity(caller, id).await.unwrap() {
        Lookup::Found(e) => e,
        other => panic!("{id}: expected found, got {other:?}"),
    }
}

async fn written_entities_read_back_whole(store: Arc<dyn Store>) {
    setup(&store).await;
    let mut e =
        entity("p1", "Person", "cases", &[("name", "Ana Kovač"), ("birthDate", "1987-03"), ("nationality", "rs")]);
    e.handling = Handling {
        visibility: Visibility::Countries,
        countries: vec!["ba".into()],
        existence_visible: true,
        caveats: vec!["no judicial use".into()],
    };
    let report = store.write_entities(&system(), &[e.clone()]).await.unwrap();
    assert_eq!((report.created, report.updated), (1, 0));
    let back = found(&store, &system(), "p1").await;
    assert_eq!(back.properties, e.properties);
    assert_eq!(back.handling, e.handling);
    assert_eq!(back.provenance.owner, e.provenance.owner);
    assert_eq!(back.provenance.source, e.provenance.source);
    assert_eq!(back.provenance.retention_review, e.provenance.retention_review);
}
on_every_backend!(entities_round_trip, written_entities_read_back_whole);

async fn rewriting_a_source_updates_instead_of_duplicating(store: Arc<dyn Store>) {
    setup(&store).await;
    let first = entity("p1", "Person", "cases", &[("name", "Ana"), ("phone", "+381641234567")]);
    store.write_entities(&system(), &[first]).await.unwrap();
    let other = entity("p1", "Person", "other", &[("name", "Ana Kovač")]);
    store.write_entities(&system(), &[other]).await.unwrap();
    let again = entity("p1", "Person", "cases", &[("name", "Ana"), ("birthDate", "1990")]);
    let report = store.write_entities(&system(), &[again]).await.unwrap();
    assert_eq!((report.created, report.updated), (0, 1));
    let back = found(&store, &system(), "p1").await;
    let mut names = back.values("name").to_vec();
    names.sort();
    assert_eq!(names, ["Ana", "Ana Kovač"], "values of another source stay");
    assert!(back.values("phone").is_empty(), "a value the source dropped is gone");
    assert_eq!(back.first("birthDate"), Some("1990"));
    assert_eq!(store.stats(&system()).await.unwrap().entities, 1);
    let statements = store.statements(&system(), "p1").await.unwrap();
    assert!(statements.iter().any(|s| s.value == "Ana Kovač" && s.dataset == "other"));
    // The search index follows the merged entity.
    assert_eq!(store.search(&system(), &SearchQuery::text("kovac")).await.unwrap().total, 1);
}
on_every_backend!(reimport_updates, rewriting_a_source_updates_instead_of_duplicating);

async fn search_ignores_case_accents_and_script(store: Arc<dyn Store>) {
    setup(&store).await;
    let batch = vec![
        entity("p1", "Person", "cases", &[("name", "José Álvarez")]),
        entity("p2", "Person", "cases", &[("name", "Marko Petrović"), ("passportNumber", "AB 123-456")]),
        entity("p3", "Person", "cases", &[("name", "Ђорђе Јовановић")]),
        entity("c1", "Company", "cases", &[("name", "Petrović Transport d.o.o.")]),
    ];
    store.write_entities(&system(), &batch).await.unwrap();
    let ids = |page: veza_store::SearchPage| page.results.into_iter().map(|e| e.id).collect::<Vec<_>>();
    assert_eq!(ids(store.search(&system(), &SearchQuery::text("jose")).await.unwrap()), ["p1"]);
    let mut hits = ids(store.search(&system(), &SearchQuery::text("PETROVIC")).await.unwrap());
    hits.sort();
    assert_eq!(hits, ["c1", "p2"]);
    assert_eq!(ids(store.search(&system(), &SearchQuery::text("djordje jovanovic")).await.unwrap()), ["p3"]);
    assert_eq!(ids(store.search(&system(), &SearchQuery::text("Јовановић")).await.unwrap()), ["p3"]);
    assert_eq!(ids(store.search(&system(), &SearchQuery::text("ab123456")).await.unwrap()), ["p2"]);
    assert_eq!(
        ids(store.search(&system(), &SearchQuery::text("petro")).await.unwrap()).len(),
        2,
        "prefix of last word"
    );
    let mut people = SearchQuery::text("petrovic");
    people.schemata = model().descendants("Person").into_iter().map(str::to_owned).collect();
    assert_eq!(ids(store.search(&system(), &people).await.unwrap()), ["p2"]);
    assert_eq!(store.search(&system(), &SearchQuery::text("nobody")).await.unwrap().total, 0);
    let all = store.search(&system(), &SearchQuery::text("")).await.unwrap();
    assert_eq!(all.total, 4);
    assert!(all.total_is_exact);
}
on_every_backend!(search_is_accent_insensitive, search_ignores_case_accents_and_script);

async fn records_are_seen_only_as_their_owner_allows(store: Arc<dyn Store>) {
    setup(&store).await;
    let private = entity("p1", "Person", "cases", &[("name", "Private Person")]);
    let mut hinted = entity("p2", "Person", "cases", &[("name", "Hinted Person")]);
    hinted.handling.existence_visible = true;
    let mut national = entity("p3", "Person", "cases", &[("name", "National Person")]);
    national.handling.visibility = Visibility::Country;
    let mut shared = entity("p4", "Person", "cases", &[("name", "Shared Person")]);
    shared.handling =
        Handling { visibility: Visibility::Countries, countries: vec!["ba".into()], ..Default::default() };
    store.write_entities(&system(), &[private, hinted, national, shared]).await.unwrap();

    let owner = user("rs-bp", "rs");
    let colleague = user("rs-thb", "rs");
    let neighbour = user("ba-bp", "ba");
    let stranger = user("al-bp", "al");
    let count = |c: Caller| {
        let store = store.clone();
        async move { store.search(&c, &SearchQuery::text("person")).await.unwrap().total }
    };
    assert_eq!(count(owner.clone()).await, 4);
    assert_eq!(count(colleague.clone()).await, 2);
    assert_eq!(count(neighbour.clone()).await, 1);
    assert_eq!(count(stranger.clone()).await, 0);
    assert_eq!(store.entity(&stranger, "p1").await.unwrap(), Lookup::NotFound);
    assert!(
        matches!(store.entity(&stranger, "p2").await.unwrap(), Lookup::Restricted { ref owner_agency, .. } if owner_agency == "rs-bp")
    );
    found(&store, &neighbour, "p4").await;
    // A batch look-up answers each id as the single look-up does, in order.
    let asked: Vec<String> = ["p4", "p1", "nobody", "p2", "p3", "p4"].map(String::from).into();
    for caller in [&owner, &colleague, &neighbour, &stranger] {
        let batch = store.entities(caller, &asked).await.unwrap();
        let mut single = Vec::new();
        for id in &asked {
            single.push(store.entity(caller, id).await.unwrap());
        }
        assert_eq!(batch, single, "{caller:?}");
    }
    assert!(store.entities(&owner, &[]).await.unwrap().is_empty());
    assert!(store.statements(&stranger, "p1").await.unwrap().is_empty());
    assert_eq!(store.stats(&stranger).await.unwrap().entities, 0);
    assert_eq!(store.scan(&neighbour, 0, 100).await.unwrap().0.len(), 1);
    // Only the owner changes a record.
    let hijack = entity("p1", "Person", "ba-data", &[("name", "Changed")]);
    assert!(matches!(store.write_entities(&neighbour, &[hijack]).await, Err(StoreError::Forbidden(_))));
}
on_every_backend!(policy_filters_every_read, records_are_seen_only_as_their_owner_allows);

async fn links_are_seen_from_both_ends(store: Arc<dyn Store>) {
    setup(&store).await;
    let batch = vec![
        entity("p1", "Person", "cases", &[("name", "Ana")]),
        entity("p2", "Person", "cases", &[("name", "Marko")]),
        entity("f1", "Family", "cases", &[("person", "p1"), ("relative", "p2"), ("relationship", "sister")]),
        entity("d1", "Passport", "cases", &[("holder", "p1"), ("number", "X123")]),
    ];
    store.write_entities(&system(), &batch).await.unwrap();
    let links = store.links(&system(), "p1").await.unwrap();
    assert_eq!(links.len(), 2, "{links:?}");
    let family = links.iter().find(|l| l.via_schema == "Family").unwrap();
    assert_eq!((family.direction, family.other_id.as_str()), (Direction::Out, "p2"));
    assert_eq!(family.other_caption.as_deref(), Some("Marko"));
    let passport = links.iter().find(|l| l.via_schema == "Passport").unwrap();
    assert_eq!(
        (passport.direction, passport.other_id.as_str(), passport.prop.as_deref()),
        (Direction::In, "d1", Some("holder"))
    );
    let from_p2 = store.links(&system(), "p2").await.unwrap();
    assert_eq!(from_p2.len(), 1);
    assert_eq!((from_p2[0].direction, from_p2[0].other_id.as_str()), (Direction::In, "p1"));
    // A user who may not see the relative does not learn of the link.
    let mut hidden = entity("p2", "Person", "cases", &[("name", "Marko")]);
    hidden.handling.visibility = Visibility::Agency;
    let mut open = entity("p1", "Person", "cases", &[("name", "Ana")]);
    open.handling.visibility = Visibility::All;
    let mut open_link = entity("f1", "Family", "cases", &[("person", "p1"), ("relative", "p2")]);
    open_link.handling.visibility = Visibility::All;
    store.write_entities(&system(), &[hidden, open, open_link]).await.unwrap();
    assert!(store.links(&user("al-bp", "al"), "p1").await.unwrap().iter().all(|l| l.other_id != "p2"));
}
on_every_backend!(links_both_ways, links_are_seen_from_both_ends);

async fn scan_and_stats_cover_everything(store: Arc<dyn Store>) {
    setup(&store).await;
    let batch: Vec<Entity> = (0..25)
        .map(|i| entity(&format!("p{i}"), if i % 5 == 0 { "Company" } else { "Person" }, "cases", &[("name", "X Y")]))
        .collect();
    store.write_entities(&system(), &batch).await.unwrap();
    let mut seen = 0;
    let mut cursor = 0;
    loop {
        let (page, next) = store.scan(&system(), cursor, 7).await.unwrap();
        if page.is_empty() {
            break;
        }
        seen += page.len();
        cursor = next;
    }
    assert_eq!(seen, 25);
    let stats = store.stats(&system()).await.unwrap();
    assert_eq!(stats.entities, 25);
    assert_eq!(stats.by_schema, vec![("Person".to_owned(), 20), ("Company".to_owned(), 5)]);
    assert_eq!(stats.by_source, vec![("cases".to_owned(), 25)]);
    assert_eq!(stats.by_owner, vec![("rs-bp".to_owned(), 25)]);
}
on_every_backend!(scan_and_stats, scan_and_stats_cover_everything);

async fn writes_need_known_sources_and_agencies(store: Arc<dyn Store>) {
    setup(&store).await;
    let e = entity("p1", "Person", "nowhere", &[("name", "Ana")]);
    let err = store.write_entities(&system(), &[e]).await.unwrap_err();
    assert!(err.to_string().contains("nowhere"), "{err}");
    let err = store
        .put_source(&Source {
            dataset: "x".into(),
            title: "x".into(),
            kind: "x".into(),
            owner_agency: "nobody".into(),
            created_at: String::new(),
            updated_at: String::new(),
        })
        .await
        .unwrap_err();
    assert!(err.to_string().contains("nobody"), "{err}");
    let err = store
        .put_agency(&Agency { code: "x".into(), name: "x".into(), country: "qq".into(), kind: "x".into() })
        .await
        .unwrap_err();
    assert!(err.to_string().contains("qq"), "{err}");
    assert!(store.countries().await.unwrap().iter().any(|c| c.code == "xk"));
    assert_eq!(store.stats(&system()).await.unwrap().entities, 0, "a failed write leaves nothing");
}
on_every_backend!(references_are_checked, writes_need_known_sources_and_agencies);

async fn fragments_of_one_entity_can_arrive_in_several_writes(store: Arc<dyn Store>) {
    setup(&store).await;
    let part = |values: &[(&str, &str)]| entity("p1", "Person", "cases", values);
    store.write_entities(&system(), &[part(&[("name", "Ana"), ("nationality", "rs")])]).await.unwrap();
    let report = store.merge_entities(&system(), &[part(&[("name", "Ana Kovač")])]).await.unwrap();
    assert_eq!(report.updated, 1);
    let back = found(&store, &system(), "p1").await;
    let mut names = back.values("name").to_vec();
    names.sort();
    assert_eq!(names, ["Ana", "Ana Kovač"]);
    assert_eq!(back.first("nationality"), Some("rs"), "merging keeps what the dataset said");
    store.write_entities(&system(), &[part(&[("name", "Ana K.")])]).await.unwrap();
    let back = found(&store, &system(), "p1").await;
    assert_eq!(back.values("name"), ["Ana K."], "replacing drops what the dataset no longer says");
    assert!(back.values("nationality").is_empty());
}
on_every_backend!(fragments_merge, fragments_of_one_entity_can_arrive_in_several_writes);

async fn retention_is_reviewed_by_the_owner(store: Arc<dyn Store>) {
    setup(&store).await;
    let mut due = entity("p1", "Person", "cases", &[("name", "Due Person")]);
    due.provenance.retention_review = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let later = entity("p2", "Person", "cases", &[("name", "Later Person")]);
    let mut other = entity("p3", "Person", "ba-data", &[("name", "Other Owner")]);
    other.provenance.owner = Owner { agency: "ba-bp".into(), country: "ba".into() };
    other.provenance.retention_review = chrono::NaiveDate::from_ymd_opt(2019, 1, 1).unwrap();
    store.write_entities(&system(), &[due, later, other]).await.unwrap();
    let today = chrono::Utc::now().date_naive();
    let owner = user("rs-bp", "rs");
    let items = store.retention_due(&owner, today, 100).await.unwrap();
    assert_eq!(
        items.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(),
        ["p1"],
        "only what the caller sees, only what is due"
    );
    let next_year = today + chrono::Duration::days(365);
    assert!(store.set_retention_review(&owner, "p1", next_year).await.unwrap());
    assert!(store.retention_due(&owner, today, 100).await.unwrap().is_empty());
    assert!(
        matches!(store.set_retention_review(&user("rs-thb", "rs"), "p1", today).await, Ok(false)),
        "hidden from another agency"
    );
    let mut shared = entity("p4", "Person", "cases", &[("name", "Shared")]);
    shared.handling.visibility = Visibility::All;
    store.write_entities(&system(), &[shared]).await.unwrap();
    assert!(
        matches!(store.delete_entity(&user("ba-bp", "ba"), "p4").await, Err(StoreError::Forbidden(_))),
        "only the owner erases"
    );
    assert!(store.delete_entity(&owner, "p4").await.unwrap());
    assert_eq!(store.entity(&system(), "p4").await.unwrap(), Lookup::NotFound);
    assert_eq!(
        store.search(&system(), &SearchQuery::text("shared")).await.unwrap().total,
        0,
        "gone from the index too"
    );
}
on_every_backend!(retention_review, retention_is_reviewed_by_the_owner);

fn with_roles(agency: &str, country: &str, roles: &[veza_model::Role]) -> Caller {
    Caller::user("u", agency, country, roles)
}

async fn victim_records_open_only_to_their_roles(store: Arc<dyn Store>) {
    use veza_model::Role;
    setup(&store).await;
    store
        .put_agency(&Agency {
            code: "xk-vs".into(),
            name: "x".into(),
            country: "xk".into(),
            kind: "victim_support".into(),
        })
        .await
        .unwrap();
    let mut person = entity("p1", "Person", "cases", &[("name", "Maria Rusu")]);
    person.handling.visibility = Visibility::All;
    let mut victim = entity("v1", "Victim", "cases", &[("person", "p1"), ("victimCode", "RS-V-041"), ("case", "c1")]);
    victim.handling.visibility = Visibility::All;
    store.write_entities(&system(), &[person, victim]).await.unwrap();

    let sees = |c: Caller| {
        let store = store.clone();
        async move {
            let get = matches!(store.entity(&c, "v1").await.unwrap(), Lookup::Found(_));
            let search = store.search(&c, &SearchQuery::text("RS-V-041")).await.unwrap().total == 1;
            let scan = store.scan(&c, 0, 100).await.unwrap().0.iter().any(|e| e.id == "v1");
            let count = store.stats(&c).await.unwrap().by_schema.iter().any(|(s, _)| s == "Victim");
            let linked = store.links(&c, "p1").await.unwrap().iter().any(|l| l.via_id == "v1");
            assert!(get == search && search == scan && scan == count && count == linked, "paths disagree for {c:?}");
            get
        }
    };
    assert!(!sees(with_roles("rs-bp", "rs", &[Role::BorderOfficer])).await, "the owner agency's border officer");
    assert!(!sees(with_roles("ba-bp", "ba", &[Role::Analyst])).await);
    assert!(sees(with_roles("xk-vs", "xk", &[Role::VictimSupport])).await);
    assert!(sees(with_roles("rs-thb", "rs", &[Role::ThbCoordinator])).await);
    assert!(!sees(with_roles("ba-bp", "ba", &[Role::ThbCoordinator])).await, "another country's coordinator");
    let on_case = |agency: &str, country: &str, capacity: Capacity| {
        let scope = Scope { cases: vec![Membership { case_id: "c1".into(), capacity }], ..Scope::default() };
        with_roles(agency, country, &[Role::Investigator]).with_scope(scope)
    };
    assert!(!sees(with_roles("rs-bp", "rs", &[Role::Investigator])).await, "an investigator not on the case");
    assert!(sees(on_case("al-bp", "al", Capacity::Investigator)).await, "an investigator of the case");
    assert!(!sees(on_case("al-bp", "al", Capacity::Prosecutor)).await, "a prosecutor of the case");
    assert!(sees(system()).await);
}
on_every_backend!(victim_compartment, victim_records_open_only_to_their_roles);
