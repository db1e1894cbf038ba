//! The scenario itself: organised criminal groups with their members,
//! phones, vehicles, accounts and safe houses; their victims, recruited,
//! moved along the routes and exploited; the cases, calls, payments, ads and
//! notices that trace them; and a background population crossing borders.
//! Pure: everything goes into [`Book`]s.

use crate::book::{Book, Kind, Maker, StolenDocument, VictimTruth};
use crate::dice::Dice;
use crate::people::{Gender, Origin, Person, document_number, iban, migrant_origin, mobile_number};
use crate::variation::write_person;
use crate::world::{Agency, CROSSINGS, Country, CrossingPoint, PointKind, ROUTES, country, crossing};
use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;
use std::collections::BTreeMap;
use veza_model::{Entity, Visibility};

/// Stream labels.
const STORY: u64 = 1;
const BACKGROUND: u64 = 2;
const CONTACT: u64 = 3;

/// Ids of the story's own checks and of its records of background people
/// live above this bit, apart from those of the background chunks.
const STORY_IDS: u64 = 1 << 47;

/// Persons per background chunk (each chunk has its own stream).
pub const CHUNK: u64 = 10_000;

/// First day of the scenario's period.
fn day0() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or_default()
}

/// Days the scenario spans (2023 to mid-2025).
const SPAN_DAYS: u32 = 900;

/// A moment `day` days and `secs` seconds after the start.
fn moment(day: u32, secs: u32) -> NaiveDateTime {
    let d = day0() + chrono::Days::new(day as u64);
    d.and_hms_opt(0, 0, 0).unwrap_or_default() + chrono::Duration::seconds(secs as i64)
}

fn iso(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

fn day_iso(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d").to_string()
}

/// The context every part shares.
pub struct Ctx<'a> {
    /// Makes entities and ids.
    pub maker: Maker<'a>,
    /// Countries with agencies.
    pub countries: &'a [&'static str],
    /// Total persons.
    pub persons: u64,
    /// Index of the first background person.
    pub background_start: u64,
}

impl Ctx<'_> {
    /// The agency index of `country`'s agency `suffix`.
    pub fn agency(&self, country: &str, suffix: &str) -> Option<usize> {
        self.maker.agencies.iter().position(|a| a.country == country && a.code.ends_with(&format!("-{suffix}")))
    }

    fn gs(&self) -> usize {
        self.maker.agencies.len() - 1
    }

    fn agencies(&self) -> &[Agency] {
        self.maker.agencies
    }

    /// Crossing points in the selected countries.
    fn points(&self) -> Vec<&'static CrossingPoint> {
        CROSSINGS.iter().filter(|c| self.countries.contains(&c.country)).collect()
    }

    /// The background person `index`, the same wherever it is drawn.
    pub fn background_person(&self, index: u64) -> Person {
        let mut d = Dice::stream(self.maker.seed, CONTACT, index);
        draw_background(&mut d, index, self.countries)
    }
}

