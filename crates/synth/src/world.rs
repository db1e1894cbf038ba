//! The region as data: countries (naming cultures, phone plans, document
//! shapes, cities, streets), real border crossing points of the Balkan
//! route, the routes themselves, and the agencies of each country.
//!
//! Phone prefixes are real mobile ranges (each generated number is checked
//! against libphonenumber by the tests). Document numbers have plausible
//! shapes per country; they are not the issuing authorities' algorithms.

use crate::names::Culture;

/// A city with a postcode.
#[derive(Debug, Clone, Copy)]
pub struct City {
    /// Local name.
    pub name: &'static str,
    /// Postcode.
    pub postcode: &'static str,
}

/// How passport numbers of a country look.
#[derive(Debug, Clone, Copy)]
pub enum DocShape {
    /// Only digits.
    Digits(usize),
    /// Letters then digits.
    Letters(usize, usize),
    /// A fixed prefix then digits.
    Prefix(&'static str, usize),
}

/// A country of the scenario.
#[derive(Debug, Clone, Copy)]
pub struct Country {
    /// Lower-case alpha-2 code (`xk` for Kosovo).
    pub code: &'static str,
    /// English name.
    pub name: &'static str,
    /// Naming cultures of its people, by weight.
    pub cultures: &'static [(u32, Culture)],
    /// Country calling code with `+`.
    pub calling: &'static str,
    /// Mobile prefixes after the calling code.
    pub mobile: &'static [&'static str],
    /// Digits after the mobile prefix.
    pub subscriber_digits: usize,
    /// Passport number shape.
    pub passport: DocShape,
    /// Identity card number shape.
    pub id_card: DocShape,
    /// Cities.
    pub cities: &'static [City],
    /// Street names.
    pub streets: &'static [&'static str],
    /// Region digits of the Yugoslav personal number (JMBG/EMBG), where used.
    pub jmbg_region: Option<(u8, u8)>,
    /// Whether the country has agencies in the scenario (the region), or is
    /// only a country of origin.
    pub regional: bool,
}

macro_rules! cities {
    ($($n:literal $p:literal),* $(,)?) => { &[$(City { name: $n, postcode: $p }),*] };
}

