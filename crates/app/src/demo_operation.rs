//! The demo's running operation: "Operation Vardar Gate", coordinated by
//! Serbia's THB unit with checkpoints in Serbia, North Macedonia, Bosnia and
//! Herzegovina and Albania, screening against the demo's notices; a few
//! hundred checks of synthetic travellers, a hit on the red notice of the
//! demo scenario confirmed by NCB Skopje, and the arrest that followed; a
//! few synthetic stolen vehicles on the same watchlist, one van stopped at
//! Preševo with its plate (an exact hit) and one plate misread at Tabanovce
//! (a flagged OCR-confusion hit).

use crate::operations::*;
use crate::{Access, AppError, NewEntity, Veza};
use std::collections::BTreeMap;
use veza_store::Caller;

/// The demo operation's id.
pub const DEMO_OPERATION: &str = "op-vardar-gate";

const CHECKPOINTS: &[(&str, &str, &str, &str, &str, f64, f64)] = &[
    ("RS-PRE", "Preševo border crossing", "border_crossing", "rs", "rs-bp", 42.31, 21.65),
    ("MK-TAB", "Tabanovce border crossing", "border_crossing", "mk", "mk-bp", 42.21, 21.70),
    ("MK-SKP", "Skopje international airport", "airport", "mk", "mk-bp", 41.96, 21.62),
    ("BA-SAR", "Sarajevo bus station", "bus_station", "ba", "ba-bp", 43.86, 18.40),
    ("AL-TIA", "Tirana international airport", "airport", "al", "al-bp", 41.41, 19.72),
];

/// Synthetic stolen vehicles on INTERPOL's list (the demo's `demo-int-gs`
/// watchlist): (id, make and model, registration, registration country, reported).
const STOLEN_VEHICLES: &[(&str, &str, &str, &str, &str)] = &[
    ("smv-mk-sk7781cd", "Volkswagen Crafter", "SK-7781-CD", "mk", "2026-10-02"),
    ("smv-rs-bg214xk", "Mercedes-Benz Vito", "BG-214-XK", "rs", "2026-09-14"),
    ("smv-al-aa123bb", "Toyota Land Cruiser", "AA 123 BB", "al", "2026-08-30"),
    ("smv-ba-e41k772", "Škoda Octavia", "E41-K-772", "ba", "2026-11-01"),
];

const GIVEN: &[&str] = &["Ana", "Marko", "Elira", "Jovan", "Besnik", "Milica", "Amir", "Lejla", "Stefan", "Arta"];
const FAMILY: &[&str] = &["Kovač", "Hoxha", "Nikolić", "Begić", "Popovski", "Krasniqi", "Ilić", "Dervishi"];

