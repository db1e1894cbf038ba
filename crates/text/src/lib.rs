//! Text engine of Veza: folding of names and identifiers so that search and
//! matching ignore case, accents and script.
//!
//! Pure functions only: no I/O, no allocation beyond the returned strings.
//!
//! ```
//! use veza_text::fold;
//! assert_eq!(fold("José"), "jose");
//! assert_eq!(fold("Petrović"), "petrovic");
//! assert_eq!(fold("Петровић"), "petrovic");
//! assert_eq!(fold("Đorđe"), "djordje");
//! ```

mod cyrillic;
mod fold;

pub use fold::{fold, fold_identifier, tokens};
