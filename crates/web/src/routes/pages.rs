//! The server-rendered workspace: the search page and the entity page. Plain
//! HTML forms and links that work without JavaScript; htmx only swaps the
//! results region when it is there.

use super::PAGE_ROUTES;
use super::api::{DEFAULT_LIMIT, number};
use crate::AppState;
use crate::auth::{self, ClientIp, Credential, MaybeSignedIn};
use crate::caller::{CurrentAccess, purpose_cookie};
use crate::i18n::{Language, Tr, language_cookie};
use crate::views::entity::{RestrictedTemplate, entity_page};
use crate::views::search::{
    ResultsTemplate, SearchForm, SearchTemplate, country_options, dataset_options, owner_options, results_view,
    schema_options,
};
use crate::views::{
    DayRange, Directory, ErrorPage, Frame, Layout, LoginTemplate, PurposeTemplate, RequestRow, RequestsTemplate,
    agency_label,
};
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::rejection::FormRejection;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use veza_app::AuthError;
use veza_app::{AppError, Lookup, Purpose};

/// The page routes and the HTML 404 for every other path.
pub(crate) fn router() -> Router<AppState> {
    PAGE_ROUTES
        .iter()
        .fold(Router::new(), |router, route| router.route(route.path, (route.endpoint)()))
        .fallback(not_found)
}

/// Renders `template` with `status`; a template that fails to render is
/// logged and answered with a bare 500.
pub(crate) fn render(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed to render");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error: the page could not be rendered\n").into_response()
        }
    }
}

/// An error page.
pub(crate) fn error_page(opts: &Frame, status: StatusCode, heading: &str, message: String) -> Response {
    let page =
        ErrorPage { layout: Layout::new(opts, heading), status: status.as_u16(), heading: heading.to_owned(), message };
    render(status, &page)
}

