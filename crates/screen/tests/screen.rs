//! The screening engine as its users see it: the rules of issue 5.

use veza_screen::{BirthDate, DateTolerance, Gender, Person, ScreenOptions, Watchlist};

fn person(id: &str, name: &str, born: &str, gender: Option<Gender>) -> Person {
    let mut p = Person::named(id, name);
    if !born.is_empty() {
        p.birth_dates.push(BirthDate::parse(born).unwrap());
    }
    p.gender = gender;
    p
}

fn list() -> Watchlist {
    let mut doc = person("WL3", "Mujo Isaković", "1974-05-14", Some(Gender::Male));
    doc.documents.push("T3650532".into());
    doc.nationalities.push("BA".into());
    Watchlist::build([
        person("WL1", "Ђорђе Петровић", "1980-05-07", Some(Gender::Male)),
        person("WL2", "Ivan Petrovski", "1990-01-02", Some(Gender::Male)),
        doc,
        person("WL4", "محمد عبد الرحمن", "1985", Some(Gender::Male)),
    ])
}

fn top(list: &Watchlist, q: &Person) -> Option<String> {
    list.screen(q, &ScreenOptions::default()).first().map(|h| h.id.clone())
}

#[test]
fn djordje_in_every_spelling_finds_the_cyrillic_entry() {
    let l = list();
    for name in [
        "Ђорђе Петровић",
        "Đorđe Petrović",
        "Djordje Petrovic",
        "Dorde Petrovic",
        "PETROVIC<<DJORDJE",
        "Petrović Đorđe",
    ] {
        assert_eq!(top(&l, &person("q", name, "1980-05-07", None)).as_deref(), Some("WL1"), "{name}");
    }
}

#[test]
fn the_feminine_form_is_another_person() {
    let l = list();
    assert_eq!(top(&l, &person("q", "Ivana Petrovska", "1990-01-02", None)), None);
    assert_eq!(top(&l, &person("q", "Ivan Petrovski", "1990-01-02", None)).as_deref(), Some("WL2"));
}

#[test]
fn arabic_script_meets_its_romanisations() {
    let l = list();
    assert_eq!(top(&l, &person("q", "Mohammed Abdul Rahman", "1985-03-01", None)).as_deref(), Some("WL4"));
    assert_eq!(top(&l, &person("q", "Muhammad Abd al-Rahman", "", None)).as_deref(), Some("WL4"));
}

#[test]
fn a_namesake_born_years_apart_is_not_a_hit() {
    let l = list();
    assert_eq!(top(&l, &person("q", "Djordje Petrovic", "1995-05-07", None)), None);
}

#[test]
fn date_tolerance_is_configurable() {
    let l = list();
    let q = person("q", "Djordje Petrovic", "1981-05-07", None);
    assert!(!l.screen(&q, &ScreenOptions::default()).is_empty());
    let strict = ScreenOptions {
        dates: DateTolerance { plus_minus_one_year: false, ..DateTolerance::default() },
        ..ScreenOptions::default()
    };
    let hits = l.screen(&q, &strict);
    assert!(hits.is_empty() || hits[0].score < l.screen(&q, &ScreenOptions::default())[0].score);
}

#[test]
fn documents_exact_and_ocr_confused_are_told_apart() {
    let l = list();
    let mut q = Person { id: "q".into(), ..Person::default() };
    q.documents.push("BA T36-505-32".into());
    let h = &l.screen(&q, &ScreenOptions::default())[0];
    assert_eq!(h.id, "WL3");
    assert!(h.explanations.0["document"].detail.as_deref().unwrap().contains("exactly"));
    q.documents = vec!["T365O532".into()];
    let h = &l.screen(&q, &ScreenOptions::default())[0];
    assert!(h.explanations.0["document"].detail.as_deref().unwrap().contains("OCR"));
    assert!(h.score < 0.95);
    q.documents = vec!["T3650533".into()];
    assert!(l.screen(&q, &ScreenOptions::default()).is_empty());
}

#[test]
fn hits_serialise_in_the_yente_shape() {
    let l = list();
    let h = &l.screen(&person("q", "Djordje Petrovic", "1980", Some(Gender::Male)), &ScreenOptions::default())[0];
    let v = serde_json::to_value(h).unwrap();
    assert_eq!(v["id"], "WL1");
    assert_eq!(v["match"], true);
    let s = v["score"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&s));
    let name = &v["explanations"]["name"];
    assert!(name["score"].is_number() && name["detail"].is_string());
    assert!(name["query"].is_string() && name["candidate"].is_string());
    assert_eq!(v["explanations"]["birth_date"]["detail"], "year-only date agrees");
}

#[test]
fn threshold_and_limit_hold() {
    let l = list();
    let q = person("q", "Petrovic", "", None);
    let opts = ScreenOptions { threshold: 0.0, limit: 1, ..ScreenOptions::default() };
    assert!(l.screen(&q, &opts).len() <= 1);
    for h in l.screen(&q, &ScreenOptions { threshold: 0.5, ..ScreenOptions::default() }) {
        assert!(h.score >= 0.5);
    }
}
