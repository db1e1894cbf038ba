//! Completion and certificates: a course's completion rule (modules
//! viewed, quizzes passed, minimum post-test score, facilitator sign-off),
//! the certificate a learner earns in a cohort, its verification code, the
//! public verification (name, course and date — nothing else), and the PDF.
//!
//! A verification code is 11 random Crockford base32 symbols (55 bits) and a
//! check symbol, written `XXXX-XXXX-XXXX`; typing mistakes (one wrong symbol,
//! `O` for `0`, `I`/`L` for `1`, lower case, missing dashes) are either
//! forgiven or caught by the check symbol before the store is asked.

use crate::cohorts::{AcademyStanding, LearnerProgress, academy_standing, username};
use crate::{Access, AppError, Veza};
use chrono::Utc;
use serde::Serialize;
use veza_store::audit::AuditAction;
use veza_store::cohorts::{Certificate, Cohort, CompletionRule, Trainer};

/// Crockford's base32 alphabet (no I, L, O, U).
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Random symbols in a verification code.
const CODE_RANDOM: usize = 11;

/// `n` random symbols of the alphabet (an invitation code, a certificate's body).
pub(crate) fn random_code(n: usize) -> Result<String, AppError> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("no randomness from the system: {e}")))?;
    Ok(bytes.iter().map(|b| ALPHABET[usize::from(b & 31)] as char).collect())
}

fn value(symbol: u8) -> Option<u32> {
    let s = match symbol.to_ascii_uppercase() {
        b'O' => b'0',
        b'I' | b'L' => b'1',
        s => s,
    };
    ALPHABET.iter().position(|&a| a == s).map(|p| p as u32)
}

/// The check symbol of a code's random part: Σ (2i+1)·vᵢ mod 32. Odd
/// weights make every single wrong symbol change it.
fn check_symbol(body: &[u32]) -> char {
    let sum: u32 = body.iter().enumerate().map(|(i, v)| (2 * i as u32 + 1) * v).sum();
    ALPHABET[(sum % 32) as usize] as char
}

/// A new verification code, `XXXX-XXXX-XXXX`.
pub fn new_verification_code() -> Result<String, AppError> {
    let body = random_code(CODE_RANDOM)?;
    let values: Vec<u32> = body.bytes().filter_map(value).collect();
    let full = format!("{body}{}", check_symbol(&values));
    Ok(format!("{}-{}-{}", &full[0..4], &full[4..8], &full[8..12]))
}

/// The canonical form of a typed verification code, or `None` when it
/// cannot be one (wrong length, symbols, or check symbol).
pub fn normalise_verification_code(typed: &str) -> Option<String> {
    let symbols: Vec<u8> = typed.bytes().filter(|b| !matches!(b, b'-' | b' ')).collect();
    if symbols.len() != CODE_RANDOM + 1 {
        return None;
    }
    let values: Vec<u32> = symbols.iter().map(|&b| value(b)).collect::<Option<_>>()?;
    let check = ALPHABET[values[CODE_RANDOM] as usize] as char;
    if check_symbol(&values[..CODE_RANDOM]) != check {
        return None;
    }
    let full: String = values.iter().map(|&v| ALPHABET[v as usize] as char).collect();
    Some(format!("{}-{}-{}", &full[0..4], &full[4..8], &full[8..12]))
}

/// What the public verification page shows: nothing else.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerifiedCertificate {
    /// The holder's name.
    pub name: String,
    /// The course.
    pub course: String,
    /// The day of issue.
    pub date: String,
}

/// Why a learner has not completed yet.
#[derive(Debug, Clone, PartialEq)]
pub enum Unmet {
    /// Not every scheduled module was opened.
    Modules {
        /// Opened.
        viewed: usize,
        /// Scheduled.
        total: usize,
    },
    /// Too few quizzes passed.
    Quizzes {
        /// Passed.
        passed: usize,
        /// Needed.
        needed: i64,
    },
    /// The best post-test is below the minimum (or missing).
    Score {
        /// Best post-test.
        best: Option<f64>,
        /// Minimum.
        needed: f64,
    },
    /// The facilitator has not signed off.
    SignOff,
}

/// The rule a course has when nobody set one: every module viewed.
pub fn default_rule(course_id: &str) -> CompletionRule {
    CompletionRule {
        course_id: course_id.to_owned(),
        all_modules_viewed: true,
        quizzes_passed: 0,
        min_score: 0.0,
        sign_off: false,
    }
}

