//! Case membership, access requests and grants, and the exercise realm, on
//! every back end: what each adds to the policy, and who may change it.

use std::sync::Arc;
use veza_model::{Entity, Model, Owner, Role, SourceRef, Visibility};
use veza_store::{
    Agency, Caller, Capacity, Decision, Lookup, RequestStatus, SearchQuery, Source, Store, StoreError, UserRecord,
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
    let owned = |id: &str, schema: &str, agency: &str, values: &[(&str, &str)]| {
        let mut e = Entity::new(id, schema);
        e.add_all(model, values.iter().copied()).unwrap();
        let country = AGENCIES.iter().find(|(a, _)| *a == agency).unwrap().1;
        e.provenance.owner = Owner { agency: agency.into(), country: country.into() };
        e.provenance.source = SourceRef { dataset: format!("ds-{agency}"), record: None };
        e
    };
    let case = owned("case-1", "Case", "rs-thb", &[("name", "Operation Lastavica")]);
    let suspect_person = owned("p-1", "Person", "rs-thb", &[("name", "Dragan Ilić")]);
    let suspect = owned("s-1", "Suspect", "rs-thb", &[("suspect", "p-1"), ("case", "case-1"), ("role", "organiser")]);
    let victim = owned("v-1", "Victim", "rs-thb", &[("victimCode", "RS-V-7"), ("case", "case-1")]);
    let mut asked = owned("p-2", "Person", "rs-bp", &[("name", "Goran Marković")]);
    asked.handling.existence_visible = true;
    let hidden = owned("p-3", "Person", "rs-bp", &[("name", "Zoran Hidden")]);
    let mut drill = owned("p-9", "Person", "rs-bp", &[("name", "Drill Person")]);
    drill.provenance.exercise = Some("ttx-1".into());
    drill.handling.visibility = Visibility::All;
    store
        .write_entities(&Caller::system("test"), &[case, suspect_person, suspect, victim, asked, hidden, drill])
        .await
        .unwrap();
}

async fn user(store: &Arc<dyn Store>, name: &str, roles: &[Role]) -> Caller {
    let u = store.user(name).await.unwrap().unwrap();
    let country = AGENCIES.iter().find(|(a, _)| *a == u.agency).unwrap().1;
    Caller::user(name, &u.agency, country, roles).with_scope(store.scope_of(name, 10).await.unwrap())
}

async fn sees(store: &Arc<dyn Store>, caller: &Caller, id: &str) -> bool {
    matches!(store.entity(caller, id).await.unwrap(), Lookup::Found(_))
}

