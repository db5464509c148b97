"""The parsed article every stage reads: its blocks, their spaCy Docs, quotation marks, names.

Built once per document and never changed afterwards, so stages can share it without agreeing
on an order of writes. Offsets are into the document's text (`Document.text`); a block's spaCy
Doc counts from the block's start.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from kg.blocks import Block
from kg.document import Document
from kg.entities import fold, gazetteer
from kg.extract.marks import QuoteSpan, find_quotes
from kg.lexicon import CLOSING_MARKS, ORG_ROLES, PERSON_ROLES, PERSON_TITLES, TITLES
from kg.model import Sentence
from kg.places import is_place, is_well_known_place

_GAZ_LABELS = {"Person": "PERSON", "Organisation": "ORG", "ArmedForce": "ORG", "Place": "GPE"}
_LONG_WORD = re.compile(r"\b[^\W\d_]{4,}\b")


@dataclass(frozen=True)
class Article:
    """A document with its parse: what every extraction stage starts from."""

    doc: Document
    parsed: list[tuple[Block, Doc]]
    quotes: list[QuoteSpan]  # in document order, not overlapping
    names: dict[int, list[Span]]  # id(spaCy Doc) → its name spans (`names_in`)
    titled: frozenset[int]  # id(spaCy Doc) of the Title Case headlines
    # id(spaCy Doc) of a Title Case headline → its parse in sentence case (`sentence_case`):
    # the tagger reads "Shelling Kills 8" as names, "shelling kills 8" as a clause.
    recased: dict[int, Doc] = field(repr=False)
    _block_of: dict[int, int] = field(repr=False)  # id(spaCy Doc) → block start
    _block_starts: list[int] = field(repr=False)
    _quote_starts: list[int] = field(repr=False)

    @classmethod
    def of(
        cls,
        doc: Document,
        parsed: list[tuple[Block, Doc]],
        reparse: Callable[[str], Doc] | None = None,
    ) -> Article:
        """`reparse` (the pipeline) parses Title Case headlines again in sentence case."""
        quotes = find_quotes(doc.text, [(b.start, b.end) for b, _ in parsed])
        names = {id(sdoc): names_in(sdoc) for _, sdoc in parsed}
        titled = [sdoc for _, sdoc in parsed if title_case(sdoc)]
        recased = {}
        if reparse is not None and titled:
            titled_ids = {id(s) for s in titled}
            capitalised = {
                t.text
                for _, sdoc in parsed
                if id(sdoc) not in titled_ids
                for t in sdoc
                if (t.is_title and not t.is_sent_start) or (t.is_upper and len(t) > 1)
            }
            recased = {id(s): reparse(sentence_case(s, capitalised)) for s in titled}
        return cls(
            doc=doc,
            parsed=parsed,
            quotes=quotes,
            names=names,
            titled=frozenset(id(sdoc) for sdoc in titled),
            recased=recased,
            _block_of={id(sdoc): block.start for block, sdoc in parsed},
            _block_starts=[block.start for block, _ in parsed],
            _quote_starts=[q.start for q in quotes],
        )

    def offset(self, sdoc: Doc) -> int:
        """Where the block parsed as `sdoc` starts in the document."""
        return self._block_of[id(sdoc)]

    def at(self, tok: Token) -> int:
        """A token's offset in the document."""
        return self._block_of[id(tok.doc)] + tok.idx

    def ents(self, sdoc: Doc) -> list[Span]:
        return self.names[id(sdoc)]

    def in_quote(self, pos: int) -> QuoteSpan | None:
        i = bisect.bisect_right(self._quote_starts, pos) - 1
        return self.quotes[i] if i >= 0 and pos < self.quotes[i].end else None

    def quotes_in(self, block: Block) -> bool:
        """Whether a quotation opens inside `block`."""
        i = bisect.bisect_left(self._quote_starts, block.start)
        return i < len(self._quote_starts) and self._quote_starts[i] < block.end

    def block_at(self, pos: int) -> int | None:
        """The place in `parsed` of the block holding `pos`."""
        i = bisect.bisect_right(self._block_starts, pos) - 1
        return i if i >= 0 and pos < self.parsed[i][0].end else None

    def sentence(self, sent: Span) -> Sentence:
        start = self.offset(sent.doc)
        return Sentence(start + sent.start_char, start + sent.end_char, sent.text)


