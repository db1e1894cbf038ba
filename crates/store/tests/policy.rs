//! The policy as a property: for random owners, handling, compartments,
//! cases, grants, exercises and callers, no read path (get, search, scan,
//! counts, links, graph neighbours) returns a record
//! `Caller::can_see` forbids, and every path returns each record it allows.
//! Runs on SQLite, and on PostgreSQL when the test server is there.

mod backends;

use proptest::prelude::*;
use std::collections::BTreeSet;
use veza_model::{Entity, Handling, Model, Owner, Role, SourceRef, Visibility};
use veza_store::policy::RecordFacts;
use veza_store::{Agency, Caller, Capacity, Lookup, Membership, Scope, SearchQuery, Source, Store};

const AGENCIES: &[(&str, &str)] = &[("rs-bp", "rs"), ("rs-thb", "rs"), ("ba-bp", "ba"), ("al-thb", "al")];
const ROLES: &[Role] =
    &[Role::BorderOfficer, Role::Investigator, Role::ThbCoordinator, Role::VictimSupport, Role::Analyst];

/// What a generated record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Person,
    /// A victim record, in the case of record `n` if any.
    Victim(Option<usize>, Option<usize>),
    Case,
}

#[derive(Debug, Clone)]
struct Record {
    owner: usize,
    visibility: Visibility,
    countries: Vec<&'static str>,
    kind: Kind,
    exercise: bool,
}

impl Record {
    fn schema(&self) -> &'static str {
        match self.kind {
            Kind::Person => "Person",
            Kind::Victim(..) => "Victim",
            Kind::Case => "Case",
        }
    }

    /// The cases this record (number `i`) belongs to, framed as the store keeps them.
    fn cases(&self, i: usize) -> String {
        match self.kind {
            Kind::Person | Kind::Victim(None, _) => String::new(),
            Kind::Victim(Some(c), _) => format!(",r{c},"),
            Kind::Case => format!(",r{i},"),
        }
    }
}

const EXERCISE: &str = "ttx-1";

fn record() -> impl Strategy<Value = Record> {
    let visibility = prop_oneof![
        Just(Visibility::Agency),
        Just(Visibility::Country),
        Just(Visibility::Countries),
        Just(Visibility::All)
    ];
    let kind = prop_oneof![
        3 => Just(Kind::Person),
        3 => (proptest::option::of(0..14usize), proptest::option::of(0..14usize))
            .prop_map(|(case, person)| Kind::Victim(case, person)),
        2 => Just(Kind::Case),
    ];
    (
        0..AGENCIES.len(),
        visibility,
        proptest::sample::subsequence(vec!["rs", "ba", "al", "me"], 1..3),
        kind,
        proptest::bool::weighted(0.2),
    )
        .prop_map(|(owner, visibility, countries, kind, exercise)| Record {
            owner,
            visibility,
            countries,
            kind,
            exercise,
        })
}

fn caller() -> impl Strategy<Value = Caller> {
    let capacity = proptest::sample::select(Capacity::ALL.to_vec());
    (
        0..AGENCIES.len(),
        proptest::sample::subsequence(ROLES.to_vec(), 0..3),
        proptest::collection::vec((0..14usize, capacity), 0..3),
        proptest::collection::vec(0..14usize, 0..3),
        proptest::bool::weighted(0.2),
    )
        .prop_map(|(a, roles, cases, grants, exercise)| {
            let mut cases: Vec<Membership> =
                cases.into_iter().map(|(c, capacity)| Membership { case_id: format!("r{c}"), capacity }).collect();
            cases.sort();
            cases.dedup_by(|a, b| a.case_id == b.case_id);
            let scope = Scope {
                cases,
                grants: grants.into_iter().map(|g| format!("r{g}")).collect(),
                exercise: exercise.then(|| EXERCISE.to_owned()),
            };
            Caller::user("u", AGENCIES[a].0, AGENCIES[a].1, &roles).with_scope(scope)
        })
}

