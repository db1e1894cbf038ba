//! Where the course pages meet the cohorts: opening a lesson of a module
//! counts as opening that module in every cohort of the course the learner
//! is enrolled in (once the module is open to them), so the completion rule
//! "every module viewed" is met by reading the lessons, not only by opening
//! the module's discussion.

use crate::{AppError, Veza};
use chrono::Utc;

impl Veza {
    /// Marks `module_key` viewed by `learner` in their cohorts of `course_id`
    /// where it is scheduled and already open.
    pub(crate) async fn module_opened_in_cohorts(
        &self,
        learner: &str,
        course_id: &str,
        module_key: &str,
    ) -> Result<(), AppError> {
        let today = Utc::now().date_naive().to_string();
        let now = Utc::now().timestamp_micros();
        for cohort in self.store.cohorts(None, Some(learner)).await? {
            if cohort.course_id != course_id {
                continue;
            }
            let scheduled = self.store.cohort_modules(cohort.id).await?;
            if scheduled.iter().any(|m| m.module_id == module_key && m.opens_on <= today) {
                self.store.mark_viewed(cohort.id, learner, module_key, now).await?;
            }
        }
        Ok(())
    }
}
