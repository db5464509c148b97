"""Score a built graph against gold annotations (../shared/eval/SCHEMA.md).

Figures match when document and value agree and the sentences overlap; a source is right when,
lower-cased and without a leading "the", it equals the gold canonical name or an alias, or one
contains the other's last (surname-like) token. Quotes match on document and their first words.

Where the gold has incidents (incidents.jsonl, and an `incident` key on each figure record, as in
../shared/eval/incidents-dev), the linking of claims and documents across articles is scored by
B-cubed precision, recall and F1 (`bcubed`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.queries import load_queries, run
from kg.store import KGStore

PRONOUNS = {"he", "she", "they", "it", "him", "her", "we", "i"}


@dataclass
class PRF:
    true_positives: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
            "true_positives": self.true_positives,
            "predicted": self.predicted,
            "gold": self.gold,
        }


@dataclass(frozen=True)
class BCubed:
    precision: float
    recall: float
    items: int

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 3), "recall": round(self.recall, 3),
                "f1": round(self.f1, 3), "items": self.items}  # fmt: skip


def bcubed(gold: Mapping[Hashable, str], predicted: Mapping[Hashable, str | None]) -> BCubed:
    """B-cubed precision and recall of a clustering of the gold's items (Bagga and Baldwin).

    For each item, precision is the share of its predicted cluster that shares its gold
    cluster, recall the share of its gold cluster that shares its predicted cluster; both are
    averaged over the items. Only the gold's items count: an item predicted in no cluster (or
    not predicted at all: a claim not extracted) is a cluster of its own.
    """
    if not gold:
        return BCubed(0.0, 0.0, 0)
    label = {item: predicted.get(item) or ("alone", item) for item in gold}
    by_gold: dict[object, set[Hashable]] = {}
    by_predicted: dict[object, set[Hashable]] = {}
    for item, cluster in gold.items():
        by_gold.setdefault(cluster, set()).add(item)
        by_predicted.setdefault(label[item], set()).add(item)
    precision = recall = 0.0
    for item, cluster in gold.items():
        mine, right = by_predicted[label[item]], by_gold[cluster]
        shared = len(mine & right)
        precision += shared / len(mine)
        recall += shared / len(right)
    return BCubed(precision / len(gold), recall / len(gold), len(gold))


@dataclass
class Report:
    figures: PRF = field(default_factory=PRF)
    attributed: PRF = field(default_factory=PRF)
    # Quotations found, with or without a speaker (SCHEMA.md's quote detection).
    quotes: PRF = field(default_factory=PRF)
    # Diagnostic, not a bar: only the quotations kg named a speaker for.
    quotes_with_speaker: PRF = field(default_factory=PRF)
    speaker_right: int = 0
    category_right: int = 0
    qualifier_right: int = 0
    matched_figures: int = 0
    matched_quotes: int = 0
    misses: list[str] = field(default_factory=list)
    wrong_sources: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)
    quote_misses: list[str] = field(default_factory=list)
    wrong_speakers: list[str] = field(default_factory=list)
    quote_false_positives: list[str] = field(default_factory=list)
    wrong_categories: list[str] = field(default_factory=list)
    wrong_qualifiers: list[str] = field(default_factory=list)
    documents: dict[str, Report] = field(default_factory=dict)  # the same measures per document
    # Wrong sources by kind: none given, another source, one given where the gold has none.
    source_misses: dict[str, int] = field(default_factory=dict)
    # Incident linking, where the gold has incidents: claims and documents (see bcubed).
    incidents: dict[str, BCubed] = field(default_factory=dict)

    def accuracy(self, right: int, total: int) -> float:
        return round(right / total, 3) if total else 0.0

    def scores(self) -> dict[str, Any]:
        linking = {name: b.as_dict() for name, b in self.incidents.items()}
        return {
            **self._measures(),
            **({"incidents": linking} if linking else {}),
            "documents": {doc: r._measures() for doc, r in sorted(self.documents.items())},
        }

    def _measures(self) -> dict[str, Any]:
        return {
            "figures": self.figures.as_dict(),
            "attributed_figures": self.attributed.as_dict(),
            "quotes": self.quotes.as_dict(),
            "quotes_with_speaker": self.quotes_with_speaker.as_dict(),
            "speaker_accuracy": self.accuracy(self.speaker_right, self.matched_quotes),
            "category_accuracy": self.accuracy(self.category_right, self.matched_figures),
            "qualifier_accuracy": self.accuracy(self.qualifier_right, self.matched_figures),
            "wrong_sources_by_kind": dict(sorted(self.source_misses.items())),
        }


def _norm(text: str | None) -> str:
    text = (text or "").lower().replace("’", "'").strip()
    return re.sub(r"^the\s+", "", text)


def _last_token(text: str) -> str:
    words = re.findall(r"[\w'-]+", text)
    return words[-1] if words else ""


def source_matches(predicted: list[str | None], canonical: str | None, aliases: list[str]) -> bool:
    names = {_norm(n) for n in [canonical, *aliases] if n}
    for raw in predicted:
        guess = _norm(raw)
        if not guess or guess in PRONOUNS:
            continue
        if guess in names:
            return True
        for name in names:
            last_name, last_guess = _last_token(name), _last_token(guess)
            if (len(last_name) > 2 and last_name in guess.split()) or (
                len(last_guess) > 2 and last_guess in name.split()
            ):
                return True
    return False


def _spans(text: str, sentence: str) -> list[tuple[int, int]]:
    spans, start = [], text.find(sentence)
    while start >= 0:
        spans.append((start, start + len(sentence)))
        start = text.find(sentence, start + 1)
    return spans


def _overlaps(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _words(text: str) -> list[str]:
    return re.findall(r"[\w']+", text.lower().replace("’", "'"))


def _pair(
    gold: list[dict], predicted: list[dict], fits: Callable[[dict, dict], bool]
) -> tuple[list[tuple[dict, dict | None]], list[dict]]:
    """Each gold record with the first unused prediction that fits it (one to one, in order),
    and the predictions left over (false positives)."""
    used: set[int] = set()
    pairs: list[tuple[dict, dict | None]] = []
    for g in gold:
        match = next((i for i, p in enumerate(predicted) if i not in used and fits(g, p)), None)
        if match is not None:
            used.add(match)
        pairs.append((g, None if match is None else predicted[match]))
    return pairs, [p for i, p in enumerate(predicted) if i not in used]


def _count(
    prf: PRF, gold: list[dict], predicted: list[dict], fits: Callable[[dict, dict], bool]
) -> tuple[list[tuple[dict, dict | None]], list[dict]]:
    """`_pair`, with the gold, predicted and matched records counted into `prf`."""
    pairs, unmatched = _pair(gold, predicted, fits)
    prf.gold, prf.predicted = len(gold), len(predicted)
    prf.true_positives = sum(p is not None for _, p in pairs)
    return pairs, unmatched


def _records(path: Path) -> list[dict]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


GOLD_FILES = ("figures.jsonl", "claims.jsonl", "quotes.jsonl")  # a gold set has one at least


def load_gold(gold_dir: Path) -> tuple[list[dict], list[dict]]:
    """Figure and quotation records; an incident set's figure records are its claims.jsonl."""
    figures = _records(gold_dir / "figures.jsonl") or _records(gold_dir / "claims.jsonl")
    return figures, _records(gold_dir / "quotes.jsonl")


