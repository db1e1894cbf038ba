//! The pages' languages: Fluent message catalogues, one folder per language
//! under `crates/web/locales/`, embedded at compile time, and [`Tr`], the
//! translator every page carries.
//!
//! Which language a request gets, in this order: the language cookie (set
//! when the user picks one, and at sign-in from the choice kept for them),
//! the browser's `Accept-Language`, English. A test checks that every key a
//! template or handler uses exists in every catalogue, so a page can never
//! show a raw key.
//!
//! Names of people and places are never translated: they are data, shown as
//! written in the source, with the transliteration beside them.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use chrono::{DateTime, NaiveDate, Utc};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};
use std::borrow::Cow;
use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::LazyLock;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The cookie that keeps the chosen language between requests.
pub(crate) const LANGUAGE_COOKIE: &str = "__Host-veza_lang";

/// A language the pages are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    /// English.
    En,
    /// Albanian (shqip).
    Sq,
    /// Bosnian (bosanski).
    Bs,
    /// Croatian (hrvatski).
    Hr,
    /// Montenegrin (crnogorski), ISO 639-3 `cnr`.
    Cnr,
    /// Serbian in the Latin script (srpski).
    SrLatn,
    /// Serbian in the Cyrillic script (српски).
    SrCyrl,
    /// Macedonian (македонски).
    Mk,
}

impl Language {
    /// Every language, in the order the language menu lists them.
    pub const ALL: [Language; 8] = [
        Language::En,
        Language::Sq,
        Language::Bs,
        Language::Hr,
        Language::Cnr,
        Language::SrLatn,
        Language::SrCyrl,
        Language::Mk,
    ];

    /// The BCP 47 tag: the catalogue's folder name, `<html lang>`, the cookie.
    pub fn tag(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Sq => "sq",
            Language::Bs => "bs",
            Language::Hr => "hr",
            Language::Cnr => "cnr",
            Language::SrLatn => "sr-Latn",
            Language::SrCyrl => "sr-Cyrl",
            Language::Mk => "mk",
        }
    }

    /// The language's name in itself, as the language menu shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Language::En => "English",
            Language::Sq => "Shqip",
            Language::Bs => "Bosanski",
            Language::Hr => "Hrvatski",
            Language::Cnr => "Crnogorski",
            Language::SrLatn => "Srpski (latinica)",
            Language::SrCyrl => "Српски (ћирилица)",
            Language::Mk => "Македонски",
        }
    }

    /// The language of a tag, exactly as [`Language::tag`] writes it (case
    /// aside); `None` for anything else.
    pub fn from_tag(tag: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.tag().eq_ignore_ascii_case(tag.trim()))
    }

    /// The best language for a browser's `Accept-Language` list: the first
    /// entry (by quality) we have. A bare `sr` means Cyrillic, the official
    /// script of Serbia; `sh` (Serbo-Croatian) means Serbian Latin.
    pub fn negotiate(accept: &str) -> Option<Language> {
        let mut ranges: Vec<(f32, usize, &str)> = accept
            .split(',')
            .enumerate()
            .filter_map(|(i, part)| {
                let mut bits = part.split(';');
                let range = bits.next()?.trim();
                let q = bits
                    .find_map(|b| b.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()))
                    .unwrap_or(1.0);
                (!range.is_empty() && q > 0.0).then_some((q, i, range))
            })
            .collect();
        ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranges.into_iter().find_map(|(_, _, range)| Language::of_range(range))
    }

    fn of_range(range: &str) -> Option<Language> {
        let lower = range.to_ascii_lowercase();
        if let Some(exact) = Language::from_tag(&lower) {
            return Some(exact);
        }
        let mut parts = lower.split(['-', '_']);
        let primary = parts.next()?;
        let rest: Vec<&str> = parts.collect();
        match primary {
            "en" => Some(Language::En),
            "sq" => Some(Language::Sq),
            "bs" => Some(Language::Bs),
            "hr" => Some(Language::Hr),
            "cnr" => Some(Language::Cnr),
            "mk" => Some(Language::Mk),
            "sh" => Some(Language::SrLatn),
            "sr" if rest.contains(&"latn") => Some(Language::SrLatn),
            // Montenegro's Serbian speakers, and sr-ME, write Latin too.
            "sr" if rest.contains(&"me") => Some(Language::SrLatn),
            "sr" => Some(Language::SrCyrl),
            _ => None,
        }
    }

    fn id(self) -> &'static LanguageIdentifier {
        static IDS: LazyLock<Vec<LanguageIdentifier>> =
            LazyLock::new(|| Language::ALL.iter().map(|l| l.tag().parse().unwrap_or_default()).collect());
        let index = Language::ALL.iter().position(|l| *l == self).unwrap_or(0);
        &IDS[index]
    }

    /// How this language writes a date: day, month, year with the separators
    /// its users expect (`8.3.2026.` in the Yugoslav tradition, `8.3.2026`
    /// in Albanian and Macedonian, `28 Nov 2026` in English).
    fn date_format(self) -> &'static str {
        match self {
            Language::En => "%-d %b %Y",
            Language::Sq | Language::Mk => "%-d.%-m.%Y",
            Language::Bs | Language::Hr | Language::Cnr | Language::SrLatn | Language::SrCyrl => "%-d.%-m.%Y.",
        }
    }

    /// The digit-group separator: a comma in English, a dot in the region's
    /// Slavic languages, a (no-break) space in Albanian.
    fn group_separator(self) -> char {
        match self {
            Language::En => ',',
            Language::Sq => '\u{a0}',
            _ => '.',
        }
    }
}

