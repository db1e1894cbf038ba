use veza_ingest::PersonReader;
use veza_screen::{Person, ScreenOptions, Scratch, Watchlist};
fn read(path: &str) -> Vec<Person> {
    PersonReader::open(std::path::Path::new(path)).unwrap().map(|r| r.unwrap()).collect()
}
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let list = Watchlist::build_parallel(&read(&a[1]));
    let qs = read(&a[2]);
    let mut s = Scratch::default();
    let o = ScreenOptions { threshold: 0.7, ..ScreenOptions::default() };
    let t = std::time::Instant::now();
    for q in &qs { list.screen_with(q, &o, &mut s); }
    println!("1 thread {:.0} q/s; per query: scored {:.1} found {:.1} postings {:.1}; bytes/entry {}", qs.len() as f64 / t.elapsed().as_secs_f64(),
      s.candidates_scored as f64 / qs.len() as f64, s.candidates_found as f64 / qs.len() as f64, s.postings_read as f64 / qs.len() as f64, list.approximate_bytes() / list.len());
}
