//! What the possible-victim pages show: the identification interview (the
//! handling request, the questions by dimension, the reasoned assessment and
//! the decision), a victim record, and the referrals.

use crate::i18n::Tr;
use crate::views::Layout;
use askama::Template;
use std::collections::BTreeMap;
use veza_app::veza_indicators::{Advice, Answer, Assessment, Catalogue, Reason};

/// The words for one of this feature's codes (statuses, service types,
/// decisions…): the catalogue's `victim-v-<code>`, or the code with spaces.
pub(crate) fn code_label(tr: &Tr, code: &str) -> String {
    let key = format!("victim-v-{}", code.replace('_', "-"));
    if tr.has(&key) { tr.t(&key) } else { crate::views::cases::vocabulary_label(tr, code) }
}

/// A dimension's or element's label in the reader's language.
pub(crate) fn dimension_label(tr: &Tr, code: &str) -> String {
    let key = format!("victim-dim-{}", code.replace('_', "-"));
    if tr.has(&key) {
        tr.t(&key)
    } else {
        let c = Catalogue::builtin();
        c.dimension(code).map(|d| d.label.clone()).or(c.element(code).map(|e| e.label.clone())).unwrap_or(code.into())
    }
}

/// One step of the reasoning in the reader's language.
pub(crate) fn reason_text(tr: &Tr, r: &Reason) -> String {
    let purpose = |p: &veza_app::veza_indicators::Purpose| code_label(tr, p.code());
    match r {
        Reason::AgeTreatedAsAdult => tr.t("victim-reason-age-unknown"),
        Reason::MinorNeedsNoMeans => tr.t("victim-reason-minor"),
        Reason::DimensionMet { purpose: p, dimension, strong, medium, weak } => tr.ta(
            "victim-reason-dimension-met",
            &[
                ("dimension", dimension_label(tr, dimension).into()),
                ("purpose", purpose(p).into()),
                ("strong", (*strong).into()),
                ("medium", (*medium).into()),
                ("weak", (*weak).into()),
            ],
        ),
        Reason::DimensionShort { purpose: p, dimension, strong, medium, weak } => tr.ta(
            "victim-reason-dimension-short",
            &[
                ("dimension", dimension_label(tr, dimension).into()),
                ("purpose", purpose(p).into()),
                ("strong", (*strong).into()),
                ("medium", (*medium).into()),
                ("weak", (*weak).into()),
            ],
        ),
        Reason::ElementMet { purpose: p, element } => {
            tr.t2("victim-reason-element-met", "element", dimension_label(tr, element), "purpose", purpose(p))
        }
        Reason::ElementMissing { purpose: p, element, unanswered } => tr.t3(
            "victim-reason-element-missing",
            "element",
            dimension_label(tr, element),
            "purpose",
            purpose(p),
            "unanswered",
            *unanswered,
        ),
        Reason::GeneralSigns { count } => tr.t1("victim-reason-general", "count", *count),
        Reason::Indicated { purpose: p } => tr.t1("victim-reason-indicated", "purpose", purpose(p)),
        Reason::OfficerDecides => tr.t("victim-reason-officer-decides"),
    }
}

/// The assessment as the pages show it.
pub(crate) struct AssessmentView {
    /// The advice in words.
    pub(crate) advice: String,
    /// Whether it found indications.
    pub(crate) indicated: bool,
    /// The reasoning, in order.
    pub(crate) reasoning: Vec<String>,
    /// Score and strongest indicator, in words.
    pub(crate) score: String,
}

/// The assessment in the reader's words.
pub(crate) fn assessment_view(tr: &Tr, a: &Assessment) -> AssessmentView {
    let (advice, indicated) = match &a.advice {
        Advice::Indications { purposes } => {
            let list: Vec<String> = purposes.iter().map(|p| code_label(tr, p.code())).collect();
            (tr.t1("victim-advice-indications", "purposes", list.join(", ")), true)
        }
        Advice::Insufficient { observed } => (tr.t1("victim-advice-insufficient", "count", *observed), false),
    };
    let strongest = a.strongest.map(|s| code_label(tr, s.code())).unwrap_or_else(|| "—".into());
    AssessmentView {
        advice,
        indicated,
        reasoning: a.reasoning.iter().map(|r| reason_text(tr, r)).collect(),
        score: tr.t2("victim-score", "score", a.score, "strongest", strongest),
    }
}

/// One question of the interview.
pub(crate) struct QuestionRow {
    pub(crate) code: String,
    pub(crate) question: String,
    pub(crate) sign: String,
    pub(crate) strength: String,
    pub(crate) source: String,
    /// `yes`, `no` or `unknown`.
    pub(crate) answer: String,
}

/// The questions of one dimension.
pub(crate) struct DimensionBlock {
    pub(crate) code: String,
    pub(crate) label: String,
    pub(crate) questions: Vec<QuestionRow>,
}

/// The questions by dimension with the answers given so far.
pub(crate) fn question_blocks(tr: &Tr, answers: &BTreeMap<String, Answer>) -> Vec<DimensionBlock> {
    let c = Catalogue::builtin();
    c.dimensions
        .iter()
        .map(|d| DimensionBlock {
            code: d.code.clone(),
            label: dimension_label(tr, &d.code),
            questions: c
                .indicators_of(&d.code)
                .map(|i| QuestionRow {
                    code: i.code.clone(),
                    question: i.question.clone(),
                    sign: i.sign.clone(),
                    strength: code_label(tr, i.strength.code()),
                    source: i.source.clone(),
                    answer: match answers.get(&i.code) {
                        Some(Answer::Yes) => "yes",
                        Some(Answer::No) => "no",
                        _ => "unknown",
                    }
                    .into(),
                })
                .collect(),
        })
        .collect()
}