async fn members_see_their_case_and_prosecutors_only_read(store: Arc<dyn Store>) {
    setup(&store).await;
    let owner = user(&store, "ivan", &[Role::Investigator]).await;
    let petra = user(&store, "petra", &[Role::Prosecutor]).await;
    assert!(!sees(&store, &petra, "case-1").await, "not assigned yet");
    // Only the owner decides who works on a case.
    let err = store.put_member(&petra, "case-1", "petra", Capacity::Prosecutor, 1).await.unwrap_err();
    assert!(matches!(err, StoreError::Missing(_)), "a case she cannot see does not exist for her: {err}");
    store.put_member(&owner, "case-1", "petra", Capacity::Prosecutor, 1).await.unwrap();
    store.put_member(&owner, "case-1", "arben", Capacity::Investigator, 1).await.unwrap();
    let petra = user(&store, "petra", &[Role::Prosecutor]).await;
    assert!(sees(&store, &petra, "case-1").await && sees(&store, &petra, "s-1").await);
    assert!(!sees(&store, &petra, "v-1").await, "victim records are for the case's investigators");
    assert!(sees(&store, &petra, "p-1").await, "the person a suspect record names is in the case file");
    assert!(!sees(&store, &petra, "p-3").await, "a record the case does not name is not");
    let members = store.members(&petra, "case-1").await.unwrap();
    assert_eq!(members.iter().map(|m| m.username.as_str()).collect::<Vec<_>>(), ["arben", "petra"]);
    let err = store.put_member(&petra, "case-1", "bora", Capacity::Observer, 1).await.unwrap_err();
    assert!(matches!(err, StoreError::Forbidden(_)), "{err}");

    // Read-only: she cannot add to the case; an investigator member can.
    let model = Model::builtin();
    let mut note = Entity::new("s-2", "Suspect");
    note.add_all(model, [("suspect", "p-1"), ("case", "case-1")]).unwrap();
    note.provenance.owner = Owner { agency: "me-pros".into(), country: "me".into() };
    note.provenance.source = SourceRef { dataset: "ds-me-pros".into(), record: None };
    let err = store.write_entities(&petra, std::slice::from_ref(&note)).await.unwrap_err();
    assert!(err.to_string().contains("read-only"), "{err}");
    let arben = user(&store, "arben", &[Role::Investigator]).await;
    assert!(sees(&store, &arben, "v-1").await, "an investigator of the case sees its victims");
    note.id = "s-3".into();
    note.provenance.owner = Owner { agency: "al-thb".into(), country: "al".into() };
    note.provenance.source = SourceRef { dataset: "ds-al-thb".into(), record: None };
    store.write_entities(&arben, &[note]).await.unwrap();
    let bora = user(&store, "bora", &[Role::Investigator]).await;
    let mut stray = Entity::new("s-4", "Suspect");
    stray.add_all(model, [("suspect", "p-1"), ("case", "case-1")]).unwrap();
    stray.provenance.owner = Owner { agency: "rs-bp".into(), country: "rs".into() };
    stray.provenance.source = SourceRef { dataset: "ds-rs-bp".into(), record: None };
    let err = store.write_entities(&bora, &[stray]).await.unwrap_err();
    assert!(err.to_string().contains("not a member"), "{err}");

    // The suspect record goes: its person leaves the case file with it.
    let bora_owner = Caller::system("test");
    let mut unlinked = Entity::new("s-1", "Suspect");
    unlinked.add_all(model, [("suspect", "p-1"), ("role", "organiser")]).unwrap();
    unlinked.provenance.owner = Owner { agency: "rs-thb".into(), country: "rs".into() };
    unlinked.provenance.source = SourceRef { dataset: "ds-rs-thb".into(), record: None };
    store.write_entities(&bora_owner, &[unlinked]).await.unwrap();
    // s-3 (arben's) still names p-1 in case-1.
    assert!(sees(&store, &petra, "p-1").await);
    assert!(store.delete_entity(&bora_owner, "s-3").await.unwrap());
    assert!(!sees(&store, &petra, "p-1").await, "no record of the case names p-1 any more");
    assert!(store.remove_member(&owner, "case-1", "petra").await.unwrap());
    let petra = user(&store, "petra", &[Role::Prosecutor]).await;
    assert!(!sees(&store, &petra, "case-1").await, "removed: the case is gone for her");
}
on_every_backend!(case_membership, members_see_their_case_and_prosecutors_only_read);

