//! Screening engine of Veza: finds a person in watchlists across scripts,
//! spellings, name orders and typos, scores each candidate with name, birth
//! date, gender, nationality and documents, and explains every score; and
//! checks documents against lost/stolen lists and registration plates
//! against stolen or wanted vehicles.
//!
//! Pure: no I/O. A caller (the CLI, a web handler) builds a [`Watchlist`]
//! once, keeps it in memory (it is `Send + Sync`), and screens with
//! [`Watchlist::screen`] or [`Watchlist::screen_batch`]. Each [`Hit`] has a
//! score in [0, 1] and [`Explanation`]s that serialise to yente's
//! `explanations` object.
//!
//! ```
//! use veza_screen::{Person, BirthDate, Watchlist, ScreenOptions};
//! let mut entry = Person::named("WL1", "Ђорђе Петровић");
//! entry.birth_dates.push(BirthDate::parse("1980-05-07").unwrap());
//! let list = Watchlist::build([entry]);
//! let mut query = Person::named("q1", "DJORDJE PETROVIC");
//! query.birth_dates.push(BirthDate::parse("1980").unwrap());
//! let hits = list.screen(&query, &ScreenOptions::default());
//! assert_eq!(hits[0].id, "WL1");
//! assert!(hits[0].score >= 0.9);
//! ```

mod documents;
mod explain;
mod forms;
mod index;
mod record;
mod score;
mod screen;
mod vehicles;

pub use documents::{DocumentIndex, DocumentMatch, DocumentMatchKind};
pub use explain::{Explanation, Feature};
pub use forms::{NameForm, name_forms};
pub use index::Watchlist;
pub use record::{BadDate, BirthDate, Gender, Person, split_issuing_country};
pub use score::{
    DateRule, DateTolerance, NameComparison, Weights, best_date, compare_dates, compare_names, token_credit,
};
pub use screen::{Hit, Scratch, ScreenOptions};
pub use vehicles::{MIN_REGISTRATION_LEN, VehicleIndex, VehicleMatch, VehicleMatchKind};
