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

/// One piece of work: a story part or a background chunk.
enum Job {
    Story(u64),
    Background(u64),
}

fn run_job(ctx: &Ctx, job: &Job) -> (Book, StoryFacts) {
    match job {
        Job::Story(p) => scenario::story_part(ctx, *p, false),
        Job::Background(c) => (scenario::background_chunk(ctx, *c, false), StoryFacts::default()),
    }
}

/// Generates the scenario into `sink`, on up to `threads` threads; calls
/// `progress(done, total)` in persons as parts are handed over. Parts are
/// made in parallel and handed over in a fixed order, so the output does
/// not depend on `threads`.
pub fn generate(
    options: &Options,
    threads: usize,
    sink: &mut dyn Sink,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Summary, GenerateError> {
    use std::sync::atomic::{AtomicUsize, Ordering};
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
    let parts = scenario::story_parts(options.persons);
    let chunks = (options.persons - ctx.background_start).div_ceil(CHUNK);
    let jobs: Vec<Job> = (0..parts).map(Job::Story).chain((0..chunks).map(Job::Background)).collect();
    let next_job = AtomicUsize::new(0);
    let threads = threads.max(1).min(jobs.len().max(1));
    let mut stolen = Vec::new();
    let mut done = 0u64;
    std::thread::scope(|s| -> Result<(), GenerateError> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Book, StoryFacts)>(threads * 2);
        for _ in 0..threads {
            let tx = tx.clone();
            let (ctx, jobs, next_job) = (&ctx, &jobs, &next_job);
            s.spawn(move || {
                loop {
                    let i = next_job.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = jobs.get(i) else { break };
                    let (book, facts) = run_job(ctx, job);
                    if tx.send((i, book, facts)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut waiting: std::collections::BTreeMap<usize, (Book, StoryFacts)> = std::collections::BTreeMap::new();
        let mut expected = 0usize;
        for (i, book, facts) in rx.iter() {
            waiting.insert(i, (book, facts));
            while let Some((mut book, facts)) = waiting.remove(&expected) {
                stolen.append(&mut book.stolen);
                summary.group_rows.extend(facts.groups);
                done += facts.persons;
                tally(&mut summary, &book);
                sink.part(book)?;
                if expected + 1 == parts as usize {
                    // The SLTD list follows the story, once every part's documents are known.
                    let mut list = Book::new(agencies.len(), false);
                    list.stolen = std::mem::take(&mut stolen);
                    scenario::document_statuses(&ctx, &mut list);
                    tally(&mut summary, &list);
                    sink.part(list)?;
                    done = ctx.background_start;
                } else if expected >= parts as usize {
                    done = (done + CHUNK).min(options.persons);
                }
                progress(done, options.persons);
                expected += 1;
            }
        }
        Ok(())
    })?;
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
    scenario_entities(&Options { persons: 400, seed: 2026, countries: world::WESTERN_BALKANS.to_vec() })
}

/// The Western Balkan six's countries, for [`scenario_entities`].
pub fn western_balkans() -> Vec<&'static str> {
    world::WESTERN_BALKANS.to_vec()
}

/// A small scenario as entities, not files (a table-top exercise's
/// records): the same entities `generate` would write for `options`, made
/// on the calling thread. Keep `persons` small (a few hundred).
pub fn scenario_entities(options: &Options) -> Vec<veza_model::Entity> {
    let agencies = options.agencies();
    let groups = ocg_count(options.persons);
    let ctx = Ctx {
        maker: Maker { agencies: &agencies, seed: options.seed },
        countries: &options.countries,
        persons: options.persons,
        background_start: groups * PERSONS_PER_OCG,
    };
    let mut book = Book::new(agencies.len(), true);
    for p in 0..scenario::story_parts(options.persons) {
        book.append(scenario::story_part(&ctx, p, true).0);
    }
    scenario::document_statuses(&ctx, &mut book);
    for c in 0..(options.persons - ctx.background_start).div_ceil(CHUNK) {
        book.append(scenario::background_chunk(&ctx, c, true));
    }
    book.kept.unwrap_or_default()
}
