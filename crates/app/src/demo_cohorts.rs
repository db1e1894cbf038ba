//! The academy's demo: a cohort in progress with learners, a TtT graduate
//! with a national course and its trainees.
