//! The academy's routes: the API (`GET /api/v1/courses`,
//! `GET /api/v1/assessments/{country}`) and the pages — the course list, a
//! course, a lesson with its practice exercise, an attempt (take, see,
//! grade), the outline editor with publishing and image upload, lesson
//! images (served `nosniff`, only raster types), a country's needs
//! assessment with its gap chart, and a round's form for its respondent.
//! Plain HTML forms; a refusal shows the page again with the reason.

use super::form::{field, fields};
use super::pages::{failure, render, see_other};
use crate::AppState;
use crate::caller::CurrentCaller;
use crate::error::ApiError;
use crate::i18n::Tr;
use crate::views::academy::*;
use crate::views::matches::when;
use crate::views::{Frame, Layout, path_segment};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use veza_app::{AppError, Caller, may_author, outline_from_yaml};
use veza_model::academy::{Answer, CourseKind, CourseOutline, QuestionKind};
use veza_model::assessment::CapacityArea;

/// `GET /api/v1/courses`: the courses the caller may take (authors: all).
pub(crate) async fn api_courses(
    State(s): State<AppState>,
    CurrentCaller(caller): CurrentCaller,
) -> Result<Json<Value>, ApiError> {
    let list = s.app.academy_courses(&caller, None).await?;
    let courses: Vec<Value> = list
        .into_iter()
        .map(|c| json!({"id": c.id, "title": c.title, "languages": c.languages, "kind": c.kind, "version": c.version}))
        .collect();
    Ok(Json(json!({"courses": courses})))
}

/// `GET /api/v1/assessments/{country}`: scores by capacity area.
pub(crate) async fn api_assessment(
    State(s): State<AppState>,
    CurrentCaller(caller): CurrentCaller,
    Path(country): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let a = s.app.country_assessment(&caller, &country).await?;
    let areas: Vec<Value> = a
        .areas
        .iter()
        .map(|x| json!({"area": x.area, "score": x.score, "gap": x.gap, "previous": x.previous}))
        .collect();
    Ok(Json(json!({
        "country": a.country, "round": a.round, "target": a.target, "agencies": a.agencies,
        "areas": areas, "plan": a.plan,
    })))
}

/// `GET /academy`.
pub(crate) async fn academy_page(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentCaller(caller): CurrentCaller,
) -> Response {
    academy_with(&s, &frame, tr, &caller, None, StatusCode::OK).await
}

async fn academy_with(
    s: &AppState,
    frame: &Frame,
    tr: Tr,
    caller: &Caller,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let courses = match s.app.academy_courses(caller, None).await {
        Ok(c) => c,
        Err(e) => return failure(frame, e),
    };
    let to_answer = s
        .app
        .my_assessments(caller)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| !r.submitted)
        .map(|r| (r.id, r.agency, r.round))
        .collect();
    let countries = s.app.assessed_countries(caller).await.unwrap_or_default();
    let follow_ups = match s.app.follow_ups_due(&veza_app::Access::new(caller.clone(), None)).await {
        Ok(due) => due
            .into_iter()
            .map(|d| {
                let on = chrono::NaiveDate::parse_from_str(&d.completed_on, "%Y-%m-%d")
                    .map(|day| tr.date(day))
                    .unwrap_or(d.completed_on);
                (d.course_id, d.quiz_key, d.course_title, on)
            })
            .collect(),
        Err(e) => return failure(frame, e),
    };
    let page = AcademyTemplate {
        follow_ups,
        layout: Layout::new(frame, tr.t("academy-title")),
        csrf: frame.csrf(),
        courses: courses
            .into_iter()
            .map(|c| CourseRow {
                title: c.title,
                kind: kind_label(&tr, c.kind.code()),
                languages: c.languages.join(", "),
                version: c.version.map(|v| v.to_string()).unwrap_or_else(|| tr.t("academy-draft")),
                id: c.id,
            })
            .collect(),
        author: may_author(caller),
        to_answer,
        countries,
        error,
        tr,
    };
    render(status, &page)
}

