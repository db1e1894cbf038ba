//! The working file of a case beyond its records: evidence files, notes,
//! tasks, and shares of the case (or of chosen records of it) with another
//! agency. One body of SQL serves both back ends.
//!
//! **Who gets in.** Everything here is reached through its case, and only
//! by those who work on it: the platform, users of the case's owner agency,
//! and the case's members ([`crate::CaseFiles::put_member`]); members in a
//! read-only capacity (prosecutor, judge, observer) read but do not add.
//! Anyone else — including an agency the case was shared with, which sees
//! the shared records and nothing more — gets [`StoreError::Missing`], the
//! same answer as for a case that does not exist.
//!
//! **Shares** reach the policy through the [`crate::Scope`] that
//! [`crate::CaseFiles::scope_of`] loads: a whole-case share makes the users of
//! the agency observers of the case (they read its records, and write none);
//! a partial share grants them the chosen records. A revoked share counts no
//! more from the next request.

use crate::error::StoreError;
use crate::policy::Caller;
use async_trait::async_trait;
use serde::Serialize;

/// A file attached to a case, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// Number of the file.
    pub id: i64,
    /// The case's entity id.
    pub case_id: String,
    /// SHA-256 of the bytes, lower-case hex.
    pub sha256: String,
    /// The name it was uploaded under (as declared; never trusted for its type).
    pub file_name: String,
    /// The media type read from its first bytes (`application/octet-stream`
    /// when they say nothing known).
    pub media_type: String,
    /// Size in bytes.
    pub size: i64,
    /// Who uploaded it.
    pub uploaded_by: String,
    /// When (microseconds since 1970).
    pub uploaded_at: i64,
}

/// A file to attach, as the app prepared it.
#[derive(Debug, Clone, Copy)]
pub struct NewEvidence<'a> {
    /// SHA-256 of `content`, lower-case hex.
    pub sha256: &'a str,
    /// The declared name.
    pub file_name: &'a str,
    /// The detected media type.
    pub media_type: &'a str,
    /// The bytes.
    pub content: &'a [u8],
}

/// What attaching a file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attached {
    /// The file is new to the case.
    New(Evidence),
    /// A file with the same SHA-256 is in the case already: this one.
    AlreadyThere(Evidence),
}

/// A note on a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseNote {
    /// Number of the note.
    pub id: i64,
    /// The case's entity id.
    pub case_id: String,
    /// Who wrote it.
    pub author: String,
    /// The text, as written (pages escape it).
    pub body: String,
    /// When (microseconds since 1970).
    pub written_at: i64,
}

/// Whether a task is still to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TaskStatus {
    /// To do.
    Open,
    /// Done.
    Done,
}

impl TaskStatus {
    /// The status as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Open => "open",
            TaskStatus::Done => "done",
        }
    }

    /// The status of a stored code.
    pub fn parse(s: &str) -> Option<TaskStatus> {
        match s {
            "open" => Some(TaskStatus::Open),
            "done" => Some(TaskStatus::Done),
            _ => None,
        }
    }
}

/// A task on a case, assigned to one of its members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseTask {
    /// Number of the task.
    pub id: i64,
    /// The case's entity id.
    pub case_id: String,
    /// What to do.
    pub title: String,
    /// The member who does it.
    pub assignee: String,
    /// By when (`YYYY-MM-DD`), if set.
    pub due_date: Option<String>,
    /// Open or done.
    pub status: TaskStatus,
    /// Who set it.
    pub created_by: String,
    /// When (microseconds since 1970).
    pub created_at: i64,
    /// Who marked it done (or reopened it last).
    pub closed_by: Option<String>,
    /// When.
    pub closed_at: Option<i64>,
}

/// A new task.
#[derive(Debug, Clone, Copy)]
pub struct NewTask<'a> {
    /// What to do.
    pub title: &'a str,
    /// A member of the case.
    pub assignee: &'a str,
    /// By when (`YYYY-MM-DD`).
    pub due_date: Option<&'a str>,
}

/// How a share's receivers must handle what they get.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ShareHandling {
    /// For law-enforcement use by the receiving agency only.
    LawEnforcementOnly,
    /// Not to be passed on to anyone else without the owner's consent.
    NoOnwardSharing,
    /// Intelligence only: not to be used as evidence in court without the
    /// owner's consent.
    IntelligenceOnly,
}

