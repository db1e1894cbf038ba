//! The review queue of entity resolution: pairs of records proposed as the
//! same person, and the analysts' decisions on them (confirm — a merge —,
//! reject, unsure, and split — undoing a merge). One body of SQL serves both
//! back ends.
//!
//! The policy applies to every pair: a caller sees (and decides) a pair only
//! when they may see both records, so a proposal never reveals a record.
//! Every decision is kept in `match_decision`, so a merge can be traced and
//! undone; the audit entry is the use case's.

use crate::error::StoreError;
use crate::policy::Caller;
use async_trait::async_trait;
use serde::Serialize;

/// Where a proposed pair stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchStatus {
    /// Proposed by the resolver, not yet reviewed.
    Proposed,
    /// An analyst says: the same person (a merge).
    Confirmed,
    /// An analyst says: different people.
    Rejected,
    /// An analyst cannot tell yet.
    Unsure,
    /// A confirmed merge found wrong and undone.
    Split,
}

impl MatchStatus {
    /// Every status, in queue order.
    pub const ALL: [MatchStatus; 5] =
        [MatchStatus::Proposed, MatchStatus::Unsure, MatchStatus::Confirmed, MatchStatus::Rejected, MatchStatus::Split];

    /// The status's code in the database and the API.
    pub fn code(self) -> &'static str {
        match self {
            MatchStatus::Proposed => "proposed",
            MatchStatus::Confirmed => "confirmed",
            MatchStatus::Rejected => "rejected",
            MatchStatus::Unsure => "unsure",
            MatchStatus::Split => "split",
        }
    }

    /// The status a code names.
    pub fn parse(code: &str) -> Option<MatchStatus> {
        MatchStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The status an analyst's decision names: confirmed, rejected, unsure
    /// or split (never proposed).
    pub fn decision(code: &str) -> Option<MatchStatus> {
        MatchStatus::parse(code.trim()).filter(|s| *s != MatchStatus::Proposed)
    }

    /// What the decision says for learning: same (true), different
    /// (false), or nothing (proposed, unsure).
    pub fn label(self) -> Option<bool> {
        match self {
            MatchStatus::Confirmed => Some(true),
            MatchStatus::Rejected | MatchStatus::Split => Some(false),
            MatchStatus::Proposed | MatchStatus::Unsure => None,
        }
    }

    /// Whether a pair in this status may be decided `to`: any review
    /// decision from proposed or unsure; a confirmed pair only splits; a
    /// rejected or split pair may be confirmed after all (new evidence).
    pub fn may_become(self, to: MatchStatus) -> bool {
        use MatchStatus::*;
        match (self, to) {
            (_, Proposed) => false,
            (Proposed | Unsure, Confirmed | Rejected | Unsure) => true,
            (Confirmed, Split) => true,
            (Rejected | Split, Confirmed) => true,
            _ => false,
        }
    }
}

/// A pair the resolver proposes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewMatch {
    /// One record.
    pub left_id: String,
    /// The other.
    pub right_id: String,
    /// Match probability in [0, 1].
    pub score: f64,
    /// The resolver's explanation (JSON).
    pub explanation: serde_json::Value,
    /// What proposed it (`xref dataset:border-log`).
    pub source: String,
}

/// A pair in the queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchCandidate {
    /// Number of the pair.
    pub id: i64,
    /// One record (the smaller id).
    pub left_id: String,
    /// The other.
    pub right_id: String,
    /// Match probability when proposed.
    pub score: f64,
    /// The resolver's explanation: each field's level and weight.
    pub explanation: serde_json::Value,
    /// What proposed it.
    pub source: String,
    /// Where it stands.
    pub status: MatchStatus,
    /// When proposed (microseconds since 1970).
    pub proposed_at: i64,
    /// Who decided last.
    pub decided_by: Option<String>,
    /// When (microseconds since 1970).
    pub decided_at: Option<i64>,
    /// Why (the analyst's words).
    pub reason: Option<String>,
}

/// One decision in a pair's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchDecision {
    /// The status decided.
    pub status: MatchStatus,
    /// Who.
    pub decided_by: String,
    /// When (microseconds since 1970).
    pub decided_at: i64,
    /// Why.
    pub reason: String,
}

