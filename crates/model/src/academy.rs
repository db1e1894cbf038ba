//! The academy's course content as data: a [`CourseOutline`] holds modules of
//! lessons (Markdown), quizzes (tests and surveys) and question banks. It is
//! what an author edits, what a published version freezes, and what the
//! ready-made programmes are written in (YAML files read by the app).
//!
//! Grading is here too, because it depends only on a question and an
//! answer: [`grade`] scores what can be scored automatically and says which
//! answers wait for a grader (short answers, marked against their rubric).
//! [`draw`] picks a quiz's questions, the fixed ones and random draws from
//! banks, from a seed the caller chooses.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// What sort of course: a self-paced course, a small private online course
/// run in cohorts, or a train-the-trainer course whose graduates teach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CourseKind {
    /// Self-paced online course.
    Course,
    /// Small private online course (cohorts, invitation only).
    Spoc,
    /// Train-the-trainer course.
    Ttt,
}

impl CourseKind {
    /// Every kind.
    pub const ALL: [CourseKind; 3] = [CourseKind::Course, CourseKind::Spoc, CourseKind::Ttt];

    /// The stored and wire code (`course`, `spoc`, `ttt`).
    pub fn code(self) -> &'static str {
        match self {
            CourseKind::Course => "course",
            CourseKind::Spoc => "spoc",
            CourseKind::Ttt => "ttt",
        }
    }

    /// The kind of a code.
    pub fn parse(code: &str) -> Option<CourseKind> {
        CourseKind::ALL.into_iter().find(|k| k.code() == code.trim())
    }
}

/// A course's content: what a draft holds and a published version freezes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseOutline {
    /// Title.
    pub title: String,
    /// What the course is about, a paragraph.
    #[serde(default)]
    pub summary: String,
    /// Languages the course is offered in (locale tags: `en`, `sq`, `mk`, …).
    pub languages: Vec<String>,
    /// Who it is for (border police, THB coordinators, prosecutors, …).
    #[serde(default)]
    pub target_groups: Vec<String>,
    /// Modules, in order.
    #[serde(default)]
    pub modules: Vec<Module>,
    /// Quizzes, tests and surveys, referred to by key.
    #[serde(default)]
    pub quizzes: Vec<Quiz>,
    /// Question banks that quizzes draw from at random.
    #[serde(default)]
    pub banks: Vec<Bank>,
    /// Months after completion when the follow-up survey (level 3) is
    /// offered to a learner.
    #[serde(default = "default_follow_up_months")]
    pub follow_up_months: u32,
}

/// Three months: when the follow-up survey comes unless a course says otherwise.
pub const DEFAULT_FOLLOW_UP_MONTHS: u32 = 3;

fn default_follow_up_months() -> u32 {
    DEFAULT_FOLLOW_UP_MONTHS
}

/// A module: lessons, and the quiz that closes it, if any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Module {
    /// Key, unique in the course (`m1`).
    pub key: String,
    /// Title.
    pub title: String,
    /// Lessons, in order.
    #[serde(default)]
    pub lessons: Vec<Lesson>,
    /// The key of the module's quiz.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quiz: Option<String>,
}

/// A lesson: Markdown text (images are `/academy/images/{id}` links to
/// images stored in Veza), and a practice exercise on the platform's tools.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// Key, unique in the course (`m1-l1`).
    pub key: String,
    /// Title.
    pub title: String,
    /// The text, Markdown.
    #[serde(default)]
    pub body: String,
    /// A practice exercise the lesson opens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exercise: Option<Exercise>,
}

/// What a practice exercise asks the learner to do on the real tools, and
/// what result shows it was done.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// What to do.
    pub task: ExerciseTask,
    /// The exercise record the learner's check must find (an entity id of
    /// the exercise data: the notice, the stolen document, the person).
    pub expected: String,
}

/// The tool an exercise practises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExerciseTask {
    /// Screen a name against the watchlist; the expected record is a hit.
    ScreenName,
    /// Check a travel document; the expected record is the lost/stolen report.
    CheckDocument,
    /// Read a notice; the expected record is the notice opened.
    ReadNotice,
}

