//! The top bar's menu: a few groups named after what the user does
//! (investigate, operations, academy, administration), each item shown only
//! to the roles that may use its page, the current page marked.
//!
//! The groups are `<details>` elements, so the menu opens and closes without
//! JavaScript; `assets/nav.js` only adds Escape and "one open at a time".

use crate::i18n::Tr;
use veza_app::Role;

/// One link of the menu.
pub(crate) struct MenuItem {
    /// The element id after `nav-` (`nav-cases`), for tests and scripts.
    pub(crate) id: &'static str,
    /// Where it goes.
    pub(crate) href: &'static str,
    /// Its label in the user's language.
    pub(crate) label: String,
    /// Whether it is the page being shown (`aria-current="page"`).
    pub(crate) current: bool,
}

/// A named group of links, shown as a disclosure.
pub(crate) struct MenuGroup {
    /// The element id of the `<details>` after `navgroup-`.
    pub(crate) id: &'static str,
    /// Its label in the user's language.
    pub(crate) label: String,
    /// Its links, never empty.
    pub(crate) items: Vec<MenuItem>,
    /// Whether the page being shown is one of its links.
    pub(crate) current: bool,
}

/// The whole menu of a page.
#[derive(Default)]
pub(crate) struct Menu {
    /// Links always shown to a signed-in user (home, search).
    pub(crate) top: Vec<MenuItem>,
    /// The groups this user has at least one link in.
    pub(crate) groups: Vec<MenuGroup>,
}

/// Who works cases and their charts (as the home page's "my cases").
const CASE_ROLES: &[Role] = &[
    Role::Investigator,
    Role::Analyst,
    Role::NcbOfficer,
    Role::ThbCoordinator,
    Role::Prosecutor,
    Role::Judge,
    Role::VictimSupport,
];
/// Who checks people and documents against watchlists.
const SCREEN_ROLES: &[Role] =
    &[Role::BorderOfficer, Role::NcbOfficer, Role::Investigator, Role::Analyst, Role::ThbCoordinator];
/// Who decides entity-resolution proposals (`veza_app` matching's reviewer check).
const REVIEW_ROLES: &[Role] = &[Role::Analyst, Role::Investigator, Role::NcbOfficer];
/// Who asks for and answers access to records.
const REQUEST_ROLES: &[Role] = &[
    Role::BorderOfficer,
    Role::Investigator,
    Role::Analyst,
    Role::NcbOfficer,
    Role::ThbCoordinator,
    Role::Prosecutor,
    Role::VictimSupport,
];
/// Who plans, runs or checks in joint operations.
const OPERATION_ROLES: &[Role] = &[
    Role::ThbCoordinator,
    Role::NcbOfficer,
    Role::Administrator,
    Role::BorderOfficer,
    Role::Investigator,
    Role::Analyst,
];
/// Who runs or plays table-top exercises.
const EXERCISE_ROLES: &[Role] = &[Role::ExerciseController, Role::Trainer, Role::Learner, Role::ThbCoordinator];
/// Who may see possible victims and their referrals (the store's victim policy).
const VICTIM_ROLES: &[Role] =
    &[Role::VictimSupport, Role::ThbCoordinator, Role::Investigator, Role::Prosecutor, Role::Judge];
/// Who teaches, learns in or runs academy cohorts.
const COHORT_ROLES: &[Role] = &[Role::Trainer, Role::Learner, Role::AcademyAdministrator, Role::ProgrammeManager];
/// Who loads outside data.
const IMPORT_ROLES: &[Role] = &[Role::Analyst, Role::Investigator, Role::NcbOfficer, Role::Administrator];
/// Who reads the audit trail.
const AUDIT_ROLES: &[Role] = &[Role::DataProtectionOfficer];
/// Everyone (the academy's course list is open to every officer).
const ANY: &[Role] = &[];