/// `POST /academy/courses`: a new course with an outline holding its title.
pub(crate) async fn create_course(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentCaller(caller): CurrentCaller,
    body: Bytes,
) -> Response {
    let f = fields(&body);
    let id = field(&f, "id");
    let kind = CourseKind::parse(&field(&f, "kind")).unwrap_or(CourseKind::Course);
    let outline = CourseOutline {
        title: field(&f, "title"),
        summary: String::new(),
        languages: vec![tr.tag().to_owned()],
        target_groups: vec![],
        modules: vec![],
        quizzes: vec![],
        banks: vec![],
        follow_up_months: veza_model::academy::DEFAULT_FOLLOW_UP_MONTHS,
    };
    match s.app.create_course(&caller, &id, kind, &outline).await {
        Ok(()) => see_other(&format!("/academy/courses/{}/edit", path_segment(&id))),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            academy_with(&s, &frame, tr, &caller, Some(e.to_string()), StatusCode::BAD_REQUEST).await
        }
        Err(e) => failure(&frame, e),
    }
}

/// `GET /academy/courses/{id}`: the published course.
pub(crate) async fn course_page(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentCaller(caller): CurrentCaller,
    Path(id): Path<String>,
) -> Response {
    course_with(&s, &frame, tr, &caller, &id, None, StatusCode::OK).await
}

async fn course_with(
    s: &AppState,
    frame: &Frame,
    tr: Tr,
    caller: &Caller,
    id: &str,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let course = match s.app.published_course(id, None).await {
        Ok(c) => c,
        Err(AppError::NotFound(_)) if may_author(caller) => {
            return see_other(&format!("/academy/courses/{}/edit", path_segment(id)));
        }
        Err(e) => return failure(frame, e),
    };
    let viewed = s.app.my_lesson_views(caller, id).await.unwrap_or_default();
    let attempts = s.app.my_attempts(caller, Some(id)).await.unwrap_or_default();
    let o = &course.outline;
    let page = CourseTemplate {
        layout: Layout::new(frame, o.title.clone()),
        csrf: frame.csrf(),
        id: course.id.clone(),
        title: o.title.clone(),
        summary: o.summary.clone(),
        version: course.version,
        modules: o
            .modules
            .iter()
            .map(|m| ModuleRow {
                title: m.title.clone(),
                lessons: m
                    .lessons
                    .iter()
                    .map(|l| LessonRow {
                        key: l.key.clone(),
                        title: l.title.clone(),
                        viewed: viewed.contains(&l.key),
                        practice: l.exercise.is_some(),
                    })
                    .collect(),
            })
            .collect(),
        quizzes: o
            .quizzes
            .iter()
            .map(|q| QuizRow {
                key: q.key.clone(),
                title: q.title.clone(),
                purpose: tr.t(&format!("academy-purpose-{}", q.purpose.code().replace('_', "-"))),
                limit: q.time_limit_minutes.map(|m| tr.t1("academy-minutes", "n", m)).unwrap_or_default(),
                attempts: q.max_attempts.map(|m| m.to_string()).unwrap_or_default(),
            })
            .collect(),
        attempts: attempts
            .iter()
            .map(|a| AttemptRow {
                id: a.id,
                quiz: o.quiz(&a.quiz_key).map(|q| q.title.clone()).unwrap_or_else(|| a.quiz_key.clone()),
                status: tr.t(&format!("academy-status-{}", a.status.code())),
                score: a.score.map(|sc| format!("{sc} / {}", a.max_score)).unwrap_or_default(),
            })
            .collect(),
        author: may_author(caller),
        error,
        tr,
    };
    render(status, &page)
}

/// `GET /academy/courses/{id}/lessons/{key}`.
pub(crate) async fn lesson_page(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentCaller(caller): CurrentCaller,
    Path((id, key)): Path<(String, String)>,
) -> Response {
    lesson_with(&s, &frame, tr, &caller, &id, &key, String::new(), None, None).await
}