impl ExerciseTask {
    /// The code (`screen_name`, …).
    pub fn code(self) -> &'static str {
        match self {
            ExerciseTask::ScreenName => "screen_name",
            ExerciseTask::CheckDocument => "check_document",
            ExerciseTask::ReadNotice => "read_notice",
        }
    }
}

/// What a quiz is for: a module's quiz, the course's pre- or post-test
/// (knowledge gain, Kirkpatrick level 2), the reaction survey (level 1) or
/// the follow-up survey months later (level 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuizPurpose {
    /// Closes a module.
    Module,
    /// Taken before the course.
    PreTest,
    /// Taken after the course.
    PostTest,
    /// How the learner found the course (level 1).
    Reaction,
    /// Use at work, months later (level 3).
    FollowUp,
}

impl QuizPurpose {
    /// Every purpose.
    pub const ALL: [QuizPurpose; 5] = [
        QuizPurpose::Module,
        QuizPurpose::PreTest,
        QuizPurpose::PostTest,
        QuizPurpose::Reaction,
        QuizPurpose::FollowUp,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            QuizPurpose::Module => "module",
            QuizPurpose::PreTest => "pre_test",
            QuizPurpose::PostTest => "post_test",
            QuizPurpose::Reaction => "reaction",
            QuizPurpose::FollowUp => "follow_up",
        }
    }

    /// The purpose of a code.
    pub fn parse(code: &str) -> Option<QuizPurpose> {
        QuizPurpose::ALL.into_iter().find(|p| p.code() == code.trim())
    }

    /// Whether answers are scored (tests) or only collected (surveys).
    pub fn is_scored(self) -> bool {
        !matches!(self, QuizPurpose::Reaction | QuizPurpose::FollowUp)
    }
}

fn default_pass_percent() -> f64 {
    70.0
}

/// A quiz, test or survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quiz {
    /// Key, unique in the course.
    pub key: String,
    /// Title.
    pub title: String,
    /// What it is for.
    pub purpose: QuizPurpose,
    /// Minutes allowed from the start; the server refuses answers after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_limit_minutes: Option<u32>,
    /// Tries allowed per learner; none means unlimited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_attempts: Option<u32>,
    /// Share of the points needed to pass, 0–100.
    #[serde(default = "default_pass_percent")]
    pub pass_percent: f64,
    /// Questions every attempt asks.
    #[serde(default)]
    pub questions: Vec<Question>,
    /// Questions drawn at random per attempt.
    #[serde(default)]
    pub draws: Vec<Draw>,
}

/// Draw `count` questions at random from the bank `bank`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Draw {
    /// The bank's key.
    pub bank: String,
    /// How many.
    pub count: u32,
}

/// A named pool of questions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bank {
    /// Key, unique in the course.
    pub key: String,
    /// Title.
    pub title: String,
    /// The questions.
    pub questions: Vec<Question>,
}

fn default_points() -> f64 {
    1.0
}

/// A question (its kind's fields sit beside `key` and `prompt`; serde's
/// `flatten` rules out `deny_unknown_fields` here).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Key, unique in the course (over every quiz and bank).
    pub key: String,
    /// What is asked.
    pub prompt: String,
    /// Points for a full answer.
    #[serde(default = "default_points")]
    pub points: f64,
    /// The kind of answer and what is right.
    #[serde(flatten)]
    pub kind: QuestionKind,
}

/// The kind of a question and its key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuestionKind {
    /// One option is right.
    Single {
        /// The options.
        options: Vec<String>,
        /// Index of the right one.
        correct: usize,
    },
    /// Several options are right.
    Multiple {
        /// The options.
        options: Vec<String>,
        /// Indexes of the right ones.
        correct: Vec<usize>,
    },
    /// A statement, true or false.
    TrueFalse {
        /// Whether it is true.
        correct: bool,
    },
    /// Match each left item to its right item.
    Matching {
        /// (left, right) pairs as they belong together; the right sides are
        /// shown in another order.
        pairs: Vec<(String, String)>,
    },
    /// A short text marked by a grader against the rubric.
    ShortAnswer {
        /// What a full answer contains.
        rubric: String,
    },
    /// A rating from 1 to 5 (surveys; not scored).
    Scale {
        /// What 1 means.
        low: String,
        /// What 5 means.
        high: String,
    },
    /// Free text (surveys; not scored).
    Comment,
}

