//! The policy as a property: for random owners, handling, compartments and
//! callers, no read path (get, search, scan, counts, links) returns a record
//! `Caller::can_see` forbids, and every path returns each record it allows.
//! Runs on SQLite (the SQL condition is the same text on PostgreSQL, whose
//! rendering the store tests check).

use proptest::prelude::*;
use std::collections::BTreeSet;
use veza_model::{Entity, Handling, Model, Owner, Role, SourceRef, Visibility};
use veza_store::{Agency, Caller, Lookup, SearchQuery, Source, Store};

const AGENCIES: &[(&str, &str)] = &[("rs-bp", "rs"), ("rs-thb", "rs"), ("ba-bp", "ba"), ("al-thb", "al")];
const ROLES: &[Role] =
    &[Role::BorderOfficer, Role::Investigator, Role::ThbCoordinator, Role::VictimSupport, Role::Analyst];

#[derive(Debug, Clone)]
struct Record {
    owner: usize,
    visibility: Visibility,
    countries: Vec<&'static str>,
    victim: bool,
}

fn record() -> impl Strategy<Value = Record> {
    let visibility = prop_oneof![
        Just(Visibility::Agency),
        Just(Visibility::Country),
        Just(Visibility::Countries),
        Just(Visibility::All)
    ];
    (0..AGENCIES.len(), visibility, proptest::sample::subsequence(vec!["rs", "ba", "al", "me"], 1..3), any::<bool>())
        .prop_map(|(owner, visibility, countries, victim)| Record { owner, visibility, countries, victim })
}

fn caller() -> impl Strategy<Value = Caller> {
    (0..AGENCIES.len(), proptest::sample::subsequence(ROLES.to_vec(), 0..3)).prop_map(|(a, roles)| Caller::User {
        username: "u".into(),
        agency: AGENCIES[a].0.into(),
        country: AGENCIES[a].1.into(),
        roles,
    })
}

async fn store_with(records: &[Record]) -> (std::sync::Arc<dyn Store>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = veza_store::open(&format!("sqlite://{}", dir.path().join("p.db").display())).await.unwrap();
    for (code, country) in AGENCIES {
        let agency =
            Agency { code: (*code).into(), name: (*code).into(), country: (*country).into(), kind: "x".into() };
        store.put_agency(&agency).await.unwrap();
        let source = Source {
            dataset: format!("ds-{code}"),
            title: "t".into(),
            kind: "test".into(),
            owner_agency: (*code).into(),
            created_at: String::new(),
            updated_at: String::new(),
        };
        store.put_source(&source).await.unwrap();
    }
    let model = Model::builtin();
    let mut batch = Vec::new();
    for (i, r) in records.iter().enumerate() {
        let (code, country) = AGENCIES[r.owner];
        let mut e = if r.victim {
            let mut v = Entity::new(format!("r{i}"), "Victim");
            v.add_all(model, [("person", "somebody"), ("victimCode", "zebra")]).unwrap();
            v
        } else {
            let mut p = Entity::new(format!("r{i}"), "Person");
            p.add_all(model, [("name", "Zebra Person")]).unwrap();
            p
        };
        e.provenance.owner = Owner { agency: code.into(), country: country.into() };
        e.provenance.source = SourceRef { dataset: format!("ds-{code}"), record: None };
        let countries = if r.visibility == Visibility::Countries {
            r.countries.iter().map(|c| (*c).to_owned()).collect()
        } else {
            Vec::new()
        };
        e.handling = Handling { visibility: r.visibility, countries, existence_visible: false, caveats: vec![] };
        batch.push(e);
    }
    // Every record is linked from one public hub, so links are a read path too.
    let mut hub = Entity::new("hub", "Person");
    hub.add(model, "name", "Hub").unwrap();
    hub.provenance.owner = Owner { agency: "rs-bp".into(), country: "rs".into() };
    hub.provenance.source = SourceRef { dataset: "ds-rs-bp".into(), record: None };
    hub.handling.visibility = Visibility::All;
    batch.push(hub);
    for i in 0..records.len() {
        let mut l = Entity::new(format!("l{i}"), "UnknownLink");
        l.add_all(model, [("subject", "hub"), ("object", &format!("r{i}") as &str)]).unwrap();
        l.provenance.owner = Owner { agency: "rs-bp".into(), country: "rs".into() };
        l.provenance.source = SourceRef { dataset: "ds-rs-bp".into(), record: None };
        l.handling.visibility = Visibility::All;
        batch.push(l);
    }
    store.write_entities(&Caller::system("test"), &batch).await.unwrap();
    (store, dir)
}

fn allowed(caller: &Caller, records: &[Record]) -> BTreeSet<String> {
    records
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            let (code, country) = AGENCIES[r.owner];
            let framed = if r.visibility == Visibility::Countries {
                format!(",{},", r.countries.join(","))
            } else {
                String::new()
            };
            let schema = if r.victim { "Victim" } else { "Person" };
            caller.can_see(schema, code, country, r.visibility.as_str(), &framed)
        })
        .map(|(i, _)| format!("r{i}"))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn no_read_path_returns_a_forbidden_record(records in proptest::collection::vec(record(), 1..14), who in caller()) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let (store, _dir) = store_with(&records).await;
            let expected = allowed(&who, &records);
            let mut got_get = BTreeSet::new();
            for i in 0..records.len() {
                let id = format!("r{i}");
                if let Lookup::Found(_) = store.entity(&who, &id).await.unwrap() {
                    got_get.insert(id);
                }
            }
            assert_eq!(got_get, expected, "get");
            let mut all = SearchQuery::text("zebra");
            all.limit = 500;
            let found: BTreeSet<String> = store.search(&who, &all).await.unwrap().results.into_iter().map(|e| e.id).collect();
            assert_eq!(found, expected, "search");
            let scanned: BTreeSet<String> =
                store.scan(&who, 0, 1000).await.unwrap().0.into_iter().map(|e| e.id).filter(|id| id.starts_with('r')).collect();
            assert_eq!(scanned, expected, "scan");
            let stats = store.stats(&who).await.unwrap();
            let counted: u64 = stats.by_schema.iter().filter(|(s, _)| s == "Person" || s == "Victim").map(|(_, n)| n).sum();
            assert_eq!(counted, expected.len() as u64 + 1, "counts (plus the hub)");
            let linked: BTreeSet<String> =
                store.links(&who, "hub").await.unwrap().into_iter().map(|l| l.other_id).filter(|id| id.starts_with('r')).collect();
            // A link to a record that is not stored or not visible is left out.
            assert_eq!(linked, expected, "links");
        });
    }
}