/// Every country of the scenario.
pub const COUNTRIES: &[Country] = &[
    Country {
        code: "al",
        name: "Albania",
        cultures: &[(100, Culture::Albanian)],
        calling: "+355",
        mobile: &["67", "68", "69"],
        subscriber_digits: 7,
        passport: DocShape::Letters(2, 7),
        id_card: DocShape::Letters(1, 8),
        cities: cities!["Tiranë" "1001", "Durrës" "2001", "Shkodër" "4001", "Vlorë" "9401", "Elbasan" "3001", "Korçë" "7001", "Fier" "9301", "Berat" "5001", "Lushnjë" "9001", "Kukës" "8501", "Sarandë" "9701", "Gjirokastër" "6001"],
        streets: &[
            "Rruga e Kavajës",
            "Rruga Myslym Shyri",
            "Bulevardi Zogu I",
            "Rruga e Durrësit",
            "Rruga Ismail Qemali",
            "Rruga Naim Frashëri",
            "Rruga e Elbasanit",
            "Rruga Sami Frashëri",
        ],
        jmbg_region: None,
        regional: true,
    },
    Country {
        code: "ba",
        name: "Bosnia and Herzegovina",
        cultures: &[(55, Culture::Bosnian), (35, Culture::Serbian), (10, Culture::Montenegrin)],
        calling: "+387",
        mobile: &["61", "62", "63", "65", "66"],
        subscriber_digits: 6,
        passport: DocShape::Letters(1, 7),
        id_card: DocShape::Letters(1, 8),
        cities: cities!["Sarajevo" "71000", "Banja Luka" "78000", "Tuzla" "75000", "Zenica" "72000", "Mostar" "88000", "Bihać" "77000", "Bijeljina" "76300", "Brčko" "76100", "Doboj" "74000", "Zvornik" "75400", "Velika Kladuša" "77230", "Trebinje" "89101", "Gradiška" "78400"],
        streets: &[
            "Maršala Tita",
            "Ferhadija",
            "Zmaja od Bosne",
            "Kralja Petra I",
            "Bulevar Meše Selimovića",
            "Titova",
            "Kulina bana",
            "Alipašina",
        ],
        jmbg_region: Some((10, 19)),
        regional: true,
    },
    Country {
        code: "me",
        name: "Montenegro",
        cultures: &[(70, Culture::Montenegrin), (15, Culture::Serbian), (10, Culture::Albanian), (5, Culture::Bosnian)],
        calling: "+382",
        mobile: &["67", "68", "69"],
        subscriber_digits: 6,
        passport: DocShape::Letters(1, 7),
        id_card: DocShape::Digits(9),
        cities: cities!["Podgorica" "81000", "Nikšić" "81400", "Bar" "85000", "Budva" "85310", "Herceg Novi" "85340", "Bijelo Polje" "84000", "Ulcinj" "85360", "Rožaje" "84310", "Pljevlja" "84210", "Kotor" "85330"],
        streets: &[
            "Bulevar Svetog Petra Cetinjskog",
            "Njegoševa",
            "Slobode",
            "Bulevar Džordža Vašingtona",
            "Vojvode Mašana",
            "Jadranski put",
            "Ulica 13. jula",
        ],
        jmbg_region: Some((21, 29)),
        regional: true,
    },
    Country {
        code: "mk",
        name: "North Macedonia",
        cultures: &[(70, Culture::Macedonian), (25, Culture::Albanian), (5, Culture::Turkish)],
        calling: "+389",
        mobile: &["70", "71", "72", "75", "76", "77", "78"],
        subscriber_digits: 6,
        passport: DocShape::Letters(1, 7),
        id_card: DocShape::Letters(1, 7),
        cities: cities!["Скопје" "1000", "Битола" "7000", "Куманово" "1300", "Прилеп" "7500", "Тетово" "1200", "Велес" "1400", "Охрид" "6000", "Гостивар" "1230", "Штип" "2000", "Гевгелија" "1480", "Струмица" "2400", "Кичево" "6250"],
        streets: &[
            "Бул. Партизански одреди",
            "Ул. Македонија",
            "Бул. Илинден",
            "Ул. Маршал Тито",
            "Бул. Гоце Делчев",
            "Ул. Народен фронт",
            "Ул. Васил Главинов",
        ],
        jmbg_region: Some((41, 49)),
        regional: true,
    },
    Country {
        code: "rs",
        name: "Serbia",
        cultures: &[(88, Culture::Serbian), (5, Culture::Bosnian), (4, Culture::Hungarian), (3, Culture::Albanian)],
        calling: "+381",
        mobile: &["60", "61", "62", "63", "64", "65", "66", "69"],
        subscriber_digits: 7,
        passport: DocShape::Digits(9),
        id_card: DocShape::Digits(9),
        cities: cities!["Београд" "11000", "Нови Сад" "21000", "Ниш" "18000", "Крагујевац" "34000", "Суботица" "24000", "Лесковац" "16000", "Врање" "17500", "Прешево" "17523", "Шабац" "15000", "Сомбор" "25000", "Нови Пазар" "36300", "Кањижа" "24420", "Пирот" "18300", "Сремска Митровица" "22000"],
        streets: &[
            "Булевар краља Александра",
            "Кнеза Милоша",
            "Немањина",
            "Булевар ослобођења",
            "Цара Душана",
            "Војводе Мишића",
            "Кнез Михаилова",
            "Таковска",
            "Устаничка",
            "Јурија Гагарина",
        ],
        jmbg_region: Some((71, 89)),
        regional: true,
    },
    Country {
        code: "xk",
        name: "Kosovo",
        cultures: &[(92, Culture::Albanian), (6, Culture::Serbian), (2, Culture::Bosnian)],
        calling: "+383",
        mobile: &["43", "44", "45", "49"],
        subscriber_digits: 6,
        passport: DocShape::Prefix("P", 8),
        id_card: DocShape::Digits(10),
        cities: cities!["Prishtinë" "10000", "Prizren" "20000", "Pejë" "30000", "Gjakovë" "50000", "Mitrovicë" "40000", "Ferizaj" "70000", "Gjilan" "60000", "Podujevë" "11000", "Vushtrri" "42000", "Hani i Elezit" "71510"],
        streets: &[
            "Rruga Nëna Terezë",
            "Bulevardi Bill Klinton",
            "Rruga Agim Ramadani",
            "Rruga UÇK",
            "Rruga Luan Haradinaj",
            "Rruga Adem Jashari",
            "Rruga Garibaldi",
        ],
        jmbg_region: Some((91, 96)),
        regional: true,
    },
    Country {
        code: "hr",
        name: "Croatia",
        cultures: &[(90, Culture::Bosnian), (10, Culture::Serbian)],
        calling: "+385",
        mobile: &["91", "92", "95", "98", "99"],
        subscriber_digits: 7,
        passport: DocShape::Digits(9),
        id_card: DocShape::Digits(9),
        cities: cities!["Zagreb" "10000", "Split" "21000", "Rijeka" "51000", "Osijek" "31000", "Zadar" "23000", "Slavonski Brod" "35000", "Vukovar" "32000", "Karlovac" "47000"],
        streets: &[
            "Ilica",
            "Vukovarska",
            "Savska cesta",
            "Ulica kralja Zvonimira",
            "Frankopanska",
            "Ulica grada Vukovara",
        ],
        jmbg_region: Some((30, 39)),
        regional: true,
    },
    Country {
        code: "bg",
        name: "Bulgaria",
        cultures: &[(90, Culture::Bulgarian), (10, Culture::Turkish)],
        calling: "+359",
        mobile: &["87", "88", "89"],
        subscriber_digits: 7,
        passport: DocShape::Digits(9),
        id_card: DocShape::Digits(9),
        cities: cities!["София" "1000", "Пловдив" "4000", "Варна" "9000", "Бургас" "8000", "Хасково" "6300", "Свиленград" "6500", "Драгоман" "2210"],
        streets: &["бул. Витоша", "ул. Граф Игнатиев", "бул. Христо Ботев", "ул. Раковски", "бул. Цар Освободител"],
        jmbg_region: None,
        regional: true,
    },
    Country {
        code: "gr",
        name: "Greece",
        cultures: &[(100, Culture::Greek)],
        calling: "+30",
        mobile: &["690", "693", "694", "695", "697", "698", "699"],
        subscriber_digits: 7,
        passport: DocShape::Letters(2, 7),
        id_card: DocShape::Letters(2, 6),
        cities: cities!["Αθήνα" "10431", "Θεσσαλονίκη" "54621", "Πάτρα" "26221", "Ηράκλειο" "71201", "Ιωάννινα" "45221", "Κιλκίς" "61100", "Αλεξανδρούπολη" "68100"],
        streets: &["Οδός Εγνατία", "Οδός Αθηνάς", "Λεωφόρος Αλεξάνδρας", "Οδός Τσιμισκή", "Οδός Πατησίων"],
        jmbg_region: None,
        regional: true,
    },
    Country {
        code: "hu",
        name: "Hungary",
        cultures: &[(100, Culture::Hungarian)],
        calling: "+36",
        mobile: &["20", "30", "70"],
        subscriber_digits: 7,
        passport: DocShape::Letters(2, 7),
        id_card: DocShape::Letters(2, 6),
        cities: cities!["Budapest" "1051", "Szeged" "6720", "Debrecen" "4024", "Pécs" "7621", "Kecskemét" "6000", "Röszke" "6758", "Győr" "9021"],
        streets: &["Andrássy út", "Kossuth Lajos utca", "Petőfi Sándor utca", "Rákóczi út", "Váci utca"],
        jmbg_region: None,
        regional: true,
    },
    Country {
        code: "si",
        name: "Slovenia",
        cultures: &[(90, Culture::Slovenian), (10, Culture::Bosnian)],
        calling: "+386",
        mobile: &["30", "31", "40", "41", "51", "68", "70", "71"],
        subscriber_digits: 6,
        passport: DocShape::Prefix("PB", 7),
        id_card: DocShape::Prefix("IB", 7),
        cities: cities!["Ljubljana" "1000", "Maribor" "2000", "Celje" "3000", "Kranj" "4000", "Koper" "6000", "Novo mesto" "8000", "Brežice" "8250"],
        streets: &["Slovenska cesta", "Trubarjeva cesta", "Dunajska cesta", "Celovška cesta", "Partizanska cesta"],
        jmbg_region: Some((50, 59)),
        regional: true,
    },
    Country {
        code: "at",
        name: "Austria",
        cultures: &[(85, Culture::German), (8, Culture::Bosnian), (7, Culture::Turkish)],
        calling: "+43",
        mobile: &["664", "660", "676", "699", "650"],
        subscriber_digits: 7,
        passport: DocShape::Prefix("P", 7),
        id_card: DocShape::Digits(8),
        cities: cities!["Wien" "1010", "Graz" "8010", "Linz" "4020", "Salzburg" "5020", "Innsbruck" "6020", "Klagenfurt" "9020", "Nickelsdorf" "2425"],
        streets: &[
            "Mariahilfer Straße",
            "Favoritenstraße",
            "Hauptstraße",
            "Landstraßer Hauptstraße",
            "Annenstraße",
            "Bahnhofstraße",
        ],
        jmbg_region: None,
        regional: true,
    },
    Country {
        code: "de",
        name: "Germany",
        cultures: &[(85, Culture::German), (10, Culture::Turkish), (5, Culture::Bosnian)],
        calling: "+49",
        mobile: &["151", "152", "157", "160", "170", "171", "172", "175", "176"],
        subscriber_digits: 8,
        passport: DocShape::Prefix("C", 8),
        id_card: DocShape::Prefix("L", 8),
        cities: cities!["Berlin" "10115", "München" "80331", "Hamburg" "20095", "Frankfurt am Main" "60311", "Stuttgart" "70173", "Köln" "50667", "Passau" "94032", "Dortmund" "44135"],
        streets: &["Hauptstraße", "Bahnhofstraße", "Goethestraße", "Schillerstraße", "Berliner Straße", "Lindenstraße"],
        jmbg_region: None,
        regional: true,
    },
    Country {
        code: "sy",
        name: "Syria",
        cultures: &[(100, Culture::Arabic)],
        calling: "+963",
        mobile: &["93", "94", "95", "96", "98", "99"],
        subscriber_digits: 7,
        passport: DocShape::Prefix("N", 9),
        id_card: DocShape::Digits(11),
        cities: cities!["Aleppo" "", "Damascus" "", "Homs" "", "Idlib" "", "Deir ez-Zor" "", "Raqqa" ""],
        streets: &["Baron Street", "Al-Thawra Street", "Hamra Street"],
        jmbg_region: None,
        regional: false,
    },
    Country {
        code: "af",
        name: "Afghanistan",
        cultures: &[(100, Culture::Afghan)],
        calling: "+93",
        mobile: &["70", "72", "74", "77", "78", "79"],
        subscriber_digits: 7,
        passport: DocShape::Prefix("P", 8),
        id_card: DocShape::Digits(12),
        cities: cities!["Kabul" "", "Herat" "", "Kandahar" "", "Jalalabad" "", "Kunduz" "", "Mazar-i-Sharif" ""],
        streets: &["Darulaman Road", "Jada-e-Maiwand", "Shahr-e Naw"],
        jmbg_region: None,
        regional: false,
    },
    Country {
        code: "pk",
        name: "Pakistan",
        cultures: &[(100, Culture::Pakistani)],
        calling: "+92",
        mobile: &["300", "301", "302", "303", "311", "321", "333", "345"],
        subscriber_digits: 7,
        passport: DocShape::Letters(2, 7),
        id_card: DocShape::Digits(13),
        cities: cities!["Lahore" "", "Gujrat" "", "Sialkot" "", "Karachi" "", "Rawalpindi" "", "Mandi Bahauddin" ""],
        streets: &["Mall Road", "GT Road", "Jail Road"],
        jmbg_region: None,
        regional: false,
    },
    Country {
        code: "iq",
        name: "Iraq",
        cultures: &[(100, Culture::Arabic)],
        calling: "+964",
        mobile: &["750", "751", "770", "771", "780", "790"],
        subscriber_digits: 7,
        passport: DocShape::Prefix("A", 8),
        id_card: DocShape::Digits(12),
        cities: cities!["Baghdad" "", "Mosul" "", "Erbil" "", "Basra" "", "Sulaymaniyah" "", "Duhok" ""],
        streets: &["Al-Rasheed Street", "Abu Nuwas Street", "Karrada Street"],
        jmbg_region: None,
        regional: false,
    },
    Country {
        code: "ma",
        name: "Morocco",
        cultures: &[(100, Culture::Moroccan)],
        calling: "+212",
        mobile: &["61", "62", "66", "67", "70"],
        subscriber_digits: 7,
        passport: DocShape::Letters(2, 7),
        id_card: DocShape::Letters(2, 6),
        cities: cities!["Casablanca" "20000", "Tanger" "90000", "Fès" "30000", "Oujda" "60000", "Nador" "62000", "Beni Mellal" "23000"],
        streets: &["Boulevard Mohammed V", "Avenue Hassan II", "Rue Ibn Batouta"],
        jmbg_region: None,
        regional: false,
    },
    Country {
        code: "bd",
        name: "Bangladesh",
        cultures: &[(100, Culture::Bangladeshi)],
        calling: "+880",
        mobile: &["13", "15", "16", "17", "18", "19"],
        subscriber_digits: 8,
        passport: DocShape::Letters(2, 7),
        id_card: DocShape::Digits(10),
        cities: cities!["Dhaka" "1000", "Sylhet" "3100", "Chattogram" "4000", "Cumilla" "3500", "Noakhali" "3800"],
        streets: &["Mirpur Road", "Zindabazar", "Station Road"],
        jmbg_region: None,
        regional: false,
    },
    Country {
        code: "tr",
        name: "Türkiye",
        cultures: &[(100, Culture::Turkish)],
        calling: "+90",
        mobile: &["505", "530", "532", "533", "535", "541", "542", "555"],
        subscriber_digits: 7,
        passport: DocShape::Prefix("U", 8),
        id_card: DocShape::Digits(11),
        cities: cities!["İstanbul" "34000", "Edirne" "22000", "İzmir" "35000", "Ankara" "06000", "Gaziantep" "27000", "Van" "65000"],
        streets: &["İstiklal Caddesi", "Atatürk Bulvarı", "Cumhuriyet Caddesi"],
        jmbg_region: None,
        regional: false,
    },
    Country {
        code: "ua",
        name: "Ukraine",
        cultures: &[(100, Culture::Ukrainian)],
        calling: "+380",
        mobile: &["50", "63", "66", "67", "68", "73", "93", "95", "96", "97", "98", "99"],
        subscriber_digits: 7,
        passport: DocShape::Letters(2, 6),
        id_card: DocShape::Digits(9),
        cities: cities!["Київ" "01001", "Одеса" "65000", "Харків" "61000", "Дніпро" "49000", "Чернівці" "58000", "Ізмаїл" "68600"],
        streets: &["вул. Хрещатик", "вул. Дерибасівська", "вул. Шевченка"],
        jmbg_region: None,
        regional: false,
    },
    Country {
        code: "md",
        name: "Moldova",
        cultures: &[(100, Culture::Moldovan)],
        calling: "+373",
        mobile: &["60", "62", "67", "68", "69", "78", "79"],
        subscriber_digits: 6,
        passport: DocShape::Letters(1, 8),
        id_card: DocShape::Digits(13),
        cities: cities!["Chișinău" "2001", "Bălți" "3100", "Cahul" "3901", "Ungheni" "3601", "Orhei" "3501", "Soroca" "3001"],
        streets: &["Bulevardul Ștefan cel Mare", "Strada București", "Strada Pușkin"],
        jmbg_region: None,
        regional: false,
    },
    Country {
        code: "ng",
        name: "Nigeria",
        cultures: &[(100, Culture::Nigerian)],
        calling: "+234",
        mobile: &["803", "805", "806", "807", "813", "816", "703", "706", "810"],
        subscriber_digits: 7,
        passport: DocShape::Prefix("A", 8),
        id_card: DocShape::Digits(11),
        cities: cities!["Benin City" "300001", "Lagos" "100001", "Abuja" "900001", "Enugu" "400001", "Port Harcourt" "500001"],
        streets: &["Sapele Road", "Airport Road", "Akpakpava Street", "Allen Avenue"],
        jmbg_region: None,
        regional: false,
    },
];