async fn the_owner_answers_access_requests(store: Arc<dyn Store>) {
    setup(&store).await;
    let ivan = user(&store, "ivan", &[Role::Investigator]).await;
    assert_eq!(
        store.entity(&ivan, "p-2").await.unwrap(),
        Lookup::Restricted { id: "p-2".into(), schema: "Person".into(), owner_agency: "rs-bp".into() }
    );
    // A hidden record without existence visible cannot be asked for: it does not exist.
    let err = store.request_access(&ivan, "p-3", "case RS-2026-17", 5).await.unwrap_err();
    assert!(matches!(err, StoreError::Missing(_)), "{err}");
    let request = store.request_access(&ivan, "p-2", "case RS-2026-17", 5).await.unwrap();
    assert_eq!(request.status, RequestStatus::Pending);
    assert_eq!(request.owner_agency, "rs-bp");
    let again = store.request_access(&ivan, "p-2", "again", 6).await.unwrap_err();
    assert!(again.to_string().contains("already asked"), "{again}");
    // The requester cannot answer; another agency does not even see it.
    let grant = Decision { grant: true, reason: "joint investigation".into(), expires_at: Some(1_000) };
    assert!(matches!(store.decide_access(&ivan, request.id, &grant, 7).await, Err(StoreError::Forbidden(_))));
    let arben = user(&store, "arben", &[]).await;
    assert!(matches!(store.decide_access(&arben, request.id, &grant, 7).await, Err(StoreError::Missing(_))));
    assert!(store.access_requests(&arben, false).await.unwrap().is_empty());
    let bora = user(&store, "bora", &[]).await;
    let inbox = store.access_requests(&bora, true).await.unwrap();
    assert_eq!(inbox.len(), 1);
    let decided = store.decide_access(&bora, request.id, &grant, 7).await.unwrap();
    assert_eq!(decided.status, RequestStatus::Granted);
    assert_eq!(decided.decided_by.as_deref(), Some("bora"));
    assert!(store.decide_access(&bora, request.id, &grant, 8).await.is_err(), "answered once");
    let ivan = user(&store, "ivan", &[Role::Investigator]).await;
    assert!(sees(&store, &ivan, "p-2").await, "granted");
    assert!(!sees(&store, &ivan, "p-3").await, "only that record");
    let mut query = SearchQuery::text("Marković");
    query.limit = 10;
    assert_eq!(store.search(&ivan, &query).await.unwrap().total, 1);
    // The grant lapses.
    let later = Caller::user("ivan", "rs-thb", "rs", &[]).with_scope(store.scope_of("ivan", 2_000).await.unwrap());
    assert!(!sees(&store, &later, "p-2").await, "expired");

    // A refusal opens nothing.
    let petra = user(&store, "petra", &[]).await;
    let r = store.request_access(&petra, "p-2", "court file 44", 9).await.unwrap();
    let refuse = Decision { grant: false, reason: "not needed for the court file".into(), expires_at: None };
    assert_eq!(store.decide_access(&bora, r.id, &refuse, 10).await.unwrap().status, RequestStatus::Refused);
    let petra = user(&store, "petra", &[]).await;
    assert!(!sees(&store, &petra, "p-2").await);
    // Erasure takes the grants with it.
    assert!(store.delete_entity(&Caller::system("test"), "p-2").await.unwrap());
    assert!(store.scope_of("ivan", 10).await.unwrap().grants.is_empty());
}
on_every_backend!(access_requests, the_owner_answers_access_requests);

async fn exercise_data_stays_in_its_exercise(store: Arc<dyn Store>) {
    setup(&store).await;
    let bora = user(&store, "bora", &[]).await;
    let mut drill = bora.clone().with_scope(veza_store::Scope { exercise: Some("ttx-1".into()), ..Default::default() });
    assert!(!sees(&store, &bora, "p-9").await, "real work never sees exercise data");
    assert!(sees(&store, &drill, "p-9").await);
    assert!(!sees(&store, &drill, "p-3").await, "an exercise never sees real data, even its own agency's");
    assert_eq!(store.search(&bora, &SearchQuery::text("drill")).await.unwrap().total, 0);
    assert_eq!(store.search(&drill, &SearchQuery::text("person")).await.unwrap().total, 1);
    // Writing across realms is refused, both ways.
    let model = Model::builtin();
    let mut e = Entity::new("p-3", "Person");
    e.add(model, "name", "Zoran Overwritten").unwrap();
    e.provenance.owner = Owner { agency: "rs-bp".into(), country: "rs".into() };
    e.provenance.source = SourceRef { dataset: "ds-rs-bp".into(), record: None };
    let err = store.write_entities(&drill, std::slice::from_ref(&e)).await.unwrap_err();
    assert!(err.to_string().contains("never mix"), "{err}");
    e.provenance.exercise = Some("ttx-1".into());
    let err = store.write_entities(&drill, std::slice::from_ref(&e)).await.unwrap_err();
    assert!(err.to_string().contains("real data"), "an exercise cannot take over a real id: {err}");
    let err = store.write_entities(&Caller::system("import"), &[e]).await.unwrap_err();
    assert!(err.to_string().contains("never mix"), "not even the platform: {err}");
    if let Caller::User { scope, .. } = &mut drill {
        scope.exercise = Some("ttx-2".into());
    }
    assert!(!sees(&store, &drill, "p-9").await, "another exercise");
}
on_every_backend!(exercise_realm, exercise_data_stays_in_its_exercise);

