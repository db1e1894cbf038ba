use super::*;
use proptest::prelude::*;

fn table(name: &str, text: &str) -> Table<&'static [u8]> {
    Table { name: name.to_owned(), input: Box::leak(text.to_owned().into_boxed_str()).as_bytes() }
}

#[test]
fn columns_are_recognised_by_name_and_others_left_out() {
    let input = read_tables(
        vec![table("a.csv", "id,firstName,surname,date_of_birth,entity_id\n1,Ana,Kovač,19850307,7\n2,Ivo,,,8\n")],
        None,
    )
    .unwrap();
    let kinds: Vec<(&str, FieldKind)> = input.schema.fields.iter().map(|f| (f.name.as_str(), f.kind)).collect();
    assert_eq!(
        kinds,
        [("firstName", FieldKind::GivenName), ("surname", FieldKind::Surname), ("date_of_birth", FieldKind::Date)]
    );
    assert_eq!(input.records[0].values[2].as_deref(), Some("1985-03-07"));
    assert_eq!(input.records[1].values, vec![Some("Ivo".to_owned()), None, None]);
}

#[test]
fn settings_declare_columns_kinds_and_date_formats() {
    let s = ResolveSettings::parse(
        "id = \"ref\"\n[[field]]\ncolumn = \"n\"\nkind = \"full_name\"\n[[field]]\ncolumn = \"b\"\nkind = \"date\"\nformat = \"%d.%m.%Y\"\n",
        "s.toml",
    )
    .unwrap();
    let input = read_tables(vec![table("a.csv", "ref,n,b\nx,Arben Krasniqi,07.03.1985\n")], Some(&s)).unwrap();
    assert_eq!(input.records[0].id, "x");
    assert_eq!(input.records[0].values[1].as_deref(), Some("1985-03-07"));
}

#[test]
fn an_unknown_kind_names_the_line_and_key() {
    let e =
        ResolveSettings::parse("id = \"id\"\n[[field]]\ncolumn = \"n\"\nkind = \"nickname\"\n", "s.toml").unwrap_err();
    assert_eq!((e.line, e.field.as_deref()), (Some(4), Some("field[1].kind")));
    assert!(e.reason.contains("unknown kind 'nickname'"), "{e}");
}

#[test]
fn an_unknown_column_in_settings_is_an_error_naming_it() {
    let s =
        ResolveSettings::parse("id = \"id\"\n[[field]]\ncolumn = \"nme\"\nkind = \"full_name\"\n", "s.toml").unwrap();
    let e = read_tables(vec![table("a.csv", "id,name\n1,Ana\n")], Some(&s)).unwrap_err();
    assert_eq!(e.file, "a.csv");
    assert!(e.to_string().contains("field[1].column 'nme'"), "{e}");
}

#[test]
fn duplicate_ids_across_files_name_both_places() {
    let e = read_tables(vec![table("a.csv", "id,name\n1,Ana\n2,Ivo\n"), table("b.csv", "id,name\n3,X\n2,Y\n")], None)
        .unwrap_err();
    assert_eq!((e.file.as_str(), e.line), ("b.csv", Some(3)));
    assert!(e.reason.contains("a.csv line 3"), "{e}");
}

#[test]
fn a_bad_date_names_file_line_and_column() {
    let s =
        ResolveSettings::parse("id = \"id\"\n[[field]]\ncolumn = \"b\"\nkind = \"date\"\nformat = \"%Y%m%d\"\n", "s")
            .unwrap();
    let e = read_tables(vec![table("a.csv", "id,b\n1,19850307\n2,7 March\n")], Some(&s)).unwrap_err();
    assert_eq!((e.line, e.field.as_deref()), (Some(3), Some("column 'b'")));
    assert!(e.reason.contains("'7 March' is not a date"), "{e}");
}

#[test]
fn a_bad_date_format_in_settings_is_refused() {
    let e = ResolveSettings::parse("id = \"id\"\n[[field]]\ncolumn = \"b\"\nkind = \"date\"\nformat = \"%Q\"\n", "s")
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("field[1].format"));
}

#[test]
fn calendar_typos_keep_their_digits() {
    let f = DateFormat::parse("%Y%m%d").unwrap();
    assert_eq!(f.read("19551192").as_deref(), Some("1955-11-92"));
    assert_eq!(DateFormat::parse("%d.%m.%Y").unwrap().read("7.3.1985").as_deref(), Some("1985-03-07"));
    assert_eq!(DateFormat::parse("%Y").unwrap().read("1985").as_deref(), Some("1985"));
    assert_eq!(f.read("1955119"), None);
}

#[test]
fn iso_dates_may_have_reduced_precision() {
    let f = DateFormat::parse("%Y-%m-%d").unwrap();
    assert_eq!(f.read("2008-05").as_deref(), Some("2008-05"));
    assert_eq!(f.read("2008").as_deref(), Some("2008"));
    // Not before the year, not ending on a separator, not without separators.
    assert_eq!(DateFormat::parse("%d.%m.%Y").unwrap().read("07.03"), None);
    assert_eq!(f.read("2008-"), None);
    assert_eq!(DateFormat::parse("%Y%m%d").unwrap().read("2008"), None);
    // A column mixing full and partial ISO dates is recognised without settings.
    let input = read_tables(vec![table("a.csv", "id,birth_date\n1,1985-03-07\n2,1985\n3,1985-03\n")], None).unwrap();
    let dates: Vec<_> = input.records.iter().map(|r| r.values[0].as_deref()).collect();
    assert_eq!(dates, [Some("1985-03-07"), Some("1985"), Some("1985-03")]);
}

#[test]
fn a_file_without_an_id_column_says_so() {
    let e = read_tables(vec![table("a.csv", "name\nAna\n")], None).unwrap_err();
    assert!(e.reason.contains("no id column"), "{e}");
}

proptest! {
    #[test]
    fn reading_never_panics(text in "[a-z0-9,\"\n ]{0,200}") {
        let _ = read_tables(vec![table("f.csv", &format!("id,name,dob\n{text}"))], None);
    }

    #[test]
    fn settings_parsing_never_panics(text in "[a-z_=\"\\[\\]\n %YmdQ]{0,120}") {
        let _ = ResolveSettings::parse(&text, "s");
    }

    #[test]
    fn dates_written_by_format_read_back(y in 1900u16..2100, m in 1u8..13, d in 1u8..32) {
        let f = DateFormat::parse("%d/%m/%Y").unwrap();
        prop_assert_eq!(f.read(&format!("{d}/{m}/{y}")), Some(format!("{y}-{m:02}-{d:02}")));
    }
}