#[allow(clippy::too_many_arguments)]
async fn lesson_with(
    s: &AppState,
    frame: &Frame,
    tr: Tr,
    caller: &Caller,
    id: &str,
    key: &str,
    input: String,
    outcome: Option<(bool, String)>,
    error: Option<String>,
) -> Response {
    let (course, html) = match s.app.open_lesson(caller, id, key).await {
        Ok(x) => x,
        Err(e) => return failure(frame, e),
    };
    let Some((_, lesson)) = course.outline.lesson(key) else {
        return failure(frame, AppError::NotFound(format!("lesson {key}")));
    };
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let page = LessonTemplate {
        layout: Layout::new(frame, lesson.title.clone()),
        csrf: frame.csrf(),
        course_id: course.id.clone(),
        course_title: course.outline.title.clone(),
        key: key.to_owned(),
        html,
        task: lesson.exercise.as_ref().map(|e| tr.t(&format!("academy-task-{}", e.task.code().replace('_', "-")))),
        input,
        outcome,
        error,
        tr,
    };
    render(status, &page)
}

/// `POST /academy/courses/{id}/lessons/{key}/practice`: runs the exercise.
pub(crate) async fn practise(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentCaller(caller): CurrentCaller,
    Path((id, key)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let input = field(&fields(&body), "input");
    match s.app.practise(&caller, &id, &key, &input).await {
        Ok(o) => {
            let found = o.found.iter().map(|f| format!("{} ({})", f.1, f.0)).collect::<Vec<_>>().join(", ");
            lesson_with(&s, &frame, tr, &caller, &id, &key, input, Some((o.passed, found)), None).await
        }
        Err(AppError::Invalid { message, .. }) => {
            lesson_with(&s, &frame, tr, &caller, &id, &key, input, None, Some(message)).await
        }
        Err(e) => failure(&frame, e),
    }
}

/// `POST /academy/courses/{id}/quizzes/{key}/start`.
pub(crate) async fn start_quiz(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentCaller(caller): CurrentCaller,
    Path((id, key)): Path<(String, String)>,
) -> Response {
    match s.app.start_attempt(&caller, &id, &key).await {
        Ok(a) => see_other(&format!("/academy/attempts/{}", a.id)),
        Err(AppError::Forbidden(m)) => course_with(&s, &frame, tr, &caller, &id, Some(m), StatusCode::FORBIDDEN).await,
        Err(e) => failure(&frame, e),
    }
}

/// `GET /academy/attempts/{n}`.
pub(crate) async fn attempt_page(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentCaller(caller): CurrentCaller,
    Path(n): Path<i64>,
) -> Response {
    match s.app.attempt_view(&caller, n).await {
        Ok(v) => attempt_with(&frame, tr, &caller, v, None, StatusCode::OK),
        Err(e) => failure(&frame, e),
    }
}

fn attempt_with(
    frame: &Frame,
    tr: Tr,
    caller: &Caller,
    v: veza_app::AttemptView,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let a = &v.attempt;
    let open = a.status == veza_store::AttemptStatus::Open && a.learner == caller.actor();
    let grading = a.status == veza_store::AttemptStatus::Pending && may_author(caller);
    let questions = v
        .questions
        .iter()
        .map(|q| {
            let ans = v.answers.get(&q.key);
            let mut view = QuestionView {
                key: q.key.clone(),
                prompt: q.prompt.clone(),
                kind: q.kind.code().to_owned(),
                options: vec![],
                lefts: vec![],
                rights: vec![],
                text: String::new(),
                mark: v.marks.get(&q.key).map(|m| format!("{m} / {}", q.points)).unwrap_or_default(),
                points: q.points.to_string(),
                rubric: String::new(),
                to_grade: false,
            };
            match &q.kind {
                QuestionKind::Single { options, .. } => {
                    view.options = options
                        .iter()
                        .enumerate()
                        .map(|(i, o)| (i, o.clone(), matches!(ans, Some(Answer::Choice(c)) if *c == i)))
                        .collect();
                }
                QuestionKind::Multiple { options, .. } => {
                    view.options = options
                        .iter()
                        .enumerate()
                        .map(|(i, o)| (i, o.clone(), matches!(ans, Some(Answer::Choices(c)) if c.contains(&i))))
                        .collect();
                }
                QuestionKind::TrueFalse { .. } => {
                    view.options = vec![
                        (1, tr.t("academy-true"), matches!(ans, Some(Answer::Bool(true)))),
                        (0, tr.t("academy-false"), matches!(ans, Some(Answer::Bool(false)))),
                    ];
                }
                QuestionKind::Matching { pairs } => {
                    let chosen = match ans {
                        Some(Answer::Pairs(p)) => p.clone(),
                        _ => vec![],
                    };
                    view.lefts = pairs
                        .iter()
                        .enumerate()
                        .map(|(i, p)| (i, p.0.clone(), chosen.get(i).copied().unwrap_or(usize::MAX)))
                        .collect();
                    // The right sides in another order than the left: by text.
                    let mut rights: Vec<(usize, String)> =
                        pairs.iter().enumerate().map(|(i, p)| (i, p.1.clone())).collect();
                    rights.sort_by(|x, y| x.1.cmp(&y.1));
                    view.rights = rights;
                }
                QuestionKind::ShortAnswer { rubric } => {
                    view.rubric = rubric.clone();
                    view.to_grade = !v.marks.contains_key(&q.key);
                    if let Some(Answer::Text(t)) = ans {
                        view.text = t.clone();
                    }
                }
                QuestionKind::Scale { low, high } => {
                    view.options = (1..=5)
                        .map(|i| {
                            let label = match i {
                                1 => format!("1 — {low}"),
                                5 => format!("5 — {high}"),
                                n => n.to_string(),
                            };
                            (i, label, matches!(ans, Some(Answer::Rating(r)) if usize::from(*r) == i))
                        })
                        .collect();
                }
                QuestionKind::Comment => {
                    if let Some(Answer::Text(t)) = ans {
                        view.text = t.clone();
                    }
                }
            }
            view
        })
        .collect();
    let page = AttemptTemplate {
        layout: Layout::new(frame, v.quiz_title.clone()),
        csrf: frame.csrf(),
        id: a.id,
        course_id: a.course_id.clone(),
        quiz_title: v.quiz_title.clone(),
        open,
        grading,
        deadline: if open { a.deadline_at.map(|d| when(&tr, d)).unwrap_or_default() } else { String::new() },
        status: tr.t(&format!("academy-status-{}", a.status.code())),
        score: a.score.map(|sc| format!("{sc} / {}", a.max_score)).unwrap_or_default(),
        questions,
        error,
        tr,
    };
    render(status, &page)
}

/// The answers of an attempt form, by the kinds of the questions asked.
fn answers_of(v: &veza_app::AttemptView, f: &[(String, String)]) -> BTreeMap<String, Answer> {
    let mut out = BTreeMap::new();
    for q in &v.questions {
        let values: Vec<&str> = f.iter().filter(|(k, _)| *k == q.key).map(|(_, v)| v.as_str()).collect();
        let first = values.first().copied();
        let answer = match &q.kind {
            QuestionKind::Single { .. } => first.and_then(|x| x.parse().ok()).map(Answer::Choice),
            QuestionKind::Multiple { .. } => {
                Some(Answer::Choices(values.iter().filter_map(|x| x.parse().ok()).collect()))
            }
            QuestionKind::TrueFalse { .. } => first.and_then(|x| x.parse().ok()).map(Answer::Bool),
            QuestionKind::Matching { pairs } => {
                let chosen: Vec<usize> = (0..pairs.len())
                    .map(|i| field(f, &format!("{}.{i}", q.key)).parse().unwrap_or(usize::MAX))
                    .collect();
                Some(Answer::Pairs(chosen))
            }
            QuestionKind::ShortAnswer { .. } | QuestionKind::Comment => first.map(|t| Answer::Text(t.to_owned())),
            QuestionKind::Scale { .. } => first.and_then(|x| x.parse().ok()).map(Answer::Rating),
        };
        if let Some(a) = answer {
            out.insert(q.key.clone(), a);
        }
    }
    out
}

/// `POST /academy/attempts/{n}`: submits the answers.
pub(crate) async fn submit_attempt(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentCaller(caller): CurrentCaller,
    Path(n): Path<i64>,
    body: Bytes,
) -> Response {
    let v = match s.app.attempt_view(&caller, n).await {
        Ok(v) => v,
        Err(e) => return failure(&frame, e),
    };
    let answers = answers_of(&v, &fields(&body));
    match s.app.submit_attempt(&caller, n, answers).await {
        Ok(_) => see_other(&format!("/academy/attempts/{n}")),
        Err(AppError::Invalid { message, .. }) | Err(AppError::Conflict(message)) => {
            match s.app.attempt_view(&caller, n).await {
                Ok(v) => attempt_with(&frame, tr, &caller, v, Some(message), StatusCode::BAD_REQUEST),
                Err(e) => failure(&frame, e),
            }
        }
        Err(e) => failure(&frame, e),
    }
}

/// `POST /academy/attempts/{n}/grade`: a grader's marks (`mark.{key}`).
pub(crate) async fn grade_attempt(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentCaller(caller): CurrentCaller,
    Path(n): Path<i64>,
    body: Bytes,
) -> Response {
    let marks: BTreeMap<String, f64> = fields(&body)
        .into_iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("mark.")?.to_owned(), v.trim().replace(',', ".").parse().ok()?)))
        .collect();
    match s.app.grade_attempt(&caller, n, &marks).await {
        Ok(_) => see_other(&format!("/academy/attempts/{n}")),
        Err(AppError::Invalid { message, .. }) | Err(AppError::Conflict(message)) => {
            match s.app.attempt_view(&caller, n).await {
                Ok(v) => attempt_with(&frame, tr, &caller, v, Some(message), StatusCode::BAD_REQUEST),
                Err(e) => failure(&frame, e),
            }
        }
        Err(e) => failure(&frame, e),
    }
}

