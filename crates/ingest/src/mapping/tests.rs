use super::*;
use proptest::prelude::*;
use veza_model::Visibility;

const FEBRL: &str = r#"
schema = "Person"
id = "id"                         # column holding the source record id
[properties]
firstName = "given_name"
lastName = "surname"
birthDate = { column = "date_of_birth", format = "%Y%m%d" }
address = ["street_number", "address_1", "suburb", "postcode", "state"]  # joined with ", " (empty parts skipped)
idNumber = "soc_sec_id"
"#;

fn model() -> &'static Model {
    Model::builtin()
}

fn parse(text: &str) -> Result<Mapping, MappingError> {
    Mapping::parse(text, model())
}

fn error(text: &str) -> MappingError {
    match parse(text) {
        Ok(m) => panic!("expected an error, got {m:?}"),
        Err(e) => e,
    }
}

fn person(properties: &str) -> String {
    format!("schema = \"Person\"\nid = \"id\"\n[properties]\n{properties}\n")
}

fn property<'m>(m: &'m Mapping, name: &str) -> &'m PropertyMapping {
    m.properties().iter().find(|p| p.property == name).unwrap_or_else(|| panic!("no {name}"))
}

#[test]
fn the_febrl_contract_is_accepted() {
    let m = parse(FEBRL).unwrap();
    assert_eq!(m.schema(), "Person");
    assert_eq!(m.id_column(), "id");
    assert_eq!(property(&m, "firstName").source, ValueSource::Column("given_name".into()));
    let birth = property(&m, "birthDate");
    assert_eq!(birth.source, ValueSource::Column("date_of_birth".into()));
    assert_eq!(birth.format.as_deref(), Some("%Y%m%d"));
    let address = property(&m, "address");
    let parts = ["street_number", "address_1", "suburb", "postcode", "state"].map(String::from).to_vec();
    assert_eq!(address.source, ValueSource::Columns { columns: parts, join: ", ".into() });
    assert_eq!(m.handling(), &Handling::default());
    assert_eq!(m.columns().len(), 10);
}

#[test]
fn every_source_form_and_top_level_option_is_read() {
    let text = r#"
schema = "Person"
id = "ref"
dataset = "rs-bp-2023"
sheet = "Persons"
delimiter = ";"
[handling]
visibility = "countries"
countries = ["SRB", "ba"]
caveats = ["not for judicial use"]
[properties]
name = { columns = ["first", "last"], join = " " }
country = { value = "rs" }
alias = { column = "aliases", split = ";" }
"#;
    let m = parse(text).unwrap();
    assert_eq!(m.dataset(), Some("rs-bp-2023"));
    assert_eq!(m.sheet(), Some("Persons"));
    assert_eq!(m.delimiter(), Some(b';'));
    assert_eq!(m.handling().visibility, Visibility::Countries);
    assert_eq!(m.handling().countries, ["rs", "ba"]);
    let name = &property(&m, "name").source;
    assert_eq!(name, &ValueSource::Columns { columns: vec!["first".into(), "last".into()], join: " ".into() });
    assert_eq!(property(&m, "country").source, ValueSource::Constant("rs".into()));
    assert_eq!(property(&m, "alias").split.as_deref(), Some(";"));
    assert_eq!(m.columns(), ["ref", "aliases", "first", "last"]);
}

#[test]
fn an_unknown_schema_is_named_with_its_position() {
    let e = error("schema = \"person\"\nid = \"id\"\n");
    assert_eq!(e.key(), Some("schema"));
    let text = e.to_string();
    assert!(text.contains("line 1, column 10"), "{text}");
    assert!(text.contains("unknown schema 'person'; did you mean 'Person'?"), "{text}");
}

#[test]
fn an_abstract_schema_is_refused() {
    let e = error("schema = \"Thing\"\nid = \"id\"\n");
    assert!(e.to_string().contains("abstract"), "{e}");
}