/// `(value, label, chosen)` options.
pub(crate) fn options(tr: &Tr, codes: &[&str], chosen: &[String]) -> Vec<(String, String, bool)> {
    codes.iter().map(|c| ((*c).to_owned(), code_label(tr, c), chosen.iter().any(|x| x == c))).collect()
}

/// The interview form's values, as typed.
#[derive(Default, Clone)]
pub(crate) struct InterviewValues {
    pub(crate) person: String,
    pub(crate) check: String,
    pub(crate) operation: String,
    pub(crate) case: String,
    pub(crate) name: String,
    pub(crate) birth_date: String,
    pub(crate) gender: String,
    pub(crate) nationality: String,
    pub(crate) age_years: String,
    pub(crate) age_group: String,
    pub(crate) officer_gender: String,
    pub(crate) interpreter: bool,
    pub(crate) language: String,
    pub(crate) support_worker: bool,
    pub(crate) decision: String,
    pub(crate) exploitation: Vec<String>,
    pub(crate) notes: String,
}

/// `/victims/new`: the identification interview.
#[derive(Template)]
#[template(path = "victim_new.html")]
pub(crate) struct VictimNewTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) csrf: String,
    pub(crate) v: InterviewValues,
    /// The handling request in words, once given (shown prominently).
    pub(crate) request: Vec<String>,
    pub(crate) blocks: Vec<DimensionBlock>,
    pub(crate) officer_genders: Vec<(String, String, bool)>,
    pub(crate) age_groups: Vec<(String, String, bool)>,
    pub(crate) genders: Vec<(String, String, bool)>,
    pub(crate) decisions: Vec<(String, String, bool)>,
    pub(crate) exploitation: Vec<(String, String, bool)>,
    pub(crate) assessment: Option<AssessmentView>,
    pub(crate) errors: BTreeMap<String, String>,
}

impl VictimNewTemplate {
    /// The error for a field, if any.
    pub(crate) fn error(&self, field: &str) -> Option<&String> {
        self.errors.get(field)
    }
}

/// The handling request in words, for the banner.
pub(crate) fn request_lines(
    tr: &Tr,
    officer_gender: &str,
    interpreter: bool,
    language: &str,
    support: bool,
) -> Vec<String> {
    let mut out = Vec::new();
    match officer_gender {
        "female" | "male" => out.push(tr.t1("victim-request-officer", "gender", code_label(tr, officer_gender))),
        _ => {}
    }
    if interpreter {
        out.push(if language.is_empty() {
            tr.t("victim-request-interpreter")
        } else {
            tr.t1("victim-request-interpreter-language", "language", language)
        });
    }
    if support {
        out.push(tr.t("victim-request-support-worker"));
    }
    out
}

/// `/victims`: the victim records.
#[derive(Template)]
#[template(path = "victims.html")]
pub(crate) struct VictimsTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) rows: Vec<VictimRow>,
    /// The record just made is closed to its maker: it went to victim support.
    pub(crate) handed_over: bool,
}

/// One victim record in a list.
pub(crate) struct VictimRow {
    pub(crate) href: String,
    pub(crate) code: String,
    pub(crate) status: String,
    pub(crate) date: String,
    pub(crate) gender: String,
    pub(crate) age: String,
    pub(crate) citizenship: String,
    pub(crate) exploitation: String,
}

/// `/victims/{id}`: one victim record.
#[derive(Template)]
#[template(path = "victim.html")]
pub(crate) struct VictimTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) csrf: String,
    pub(crate) base: String,
    pub(crate) code: String,
    pub(crate) request: Vec<String>,
    /// (label, value) pairs.
    pub(crate) facts: Vec<(String, String)>,
    pub(crate) assessment: Option<AssessmentView>,
    pub(crate) observed: Vec<(String, String)>,
    pub(crate) referrals: Vec<ReferralRow>,
    pub(crate) service_types: Vec<(String, String, bool)>,
    pub(crate) scopes: Vec<(String, String, bool)>,
    pub(crate) errors: BTreeMap<String, String>,
}

impl VictimTemplate {
    /// The error for a field, if any.
    pub(crate) fn error(&self, field: &str) -> Option<&String> {
        self.errors.get(field)
    }
}

/// One referral in a list.
pub(crate) struct ReferralRow {
    pub(crate) action: String,
    pub(crate) victim_href: String,
    pub(crate) victim_code: String,
    pub(crate) date: String,
    pub(crate) service_type: String,
    pub(crate) service: String,
    pub(crate) consent: String,
    pub(crate) status: String,
    pub(crate) status_code: String,
    pub(crate) statuses: Vec<(String, String, bool)>,
}

/// `/referrals`: the referrals and their status.
#[derive(Template)]
#[template(path = "referrals.html")]
pub(crate) struct ReferralsTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) csrf: String,
    pub(crate) rows: Vec<ReferralRow>,
    pub(crate) error: Option<String>,
}
