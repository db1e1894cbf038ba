//! The routes: the JSON API (one table, [`API_ROUTES`], that both the router
//! and the OpenAPI tests read) and the HTML pages.

pub(crate) mod access;
pub(crate) mod api;
pub(crate) mod cases;
pub(crate) mod chart;
pub(crate) mod cohorts;
pub(crate) mod import;
pub(crate) mod matches;
pub(crate) mod network;
pub(crate) mod pages;
pub(crate) mod screening;
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
];
