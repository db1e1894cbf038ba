//! The case pages: my cases, the creation form (generated from the Case
//! schema), and the case page with its records, members, evidence, notes,
//! tasks and shares.

use super::{Directory, Layout, entity_href, path_segment};
use crate::i18n::Tr;
use askama::Template;
use chrono::DateTime;
use std::collections::BTreeMap;
use veza_app::{CASE_FORM_PROPERTIES, CaseFile, CaseSummary, FieldProblem, TaskStatus};
use veza_model::{Entity, Model, PropertyType};
use veza_store::{Capacity, ShareHandling};

/// `/cases`: the cases of the signed-in user.
#[derive(Template)]
#[template(path = "cases.html")]
pub(crate) struct CasesTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) rows: Vec<CaseRow>,
}

/// One case in the list.
pub(crate) struct CaseRow {
    pub(crate) href: String,
    pub(crate) name: String,
    pub(crate) number: String,
    pub(crate) status: String,
    pub(crate) owner: String,
    pub(crate) standing: String,
    pub(crate) records: usize,
    pub(crate) open_tasks: usize,
}

/// `/cases/new`: the form.
#[derive(Template)]
#[template(path = "case_new.html")]
pub(crate) struct CaseNewTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) csrf: String,
    pub(crate) fields: Vec<FormField>,
    pub(crate) visibility: String,
    pub(crate) visibility_error: Option<String>,
    pub(crate) error_count: usize,
}

/// One field of the form, as its property in the schema says.
pub(crate) struct FormField {
    pub(crate) name: String,
    pub(crate) label: String,
    pub(crate) hint: String,
    /// `text`, `date`, `number`, `textarea`, `select` (one value) or `checks` (several).
    pub(crate) input: &'static str,
    pub(crate) required: bool,
    pub(crate) value: String,
    /// (value, label, chosen) for `select` and `checks`.
    pub(crate) options: Vec<(String, String, bool)>,
    pub(crate) error: Option<String>,
}

/// The words for a closed-vocabulary code: the catalogue's, or the code
/// with spaces.
pub(crate) fn vocabulary_label(tr: &Tr, code: &str) -> String {
    let key = format!("case-vocab-{}", code.replace('_', "-"));
    if tr.has(&key) { tr.t(&key) } else { code.replace('_', " ") }
}

/// A property's label: the case form's catalogue, or the model's.
fn field_label(tr: &Tr, model: &Model, prop: &str) -> String {
    let key = format!("case-field-{}", kebab(prop));
    if tr.has(&key) {
        return tr.t(&key);
    }
    model.schema("Case").map(|s| tr.property_named(s, prop)).unwrap_or_default()
}

fn kebab(camel: &str) -> String {
    let mut out = String::new();
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The form's fields from the Case schema, filled with `values` and the
/// problems found.
pub(crate) fn case_form(
    tr: &Tr,
    model: &Model,
    values: &BTreeMap<String, Vec<String>>,
    problems: &[FieldProblem],
) -> Vec<FormField> {
    let Ok(schema) = model.schema("Case") else { return Vec::new() };
    CASE_FORM_PROPERTIES
        .iter()
        .filter_map(|name| schema.properties.get(*name).map(|p| (name, p)))
        .map(|(name, p)| {
            let given = values.get(*name).cloned().unwrap_or_default();
            let multiple = matches!(*name, "exploitationType" | "recruitmentMethod" | "methodOfControl");
            let input = match (&p.values, p.kind) {
                (Some(_), _) if multiple => "checks",
                (Some(_), _) => "select",
                (None, PropertyType::Date) => "date",
                (None, PropertyType::Number) => "number",
                (None, PropertyType::Text) => "textarea",
                _ => "text",
            };
            let options =
                p.values.iter().flatten().map(|v| (v.clone(), vocabulary_label(tr, v), given.contains(v))).collect();
            let hint = match p.kind {
                PropertyType::Country => tr.t("case-hint-countries"),
                _ => String::new(),
            };
            FormField {
                name: (*name).to_owned(),
                label: field_label(tr, model, name),
                hint,
                input,
                required: schema.required.iter().any(|r| r == name),
                value: given.join(", "),
                options,
                error: problems.iter().find(|e| e.field == *name).map(|e| e.message.clone()),
            }
        })
        .collect()
}

/// `/cases/{id}`: the case page.
#[derive(Template)]
#[template(path = "case.html")]
pub(crate) struct CaseTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) csrf: String,
    pub(crate) id: String,
    pub(crate) base: String,
    pub(crate) name: String,
    pub(crate) overview: Vec<(String, String)>,
    pub(crate) owner: String,
    pub(crate) groups: Vec<RecordGroup>,
    pub(crate) record_count: usize,
    pub(crate) truncated: bool,
    pub(crate) find: String,
    pub(crate) found: Vec<FoundRow>,
    pub(crate) work: Option<WorkView>,
    /// What the last action did.
    pub(crate) notice: Option<String>,
    /// Why the last action failed, by section (`records`, `members`, `evidence`, `notes`, `tasks`, `shares`).
    pub(crate) errors: BTreeMap<&'static str, String>,
}