/// What the editor's address may say.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct EditParams {
    #[serde(default)]
    saved: bool,
    #[serde(default)]
    image: Option<i64>,
}

/// `GET /academy/courses/{id}/edit`: the draft's outline as YAML.
pub(crate) async fn edit_page(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentCaller(caller): CurrentCaller,
    Path(id): Path<String>,
    Query(p): Query<EditParams>,
) -> Response {
    let draft = match s.app.course_draft(&caller, &id).await {
        Ok(d) => d,
        Err(e) => return failure(&frame, e),
    };
    let yaml = serde_norway::to_string(&draft.outline).unwrap_or_default();
    edit_with(&frame, tr, &id, yaml, draft.versions, vec![], p.saved, p.image, StatusCode::OK)
}

#[allow(clippy::too_many_arguments)]
fn edit_with(
    frame: &Frame,
    tr: Tr,
    id: &str,
    outline: String,
    versions: Vec<(i64, String, i64)>,
    problems: Vec<String>,
    saved: bool,
    image: Option<i64>,
    status: StatusCode,
) -> Response {
    let page = EditTemplate {
        layout: Layout::new(frame, tr.t1("academy-edit-title", "id", id)),
        csrf: frame.csrf(),
        id: id.to_owned(),
        outline,
        versions: versions.into_iter().map(|(v, by, at)| (v, by, when(&tr, at))).collect(),
        problems,
        saved,
        image,
        tr,
    };
    render(status, &page)
}

