//! The PostgreSQL back end, for multi-node deployments. Batches travel as
//! arrays (`UNNEST`); search uses a `simple` tsvector over the text folded
//! by veza-text, with a trigram index beside it.

use crate::common::read::{ENTITY_COLUMNS, WALK_COLUMNS, entity_row, walk_row};
use crate::common::{Clock, EntityRow, StoredFragment, StoredOwner, may_decide, merge_batch, next_fragment, read};
use crate::error::StoreError;
use crate::policy::{Caller, Mark, PolicyParam, render, sql_condition};
use crate::rows::{self, framed_countries};
use crate::types::*;
use async_trait::async_trait;
use chrono::NaiveDate;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{AssertSqlSafe, Row};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::str::FromStr;
use std::time::Duration;
use veza_model::{Entity, Model};

/// Store on PostgreSQL.
pub(crate) struct PgStore {
    pub(crate) pool: PgPool,
    model: &'static Model,
    pub(crate) clock: Clock,
    /// Concurrent audit appends, committed together.
    pub(crate) audit_group: crate::audit::GroupCommit,
    /// Concurrent requests' operation checks, recorded together.
    pub(crate) check_group: crate::operations::CheckGroup,
}

/// A WHERE clause under construction with numbered parameters ($1, $2, …)
/// and the string values to bind, in order.
struct Filter {
    sql: String,
    params: Vec<FilterParam>,
}

enum FilterParam {
    Text(String),
    List(Vec<String>),
    Int(i64),
}

impl Filter {
    fn new(sql: &str) -> Self {
        Filter { sql: sql.to_owned(), params: Vec::new() }
    }
    fn bind(&mut self, p: FilterParam) -> String {
        self.params.push(p);
        format!("${}", self.params.len())
    }
    fn schemata(&mut self, schemata: &[String]) {
        if !schemata.is_empty() {
            let n = self.bind(FilterParam::List(schemata.to_vec()));
            self.sql.push_str(&format!(" AND e.schema = ANY({n})"));
        }
    }
    fn filters(&mut self, f: &crate::types::SearchFilters) {
        for (column, value) in
            [("owner_agency", &f.owner), ("owner_country", &f.owner_country), ("dataset", &f.dataset)]
        {
            if let Some(v) = value {
                let n = self.bind(FilterParam::Text(v.clone()));
                self.sql.push_str(&format!(" AND e.{column} = {n}"));
            }
        }
        if let Some(t) = f.changed_from {
            let n = self.bind(FilterParam::Int(t));
            self.sql.push_str(&format!(" AND e.changed_at >= {n}"));
        }
        if let Some(t) = f.changed_to {
            let n = self.bind(FilterParam::Int(t));
            self.sql.push_str(&format!(" AND e.changed_at < {n}"));
        }
    }
    fn visibility(&mut self, caller: &Caller) {
        if let Some((sql, params)) = sql_condition(caller) {
            let mut next = self.params.len();
            let rendered = render(&sql, |mark| {
                next += 1;
                match mark {
                    Mark::Text => format!("${next}"),
                    Mark::InList => format!("= ANY(${next})"),
                    Mark::CasesMatch => {
                        format!(
                            "EXISTS (SELECT 1 FROM unnest(${next}::text[]) AS c(item) WHERE strpos(e.cases || e.case_refs, c.item) > 0)"
                        )
                    }
                }
            });
            for p in params {
                self.params.push(match p {
                    PolicyParam::Text(t) => FilterParam::Text(t),
                    PolicyParam::List(l) => FilterParam::List(l),
                });
            }
            self.sql.push_str(" AND ");
            self.sql.push_str(&rendered);
        }
    }
    fn apply<'q, O>(
        &self,
        mut q: sqlx::query::QueryScalar<'q, sqlx::Postgres, O, sqlx::postgres::PgArguments>,
    ) -> sqlx::query::QueryScalar<'q, sqlx::Postgres, O, sqlx::postgres::PgArguments> {
        for p in &self.params {
            q = match p {
                FilterParam::Text(t) => q.bind(t.clone()),
                FilterParam::List(l) => q.bind(l.clone()),
                FilterParam::Int(i) => q.bind(*i),
            };
        }
        q
    }
}

