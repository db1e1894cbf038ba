//! The SQLite back end: one file under the data directory, WAL journal,
//! FTS5 search index. Batches travel into SQL as one JSON array each
//! (`json_each`), so a batch of any size is one prepared statement.

use crate::error::StoreError;
use crate::policy::{Caller, Mark, PolicyParam, render, sql_condition};
use crate::rows::{self, framed_countries};
use crate::types::*;
use async_trait::async_trait;
use chrono::NaiveDate;
use serde_json::{Value, json};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{AssertSqlSafe, QueryBuilder, Row, Sqlite};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::str::FromStr;
use std::time::Duration;
use veza_model::{Entity, Model};

use crate::common::read::{ENTITY_COLUMNS, WALK_COLUMNS, entity_row, walk_row_json};
use crate::common::{
    Clock, EntityRow, FragmentRow, StoredFragment, StoredOwner, may_decide, merge_batch, next_fragment, read,
};

/// Store on SQLite.
pub(crate) struct SqliteStore {
    pub(crate) pool: SqlitePool,
    model: &'static Model,
    /// SQLite has one writer; writes queue here rather than fail as busy.
    write_lock: tokio::sync::Mutex<()>,
    /// Audit appends queue here: each reads the head and extends it.
    pub(crate) audit_lock: tokio::sync::Mutex<()>,
    /// Concurrent audit appends, committed together.
    pub(crate) audit_group: crate::audit::GroupCommit,
    /// Concurrent requests' operation checks, recorded together.
    pub(crate) check_group: crate::operations::CheckGroup,
    pub(crate) clock: Clock,
}

/// Rows per multi-row INSERT, under SQLite's 32,766 parameters.
const ENTITY_ROWS_PER_INSERT: usize = 1_800; // 18 parameters a row, under SQLite's 32,766
const FRAGMENT_ROWS_PER_INSERT: usize = 5_000;

impl SqliteStore {
    pub(crate) async fn open(url: &str, model: &'static Model) -> Result<Self, StoreError> {
        let memory = url.contains(":memory:") || url.contains("mode=memory");
        let mut options = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Config(format!("cannot read SQLite URL '{url}': {e}")))?
            .create_if_missing(true)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("cache_size", "-65536")
            .pragma("temp_store", "memory");
        if !memory {
            options = options.journal_mode(SqliteJournalMode::Wal).synchronous(SqliteSynchronous::Normal);
            if let Some(parent) = options.get_filename().parent()
                && !parent.as_os_str().is_empty()
            {
                std::fs::create_dir_all(parent).map_err(|e| {
                    StoreError::Config(format!("cannot create database folder {}: {e}", parent.display()))
                })?;
            }
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(if memory { 1 } else { 4 })
            .min_connections(if memory { 1 } else { 0 })
            .idle_timeout(if memory { None } else { Some(Duration::from_secs(600)) })
            .max_lifetime(if memory { None } else { Some(Duration::from_secs(3600)) })
            .connect_with(options)
            .await?;
        crate::migrations::sqlite().run(&pool).await?;
        let store = SqliteStore {
            pool,
            model,
            write_lock: tokio::sync::Mutex::new(()),
            audit_lock: tokio::sync::Mutex::new(()),
            audit_group: crate::audit::GroupCommit::default(),
            check_group: Default::default(),
            clock: Clock::default(),
        };
        store.seed_countries().await?;
        Ok(store)
    }