/// `(group id, group label key, [(item id, href, label key, roles)])`.
type Plan = (&'static str, &'static str, &'static [(&'static str, &'static str, &'static str, &'static [Role])]);

const PLAN: &[Plan] = &[
    (
        "investigate",
        "nav-group-investigate",
        &[
            ("cases", "/cases", "nav-cases", CASE_ROLES),
            ("charts", "/charts", "nav-charts", CASE_ROLES),
            ("screen", "/screen", "nav-screen", SCREEN_ROLES),
            ("matches", "/matches", "nav-matches", REVIEW_ROLES),
            ("requests", "/access-requests", "nav-requests", REQUEST_ROLES),
        ],
    ),
    (
        "operations",
        "nav-group-operations",
        &[
            ("operations", "/operations", "operations-nav", OPERATION_ROLES),
            ("exercises", "/exercises", "exercise-nav", EXERCISE_ROLES),
            ("victims", "/victims", "nav-victims", VICTIM_ROLES),
            ("referrals", "/referrals", "nav-referrals", VICTIM_ROLES),
        ],
    ),
    (
        "academy",
        "academy-nav",
        &[("academy", "/academy", "nav-courses", ANY), ("cohorts", "/academy/cohorts", "nav-cohorts", COHORT_ROLES)],
    ),
    (
        "admin",
        "nav-group-admin",
        &[("import", "/import", "nav-import", IMPORT_ROLES), ("audit", "/audit", "nav-audit", AUDIT_ROLES)],
    ),
];

/// The menu item `path` belongs to: the one whose link is the longest
/// prefix of it on a segment boundary (`/academy/cohorts/3` is under
/// "cohorts", not "academy").
fn current_href(path: &str) -> Option<&'static str> {
    let path = path.split(['?', '#']).next().unwrap_or("");
    let under = |href: &str| path == href || path.strip_prefix(href).is_some_and(|rest| rest.starts_with('/'));
    let mut best: Option<&'static str> = ["/", "/search"].into_iter().find(|h| path == *h);
    for (_, _, items) in PLAN {
        for (_, href, _, _) in *items {
            if under(href) && best.is_none_or(|b| href.len() > b.len()) {
                best = Some(href);
            }
        }
    }
    best
}

impl Menu {
    /// The menu of a user holding `roles`, on the page at `here` (path and
    /// query). `exercise` says the user acts in a table-top exercise, which
    /// always offers the exercises page.
    pub(crate) fn new(tr: &Tr, roles: &[Role], here: &str, exercise: bool) -> Menu {
        let current = current_href(here);
        let item = |id: &'static str, href: &'static str, key: &str| MenuItem {
            id,
            href,
            label: tr.t(key),
            current: current == Some(href),
        };
        let top = vec![item("home", "/", "nav-home"), item("search", "/search", "nav-search")];
        let mut groups = Vec::new();
        for (id, key, items) in PLAN {
            let items: Vec<MenuItem> = items
                .iter()
                .filter(|(item_id, _, _, may)| {
                    may.is_empty() || roles.iter().any(|r| may.contains(r)) || (exercise && *item_id == "exercises")
                })
                .map(|(item_id, href, label, _)| item(item_id, href, label))
                .collect();
            if !items.is_empty() {
                let current = items.iter().any(|i| i.current);
                groups.push(MenuGroup { id, label: tr.t(key), items, current });
            }
        }
        Menu { top, groups }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Language;

    fn ids(menu: &Menu) -> Vec<&'static str> {
        menu.top.iter().chain(menu.groups.iter().flat_map(|g| g.items.iter())).map(|i| i.id).collect()
    }

    #[test]
    fn the_current_page_is_the_longest_link_it_is_under() {
        assert_eq!(current_href("/academy/cohorts/7?x=1"), Some("/academy/cohorts"));
        assert_eq!(current_href("/academy/courses/3"), Some("/academy"));
        assert_eq!(current_href("/cases/12/chart"), Some("/cases"));
        assert_eq!(current_href("/search?q=ana"), Some("/search"));
        assert_eq!(current_href("/"), Some("/"));
        assert_eq!(current_href("/casesx"), None, "a prefix that is not a path segment");
        assert_eq!(current_href("/entities/a"), None);
    }

    #[test]
    fn each_role_sees_only_the_groups_it_may_use() {
        let tr = Tr::new(Language::En);
        let border = Menu::new(&tr, &[Role::BorderOfficer], "/screen", false);
        let border_ids = ids(&border);
        assert!(border_ids.contains(&"screen") && border_ids.contains(&"operations"));
        assert!(!border_ids.contains(&"matches"), "border officers do not review matches");
        assert!(!border_ids.contains(&"victims") && !border_ids.contains(&"audit"));
        assert!(!border.groups.iter().any(|g| g.id == "admin"), "no empty administration group");

        let dpo = ids(&Menu::new(&tr, &[Role::DataProtectionOfficer], "/", false));
        assert_eq!(dpo, ["home", "search", "academy", "audit"]);

        let player = ids(&Menu::new(&tr, &[Role::DataProtectionOfficer], "/", true));
        assert!(player.contains(&"exercises"), "a user acting in an exercise reaches it");
    }

    #[test]
    fn the_current_page_and_its_group_are_marked() {
        let tr = Tr::new(Language::En);
        let menu = Menu::new(&tr, &[Role::Analyst], "/matches/4", false);
        let group = menu.groups.iter().find(|g| g.current).expect("a current group");
        assert_eq!(group.id, "investigate");
        let marked: Vec<_> = group.items.iter().filter(|i| i.current).map(|i| i.id).collect();
        assert_eq!(marked, ["matches"]);
        assert!(!menu.top.iter().any(|i| i.current));
    }
}