/// Draws a background person: mostly residents of the selected countries,
/// some of the neighbours, some migrants from the countries of origin.
fn draw_background(d: &mut Dice, index: u64, countries: &[&'static str]) -> Person {
    let roll = d.below(100);
    if roll < 14 {
        let c = migrant_origin(d);
        return Person::draw(d, index, c, None, (1975, 2007), Origin::Migrant);
    }
    let code = if roll < 85 {
        *d.pick(countries)
    } else {
        *d.pick(&["hr", "bg", "gr", "hu", "si", "at", "de", "tr", "ua", "md"])
    };
    let c = country(code).unwrap_or(&crate::world::COUNTRIES[0]);
    Person::draw(d, index, c, None, (1945, 2006), Origin::Resident)
}

/// Per-agency record ids of the persons a part has already recorded.
#[derive(Default)]
struct Seen(BTreeMap<(usize, u64), String>);

/// Writes the Person record of `p` at `agency` (once per agency), with the
/// agency's way of writing names, and returns its id.
#[allow(clippy::too_many_arguments)]
fn person_record(
    ctx: &Ctx,
    book: &mut Book,
    seen: &mut Seen,
    d: &mut Dice,
    agency: usize,
    p: &Person,
    at: NaiveDateTime,
    extra: &[(&str, String)],
) -> String {
    person_record_as(ctx, book, seen, d, agency, p, at, extra, p.index)
}

/// [`person_record`] with the id made from `n` instead of the person's index
/// (for background people the story records again: another part may
/// record them too, as its own record).
#[allow(clippy::too_many_arguments)]
fn person_record_as(
    ctx: &Ctx,
    book: &mut Book,
    seen: &mut Seen,
    d: &mut Dice,
    agency: usize,
    p: &Person,
    at: NaiveDateTime,
    extra: &[(&str, String)],
    n: u64,
) -> String {
    if let Some(id) = seen.0.get(&(agency, p.index)) {
        return id.clone();
    }
    let a = &ctx.agencies()[agency];
    let id = ctx.maker.id(agency, Kind::Person, n);
    let border = a.kind == "border_police";
    let vis = if border { Visibility::Country } else { Visibility::Agency };
    let mut e = ctx.maker.entity(agency, id.clone(), "Person", at, vis);
    let w = write_person(p, &a.country, if border { 0.8 } else { 0.4 }, d);
    e.push("name", w.full);
    if !w.first.is_empty() {
        e.push("firstName", w.first);
        e.push("lastName", w.last);
    }
    if let Some(b) = w.birth {
        e.push("birthDate", b);
    }
    if d.chance(0.92) {
        e.push("gender", p.gender.as_str().into());
    }
    if d.chance(0.95) {
        e.push("nationality", p.nationality.code.into());
    }
    if border && let Some(pp) = &p.passport {
        e.push("passportNumber", pp.clone());
    }
    if !border && d.chance(0.7) {
        e.push("phone", p.phone.clone());
    }
    if !border && d.chance(0.5) {
        e.push("address", p.address());
    }
    if p.nationality.code == a.country
        && let Some(n) = &p.personal_number
        && d.chance(0.6)
    {
        e.push("idNumber", n.clone());
    }
    for (k, v) in extra {
        e.push(k, v.clone());
    }
    book.emit(ctx.agencies(), agency, e);
    book.records.push((id.clone(), p.index));
    seen.0.insert((agency, p.index), id.clone());
    id
}

/// A passport entity for a record.
#[allow(clippy::too_many_arguments)]
fn passport_record(
    ctx: &Ctx,
    book: &mut Book,
    agency: usize,
    holder: &str,
    number: &str,
    issuer: &str,
    n: u64,
    at: NaiveDateTime,
) -> String {
    let id = ctx.maker.id(agency, Kind::Document, n);
    let mut e = ctx.maker.entity(agency, id.clone(), "Passport", at, Visibility::Country);
    e.push("holder", holder.into());
    e.push("number", number.into());
    e.push("country", issuer.into());
    e.push("type", "passport".into());
    book.emit(ctx.agencies(), agency, e);
    id
}

/// A registration plate of a country, in a plausible local shape.
fn plate(d: &mut Dice, c: &str) -> String {
    match c {
        "rs" => format!("{}{}-{}", d.pick(&["BG", "NS", "NI", "KG", "SU", "VR"]), d.digits(3), d.letters(2)),
        "mk" => format!("{}-{}-{}", d.pick(&["SK", "KU", "BT", "TE", "GV"]), d.digits(4), d.letters(2)),
        "al" => format!("AA{}{}", d.digits(3), d.letters(2)),
        "xk" => format!("0{}-{}-{}", d.range(1, 7), d.digits(3), d.letters(2)),
        "me" => format!("{} {}{}", d.pick(&["PG", "BD", "NK", "BR"]), d.letters(2), d.digits(3)),
        "ba" => format!("{}{}-{}-{}", d.letters(1), d.digits(2), d.letters(1), d.digits(3)),
        _ => format!("{}-{}{}", d.letters(2), d.letters(2), d.digits(4)),
    }
}

/// One border check: a person (with document and vehicle, if any) at a
/// crossing point, seen by that country's border police.
struct Crossing<'p> {
    person: &'p Person,
    point: &'static CrossingPoint,
    at: NaiveDateTime,
    /// Document shown: (number, issuing country); `None` for an undocumented person.
    document: Option<(String, &'static str)>,
    vehicle: Option<(String, &'static str)>,
    /// Watchlist ids this check should hit (stolen document, notice).
    hits: Vec<String>,
    possible_victim: bool,
}

fn record_crossing(ctx: &Ctx, book: &mut Book, seen: &mut Seen, d: &mut Dice, c: &Crossing, n: u64) {
    let Some(agency) = ctx.agency(c.point.country, "bp") else { return };
    let person = person_record(ctx, book, seen, d, agency, c.person, c.at, &[]);
    let cid = ctx.maker.id(agency, Kind::Check, n);
    let mut e = ctx.maker.entity(agency, cid.clone(), "Check", c.at, Visibility::Country);
    e.push("date", iso(c.at));
    e.push("checkpoint", format!("{}-cp-{}", ctx.agencies()[agency].code, c.point.code));
    e.push("person", person.clone());
    e.push("agency", ctx.agencies()[agency].code.clone());
    let w = write_person(c.person, c.point.country, 0.8, d);
    e.push("queryName", w.full);
    if let Some(b) = w.birth {
        e.push("queryBirthDate", b);
    }
    e.push("queryNationality", c.person.nationality.code.into());
    match c.point.kind {
        PointKind::Inland => {
            e.push("checkType", "person".into());
            e.push("travelDirection", "inland".into());
        }
        _ => {
            e.push("checkType", if c.document.is_some() { "document" } else { "person" }.into());
            e.push("travelDirection", if d.chance(0.5) { "entry" } else { "exit" }.into());
        }
    }
    if let Some((number, issuer)) = &c.document {
        let doc = passport_record(ctx, book, agency, &person, number, issuer, n, c.at);
        e.push("document", doc);
        e.push("queryDocumentNumber", number.clone());
        e.push("queryDocumentCountry", (*issuer).into());
        e.push("queryDocumentType", "passport".into());
        e.push("screenedAgainst", "interpol_sltd".into());
    } else {
        e.push("notes", "No travel document; identity as declared".into());
    }
    e.push("screenedAgainst", "interpol_notices".into());
    if let Some((reg, vid)) = &c.vehicle {
        e.push("queryRegistrationNumber", reg.clone());
        let _ = vid;
    }
    e.push("result", if c.hits.is_empty() { "no_hit" } else { "hit" }.into());
    if c.possible_victim {
        e.push("possibleVictim", "yes".into());
    }
    for h in &c.hits {
        book.hits.push((cid.clone(), h.clone()));
    }
    book.emit(ctx.agencies(), agency, e);
}

/// Checkpoint entities of every border police, once.
pub fn checkpoints(ctx: &Ctx, book: &mut Book) {
    let at = moment(0, 0);
    for p in ctx.points() {
        let Some(agency) = ctx.agency(p.country, "bp") else { continue };
        let id = format!("{}-cp-{}", ctx.agencies()[agency].code, p.code);
        let mut e = ctx.maker.entity(agency, id, "Checkpoint", at, Visibility::All);
        e.push("name", p.name.into());
        e.push("checkpointCode", p.code.to_ascii_uppercase());
        e.push(
            "checkpointType",
            match p.kind {
                PointKind::Land => "land_border_crossing",
                PointKind::Airport => "airport",
                PointKind::Inland => "mobile_patrol",
            }
            .into(),
        );
        e.push("country", p.country.into());
        e.push("agency", ctx.agencies()[agency].code.clone());
        e.push("latitude", format!("{:.4}", p.lat));
        e.push("longitude", format!("{:.4}", p.lon));
        book.emit(ctx.agencies(), agency, e);
    }
}

/// The background persons of chunk `chunk`: each crosses borders one to
/// four times; migrants move along a route and are stopped inland.
pub fn background_chunk(ctx: &Ctx, chunk: u64, keep: bool) -> Book {
    let mut book = Book::new(ctx.agencies().len(), keep);
    let mut seen = Seen::default();
    let start = ctx.background_start + chunk * CHUNK;
    let end = (start + CHUNK).min(ctx.persons);
    let points = ctx.points();
    let land: Vec<&CrossingPoint> = points.iter().copied().filter(|p| p.kind != PointKind::Inland).collect();
    let mut d = Dice::stream(ctx.maker.seed, BACKGROUND, chunk);
    for index in start..end {
        let p = ctx.background_person(index);
        let migrant = p.personal_number.is_none() && !p.nationality.regional;
        let mut n = index << 8;
        if migrant && let Some(route) = route_through(ctx, &mut d) {
            let mut day = d.below(SPAN_DAYS as usize - 60) as u32;
            let stops: Vec<&CrossingPoint> = route
                .points
                .iter()
                .filter_map(|c| crossing(c))
                .filter(|c| ctx.countries.contains(&c.country))
                .collect();
            let first = d.below(stops.len());
            let take = 1 + d.below(3);
            for point in stops.iter().skip(first).take(take) {
                let c = Crossing {
                    person: &p,
                    point,
                    at: moment(day, d.range(0, 86_399)),
                    document: p
                        .passport
                        .clone()
                        .filter(|_| point.kind != PointKind::Inland)
                        .map(|x| (x, p.nationality.code)),
                    vehicle: None,
                    hits: Vec::new(),
                    possible_victim: false,
                };
                record_crossing(ctx, &mut book, &mut seen, &mut d, &c, n);
                n += 1;
                day += d.range(1, 12);
            }
            continue;
        }
        if land.is_empty() {
            continue;
        }
        let trips = 1 + d.below(4);
        let home_points: Vec<&CrossingPoint> =
            land.iter().copied().filter(|c| c.country == p.home.code || c.other == p.home.code).collect();
        let car = d.chance(0.4).then(|| plate(&mut d, p.home.code));
        for _ in 0..trips {
            let point = if !home_points.is_empty() && d.chance(0.75) { *d.pick(&home_points) } else { *d.pick(&land) };
            let doc = p
                .passport
                .clone()
                .filter(|_| !lost_passport(ctx.maker.seed, index))
                .or_else(|| p.id_card.clone())
                .map(|x| (x, p.nationality.code));
            let c = Crossing {
                person: &p,
                point,
                at: moment(d.below(SPAN_DAYS as usize) as u32, d.range(0, 86_399)),
                document: doc,
                vehicle: car.clone().map(|r| (r, "")),
                hits: Vec::new(),
                possible_victim: false,
            };
            record_crossing(ctx, &mut book, &mut seen, &mut d, &c, n);
            n += 1;
        }
    }
    book
}

/// A route with at least one point in the selected countries.
fn route_through(ctx: &Ctx, d: &mut Dice) -> Option<&'static crate::world::Route> {
    let usable: Vec<&'static crate::world::Route> = ROUTES
        .iter()
        .filter(|r| r.points.iter().filter_map(|p| crossing(p)).any(|p| ctx.countries.contains(&p.country)))
        .collect();
    (!usable.is_empty()).then(|| *d.pick(&usable))
}

/// What an OCG lives on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Business {
    Sexual,
    Labour,
    Begging,
    Criminality,
    MigrantDebt,
}