/// A 303 to `location` (a path of this site), the answer to a form that
/// worked; `/` when the path cannot be a header.
pub(crate) fn see_other(location: &str) -> Response {
    let location = HeaderValue::from_str(location).unwrap_or(HeaderValue::from_static("/"));
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

/// The error page for a failed use case. Internal details are logged only.
pub(crate) fn failure(opts: &Frame, e: AppError) -> Response {
    let tr = opts.tr;
    match e {
        AppError::Invalid { message, .. } => error_page(opts, StatusCode::BAD_REQUEST, &tr.t("error-invalid"), message),
        AppError::NotFound(what) => error_page(
            opts,
            StatusCode::NOT_FOUND,
            &tr.t("error-not-found"),
            tr.t1("error-not-found-text", "what", what),
        ),
        AppError::Forbidden(m) => error_page(opts, StatusCode::FORBIDDEN, &tr.t("error-forbidden"), m),
        e @ AppError::Restricted { .. } => {
            error_page(opts, StatusCode::FORBIDDEN, &tr.t("error-restricted"), e.to_string())
        }
        AppError::PurposeRequired => {
            error_page(opts, StatusCode::PRECONDITION_REQUIRED, &tr.t("purpose-title"), tr.t("error-purpose-text"))
        }
        AppError::Conflict(m) => error_page(opts, StatusCode::CONFLICT, &tr.t("error-conflict"), m),
        other @ (AppError::File { .. } | AppError::Store(_) | AppError::Internal(_)) => {
            tracing::error!(error = %other, "page failed");
            error_page(opts, StatusCode::INTERNAL_SERVER_ERROR, &tr.t("error-internal"), tr.t("error-internal-text"))
        }
    }
}

/// The page failure for a use case, sending a read without a purpose to
/// the purpose form, which comes back to `uri`.
pub(crate) fn page_failure(opts: &Frame, uri: &Uri, e: AppError) -> Response {
    match e {
        AppError::PurposeRequired => {
            let next: String =
                url::form_urlencoded::byte_serialize(auth::safe_next(Some(&uri.to_string())).as_bytes()).collect();
            let location =
                HeaderValue::from_str(&format!("/purpose?next={next}")).unwrap_or(HeaderValue::from_static("/purpose"));
            (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
        }
        other => failure(opts, other),
    }
}

/// Any path without a page.
async fn not_found(frame: Frame) -> Response {
    error_page(
        &frame,
        StatusCode::NOT_FOUND,
        &frame.tr.t("error-page-not-found"),
        frame.tr.t("error-page-not-found-text"),
    )
}

/// Whether htmx asks for the results region only (and not to restore a
/// whole page from history).
fn wants_partial(headers: &HeaderMap) -> bool {
    headers.contains_key("hx-request") && !headers.contains_key("hx-history-restore-request")
}

/// The search page's query: text, type, the filters and the page.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct SearchPageParams {
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    schema: Option<String>,
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    country: Option<String>,
    #[serde(default)]
    dataset: Option<String>,
    /// Changed on or after this day (YYYY-MM-DD).
    #[serde(default)]
    from: Option<String>,
    /// Changed on or before this day (YYYY-MM-DD).
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    offset: Option<String>,
}

impl SearchPageParams {
    fn text(v: &Option<String>) -> String {
        v.as_deref().unwrap_or("").trim().to_owned()
    }

    /// Whether the query asks for a search at all (old links to `/?q=`).
    fn any(&self) -> bool {
        [&self.q, &self.schema, &self.owner, &self.country, &self.dataset, &self.from, &self.to, &self.offset]
            .iter()
            .any(|v| v.is_some())
    }
}

/// `GET /`: the home page of the signed-in user, by role; an old search
/// link (`/?q=…`) goes on to `/search`.
pub(crate) async fn home(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
    MaybeSignedIn(signed): MaybeSignedIn,
    uri: Uri,
    params: Result<Query<SearchPageParams>, QueryRejection>,
) -> Response {
    if params.as_ref().is_ok_and(|Query(p)| p.any()) {
        let to = format!("/search?{}", uri.query().unwrap_or(""));
        let location = HeaderValue::from_str(&to).unwrap_or(HeaderValue::from_static("/search"));
        return (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response();
    }
    let roles = signed.as_ref().map(|u| u.user.roles.clone()).unwrap_or_default();
    match crate::views::home::home_page(&s.app, &frame, &access, &roles).await {
        Ok(page) => render(StatusCode::OK, &page),
        Err(e) => page_failure(&frame, &uri, e),
    }
}

/// `GET /search?q=&schema=&owner=&country=&dataset=&from=&to=&offset=`:
/// the search page, or only its results region for htmx.
pub(crate) async fn search(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    headers: HeaderMap,
    params: Result<Query<SearchPageParams>, QueryRejection>,
) -> Response {
    let caller = access.caller.clone();
    let tr = frame.tr;
    let params = match params {
        Ok(Query(p)) => p,
        Err(e) => return error_page(&frame, StatusCode::BAD_REQUEST, &tr.t("error-invalid"), e.body_text()),
    };
    let form = SearchForm {
        q: SearchPageParams::text(&params.q),
        schema: SearchPageParams::text(&params.schema),
        owner: SearchPageParams::text(&params.owner),
        country: SearchPageParams::text(&params.country).to_lowercase(),
        dataset: SearchPageParams::text(&params.dataset),
        from: SearchPageParams::text(&params.from),
        to: SearchPageParams::text(&params.to),
    };
    let offset = match number("offset", params.offset.as_deref(), 0) {
        Ok(o) => o,
        Err(e) => return error_page(&frame, StatusCode::BAD_REQUEST, &tr.t("error-invalid"), e.message),
    };
    let days = DayRange::read(&tr, &form.from, &form.to);
    let filters = veza_app::SearchFilters {
        owner: Some(form.owner.clone()).filter(|v| !v.is_empty()),
        owner_country: Some(form.country.clone()).filter(|v| !v.is_empty()),
        dataset: Some(form.dataset.clone()).filter(|v| !v.is_empty()),
        changed_from: days.from,
        changed_to: days.to,
    };
    let page = if days.any_error() {
        veza_app::SearchPage { total: 0, total_is_exact: true, ranked: false, results: Vec::new() }
    } else {
        match s.app.search_filtered(&access, &form.q, Some(&form.schema), &filters, DEFAULT_LIMIT, offset).await {
            Ok(p) => p,
            Err(e) => return page_failure(&frame, &uri, e),
        }
    };
    let model = s.app.model();
    let dir = Directory::load(&s.app).await;
    let results = results_view(&tr, model, &dir, &page, &form, DEFAULT_LIMIT, offset);
    let mut response = if wants_partial(&headers) {
        render(StatusCode::OK, &ResultsTemplate { tr, results })
    } else {
        let stats = match s.filter_counts.of(&s.app, &caller).await {
            Ok(st) => st,
            Err(e) => return failure(&frame, e),
        };
        let title = if form.q.is_empty() { tr.t("search-title") } else { tr.t1("search-title-query", "q", &form.q) };
        let page = SearchTemplate {
            layout: Layout::new(&frame, title),
            tr,
            schema_options: schema_options(&tr, model, &stats.by_schema, &form.schema),
            owner_options: owner_options(&dir, &stats.by_owner, &form.owner),
            country_options: country_options(&dir, &stats.by_owner, &form.country),
            dataset_options: dataset_options(&dir, &stats.by_source, &form.dataset),
            total_entities: stats.entities,
            filtered: form.filtered(),
            form,
            days,
            results,
        };
        render(StatusCode::OK, &page)
    };
    response.headers_mut().insert(header::VARY, HeaderValue::from_static("HX-Request"));
    response
}

/// `GET /access-requests`: the agency's inbox of access requests and the
/// user's own, with a grant/refuse form on each pending request to the
/// user's agency.
pub(crate) async fn access_requests(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
) -> Response {
    let requests = match s.app.access_requests(&access, false).await {
        Ok(r) => r,
        Err(e) => return failure(&frame, e),
    };
    let agency = match &access.caller {
        veza_app::Caller::User { agency, .. } => Some(agency.clone()),
        veza_app::Caller::System { .. } => None,
    };
    let when = |t: i64| chrono::DateTime::from_timestamp_micros(t).map(|t| frame.tr.datetime(t)).unwrap_or_default();
    let rows = requests
        .into_iter()
        .map(|r| RequestRow {
            answerable: r.status == veza_app::RequestStatus::Pending
                && agency.as_deref().is_none_or(|a| a == r.owner_agency),
            decided: r.decided_by.as_ref().map(|by| {
                let reason = r.decision_reason.clone().unwrap_or_default();
                frame.tr.ta(
                    "match-decided-by",
                    &[
                        ("who", by.into()),
                        ("when", r.decided_at.map(when).unwrap_or_default().into()),
                        ("reason", reason.into()),
                    ],
                )
            }),
            id: r.id,
            requested_at: when(r.requested_at),
            status: frame.tr.t(&format!("status-{}", r.status.as_str())),
            entity_id: r.entity_id,
            requester: r.requester,
            requester_agency: r.requester_agency,
            reason: r.reason,
        })
        .collect();
    let page = RequestsTemplate { layout: Layout::new(&frame, frame.tr.t("requests-title")), csrf: frame.csrf(), rows };
    render(StatusCode::OK, &page)
}

/// The grant/refuse form of the access requests page.
#[derive(Debug, Deserialize)]
pub(crate) struct DecisionForm {
    #[serde(default)]
    answer: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    until: String,
}

/// `POST /access-requests/{id}/decision`: the owner's answer; back to the list.
pub(crate) async fn decide_access(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
    form: Result<Form<DecisionForm>, FormRejection>,
) -> Response {
    let bad = |frame: &Frame, key: &str| {
        error_page(frame, StatusCode::BAD_REQUEST, &frame.tr.t("error-invalid"), frame.tr.t(key))
    };
    let Ok(Form(form)) = form else { return bad(&frame, "error-form") };
    let Ok(request_id) = id.parse::<i64>() else { return bad(&frame, "requests-no-such") };
    let grant = match form.answer.as_str() {
        "grant" => true,
        "refuse" => false,
        _ => return bad(&frame, "requests-press"),
    };
    let until = match form.until.trim() {
        "" => None,
        d => match d.parse::<chrono::NaiveDate>() {
            Ok(d) => Some(veza_app::end_of_day(d)),
            Err(_) => return bad(&frame, "requests-bad-date"),
        },
    };
    match s.app.decide_access(&access, request_id, grant, &form.reason, until).await {
        Ok(_) => {
            (StatusCode::SEE_OTHER, [(header::LOCATION, HeaderValue::from_static("/access-requests"))]).into_response()
        }
        Err(e) => failure(&frame, e),
    }
}

/// The access request form of the restricted-record page.
#[derive(Debug, Deserialize)]
pub(crate) struct AccessRequestForm {
    #[serde(default)]
    reason: String,
}

/// `POST /entities/{id}/access-request`: asks the owner of a restricted
/// record for access; says so, or why not.
pub(crate) async fn request_access(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
    form: Result<Form<AccessRequestForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return error_page(&frame, StatusCode::BAD_REQUEST, &frame.tr.t("error-invalid"), frame.tr.t("error-form"));
    };
    match s.app.request_access(&access, &id, &form.reason).await {
        Ok(r) => {
            let owner = agency_label(&s.app, &r.owner_agency).await;
            let tr = frame.tr;
            let page = ErrorPage {
                layout: Layout::new(&frame, tr.t("access-requested")),
                status: 201,
                heading: tr.t("access-requested"),
                message: tr.ta(
                    "access-requested-text",
                    &[("number", r.id.to_string().into()), ("id", (&id).into()), ("owner", owner.into())],
                ),
            };
            render(StatusCode::CREATED, &page)
        }
        Err(e) => failure(&frame, e),
    }
}

/// `GET /entities/{id}`: the entity page; for a restricted record, whom to
/// ask; otherwise 404.
pub(crate) async fn entity(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    let model = s.app.model();
    match s.app.entity(&access, &id).await {
        Ok(Lookup::Found(entity)) => {
            let links = match s.app.links(&access, &id).await {
                Ok(l) => l,
                Err(e) => return failure(&frame, e),
            };
            let statements = match s.app.statements(&access, &id).await {
                Ok(st) => st,
                Err(e) => return failure(&frame, e),
            };
            let dir = Directory::load(&s.app).await;
            let same_as = match s.app.same_as(&access, &id).await {
                Ok(m) => m,
                Err(e) => return failure(&frame, e),
            };
            let open = match s.app.possible_duplicates(&access, &id).await {
                Ok(m) => m,
                Err(e) => return failure(&frame, e),
            };
            let layout = Layout::new(&frame, entity.caption(model));
            let mut page = entity_page(layout, model, &dir, &entity, &links, &statements);
            page.same_as =
                same_as.into_iter().map(|m| (if m.left_id == id { m.right_id } else { m.left_id }, m.id)).collect();
            page.possible_duplicates = open
                .into_iter()
                .map(|m| {
                    let other = if m.left_id == id { m.right_id } else { m.left_id };
                    (other, m.id, format!("{:.3}", m.score))
                })
                .collect();
            render(StatusCode::OK, &page)
        }
        Ok(Lookup::Restricted { id, schema, owner_agency }) => {
            let page = RestrictedTemplate {
                layout: Layout::new(&frame, frame.tr.t("error-restricted")),
                schema_label: frame.tr.schema_named(model, &schema),
                owner: agency_label(&s.app, &owner_agency).await,
                csrf: frame.csrf(),
                id,
            };
            render(StatusCode::FORBIDDEN, &page)
        }
        Ok(Lookup::NotFound) => error_page(
            &frame,
            StatusCode::NOT_FOUND,
            &frame.tr.t("error-entity-not-found"),
            frame.tr.t1("error-entity-not-found-text", "id", &id),
        ),
        Err(e) => page_failure(&frame, &uri, e),
    }
}

/// The query of the log-in page.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct LoginQuery {
    #[serde(default)]
    next: Option<String>,
    /// A language picked on the log-in page (before there is a user to
    /// keep it for): kept in the language cookie.
    #[serde(default)]
    lang: Option<String>,
}