    async fn seed_countries(&self) -> Result<(), StoreError> {
        let list: Vec<Value> = veza_model::types::countries().into_iter().map(|(c, n)| json!([c, n])).collect();
        sqlx::query(
            "INSERT INTO country(code, name) SELECT j.value->>0, j.value->>1 FROM json_each(?1) j WHERE true \
             ON CONFLICT(code) DO NOTHING",
        )
        .bind(Value::Array(list).to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Loads entities by storage id, in the order given, with their values.
    /// Values whose own handling the caller does not pass are left out.
    pub(crate) async fn load(&self, caller: &Caller, rids: &[i64]) -> Result<Vec<Entity>, StoreError> {
        if rids.is_empty() {
            return Ok(Vec::new());
        }
        let ids_json = json!(rids).to_string();
        let sql = format!("SELECT {ENTITY_COLUMNS} FROM entity e WHERE e.rid IN (SELECT value FROM json_each(?1))");
        let rows = sqlx::query(AssertSqlSafe(sql)).bind(&ids_json).fetch_all(&self.pool).await?;
        let mut by_rid: HashMap<i64, Entity> = HashMap::with_capacity(rows.len());
        for row in rows {
            let er = entity_row(&row)?;
            by_rid.insert(er.rid, er.into_entity()?);
        }
        let fragments = sqlx::query(
            "SELECT entity_rid, properties FROM fragment WHERE entity_rid IN (SELECT value FROM json_each(?1))",
        )
        .bind(&ids_json)
        .fetch_all(&self.pool)
        .await?;
        for f in fragments {
            let rid: i64 = f.try_get(0)?;
            if let Some(e) = by_rid.get_mut(&rid) {
                crate::common::add_fragment_values(e, f.try_get::<&str, _>(1)?)?;
            }
        }
        let mut found: Vec<Entity> = rids.iter().filter_map(|r| by_rid.remove(r)).collect();
        for e in &mut found {
            crate::common::redact(caller, e);
        }
        Ok(found)
    }

    pub(crate) async fn find_row(&self, id: &str) -> Result<Option<EntityRow>, StoreError> {
        let sql = format!("SELECT {ENTITY_COLUMNS} FROM entity e WHERE e.id = ?1");
        let row = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
        row.map(|r| entity_row(&r)).transpose()
    }
}

/// Appends the policy filter on `entity e` to a query under construction.
fn push_visibility(q: &mut QueryBuilder<Sqlite>, caller: &Caller) {
    if let Some((sql, params)) = sql_condition(caller) {
        // SQLite's placeholder is a plain `?`: render with a sentinel, then
        // bind each parameter where its sentinel stands.
        let rendered = render(&sql, |mark| match mark {
            Mark::Text => "\u{1}".into(),
            Mark::InList => "IN (SELECT value FROM json_each(\u{1}))".into(),
            Mark::CasesMatch => {
                "EXISTS (SELECT 1 FROM json_each(\u{1}) c WHERE instr(e.cases || e.case_refs, c.value) > 0)".into()
            }
        });
        q.push(" AND ");
        let mut params = params.into_iter();
        let mut pieces = rendered.split('\u{1}').peekable();
        while let Some(piece) = pieces.next() {
            q.push(piece);
            if pieces.peek().is_some() {
                match params.next() {
                    Some(PolicyParam::Text(t)) => q.push_bind(t),
                    Some(PolicyParam::List(l)) => q.push_bind(json!(l).to_string()),
                    None => q.push("NULL"),
                };
            }
        }
    }
}

/// Binds the parameters of a search's FROM clause, in the order
/// `fts MATCH`, schemata, visibility.
fn bind_search<'q, O>(
    mut q: sqlx::query::QueryScalar<'q, Sqlite, O, sqlx::sqlite::SqliteArguments>,
    fts: &Option<String>,
    query: &SearchQuery,
    caller: &Caller,
) -> sqlx::query::QueryScalar<'q, Sqlite, O, sqlx::sqlite::SqliteArguments> {
    if let Some(m) = fts {
        q = q.bind(m.clone());
    }
    if !query.schemata.is_empty() {
        q = q.bind(json!(query.schemata).to_string());
    }
    let f = &query.filters;
    for text in [&f.owner, &f.owner_country, &f.dataset].into_iter().flatten() {
        q = q.bind(text.clone());
    }
    for time in [f.changed_from, f.changed_to].into_iter().flatten() {
        q = q.bind(time);
    }
    if let Some((_, params)) = sql_condition(caller) {
        for p in params {
            q = match p {
                PolicyParam::Text(t) => q.bind(t),
                PolicyParam::List(l) => q.bind(json!(l).to_string()),
            };
        }
    }
    q
}

fn push_schemata(q: &mut QueryBuilder<Sqlite>, schemata: &[String]) {
    if !schemata.is_empty() {
        q.push(" AND e.schema IN (SELECT value FROM json_each(");
        q.push_bind(json!(schemata).to_string());
        q.push("))");
    }
}

/// The search filters, bound in the order [`bind_search`] binds them.
fn push_filters(q: &mut QueryBuilder<Sqlite>, f: &crate::types::SearchFilters) {
    for (column, value) in [("owner_agency", &f.owner), ("owner_country", &f.owner_country), ("dataset", &f.dataset)] {
        if let Some(v) = value {
            q.push(format!(" AND e.{column} = "));
            q.push_bind(v.clone());
        }
    }
    if let Some(t) = f.changed_from {
        q.push(" AND e.changed_at >= ");
        q.push_bind(t);
    }
    if let Some(t) = f.changed_to {
        q.push(" AND e.changed_at < ");
        q.push_bind(t);
    }
}

#[async_trait]
impl crate::Store for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    async fn write(&self, caller: &Caller, batch: &[Entity], mode: WriteMode) -> Result<WriteReport, StoreError> {
        let merged_batch = merge_batch(batch);
        let batch: &[Entity] = &merged_batch;
        if batch.is_empty() {
            return Ok(WriteReport::default());
        }
        // Everything that does not depend on what is stored is computed before
        // taking the write lock, so a second batch prepares while one writes.
        let prepared: Vec<Prepared> =
            batch.iter().map(|e| Prepared::of(self.model, e)).collect::<Result<_, StoreError>>()?;
        let _writer = self.write_lock.lock().await;
        let now = self.clock.tick();
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;