#[test]
fn unknown_and_reverse_properties_are_refused_by_key() {
    let e = error(&person("birthdate = \"dob\""));
    assert_eq!(e.key(), Some("properties.birthdate"));
    assert!(e.to_string().contains("line 4"), "{e}");
    assert!(e.to_string().contains("did you mean 'birthDate'?"), "{e}");
    let e = error(&person("familyPerson = \"family\""));
    assert_eq!(e.key(), Some("properties.familyPerson"));
    assert!(e.to_string().contains("computed from Family entities"), "{e}");
}

#[test]
fn date_formats_are_checked_when_loading() {
    let e = error(&person("birthDate = { column = \"dob\", format = \"%Y%q\" }"));
    assert_eq!(e.key(), Some("properties.birthDate"));
    assert!(e.to_string().contains("directive %q is not supported"), "{e}");
    let e = error(&person("firstName = { column = \"dob\", format = \"%Y\" }"));
    assert!(e.to_string().contains("`format` applies to dates"), "{e}");
    for bad in ["%m%d", "%Y%d", "%Y%m%d%H", "%Y%"] {
        assert!(check_date_format(bad).is_err(), "{bad}");
    }
    for good in ["%Y", "%Y-%m", "%d.%m.%Y", "%Y%m%d %H:%M:%S", "%Y-%m-%dT%H:%M"] {
        assert_eq!(check_date_format(good), Ok(()), "{good}");
    }
}

#[test]
fn constants_are_validated_against_their_property() {
    let e = error(&person("nationality = { value = \"Atlantis\" }"));
    assert_eq!(e.key(), Some("properties.nationality"));
    assert!(e.to_string().contains("not a valid country"), "{e}");
}

#[test]
fn toml_errors_keep_their_line_and_column() {
    let e = error("schema = \"Person\"\nid = \n");
    let MappingError::Toml(inner) = &e else { panic!("{e:?}") };
    assert!(inner.span().is_some());
    assert!(e.to_string().contains("line 2"), "{e}");
}

#[test]
fn shape_errors_are_reported_by_toml_with_their_position() {
    let cases = [
        ("firstName = { column = \"a\", value = \"b\" }", "exactly one of"),
        ("firstName = { colum = \"a\" }", "unknown field `colum`"),
        ("firstName = \"\"", "cannot be empty"),
        ("firstName = []", "at least one column"),
        ("firstName = { column = \"a\", join = \" \" }", "`join` goes with `columns`"),
        ("firstName = 7", "a column name, a list of column names"),
    ];
    for (line, expected) in cases {
        let e = error(&person(line));
        assert!(e.to_string().contains(expected), "{line}: {e}");
        assert!(e.to_string().contains("line 4"), "{line}: {e}");
    }
    let e = error("schema = \"Person\"\nid = \"id\"\nsheets = \"x\"\n");
    assert!(e.to_string().contains("unknown field `sheets`"), "{e}");
    assert!(error("schema = \"Person\"\n").to_string().contains("missing field `id`"));
}

#[test]
fn top_level_options_are_checked() {
    let base = "schema = \"Person\"\nid = \"id\"\n";
    let e = error(&format!("{base}delimiter = \"::\"\n"));
    assert_eq!(e.key(), Some("delimiter"));
    let e = error(&format!("{base}dataset = \"my data\"\n"));
    assert_eq!(e.key(), Some("dataset"));
    let e = error(&format!("{base}[handling]\nvisibility = \"countries\"\n"));
    assert_eq!(e.key(), Some("handling"));
    let e = error(&format!("{base}[handling]\nvisibility = \"nobody\"\n"));
    assert!(matches!(e, MappingError::Toml(_)), "{e:?}");
    let e = error("schema = \"Person\"\nid = \" \"\n");
    assert_eq!(e.key(), Some("id"));
}

#[test]
fn a_header_must_hold_every_referenced_column_once() {
    let m = parse(FEBRL).unwrap();
    let header: Vec<String> = ["id", "given_name", "surname", "date_of_birth"].map(String::from).to_vec();
    let e = m.check_header(&header).unwrap_err();
    let IngestError::MissingColumns { missing, header: found } = &e else { panic!("{e:?}") };
    assert_eq!(missing, &["street_number", "address_1", "suburb", "postcode", "state", "soc_sec_id"]);
    assert_eq!(found, &header);
    let twice: Vec<String> = ["id", " id "].map(String::from).to_vec();
    let m = parse(&person("")).unwrap();
    let e = m.check_header(&twice).unwrap_err();
    assert!(matches!(&e, IngestError::AmbiguousColumn { positions, .. } if positions == &[1, 2]), "{e:?}");
}

