//! People: who a person really is (the ground truth), drawn from a seeded
//! stream — names of their culture, gender, birth date, nationality,
//! documents in the shapes of their country, a mobile number and a home.

use crate::dice::Dice;
use crate::names::Culture;
use crate::world::{COUNTRIES, Country, DocShape, country};

/// Gender as records give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    /// Male.
    Male,
    /// Female.
    Female,
}

impl Gender {
    /// The model's value.
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }
}

/// How well the person's birth date is documented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BirthRecord {
    /// Known to the day.
    Exact,
    /// Undocumented: recorded as 1 January of an estimated year.
    Placeholder,
}

/// A person as they really are.
#[derive(Debug, Clone)]
pub struct Person {
    /// Index in the scenario; the truth id is `P` and seven digits.
    pub index: u64,
    /// Naming culture.
    pub culture: Culture,
    /// Gender.
    pub gender: Gender,
    /// Given name (index into the culture's list for the gender).
    pub given: usize,
    /// Family name (index into the culture's family list).
    pub family: usize,
    /// Father's given name (index into the male list).
    pub father: usize,
    /// Birth date.
    pub birth: (u16, u8, u8),
    /// How the birth date is documented.
    pub birth_record: BirthRecord,
    /// Nationality.
    pub nationality: &'static Country,
    /// Home country (where the address is).
    pub home: &'static Country,
    /// City of the address (index into the home country's cities).
    pub city: usize,
    /// Street (index into the home country's streets).
    pub street: usize,
    /// House number.
    pub house: u16,
    /// Mobile number, E.164.
    pub phone: String,
    /// Passport number, if the person has one.
    pub passport: Option<String>,
    /// Identity card number.
    pub id_card: Option<String>,
    /// Personal number (JMBG/EMBG where the country uses one).
    pub personal_number: Option<String>,
}

/// What kind of life a drawn person has, which decides their papers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A resident of their own country, with papers.
    Resident,
    /// A migrant from a country of origin, often without papers.
    Migrant,
}

impl Person {
    /// The truth id.
    pub fn id(&self) -> String {
        person_id(self.index)
    }

    /// The given name's forms.
    pub fn given_forms(&self) -> &'static [String] {
        let names = self.culture.names();
        let list = if self.gender == Gender::Male { &names.male } else { &names.female };
        &list[self.given % list.len()].forms
    }

    /// The family name's forms for the person's gender.
    pub fn family_forms(&self) -> &'static [String] {
        let f = &self.culture.names().family[self.family % self.culture.names().family.len()];
        if self.gender == Gender::Male { &f.male } else { &f.female }
    }

    /// The father's given name, native form.
    pub fn father_name(&self) -> &'static str {
        let list = &self.culture.names().male;
        &list[self.father % list.len()].forms[0]
    }

    /// The birth date in ISO form.
    pub fn birth_iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.birth.0, self.birth.1, self.birth.2)
    }

    /// Age in whole years on `year`.
    pub fn age_in(&self, year: u16) -> u16 {
        year.saturating_sub(self.birth.0)
    }

    /// The home address as one line.
    pub fn address(&self) -> String {
        let c = self.home;
        let city = c.cities[self.city % c.cities.len()];
        let street = c.streets[self.street % c.streets.len()];
        if city.postcode.is_empty() {
            format!("{street} {}, {}", self.house, city.name)
        } else {
            format!("{street} {}, {} {}", self.house, city.postcode, city.name)
        }
    }

    /// Draws a person of `nationality`, of `gender` if given, born between
    /// `born` years.
    pub fn draw(
        dice: &mut Dice,
        index: u64,
        nationality: &'static Country,
        gender: Option<Gender>,
        born: (u16, u16),
        origin: Origin,
    ) -> Person {
        let culture = dice.weighted(nationality.cultures);
        let gender = gender.unwrap_or(if dice.chance(0.5) { Gender::Male } else { Gender::Female });
        let names = culture.names();
        let given = dice.below(if gender == Gender::Male { names.male.len() } else { names.female.len() });
        let family = dice.below(names.family.len());
        let father = dice.below(names.male.len());
        let year = dice.range(born.0 as u32, born.1 as u32) as u16;
        let month = dice.range(1, 12) as u8;
        let day = dice.range(1, days_in(year, month) as u32) as u8;
        let undocumented = origin == Origin::Migrant && dice.chance(0.45);
        let (birth, birth_record) = if undocumented {
            ((year, 1, 1), BirthRecord::Placeholder)
        } else {
            ((year, month, day), BirthRecord::Exact)
        };
        let home = nationality;
        let phone = mobile_number(dice, home);
        let has_passport = match origin {
            Origin::Resident => dice.chance(0.8),
            Origin::Migrant => !undocumented && dice.chance(0.6),
        };
        let passport = has_passport.then(|| document_number(dice, nationality.passport));
        let id_card =
            (origin == Origin::Resident || dice.chance(0.3)).then(|| document_number(dice, nationality.id_card));
        let personal_number =
            nationality.jmbg_region.map(|(lo, hi)| jmbg(birth, dice.range(lo as u32, hi as u32) as u8, gender, dice));
        Person {
            index,
            culture,
            gender,
            given,
            family,
            father,
            birth,
            birth_record,
            nationality,
            home,
            city: dice.below(home.cities.len()),
            street: dice.below(home.streets.len()),
            house: dice.range(1, 180) as u16,
            phone,
            passport,
            id_card,
            personal_number,
        }
    }
}

/// The truth id of person `index`.
pub fn person_id(index: u64) -> String {
    format!("P{index:07}")
}

