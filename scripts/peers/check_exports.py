"""Open Veza's exports with another reader: networkx reads the GraphML, GEXF and Cytoscape.js files; the ANX is parsed
as XML and its entity and link counts checked. usage: check_exports.py VEZA_BINARY EDGES.csv [NODES.csv]"""
import json
import os
import subprocess
import sys
import tempfile
import xml.dom.minidom

import networkx as nx

veza, edges = sys.argv[1], sys.argv[2]
nodes = sys.argv[3:4]
with tempfile.TemporaryDirectory() as tmp:
    counts = {}
    for fmt in ("graphml", "gexf", "cytoscape", "anx"):
        out = os.path.join(tmp, "x." + fmt)
        args = [veza, "graph", "export", "--edges", edges, "--format", fmt, "--output", out]
        if nodes:
            args += ["--nodes", nodes[0]]
        subprocess.run(args, check=True, capture_output=True)
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
    sys.exit(0 if len(set(counts.values())) == 1 else 1)