impl ShareHandling {
    /// Every handling code.
    pub const ALL: [ShareHandling; 3] =
        [ShareHandling::LawEnforcementOnly, ShareHandling::NoOnwardSharing, ShareHandling::IntelligenceOnly];

    /// The code as stored.
    pub fn code(self) -> &'static str {
        match self {
            ShareHandling::LawEnforcementOnly => "law-enforcement-only",
            ShareHandling::NoOnwardSharing => "no-onward-sharing",
            ShareHandling::IntelligenceOnly => "intelligence-only",
        }
    }

    /// The handling of a code.
    pub fn parse(code: &str) -> Option<ShareHandling> {
        ShareHandling::ALL.into_iter().find(|h| h.code() == code.trim())
    }
}

/// A case, or chosen records of it, opened to another agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseShare {
    /// Number of the share.
    pub id: i64,
    /// The case's entity id.
    pub case_id: String,
    /// The receiving agency.
    pub agency: String,
    /// The whole case (true) or only `entity_ids`.
    pub whole_case: bool,
    /// The records shared, for a partial share.
    pub entity_ids: Vec<String>,
    /// How the receivers must handle it.
    pub handling: ShareHandling,
    /// Who shared it.
    pub shared_by: String,
    /// When (microseconds since 1970).
    pub shared_at: i64,
    /// Who revoked it, if anyone.
    pub revoked_by: Option<String>,
    /// When.
    pub revoked_at: Option<i64>,
}

/// A new share.
#[derive(Debug, Clone, Copy)]
pub struct NewShare<'a> {
    /// The receiving agency (not the case's owner).
    pub agency: &'a str,
    /// `None`: the whole case; otherwise these records of it.
    pub entity_ids: Option<&'a [String]>,
    /// How the receivers must handle it.
    pub handling: ShareHandling,
}

/// How the caller stands towards a case's working file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    /// The caller's agency owns the case (or the caller is the platform):
    /// it manages members and shares.
    pub owner: bool,
    /// The caller may add notes, tasks and evidence.
    pub writes: bool,
}

/// Evidence, notes, tasks and shares of cases.
#[async_trait]
pub trait CaseWork: Send + Sync {
    /// How the caller stands towards the case's working file;
    /// [`StoreError::Missing`] when they may not open it at all.
    async fn standing(&self, caller: &Caller, case_id: &str) -> Result<Standing, StoreError>;
    /// Attaches a file; a file with the same SHA-256 is kept once.
    async fn attach_evidence(
        &self,
        caller: &Caller,
        case_id: &str,
        file: NewEvidence<'_>,
        now: i64,
    ) -> Result<Attached, StoreError>;
    /// The case's files, newest first.
    async fn evidence(&self, caller: &Caller, case_id: &str) -> Result<Vec<Evidence>, StoreError>;
    /// One file with its bytes.
    async fn evidence_file(
        &self,
        caller: &Caller,
        case_id: &str,
        evidence_id: i64,
    ) -> Result<(Evidence, Vec<u8>), StoreError>;
    /// Adds a note.
    async fn add_note(&self, caller: &Caller, case_id: &str, body: &str, now: i64) -> Result<CaseNote, StoreError>;
    /// The case's notes, oldest first.
    async fn notes(&self, caller: &Caller, case_id: &str) -> Result<Vec<CaseNote>, StoreError>;
    /// Adds a task for a member of the case.
    async fn add_task(
        &self,
        caller: &Caller,
        case_id: &str,
        task: NewTask<'_>,
        now: i64,
    ) -> Result<CaseTask, StoreError>;
    /// Marks a task done or open again.
    async fn set_task_status(
        &self,
        caller: &Caller,
        case_id: &str,
        task_id: i64,
        status: TaskStatus,
        now: i64,
    ) -> Result<CaseTask, StoreError>;
    /// The case's tasks, open first, then by number.
    async fn tasks(&self, caller: &Caller, case_id: &str) -> Result<Vec<CaseTask>, StoreError>;
    /// Shares the case, or records of it, with another agency. Only the
    /// case's owner agency may; the records must belong to the case.
    async fn share_case(
        &self,
        caller: &Caller,
        case_id: &str,
        share: NewShare<'_>,
        now: i64,
    ) -> Result<CaseShare, StoreError>;
    /// Revokes a share; false when it was revoked already.
    async fn revoke_share(&self, caller: &Caller, case_id: &str, share_id: i64, now: i64) -> Result<bool, StoreError>;
    /// The case's shares, live and revoked, newest first. Owner agency only.
    async fn shares(&self, caller: &Caller, case_id: &str) -> Result<Vec<CaseShare>, StoreError>;
}