impl CaseTemplate {
    /// The error of a section, if any.
    pub(crate) fn error(&self, section: &str) -> Option<&String> {
        self.errors.get(section)
    }
}

/// Records of one schema.
pub(crate) struct RecordGroup {
    pub(crate) label: String,
    pub(crate) rows: Vec<RecordRow>,
}

/// One record of the case.
pub(crate) struct RecordRow {
    pub(crate) id: String,
    pub(crate) href: String,
    pub(crate) caption: String,
    pub(crate) owner: String,
}

/// A search result that can be attached.
pub(crate) struct FoundRow {
    pub(crate) id: String,
    pub(crate) href: String,
    pub(crate) caption: String,
    pub(crate) schema: String,
}

/// The working file.
pub(crate) struct WorkView {
    pub(crate) owner: bool,
    pub(crate) writes: bool,
    pub(crate) members: Vec<(String, String, String)>,
    pub(crate) evidence: Vec<EvidenceRow>,
    pub(crate) notes: Vec<(String, String, String)>,
    pub(crate) tasks: Vec<TaskRow>,
    pub(crate) shares: Vec<ShareRow>,
    pub(crate) assignees: Vec<String>,
    pub(crate) capacities: Vec<(&'static str, String)>,
    pub(crate) agencies: Vec<(String, String)>,
    pub(crate) handlings: Vec<(&'static str, String)>,
}

/// One evidence file.
pub(crate) struct EvidenceRow {
    pub(crate) id: i64,
    pub(crate) href: String,
    pub(crate) name: String,
    pub(crate) media_type: String,
    pub(crate) size: String,
    pub(crate) sha256: String,
    pub(crate) by: String,
    pub(crate) at: String,
}

/// One task.
pub(crate) struct TaskRow {
    pub(crate) id: i64,
    pub(crate) title: String,
    pub(crate) assignee: String,
    pub(crate) due: String,
    pub(crate) done: bool,
}

/// One share.
pub(crate) struct ShareRow {
    pub(crate) id: i64,
    pub(crate) agency: String,
    pub(crate) what: String,
    pub(crate) handling: String,
    pub(crate) by: String,
    pub(crate) revoked: Option<String>,
}

/// `YYYY-MM-DD HH:MM` UTC of a microsecond time.
pub(crate) fn when(t: i64) -> String {
    DateTime::from_timestamp_micros(t).map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or_default()
}

/// A size as people read it.
pub(crate) fn size(bytes: i64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0)),
    }
}

/// The words of a handling code.
pub(crate) fn handling_label(tr: &Tr, h: ShareHandling) -> String {
    tr.t(&format!("case-handling-{}", h.code()))
}

/// The words of a capacity.
pub(crate) fn capacity_label(tr: &Tr, c: Capacity) -> String {
    tr.t(&format!("case-capacity-{}", c.code()))
}

/// The overview: the form's properties that have values, as label → values.
pub(crate) fn overview(tr: &Tr, model: &Model, case: &Entity) -> Vec<(String, String)> {
    let Ok(schema) = model.schema("Case") else { return Vec::new() };
    CASE_FORM_PROPERTIES
        .iter()
        .filter(|p| **p != "name")
        .filter_map(|p| {
            let values = case.values(p);
            if values.is_empty() {
                return None;
            }
            let closed = schema.properties.get(*p).is_some_and(|prop| prop.values.is_some());
            let shown: Vec<String> =
                values.iter().map(|v| if closed { vocabulary_label(tr, v) } else { v.clone() }).collect();
            Some((field_label(tr, model, p), shown.join(", ")))
        })
        .collect()
}