/// The log-in form.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    totp: Option<String>,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: Option<String>,
}

/// Renders the log-in form with a pre-session CSRF token, setting its cookie
/// when the browser has none.
fn login_page(
    frame: &Frame,
    headers: &HeaderMap,
    status: StatusCode,
    username: &str,
    next: &str,
    message: Option<String>,
) -> Response {
    let existing = auth::cookie(headers, auth::CSRF_COOKIE);
    let csrf = existing.clone().unwrap_or_else(auth::new_csrf_token);
    let page = LoginTemplate {
        layout: Layout::new(frame, frame.tr.t("login-title")),
        csrf: csrf.clone(),
        next: next.to_owned(),
        username: username.to_owned(),
        message,
    };
    let mut response = render(status, &page);
    if existing.is_none() {
        response.headers_mut().append(header::SET_COOKIE, auth::csrf_cookie(&csrf));
    }
    response
}

/// `GET /login?next=`: the log-in form.
pub(crate) async fn login_form(
    mut frame: Frame,
    headers: HeaderMap,
    query: Result<Query<LoginQuery>, QueryRejection>,
) -> Response {
    let query = query.map(|Query(q)| q).unwrap_or_default();
    let picked = query.lang.as_deref().and_then(Language::from_tag);
    if let Some(lang) = picked {
        frame.tr = Tr::new(lang);
    }
    let mut response = login_page(&frame, &headers, StatusCode::OK, "", &auth::safe_next(query.next.as_deref()), None);
    if let Some(lang) = picked {
        response.headers_mut().append(header::SET_COOKIE, language_cookie(lang));
    }
    response
}

