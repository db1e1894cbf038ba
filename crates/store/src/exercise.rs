//! Table-top exercises: who takes part, the master scenario events list
//! (MSEL), the players' responses, the evaluators' scores, the hot wash and
//! the corrective actions. One body of SQL serves both back ends.
//!
//! **Realm.** An exercise's records are ordinary entities whose
//! `exercise` column holds the exercise's id; the policy keeps them apart
//! from real data ([`crate::policy`]). What is kept here is not personal
//! data: it is the exercise's own paperwork, and the store records it as
//! told — the app decides who may do what (controller, player, evaluator).

use crate::error::StoreError;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// Where an exercise stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExerciseStatus {
    /// Being prepared: the MSEL is written, nothing is released.
    Planned,
    /// The clock runs: injects are released on schedule.
    Running,
    /// The clock stands still; nothing is released on schedule.
    Paused,
    /// Over: responses, scores and the hot wash remain.
    Ended,
}

impl ExerciseStatus {
    /// The code as stored.
    pub fn code(self) -> &'static str {
        match self {
            ExerciseStatus::Planned => "planned",
            ExerciseStatus::Running => "running",
            ExerciseStatus::Paused => "paused",
            ExerciseStatus::Ended => "ended",
        }
    }

    /// The status of a stored code.
    pub fn parse(code: &str) -> Option<ExerciseStatus> {
        [ExerciseStatus::Planned, ExerciseStatus::Running, ExerciseStatus::Paused, ExerciseStatus::Ended]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// An exercise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exercise {
    /// The exercise's id, also its records' realm (`entity.exercise`).
    pub id: String,
    /// The operation (in exercise mode) it rehearses, if any.
    pub operation_id: Option<String>,
    /// Its name.
    pub name: String,
    /// Seed of the synthetic scenario its records come from.
    pub scenario_seed: i64,
    /// Persons of that scenario.
    pub scenario_persons: i64,
    /// Where it stands.
    pub status: ExerciseStatus,
    /// Exercise time run before the current run, microseconds.
    pub elapsed_us: i64,
    /// When the clock last started or resumed (set while running).
    pub resumed_at: Option<i64>,
    /// When it first started.
    pub started_at: Option<i64>,
    /// When it ended.
    pub ended_at: Option<i64>,
    /// Who made it.
    pub created_by: String,
    /// When.
    pub created_at: i64,
}

impl Exercise {
    /// Exercise time at wall time `now` (microseconds since the start,
    /// pauses left out).
    pub fn clock_at(&self, now: i64) -> i64 {
        match (self.status, self.resumed_at) {
            (ExerciseStatus::Running, Some(r)) => self.elapsed_us + (now - r).max(0),
            _ => self.elapsed_us,
        }
    }
}

/// How someone takes part in an exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    /// Runs it: writes the MSEL, releases injects, starts and ends it.
    Controller,
    /// Plays it: receives injects for their team and responds.
    Player,
    /// Scores the expected actions.
    Evaluator,
}

impl Part {
    /// Every part.
    pub const ALL: [Part; 3] = [Part::Controller, Part::Player, Part::Evaluator];

    /// The code as stored.
    pub fn code(self) -> &'static str {
        match self {
            Part::Controller => "controller",
            Part::Player => "player",
            Part::Evaluator => "evaluator",
        }
    }

    /// The part a code names.
    pub fn parse(code: &str) -> Option<Part> {
        Part::ALL.into_iter().find(|p| p.code() == code.trim())
    }
}

/// A participant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Participant {
    /// The exercise.
    pub exercise_id: String,
    /// The user.
    pub username: String,
    /// How they take part.
    pub part: Part,
    /// Their team (players; empty for others).
    pub team: String,
}

/// An action the controller expects in answer to an inject, and what the
/// evaluators made of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExpectedAction {
    /// Position within the inject, from 1.
    pub position: i64,
    /// What the players should do.
    pub action: String,
    /// The objective it tests.
    pub objective: String,
    /// The evaluators' rating, once scored.
    pub rating: Option<Rating>,
    /// Their notes.
    pub notes: String,
    /// Who scored it.
    pub scored_by: Option<String>,
}

