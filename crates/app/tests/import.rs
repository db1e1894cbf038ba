//! Import and export as the foundation issue specifies them.

use std::path::{Path, PathBuf};
use veza_app::{Access, ImportOptions, Lookup, Veza};

const FEBRL_MAPPING: &str = r#"
schema = "Person"
id = "id"                         # column holding the source record id
[properties]
firstName = "given_name"
lastName = "surname"
birthDate = { column = "date_of_birth", format = "%Y%m%d" }
address = ["street_number", "address_1", "suburb", "postcode", "state"]  # joined with ", "
idNumber = "soc_sec_id"
"#;

fn febrl3() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/febrl/febrl3.csv");
    if p.exists() {
        Some(p)
    } else {
        eprintln!("{} is missing: test skipped", p.display());
        None
    }
}

async fn fresh(dir: &Path, name: &str) -> Veza {
    Veza::open(&format!("sqlite://{}", dir.join(name).display())).await.unwrap()
}

fn operator() -> Access {
    Access::operator("test", None).unwrap()
}

fn with_mapping(dir: &Path, text: &str) -> ImportOptions {
    let mapping = dir.join("mapping.toml");
    std::fs::write(&mapping, text).unwrap();
    ImportOptions { mapping: Some(mapping), ..ImportOptions::default() }
}

#[tokio::test]
async fn febrl3_imports_5000_people_and_again_leaves_5000() {
    let Some(csv) = febrl3() else { return };
    let dir = tempfile::tempdir().unwrap();
    let veza = fresh(dir.path(), "v.db").await;
    let mut options = with_mapping(dir.path(), FEBRL_MAPPING);
    options.rejects = Some(dir.path().join("rejects.csv"));
    let first = veza.import_file(&operator(), &csv, &options, |_| {}).await.unwrap();
    assert_eq!((first.created, first.updated, first.rejected_rows), (5000, 0, 0));
    assert_eq!(first.noted, 35, "FEBRL's impossible dates are kept as partial dates");
    let again = veza.import_file(&operator(), &csv, &options, |_| {}).await.unwrap();
    assert_eq!((again.created, again.updated), (0, 5000));
    let stats = veza.stats(&operator().caller).await.unwrap();
    assert_eq!(stats.entities, 5000);
    assert_eq!(stats.by_source, vec![("febrl3".to_owned(), 5000)]);
    let Lookup::Found(p) = veza.entity(&operator(), "febrl3.rec-1496-org").await.unwrap() else { panic!("not stored") };
    assert_eq!(p.first("name"), Some("mitchell green"));
    assert_eq!(p.first("birthDate"), Some("1956-04-09"));
    assert_eq!(p.first("address"), Some("7, wallaby place, cleveland, 2119, sa"));
    assert_eq!(p.provenance.source.record.as_deref(), Some("rec-1496-org"));
}

#[tokio::test]
async fn broken_rows_are_reported_and_good_rows_kept() {
    let dir = tempfile::tempdir().unwrap();
    let veza = fresh(dir.path(), "v.db").await;
    let csv = dir.path().join("people.csv");
    let mut bytes =
        b"id,given_name,surname,street_number,address_1,suburb,postcode,state,date_of_birth,soc_sec_id\n".to_vec();
    bytes.extend_from_slice(b"r1,ana,kovac,1,main st,town,1000,nsw,19870314,111\n"); // line 2 good
    bytes.extend_from_slice(b"r2,marko,petrovic,2,side st,town,1000,nsw,not-a-date,222\n"); // line 3 bad date
    bytes.extend_from_slice(b",ivana,horvat,3,high st,town,1000,nsw,19900101,333\n"); // line 4 missing id
    bytes.extend_from_slice(b"r4,luka,babic,4,low st,town,1000,nsw,19900101\n"); // line 5 wrong count
    bytes.extend_from_slice(b"r5,j\xffsip,maric,5,new st,town,1000,nsw,19900101,555\n"); // line 6 invalid UTF-8
    bytes.extend_from_slice(b"r6,petra,novak,6,old st,town,1000,nsw,19911231,666\n"); // line 7 good
    std::fs::write(&csv, bytes).unwrap();
    let options = with_mapping(dir.path(), FEBRL_MAPPING);
    let s = veza.import_file(&operator(), &csv, &options, |_| {}).await.unwrap();
    assert_eq!((s.created, s.rejected_rows), (2, 4));
    assert_eq!(s.rejects_path, dir.path().join("people.csv.rejects.csv"));
    let report = std::fs::read_to_string(&s.rejects_path).unwrap();
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines[0], "line,column,value,reason");
    let line_of = |n: &str| {
        lines
            .iter()
            .find(|l| l.starts_with(&format!("{n},")))
            .copied()
            .unwrap_or_else(|| panic!("no reject for line {n}: {report}"))
    };
    assert!(line_of("3").contains("date_of_birth"), "{report}");
    assert!(line_of("4").contains("id"), "{report}");
    assert!(line_of("5").contains("expected"), "{report}");
    assert!(line_of("6").to_lowercase().contains("utf-8"), "{report}");
    assert_eq!(veza.stats(&operator().caller).await.unwrap().entities, 2);
}

