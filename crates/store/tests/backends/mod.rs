//! The back ends every store test runs on: SQLite always, and PostgreSQL
//! when `VEZA_TEST_POSTGRES_URL` names a server (scripts/test starts one; in
//! CI its absence is a failure). Each test gets a database of its own.

#![allow(dead_code)]

use std::sync::Arc;
use veza_store::Store;

/// A store and what keeps its database alive.
pub struct Backend {
    /// The store under test.
    pub store: Arc<dyn Store>,
    /// The database's URL, for tests that tamper with it directly.
    pub url: String,
    dir: Option<tempfile::TempDir>,
}

impl Backend {
    /// The SQLite file, for tests that tamper with it directly.
    pub fn sqlite_file(&self) -> Option<std::path::PathBuf> {
        self.dir.as_ref().map(|d| d.path().join("veza.db"))
    }
}

/// A fresh SQLite database in a temporary folder.
pub async fn sqlite() -> Backend {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("veza.db").display());
    Backend { store: veza_store::open(&url).await.unwrap(), url, dir: Some(dir) }
}

/// A fresh database on the test PostgreSQL server, or `None` when there is
/// no server (allowed only outside CI).
pub async fn postgres() -> Option<Backend> {
    let Ok(base) = std::env::var("VEZA_TEST_POSTGRES_URL") else {
        assert!(std::env::var("CI").is_err(), "CI must run the store tests on PostgreSQL: set VEZA_TEST_POSTGRES_URL");
        eprintln!("VEZA_TEST_POSTGRES_URL not set: PostgreSQL half of this test skipped");
        return None;
    };
    use sqlx::Executor;
    let name = format!("veza_t_{}", unique());
    let admin = sqlx::PgPool::connect(&base).await.unwrap();
    admin.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).await.unwrap();
    let url = match base.rfind('/') {
        Some(i) => format!("{}/{name}", &base[..i]),
        None => panic!("VEZA_TEST_POSTGRES_URL has no database part"),
    };
    Some(Backend { store: veza_store::open(&url).await.unwrap(), url, dir: None })
}

/// A name no other test of this run uses.
fn unique() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::time::{SystemTime, UNIX_EPOCH};
    static N: AtomicU32 = AtomicU32::new(0);
    let t = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    format!("{t:x}{:x}{:x}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}

/// Runs `check` on every available back end.
#[macro_export]
macro_rules! on_every_backend {
    ($name:ident, $check:ident) => {
        #[tokio::test]
        async fn $name() {
            let b = backends::sqlite().await;
            $check(b.store.clone()).await;
            if let Some(b) = backends::postgres().await {
                $check(b.store.clone()).await;
            }
        }
    };
}