/// The review queue.
#[async_trait]
pub trait MatchReview: Send + Sync {
    /// Adds proposals the caller may see both records of; a pair already
    /// in the queue keeps its decision (a proposed one gets the new score).
    /// Returns how many pairs were new.
    async fn propose_matches(&self, caller: &Caller, proposals: &[NewMatch], now: i64) -> Result<u64, StoreError>;
    /// Pairs the caller may see both records of, in `status` (all when
    /// `None`), best score first.
    async fn matches(
        &self,
        caller: &Caller,
        status: Option<MatchStatus>,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<MatchCandidate>, StoreError>;
    /// One pair, if the caller may see both records.
    async fn match_candidate(&self, caller: &Caller, id: i64) -> Result<Option<MatchCandidate>, StoreError>;
    /// A pair's decisions, oldest first (for a pair the caller may see).
    async fn match_history(&self, caller: &Caller, id: i64) -> Result<Vec<MatchDecision>, StoreError>;
    /// Records a decision. [`StoreError::Missing`] when the caller may not
    /// see the pair; [`StoreError::Forbidden`] for a change the status does
    /// not allow (see [`MatchStatus::may_become`]).
    async fn decide_match(
        &self,
        caller: &Caller,
        id: i64,
        to: MatchStatus,
        reason: &str,
        now: i64,
    ) -> Result<MatchCandidate, StoreError>;
    /// Confirmed pairs that name `entity_id`, visible to the caller.
    async fn same_as(&self, caller: &Caller, entity_id: &str) -> Result<Vec<MatchCandidate>, StoreError>;
    /// Pairs with `entity_id` still open (proposed or unsure) whose two
    /// records the caller may see: its possible duplicates, best first.
    async fn open_matches_of(&self, caller: &Caller, entity_id: &str) -> Result<Vec<MatchCandidate>, StoreError>;
    /// Every decided pair (confirmed, rejected, split) the caller may see:
    /// the labels the resolver learns from.
    async fn match_labels(&self, caller: &Caller) -> Result<Vec<(String, String, bool)>, StoreError>;
}

/// The columns [`read_match`] reads.
pub(crate) const MATCH_COLUMNS: &str =
    "id, left_id, right_id, score, explanation, source, status, proposed_at, decided_by, decided_at, reason";

/// A match row, by position in [`MATCH_COLUMNS`].
pub(crate) fn read_match<R: sqlx::Row>(r: &R) -> Result<MatchCandidate, StoreError>
where
    usize: sqlx::ColumnIndex<R>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> f64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<i64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    let status: String = r.try_get(6)?;
    let explanation: String = r.try_get(4)?;
    Ok(MatchCandidate {
        id: r.try_get(0)?,
        left_id: r.try_get(1)?,
        right_id: r.try_get(2)?,
        score: r.try_get(3)?,
        explanation: serde_json::from_str(&explanation)
            .map_err(|e| StoreError::Corrupt(format!("match explanation: {e}")))?,
        source: r.try_get(5)?,
        status: MatchStatus::parse(&status).ok_or_else(|| StoreError::Corrupt(format!("match status '{status}'")))?,
        proposed_at: r.try_get(7)?,
        decided_by: r.try_get(8)?,
        decided_at: r.try_get(9)?,
        reason: r.try_get(10)?,
    })
}

/// The caller's name for the decision log.
pub(crate) fn actor(caller: &Caller) -> String {
    match caller {
        Caller::System { name } => format!("platform: {name}"),
        Caller::User { username, .. } => username.clone(),
    }
}