/// `POST /academy/courses/{id}/edit`: saves the draft (`action=save`) or
/// saves and publishes it (`action=publish`).
pub(crate) async fn save_outline(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentCaller(caller): CurrentCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    if !may_author(&caller) {
        return failure(&frame, AppError::Forbidden(tr.t("academy-authors-only")));
    }
    let f = fields(&body);
    let yaml = f.iter().find(|(k, _)| k == "outline").map(|(_, v)| v.clone()).unwrap_or_default();
    let publish = field(&f, "action") == "publish";
    let versions = || async { s.app.course_draft(&caller, &id).await.map(|d| d.versions).unwrap_or_default() };
    let outline = match outline_from_yaml(&yaml) {
        Ok(o) => o,
        Err(e) => {
            return edit_with(
                &frame,
                tr,
                &id,
                yaml,
                versions().await,
                vec![e.to_string()],
                false,
                None,
                StatusCode::BAD_REQUEST,
            );
        }
    };
    if let Err(e) = s.app.save_course_draft(&caller, &id, &outline).await {
        return failure(&frame, e);
    }
    if publish {
        match s.app.publish_course(&caller, &id).await {
            Ok(_) => return see_other(&format!("/academy/courses/{}", path_segment(&id))),
            Err(AppError::Invalid { message, .. }) => {
                let problems = message.split("; ").map(str::to_owned).collect();
                return edit_with(
                    &frame,
                    tr,
                    &id,
                    yaml,
                    versions().await,
                    problems,
                    true,
                    None,
                    StatusCode::BAD_REQUEST,
                );
            }
            Err(e) => return failure(&frame, e),
        }
    }
    see_other(&format!("/academy/courses/{}/edit?saved=true", path_segment(&id)))
}