        let datasets: BTreeSet<&str> = batch.iter().map(|e| e.provenance.source.dataset.as_str()).collect();
        for ds in &datasets {
            let known: Option<i64> = sqlx::query_scalar("SELECT 1 FROM source WHERE dataset = ?1")
                .bind(*ds)
                .fetch_optional(&mut *tx)
                .await?;
            if known.is_none() {
                return Err(StoreError::Missing(format!("unknown source dataset '{ds}': create the source first")));
            }
        }

        let ids: Vec<&str> = batch.iter().map(|e| e.id.as_str()).collect();
        let existing_rows = sqlx::query(
            "SELECT rid, id, owner_agency, exercise, value_handling FROM entity \
             WHERE id IN (SELECT value FROM json_each(?1))",
        )
        .bind(json!(ids).to_string())
        .fetch_all(&mut *tx)
        .await?;
        let mut existing: HashMap<String, i64> = HashMap::new();
        let mut stored = Vec::with_capacity(existing_rows.len());
        let mut stored_handling: HashMap<String, String> = HashMap::new();
        for r in &existing_rows {
            let id: String = r.try_get(1)?;
            stored.push(StoredOwner { id: id.clone(), owner_agency: r.try_get(2)?, exercise: r.try_get(3)? });
            stored_handling.insert(id.clone(), r.try_get::<String, _>(4)?);
            existing.insert(id, r.try_get(0)?);
        }
        crate::common::check_overwrites(caller, batch, &stored)?;
        if caller.scope().is_some() {
            let cases = crate::common::cases_written(batch);
            let rows = sqlx::query("SELECT id, owner_agency FROM entity WHERE id IN (SELECT value FROM json_each(?1))")
                .bind(json!(cases).to_string())
                .fetch_all(&mut *tx)
                .await?;
            let owners: Vec<(String, String)> =
                rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect::<Result<_, StoreError>>()?;
            crate::common::check_case_writes(caller, batch, &owners)?;
        }

        // Row ids: kept for entities that exist, given in sequence to new
        // ones (the write lock and BEGIN IMMEDIATE make the sequence ours).
        let mut next_rid: i64 =
            sqlx::query_scalar("SELECT coalesce(max(rid), 0) FROM entity").fetch_one(&mut *tx).await?;
        let mut rid_of: HashMap<String, i64> = existing.clone();
        for e in batch {
            if !rid_of.contains_key(&e.id) {
                next_rid += 1;
                rid_of.insert(e.id.clone(), next_rid);
            }
        }
        for chunk in prepared.chunks(ENTITY_ROWS_PER_INSERT) {
            let mut q = QueryBuilder::<Sqlite>::new(
                "INSERT INTO entity(rid, id, schema, caption, owner_agency, owner_country, dataset, source_record, \
                   visibility, handling_countries, existence_visible, caveats, created_at, changed_at, retention_review, \
                   cases, exercise, value_handling) ",
            );
            q.push_values(chunk, |mut row, p| {
                let t = &p.entity;
                row.push_bind(rid_of.get(&t.0).copied())
                    .push_bind(t.0.as_str())
                    .push_bind(t.1.as_str())
                    .push_bind(t.2.as_str())
                    .push_bind(t.3.as_str())
                    .push_bind(t.4.as_str())
                    .push_bind(t.5.as_str())
                    .push_bind(t.6.as_deref())
                    .push_bind(t.7)
                    .push_bind(t.8.as_str())
                    .push_bind(t.9)
                    .push_bind(t.10.as_str())
                    .push_bind(t.11.min(now))
                    .push_bind(now)
                    .push_bind(t.13.as_str())
                    .push_bind(t.14.as_str())
                    .push_bind(t.15.as_deref())
                    .push_bind(t.16.as_str());
            });
            if !existing.is_empty() {
                q.push(
                    " ON CONFLICT(id) DO UPDATE SET schema = excluded.schema, caption = excluded.caption, \
                       visibility = excluded.visibility, handling_countries = excluded.handling_countries, \
                       existence_visible = excluded.existence_visible, caveats = excluded.caveats, \
                       changed_at = excluded.changed_at, retention_review = excluded.retention_review, \
                       cases = excluded.cases, value_handling = CASE WHEN excluded.value_handling = '{}' \
                       THEN entity.value_handling ELSE excluded.value_handling END, source_record = coalesce(entity.source_record, excluded.source_record)",
                );
            }
            q.build().execute(&mut *tx).await?;
        }
        let rid = |id: &str| rid_of.get(id).copied().ok_or_else(|| StoreError::Corrupt(format!("no row id for {id}")));

