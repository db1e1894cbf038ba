//! Agencies from a CSV file: good rows are saved, bad rows are reported by
//! line, and a file without the needed columns is refused whole.

use veza_app::{AppError, Veza};

#[tokio::test]
async fn agency_files_keep_good_rows_and_report_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let app = Veza::open("sqlite::memory:").await.unwrap();
    let file = dir.path().join("agencies.csv");
    std::fs::write(
        &file,
        "code,name,country,kind\nrs-bp,Serbia Border Police,RS,border_police\nbad code,X,RS,x\nba-bp,BiH Border Police,Atlantis,border_police\nmk-bp,North Macedonia Border Police,MK,border_police\n",
    )
    .unwrap();
    let done = app.import_agencies(&file).await.unwrap();
    assert_eq!(done.saved, 2);
    let lines: Vec<u64> = done.rejected.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, [3, 4]);
    assert!(done.rejected[1].1.contains("not a country"), "{:?}", done.rejected);
    assert!(app.agency("mk-bp").await.unwrap().is_some(), "rows after a bad one are saved");

    let headless = dir.path().join("headless.csv");
    std::fs::write(&headless, "code,name\nrs-bp,Serbia\n").unwrap();
    match app.import_agencies(&headless).await {
        Err(AppError::File { reason, .. }) => assert!(reason.contains("'country'"), "{reason}"),
        other => panic!("{other:?}"),
    }
}