@lru_cache(maxsize=4)
def _gazetteer_matcher(vocab: Vocab) -> PhraseMatcher:
    """Exact, case-sensitive names from the curated gazetteer, for what the NER misses."""
    matcher = PhraseMatcher(vocab, attr="ORTH")
    tokenizer = Tokenizer(vocab)
    for alias, entry in gazetteer().by_alias_raw.items():
        if alias[:1].isupper() and len(alias) > 2:
            matcher.add(_GAZ_LABELS[entry.type], [tokenizer(alias)])
    return matcher


def _place_then_name(ent: Span) -> list[Span] | None:
    """'Mayor of Lviv Tomas Brekel': the tagger runs the place into the name after it (as a
    person, or as an organisation); a titled "X of" before them says which is which."""
    doc = ent.doc
    if ent.label_ not in ("PERSON", "ORG") or len(ent) < 3 or ent.start < 2:
        return None
    if doc[ent.start - 1].lower_ != "of" or fold(doc[ent.start - 2].text) not in TITLES:
        return None
    for cut in (2, 1):
        place, name = ent[:cut], ent[cut:]
        if len(name) < 2 or not all(t.pos_ == "PROPN" and t.text.istitle() for t in name):
            continue
        if is_place(place.text):
            return [
                Span(doc, place.start, place.end, label="GPE"),
                Span(doc, name.start, name.end, label="PERSON"),
            ]
    return None


def _aged(ent: Span) -> bool:
    """'Vesna, 47, was hiding …': a name with an age in commas after it is a person's,
    whatever the tagger said (it had taken 'Vesna' for a place)."""
    doc = ent.doc
    if ent.end + 2 >= len(doc) or not all(t.text[:1].isupper() for t in ent):
        return False
    comma, age, after = doc[ent.end], doc[ent.end + 1], doc[ent.end + 2]
    return (
        comma.text == ","
        and age.text.isdigit()
        and 0 < int(age.text) < 110
        and after.text == ","
        and not is_well_known_place(ent.text)
        and gazetteer().lookup(ent.text) is None
    )


def _widen_person(ent: Span) -> Span:
    """The small model often tags only the surname: take in the given names before it."""
    start = ent.start
    while start > 0:
        tok = ent.doc[start - 1]
        if tok.pos_ != "PROPN" or tok.dep_ != "compound" or fold(tok.text) in TITLES:
            break
        if not tok.text[:1].isupper() or tok.ent_type_ not in ("", "PERSON"):
            break
        start -= 1
    return ent.doc[start : ent.end] if start != ent.start else ent


def names_in(sdoc: Doc) -> list[Span]:
    """The tagger's names, repaired where it is known to go wrong, plus gazetteer names it
    missed; in order."""
    found: list[Span] = []
    for e in sdoc.ents:
        end = e.end
        while end > e.start and sdoc[end - 1].is_punct and sdoc[end - 1].text not in ".)":
            end -= 1  # "Ilko Varnik '" with the quotation mark that opens after the name
        if end == e.start:
            continue
        if end != e.end:
            e = Span(sdoc, e.start, end, label=e.label_)
        colon = next((t.i for t in e if t.text == ":"), None)
        if colon is not None:  # "Army Command: Dolgaria" is a label and what follows it
            if colon == e.start:
                continue
            e = Span(sdoc, e.start, colon, label=e.label_)
        split = _place_then_name(e)
        if split is not None:
            found.extend(split)
        elif e.label_ != "PERSON" and _aged(e):
            found.append(Span(sdoc, e.start, e.end, label="PERSON"))
        else:
            found.append(_widen_person(e) if e.label_ == "PERSON" else e)
    for person in _titled_names(sdoc):
        # "Poltava Governor Oleh Varnak" tagged as a work of art, or not at all: a role word and
        # two or three capitalised names after it are a person (and a place before, a place).
        clash = [e for e in found if e.start < person.end and person.start < e.end]
        if any(e.label_ == "PERSON" for e in clash):
            continue
        found = [e for e in found if e not in clash]
        found.append(person)
        for e in clash:
            if e.start < person.start - 1 and is_place(sdoc[e.start : person.start - 1].text):
                found.append(Span(sdoc, e.start, person.start - 1, label="GPE"))
    for match_id, start, end in _gazetteer_matcher(sdoc.vocab)(sdoc):
        # A curated name wins over the tagger's names inside it ("Doctors without Borders"
        # over "Borders"), never over one that runs past it.
        clash = [e for e in found if e.start < end and start < e.end]
        if all(start <= e.start and e.end <= end for e in clash):
            found = [e for e in found if e not in clash]
            found.append(Span(sdoc, start, end, label=match_id))
    return sorted(found, key=lambda e: e.start)


