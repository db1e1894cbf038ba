//! The working file of a case on every back end: who may open its evidence,
//! notes and tasks, who may add to them, and what a share with another
//! agency opens — the shared records, and nothing else.

use std::sync::Arc;
use veza_model::{Entity, Model, Owner, Role, SourceRef};
use veza_store::{
    Agency, Attached, Caller, Capacity, Lookup, NewEvidence, NewShare, NewTask, ShareHandling, Source, Store,
    StoreError, TaskStatus, UserRecord,
};

mod backends;

const AGENCIES: [(&str, &str); 4] = [("rs-thb", "rs"), ("rs-bp", "rs"), ("me-pros", "me"), ("al-thb", "al")];

async fn setup(store: &Arc<dyn Store>) {
    for (code, country) in AGENCIES {
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
    for (name, agency) in [("ivan", "rs-thb"), ("petra", "me-pros"), ("arben", "al-thb"), ("bora", "rs-bp")] {
        store
            .put_user(&UserRecord {
                username: name.into(),
                display_name: name.into(),
                agency: agency.into(),
                password_hash: "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA".into(),
                totp_secret: None,
                totp_last_step: None,
                disabled: false,
                failed_logins: 0,
                locked_until: None,
                created_at: 1,
                rights_version: 1,
                roles: vec![],
            })
            .await
            .unwrap();
    }
    let model = Model::builtin();
    let owned = |id: &str, schema: &str, values: &[(&str, &str)]| {
        let mut e = Entity::new(id, schema);
        e.add_all(model, values.iter().copied()).unwrap();
        e.provenance.owner = Owner { agency: "rs-thb".into(), country: "rs".into() };
        e.provenance.source = SourceRef { dataset: "ds-rs-thb".into(), record: None };
        e
    };
    let batch = [
        owned("case-1", "Case", &[("name", "Operation Lastavica")]),
        owned("p-1", "Person", &[("name", "Dragan Ilić")]),
        owned("s-1", "Suspect", &[("suspect", "p-1"), ("case", "case-1")]),
        owned("v-1", "Victim", &[("victimCode", "RS-V-7"), ("case", "case-1")]),
        owned("p-3", "Person", &[("name", "Zoran Elsewhere")]),
    ];
    store.write_entities(&Caller::system("test"), &batch).await.unwrap();
}

async fn user(store: &Arc<dyn Store>, name: &str, roles: &[Role]) -> Caller {
    let u = store.user(name).await.unwrap().unwrap();
    let country = AGENCIES.iter().find(|(a, _)| *a == u.agency).unwrap().1;
    Caller::user(name, &u.agency, country, roles).with_scope(store.scope_of(name, 10).await.unwrap())
}

async fn sees(store: &Arc<dyn Store>, caller: &Caller, id: &str) -> bool {
    matches!(store.entity(caller, id).await.unwrap(), Lookup::Found(_))
}

fn missing<T: std::fmt::Debug>(r: Result<T, StoreError>) -> bool {
    matches!(r, Err(StoreError::Missing(_)))
}

fn file(bytes: &[u8]) -> NewEvidence<'_> {
    NewEvidence { sha256: "ab12", file_name: "statement.pdf", media_type: "application/pdf", content: bytes }
}

async fn the_working_file_is_open_to_the_case_only(store: Arc<dyn Store>) {
    setup(&store).await;
    let ivan = user(&store, "ivan", &[Role::Investigator]).await;
    let bora = user(&store, "bora", &[Role::Investigator]).await;

    let first = store.attach_evidence(&ivan, "case-1", file(b"%PDF-1.7"), 5).await.unwrap();
    let Attached::New(first) = first else { panic!("a new file: {first:?}") };
    assert_eq!((first.size, first.uploaded_by.as_str()), (8, "ivan"));
    let again = store.attach_evidence(&ivan, "case-1", file(b"%PDF-1.7"), 6).await.unwrap();
    assert_eq!(again, Attached::AlreadyThere(first.clone()), "one SHA-256 is kept once per case");
    let (_, bytes) = store.evidence_file(&ivan, "case-1", first.id).await.unwrap();
    assert_eq!(bytes, b"%PDF-1.7");
    store.add_note(&ivan, "case-1", "Met the labour inspector <b>today</b>", 7).await.unwrap();

    // Another agency of the same country is outside the case: it exists not.
    assert!(missing(store.standing(&bora, "case-1").await));
    assert!(missing(store.evidence(&bora, "case-1").await));
    assert!(missing(store.evidence_file(&bora, "case-1", first.id).await));
    assert!(missing(store.notes(&bora, "case-1").await));
    assert!(missing(store.tasks(&bora, "case-1").await));
    assert!(missing(store.add_note(&bora, "case-1", "x", 8).await));
    assert!(missing(store.standing(&ivan, "p-1").await), "a person is not a case");

    // A task goes to a member; a prosecutor member reads but does not add.
    let task = NewTask { title: "Ask for bank records", assignee: "petra", due_date: Some("2026-12-01") };
    let err = store.add_task(&ivan, "case-1", task, 9).await.unwrap_err();
    assert!(matches!(err, StoreError::Forbidden(_)), "{err}");
    store.put_member(&ivan, "case-1", "petra", Capacity::Prosecutor, 9).await.unwrap();
    let t = store.add_task(&ivan, "case-1", task, 10).await.unwrap();
    assert_eq!((t.status, t.due_date.as_deref()), (TaskStatus::Open, Some("2026-12-01")));
    let petra = user(&store, "petra", &[Role::Prosecutor]).await;
    assert_eq!(store.notes(&petra, "case-1").await.unwrap().len(), 1);
    assert_eq!(store.tasks(&petra, "case-1").await.unwrap().len(), 1);
    let err = store.add_note(&petra, "case-1", "mine", 11).await.unwrap_err();
    assert!(matches!(err, StoreError::Forbidden(_)), "{err}");
    let done = store.set_task_status(&ivan, "case-1", t.id, TaskStatus::Done, 12).await.unwrap();
    assert_eq!((done.status, done.closed_by.as_deref()), (TaskStatus::Done, Some("ivan")));
    assert!(missing(store.set_task_status(&ivan, "case-1", t.id + 100, TaskStatus::Done, 13).await));

    // Erasing the case takes its working file with it.
    assert!(store.delete_entity(&ivan, "case-1").await.unwrap());
    assert!(missing(store.notes(&Caller::system("t"), "case-1").await));
}
on_every_backend!(working_file, the_working_file_is_open_to_the_case_only);