/// The language form in every page's footer.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct LanguageForm {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    next: Option<String>,
}

/// `POST /language` (CSRF-checked by the layer): keeps the signed-in user's
/// choice of language (for every device they use) and in the cookie, and
/// goes back to the page they were on.
pub(crate) async fn set_language(
    State(s): State<AppState>,
    frame: Frame,
    MaybeSignedIn(signed): MaybeSignedIn,
    form: Result<Form<LanguageForm>, FormRejection>,
) -> Response {
    let invalid = |frame: &Frame| {
        error_page(frame, StatusCode::BAD_REQUEST, &frame.tr.t("error-invalid"), frame.tr.t("language-unknown"))
    };
    let Ok(Form(form)) = form else { return invalid(&frame) };
    let Some(lang) = Language::from_tag(&form.lang) else { return invalid(&frame) };
    if let Some(user) = &signed
        && let Err(e) = s.app.set_user_language(&user.user.username, lang.tag()).await
    {
        return failure(&frame, e);
    }
    let next = auth::safe_next(form.next.as_deref());
    let location = HeaderValue::from_str(&next).unwrap_or(HeaderValue::from_static("/"));
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response();
    response.headers_mut().append(header::SET_COOKIE, language_cookie(lang));
    response
}

/// `POST /login`: signs in and goes to `next` (a path on this site), or
/// shows the form again with what went wrong, never which of user name and
/// password.
pub(crate) async fn login(
    State(s): State<AppState>,
    frame: Frame,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return login_page(&frame, &headers, StatusCode::BAD_REQUEST, "", "/", Some(frame.tr.t("error-form")));
    };
    let next = auth::safe_next(form.next.as_deref());
    let expected = auth::cookie(&headers, auth::CSRF_COOKIE).unwrap_or_default();
    if !auth::same_token(&expected, &form.csrf) {
        let message = frame.tr.t("login-err-expired");
        return login_page(&frame, &headers, StatusCode::FORBIDDEN, &form.username, &next, Some(message));
    }
    if let Err(wait) = s.limiter.attempt(&auth::limiter_keys(&ip, &form.username)) {
        let message = frame.tr.t1("login-err-too-many", "seconds", wait);
        let mut r = login_page(&frame, &headers, StatusCode::TOO_MANY_REQUESTS, &form.username, &next, Some(message));
        r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return r;
    }
    let totp = form.totp.as_deref().map(str::trim).filter(|t| !t.is_empty());
    match s.app.login(form.username.trim(), &form.password, totp).await {
        Ok(session) => {
            let mut response = (
                StatusCode::SEE_OTHER,
                [(header::LOCATION, HeaderValue::from_str(&next).unwrap_or(HeaderValue::from_static("/")))],
            )
                .into_response();
            auth::set_session_cookies(&mut response, &session, &auth::new_csrf_token());
            // The language the user chose before, on any device, wins over the browser's.
            if let Ok(Some(lang)) = s.app.user_language(form.username.trim()).await
                && let Some(lang) = Language::from_tag(&lang)
            {
                response.headers_mut().append(header::SET_COOKIE, language_cookie(lang));
            }
            response
        }
        Err(e) => {
            let (status, message) = match e {
                AuthError::InvalidCredentials | AuthError::TotpInvalid | AuthError::Unauthenticated => {
                    (StatusCode::UNAUTHORIZED, frame.tr.t("login-err-wrong"))
                }
                AuthError::TotpRequired => (StatusCode::UNAUTHORIZED, frame.tr.t("login-err-totp-required")),
                AuthError::MfaNotEnrolled => (StatusCode::UNAUTHORIZED, frame.tr.t("login-err-mfa-missing")),
                AuthError::Locked { .. } => (StatusCode::LOCKED, frame.tr.t("login-err-locked")),
                AuthError::Internal(e) => return failure(&frame, e),
            };
            login_page(&frame, &headers, status, &form.username, &next, Some(message))
        }
    }
}

