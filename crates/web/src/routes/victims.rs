//! The possible-victim pages: `/victims` (the records the user may see),
//! `/victims/new` (the identification interview, from a check, a case or on
//! its own: `?check=…&operation=…&case=…&person=…`), `/victims/{id}` with
//! the referral form, and `/referrals` with their status. Plain HTML forms:
//! the interview posts once to assess (nothing stored) and once to record;
//! a refusal shows the page again with the reason beside the field.

use super::form::{all, field, fields};
use super::pages::{page_failure, render, see_other};
use crate::AppState;
use crate::caller::CurrentAccess;
use crate::i18n::Tr;
use crate::views::victims::{
    InterviewValues, ReferralRow, ReferralsTemplate, VictimNewTemplate, VictimRow, VictimTemplate, VictimsTemplate,
    assessment_view, code_label, options, question_blocks, request_lines,
};
use crate::views::{Frame, Layout, country_label, path_segment};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use serde::Deserialize;
use std::collections::BTreeMap;
use veza_app::veza_indicators::{AgeGroup, Answer, Answers, Catalogue};
use veza_app::{
    Access, AppError, CONSENT_SCOPES, DECISIONS, HandlingRequest, Interview, NewReferral, REFERRAL_STATUSES,
    SERVICE_TYPES,
};
use veza_model::Entity;

fn victim_href(id: &str) -> String {
    format!("/victims/{}", path_segment(id))
}

const OFFICER_GENDERS: [&str; 3] = ["female", "male", "no_preference"];
const AGE_GROUPS: [&str; 3] = ["adult", "minor", "unknown"];
const GENDERS: [&str; 3] = ["female", "male", "other"];
const EXPLOITATION: [&str; 7] = [
    "sexual_exploitation",
    "forced_labour",
    "forced_begging",
    "forced_criminality",
    "domestic_servitude",
    "forced_marriage",
    "other",
];

/// Where an interview starts from.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Start {
    #[serde(default)]
    check: String,
    #[serde(default)]
    operation: String,
    #[serde(default)]
    case: String,
    #[serde(default)]
    person: String,
}

#[allow(clippy::too_many_arguments)]
fn interview_page(
    frame: &Frame,
    tr: Tr,
    v: InterviewValues,
    answers: &BTreeMap<String, Answer>,
    assessment: Option<crate::views::victims::AssessmentView>,
    errors: BTreeMap<String, String>,
    status: StatusCode,
) -> Response {
    let page = VictimNewTemplate {
        layout: Layout::new(frame, tr.t("victim-new-title")),
        csrf: frame.csrf(),
        request: request_lines(&tr, &v.officer_gender, v.interpreter, &v.language, v.support_worker),
        blocks: question_blocks(&tr, answers),
        officer_genders: options(&tr, &OFFICER_GENDERS, std::slice::from_ref(&v.officer_gender)),
        age_groups: options(&tr, &AGE_GROUPS, std::slice::from_ref(&v.age_group)),
        genders: options(&tr, &GENDERS, std::slice::from_ref(&v.gender)),
        decisions: options(&tr, &DECISIONS, std::slice::from_ref(&v.decision)),
        exploitation: options(&tr, &EXPLOITATION, &v.exploitation),
        assessment,
        errors,
        v,
        tr,
    };
    render(status, &page)
}

/// `GET /victims/new`: the empty interview, tied to a check, operation, case or person when given.
pub(crate) async fn new_form(
    frame: Frame,
    tr: Tr,
    start: Result<Query<Start>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let start = start.map(|Query(s)| s).unwrap_or_default();
    let v = InterviewValues {
        check: start.check.trim().to_owned(),
        operation: start.operation.trim().to_owned(),
        case: start.case.trim().to_owned(),
        person: start.person.trim().to_owned(),
        age_group: "unknown".into(),
        ..InterviewValues::default()
    };
    interview_page(&frame, tr, v, &BTreeMap::new(), None, BTreeMap::new(), StatusCode::OK)
}