impl Business {
    fn exploitation(self) -> &'static str {
        match self {
            Business::Sexual => "sexual_exploitation",
            Business::Labour | Business::MigrantDebt => "forced_labour",
            Business::Begging => "forced_begging",
            Business::Criminality => "forced_criminality",
        }
    }
}

/// Roles in an OCG, as `Suspect.role` has them.
const ROLES: &[&str] =
    &["organiser", "recruiter", "transporter", "document_forger", "enforcer", "money_handler", "corrupt_official"];

/// A member of an OCG.
struct Member {
    person: Person,
    role: &'static str,
    phones: Vec<String>,
    /// Record id in the lead THB unit's data.
    record: String,
}

/// Counts of what the story made, for the summary.
#[derive(Debug, Clone, Default)]
pub struct StoryFacts {
    /// One line per OCG: id, name, structure, business, countries, members, victims.
    pub groups: Vec<String>,
    /// Persons the story used.
    pub persons: u64,
}

/// How many OCGs a scenario of `persons` has.
pub fn ocg_count(persons: u64) -> u64 {
    (persons / 2_000).clamp(2, 500)
}

/// Persons reserved for each OCG (members and victims).
pub const PERSONS_PER_OCG: u64 = 40;

/// OCGs per story part (each part is made on its own, in parallel).
pub const GROUPS_PER_PART: u64 = 20;

/// How many story parts a scenario has.
pub fn story_parts(persons: u64) -> u64 {
    ocg_count(persons).div_ceil(GROUPS_PER_PART)
}

/// Story part `part`: the OCGs `part * GROUPS_PER_PART ..`, their victims
/// and every trace they leave; part 0 also holds the checkpoints. Uses the
/// persons `g * PERSONS_PER_OCG ..` of each OCG `g`.
pub fn story_part(ctx: &Ctx, part: u64, keep: bool) -> (Book, StoryFacts) {
    let mut book = Book::new(ctx.agencies().len(), keep);
    let mut facts = StoryFacts::default();
    if part == 0 {
        checkpoints(ctx, &mut book);
    }
    let groups = ocg_count(ctx.persons);
    let first = part * GROUPS_PER_PART;
    for g in first..(first + GROUPS_PER_PART).min(groups) {
        let mut d = Dice::stream(ctx.maker.seed, STORY, g);
        ocg(ctx, &mut book, &mut facts, &mut d, g);
    }
    facts.persons = (first..(first + GROUPS_PER_PART).min(groups)).count() as u64 * PERSONS_PER_OCG;
    (book, facts)
}