impl PgStore {
    pub(crate) async fn open(url: &str, model: &'static Model) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Config(format!("cannot read PostgreSQL URL '{}': {e}", crate::redact(url))))?;
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(15))
            .connect_with(options)
            .await?;
        crate::migrations::postgres().run(&pool).await?;
        let store = PgStore {
            pool,
            model,
            clock: Clock::default(),
            audit_group: crate::audit::GroupCommit::default(),
            check_group: Default::default(),
        };
        store.seed_countries().await?;
        Ok(store)
    }

    async fn seed_countries(&self) -> Result<(), StoreError> {
        let (codes, names): (Vec<String>, Vec<String>) =
            veza_model::types::countries().into_iter().map(|(c, n)| (c, n.to_owned())).unzip();
        sqlx::query(
            "INSERT INTO country(code, name) SELECT * FROM UNNEST($1::text[], $2::text[]) ON CONFLICT (code) DO NOTHING",
        )
        .bind(codes)
        .bind(names)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Values whose own handling the caller does not pass are left out.
    pub(crate) async fn load(&self, caller: &Caller, rids: &[i64]) -> Result<Vec<Entity>, StoreError> {
        if rids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!("SELECT {ENTITY_COLUMNS} FROM entity e WHERE e.rid = ANY($1)");
        let rows = sqlx::query(AssertSqlSafe(sql)).bind(rids.to_vec()).fetch_all(&self.pool).await?;
        let rows = rows.iter().map(entity_row).collect::<Result<Vec<_>, _>>()?;
        self.load_rows(caller, rids, rows).await
    }

    /// Completes entity rows already read with their values, in the order of
    /// `rids`.
    async fn load_rows(&self, caller: &Caller, rids: &[i64], rows: Vec<EntityRow>) -> Result<Vec<Entity>, StoreError> {
        let mut by_rid: HashMap<i64, Entity> = HashMap::with_capacity(rows.len());
        for er in rows {
            by_rid.insert(er.rid, er.into_entity()?);
        }
        let fragments = sqlx::query("SELECT entity_rid, properties FROM fragment WHERE entity_rid = ANY($1)")
            .bind(rids.to_vec())
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
        let sql = format!("SELECT {ENTITY_COLUMNS} FROM entity e WHERE e.id = $1");
        let row = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
        row.map(|r| entity_row(&r)).transpose()
    }
}

