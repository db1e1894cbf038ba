//! `veza-synth`: a reproducible synthetic scenario of trafficking in human
//! beings on the Balkan route, with the ground truth that lets screening,
//! entity resolution and network analysis be scored.
//!
//! The same seed and options give byte-identical output. Generation is
//! linear in the number of persons: the story (OCGs, victims, cases, calls,
//! payments, ads, notices) comes from one stream per OCG; the background
//! population from one stream per chunk of [`scenario::CHUNK`] persons, made
//! in parallel and written in chunk order. Everything but [`output`] is pure.

pub mod book;
pub mod dice;
pub mod names;
pub mod output;
pub mod people;
pub mod scenario;
pub mod script;
pub mod variation;
pub mod world;

use book::{Book, Maker};
use scenario::{CHUNK, Ctx, PERSONS_PER_OCG, StoryFacts, ocg_count};
pub use world::Agency;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Persons in the scenario (story and background).
    pub persons: u64,
    /// Master seed.
    pub seed: u64,
    /// Countries whose agencies hold data (lower-case alpha-2), in the order given.
    pub countries: Vec<&'static str>,
}

/// Bad options.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SynthError {
    /// A country code the scenario has no agencies for.
    #[error("unknown country '{0}': use codes of the region: {1}")]
    UnknownCountry(String, String),
    /// No country given.
    #[error("--countries is empty: give at least one of {0}")]
    NoCountry(String),
    /// Too few persons for the story.
    #[error("--persons {0} is too small: the scenario needs at least {1}")]
    TooFewPersons(u64, u64),
}

/// The smallest scenario: the story of two OCGs and a background.
pub const MIN_PERSONS: u64 = 2 * PERSONS_PER_OCG + 20;

impl Options {
    /// Reads a comma-separated list of country codes (`RS,BA,ME`), any case.
    pub fn parse_countries(list: &str) -> Result<Vec<&'static str>, SynthError> {
        let regional = world::regional_codes();
        let mut out = Vec::new();
        for raw in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let code = raw.to_ascii_lowercase();
            match regional.iter().find(|c| **c == code) {
                Some(c) if !out.contains(c) => out.push(*c),
                Some(_) => {}
                None => return Err(SynthError::UnknownCountry(raw.to_owned(), regional.join(",").to_uppercase())),
            }
        }
        if out.is_empty() {
            return Err(SynthError::NoCountry(regional.join(",").to_uppercase()));
        }
        Ok(out)
    }

    /// Checks the options.
    pub fn check(&self) -> Result<(), SynthError> {
        if self.countries.is_empty() {
            return Err(SynthError::NoCountry(world::regional_codes().join(",").to_uppercase()));
        }
        if self.persons < MIN_PERSONS {
            return Err(SynthError::TooFewPersons(self.persons, MIN_PERSONS));
        }
        Ok(())
    }

    /// The agencies that own the scenario's records.
    pub fn agencies(&self) -> Vec<Agency> {
        world::agencies(&self.countries)
    }
}

/// A generated scenario's parts, handed to a writer in order.
pub trait Sink {
    /// Receives the next part. Parts arrive in a fixed order.
    fn part(&mut self, book: Book) -> std::io::Result<()>;
}

/// What was generated.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Persons in the scenario.
    pub persons: u64,
    /// OCGs.
    pub groups: u64,
    /// One markdown table row per OCG.
    pub group_rows: Vec<String>,
    /// Entities by schema.
    pub counts: std::collections::BTreeMap<&'static str, u64>,
    /// Person records (rows of truth/records.csv).
    pub records: u64,
    /// Victims.
    pub victims: u64,
    /// OCG members.
    pub members: u64,
    /// Notices.
    pub notices: u64,
    /// Stolen and lost documents.
    pub stolen: u64,
}

/// Generates the scenario into `sink`, on up to `threads` threads; calls
/// `progress(done, total)` in persons as parts are handed over.
pub fn generate(
    options: &Options,
    threads: usize,
    sink: &mut dyn Sink,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Summary, GenerateError> {
    options.check()?;
    let agencies = options.agencies();
    let groups = ocg_count(options.persons);
    let ctx = Ctx {
        maker: Maker { agencies: &agencies, seed: options.seed },
        countries: &options.countries,
        persons: options.persons,
        background_start: groups * PERSONS_PER_OCG,
    };
    let mut summary = Summary { persons: options.persons, groups, ..Summary::default() };
    let (mut story, facts): (Book, StoryFacts) = scenario::story(&ctx, false);
    scenario::document_statuses(&ctx, &mut story);
    summary.group_rows = facts.groups;
    tally(&mut summary, &story);
    sink.part(story)?;
    progress(ctx.background_start, options.persons);
    let chunks = (options.persons - ctx.background_start).div_ceil(CHUNK);
    let threads = threads.max(1) as u64;
    let mut next = 0;
    while next < chunks {
        let wave: Vec<u64> = (next..(next + threads).min(chunks)).collect();
        let books: Vec<Book> = std::thread::scope(|s| {
            let handles: Vec<_> = wave
                .iter()
                .map(|c| {
                    s.spawn({
                        let ctx = &ctx;
                        move || scenario::background_chunk(ctx, *c, false)
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap_or_default()).collect()
        });
        for b in books {
            tally(&mut summary, &b);
            sink.part(b)?;
        }
        next += wave.len() as u64;
        progress((ctx.background_start + next * CHUNK).min(options.persons), options.persons);
    }
    Ok(summary)
}

fn tally(summary: &mut Summary, b: &Book) {
    for (k, v) in &b.counts {
        *summary.counts.entry(k).or_default() += v;
    }
    summary.records += b.records.len() as u64;
    summary.victims += b.victims.len() as u64;
    summary.members += b.members.len() as u64;
    summary.notices += b.notices.len() as u64;
    summary.stolen += b.stolen.len() as u64;
}

/// Why generation stopped.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// Bad options.
    #[error(transparent)]
    Options(#[from] SynthError),
    /// Writing failed.
    #[error("cannot write the scenario: {0}")]
    Io(#[from] std::io::Error),
}

/// The small scenario `veza serve --demo` loads: the Western Balkan six,
/// 400 persons, seed 2026 — as entities, not files.
pub fn demo_preset() -> Vec<veza_model::Entity> {
    let options = Options { persons: 400, seed: 2026, countries: world::WESTERN_BALKANS.to_vec() };
    let agencies = options.agencies();
    let groups = ocg_count(options.persons);
    let ctx = Ctx {
        maker: Maker { agencies: &agencies, seed: options.seed },
        countries: &options.countries,
        persons: options.persons,
        background_start: groups * PERSONS_PER_OCG,
    };
    let (mut book, _) = scenario::story(&ctx, true);
    scenario::document_statuses(&ctx, &mut book);
    for c in 0..(options.persons - ctx.background_start).div_ceil(CHUNK) {
        book.append(scenario::background_chunk(&ctx, c, true));
    }
    book.kept.unwrap_or_default()
}
