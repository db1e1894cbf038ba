//! The link chart and the timeline never show what the policy hides: a
//! Serbian record restricted to its agency is not a node of a North
//! Macedonian analyst's chart, not a step of their paths, not an event of
//! their timelines, and not in a chart they saved with its id in the layout.

use serde_json::json;
use veza_app::{
    Access, AppError, Caller, ChartAnchor, ChartDraft, ChartLayout, NetworkFormat, NewEntity, NodeLayout,
    TimelineFilter, Veza,
};
use veza_store::Agency;

fn officer() -> Access {
    Access::with_purpose(Caller::user("ana", "rs-bp", "rs", &[]), "case RS-2026-14").unwrap()
}

fn analyst() -> Access {
    Access::with_purpose(Caller::user("boris", "mk-thb", "mk", &[]), "case MK-2026-3").unwrap()
}

/// Marko —call— Secret —call— Ana (the calls and Secret restricted to the
/// Serbian border police), a longer public way Marko—Family—Jovan—Family—
/// Lela—Family—Ana, a restricted payment Marko→Ana, a public dated call
/// Marko→Jovan, and a public case with Marko as a public suspect and
/// Secret as a restricted one.
async fn platform() -> Veza {
    let veza = Veza::open("sqlite::memory:").await.unwrap();
    for (code, country) in [("rs-bp", "rs"), ("mk-thb", "mk")] {
        let agency = Agency { code: code.into(), name: code.into(), country: country.into(), kind: "police".into() };
        veza.store().put_agency(&agency).await.unwrap();
    }
    let public = json!({"visibility": "all"});
    let restricted = json!({"visibility": "agency", "existence_visible": true});
    let seeds = [
        json!({"id": "case-1", "schema": "Case", "properties": {"name": ["Operation Lipa"]}, "handling": public}),
        json!({"id": "marko", "schema": "Person", "properties": {"name": ["Marko Petrović"]},
            "handling": public}),
        json!({"id": "ana", "schema": "Person", "properties": {"name": ["Ana Kovač"]}, "handling": public}),
        json!({"id": "jovan", "schema": "Person", "properties": {"name": ["Jovan Ilić"]}, "handling": public}),
        json!({"id": "lela", "schema": "Person", "properties": {"name": ["Lela Gashi"]}, "handling": public}),
        json!({"id": "secret", "schema": "Person", "properties": {"name": ["Goran Secret"]},
            "handling": restricted}),
        json!({"id": "sus-1", "schema": "Suspect", "properties": {"suspect": ["marko"], "case": ["case-1"]},
            "handling": public}),
        json!({"id": "sus-2", "schema": "Suspect", "properties": {"suspect": ["secret"], "case": ["case-1"]},
            "handling": restricted}),
        json!({"id": "call-1", "schema": "Call", "properties": {"caller": ["marko"], "receiver": ["secret"],
            "date": ["2024-03-01"]}, "handling": restricted}),
        json!({"id": "call-2", "schema": "Call", "properties": {"caller": ["secret"], "receiver": ["ana"],
            "date": ["2024-03-02"]}, "handling": restricted}),
        json!({"id": "call-3", "schema": "Call", "properties": {"caller": ["marko"], "receiver": ["jovan"],
            "date": ["2024-04-10"]}, "handling": public}),
        json!({"id": "pay-1", "schema": "Payment", "properties": {"payer": ["marko"], "beneficiary": ["ana"],
            "amount": ["500"], "date": ["2024-05-01"]}, "handling": restricted}),
        json!({"id": "fam-1", "schema": "Family", "properties": {"person": ["marko"], "relative": ["jovan"]},
            "handling": public}),
        json!({"id": "fam-2", "schema": "Family", "properties": {"person": ["jovan"], "relative": ["lela"]},
            "handling": public}),
        json!({"id": "fam-3", "schema": "Family", "properties": {"person": ["lela"], "relative": ["ana"]},
            "handling": public}),
    ];
    for seed in seeds {
        let e: NewEntity = serde_json::from_value(seed).unwrap();
        veza.create_entity(&officer(), e).await.unwrap();
    }
    veza
}

const HIDDEN: [&str; 5] = ["secret", "sus-2", "call-1", "call-2", "pay-1"];

fn assert_hidden_absent(what: &str, ids: impl IntoIterator<Item = String>) {
    for id in ids {
        assert!(!HIDDEN.contains(&id.as_str()), "{what} shows the restricted record {id}");
    }
}