        // Ids whose `case_refs` may change: the batch, and the ends of its
        // links before and after.
        let mut affected: BTreeSet<String> = batch.iter().map(|e| e.id.clone()).collect();
        // What the datasets said before, for entities that existed.
        let mut old: Vec<StoredFragment> = Vec::new();
        if !existing.is_empty() {
            let old_rids: Vec<i64> = existing.values().copied().collect();
            let old_json = json!(old_rids).to_string();
            let rows = sqlx::query(
                "SELECT entity_rid, dataset, properties, since, first_seen, last_seen FROM fragment \
                 WHERE entity_rid IN (SELECT value FROM json_each(?1))",
            )
            .bind(&old_json)
            .fetch_all(&mut *tx)
            .await?;
            for r in &rows {
                old.push(read::fragment(r)?);
            }
            let ends = sqlx::query(
                "SELECT source_id, target_id FROM link WHERE entity_rid IN (SELECT value FROM json_each(?1))",
            )
            .bind(&old_json)
            .fetch_all(&mut *tx)
            .await?;
            for r in &ends {
                affected.insert(r.try_get(0)?);
                affected.insert(r.try_get(1)?);
            }
            for sql in [
                "DELETE FROM entity_fts WHERE rowid IN (SELECT value FROM json_each(?1))",
                "DELETE FROM link WHERE entity_rid IN (SELECT value FROM json_each(?1))",
            ] {
                sqlx::query(sql).bind(&old_json).execute(&mut *tx).await?;
            }
        }
        // Entities that existed get their fragment, index text and links
        // from what all datasets say; new ones use what was prepared.
        let mut merged: BTreeMap<i64, Entity> = BTreeMap::new();
        let mut updated_fragments: HashMap<i64, FragmentRow> = HashMap::new();
        for e in batch.iter().filter(|e| existing.contains_key(&e.id)) {
            let r = rid(&e.id)?;
            let dataset = e.provenance.source.dataset.as_str();
            let own = old.iter().find(|f| f.rid == r && f.dataset == dataset);
            let with_own;
            let e = match (mode, own) {
                (WriteMode::Merge, Some(own)) => {
                    with_own = crate::common::with_values_of(e, own);
                    &with_own
                }
                _ => e,
            };
            updated_fragments.insert(r, next_fragment(e, own, now)?);
            let others: Vec<&StoredFragment> = old.iter().filter(|f| f.rid == r).collect();
            merged.insert(r, crate::common::merged(e, &others, stored_handling.get(&e.id))?);
        }
        let mut fragments: Vec<(i64, &str, &FragmentRow)> = Vec::with_capacity(batch.len());
        for (e, p) in batch.iter().zip(&prepared) {
            let r = rid(&e.id)?;
            let row = updated_fragments.get(&r).unwrap_or(&p.fragment);
            fragments.push((r, e.provenance.source.dataset.as_str(), row));
        }
        for chunk in fragments.chunks(FRAGMENT_ROWS_PER_INSERT) {
            let mut q = QueryBuilder::<Sqlite>::new(
                "INSERT INTO fragment(entity_rid, dataset, properties, since, first_seen, last_seen) ",
            );
            q.push_values(chunk, |mut row, (r, dataset, f)| {
                row.push_bind(*r)
                    .push_bind(*dataset)
                    .push_bind(f.properties.as_str())
                    .push_bind(f.since.as_deref())
                    .push_bind(now)
                    .push_bind(now);
            });
            q.push(
                " ON CONFLICT(entity_rid, dataset) DO UPDATE SET properties = excluded.properties, \
                   since = excluded.since, last_seen = excluded.last_seen",
            );
            q.build().execute(&mut *tx).await?;
        }
        if !merged.is_empty() {
            let captions: Vec<(i64, String, String)> = merged
                .iter()
                .map(|(r, m)| (*r, m.unrestricted().caption(self.model), rows::framed_cases(self.model, m)))
                .collect();
            sqlx::query(
                "UPDATE entity SET caption = j.value->>1, cases = j.value->>2 FROM json_each(?1) j \
                 WHERE entity.rid = j.value->>0",
            )
            .bind(to_json(&captions)?)
            .execute(&mut *tx)
            .await?;
        }