/// The list rows.
pub(crate) fn case_rows(tr: &Tr, dir: &Directory, cases: &[CaseSummary]) -> Vec<CaseRow> {
    cases
        .iter()
        .map(|c| CaseRow {
            href: format!("/cases/{}", path_segment(&c.case.id)),
            name: c.case.first("name").unwrap_or(&c.case.id).to_owned(),
            number: c.case.first("caseNumber").unwrap_or("").to_owned(),
            status: c.case.first("status").map(|s| vocabulary_label(tr, s)).unwrap_or_default(),
            owner: dir.agency_name(&c.case.provenance.owner.agency),
            standing: match c.capacity {
                Some(cap) => capacity_label(tr, cap),
                None => tr.t("case-standing-owner-agency"),
            },
            records: c.records,
            open_tasks: c.open_tasks,
        })
        .collect()
}

/// Records grouped by schema (plural label), groups in name order.
pub(crate) fn record_groups(tr: &Tr, model: &Model, dir: &Directory, file: &CaseFile) -> Vec<RecordGroup> {
    let mut groups: BTreeMap<String, Vec<RecordRow>> = BTreeMap::new();
    for n in &file.records {
        let label = tr.plural_named(model, &n.schema);
        groups.entry(label).or_default().push(RecordRow {
            id: n.id.clone(),
            href: entity_href(&n.id),
            caption: n.caption.clone(),
            owner: dir.agency_name(&n.owner_agency),
        });
    }
    groups.into_iter().map(|(label, rows)| RecordGroup { label, rows }).collect()
}

/// The working file as the page shows it.
pub(crate) fn work_view(tr: &Tr, dir: &Directory, agencies: &[(String, String)], file: &CaseFile) -> Option<WorkView> {
    let w = file.workspace.as_ref()?;
    let base = format!("/cases/{}", path_segment(&file.case.id));
    Some(WorkView {
        owner: w.owner,
        writes: w.writes,
        members: w
            .members
            .iter()
            .map(|m| {
                let cap = Capacity::parse(&m.capacity).map(|c| capacity_label(tr, c)).unwrap_or(m.capacity.clone());
                (m.username.clone(), cap, when(m.added_at))
            })
            .collect(),
        evidence: w
            .evidence
            .iter()
            .map(|e| EvidenceRow {
                id: e.id,
                href: format!("{base}/evidence/{}", e.id),
                name: e.file_name.clone(),
                media_type: e.media_type.clone(),
                size: size(e.size),
                sha256: e.sha256.clone(),
                by: e.uploaded_by.clone(),
                at: when(e.uploaded_at),
            })
            .collect(),
        notes: w.notes.iter().map(|n| (n.author.clone(), when(n.written_at), n.body.clone())).collect(),
        tasks: w
            .tasks
            .iter()
            .map(|t| TaskRow {
                id: t.id,
                title: t.title.clone(),
                assignee: t.assignee.clone(),
                due: t.due_date.clone().unwrap_or_default(),
                done: t.status == TaskStatus::Done,
            })
            .collect(),
        shares: w
            .shares
            .iter()
            .map(|s| ShareRow {
                id: s.id,
                agency: dir.agency_name(&s.agency),
                what: if s.whole_case {
                    tr.t("case-share-whole")
                } else {
                    tr.t1("case-share-records", "records", s.entity_ids.join(", "))
                },
                handling: handling_label(tr, s.handling),
                by: format!("{}, {}", s.shared_by, when(s.shared_at)),
                revoked: s.revoked_at.map(|t| format!("{}, {}", s.revoked_by.clone().unwrap_or_default(), when(t))),
            })
            .collect(),
        assignees: w.members.iter().map(|m| m.username.clone()).collect(),
        capacities: Capacity::ALL.iter().map(|c| (c.code(), capacity_label(tr, *c))).collect(),
        agencies: agencies.to_vec(),
        handlings: ShareHandling::ALL.iter().map(|h| (h.code(), handling_label(tr, *h))).collect(),
    })
}