async fn single_values_keep_their_own_handling(store: Arc<dyn Store>) {
    setup(&store).await;
    let model = Model::builtin();
    let mut p = Entity::new("p-5", "Person");
    p.add_all(model, [("name", "Milan Jovanović"), ("alias", "Mića Kum"), ("phone", "+381641112233")]).unwrap();
    p.add(model, "associates", "p-1").ok();
    p.provenance.owner = Owner { agency: "rs-bp".into(), country: "rs".into() };
    p.provenance.source = SourceRef { dataset: "ds-rs-bp".into(), record: None };
    p.handling.visibility = Visibility::All;
    let informant = veza_model::Handling { caveats: vec!["informant; do not disclose".into()], ..Default::default() };
    p.restrict(model, "phone", "+381641112233", informant.clone()).unwrap();
    p.restrict(model, "alias", "Mića Kum", informant).unwrap();
    store.write_entities(&Caller::system("test"), &[p]).await.unwrap();

    let owner = user(&store, "bora", &[]).await;
    let other = user(&store, "petra", &[]).await;
    let got = |c: Caller| {
        let store = store.clone();
        async move {
            match store.entity(&c, "p-5").await.unwrap() {
                Lookup::Found(e) => e,
                other => panic!("{other:?}"),
            }
        }
    };
    let mine = got(owner.clone()).await;
    assert_eq!(mine.values("phone"), ["+381641112233"], "the owner sees the value");
    assert_eq!(mine.restricted_values().count(), 2, "and knows it is restricted");
    let theirs = got(other.clone()).await;
    assert!(theirs.values("phone").is_empty() && theirs.values("alias").is_empty(), "{theirs:?}");
    assert!(theirs.value_handling.is_empty(), "not even that something was removed");
    assert_eq!(theirs.values("name"), ["Milan Jovanović"]);
    // Search does not find the entity by a restricted value, for anyone.
    for c in [&owner, &other] {
        assert_eq!(store.search(c, &SearchQuery::text("381641112233")).await.unwrap().total, 0);
        assert_eq!(store.search(c, &SearchQuery::text("Mića Kum")).await.unwrap().total, 0);
        assert_eq!(store.search(c, &SearchQuery::text("Jovanović")).await.unwrap().total, 1);
    }
    let statements = store.statements(&other, "p-5").await.unwrap();
    assert!(statements.iter().all(|s| s.prop != "phone" && s.prop != "alias"), "{statements:?}");
    assert!(store.statements(&owner, "p-5").await.unwrap().iter().any(|s| s.prop == "phone"));
    // A later fragment without handling keeps the restriction.
    let mut more = Entity::new("p-5", "Person");
    more.add(model, "nationality", "rs").unwrap();
    more.provenance.owner = Owner { agency: "rs-bp".into(), country: "rs".into() };
    more.provenance.source = SourceRef { dataset: "ds-rs-bp".into(), record: None };
    more.handling.visibility = Visibility::All;
    store.merge_entities(&Caller::system("test"), &[more]).await.unwrap();
    let theirs = got(other).await;
    assert!(theirs.values("phone").is_empty() && theirs.values("nationality") == ["rs"], "{theirs:?}");
    assert_eq!(store.search(&owner, &SearchQuery::text("381641112233")).await.unwrap().total, 0);
}
on_every_backend!(value_handling, single_values_keep_their_own_handling);