/// How well an expected action was met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    /// Done as expected.
    Met,
    /// Done in part, late or with gaps.
    Partly,
    /// Not done.
    NotMet,
}

impl Rating {
    /// Every rating, best first.
    pub const ALL: [Rating; 3] = [Rating::Met, Rating::Partly, Rating::NotMet];

    /// The code as stored.
    pub fn code(self) -> &'static str {
        match self {
            Rating::Met => "met",
            Rating::Partly => "partly",
            Rating::NotMet => "not_met",
        }
    }

    /// The rating a code names.
    pub fn parse(code: &str) -> Option<Rating> {
        Rating::ALL.into_iter().find(|r| r.code() == code.trim())
    }
}

/// An inject of the MSEL as the controller writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewInject {
    /// Its number in the MSEL (1, 2, …).
    pub number: i64,
    /// When it is due, in minutes from the exercise's start.
    pub offset_minutes: i64,
    /// Who it comes from in the scenario ("NCB Skopje", "Border post Tabanovce").
    pub sender: String,
    /// The player teams it goes to.
    pub recipients: Vec<String>,
    /// Its text.
    pub content: String,
    /// Ids of the exercise's records attached to it.
    pub records: Vec<String>,
    /// The actions expected: (action, objective it tests).
    pub expected: Vec<(String, String)>,
}

/// An inject as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inject {
    /// The exercise.
    pub exercise_id: String,
    /// Number in the MSEL.
    pub number: i64,
    /// Minutes from the start.
    pub offset_minutes: i64,
    /// Sender in the scenario.
    pub sender: String,
    /// Player teams it goes to.
    pub recipients: Vec<String>,
    /// Text.
    pub content: String,
    /// Attached records (entity ids of the exercise).
    pub records: Vec<String>,
    /// When it was released, if it was.
    pub released_at: Option<i64>,
    /// Who released it (`schedule` when the clock did).
    pub released_by: Option<String>,
    /// Expected actions, by position.
    pub expected: Vec<ExpectedAction>,
}

impl Inject {
    /// Whether the inject goes to `team`.
    pub fn is_for(&self, team: &str) -> bool {
        self.recipients.iter().any(|r| r == team || r == "all")
    }
}

/// A player's response to an inject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Response {
    /// Number.
    pub id: i64,
    /// The exercise.
    pub exercise_id: String,
    /// The inject answered.
    pub inject_number: i64,
    /// The player.
    pub username: String,
    /// What they say they did or decided.
    pub body: String,
    /// An audited action of theirs they link to it (audit log seq).
    pub audit_seq: Option<i64>,
    /// That action, summarised when linked ("consult: search 'petrovic'").
    pub audit_summary: String,
    /// When.
    pub responded_at: i64,
}

/// A response to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewResponse {
    /// The inject answered.
    pub inject_number: i64,
    /// The player.
    pub username: String,
    /// Free text.
    pub body: String,
    /// A linked audit entry and its summary.
    pub audit: Option<(i64, String)>,
}

/// What a hot-wash contribution is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HotwashKind {
    /// Went well; keep it.
    Strength,
    /// Should go better.
    Improvement,
}

impl HotwashKind {
    /// The code as stored.
    pub fn code(self) -> &'static str {
        match self {
            HotwashKind::Strength => "strength",
            HotwashKind::Improvement => "improvement",
        }
    }

    /// The kind a code names.
    pub fn parse(code: &str) -> Option<HotwashKind> {
        match code.trim() {
            "strength" => Some(HotwashKind::Strength),
            "improvement" => Some(HotwashKind::Improvement),
            _ => None,
        }
    }
}

/// A participant's contribution to the hot wash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HotwashItem {
    /// Number.
    pub id: i64,
    /// Who said it.
    pub username: String,
    /// Strength or improvement.
    pub kind: HotwashKind,
    /// What.
    pub body: String,
    /// When.
    pub written_at: i64,
}