/// What erasing an entity (`$1`: its id) does here: a case takes its
/// working file with it; any record leaves the partial shares that named it.
pub(crate) const ON_ERASURE: [&str; 6] = [
    "DELETE FROM case_evidence WHERE case_id = $1",
    "DELETE FROM case_note WHERE case_id = $1",
    "DELETE FROM case_task WHERE case_id = $1",
    "DELETE FROM case_share_entity WHERE entity_id = $1 \
     OR share_id IN (SELECT id FROM case_share WHERE case_id = $1)",
    "DELETE FROM case_share WHERE case_id = $1",
    "DELETE FROM case_share_entity WHERE entity_id = $1",
];

/// The columns [`read_evidence`] reads.
pub(crate) const EVIDENCE_COLUMNS: &str = "id, case_id, sha256, file_name, media_type, size, uploaded_by, uploaded_at";
/// The columns [`read_task`] reads.
pub(crate) const TASK_COLUMNS: &str =
    "id, case_id, title, assignee, due_date, status, created_by, created_at, closed_by, closed_at";
/// The columns of a share row, without its records.
pub(crate) const SHARE_COLUMNS: &str =
    "id, case_id, agency, whole_case, handling, shared_by, shared_at, revoked_by, revoked_at";

/// Who the caller is, as the working file records them.
pub(crate) fn actor(caller: &Caller) -> String {
    match caller {
        Caller::System { name } => format!("system:{name}"),
        Caller::User { username, .. } => username.clone(),
    }
}

