"""kg's namespaces as plain strings, the one place they are spelled.

The service's query workers import this and pyoxigraph, not rdflib: a worker replaced after a
query past its time limit starts sooner, and each one holds less memory.
"""

from __future__ import annotations

BASE = "https://w3id.org/conflict-kg/"

PREFIX_MAP: dict[str, str] = {
    "kg": BASE + "ontology#",
    "kgid": BASE + "id/",
    "schema": "https://schema.org/",
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "prov": "http://www.w3.org/ns/prov#",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "et": BASE + "event-type/",
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
