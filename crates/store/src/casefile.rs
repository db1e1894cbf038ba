//! Who else may see a record beyond its handling: case membership (a case's
//! investigators, analysts, assigned prosecutors and judges) and access
//! requests (a user asks the owner of a record whose existence is visible;
//! the owner grants or refuses). One body of SQL serves both back ends.
//!
//! What this adds reaches the policy through [`Scope`], loaded by
//! [`CaseFiles::scope_of`] whenever a user's caller is made.

use crate::error::StoreError;
use crate::policy::{Caller, Capacity, Scope};
use async_trait::async_trait;
use serde::Serialize;

/// One member of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseMember {
    /// The case's entity id.
    pub case_id: String,
    /// The member.
    pub username: String,
    /// How the member takes part.
    pub capacity: String,
    /// Who added the member.
    pub added_by: String,
    /// When (microseconds since 1970).
    pub added_at: i64,
}

/// Where an access request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RequestStatus {
    /// Waiting for the owner.
    Pending,
    /// The owner opened the record to the requester.
    Granted,
    /// The owner said no.
    Refused,
}

impl RequestStatus {
    /// The status as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Pending => "pending",
            RequestStatus::Granted => "granted",
            RequestStatus::Refused => "refused",
        }
    }

    fn parse(s: &str) -> Result<Self, StoreError> {
        match s {
            "pending" => Ok(RequestStatus::Pending),
            "granted" => Ok(RequestStatus::Granted),
            "refused" => Ok(RequestStatus::Refused),
            other => Err(StoreError::Corrupt(format!("access request status '{other}'"))),
        }
    }
}

/// A request to see a record whose existence its owner made visible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessRequest {
    /// Number of the request.
    pub id: i64,
    /// The record asked for.
    pub entity_id: String,
    /// The agency that owns it and decides.
    pub owner_agency: String,
    /// Who asks.
    pub requester: String,
    /// The requester's agency.
    pub requester_agency: String,
    /// Why (the requester's words).
    pub reason: String,
    /// Where it stands.
    pub status: RequestStatus,
    /// When asked (microseconds since 1970).
    pub requested_at: i64,
    /// Who decided.
    pub decided_by: Option<String>,
    /// When decided.
    pub decided_at: Option<i64>,
    /// The owner's reason.
    pub decision_reason: Option<String>,
    /// Until when a grant holds (microseconds since 1970); `None`: until revoked.
    pub expires_at: Option<i64>,
}

/// The owner's answer to an access request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Grant (true) or refuse.
    pub grant: bool,
    /// Why.
    pub reason: String,
    /// Until when a grant holds (microseconds since 1970).
    pub expires_at: Option<i64>,
}

/// Case membership, access requests and grants.
#[async_trait]
pub trait CaseFiles: Send + Sync {
    /// A user's cases and live grants (at `now`), for their caller's
    /// [`Scope`]; the exercise is not stored here (the caller's context sets it).
    async fn scope_of(&self, username: &str, now: i64) -> Result<Scope, StoreError>;
    /// Adds `username` to a case, or changes their capacity. Only the case's
    /// owner agency (or the platform) may; the case must be visible to the
    /// caller and the user must exist.
    async fn put_member(
        &self,
        caller: &Caller,
        case_id: &str,
        username: &str,
        capacity: Capacity,
        now: i64,
    ) -> Result<(), StoreError>;
    /// Removes a member; false when they were not one.
    async fn remove_member(&self, caller: &Caller, case_id: &str, username: &str) -> Result<bool, StoreError>;
    /// The members of a case the caller may see.
    async fn members(&self, caller: &Caller, case_id: &str) -> Result<Vec<CaseMember>, StoreError>;
    /// Asks the owner of a record whose existence is visible to open it to
    /// the caller. [`StoreError::Missing`] when there is no such record for
    /// the caller (absent, or hidden without existence visible).
    async fn request_access(
        &self,
        caller: &Caller,
        entity_id: &str,
        reason: &str,
        now: i64,
    ) -> Result<AccessRequest, StoreError>;
    /// Requests the caller may see: those to their agency as owner, and
    /// their own; newest first. `pending_only` keeps the undecided ones.
    async fn access_requests(&self, caller: &Caller, pending_only: bool) -> Result<Vec<AccessRequest>, StoreError>;
    /// One request, if the caller may see it (as [`CaseFiles::access_requests`]
    /// would list it).
    async fn access_request(&self, caller: &Caller, request_id: i64) -> Result<Option<AccessRequest>, StoreError>;
    /// The owner's answer; a grant opens the record to the requester.
    async fn decide_access(
        &self,
        caller: &Caller,
        request_id: i64,
        decision: &Decision,
        now: i64,
    ) -> Result<AccessRequest, StoreError>;
}