/// The country with `code`.
pub fn country(code: &str) -> Option<&'static Country> {
    COUNTRIES.iter().find(|c| c.code == code)
}

/// Countries whose agencies `--countries` may name.
pub fn regional_codes() -> Vec<&'static str> {
    COUNTRIES.iter().filter(|c| c.regional).map(|c| c.code).collect()
}

/// The Western Balkan six, the default of `--countries`.
pub const WESTERN_BALKANS: &[&str] = &["rs", "ba", "me", "mk", "al", "xk"];

/// What kind of place a crossing point is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointKind {
    /// A road (or rail) border crossing.
    Land,
    /// An international airport.
    Airport,
    /// An inland checkpoint or patrol near the green border.
    Inland,
}

/// A border crossing point, seen from one side.
#[derive(Debug, Clone, Copy)]
pub struct CrossingPoint {
    /// Short code, unique (`rs-presevo`).
    pub code: &'static str,
    /// Local name.
    pub name: &'static str,
    /// Country whose border police works there.
    pub country: &'static str,
    /// The country on the other side (`""` for airports and inland points).
    pub other: &'static str,
    /// Kind of place.
    pub kind: PointKind,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
}

macro_rules! points {
    ($($code:literal $name:literal $c:literal $o:literal $k:ident $lat:literal $lon:literal),* $(,)?) => {
        &[$(CrossingPoint { code: $code, name: $name, country: $c, other: $o, kind: PointKind::$k, lat: $lat, lon: $lon }),*]
    };
}

