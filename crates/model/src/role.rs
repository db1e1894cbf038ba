//! The roles a user can hold. A user holds one or more; what each may do is
//! decided by the policy and the use cases, not here.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A role in an agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Checks people and documents at a border crossing.
    BorderOfficer,
    /// Works cases in a criminal police or THB unit.
    Investigator,
    /// Analyses networks, flows and trends.
    Analyst,
    /// Officer of an INTERPOL National Central Bureau.
    NcbOfficer,
    /// National anti-trafficking (THB) coordinator.
    ThbCoordinator,
    /// Prosecutor of assigned cases.
    Prosecutor,
    /// Judge of assigned cases.
    Judge,
    /// Victim-support officer.
    VictimSupport,
    /// Teaches courses and runs exercises in the academy.
    Trainer,
    /// Takes courses in the academy.
    Learner,
    /// Manages the capacity-building programme.
    ProgrammeManager,
    /// Runs a table-top exercise.
    ExerciseController,
    /// Administers users, agencies and settings.
    Administrator,
    /// Data-protection officer: reviews who accessed what, when and why.
    DataProtectionOfficer,
    /// Runs the academy: courses, needs assessments, respondents, grading.
    AcademyAdministrator,
}

impl Role {
    /// Every role, in a fixed order.
    pub const ALL: [Role; 15] = [
        Role::BorderOfficer,
        Role::Investigator,
        Role::Analyst,
        Role::NcbOfficer,
        Role::ThbCoordinator,
        Role::Prosecutor,
        Role::Judge,
        Role::VictimSupport,
        Role::Trainer,
        Role::Learner,
        Role::ProgrammeManager,
        Role::ExerciseController,
        Role::Administrator,
        Role::DataProtectionOfficer,
        Role::AcademyAdministrator,
    ];

    /// The stored and wire name (`border_officer`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::BorderOfficer => "border_officer",
            Role::Investigator => "investigator",
            Role::Analyst => "analyst",
            Role::NcbOfficer => "ncb_officer",
            Role::ThbCoordinator => "thb_coordinator",
            Role::Prosecutor => "prosecutor",
            Role::Judge => "judge",
            Role::VictimSupport => "victim_support",
            Role::Trainer => "trainer",
            Role::Learner => "learner",
            Role::ProgrammeManager => "programme_manager",
            Role::ExerciseController => "exercise_controller",
            Role::Administrator => "administrator",
            Role::DataProtectionOfficer => "data_protection_officer",
            Role::AcademyAdministrator => "academy_administrator",
        }
    }

    /// The name people read (`Border officer`).
    pub fn label(self) -> &'static str {
        match self {
            Role::BorderOfficer => "Border officer",
            Role::Investigator => "Investigator",
            Role::Analyst => "Analyst",
            Role::NcbOfficer => "NCB officer",
            Role::ThbCoordinator => "National THB coordinator",
            Role::Prosecutor => "Prosecutor",
            Role::Judge => "Judge",
            Role::VictimSupport => "Victim-support officer",
            Role::Trainer => "Trainer",
            Role::Learner => "Learner",
            Role::ProgrammeManager => "Programme manager",
            Role::ExerciseController => "Exercise controller",
            Role::Administrator => "Administrator",
            Role::DataProtectionOfficer => "Data-protection officer",
            Role::AcademyAdministrator => "Academy administrator",
        }
    }

    /// The role of a stored or typed name; `-` and `_` are the same, case is ignored.
    pub fn parse(s: &str) -> Option<Role> {
        let s = s.trim().to_ascii_lowercase().replace('-', "_");
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is no role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRole(pub String);

impl fmt::Display for UnknownRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        write!(f, "unknown role '{}': use one of {}", self.0, names.join(", "))
    }
}

impl std::error::Error for UnknownRole {}

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Role, UnknownRole> {
        Role::parse(s).ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_serde() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
            assert_eq!(serde_json::to_string(&r).unwrap(), format!("\"{}\"", r.as_str()));
            assert!(!r.label().is_empty());
        }
        assert_eq!("NCB-Officer".parse::<Role>(), Ok(Role::NcbOfficer));
        assert!("chief".parse::<Role>().unwrap_err().to_string().contains("border_officer"));
    }
}