/// `POST /academy/images`: keeps a lesson image and goes back to the editor
/// with the Markdown that shows it.
pub(crate) async fn upload_image(
    State(s): State<AppState>,
    frame: Frame,
    CurrentCaller(caller): CurrentCaller,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    if !may_author(&caller) {
        return failure(&frame, AppError::Forbidden(frame.tr.t("academy-authors-only")));
    }
    let mut image = None;
    let mut course = String::new();
    if let Ok(mut m) = multipart {
        while let Ok(Some(f)) = m.next_field().await {
            match f.name() {
                Some("image") => image = f.bytes().await.ok(),
                Some("course") => course = f.text().await.unwrap_or_default(),
                _ => {}
            }
        }
    }
    let Some(bytes) = image else {
        return failure(
            &frame,
            AppError::Invalid { field: Some("image".into()), message: frame.tr.t("academy-no-image") },
        );
    };
    match s.app.upload_lesson_image(&caller, bytes.to_vec()).await {
        Ok(n) if veza_app::valid_course_id(course.trim()) => {
            see_other(&format!("/academy/courses/{}/edit?image={n}", course.trim()))
        }
        Ok(n) => see_other(&format!("/academy/images/{n}")),
        Err(e) => failure(&frame, e),
    }
}

/// `GET /academy/images/{n}`: a lesson image, `nosniff`, its sniffed type.
pub(crate) async fn image(State(s): State<AppState>, frame: Frame, Path(n): Path<i64>) -> Response {
    match s.app.lesson_image(n).await {
        Ok((media_type, bytes)) => {
            let ct = HeaderValue::from_str(&media_type).unwrap_or(HeaderValue::from_static("application/octet-stream"));
            (
                StatusCode::OK,
                [
                    (header::CONTENT_TYPE, ct),
                    (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
                    (header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=86400, immutable")),
                    (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox")),
                ],
                bytes,
            )
                .into_response()
        }
        Err(e) => failure(&frame, e),
    }
}

/// `GET /academy/assessments/{country}`: the gap chart, its table and the plan.
pub(crate) async fn assessment_page(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentCaller(caller): CurrentCaller,
    Path(country): Path<String>,
) -> Response {
    let a = match s.app.country_assessment(&caller, &country).await {
        Ok(a) => a,
        Err(e) => return failure(&frame, e),
    };
    let labels: BTreeMap<CapacityArea, String> = CapacityArea::ALL.iter().map(|x| (*x, area_label(&tr, *x))).collect();
    let caption = tr.t1("academy-assessment-title", "country", a.country.to_uppercase());
    let chart = if a.round > 0 {
        match veza_app::gap_chart_svg(&a, &labels, &caption) {
            Ok(svg) => svg,
            Err(e) => return failure(&frame, e),
        }
    } else {
        String::new()
    };
    let page = AssessmentTemplate {
        layout: Layout::new(&frame, caption.clone()),
        country: a.country.clone(),
        round: a.round,
        target: score(a.target),
        chart,
        areas: a
            .areas
            .iter()
            .map(|x| AreaRow {
                area: labels.get(&x.area).cloned().unwrap_or_default(),
                score: score(x.score),
                gap: score(x.gap),
                previous: x.previous.map(score).unwrap_or_default(),
                change: x.previous.map(|p| format!("{:+.1}", x.score - p)).unwrap_or_default(),
            })
            .collect(),
        plan: a
            .plan
            .iter()
            .map(|p| PlanRow {
                area: labels.get(&p.area).cloned().unwrap_or_default(),
                course: p.course.clone(),
                target_group: p.target_group.clone(),
                people: tr.number(u64::from(p.people)),
            })
            .collect(),
        agencies: a.agencies.join(", "),
        tr,
    };
    render(StatusCode::OK, &page)
}

/// `GET /academy/assessments/rounds/{n}`: the round's form (its respondent).
pub(crate) async fn round_page(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentCaller(caller): CurrentCaller,
    Path(n): Path<i64>,
) -> Response {
    match s.app.assessment_round(&caller, n).await {
        Ok(r) if r.submitted => see_other(&format!("/academy/assessments/{}", r.country)),
        Ok(r) => round_with(&frame, tr, r, &BTreeMap::new(), &[], StatusCode::OK),
        Err(e) => failure(&frame, e),
    }
}

fn round_with(
    frame: &Frame,
    tr: Tr,
    r: veza_app::AssessmentRound,
    given: &BTreeMap<String, u8>,
    errors: &[String],
    status: StatusCode,
) -> Response {
    let q = veza_app::questionnaire();
    let page = RoundTemplate {
        layout: Layout::new(frame, tr.t2("academy-round-of", "agency", r.agency.clone(), "round", r.round)),
        csrf: frame.csrf(),
        id: r.id,
        country: r.country.clone(),
        agency: r.agency.clone(),
        round: r.round,
        items: q
            .items
            .iter()
            .map(|i| ItemRow {
                key: i.key.clone(),
                area: area_label(&tr, i.area),
                text: i.text.clone(),
                choices: (0..=4u8).map(|v| (v, given.get(&i.key) == Some(&v))).collect(),
                error: errors.contains(&i.key),
            })
            .collect(),
        error_count: errors.len(),
        tr,
    };
    render(status, &page)
}

/// `POST /academy/assessments/rounds/{n}`: the respondent's ratings.
pub(crate) async fn answer_round(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentCaller(caller): CurrentCaller,
    Path(n): Path<i64>,
    body: Bytes,
) -> Response {
    let q = veza_app::questionnaire();
    let f = fields(&body);
    let given: BTreeMap<String, u8> =
        q.items.iter().filter_map(|i| Some((i.key.clone(), field(&f, &i.key).parse().ok()?))).collect();
    let missing: Vec<String> =
        q.items.iter().filter(|i| given.get(&i.key).is_none_or(|v| *v > 4)).map(|i| i.key.clone()).collect();
    if !missing.is_empty() {
        return match s.app.assessment_round(&caller, n).await {
            Ok(r) => round_with(&frame, tr, r, &given, &missing, StatusCode::BAD_REQUEST),
            Err(e) => failure(&frame, e),
        };
    }
    match s.app.answer_assessment(&caller, n, &given).await {
        Ok(r) => see_other(&format!("/academy/assessments/{}", r.country)),
        Err(e) => failure(&frame, e),
    }
}