/// What a learner still lacks under a rule (empty: complete).
pub fn unmet(rule: &CompletionRule, p: &LearnerProgress) -> Vec<Unmet> {
    let mut out = Vec::new();
    if rule.all_modules_viewed && p.modules_viewed < p.modules_total {
        out.push(Unmet::Modules { viewed: p.modules_viewed, total: p.modules_total });
    }
    if (p.quizzes_passed as i64) < rule.quizzes_passed {
        out.push(Unmet::Quizzes { passed: p.quizzes_passed, needed: rule.quizzes_passed });
    }
    if rule.min_score > 0.0 && p.best_post.is_none_or(|b| b < rule.min_score) {
        out.push(Unmet::Score { best: p.best_post, needed: rule.min_score });
    }
    if rule.sign_off && p.enrolment.signed_off_by.is_none() {
        out.push(Unmet::SignOff);
    }
    out
}

impl Veza {
    /// A course's completion rule (the default when none was set).
    pub async fn completion_rule(&self, course_id: &str) -> Result<CompletionRule, AppError> {
        Ok(self.store.completion_rule(course_id).await?.unwrap_or_else(|| default_rule(course_id)))
    }

    /// Sets a course's completion rule (academy administrators).
    pub async fn set_completion_rule(&self, access: &Access, rule: CompletionRule) -> Result<(), AppError> {
        if academy_standing(&access.caller) != AcademyStanding::Administrator {
            return Err(AppError::Forbidden("only academy administrators set completion rules".into()));
        }
        if !(0.0..=100.0).contains(&rule.min_score) || rule.quizzes_passed < 0 {
            return Err(AppError::Invalid {
                field: Some("min_score".into()),
                message: "the minimum score is 0–100 and the quizzes a count".into(),
            });
        }
        Ok(self.store.set_completion_rule(&rule, &access.caller.actor(), Utc::now().timestamp_micros()).await?)
    }

    /// What the caller (a learner of the cohort) still lacks, from their progress.
    pub async fn my_completion(&self, access: &Access, cohort_id: i64) -> Result<(Cohort, Vec<Unmet>), AppError> {
        let view = self.cohort_view(access, cohort_id).await?;
        let me = username(&access.caller);
        let progress = view
            .progress
            .iter()
            .find(|p| p.enrolment.learner == me)
            .ok_or_else(|| AppError::Forbidden("only the cohort's learners earn its certificate".into()))?;
        let rule = self.completion_rule(&view.cohort.course_id).await?;
        Ok((view.cohort.clone(), unmet(&rule, progress)))
    }

    /// Issues the caller's certificate for a cohort's course when they meet
    /// its completion rule (the same certificate when they hold one). A
    /// train-the-trainer course's certificate makes the holder a trainer.
    pub async fn claim_certificate(&self, access: &Access, cohort_id: i64) -> Result<Certificate, AppError> {
        let (cohort, missing) = self.my_completion(access, cohort_id).await?;
        if !missing.is_empty() {
            return Err(AppError::Conflict("the course is not complete yet".into()));
        }
        let me = username(&access.caller).to_owned();
        let holder_name = match self.store.learner(&me).await? {
            Some(p) => p.display_name,
            None => self.store.user(&me).await?.map(|u| u.display_name).unwrap_or_else(|| me.clone()),
        };
        let now = Utc::now();
        let certificate = Certificate {
            code: new_verification_code()?,
            learner: me.clone(),
            holder_name,
            course_id: cohort.course_id.clone(),
            course_title: cohort.course_title.clone(),
            cohort_id: Some(cohort.id),
            issued_on: now.date_naive().to_string(),
            issued_at: now.timestamp_micros(),
        };
        self.academy_audit(
            access,
            AuditAction::Collect,
            std::slice::from_ref(&me),
            &format!("certificate of {}", cohort.course_id),
        )
        .await?;
        let stored = self.store.issue_certificate(&certificate).await?;
        if cohort.course_kind == "ttt" && self.store.trainer(&me).await?.is_none() {
            let country = match &access.caller {
                veza_store::Caller::User { country, .. } => country.clone(),
                veza_store::Caller::System { .. } => String::new(),
            };
            let trainer = Trainer {
                username: me,
                certificate_code: stored.code.clone(),
                country,
                certified_on: stored.issued_on.clone(),
            };
            self.store.put_trainer(&trainer).await?;
        }
        Ok(stored)
    }

