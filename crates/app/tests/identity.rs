//! Log-in, sessions and API tokens as the access-control issue specifies
//! them, with a cheap password hash (tests only) and a clock the tests move.

use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use veza_app::{AppError, AuthError, Caller, Clock, HashCost, IdentityConfig, Role, Veza, token_hash, totp_code};
use veza_store::Agency;

const PW: &str = "correct horse battery";

struct World {
    veza: Veza,
    now: Arc<AtomicI64>,
    _dir: tempfile::TempDir,
}

impl World {
    fn advance(&self, d: Duration) {
        self.now.fetch_add(d.num_microseconds().unwrap(), Ordering::SeqCst);
    }
    fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_micros(self.now.load(Ordering::SeqCst)).unwrap()
    }
}

async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let now = Arc::new(AtomicI64::new(Utc::now().timestamp_micros()));
    let n = now.clone();
    let config = IdentityConfig {
        hash_cost: HashCost::TEST_ONLY,
        clock: Clock::from_fn(move || DateTime::from_timestamp_micros(n.load(Ordering::SeqCst)).unwrap()),
        ..IdentityConfig::default()
    };
    let veza = Veza::open_with(&format!("sqlite://{}", dir.path().join("v.db").display()), config).await.unwrap();
    veza.store()
        .put_agency(&Agency {
            code: "rs-bp".into(),
            name: "RS BP".into(),
            country: "rs".into(),
            kind: "border_police".into(),
        })
        .await
        .unwrap();
    veza.add_user("ana", "Ana", "rs-bp", &[Role::BorderOfficer], PW).await.unwrap();
    World { veza, now, _dir: dir }
}

async fn world_without_users() -> World {
    let w = world().await;
    let dir = tempfile::tempdir().unwrap();
    let n = w.now.clone();
    let config = IdentityConfig {
        hash_cost: HashCost::TEST_ONLY,
        clock: Clock::from_fn(move || DateTime::from_timestamp_micros(n.load(Ordering::SeqCst)).unwrap()),
        ..IdentityConfig::default()
    };
    let veza = Veza::open_with(&format!("sqlite://{}", dir.path().join("v.db").display()), config).await.unwrap();
    World { veza, now: w.now.clone(), _dir: dir }
}

#[tokio::test]
async fn a_right_password_gives_a_session_that_authenticates() {
    let w = world().await;
    let s = w.veza.login("ana", PW, None).await.unwrap();
    assert!(s.token.starts_with("vzs_") && s.token.len() > 40);
    assert_eq!(s.expires_at, w.now() + Duration::hours(12));
    assert!(!format!("{s:?}").contains(&s.token), "Debug shows the token");
    let u = w.veza.authenticate_session(&s.token).await.unwrap();
    assert_eq!((u.username.as_str(), u.agency.as_str(), u.country.as_str()), ("ana", "rs-bp", "rs"));
    assert_eq!(u.roles, vec![Role::BorderOfficer]);
    assert_eq!(u.caller(), Caller::user("ana", "rs-bp", "rs", &[Role::BorderOfficer]));
    let again = w.veza.login("ana", PW, None).await.unwrap();
    assert_ne!(again.token, s.token, "every log-in makes a new session");
}

#[tokio::test]
async fn wrong_password_and_unknown_user_are_refused_alike() {
    let w = world().await;
    let wrong = w.veza.login("ana", "wrong password!", None).await.unwrap_err();
    let unknown = w.veza.login("nobody", PW, None).await.unwrap_err();
    assert!(matches!(wrong, AuthError::InvalidCredentials), "{wrong:?}");
    assert!(matches!(unknown, AuthError::InvalidCredentials), "{unknown:?}");
    assert_eq!(wrong.to_string(), unknown.to_string());
}