impl QuestionKind {
    /// The code of the kind (`single`, `multiple`, …).
    pub fn code(&self) -> &'static str {
        match self {
            QuestionKind::Single { .. } => "single",
            QuestionKind::Multiple { .. } => "multiple",
            QuestionKind::TrueFalse { .. } => "true_false",
            QuestionKind::Matching { .. } => "matching",
            QuestionKind::ShortAnswer { .. } => "short_answer",
            QuestionKind::Scale { .. } => "scale",
            QuestionKind::Comment => "comment",
        }
    }

    /// Whether the question counts towards a score.
    pub fn is_scored(&self) -> bool {
        !matches!(self, QuestionKind::Scale { .. } | QuestionKind::Comment)
    }
}

/// A learner's answer to one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Answer {
    /// The option chosen (single choice).
    Choice(usize),
    /// The options chosen (multiple choice).
    Choices(Vec<usize>),
    /// True or false.
    Bool(bool),
    /// For each left item, in order, the index of the right item chosen
    /// (indexes into the pairs as written).
    Pairs(Vec<usize>),
    /// Text (short answer, comment).
    Text(String),
    /// A rating 1–5.
    Rating(u8),
}

/// The outcome of grading one answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Grade {
    /// Points given automatically.
    Points(f64),
    /// A grader must mark it (short answers).
    ToGrader,
    /// Not scored (survey questions).
    Unscored,
}

/// Grades one answer (`None`: not answered). Single choice, true/false:
/// all or nothing; multiple choice: right picks minus wrong picks over the
/// right options, never below zero; matching: the share of pairs matched.
/// A missing or mistyped answer to a scored question gets 0, except a short
/// answer, which a grader marks even when empty.
pub fn grade(question: &Question, answer: Option<&Answer>) -> Grade {
    let full = question.points;
    match (&question.kind, answer) {
        (QuestionKind::Scale { .. } | QuestionKind::Comment, _) => Grade::Unscored,
        (QuestionKind::ShortAnswer { .. }, Some(Answer::Text(t))) if t.trim().is_empty() => Grade::Points(0.0),
        (QuestionKind::ShortAnswer { .. }, Some(Answer::Text(_))) => Grade::ToGrader,
        (QuestionKind::Single { correct, .. }, Some(Answer::Choice(c))) => {
            Grade::Points(if c == correct { full } else { 0.0 })
        }
        (QuestionKind::TrueFalse { correct }, Some(Answer::Bool(b))) => {
            Grade::Points(if b == correct { full } else { 0.0 })
        }
        (QuestionKind::Multiple { correct, options }, Some(Answer::Choices(chosen))) => {
            let chosen: HashSet<usize> = chosen.iter().copied().filter(|c| *c < options.len()).collect();
            let right: HashSet<usize> = correct.iter().copied().collect();
            if right.is_empty() {
                return Grade::Points(if chosen.is_empty() { full } else { 0.0 });
            }
            let hits = chosen.intersection(&right).count() as f64;
            let wrong = chosen.difference(&right).count() as f64;
            Grade::Points((full * (hits - wrong) / right.len() as f64).max(0.0))
        }
        (QuestionKind::Matching { pairs }, Some(Answer::Pairs(chosen))) => {
            if pairs.is_empty() {
                return Grade::Points(full);
            }
            let right = chosen.iter().enumerate().filter(|(i, c)| i == *c).count().min(pairs.len());
            Grade::Points(full * right as f64 / pairs.len() as f64)
        }
        _ => Grade::Points(0.0),
    }
}

/// A question's points, rounded to hundredths, within 0 and its full
/// points: the bounds of what a grader may give.
pub fn clamp_points(question: &Question, points: f64) -> f64 {
    let p = if points.is_finite() { points } else { 0.0 };
    (p.clamp(0.0, question.points) * 100.0).round() / 100.0
}