/// The translator of one request: looks up message keys in the request's
/// language and formats dates and numbers the way its readers write them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr {
    lang: Language,
}

impl Default for Tr {
    fn default() -> Self {
        Tr::new(Language::En)
    }
}

impl Tr {
    /// A translator for `lang`.
    pub fn new(lang: Language) -> Self {
        Tr { lang }
    }

    /// The language.
    pub fn lang(&self) -> Language {
        self.lang
    }

    /// The `<html lang>` value.
    pub fn tag(&self) -> &'static str {
        self.lang.tag()
    }

    /// The message `key`. A key missing from the catalogue (which the
    /// catalogue test prevents) shows as the key itself, never as nothing.
    pub fn t(&self, key: &str) -> String {
        LOCALES.try_lookup(self.lang.id(), key).unwrap_or_else(|| missing(key))
    }

    /// The message `key` with one argument `name` set to `value` (a number
    /// picks the plural form where the message has them).
    pub fn t1(&self, key: &str, name: &str, value: impl Into<Arg>) -> String {
        self.ta(key, &[(name, value.into())])
    }

    /// The message `key` with two arguments.
    pub fn t2(&self, key: &str, n1: &str, v1: impl Into<Arg>, n2: &str, v2: impl Into<Arg>) -> String {
        self.ta(key, &[(n1, v1.into()), (n2, v2.into())])
    }

    /// The message `key` with three arguments.
    #[allow(clippy::too_many_arguments)]
    pub fn t3(
        &self,
        key: &str,
        n1: &str,
        v1: impl Into<Arg>,
        n2: &str,
        v2: impl Into<Arg>,
        n3: &str,
        v3: impl Into<Arg>,
    ) -> String {
        self.ta(key, &[(n1, v1.into()), (n2, v2.into()), (n3, v3.into())])
    }

    /// The message `key` with several arguments.
    pub fn ta(&self, key: &str, args: &[(&str, Arg)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue> =
            args.iter().map(|(k, v)| (Cow::Owned((*k).to_owned()), v.fluent())).collect();
        LOCALES.try_lookup_with_args(self.lang.id(), key, &map).unwrap_or_else(|| missing(key))
    }

    /// The message `key` for a count: `$count` (a number) chooses the plural
    /// form, `$n` shows it with this language's digit grouping.
    pub fn count(&self, key: &str, n: impl Whole) -> String {
        let value = n.whole();
        #[allow(clippy::cast_precision_loss)]
        let number = Arg::Number(value as f64);
        self.ta(key, &[("count", number), ("n", Arg::Text(self.number(value)))])
    }

    /// Whether the catalogue of this language has `key`.
    pub fn has(&self, key: &str) -> bool {
        LOCALES.try_lookup(self.lang.id(), key).is_some()
    }

    /// A date as this language writes it.
    pub fn date(&self, day: NaiveDate) -> String {
        day.format(self.lang.date_format()).to_string()
    }

    /// A moment as this language writes it, in UTC (the platform's clock for
    /// every agency, so that times compare across borders).
    pub fn datetime(&self, at: DateTime<Utc>) -> String {
        format!("{} {} UTC", self.date(at.date_naive()), at.format("%H:%M"))
    }

    /// A whole number with this language's digit grouping.
    pub fn number(&self, n: impl Whole) -> String {
        let n = n.whole();
        let digits = n.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
        if n < 0 {
            out.push('-');
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(self.lang.group_separator());
            }
            out.push(c);
        }
        out
    }

    /// The languages for the language menu: tag, native name, whether it is
    /// this one.
    pub fn menu(&self) -> Vec<(&'static str, &'static str, bool)> {
        Language::ALL.iter().map(|l| (l.tag(), l.native_name(), *l == self.lang)).collect()
    }

    /// The language a request asks for: cookie, then `Accept-Language`,
    /// then English.
    pub fn of_headers(headers: &HeaderMap) -> Tr {
        let from_cookie = crate::auth::cookie(headers, LANGUAGE_COOKIE).and_then(|t| Language::from_tag(&t));
        let from_browser =
            || headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Language::negotiate);
        Tr::new(from_cookie.or_else(from_browser).unwrap_or(Language::En))
    }
}

fn missing(key: &str) -> String {
    tracing::warn!(key, "message key missing from the catalogue");
    key.to_owned()
}

/// A whole number a page shows (a count, an id), by value or by reference
/// (templates hand over references).
pub trait Whole {
    /// The number.
    fn whole(&self) -> i128;
}

