//! Trafficking indicators: the signs that a person may be a victim of
//! trafficking, and a reasoned assessment of the answers to them.
//!
//! The [`Catalogue`] is data (`data/indicators.toml`, embedded at build and
//! validated at load): the ILO/EC operational dimensions grouped into the
//! elements of the trafficking definition, each indicator with its strength
//! (strong, medium, weak), the exploitation purposes it points to, a question in
//! plain words and its source; UNODC's general indicators sit in a dimension of
//! their own that supports the reasoning but decides nothing.
//!
//! [`assess`] applies the ILO/EC combination rules to a set of answers and
//! returns an [`Assessment`]: per purpose, which dimensions are met and why,
//! which elements of the definition are there, and the overall advice —
//! "indications of trafficking for … exploitation" or "insufficient
//! indications" — with every step of the reasoning listed. It is advice for
//! the officer, never a verdict: the officer records the decision.
//!
//! ```
//! use veza_indicators::{Catalogue, Answers, AgeGroup, assess, Advice};
//! let catalogue = Catalogue::builtin();
//! let answers = Answers::observed(AgeGroup::Adult, ["dr-nature-of-work", "dr-conditions",
//!     "ec-excessive-hours", "ec-no-pay", "cd-documents", "cd-confinement"]);
//! let assessment = assess(catalogue, &answers).unwrap();
//! assert!(matches!(assessment.advice, Advice::Indications { .. }));
//! ```
//!
//! Pure: no files, no printing, no database.

#![warn(missing_docs)]

mod assess;
mod catalogue;

pub use assess::{
    Advice, AgeGroup, Answer, AnswerError, Answers, Assessment, DimensionFinding, ElementFinding, PurposeFinding,
    Reason, assess, dimension_met,
};
pub use catalogue::{Catalogue, CatalogueError, Dimension, Element, Indicator, Purpose, Strength};