fn ocg(ctx: &Ctx, book: &mut Book, facts: &mut StoryFacts, d: &mut Dice, g: u64) {
    let mut seen = Seen::default();
    let base = g * PERSONS_PER_OCG;
    let home_code = *d.pick(ctx.countries);
    let home = country(home_code).unwrap_or(&crate::world::COUNTRIES[0]);
    let cell_code = *d.pick(ctx.countries);
    let hierarchical = d.chance(0.6);
    let business = d.weighted(&[
        (40, Business::Sexual),
        (20, Business::Labour),
        (10, Business::Begging),
        (10, Business::Criminality),
        (20, Business::MigrantDebt),
    ]);
    let Some(lead) = ctx.agency(home_code, "thb") else { return };
    let start_day = d.below(SPAN_DAYS as usize / 3) as u32;
    let opened = moment(start_day + 200, 9 * 3600);
    let ocg_id = ctx.maker.id(lead, Kind::Group, g);
    let case_id = ctx.maker.id(lead, Kind::Case, g << 8);

    // Members.
    let mut roles: Vec<&'static str> = vec!["organiser"];
    if !hierarchical {
        roles.push("organiser");
    }
    let size = if hierarchical { d.range(8, 20) } else { d.range(5, 11) } as usize;
    while roles.len() < size {
        roles.push(d.weighted(&[
            (5, "recruiter"),
            (4, "transporter"),
            (1, "document_forger"),
            (3, "enforcer"),
            (1, "money_handler"),
            (1, "corrupt_official"),
        ]));
    }
    if !roles.contains(&"money_handler") {
        roles.push("money_handler");
    }
    let mut members: Vec<Member> = Vec::new();
    for (i, role) in roles.iter().enumerate() {
        let nat = if i > 0 && d.chance(0.3) { country(cell_code).unwrap_or(home) } else { home };
        let gender = if *role == "recruiter" && business == Business::Sexual && d.chance(0.4) {
            Some(Gender::Female)
        } else {
            Some(Gender::Male)
        };
        let person = Person::draw(d, base + i as u64, nat, gender, (1965, 2000), Origin::Resident);
        let mut phones = vec![person.phone.clone()];
        for _ in 0..d.below(3) {
            phones.push(mobile_number(d, nat));
        }
        let extra: Vec<(&str, String)> = phones.iter().skip(1).map(|p| ("phone", p.clone())).collect();
        let record = person_record(ctx, book, &mut seen, d, lead, &person, opened, &extra);
        book.members.push((person.index, ocg_id.clone(), role));
        members.push(Member { person, role, phones, record });
    }
    let organiser_family = members[0].person.family_forms()[0].clone();
    let org_name = if hierarchical {
        format!("{} clan", crate::script::to_latin(&organiser_family, crate::script::SERBIAN))
    } else {
        let c = home.cities[d.below(home.cities.len())].name;
        format!("{} network", crate::script::to_latin(c, crate::script::SERBIAN))
    };
    let mut org = ctx.maker.entity(lead, ocg_id.clone(), "Organization", opened, Visibility::Agency);
    org.push("name", org_name.clone());
    org.push("country", home_code.into());
    if cell_code != home_code {
        org.push("country", cell_code.into());
    }
    org.push("topics", "crime.traffick.human".into());
    org.push(
        "description",
        format!(
            "{} group living on {}",
            if hierarchical { "Hierarchical" } else { "Loose" },
            business.exploitation().replace('_', " ")
        ),
    );
    book.emit(ctx.agencies(), lead, org);
    for (i, m) in members.iter().enumerate() {
        let mut e = ctx.maker.entity(
            lead,
            ctx.maker.id(lead, Kind::Link, (g << 16) | i as u64),
            "Membership",
            opened,
            Visibility::Agency,
        );
        e.push("member", m.record.clone());
        e.push("organization", ocg_id.clone());
        e.push("role", m.role.into());
        book.emit(ctx.agencies(), lead, e);
    }
    // A family tie and a corrupt official's association.
    if members.len() > 2 {
        let mut e = ctx.maker.entity(
            lead,
            ctx.maker.id(lead, Kind::Link, (g << 16) | 0x800),
            "Family",
            opened,
            Visibility::Agency,
        );
        e.push("person", members[0].record.clone());
        e.push("relative", members[members.len() - 1].record.clone());
        e.push("relationship", (*d.pick(&["brother", "cousin", "brother-in-law", "nephew"])).into());
        book.emit(ctx.agencies(), lead, e);
    }
    if let (Some(off), Some(tr)) =
        (members.iter().find(|m| m.role == "corrupt_official"), members.iter().find(|m| m.role == "transporter"))
    {
        let mut e = ctx.maker.entity(
            lead,
            ctx.maker.id(lead, Kind::Link, (g << 16) | 0x801),
            "Associate",
            opened,
            Visibility::Agency,
        );
        e.push("person", off.record.clone());
        e.push("associate", tr.record.clone());
        e.push("relationship", "lets the group's vehicles through the border".into());
        book.emit(ctx.agencies(), lead, e);
    }
    // Records of members in the cell country and with the prosecution.
    if let Some(cell_thb) = ctx.agency(cell_code, "thb").filter(|a| *a != lead) {
        for m in members.iter().filter(|m| m.person.nationality.code == cell_code || m.role == "organiser") {
            person_record(ctx, book, &mut seen, d, cell_thb, &m.person, opened + chrono::Duration::days(30), &[]);
        }
    }
    let prosecuted = d.chance(0.5);
    if prosecuted && let Some(pros) = ctx.agency(home_code, "pros") {
        let mut case = ctx.maker.entity(
            pros,
            ctx.maker.id(pros, Kind::Case, g << 8),
            "Case",
            opened + chrono::Duration::days(120),
            Visibility::Agency,
        );
        case.push("name", format!("Predmet KTO-{}/{}", 10 + g % 90, 2024));
        case.push("caseNumber", format!("KTO-{}-{}", 2024, 100 + g));
        case.push("status", "referred_to_prosecution".into());
        case.push("exploitationType", business.exploitation().into());
        case.push("leadCountry", home_code.into());
        book.emit(ctx.agencies(), pros, case.clone());
        for (i, m) in
            members.iter().enumerate().filter(|(_, m)| matches!(m.role, "organiser" | "recruiter" | "enforcer"))
        {
            let rec =
                person_record(ctx, book, &mut seen, d, pros, &m.person, opened + chrono::Duration::days(120), &[]);
            let mut s = ctx.maker.entity(
                pros,
                ctx.maker.id(pros, Kind::Case, (g << 8) | (i as u64 + 1)),
                "Suspect",
                opened,
                Visibility::Agency,
            );
            s.push("suspect", rec);
            s.push("case", case.id.clone());
            s.push("role", m.role.into());
            s.push("status", "charged".into());
            s.push("charge", "Trgovina ljudima / Trafficking in human beings".into());
            book.emit(ctx.agencies(), pros, s);
        }
    }

    // Vehicles, accounts, safe houses.
    let mut vehicles: Vec<String> = Vec::new();
    for (i, m) in members.iter().enumerate().filter(|(_, m)| m.role == "transporter") {
        let reg = plate(d, m.person.home.code);
        let mut v = ctx.maker.entity(
            lead,
            ctx.maker.id(lead, Kind::Vehicle, (g << 8) | i as u64),
            "Vehicle",
            opened,
            Visibility::Agency,
        );
        v.push(
            "name",
            (*d.pick(&[
                "Mercedes-Benz Sprinter",
                "Volkswagen Transporter",
                "Ford Transit",
                "Opel Vivaro",
                "Škoda Octavia",
                "Audi A6",
            ]))
            .into(),
        );
        v.push("registrationNumber", reg.clone());
        v.push("owner", m.record.clone());
        v.push("country", m.person.home.code.into());
        book.emit(ctx.agencies(), lead, v);
        vehicles.push(reg);
    }
    let mut accounts: Vec<(String, usize)> = Vec::new();
    for (i, m) in members.iter().enumerate().filter(|(_, m)| matches!(m.role, "money_handler" | "organiser")) {
        for k in 0..d.range(1, 2) {
            let bank_country = if k == 0 { m.person.home.code } else { *d.pick(&["de", "at", "tr"]) };
            let Some(number) = iban(d, bank_country).or_else(|| iban(d, "de")) else { continue };
            let aid = ctx.maker.id(lead, Kind::Account, (g << 8) | (i as u64 * 4 + k as u64));
            let mut a = ctx.maker.entity(lead, aid.clone(), "BankAccount", opened, Visibility::Agency);
            a.push("iban", number.clone());
            a.push("accountNumber", number[4..].to_owned());
            a.push("country", number[..2].to_ascii_lowercase());
            book.emit(ctx.agencies(), lead, a);
            let mut o = ctx.maker.entity(
                lead,
                ctx.maker.id(lead, Kind::Link, (g << 16) | 0x900 | (i as u64 * 4 + k as u64)),
                "Ownership",
                opened,
                Visibility::Agency,
            );
            o.push("owner", m.record.clone());
            o.push("asset", aid.clone());
            book.emit(ctx.agencies(), lead, o);
            accounts.push((aid, i));
        }
    }
    let exploit_country = if d.chance(0.6) { home } else { country(cell_code).unwrap_or(home) };
    let exploit_thb = ctx.agency(exploit_country.code, "thb").unwrap_or(lead);
    let mut houses: Vec<(String, String)> = Vec::new();
    for k in 0..d.range(1, 3) {
        let city = exploit_country.cities[d.below(exploit_country.cities.len())];
        let street = exploit_country.streets[d.below(exploit_country.streets.len())];
        let full = format!("{street} {}, {} {}", d.range(1, 120), city.postcode, city.name);
        let hid = ctx.maker.id(exploit_thb, Kind::Address, (g << 8) | k as u64);
        let mut a = ctx.maker.entity(exploit_thb, hid.clone(), "Address", opened, Visibility::Agency);
        a.push("full", full.clone());
        a.push("city", city.name.into());
        a.push("street", street.into());
        a.push("country", exploit_country.code.into());
        a.push(
            "remarks",
            (*d.pick(&[
                "apartment used as a safe house",
                "night bar, rooms upstairs",
                "workers' barracks on a building site",
                "rented house",
            ]))
            .into(),
        );
        book.emit(ctx.agencies(), exploit_thb, a);
        houses.push((hid, full));
    }

    // The lead case.
    let recruitment_method = match business {
        Business::Sexual => "through_online_social_networks",
        Business::Labour | Business::MigrantDebt => "through_an_online_advertisement",
        _ => "through_friends_or_social_events",
    };
    let mut case = ctx.maker.entity(lead, case_id.clone(), "Case", opened, Visibility::Agency);
    case.push(
        "name",
        format!(
            "Operation {}",
            d.pick(&[
                "Morava", "Drina", "Vardar", "Lim", "Drim", "Ibar", "Tara", "Neretva", "Sava", "Bojana", "Osum",
                "Struma"
            ])
        ),
    );
    case.push("caseNumber", format!("{}-THB-{}-{:04}", home_code.to_ascii_uppercase(), 2023 + (g % 3), g + 1));
    case.push("status", if prosecuted { "referred_to_prosecution" } else { "under_investigation" }.into());
    case.push("caseType", if cell_code != home_code { "transnational" } else { "unknown" }.into());
    case.push(
        "caseOrigin",
        (*d.pick(&["proactive_investigation", "victim_report", "checkpoint_hit", "intelligence"])).into(),
    );
    case.push("exploitationType", business.exploitation().into());
    case.push("recruitmentMethod", recruitment_method.into());
    case.push("openedDate", day_iso(opened));
    case.push("leadCountry", home_code.into());
    case.push("leadAgency", ctx.agencies()[lead].code.clone());
    case.push("exploitationCountry", exploit_country.code.into());
    for (i, m) in members.iter().enumerate() {
        if d.chance(0.8) {
            let mut s = ctx.maker.entity(
                lead,
                ctx.maker.id(lead, Kind::Case, (g << 8) | 0x40 | i as u64),
                "Suspect",
                opened,
                Visibility::Agency,
            );
            s.push("suspect", m.record.clone());
            s.push("case", case_id.clone());
            s.push("role", m.role.into());
            s.push("status", "suspected".into());
            book.emit(ctx.agencies(), lead, s);
        }
    }

    // Victims.
    let victims = d.range(3, (PERSONS_PER_OCG as usize - members.len()).min(18) as u32) as usize;
    let mut victim_phones: Vec<(String, String)> = Vec::new();
    let mut origins: Vec<&'static str> = Vec::new();
    for v in 0..victims {
        let origin: &'static Country = match business {
            Business::Sexual => {
                country(d.weighted(&[(35, home_code), (20, "md"), (20, "ua"), (15, "ng"), (10, cell_code)]))
                    .unwrap_or(home)
            }
            Business::Labour => country(d.weighted(&[(40, "bd"), (30, "pk"), (30, home_code)])).unwrap_or(home),
            Business::Begging | Business::Criminality => {
                country(d.weighted(&[(70, home_code), (30, cell_code)])).unwrap_or(home)
            }
            Business::MigrantDebt => migrant_origin(d),
        };
        let gender = match business {
            Business::Sexual => Gender::Female,
            Business::Labour | Business::MigrantDebt => Gender::Male,
            _ => {
                if d.chance(0.5) {
                    Gender::Male
                } else {
                    Gender::Female
                }
            }
        };
        let born = if business == Business::Begging || d.chance(0.15) { (2007, 2012) } else { (1985, 2005) };
        let migrant = !origin.regional;
        let p = Person::draw(
            d,
            base + members.len() as u64 + v as u64,
            origin,
            Some(gender),
            born,
            if migrant { Origin::Migrant } else { Origin::Resident },
        );
        origins.push(origin.code);
        let (recruitment, relationship, control) = match (business, d.below(3)) {
            (Business::Sexual, 0) => ("loverboy", "intimate_partner", "psychological_abuse"),
            (Business::Sexual, _) => ("deceptive_job_offer", "recruitment_agent", "debt_bondage"),
            (Business::MigrantDebt, _) => ("debt_bondage", "stranger", "debt_bondage"),
            (Business::Labour, _) => ("deceptive_job_offer", "employer", "withholds_documents"),
            (_, 0) => ("family", "family_member", "threats"),
            _ => ("debt_bondage", "acquaintance", "takes_earnings"),
        };
        // Moved along a route by a transporter, sometimes on a stolen passport.
        let travel_day = start_day + d.range(10, 150);
        let transporter = members.iter().find(|m| m.role == "transporter");
        let mut document = p.passport.clone().map(|x| (x, origin.code));
        let mut doc_hit: Option<String> = None;
        if d.chance(0.25) {
            let j = ctx.background_start + d.below((ctx.persons - ctx.background_start).max(1) as usize) as u64;
            let owner = if j < ctx.persons { Some(ctx.background_person(j)) } else { None };
            let number =
                owner.as_ref().and_then(|o| o.passport.clone()).unwrap_or_else(|| document_number(d, home.passport));
            let issuer = owner.as_ref().map(|o| o.nationality.code).unwrap_or(home_code);
            let doc_id = format!("SLTD-{}-{:06}", issuer.to_ascii_uppercase(), (g << 5) | v as u64);
            book.stolen.push(StolenDocument {
                document_id: doc_id.clone(),
                document_number: number.clone(),
                document_type: "passport",
                issuing_country: issuer,
                status: if owner.is_some() { "stolen" } else { "stolen_blank" },
                reported_date: day_iso(moment(travel_day.saturating_sub(d.range(20, 200)), 0)),
                reporting_country: issuer,
            });
            document = Some((number, issuer));
            doc_hit = Some(doc_id);
        }
        if let Some(route) = route_through(ctx, d) {
            let mut day = travel_day;
            let vehicle = vehicles.first().cloned();
            for (k, point) in route
                .points
                .iter()
                .filter_map(|c| crossing(c))
                .filter(|c| ctx.countries.contains(&c.country))
                .take(3)
                .enumerate()
            {
                let c = Crossing {
                    person: &p,
                    point,
                    at: moment(day, d.range(0, 86_399)),
                    document: document.clone().filter(|_| point.kind != PointKind::Inland),
                    vehicle: vehicle.clone().map(|r| (r, "")),
                    hits: doc_hit.iter().filter(|_| point.kind != PointKind::Inland).cloned().collect(),
                    possible_victim: d.chance(0.1),
                };
                record_crossing(ctx, book, &mut seen, d, &c, STORY_IDS | (g << 16) | ((v as u64) << 8) | k as u64);
                if let Some(t) = transporter.filter(|_| k == 0) {
                    let tc = Crossing {
                        person: &t.person,
                        point,
                        at: c.at,
                        document: t.person.passport.clone().map(|x| (x, t.person.nationality.code)),
                        vehicle: c.vehicle.clone(),
                        hits: Vec::new(),
                        possible_victim: false,
                    };
                    record_crossing(
                        ctx,
                        book,
                        &mut seen,
                        d,
                        &tc,
                        STORY_IDS | (g << 16) | ((v as u64) << 8) | 0x80 | k as u64,
                    );
                }
                day += d.range(0, 3);
            }
        }
        // Identified (or not) by the THB unit of the country of exploitation.
        let identified = d.chance(0.7);
        let at = moment(travel_day + d.range(30, 300), d.range(8 * 3600, 20 * 3600));
        let house = d.pick(&houses).clone();
        let rec = person_record(ctx, book, &mut seen, d, exploit_thb, &p, at, &[("address", house.1.clone())]);
        victim_phones.push((p.phone.clone(), rec.clone()));
        let victim_case = case_id.clone();
        if identified {
            let vid = ctx.maker.id(exploit_thb, Kind::Case, ((base + v as u64) << 8) | 0xA0);
            let mut e = ctx.maker.entity(exploit_thb, vid.clone(), "Victim", at, Visibility::Agency);
            e.push("person", rec.clone());
            e.push("case", victim_case.clone());
            e.push(
                "victimCode",
                format!(
                    "{}-V-{}-{:05}",
                    exploit_country.code.to_ascii_uppercase(),
                    at.format("%Y"),
                    (g * 20 + v as u64) % 100_000
                ),
            );
            e.push("traffickingStatus", if d.chance(0.6) { "actual_victim" } else { "possible_victim" }.into());
            e.push("statusDecisionBy", "police".into());
            e.push("identificationDate", day_iso(at));
            e.push("identifiedBy", ctx.agencies()[exploit_thb].code.clone());
            e.push(
                "identificationContext",
                (*d.pick(&["police_investigation", "checkpoint_screening", "ngo_outreach", "labour_inspection"]))
                    .into(),
            );
            e.push("gender", gender.as_str().into());
            let age = p.age_in(at.format("%Y").to_string().parse().unwrap_or(2024));
            e.push("ageAtIdentification", age.to_string());
            e.push("ageCategory", if age < 18 { "minor" } else { "adult" }.into());
            e.push("citizenship", origin.code.into());
            e.push("primaryLanguage", p.culture.language().into());
            e.push("interpreterNeeded", if origin.code == exploit_country.code { "no" } else { "yes" }.into());
            e.push("recruitmentCountry", origin.code.into());
            e.push(
                "recruitmentMethod",
                if recruitment == "loverboy" { "through_online_social_networks" } else { recruitment_method }.into(),
            );
            e.push("recruiterRelationship", relationship.into());
            e.push("exploitationCountry", exploit_country.code.into());
            e.push("exploitationLocation", house.1.clone());
            e.push("exploitationType", business.exploitation().into());
            if business == Business::Sexual {
                e.push("sexualExploitationType", "prostitution".into());
            }
            if matches!(business, Business::Labour | Business::MigrantDebt) {
                e.push(
                    "forcedLabourIndustry",
                    (*d.pick(&[
                        "construction",
                        "agriculture_forestry_and_fishing",
                        "accommodation_and_food_service_activities",
                    ]))
                    .into(),
                );
            }
            e.push("methodOfControl", control.into());
            e.push("methodOfControl", "false_promises".into());
            e.push("consentStatus", if d.chance(0.8) { "given" } else { "not_asked" }.into());
            e.push("referred", if d.chance(0.7) { "yes" } else { "no" }.into());
            e.push("assistanceReceived", (*d.pick(&["shelter", "medical", "psychological", "legal"])).into());
            e.push("riskLevel", (*d.pick(&["low", "medium", "high"])).into());
            book.emit(ctx.agencies(), exploit_thb, e);
            let mut ia = ctx.maker.entity(
                exploit_thb,
                ctx.maker.id(exploit_thb, Kind::Case, ((base + v as u64) << 8) | 0xB0),
                "IndicatorAssessment",
                at,
                Visibility::Agency,
            );
            ia.push("subject", rec.clone());
            ia.push("case", victim_case.clone());
            ia.push("date", day_iso(at));
            ia.push("assessorAgency", ctx.agencies()[exploit_thb].code.clone());
            let (set, indicators): (&str, &[&str]) = match business {
                Business::Sexual => (
                    "ilo_ec_adult_sexual",
                    &[
                        "deceptive_recruitment.false_job",
                        "coercion.debt_bondage",
                        "coercion.confiscation_of_documents",
                        "exploitation.no_control_of_earnings",
                    ],
                ),
                _ => (
                    "ilo_ec_adult_labour",
                    &[
                        "deceptive_recruitment.wages",
                        "coercion.debt_bondage",
                        "exploitation.excessive_hours",
                        "vulnerability.irregular_status",
                    ],
                ),
            };
            ia.push("indicatorSet", set.into());
            ia.push("method", "interview".into());
            for ind in indicators.iter().take(2 + d.below(3)) {
                ia.push("indicator", (*ind).into());
            }
            ia.push("dimension", "deceptive_recruitment".into());
            ia.push("dimension", "coercion_at_destination".into());
            ia.push("strength", "strong".into());
            ia.push("result", if d.chance(0.7) { "presumed_victim" } else { "possible_victim" }.into());
            ia.push("suspectedExploitation", business.exploitation().into());
            book.emit(ctx.agencies(), exploit_thb, ia);
        }
        book.victims.push(VictimTruth {
            person: p.index,
            case: victim_case,
            exploitation: business.exploitation(),
            recruitment,
            origin: origin.code,
        });
        // Missing-person reports and yellow notices from home.
        if d.chance(0.2) {
            let notice_id = format!("{}/{}", 2023 + (g % 3), 10_000 + g * 37 + v as u64);
            yellow_notice(ctx, book, &p, &notice_id, at);
            if let Some(ncb) = ctx.agency(origin.code, "ncb") {
                let r = person_record(ctx, book, &mut seen, d, ncb, &p, at, &[]);
                book.hits.push((r, notice_id.clone()));
            }
            book.hits.push((rec.clone(), notice_id));
        }
    }

    // Calls: the lead unit's records of the members' phones.
    let mut call_n = g << 24;
    let contacts: Vec<(u64, Person)> = (0..6u64)
        .filter(|_| ctx.persons > ctx.background_start)
        .map(|slot| {
            let j = ctx.background_start + d.below((ctx.persons - ctx.background_start) as usize) as u64;
            (slot, ctx.background_person(j))
        })
        .collect();
    let mut subscriber: BTreeMap<u64, String> = BTreeMap::new();
    for (i, m) in members.iter().enumerate() {
        let calls = d.range(20, 80);
        for _ in 0..calls {
            let at = moment(start_day + d.below(220) as u32, d.range(6 * 3600, 23 * 3600 + 3000));
            let roll = d.below(100);
            let (number, entity) = if roll < 60 && members.len() > 1 {
                let j = if i == 0 {
                    1 + d.below(members.len() - 1)
                } else if hierarchical && d.chance(0.6) {
                    0
                } else {
                    d.below(members.len())
                };
                let o = &members[j];
                (d.pick(&o.phones).clone(), Some(o.record.clone()))
            } else if roll < 80 && !contacts.is_empty() {
                let (slot, c) = d.pick(&contacts);
                let known = if d.chance(0.5) { Some(subscriber.entry(c.index).or_default().clone()) } else { None };
                let rec = match known {
                    Some(s) if !s.is_empty() => Some(s),
                    Some(_) => {
                        let r =
                            person_record_as(ctx, book, &mut seen, d, lead, c, at, &[], STORY_IDS | (g << 8) | slot);
                        subscriber.insert(c.index, r.clone());
                        Some(r)
                    }
                    None => None,
                };
                (c.phone.clone(), rec)
            } else if !victim_phones.is_empty() && m.role == "recruiter" {
                let (ph, r) = d.pick(&victim_phones).clone();
                (ph, Some(r))
            } else {
                (mobile_number(d, m.person.home), None)
            };
            let own = d.pick(&m.phones).clone();
            if number == own {
                continue;
            }
            let outgoing = d.chance(0.55);
            let mut c = ctx.maker.entity(lead, ctx.maker.id(lead, Kind::Call, call_n), "Call", at, Visibility::Agency);
            call_n += 1;
            let (from_n, to_n) = if outgoing { (own.clone(), number.clone()) } else { (number.clone(), own.clone()) };
            c.push("callerNumber", from_n);
            c.push("receiverNumber", to_n);
            match (outgoing, entity) {
                (true, Some(e)) => {
                    c.push("caller", m.record.clone());
                    c.push("receiver", e);
                }
                (true, None) => c.push("caller", m.record.clone()),
                (false, Some(e)) => {
                    c.push("caller", e);
                    c.push("receiver", m.record.clone());
                }
                (false, None) => c.push("receiver", m.record.clone()),
            }
            c.push("date", iso(at));
            c.push("duration", d.range(8, 600).to_string());
            book.emit(ctx.agencies(), lead, c);
        }
    }

    // Payments: earnings up the chain.
    if !accounts.is_empty() {
        let collectors: Vec<&Member> = members.iter().filter(|m| matches!(m.role, "enforcer" | "recruiter")).collect();
        for k in 0..d.range(5, 25) {
            let (acct, owner) = d.pick(&accounts).clone();
            let payer = if collectors.is_empty() { &members[0] } else { *d.pick(&collectors) };
            let at = moment(start_day + 60 + d.below(200) as u32, d.range(9 * 3600, 17 * 3600));
            let mut p = ctx.maker.entity(
                lead,
                ctx.maker.id(lead, Kind::Payment, (g << 12) | k as u64),
                "Payment",
                at,
                Visibility::Agency,
            );
            p.push("payer", payer.record.clone());
            p.push("beneficiary", members[owner].record.clone());
            p.push("beneficiaryAccount", acct);
            p.push("amount", (d.range(2, 120) * 50).to_string());
            p.push("currency", "EUR".into());
            p.push("date", day_iso(at));
            p.push("purpose", (*d.pick(&["pozajmica", "dug", "za stan", "gift", "consulting", "rent"])).into());
            book.emit(ctx.agencies(), lead, p);
        }
    }

    // Online ads reusing the recruiters' phones.
    for (i, m) in members.iter().enumerate().filter(|(_, m)| m.role == "recruiter") {
        for k in 0..d.range(2, 6) {
            let at = moment(start_day + d.below(200) as u32, d.range(0, 86_399));
            let (title, body) = match business {
                Business::Sexual if k % 2 == 0 => (
                    "Hostese za rad u inostranstvu / Hostesses wanted abroad",
                    "Posao u baru, plata 2.000 EUR, smeštaj obezbeđen. Pozovite.",
                ),
                Business::Sexual => ("Escort — diskretno, 24h", "Nove devojke u gradu. Samo poziv."),
                _ => (
                    "Radnici za građevinu u EU, plata 1.800 EUR",
                    "Potrebni radnici, vize i prevoz obezbeđeni, avans za dokumente.",
                ),
            };
            let mut a = ctx.maker.entity(
                exploit_thb,
                ctx.maker.id(exploit_thb, Kind::Ad, (g << 12) | (i as u64) << 4 | k as u64),
                "HyperText",
                at,
                Visibility::Agency,
            );
            a.push("title", title.into());
            a.push("bodyText", body.into());
            a.push("phoneMentioned", d.pick(&m.phones).clone());
            a.push("publishedAt", day_iso(at));
            a.push(
                "sourceUrl",
                format!(
                    "https://oglasi.example/{}/{:x}",
                    exploit_country.code,
                    crate::dice::mix((g << 12) | (i as u64) << 4 | k as u64)
                ),
            );
            a.push("detectedCountry", exploit_country.code.into());
            book.emit(ctx.agencies(), exploit_thb, a);
        }
    }

    // Notices: red on organisers (and some enforcers), blue on some transporters.
    for (i, m) in members.iter().enumerate() {
        let kind = match m.role {
            "organiser" if d.chance(0.45) => "red",
            "enforcer" if d.chance(0.1) => "red",
            "transporter" if d.chance(0.15) => "blue",
            _ => continue,
        };
        let notice_id = format!("{}/{}", 2023 + (g % 3), 50_000 + g * 37 + i as u64);
        red_or_blue_notice(ctx, book, &m.person, kind, &notice_id, home_code, opened);
        book.hits.push((m.record.clone(), notice_id.clone()));
        if let Some(ncb) = ctx.agency(home_code, "ncb") {
            let r = person_record(ctx, book, &mut seen, d, ncb, &m.person, opened, &[]);
            book.hits.push((r, notice_id.clone()));
        }
        // Every other record of the person is a hit too.
        let others: Vec<String> =
            seen.0.iter().filter(|((_, p), _)| *p == m.person.index).map(|(_, r)| r.clone()).collect();
        for r in others {
            if r != m.record && !book.hits.iter().any(|(x, n)| *x == r && *n == notice_id) {
                book.hits.push((r, notice_id.clone()));
            }
        }
    }
    book.emit(ctx.agencies(), lead, case);

    let mut countries = vec![home_code];
    if cell_code != home_code {
        countries.push(cell_code);
    }
    origins.sort();
    origins.dedup();
    facts.groups.push(format!(
        "| {org_name} | {} | {} | {} | {} | {} | {} |",
        if hierarchical { "hierarchical" } else { "loose network" },
        business.exploitation().replace('_', " "),
        countries.join(", ").to_uppercase(),
        members.len(),
        victims,
        origins.join(", ").to_uppercase(),
    ));
    let _ = ROLES;
}

