//! The demo's table-top exercise: a trafficking route through the region
//! on a synthetic scenario (seed 2027), ten injects with their expected
//! actions, teams of demo users, ready to start. A new user signs in as
//! `controller`, starts it and releases the first inject; the players see
//! it in their inbox.

use crate::Veza;
use crate::error::AppError;
use crate::exercise::{EXERCISE_PERSONS, exercise_record_id};
use veza_store::{Caller, NewInject, Part, Participant};

/// The demo exercise's id.
pub const DEMO_EXERCISE: &str = "ttx-demo";
/// The seed of its scenario.
const SEED: u64 = 2027;

/// Demo users and how they take part: (user, part, team).
const PARTICIPANTS: &[(&str, Part, &str)] = &[
    ("controller", Part::Controller, ""),
    ("border.rs", Part::Player, "border"),
    ("border.mk", Part::Player, "border"),
    ("ncb.ba", Part::Player, "ncb"),
    ("investigator.al", Part::Player, "investigation"),
    ("investigator.rs", Part::Player, "investigation"),
    ("analyst.mk", Part::Player, "investigation"),
    ("victims.xk", Part::Player, "victims"),
    ("trainer", Part::Evaluator, ""),
    ("programme", Part::Evaluator, ""),
];

/// (minutes, sender, teams, text, record schema to attach, expected actions as (action, objective)).
type Step = (
    i64,
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
);

const STEPS: &[Step] = &[
    (
        0,
        "EXDIR",
        &["all"],
        "STARTEX. A joint operation against a trafficking route from North Macedonia through Serbia to the EU begins. Checkpoints at Tabanovce, Preševo and Niš bus station report to the coordination centre.",
        &[],
        &[("Each team confirms it is on duty and names its point of contact", "O1 Coordination")],
    ),
    (
        5,
        "Border post Tabanovce",
        &["border"],
        "A coach from Skopje is checked. A passenger's name gives a possible hit on an INTERPOL notice (attached).",
        &["Notice"],
        &[
            ("Screen the passenger against the watchlists and open the notice", "O2 Screening at the front line"),
            ("Ask the NCB to confirm the hit before any arrest", "O3 Hit confirmation"),
        ],
    ),
    (
        10,
        "NCB Skopje",
        &["ncb"],
        "The border post asks you to confirm a notice hit. The notice's owner asks for a callback before any action.",
        &["Notice"],
        &[("Confirm the hit with the owner NCB and record the instruction", "O3 Hit confirmation")],
    ),
    (
        15,
        "Border post Preševo",
        &["border"],
        "A travel document presented at the crossing is reported stolen (attached report).",
        &["DocumentStatus"],
        &[
            ("Check the document against the lost and stolen reports", "O2 Screening at the front line"),
            ("Seize the document and record the seizure", "O5 Evidence"),
        ],
    ),
    (
        20,
        "Niš bus station patrol",
        &["victims", "border"],
        "A young woman without documents waits at the bus station with a man who holds her phone. She looks frightened and says she came for a job.",
        &["Victim"],
        &[
            ("Separate her from the man and offer an interpreter and a female officer", "O4 Victim identification"),
            (
                "Run the indicator interview and refer her to the national referral mechanism with consent",
                "O4 Victim identification",
            ),
        ],
    ),
    (
        30,
        "Investigation team, Belgrade",
        &["investigation"],
        "The man at the bus station is linked to a known case (attached). Look for the network around him.",
        &["Case"],
        &[
            ("Search the case and open its link chart", "O6 Network analysis"),
            ("Share the relevant records with the partner agency under a handling code", "O7 Information exchange"),
        ],
    ),
    (
        40,
        "Analysis unit, Skopje",
        &["investigation"],
        "Call records show repeated calls between the recruiter and an organisation (attached).",
        &["Organization"],
        &[("Resolve duplicate person records across agencies before charting", "O6 Network analysis")],
    ),
    (
        50,
        "Victim-support NGO",
        &["victims"],
        "The NGO shelter reports the possible victim asks to go home and fears for her family.",
        &[],
        &[("Record her wishes, assess the risk and follow up the referral's status", "O4 Victim identification")],
    ),
    (
        60,
        "NCB Sarajevo",
        &["ncb", "investigation"],
        "A partner NCB asks whether the passenger screened at Tabanovce is the same person as a suspect in its case.",
        &["Person"],
        &[("Answer through the NCB channel with only what the owner allows", "O7 Information exchange")],
    ),
    (
        75,
        "EXDIR",
        &["all"],
        "ENDEX. Prepare your input for the hot wash: one strength and one improvement per team.",
        &[],
        &[("Each team adds a strength and an improvement to the hot wash", "O1 Coordination")],
    ),
];

impl Veza {
    /// Creates the demo exercise (once): its scenario, participants and MSEL.
    /// Returns false when it exists already.
    pub async fn load_demo_exercise(&self) -> Result<bool, AppError> {
        if self.store.exercise(DEMO_EXERCISE).await?.is_some() {
            return Ok(false);
        }
        let platform = Caller::system("demo loader");
        self.create_exercise(&platform, "Demo: the Vardar route", SEED, Some(DEMO_EXERCISE)).await?;
        for (user, part, team) in PARTICIPANTS {
            let p = Participant {
                exercise_id: DEMO_EXERCISE.into(),
                username: (*user).into(),
                part: *part,
                team: (*team).into(),
            };
            self.store.put_participant(&p).await?;
        }
        // The records to attach: the first of each schema the scenario made.
        let options =
            veza_synth::Options { persons: EXERCISE_PERSONS, seed: SEED, countries: veza_synth::western_balkans() };
        let scenario = tokio::task::spawn_blocking(move || veza_synth::scenario_entities(&options))
            .await
            .map_err(|e| AppError::Internal(format!("generating the demo exercise's scenario: {e}")))?;
        let first = |schema: &str| {
            scenario.iter().find(|e| e.schema == schema).map(|e| exercise_record_id(DEMO_EXERCISE, &e.id))
        };
        for (n, (minutes, sender, teams, text, schemata, expected)) in STEPS.iter().enumerate() {
            let inject = NewInject {
                number: n as i64 + 1,
                offset_minutes: *minutes,
                sender: (*sender).into(),
                recipients: teams.iter().map(|t| (*t).to_owned()).collect(),
                content: (*text).into(),
                records: schemata.iter().filter_map(|s| first(s)).collect(),
                expected: expected.iter().map(|(a, o)| ((*a).to_owned(), (*o).to_owned())).collect(),
            };
            self.store.put_inject(DEMO_EXERCISE, &inject).await?;
        }
        Ok(true)
    }
}
