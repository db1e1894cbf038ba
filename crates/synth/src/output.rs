//! The only module that touches files: writes a generated scenario into a
//! folder — `sources/<agency>.ftm.jsonl`, `watchlists/`, `truth/`,
//! `agencies.csv`, `import.sh` and `scenario.md`.

use crate::book::Book;
use crate::people::person_id;
use crate::world::{Agency, ROUTES};
use crate::{Options, Summary};
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

type Out = BufWriter<File>;

fn create(path: &Path) -> io::Result<Out> {
    File::create(path)
        .map(|f| BufWriter::with_capacity(1 << 20, f))
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))
}

/// Writes parts into a scenario folder as they come.
pub struct FolderSink {
    dir: PathBuf,
    sources: Vec<Out>,
    records: csv::Writer<Out>,
    members: csv::Writer<Out>,
    victims: csv::Writer<Out>,
    hits: csv::Writer<Out>,
    notices: Out,
    stolen: csv::Writer<Out>,
}

fn csv_err(e: csv::Error) -> io::Error {
    io::Error::other(e.to_string())
}

impl FolderSink {
    /// Creates the folder layout (the folder may exist; files in it are replaced).
    pub fn create(dir: &Path, agencies: &[Agency]) -> io::Result<FolderSink> {
        for sub in ["sources", "watchlists", "truth"] {
            fs::create_dir_all(dir.join(sub))
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", dir.display())))?;
        }
        let sources = agencies
            .iter()
            .map(|a| create(&dir.join("sources").join(format!("{}.ftm.jsonl", a.code))))
            .collect::<io::Result<Vec<_>>>()?;
        let table = |name: &str, header: &[&str]| -> io::Result<csv::Writer<Out>> {
            let mut w = csv::Writer::from_writer(create(&dir.join(name))?);
            w.write_record(header).map_err(csv_err)?;
            Ok(w)
        };
        let mut agencies_csv = table("agencies.csv", &["code", "name", "country", "kind"])?;
        for a in agencies {
            agencies_csv.write_record([&a.code, &a.name, &a.country, &a.kind]).map_err(csv_err)?;
        }
        agencies_csv.flush()?;
        let mut script = create(&dir.join("import.sh"))?;
        writeln!(
            script,
            "#!/bin/sh\n# Loads this scenario into Veza: the agencies first, then each agency's records as its own."
        )?;
        writeln!(script, "set -e\ncd \"$(dirname \"$0\")\"\nVEZA=${{VEZA:-veza}}\n$VEZA agency import agencies.csv")?;
        writeln!(
            script,
            "for f in sources/*.ftm.jsonl; do\n  $VEZA import \"$f\" --agency \"$(basename \"$f\" .ftm.jsonl)\"\ndone"
        )?;
        script.flush()?;
        Ok(FolderSink {
            dir: dir.to_path_buf(),
            sources,
            records: table("truth/records.csv", &["record_id", "person_id"])?,
            members: table("truth/ocg_members.csv", &["person_id", "ocg_id", "role"])?,
            victims: table(
                "truth/victims.csv",
                &["person_id", "case_id", "exploitation", "recruitment", "origin_country"],
            )?,
            hits: table("truth/watchlist_hits.csv", &["record_id", "notice_or_document_id"])?,
            notices: create(&dir.join("watchlists/notices.jsonl"))?,
            stolen: csv::Writer::from_writer(create(&dir.join("watchlists/stolen_documents.csv"))?),
        })
    }

    /// Flushes every file and writes `scenario.md`.
    pub fn finish(mut self, options: &Options, summary: &Summary) -> io::Result<()> {
        for s in &mut self.sources {
            s.flush()?;
        }
        for w in [&mut self.records, &mut self.members, &mut self.victims, &mut self.hits, &mut self.stolen] {
            w.flush()?;
        }
        self.notices.flush()?;
        fs::write(self.dir.join("scenario.md"), scenario_md(options, summary))
    }
}