#[async_trait]
impl crate::Store for PgStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    async fn write(&self, caller: &Caller, batch: &[Entity], mode: WriteMode) -> Result<WriteReport, StoreError> {
        let merged_batch = merge_batch(batch);
        let batch: &[Entity] = &merged_batch;
        if batch.is_empty() {
            return Ok(WriteReport::default());
        }
        let now = self.clock.tick();
        let mut tx = self.pool.begin().await?;
        let datasets: Vec<String> =
            batch.iter().map(|e| e.provenance.source.dataset.clone()).collect::<BTreeSet<_>>().into_iter().collect();
        let known: Vec<String> = sqlx::query_scalar("SELECT dataset FROM source WHERE dataset = ANY($1)")
            .bind(&datasets)
            .fetch_all(&mut *tx)
            .await?;
        if let Some(missing) = datasets.iter().find(|d| !known.contains(d)) {
            return Err(StoreError::Missing(format!("unknown source dataset '{missing}': create the source first")));
        }
        let ids: Vec<String> = batch.iter().map(|e| e.id.clone()).collect();
        // Lock the rows we may update, so concurrent writers of one entity queue.
        let existing_rows = sqlx::query(
            "SELECT rid, id, owner_agency, exercise, value_handling FROM entity WHERE id = ANY($1) FOR UPDATE",
        )
        .bind(&ids)
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
            let rows = sqlx::query("SELECT id, owner_agency FROM entity WHERE id = ANY($1)")
                .bind(&cases)
                .fetch_all(&mut *tx)
                .await?;
            let owners: Vec<(String, String)> =
                rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect::<Result<_, StoreError>>()?;
            crate::common::check_case_writes(caller, batch, &owners)?;
        }

        let mut cols: EntityColumns = EntityColumns::default();
        for e in batch {
            cols.push(self.model, e, now);
        }
        let returned = sqlx::query(
            "INSERT INTO entity(id, schema, caption, owner_agency, owner_country, dataset, source_record, visibility, \
               handling_countries, existence_visible, caveats, created_at, changed_at, retention_review, \
               search_names, search_identifiers, cases, exercise, value_handling) \
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], \
               $8::text[], $9::text[], $10::bool[], $11::text[], $12::bigint[], $13::bigint[], $14::text[], \
               $15::text[], $16::text[], $17::text[], $18::text[], $19::text[]) \
             ON CONFLICT (id) DO UPDATE SET schema = excluded.schema, caption = excluded.caption, \
               visibility = excluded.visibility, handling_countries = excluded.handling_countries, \
               existence_visible = excluded.existence_visible, caveats = excluded.caveats, \
               changed_at = excluded.changed_at, retention_review = excluded.retention_review, \
               cases = excluded.cases, source_record = coalesce(entity.source_record, excluded.source_record) \
             RETURNING rid, id",
        )
        .bind(cols.id)
        .bind(cols.schema)
        .bind(cols.caption)
        .bind(cols.owner_agency)
        .bind(cols.owner_country)
        .bind(cols.dataset)
        .bind(cols.record)
        .bind(cols.visibility)
        .bind(cols.countries)
        .bind(cols.existence)
        .bind(cols.caveats)
        .bind(cols.created)
        .bind(cols.changed)
        .bind(cols.retention)
        .bind(cols.search_names)
        .bind(cols.search_identifiers)
        .bind(cols.cases)
        .bind(cols.exercise)
        .bind(cols.value_handling)
        .fetch_all(&mut *tx)
        .await?;
        let mut rid_of: HashMap<String, i64> = HashMap::with_capacity(returned.len());
        for r in &returned {
            rid_of.insert(r.try_get(1)?, r.try_get(0)?);
        }
        let rid = |id: &str| rid_of.get(id).copied().ok_or_else(|| StoreError::Corrupt(format!("no row id for {id}")));

        // Ids whose `case_refs` may change: the batch, and the ends of its
        // links before and after.
        let mut affected: BTreeSet<String> = batch.iter().map(|e| e.id.clone()).collect();
        // What the datasets said before, for entities that existed.
        let mut old: Vec<StoredFragment> = Vec::new();
        if !existing.is_empty() {
            let old_rids: Vec<i64> = existing.values().copied().collect();
            let rows = sqlx::query(
                "SELECT entity_rid, dataset, properties, since, first_seen, last_seen FROM fragment WHERE entity_rid = ANY($1)",
            )
            .bind(&old_rids)
            .fetch_all(&mut *tx)
            .await?;
            for r in &rows {
                old.push(read::fragment(r)?);
            }
            let ends = sqlx::query("SELECT source_id, target_id FROM link WHERE entity_rid = ANY($1)")
                .bind(&old_rids)
                .fetch_all(&mut *tx)
                .await?;
            for r in &ends {
                affected.insert(r.try_get(0)?);
                affected.insert(r.try_get(1)?);
            }
            sqlx::query("DELETE FROM link WHERE entity_rid = ANY($1)").bind(&old_rids).execute(&mut *tx).await?;
        }
        let (mut g_rid, mut g_ds, mut g_props, mut g_since) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut merged: BTreeMap<i64, Entity> = BTreeMap::new();
        for e in batch {
            let r = rid(&e.id)?;
            let dataset = e.provenance.source.dataset.clone();
            let own = old.iter().find(|f| f.rid == r && f.dataset == dataset);
            let with_own;
            let e = match (mode, own) {
                (WriteMode::Merge, Some(own)) => {
                    with_own = crate::common::with_values_of(e, own);
                    &with_own
                }
                _ => e,
            };
            let row = next_fragment(e, own, now)?;
            g_rid.push(r);
            g_ds.push(dataset);
            g_props.push(row.properties);
            g_since.push(row.since);
            if existing.contains_key(&e.id) {
                let others: Vec<&StoredFragment> = old.iter().filter(|f| f.rid == r).collect();
                merged.insert(r, crate::common::merged(e, &others, stored_handling.get(&e.id))?);
            }
        }
        sqlx::query(
            "INSERT INTO fragment(entity_rid, dataset, properties, since, first_seen, last_seen) \
             SELECT r, d, p, s, $5, $5 FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[]) AS t(r, d, p, s) \
             ON CONFLICT (entity_rid, dataset) DO UPDATE SET properties = excluded.properties, \
               since = excluded.since, last_seen = excluded.last_seen",
        )
        .bind(g_rid)
        .bind(g_ds)
        .bind(g_props)
        .bind(g_since)
        .bind(now)
        .execute(&mut *tx)
        .await?;

        // New entities were inserted with their caption and search text;
        // those that existed get both from all their datasets.
        let (mut f_rid, mut f_caption, mut f_names, mut f_ids) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut f_cases = Vec::new();
        let (mut l_rid, mut l_prop, mut l_src, mut l_tgt) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for e in batch {
            let r = rid(&e.id)?;
            let full = match merged.get(&r) {
                Some(m) => {
                    let text = rows::search_text(self.model, &m.unrestricted());
                    f_rid.push(r);
                    f_caption.push(m.unrestricted().caption(self.model));
                    f_names.push(text.names);
                    f_ids.push(text.identifiers);
                    f_cases.push(rows::framed_cases(self.model, m));
                    m
                }
                None => e,
            };
            for l in rows::link_rows(self.model, &full.unrestricted()) {
                l_rid.push(r);
                l_prop.push(l.prop);
                l_src.push(l.source);
                l_tgt.push(l.target);
            }
        }
        if !f_rid.is_empty() {
            sqlx::query(
                "UPDATE entity e SET caption = t.c, search_names = t.n, search_identifiers = t.i, cases = t.k \
                 FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[]) AS t(r, c, n, i, k) \
                 WHERE e.rid = t.r",
            )
            .bind(f_rid)
            .bind(f_caption)
            .bind(f_names)
            .bind(f_ids)
            .bind(f_cases)
            .execute(&mut *tx)
            .await?;
        }
        if !l_rid.is_empty() {
            sqlx::query(
                "INSERT INTO link(entity_rid, prop, source_id, target_id) \
                 SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[])",
            )
            .bind(l_rid)
            .bind(l_prop)
            .bind(&l_src)
            .bind(&l_tgt)
            .execute(&mut *tx)
            .await?;
        }
        affected.extend(l_src);
        affected.extend(l_tgt);
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
        let sql = format!("SELECT {ENTITY_COLUMNS} FROM entity e WHERE e.id = ANY($1)");
        let rows = sqlx::query(AssertSqlSafe(sql)).bind(ids.to_vec()).fetch_all(&self.pool).await?;
        let rows = rows.iter().map(entity_row).collect::<Result<Vec<_>, _>>()?;
        let (visible, hidden): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| r.visible_to(caller));
        let rids: Vec<i64> = visible.iter().map(|r| r.rid).collect();
        let loaded = self.load_rows(caller, &rids, visible).await?;
        Ok(crate::common::lookups_in_order(ids, &hidden, loaded))
    }

    async fn statements(&self, caller: &Caller, id: &str) -> Result<Vec<veza_model::Statement>, StoreError> {
        let Some(row) = self.find_row(id).await? else { return Ok(Vec::new()) };
        if !row.visible_to(caller) {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(
            "SELECT f.entity_rid, f.dataset, f.properties, f.since, f.first_seen, f.last_seen, src.owner_agency \
             FROM fragment f JOIN source src ON src.dataset = f.dataset WHERE f.entity_rid = $1 ORDER BY f.dataset",
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
             WHERE l.source_id = $1 OR l.target_id = $1 LIMIT 5000"
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
        let others: Vec<String> = raw
            .iter()
            .map(|(p, s, t, via)| crate::common::other_end(id, p, s, t, via))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let sql = format!("SELECT {ENTITY_COLUMNS} FROM entity e WHERE e.id = ANY($1)");
        let other_rows = sqlx::query(AssertSqlSafe(sql)).bind(others).fetch_all(&self.pool).await?;
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
        let ts = rows::ts_query(&query.text);
        let mut filter = Filter::new(" FROM entity e WHERE true");
        let rank = match &ts {
            Some(t) => {
                let n = filter.bind(FilterParam::Text(t.clone()));
                filter.sql.push_str(&format!(" AND e.search @@ to_tsquery('simple', {n})"));
                Some(n)
            }
            None => None,
        };
        filter.schemata(&query.schemata);
        filter.filters(&query.filters);
        filter.visibility(caller);
        let next = filter.params.len();
        // Count first, capped; rank only up to the cap (see the SQLite back end).
        let count_sql =
            format!("SELECT count(*) FROM (SELECT 1{} LIMIT {}) AS capped", filter.sql, SearchPage::COUNT_CAP + 1);
        let count =
            filter.apply(sqlx::query_scalar::<_, i64>(AssertSqlSafe(count_sql))).fetch_one(&self.pool).await? as u64;
        let ranked = rank.is_some() && count <= SearchPage::COUNT_CAP;
        let order = match (&rank, ranked) {
            (Some(n), true) => format!(" ORDER BY ts_rank(e.search, to_tsquery('simple', {n})) DESC, e.rid"),
            _ => " ORDER BY e.rid DESC".to_owned(),
        };
        let page_sql = format!("SELECT e.rid{}{order} LIMIT ${} OFFSET ${}", filter.sql, next + 1, next + 2);
        let rids: Vec<i64> = filter
            .apply(sqlx::query_scalar(AssertSqlSafe(page_sql)))
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.pool)
            .await?;
        Ok(SearchPage {
            total: count.min(SearchPage::COUNT_CAP),
            total_is_exact: count <= SearchPage::COUNT_CAP,
            ranked,
            results: self.load(caller, &rids).await?,
        })
    }

    async fn scan(&self, caller: &Caller, after: i64, limit: u32) -> Result<(Vec<Entity>, i64), StoreError> {
        let mut filter = Filter::new(" FROM entity e WHERE true");
        filter.visibility(caller);
        let next = filter.params.len();
        let sql = format!("SELECT e.rid{} AND e.rid > ${} ORDER BY e.rid LIMIT ${}", filter.sql, next + 1, next + 2);
        let rids: Vec<i64> = filter
            .apply(sqlx::query_scalar(AssertSqlSafe(sql)))
            .bind(after)
            .bind(limit.clamp(1, 10_000) as i64)
            .fetch_all(&self.pool)
            .await?;
        let last = rids.last().copied().unwrap_or(after);
        Ok((self.load(caller, &rids).await?, last))
    }

    async fn retention_due(
        &self,
        caller: &Caller,
        due: NaiveDate,
        limit: u32,
    ) -> Result<Vec<RetentionItem>, StoreError> {
        let mut filter = Filter::new(" FROM entity e WHERE true");
        filter.visibility(caller);
        let next = filter.params.len();
        let sql = format!(
            "SELECT e.id, e.schema, e.caption, e.owner_agency, e.dataset, e.retention_review{} \
             AND e.retention_review <= ${} ORDER BY e.retention_review, e.rid LIMIT ${}",
            filter.sql,
            next + 1,
            next + 2
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for p in &filter.params {
            q = match p {
                FilterParam::Text(t) => q.bind(t.clone()),
                FilterParam::List(l) => q.bind(l.clone()),
                FilterParam::Int(i) => q.bind(*i),
            };
        }
        let rows = q.bind(due.to_string()).bind(limit.clamp(1, 100_000) as i64).fetch_all(&self.pool).await?;
        rows.iter().map(read::retention_item).collect()
    }

    async fn set_retention_review(&self, caller: &Caller, id: &str, review: NaiveDate) -> Result<bool, StoreError> {
        let Some(row) = self.find_row(id).await? else { return Ok(false) };
        if !may_decide(&row, caller, "decides its retention")? {
            return Ok(false);
        }
        sqlx::query("UPDATE entity SET retention_review = $1 WHERE rid = $2")
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
        // Fragments and links go with the entity (ON DELETE CASCADE).
        let mut tx = self.pool.begin().await?;
        let ends = sqlx::query("SELECT source_id, target_id FROM link WHERE entity_rid = $1")
            .bind(row.rid)
            .fetch_all(&mut *tx)
            .await?;
        let mut affected = BTreeSet::new();
        for r in &ends {
            affected.insert(r.try_get::<String, _>(0)?);
            affected.insert(r.try_get::<String, _>(1)?);
        }
        sqlx::query("DELETE FROM entity WHERE rid = $1").bind(row.rid).execute(&mut *tx).await?;
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
            // The platform's figures are real figures: exercise records never count.
            let from = if caller.scope().is_none() {
                " FROM entity e WHERE e.exercise IS NULL"
            } else {
                " FROM entity e WHERE true"
            };
            let mut filter = Filter::new(from);
            filter.visibility(caller);
            let sql = format!("SELECT {column}, count(*) AS n{} GROUP BY 1 ORDER BY n DESC, 1", filter.sql);
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for p in &filter.params {
                q = match p {
                    FilterParam::Text(t) => q.bind(t.clone()),
                    FilterParam::List(l) => q.bind(l.clone()),
                    FilterParam::Int(i) => q.bind(*i),
                };
            }
            let rows = q.fetch_all(&self.pool).await?;
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

/// Entity rows column by column, as UNNEST takes them.
#[derive(Default)]
struct EntityColumns {
    id: Vec<String>,
    schema: Vec<String>,
    caption: Vec<String>,
    owner_agency: Vec<String>,
    owner_country: Vec<String>,
    dataset: Vec<String>,
    record: Vec<Option<String>>,
    visibility: Vec<String>,
    countries: Vec<String>,
    existence: Vec<bool>,
    caveats: Vec<String>,
    created: Vec<i64>,
    changed: Vec<i64>,
    retention: Vec<String>,
    search_names: Vec<String>,
    search_identifiers: Vec<String>,
    cases: Vec<String>,
    exercise: Vec<Option<String>>,
    value_handling: Vec<String>,
}

impl EntityColumns {
    fn push(&mut self, model: &Model, e: &Entity, now: i64) {
        let p = &e.provenance;
        self.id.push(e.id.clone());
        self.schema.push(e.schema.clone());
        self.caption.push(e.unrestricted().caption(model));
        self.owner_agency.push(p.owner.agency.clone());
        self.owner_country.push(p.owner.country.clone());
        self.dataset.push(p.source.dataset.clone());
        self.record.push(p.source.record.clone());
        self.visibility.push(e.handling.visibility.as_str().to_owned());
        self.countries.push(framed_countries(&e.handling.countries));
        self.existence.push(e.handling.existence_visible);
        self.caveats.push(serde_json::json!(e.handling.caveats).to_string());
        self.created.push(p.created_at.timestamp_micros().min(now));
        self.changed.push(now);
        self.retention.push(p.retention_review.to_string());
        let text = rows::search_text(model, &e.unrestricted());
        self.search_names.push(text.names);
        self.search_identifiers.push(text.identifiers);
        self.cases.push(rows::framed_cases(model, e));
        self.exercise.push(p.exercise.clone());
        self.value_handling.push(crate::common::value_handling_json(e));
    }
}

#[async_trait]
impl crate::network::LinkSource for PgStore {
    async fn rows_by_id(&self, ids: &[String]) -> Result<Vec<EntityRow>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!("SELECT {WALK_COLUMNS} FROM entity e WHERE e.id = ANY($1)");
        let rows = sqlx::query(AssertSqlSafe(sql)).bind(ids.to_vec()).fetch_all(&self.pool).await?;
        rows.iter().map(|r| walk_row(r, 0)).collect()
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
        let select = format!(
            "SELECT l.prop, l.source_id, l.target_id, {WALK_COLUMNS} FROM link l JOIN entity e ON e.rid = l.entity_rid"
        );
        let sql = if within {
            format!("{select} WHERE l.source_id = ANY($1) AND l.target_id = ANY($1)")
        } else {
            format!(
                "{select} WHERE l.source_id = ANY($1) AND NOT l.target_id = ANY($2) UNION ALL \
                 {select} WHERE l.target_id = ANY($1) AND NOT l.source_id = ANY($1) AND NOT l.source_id = ANY($2)"
            )
        };
        let mut query = sqlx::query(AssertSqlSafe(sql)).bind(ids.to_vec());
        if !within {
            // $2 appears only then: PostgreSQL refuses a parameter the statement does not use.
            query = query.bind(skip.to_vec());
        }
        let rows = query.fetch_all(&self.pool).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push((
                r.try_get::<Option<String>, _>(0)?,
                r.try_get::<String, _>(1)?,
                r.try_get::<String, _>(2)?,
                walk_row(r, 3)?,
            ));
        }
        Ok(out)
    }
}

/// Recomputes `case_refs` of `affected` from the link table (see
/// [`crate::common::case_refs`]), writing only the rows that change.
async fn refresh_case_refs(tx: &mut sqlx::PgConnection, affected: &[String]) -> Result<(), StoreError> {
    if affected.is_empty() {
        return Ok(());
    }
    let rows = sqlx::query(
        "SELECT l.source_id, l.target_id, v.id, v.schema, v.cases FROM link l JOIN entity v ON v.rid = l.entity_rid \
         WHERE v.cases <> '' AND (l.source_id = ANY($1) OR l.target_id = ANY($1))",
    )
    .bind(affected)
    .fetch_all(&mut *tx)
    .await?;
    let links: Vec<(String, String, String, String, String)> = rows
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?, r.try_get(4)?)))
        .collect::<Result<_, StoreError>>()?;
    let refs = crate::common::case_refs(affected, &links);
    let current =
        sqlx::query("SELECT id, case_refs FROM entity WHERE id = ANY($1)").bind(affected).fetch_all(&mut *tx).await?;
    let (mut ids, mut values) = (Vec::new(), Vec::new());
    for r in &current {
        let id: String = r.try_get(0)?;
        let old: String = r.try_get(1)?;
        let new = refs.get(&id).cloned().unwrap_or_default();
        if new != old {
            ids.push(id);
            values.push(new);
        }
    }
    if !ids.is_empty() {
        sqlx::query(
            "UPDATE entity e SET case_refs = t.v FROM UNNEST($1::text[], $2::text[]) AS t(i, v) WHERE e.id = t.i",
        )
        .bind(ids)
        .bind(values)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}
