"""Open Veza's exports with another reader: networkx reads the GraphML, GEXF and Cytoscape.js files; the ANX is parsed
as XML and its entity and link counts checked. usage: check_exports.py VEZA_BINARY EDGES.csv [NODES.csv]

Schemas: GraphML and GEXF are validated with xmllint (apt install libxml2-utils) against graphml.xsd and gexf.xsd
when VEZA_XSD_DIR names a folder holding the official schemas and the files they include (graphml.xsd redefines
graphml-structure.xsd, which imports xlink.xsd; gexf.xsd includes viz.xsd, data.xsd, dynamics.xsd, hierarchy.xsd,
phylogeny.xsd). They are published on graphml.graphdrawing.org and gexf.net, not in a package registry, so a machine
without the web cannot fetch them: the check then says so and only tests well-formedness with xmllint."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.dom.minidom


def xmllint(path, schema, why_none):
    """'valid', 'well-formed (no schema)', or the first lines of xmllint's complaint; None without xmllint."""
    if not shutil.which("xmllint"):
        return None
    args = ["xmllint", "--noout"]
    if schema:
        args += ["--nonet", "--schema", schema]
    r = subprocess.run(args + [path], capture_output=True, text=True)
    if r.returncode != 0:
        return "INVALID: " + " | ".join(r.stderr.strip().splitlines()[:3])
    return "valid against " + os.path.basename(schema) if schema else f"well-formed ({why_none})"


import networkx as nx

veza, edges = sys.argv[1], sys.argv[2]
nodes = sys.argv[3:4]
with tempfile.TemporaryDirectory() as tmp:
    counts = {}
    bad = False
    for fmt in ("graphml", "gexf", "cytoscape", "anx"):
        out = os.path.join(tmp, "x." + fmt)
        args = [veza, "graph", "export", "--edges", edges, "--format", fmt, "--output", out]
        if nodes:
            args += ["--nodes", nodes[0]]
        subprocess.run(args, check=True, capture_output=True)
        if fmt in ("graphml", "gexf", "anx"):
            xsd_dir = os.environ.get("VEZA_XSD_DIR", "")
            xsd = os.path.join(xsd_dir, fmt + ".xsd") if xsd_dir and fmt != "anx" else ""
            verdict = xmllint(out, xsd if xsd and os.path.exists(xsd) else "",
                              "the ANX structure is checked in crates/graph/tests/exports.rs" if fmt == "anx"
                              else "schema not available offline: set VEZA_XSD_DIR")
            if verdict:
                print(f"  {fmt:9} xmllint: {verdict}", file=sys.stderr)
                bad = bad or verdict.startswith("INVALID")
        if fmt == "graphml":
            g = nx.read_graphml(out)
        elif fmt == "gexf":
            g = nx.read_gexf(out)
        elif fmt == "cytoscape":
            g = nx.cytoscape_graph(json.load(open(out)))
        else:
            d = xml.dom.minidom.parse(out)
            counts[fmt] = (len(d.getElementsByTagName("Entity")), len(d.getElementsByTagName("Link")))
            continue
        counts[fmt] = (g.number_of_nodes(), g.number_of_edges())
    print(json.dumps(counts))
    sys.exit(0 if len(set(counts.values())) == 1 and not bad else 1)
