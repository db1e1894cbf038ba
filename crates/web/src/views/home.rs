//! The home page: what the signed-in user has to do next, by role — their
//! cases, their review queue, recent screening hits, access requests waiting
//! for their agency, and for a data-protection officer the audit trail.
//! Every list is read through the use cases, so the policy and the audit
//! log apply as anywhere else; a role sees only the sections it works with.

use super::{Frame, Layout, entity_href};
use crate::i18n::Tr;
use askama::Template;
use veza_app::{Access, AppError, MatchStatus, RequestStatus, Role, Veza};

/// One line of a home section: a link and what to say beside it.
pub(crate) struct HomeItem {
    pub(crate) href: String,
    pub(crate) text: String,
    pub(crate) note: String,
}

/// A section of the home page.
pub(crate) struct HomeSection {
    /// Element id (`home-cases`), for tests and skip links.
    pub(crate) id: &'static str,
    pub(crate) title: String,
    pub(crate) items: Vec<HomeItem>,
    /// What the section says when it is empty.
    pub(crate) empty: String,
    /// Where the whole list is: (link, text).
    pub(crate) more: Option<(String, String)>,
}

/// The home page.
#[derive(Template)]
#[template(path = "home.html")]
pub(crate) struct HomeTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) name: String,
    pub(crate) roles: String,
    pub(crate) sections: Vec<HomeSection>,
    /// Whether to offer the screening form (border and NCB officers).
    pub(crate) screens: bool,
    /// Whether to offer the audit trail (data-protection officers).
    pub(crate) audits: bool,
}

fn any_of(roles: &[Role], of: &[Role]) -> bool {
    roles.iter().any(|r| of.contains(r))
}

/// Roles that work on cases.
const CASE_ROLES: &[Role] = &[
    Role::Investigator,
    Role::Analyst,
    Role::NcbOfficer,
    Role::ThbCoordinator,
    Role::Prosecutor,
    Role::Judge,
    Role::VictimSupport,
];
/// Roles that decide whether two records are one person.
const REVIEW_ROLES: &[Role] = &[Role::Analyst, Role::Investigator, Role::NcbOfficer];
/// Roles that screen people and documents, or follow up hits.
const HIT_ROLES: &[Role] = &[Role::BorderOfficer, Role::NcbOfficer, Role::Investigator, Role::Analyst];
/// Roles whose agency holds records others may ask for.
const OWNER_ROLES: &[Role] = &[
    Role::BorderOfficer,
    Role::Investigator,
    Role::Analyst,
    Role::NcbOfficer,
    Role::ThbCoordinator,
    Role::Prosecutor,
    Role::VictimSupport,
];

/// Builds the home page for a user with `roles`.
pub(crate) async fn home_page(
    app: &Veza,
    frame: &Frame,
    access: &Access,
    roles: &[Role],
) -> Result<HomeTemplate, AppError> {
    let tr = frame.tr;
    let model = app.model();
    let mut sections = Vec::new();
    let when = |t: chrono::DateTime<chrono::Utc>| tr.date(t.date_naive());
    if any_of(roles, CASE_ROLES) {
        let page = app.search(access, "", Some("Case"), 8, 0).await?;
        sections.push(HomeSection {
            id: "home-cases",
            title: tr.t("home-cases"),
            items: page
                .results
                .iter()
                .map(|e| HomeItem {
                    href: entity_href(&e.id).replacen("/entities/", "/cases/", 1),
                    text: e.caption(model),
                    note: e.first("status").map(|s| s.replace('_', " ")).unwrap_or_default(),
                })
                .collect(),
            empty: tr.t("home-cases-none"),
            more: Some(("/cases".into(), tr.t("home-cases-all"))),
        });
    }
    if any_of(roles, REVIEW_ROLES) {
        let queue = app.match_queue(access, Some(MatchStatus::Proposed), 5, 0).await?;
        sections.push(HomeSection {
            id: "home-review",
            title: tr.t("home-review"),
            items: queue
                .into_iter()
                .map(|m| HomeItem {
                    href: format!("/matches/{}", m.candidate.id),
                    text: format!("{} ↔ {}", m.left_caption, m.right_caption),
                    note: format!("{:.3}", m.candidate.score),
                })
                .collect(),
            empty: tr.t("home-review-none"),
            more: Some(("/matches".into(), tr.t("home-review-all"))),
        });
    }
    if any_of(roles, HIT_ROLES) {
        let page = app.search(access, "", Some("Hit"), 8, 0).await?;
        sections.push(HomeSection {
            id: "home-hits",
            title: tr.t("home-hits"),
            items: page
                .results
                .iter()
                .map(|e| HomeItem {
                    href: entity_href(&e.id),
                    text: e.caption(model),
                    note: when(e.provenance.changed_at),
                })
                .collect(),
            empty: tr.t("home-hits-none"),
            more: Some(("/search?schema=Hit".into(), tr.t("home-hits-all"))),
        });
    }
    if any_of(roles, OWNER_ROLES) {
        let agency = match &access.caller {
            veza_app::Caller::User { agency, .. } => agency.clone(),
            veza_app::Caller::System { .. } => String::new(),
        };
        let waiting: Vec<HomeItem> = app
            .access_requests(access, true)
            .await?
            .into_iter()
            .filter(|r| r.status == RequestStatus::Pending && r.owner_agency == agency)
            .take(8)
            .map(|r| HomeItem {
                href: format!("/access-requests#request-{}", r.id),
                text: r.entity_id.clone(),
                note: tr.t3("home-requests-note", "who", r.requester, "agency", r.requester_agency, "reason", r.reason),
            })
            .collect();
        sections.push(HomeSection {
            id: "home-requests",
            title: tr.t("home-requests"),
            items: waiting,
            empty: tr.t("home-requests-none"),
            more: Some(("/access-requests".into(), tr.t("home-requests-all"))),
        });
    }
    Ok(HomeTemplate {
        layout: Layout::new(frame, tr.t("nav-home")),
        tr,
        name: frame.user.as_ref().map(|u| u.name.clone()).unwrap_or_default(),
        roles: roles
            .iter()
            .map(|r| tr.t(&format!("role-{}", r.as_str().replace('_', "-"))))
            .collect::<Vec<_>>()
            .join(", "),
        sections,
        screens: any_of(roles, &[Role::BorderOfficer, Role::NcbOfficer]),
        audits: roles.contains(&Role::DataProtectionOfficer),
    })
}
