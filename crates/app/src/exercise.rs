//! Table-top exercises: plan (participants, the MSEL), run (start, pause,
//! end; injects released on schedule or by hand), respond, evaluate, and
//! the after-action report and improvement plan (AAR/IP).
//!
//! **Isolation.** An exercise's records come from `veza synth` (a small
//! scenario, seeded), ids prefixed with the exercise's id, in the dataset
//! `exercise-<id>`, and marked with the exercise as their realm: the store's
//! policy shows them only to callers acting in that exercise, and shows
//! those callers nothing else (`veza_store::policy`). Only participants may
//! act in an exercise ([`Veza::may_act_in_exercise`], checked by the web
//! face before it puts the exercise into the caller's scope). The platform's
//! statistics and every watchlist are per realm, so an exercise never
//! counts in real figures nor takes a real check's candidates.
//!
//! **Who does what.** Controllers (users with the exercise-controller role
//! who made the exercise, or whom a controller added) plan and run it;
//! players receive the injects for their team and respond; evaluators (and
//! controllers) score the expected actions; every participant adds to the
//! hot wash. Anyone else gets "not found". Every change is audited before it
//! is made, with the exercise as purpose.

use crate::access::{Access, Purpose};
use crate::error::AppError;
use crate::{LOCAL_AGENCY, Veza};
use serde::Serialize;
use veza_ingest::msel::{MselExpected, MselInject, check_inject};
use veza_model::{Entity, Role, Visibility};
use veza_store::audit::{AuditAction, AuditFilter, AuditOutcome};
use veza_store::{
    Agency, Caller, CorrectiveAction, Exercise, ExerciseStatus, HotwashItem, HotwashKind, Inject, NewInject,
    NewResponse, Part, Participant, Rating, Response,
};

/// Persons of an exercise's synthetic scenario (the smallest `veza synth` makes).
pub const EXERCISE_PERSONS: u64 = veza_synth::MIN_PERSONS;

/// What the caller may do in an exercise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Standing {
    /// The caller's part, if a participant.
    pub part: Option<Part>,
    /// Their team (players).
    pub team: String,
    /// Plans and runs it.
    pub controls: bool,
    /// Scores expected actions.
    pub evaluates: bool,
    /// Receives injects and responds.
    pub plays: bool,
}

/// An exercise with the caller's standing in it.
#[derive(Debug, Clone, Serialize)]
pub struct ExerciseSummary {
    /// The exercise.
    pub exercise: Exercise,
    /// The caller's standing.
    pub standing: Standing,
}

/// Everything the exercise's page shows, as the caller may see it.
#[derive(Debug, Clone, Serialize)]
pub struct ExerciseBoard {
    /// The exercise.
    pub exercise: Exercise,
    /// Exercise time now, whole minutes.
    pub clock_minutes: i64,
    /// The caller's standing.
    pub standing: Standing,
    /// Participants.
    pub participants: Vec<Participant>,
    /// The MSEL (controllers and evaluators only; players see their inbox).
    pub injects: Vec<Inject>,
    /// Responses (controllers and evaluators only).
    pub responses: Vec<Response>,
    /// The hot wash.
    pub hotwash: Vec<HotwashItem>,
    /// Corrective actions of the improvement plan.
    pub correctives: Vec<CorrectiveAction>,
}

/// One of the player's own audited actions, to link to a response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlayerAction {
    /// Its sequence number in the audit log.
    pub seq: i64,
    /// When (microseconds).
    pub at: i64,
    /// What, in a line ("consult: search 'petrovic'").
    pub summary: String,
}

/// A player's inbox.
#[derive(Debug, Clone, Serialize)]
pub struct Inbox {
    /// The exercise.
    pub exercise: Exercise,
    /// The player's team.
    pub team: String,
    /// Released injects for the team, newest first.
    pub injects: Vec<Inject>,
    /// The player's responses.
    pub responses: Vec<Response>,
    /// The player's audited actions since the exercise started, newest first.
    pub actions: Vec<PlayerAction>,
}

/// A change of an exercise's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockCommand {
    /// Start, or resume after a pause.
    Start,
    /// Stop the clock.
    Pause,
    /// End the exercise.
    End,
}

impl ClockCommand {
    /// The command a form names (`start`, `pause`, `end`).
    pub fn parse(code: &str) -> Option<ClockCommand> {
        match code.trim() {
            "start" => Some(ClockCommand::Start),
            "pause" => Some(ClockCommand::Pause),
            "end" => Some(ClockCommand::End),
            _ => None,
        }
    }
}

