//! Veza's domain model: FollowTheMoney-compatible schemata loaded from data,
//! typed property values with validation and normalisation, and entities that
//! carry their provenance (owner, source, times, retention) and handling
//! (who may see them, on what conditions).
//!
//! ```
//! use veza_model::{Model, Entity};
//! let model = Model::builtin();
//! let person = model.schema("Person").unwrap();
//! assert!(person.is_a("LegalEntity"));
//! let mut e = Entity::new("p1", "Person");
//! e.add(&model, "name", "Ana Kovač").unwrap();
//! e.add(&model, "birthDate", "1987-03").unwrap();
//! assert_eq!(e.first("birthDate"), Some("1987-03"));
//! ```

pub mod academy;
pub mod assessment;
pub mod date;
pub mod entity;
pub mod error;
pub mod handling;
pub mod role;
pub mod schema;
pub mod types;

pub use date::PartialDate;
pub use entity::{Entity, Owner, Provenance, SourceRef, Statement, valid_exercise_id};
pub use error::{ModelError, ValueError};
pub use handling::{Handling, Visibility};
pub use role::{Role, UnknownRole};
pub use schema::{Model, Property, Schema};
pub use types::{CleanContext, PropertyType};
