"""What extraction produces for one document: plain data, no spaCy objects, ready for the graph."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from kg.document import Document
from kg.entities import Entity

# How a claim's source was found, from what the sentence itself says to what is inferred:
BASES = (
    "sentence",  # named in the claim's own sentence ("The UN says 212 …", "…, the mayor said")
    "coreference",  # its own sentence names it by a pronoun or role noun ("she said", "it said")
    "quotation",  # the claim is inside a direct quotation: its speaker
    "continuation",  # inherited from the statement the paragraph continues
    "headline",  # a headline's tag ("… — defence ministry", "…, governor says")
)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Mention:
    entity: str  # Entity.key
    start: int
    end: int
    text: str
    sentence: Sentence


@dataclass
class Quote:
    start: int  # the quoted words, marks excluded
    end: int
    text: str
    sentence: Sentence
    speaker: Entity | None = None
    speaker_text: str | None = None
    cue: str | None = None
    basis: str | None = None  # one of BASES when there is a speaker


@dataclass
class Figure:
    start: int  # the figure as written, hedge included ("more than 2,000")
    end: int
    text: str
    value: float
    qualifier: str
    category: str
    measure: str
    sentence: Sentence
    source: Entity | None = None
    source_text: str | None = None
    cue: str | None = None
    basis: str | None = None  # one of BASES when there is a source
    certainty: str = "stated"  # a level of kg.extract.certainty.LEVELS
    as_of: date | None = None  # the date the figure is given for


@dataclass
class Event:
    start: int  # the trigger word
    end: int
    text: str
    type: str  # notation in ontology/event-types.ttl
    sentence: Sentence
    actor: Entity | None = None
    actor_text: str | None = None
    target: Entity | None = None
    target_text: str | None = None
    place: Entity | None = None
    date: date | None = None


@dataclass(frozen=True)
class Occurrence:
    """What a report says happened, as it says it: the evidence incidents are linked from
    across documents (kg.incidents). The main one is what the article is about; others are
    earlier or other attacks it names in passing."""

    start: int  # the sentence that tells it
    end: int
    main: bool
    type: str | None  # an event-type notation
    country: str | None  # ISO 3166 alpha-2
    places: tuple[str, ...] = ()  # folded names of countries, towns and villages, as written
    regions: tuple[str, ...] = ()  # folded names of regions ("sagaing" of "Sagaing region")
    sites: tuple[str, ...] = ()  # folded names of the sites hit ("zamzam" of "Zamzam camp")
    site_kinds: tuple[str, ...] = ()  # what was hit: "station", "hospital"
    earliest: date | None = None  # when it happened, as closely as the text says
    latest: date | None = None
    dated: bool = False  # whether the text gives the date (else: some days before publication)


@dataclass
class Extraction:
    document: Document
    entities: dict[str, Entity] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    occurrences: list[Occurrence] = field(default_factory=list)
    # Sentence start → the occurrence its figures, quotations and events are about (an index of
    # `occurrences`); a sentence left out is about none (a war's running total).
    about: dict[int, int] = field(default_factory=dict)

    def add_entity(self, entity: Entity) -> Entity:
        return merge_entity(self.entities, entity)


def merge_entity(entities: dict[str, Entity], entity: Entity) -> Entity:
    """Keep one Entity per key, merging the aliases seen for it."""
    known = entities.setdefault(entity.key, entity)
    if known is not entity:
        known.aliases |= entity.aliases
    return known