#[tokio::test]
async fn a_chart_shows_the_owner_everything_and_the_outsider_nothing_hidden() {
    let veza = platform().await;
    let own = veza.entity_chart(&officer(), "marko", 2).await.unwrap();
    let ids: Vec<&str> = own.nodes.iter().map(|n| n.id.as_str()).collect();
    assert!(ids.contains(&"secret"), "the owner sees Secret: {ids:?}");
    // A call is a record of its own, linked to the caller and the receiver, with its date.
    assert!(own.edges.iter().any(|e| e.via_id == "call-1" && e.start.as_deref() == Some("2024-03-01")));
    assert!(own.edges.iter().any(|e| e.via_id == "pay-1" && e.kind == "Payment"));

    let theirs = veza.entity_chart(&analyst(), "marko", 2).await.unwrap();
    assert_hidden_absent("the chart's nodes", theirs.nodes.iter().map(|n| n.id.clone()));
    assert_hidden_absent("the chart's links", theirs.edges.iter().map(|e| e.via_id.clone()));
    let call = theirs.edges.iter().find(|e| e.via_id == "call-3" && e.target == "marko").expect("the public call");
    assert_eq!((call.kind.as_str(), call.start.as_deref()), ("caller", Some("2024-04-10")));

    // Expanding by link type: only that type, and still nothing hidden.
    let calls = veza.neighbours(&analyst(), "marko", Some("caller")).await.unwrap();
    let ids: Vec<&str> = calls.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["marko", "call-3"]);
    assert!(calls.edges.iter().all(|e| e.kind == "caller"));
    let family = veza.neighbours(&analyst(), "marko", Some("Family")).await.unwrap();
    let ids: Vec<&str> = family.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["marko", "jovan"]);
    assert!(family.edges.iter().all(|e| e.kind == "Family"));
    let own_calls = veza.neighbours(&officer(), "marko", Some("caller")).await.unwrap();
    assert_eq!(own_calls.nodes.len(), 3, "the owner also sees call-1");
    assert!(matches!(veza.neighbours(&analyst(), "secret", None).await, Err(AppError::NotFound(_))));
}

#[tokio::test]
async fn paths_go_around_what_the_caller_may_not_see() {
    let veza = platform().await;
    let own = veza.network_path(&officer(), "marko", "ana", 4).await.unwrap();
    let steps: Vec<&str> = own.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(steps, ["marko", "ana"], "the owner's shortest way is the restricted payment");
    assert_eq!(own.edges[0].via_id, "pay-1");
    let through = veza.network_path(&officer(), "call-1", "call-2", 2).await.unwrap();
    assert_eq!(through.nodes.len(), 3, "the owner links the two calls through Secret");

    let theirs = veza.network_path(&analyst(), "marko", "ana", 4).await.unwrap();
    let steps: Vec<&str> = theirs.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(steps, ["marko", "jovan", "lela", "ana"]);
    assert_eq!(theirs.edges.len(), 3);
    assert_hidden_absent("the path's links", theirs.edges.iter().map(|e| e.via_id.clone()));
    // Too short a reach, or a hidden end: the same answer, nothing found.
    assert!(!veza.network_path(&analyst(), "marko", "ana", 2).await.unwrap().found);
    let to_secret = veza.network_path(&analyst(), "marko", "secret", 4).await.unwrap();
    assert!(!to_secret.found && to_secret.nodes.is_empty());
    assert!(matches!(veza.network_path(&analyst(), "call-1", "marko", 4).await, Err(AppError::NotFound(_))));
}