#[tokio::test]
async fn five_failures_lock_the_user_for_15_minutes() {
    let w = world().await;
    for _ in 0..4 {
        assert!(matches!(w.veza.login("ana", "wrong password!", None).await, Err(AuthError::InvalidCredentials)));
    }
    let fifth = w.veza.login("ana", "wrong password!", None).await.unwrap_err();
    assert!(matches!(fifth, AuthError::Locked { until } if until == w.now() + Duration::minutes(15)), "{fifth:?}");
    // Locked: even the right password is not checked.
    assert!(matches!(w.veza.login("ana", PW, None).await, Err(AuthError::Locked { .. })));
    assert!(w.veza.user("ana").await.unwrap().locked_until.is_some());
    w.advance(Duration::minutes(14));
    assert!(matches!(w.veza.login("ana", PW, None).await, Err(AuthError::Locked { .. })));
    w.advance(Duration::minutes(1) + Duration::seconds(1));
    w.veza.login("ana", PW, None).await.unwrap();
    // A success resets the count: four more failures do not lock.
    for _ in 0..4 {
        assert!(matches!(w.veza.login("ana", "wrong password!", None).await, Err(AuthError::InvalidCredentials)));
    }
    w.veza.login("ana", PW, None).await.unwrap();
}

#[tokio::test]
async fn a_role_that_requires_mfa_needs_an_enrolled_authenticator_and_a_code() {
    let w = world().await;
    w.veza.set_mfa_required_roles(&[Role::BorderOfficer, Role::Administrator]).await.unwrap();
    assert_eq!(w.veza.mfa_required_roles().await.unwrap(), vec![Role::BorderOfficer, Role::Administrator]);
    assert!(matches!(w.veza.login("ana", PW, None).await, Err(AuthError::MfaNotEnrolled)));
    let secret = w.veza.enroll_totp("ana").await.unwrap();
    assert!(matches!(w.veza.login("ana", PW, None).await, Err(AuthError::TotpRequired)));
    assert!(matches!(w.veza.login("ana", PW, Some("000000")).await, Err(AuthError::TotpInvalid)));
    let code = totp_code(&secret, w.now().timestamp() as u64).unwrap();
    w.veza.login("ana", PW, Some(&code)).await.unwrap();
    // A code is good once.
    assert!(matches!(w.veza.login("ana", PW, Some(&code)).await, Err(AuthError::TotpInvalid)));
    // The next step's code, 30 s later, is good; one from 2 minutes ago is not.
    w.advance(Duration::seconds(30));
    let next = totp_code(&secret, w.now().timestamp() as u64).unwrap();
    w.veza.login("ana", PW, Some(&next)).await.unwrap();
    let old = totp_code(&secret, (w.now() - Duration::minutes(2)).timestamp() as u64).unwrap();
    assert!(matches!(w.veza.login("ana", PW, Some(&old)).await, Err(AuthError::TotpInvalid)));
}

#[tokio::test]
async fn a_user_with_a_secret_needs_a_code_whatever_the_roles() {
    let w = world().await;
    let secret = w.veza.enroll_totp("ana").await.unwrap();
    assert!(w.veza.user("ana").await.unwrap().totp);
    assert!(matches!(w.veza.login("ana", PW, None).await, Err(AuthError::TotpRequired)));
    let code = totp_code(&secret, w.now().timestamp() as u64).unwrap();
    w.veza.login("ana", PW, Some(&code)).await.unwrap();
}

#[tokio::test]
async fn sessions_end_after_30_idle_minutes() {
    let w = world().await;
    let s = w.veza.login("ana", PW, None).await.unwrap();
    w.advance(Duration::minutes(29));
    w.veza.authenticate_session(&s.token).await.unwrap();
    w.advance(Duration::minutes(29));
    w.veza.authenticate_session(&s.token).await.expect("used 29 minutes ago");
    w.advance(Duration::minutes(31));
    assert!(matches!(w.veza.authenticate_session(&s.token).await, Err(AuthError::Unauthenticated)));
}

#[tokio::test]
async fn sessions_end_12_hours_after_log_in_however_used() {
    let w = world().await;
    let s = w.veza.login("ana", PW, None).await.unwrap();
    for _ in 0..((12 * 60) / 20 - 1) {
        w.advance(Duration::minutes(20));
        w.veza.authenticate_session(&s.token).await.unwrap();
    }
    w.advance(Duration::minutes(20));
    assert!(matches!(w.veza.authenticate_session(&s.token).await, Err(AuthError::Unauthenticated)));
}