        let mut fts: Vec<(i64, &str, &str)> = Vec::with_capacity(batch.len());
        let mut links: Vec<(i64, Option<&str>, &str, &str)> = Vec::new();
        let rebuilt: Vec<(i64, rows::SearchText, Vec<rows::LinkRow>)> = merged
            .iter()
            .map(|(r, m)| {
                (*r, rows::search_text(self.model, &m.unrestricted()), rows::link_rows(self.model, &m.unrestricted()))
            })
            .collect();
        for (r, text, link_rows) in &rebuilt {
            fts.push((*r, &text.names, &text.identifiers));
            links.extend(link_rows.iter().map(|l| (*r, l.prop.as_deref(), l.source.as_str(), l.target.as_str())));
        }
        for (e, p) in batch.iter().zip(&prepared) {
            let r = rid(&e.id)?;
            if merged.contains_key(&r) {
                continue;
            }
            fts.push((r, &p.search.names, &p.search.identifiers));
            links.extend(p.links.iter().map(|l| (r, l.prop.as_deref(), l.source.as_str(), l.target.as_str())));
        }
        sqlx::query(
            "INSERT INTO entity_fts(rowid, names, identifiers) \
             SELECT j.value->>0, j.value->>1, j.value->>2 FROM json_each(?1) j",
        )
        .bind(to_json(&fts)?)
        .execute(&mut *tx)
        .await?;
        if !links.is_empty() {
            sqlx::query(
                "INSERT INTO link(entity_rid, prop, source_id, target_id) \
                 SELECT j.value->>0, j.value->>1, j.value->>2, j.value->>3 FROM json_each(?1) j",
            )
            .bind(to_json(&links)?)
            .execute(&mut *tx)
            .await?;
        }
        affected.extend(links.iter().flat_map(|l| [l.2.to_owned(), l.3.to_owned()]));
        let affected: Vec<String> = affected.into_iter().collect();
        refresh_case_refs(&mut tx, &affected).await?;
        tx.commit().await?;
        let updated = existing.len() as u64;
        Ok(WriteReport { created: batch.len() as u64 - updated, updated })
    }

    async fn entity(&self, caller: &Caller, id: &str) -> Result<Lookup, StoreError> {
        let Some(row) = self.find_row(id).await? else { return Ok(Lookup::NotFound) };
        if !row.visible_to(caller) {
            return Ok(row.restricted());
        }
        let mut found = self.load(caller, &[row.rid]).await?;
        Ok(found.pop().map(Lookup::Found).unwrap_or(Lookup::NotFound))
    }

    async fn entities(&self, caller: &Caller, ids: &[String]) -> Result<Vec<Lookup>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // One row of JSON for the whole batch, values included: SQLite rows
        // reach this task one by one through the connection's worker
        // thread, and a check's hits are read on every check.
        let all: String = sqlx::query_scalar(
            "SELECT json_group_array(json_array(e.rid, e.id, e.schema, e.caption, e.owner_agency, \
             e.owner_country, e.dataset, e.source_record, e.visibility, e.handling_countries, \
             e.existence_visible, e.caveats, e.created_at, e.changed_at, e.retention_review, \
             e.cases || e.case_refs, e.exercise, e.value_handling, \
             (SELECT json_group_array(f.properties) FROM fragment f WHERE f.entity_rid = e.rid))) \
             FROM entity e WHERE e.id IN (SELECT value FROM json_each(?1))",
        )
        .bind(json!(ids).to_string())
        .fetch_one(&self.pool)
        .await?;
        let rows: Vec<read::EntityJson> = serde_json::from_str(&all)
            .map_err(|e| StoreError::Corrupt(format!("entities read as JSON do not parse: {e}")))?;
        let mut hidden = Vec::new();
        let mut loaded = Vec::new();
        for r in rows {
            let (row, fragments) = read::entity_row_json(r);
            if !row.visible_to(caller) {
                hidden.push(row);
                continue;
            }
            let mut e = row.into_entity()?;
            for f in fragments {
                crate::common::add_fragment_values(&mut e, &f)?;
            }
            crate::common::redact(caller, &mut e);
            loaded.push(e);
        }
        Ok(crate::common::lookups_in_order(ids, &hidden, loaded))
    }

    async fn statements(&self, caller: &Caller, id: &str) -> Result<Vec<veza_model::Statement>, StoreError> {
        let Some(row) = self.find_row(id).await? else { return Ok(Vec::new()) };
        if !row.visible_to(caller) {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(
            "SELECT f.entity_rid, f.dataset, f.properties, f.since, f.first_seen, f.last_seen, src.owner_agency \
             FROM fragment f JOIN source src ON src.dataset = f.dataset WHERE f.entity_rid = ?1 ORDER BY f.dataset",
        )
        .bind(row.rid)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let f = read::fragment(r)?;
            out.extend(f.statements(id, r.try_get(6)?));
        }
        crate::common::redact_statements(caller, &row, &mut out)?;
        Ok(out)
    }

    async fn links(&self, caller: &Caller, id: &str) -> Result<Vec<LinkView>, StoreError> {
        let Some(row) = self.find_row(id).await? else { return Ok(Vec::new()) };
        if !row.visible_to(caller) {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT l.prop, l.source_id, l.target_id, {ENTITY_COLUMNS} FROM link l JOIN entity e ON e.rid = l.entity_rid \
             WHERE l.source_id = ?1 OR l.target_id = ?1 LIMIT 5000"
        );
        let rows = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_all(&self.pool).await?;
        let mut raw = Vec::new();
        for r in &rows {
            let via = entity_row(r)?;
            if via.visible_to(caller) {
                raw.push((
                    r.try_get::<Option<String>, _>(0)?,
                    r.try_get::<String, _>(1)?,
                    r.try_get::<String, _>(2)?,
                    via,
                ));
            }
        }
        let others: BTreeSet<String> =
            raw.iter().map(|(p, s, t, via)| crate::common::other_end(id, p, s, t, via)).collect();
        let sql = format!("SELECT {ENTITY_COLUMNS} FROM entity e WHERE e.id IN (SELECT value FROM json_each(?1))");
        let other_rows = sqlx::query(AssertSqlSafe(sql)).bind(json!(others).to_string()).fetch_all(&self.pool).await?;
        let mut ends = HashMap::new();
        for r in &other_rows {
            let er = entity_row(r)?;
            ends.insert(er.id.clone(), er);
        }
        Ok(crate::common::link_views(caller, id, raw, &ends))
    }

    async fn search(&self, caller: &Caller, query: &SearchQuery) -> Result<SearchPage, StoreError> {
        let limit = query.limit.clamp(1, 500) as i64;
        let offset = query.offset as i64;
        let fts = rows::fts_query(&query.text);
        let mut from = QueryBuilder::<Sqlite>::new("");
        match &fts {
            Some(m) => {
                from.push(" FROM entity_fts f JOIN entity e ON e.rid = f.rowid WHERE entity_fts MATCH ");
                from.push_bind(m.clone());
            }
            None => {
                from.push(" FROM entity e WHERE 1 = 1");
            }
        }
        push_schemata(&mut from, &query.schemata);
        push_filters(&mut from, &query.filters);
        push_visibility(&mut from, caller);
        let base = from.sql().as_str().to_owned();

        // Count first, capped, so a common name costs no more than a rare one.
        let count_sql = format!("SELECT count(*) FROM (SELECT 1{base} LIMIT {})", SearchPage::COUNT_CAP + 1);
        let count = bind_search(sqlx::query_scalar::<_, i64>(AssertSqlSafe(count_sql)), &fts, query, caller)
            .fetch_one(&self.pool)
            .await? as u64;
        // Up to the cap, best match first; beyond it ranking every match is
        // too dear and says little, so newest first.
        let ranked = fts.is_some() && count <= SearchPage::COUNT_CAP;
        // Ordering by the index's own rowid lets FTS5 stop after one page.
        let order = match (ranked, fts.is_some()) {
            (true, _) => " ORDER BY bm25(entity_fts, 4.0, 1.0), e.rid",
            (false, true) => " ORDER BY f.rowid DESC",
            (false, false) => " ORDER BY e.rid DESC",
        };
        let page_sql = format!("SELECT e.rid{base}{order} LIMIT ? OFFSET ?");
        let rids = bind_search(sqlx::query_scalar::<_, i64>(AssertSqlSafe(page_sql)), &fts, query, caller)
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.pool)
            .await?;
        let results = self.load(caller, &rids).await?;
        Ok(SearchPage {
            total: count.min(SearchPage::COUNT_CAP),
            total_is_exact: count <= SearchPage::COUNT_CAP,
            ranked,
            results,
        })
    }

    async fn scan(&self, caller: &Caller, after: i64, limit: u32) -> Result<(Vec<Entity>, i64), StoreError> {
        let mut q = QueryBuilder::<Sqlite>::new("SELECT e.rid FROM entity e WHERE e.rid > ");
        q.push_bind(after);
        push_visibility(&mut q, caller);
        q.push(" ORDER BY e.rid LIMIT ");
        q.push_bind(limit.clamp(1, 10_000) as i64);
        let rids: Vec<i64> = q.build_query_scalar().fetch_all(&self.pool).await?;
        let last = rids.last().copied().unwrap_or(after);
        Ok((self.load(caller, &rids).await?, last))
    }

    async fn retention_due(
        &self,
        caller: &Caller,
        due: NaiveDate,
        limit: u32,
    ) -> Result<Vec<RetentionItem>, StoreError> {
        let mut q = QueryBuilder::<Sqlite>::new(
            "SELECT e.id, e.schema, e.caption, e.owner_agency, e.dataset, e.retention_review FROM entity e \
             WHERE e.retention_review <= ",
        );
        q.push_bind(due.to_string());
        push_visibility(&mut q, caller);
        q.push(" ORDER BY e.retention_review, e.rid LIMIT ");
        q.push_bind(limit.clamp(1, 100_000) as i64);
        let rows = q.build().fetch_all(&self.pool).await?;
        rows.iter().map(read::retention_item).collect()
    }

    async fn set_retention_review(&self, caller: &Caller, id: &str, review: NaiveDate) -> Result<bool, StoreError> {
        let Some(row) = self.find_row(id).await? else { return Ok(false) };
        if !may_decide(&row, caller, "decides its retention")? {
            return Ok(false);
        }
        sqlx::query("UPDATE entity SET retention_review = ?1 WHERE rid = ?2")
            .bind(review.to_string())
            .bind(row.rid)
            .execute(&self.pool)
            .await?;
        Ok(true)
    }

    async fn network(
        &self,
        caller: &Caller,
        seeds: &[String],
        hops: u32,
        max_nodes: usize,
    ) -> Result<crate::types::NetworkSlice, StoreError> {
        crate::network::walk(self, caller, seeds, hops, max_nodes).await
    }

    async fn delete_entity(&self, caller: &Caller, id: &str) -> Result<bool, StoreError> {
        let Some(row) = self.find_row(id).await? else { return Ok(false) };
        if !may_decide(&row, caller, "erases it")? {
            return Ok(false);
        }
        let _writer = self.write_lock.lock().await;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let ends = sqlx::query("SELECT source_id, target_id FROM link WHERE entity_rid = ?1")
            .bind(row.rid)
            .fetch_all(&mut *tx)
            .await?;
        let mut affected = BTreeSet::new();
        for r in &ends {
            affected.insert(r.try_get::<String, _>(0)?);
            affected.insert(r.try_get::<String, _>(1)?);
        }
        for sql in [
            "DELETE FROM entity_fts WHERE rowid = ?1",
            "DELETE FROM link WHERE entity_rid = ?1",
            "DELETE FROM fragment WHERE entity_rid = ?1",
            "DELETE FROM entity WHERE rid = ?1",
        ] {
            sqlx::query(sql).bind(row.rid).execute(&mut *tx).await?;
        }
        for sql in crate::casefile::ON_ERASURE.into_iter().chain(crate::casework::ON_ERASURE) {
            sqlx::query(sql).bind(&row.id).execute(&mut *tx).await?;
        }
        affected.remove(&row.id);
        refresh_case_refs(&mut tx, &affected.into_iter().collect::<Vec<_>>()).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn stats(&self, caller: &Caller) -> Result<Stats, StoreError> {
        let mut stats = Stats::default();
        for (column, slot) in [("e.schema", 0), ("e.dataset", 1), ("e.owner_agency", 2)] {
            let mut q = QueryBuilder::<Sqlite>::new("SELECT ");
            q.push(column);
            q.push(", count(*) AS n FROM entity e WHERE 1 = 1");
            // The platform's figures are real figures: exercise records never count.
            if caller.scope().is_none() {
                q.push(" AND e.exercise IS NULL");
            }
            push_visibility(&mut q, caller);
            q.push(" GROUP BY 1 ORDER BY n DESC, 1");
            let rows = q.build().fetch_all(&self.pool).await?;
            let counts: Vec<(String, u64)> = rows
                .iter()
                .map(|r| Ok((r.try_get(0)?, r.try_get::<i64, _>(1)? as u64)))
                .collect::<Result<_, StoreError>>()?;
            match slot {
                0 => {
                    stats.entities = counts.iter().map(|(_, n)| n).sum();
                    stats.by_schema = counts;
                }
                1 => stats.by_source = counts,
                _ => stats.by_owner = counts,
            }
        }
        Ok(stats)
    }
}