/// The INTERPOL sex code.
fn sex_id(g: Gender) -> &'static str {
    if g == Gender::Male { "M" } else { "F" }
}

fn notice_links(kind: &str, id: &str) -> serde_json::Value {
    let path = id.replace('/', "-");
    json!({
        "self": {"href": format!("https://ws-public.interpol.int/notices/v1/{kind}/{path}")},
        "images": {"href": format!("https://ws-public.interpol.int/notices/v1/{kind}/{path}/images")},
    })
}

/// Notice forename and name as INTERPOL publishes them: Latin, upper case.
fn notice_names(p: &Person) -> (String, String) {
    let latin = |forms: &[String]| -> String {
        let s = match p.culture {
            crate::names::Culture::Serbian => crate::script::to_latin(&forms[0], crate::script::SERBIAN),
            crate::names::Culture::Macedonian => crate::script::to_latin(&forms[0], crate::script::MACEDONIAN_OFFICIAL),
            c if c.has_latin_spellings() => forms[1].clone(),
            _ => forms[0].clone(),
        };
        s.to_uppercase()
    };
    (latin(p.given_forms()), latin(p.family_forms()))
}

/// The ISO 639-2/B code INTERPOL publishes for a language (`SRP`, `GER`).
fn interpol_language(iso1: &str) -> &'static str {
    match iso1 {
        "sr" => "SRP",
        "mk" => "MAC",
        "bs" => "BOS",
        "sq" => "ALB",
        "tr" => "TUR",
        "ar" => "ARA",
        "ps" => "PUS",
        "ur" => "URD",
        "bn" => "BEN",
        "uk" => "UKR",
        "ro" => "RUM",
        "bg" => "BUL",
        "el" => "GRE",
        "hu" => "HUN",
        "de" => "GER",
        "sl" => "SLV",
        _ => "ENG",
    }
}