/// Real crossing points of the Balkan route, each side on its own.
pub const CROSSINGS: &[CrossingPoint] = points![
    "gr-evzoni" "Evzoni" "gr" "mk" Land 41.1195 22.5537,
    "mk-bogorodica" "Богородица (Gevgelija)" "mk" "gr" Land 41.1239 22.5505,
    "mk-tabanovce" "Табановце" "mk" "rs" Land 42.2127 21.7037,
    "rs-presevo" "Прешево" "rs" "mk" Land 42.2220 21.7153,
    "rs-horgos" "Хоргош" "rs" "hu" Land 46.1565 19.9771,
    "hu-roszke" "Röszke" "hu" "rs" Land 46.1681 19.9879,
    "rs-kelebija" "Келебија" "rs" "hu" Land 46.1667 19.6167,
    "hu-tompa" "Tompa" "hu" "rs" Land 46.1786 19.5389,
    "rs-batrovci" "Батровци" "rs" "hr" Land 45.0508 19.0964,
    "hr-bajakovo" "Bajakovo" "hr" "rs" Land 45.0544 19.0881,
    "rs-gradina" "Градина" "rs" "bg" Land 42.9760 22.7500,
    "bg-kalotina" "Калотина" "bg" "rs" Land 42.9790 22.8642,
    "bg-kapitan-andreevo" "Капитан Андреево" "bg" "tr" Land 41.7192 26.3230,
    "rs-sremska-raca" "Сремска Рача" "rs" "ba" Land 44.9087 19.3075,
    "ba-raca" "Rača" "ba" "rs" Land 44.9053 19.3197,
    "ba-karakaj" "Karakaj (Zvornik)" "ba" "rs" Land 44.4122 19.1017,
    "rs-mali-zvornik" "Мали Зворник" "rs" "ba" Land 44.3875 19.1064,
    "ba-gradiska" "Gradiška" "ba" "hr" Land 45.1461 17.2536,
    "hr-stara-gradiska" "Stara Gradiška" "hr" "ba" Land 45.1483 17.2436,
    "ba-izacic" "Izačić" "ba" "hr" Land 44.8683 15.7647,
    "ba-klobuk" "Klobuk" "ba" "me" Land 42.7550 18.5167,
    "me-ilino-brdo" "Ilino Brdo" "me" "ba" Land 42.7461 18.5228,
    "me-bozaj" "Božaj" "me" "al" Land 42.3600 19.3811,
    "al-hani-i-hotit" "Hani i Hotit" "al" "me" Land 42.3528 19.4247,
    "me-sukobin" "Sukobin" "me" "al" Land 41.9789 19.3703,
    "al-muriqan" "Muriqan" "al" "me" Land 41.9775 19.3858,
    "al-kakavija" "Kakavijë" "al" "gr" Land 39.9200 20.3167,
    "gr-kakavia" "Kakavia" "gr" "al" Land 39.9133 20.3269,
    "al-kapshtice" "Kapshticë" "al" "gr" Land 40.6050 20.9900,
    "al-morine" "Morinë" "al" "xk" Land 42.1236 20.5794,
    "xk-vermice" "Vërmicë" "xk" "al" Land 42.1289 20.5844,
    "al-qafe-thane" "Qafë Thanë" "al" "mk" Land 41.1667 20.6000,
    "mk-cafasan" "Ќафасан" "mk" "al" Land 41.1700 20.6100,
    "xk-hani-i-elezit" "Hani i Elezit" "xk" "mk" Land 42.1500 21.2967,
    "mk-blace" "Блаце" "mk" "xk" Land 42.1400 21.3100,
    "xk-merdare" "Merdare" "xk" "rs" Land 42.9444 21.2433,
    "rs-merdare" "Мердаре" "rs" "xk" Land 42.9500 21.2500,
    "xk-jarinje" "Jarinjë" "xk" "rs" Land 43.1344 20.7400,
    "me-dobrakovo" "Dobrakovo" "me" "rs" Land 43.1167 19.7000,
    "rs-gostun" "Гостун" "rs" "me" Land 43.1222 19.7333,
    "me-kula" "Kula" "me" "xk" Land 42.7200 20.2600,
    "xk-kulla" "Kulla" "xk" "me" Land 42.7167 20.2700,
    "hr-bregana" "Bregana" "hr" "si" Land 45.8397 15.6917,
    "si-obrezje" "Obrežje" "si" "hr" Land 45.8411 15.6994,
    "si-sentilj" "Šentilj" "si" "at" Land 46.6850 15.6536,
    "at-spielfeld" "Spielfeld" "at" "si" Land 46.7100 15.6400,
    "hu-hegyeshalom" "Hegyeshalom" "hu" "at" Land 47.9111 17.1500,
    "at-nickelsdorf" "Nickelsdorf" "at" "hu" Land 47.9408 17.0667,
    "de-passau" "Passau (Suben)" "de" "at" Land 48.5667 13.4312,
    "rs-beg" "Аеродром Никола Тесла Београд" "rs" "" Airport 44.8184 20.3091,
    "mk-skp" "Аеродром Скопје" "mk" "" Airport 41.9616 21.6214,
    "al-tia" "Aeroporti i Rinasit" "al" "" Airport 41.4147 19.7206,
    "xk-prn" "Aeroporti i Prishtinës" "xk" "" Airport 42.5728 21.0358,
    "me-tgd" "Aerodrom Podgorica" "me" "" Airport 42.3594 19.2519,
    "ba-sjj" "Aerodrom Sarajevo" "ba" "" Airport 43.8246 18.3315,
    "rs-miratovac" "Миратовац (patrola)" "rs" "" Inland 42.2500 21.6833,
    "rs-subotica-patrol" "Суботица (patrola)" "rs" "" Inland 46.1000 19.6667,
    "mk-lojane" "Лојане (патрола)" "mk" "" Inland 42.2236 21.6611,
    "ba-velika-kladusa" "Velika Kladuša (ophodnja)" "ba" "" Inland 45.1842 15.8056,
    "ba-bihac" "Bihać (ophodnja)" "ba" "" Inland 44.8167 15.8700,
];