fn read_interview(f: &[(String, String)]) -> (InterviewValues, BTreeMap<String, Answer>) {
    let v = InterviewValues {
        person: field(f, "person"),
        check: field(f, "check"),
        operation: field(f, "operation"),
        case: field(f, "case"),
        name: field(f, "name"),
        birth_date: field(f, "birth_date"),
        gender: field(f, "gender"),
        nationality: field(f, "nationality"),
        age_years: field(f, "age_years"),
        age_group: field(f, "age_group"),
        officer_gender: field(f, "officer_gender"),
        interpreter: field(f, "interpreter") == "yes",
        language: field(f, "language"),
        support_worker: field(f, "support_worker") == "yes",
        decision: field(f, "decision"),
        exploitation: all(f, "exploitation"),
        notes: field(f, "notes"),
    };
    let mut answers = BTreeMap::new();
    for i in &Catalogue::builtin().indicators {
        let a = match field(f, &format!("ind-{}", i.code)).as_str() {
            "yes" => Answer::Yes,
            "no" => Answer::No,
            _ => continue,
        };
        answers.insert(i.code.clone(), a);
    }
    (v, answers)
}

fn some(s: &str) -> Option<String> {
    Some(s.to_owned()).filter(|s| !s.is_empty())
}

/// `POST /victims/new`: `step=assess` shows the reasoned assessment (nothing
/// stored); `step=record` stores the interview and the decision.
pub(crate) async fn submit(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    body: Bytes,
) -> Response {
    let f = fields(&body);
    let (mut v, answers) = read_interview(&f);
    let mut errors = BTreeMap::new();
    if !OFFICER_GENDERS.contains(&v.officer_gender.as_str()) {
        errors.insert("officer_gender".to_owned(), tr.t("victim-error-officer-gender"));
    }
    let given = AgeGroup::parse(&v.age_group);
    let age = match veza_app::age_group(&v.age_years, given) {
        Ok(a) => a,
        Err(_) => {
            errors.insert("age_years".to_owned(), tr.t("victim-error-age"));
            given
        }
    };
    let input = Answers { age, answers: answers.clone() };
    let assessment = match s.app.assess_indicators(&input) {
        Ok(a) => a,
        Err(e) => return page_failure(&frame, &uri, e),
    };
    if field(&f, "step") != "record" || !errors.is_empty() {
        if v.exploitation.is_empty()
            && let veza_app::veza_indicators::Advice::Indications { purposes } = &assessment.advice
        {
            v.exploitation = purposes.iter().map(|p| p.exploitation_type().to_owned()).collect();
        }
        let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
        let view = assessment_view(&tr, &assessment);
        return interview_page(&frame, tr, v, &answers, Some(view), errors, status);
    }
    if v.person.is_empty() && v.name.is_empty() {
        errors.insert("name".to_owned(), tr.t("victim-error-name"));
    }
    if !DECISIONS.contains(&v.decision.as_str()) {
        errors.insert("decision".to_owned(), tr.t("victim-error-decision"));
    }
    if errors.is_empty() {
        let interview = Interview {
            person_id: some(&v.person),
            name: v.name.clone(),
            birth_date: v.birth_date.clone(),
            gender: v.gender.clone(),
            nationality: v.nationality.clone(),
            age_years: v.age_years.clone(),
            check: some(&v.check),
            operation: some(&v.operation),
            case: some(&v.case),
            handling: HandlingRequest {
                officer_gender: v.officer_gender.clone(),
                interpreter: v.interpreter,
                language: v.language.clone(),
                support_worker: v.support_worker,
            },
            answers: input,
            decision: v.decision.clone(),
            exploitation: v.exploitation.clone(),
            notes: v.notes.clone(),
        };
        match s.app.record_interview(&access, interview).await {
            Ok(r) if r.visible => return see_other(&victim_href(&r.victim_id)),
            Ok(_) => return see_other("/victims?handed_over=1"),
            Err(AppError::Invalid { field, message }) => {
                let field = match field.as_deref() {
                    Some("birthDate") => "birth_date".to_owned(),
                    Some("nationality" | "citizenship") => "nationality".to_owned(),
                    Some("primaryLanguage" | "interviewLanguage") => "language".to_owned(),
                    Some(f) if ["name", "decision", "officer_gender", "age_years", "person"].contains(&f) => {
                        f.to_owned()
                    }
                    _ => "form".to_owned(),
                };
                errors.insert(field, message);
            }
            Err(e) => return page_failure(&frame, &uri, e),
        }
    }
    let view = assessment_view(&tr, &assessment);
    interview_page(&frame, tr, v, &answers, Some(view), errors, StatusCode::BAD_REQUEST)
}