/// A small, portable random stream (SplitMix64) for draws: the same seed
/// gives the same questions on every machine.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl CourseOutline {
    /// The quiz with key `key`.
    pub fn quiz(&self, key: &str) -> Option<&Quiz> {
        self.quizzes.iter().find(|q| q.key == key)
    }

    /// The course's quiz for `purpose` (the first one, for pre- and post-tests and surveys).
    pub fn quiz_for(&self, purpose: QuizPurpose) -> Option<&Quiz> {
        self.quizzes.iter().find(|q| q.purpose == purpose)
    }

    /// The lesson with key `key`, with its module.
    pub fn lesson(&self, key: &str) -> Option<(&Module, &Lesson)> {
        self.modules.iter().find_map(|m| m.lessons.iter().find(|l| l.key == key).map(|l| (m, l)))
    }

    /// Every lesson in order.
    pub fn lessons(&self) -> impl Iterator<Item = &Lesson> {
        self.modules.iter().flat_map(|m| m.lessons.iter())
    }

    /// The question with key `key`, in a quiz or a bank.
    pub fn question(&self, key: &str) -> Option<&Question> {
        self.quizzes
            .iter()
            .flat_map(|q| q.questions.iter())
            .chain(self.banks.iter().flat_map(|b| b.questions.iter()))
            .find(|q| q.key == key)
    }

    /// The keys of the questions one attempt at `quiz` asks: its fixed
    /// questions, then for each draw `count` distinct questions of the bank
    /// chosen by `seed` (a partial Fisher–Yates shuffle).
    pub fn draw(&self, quiz: &Quiz, seed: u64) -> Vec<String> {
        let mut keys: Vec<String> = quiz.questions.iter().map(|q| q.key.clone()).collect();
        let mut state = seed;
        for d in &quiz.draws {
            let Some(bank) = self.banks.iter().find(|b| b.key == d.bank) else { continue };
            let mut pool: Vec<&Question> = bank.questions.iter().collect();
            let n = (d.count as usize).min(pool.len());
            for i in 0..n {
                let j = i + (next(&mut state) % (pool.len() - i) as u64) as usize;
                pool.swap(i, j);
                keys.push(pool[i].key.clone());
            }
        }
        keys
    }

    /// What is wrong with the outline, each problem naming its place
    /// (`quizzes[pre].questions[q1]: …`); empty when it can be published.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.title.trim().is_empty() {
            out.push("title: a course needs a title".to_owned());
        }
        if self.languages.is_empty() {
            out.push("languages: name at least one language the course is offered in".to_owned());
        }
        if !(1..=36).contains(&self.follow_up_months) {
            out.push("follow_up_months: the follow-up survey comes 1 to 36 months after completion".to_owned());
        }
        let mut keys = HashSet::new();
        let mut unique = |place: String, key: &str, out: &mut Vec<String>| {
            if key.trim().is_empty() {
                out.push(format!("{place}: a key is needed"));
            } else if !keys.insert(key.to_owned()) {
                out.push(format!("{place}: the key '{key}' is used twice"));
            }
        };
        for m in &self.modules {
            unique(format!("modules[{}]", m.key), &m.key, &mut out);
            for l in &m.lessons {
                unique(format!("modules[{}].lessons[{}]", m.key, l.key), &l.key, &mut out);
            }
            if let Some(q) = &m.quiz
                && self.quiz(q).is_none()
            {
                out.push(format!("modules[{}].quiz: no quiz '{q}'", m.key));
            }
        }
        for q in &self.quizzes {
            unique(format!("quizzes[{}]", q.key), &q.key, &mut out);
            if !(0.0..=100.0).contains(&q.pass_percent) {
                out.push(format!("quizzes[{}].pass_percent: between 0 and 100", q.key));
            }
            if q.max_attempts == Some(0) {
                out.push(format!("quizzes[{}].max_attempts: at least 1, or leave it out", q.key));
            }
            if q.time_limit_minutes == Some(0) {
                out.push(format!("quizzes[{}].time_limit_minutes: at least 1, or leave it out", q.key));
            }
            if q.questions.is_empty() && q.draws.is_empty() {
                out.push(format!("quizzes[{}]: a quiz needs questions", q.key));
            }
            for question in &q.questions {
                unique(format!("quizzes[{}].questions[{}]", q.key, question.key), &question.key, &mut out);
                question_problems(&format!("quizzes[{}].questions[{}]", q.key, question.key), question, &mut out);
            }
            for d in &q.draws {
                match self.banks.iter().find(|b| b.key == d.bank) {
                    None => out.push(format!("quizzes[{}].draws: no bank '{}'", q.key, d.bank)),
                    Some(b) if d.count as usize > b.questions.len() || d.count == 0 => out.push(format!(
                        "quizzes[{}].draws[{}]: draw 1 to {} questions",
                        q.key,
                        d.bank,
                        b.questions.len()
                    )),
                    Some(_) => {}
                }
            }
        }
        for p in [QuizPurpose::PreTest, QuizPurpose::PostTest] {
            if self.quizzes.iter().filter(|q| q.purpose == p).count() > 1 {
                out.push(format!("quizzes: at most one {}", p.code()));
            }
        }
        for b in &self.banks {
            unique(format!("banks[{}]", b.key), &b.key, &mut out);
            for question in &b.questions {
                unique(format!("banks[{}].questions[{}]", b.key, question.key), &question.key, &mut out);
                question_problems(&format!("banks[{}].questions[{}]", b.key, question.key), question, &mut out);
            }
        }
        out
    }
}

