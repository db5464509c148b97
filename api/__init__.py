"""The kg HTTP service: a SPARQL endpoint, canned queries and exports over one store."""