/// The crossing point with `code`.
pub fn crossing(code: &str) -> Option<&'static CrossingPoint> {
    CROSSINGS.iter().find(|c| c.code == code)
}

/// A route: the crossing points passed, in order, and who travels it.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    /// Short name.
    pub name: &'static str,
    /// Crossing points passed in order.
    pub points: &'static [&'static str],
}

/// The routes of the scenario: smuggling routes of the Eastern
/// Mediterranean/Balkan route and the trafficking routes towards the
/// region's places of exploitation.
pub const ROUTES: &[Route] = &[
    Route {
        name: "Evzoni – Gevgelija – Tabanovce – Preševo – Horgoš",
        points: &[
            "gr-evzoni",
            "mk-bogorodica",
            "mk-lojane",
            "mk-tabanovce",
            "rs-presevo",
            "rs-miratovac",
            "rs-subotica-patrol",
            "rs-horgos",
            "hu-roszke",
        ],
    },
    Route {
        name: "Kapitan Andreevo – Kalotina – Gradina – Batrovci",
        points: &[
            "bg-kapitan-andreevo",
            "bg-kalotina",
            "rs-gradina",
            "rs-batrovci",
            "hr-bajakovo",
            "hr-bregana",
            "si-obrezje",
        ],
    },
    Route {
        name: "Kakavija – Hani i Hotit – Klobuk – Velika Kladuša",
        points: &[
            "gr-kakavia",
            "al-kakavija",
            "al-hani-i-hotit",
            "me-bozaj",
            "me-ilino-brdo",
            "ba-klobuk",
            "ba-bihac",
            "ba-velika-kladusa",
            "ba-izacic",
        ],
    },
    Route {
        name: "Preševo – Sremska Rača – Bihać",
        points: &["rs-presevo", "rs-sremska-raca", "ba-raca", "ba-velika-kladusa", "ba-izacic"],
    },
    Route {
        name: "Šentilj – Spielfeld – Passau",
        points: &["si-sentilj", "at-spielfeld", "hu-hegyeshalom", "at-nickelsdorf", "de-passau"],
    },
    Route {
        name: "Belgrade airport – Preševo – Blace (to Kosovo and Albania)",
        points: &["rs-beg", "rs-presevo", "mk-tabanovce", "mk-blace", "xk-hani-i-elezit", "xk-vermice", "al-morine"],
    },
    Route { name: "Tirana – Qafë Thanë – Skopje", points: &["al-tia", "al-qafe-thane", "mk-cafasan", "mk-skp"] },
    Route { name: "Podgorica – Gostun – Belgrade", points: &["me-tgd", "me-dobrakovo", "rs-gostun", "rs-beg"] },
    Route { name: "Zvornik – Bosnia – Sarajevo", points: &["rs-mali-zvornik", "ba-karakaj", "ba-sjj"] },
    Route { name: "Pristina – Merdare – Niš", points: &["xk-prn", "xk-merdare", "rs-merdare"] },
];