fn interpol_date(p: &Person) -> String {
    format!("{:04}/{:02}/{:02}", p.birth.0, p.birth.1, p.birth.2)
}

fn red_or_blue_notice(ctx: &Ctx, book: &mut Book, p: &Person, kind: &str, id: &str, issuer: &str, at: NaiveDateTime) {
    let (forename, name) = notice_names(p);
    book.notices.push(json!({
        "arrest_warrants": if kind == "red" { json!([{"issuing_country_id": issuer.to_uppercase(), "charge": "Trafficking in human beings; participation in an organised criminal group", "charge_translation": null}]) } else { json!([]) },
        "weight": 60 + (p.index % 40),
        "forename": forename,
        "date_of_birth": interpol_date(p),
        "entity_id": id,
        "languages_spoken_ids": [interpol_language(p.culture.language())],
        "nationalities": [p.nationality.code.to_uppercase()],
        "height": (160 + p.index % 30) as f64 / 100.0,
        "sex_id": sex_id(p.gender),
        "country_of_birth_id": p.nationality.code.to_uppercase(),
        "name": name,
        "distinguishing_marks": null,
        "eyes_colors_id": ["BRO"],
        "hairs_id": ["BLA"],
        "place_of_birth": p.home.cities[p.city % p.home.cities.len()].name,
        "_embedded": {"links": []},
        "_links": notice_links(kind, id),
    }));
    let gs = ctx.gs();
    let mut e =
        ctx.maker.entity(gs, format!("notice-{}-{}", kind, id.replace('/', "-")), "Notice", at, Visibility::All);
    e.push("noticeType", kind.into());
    e.push("noticeId", id.into());
    e.push("firstName", forename.clone());
    e.push("lastName", name.clone());
    e.push("name", format!("{forename} {name}"));
    e.push("birthDate", p.birth_iso());
    e.push("nationality", p.nationality.code.into());
    e.push("gender", p.gender.as_str().into());
    e.push("issuingCountry", issuer.into());
    e.push("issueDate", day_iso(at));
    e.push("status", "active".into());
    if kind == "red" {
        e.push("warrantCountry", issuer.into());
        e.push("charge", "Trafficking in human beings; participation in an organised criminal group".into());
    }
    book.emit(ctx.agencies(), gs, e);
}

