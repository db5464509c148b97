"""A GEXF 1.3 writer that validates against the official schema (gexf.net/1.3).

Hand-written because networkx writes invalid 1.3 files (a wrong xsi namespace, a `name`
attribute the schema forbids). Streams text, so memory grows with the network, nothing more.
Colours and sizes are the schema's <color> and <size> elements (in the GEXF namespace, as 1.3's
viz.xsd defines them); places carry latitude and longitude for Gephi's Geo Layout; the graph is
dynamic, each node and edge starting on the first publication date it appears on.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

from kg import __version__
from kg.networks import Network

NODE_ATTRIBUTES = [
    ("type", "type", "string"), ("mentions", "mentions", "integer"),
    ("documents", "documents", "integer"), ("latitude", "latitude", "double"),
    ("longitude", "longitude", "double"), ("value", "value", "double"),
    ("category", "category", "string"), ("event_type", "event type", "string"),
    ("figures", "figures", "integer"),
]  # fmt: skip
EDGE_ATTRIBUTES = [("kind", "kind", "string")]


def _a(value: object) -> str:
    return quoteattr(str(value))


def _lines(net: Network, description: str) -> Iterator[str]:
    dynamic = any(n.start for n in net.nodes.values())
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield ('<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">\n')  # fmt: skip
    yield f'  <meta lastmodifieddate="{date.today().isoformat()}">\n'
    yield f"    <creator>kg {__version__}</creator>\n"
    yield f"    <description>{escape(description)}</description>\n  </meta>\n"
    mode = ' mode="dynamic" timeformat="date"' if dynamic else ' mode="static"'
    yield f'  <graph defaultedgetype="directed"{mode}>\n'
    yield '    <attributes class="node">\n'
    for id_, title, kind in NODE_ATTRIBUTES:
        yield f"      <attribute id={_a(id_)} title={_a(title)} type={_a(kind)}/>\n"
    yield '    </attributes>\n    <attributes class="edge">\n'
    for id_, title, kind in EDGE_ATTRIBUTES:
        yield f"      <attribute id={_a(id_)} title={_a(title)} type={_a(kind)}/>\n"
    yield "    </attributes>\n"
    yield f'    <nodes count="{len(net.nodes)}">\n'
    for node in net.nodes.values():
        start = f" start={_a(node.start)}" if node.start else ""
        yield f"      <node id={_a(node.id)} label={_a(node.label)}{start}>\n        <attvalues>\n"
        values = node.attributes()
        for id_, _, _ in NODE_ATTRIBUTES:
            if id_ in values:
                yield f"          <attvalue for={_a(id_)} value={_a(values[id_])}/>\n"
        r, g, b = node.colour
        size = 4 + 4 * math.log1p(max(node.mentions, 0))
        yield "        </attvalues>\n"
        yield f'        <color r="{r}" g="{g}" b="{b}"/>\n        <size value="{size:.2f}"/>\n'
        yield "      </node>\n"
    yield f'    </nodes>\n    <edges count="{len(net.edges)}">\n'
    for i, e in enumerate(net.edges.values()):
        start = f" start={_a(e.start)}" if e.start else ""
        yield (f'      <edge id="e{i}" source={_a(e.source)} target={_a(e.target)} label={_a(e.label)} '
               f"kind={_a(e.kind)} weight=\"{e.shown_weight:g}\"{start}>\n"
               f'        <attvalues><attvalue for="kind" value={_a(e.kind)}/></attvalues>\n      </edge>\n')  # fmt: skip
    yield "    </edges>\n  </graph>\n</gexf>\n"


def write_gexf(net: Network, out: TextIO, description: str = "") -> None:
    for line in _lines(net, description or f"kg {net.view} network"):
        out.write(line)
