//! Generated values pass the model's own validation: phones per
//! libphonenumber, IBAN check digits, every entity of a scenario.

use veza_model::types::CleanContext;
use veza_model::{Model, PropertyType};
use veza_synth::dice::Dice;
use veza_synth::people::{iban, mobile_number};
use veza_synth::world::COUNTRIES;

#[test]
fn mobile_numbers_are_valid_for_their_country() {
    let mut d = Dice::stream(5, 0, 0);
    let mut bad = Vec::new();
    for c in COUNTRIES {
        for _ in 0..300 {
            let n = mobile_number(&mut d, c);
            match PropertyType::Phone.clean(&n, &CleanContext::default()) {
                Ok(clean) => assert_eq!(clean, n, "not canonical"),
                Err(_) => bad.push(n),
            }
        }
    }
    assert!(bad.is_empty(), "{} invalid, e.g. {:?}", bad.len(), &bad[..bad.len().min(20)]);
}

#[test]
fn ibans_have_valid_check_digits() {
    let mut d = Dice::stream(6, 0, 0);
    for c in ["rs", "me", "de", "ba", "xk", "at", "mk", "al", "hr", "bg", "gr", "hu", "si", "tr"] {
        for _ in 0..50 {
            let n = iban(&mut d, c).unwrap();
            assert_eq!(PropertyType::Iban.clean(&n, &CleanContext::default()).as_deref(), Ok(n.as_str()), "{c}");
        }
    }
}

#[test]
fn every_demo_entity_is_canonical_and_valid() {
    let model = Model::builtin();
    for e in veza_synth::demo_preset() {
        let back = veza_model::Entity::from_ftm(model, &e.to_ftm()).unwrap_or_else(|err| panic!("{}: {err:?}", e.id));
        assert_eq!(back.properties, e.properties, "{} is not canonical", e.id);
    }
}