fn yellow_notice(ctx: &Ctx, book: &mut Book, p: &Person, id: &str, at: NaiveDateTime) {
    let (forename, name) = notice_names(p);
    let father = p.father_name().to_uppercase();
    book.notices.push(json!({
        "weight": 50 + (p.index % 20),
        "birth_name": null,
        "entity_id": id,
        "nationalities": [p.nationality.code.to_uppercase()],
        "height": (155 + p.index % 20) as f64 / 100.0,
        "name": name,
        "eyes_colors_id": ["BRO"],
        "place": p.home.cities[p.city % p.home.cities.len()].name,
        "date_of_event": at.format("%Y/%m/%d").to_string(),
        "hairs_id": ["BRO"],
        "father_forename": father,
        "mother_forename": null,
        "forename": forename,
        "date_of_birth": interpol_date(p),
        "languages_spoken_ids": [interpol_language(p.culture.language())],
        "country": p.nationality.code.to_uppercase(),
        "country_of_birth_id": p.nationality.code.to_uppercase(),
        "sex_id": sex_id(p.gender),
        "distinguishing_marks": null,
        "mother_name": null,
        "place_of_birth": p.home.cities[p.city % p.home.cities.len()].name,
        "_embedded": {"links": []},
        "_links": notice_links("yellow", id),
    }));
    let gs = ctx.gs();
    let mut e = ctx.maker.entity(gs, format!("notice-yellow-{}", id.replace('/', "-")), "Notice", at, Visibility::All);
    e.push("noticeType", "yellow".into());
    e.push("noticeId", id.into());
    e.push("firstName", forename.clone());
    e.push("lastName", name.clone());
    e.push("name", format!("{forename} {name}"));
    e.push("birthDate", p.birth_iso());
    e.push("nationality", p.nationality.code.into());
    e.push("gender", p.gender.as_str().into());
    e.push("issuingCountry", p.nationality.code.into());
    e.push("fatherForename", father);
    e.push("status", "active".into());
    book.emit(ctx.agencies(), gs, e);
}