#[tokio::test]
async fn timelines_list_only_the_dated_records_the_caller_may_see() {
    let veza = platform().await;
    let all = TimelineFilter::default();
    let own = veza.entity_timeline(&officer(), "marko", 2, &all).await.unwrap();
    let ids: Vec<&str> = own.events.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["call-1", "call-2", "call-3", "pay-1"], "in date order");

    let theirs = veza.entity_timeline(&analyst(), "marko", 2, &all).await.unwrap();
    let ids: Vec<&str> = theirs.events.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["call-3"]);
    assert_eq!(theirs.kinds, [("Call".to_owned(), 1)], "counts say nothing of hidden records");
    let names: Vec<&str> = theirs.events[0].involved.iter().map(|i| i.caption.as_str()).collect();
    assert!(names.contains(&"Marko Petrović") && names.contains(&"Jovan Ilić"), "{names:?}");

    let payments = TimelineFilter { kinds: vec!["Payment".into()], ..TimelineFilter::default() };
    assert_eq!(veza.entity_timeline(&officer(), "marko", 2, &payments).await.unwrap().events.len(), 1);
    let april = TimelineFilter { from: Some("2024-04".into()), to: Some("2024-04-30".into()), ..all.clone() };
    let ids: Vec<String> =
        veza.entity_timeline(&officer(), "marko", 2, &april).await.unwrap().events.into_iter().map(|e| e.id).collect();
    assert_eq!(ids, ["call-3"]);

    let case = veza.case_timeline(&analyst(), "case-1", &all).await.unwrap();
    assert_hidden_absent("the case timeline", case.events.iter().map(|e| e.id.clone()));
}

#[tokio::test]
async fn a_case_chart_holds_the_members_the_caller_may_see() {
    let veza = platform().await;
    let own = veza.case_chart(&officer(), "case-1", 0).await.unwrap();
    let mut ids: Vec<&str> = own.nodes.iter().map(|n| n.id.as_str()).collect();
    ids.sort();
    assert_eq!(ids, ["case-1", "marko", "secret"]);
    assert!(own.edges.iter().any(|e| e.via_id == "sus-2"), "the suspect record is the link to the case");
    let theirs = veza.case_chart(&analyst(), "case-1", 1).await.unwrap();
    assert_hidden_absent("the case chart", theirs.nodes.iter().map(|n| n.id.clone()));
    assert_hidden_absent("the case chart's links", theirs.edges.iter().map(|e| e.via_id.clone()));
    assert!(theirs.nodes.iter().any(|n| n.id == "marko"));
    assert!(matches!(veza.case_chart(&analyst(), "marko", 0).await, Err(AppError::NotFound(_))), "not a case");
}

#[tokio::test]
async fn a_saved_chart_is_read_again_through_the_policy() {
    let veza = platform().await;
    let node = |id: &str, x: f64| NodeLayout { id: id.into(), x, y: 0.0, hidden: false, pinned: true, group: None };
    // The analyst's chart names Secret (an id typed in, or seen under a grant since ended).
    let draft = ChartDraft {
        id: None,
        title: "Marko's calls".into(),
        anchor: ChartAnchor::Entity,
        anchor_id: "marko".into(),
        layout: ChartLayout {
            nodes: vec![node("marko", 0.0), node("jovan", 80.0), node("secret", 160.0)],
            groups: vec![],
        },
    };
    let id = veza.save_chart(&analyst(), draft.clone()).await.unwrap();
    let opened = veza.open_chart(&analyst(), id).await.unwrap();
    let ids: Vec<&str> = opened.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert_hidden_absent("the saved chart", opened.nodes.iter().map(|n| n.id.clone()));
    let layout = opened.layout.expect("the layout comes back");
    assert_hidden_absent("the saved layout", layout.nodes.iter().map(|n| n.id.clone()));
    assert_eq!(layout.nodes[1].x, 80.0);
    assert!(layout.nodes[0].pinned);
    assert_eq!(opened.saved, Some((id, "Marko's calls".into())));
    let file = veza.export_chart(&analyst(), id, NetworkFormat::Graphml).await.unwrap();
    let text = String::from_utf8(file).unwrap();
    assert!(text.contains("jovan") && !text.contains("secret"), "{text}");

    // Only its owner opens, lists or deletes it.
    assert!(matches!(veza.open_chart(&officer(), id).await, Err(AppError::NotFound(_))));
    assert!(veza.saved_charts(&officer()).await.unwrap().is_empty());
    assert_eq!(veza.saved_charts(&analyst()).await.unwrap().len(), 1);
    let again = ChartDraft { id: Some(id), title: "Renamed".into(), ..draft.clone() };
    assert!(veza.save_chart(&officer(), again.clone()).await.is_err(), "another user cannot overwrite it");
    assert_eq!(veza.save_chart(&analyst(), again).await.unwrap(), id);
    let empty = ChartDraft { title: "  ".into(), ..draft };
    assert!(matches!(veza.save_chart(&analyst(), empty).await, Err(AppError::Invalid { .. })));
    veza.delete_chart(&analyst(), id).await.unwrap();
    assert!(matches!(veza.open_chart(&analyst(), id).await, Err(AppError::NotFound(_))));
}
