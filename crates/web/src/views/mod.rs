//! What the pages show, prepared in Rust so that templates only lay it out:
//! labels instead of codes, links instead of ids, dates formatted.

pub(crate) mod academy;
pub(crate) mod academy_results;
pub(crate) mod audit;
pub(crate) mod cases;
pub(crate) mod chart;
pub(crate) mod cohorts;
pub(crate) mod entity;
pub(crate) mod exercise;
pub(crate) mod home;
pub(crate) mod import;
pub(crate) mod matches;
pub(crate) mod menu;
pub(crate) mod operation_plan;
pub(crate) mod operations;
pub(crate) mod screening;
pub(crate) mod screening_explain;
pub(crate) mod search;
pub(crate) mod victims;

use crate::auth::{CSRF_COOKIE, SignedIn, cookie};
use crate::i18n::Tr;
use crate::{AppState, WebOptions, assets};
use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use std::collections::HashMap;
use std::convert::Infallible;
use veza_app::Veza;
use veza_store::{Agency, Source};

/// The signed-in user as the top bar shows them, with the CSRF token for
/// the sign-out form.
#[derive(Debug, Clone)]
pub(crate) struct TopbarUser {
    /// Name shown to people.
    pub(crate) name: String,
    /// The agency's name, code and country.
    pub(crate) agency: String,
    /// The CSRF token of the session.
    pub(crate) csrf: String,
    /// The table-top exercise the user acts in, if any (its records only).
    pub(crate) exercise: Option<String>,
}

/// What a page handler needs for the frame of any page it renders: the
/// options and who is signed in.
pub(crate) struct Frame {
    pub(crate) opts: WebOptions,
    pub(crate) user: Option<TopbarUser>,
    /// The purpose the user gave on the purpose page, if any.
    pub(crate) purpose: Option<String>,
    /// The request's language.
    pub(crate) tr: Tr,
    /// The page's own path and query, to come back to after changing the
    /// language.
    pub(crate) here: String,
    /// The signed-in user's roles (none when signed out), for the menu.
    pub(crate) roles: Vec<veza_app::Role>,
}

impl Frame {
    /// The session's CSRF token, for the page's forms ("" when nobody is signed in).
    pub(crate) fn csrf(&self) -> String {
        self.user.as_ref().map(|u| u.csrf.clone()).unwrap_or_default()
    }
}

/// A range of whole days typed in a form (`YYYY-MM-DD`, both ends
/// inclusive) as microseconds from the start of the first day to the end of
/// the last, with the reason beside each field that is not a date.
#[derive(Debug, Clone, Default)]
pub(crate) struct DayRange {
    /// Start of the first day.
    pub(crate) from: Option<i64>,
    /// End of the last day (exclusive).
    pub(crate) to: Option<i64>,
    /// Why the "from" field was refused.
    pub(crate) from_error: Option<String>,
    /// Why the "to" field was refused.
    pub(crate) to_error: Option<String>,
}

impl DayRange {
    /// Reads the two fields; an empty one leaves that end open.
    pub(crate) fn read(tr: &crate::i18n::Tr, from: &str, to: &str) -> DayRange {
        let day = |text: &str| -> Result<Option<chrono::NaiveDate>, String> {
            match text.trim() {
                "" => Ok(None),
                t => chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").map(Some).map_err(|_| tr.t("search-bad-date")),
            }
        };
        let start = |d: chrono::NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp_micros());
        let mut range = DayRange::default();
        match day(from) {
            Ok(d) => range.from = d.and_then(start),
            Err(e) => range.from_error = Some(e),
        }
        match day(to) {
            Ok(d) => range.to = d.and_then(|d| d.succ_opt()).and_then(start),
            Err(e) => range.to_error = Some(e),
        }
        range
    }

    /// Whether a field was refused.
    pub(crate) fn any_error(&self) -> bool {
        self.from_error.is_some() || self.to_error.is_some()
    }
}