/// What erasing an entity (`$1`: its id) does here: its grants and, for a
/// case, its members go; pending requests for it are answered "erased";
/// match proposals and decisions that name it go.
pub(crate) const ON_ERASURE: [&str; 4] = [
    "DELETE FROM entity_grant WHERE entity_id = $1",
    "DELETE FROM match_candidate WHERE left_id = $1 OR right_id = $1",
    "DELETE FROM case_member WHERE case_id = $1",
    "UPDATE access_request SET status = 'refused', decision_reason = 'the record was erased' \
     WHERE entity_id = $1 AND status = 'pending'",
];

/// The columns [`read_request`] reads.
pub(crate) const REQUEST_COLUMNS: &str = "id, entity_id, owner_agency, requester, requester_agency, reason, status, \
    requested_at, decided_by, decided_at, decision_reason, expires_at";

/// An access request row, by position in [`REQUEST_COLUMNS`].
pub(crate) fn read_request<R: sqlx::Row>(r: &R) -> Result<AccessRequest, StoreError>
where
    usize: sqlx::ColumnIndex<R>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<i64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    Ok(AccessRequest {
        id: r.try_get(0)?,
        entity_id: r.try_get(1)?,
        owner_agency: r.try_get(2)?,
        requester: r.try_get(3)?,
        requester_agency: r.try_get(4)?,
        reason: r.try_get(5)?,
        status: RequestStatus::parse(&r.try_get::<String, _>(6)?)?,
        requested_at: r.try_get(7)?,
        decided_by: r.try_get(8)?,
        decided_at: r.try_get(9)?,
        decision_reason: r.try_get(10)?,
        expires_at: r.try_get(11)?,
    })
}