impl Veza {
    /// Loads the demo operation (once: nothing happens when it exists).
    pub(crate) async fn load_demo_operation(&self) -> Result<(), AppError> {
        if self.store.operation(DEMO_OPERATION).await?.is_some() {
            return Ok(());
        }
        let today = chrono::Utc::now().date_naive();
        let op = Operation {
            id: DEMO_OPERATION.into(),
            code: "VARDAR-GATE".into(),
            name: "Operation Vardar Gate".into(),
            mode: OperationMode::Live,
            status: OperationStatus::Running,
            start_date: (today - chrono::Days::new(1)).to_string(),
            end_date: (today + chrono::Days::new(3)).to_string(),
            lead_agency: "rs-thb".into(),
            objectives: "Identify victims of trafficking on the Balkan route; locate wanted traffickers.".into(),
            created_by: "system:demo loader".into(),
            created_at: chrono::Utc::now().timestamp_micros(),
            changed_at: chrono::Utc::now().timestamp_micros(),
            countries: [("al", "NCB Tirana"), ("ba", "NCB Sarajevo"), ("mk", "NCB Skopje"), ("rs", "NCB Belgrade")]
                .iter()
                .map(|(c, n)| OperationCountry { country: (*c).into(), contact_ncb: (*n).into() })
                .collect(),
            agencies: ["al-bp", "ba-bp", "ba-ncb", "mk-bp", "mk-ncb", "mk-thb", "rs-bp", "rs-ncb", "rs-thb"]
                .iter()
                .map(|a| OperationAgency { agency: (*a).into(), coordinator: *a == "rs-thb" })
                .collect(),
            watchlists: vec![OperationWatchlist {
                dataset: "demo-int-gs".into(),
                instruction: "do not arrest; contact {ncb}".into(),
            }],
        };
        self.store.put_operation(&op).await?;
        self.load_demo_stolen_vehicles().await?;
        for (code, name, kind, country, agency, lat, lon) in CHECKPOINTS {
            let start = chrono::Utc::now().timestamp_micros() - 6 * 3_600_000_000;
            let cp = Checkpoint {
                id: 0,
                operation_id: op.id.clone(),
                code: (*code).into(),
                name: (*name).into(),
                kind: CheckpointKind::parse(kind).unwrap_or(CheckpointKind::BorderCrossing),
                country: (*country).into(),
                agency: (*agency).into(),
                latitude: Some(*lat),
                longitude: Some(*lon),
                shifts: vec![
                    Shift { team: format!("{code} team A"), starts_at: start, ends_at: start + 8 * 3_600_000_000 },
                    Shift {
                        team: format!("{code} team B"),
                        starts_at: start + 8 * 3_600_000_000,
                        ends_at: start + 16 * 3_600_000_000,
                    },
                ],
            };
            self.store.put_checkpoint(&cp).await?;
        }
        self.operations_cache.clear();
        // A few hundred travellers, in batches as terminals send them.
        let officer = Caller::user("border.mk", "mk-bp", "mk", &[veza_model::Role::BorderOfficer]);
        let mut n = 0usize;
        let mut hit_check = None;
        for batch in 0..6 {
            let mut checks = Vec::new();
            for i in 0..50 {
                n += 1;
                let cp = CHECKPOINTS[(batch + i) % CHECKPOINTS.len()].0;
                let name = format!("{} {}", GIVEN[n % GIVEN.len()], FAMILY[(n * 7 / 3) % FAMILY.len()]);
                let mut c = CheckInput {
                    checkpoint: cp.into(),
                    person: Some(PersonInput {
                        name: Some(name),
                        birth_date: Some(format!("{}", 1960 + n % 45)),
                        nationality: Some(["rs", "mk", "al", "ba", "xk"][n % 5].into()),
                        gender: Some(if n.is_multiple_of(2) { "female" } else { "male" }.into()),
                    }),
                    ..Default::default()
                };
                if n.is_multiple_of(9) {
                    c.vehicle =
                        Some(VehicleInput { registration: format!("SK-{:04}-AB", n), country: Some("mk".into()) });
                }
                checks.push(c);
            }
            if batch == 1 {
                // A van on the stolen-vehicles list, and a plate misread by
                // the camera at Tabanovce (1 read as I).
                for (cp, registration) in [("RS-PRE", "SK 7781 CD"), ("MK-TAB", "BG-2I4-XK")] {
                    checks.push(CheckInput {
                        checkpoint: cp.into(),
                        vehicle: Some(VehicleInput { registration: registration.into(), country: None }),
                        ..Default::default()
                    });
                }
            }
            if batch == 3 {
                checks.push(CheckInput {
                    checkpoint: "MK-TAB".into(),
                    person: Some(PersonInput {
                        name: Some("Dragan Stojanović".into()),
                        birth_date: Some("1974-05-12".into()),
                        nationality: Some("rs".into()),
                        gender: Some("male".into()),
                    }),
                    ..Default::default()
                });
            }
            let answers = self.run_checks(&officer, None, &op.id, &checks).await?;
            if let Some(a) = answers.iter().find(|a| a.hits.iter().any(|h| h.match_id == "notice-red-stojanovic")) {
                hit_check = Some(a.check_id);
            }
        }
        // NCB Skopje confirms the hit on its red notice; the person is arrested.
        let Some(check_id) = hit_check else { return Ok(()) };
        let ncb = Access::with_purpose(
            Caller::user("ncb.mk", "mk-ncb", "mk", &[veza_model::Role::NcbOfficer]),
            "operation VARDAR-GATE",
        )?;
        let hits = self.store.hits(&op.id, &HitFilter::default()).await?;
        let Some(hit) = hits.iter().find(|h| h.check_id == check_id) else { return Ok(()) };
        self.decide_hit(
            &ncb,
            &op.id,
            hit.id,
            HitStatus::Confirmed,
            HitAction::Arrested,
            "red notice 2023/41277 valid; extradition requested",
        )
        .await?;
        let mut properties = BTreeMap::new();
        let mut put = |k: &str, v: String| {
            properties.insert(k.to_owned(), vec![v]);
        };
        put("person", "p-stojanovic".into());
        put("operation", op.id.clone());
        put("notice", "notice-red-stojanovic".into());
        put("arrestingAgency", "mk-bp".into());
        put("country", "mk".into());
        put("legalBasis", "red_notice".into());
        put("custodyStatus", "extradition_proceedings".into());
        put("date", today.to_string());
        let arrest = NewEntity {
            id: Some("arrest-vardar-gate-1".into()),
            schema: "Arrest".into(),
            properties,
            handling: None,
            value_handling: BTreeMap::new(),
        };
        let bp = Access::with_purpose(
            Caller::user("border.mk", "mk-bp", "mk", &[veza_model::Role::BorderOfficer]),
            "operation VARDAR-GATE",
        )?;
        if let Err(e) = self.create_entity(&bp, arrest).await {
            tracing::warn!("demo arrest not recorded: {e}");
        }
        Ok(())
    }

    /// Writes the synthetic stolen vehicles to the operation's watchlist.
    async fn load_demo_stolen_vehicles(&self) -> Result<(), AppError> {
        let mut batch = Vec::new();
        for (id, name, registration, country, reported) in STOLEN_VEHICLES {
            let mut e = veza_model::Entity::new(*id, "Vehicle");
            e.provenance.owner = veza_model::Owner { agency: "int-gs".into(), country: "int".into() };
            e.provenance.source = veza_model::SourceRef { dataset: "demo-int-gs".into(), record: Some((*id).into()) };
            e.handling = veza_model::Handling { visibility: veza_model::Visibility::All, ..Default::default() };
            let description = format!("Reported stolen on {reported} (synthetic demo record)");
            let values = [
                ("name", *name),
                ("registrationNumber", *registration),
                ("country", *country),
                ("type", "motor vehicle"),
                ("description", description.as_str()),
            ];
            if let Err(errors) = e.add_all(self.model, values.iter().copied()) {
                return Err(AppError::Internal(format!("demo vehicle {id}: {errors:?}")));
            }
            e.complete(self.model);
            batch.push(e);
        }
        self.ensure_source("demo-int-gs", "Demo records of int-gs", "demo", "int-gs").await?;
        self.store.write_entities(&Caller::system("demo loader"), &batch).await?;
        self.screening.touch();
        Ok(())
    }
}
