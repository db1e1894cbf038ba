//! `veza graph`: network analysis on edge files — communities, centrality,
//! disruption, paths and exports for the analyst's tools.

use anyhow::{Context, bail};
use clap::{Args as ClapArgs, Subcommand, ValueEnum};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use veza_graph::centrality::{self, Sources};
use veza_graph::disruption::{Strategy, disrupt};
use veza_graph::export::{self, AnxOptions, Column};
use veza_graph::{CommunityOptions, EdgeSpec, Graph, GraphBuilder, Method, Quality, TimeWindow};
use veza_ingest::network::{parse_time, read_edges, read_nodes};

/// The rules for edge files, shown in every subcommand's help.
macro_rules! file_rules {
    () => {
        "Edge files: CSV with header source,target and optional weight (a number ≥ 0; 1 when empty), \
kind and time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS, UTC); other columns are ignored. Undirected unless --directed. \
Self-loops are dropped (and counted on stderr); duplicate edges (same ends — either order when undirected —, kind \
and time) are merged into one whose weight is the sum. A file with an empty end, a weight that is not a number or \
is negative, a bad time or a short row is refused with each problem's line and field."
    };
}

/// Network analysis on edge files.
#[derive(Subcommand)]
pub enum Command {
    /// Find communities (groups) with Leiden or Louvain; writes node,community.
    #[command(after_help = concat!(
        "Example:\n  veza graph communities --edges calls.csv --output groups.csv --algorithm leiden --resolution 1.0 --seed 1\n\n",
        "Prints the modularity and the number of communities. Community 0 is the largest.\n\n",
        file_rules!()
    ))]
    Communities(CommunitiesArgs),
    /// Compute centrality measures; writes node, then one column per measure.
    #[command(after_help = concat!(
        "Example:\n  veza graph centrality --edges calls.csv --output measures.csv --measures degree,betweenness,pagerank\n\n",
        "Betweenness, closeness and harmonic count hops (weights are strengths, not distances); PageRank and weighted_degree use weights.\n\n",
        file_rules!()
    ))]
    Centrality(CentralityArgs),
    /// Simulate removing (arresting) nodes; writes step,removed,largest_component_fraction,components.
    #[command(
        after_help = concat!(
            "Example:\n  veza graph disrupt --edges calls.csv --strategy betweenness-recomputed --steps 10 --output disruption.csv\n\n",
            "Step 0 is the intact network; fractions are of all its nodes; a lone node counts as one part.\n\n",
            file_rules!()
        )
    )]
    Disrupt(DisruptArgs),
    /// Show the shortest path(s) between two nodes.
    #[command(after_help = concat!(
        "Example:\n  veza graph path --edges calls.csv --from N1 --to N17 --all\n\nExit code 1 when there is no path.\n\n",
        file_rules!()
    ))]
    Path(PathArgs),
    /// Export to i2 Analyst's Notebook (ANX), GraphML, GEXF or Cytoscape.js JSON.
    #[command(
        after_help = concat!(
            "Example:\n  veza graph export --edges calls.csv --nodes people.csv --format anx --output chart.anx\n\n",
            "Node files: CSV with header id and optional label and type; other columns become attributes; an empty or repeated id is refused. ",
            "Unless --plain, nodes also carry community, role, degree and betweenness.\n\n",
            file_rules!()
        )
    )]
    Export(ExportArgs),
}

/// The edge file and how to read it.
#[derive(ClapArgs)]
pub struct Input {
    /// Edge file: CSV with header source,target[,weight][,kind][,time].
    #[arg(long, value_name = "E.csv")]
    edges: PathBuf,
    /// Treat edges as directed (source → target).
    #[arg(long)]
    directed: bool,
    /// Only edges at or after this time (YYYY-MM-DD[THH:MM:SS]).
    #[arg(long, value_name = "TIME")]
    window_start: Option<String>,
    /// Only edges before this time.
    #[arg(long, value_name = "TIME")]
    window_end: Option<String>,
    /// Worker threads for betweenness, closeness and PageRank (0: every core).
    #[arg(long, default_value_t = 0)]
    threads: usize,
}