    /// The caller's certificates.
    pub async fn my_certificates(&self, access: &Access) -> Result<Vec<Certificate>, AppError> {
        let me = username(&access.caller).to_owned();
        if me.is_empty() {
            return Ok(Vec::new());
        }
        let list = self.store.certificates_of(&me).await?;
        if !list.is_empty() {
            self.academy_audit(access, AuditAction::Consult, std::slice::from_ref(&me), "own certificates").await?;
        }
        Ok(list)
    }

    /// A certificate for its holder or an academy administrator; anyone else
    /// gets `NotFound`.
    pub async fn certificate(&self, access: &Access, code: &str) -> Result<Certificate, AppError> {
        let gone = || AppError::NotFound("certificate".into());
        let code = normalise_verification_code(code).ok_or_else(gone)?;
        let c = self.store.certificate(&code).await?.ok_or_else(gone)?;
        let mine = c.learner == username(&access.caller);
        if !mine && academy_standing(&access.caller) != AcademyStanding::Administrator {
            return Err(gone());
        }
        self.academy_audit(
            access,
            AuditAction::Consult,
            std::slice::from_ref(&c.learner),
            &format!("certificate {code}"),
        )
        .await?;
        Ok(c)
    }

    /// The public verification: name, course and date of the certificate
    /// with this code, or `None` (a malformed code never reaches the store).
    pub async fn verify_certificate(&self, code: &str) -> Result<Option<VerifiedCertificate>, AppError> {
        let Some(code) = normalise_verification_code(code) else { return Ok(None) };
        Ok(self.store.certificate(&code).await?.map(|c| VerifiedCertificate {
            name: c.holder_name,
            course: c.course_title,
            date: c.issued_on,
        }))
    }

    /// A certificate's PDF (`reports/certificate.typ`).
    pub fn certificate_pdf(certificate: &Certificate, verify_url: &str) -> Result<Vec<u8>, AppError> {
        let data = Veza::certificate_data(certificate, verify_url);
        veza_report::render_pdf(include_str!("../reports/certificate.typ"), &data, &[], None)
            .map_err(|e| AppError::Internal(e.to_string()))
    }

    /// The data of a certificate's PDF (what `reports/certificate.typ` reads).
    pub fn certificate_data(certificate: &Certificate, verify_url: &str) -> serde_json::Value {
        serde_json::json!({
            "name": certificate.holder_name,
            "course": certificate.course_title,
            "date": certificate.issued_on,
            "code": certificate.code,
            "verify_url": verify_url,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_verify_and_forgive_the_usual_slips() {
        for _ in 0..200 {
            let code = new_verification_code().unwrap();
            assert_eq!(code.len(), 14);
            assert_eq!(normalise_verification_code(&code).as_deref(), Some(code.as_str()));
            let sloppy = code.replace('-', "").to_lowercase().replace('0', "o").replace('1', "l");
            assert_eq!(normalise_verification_code(&sloppy).as_deref(), Some(code.as_str()));
        }
    }

    #[test]
    fn one_wrong_symbol_is_caught() {
        let code = new_verification_code().unwrap().replace('-', "");
        for i in 0..CODE_RANDOM {
            for &other in ALPHABET.iter() {
                let mut bytes = code.clone().into_bytes();
                if bytes[i] == other {
                    continue;
                }
                bytes[i] = other;
                let typo = String::from_utf8(bytes).unwrap();
                assert_eq!(normalise_verification_code(&typo), None, "{typo}");
            }
        }
        assert_eq!(normalise_verification_code("ABCD"), None);
        assert_eq!(normalise_verification_code("../../etc/passwd"), None);
    }

    #[test]
    fn the_rule_lists_what_is_missing() {
        let progress = LearnerProgress {
            enrolment: veza_store::cohorts::Enrolment {
                cohort_id: 1,
                learner: "l".into(),
                display_name: "L".into(),
                enrolled_at: 0,
                signed_off_by: None,
            },
            modules_viewed: 2,
            modules_total: 3,
            quizzes_passed: 1,
            best_pre: Some(40.0),
            best_post: Some(70.0),
            viewed: vec![],
            certificate: None,
        };
        let strict = CompletionRule {
            course_id: "c".into(),
            all_modules_viewed: true,
            quizzes_passed: 2,
            min_score: 80.0,
            sign_off: true,
        };
        assert_eq!(unmet(&strict, &progress).len(), 4);
        let lenient =
            CompletionRule { all_modules_viewed: false, quizzes_passed: 1, min_score: 70.0, sign_off: false, ..strict };
        assert!(unmet(&lenient, &progress).is_empty());
    }
}