/// The one implementation of [`MatchReview`] for a store type with a `pool`
/// field and a `find_row(&self, id)` method, on either back end.
macro_rules! matches_impl {
    ($store:ty) => {
        use crate::error::StoreError;
        use crate::matches::{
            MATCH_COLUMNS, MatchCandidate, MatchDecision, MatchReview, MatchStatus, NewMatch, actor, read_match,
        };
        use crate::policy::Caller;
        use async_trait::async_trait;
        use sqlx::{AssertSqlSafe, Row};

        impl $store {
            /// Whether the caller may see both records of a pair.
            async fn sees_pair(&self, caller: &Caller, left: &str, right: &str) -> Result<bool, StoreError> {
                for id in [left, right] {
                    match self.find_row(id).await? {
                        Some(row) if row.visible_to(caller) => {}
                        _ => return Ok(false),
                    }
                }
                Ok(true)
            }

            async fn visible_pairs(
                &self,
                caller: &Caller,
                rows: Vec<MatchCandidate>,
            ) -> Result<Vec<MatchCandidate>, StoreError> {
                let mut out = Vec::with_capacity(rows.len());
                for m in rows {
                    if self.sees_pair(caller, &m.left_id, &m.right_id).await? {
                        out.push(m);
                    }
                }
                Ok(out)
            }
        }

        #[async_trait]
        impl MatchReview for $store {
            async fn propose_matches(
                &self,
                caller: &Caller,
                proposals: &[NewMatch],
                now: i64,
            ) -> Result<u64, StoreError> {
                // The policy first, outside the transaction (an in-memory
                // database has one connection).
                let mut visible = Vec::with_capacity(proposals.len());
                for p in proposals {
                    let (l, r) =
                        if p.left_id < p.right_id { (&p.left_id, &p.right_id) } else { (&p.right_id, &p.left_id) };
                    if l != r && self.sees_pair(caller, l, r).await? {
                        visible.push((l, r, p));
                    }
                }
                let mut new = 0;
                let mut tx = self.pool.begin().await?;
                for (l, r, p) in visible {
                    let existed: i64 =
                        sqlx::query_scalar("SELECT count(*) FROM match_candidate WHERE left_id = $1 AND right_id = $2")
                            .bind(l)
                            .bind(r)
                            .fetch_one(&mut *tx)
                            .await?;
                    sqlx::query(
                        "INSERT INTO match_candidate(left_id, right_id, score, explanation, source, status, proposed_at) \
                         VALUES ($1, $2, $3, $4, $5, 'proposed', $6) ON CONFLICT (left_id, right_id) DO UPDATE \
                         SET score = excluded.score, explanation = excluded.explanation, source = excluded.source \
                         WHERE match_candidate.status = 'proposed'",
                    )
                    .bind(l)
                    .bind(r)
                    .bind(p.score)
                    .bind(p.explanation.to_string())
                    .bind(&p.source)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    if existed == 0 {
                        new += 1;
                    }
                }
                tx.commit().await?;
                Ok(new)
            }

            async fn matches(
                &self,
                caller: &Caller,
                status: Option<MatchStatus>,
                limit: u32,
                offset: u32,
            ) -> Result<Vec<MatchCandidate>, StoreError> {
                // Read pages until `limit` visible pairs are found past `offset` visible ones.
                let page = i64::from(limit.max(1)) * 4;
                let mut skipped = 0u32;
                let mut out = Vec::new();
                let mut cursor = 0i64;
                loop {
                    let sql = format!(
                        "SELECT {MATCH_COLUMNS} FROM match_candidate WHERE ($1 = '' OR status = $1) \
                         ORDER BY score DESC, id LIMIT $2 OFFSET $3"
                    );
                    let rows = sqlx::query(AssertSqlSafe(sql))
                        .bind(status.map(MatchStatus::code).unwrap_or(""))
                        .bind(page)
                        .bind(cursor)
                        .fetch_all(&self.pool)
                        .await?;
                    let read = rows.len() as i64;
                    let candidates = rows.iter().map(read_match).collect::<Result<Vec<_>, _>>()?;
                    for m in self.visible_pairs(caller, candidates).await? {
                        if skipped < offset {
                            skipped += 1;
                        } else if out.len() < limit as usize {
                            out.push(m);
                        }
                    }
                    cursor += read;
                    if read < page || out.len() >= limit as usize {
                        return Ok(out);
                    }
                }
            }

            async fn match_candidate(&self, caller: &Caller, id: i64) -> Result<Option<MatchCandidate>, StoreError> {
                let sql = format!("SELECT {MATCH_COLUMNS} FROM match_candidate WHERE id = $1");
                let Some(row) = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await? else {
                    return Ok(None);
                };
                let m = read_match(&row)?;
                Ok(if self.sees_pair(caller, &m.left_id, &m.right_id).await? { Some(m) } else { None })
            }

            async fn match_history(&self, caller: &Caller, id: i64) -> Result<Vec<MatchDecision>, StoreError> {
                if self.match_candidate(caller, id).await?.is_none() {
                    return Ok(Vec::new());
                }
                let rows = sqlx::query(
                    "SELECT status, decided_by, decided_at, reason FROM match_decision WHERE match_id = $1 ORDER BY id",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        let status: String = r.try_get(0)?;
                        Ok(MatchDecision {
                            status: MatchStatus::parse(&status)
                                .ok_or_else(|| StoreError::Corrupt(format!("match decision '{status}'")))?,
                            decided_by: r.try_get(1)?,
                            decided_at: r.try_get(2)?,
                            reason: r.try_get(3)?,
                        })
                    })
                    .collect()
            }

            async fn decide_match(
                &self,
                caller: &Caller,
                id: i64,
                to: MatchStatus,
                reason: &str,
                now: i64,
            ) -> Result<MatchCandidate, StoreError> {
                let m = self
                    .match_candidate(caller, id)
                    .await?
                    .ok_or_else(|| StoreError::Missing(format!("no proposed match {id}")))?;
                if !m.status.may_become(to) {
                    return Err(StoreError::Forbidden(format!(
                        "match {id} is {}: it cannot become {} (a confirmed match is split; a rejected one may be \
                         confirmed; proposed and unsure ones are confirmed, rejected or left unsure)",
                        m.status.code(),
                        to.code()
                    )));
                }
                let by = actor(caller);
                let mut tx = self.pool.begin().await?;
                sqlx::query(
                    "UPDATE match_candidate SET status = $1, decided_by = $2, decided_at = $3, reason = $4 WHERE id = $5",
                )
                .bind(to.code())
                .bind(&by)
                .bind(now)
                .bind(reason)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO match_decision(match_id, status, decided_by, decided_at, reason) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(id)
                .bind(to.code())
                .bind(&by)
                .bind(now)
                .bind(reason)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(MatchCandidate {
                    status: to,
                    decided_by: Some(by),
                    decided_at: Some(now),
                    reason: Some(reason.to_owned()),
                    ..m
                })
            }

            async fn same_as(&self, caller: &Caller, entity_id: &str) -> Result<Vec<MatchCandidate>, StoreError> {
                let sql = format!(
                    "SELECT {MATCH_COLUMNS} FROM match_candidate WHERE status = 'confirmed' \
                     AND (left_id = $1 OR right_id = $1) ORDER BY id"
                );
                let rows = sqlx::query(AssertSqlSafe(sql)).bind(entity_id).fetch_all(&self.pool).await?;
                let candidates = rows.iter().map(read_match).collect::<Result<Vec<_>, _>>()?;
                self.visible_pairs(caller, candidates).await
            }

            async fn open_matches_of(&self, caller: &Caller, entity_id: &str) -> Result<Vec<MatchCandidate>, StoreError> {
                let sql = format!(
                    "SELECT {MATCH_COLUMNS} FROM match_candidate WHERE status IN ('proposed', 'unsure') \
                     AND (left_id = $1 OR right_id = $1) ORDER BY score DESC, id LIMIT 50"
                );
                let rows = sqlx::query(AssertSqlSafe(sql)).bind(entity_id).fetch_all(&self.pool).await?;
                let candidates = rows.iter().map(read_match).collect::<Result<Vec<_>, _>>()?;
                self.visible_pairs(caller, candidates).await
            }

            async fn match_labels(&self, caller: &Caller) -> Result<Vec<(String, String, bool)>, StoreError> {
                let sql = format!(
                    "SELECT {MATCH_COLUMNS} FROM match_candidate WHERE status IN ('confirmed', 'rejected', 'split') \
                     ORDER BY id"
                );
                let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(&self.pool).await?;
                let candidates = rows.iter().map(read_match).collect::<Result<Vec<_>, _>>()?;
                Ok(self
                    .visible_pairs(caller, candidates)
                    .await?
                    .into_iter()
                    .filter_map(|m| m.status.label().map(|l| (m.left_id, m.right_id, l)))
                    .collect())
            }
        }
    };
}

pub(crate) use matches_impl;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_merge_is_undone_by_a_split_and_nothing_goes_back_to_proposed() {
        use MatchStatus::*;
        assert!(Proposed.may_become(Confirmed) && Proposed.may_become(Rejected) && Proposed.may_become(Unsure));
        assert!(Unsure.may_become(Confirmed));
        assert!(Confirmed.may_become(Split) && !Confirmed.may_become(Rejected));
        assert!(Split.may_become(Confirmed) && Rejected.may_become(Confirmed));
        for s in MatchStatus::ALL {
            assert!(!s.may_become(Proposed));
            assert_eq!(MatchStatus::parse(s.code()), Some(s));
        }
        assert_eq!((Confirmed.label(), Split.label(), Unsure.label()), (Some(true), Some(false), None));
    }
}