#[tokio::test]
async fn a_change_of_roles_ends_the_session() {
    let w = world().await;
    let s = w.veza.login("ana", PW, None).await.unwrap();
    w.veza.set_roles("ana", &[Role::BorderOfficer, Role::Analyst]).await.unwrap();
    assert!(matches!(w.veza.authenticate_session(&s.token).await, Err(AuthError::Unauthenticated)));
    let s = w.veza.login("ana", PW, None).await.unwrap();
    assert_eq!(w.veza.authenticate_session(&s.token).await.unwrap().roles, vec![Role::BorderOfficer, Role::Analyst]);
    assert!(matches!(w.veza.set_roles("ghost", &[Role::Analyst]).await, Err(AppError::NotFound(_))));
}

#[tokio::test]
async fn a_disabled_user_loses_sessions_and_tokens_and_cannot_log_in() {
    let w = world().await;
    let s = w.veza.login("ana", PW, None).await.unwrap();
    let t = w.veza.issue_api_token("ana", "terminal", &["read".into()], Duration::days(30), None).await.unwrap();
    w.veza.authenticate_token(&t.token).await.unwrap();
    w.veza.disable_user("ana").await.unwrap();
    assert!(matches!(w.veza.authenticate_session(&s.token).await, Err(AuthError::Unauthenticated)));
    assert!(matches!(w.veza.authenticate_token(&t.token).await, Err(AuthError::Unauthenticated)));
    assert!(matches!(w.veza.login("ana", PW, None).await, Err(AuthError::InvalidCredentials)));
    assert!(w.veza.user("ana").await.unwrap().disabled);
}

#[tokio::test]
async fn logout_ends_the_session() {
    let w = world().await;
    let s = w.veza.login("ana", PW, None).await.unwrap();
    let other = w.veza.login("ana", PW, None).await.unwrap();
    w.veza.logout(&s.token).await.unwrap();
    assert!(matches!(w.veza.authenticate_session(&s.token).await, Err(AuthError::Unauthenticated)));
    w.veza.authenticate_session(&other.token).await.expect("other sessions stay");
    w.veza.logout(&s.token).await.unwrap();
    assert!(matches!(w.veza.authenticate_session("vzs_made-up").await, Err(AuthError::Unauthenticated)));
}

#[tokio::test]
async fn api_tokens_are_shown_once_stored_as_hashes_expire_and_revoke() {
    let w = world().await;
    let t = w
        .veza
        .issue_api_token(
            "ana",
            "checkpoint-3",
            &["read".into(), "check".into()],
            Duration::days(7),
            Some("border checks"),
        )
        .await
        .unwrap();
    assert!(t.token.starts_with("vzt_"));
    assert!(!format!("{t:?}").contains(&t.token));
    let stored = w.veza.store().api_tokens("ana").await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].token_hash, token_hash(&t.token));
    assert!(!format!("{stored:?}").contains(&t.token), "only the hash is stored");
    let auth = w.veza.authenticate_token(&t.token).await.unwrap();
    assert_eq!(
        (auth.user.username.as_str(), auth.scopes.clone()),
        ("ana", vec!["read".to_string(), "check".to_string()])
    );
    assert_eq!(auth.purpose.as_deref(), Some("border checks"));
    // A session token is no API token, and the reverse.
    let s = w.veza.login("ana", PW, None).await.unwrap();
    assert!(w.veza.authenticate_token(&s.token).await.is_err());
    assert!(w.veza.authenticate_session(&t.token).await.is_err());
    w.advance(Duration::days(7));
    assert!(matches!(w.veza.authenticate_token(&t.token).await, Err(AuthError::Unauthenticated)), "expired");
    let t2 = w.veza.issue_api_token("ana", "script", &[], Duration::hours(1), None).await.unwrap();
    assert!(w.veza.revoke_token(&t2.token).await.unwrap());
    assert!(matches!(w.veza.authenticate_token(&t2.token).await, Err(AuthError::Unauthenticated)), "revoked");
    assert!(w.veza.issue_api_token("ana", "x", &[], Duration::zero(), None).await.is_err());
    assert!(w.veza.issue_api_token("ghost", "x", &[], Duration::hours(1), None).await.is_err());
}