_ROLE_WORDS = PERSON_ROLES | PERSON_TITLES


def _titled_names(sdoc: Doc) -> list[Span]:
    """Two or three capitalised words right after a role word and any ranks cut short:
    "Governor Oleh Varnak", "police spokesperson Sr. Insp. TK Varnak" (initials in capitals);
    not a body's words ("the Air Force")."""
    bodies = ORG_ROLES | gazetteer().force_nouns
    found = []
    for tok in sdoc:
        if fold(tok.text) not in _ROLE_WORDS:
            continue
        start = tok.i + 1
        while start < len(sdoc) and _rank_cut_short(sdoc, start):
            start += 1  # "Sr. Insp.", "Lt."
        end = start
        while end < len(sdoc) and end - start < 3:
            word = sdoc[end]
            initials = word.is_upper and len(word) <= 3 and end == start
            if word.pos_ != "PROPN" or not (word.text.istitle() or initials) or not word.is_alpha:
                break
            if fold(word.text) in TITLES or fold(word.text) in bodies:
                break
            end += 1
        if 2 <= end - start <= 3 and (end == len(sdoc) or sdoc[end].pos_ != "PROPN"):
            name = sdoc[start:end]
            if gazetteer().lookup(name.text) is None and not is_place(name.text):
                found.append(Span(sdoc, start, end, label="PERSON"))
    return found


def _rank_cut_short(sdoc: Doc, i: int) -> bool:
    """A rank cut short, with its full stop ("Insp.", split or not), or that stop: a
    capitalised word of at most four letters that is no role ("the Mayor." ends a sentence)."""
    tok = sdoc[i]
    if tok.text == ".":
        return i > 0 and _rank_cut_short(sdoc, i - 1)
    stop = tok.text.endswith(".") or (i + 1 < len(sdoc) and sdoc[i + 1].text == ".")
    short = len(tok.text.rstrip(".")) <= 4 and fold(tok.text) not in _ROLE_WORDS
    return stop and tok.is_title and short


def sentence_case(sdoc: Doc, capitalised: set[str]) -> str:
    """A Title Case or capitals headline, the same length, with every word in lower case but the
    first and those the article capitalises in its running text (`capitalised`: names and
    acronyms): "Varnia Army Shelling Kills 9 Farmers Near Dolgo" → "Varnia army shelling kills 9
    farmers near Dolgo"."""
    chars = list(sdoc.text)
    for tok in sdoc:
        if tok.is_upper and len(tok) > 1 and tok.text not in capitalised:
            # "SHELLING TOLL IN VARNO CLIMBS TO 40": as the article writes the word, else
            # lower case ("Varno", "UN"; the first word "Shelling")
            word = tok.text.title() if tok.i == 0 or tok.text.title() in capitalised else tok.lower_
            chars[tok.idx : tok.idx + len(tok)] = word
        elif tok.i > 0 and tok.is_title and tok.text not in capitalised:
            chars[tok.idx] = tok.text[0].lower()
    return "".join(chars)


def title_case(sdoc: Doc) -> bool:
    """A headline in Title Case: no closing full stop, and its longer words capitalised."""
    text = sdoc.text.rstrip()
    if text.endswith((".", "!", "?", *CLOSING_MARKS)):
        return False
    return capitalised(text)


def capitalised(text: str) -> bool:
    """Whether the longer words of `text` are capitalised, as a Title Case headline's are."""
    words = _LONG_WORD.findall(text)  # on the text: a walk over the tokens costs more
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)
