//! Veza's use cases. The faces (`veza-web`, `veza-cli`) call these; these
//! validate input against the model and call the store with the caller, so
//! the policy applies whichever face is used.

mod academy;
mod academy_followup;
mod academy_gain;
mod academy_grading;
mod academy_practice;
mod academy_progress;
mod academy_reports;
mod access;
mod assessment;
mod audit;
mod cascade;
mod casefiles;
mod casework;
mod certificates;
mod chart;
mod cohorts;
mod demo;
mod demo_academy;
mod demo_cases;
mod demo_cohorts;
mod demo_exercise;
mod demo_operation;
mod directory;
mod entities;
mod error;
mod exercise;
mod export;
mod field;
mod field_node;
mod identity;
mod import;
mod matching;
mod network;
pub mod operation_figures;
pub mod operation_plan;
pub mod operations;
mod report_chart;
mod reports;
mod retention;
mod screening;
mod timeline;
mod victims;

pub use academy::{
    AttemptView, CourseDraft, CourseSummary, DEADLINE_GRACE_SECONDS, MAX_IMAGE_BYTES, PROGRAMMES, PublishedCourse,
    image_media_type, may_administer, may_author, outline_from_yaml, render_markdown, valid_course_id,
};
pub use academy_followup::{FollowUpDue, SurveyItem, SurveySummary, follow_up_due_on};
pub use academy_gain::{CourseGain, GainRow, GainSummary};
pub use academy_grading::WaitingAttempt;
pub use academy_practice::{EXERCISE_DATASET, ExerciseOutcome};
pub use academy_reports::{AcademyReport, Tally, bar_chart_svg, survey_counts};
pub use access::{Access, Purpose};
pub use assessment::{
    AreaLabels, AreaScore, AssessmentRound, CountryAssessment, gap_chart_svg, plan_rules, questionnaire,
};
pub use audit::{AuditKey, VERIFY_PAGE, hex_hash, load_public_key};
pub use cascade::{CascadeBranch, CascadeCourse, CascadeView, CountryReach, MAX_CASCADE_DEPTH, NationalCourseDraft};
pub use casefiles::end_of_day;
pub use casework::{
    CASE_FORM_PROPERTIES, CASEWORK_DATASET, CaseFile, CaseSummary, FieldProblem, MAX_CASE_RECORDS, MAX_EVIDENCE_BYTES,
    NewCase, Workspace, clean_file_name, sha256_hex, sniff_media_type,
};
pub use certificates::{Unmet, VerifiedCertificate, default_rule, new_verification_code, normalise_verification_code};
pub use chart::{
    ChartDraft, ChartEdge, ChartLayout, ChartView, GroupLayout, MAX_CASE_HOPS, MAX_CHART_TITLE, MAX_PATH_HOPS,
    NodeLayout, PathView,
};
pub use cohorts::{
    AcademyStanding, CohortDraft, CohortView, LearnerProgress, MAX_COHORT_CAPACITY, MAX_POST_CHARS, academy_standing,
    learner_ref,
};
pub use demo::{DemoSummary, DemoUser};
pub use demo_cases::DEMO_CASE;
pub use demo_exercise::DEMO_EXERCISE;
pub use demo_operation::DEMO_OPERATION;
pub use directory::AgencyImport;
pub use entities::{MANUAL_DATASET, NewEntity};
pub use error::AppError;
pub use exercise::{
    ClockCommand, EXERCISE_PERSONS, ExerciseBoard, ExerciseSummary, Inbox, MselFormat, PlayerAction,
    Standing as ExerciseStanding, exercise_dataset, exercise_record_id, into_exercise, to_msel,
};
pub use export::ExportSummary;
pub use field::{
    FieldUpload, FieldUploadAnswer, MAX_VALIDITY, MIN_PASSPHRASE, SnapshotExport, SnapshotPlan, SnapshotRequest,
    releasable_to,
};
pub use field_node::{
    FIELD_THRESHOLD, FieldCheckInput, FieldDocument, FieldNode, FieldPerson, FieldVehicle, QueuedCheck,
    upload_canonical,
};
pub use identity::{
    API_TOKEN_PREFIX, AuthError, AuthenticatedUser, Clock, HashCost, IdentityConfig, IssuedToken, MFA_REQUIRED_ROLES,
    SESSION_PREFIX, Session, TokenAuth, UserInfo, check_password_policy, check_totp, hash_password, random_password,
    token_hash, totp_code, verify_password,
};
pub use import::{ImportOptions, ImportPreview, ImportSummary, default_rejects_path};
pub use matching::{MAX_XREF_RECORDS, MatchDetail, MatchView, XrefScope, XrefSummary};
pub use network::{MAX_HOPS, MAX_NETWORK_NODES, NetworkFormat, NetworkNodeView, NetworkView};
pub use reports::{Figure, FigureRow, MAX_IDS_PER_ROW, OperationReport, ReportKind, ReportOperation};
pub use screening::{
    DEFAULT_WATCHLIST, DocumentHit, DocumentQuery, DocumentResults, MAX_DOCUMENT_BATCH, MAX_SCREEN_BATCH,
    MAX_SCREEN_LIMIT, QueryResults, ScreenQuery, ScreenResult,
};
pub use timeline::{Involved, MAX_TIMELINE_EVENTS, TimelineEvent, TimelineFilter, TimelineView, first_day, last_day};
pub use veza_indicators;
pub use veza_ingest::msel::{MselExpected, MselInject};
pub use veza_ingest::{Note, Progress, Reject, read_rejects};
pub use veza_model::Role;
pub use veza_screen::{DocumentMatchKind, Person as ScreenPerson};
pub use veza_store::audit::{
    AuditAction, AuditCheckpoint, AuditEntry, AuditFilter, AuditOutcome, NewAuditEntry, Tamper, VerifyReport,
};
pub use veza_store::cohorts::{
    Certificate, Cohort, CompletionRule, Enrolment, Invitation, KnowledgeGain, LaterPractice, LearnerProfile,
    NationalCourse, NewNationalCourse, ParticipationCount, Post, QuizResult, ScheduledModule, Stage, Trainee, Trainer,
};
pub use veza_store::{
    AccessRequest, Attached, Backend, Caller, Capacity, CaseMember, CaseNote, CaseShare, CaseTask, ChartAnchor,
    Evidence, Lookup, MatchCandidate, MatchDecision, MatchStatus, NetworkNode, RequestStatus, RetentionItem,
    SavedChart, Scope, SearchFilters, SearchPage, ShareHandling, Stats, TaskStatus,
};
pub use veza_store::{
    CorrectiveAction, Exercise, ExerciseStatus, ExpectedAction, HotwashItem, HotwashKind, Inject, Part, Participant,
    Rating, Response as ExerciseResponse,
};
pub use victims::{
    CONSENT_SCOPES, DECISIONS, HandlingRequest, Interview, NewReferral, REFERRAL_STATUSES, Recorded, ReferralSheet,
    SERVICE_TYPES, VICTIMS_DATASET, VictimFile, age_group,
};