/// The one implementation of [`CaseWork`] for a store type with a `pool`
/// field and a `find_row(&self, id)` method, on either back end.
macro_rules! casework_impl {
    ($store:ty) => {
        use crate::casework::{
            Attached, CaseNote, CaseShare, CaseTask, CaseWork, EVIDENCE_COLUMNS, Evidence, NewEvidence, NewShare,
            NewTask, SHARE_COLUMNS, ShareHandling, Standing, TASK_COLUMNS, TaskStatus, actor,
        };
        use crate::error::StoreError;
        use crate::policy::{Caller, Capacity};
        use async_trait::async_trait;
        use sqlx::{AssertSqlSafe, Row};

        fn no_case(case_id: &str) -> StoreError {
            StoreError::Missing(format!("no case {case_id}"))
        }

        fn read_evidence<R: Row>(r: &R) -> Result<Evidence, StoreError>
        where
            usize: sqlx::ColumnIndex<R>,
            for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
        {
            Ok(Evidence {
                id: r.try_get(0)?,
                case_id: r.try_get(1)?,
                sha256: r.try_get(2)?,
                file_name: r.try_get(3)?,
                media_type: r.try_get(4)?,
                size: r.try_get(5)?,
                uploaded_by: r.try_get(6)?,
                uploaded_at: r.try_get(7)?,
            })
        }

        fn read_task<R: Row>(r: &R) -> Result<CaseTask, StoreError>
        where
            usize: sqlx::ColumnIndex<R>,
            for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            for<'a> Option<i64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
        {
            let status: String = r.try_get(5)?;
            Ok(CaseTask {
                id: r.try_get(0)?,
                case_id: r.try_get(1)?,
                title: r.try_get(2)?,
                assignee: r.try_get(3)?,
                due_date: r.try_get(4)?,
                status: TaskStatus::parse(&status)
                    .ok_or_else(|| StoreError::Corrupt(format!("task status '{status}'")))?,
                created_by: r.try_get(6)?,
                created_at: r.try_get(7)?,
                closed_by: r.try_get(8)?,
                closed_at: r.try_get(9)?,
            })
        }

        impl $store {
            /// The caller's standing, or `Missing` when the working file is
            /// closed to them.
            async fn standing_in(&self, caller: &Caller, case_id: &str) -> Result<Standing, StoreError> {
                let row = self.find_row(case_id).await?.ok_or_else(|| no_case(case_id))?;
                let is_case =
                    veza_model::Model::builtin().schema(&row.schema).map(|s| s.is_a("Case")).unwrap_or(false);
                if !is_case || !row.visible_to(caller) {
                    return Err(no_case(case_id));
                }
                let Caller::User { username, agency, .. } = caller else {
                    return Ok(Standing { owner: true, writes: true });
                };
                if &row.owner_agency == agency {
                    return Ok(Standing { owner: true, writes: true });
                }
                let capacity: Option<String> =
                    sqlx::query_scalar("SELECT capacity FROM case_member WHERE case_id = $1 AND username = $2")
                        .bind(case_id)
                        .bind(username)
                        .fetch_optional(&self.pool)
                        .await?;
                match capacity.as_deref().and_then(Capacity::parse) {
                    Some(c) => Ok(Standing { owner: false, writes: !c.read_only() }),
                    None => Err(no_case(case_id)),
                }
            }

            /// The standing of a caller who wants to add to the file.
            async fn writer(&self, caller: &Caller, case_id: &str) -> Result<(), StoreError> {
                if self.standing_in(caller, case_id).await?.writes {
                    Ok(())
                } else {
                    Err(StoreError::Forbidden(format!(
                        "case {case_id} is read-only for you: only its investigators, analysts and owner agency add to it"
                    )))
                }
            }

            /// The standing of a caller who manages shares.
            async fn manager(&self, caller: &Caller, case_id: &str) -> Result<String, StoreError> {
                if !self.standing_in(caller, case_id).await?.owner {
                    return Err(StoreError::Forbidden(format!(
                        "only the agency that owns case {case_id} shares it"
                    )));
                }
                let owner = self.find_row(case_id).await?.ok_or_else(|| no_case(case_id))?.owner_agency;
                Ok(owner)
            }

            async fn read_shares(&self, case_id: &str, share_id: Option<i64>) -> Result<Vec<CaseShare>, StoreError> {
                let sql = format!(
                    "SELECT {SHARE_COLUMNS} FROM case_share WHERE case_id = $1 AND ($2 IS NULL OR id = $2) \
                     ORDER BY id DESC"
                );
                let rows =
                    sqlx::query(AssertSqlSafe(sql)).bind(case_id).bind(share_id).fetch_all(&self.pool).await?;
                let mut shares = Vec::with_capacity(rows.len());
                for r in &rows {
                    let id: i64 = r.try_get(0)?;
                    let code: String = r.try_get(4)?;
                    let entity_ids: Vec<String> = sqlx::query_scalar(
                        "SELECT entity_id FROM case_share_entity WHERE share_id = $1 ORDER BY entity_id",
                    )
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await?;
                    shares.push(CaseShare {
                        id,
                        case_id: r.try_get(1)?,
                        agency: r.try_get(2)?,
                        whole_case: r.try_get(3)?,
                        entity_ids,
                        handling: ShareHandling::parse(&code)
                            .ok_or_else(|| StoreError::Corrupt(format!("share handling '{code}'")))?,
                        shared_by: r.try_get(5)?,
                        shared_at: r.try_get(6)?,
                        revoked_by: r.try_get(7)?,
                        revoked_at: r.try_get(8)?,
                    });
                }
                Ok(shares)
            }
        }

        #[async_trait]
        impl CaseWork for $store {
            async fn standing(&self, caller: &Caller, case_id: &str) -> Result<Standing, StoreError> {
                self.standing_in(caller, case_id).await
            }

            async fn attach_evidence(
                &self,
                caller: &Caller,
                case_id: &str,
                file: NewEvidence<'_>,
                now: i64,
            ) -> Result<Attached, StoreError> {
                self.writer(caller, case_id).await?;
                let existing = format!("SELECT {EVIDENCE_COLUMNS} FROM case_evidence WHERE case_id = $1 AND sha256 = $2");
                let found = sqlx::query(AssertSqlSafe(existing.clone()))
                    .bind(case_id)
                    .bind(file.sha256)
                    .fetch_optional(&self.pool)
                    .await?;
                if let Some(r) = found {
                    return Ok(Attached::AlreadyThere(read_evidence(&r)?));
                }
                let sql = format!(
                    "INSERT INTO case_evidence(case_id, sha256, file_name, media_type, size, content, uploaded_by, \
                     uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (case_id, sha256) DO NOTHING \
                     RETURNING {EVIDENCE_COLUMNS}"
                );
                let size = i64::try_from(file.content.len())
                    .map_err(|_| StoreError::Forbidden("the file is too large".into()))?;
                let inserted = sqlx::query(AssertSqlSafe(sql))
                    .bind(case_id)
                    .bind(file.sha256)
                    .bind(file.file_name)
                    .bind(file.media_type)
                    .bind(size)
                    .bind(file.content)
                    .bind(actor(caller))
                    .bind(now)
                    .fetch_optional(&self.pool)
                    .await?;
                match inserted {
                    Some(r) => Ok(Attached::New(read_evidence(&r)?)),
                    // Uploaded at the same moment by someone else.
                    None => {
                        let r = sqlx::query(AssertSqlSafe(existing))
                            .bind(case_id)
                            .bind(file.sha256)
                            .fetch_one(&self.pool)
                            .await?;
                        Ok(Attached::AlreadyThere(read_evidence(&r)?))
                    }
                }
            }

            async fn evidence(&self, caller: &Caller, case_id: &str) -> Result<Vec<Evidence>, StoreError> {
                self.standing_in(caller, case_id).await?;
                let sql = format!("SELECT {EVIDENCE_COLUMNS} FROM case_evidence WHERE case_id = $1 ORDER BY id DESC");
                let rows = sqlx::query(AssertSqlSafe(sql)).bind(case_id).fetch_all(&self.pool).await?;
                rows.iter().map(read_evidence).collect()
            }

            async fn evidence_file(
                &self,
                caller: &Caller,
                case_id: &str,
                evidence_id: i64,
            ) -> Result<(Evidence, Vec<u8>), StoreError> {
                self.standing_in(caller, case_id).await?;
                let sql = format!(
                    "SELECT {EVIDENCE_COLUMNS}, content FROM case_evidence WHERE case_id = $1 AND id = $2"
                );
                let r = sqlx::query(AssertSqlSafe(sql))
                    .bind(case_id)
                    .bind(evidence_id)
                    .fetch_optional(&self.pool)
                    .await?
                    .ok_or_else(|| StoreError::Missing(format!("no evidence {evidence_id} in case {case_id}")))?;
                Ok((read_evidence(&r)?, r.try_get(8)?))
            }

            async fn add_note(
                &self,
                caller: &Caller,
                case_id: &str,
                body: &str,
                now: i64,
            ) -> Result<CaseNote, StoreError> {
                self.writer(caller, case_id).await?;
                let author = actor(caller);
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO case_note(case_id, author, body, written_at) VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(case_id)
                .bind(&author)
                .bind(body)
                .bind(now)
                .fetch_one(&self.pool)
                .await?;
                Ok(CaseNote { id, case_id: case_id.to_owned(), author, body: body.to_owned(), written_at: now })
            }

            async fn notes(&self, caller: &Caller, case_id: &str) -> Result<Vec<CaseNote>, StoreError> {
                self.standing_in(caller, case_id).await?;
                let rows = sqlx::query(
                    "SELECT id, case_id, author, body, written_at FROM case_note WHERE case_id = $1 ORDER BY id",
                )
                .bind(case_id)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        Ok(CaseNote {
                            id: r.try_get(0)?,
                            case_id: r.try_get(1)?,
                            author: r.try_get(2)?,
                            body: r.try_get(3)?,
                            written_at: r.try_get(4)?,
                        })
                    })
                    .collect()
            }

            async fn add_task(
                &self,
                caller: &Caller,
                case_id: &str,
                task: NewTask<'_>,
                now: i64,
            ) -> Result<CaseTask, StoreError> {
                self.writer(caller, case_id).await?;
                let member: i64 =
                    sqlx::query_scalar("SELECT count(*) FROM case_member WHERE case_id = $1 AND username = $2")
                        .bind(case_id)
                        .bind(task.assignee)
                        .fetch_one(&self.pool)
                        .await?;
                if member == 0 {
                    return Err(StoreError::Forbidden(format!(
                        "{} is not a member of case {case_id}; a task goes to a member",
                        task.assignee
                    )));
                }
                let sql = format!(
                    "INSERT INTO case_task(case_id, title, assignee, due_date, status, created_by, created_at) \
                     VALUES ($1, $2, $3, $4, 'open', $5, $6) RETURNING {TASK_COLUMNS}"
                );
                let r = sqlx::query(AssertSqlSafe(sql))
                    .bind(case_id)
                    .bind(task.title)
                    .bind(task.assignee)
                    .bind(task.due_date)
                    .bind(actor(caller))
                    .bind(now)
                    .fetch_one(&self.pool)
                    .await?;
                read_task(&r)
            }

            async fn set_task_status(
                &self,
                caller: &Caller,
                case_id: &str,
                task_id: i64,
                status: TaskStatus,
                now: i64,
            ) -> Result<CaseTask, StoreError> {
                self.writer(caller, case_id).await?;
                let sql = format!(
                    "UPDATE case_task SET status = $1, closed_by = $2, closed_at = $3 \
                     WHERE case_id = $4 AND id = $5 RETURNING {TASK_COLUMNS}"
                );
                let r = sqlx::query(AssertSqlSafe(sql))
                    .bind(status.as_str())
                    .bind(actor(caller))
                    .bind(now)
                    .bind(case_id)
                    .bind(task_id)
                    .fetch_optional(&self.pool)
                    .await?
                    .ok_or_else(|| StoreError::Missing(format!("no task {task_id} in case {case_id}")))?;
                read_task(&r)
            }

            async fn tasks(&self, caller: &Caller, case_id: &str) -> Result<Vec<CaseTask>, StoreError> {
                self.standing_in(caller, case_id).await?;
                let sql = format!(
                    "SELECT {TASK_COLUMNS} FROM case_task WHERE case_id = $1 \
                     ORDER BY CASE status WHEN 'open' THEN 0 ELSE 1 END, id"
                );
                let rows = sqlx::query(AssertSqlSafe(sql)).bind(case_id).fetch_all(&self.pool).await?;
                rows.iter().map(read_task).collect()
            }

            async fn share_case(
                &self,
                caller: &Caller,
                case_id: &str,
                share: NewShare<'_>,
                now: i64,
            ) -> Result<CaseShare, StoreError> {
                let owner = self.manager(caller, case_id).await?;
                if share.agency == owner {
                    return Err(StoreError::Forbidden(format!(
                        "{owner} owns case {case_id}: share it with another agency"
                    )));
                }
                let known: i64 = sqlx::query_scalar("SELECT count(*) FROM agency WHERE code = $1")
                    .bind(share.agency)
                    .fetch_one(&self.pool)
                    .await?;
                if known == 0 {
                    return Err(StoreError::Missing(format!("no agency {}", share.agency)));
                }
                if let Some(ids) = share.entity_ids {
                    if ids.is_empty() {
                        return Err(StoreError::Forbidden("choose the records to share, or share the whole case".into()));
                    }
                    let framed = format!(",{case_id},");
                    for id in ids {
                        let visible = self.find_row(id).await?.is_some_and(|row| row.visible_to(caller));
                        let of_case: Option<(String, String)> =
                            sqlx::query_as("SELECT cases, case_refs FROM entity WHERE id = $1")
                                .bind(id)
                                .fetch_optional(&self.pool)
                                .await?;
                        let belongs = visible
                            && of_case.is_some_and(|(cases, refs)| cases.contains(&framed) || refs.contains(&framed));
                        if !belongs {
                            return Err(StoreError::Missing(format!("no record {id} in case {case_id}")));
                        }
                    }
                }
                let mut tx = self.pool.begin().await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO case_share(case_id, agency, whole_case, handling, shared_by, shared_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(case_id)
                .bind(share.agency)
                .bind(share.entity_ids.is_none())
                .bind(share.handling.code())
                .bind(actor(caller))
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                for entity_id in share.entity_ids.unwrap_or_default() {
                    sqlx::query(
                        "INSERT INTO case_share_entity(share_id, entity_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    )
                    .bind(id)
                    .bind(entity_id)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                self.read_shares(case_id, Some(id))
                    .await?
                    .pop()
                    .ok_or_else(|| StoreError::Corrupt(format!("share {id} was not stored")))
            }

            async fn revoke_share(
                &self,
                caller: &Caller,
                case_id: &str,
                share_id: i64,
                now: i64,
            ) -> Result<bool, StoreError> {
                self.manager(caller, case_id).await?;
                if self.read_shares(case_id, Some(share_id)).await?.is_empty() {
                    return Err(StoreError::Missing(format!("no share {share_id} of case {case_id}")));
                }
                let done = sqlx::query(
                    "UPDATE case_share SET revoked_by = $1, revoked_at = $2 \
                     WHERE case_id = $3 AND id = $4 AND revoked_at IS NULL",
                )
                .bind(actor(caller))
                .bind(now)
                .bind(case_id)
                .bind(share_id)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn shares(&self, caller: &Caller, case_id: &str) -> Result<Vec<CaseShare>, StoreError> {
                self.manager(caller, case_id).await?;
                self.read_shares(case_id, None).await
            }
        }
    };
}
pub(crate) use casework_impl;