/// An MSEL file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MselFormat {
    /// CSV with `veza_ingest::msel::MSEL_HEADER`.
    Csv,
    /// `{"injects":[…]}`.
    Json,
}

impl MselFormat {
    /// The format a code names (`csv`, `json`).
    pub fn parse(code: &str) -> Option<MselFormat> {
        match code.trim() {
            "csv" => Some(MselFormat::Csv),
            "json" => Some(MselFormat::Json),
            _ => None,
        }
    }
}

fn invalid(field: &str, message: impl Into<String>) -> AppError {
    AppError::Invalid { field: Some(field.to_owned()), message: message.into() }
}

fn not_found(id: &str) -> AppError {
    AppError::NotFound(format!("exercise {id}"))
}

/// The id an exercise's copy of a scenario record gets.
pub fn exercise_record_id(exercise_id: &str, id: &str) -> String {
    format!("{exercise_id}.{id}")
}

/// The dataset of an exercise's records.
pub fn exercise_dataset(exercise_id: &str) -> String {
    format!("exercise-{exercise_id}")
}

/// An inject as the MSEL files carry it.
pub fn to_msel(i: &Inject) -> MselInject {
    MselInject {
        number: i.number,
        offset_minutes: i.offset_minutes,
        sender: i.sender.clone(),
        recipients: i.recipients.clone(),
        content: i.content.clone(),
        records: i.records.clone(),
        expected: i
            .expected
            .iter()
            .map(|e| MselExpected { action: e.action.clone(), objective: e.objective.clone() })
            .collect(),
    }
}

fn from_msel(i: &MselInject) -> NewInject {
    NewInject {
        number: i.number,
        offset_minutes: i.offset_minutes,
        sender: i.sender.trim().to_owned(),
        recipients: i.recipients.clone(),
        content: i.content.trim().to_owned(),
        records: i.records.clone(),
        expected: i.expected.iter().map(|e| (e.action.trim().to_owned(), e.objective.trim().to_owned())).collect(),
    }
}

/// Copies a scenario into an exercise's realm: ids (and references) get
/// the exercise's prefix, the dataset is the exercise's, everyone acting in
/// the exercise may see the records (the compartments still hold).
pub fn into_exercise(model: &veza_model::Model, exercise_id: &str, mut entities: Vec<Entity>) -> Vec<Entity> {
    let dataset = exercise_dataset(exercise_id);
    for e in &mut entities {
        let refs: Vec<String> = e.references(model).map(|(prop, _)| prop.to_owned()).collect();
        for prop in refs {
            if let Some(values) = e.properties.get_mut(&prop) {
                for v in values.iter_mut() {
                    *v = exercise_record_id(exercise_id, v);
                }
            }
        }
        e.id = exercise_record_id(exercise_id, &e.id);
        e.provenance.exercise = Some(exercise_id.to_owned());
        e.provenance.source = veza_model::SourceRef { dataset: dataset.clone(), record: None };
        e.handling.visibility = Visibility::All;
        e.value_handling.clear();
    }
    entities
}

impl Veza {
    /// The access exercise paperwork is audited under: the caller, with the
    /// exercise as purpose.
    fn exercise_access(caller: &Caller, id: &str) -> Result<Access, AppError> {
        Ok(Access::new(caller.clone(), Some(Purpose::parse(&format!("table-top exercise {id}"))?)))
    }

    /// Audits a change before making it.
    async fn exercise_change<T>(
        &self,
        caller: &Caller,
        id: &str,
        action: AuditAction,
        detail: &str,
        change: impl std::future::Future<Output = Result<T, AppError>>,
    ) -> Result<T, AppError> {
        let access = Veza::exercise_access(caller, id)?;
        self.audit_access(&access, action, Vec::new(), AuditOutcome::Ok, &format!("exercise {id}: {detail}")).await?;
        change.await
    }

    /// The exercise and the caller's standing; "not found" for anyone who
    /// takes no part in it.
    pub async fn exercise_standing(&self, caller: &Caller, id: &str) -> Result<(Exercise, Standing), AppError> {
        let exercise = self.store.exercise(id).await?.ok_or_else(|| not_found(id))?;
        let Caller::User { username, .. } = caller else {
            let standing = Standing { part: None, team: String::new(), controls: true, evaluates: true, plays: false };
            return Ok((exercise, standing));
        };
        let me = self.store.participants(id).await?.into_iter().find(|p| &p.username == username);
        let Some(me) = me else { return Err(not_found(id)) };
        let standing = Standing {
            part: Some(me.part),
            team: me.team.clone(),
            controls: me.part == Part::Controller,
            evaluates: matches!(me.part, Part::Controller | Part::Evaluator),
            plays: me.part == Part::Player,
        };
        Ok((exercise, standing))
    }