fn date_of(e: &Entity, prop: &str) -> String {
    e.first(prop).unwrap_or("").to_owned()
}

/// What `/victims` may be asked.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ListParams {
    #[serde(default)]
    handed_over: Option<u8>,
}

/// `GET /victims`: the victim records the user may see.
pub(crate) async fn list(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    params: Result<Query<ListParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let handed_over = params.ok().and_then(|Query(p)| p.handed_over).is_some();
    let victims = match s.app.victims(&access).await {
        Ok(v) => v,
        Err(e) => return page_failure(&frame, &uri, e),
    };
    let rows = victims
        .iter()
        .map(|v| VictimRow {
            href: victim_href(&v.id),
            code: v.first("victimCode").unwrap_or(&v.id).to_owned(),
            status: v.first("traffickingStatus").map(|c| code_label(&tr, c)).unwrap_or_default(),
            date: date_of(v, "identificationDate"),
            gender: v.first("gender").map(|c| code_label(&tr, c)).unwrap_or_default(),
            age: v.first("ageCategory").map(|c| code_label(&tr, c)).unwrap_or_default(),
            citizenship: v.first("citizenship").map(country_label).unwrap_or_default(),
            exploitation: v
                .values("exploitationType")
                .iter()
                .map(|c| code_label(&tr, c))
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    let layout = Layout::new(&frame, tr.t("victim-list-title"));
    render(StatusCode::OK, &VictimsTemplate { layout, rows, handed_over, tr })
}

#[allow(clippy::too_many_arguments)]
async fn victim_page(
    s: &AppState,
    frame: &Frame,
    tr: Tr,
    access: &Access,
    uri: &Uri,
    id: &str,
    errors: BTreeMap<String, String>,
    status: StatusCode,
) -> Response {
    let file = match s.app.victim_file(access, id).await {
        Ok(f) => f,
        Err(e) => return page_failure(frame, uri, e),
    };
    let v = &file.victim;
    let get = |p: &str| v.first(p).unwrap_or("").to_owned();
    let request = request_lines(
        &tr,
        &get("interviewerGenderPreference"),
        get("interpreterNeeded") == "yes",
        &get("primaryLanguage"),
        get("supportWorkerRequested") == "yes",
    );
    let mut facts = vec![
        (tr.t("victim-col-status"), code_label(&tr, &get("traffickingStatus"))),
        (tr.t("victim-col-date"), get("identificationDate")),
        (tr.t("victim-col-age"), code_label(&tr, &get("ageCategory"))),
        (tr.t("victim-col-gender"), v.first("gender").map(|g| code_label(&tr, g)).unwrap_or_default()),
        (tr.t("victim-col-citizenship"), v.first("citizenship").map(country_label).unwrap_or_default()),
        (
            tr.t("victim-col-exploitation"),
            v.values("exploitationType").iter().map(|c| code_label(&tr, c)).collect::<Vec<_>>().join(", "),
        ),
        (tr.t("victim-col-consent"), v.first("consentStatus").map(|c| code_label(&tr, c)).unwrap_or_default()),
    ];
    if let Some(p) = &file.person {
        facts.insert(0, (tr.t("victim-col-person"), p.caption(s.app.model())));
    }
    for (key, prop) in
        [("victim-col-operation", "operation"), ("victim-col-check", "check"), ("victim-col-case", "case")]
    {
        if let Some(x) = v.first(prop) {
            facts.push((tr.t(key), x.to_owned()));
        }
    }
    let catalogue = Catalogue::builtin();
    let (assessment, observed) = match &file.assessment {
        Some((_, a)) => (
            Some(assessment_view(&tr, a)),
            a.observed
                .iter()
                .filter_map(|c| catalogue.indicator(c))
                .map(|i| (i.sign.clone(), code_label(&tr, i.strength.code())))
                .collect(),
        ),
        None => (None, Vec::new()),
    };
    let code = get("victimCode");
    let referrals = file.referrals.iter().map(|r| referral_row(&tr, r, &code)).collect();
    let page = VictimTemplate {
        layout: Layout::new(frame, tr.t1("victim-title", "code", code.clone())),
        csrf: frame.csrf(),
        base: victim_href(&v.id),
        code,
        request,
        facts,
        assessment,
        observed,
        referrals,
        service_types: options(&tr, &SERVICE_TYPES, &[]),
        scopes: options(&tr, &CONSENT_SCOPES, &[]),
        errors,
        tr,
    };
    render(status, &page)
}

fn referral_row(tr: &Tr, r: &Entity, victim_code: &str) -> ReferralRow {
    let status = r.first("status").unwrap_or("").to_owned();
    ReferralRow {
        action: format!("/referrals/{}/status", path_segment(&r.id)),
        victim_href: r.first("victim").map(victim_href).unwrap_or_default(),
        victim_code: victim_code.to_owned(),
        date: date_of(r, "date"),
        service_type: r.first("serviceType").map(|c| code_label(tr, c)).unwrap_or_default(),
        service: r.first("toService").unwrap_or("").to_owned(),
        consent: code_label(tr, if r.first("consentGiven") == Some("yes") { "consent_yes" } else { "consent_no" }),
        status: code_label(tr, &status),
        statuses: options(tr, &REFERRAL_STATUSES, std::slice::from_ref(&status)),
        status_code: status,
    }
}

/// `GET /victims/{id}`: the victim record, its assessment and referrals.
pub(crate) async fn show(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    victim_page(&s, &frame, tr, &access, &uri, &id, BTreeMap::new(), StatusCode::OK).await
}

/// `POST /victims/{id}/referrals`: refers the person to a service, with the
/// consent recorded; on to `/referrals`.
pub(crate) async fn refer(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let f = fields(&body);
    let referral = NewReferral {
        service_type: field(&f, "service_type"),
        to_service: field(&f, "to_service"),
        country: field(&f, "country"),
        reason: field(&f, "reason"),
        consent: field(&f, "consent") == "yes",
        consent_scope: all(&f, "consent_scope"),
    };
    match s.app.refer_victim(&access, &id, referral).await {
        Ok(_) => see_other("/referrals"),
        Err(AppError::Invalid { field, message }) => {
            let field = match field.as_deref() {
                Some(f @ ("service_type" | "to_service" | "consent_scope")) => f.to_owned(),
                Some("country") => "country".to_owned(),
                _ => "referral".to_owned(),
            };
            let errors = BTreeMap::from([(field, message)]);
            victim_page(&s, &frame, tr, &access, &uri, &id, errors, StatusCode::BAD_REQUEST).await
        }
        Err(e) => page_failure(&frame, &uri, e),
    }
}

async fn referrals_page(
    s: &AppState,
    frame: &Frame,
    tr: Tr,
    access: &Access,
    uri: &Uri,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let (referrals, victims) = match (s.app.referrals(access).await, s.app.victims(access).await) {
        (Ok(r), Ok(v)) => (r, v),
        (Err(e), _) | (_, Err(e)) => return page_failure(frame, uri, e),
    };
    let code_of = |id: Option<&str>| {
        id.and_then(|id| victims.iter().find(|v| v.id == id))
            .and_then(|v| v.first("victimCode"))
            .unwrap_or("—")
            .to_owned()
    };
    let rows = referrals.iter().map(|r| referral_row(&tr, r, &code_of(r.first("victim")))).collect();
    let page = ReferralsTemplate {
        layout: Layout::new(frame, tr.t("victim-referrals-title")),
        csrf: frame.csrf(),
        rows,
        error,
        tr,
    };
    render(status, &page)
}

/// `GET /referrals`: the referrals the user may see, with their status.
pub(crate) async fn referrals(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
) -> Response {
    referrals_page(&s, &frame, tr, &access, &uri, None, StatusCode::OK).await
}

/// `POST /referrals/{id}/status`: moves a referral on (field `status`).
pub(crate) async fn referral_status(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let status = field(&fields(&body), "status");
    match s.app.set_referral_status(&access, &id, &status).await {
        Ok(()) => see_other("/referrals"),
        Err(AppError::Invalid { message, .. }) => {
            referrals_page(&s, &frame, tr, &access, &uri, Some(message), StatusCode::BAD_REQUEST).await
        }
        Err(e) => page_failure(&frame, &uri, e),
    }
}