/// Days in a month.
pub fn days_in(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        _ => 31,
    }
}

/// A mobile number of `country` in E.164 form.
pub fn mobile_number(dice: &mut Dice, country: &Country) -> String {
    let prefix = dice.pick(country.mobile);
    let mut s = String::with_capacity(16);
    s.push_str(country.calling);
    s.push_str(prefix);
    // The first subscriber digit is 2–9: some plans reserve 0 and 1.
    s.push(char::from(b'2' + dice.below(8) as u8));
    s.push_str(&dice.digits(country.subscriber_digits - 1));
    s
}

/// A document number of `shape`.
pub fn document_number(dice: &mut Dice, shape: DocShape) -> String {
    match shape {
        DocShape::Digits(n) => dice.digits(n),
        DocShape::Letters(l, n) => format!("{}{}", dice.letters(l), dice.digits(n)),
        DocShape::Prefix(p, n) => format!("{p}{}", dice.digits(n)),
    }
}

/// A Yugoslav personal number (JMBG/EMBG): DDMMYYY RR BBB K, with the
/// serial below 500 for men and the mod-11 check digit.
pub fn jmbg(birth: (u16, u8, u8), region: u8, gender: Gender, dice: &mut Dice) -> String {
    let serial = match gender {
        Gender::Male => dice.below(500),
        Gender::Female => 500 + dice.below(500),
    };
    let body = format!("{:02}{:02}{:03}{:02}{:03}", birth.2, birth.1, birth.0 % 1000, region, serial);
    let d: Vec<u32> = body.bytes().map(|b| (b - b'0') as u32).collect();
    let weights = [7, 6, 5, 4, 3, 2];
    let sum: u32 = (0..6).map(|i| weights[i] * (d[i] + d[i + 6])).sum();
    let m = 11 - sum % 11;
    let k = if m > 9 { 0 } else { m };
    format!("{body}{k}")
}

/// Whether a JMBG's check digit is right.
pub fn jmbg_valid(n: &str) -> bool {
    if n.len() != 13 || !n.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let d: Vec<u32> = n.bytes().map(|b| (b - b'0') as u32).collect();
    let weights = [7, 6, 5, 4, 3, 2];
    let sum: u32 = (0..6).map(|i| weights[i] * (d[i] + d[i + 6])).sum();
    let m = 11 - sum % 11;
    d[12] == if m > 9 { 0 } else { m }
}

/// An IBAN of `country` with valid check digits, or `None` where the
/// scenario has no bank format for the country.
pub fn iban(dice: &mut Dice, country: &str) -> Option<String> {
    // BBAN: (bank letters, digits) after ISO 13616's national formats.
    let (letters, digits) = match country {
        "rs" | "me" | "de" => (0, 18),
        "ba" | "xk" | "at" => (0, 16),
        "mk" => (0, 15),
        "al" => (0, 24),
        "hr" => (0, 17),
        "bg" => (4, 14),
        "gr" => (0, 23),
        "hu" => (0, 24),
        "si" => (0, 15),
        "tr" => (0, 22),
        _ => return None,
    };
    let mut bban = dice.letters(letters);
    if country == "tr" {
        bban.push_str(&dice.digits(5));
        bban.push('0');
        bban.push_str(&dice.digits(16));
    } else {
        bban.push_str(&dice.digits(digits));
    }
    let cc = country.to_ascii_uppercase();
    let rearranged = format!("{bban}{cc}00");
    let mut rem: u32 = 0;
    for ch in rearranged.chars() {
        let v = ch.to_digit(36).unwrap_or(0);
        rem = if v >= 10 { (rem * 100 + v) % 97 } else { (rem * 10 + v) % 97 };
    }
    Some(format!("{cc}{:02}{bban}", 98 - rem))
}

/// A country of origin of migrants, by the weights of arrivals on the route.
pub fn migrant_origin(dice: &mut Dice) -> &'static Country {
    const ORIGINS: &[(u32, &str)] =
        &[(24, "sy"), (26, "af"), (14, "pk"), (8, "iq"), (9, "ma"), (8, "bd"), (6, "tr"), (5, "ng")];
    country(dice.weighted(ORIGINS)).unwrap_or(&COUNTRIES[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jmbg_has_a_valid_check_digit_and_encodes_birth_and_gender() {
        let mut d = Dice::stream(1, 0, 0);
        for i in 0..500 {
            let g = if i % 2 == 0 { Gender::Male } else { Gender::Female };
            let n = jmbg((1985, 7, 21), 71, g, &mut d);
            assert!(jmbg_valid(&n), "{n}");
            assert!(n.starts_with("2107985"));
            let serial: u32 = n[9..12].parse().unwrap();
            assert_eq!(serial < 500, g == Gender::Male);
        }
        assert!(!jmbg_valid("0101990710001"));
    }

    #[test]
    fn undocumented_migrants_get_the_placeholder_birth_date() {
        let mut d = Dice::stream(2, 0, 0);
        let sy = country("sy").unwrap();
        let people: Vec<Person> =
            (0..400).map(|i| Person::draw(&mut d, i, sy, None, (1980, 2005), Origin::Migrant)).collect();
        let placeholders = people.iter().filter(|p| p.birth_record == BirthRecord::Placeholder).count();
        assert!(placeholders > 100 && placeholders < 300, "{placeholders}");
        assert!(
            people
                .iter()
                .filter(|p| p.birth_record == BirthRecord::Placeholder)
                .all(|p| p.birth.1 == 1 && p.birth.2 == 1)
        );
    }
}