# Which incident kg links each figure claim, and each document, to.
_CLAIM_INCIDENTS = """SELECT ?document ?start ?end ?incident WHERE {
  GRAPH ?d { ?claim a kg:FigureClaim ; nif:beginIndex ?start ; nif:endIndex ?end .
             ?d schema:identifier ?document }
  ?claim kg:incident ?incident }"""
_DOCUMENT_INCIDENTS = """SELECT ?document ?incident WHERE {
  GRAPH ?d { ?d a kg:Document ; schema:identifier ?document } ?d kg:incident ?incident }"""


def _score_incidents(
    report: Report, store: KGStore, gold_dir: Path, gold: list[dict], predicted: list[dict],
    texts: dict[str, str],
) -> None:  # fmt: skip
    """B-cubed of claims over incidents (gold claims of no incident left out; a claim kg did
    not find, or linked to none, alone) and of documents over the incidents they are about."""
    incidents = _records(gold_dir / "incidents.jsonl")
    if not incidents:
        return
    linked = {
        (r["document"], r["start"], r["end"]): r["incident"] for r in store.select(_CLAIM_INCIDENTS)
    }
    pairs, _ = _pair(gold, predicted, _figure_fits(texts))
    claims = {i: g["incident"] for i, (g, _) in enumerate(pairs) if g.get("incident")}
    found = {
        i: linked.get((p["document"], p["start"], p["end"]))
        for i, (_, p) in enumerate(pairs)
        if p is not None
    }
    report.incidents["claims"] = bcubed(claims, found)
    about: dict[str, str] = {}
    for r in store.select(_DOCUMENT_INCIDENTS):
        about[r["document"]] = min(about.get(r["document"], r["incident"]), r["incident"])
    documents = {doc: i["incident"] for i in incidents for doc in i["docs"]}
    report.incidents["documents"] = bcubed(documents, about)


def score(store: KGStore, gold_dir: Path, corpus_dir: Path) -> Report:
    gold_figures, gold_quotes = load_gold(gold_dir)
    docs = {g["doc"] for g in gold_figures} | {g["doc"] for g in gold_quotes}
    texts = {
        d: (corpus_dir / d).read_text(encoding="utf-8") for d in docs if (corpus_dir / d).exists()
    }
    queries = load_queries()
    predicted = [r for r in run(store, queries["figure-attributions"], {}) if r["document"] in docs]
    rows = [r for r in run(store, queries["quotes"], {}) if r["document"] in docs]
    report = _report(gold_figures, gold_quotes, predicted, rows, texts)
    _score_incidents(report, store, gold_dir, gold_figures, predicted, texts)
    for doc in sorted(docs):
        report.documents[doc] = _report(
            [g for g in gold_figures if g["doc"] == doc],
            [g for g in gold_quotes if g["doc"] == doc],
            [p for p in predicted if p["document"] == doc],
            [r for r in rows if r["document"] == doc],
            texts,
        )
    return report