/// What a write needs of one entity that does not depend on the database.
struct Prepared {
    entity: EntityTuple,
    fragment: FragmentRow,
    search: rows::SearchText,
    links: Vec<rows::LinkRow>,
}

impl Prepared {
    fn of(model: &Model, e: &Entity) -> Result<Self, StoreError> {
        Ok(Prepared {
            entity: entity_tuple(model, e, i64::MAX),
            fragment: next_fragment(e, None, 0)?,
            search: rows::search_text(model, &e.unrestricted()),
            links: rows::link_rows(model, &e.unrestricted()),
        })
    }
}

/// One entity row, in the column order of the insert.
type EntityTuple = (
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    &'static str,
    String,
    i64,
    String,
    i64,
    i64,
    String,
    String,
    Option<String>,
    String,
);

/// One entity row as the tuple the insert reads (as a JSON array).
fn entity_tuple(model: &Model, e: &Entity, now: i64) -> EntityTuple {
    let p = &e.provenance;
    (
        e.id.clone(),
        e.schema.clone(),
        e.unrestricted().caption(model),
        p.owner.agency.clone(),
        p.owner.country.clone(),
        p.source.dataset.clone(),
        p.source.record.clone(),
        e.handling.visibility.as_str(),
        framed_countries(&e.handling.countries),
        e.handling.existence_visible as i64,
        serde_json::to_string(&e.handling.caveats).unwrap_or_else(|_| "[]".into()),
        p.created_at.timestamp_micros().min(now),
        now,
        p.retention_review.to_string(),
        rows::framed_cases(model, e),
        p.exercise.clone(),
        crate::common::value_handling_json(e),
    )
}

