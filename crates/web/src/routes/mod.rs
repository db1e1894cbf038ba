//! The routes: the JSON API (one table, [`API_ROUTES`], that both the router
//! and the OpenAPI tests read) and the HTML pages.

pub(crate) mod academy;
pub(crate) mod academy_results;
pub(crate) mod access;
pub(crate) mod api;
pub(crate) mod cases;
pub(crate) mod chart;
pub(crate) mod cohorts;
pub(crate) mod exercise;
pub(crate) mod form;
pub(crate) mod import;
pub(crate) mod matches;
pub(crate) mod network;
pub(crate) mod operation_pages;
pub(crate) mod operation_plan;
pub(crate) mod operations;
pub(crate) mod pages;
pub(crate) mod reports;
pub(crate) mod screening;
pub(crate) mod victims;
pub(crate) mod workspace;

use crate::AppState;
use axum::routing::{MethodRouter, delete, get, post, put};

/// One route of the JSON API.
pub struct ApiRoute {
    /// HTTP method, upper case.
    pub method: &'static str,
    /// Path in axum's and OpenAPI's shared syntax (`/api/v1/entities/{id}`).
    pub path: &'static str,
    endpoint: fn() -> MethodRouter<AppState>,
}

/// Every route of the JSON API. The router is built from this table and
/// nothing else, and the tests check it against `openapi.yaml` both ways, so
/// the document cannot drift from what is served.
pub const API_ROUTES: &[ApiRoute] = &[
    ApiRoute { method: "GET", path: "/healthz", endpoint: || get(api::healthz) },
    ApiRoute { method: "GET", path: "/api/v1/entities/{id}", endpoint: || get(api::entity) },
    ApiRoute { method: "GET", path: "/api/v1/entities/{id}/links", endpoint: || get(api::links) },
    ApiRoute { method: "GET", path: "/api/v1/entities/{id}/statements", endpoint: || get(api::statements) },
    ApiRoute { method: "GET", path: "/api/v1/entities/{id}/network", endpoint: || get(network::network) },
    ApiRoute { method: "GET", path: "/api/v1/entities/{id}/network/export", endpoint: || get(network::export) },
    ApiRoute { method: "GET", path: "/api/v1/search", endpoint: || get(api::search) },
    ApiRoute { method: "POST", path: "/api/v1/entities", endpoint: || post(api::create_entity) },
    ApiRoute { method: "GET", path: "/api/v1/stats", endpoint: || get(api::stats) },
    ApiRoute { method: "GET", path: "/api/v1/schemata", endpoint: || get(api::schemata) },
    ApiRoute { method: "GET", path: "/api/v1/openapi.json", endpoint: || get(api::openapi) },
    ApiRoute { method: "POST", path: "/api/v1/auth/login", endpoint: || post(api::login) },
    ApiRoute { method: "POST", path: "/api/v1/auth/logout", endpoint: || post(api::logout) },
    ApiRoute { method: "GET", path: "/api/v1/auth/me", endpoint: || get(api::me) },
    ApiRoute { method: "GET", path: "/api/v1/cases/{id}/members", endpoint: || get(access::case_members) },
    ApiRoute {
        method: "PUT",
        path: "/api/v1/cases/{id}/members/{username}",
        endpoint: || put(access::put_case_member),
    },
    ApiRoute {
        method: "DELETE",
        path: "/api/v1/cases/{id}/members/{username}",
        endpoint: || delete(access::remove_case_member),
    },
    ApiRoute {
        method: "POST",
        path: "/api/v1/entities/{id}/access-requests",
        endpoint: || post(access::request_access),
    },
    ApiRoute { method: "GET", path: "/api/v1/access-requests", endpoint: || get(access::access_requests) },
    ApiRoute { method: "GET", path: "/api/v1/access-requests/{id}", endpoint: || get(access::access_request) },
    ApiRoute {
        method: "POST",
        path: "/api/v1/access-requests/{id}/decision",
        endpoint: || post(access::decide_access),
    },
    ApiRoute { method: "POST", path: "/match/{dataset}", endpoint: || post(screening::match_dataset) },
    ApiRoute { method: "POST", path: "/api/v1/screen", endpoint: || post(screening::screen) },
    ApiRoute { method: "POST", path: "/api/v1/documents/check", endpoint: || post(screening::check_documents) },
    ApiRoute { method: "GET", path: "/api/v1/watchlists", endpoint: || get(screening::watchlists) },
    ApiRoute { method: "POST", path: "/api/v1/xref", endpoint: || post(matches::xref) },
    ApiRoute { method: "GET", path: "/api/v1/matches", endpoint: || get(matches::queue) },
    ApiRoute { method: "GET", path: "/api/v1/matches/{id}", endpoint: || get(matches::detail) },
    ApiRoute { method: "POST", path: "/api/v1/matches/{id}/decision", endpoint: || post(matches::decide) },
    ApiRoute { method: "GET", path: "/api/v1/entities/{id}/neighbours", endpoint: || get(chart::neighbours) },
    ApiRoute { method: "GET", path: "/api/v1/cases/{id}/network", endpoint: || get(chart::case_network) },
    ApiRoute { method: "GET", path: "/api/v1/network/path", endpoint: || get(chart::path) },
    ApiRoute { method: "GET", path: "/api/v1/charts", endpoint: || get(chart::list_charts) },
    ApiRoute { method: "POST", path: "/api/v1/charts", endpoint: || post(chart::save_chart) },
    ApiRoute { method: "GET", path: "/api/v1/charts/{id}", endpoint: || get(chart::open_chart) },
    ApiRoute { method: "DELETE", path: "/api/v1/charts/{id}", endpoint: || delete(chart::delete_chart) },
    ApiRoute { method: "GET", path: "/api/v1/charts/{id}/export", endpoint: || get(chart::export_chart) },
    ApiRoute { method: "GET", path: "/api/v1/operations", endpoint: || get(operations::list) },
    ApiRoute { method: "GET", path: "/api/v1/operations/{id}", endpoint: || get(operations::show) },
    ApiRoute { method: "POST", path: "/api/v1/operations/{id}/checks", endpoint: || post(operations::checks) },
    ApiRoute { method: "GET", path: "/api/v1/operations/{id}/checks/{check_id}", endpoint: || get(operations::check) },
    ApiRoute { method: "GET", path: "/api/v1/operations/{id}/results", endpoint: || get(operations::results) },
    ApiRoute { method: "GET", path: "/api/v1/operations/{id}/hits", endpoint: || get(operations::hits) },
    ApiRoute {
        method: "POST",
        path: "/api/v1/operations/{id}/hits/{hit_id}/decision",
        endpoint: || post(operations::decide),
    },
    ApiRoute { method: "GET", path: "/api/v1/operations/{id}/tokens", endpoint: || get(operations::tokens) },
    ApiRoute { method: "POST", path: "/api/v1/operations/{id}/tokens", endpoint: || post(operations::issue_token) },
    ApiRoute {
        method: "DELETE",
        path: "/api/v1/operations/{id}/tokens/{token_id}",
        endpoint: || delete(operations::revoke_token),
    },
    ApiRoute { method: "GET", path: "/api/v1/courses", endpoint: || get(academy::api_courses) },
    ApiRoute { method: "GET", path: "/api/v1/assessments/{country}", endpoint: || get(academy::api_assessment) },
];

