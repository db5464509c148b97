"""What a caller's SPARQL may do here: read the store (or, with the token, write it), nothing else.

Decided on the query's tokens, read left to right by kg.sparqltext's tokenizer (built from the
terminals of the SPARQL 1.1 grammar) as a parser reads them: a quote inside an IRI, a comment
inside a string or the other way round cannot hide code from it. SERVICE and LOAD are keywords,
and Oxigraph's parser, which tries the grammar's rules at each place rather than reading tokens,
matches a keyword at the start of any run of letters (`SERVICESILENT<…>`, `SERVICE:x`,
`trueSERVICE<…>`): so any word, or prefixed name's prefix, that holds either one is refused (see
_fetching). Codepoint escapes (\\uXXXX), which the SPARQL spec expands before parsing (Oxigraph
does not), are expanded for a second reading, and either reading refuses. The same tokens give
the form, the FROM graphs and the nesting depth (Oxigraph's parser recurses:
thousands of nested groups crash the process).

A tokenizer and not a whole parser such as rdflib's, which takes 6-40 ms over a query, longer
than Oxigraph takes to answer a lookup, and which reads keywords as words where Oxigraph does
not; tests/test_guard.py holds this guard to rdflib's parse and to Oxigraph's own behaviour on
every bypass it tries. A second wall stands behind it: workers cannot open a network socket
(api.sandbox), and the service does not start without that wall unless told to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.sparqltext import PREFIX_NAME, TOKEN, tokens

MAX_DEPTH = 100  # nested groups, brackets and parentheses; real queries stay under 20

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_FORMS = frozenset(("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"))
_FETCHING = {
    "service": "SERVICE is not allowed: this endpoint never fetches from the network",
    "load": "LOAD is not allowed: this endpoint never fetches from the network",
}
_CACHED = 4096  # query texts up to this length have their inspection kept (512 at most)


class Refused(ValueError):
    pass


@dataclass(frozen=True)
class Inspection:
    """What the guard and the protocol need to know of a query, read once per text."""

    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE (SELECT when none is found)
    refusal: str | None  # why it may not run whatever the store holds
    datasets: tuple[str, ...]  # FROM and FROM NAMED graph IRIs


def _fetching(kind: str | None, text: str) -> str | None:
    """Why a token could start a SERVICE or a LOAD for Oxigraph's parser, if it could.

    That parser reads no tokens: at each place it tries the grammar's rules in order, and a
    keyword matches the next letters whatever follows them. So `SERVICESILENT<…>` is SERVICE
    then SILENT, and `SERVICE:x` is SERVICE then the name `:x` wherever a prefixed name cannot
    stand. A word or a prefix holding either keyword anywhere is refused; a variable's name, a
    prefixed name's local part and a blank node's label are read whole by that parser, and may
    hold them (?service, schema:serviceType).
    """
    if kind == "word":
        name = text
    elif kind == "pname":
        name = text.partition(":")[0]
    else:
        return None
    for keyword, why in _FETCHING.items():
        if keyword in name.lower():
            if name.lower() == keyword:
                return why
            shown = f"{name}:" if kind == "pname" else name
            return (
                f"{why} ({shown!r} holds {keyword.upper()}, which the query engine may read "
                "as the keyword: rename it)"
            )
    return None


def _expand(match: re.Match[str]) -> str:
    code = int(match.group(1) or match.group(2), 16)
    return chr(code) if code <= 0x10FFFF else "\ufffd"


def _fetches(text: str) -> str | None:
    """Why the text would fetch, read with its codepoint escapes expanded (see above)."""
    for m in TOKEN.finditer(_CODEPOINT.sub(_expand, text)):
        if why := _fetching(m.lastgroup, m.group(m.lastgroup or 0)):
            return why
    return None


def _inspect(text: str) -> Inspection:
    # One pass over the matches, without a Token each: this runs on every distinct query.
    refusal: str | None = None
    form = ""
    depth = deepest = 0
    datasets: list[str] = []
    after_from = 0  # 1: FROM seen, 2: FROM NAMED seen; the next token is the graph
    for m in TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth = max(0, depth - 1)
        if after_from:
            if kind == "word" and after_from == 1 and m.group(kind).upper() == "NAMED":
                after_from = 2
                continue
            after_from = 0
            if kind == "iri":
                datasets.append(m.group(kind)[1:-1])
            else:
                refusal = (
                    refusal or "FROM takes a full IRI here (<…>), the name of a graph in the store"
                )
        if kind in ("word", "pname") and (why := _fetching(kind, m.group(kind))):
            refusal = why
            break
        if kind == "word":
            word = m.group(kind).upper()
            if word == "FROM":
                after_from = 1
            elif not form and word in _FORMS:
                form = word
    if refusal is None and ("\\u" in text or "\\U" in text):
        refusal = _fetches(text)
    if refusal is None and deepest > MAX_DEPTH:
        refusal = f"nested {deepest} levels deep; at most {MAX_DEPTH} are allowed here"
    return Inspection(form or "SELECT", refusal, tuple(datasets))


_inspect_short = lru_cache(maxsize=512)(_inspect)

# The common query needs no tokens read: with none of these in it (in any case), no keyword
# SERVICE, LOAD or FROM and no codepoint escape can be in it, since keywords are ASCII words;
# with no more brackets than MAX_DEPTH, none is nested deeper; and its form is the first word
# after a prologue this expression reads whole (anything else goes to the tokenizer).
_HINTS = ("service", "load", "from", "\\u")
_PROLOGUE_THEN_FORM = re.compile(
    r"(?:[ \t\r\n]|#[^\r\n]*|(?:PREFIX[ \t\r\n]*+(?:" + PREFIX_NAME + r")?+:|BASE)[ \t\r\n]*+"
    r"<[^<>\"{}|^`\\\x00-\x20]*+>)*+(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![A-Za-z0-9_])",
    re.IGNORECASE,
)


def inspect(text: str) -> Inspection:
    """Read a query or update once; kept for short texts, which are the ones asked again."""
    lowered = text.lower()
    if (
        not any(hint in lowered for hint in _HINTS)
        and (text.count("{") + text.count("(") + text.count("[") + text.count("<<") <= MAX_DEPTH)
        and (form := _PROLOGUE_THEN_FORM.match(text))
    ):
        return Inspection(form.group(1).upper(), None, ())
    return _inspect_short(text) if len(text) <= _CACHED else _inspect(text)


def check(found: Inspection, missing: set[str]) -> None:
    """Raise Refused for SERVICE, LOAD, over-deep nesting, or FROM / FROM NAMED of a graph the
    store does not hold (`missing`)."""
    if found.refusal:
        raise Refused(found.refusal)
    for iri in found.datasets:
        if iri in missing:
            raise Refused(f"FROM <{iri}>: no such graph in the store (nothing is fetched)")


_ABSOLUTE_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*$")


def with_using(update: str, using: list[str], using_named: list[str]) -> str:
    """The protocol's using-graph-uri / using-named-graph-uri as USING clauses of each WHERE."""
    if not using and not using_named:
        return update
    for iri in [*using, *using_named]:
        if not _ABSOLUTE_IRI.match(iri):
            raise Refused(f"not an absolute IRI: {iri!r}")
    found = list(tokens(update))
    if any(t.kind == "word" and t.text in ("USING", "WITH") for t in found):
        raise Refused("the update names its dataset (USING or WITH) and so does the request")
    clause = "".join(f" USING <{g}>" for g in using) + "".join(
        f" USING NAMED <{g}>" for g in using_named
    )
    out, last = [], 0
    for i, token in enumerate(found):
        if token.kind != "word" or token.text != "WHERE":
            continue
        if i and found[i - 1].kind == "word" and found[i - 1].text == "DELETE":
            continue  # DELETE WHERE takes no USING
        out.append(update[last : token.start] + clause + " ")
        last = token.start
    out.append(update[last:])
    return "".join(out)
