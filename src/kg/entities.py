"""One node per real-world entity: canonical names and deterministic keys.

The key of an entity depends only on its type, its normalised canonical name and the curated
gazetteer, never on which other documents were built before, so documents built in any order
(or in parallel) give the same graph.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from kg.lexicon import TITLES
from kg.resources import data_file

ENTITY_TYPES = ("Person", "Organisation", "ArmedForce", "Place", "Source")


@dataclass
class Entity:
    key: str  # "<type>/<slug>", the tail of its IRI
    type: str
    label: str
    aliases: set[str] = field(default_factory=set)
    doc_scoped: bool = False  # unnamed sources ("officials") are not merged across documents
    geo: object | None = None  # places.GeoPlace: coordinates and GeoNames id


_ENDINGS = re.compile(r"(?:iy|yy|yi|ii|ij)\b")
_INITIALISM = re.compile(r"\b(?:[A-Za-z]\.){2,}")


@lru_cache(maxsize=1 << 16)  # names and words repeat across mentions and documents
def fold(text: str) -> str:
    """Lower-case, strip accents, possessives and punctuation; fold transliteration endings."""
    if text.isascii() and text.replace(" ", "").isalpha():  # most names: skip the slow path
        return _ENDINGS.sub("y", " ".join(text.lower().split()))
    text = _INITIALISM.sub(lambda m: m.group(0).replace(".", ""), text)  # U.N. → UN
    text = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"'s\b|'\B", "", text)
    text = re.sub(r"[^\w\s-]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    # Dolganskiy / Dolganskyy / Dolganskyi → dolgansky; -ii → -y (Andrii → Andry).
    return _ENDINGS.sub("y", text)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "unnamed"


def strip_determiner(text: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.IGNORECASE)


def strip_titles(name: str) -> str:
    """'Mayor Tomas Brekel' → 'Tomas Brekel'; keeps a lone surname as it is."""
    words = name.split()
    while len(words) > 1 and fold(words[0]).rstrip(".") in TITLES:
        words.pop(0)
    return " ".join(words)


@dataclass(frozen=True)
class GazetteerEntry:
    type: str
    name: str
    speaks_for: str | None = None
    country: str | None = None
    aliases: tuple[str, ...] = ()
    gender: str | None = None  # people: "m" or "f", for the pronouns that may stand for them


class Gazetteer:
    """Curated names from data/gazetteer.json, looked up by folded alias."""

    def __init__(self, raw: dict) -> None:
        self.by_alias: dict[str, GazetteerEntry] = {}
        self.by_alias_raw: dict[str, GazetteerEntry] = {}  # as written, for exact matching
        for item in raw["entities"]:
            entry = GazetteerEntry(
                item["type"],
                item["name"],
                item.get("speaks_for"),
                item.get("country"),
                tuple(item.get("aliases", [])),
                item.get("gender"),
            )
            for alias in [item["name"], *item.get("aliases", [])]:
                self.by_alias.setdefault(fold(strip_determiner(alias)), entry)
                self.by_alias_raw.setdefault(strip_determiner(alias), entry)
        self.demonyms: dict[str, str] = {fold(k): v for k, v in raw["demonyms"].items()}
        self.force_nouns: frozenset[str] = frozenset(raw["force_nouns"])
        self.armed_forces_of: dict[str, GazetteerEntry] = {
            e.country: e for e in self.by_alias.values() if e.type == "ArmedForce" and e.country
        }

    def lookup(self, text: str) -> GazetteerEntry | None:
        return self.by_alias.get(fold(strip_determiner(text)))


@lru_cache
def gazetteer() -> Gazetteer:
    return Gazetteer(json.loads(data_file("gazetteer.json").read_text(encoding="utf-8")))


def make_entity(type_: str, label: str, alias: str | None = None) -> Entity:
    geo = None
    if type_ == "Place":
        from kg.places import lookup

        geo = lookup(label) or (lookup(alias) if alias else None)
        curated = gazetteer().lookup(label)
        if (
            geo is not None
            and fold(geo.name) != fold(label)
            and not (curated and curated.type == "Place")
        ):
            alias, label = alias or label, _curated_place_name(geo.name)
    entity = Entity(f"{type_.lower()}/{slug(label)}", type_, label, geo=geo)
    if alias and alias != label:
        entity.aliases.add(alias)
    if type_ == "Person" and len(label.split()) > 1:
        entity.aliases.add(label.split()[-1])  # "Brekel" finds Tomas Brekel
    return entity


def _curated_place_name(name: str) -> str:
    """GeoNames' name, unless the curated gazetteer spells the place otherwise."""
    entry = gazetteer().lookup(name)
    return entry.name if entry is not None and entry.type == "Place" else name


def from_gazetteer(entry: GazetteerEntry, alias: str) -> Entity:
    entity = make_entity(entry.type, entry.name, alias)
    entity.aliases.update(entry.aliases)
    return entity


def unnamed_source(doc_id: str, phrase: str) -> Entity:
    """'officials', 'sources', 'another official': kept apart per document, never merged."""
    label = strip_determiner(phrase)
    entity = Entity(f"source/{slug(doc_id)}/{slug(label)}", "Source", label, doc_scoped=True)
    return entity


class PersonIndex:
    """Links lone surnames and first names to the full name given elsewhere in the document."""

    def __init__(self) -> None:
        self.full_by_part: dict[str, str] = {}
        self.surnames: set[str] = set()

    def register(self, name: str) -> None:
        parts = name.split()
        if len(parts) >= 2:
            self.full_by_part.setdefault(fold(parts[-1]), name)
            self.full_by_part.setdefault(fold(parts[0]), name)
            self.surnames.add(fold(parts[-1]))

    def is_surname(self, word: str) -> bool:
        """Whether a lone word is the last name of a person named in full in the document."""
        return fold(word) in self.surnames

    def canonical(self, name: str) -> str:
        if len(name.split()) == 1:
            return self.full_by_part.get(fold(name), name)
        return name


def person_entity(raw: str, index: PersonIndex) -> Entity:
    name = strip_titles(re.sub(r"['’]s?$", "", raw.strip()).strip())
    gaz = gazetteer()
    if (entry := gaz.lookup(name)) and entry.type == "Person":
        return from_gazetteer(entry, raw)
    full = index.canonical(name)
    if full != name and (entry := gaz.lookup(full)) and entry.type == "Person":
        return from_gazetteer(entry, raw)
    return make_entity("Person", full, raw)