impl crate::Sink for FolderSink {
    fn part(&mut self, book: Book) -> io::Result<()> {
        for (out, lines) in self.sources.iter_mut().zip(&book.lines) {
            out.write_all(lines)?;
        }
        for (r, p) in &book.records {
            self.records.write_record([r.as_str(), &person_id(*p)]).map_err(csv_err)?;
        }
        for (p, ocg, role) in &book.members {
            self.members.write_record([person_id(*p).as_str(), ocg, role]).map_err(csv_err)?;
        }
        for v in &book.victims {
            self.victims
                .write_record([person_id(v.person).as_str(), &v.case, v.exploitation, v.recruitment, v.origin])
                .map_err(csv_err)?;
        }
        for (r, n) in &book.hits {
            self.hits.write_record([r, n]).map_err(csv_err)?;
        }
        for n in &book.notices {
            serde_json::to_writer(&mut self.notices, n).map_err(io::Error::other)?;
            self.notices.write_all(b"\n")?;
        }
        for s in &book.stolen {
            self.stolen.serialize(s).map_err(csv_err)?;
        }
        Ok(())
    }
}

/// The exercise controller's background paper.
pub fn scenario_md(options: &Options, s: &Summary) -> String {
    let mut md = String::new();
    md.push_str("# Synthetic scenario: trafficking on the Balkan route\n\n");
    md.push_str(&format!(
        "Generated by `veza synth --persons {} --seed {} --countries {}`. Every person, phone, account and \
         document is invented; the same command gives the same files.\n\n",
        options.persons,
        options.seed,
        options.countries.join(",").to_uppercase()
    ));
    md.push_str("## Background for players\n\n");
    md.push_str(
        "Between 2023 and mid-2025 the border police of the region checked travellers and stopped migrants on \
         the Balkan route. Behind some of those crossings, organised criminal groups recruited women with false \
         job offers and the loverboy method, lured workers with debts for visas and transport, and moved \
         children and adults for begging and forced criminality. Each agency holds only what it saw: its own \
         spelling of the names, its own documents. The national THB units opened cases; some went to the \
         prosecutors; INTERPOL published red notices on some organisers and yellow notices on some missing \
         victims; stolen passports reported to the SLTD database reappear at the borders.\n\n",
    );
    md.push_str("## The groups\n\n| Group | Structure | Exploitation | Countries | Members | Victims | Victims from |\n|---|---|---|---|---|---|---|\n");
    for row in s.group_rows.iter().take(60) {
        md.push_str(row);
        md.push('\n');
    }
    if s.group_rows.len() > 60 {
        md.push_str(&format!("\n… and {} more groups (see `truth/ocg_members.csv`).\n", s.group_rows.len() - 60));
    }
    md.push_str("\n## Routes\n\n");
    for r in ROUTES {
        md.push_str(&format!("- {}\n", r.name));
    }
    md.push_str("\n## Counts\n\n| What | Count |\n|---|---|\n");
    md.push_str(&format!("| Persons | {} |\n| OCGs | {} |\n| OCG members | {} |\n| Victims | {} |\n| Person records | {} |\n| Notices | {} |\n| Stolen or lost documents | {} |\n", s.persons, s.groups, s.members, s.victims, s.records, s.notices, s.stolen));
    for (k, v) in &s.counts {
        md.push_str(&format!("| {k} entities | {v} |\n"));
    }
    md.push_str(
        "\n## Files\n\n- `agencies.csv` — the agencies that own the records; `sh import.sh` loads everything \
         (`veza agency import agencies.csv`, then `veza import sources/<agency>.ftm.jsonl --agency <agency>`).\n\
         - `sources/` — one FtM JSON-lines file per agency.\n- `watchlists/` — INTERPOL-shaped notices and the \
         stolen/lost documents list.\n- `truth/` — what really happened: for the controller only.\n",
    );
    md
}