/// `POST /logout` (the top bar's form, CSRF-checked by the layer): ends the
/// session, clears the cookies and goes to the log-in page.
pub(crate) async fn logout(State(s): State<AppState>, frame: Frame, MaybeSignedIn(who): MaybeSignedIn) -> Response {
    if let Some(Credential::Cookie(token) | Credential::BearerSession(token)) = who.map(|w| w.via)
        && let Err(e) = s.app.logout(&token).await
    {
        return failure(&frame, e);
    }
    let mut response =
        (StatusCode::SEE_OTHER, [(header::LOCATION, HeaderValue::from_static("/login"))]).into_response();
    for c in auth::cleared_cookies() {
        response.headers_mut().append(header::SET_COOKIE, c);
    }
    response
}

/// The query of the purpose page.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PurposeQuery {
    #[serde(default)]
    next: Option<String>,
}

/// The purpose form.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PurposeForm {
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    next: Option<String>,
}

fn purpose_page(
    frame: &Frame,
    headers: &HeaderMap,
    status: StatusCode,
    purpose: &str,
    next: &str,
    message: Option<String>,
) -> Response {
    let page = PurposeTemplate {
        layout: Layout::new(frame, frame.tr.t("purpose-title")),
        csrf: auth::cookie(headers, auth::CSRF_COOKIE).unwrap_or_default(),
        next: next.to_owned(),
        purpose: purpose.to_owned(),
        message,
    };
    render(status, &page)
}