/// The one implementation of [`CaseFiles`] for a store type with a `pool`
/// field and a `find_row(&self, id)` method, on either back end.
macro_rules! casefile_impl {
    ($store:ty) => {
        use crate::casefile::{
            AccessRequest, CaseFiles, CaseMember, Decision, REQUEST_COLUMNS, RequestStatus, read_request,
        };
        use crate::error::StoreError;
        use crate::policy::{Caller, Capacity, Membership, Scope};
        use async_trait::async_trait;
        use sqlx::{AssertSqlSafe, Row};

        impl $store {
            /// The case row, if the caller sees it and it is a case.
            async fn visible_case(
                &self,
                caller: &Caller,
                case_id: &str,
            ) -> Result<Option<crate::common::EntityRow>, StoreError> {
                let Some(row) = self.find_row(case_id).await? else { return Ok(None) };
                let is_case =
                    veza_model::Model::builtin().schema(&row.schema).map(|s| s.is_a("Case")).unwrap_or(false);
                Ok((is_case && row.visible_to(caller)).then_some(row))
            }

            async fn manageable_case(
                &self,
                caller: &Caller,
                case_id: &str,
            ) -> Result<crate::common::EntityRow, StoreError> {
                let row = self
                    .visible_case(caller, case_id)
                    .await?
                    .ok_or_else(|| StoreError::Missing(format!("no case {case_id}")))?;
                if !row.owned_by(caller) {
                    return Err(StoreError::Forbidden(format!(
                        "case {case_id} is owned by {}; only its owner decides who works on it",
                        row.owner_agency
                    )));
                }
                Ok(row)
            }
        }

        #[async_trait]
        impl CaseFiles for $store {
            async fn scope_of(&self, username: &str, now: i64) -> Result<Scope, StoreError> {
                let rows = sqlx::query(
                    "SELECT case_id, capacity FROM case_member WHERE username = $1 ORDER BY case_id",
                )
                .bind(username)
                .fetch_all(&self.pool)
                .await?;
                let mut cases = Vec::with_capacity(rows.len());
                for r in &rows {
                    let capacity: String = r.try_get(1)?;
                    let capacity = Capacity::parse(&capacity)
                        .ok_or_else(|| StoreError::Corrupt(format!("case member capacity '{capacity}'")))?;
                    cases.push(Membership { case_id: r.try_get(0)?, capacity });
                }
                // Cases shared whole with the user's agency (live shares): read
                // as an observer, after the user's own memberships.
                let shared: Vec<String> = sqlx::query_scalar(
                    "SELECT DISTINCT s.case_id FROM case_share s JOIN app_user u ON u.agency = s.agency \
                     WHERE u.username = $1 AND s.whole_case = $2 AND s.revoked_at IS NULL ORDER BY s.case_id",
                )
                .bind(username)
                .bind(true)
                .fetch_all(&self.pool)
                .await?;
                for case_id in shared {
                    if !cases.iter().any(|m: &Membership| m.case_id == case_id) {
                        cases.push(Membership { case_id, capacity: Capacity::Observer });
                    }
                }
                // Grants, and the records of live partial shares with the agency.
                let grants: Vec<String> = sqlx::query_scalar(
                    "SELECT entity_id FROM entity_grant WHERE username = $1 \
                     AND (expires_at IS NULL OR expires_at > $2) \
                     UNION SELECT e.entity_id FROM case_share_entity e JOIN case_share s ON s.id = e.share_id \
                     JOIN app_user u ON u.agency = s.agency WHERE u.username = $1 AND s.revoked_at IS NULL \
                     ORDER BY 1",
                )
                .bind(username)
                .bind(now)
                .fetch_all(&self.pool)
                .await?;
                Ok(Scope { cases, grants, exercise: None })
            }

            async fn put_member(
                &self,
                caller: &Caller,
                case_id: &str,
                username: &str,
                capacity: Capacity,
                now: i64,
            ) -> Result<(), StoreError> {
                self.manageable_case(caller, case_id).await?;
                let known: i64 = sqlx::query_scalar("SELECT count(*) FROM app_user WHERE username = $1")
                    .bind(username)
                    .fetch_one(&self.pool)
                    .await?;
                if known == 0 {
                    return Err(StoreError::Missing(format!("no user {username}")));
                }
                let by = match caller {
                    Caller::System { name } => format!("system:{name}"),
                    Caller::User { username, .. } => username.clone(),
                };
                sqlx::query(
                    "INSERT INTO case_member(case_id, username, capacity, added_by, added_at) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (case_id, username) \
                     DO UPDATE SET capacity = excluded.capacity, added_by = excluded.added_by, added_at = excluded.added_at",
                )
                .bind(case_id)
                .bind(username)
                .bind(capacity.code())
                .bind(by)
                .bind(now)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn remove_member(&self, caller: &Caller, case_id: &str, username: &str) -> Result<bool, StoreError> {
                self.manageable_case(caller, case_id).await?;
                let done = sqlx::query("DELETE FROM case_member WHERE case_id = $1 AND username = $2")
                    .bind(case_id)
                    .bind(username)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn members(&self, caller: &Caller, case_id: &str) -> Result<Vec<CaseMember>, StoreError> {
                if self.visible_case(caller, case_id).await?.is_none() {
                    return Err(StoreError::Missing(format!("no case {case_id}")));
                }
                let rows = sqlx::query(
                    "SELECT case_id, username, capacity, added_by, added_at FROM case_member \
                     WHERE case_id = $1 ORDER BY username",
                )
                .bind(case_id)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        Ok(CaseMember {
                            case_id: r.try_get(0)?,
                            username: r.try_get(1)?,
                            capacity: r.try_get(2)?,
                            added_by: r.try_get(3)?,
                            added_at: r.try_get(4)?,
                        })
                    })
                    .collect()
            }

            async fn request_access(
                &self,
                caller: &Caller,
                entity_id: &str,
                reason: &str,
                now: i64,
            ) -> Result<AccessRequest, StoreError> {
                let Caller::User { username, agency, .. } = caller else {
                    return Err(StoreError::Forbidden("the platform sees every record; it asks no one".into()));
                };
                let none = || StoreError::Missing(format!("no entity {entity_id}"));
                let row = self.find_row(entity_id).await?.ok_or_else(none)?;
                if row.exercise.as_deref() != caller.exercise() {
                    return Err(none());
                }
                if row.visible_to(caller) {
                    return Err(StoreError::Forbidden(format!("you can already see {entity_id}")));
                }
                if !row.existence_visible {
                    return Err(none());
                }
                let pending: i64 = sqlx::query_scalar(
                    "SELECT count(*) FROM access_request WHERE entity_id = $1 AND requester = $2 AND status = 'pending'",
                )
                .bind(entity_id)
                .bind(username)
                .fetch_one(&self.pool)
                .await?;
                if pending > 0 {
                    return Err(StoreError::Forbidden(format!(
                        "you already asked for {entity_id}; the owner {} has not answered yet",
                        row.owner_agency
                    )));
                }
                let sql = format!(
                    "INSERT INTO access_request(entity_id, owner_agency, requester, requester_agency, reason, status, \
                     requested_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6) RETURNING {REQUEST_COLUMNS}"
                );
                let r = sqlx::query(AssertSqlSafe(sql))
                    .bind(entity_id)
                    .bind(&row.owner_agency)
                    .bind(username)
                    .bind(agency)
                    .bind(reason)
                    .bind(now)
                    .fetch_one(&self.pool)
                    .await?;
                read_request(&r)
            }

            async fn access_request(
                &self,
                caller: &Caller,
                request_id: i64,
            ) -> Result<Option<AccessRequest>, StoreError> {
                let sql = format!("SELECT {REQUEST_COLUMNS} FROM access_request WHERE id = $1");
                let found = sqlx::query(AssertSqlSafe(sql)).bind(request_id).fetch_optional(&self.pool).await?;
                let request = found.as_ref().map(read_request).transpose()?;
                Ok(request.filter(|r| match caller {
                    Caller::System { .. } => true,
                    Caller::User { username, agency, .. } => &r.owner_agency == agency || &r.requester == username,
                }))
            }

            async fn access_requests(
                &self,
                caller: &Caller,
                pending_only: bool,
            ) -> Result<Vec<AccessRequest>, StoreError> {
                let status = if pending_only { " AND status = 'pending'" } else { "" };
                let rows = match caller {
                    Caller::System { .. } => {
                        let sql = format!(
                            "SELECT {REQUEST_COLUMNS} FROM access_request WHERE 1 = 1{status} ORDER BY id DESC LIMIT 500"
                        );
                        sqlx::query(AssertSqlSafe(sql)).fetch_all(&self.pool).await?
                    }
                    Caller::User { username, agency, .. } => {
                        let sql = format!(
                            "SELECT {REQUEST_COLUMNS} FROM access_request WHERE (owner_agency = $1 OR requester = $2)\
                             {status} ORDER BY id DESC LIMIT 500"
                        );
                        sqlx::query(AssertSqlSafe(sql)).bind(agency).bind(username).fetch_all(&self.pool).await?
                    }
                };
                rows.iter().map(read_request).collect()
            }

            async fn decide_access(
                &self,
                caller: &Caller,
                request_id: i64,
                decision: &Decision,
                now: i64,
            ) -> Result<AccessRequest, StoreError> {
                let sql = format!("SELECT {REQUEST_COLUMNS} FROM access_request WHERE id = $1");
                let found = sqlx::query(AssertSqlSafe(sql)).bind(request_id).fetch_optional(&self.pool).await?;
                let none = || StoreError::Missing(format!("no access request {request_id}"));
                let request = found.as_ref().map(read_request).transpose()?.ok_or_else(none)?;
                let decider = match caller {
                    Caller::System { name } => format!("system:{name}"),
                    Caller::User { username, agency, .. } => {
                        if agency != &request.owner_agency {
                            return Err(if username == &request.requester {
                                StoreError::Forbidden(format!(
                                    "only the owner {} decides on request {request_id}",
                                    request.owner_agency
                                ))
                            } else {
                                none()
                            });
                        }
                        username.clone()
                    }
                };
                if request.status != RequestStatus::Pending {
                    return Err(StoreError::Forbidden(format!(
                        "request {request_id} was already answered ({})",
                        request.status.as_str()
                    )));
                }
                let status = if decision.grant { RequestStatus::Granted } else { RequestStatus::Refused };
                let mut tx = self.pool.begin().await?;
                let sql = format!(
                    "UPDATE access_request SET status = $1, decided_by = $2, decided_at = $3, decision_reason = $4, \
                     expires_at = $5 WHERE id = $6 AND status = 'pending' RETURNING {REQUEST_COLUMNS}"
                );
                let updated = sqlx::query(AssertSqlSafe(sql))
                    .bind(status.as_str())
                    .bind(&decider)
                    .bind(now)
                    .bind(&decision.reason)
                    .bind(decision.expires_at.filter(|_| decision.grant))
                    .bind(request_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                let decided = updated.as_ref().map(read_request).transpose()?.ok_or_else(none)?;
                if decision.grant {
                    sqlx::query(
                        "INSERT INTO entity_grant(entity_id, username, request_id, granted_at, expires_at) \
                         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (username, entity_id) DO UPDATE SET \
                         request_id = excluded.request_id, granted_at = excluded.granted_at, \
                         expires_at = excluded.expires_at",
                    )
                    .bind(&decided.entity_id)
                    .bind(&decided.requester)
                    .bind(decided.id)
                    .bind(now)
                    .bind(decided.expires_at)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(decided)
            }
        }
    };
}
pub(crate) use casefile_impl;