/// One route of the HTML pages.
pub struct PageRoute {
    /// HTTP method, upper case.
    pub method: &'static str,
    /// Path in axum's syntax.
    pub path: &'static str,
    endpoint: fn() -> MethodRouter<AppState>,
}

/// Every page route. The page router is built from this table, so the
/// authorisation test, which reads it, sees every page.
pub const PAGE_ROUTES: &[PageRoute] = &[
    PageRoute { method: "GET", path: "/", endpoint: || get(pages::home) },
    PageRoute { method: "GET", path: "/search", endpoint: || get(pages::search) },
    PageRoute { method: "GET", path: "/audit", endpoint: || get(workspace::audit_page) },
    PageRoute { method: "GET", path: "/import", endpoint: || get(import::import_form) },
    PageRoute { method: "POST", path: "/import", endpoint: || post(import::upload) },
    PageRoute { method: "GET", path: "/import/{id}", endpoint: || get(import::job) },
    PageRoute { method: "POST", path: "/import/{id}/preview", endpoint: || post(import::repreview) },
    PageRoute { method: "POST", path: "/import/{id}/start", endpoint: || post(import::start) },
    PageRoute { method: "GET", path: "/import/{id}/status", endpoint: || get(import::job_status) },
    PageRoute { method: "GET", path: "/entities/{id}", endpoint: || get(pages::entity) },
    PageRoute { method: "POST", path: "/entities/{id}/access-request", endpoint: || post(pages::request_access) },
    PageRoute { method: "GET", path: "/access-requests", endpoint: || get(pages::access_requests) },
    PageRoute { method: "POST", path: "/access-requests/{id}/decision", endpoint: || post(pages::decide_access) },
    PageRoute { method: "GET", path: "/screen", endpoint: || get(screening::screen_page) },
    PageRoute { method: "GET", path: "/matches", endpoint: || get(matches::queue_page) },
    PageRoute { method: "POST", path: "/matches/xref", endpoint: || post(matches::xref_page) },
    PageRoute { method: "GET", path: "/matches/{id}", endpoint: || get(matches::detail_page) },
    PageRoute { method: "POST", path: "/matches/{id}/decision", endpoint: || post(matches::decide_page) },
    // Only the static assets are compressed: pages carry the CSRF token next
    // to text the user typed, which compression would expose (BREACH).
    PageRoute {
        method: "GET",
        path: "/assets/{name}",
        endpoint: || get(crate::assets::serve).layer(tower_http::compression::CompressionLayer::new()),
    },
    PageRoute { method: "GET", path: "/login", endpoint: || get(pages::login_form) },
    PageRoute { method: "POST", path: "/login", endpoint: || post(pages::login) },
    PageRoute { method: "POST", path: "/logout", endpoint: || post(pages::logout) },
    PageRoute { method: "GET", path: "/purpose", endpoint: || get(pages::purpose_form) },
    PageRoute { method: "POST", path: "/purpose", endpoint: || post(pages::set_purpose) },
    PageRoute { method: "GET", path: "/entities/{id}/chart", endpoint: || get(chart::entity_chart_page) },
    PageRoute { method: "GET", path: "/cases/{id}/chart", endpoint: || get(chart::case_chart_page) },
    PageRoute { method: "GET", path: "/charts", endpoint: || get(chart::charts_page) },
    PageRoute { method: "GET", path: "/charts/{id}", endpoint: || get(chart::saved_chart_page) },
    PageRoute { method: "GET", path: "/entities/{id}/timeline", endpoint: || get(chart::entity_timeline_page) },
    PageRoute { method: "GET", path: "/cases/{id}/timeline", endpoint: || get(chart::case_timeline_page) },
    PageRoute { method: "POST", path: "/language", endpoint: || post(pages::set_language) },
    PageRoute { method: "GET", path: "/cases", endpoint: || get(cases::list) },
    PageRoute { method: "GET", path: "/cases/new", endpoint: || get(cases::new_form) },
    PageRoute { method: "POST", path: "/cases/new", endpoint: || post(cases::create) },
    PageRoute { method: "GET", path: "/cases/{id}", endpoint: || get(cases::show) },
    PageRoute { method: "POST", path: "/cases/{id}/records", endpoint: || post(cases::attach) },
    PageRoute { method: "POST", path: "/cases/{id}/records/detach", endpoint: || post(cases::detach) },
    PageRoute { method: "POST", path: "/cases/{id}/members", endpoint: || post(cases::add_member) },
    PageRoute { method: "POST", path: "/cases/{id}/members/remove", endpoint: || post(cases::remove_member) },
    PageRoute {
        method: "POST",
        path: "/cases/{id}/evidence",
        endpoint: || {
            post(cases::upload).layer(axum::extract::DefaultBodyLimit::max(crate::security::EVIDENCE_BODY_LIMIT))
        },
    },
    PageRoute { method: "GET", path: "/cases/{id}/evidence/{n}", endpoint: || get(cases::download) },
    PageRoute { method: "POST", path: "/cases/{id}/notes", endpoint: || post(cases::add_note) },
    PageRoute { method: "POST", path: "/cases/{id}/tasks", endpoint: || post(cases::add_task) },
    PageRoute { method: "POST", path: "/cases/{id}/tasks/{n}/status", endpoint: || post(cases::task_status) },
    PageRoute { method: "POST", path: "/cases/{id}/shares", endpoint: || post(cases::share) },
    PageRoute { method: "POST", path: "/cases/{id}/shares/{n}/revoke", endpoint: || post(cases::revoke) },
    PageRoute { method: "GET", path: "/operations", endpoint: || get(operation_pages::list) },
    PageRoute { method: "GET", path: "/operations/{id}", endpoint: || get(operation_pages::show) },
    PageRoute { method: "GET", path: "/operations/{id}/check", endpoint: || get(operation_pages::check_form) },
    PageRoute { method: "POST", path: "/operations/{id}/check", endpoint: || post(operation_pages::check) },
    PageRoute { method: "GET", path: "/operations/{id}/checks", endpoint: || get(operation_pages::checks) },
    PageRoute {
        method: "GET",
        path: "/operations/{id}/checks/{check_id}",
        endpoint: || get(operation_pages::check_state),
    },
    PageRoute { method: "GET", path: "/operations/{id}/hits", endpoint: || get(operation_pages::hits) },
    PageRoute {
        method: "POST",
        path: "/operations/{id}/hits/{hit_id}/decision",
        endpoint: || post(operation_pages::decide),
    },
    PageRoute { method: "GET", path: "/operations/{id}/dashboard", endpoint: || get(operation_pages::dashboard) },
    PageRoute { method: "GET", path: "/operations/{id}/records", endpoint: || get(operation_pages::records) },
    PageRoute { method: "POST", path: "/operations/{id}/outcomes", endpoint: || post(operation_pages::record_outcome) },
    PageRoute { method: "GET", path: "/victims", endpoint: || get(victims::list) },
    PageRoute { method: "GET", path: "/victims/new", endpoint: || get(victims::new_form) },
    PageRoute { method: "POST", path: "/victims/new", endpoint: || post(victims::submit) },
    PageRoute { method: "GET", path: "/victims/{id}", endpoint: || get(victims::show) },
    PageRoute { method: "POST", path: "/victims/{id}/referrals", endpoint: || post(victims::refer) },
    PageRoute { method: "GET", path: "/referrals", endpoint: || get(victims::referrals) },
    PageRoute { method: "POST", path: "/referrals/{id}/status", endpoint: || post(victims::referral_status) },
    PageRoute { method: "GET", path: "/operations/{id}/reports/daily", endpoint: || get(reports::daily) },
    PageRoute { method: "GET", path: "/operations/{id}/reports/final", endpoint: || get(reports::final_report) },
    PageRoute { method: "GET", path: "/academy", endpoint: || get(academy::academy_page) },
    PageRoute { method: "POST", path: "/academy/courses", endpoint: || post(academy::create_course) },
    PageRoute { method: "GET", path: "/academy/courses/{id}", endpoint: || get(academy::course_page) },
    PageRoute { method: "GET", path: "/academy/courses/{id}/edit", endpoint: || get(academy::edit_page) },
    PageRoute { method: "POST", path: "/academy/courses/{id}/edit", endpoint: || post(academy::save_outline) },
    PageRoute { method: "GET", path: "/academy/courses/{id}/lessons/{key}", endpoint: || get(academy::lesson_page) },
    PageRoute {
        method: "POST",
        path: "/academy/courses/{id}/lessons/{key}/practice",
        endpoint: || post(academy::practise),
    },
    PageRoute {
        method: "POST",
        path: "/academy/courses/{id}/quizzes/{key}/start",
        endpoint: || post(academy::start_quiz),
    },
    PageRoute { method: "GET", path: "/academy/attempts/{n}", endpoint: || get(academy::attempt_page) },
    PageRoute { method: "POST", path: "/academy/attempts/{n}", endpoint: || post(academy::submit_attempt) },
    PageRoute { method: "POST", path: "/academy/attempts/{n}/grade", endpoint: || post(academy::grade_attempt) },
    PageRoute { method: "POST", path: "/academy/images", endpoint: || post(academy::upload_image) },
    PageRoute { method: "GET", path: "/academy/images/{n}", endpoint: || get(academy::image) },
    PageRoute { method: "GET", path: "/academy/assessments/{country}", endpoint: || get(academy::assessment_page) },
    PageRoute { method: "GET", path: "/academy/assessments/rounds/{n}", endpoint: || get(academy::round_page) },
    PageRoute { method: "POST", path: "/academy/assessments/rounds/{n}", endpoint: || post(academy::answer_round) },
    PageRoute { method: "GET", path: "/exercises", endpoint: || get(exercise::list) },
    PageRoute { method: "POST", path: "/exercises", endpoint: || post(exercise::create) },
    PageRoute { method: "POST", path: "/exercises/leave", endpoint: || post(exercise::leave) },
    PageRoute { method: "GET", path: "/exercises/{id}", endpoint: || get(exercise::board) },
    PageRoute { method: "POST", path: "/exercises/{id}/enter", endpoint: || post(exercise::enter) },
    PageRoute { method: "POST", path: "/exercises/{id}/clock", endpoint: || post(exercise::clock) },
    PageRoute { method: "POST", path: "/exercises/{id}/participants", endpoint: || post(exercise::participants) },
    PageRoute { method: "GET", path: "/exercises/{id}/msel", endpoint: || get(exercise::msel_file) },
    PageRoute { method: "POST", path: "/exercises/{id}/msel", endpoint: || post(exercise::msel_import) },
    PageRoute { method: "POST", path: "/exercises/{id}/injects", endpoint: || post(exercise::save_inject) },
    PageRoute { method: "GET", path: "/exercises/{id}/injects/{n}", endpoint: || get(exercise::inject_form) },
    PageRoute { method: "POST", path: "/exercises/{id}/injects/{n}/release", endpoint: || post(exercise::release) },
    PageRoute { method: "POST", path: "/exercises/{id}/injects/{n}/respond", endpoint: || post(exercise::respond) },
    PageRoute { method: "GET", path: "/exercises/{id}/inbox", endpoint: || get(exercise::inbox) },
    PageRoute { method: "GET", path: "/exercises/{id}/evaluation", endpoint: || get(exercise::evaluation) },
    PageRoute { method: "POST", path: "/exercises/{id}/scores", endpoint: || post(exercise::score) },
    PageRoute { method: "POST", path: "/exercises/{id}/hotwash", endpoint: || post(exercise::hotwash) },
    PageRoute { method: "POST", path: "/exercises/{id}/corrective", endpoint: || post(exercise::corrective) },
    PageRoute { method: "GET", path: "/exercises/{id}/aar.pdf", endpoint: || get(exercise::aar) },
    PageRoute { method: "GET", path: "/academy/cohorts", endpoint: || get(cohorts::list) },
    PageRoute { method: "GET", path: "/academy/cohorts/new", endpoint: || get(cohorts::new_form) },
    PageRoute { method: "POST", path: "/academy/cohorts/new", endpoint: || post(cohorts::create) },
    PageRoute { method: "GET", path: "/academy/cohorts/{id}", endpoint: || get(cohorts::show) },
    PageRoute { method: "POST", path: "/academy/cohorts/{id}/invitations", endpoint: || post(cohorts::invite) },
    PageRoute { method: "POST", path: "/academy/cohorts/{id}/sign-off", endpoint: || post(cohorts::sign_off) },
    PageRoute { method: "POST", path: "/academy/cohorts/{id}/certificate", endpoint: || post(cohorts::claim) },
    PageRoute { method: "GET", path: "/academy/cohorts/{id}/modules/{module}", endpoint: || get(cohorts::module) },
    PageRoute { method: "POST", path: "/academy/cohorts/{id}/modules/{module}", endpoint: || post(cohorts::post) },
    PageRoute { method: "GET", path: "/academy/invitations/{code}", endpoint: || get(cohorts::invitation) },
    PageRoute { method: "POST", path: "/academy/invitations/{code}", endpoint: || post(cohorts::accept) },
    PageRoute { method: "GET", path: "/academy/certificates/{code}/pdf", endpoint: || get(cohorts::certificate_pdf) },
    PageRoute { method: "GET", path: "/certificates/verify/{code}", endpoint: || get(cohorts::verify) },
    PageRoute { method: "GET", path: "/academy/cascade", endpoint: || get(cohorts::cascade) },
    PageRoute { method: "POST", path: "/academy/national-courses", endpoint: || post(cohorts::add_national_course) },
    PageRoute { method: "GET", path: "/academy/national-courses/{id}", endpoint: || get(cohorts::national_course) },
    PageRoute {
        method: "POST",
        path: "/academy/national-courses/{id}/trainees",
        endpoint: || post(cohorts::add_trainee),
    },
    PageRoute { method: "GET", path: "/academy/reports", endpoint: || get(cohorts::reports) },
    PageRoute { method: "GET", path: "/academy/reports/xlsx", endpoint: || get(cohorts::reports_xlsx) },
    PageRoute { method: "GET", path: "/academy/reports/pdf", endpoint: || get(cohorts::reports_pdf) },
    PageRoute { method: "GET", path: "/academy/grading", endpoint: || get(academy_results::grading) },
    PageRoute { method: "GET", path: "/academy/courses/{id}/gain", endpoint: || get(academy_results::gain) },
    // Planning an operation: the plan, its checkpoints, terminal tokens.
    PageRoute { method: "GET", path: "/operations/new", endpoint: || get(operation_plan::new_form) },
    PageRoute { method: "POST", path: "/operations/new", endpoint: || post(operation_plan::create) },
    PageRoute { method: "GET", path: "/operations/{id}/plan", endpoint: || get(operation_plan::edit_form) },
    PageRoute { method: "POST", path: "/operations/{id}/plan", endpoint: || post(operation_plan::update) },
    PageRoute {
        method: "GET",
        path: "/operations/{id}/checkpoints/new",
        endpoint: || get(operation_plan::new_checkpoint_form),
    },
    PageRoute {
        method: "POST",
        path: "/operations/{id}/checkpoints/new",
        endpoint: || post(operation_plan::create_checkpoint),
    },
    PageRoute {
        method: "GET",
        path: "/operations/{id}/checkpoints/{checkpoint}",
        endpoint: || get(operation_plan::checkpoint_form),
    },
    PageRoute {
        method: "POST",
        path: "/operations/{id}/checkpoints/{checkpoint}",
        endpoint: || post(operation_plan::update_checkpoint),
    },
    PageRoute { method: "GET", path: "/operations/{id}/tokens", endpoint: || get(operation_plan::tokens) },
    PageRoute { method: "POST", path: "/operations/{id}/tokens", endpoint: || post(operation_plan::issue_token) },
    PageRoute {
        method: "POST",
        path: "/operations/{id}/tokens/{token_id}/revoke",
        endpoint: || post(operation_plan::revoke_token),
    },
];