/// A batch as one JSON array, the single parameter `json_each` reads.
fn to_json<T: serde::Serialize>(rows: &T) -> Result<String, StoreError> {
    serde_json::to_string(rows).map_err(|e| StoreError::Corrupt(format!("cannot encode a batch: {e}")))
}

#[async_trait]
impl crate::network::LinkSource for SqliteStore {
    async fn rows_by_id(&self, ids: &[String]) -> Result<Vec<EntityRow>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT json_group_array(json_array({WALK_COLUMNS})) FROM entity e \
             WHERE e.id IN (SELECT value FROM json_each(?1))"
        );
        let all: String =
            sqlx::query_scalar(AssertSqlSafe(sql)).bind(json!(ids).to_string()).fetch_one(&self.pool).await?;
        let rows: Vec<read::WalkJson> = serde_json::from_str(&all)
            .map_err(|e| StoreError::Corrupt(format!("entity rows of a network walk: {e}")))?;
        Ok(rows.into_iter().map(walk_row_json).collect())
    }

    async fn links_touching(
        &self,
        ids: &[String],
        skip: &[String],
        within: bool,
    ) -> Result<Vec<crate::network::LinkRow>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // One JSON array of rows: a walk reads tens of thousands of links.
        let select = format!(
            "SELECT json_array(l.prop, l.source_id, l.target_id, {WALK_COLUMNS}) AS r \
             FROM link l JOIN entity e ON e.rid = l.entity_rid"
        );
        let sql = if within {
            format!(
                "SELECT json_group_array(json(r)) FROM ({select} WHERE l.source_id IN (SELECT value FROM json_each(?1)) \
                 AND l.target_id IN (SELECT value FROM json_each(?1)))"
            )
        } else {
            format!(
                "SELECT json_group_array(json(r)) FROM ({select} WHERE l.source_id IN (SELECT value FROM json_each(?1)) \
                 AND NOT l.target_id IN (SELECT value FROM json_each(?2)) UNION ALL \
                 {select} WHERE l.target_id IN (SELECT value FROM json_each(?1)) \
                 AND NOT l.source_id IN (SELECT value FROM json_each(?1)) \
                 AND NOT l.source_id IN (SELECT value FROM json_each(?2)))"
            )
        };
        let all: String = sqlx::query_scalar(AssertSqlSafe(sql))
            .bind(json!(ids).to_string())
            .bind(json!(skip).to_string())
            .fetch_one(&self.pool)
            .await?;
        type LinkJson = (
            Option<String>,
            String,
            String,
            i64,
            String,
            String,
            String,
            String,
            String,
            String,
            String,
            String,
            Option<String>,
        );
        let rows: Vec<LinkJson> =
            serde_json::from_str(&all).map_err(|e| StoreError::Corrupt(format!("link rows of a network walk: {e}")))?;
        Ok(rows
            .into_iter()
            .map(|(prop, s, t, rid, id, schema, caption, agency, country, visibility, countries, cases, exercise)| {
                let row = (rid, id, schema, caption, agency, country, visibility, countries, cases, exercise);
                (prop, s, t, walk_row_json(row))
            })
            .collect())
    }
}