/// `GET /purpose?next=`: asks why the user is looking (a case reference or
/// a reason), kept for the browser session and written with every read.
pub(crate) async fn purpose_form(
    frame: Frame,
    headers: HeaderMap,
    query: Result<Query<PurposeQuery>, QueryRejection>,
) -> Response {
    let next = query.ok().and_then(|Query(q)| q.next);
    let current = frame.purpose.clone().unwrap_or_default();
    purpose_page(&frame, &headers, StatusCode::OK, &current, &auth::safe_next(next.as_deref()), None)
}

/// `POST /purpose` (CSRF-checked by the layer): keeps the purpose in a
/// cookie and goes back to `next`.
pub(crate) async fn set_purpose(
    frame: Frame,
    headers: HeaderMap,
    form: Result<Form<PurposeForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        let message = Some(frame.tr.t("error-form"));
        return purpose_page(&frame, &headers, StatusCode::BAD_REQUEST, "", "/", message);
    };
    let next = auth::safe_next(form.next.as_deref());
    match Purpose::parse(&form.purpose) {
        Ok(purpose) => {
            let location = HeaderValue::from_str(&next).unwrap_or(HeaderValue::from_static("/"));
            let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response();
            response.headers_mut().append(header::SET_COOKIE, purpose_cookie(&purpose));
            response
        }
        Err(e) => purpose_page(&frame, &headers, StatusCode::BAD_REQUEST, &form.purpose, &next, Some(e.to_string())),
    }
}