async fn a_whole_case_share_lets_the_agency_read_the_case_and_nothing_else(store: Arc<dyn Store>) {
    setup(&store).await;
    let ivan = user(&store, "ivan", &[Role::Investigator]).await;
    let arben = user(&store, "arben", &[Role::Investigator]).await;
    for id in ["case-1", "s-1", "p-1"] {
        assert!(!sees(&store, &arben, id).await, "{id} before the share");
    }
    // Only the owner shares, with another agency.
    let whole = NewShare { agency: "al-thb", entity_ids: None, handling: ShareHandling::NoOnwardSharing };
    assert!(missing(store.share_case(&arben, "case-1", whole, 1).await));
    let own = NewShare { agency: "rs-thb", ..whole };
    assert!(matches!(store.share_case(&ivan, "case-1", own, 1).await, Err(StoreError::Forbidden(_))));
    let share = store.share_case(&ivan, "case-1", whole, 2).await.unwrap();
    assert!(share.whole_case && share.handling == ShareHandling::NoOnwardSharing);

    let arben = user(&store, "arben", &[Role::Investigator]).await;
    for id in ["case-1", "s-1", "p-1"] {
        assert!(sees(&store, &arben, id).await, "{id} after the share");
    }
    assert!(!sees(&store, &arben, "v-1").await, "victim records stay with the case's investigators");
    assert!(!sees(&store, &arben, "p-3").await, "a record outside the case is not shared");
    assert!(missing(store.notes(&arben, "case-1").await), "the working file is not shared");
    assert!(missing(store.shares(&arben, "case-1").await));
    let model = Model::builtin();
    let mut added = Entity::new("s-9", "Suspect");
    added.add_all(model, [("suspect", "p-1"), ("case", "case-1")]).unwrap();
    added.provenance.owner = Owner { agency: "al-thb".into(), country: "al".into() };
    added.provenance.source = SourceRef { dataset: "ds-al-thb".into(), record: None };
    let err = store.write_entities(&arben, &[added]).await.unwrap_err();
    assert!(err.to_string().contains("read-only"), "a share reads, it does not add: {err}");
    let petra = user(&store, "petra", &[]).await;
    assert!(!sees(&store, &petra, "case-1").await, "another agency gets nothing");

    assert!(store.revoke_share(&ivan, "case-1", share.id, 3).await.unwrap());
    assert!(!store.revoke_share(&ivan, "case-1", share.id, 4).await.unwrap(), "revoked once");
    let arben = user(&store, "arben", &[Role::Investigator]).await;
    assert!(!sees(&store, &arben, "case-1").await && !sees(&store, &arben, "s-1").await, "revoked");
    let listed = store.shares(&ivan, "case-1").await.unwrap();
    assert_eq!(listed[0].revoked_by.as_deref(), Some("ivan"), "the share is kept, revoked");
}
on_every_backend!(whole_case_share, a_whole_case_share_lets_the_agency_read_the_case_and_nothing_else);

async fn a_partial_share_opens_the_chosen_records_only(store: Arc<dyn Store>) {
    setup(&store).await;
    let ivan = user(&store, "ivan", &[Role::Investigator]).await;
    let chosen = vec!["s-1".to_owned()];
    let part = NewShare { agency: "me-pros", entity_ids: Some(&chosen), handling: ShareHandling::IntelligenceOnly };
    let share = store.share_case(&ivan, "case-1", part, 1).await.unwrap();
    assert_eq!((share.whole_case, share.entity_ids.clone()), (false, chosen.clone()));
    let stray = vec!["p-3".to_owned()];
    let outside = NewShare { entity_ids: Some(&stray), ..part };
    assert!(missing(store.share_case(&ivan, "case-1", outside, 2).await), "p-3 is not in the case");

    let petra = user(&store, "petra", &[]).await;
    assert!(sees(&store, &petra, "s-1").await, "the shared record");
    for id in ["case-1", "p-1", "v-1", "p-3"] {
        assert!(!sees(&store, &petra, id).await, "{id} was not shared");
    }
    assert!(store.revoke_share(&ivan, "case-1", share.id, 3).await.unwrap());
    let petra = user(&store, "petra", &[]).await;
    assert!(!sees(&store, &petra, "s-1").await, "revoked");
}
on_every_backend!(partial_share, a_partial_share_opens_the_chosen_records_only);