/// A corrective action of the improvement plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectiveAction {
    /// Number (0 before it is stored).
    #[serde(default)]
    pub id: i64,
    /// The area for improvement it answers.
    pub area: String,
    /// What is to be done.
    pub action: String,
    /// Who does it (an agency, a unit, a person).
    pub owner: String,
    /// By when, `YYYY-MM-DD`.
    pub due_date: String,
}

/// The exercises' paperwork.
#[async_trait]
pub trait Exercises: Send + Sync {
    /// Makes an exercise (planned); `Forbidden` when the id is taken.
    async fn create_exercise(&self, exercise: &Exercise) -> Result<(), StoreError>;
    /// One exercise.
    async fn exercise(&self, id: &str) -> Result<Option<Exercise>, StoreError>;
    /// Every exercise, newest first.
    async fn exercises(&self) -> Result<Vec<Exercise>, StoreError>;
    /// Stores an exercise's status and clock.
    async fn set_exercise_clock(&self, exercise: &Exercise) -> Result<(), StoreError>;
    /// Adds a participant or changes their part and team.
    async fn put_participant(&self, participant: &Participant) -> Result<(), StoreError>;
    /// Removes a participant; false when there was none.
    async fn remove_participant(&self, exercise_id: &str, username: &str) -> Result<bool, StoreError>;
    /// An exercise's participants, by user name.
    async fn participants(&self, exercise_id: &str) -> Result<Vec<Participant>, StoreError>;
    /// A user's parts in exercises.
    async fn participations(&self, username: &str) -> Result<Vec<Participant>, StoreError>;
    /// Adds an inject or replaces the one with its number; the ratings of
    /// expected actions whose position remains are kept.
    async fn put_inject(&self, exercise_id: &str, inject: &NewInject) -> Result<(), StoreError>;
    /// Deletes an inject with its expected actions and responses; false when there was none.
    async fn delete_inject(&self, exercise_id: &str, number: i64) -> Result<bool, StoreError>;
    /// The MSEL, by number.
    async fn injects(&self, exercise_id: &str) -> Result<Vec<Inject>, StoreError>;
    /// Marks an inject released; false when it was released already (or is missing).
    async fn release_inject(&self, exercise_id: &str, number: i64, at: i64, by: &str) -> Result<bool, StoreError>;
    /// Records a response; returns its number.
    async fn add_response(&self, exercise_id: &str, response: &NewResponse, at: i64) -> Result<i64, StoreError>;
    /// An exercise's responses, oldest first.
    async fn responses(&self, exercise_id: &str) -> Result<Vec<Response>, StoreError>;
    /// Scores an expected action; false when there is no such action.
    #[allow(clippy::too_many_arguments)]
    async fn score(
        &self,
        exercise_id: &str,
        inject_number: i64,
        position: i64,
        rating: Rating,
        notes: &str,
        by: &str,
        at: i64,
    ) -> Result<bool, StoreError>;
    /// Adds to the hot wash.
    async fn add_hotwash(
        &self,
        exercise_id: &str,
        username: &str,
        kind: HotwashKind,
        body: &str,
        at: i64,
    ) -> Result<i64, StoreError>;
    /// The hot wash, oldest first.
    async fn hotwash(&self, exercise_id: &str) -> Result<Vec<HotwashItem>, StoreError>;
    /// Adds a corrective action.
    async fn add_corrective(
        &self,
        exercise_id: &str,
        action: &CorrectiveAction,
        by: &str,
        at: i64,
    ) -> Result<i64, StoreError>;
    /// The corrective actions, by due date.
    async fn correctives(&self, exercise_id: &str) -> Result<Vec<CorrectiveAction>, StoreError>;
}

/// Columns of `exercise` that the implementation reads, in order.
pub(crate) const EXERCISE_COLUMNS: &str = "id, operation_id, name, scenario_seed, scenario_persons, status, elapsed_us, \
     resumed_at, started_at, ended_at, created_by, created_at";