def _report(
    gold_figures: list[dict],
    gold_quotes: list[dict],
    predicted: list[dict],
    rows: list[dict],
    texts: dict[str, str],
) -> Report:
    attributed, found = _once([r for r in rows if r["speaker_iri"] is not None]), _once(rows)
    report = Report()
    _score_figures(report, gold_figures, predicted, texts)
    _score_quotes(report, gold_quotes, found)
    _count(report.quotes_with_speaker, gold_quotes, attributed, _same_quote)
    return report


def _figure_fits(texts: dict[str, str]) -> Callable[[dict, dict], bool]:
    """Whether a predicted figure is a gold one: same document and value, overlapping
    sentences."""

    def fits(g: dict, p: dict) -> bool:
        if p["document"] != g["doc"] or float(p["value"]) != float(g["value"]):
            return False
        text = texts.get(g["doc"], "")
        return _overlaps(
            _spans(text, g["sentence"]), [(p["start"], p["end"]), *_spans(text, p["sentence"])]
        )

    return fits


def _score_figures(report: Report, gold: list[dict], predicted: list[dict], texts: dict) -> None:
    report.attributed.gold = sum(1 for g in gold if g["source"])
    report.attributed.predicted = sum(1 for p in predicted if p["source_iri"])

    pairs, unmatched = _count(report.figures, gold, predicted, _figure_fits(texts))
    for g, p in pairs:
        where = f"{g['doc']} {g['figure']!r} ({g['category']})"
        if p is None:
            report.misses.append(f"{where} in: {g['sentence'][:110]}")
            continue
        report.matched_figures += 1
        if p["category"] == g["category"]:
            report.category_right += 1
        else:
            report.wrong_categories.append(f"{where}: predicted {p['category']} ({p['measure']})")
        if p["qualifier"] == g["qualifier"]:
            report.qualifier_right += 1
        else:
            report.wrong_qualifiers.append(f"{where}: predicted {p['qualifier']}")
        names = [p["source"], p.get("source_text")]
        gold_source = g["source_canonical"] or g["source"]
        if (
            g["source"]
            and p["source_iri"]
            and source_matches(names, gold_source, g["source_aliases"])
        ):
            report.attributed.true_positives += 1
        elif g["source"] or p["source_iri"]:
            kind = (
                "none given" if not p["source_iri"]
                else "given where the gold has none" if not g["source"]
                else "another source"
            )  # fmt: skip
            report.source_misses[kind] = report.source_misses.get(kind, 0) + 1
            report.wrong_sources.append(
                f"{where}: gold {gold_source!r}, predicted {p['source']!r} "
                f"({p.get('source_text')!r}; {kind})"
            )
    for p in unmatched:
        report.false_positives.append(
            f"{p['document']} {p['value']:g} {p['category']} ({p['measure']}) "
            f"src={p['source']!r} in: {p['sentence'][:90]}"
        )


def _once(quotes: list[dict]) -> list[dict]:
    """A quotation repeated word for word (headline, caption, link) is one record in gold."""
    seen: set[tuple[str, tuple[str, ...]]] = set()
    out = []
    for q in quotes:
        key = (q["document"], tuple(_words(q["quote"])[:6]))
        if key not in seen:
            seen.add(key)
            out.append(q)
    return out


def _same_quote(g: dict, p: dict) -> bool:
    start = _words(g["quote_start"])
    return p["document"] == g["doc"] and _words(p["quote"])[: len(start)] == start


def _score_quotes(report: Report, gold: list[dict], predicted: list[dict]) -> None:
    """Quote detection over every quotation found; speaker accuracy over the matched ones, a
    quotation stored with no speaker counted wrong (SCHEMA.md)."""
    pairs, unmatched = _count(report.quotes, gold, predicted, _same_quote)
    for g, p in pairs:
        where = f"{g['doc']} {g['quote_start']!r}"
        if p is None:
            report.quote_misses.append(f"{where} ({g['speaker_canonical']})")
            continue
        report.matched_quotes += 1
        names = [p["speaker"], p.get("speaker_text")]
        if p["speaker_iri"] is not None and source_matches(
            names, g["speaker_canonical"], g["speaker_aliases"]
        ):
            report.speaker_right += 1
        else:
            report.wrong_speakers.append(
                f"{where}: gold {g['speaker_canonical']!r}, predicted {p['speaker']!r} "
                f"({p.get('speaker_text')!r})"
            )
    for p in unmatched:
        report.quote_false_positives.append(f"{p['document']} {p['quote'][:60]!r} ({p['speaker']})")