async fn fill(store: &dyn Store, records: &[Record]) {
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
        let mut e = Entity::new(format!("r{i}"), r.schema());
        match r.kind {
            Kind::Person => e.add_all(model, [("name", "Zebra Person")]).unwrap(),
            Kind::Victim(case, person) => {
                let person = person.map_or("somebody".to_owned(), |p| format!("r{p}"));
                e.add_all(model, [("person", person.as_str()), ("victimCode", "zebra")]).unwrap();
                if let Some(c) = case {
                    e.add(model, "case", &format!("r{c}")).unwrap();
                }
            }
            Kind::Case => e.add_all(model, [("name", "Zebra case")]).unwrap(),
        }
        e.provenance.exercise = r.exercise.then(|| EXERCISE.to_owned());
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
}

/// The cases record `i` is named in by another record of a case: a victim
/// in case `c` puts both ends of its links (its person and `c`) in `c`.
fn case_refs(records: &[Record], i: usize) -> String {
    let mut refs = BTreeSet::new();
    for (j, r) in records.iter().enumerate() {
        if let Kind::Victim(Some(c), person) = r.kind
            && j != i
            && (person == Some(i) || c == i)
        {
            refs.insert(format!("r{c}"));
        }
    }
    if refs.is_empty() { String::new() } else { format!(",{},", refs.into_iter().collect::<Vec<_>>().join(",")) }
}

fn allowed(caller: &Caller, records: &[Record]) -> BTreeSet<String> {
    records
        .iter()
        .enumerate()
        .filter(|(i, r)| {
            let (code, country) = AGENCIES[r.owner];
            let framed = if r.visibility == Visibility::Countries {
                format!(",{},", r.countries.join(","))
            } else {
                String::new()
            };
            let id = format!("r{i}");
            let cases = r.cases(*i) + &case_refs(records, *i);
            caller.can_see(&RecordFacts {
                id: &id,
                schema: r.schema(),
                owner_agency: code,
                owner_country: country,
                visibility: r.visibility.as_str(),
                countries: &framed,
                cases: &cases,
                exercise: r.exercise.then_some(EXERCISE),
            })
        })
        .map(|(i, _)| format!("r{i}"))
        .collect()
}

/// Fills `store` with `records` and checks every read path for `who`.
async fn check(store: &dyn Store, records: &[Record], who: &Caller) {
    fill(store, records).await;
    let who = who.clone();
    let expected = allowed(&who, records);
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
    let counted: u64 = stats
        .by_schema
        .iter()
        .filter(|(s, _)| ["Person", "Victim", "Case"].contains(&s.as_str()))
        .map(|(_, n)| n)
        .sum();
    // The hub is real data: a caller in an exercise sees neither it nor its links.
    let hub_visible = who.exercise().is_none();
    assert_eq!(counted, expected.len() as u64 + hub_visible as u64, "counts (plus the hub)");
    let linked: BTreeSet<String> = store
        .links(&who, "hub")
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.other_id)
        .filter(|id| id.starts_with('r'))
        .collect();
    // A link to a record that is not stored or not visible is left out.
    let expected_links = if hub_visible { expected.clone() } else { BTreeSet::new() };
    assert_eq!(linked, expected_links, "links");
    // Graph neighbours: the network around the hub.
    let network = store.network(&who, &["hub".to_owned()], 1, 1000).await.unwrap();
    let nodes: BTreeSet<String> = network.nodes.iter().map(|n| n.id.clone()).filter(|id| id.starts_with('r')).collect();
    assert_eq!(nodes, expected_links, "network nodes");
    assert!(network.edges.iter().all(|e| e.target == "hub" || nodes.contains(&e.target)), "network edges");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn no_read_path_returns_a_forbidden_record(records in proptest::collection::vec(record(), 1..14), who in caller()) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let sqlite = backends::sqlite().await;
            check(sqlite.store.as_ref(), &records, &who).await;
            if let Some(pg) = backends::postgres().await {
                check(pg.store.as_ref(), &records, &who).await;
            }
        });
    }
}