fn question_problems(place: &str, q: &Question, out: &mut Vec<String>) {
    if q.prompt.trim().is_empty() {
        out.push(format!("{place}.prompt: a question needs its text"));
    }
    if !(q.points.is_finite() && q.points >= 0.0) {
        out.push(format!("{place}.points: zero or more"));
    }
    match &q.kind {
        QuestionKind::Single { options, correct } => {
            if options.len() < 2 {
                out.push(format!("{place}.options: at least two"));
            }
            if *correct >= options.len() {
                out.push(format!("{place}.correct: option {correct} does not exist"));
            }
        }
        QuestionKind::Multiple { options, correct } => {
            if options.len() < 2 {
                out.push(format!("{place}.options: at least two"));
            }
            if correct.iter().any(|c| *c >= options.len()) {
                out.push(format!("{place}.correct: names an option that does not exist"));
            }
        }
        QuestionKind::Matching { pairs } if pairs.len() < 2 => {
            out.push(format!("{place}.pairs: at least two pairs"));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(key: &str, kind: QuestionKind) -> Question {
        Question { key: key.into(), prompt: "?".into(), points: 2.0, kind }
    }

    #[test]
    fn choices_true_false_and_matching_are_graded_automatically() {
        let single = q("a", QuestionKind::Single { options: vec!["x".into(), "y".into()], correct: 1 });
        assert_eq!(grade(&single, Some(&Answer::Choice(1))), Grade::Points(2.0));
        assert_eq!(grade(&single, Some(&Answer::Choice(0))), Grade::Points(0.0));
        assert_eq!(grade(&single, None), Grade::Points(0.0));
        let tf = q("b", QuestionKind::TrueFalse { correct: false });
        assert_eq!(grade(&tf, Some(&Answer::Bool(false))), Grade::Points(2.0));
        assert_eq!(grade(&tf, Some(&Answer::Choice(0))), Grade::Points(0.0), "a mistyped answer scores nothing");
        let multi =
            q("c", QuestionKind::Multiple { options: vec!["a".into(), "b".into(), "c".into()], correct: vec![0, 2] });
        assert_eq!(grade(&multi, Some(&Answer::Choices(vec![0, 2]))), Grade::Points(2.0));
        assert_eq!(grade(&multi, Some(&Answer::Choices(vec![0]))), Grade::Points(1.0));
        assert_eq!(grade(&multi, Some(&Answer::Choices(vec![0, 1, 2]))), Grade::Points(1.0));
        assert_eq!(grade(&multi, Some(&Answer::Choices(vec![1]))), Grade::Points(0.0), "never below zero");
        let matching = q(
            "d",
            QuestionKind::Matching {
                pairs: vec![("red".into(), "arrest".into()), ("yellow".into(), "missing".into())],
            },
        );
        assert_eq!(grade(&matching, Some(&Answer::Pairs(vec![0, 1]))), Grade::Points(2.0));
        assert_eq!(grade(&matching, Some(&Answer::Pairs(vec![1, 1]))), Grade::Points(1.0));
    }

    #[test]
    fn short_answers_go_to_a_grader_and_surveys_are_unscored() {
        let short = q("e", QuestionKind::ShortAnswer { rubric: "names the act, means and purpose".into() });
        assert_eq!(grade(&short, Some(&Answer::Text("recruitment by deception".into()))), Grade::ToGrader);
        assert_eq!(grade(&short, Some(&Answer::Text("  ".into()))), Grade::Points(0.0));
        let scale = q("f", QuestionKind::Scale { low: "no".into(), high: "yes".into() });
        assert_eq!(grade(&scale, Some(&Answer::Rating(4))), Grade::Unscored);
        assert_eq!(clamp_points(&short, 7.0), 2.0);
        assert_eq!(clamp_points(&short, -1.0), 0.0);
        assert_eq!(clamp_points(&short, f64::NAN), 0.0);
    }

    fn outline() -> CourseOutline {
        let bank = (0..10).map(|i| q(&format!("b{i}"), QuestionKind::TrueFalse { correct: true })).collect::<Vec<_>>();
        CourseOutline {
            title: "T".into(),
            summary: String::new(),
            languages: vec!["en".into()],
            target_groups: vec![],
            modules: vec![],
            quizzes: vec![Quiz {
                key: "pre".into(),
                title: "Pre".into(),
                purpose: QuizPurpose::PreTest,
                time_limit_minutes: Some(10),
                max_attempts: Some(1),
                pass_percent: 50.0,
                questions: vec![q("fixed", QuestionKind::TrueFalse { correct: true })],
                draws: vec![Draw { bank: "bank".into(), count: 3 }],
            }],
            banks: vec![Bank { key: "bank".into(), title: "Bank".into(), questions: bank }],
            follow_up_months: DEFAULT_FOLLOW_UP_MONTHS,
        }
    }

    #[test]
    fn draws_are_distinct_from_the_bank_and_follow_the_seed() {
        let o = outline();
        let quiz = &o.quizzes[0];
        let a = o.draw(quiz, 1);
        assert_eq!(a.len(), 4);
        assert_eq!(a[0], "fixed");
        let drawn: HashSet<&String> = a[1..].iter().collect();
        assert_eq!(drawn.len(), 3, "no question twice");
        assert!(a[1..].iter().all(|k| k.starts_with('b')));
        assert_eq!(o.draw(quiz, 1), a, "same seed, same questions");
        let differs = (2..20).any(|s| o.draw(quiz, s) != a);
        assert!(differs, "other seeds draw other questions");
        assert!(o.problems().is_empty(), "{:?}", o.problems());
    }

    #[test]
    fn problems_name_their_place() {
        let mut o = outline();
        o.quizzes[0].draws[0].count = 11;
        o.quizzes[0].questions.push(q("b1", QuestionKind::Single { options: vec!["x".into()], correct: 3 }));
        o.modules.push(Module { key: "m1".into(), title: "M".into(), lessons: vec![], quiz: Some("nope".into()) });
        let p = o.problems().join("\n");
        assert!(p.contains("quizzes[pre].draws[bank]: draw 1 to 10"), "{p}");
        assert!(p.contains("the key 'b1' is used twice"), "{p}");
        assert!(p.contains("quizzes[pre].questions[b1].correct"), "{p}");
        assert!(p.contains("modules[m1].quiz: no quiz 'nope'"), "{p}");
    }

    #[test]
    fn outlines_and_answers_round_trip_through_json() {
        let o = outline();
        let json = serde_json::to_string(&o).unwrap();
        assert_eq!(serde_json::from_str::<CourseOutline>(&json).unwrap(), o);
        let a = Answer::Pairs(vec![1, 0]);
        assert_eq!(serde_json::to_string(&a).unwrap(), r#"{"kind":"pairs","value":[1,0]}"#);
        assert_eq!(CourseKind::parse("spoc"), Some(CourseKind::Spoc));
        assert_eq!(QuizPurpose::parse("post_test"), Some(QuizPurpose::PostTest));
    }
}