#[derive(ClapArgs)]
pub struct CommunitiesArgs {
    #[command(flatten)]
    input: Input,
    /// Where to write node,community.
    #[arg(long, value_name = "C.csv")]
    output: PathBuf,
    /// Method.
    #[arg(long, value_enum, default_value_t = Algorithm::Leiden)]
    algorithm: Algorithm,
    /// Quality to optimise (CPM: the resolution is a link-density threshold).
    #[arg(long, value_enum, default_value_t = QualityArg::Modularity)]
    quality: QualityArg,
    /// Resolution: larger gives more, smaller communities.
    #[arg(long, default_value_t = 1.0)]
    resolution: f64,
    /// Seed: the same seed gives the same communities.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Independent starts (seeds seed, seed+1, …), the best kept; default 20 up to 100,000 edges, else 1.
    #[arg(long)]
    restarts: Option<usize>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Algorithm {
    Leiden,
    Louvain,
}

#[derive(Clone, Copy, ValueEnum)]
enum QualityArg {
    Modularity,
    Cpm,
}

#[derive(ClapArgs)]
pub struct CentralityArgs {
    #[command(flatten)]
    input: Input,
    /// Where to write node, then one column per measure.
    #[arg(long, value_name = "M.csv")]
    output: PathBuf,
    /// Measures, comma-separated: degree, weighted_degree, betweenness, closeness, harmonic, pagerank, eigenvector, kcore.
    #[arg(long, value_delimiter = ',', default_value = "degree,betweenness,pagerank,eigenvector,closeness,kcore")]
    measures: Vec<String>,
    /// Estimate betweenness from this many random sources instead of all (for large graphs); 0: exact.
    #[arg(long, default_value_t = 0)]
    samples: usize,
    /// Seed of the betweenness sample.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

#[derive(ClapArgs)]
pub struct DisruptArgs {
    #[command(flatten)]
    input: Input,
    /// Which node to remove next.
    #[arg(long, value_enum)]
    strategy: StrategyArg,
    /// How many removals.
    #[arg(long, default_value_t = 10)]
    steps: usize,
    /// With --strategy list: the nodes to remove, in order, comma-separated.
    #[arg(long, value_delimiter = ',')]
    remove: Vec<String>,
    /// Where to write step,removed,largest_component_fraction,components.
    #[arg(long, value_name = "D.csv")]
    output: PathBuf,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum StrategyArg {
    /// Highest degree, ranked once.
    Degree,
    /// Highest degree among the remaining, after each removal.
    DegreeRecomputed,
    /// Highest betweenness, ranked once.
    Betweenness,
    /// Highest betweenness among the remaining, after each removal.
    BetweennessRecomputed,
    /// The nodes given with --remove.
    List,
}

#[derive(ClapArgs)]
pub struct PathArgs {
    #[command(flatten)]
    input: Input,
    /// Start node.
    #[arg(long)]
    from: String,
    /// End node.
    #[arg(long)]
    to: String,
    /// Show every shortest path (up to 100), not just one.
    #[arg(long)]
    all: bool,
}

#[derive(ClapArgs)]
pub struct ExportArgs {
    #[command(flatten)]
    input: Input,
    /// Node file: CSV with header id[,label][,type][,other attributes…].
    #[arg(long, value_name = "N.csv")]
    nodes: Option<PathBuf>,
    /// Format.
    #[arg(long, value_enum)]
    format: Format,
    /// Where to write.
    #[arg(long, value_name = "F")]
    output: PathBuf,
    /// Leave out the computed community, role, degree and betweenness.
    #[arg(long)]
    plain: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Anx,
    Graphml,
    Gexf,
    Cytoscape,
}

pub fn run(cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Communities(a) => communities(a),
        Command::Centrality(a) => centrality(a),
        Command::Disrupt(a) => disruption(a),
        Command::Path(a) => path(a),
        Command::Export(a) => export(a),
    }
}

/// Reads the edge (and node) files into a graph, restricted to the window.
fn load(input: &Input, nodes: Option<&Path>) -> anyhow::Result<Graph> {
    let mut b = GraphBuilder::new(input.directed);
    if let Some(path) = nodes {
        let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        let rows = read_nodes(std::io::BufReader::new(file)).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        for row in rows {
            b.node(&row.id, &row.kind, row.attributes);
            if let Some(label) = &row.label {
                b.label(&row.id, label)?;
            }
        }
    }
    let path = &input.edges;
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let edges = read_edges(std::io::BufReader::new(file), input.directed)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    if edges.self_loops > 0 || edges.duplicates > 0 {
        eprintln!(
            "note: {} self-loop(s) dropped, {} duplicate edge(s) merged (weights summed)",
            edges.self_loops, edges.duplicates
        );
    }
    for e in edges.edges {
        let spec = EdgeSpec::new(e.kind).weight(e.weight).time(e.time);
        b.edge_adding_nodes(&e.source, &e.target, spec)
            .with_context(|| format!("{}: line {}", path.display(), e.line))?;
    }
    let graph = b.build();
    let bound = |flag: &str, v: &Option<String>| -> anyhow::Result<Option<i64>> {
        v.as_deref()
            .map(|t| parse_time(t).with_context(|| format!("{flag} '{t}' is not a date (YYYY-MM-DD[THH:MM:SS])")))
            .transpose()
    };
    let window = TimeWindow {
        from: bound("--window-start", &input.window_start)?,
        to: bound("--window-end", &input.window_end)?,
    };
    Ok(if window == TimeWindow::default() { graph } else { graph.window(window) })
}

fn create(path: &Path) -> anyhow::Result<BufWriter<File>> {
    Ok(BufWriter::new(File::create(path).with_context(|| format!("cannot create {}", path.display()))?))
}

fn communities(a: CommunitiesArgs) -> anyhow::Result<ExitCode> {
    if !(a.resolution.is_finite() && a.resolution >= 0.0) {
        bail!("--resolution must be a number ≥ 0");
    }
    let g = load(&a.input, None)?;
    let options = CommunityOptions {
        method: match a.algorithm {
            Algorithm::Leiden => Method::Leiden,
            Algorithm::Louvain => Method::Louvain,
        },
        quality: match a.quality {
            QualityArg::Modularity => Quality::Modularity,
            QualityArg::Cpm => Quality::Cpm,
        },
        resolution: a.resolution,
        seed: a.seed,
        restarts: a.restarts.unwrap_or(if g.edge_count() <= 100_000 { 20 } else { 1 }),
        ..CommunityOptions::default()
    };
    let found = veza_graph::communities(&g, &options);
    let mut out = csv_writer(&a.output)?;
    out.write_record(["node", "community"])?;
    for (node, c) in g.nodes().iter().zip(&found.membership) {
        out.write_record([node.id.as_str(), &c.to_string()])?;
    }
    out.flush()?;
    println!("modularity: {:.6}", veza_graph::modularity(&g, &found.membership, 1.0));
    println!("communities: {}", found.count);
    Ok(ExitCode::SUCCESS)
}

fn csv_writer(path: &Path) -> anyhow::Result<csv::Writer<BufWriter<File>>> {
    Ok(csv::Writer::from_writer(create(path)?))
}

fn centrality(a: CentralityArgs) -> anyhow::Result<ExitCode> {
    const KNOWN: [&str; 8] =
        ["degree", "weighted_degree", "betweenness", "closeness", "harmonic", "pagerank", "eigenvector", "kcore"];
    let measures: Vec<String> = a.measures.iter().map(|m| m.trim().to_lowercase()).filter(|m| !m.is_empty()).collect();
    if let Some(bad) = measures.iter().find(|m| !KNOWN.contains(&m.as_str())) {
        bail!("unknown measure '{bad}'; use any of {}", KNOWN.join(","));
    }
    if measures.is_empty() {
        bail!("--measures is empty; use any of {}", KNOWN.join(","));
    }
    let g = load(&a.input, None)?;
    let threads = a.input.threads;
    let columns: Vec<Vec<f64>> = measures
        .iter()
        .map(|m| match m.as_str() {
            "degree" => centrality::degree(&g),
            "weighted_degree" => centrality::weighted_degree(&g),
            "betweenness" => {
                let sources =
                    if a.samples > 0 { Sources::Sample { count: a.samples, seed: a.seed } } else { Sources::All };
                centrality::betweenness(&g, sources, threads)
            }
            "closeness" => centrality::closeness(&g, threads),
            "harmonic" => centrality::harmonic(&g, threads),
            "pagerank" => centrality::pagerank(&g, 0.85, threads),
            "eigenvector" => centrality::eigenvector(&g),
            _ => centrality::k_core(&g).into_iter().map(f64::from).collect(),
        })
        .collect();
    let mut out = csv_writer(&a.output)?;
    let mut header = vec!["node".to_string()];
    header.extend(measures.iter().cloned());
    out.write_record(&header)?;
    for (v, node) in g.nodes().iter().enumerate() {
        let mut row = vec![node.id.clone()];
        row.extend(columns.iter().map(|c| c[v].to_string()));
        out.write_record(&row)?;
    }
    out.flush()?;
    println!("{} nodes, {} edges: {} written", g.node_count(), g.edge_count(), a.output.display());
    Ok(ExitCode::SUCCESS)
}

fn disruption(a: DisruptArgs) -> anyhow::Result<ExitCode> {
    let g = load(&a.input, None)?;
    let strategy = match a.strategy {
        StrategyArg::Degree => Strategy::Degree,
        StrategyArg::DegreeRecomputed => Strategy::DegreeRecomputed,
        StrategyArg::Betweenness => Strategy::Betweenness,
        StrategyArg::BetweennessRecomputed => Strategy::BetweennessRecomputed,
        StrategyArg::List => {
            if a.remove.is_empty() {
                bail!("--strategy list needs --remove A,B,…");
            }
            Strategy::Given(a.remove.iter().map(|id| g.require(id.trim())).collect::<Result<_, _>>()?)
        }
    };
    if a.strategy != StrategyArg::List && !a.remove.is_empty() {
        bail!("--remove is only used with --strategy list");
    }
    let steps = disrupt(&g, &strategy, a.steps, a.input.threads);
    let mut out = csv_writer(&a.output)?;
    out.write_record(["step", "removed", "largest_component_fraction", "components"])?;
    for s in &steps {
        let removed = s.removed.map(|v| g.node(v).id.clone()).unwrap_or_default();
        out.write_record([
            s.step.to_string(),
            removed,
            format!("{:.6}", s.largest_component_fraction),
            s.components.to_string(),
        ])?;
    }
    out.flush()?;
    if let Some(last) = steps.last() {
        println!(
            "after {} removal(s): largest part {:.1}% of the network, {} part(s)",
            last.step,
            100.0 * last.largest_component_fraction,
            last.components
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn path(a: PathArgs) -> anyhow::Result<ExitCode> {
    let g = load(&a.input, None)?;
    let (from, to) = (g.require(&a.from)?, g.require(&a.to)?);
    let paths = veza_graph::paths::all_shortest_paths(&g, from, to, if a.all { 100 } else { 1 });
    if paths.is_empty() {
        println!("no path from {} to {}", a.from, a.to);
        return Ok(ExitCode::from(1));
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    writeln!(out, "{} hop(s)", paths[0].len() - 1)?;
    for p in &paths {
        let names: Vec<&str> = p.iter().map(|&v| g.node(v).id.as_str()).collect();
        writeln!(out, "{}", names.join(" -> "))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn export(a: ExportArgs) -> anyhow::Result<ExitCode> {
    let g = load(&a.input, a.nodes.as_deref())?;
    let columns = if a.plain { Vec::new() } else { analysis_columns(&g, a.input.threads) };
    let mut out = create(&a.output)?;
    match a.format {
        Format::Anx => export::anx(&g, &columns, &AnxOptions::default(), &mut out)?,
        Format::Graphml => export::graphml(&g, &columns, &mut out)?,
        Format::Gexf => export::gexf(&g, &columns, &mut out)?,
        Format::Cytoscape => out.write_all(export::cytoscape(&g, &columns).as_bytes())?,
    }
    out.flush()?;
    println!("{} nodes, {} edges written to {}", g.node_count(), g.edge_count(), a.output.display());
    Ok(ExitCode::SUCCESS)
}

/// Community, role, degree and betweenness of each node, for the chart.
fn analysis_columns(g: &Graph, threads: usize) -> Vec<Column> {
    let found = veza_graph::communities(g, &CommunityOptions::default());
    let roles = veza_graph::brokers::roles(g, &found.membership);
    vec![
        Column::number("community", found.membership.iter().map(|&c| f64::from(c)).collect()),
        Column::text("role", roles.iter().map(|r| r.kind.name().to_string()).collect()),
        Column::number("degree", centrality::degree(g)),
        Column::number("betweenness", centrality::betweenness(g, Sources::All, threads)),
    ]
}