#[tokio::test]
async fn adding_users_checks_policy_agency_roles_and_duplicates() {
    let w = world().await;
    let short = w.veza.add_user("bob", "", "rs-bp", &[Role::Analyst], "short").await.unwrap_err();
    assert!(matches!(&short, AppError::Invalid { field: Some(f), .. } if f == "password"), "{short:?}");
    let agency = w.veza.add_user("bob", "", "xx-none", &[Role::Analyst], PW).await.unwrap_err();
    assert!(agency.to_string().contains("unknown agency"), "{agency}");
    assert!(w.veza.add_user("bob", "", "rs-bp", &[], PW).await.is_err());
    assert!(w.veza.add_user("Bob Smith", "", "rs-bp", &[Role::Analyst], PW).await.is_err());
    assert!(matches!(w.veza.add_user("ana", "", "rs-bp", &[Role::Analyst], PW).await, Err(AppError::Conflict(_))));
    let stored = w.veza.store().user("ana").await.unwrap().unwrap();
    assert!(stored.password_hash.starts_with("$argon2id$"));
    assert!(!stored.password_hash.contains(PW));
}

#[tokio::test]
async fn demo_users_log_in_with_the_demo_password() {
    let w = world().await;
    let refused = w.veza.create_demo_users(None).await.unwrap_err();
    assert!(matches!(&refused, AppError::Conflict(m) if m.contains("ana")), "real users are never reset: {refused}");
    let w = world_without_users().await;
    let (users, password) = w.veza.create_demo_users(None).await.unwrap();
    assert_eq!(password.chars().count(), 20);
    let names: Vec<&str> = users.iter().map(|u| u.0.as_str()).collect();
    for must in [
        "admin",
        "border.rs",
        "investigator.al",
        "analyst.mk",
        "ncb.ba",
        "coordinator.rs",
        "prosecutor.me",
        "judge.me",
        "victims.xk",
        "trainer",
        "learner.ba",
        "programme",
        "controller",
    ] {
        assert!(names.contains(&must), "{must} missing");
    }
    for role in Role::ALL {
        assert!(users.iter().any(|u| u.1.contains(&role)), "no demo user is {role}");
    }
    let s = w.veza.login("judge.me", &password, None).await.unwrap();
    let judge = w.veza.authenticate_session(&s.token).await.unwrap();
    assert_eq!(
        (judge.agency.as_str(), judge.country.as_str(), judge.roles.clone()),
        ("me-court", "me", vec![Role::Judge])
    );
    // Again with a given password: it replaces the old one.
    let (_, p2) = w.veza.create_demo_users(Some("demo password 2026".into())).await.unwrap();
    assert_eq!(p2, "demo password 2026");
    assert!(w.veza.login("admin", &password, None).await.is_err());
    w.veza.login("admin", "demo password 2026", None).await.unwrap();
    assert!(w.veza.create_demo_users(Some("short".into())).await.is_err());
}

/// Log-in latency at the production (OWASP) cost: 20 log-ins, one after
/// another. Run with `cargo test -p veza-app --release --test identity -- --ignored --nocapture`.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "timing; run in release mode"]
async fn login_latency_with_production_argon2() {
    let dir = tempfile::tempdir().unwrap();
    let veza = Veza::open(&format!("sqlite://{}", dir.path().join("v.db").display())).await.unwrap();
    assert_eq!(veza.identity_config().hash_cost, HashCost::OWASP);
    veza.store()
        .put_agency(&Agency {
            code: "rs-bp".into(),
            name: "RS BP".into(),
            country: "rs".into(),
            kind: "border_police".into(),
        })
        .await
        .unwrap();
    veza.add_user("ana", "Ana", "rs-bp", &[Role::BorderOfficer], PW).await.unwrap();
    let start = std::time::Instant::now();
    for _ in 0..20 {
        veza.login("ana", PW, None).await.unwrap();
    }
    let ok = start.elapsed() / 20;
    let start = std::time::Instant::now();
    for _ in 0..20 {
        assert!(veza.login("nobody", PW, None).await.is_err());
    }
    let unknown = start.elapsed() / 20;
    println!("log-in latency (argon2id m=19456 KiB, t=2, p=1): {ok:?} per log-in; unknown user: {unknown:?}");
}
