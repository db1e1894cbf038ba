//! Users, roles, sessions, API tokens and settings, run against every back
//! end: SQLite always, and PostgreSQL when `VEZA_TEST_POSTGRES_URL` names a
//! server.

use std::sync::Arc;
use veza_store::{Agency, ApiTokenRecord, SessionRecord, Store, UserRecord};

mod backends;

async fn setup(store: &Arc<dyn Store>) {
    store
        .put_agency(&Agency {
            code: "rs-bp".into(),
            name: "RS BP".into(),
            country: "rs".into(),
            kind: "border_police".into(),
        })
        .await
        .unwrap();
}

fn user(name: &str, roles: &[&str]) -> UserRecord {
    UserRecord {
        username: name.into(),
        display_name: format!("User {name}"),
        agency: "rs-bp".into(),
        password_hash: "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA".into(),
        totp_secret: None,
        totp_last_step: None,
        disabled: false,
        failed_logins: 0,
        locked_until: None,
        created_at: 1_000,
        rights_version: 1,
        roles: roles.iter().map(|r| r.to_string()).collect(),
    }
}

async fn users_are_stored_with_roles(store: Arc<dyn Store>) {
    setup(&store).await;
    store.put_user(&user("b", &["investigator", "analyst"])).await.unwrap();
    store.put_user(&user("a", &["border_officer"])).await.unwrap();
    let b = store.user("b").await.unwrap().unwrap();
    assert_eq!(b.roles, vec!["analyst", "investigator"]);
    assert_eq!(b.agency, "rs-bp");
    assert!(!format!("{b:?}").contains("argon2"), "Debug shows the hash");
    assert!(store.user("nobody").await.unwrap().is_none());
    let all = store.users().await.unwrap();
    assert_eq!(all.iter().map(|u| u.username.as_str()).collect::<Vec<_>>(), vec!["a", "b"]);
    assert_eq!(all[0].roles, vec!["border_officer"]);
    // put_user replaces fields and roles
    let mut b2 = user("b", &["judge"]);
    b2.display_name = "Judge B".into();
    store.put_user(&b2).await.unwrap();
    let b = store.user("b").await.unwrap().unwrap();
    assert_eq!((b.display_name.as_str(), b.roles.clone()), ("Judge B", vec!["judge".to_string()]));
    // unknown agency is refused
    let mut bad = user("c", &[]);
    bad.agency = "nowhere".into();
    assert!(store.put_user(&bad).await.is_err());
}
on_every_backend!(users_are_stored_with_roles_on_every_backend, users_are_stored_with_roles);

