//! `veza graph …` as an analyst runs it on edge files: the output files and
//! headers of the contract, and clear messages for malformed files.

use std::path::Path;
use std::process::{Command, Output};

fn veza(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_veza"))
        .current_dir(dir)
        .arg("--data-dir")
        .arg(dir.join("data"))
        .args(args)
        .env_remove("VEZA_DATABASE_URL")
        .output()
        .expect("run veza")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Two triangles joined by one edge, with a weight column.
const BOWTIE: &str = "source,target,weight\na,b,1\nb,c,1\nc,a,1\nd,e,1\ne,f,1\nf,d,1\nc,d,1\n";

fn setup(edges: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("e.csv"), edges).unwrap();
    dir
}

#[test]
fn communities_writes_node_community_and_prints_modularity_and_count() {
    let dir = setup(BOWTIE);
    let o = veza(dir.path(), &["graph", "communities", "--edges", "e.csv", "--output", "c.csv", "--seed", "7"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.contains("modularity: 0.357143"), "{out}");
    assert!(out.contains("communities: 2"), "{out}");
    let c = std::fs::read_to_string(dir.path().join("c.csv")).unwrap();
    assert_eq!(c, "node,community\na,0\nb,0\nc,0\nd,1\ne,1\nf,1\n");
    let louvain =
        veza(dir.path(), &["graph", "communities", "--edges", "e.csv", "--output", "l.csv", "--algorithm", "louvain"]);
    assert!(louvain.status.success());
    assert_eq!(std::fs::read_to_string(dir.path().join("l.csv")).unwrap(), c);
}

#[test]
fn centrality_writes_one_column_per_measure_in_the_order_asked() {
    let dir = setup(BOWTIE);
    let o = veza(
        dir.path(),
        &["graph", "centrality", "--edges", "e.csv", "--output", "m.csv", "--measures", "degree,betweenness,kcore"],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let m = std::fs::read_to_string(dir.path().join("m.csv")).unwrap();
    let lines: Vec<&str> = m.lines().collect();
    assert_eq!(lines[0], "node,degree,betweenness,kcore");
    assert_eq!(lines[3], "c,3,6,2");
    let all = veza(dir.path(), &["graph", "centrality", "--edges", "e.csv", "--output", "all.csv"]);
    assert!(all.status.success());
    let header = std::fs::read_to_string(dir.path().join("all.csv")).unwrap().lines().next().unwrap().to_string();
    assert_eq!(header, "node,degree,betweenness,pagerank,eigenvector,closeness,kcore");
    let bad = veza(dir.path(), &["graph", "centrality", "--edges", "e.csv", "--output", "x.csv", "--measures", "fame"]);
    assert!(!bad.status.success());
    assert!(text(&bad.stderr).contains("unknown measure 'fame'"));
}

#[test]
fn disrupt_reports_each_step_from_the_intact_network() {
    let dir = setup(BOWTIE);
    let o = veza(
        dir.path(),
        &["graph", "disrupt", "--edges", "e.csv", "--strategy", "betweenness", "--steps", "2", "--output", "d.csv"],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let d = std::fs::read_to_string(dir.path().join("d.csv")).unwrap();
    assert_eq!(
        d,
        "step,removed,largest_component_fraction,components\n0,,1.000000,1\n1,c,0.500000,2\n2,d,0.333333,2\n"
    );
    let list = veza(
        dir.path(),
        &["graph", "disrupt", "--edges", "e.csv", "--strategy", "list", "--remove", "a,zz", "--output", "l.csv"],
    );
    assert!(!list.status.success());
    assert!(text(&list.stderr).contains("node 'zz' is not in the graph"), "{}", text(&list.stderr));
}

#[test]
fn path_prints_hops_and_the_route() {
    let dir = setup(BOWTIE);
    let o = veza(dir.path(), &["graph", "path", "--edges", "e.csv", "--from", "a", "--to", "f"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout), "3 hop(s)\na -> c -> d -> f\n");
    let isolated = setup("source,target\na,b\nc,d\n");
    let none = veza(isolated.path(), &["graph", "path", "--edges", "e.csv", "--from", "a", "--to", "d"]);
    assert_eq!(none.status.code(), Some(1));
    assert!(text(&none.stdout).contains("no path from a to d"));
}

#[test]
fn export_writes_each_format_with_the_node_file() {
    let dir = setup("source,target,weight,kind,time\np1,p2,3,call,2026-01-05\np2,ph,1,uses,\n");
    std::fs::write(dir.path().join("n.csv"), "id,label,type,nationality\np1,Ana,Person,rs\nph,+38160,Phone,\n")
        .unwrap();
    for (format, marker) in
        [("anx", "<Chart>"), ("graphml", "<graphml"), ("gexf", "<gexf"), ("cytoscape", "\"elements\"")]
    {
        let out = format!("x.{format}");
        let o = veza(
            dir.path(),
            &["graph", "export", "--edges", "e.csv", "--nodes", "n.csv", "--format", format, "--output", &out],
        );
        assert!(o.status.success(), "{format}: {}", text(&o.stderr));
        let written = std::fs::read_to_string(dir.path().join(&out)).unwrap();
        assert!(written.contains(marker), "{format}");
        assert!(written.contains("Ana"), "{format}: the node file's label is used");
        assert!(written.contains("community"), "{format}: the analysis columns are added");
    }
    let anx = std::fs::read_to_string(dir.path().join("x.anx")).unwrap();
    assert!(anx.contains("<IconStyle Type=\"Phone\"/>"));
    assert!(anx.contains("DateTime=\"2026-01-05T00:00:00.000\""));
}

#[test]
fn a_file_without_header_is_refused_with_the_line() {
    let dir = setup("a,b\nb,c\n");
    let o = veza(dir.path(), &["graph", "communities", "--edges", "e.csv", "--output", "c.csv"]);
    assert!(!o.status.success());
    let err = text(&o.stderr);
    assert!(err.contains("e.csv: line 1: missing header"), "{err}");
    assert!(err.contains("source, target"), "{err}");
    assert!(!dir.path().join("c.csv").exists(), "nothing written");
}

#[test]
fn a_non_numeric_weight_names_file_line_field_and_value() {
    let dir = setup("source,target,weight\na,b,2\nb,c,lots\nc,d,-3\n");
    let o = veza(dir.path(), &["graph", "centrality", "--edges", "e.csv", "--output", "m.csv"]);
    assert!(!o.status.success());
    let err = text(&o.stderr);
    assert!(err.contains("e.csv: line 3, field 'weight', value 'lots': the weight is not a number"), "{err}");
    assert!(err.contains("line 4, field 'weight', value '-3'"), "{err}");
}

#[test]
fn self_loops_are_dropped_and_duplicates_summed_with_a_note() {
    let dir = setup("source,target,weight\na,a,5\na,b,2\nb,a,3\nb,c,1\n");
    let o = veza(
        dir.path(),
        &["graph", "centrality", "--edges", "e.csv", "--output", "m.csv", "--measures", "weighted_degree"],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("1 self-loop(s) dropped, 1 duplicate edge(s) merged (weights summed)"));
    let m = std::fs::read_to_string(dir.path().join("m.csv")).unwrap();
    assert_eq!(m, "node,weighted_degree\na,5\nb,6\nc,1\n");
    let help = veza(dir.path(), &["graph", "communities", "--help"]);
    assert!(text(&help.stdout).contains("Self-loops are dropped"), "the rules are in --help");
}

#[test]
fn directed_edges_and_time_windows() {
    let dir = setup("source,target,time\na,b,2026-01-01\nb,c,2026-02-01\n");
    let one_way = veza(dir.path(), &["graph", "path", "--edges", "e.csv", "--directed", "--from", "c", "--to", "a"]);
    assert_eq!(one_way.status.code(), Some(1));
    let windowed = veza(
        dir.path(),
        &["graph", "path", "--edges", "e.csv", "--from", "a", "--to", "c", "--window-start", "2026-01-15"],
    );
    assert_eq!(windowed.status.code(), Some(1), "the a–b call lies before the window");
    let bad =
        veza(dir.path(), &["graph", "path", "--edges", "e.csv", "--from", "a", "--to", "c", "--window-end", "soon"]);
    assert!(text(&bad.stderr).contains("--window-end 'soon' is not a date"));
}

#[test]
fn a_missing_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let o = veza(dir.path(), &["graph", "communities", "--edges", "none.csv", "--output", "c.csv"]);
    assert!(!o.status.success());
    assert!(text(&o.stderr).contains("cannot open none.csv"));
}