#[test]
fn positions_count_lines_and_characters() {
    assert_eq!(line_and_column("ab\ncž = 1", 6), (2, 3));
    assert_eq!(line_and_column("", 0), (1, 1));
    assert_eq!(line_and_column("abc", 99), (1, 4));
}

fn column_name() -> impl Strategy<Value = String> {
    "[a-z_][a-z0-9_ ]{0,8}[a-z0-9_]"
}

fn source() -> impl Strategy<Value = ValueSource> {
    prop_oneof![
        column_name().prop_map(ValueSource::Column),
        (prop::collection::vec(column_name(), 1..4), prop_oneof![Just(", ".to_owned()), Just(" ".to_owned())])
            .prop_map(|(columns, join)| ValueSource::Columns { columns, join }),
    ]
}

fn handling() -> impl Strategy<Value = Handling> {
    let visibility = prop_oneof![Just(Visibility::Agency), Just(Visibility::Country), Just(Visibility::All)];
    (visibility, any::<bool>(), prop::collection::vec("[a-z]{1,8}( [a-z]{1,8})?", 0..3)).prop_map(
        |(visibility, existence_visible, caveats)| Handling {
            visibility,
            countries: vec![],
            existence_visible,
            caveats,
        },
    )
}

fn mapping() -> impl Strategy<Value = Mapping> {
    let names =
        source().prop_map(|source| PropertyMapping { property: "firstName".into(), source, format: None, split: None });
    let dates = (column_name(), prop_oneof![Just("%Y%m%d"), Just("%d.%m.%Y")], prop::option::of("[;|/]")).prop_map(
        |(c, f, split)| PropertyMapping {
            property: "birthDate".into(),
            source: ValueSource::Column(c),
            format: Some(f.into()),
            split,
        },
    );
    let constant = "[A-Za-z]{1,10}".prop_map(|v| PropertyMapping {
        property: "name".into(),
        source: ValueSource::Constant(v),
        format: None,
        split: None,
    });
    (
        column_name(),
        prop::option::of("[a-z0-9-]{1,20}"),
        prop::option::of("[A-Za-z ]{0,5}[A-Za-z]"),
        prop::option::of(prop_oneof![Just(b';'), Just(b'\t'), Just(b'|')]),
        handling(),
        prop::option::of(names),
        prop::option::of(dates),
        prop::option::of(constant),
    )
        .prop_map(|(id_column, dataset, sheet, delimiter, handling, a, b, c)| Mapping {
            schema: "Person".into(),
            id_column,
            dataset,
            sheet,
            delimiter,
            handling,
            properties: [b, a, c].into_iter().flatten().collect(),
        })
}

proptest! {
    #[test]
    fn parsing_never_panics(text in "\\PC{0,400}") {
        let _ = parse(&text);
    }

    #[test]
    fn parsing_mapping_like_text_never_panics(
        lines in prop::collection::vec(
            "(schema|id|dataset|sheet|delimiter|firstName|birthDate|address|\\[properties\\]|\\[handling\\]) ?= ?(\"[^\"\\n]{0,12}\"|\\[\"[a-z]{0,5}\"\\]|\\{ ?(column|columns|value|format|split|join) ?= ?\"[%a-zY]{0,6}\" ?\\}|[0-9]{1,3})?",
            0..8,
        )
    ) {
        if let Ok(m) = parse(&lines.join("\n")) {
            prop_assert_eq!(parse(&m.to_toml()), Ok(m));
        }
    }

    #[test]
    fn a_mapping_round_trips_through_toml(m in mapping()) {
        let text = m.to_toml();
        let back = parse(&text);
        prop_assert_eq!(back.as_ref(), Ok(&m), "{}", text);
    }
}
