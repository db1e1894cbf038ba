//! The academy's cohort pages: `/academy/cohorts` (mine, my invitations,
//! my certificates), the creation form, a cohort (schedule, progress,
//! invitations, sign-off, certificate), a module's discussion, an invitation
//! to accept, a certificate's PDF, the train-the-trainer cascade with its
//! national courses, and the reports with their exports. And the one public
//! page: `/certificates/verify/{code}` (name, course and date; limited like
//! the log-in; an unknown code is the ordinary 404 page).
//!
//! Plain HTML forms; a change answers with a redirect (POST/redirect/GET), a
//! refusal with the page and the reason beside the field.

use super::pages::{error_page, page_failure, render, see_other};
use crate::AppState;
use crate::auth::ClientIp;
use crate::caller::CurrentAccess;
use crate::i18n::Tr;
use crate::views::Frame;
use crate::views::cohorts::*;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use veza_app::{AppError, CohortDraft, FieldProblem, NationalCourseDraft, Trainee, Veza};

/// The fields of a URL-encoded form body.
fn fields(body: &[u8]) -> BTreeMap<String, String> {
    url::form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

fn field(f: &BTreeMap<String, String>, name: &str) -> String {
    f.get(name).cloned().unwrap_or_default()
}

fn errors_of(problems: Vec<FieldProblem>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for p in problems {
        out.entry(p.field).or_insert(p.message);
    }
    out
}

/// The address of a page, for the purpose page to send the user back to
/// after a form (whose own address answers only POST) needed a purpose.
fn page_uri(path: &str) -> Uri {
    path.parse().unwrap_or_else(|_| Uri::from_static("/academy/cohorts"))
}

/// `GET /academy/cohorts`.
pub(crate) async fn list(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
) -> Response {
    let cohorts = match s.app.my_cohorts(&access.caller).await {
        Ok(c) => c,
        Err(e) => return page_failure(&frame, &uri, e),
    };
    let invitations = match s.app.my_invitations(&access.caller).await {
        Ok(i) => i,
        Err(e) => return page_failure(&frame, &uri, e),
    };
    let certificates = match s.app.my_certificates(&access).await {
        Ok(c) => c,
        Err(e) => return page_failure(&frame, &uri, e),
    };
    let standing = veza_app::academy_standing(&access.caller);
    let page = CohortsTemplate::new(&frame, tr, cohorts, invitations, certificates, standing);
    render(StatusCode::OK, &page)
}

/// `GET /academy/cohorts/new`.
pub(crate) async fn new_form(frame: Frame, tr: Tr) -> Response {
    let page = CohortNewTemplate::new(&frame, tr, CohortDraft::default(), BTreeMap::new());
    render(StatusCode::OK, &page)
}

/// `POST /academy/cohorts/new`.
pub(crate) async fn create(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    body: Bytes,
) -> Response {
    let f = fields(&body);
    let draft = CohortDraft {
        course_id: field(&f, "course_id"),
        course_title: field(&f, "course_title"),
        course_kind: field(&f, "course_kind"),
        title: field(&f, "title"),
        facilitator: field(&f, "facilitator"),
        capacity: field(&f, "capacity"),
        starts_on: field(&f, "starts_on"),
        ends_on: field(&f, "ends_on"),
        schedule: field(&f, "schedule"),
    };
    match s.app.create_cohort(&access, &draft).await {
        Ok(id) => see_other(&format!("/academy/cohorts/{id}")),
        Err(problems) => {
            let page = CohortNewTemplate::new(&frame, tr, draft, errors_of(problems));
            render(StatusCode::BAD_REQUEST, &page)
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn cohort_page(
    s: &AppState,
    frame: &Frame,
    tr: Tr,
    access: &veza_app::Access,
    uri: &Uri,
    id: i64,
    errors: BTreeMap<String, String>,
    status: StatusCode,
) -> Response {
    let view = match s.app.cohort_view(access, id).await {
        Ok(v) => v,
        Err(e) => return page_failure(frame, uri, e),
    };
    let rule = match s.app.completion_rule(&view.cohort.course_id).await {
        Ok(r) => r,
        Err(e) => return page_failure(frame, uri, e),
    };
    let page = CohortTemplate::new(frame, tr, &access.caller, view, &rule, errors);
    render(status, &page)
}

/// `GET /academy/cohorts/{id}`.
pub(crate) async fn show(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path(id): Path<i64>,
) -> Response {
    cohort_page(&s, &frame, tr, &access, &uri, id, BTreeMap::new(), StatusCode::OK).await
}

/// Answers a cohort form: back to the page, or the page with the reason.
#[allow(clippy::too_many_arguments)]
async fn after(
    s: &AppState,
    frame: &Frame,
    tr: Tr,
    access: &veza_app::Access,
    uri: &Uri,
    id: i64,
    form: &str,
    result: Result<(), AppError>,
) -> Response {
    match result {
        Ok(()) => see_other(&format!("/academy/cohorts/{id}")),
        // After the purpose page, back to the cohort's page (a GET), not to
        // the form's address, which answers only POST.
        Err(AppError::PurposeRequired) => {
            page_failure(frame, &page_uri(&format!("/academy/cohorts/{id}")), AppError::PurposeRequired)
        }
        Err(e @ AppError::NotFound(_)) => page_failure(frame, uri, e),
        Err(e) => {
            let message = match e {
                AppError::Invalid { message, .. } | AppError::Forbidden(message) | AppError::Conflict(message) => {
                    message
                }
                other => other.to_string(),
            };
            let errors = BTreeMap::from([(form.to_owned(), message)]);
            cohort_page(s, frame, tr, access, uri, id, errors, StatusCode::BAD_REQUEST).await
        }
    }
}

/// `POST /academy/cohorts/{id}/invitations`.
pub(crate) async fn invite(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path(id): Path<i64>,
    body: Bytes,
) -> Response {
    let f = fields(&body);
    let result = s.app.invite_to_cohort(&access, id, &field(&f, "invitee")).await.map(|_| ());
    after(&s, &frame, tr, &access, &uri, id, "invitee", result).await
}

/// `POST /academy/cohorts/{id}/sign-off`.
pub(crate) async fn sign_off(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path(id): Path<i64>,
    body: Bytes,
) -> Response {
    let f = fields(&body);
    let result = s.app.sign_off_learner(&access, id, &field(&f, "learner")).await;
    after(&s, &frame, tr, &access, &uri, id, "sign_off", result).await
}

/// `POST /academy/cohorts/{id}/certificate`: the learner claims it.
pub(crate) async fn claim(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path(id): Path<i64>,
) -> Response {
    let result = s.app.claim_certificate(&access, id).await.map(|_| ());
    after(&s, &frame, tr, &access, &uri, id, "certificate", result).await
}

/// `GET /academy/cohorts/{id}/modules/{module}`.
pub(crate) async fn module(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path((id, module)): Path<(i64, String)>,
) -> Response {
    module_page(&s, &frame, tr, &access, &uri, id, &module, None, String::new()).await
}

#[allow(clippy::too_many_arguments)]
async fn module_page(
    s: &AppState,
    frame: &Frame,
    tr: Tr,
    access: &veza_app::Access,
    uri: &Uri,
    id: i64,
    module: &str,
    error: Option<String>,
    draft: String,
) -> Response {
    match s.app.cohort_module(access, id, module).await {
        Ok((cohort, module, posts)) => {
            let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
            render(status, &ModuleTemplate::new(frame, tr, cohort, module, posts, error, draft))
        }
        Err(e) => page_failure(frame, uri, e),
    }
}

/// `POST /academy/cohorts/{id}/modules/{module}`: a post to the thread.
pub(crate) async fn post(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path((id, module)): Path<(i64, String)>,
    body: Bytes,
) -> Response {
    let text = field(&fields(&body), "body");
    match s.app.post_to_module(&access, id, &module, &text).await {
        Ok(_) => see_other(&format!("/academy/cohorts/{id}/modules/{}", crate::views::path_segment(&module))),
        Err(AppError::Invalid { message, .. }) => {
            module_page(&s, &frame, tr, &access, &uri, id, &module, Some(message), text).await
        }
        Err(e) => page_failure(&frame, &uri, e),
    }
}

/// `GET /academy/invitations/{code}`.
pub(crate) async fn invitation(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path(code): Path<String>,
) -> Response {
    match s.app.invitation_for(&access.caller, &code).await {
        Ok((invitation, cohort)) => {
            render(StatusCode::OK, &InvitationTemplate::new(&frame, tr, invitation, cohort, None))
        }
        Err(e) => page_failure(&frame, &uri, e),
    }
}

/// `POST /academy/invitations/{code}`: accept.
pub(crate) async fn accept(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path(code): Path<String>,
) -> Response {
    match s.app.accept_invitation(&access, &code).await {
        Ok(id) => see_other(&format!("/academy/cohorts/{id}")),
        Err(AppError::Conflict(message)) => match s.app.invitation_for(&access.caller, &code).await {
            Ok((i, c)) => render(StatusCode::CONFLICT, &InvitationTemplate::new(&frame, tr, i, c, Some(message))),
            Err(e) => page_failure(&frame, &uri, e),
        },
        Err(e) => page_failure(&frame, &uri, e),
    }
}

/// `GET /academy/certificates/{code}/pdf`: the holder's (or an
/// administrator's) PDF.
pub(crate) async fn certificate_pdf(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path(code): Path<String>,
) -> Response {
    let certificate = match s.app.certificate(&access, &code).await {
        Ok(c) => c,
        Err(e) => return page_failure(&frame, &uri, e),
    };
    let verify = format!("/certificates/verify/{}", certificate.code);
    match Veza::certificate_pdf(&certificate, &verify) {
        Ok(pdf) => pdf_response(pdf, &format!("certificate-{}.pdf", certificate.code)),
        Err(e) => page_failure(&frame, &uri, e),
    }
}

fn pdf_response(bytes: Vec<u8>, name: &str) -> Response {
    download(bytes, "application/pdf", name)
}

fn download(bytes: Vec<u8>, media_type: &'static str, name: &str) -> Response {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(media_type)),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /certificates/verify/{code}`: public. Name, course, date; nothing
/// else. Ten look-ups a minute per client address, as the log-in.
pub(crate) async fn verify(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    ClientIp(ip): ClientIp,
    Path(code): Path<String>,
) -> Response {
    if let Err(wait) = s.limiter.attempt(&[format!("verify:{ip}")]) {
        let mut r = error_page(
            &frame,
            StatusCode::TOO_MANY_REQUESTS,
            &tr.t("cohort-verify-title"),
            tr.t1("cohort-verify-too-many", "seconds", wait),
        );
        r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return r;
    }
    match s.app.verify_certificate(&code).await {
        Ok(Some(found)) => render(StatusCode::OK, &VerifyTemplate::new(&frame, tr, found)),
        Ok(None) => error_page(
            &frame,
            StatusCode::NOT_FOUND,
            &frame.tr.t("error-page-not-found"),
            frame.tr.t("error-page-not-found-text"),
        ),
        Err(e) => super::pages::failure(&frame, e),
    }
}

/// `GET /academy/cascade`.
pub(crate) async fn cascade(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
) -> Response {
    cascade_page(&s, &frame, tr, &access, &uri, NationalCourseDraft::default(), BTreeMap::new()).await
}

async fn cascade_page(
    s: &AppState,
    frame: &Frame,
    tr: Tr,
    access: &veza_app::Access,
    uri: &Uri,
    draft: NationalCourseDraft,
    errors: BTreeMap<String, String>,
) -> Response {
    match s.app.cascade(access).await {
        Ok(view) => {
            let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
            render(status, &CascadeTemplate::new(frame, tr, &access.caller, view, draft, errors))
        }
        Err(e) => page_failure(frame, uri, e),
    }
}

/// `POST /academy/national-courses`.
pub(crate) async fn add_national_course(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    body: Bytes,
) -> Response {
    let f = fields(&body);
    let draft = NationalCourseDraft {
        trainer: field(&f, "trainer"),
        title: field(&f, "title"),
        country: field(&f, "country"),
        place: field(&f, "place"),
        hotspot_area: field(&f, "hotspot_area"),
        starts_on: field(&f, "starts_on"),
        ends_on: field(&f, "ends_on"),
        target_group: field(&f, "target_group"),
    };
    match s.app.record_national_course(&access, &draft).await {
        Ok(id) => see_other(&format!("/academy/national-courses/{id}")),
        Err(problems) => cascade_page(&s, &frame, tr, &access, &uri, draft, errors_of(problems)).await,
    }
}

/// `GET /academy/national-courses/{id}`.
pub(crate) async fn national_course(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path(id): Path<i64>,
) -> Response {
    national_page(&s, &frame, tr, &access, &uri, id, None).await
}

async fn national_page(
    s: &AppState,
    frame: &Frame,
    tr: Tr,
    access: &veza_app::Access,
    uri: &Uri,
    id: i64,
    error: Option<String>,
) -> Response {
    match s.app.national_course(access, id).await {
        Ok((course, trainees)) => {
            let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
            render(status, &NationalTemplate::new(frame, tr, course, trainees, error))
        }
        Err(e) => page_failure(frame, uri, e),
    }
}

/// `POST /academy/national-courses/{id}/trainees`.
pub(crate) async fn add_trainee(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path(id): Path<i64>,
    body: Bytes,
) -> Response {
    let f = fields(&body);
    let score = |name: &str| -> Result<Option<f64>, ()> {
        match field(&f, name).trim() {
            "" => Ok(None),
            t => t.replace(',', ".").parse::<f64>().map(Some).map_err(|_| ()),
        }
    };
    let (Ok(pre), Ok(post)) = (score("pre_score"), score("post_score")) else {
        return national_page(&s, &frame, tr, &access, &uri, id, Some(tr.t("cohort-err-score"))).await;
    };
    let username = field(&f, "username");
    let trainee = Trainee {
        id: 0,
        national_course_id: id,
        name: field(&f, "name"),
        username: (!username.trim().is_empty()).then_some(username),
        gender: field(&f, "gender"),
        agency: field(&f, "agency"),
        role: field(&f, "role"),
        attended: f.contains_key("attended"),
        pre_score: pre,
        post_score: post,
        passed: f.contains_key("passed"),
    };
    match s.app.add_trainee(&access, id, trainee).await {
        Ok(_) => see_other(&format!("/academy/national-courses/{id}")),
        Err(AppError::Invalid { message, .. }) => national_page(&s, &frame, tr, &access, &uri, id, Some(message)).await,
        Err(e) => page_failure(&frame, &page_uri(&format!("/academy/national-courses/{id}")), e),
    }
}

/// `GET /academy/reports`.
pub(crate) async fn reports(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
) -> Response {
    match s.app.academy_report(&access).await {
        Ok(report) => render(StatusCode::OK, &ReportsTemplate::new(&frame, tr, report)),
        Err(e) => page_failure(&frame, &uri, e),
    }
}

/// `GET /academy/reports/xlsx`.
pub(crate) async fn reports_xlsx(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
) -> Response {
    match s.app.academy_report(&access).await.and_then(|r| r.to_xlsx()) {
        Ok(bytes) => {
            download(bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "academy-report.xlsx")
        }
        Err(e) => page_failure(&frame, &uri, e),
    }
}

/// `GET /academy/reports/pdf`.
pub(crate) async fn reports_pdf(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
) -> Response {
    match s.app.academy_report(&access).await.and_then(|r| r.to_pdf()) {
        Ok(bytes) => pdf_response(bytes, "academy-report.pdf"),
        Err(e) => page_failure(&frame, &uri, e),
    }
}