#[tokio::test]
async fn a_file_that_cannot_be_read_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let veza = fresh(dir.path(), "v.db").await;
    let missing = dir.path().join("nowhere.csv");
    let options = with_mapping(dir.path(), FEBRL_MAPPING);
    let err = veza.import_file(&operator(), &missing, &options, |_| {}).await.unwrap_err();
    assert!(err.to_string().contains("nowhere.csv"), "{err}");
    let wrong = dir.path().join("wrong.csv");
    std::fs::write(&wrong, "a,b,c\n1,2,3\n").unwrap();
    let err = veza.import_file(&operator(), &wrong, &options, |_| {}).await.unwrap_err();
    assert!(err.to_string().contains("given_name"), "names the missing columns: {err}");
    let no_mapping = veza.import_file(&operator(), &wrong, &ImportOptions::default(), |_| {}).await.unwrap_err();
    assert!(no_mapping.to_string().contains("mapping"), "{no_mapping}");
    assert_eq!(veza.stats(&operator().caller).await.unwrap().entities, 0);
    assert!(veza.store().sources().await.unwrap().is_empty(), "no source was created");
}

#[tokio::test]
async fn export_then_import_round_trips_every_entity_and_value() {
    let dir = tempfile::tempdir().unwrap();
    let source = fresh(dir.path(), "a.db").await;
    source.load_demo().await.unwrap();
    let export = dir.path().join("all.ftm.json");
    let mut out = std::fs::File::create(&export).unwrap();
    let written = source.export_ftm(&operator(), "test output", &mut out, |_| {}).await.unwrap();
    drop(out);
    let target = fresh(dir.path(), "b.db").await;
    let s = target.import_file(&operator(), &export, &ImportOptions::default(), |_| {}).await.unwrap();
    assert_eq!(s.rejected_rows, 0);
    assert_eq!(s.created, written.entities);
    let mut cursor = 0;
    let mut compared = 0;
    loop {
        let (page, next) = source.store().scan(&operator().caller, cursor, 500).await.unwrap();
        if page.is_empty() {
            break;
        }
        for original in page {
            let Lookup::Found(copy) = target.entity(&operator(), &original.id).await.unwrap() else {
                panic!("{} missing after round trip", original.id)
            };
            assert_eq!(copy.schema, original.schema);
            assert_eq!(copy.properties, original.properties, "{}", original.id);
            assert_eq!(copy.handling, original.handling, "{}", original.id);
            assert_eq!(copy.provenance.source, original.provenance.source, "{}", original.id);
            compared += 1;
        }
        cursor = next;
    }
    assert_eq!(compared, written.entities);
}

#[tokio::test]
async fn excel_files_import_through_a_mapping() {
    let dir = tempfile::tempdir().unwrap();
    let veza = fresh(dir.path(), "v.db").await;
    let xlsx = dir.path().join("checks.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["ref", "name", "nationality", "phone"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_number(1, 0, 1001.0).unwrap();
    sheet.write_string(1, 1, "Драган Стојановић").unwrap();
    sheet.write_string(1, 2, "Serbia").unwrap();
    sheet.write_string(1, 3, "064 111 2233").unwrap();
    sheet.write_number(2, 0, 1002.0).unwrap();
    sheet.write_string(2, 1, "Arbër Krasniqi").unwrap();
    sheet.write_string(2, 2, "Atlantis").unwrap();
    book.save(&xlsx).unwrap();
    let options = with_mapping(
        dir.path(),
        "schema = \"Person\"\nid = \"ref\"\n[properties]\nname = \"name\"\nnationality = \"nationality\"\nphone = \"phone\"\n",
    );
    let s = veza.import_file(&operator(), &xlsx, &options, |_| {}).await.unwrap();
    assert_eq!((s.created, s.rejected_rows), (1, 1));
    let hits = veza.search(&operator(), "dragan stojanovic", None, 10, 0).await.unwrap();
    assert_eq!(hits.total, 1);
    assert_eq!(hits.results[0].first("phone"), Some("+381641112233"));
}

#[tokio::test]
async fn ftm_fragments_of_one_entity_are_merged_across_batches() {
    let dir = tempfile::tempdir().unwrap();
    let veza = fresh(dir.path(), "v.db").await;
    let file = dir.path().join("fragments.ftm.json");
    let mut lines = String::new();
    lines.push_str("{\"id\":\"frag-1\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Ana Kovač\"]}}\n");
    // Enough other entities that the second fragment lands in a later batch.
    for i in 0..12_000 {
        lines.push_str(&format!(
            "{{\"id\":\"filler-{i}\",\"schema\":\"Person\",\"properties\":{{\"name\":[\"Filler {i}\"]}}}}\n"
        ));
    }
    lines.push_str("{\"id\":\"frag-1\",\"schema\":\"Person\",\"properties\":{\"nationality\":[\"hr\"]}}\n");
    std::fs::write(&file, lines).unwrap();
    let s = veza.import_file(&operator(), &file, &ImportOptions::default(), |_| {}).await.unwrap();
    assert_eq!(s.rejected_rows, 0);
    assert_eq!(s.created, 12_001);
    let Lookup::Found(e) = veza.entity(&operator(), "frag-1").await.unwrap() else { panic!("missing") };
    assert_eq!(e.first("name"), Some("Ana Kovač"));
    assert_eq!(e.first("nationality"), Some("hr"));
}