/// The kind of an agency of a country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgencyKind {
    /// Suffix of the agency code (`bp` in `rs-bp`).
    pub suffix: &'static str,
    /// Kind as `veza agency add --kind` takes it.
    pub kind: &'static str,
    /// Name after the country's.
    pub title: &'static str,
}

/// The four agencies every country of the region has in the scenario, with
/// the codes and kinds the demo uses.
pub const AGENCY_KINDS: &[AgencyKind] = &[
    AgencyKind { suffix: "bp", kind: "border_police", title: "Border Police" },
    AgencyKind { suffix: "thb", kind: "thb_unit", title: "Criminal Police, THB Unit" },
    AgencyKind { suffix: "ncb", kind: "ncb", title: "INTERPOL NCB" },
    AgencyKind { suffix: "pros", kind: "prosecution", title: "Prosecutor's Office" },
];

/// An agency of the scenario.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Agency {
    /// Code (`rs-bp`).
    pub code: String,
    /// Full name.
    pub name: String,
    /// Country (`zz` for INTERPOL's General Secretariat).
    pub country: String,
    /// Kind.
    pub kind: String,
}

/// INTERPOL's General Secretariat, owner of the notices and the SLTD list.
pub const INTERPOL_GS: &str = "int-gs";

/// The agencies of `countries`, then INTERPOL's General Secretariat.
pub fn agencies(countries: &[&str]) -> Vec<Agency> {
    let mut out = Vec::new();
    for code in countries {
        let Some(c) = country(code) else { continue };
        for k in AGENCY_KINDS {
            out.push(Agency {
                code: format!("{}-{}", c.code, k.suffix),
                name: format!("{} {}", c.name, k.title),
                country: c.code.to_owned(),
                kind: k.kind.to_owned(),
            });
        }
    }
    out.push(Agency {
        code: INTERPOL_GS.to_owned(),
        name: "INTERPOL General Secretariat".to_owned(),
        country: "zz".to_owned(),
        kind: "interpol_gs".to_owned(),
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_name_known_points() {
        for r in ROUTES {
            for p in r.points {
                assert!(crossing(p).is_some(), "{}: unknown point {p}", r.name);
            }
        }
    }

    #[test]
    fn crossing_codes_are_unique_and_start_with_their_country() {
        let mut codes: Vec<_> = CROSSINGS.iter().map(|c| c.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), CROSSINGS.len());
        for c in CROSSINGS {
            assert!(c.code.starts_with(&format!("{}-", c.country)), "{}", c.code);
            assert!(country(c.country).is_some_and(|k| k.regional));
        }
    }

    #[test]
    fn every_country_has_cities_and_phones() {
        for c in COUNTRIES {
            assert!(!c.cities.is_empty() && !c.mobile.is_empty() && !c.cultures.is_empty(), "{}", c.code);
        }
    }

    #[test]
    fn agencies_reuse_the_demo_codes() {
        let a = agencies(&["rs"]);
        let codes: Vec<_> = a.iter().map(|a| a.code.as_str()).collect();
        assert_eq!(codes, ["rs-bp", "rs-thb", "rs-ncb", "rs-pros", "int-gs"]);
        assert_eq!(a[0].name, "Serbia Border Police");
    }
}