    async fn controlled(&self, caller: &Caller, id: &str) -> Result<Exercise, AppError> {
        let (x, s) = self.exercise_standing(caller, id).await?;
        if !s.controls {
            return Err(AppError::Forbidden(format!("only the controllers of exercise {id} do this")));
        }
        Ok(x)
    }

    /// Whether `username` takes part in exercise `id` (and so may act in its realm).
    pub async fn may_act_in_exercise(&self, username: &str, id: &str) -> Result<bool, AppError> {
        Ok(self.store.participations(username).await?.iter().any(|p| p.exercise_id == id))
    }

    /// The exercises the caller takes part in (all for the platform), newest first.
    pub async fn my_exercises(&self, caller: &Caller) -> Result<Vec<ExerciseSummary>, AppError> {
        let mut out = Vec::new();
        for x in self.store.exercises().await? {
            if let Ok((exercise, standing)) = self.exercise_standing(caller, &x.id).await {
                out.push(ExerciseSummary { exercise, standing });
            }
        }
        Ok(out)
    }

    /// Makes an exercise with its own synthetic scenario (`veza synth`,
    /// `seed`), the caller as its controller. Only exercise controllers
    /// (and the platform) make exercises. Returns the exercise.
    pub async fn create_exercise(
        &self,
        caller: &Caller,
        name: &str,
        seed: u64,
        id: Option<&str>,
    ) -> Result<Exercise, AppError> {
        if let Caller::User { roles, .. } = caller
            && !roles.contains(&Role::ExerciseController)
        {
            return Err(AppError::Forbidden("only exercise controllers make exercises".into()));
        }
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(invalid("name", "give the exercise a name of 1–200 characters"));
        }
        let id = match id {
            Some(id) if veza_model::valid_exercise_id(id) => id.to_owned(),
            Some(id) => return Err(invalid("id", format!("'{id}': 1–64 letters, digits, '-', '_' or '.'"))),
            None => {
                let taken: Vec<String> = self.store.exercises().await?.into_iter().map(|x| x.id).collect();
                (1..).map(|n| format!("ttx-{n}")).find(|c| !taken.contains(c)).unwrap_or_default()
            }
        };
        let now = self.now().timestamp_micros();
        let exercise = Exercise {
            id: id.clone(),
            operation_id: None,
            name: name.to_owned(),
            scenario_seed: seed as i64,
            scenario_persons: EXERCISE_PERSONS as i64,
            status: ExerciseStatus::Planned,
            elapsed_us: 0,
            resumed_at: None,
            started_at: None,
            ended_at: None,
            created_by: caller.actor(),
            created_at: now,
        };
        let detail = format!("created '{name}' with a synthetic scenario (seed {seed})");
        self.exercise_change(caller, &id, AuditAction::Collect, &detail, async {
            self.store.create_exercise(&exercise).await.map_err(|e| match e {
                veza_store::StoreError::Forbidden(m) => AppError::Conflict(m),
                e => e.into(),
            })?;
            if let Caller::User { username, .. } = caller {
                let me = Participant {
                    exercise_id: id.clone(),
                    username: username.clone(),
                    part: Part::Controller,
                    team: String::new(),
                };
                self.store.put_participant(&me).await?;
            }
            self.load_exercise_scenario(&id, seed).await
        })
        .await?;
        Ok(exercise)
    }

    /// Generates the exercise's scenario and stores it in the exercise's realm.
    async fn load_exercise_scenario(&self, id: &str, seed: u64) -> Result<usize, AppError> {
        let options = veza_synth::Options { persons: EXERCISE_PERSONS, seed, countries: veza_synth::western_balkans() };
        let agencies = options.agencies();
        let entities = tokio::task::spawn_blocking(move || veza_synth::scenario_entities(&options))
            .await
            .map_err(|e| AppError::Internal(format!("generating the exercise's scenario: {e}")))?;
        for a in agencies {
            if self.store.agency(&a.code).await?.is_none() {
                self.store.put_agency(&Agency { code: a.code, name: a.name, country: a.country, kind: a.kind }).await?;
            }
        }
        let dataset = exercise_dataset(id);
        self.ensure_source(&dataset, &format!("Synthetic records of exercise {id}"), "exercise", LOCAL_AGENCY).await?;
        let entities = into_exercise(self.model, id, entities);
        let caller = Caller::system(&format!("exercise {id}"));
        for chunk in entities.chunks(500) {
            self.store.write_entities(&caller, chunk).await?;
        }
        self.screening.touch();
        Ok(entities.len())
    }

    /// The exercise's page, as the caller may see it.
    pub async fn exercise_board(&self, caller: &Caller, id: &str) -> Result<ExerciseBoard, AppError> {
        let (exercise, standing) = self.exercise_standing(caller, id).await?;
        let insider = standing.controls || standing.evaluates;
        let now = self.now().timestamp_micros();
        Ok(ExerciseBoard {
            clock_minutes: exercise.clock_at(now) / 60_000_000,
            participants: self.store.participants(id).await?,
            injects: if insider { self.store.injects(id).await? } else { Vec::new() },
            responses: if insider { self.store.responses(id).await? } else { Vec::new() },
            hotwash: self.store.hotwash(id).await?,
            correctives: self.store.correctives(id).await?,
            exercise,
            standing,
        })
    }

    /// Adds a participant, or changes their part or team (controllers).
    pub async fn put_exercise_participant(
        &self,
        caller: &Caller,
        id: &str,
        username: &str,
        part: Part,
        team: &str,
    ) -> Result<(), AppError> {
        self.controlled(caller, id).await?;
        let username = username.trim();
        let team = team.trim();
        if self.store.user(username).await?.is_none() {
            return Err(invalid("username", format!("no user '{username}'")));
        }
        if part == Part::Player && !veza_ingest::msel::valid_team(team) {
            return Err(invalid("team", "a player needs a team: 1–40 letters, digits, '-', '_' or '.'"));
        }
        let team = if part == Part::Player { team.to_owned() } else { String::new() };
        let detail = format!("{username} takes part as {} {team}", part.code());
        let p = Participant { exercise_id: id.to_owned(), username: username.to_owned(), part, team };
        self.exercise_change(caller, id, AuditAction::Grant, detail.trim(), async {
            Ok(self.store.put_participant(&p).await?)
        })
        .await
    }

    /// Removes a participant (controllers); false when they took no part.
    pub async fn remove_exercise_participant(
        &self,
        caller: &Caller,
        id: &str,
        username: &str,
    ) -> Result<bool, AppError> {
        self.controlled(caller, id).await?;
        if caller.scope().is_some() && caller.actor() == username {
            return Err(invalid("username", "a controller does not remove themselves"));
        }
        self.exercise_change(caller, id, AuditAction::Refuse, &format!("{username} no longer takes part"), async {
            Ok(self.store.remove_participant(id, username).await?)
        })
        .await
    }

    /// Checks an inject against the rules and the exercise's records; the
    /// problems as (field, message).
    pub async fn check_exercise_inject(
        &self,
        id: &str,
        inject: &MselInject,
    ) -> Result<Vec<(String, String)>, AppError> {
        let mut problems: Vec<(String, String)> =
            check_inject(inject).into_iter().map(|(f, m)| (f.to_owned(), m)).collect();
        let platform = Caller::system("exercise check");
        for record in &inject.records {
            let ok = match self.store.entity(&platform, record).await? {
                veza_store::Lookup::Found(e) => e.provenance.exercise.as_deref() == Some(id),
                _ => false,
            };
            if !ok {
                problems.push(("records".into(), format!("'{record}' is not a record of exercise {id}")));
            }
        }
        Ok(problems)
    }

    /// Adds or replaces an inject of the MSEL (controllers).
    pub async fn put_exercise_inject(&self, caller: &Caller, id: &str, inject: &MselInject) -> Result<(), AppError> {
        self.controlled(caller, id).await?;
        if let Some((field, message)) = self.check_exercise_inject(id, inject).await?.into_iter().next() {
            return Err(AppError::Invalid { field: Some(field), message });
        }
        let new = from_msel(inject);
        self.exercise_change(caller, id, AuditAction::Alter, &format!("inject {} written", inject.number), async {
            Ok(self.store.put_inject(id, &new).await?)
        })
        .await
    }

    /// Deletes an inject (controllers); false when there was none.
    pub async fn delete_exercise_inject(&self, caller: &Caller, id: &str, number: i64) -> Result<bool, AppError> {
        self.controlled(caller, id).await?;
        self.exercise_change(caller, id, AuditAction::Erase, &format!("inject {number} deleted"), async {
            Ok(self.store.delete_inject(id, number).await?)
        })
        .await
    }

    /// Reads an MSEL file and stores every inject, or none: the problems
    /// name the line (or inject) and field. Returns the number of injects.
    pub async fn import_msel(
        &self,
        caller: &Caller,
        id: &str,
        text: &str,
        format: MselFormat,
    ) -> Result<usize, AppError> {
        self.controlled(caller, id).await?;
        let read = match format {
            MselFormat::Csv => veza_ingest::msel::read_msel_csv(text),
            MselFormat::Json => veza_ingest::msel::read_msel_json(text),
        };
        let injects = read.map_err(|problems| {
            let shown: Vec<String> = problems.iter().take(20).map(ToString::to_string).collect();
            let more = problems.len().saturating_sub(20);
            let tail = if more > 0 { format!("; and {more} more") } else { String::new() };
            invalid("msel", format!("the MSEL was not imported: {}{tail}", shown.join("; ")))
        })?;
        let mut problems = Vec::new();
        for (n, inject) in injects.iter().enumerate() {
            for (field, message) in self.check_exercise_inject(id, inject).await? {
                let at = match format {
                    MselFormat::Csv => format!("line {}", n + 2),
                    MselFormat::Json => format!("injects[{n}]"),
                };
                problems.push(format!("{at}, {field}: {message}"));
            }
        }
        if !problems.is_empty() {
            return Err(invalid("msel", format!("the MSEL was not imported: {}", problems.join("; "))));
        }
        let detail = format!("MSEL imported: {} injects", injects.len());
        self.exercise_change(caller, id, AuditAction::Collect, &detail, async {
            for inject in &injects {
                self.store.put_inject(id, &from_msel(inject)).await?;
            }
            Ok(injects.len())
        })
        .await
    }

    /// The MSEL as a file (controllers and evaluators).
    pub async fn export_msel(&self, caller: &Caller, id: &str, format: MselFormat) -> Result<String, AppError> {
        let (_, standing) = self.exercise_standing(caller, id).await?;
        if !standing.evaluates {
            return Err(AppError::Forbidden(format!("players of exercise {id} see injects in their inbox")));
        }
        let injects: Vec<MselInject> = self.store.injects(id).await?.iter().map(to_msel).collect();
        Ok(match format {
            MselFormat::Csv => veza_ingest::msel::write_msel_csv(&injects),
            MselFormat::Json => veza_ingest::msel::write_msel_json(&injects),
        })
    }

    /// Starts, pauses or ends an exercise (controllers).
    pub async fn exercise_clock(&self, caller: &Caller, id: &str, command: ClockCommand) -> Result<Exercise, AppError> {
        let mut x = self.controlled(caller, id).await?;
        let now = self.now().timestamp_micros();
        use ExerciseStatus::*;
        match (command, x.status) {
            (ClockCommand::Start, Planned | Paused) => {
                x.status = Running;
                x.resumed_at = Some(now);
                x.started_at.get_or_insert(now);
            }
            (ClockCommand::Pause, Running) => {
                x.elapsed_us = x.clock_at(now);
                x.status = Paused;
                x.resumed_at = None;
            }
            (ClockCommand::End, Planned | Running | Paused) => {
                x.elapsed_us = x.clock_at(now);
                x.status = Ended;
                x.resumed_at = None;
                x.ended_at = Some(now);
            }
            (_, status) => {
                return Err(AppError::Conflict(format!("exercise {id} is {}: that cannot be done now", status.code())));
            }
        }
        let detail = format!("clock: {}", x.status.code());
        self.exercise_change(caller, id, AuditAction::Alter, &detail, async {
            Ok(self.store.set_exercise_clock(&x).await?)
        })
        .await?;
        Ok(x)
    }

    /// Releases an inject by hand (controllers); false when it was out already.
    pub async fn release_exercise_inject(&self, caller: &Caller, id: &str, number: i64) -> Result<bool, AppError> {
        let x = self.controlled(caller, id).await?;
        if x.status == ExerciseStatus::Ended {
            return Err(AppError::Conflict(format!("exercise {id} has ended")));
        }
        if !self.store.injects(id).await?.iter().any(|i| i.number == number) {
            return Err(AppError::NotFound(format!("inject {number} of exercise {id}")));
        }
        let now = self.now().timestamp_micros();
        let by = caller.actor();
        self.exercise_change(caller, id, AuditAction::Disclose, &format!("inject {number} released by hand"), async {
            Ok(self.store.release_inject(id, number, now, &by).await?)
        })
        .await
    }

    /// Releases every inject that is due in a running exercise (the
    /// background ticker calls this). Returns (exercise, inject) released.
    pub async fn release_due_injects(&self) -> Result<Vec<(String, i64)>, AppError> {
        let now = self.now().timestamp_micros();
        let clock = Caller::system("exercise clock");
        let mut released = Vec::new();
        for x in self.store.exercises().await? {
            if x.status != ExerciseStatus::Running {
                continue;
            }
            let at = x.clock_at(now);
            for inject in self.store.injects(&x.id).await? {
                if inject.released_at.is_none() && inject.offset_minutes * 60_000_000 <= at {
                    let detail = format!("inject {} released on schedule", inject.number);
                    let done = self
                        .exercise_change(&clock, &x.id, AuditAction::Disclose, &detail, async {
                            Ok(self.store.release_inject(&x.id, inject.number, now, "schedule").await?)
                        })
                        .await?;
                    if done {
                        released.push((x.id.clone(), inject.number));
                    }
                }
            }
        }
        Ok(released)
    }

    /// A player's inbox: the released injects for their team, their
    /// responses, and their own audited actions since the start.
    pub async fn exercise_inbox(&self, caller: &Caller, id: &str) -> Result<Inbox, AppError> {
        let (exercise, standing) = self.exercise_standing(caller, id).await?;
        if !standing.plays {
            return Err(AppError::Forbidden(format!("only players of exercise {id} have an inbox")));
        }
        let mut injects: Vec<Inject> = self
            .store
            .injects(id)
            .await?
            .into_iter()
            .filter(|i| i.released_at.is_some() && i.is_for(&standing.team))
            .collect();
        injects.sort_by_key(|i| std::cmp::Reverse((i.released_at, i.number)));
        for i in &mut injects {
            // Players see what happened, not what the controller expects.
            i.expected.clear();
        }
        let me = caller.actor();
        let responses = self.store.responses(id).await?.into_iter().filter(|r| r.username == me).collect();
        let actions = self.player_actions(&me, &exercise).await?;
        Ok(Inbox { exercise, team: standing.team, injects, responses, actions })
    }

    async fn player_actions(&self, username: &str, x: &Exercise) -> Result<Vec<PlayerAction>, AppError> {
        let Some(from) = x.started_at else { return Ok(Vec::new()) };
        let filter = AuditFilter {
            user: Some(username.to_owned()),
            from: Some(from),
            to: x.ended_at.map(|e| e + 1),
            limit: 50,
            ..AuditFilter::default()
        };
        let marker = format!("exercise {}:", x.id);
        Ok(self
            .store
            .search_audit(&filter)
            .await?
            .into_iter()
            // The exercise's own paperwork (responses, hot wash) is not a response.
            .filter(|e| !e.detail.starts_with(&marker))
            .map(|e| {
                let mut summary = format!("{}: {}", e.action.as_str(), e.detail);
                if summary.chars().count() > 160 {
                    summary = summary.chars().take(159).collect::<String>() + "…";
                }
                PlayerAction { seq: e.seq, at: e.at, summary }
            })
            .collect())
    }

    /// Records a player's response to a released inject for their team,
    /// with one of their audited actions in the exercise window if they link one.
    pub async fn respond_to_inject(
        &self,
        caller: &Caller,
        id: &str,
        number: i64,
        body: &str,
        action: Option<i64>,
    ) -> Result<i64, AppError> {
        let (x, standing) = self.exercise_standing(caller, id).await?;
        if !standing.plays {
            return Err(AppError::Forbidden(format!("only players of exercise {id} respond to injects")));
        }
        let injects = self.store.injects(id).await?;
        let released =
            injects.iter().any(|i| i.number == number && i.released_at.is_some() && i.is_for(&standing.team));
        if !released {
            return Err(AppError::NotFound(format!("inject {number} in your inbox")));
        }
        let body = body.trim();
        if body.is_empty() && action.is_none() {
            return Err(invalid("body", "say what you did or decided, or link one of your actions"));
        }
        if body.chars().count() > 4_000 {
            return Err(invalid("body", "at most 4,000 characters"));
        }
        let me = caller.actor();
        let audit = match action {
            None => None,
            Some(seq) => {
                let mine = self.player_actions(&me, &x).await?;
                let a = mine.into_iter().find(|a| a.seq == seq).ok_or_else(|| {
                    invalid("action", format!("action {seq} is not one of yours in this exercise's window"))
                })?;
                Some((a.seq, a.summary))
            }
        };
        let response = NewResponse { inject_number: number, username: me, body: body.to_owned(), audit };
        let now = self.now().timestamp_micros();
        self.exercise_change(caller, id, AuditAction::Collect, &format!("response to inject {number}"), async {
            Ok(self.store.add_response(id, &response, now).await?)
        })
        .await
    }

    /// Scores an expected action (evaluators and controllers).
    pub async fn score_expected_action(
        &self,
        caller: &Caller,
        id: &str,
        number: i64,
        position: i64,
        rating: Rating,
        notes: &str,
    ) -> Result<(), AppError> {
        let (_, standing) = self.exercise_standing(caller, id).await?;
        if !standing.evaluates {
            return Err(AppError::Forbidden(format!("only the evaluators of exercise {id} score it")));
        }
        if notes.chars().count() > 4_000 {
            return Err(invalid("notes", "at most 4,000 characters"));
        }
        let now = self.now().timestamp_micros();
        let by = caller.actor();
        let detail = format!("inject {number} action {position} scored {}", rating.code());
        let done = self
            .exercise_change(caller, id, AuditAction::Alter, &detail, async {
                Ok(self.store.score(id, number, position, rating, notes.trim(), &by, now).await?)
            })
            .await?;
        if done { Ok(()) } else { Err(AppError::NotFound(format!("expected action {position} of inject {number}"))) }
    }

    /// Adds a strength or an improvement to the hot wash (any participant).
    pub async fn add_hotwash(&self, caller: &Caller, id: &str, kind: HotwashKind, body: &str) -> Result<i64, AppError> {
        self.exercise_standing(caller, id).await?;
        let body = body.trim();
        if body.is_empty() || body.chars().count() > 4_000 {
            return Err(invalid("body", "write 1–4,000 characters"));
        }
        let now = self.now().timestamp_micros();
        let me = caller.actor();
        self.exercise_change(caller, id, AuditAction::Collect, &format!("hot wash: {}", kind.code()), async {
            Ok(self.store.add_hotwash(id, &me, kind, body, now).await?)
        })
        .await
    }

    /// Adds a corrective action to the improvement plan (controllers).
    pub async fn add_corrective_action(
        &self,
        caller: &Caller,
        id: &str,
        action: &CorrectiveAction,
    ) -> Result<i64, AppError> {
        self.controlled(caller, id).await?;
        for (field, text) in [("area", &action.area), ("action", &action.action), ("owner", &action.owner)] {
            if text.trim().is_empty() || text.chars().count() > 1_000 {
                return Err(invalid(field, "write 1–1,000 characters"));
            }
        }
        if chrono::NaiveDate::parse_from_str(action.due_date.trim(), "%Y-%m-%d").is_err() {
            return Err(invalid("due_date", format!("'{}' is not a date (YYYY-MM-DD)", action.due_date)));
        }
        let clean = CorrectiveAction {
            id: 0,
            area: action.area.trim().to_owned(),
            action: action.action.trim().to_owned(),
            owner: action.owner.trim().to_owned(),
            due_date: action.due_date.trim().to_owned(),
        };
        let now = self.now().timestamp_micros();
        let by = caller.actor();
        self.exercise_change(caller, id, AuditAction::Collect, "corrective action added", async {
            Ok(self.store.add_corrective(id, &clean, &by, now).await?)
        })
        .await
    }

    /// The after-action report and improvement plan's data (controllers and
    /// evaluators): the JSON the AAR/IP template reads.
    pub async fn aar_data(&self, caller: &Caller, id: &str) -> Result<serde_json::Value, AppError> {
        let (x, standing) = self.exercise_standing(caller, id).await?;
        if !standing.evaluates {
            return Err(AppError::Forbidden(format!(
                "only controllers and evaluators of exercise {id} read the AAR/IP"
            )));
        }
        let injects = self.store.injects(id).await?;
        let responses = self.store.responses(id).await?;
        let hotwash = self.store.hotwash(id).await?;
        let correctives = self.store.correctives(id).await?;
        let participants = self.store.participants(id).await?;
        let day = |t: Option<i64>| {
            t.and_then(chrono::DateTime::from_timestamp_micros)
                .map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string())
                .unwrap_or_default()
        };
        let mut tally = [0usize; 4];
        let mut objectives: std::collections::BTreeMap<String, [usize; 4]> = Default::default();
        for e in injects.iter().flat_map(|i| &i.expected) {
            let slot = match e.rating {
                Some(Rating::Met) => 0,
                Some(Rating::Partly) => 1,
                Some(Rating::NotMet) => 2,
                None => 3,
            };
            tally[slot] += 1;
            objectives.entry(e.objective.clone()).or_default()[slot] += 1;
        }
        let rated = |r: Option<Rating>| r.map_or("not scored", |r| r.code());
        let data = serde_json::json!({
            "exercise": {
                "id": x.id, "name": x.name, "status": x.status.code(),
                "started": day(x.started_at), "ended": day(x.ended_at),
                "scenario": format!("veza synth, seed {}, {} persons", x.scenario_seed, x.scenario_persons),
                "generated": day(Some(self.now().timestamp_micros())),
            },
            "participants": participants.iter().map(|p| serde_json::json!({
                "user": p.username, "part": p.part.code(), "team": p.team,
            })).collect::<Vec<_>>(),
            "totals": { "met": tally[0], "partly": tally[1], "not_met": tally[2], "not_scored": tally[3] },
            "objectives": objectives.iter().map(|(o, t)| serde_json::json!({
                "objective": o, "met": t[0], "partly": t[1], "not_met": t[2], "not_scored": t[3],
            })).collect::<Vec<_>>(),
            "injects": injects.iter().map(|i| serde_json::json!({
                "number": i.number, "offset": i.offset_minutes, "sender": i.sender,
                "recipients": i.recipients.join(", "), "content": i.content,
                "released": day(i.released_at),
                "expected": i.expected.iter().map(|e| serde_json::json!({
                    "action": e.action, "objective": e.objective, "rating": rated(e.rating),
                    "notes": e.notes, "by": e.scored_by.clone().unwrap_or_default(),
                })).collect::<Vec<_>>(),
                "responses": responses.iter().filter(|r| r.inject_number == i.number).map(|r| serde_json::json!({
                    "by": r.username, "at": day(Some(r.responded_at)), "text": r.body, "action": r.audit_summary,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "strengths": hotwash.iter().filter(|h| h.kind == HotwashKind::Strength)
                .map(|h| serde_json::json!({"by": h.username, "text": h.body})).collect::<Vec<_>>(),
            "improvements": hotwash.iter().filter(|h| h.kind == HotwashKind::Improvement)
                .map(|h| serde_json::json!({"by": h.username, "text": h.body})).collect::<Vec<_>>(),
            "corrective_actions": correctives,
        });
        let access = Veza::exercise_access(caller, id)?;
        self.audit_access(
            &access,
            AuditAction::Consult,
            Vec::new(),
            AuditOutcome::Ok,
            &format!("exercise {id}: AAR/IP"),
        )
        .await?;
        Ok(data)
    }
}

/// The AAR/IP template (typst; reads `data.json`).
const AAR_TEMPLATE: &str = include_str!("../reports/aar.typ");

impl Veza {
    /// The AAR/IP as PDF (controllers and evaluators), typeset from
    /// [`Veza::aar_data`] with `crates/app/reports/aar.typ`.
    pub async fn aar_pdf(&self, caller: &Caller, id: &str) -> Result<Vec<u8>, AppError> {
        let data = self.aar_data(caller, id).await?;
        let today = self.now().date_naive();
        use chrono::Datelike;
        let day = (today.year(), today.month() as u8, today.day() as u8);
        tokio::task::spawn_blocking(move || veza_report::render_pdf(AAR_TEMPLATE, &data, &[], Some(day)))
            .await
            .map_err(|e| AppError::Internal(format!("typesetting the AAR/IP: {e}")))?
            .map_err(|e| AppError::Internal(format!("typesetting the AAR/IP: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scenario_moves_into_the_exercise_with_its_references() {
        let model = veza_model::Model::builtin();
        let mut person = Entity::new("rs-thb-p-1", "Person");
        person.add(model, "name", "Ana Petrović").unwrap();
        let mut suspect = Entity::new("rs-thb-s-1", "Suspect");
        suspect.add(model, "suspect", "rs-thb-p-1").unwrap();
        let moved = into_exercise(model, "ttx-1", vec![person, suspect]);
        assert_eq!(moved[0].id, "ttx-1.rs-thb-p-1");
        assert_eq!(moved[1].values("suspect"), ["ttx-1.rs-thb-p-1"]);
        assert!(moved.iter().all(|e| e.provenance.exercise.as_deref() == Some("ttx-1")));
        assert!(moved.iter().all(|e| e.provenance.source.dataset == "exercise-ttx-1"));
    }

    #[test]
    fn commands_and_formats_parse() {
        assert_eq!(ClockCommand::parse("pause"), Some(ClockCommand::Pause));
        assert_eq!(ClockCommand::parse("stop"), None);
        assert_eq!(MselFormat::parse("json"), Some(MselFormat::Json));
    }
}