async fn roles_and_disabling_raise_the_rights_version(store: Arc<dyn Store>) {
    setup(&store).await;
    store.put_user(&user("u", &["analyst"])).await.unwrap();
    assert!(store.set_user_roles("u", &["analyst".into(), "trainer".into()]).await.unwrap());
    assert!(!store.set_user_roles("ghost", &["analyst".into()]).await.unwrap());
    let u = store.user("u").await.unwrap().unwrap();
    assert_eq!((u.rights_version, u.roles), (2, vec!["analyst".to_string(), "trainer".to_string()]));
    store.create_session(&session("h1", "u", 2)).await.unwrap();
    assert!(store.disable_user("u").await.unwrap());
    let u = store.user("u").await.unwrap().unwrap();
    assert!(u.disabled);
    assert_eq!(u.rights_version, 3);
    assert!(store.session("h1").await.unwrap().is_none(), "disabling ends sessions");
    assert!(!store.disable_user("ghost").await.unwrap());
    assert!(store.set_totp_secret("u", Some("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")).await.unwrap());
    assert_eq!(
        store.user("u").await.unwrap().unwrap().totp_secret.as_deref(),
        Some("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    );
}
on_every_backend!(
    roles_and_disabling_raise_the_rights_version_on_every_backend,
    roles_and_disabling_raise_the_rights_version
);

async fn failed_logins_lock_and_success_clears(store: Arc<dyn Store>) {
    setup(&store).await;
    store.put_user(&user("u", &[])).await.unwrap();
    for i in 1..5 {
        assert_eq!(store.record_failed_login("u", 5, 9_999).await.unwrap(), None);
        assert_eq!(store.user("u").await.unwrap().unwrap().failed_logins, i);
    }
    assert_eq!(store.record_failed_login("u", 5, 9_999).await.unwrap(), Some(9_999));
    let u = store.user("u").await.unwrap().unwrap();
    assert_eq!((u.failed_logins, u.locked_until), (0, Some(9_999)));
    assert_eq!(store.record_failed_login("ghost", 5, 9_999).await.unwrap(), None);
    store.record_failed_login("u", 5, 9_999).await.unwrap();
    assert!(store.record_successful_login("u", Some(100)).await.unwrap());
    let u = store.user("u").await.unwrap().unwrap();
    assert_eq!((u.failed_logins, u.locked_until, u.totp_last_step), (0, None, Some(100)));
    assert!(!store.record_successful_login("u", Some(100)).await.unwrap(), "a TOTP step is good once");
    assert!(store.record_successful_login("u", Some(101)).await.unwrap());
    assert!(store.record_successful_login("u", None).await.unwrap());
    assert_eq!(store.user("u").await.unwrap().unwrap().totp_last_step, Some(101));
}
on_every_backend!(failed_logins_lock_and_success_clears_on_every_backend, failed_logins_lock_and_success_clears);

fn session(hash: &str, username: &str, rights: i64) -> SessionRecord {
    SessionRecord {
        token_hash: hash.into(),
        username: username.into(),
        created_at: 10,
        last_seen: 10,
        expires_at: 1_000,
        rights_version: rights,
    }
}

async fn sessions_are_made_touched_and_ended(store: Arc<dyn Store>) {
    setup(&store).await;
    store.put_user(&user("u", &[])).await.unwrap();
    store.put_user(&user("v", &[])).await.unwrap();
    for (h, u) in [("h1", "u"), ("h2", "u"), ("h3", "v")] {
        store.create_session(&session(h, u, 1)).await.unwrap();
    }
    assert_eq!(store.session("h1").await.unwrap(), Some(session("h1", "u", 1)));
    store.touch_session("h1", 50).await.unwrap();
    store.touch_session("h1", 40).await.unwrap();
    assert_eq!(store.session("h1").await.unwrap().unwrap().last_seen, 50);
    assert!(store.delete_session("h1").await.unwrap());
    assert!(!store.delete_session("h1").await.unwrap());
    assert!(store.session("h1").await.unwrap().is_none());
    assert_eq!(store.delete_user_sessions("u").await.unwrap(), 1);
    assert!(store.session("h2").await.unwrap().is_none());
    assert!(store.session("h3").await.unwrap().is_some());
}
on_every_backend!(sessions_are_made_touched_and_ended_on_every_backend, sessions_are_made_touched_and_ended);

async fn api_tokens_and_settings(store: Arc<dyn Store>) {
    setup(&store).await;
    store.put_user(&user("u", &[])).await.unwrap();
    let t = ApiTokenRecord {
        token_hash: "th".into(),
        name: "terminal".into(),
        username: "u".into(),
        scopes: vec!["read".into(), "check".into()],
        purpose: Some("border checks".into()),
        created_at: 5,
        expires_at: 500,
        revoked: false,
    };
    store.create_api_token(&t).await.unwrap();
    assert_eq!(store.api_token("th").await.unwrap(), Some(t.clone()));
    assert_eq!(store.api_tokens("u").await.unwrap(), vec![t.clone()]);
    assert!(store.revoke_api_token("th").await.unwrap());
    assert!(store.api_token("th").await.unwrap().unwrap().revoked);
    assert!(!store.revoke_api_token("nope").await.unwrap());
    assert!(store.api_token("nope").await.unwrap().is_none());

    assert_eq!(store.setting("mfa_required_roles").await.unwrap(), None);
    store.put_setting("mfa_required_roles", "administrator").await.unwrap();
    store.put_setting("mfa_required_roles", "administrator,judge").await.unwrap();
    assert_eq!(store.setting("mfa_required_roles").await.unwrap().as_deref(), Some("administrator,judge"));
}
on_every_backend!(api_tokens_and_settings_on_every_backend, api_tokens_and_settings);