impl FromRequestParts<AppState> for Frame {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let mut user = None;
        let mut roles = Vec::new();
        if let Some(signed) = parts.extensions.get::<SignedIn>() {
            roles = signed.user.roles.clone();
            user = Some(TopbarUser {
                name: signed.user.display_name.clone(),
                agency: agency_label(&state.app, &signed.user.agency).await,
                csrf: cookie(&parts.headers, CSRF_COOKIE).unwrap_or_default(),
                exercise: parts.extensions.get::<veza_app::Caller>().and_then(|c| c.exercise().map(str::to_owned)),
            });
        }
        let purpose = crate::caller::cookie_purpose(&parts.headers).map(|p| p.as_str().to_owned());
        let tr = Tr::of_headers(&parts.headers);
        let here = crate::auth::safe_next(parts.uri.path_and_query().map(|p| p.as_str()));
        Ok(Frame { opts: state.opts.clone(), user, purpose, tr, here, roles })
    }
}

/// What every page's frame needs.
pub(crate) struct Layout {
    /// The page's `<title>`, before " · Veza".
    pub(crate) title: String,
    /// The demo warning, if any.
    pub(crate) banner: Option<String>,
    /// Who is signed in.
    pub(crate) user: Option<TopbarUser>,
    /// Why they are looking (shown in the top bar with a change link).
    pub(crate) purpose: Option<String>,
    /// Whether this is the local demo.
    pub(crate) demo: bool,
    /// Veza's version.
    pub(crate) version: &'static str,
    /// Stylesheet path.
    pub(crate) stylesheet: &'static str,
    /// htmx path.
    pub(crate) htmx: &'static str,
    /// Icon path.
    pub(crate) icon: &'static str,
    /// The page's language.
    pub(crate) tr: Tr,
    /// Where the language form comes back to.
    pub(crate) here: String,
    /// The top bar's menu (empty when nobody is signed in).
    pub(crate) menu: menu::Menu,
    /// Path of the menu's small keyboard helper script.
    pub(crate) nav_js: &'static str,
}

impl Layout {
    pub(crate) fn new(frame: &Frame, title: impl Into<String>) -> Self {
        Layout {
            title: title.into(),
            banner: frame.opts.demo.then(|| frame.tr.t("demo-banner")),
            user: frame.user.clone(),
            purpose: frame.purpose.clone(),
            demo: frame.opts.demo,
            version: env!("CARGO_PKG_VERSION"),
            stylesheet: assets::STYLESHEET,
            htmx: assets::HTMX,
            icon: assets::ICON,
            tr: frame.tr,
            here: frame.here.clone(),
            menu: match &frame.user {
                Some(user) => menu::Menu::new(&frame.tr, &frame.roles, &frame.here, user.exercise.is_some()),
                None => menu::Menu::default(),
            },
            nav_js: assets::NAV_JS,
        }
    }
}

/// One access request as the inbox shows it.
pub(crate) struct RequestRow {
    pub(crate) id: i64,
    pub(crate) entity_id: String,
    pub(crate) requester: String,
    pub(crate) requester_agency: String,
    pub(crate) reason: String,
    /// When asked, `YYYY-MM-DD HH:MM` UTC.
    pub(crate) requested_at: String,
    pub(crate) status: String,
    /// Who answered, when, why.
    pub(crate) decided: Option<String>,
    /// Whether this user may answer it now (pending, to their agency).
    pub(crate) answerable: bool,
}

/// The access requests page: the agency's inbox and the user's own requests.
#[derive(Template)]
#[template(path = "requests.html")]
pub(crate) struct RequestsTemplate {
    pub(crate) layout: Layout,
    pub(crate) csrf: String,
    pub(crate) rows: Vec<RequestRow>,
}

/// The purpose form: why the user is looking.
#[derive(Template)]
#[template(path = "purpose.html")]
pub(crate) struct PurposeTemplate {
    pub(crate) layout: Layout,
    /// The CSRF token of the session.
    pub(crate) csrf: String,
    /// Where to go afterwards.
    pub(crate) next: String,
    /// What the field holds.
    pub(crate) purpose: String,
    /// What was wrong with the last attempt.
    pub(crate) message: Option<String>,
}

/// A page that says something went wrong: not found, bad request, internal.
#[derive(Template)]
#[template(path = "error.html")]
pub(crate) struct ErrorPage {
    pub(crate) layout: Layout,
    /// The status code, shown small.
    pub(crate) status: u16,
    /// One line.
    pub(crate) heading: String,
    /// What happened and what to do.
    pub(crate) message: String,
}