/// A comma-separated list as stored (`''` for none).
pub(crate) fn join_list(items: &[String]) -> String {
    items.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(",")
}

/// The items of a stored comma-separated list.
pub(crate) fn split_list(s: &str) -> Vec<String> {
    s.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// The one implementation of [`Exercises`] for a store type with a `pool`
/// field, on either back end; `$row` is the back end's row type.
macro_rules! exercise_impl {
    ($store:ty, $row:ty) => {
        use crate::error::StoreError;
        use crate::exercise::{
            CorrectiveAction, EXERCISE_COLUMNS, Exercise, ExerciseStatus, Exercises, ExpectedAction, HotwashItem,
            HotwashKind, Inject, NewInject, NewResponse, Part, Participant, Rating, Response, join_list, split_list,
        };
        use async_trait::async_trait;
        use sqlx::{AssertSqlSafe, Row};

        fn read_exercise(r: &$row) -> Result<Exercise, StoreError> {
            let status: String = r.try_get(5)?;
            Ok(Exercise {
                id: r.try_get(0)?,
                operation_id: r.try_get(1)?,
                name: r.try_get(2)?,
                scenario_seed: r.try_get(3)?,
                scenario_persons: r.try_get(4)?,
                status: ExerciseStatus::parse(&status)
                    .ok_or_else(|| StoreError::Corrupt(format!("exercise status '{status}'")))?,
                elapsed_us: r.try_get(6)?,
                resumed_at: r.try_get(7)?,
                started_at: r.try_get(8)?,
                ended_at: r.try_get(9)?,
                created_by: r.try_get(10)?,
                created_at: r.try_get(11)?,
            })
        }

        fn read_participant(r: &$row) -> Result<Participant, StoreError> {
            let part: String = r.try_get(2)?;
            Ok(Participant {
                exercise_id: r.try_get(0)?,
                username: r.try_get(1)?,
                part: Part::parse(&part).ok_or_else(|| StoreError::Corrupt(format!("exercise part '{part}'")))?,
                team: r.try_get(3)?,
            })
        }

        #[async_trait]
        impl Exercises for $store {
            async fn create_exercise(&self, x: &Exercise) -> Result<(), StoreError> {
                let done = sqlx::query(
                    "INSERT INTO exercise(id, operation_id, name, scenario_seed, scenario_persons, status, \
                     elapsed_us, resumed_at, started_at, ended_at, created_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (id) DO NOTHING",
                )
                .bind(&x.id)
                .bind(&x.operation_id)
                .bind(&x.name)
                .bind(x.scenario_seed)
                .bind(x.scenario_persons)
                .bind(x.status.code())
                .bind(x.elapsed_us)
                .bind(x.resumed_at)
                .bind(x.started_at)
                .bind(x.ended_at)
                .bind(&x.created_by)
                .bind(x.created_at)
                .execute(&self.pool)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::Forbidden(format!("exercise {} exists already", x.id)));
                }
                Ok(())
            }

            async fn exercise(&self, id: &str) -> Result<Option<Exercise>, StoreError> {
                let sql = format!("SELECT {EXERCISE_COLUMNS} FROM exercise WHERE id = $1");
                let row = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
                row.as_ref().map(read_exercise).transpose()
            }

            async fn exercises(&self) -> Result<Vec<Exercise>, StoreError> {
                let sql = format!("SELECT {EXERCISE_COLUMNS} FROM exercise ORDER BY created_at DESC, id");
                let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(&self.pool).await?;
                rows.iter().map(read_exercise).collect()
            }

            async fn set_exercise_clock(&self, x: &Exercise) -> Result<(), StoreError> {
                let done = sqlx::query(
                    "UPDATE exercise SET status = $1, elapsed_us = $2, resumed_at = $3, started_at = $4, \
                     ended_at = $5 WHERE id = $6",
                )
                .bind(x.status.code())
                .bind(x.elapsed_us)
                .bind(x.resumed_at)
                .bind(x.started_at)
                .bind(x.ended_at)
                .bind(&x.id)
                .execute(&self.pool)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::Missing(format!("no exercise {}", x.id)));
                }
                Ok(())
            }

            async fn put_participant(&self, p: &Participant) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO exercise_participant(exercise_id, username, part, team) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (exercise_id, username) DO UPDATE SET part = excluded.part, team = excluded.team",
                )
                .bind(&p.exercise_id)
                .bind(&p.username)
                .bind(p.part.code())
                .bind(&p.team)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn remove_participant(&self, exercise_id: &str, username: &str) -> Result<bool, StoreError> {
                let done = sqlx::query("DELETE FROM exercise_participant WHERE exercise_id = $1 AND username = $2")
                    .bind(exercise_id)
                    .bind(username)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn participants(&self, exercise_id: &str) -> Result<Vec<Participant>, StoreError> {
                let rows = sqlx::query(
                    "SELECT exercise_id, username, part, team FROM exercise_participant WHERE exercise_id = $1 \
                     ORDER BY username",
                )
                .bind(exercise_id)
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(read_participant).collect()
            }

            async fn participations(&self, username: &str) -> Result<Vec<Participant>, StoreError> {
                let rows = sqlx::query(
                    "SELECT exercise_id, username, part, team FROM exercise_participant WHERE username = $1 \
                     ORDER BY exercise_id",
                )
                .bind(username)
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(read_participant).collect()
            }

            async fn put_inject(&self, exercise_id: &str, i: &NewInject) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                sqlx::query(
                    "INSERT INTO exercise_inject(exercise_id, number, offset_minutes, sender, recipients, content, \
                     records) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (exercise_id, number) DO UPDATE SET \
                     offset_minutes = excluded.offset_minutes, sender = excluded.sender, \
                     recipients = excluded.recipients, content = excluded.content, records = excluded.records",
                )
                .bind(exercise_id)
                .bind(i.number)
                .bind(i.offset_minutes)
                .bind(&i.sender)
                .bind(join_list(&i.recipients))
                .bind(&i.content)
                .bind(join_list(&i.records))
                .execute(&mut *tx)
                .await?;
                for (at, (action, objective)) in i.expected.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO exercise_expected(exercise_id, inject_number, position, action, objective) \
                         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (exercise_id, inject_number, position) DO UPDATE \
                         SET action = excluded.action, objective = excluded.objective",
                    )
                    .bind(exercise_id)
                    .bind(i.number)
                    .bind(at as i64 + 1)
                    .bind(action)
                    .bind(objective)
                    .execute(&mut *tx)
                    .await?;
                }
                sqlx::query(
                    "DELETE FROM exercise_expected WHERE exercise_id = $1 AND inject_number = $2 AND position > $3",
                )
                .bind(exercise_id)
                .bind(i.number)
                .bind(i.expected.len() as i64)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn delete_inject(&self, exercise_id: &str, number: i64) -> Result<bool, StoreError> {
                let mut tx = self.pool.begin().await?;
                for sql in [
                    "DELETE FROM exercise_expected WHERE exercise_id = $1 AND inject_number = $2",
                    "DELETE FROM exercise_response WHERE exercise_id = $1 AND inject_number = $2",
                ] {
                    sqlx::query(sql).bind(exercise_id).bind(number).execute(&mut *tx).await?;
                }
                let done = sqlx::query("DELETE FROM exercise_inject WHERE exercise_id = $1 AND number = $2")
                    .bind(exercise_id)
                    .bind(number)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(done.rows_affected() > 0)
            }

            async fn injects(&self, exercise_id: &str) -> Result<Vec<Inject>, StoreError> {
                let rows = sqlx::query(
                    "SELECT number, offset_minutes, sender, recipients, content, records, released_at, released_by \
                     FROM exercise_inject WHERE exercise_id = $1 ORDER BY number",
                )
                .bind(exercise_id)
                .fetch_all(&self.pool)
                .await?;
                let mut injects = Vec::with_capacity(rows.len());
                for r in &rows {
                    let recipients: String = r.try_get(3)?;
                    let records: String = r.try_get(5)?;
                    injects.push(Inject {
                        exercise_id: exercise_id.to_owned(),
                        number: r.try_get(0)?,
                        offset_minutes: r.try_get(1)?,
                        sender: r.try_get(2)?,
                        recipients: split_list(&recipients),
                        content: r.try_get(4)?,
                        records: split_list(&records),
                        released_at: r.try_get(6)?,
                        released_by: r.try_get(7)?,
                        expected: Vec::new(),
                    });
                }
                let rows = sqlx::query(
                    "SELECT inject_number, position, action, objective, rating, notes, scored_by \
                     FROM exercise_expected WHERE exercise_id = $1 ORDER BY inject_number, position",
                )
                .bind(exercise_id)
                .fetch_all(&self.pool)
                .await?;
                for r in &rows {
                    let number: i64 = r.try_get(0)?;
                    let rating: Option<String> = r.try_get(4)?;
                    let expected = ExpectedAction {
                        position: r.try_get(1)?,
                        action: r.try_get(2)?,
                        objective: r.try_get(3)?,
                        rating: match rating {
                            None => None,
                            Some(code) => Some(
                                Rating::parse(&code)
                                    .ok_or_else(|| StoreError::Corrupt(format!("exercise rating '{code}'")))?,
                            ),
                        },
                        notes: r.try_get(5)?,
                        scored_by: r.try_get(6)?,
                    };
                    if let Some(inject) = injects.iter_mut().find(|i| i.number == number) {
                        inject.expected.push(expected);
                    }
                }
                Ok(injects)
            }

            async fn release_inject(
                &self,
                exercise_id: &str,
                number: i64,
                at: i64,
                by: &str,
            ) -> Result<bool, StoreError> {
                let done = sqlx::query(
                    "UPDATE exercise_inject SET released_at = $1, released_by = $2 \
                     WHERE exercise_id = $3 AND number = $4 AND released_at IS NULL",
                )
                .bind(at)
                .bind(by)
                .bind(exercise_id)
                .bind(number)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn add_response(&self, exercise_id: &str, r: &NewResponse, at: i64) -> Result<i64, StoreError> {
                let (seq, summary) = match &r.audit {
                    Some((seq, summary)) => (Some(*seq), summary.clone()),
                    None => (None, String::new()),
                };
                Ok(sqlx::query_scalar(
                    "INSERT INTO exercise_response(exercise_id, inject_number, username, body, audit_seq, \
                     audit_summary, responded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(exercise_id)
                .bind(r.inject_number)
                .bind(&r.username)
                .bind(&r.body)
                .bind(seq)
                .bind(summary)
                .bind(at)
                .fetch_one(&self.pool)
                .await?)
            }

            async fn responses(&self, exercise_id: &str) -> Result<Vec<Response>, StoreError> {
                let rows = sqlx::query(
                    "SELECT id, inject_number, username, body, audit_seq, audit_summary, responded_at \
                     FROM exercise_response WHERE exercise_id = $1 ORDER BY responded_at, id",
                )
                .bind(exercise_id)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        Ok(Response {
                            id: r.try_get(0)?,
                            exercise_id: exercise_id.to_owned(),
                            inject_number: r.try_get(1)?,
                            username: r.try_get(2)?,
                            body: r.try_get(3)?,
                            audit_seq: r.try_get(4)?,
                            audit_summary: r.try_get(5)?,
                            responded_at: r.try_get(6)?,
                        })
                    })
                    .collect()
            }

            #[allow(clippy::too_many_arguments)]
            async fn score(
                &self,
                exercise_id: &str,
                inject_number: i64,
                position: i64,
                rating: Rating,
                notes: &str,
                by: &str,
                at: i64,
            ) -> Result<bool, StoreError> {
                let done = sqlx::query(
                    "UPDATE exercise_expected SET rating = $1, notes = $2, scored_by = $3, scored_at = $4 \
                     WHERE exercise_id = $5 AND inject_number = $6 AND position = $7",
                )
                .bind(rating.code())
                .bind(notes)
                .bind(by)
                .bind(at)
                .bind(exercise_id)
                .bind(inject_number)
                .bind(position)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn add_hotwash(
                &self,
                exercise_id: &str,
                username: &str,
                kind: HotwashKind,
                body: &str,
                at: i64,
            ) -> Result<i64, StoreError> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO exercise_hotwash(exercise_id, username, kind, body, written_at) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(exercise_id)
                .bind(username)
                .bind(kind.code())
                .bind(body)
                .bind(at)
                .fetch_one(&self.pool)
                .await?)
            }

            async fn hotwash(&self, exercise_id: &str) -> Result<Vec<HotwashItem>, StoreError> {
                let rows = sqlx::query(
                    "SELECT id, username, kind, body, written_at FROM exercise_hotwash WHERE exercise_id = $1 \
                     ORDER BY written_at, id",
                )
                .bind(exercise_id)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        let kind: String = r.try_get(2)?;
                        Ok(HotwashItem {
                            id: r.try_get(0)?,
                            username: r.try_get(1)?,
                            kind: HotwashKind::parse(&kind)
                                .ok_or_else(|| StoreError::Corrupt(format!("hot-wash kind '{kind}'")))?,
                            body: r.try_get(3)?,
                            written_at: r.try_get(4)?,
                        })
                    })
                    .collect()
            }

            async fn add_corrective(
                &self,
                exercise_id: &str,
                a: &CorrectiveAction,
                by: &str,
                at: i64,
            ) -> Result<i64, StoreError> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO exercise_corrective(exercise_id, area, action, owner, due_date, created_by, \
                     created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(exercise_id)
                .bind(&a.area)
                .bind(&a.action)
                .bind(&a.owner)
                .bind(&a.due_date)
                .bind(by)
                .bind(at)
                .fetch_one(&self.pool)
                .await?)
            }

            async fn correctives(&self, exercise_id: &str) -> Result<Vec<CorrectiveAction>, StoreError> {
                let rows = sqlx::query(
                    "SELECT id, area, action, owner, due_date FROM exercise_corrective WHERE exercise_id = $1 \
                     ORDER BY due_date, id",
                )
                .bind(exercise_id)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        Ok(CorrectiveAction {
                            id: r.try_get(0)?,
                            area: r.try_get(1)?,
                            action: r.try_get(2)?,
                            owner: r.try_get(3)?,
                            due_date: r.try_get(4)?,
                        })
                    })
                    .collect()
            }
        }
    };
}

pub(crate) use exercise_impl;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_stands_still_unless_running() {
        let mut x = Exercise {
            id: "ttx".into(),
            operation_id: None,
            name: "t".into(),
            scenario_seed: 1,
            scenario_persons: 100,
            status: ExerciseStatus::Running,
            elapsed_us: 5,
            resumed_at: Some(100),
            started_at: Some(50),
            ended_at: None,
            created_by: "c".into(),
            created_at: 0,
        };
        assert_eq!(x.clock_at(130), 35);
        x.status = ExerciseStatus::Paused;
        assert_eq!(x.clock_at(130), 5);
    }

    #[test]
    fn lists_drop_blanks_and_codes_round_trip() {
        assert_eq!(split_list(&join_list(&[" a ".into(), "".into(), "b".into()])), ["a", "b"]);
        for r in Rating::ALL {
            assert_eq!(Rating::parse(r.code()), Some(r));
        }
        for p in Part::ALL {
            assert_eq!(Part::parse(p.code()), Some(p));
        }
        assert_eq!(ExerciseStatus::parse("ended"), Some(ExerciseStatus::Ended));
        assert_eq!(HotwashKind::parse("x"), None);
    }
}