use std::sync::Arc;
use veza_model::{Model, Owner};
use veza_store::{Agency, Store};

/// The Latin transliteration shown beside a name written in another script
/// (names are always shown as the source wrote them, never replaced):
/// Cyrillic by the national table its letters point to (`ђ`/`ћ` Serbian,
/// `ѓ`/`ќ`/`ѕ` Macedonian, `і`/`ї`/`є` Ukrainian, `ы`/`э` Russian, `ъ`/`щ`
/// alone Bulgarian, else Serbian, the region's default), Greek by ELOT 743,
/// Arabic script by the engine's table. `None` for Latin text.
pub fn latin_transliteration(name: &str) -> Option<String> {
    use veza_text::{Table, has_arabic, has_cyrillic, has_greek, transliterate};
    let has = |letters: &str| name.chars().flat_map(char::to_lowercase).any(|c| letters.contains(c));
    let table = if has_cyrillic(name) {
        if has("ђћ") {
            Table::Serbian
        } else if has("ѓќѕ") {
            Table::Macedonian
        } else if has("іїєґ") {
            Table::Ukrainian
        } else if has("ыэё") {
            Table::Russian
        } else if has("ъщ") {
            Table::Bulgarian
        } else {
            Table::Serbian
        }
    } else if has_greek(name) {
        Table::Greek
    } else if has_arabic(name) {
        Table::Arabic
    } else {
        return None;
    };
    Some(transliterate(name, table)).filter(|t| t != name)
}