/// Agencies and sources by code, to show names instead of codes.
#[derive(Default)]
pub(crate) struct Directory {
    agencies: HashMap<String, Agency>,
    sources: HashMap<String, Source>,
}

impl Directory {
    /// Loads the agencies and sources. They are reference data, not personal
    /// data; when they cannot be read, pages fall back to codes.
    pub(crate) async fn load(app: &Veza) -> Directory {
        let agencies = match app.agencies().await {
            Ok(list) => list.into_iter().map(|a| (a.code.clone(), a)).collect(),
            Err(e) => {
                tracing::warn!(error = %e, "agencies could not be read; showing codes");
                HashMap::new()
            }
        };
        let sources = match app.sources().await {
            Ok(list) => list.into_iter().map(|s| (s.dataset.clone(), s)).collect(),
            Err(e) => {
                tracing::warn!(error = %e, "sources could not be read; showing dataset names");
                HashMap::new()
            }
        };
        Directory { agencies, sources }
    }

    /// The agency's name, or its code.
    pub(crate) fn agency_name(&self, code: &str) -> String {
        self.agencies.get(code).map(|a| a.name.clone()).unwrap_or_else(|| code.to_owned())
    }

    /// The agency's country code, when known.
    pub(crate) fn agency_country(&self, code: &str) -> Option<&str> {
        self.agencies.get(code).map(|a| a.country.as_str())
    }

    /// The source's title, when known.
    pub(crate) fn source_title(&self, dataset: &str) -> Option<String> {
        self.sources.get(dataset).map(|s| s.title.clone())
    }
}

/// "Name (code, Country)" of an agency, for messages telling whom to ask.
pub(crate) async fn agency_label(app: &Veza, code: &str) -> String {
    match app.agency(code).await {
        Ok(Some(a)) => format!("{} ({}, {})", a.name, a.code, country_label(&a.country)),
        Ok(None) => format!("agency {code}"),
        Err(e) => {
            tracing::warn!(error = %e, agency = code, "agency could not be read");
            format!("agency {code}")
        }
    }
}

/// The English name of a country code, or the code in capitals. `zz` is
/// INTERPOL's General Secretariat in Veza.
pub(crate) fn country_label(code: &str) -> String {
    match veza_model::types::country_name(code) {
        Some(name) => name.to_owned(),
        None => code.to_ascii_uppercase(),
    }
}

/// `s` percent-encoded for use as one path segment.
pub(crate) fn path_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The page of an entity.
pub(crate) fn entity_href(id: &str) -> String {
    format!("/entities/{}", path_segment(id))
}

/// A query string from its non-empty pairs, with the leading `?` (or nothing).
pub(crate) fn query_string(pairs: &[(&str, &str)]) -> String {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
        ser.append_pair(k, v);
    }
    let qs = ser.finish();
    if qs.is_empty() { qs } else { format!("?{qs}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_encoded() {
        assert_eq!(path_segment("manual.ab-c_d:1"), "manual.ab-c_d:1");
        assert_eq!(path_segment("a/b c"), "a%2Fb%20c");
        assert_eq!(path_segment("č"), "%C4%8D");
    }

    #[test]
    fn query_strings_skip_empty_values() {
        assert_eq!(query_string(&[("q", ""), ("schema", "")]), "");
        assert_eq!(query_string(&[("q", "Petrović & co"), ("offset", "20")]), "?q=Petrovi%C4%87+%26+co&offset=20");
    }

    #[test]
    fn countries_have_names() {
        assert_eq!(country_label("rs"), "Serbia");
        assert_eq!(country_label("qq"), "QQ");
    }
}

/// The log-in page.
#[derive(Template)]
#[template(path = "login.html")]
pub(crate) struct LoginTemplate {
    pub(crate) layout: Layout,
    /// The pre-session CSRF token.
    pub(crate) csrf: String,
    /// Where to go after signing in (a path on this site).
    pub(crate) next: String,
    /// The user name typed before, to type it only once.
    pub(crate) username: String,
    /// What went wrong, if anything.
    pub(crate) message: Option<String>,
}