/// Whether background person `index` has reported their passport lost or
/// stolen (one in 500); they travel on their identity card instead.
pub fn lost_passport(seed: u64, index: u64) -> bool {
    crate::dice::mix(seed ^ index.wrapping_mul(0x2545_F491_4F6C_DD1D)).is_multiple_of(500)
}

/// The SLTD entries as DocumentStatus entities of the General Secretariat,
/// plus lost passports of background people (noise for screening).
pub fn document_statuses(ctx: &Ctx, book: &mut Book) {
    let gs = ctx.gs();
    let mut d = Dice::stream(ctx.maker.seed, STORY, u64::MAX);
    for (k, j) in (ctx.background_start..ctx.persons).filter(|j| lost_passport(ctx.maker.seed, *j)).enumerate() {
        let p = ctx.background_person(j);
        let Some(number) = p.passport.clone() else { continue };
        book.stolen.push(StolenDocument {
            document_id: format!("SLTD-{}-L{:06}", p.nationality.code.to_ascii_uppercase(), k),
            document_number: number,
            document_type: "passport",
            issuing_country: p.nationality.code,
            status: if d.chance(0.7) { "lost" } else { "stolen" },
            reported_date: day_iso(moment(d.below(SPAN_DAYS as usize) as u32, 0)),
            reporting_country: p.nationality.code,
        });
    }
    let mut all = std::mem::take(&mut book.stolen);
    all.sort_by(|a, b| a.document_id.cmp(&b.document_id));
    all.dedup_by(|a, b| a.document_id == b.document_id);
    for s in &all {
        let at = NaiveDate::parse_from_str(&s.reported_date, "%Y-%m-%d")
            .unwrap_or_default()
            .and_hms_opt(12, 0, 0)
            .unwrap_or_default();
        let mut e: Entity = ctx.maker.entity(
            gs,
            format!("sltd-{}", s.document_id.to_ascii_lowercase()),
            "DocumentStatus",
            at,
            Visibility::All,
        );
        e.push("documentNumber", s.document_number.clone());
        e.push("status", s.status.into());
        e.push("recordStatus", "active".into());
        e.push("documentType", s.document_type.into());
        e.push("issuingCountry", s.issuing_country.into());
        e.push("reportedDate", s.reported_date.clone());
        e.push("reportingCountry", s.reporting_country.into());
        e.push("reference", s.document_id.clone());
        book.emit(ctx.agencies(), gs, e);
    }
    book.stolen = all;
}