/// The platform: a store and the model, shared by every face.
#[derive(Clone)]
pub struct Veza {
    store: Arc<dyn Store>,
    model: &'static Model,
    identity: Arc<identity::IdentityState>,
    screening: Arc<screening::ScreeningCache>,
    operations_cache: Arc<operations::OperationsCache>,
    field_issuer: Arc<std::sync::OnceLock<AuditKey>>,
}

/// The agency that owns what a local operator enters before agencies are
/// set up: the installation itself.
pub const LOCAL_AGENCY: &str = "local";

impl Veza {
    /// Opens the store at `database_url` (creating and migrating it) and
    /// makes sure the local agency exists.
    pub async fn open(database_url: &str) -> Result<Veza, AppError> {
        Veza::open_with(database_url, IdentityConfig::default()).await
    }

    /// Opens as [`Veza::open`] does, with other identity settings (tests use
    /// a cheaper password hash and their own clock; production uses the default).
    pub async fn open_with(database_url: &str, identity: IdentityConfig) -> Result<Veza, AppError> {
        let store = veza_store::open(database_url).await?;
        let veza = Veza {
            store,
            model: Model::builtin(),
            identity: identity::IdentityState::new(identity),
            screening: Arc::default(),
            operations_cache: Arc::default(),
            field_issuer: Arc::default(),
        };
        if veza.store.agency(LOCAL_AGENCY).await?.is_none() {
            veza.store
                .put_agency(&Agency {
                    code: LOCAL_AGENCY.into(),
                    name: "This installation".into(),
                    country: "zz".into(),
                    kind: "installation".into(),
                })
                .await?;
        }
        Ok(veza)
    }

    /// The store, for use cases in other modules and for tests.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The schemata.
    pub fn model(&self) -> &'static Model {
        self.model
    }

    /// Which database the platform runs on.
    pub fn backend(&self) -> Backend {
        self.store.backend()
    }

    /// The owner of records a caller creates: the caller's agency, or the
    /// local agency for the platform itself.
    pub async fn owner_for(&self, caller: &Caller, agency: Option<&str>) -> Result<Owner, AppError> {
        let code = match (caller, agency) {
            (Caller::User { agency, .. }, _) => agency.clone(),
            (Caller::System { .. }, Some(a)) => a.to_owned(),
            (Caller::System { .. }, None) => LOCAL_AGENCY.to_owned(),
        };
        let agency = self.store.agency(&code).await?.ok_or_else(|| AppError::Invalid {
            field: Some("agency".into()),
            message: format!("unknown agency '{code}': add it with `veza agency add` first"),
        })?;
        Ok(Owner { agency: agency.code, country: agency.country })
    }
}

#[cfg(test)]
mod transliteration_tests {
    use super::latin_transliteration;

    #[test]
    fn names_in_other_scripts_get_a_latin_reading_and_latin_names_none() {
        assert_eq!(latin_transliteration("Ђорђе Петровић").as_deref(), Some("Đorđe Petrović"));
        assert_eq!(latin_transliteration("Марко").as_deref(), Some("Marko"));
        assert!(latin_transliteration("Ѓорѓи").is_some_and(|l| l.starts_with("Gj") || l.starts_with("Ǵ")));
        assert_eq!(latin_transliteration("Petrović"), None);
        assert!(latin_transliteration("Νίκος").is_some());
        assert!(latin_transliteration("محمد").is_some_and(|l| l.is_ascii() || !l.contains('م')));
    }
}