macro_rules! whole {
    ($($t:ty),*) => {$(
        impl Whole for $t {
            fn whole(&self) -> i128 {
                i128::from(*self)
            }
        }
    )*};
}
whole!(u8, u16, u32, u64, i8, i16, i32, i64, i128);

impl Whole for usize {
    fn whole(&self) -> i128 {
        i128::try_from(*self).unwrap_or(i128::MAX)
    }
}

impl<T: Whole + ?Sized> Whole for &T {
    fn whole(&self) -> i128 {
        (**self).whole()
    }
}

/// A message argument: text or a number.
#[derive(Debug, Clone)]
pub enum Arg {
    /// Text, shown as given.
    Text(String),
    /// A number: chooses plural forms.
    Number(f64),
}

impl Arg {
    fn fluent(&self) -> FluentValue<'static> {
        match self {
            Arg::Text(s) => FluentValue::from(s.clone()),
            Arg::Number(n) => FluentValue::from(*n),
        }
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_owned())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Text(s.clone())
    }
}
macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            #[allow(clippy::cast_precision_loss, clippy::cast_lossless)]
            fn from(n: $t) -> Self {
                Arg::Number(n as f64)
            }
        }
        impl From<&$t> for Arg {
            #[allow(clippy::cast_precision_loss, clippy::cast_lossless)]
            fn from(n: &$t) -> Self {
                Arg::Number(*n as f64)
            }
        }
    )*};
}
number_arg!(i32, i64, u32, u64, usize, f64);

impl<S: Send + Sync> FromRequestParts<S> for Tr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Tr::of_headers(&parts.headers))
    }
}

/// `Set-Cookie` keeping `lang` for a year. Not HttpOnly-sensitive data, but
/// set like the others: host-only, Secure, SameSite=Strict.
pub(crate) fn language_cookie(lang: Language) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{LANGUAGE_COOKIE}={}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=31536000",
        lang.tag()
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip() {
        for l in Language::ALL {
            assert_eq!(Language::from_tag(l.tag()), Some(l));
        }
        assert_eq!(Language::from_tag("SR-cyrl"), Some(Language::SrCyrl));
        assert_eq!(Language::from_tag("de"), None);
    }

    #[test]
    fn negotiation_follows_quality_and_script() {
        assert_eq!(Language::negotiate("de-DE, sq;q=0.8, en;q=0.5"), Some(Language::Sq));
        assert_eq!(Language::negotiate("en;q=0.4, mk;q=0.9"), Some(Language::Mk));
        assert_eq!(Language::negotiate("sr"), Some(Language::SrCyrl));
        assert_eq!(Language::negotiate("sr-Latn-RS"), Some(Language::SrLatn));
        assert_eq!(Language::negotiate("sr-RS"), Some(Language::SrCyrl));
        assert_eq!(Language::negotiate("hr-HR,hr;q=0.9"), Some(Language::Hr));
        assert_eq!(Language::negotiate("fr, de"), None);
        assert_eq!(Language::negotiate("mk;q=0, en"), Some(Language::En));
        assert_eq!(Language::negotiate(""), None);
    }

    #[test]
    fn every_language_finds_its_messages() {
        for l in Language::ALL {
            let tr = Tr::new(l);
            assert!(tr.has("nav-search"), "{l:?}");
            assert_ne!(tr.t("nav-search"), "nav-search");
        }
        assert_eq!(Tr::new(Language::SrCyrl).t("nav-sign-out"), "Одјава");
        let unknown = format!("no-such-{}", "key");
        assert_eq!(Tr::default().t(&unknown), unknown);
    }

    #[test]
    fn plural_forms_follow_the_language() {
        let en = Tr::new(Language::En);
        assert_eq!(en.count("search-visible", 1), "1 record visible to you");
        assert_eq!(en.count("search-visible", 1234), "1,234 records visible to you");
        let hr = Tr::new(Language::Hr);
        assert_eq!(hr.count("search-visible", 1235), "1.235 zapisa vam je vidljivo");
        assert_eq!(hr.count("search-visible", 1234), "1.234 zapisa su vam vidljiva", "ends in 4: few");
        let two = hr.count("search-visible", 2);
        let five = hr.count("search-visible", 5);
        assert_ne!(two.replace('2', ""), five.replace('5', ""), "Croatian has few/other forms");
    }

    #[test]
    fn dates_and_numbers_in_the_readers_way() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap_or_default();
        assert_eq!(Tr::new(Language::En).date(day), "8 Mar 2026");
        assert_eq!(Tr::new(Language::Hr).date(day), "8.3.2026.");
        assert_eq!(Tr::new(Language::Mk).date(day), "8.3.2026");
        assert_eq!(Tr::new(Language::En).number(1_234_567), "1,234,567");
        assert_eq!(Tr::new(Language::SrLatn).number(1_234_567), "1.234.567");
        assert_eq!(Tr::new(Language::Sq).number(-1234), "-1\u{a0}234");
        assert_eq!(Tr::new(Language::En).number(999), "999");
    }
}