/// Recomputes `case_refs` of `affected` from the link table (see
/// [`crate::common::case_refs`]), writing only the rows that change.
async fn refresh_case_refs(tx: &mut sqlx::SqliteConnection, affected: &[String]) -> Result<(), StoreError> {
    if affected.is_empty() {
        return Ok(());
    }
    let ids = json!(affected).to_string();
    let rows = sqlx::query(
        "SELECT l.source_id, l.target_id, v.id, v.schema, v.cases FROM link l JOIN entity v ON v.rid = l.entity_rid \
         WHERE v.cases <> '' AND l.source_id IN (SELECT value FROM json_each(?1)) UNION ALL \
         SELECT l.source_id, l.target_id, v.id, v.schema, v.cases FROM link l JOIN entity v ON v.rid = l.entity_rid \
         WHERE v.cases <> '' AND l.target_id IN (SELECT value FROM json_each(?1)) \
         AND NOT l.source_id IN (SELECT value FROM json_each(?1))",
    )
    .bind(&ids)
    .fetch_all(&mut *tx)
    .await?;
    let links: Vec<(String, String, String, String, String)> = rows
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?, r.try_get(4)?)))
        .collect::<Result<_, StoreError>>()?;
    let refs = crate::common::case_refs(affected, &links);
    let current = sqlx::query("SELECT id, case_refs FROM entity WHERE id IN (SELECT value FROM json_each(?1))")
        .bind(&ids)
        .fetch_all(&mut *tx)
        .await?;
    let mut changed: Vec<(String, String)> = Vec::new();
    for r in &current {
        let id: String = r.try_get(0)?;
        let old: String = r.try_get(1)?;
        let new = refs.get(&id).cloned().unwrap_or_default();
        if new != old {
            changed.push((id, new));
        }
    }
    if !changed.is_empty() {
        sqlx::query("UPDATE entity SET case_refs = j.value->>1 FROM json_each(?1) j WHERE entity.id = j.value->>0")
            .bind(to_json(&changed)?)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}
