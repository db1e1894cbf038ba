//! Veza's entity resolution engine: which records are the same person.
//!
//! Records of named fields, each of a [`FieldKind`], go in; clusters,
//! scored pairs, explanations and a [`Report`] come out. The steps:
//!
//! 1. **Compare** field by field into levels ([`compare`]): names exact,
//!    transliteration-equal, close, similar, phonetic or different; dates
//!    exact, day/month swapped, one-digit typo, year only, ±1 year;
//!    identifiers and phones after normalisation; places folded.
//! 2. **Model** ([`model`]): Fellegi–Sunter. u from random pairs; m by EM
//!    once per blocking key with that key's fields masked, no labels
//!    needed; the prior is the share of matches among all pairs, so a pair
//!    scores the same whichever key compared it. Labels, when an analyst
//!    gives them, are held fixed in EM. A shared rare value weighs more than
//!    a common one (term frequencies). An address that differs in every
//!    part counts once, not once per line, locality and postcode.
//! 3. **Block** ([`blocking`]): keys chosen from the data, reported with
//!    the pairs they compare and an estimate of their recall. Given name
//!    and surname block together in either order, as they compare.
//! 4. **Cluster** ([`cluster`]): components of strong links, rebuilt by
//!    average linkage of bounded log-odds so one bad link does not chain
//!    two people.
//! 5. **Explain** ([`explain`]): each field's level and weight per pair;
//!    the spanning links and weakest pair per cluster.
//!
//! [`Resolver::add`] resolves new records against existing clusters, and
//! [`Resolver::label`] takes analyst decisions. Pure: no I/O, no printing.
//!
//! ```
//! use veza_resolve::{Field, FieldKind, Record, Resolver, Schema, Settings, Silent};
//! let schema = Schema::new(vec![
//!     Field::new("first", FieldKind::GivenName),
//!     Field::new("last", FieldKind::Surname),
//!     Field::new("born", FieldKind::Date),
//! ]);
//! let r = |id: &str, a: &str, b: &str, c: &str| {
//!     Record::new(id, vec![Some(a.into()), Some(b.into()), Some(c.into())])
//! };
//! let records = vec![
//!     r("1", "Arben", "Krasniqi", "1985-03-07"),
//!     r("2", "ARBEN", "KRASNIQI", "1985-03-07"),
//!     r("3", "Milica", "Petrović", "1990-11-02"),
//!     r("4", "Jovan", "Nikolić", "1972-01-15"),
//!     r("5", "Ana", "Kovač", "2001-06-30"),
//!     r("6", "Dritan", "Hoxha", "1968-12-01"),
//!     r("7", "Sara", "Marković", "1995-04-21"),
//!     r("8", "Ilir", "Berisha", "1979-09-09"),
//! ];
//! // m, u and the prior are estimated from the records themselves: a
//! // handful of distinct people is the least that says what chance looks like.
//! let resolver = Resolver::resolve(schema, records, Settings::default(), &Silent).unwrap();
//! assert_eq!(resolver.cluster_of("1"), resolver.cluster_of("2"));
//! assert_ne!(resolver.cluster_of("1"), resolver.cluster_of("3"));
//! let why = resolver.explain_pair("1", "2").unwrap();
//! assert_eq!(why.fields[0].level, "exact");
//! ```

#![warn(missing_docs)]

pub mod blocking;
pub mod cluster;
pub mod compare;
pub mod explain;
pub mod model;
pub mod prepared;
pub mod record;
pub mod resolver;

pub use crate::explain::{ClusterExplanation, ClusterLink, FieldExplanation, PairExplanation};
pub use crate::record::{Field, FieldKind, Record, Schema};
pub use crate::resolver::{KeyReport, Label, Progress, Report, ResolveError, Resolver, Settings, Silent, Update};
