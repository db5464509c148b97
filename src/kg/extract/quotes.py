"""Stage 3, quotations and their speakers.

The speaker is the subject of the speech verb nearest the quotation in its paragraph; else a
headline's form ("'Quote': Name", "… - Name"); else the paragraph before it ("He said:",
or one introducing a person); a quotation that continues or resumes one keeps its speaker.
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from kg.blocks import Block
from kg.entities import Entity, fold
from kg.extract.article import Article
from kg.extract.coref import Resolver
from kg.extract.frames import (
    Cue,
    find_cues,
    first_child,
    main_clause,
    noun_phrase,
    reporting_above,
)
from kg.extract.marks import QuoteSpan
from kg.extract.mentions import Mentions
from kg.lexicon import (
    CLOSING_MARKS,
    OPENING_MARKS,
    ORG_ROLES,
    PERSON_PRONOUNS,
    PERSON_WORDS,
    PLURAL_PRONOUNS,
    SPEECH_VERBS,
)
from kg.model import Quote

# How many paragraphs a page may put inside a quotation: a photo's caption, an appeal, a box of
# links, a paragraph of narration.
_RESUME_WITHIN = 5
_AFTER_QUOTE = re.compile(r"^[" + re.escape(CLOSING_MARKS) + r"]?\s*:\s*")
_BYLINE_END = re.compile(r"\s[-–—]\s*([^-–—]+?)\s*$")


class _SpeechCues:
    """Each block's speech verbs outside quotations, found once for every rule that asks."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self._found: dict[int, list[Cue]] = {}

    def __call__(self, block: Block, sdoc: Doc) -> list[Cue]:
        found = self._found.get(id(sdoc))
        if found is None:

            def inside(tok: Token) -> bool:
                return self.article.in_quote(block.start + tok.idx) is not None

            found = [c for s in sdoc.sents for c in find_cues(s, SPEECH_VERBS, inside)]
            self._found[id(sdoc)] = found
        return found


def find_quotations(article: Article, resolver: Resolver) -> list[Quote]:
    speech = _SpeechCues(article)
    out: list[Quote] = []
    previous: Quote | None = None
    left_open: tuple[int, Quote] | None = None  # the last quotation its paragraph left open
    last_in: dict[int, Quote] = {}  # each paragraph's last quotation
    opened = 0  # index in `out` of the first paragraph of the quotation under way
    for q in article.quotes:
        at = article.block_at(q.start)
        if at is None:
            continue
        block, sdoc = article.parsed[at]
        rel = q.start - block.start
        sent = next((s for s in sdoc.sents if s.start_char <= rel < s.end_char), None)
        if sent is None:
            continue
        quote = Quote(q.start, q.end, article.doc.text[q.start : q.end], article.sentence(sent))
        opened = len(out) if not q.continues else opened  # where this quotation began
        if q.continues and previous is not None and previous.speaker is not None:
            quote = _continuing(quote, previous)
        else:
            found = _speech_cue(article, resolver.mentions, speech, q, at)
            if found is not None and found[0].subject is not None:
                cue, basis = found
                subject = cue.subject
                speaker = resolver.resolve(subject)
                if (
                    subject.text.lower() in PERSON_PRONOUNS
                    and previous is not None
                    and previous.speaker is not None
                    and previous.speaker.type == "Person"
                    and article.block_at(previous.start) == at
                    and resolver.may_mean(previous.speaker.key, subject.text)
                ):
                    # '"…," Musa Garba told reporters. "…," he added.': the one just quoted
                    speaker = previous.speaker
                if basis == "sentence" and resolver.refers_back(subject, speaker):
                    basis = "coreference"
                quote = _said_by(quote, cue, speaker, basis)
                if q.continues and speaker is not None:
                    # '“… [no closing mark] ¶ “…,” the source said.': the speaker named where
                    # the quotation closes said its paragraphs before, which named no one
                    out[opened:] = [
                        _continuing(o, quote) if o.speaker is None else o for o in out[opened:]
                    ]
            elif q.continues and previous is not None:
                quote = _continuing(quote, previous)  # a paragraph more, still with no speaker
            elif left_open is not None and _resumes(article, speech, resolver, q, at, *left_open):
                quote = _continuing(quote, left_open[1])
            elif (before := last_in.get(at - 1)) is not None and _goes_on(
                article, speech, resolver, at, before
            ):
                quote = _continuing(quote, before)
            elif left_open is None and (said := _reported_before(article, speech, q, at)):
                quote = _said_by(quote, said, resolver.resolve(said.subject), "continuation")
        out.append(quote)
        last_in[at] = quote
        previous = quote
        left_open = None if q.closed else (at, quote)
    return out


def _said_by(quote: Quote, cue: Cue, speaker: Entity | None, basis: str) -> Quote:
    """The quotation with the speaker its cue names (`basis`: how it was found)."""
    return replace(
        quote, speaker=speaker, speaker_text=cue.subject.text if cue.subject else None,
        cue=cue.text, basis=basis if speaker is not None else None,
    )  # fmt: skip


def _continuing(quote: Quote, before: Quote) -> Quote:
    basis = "continuation" if before.speaker is not None else None
    return replace(
        quote, speaker=before.speaker, speaker_text=before.speaker_text, cue=before.cue,
        basis=basis,
    )  # fmt: skip


def _resumes(
    article: Article,
    speech: _SpeechCues,
    resolver: Resolver,
    q: QuoteSpan,
    at: int,
    opened_at: int,
    opened: Quote,
) -> bool:
    """A quotation left open at the end of its paragraph (the mark for "the speaker goes on"),
    then paragraphs a page inserted, then a quotation standing alone: the speaker goes on,
    unless someone else is named, quoted or reported speaking in between."""
    block = article.parsed[at][0]
    if (
        opened.speaker is None
        or not 1 < at - opened_at <= _RESUME_WITHIN + 1
        or not _stands_alone(article, q, block)
    ):
        return False
    for between, sdoc in article.parsed[opened_at + 1 : at]:
        if article.quotes_in(between):
            return False
        if _someone_else(article, speech, resolver, between, sdoc, opened.speaker.key):
            return False
    return True


def _goes_on(
    article: Article, speech: _SpeechCues, resolver: Resolver, at: int, before: Quote
) -> bool:
    """A paragraph quoting with no attribution of its own, right after a paragraph whose last
    quotation has a speaker, goes on quoting that speaker (CONVENTIONS 18) unless it names
    another person."""
    if before.speaker is None:
        return False
    block, sdoc = article.parsed[at]
    return not _someone_else(article, speech, resolver, block, sdoc, before.speaker.key)


def _someone_else(
    article: Article, speech: _SpeechCues, resolver: Resolver, block: Block, sdoc: Doc, key: str
) -> bool:
    """Whether a paragraph reports anyone speaking, or names a person other than `key` outside
    its quotations (one named inside them is spoken of, not speaking)."""
    if any(c.subject is not None for c in speech(block, sdoc)):
        return True
    for ent in article.ents(sdoc):
        if article.in_quote(block.start + ent.start_char) is not None:
            continue
        named = resolver.mentions.covering(block.start + ent.start_char)
        if named is not None and named.type == "Person" and named.key != key:
            return True
    return False


def _stands_alone(article: Article, q: QuoteSpan, block: Block) -> bool:
    """Whether the quotation opens its paragraph (nothing but quotation marks before it)."""
    return not article.doc.text[block.start : q.start].strip(" " + OPENING_MARKS)


def _speech_cue(
    article: Article, mentions: Mentions, speech: _SpeechCues, q: QuoteSpan, at: int
) -> tuple[Cue, str] | None:
    """The speech verb nearest the quote, outside any quotation, in its block (`parsed[at]`)
    or the one before; and how it was found (a `kg.model.BASES` term)."""
    block, sdoc = article.parsed[at]
    if (predicate := _quoted_predicate(article, q, block, sdoc)) is not None:
        return predicate, "sentence"
    if (named := _name_and_colon(article, q, block, sdoc)) is not None:
        return named, "headline" if at == 0 else "sentence"
    found = speech(block, sdoc)
    cues = [
        c
        for c in found
        if c.subject is not None
        and c.text != "according to"
        and not _says_something_else(article, block, c, q)
    ]
    if not cues:
        # 'According to Oleh Varnak, "The shelling will not stop …"', and '… "a toll of 49",
        # according to a statement': before the quotation, or after it in its sentence.
        cues = [
            c
            for c in found
            if c.text == "according to"
            and c.subject is not None
            and (block.start + c.token.idx < q.start or _same_sentence(block, c.token, q))
        ]
    if cues:
        quoted = next((t for t in sdoc if block.start + t.idx >= q.start), None)
        above = set() if quoted is None else {t.i for t in quoted.ancestors}

        def distance(c: Cue) -> tuple[bool, bool, int]:
            """A verb in a sentence the quotation is in before any other ('"…," Musa Garba, a
            resident of the town, told reporters' after 'X said …'), one whose clause holds the
            quotation before one beside it ('X claimed the forces "struck …" and posted'), then
            the nearest."""
            pos = block.start + c.token.idx
            sent = c.token.sent
            own = block.start + sent.start_char <= q.end and q.start < block.start + sent.end_char
            near = q.start - pos if pos < q.start else pos - q.end + 1
            return not own, c.token.i not in above, near

        best = min(cues, key=distance)
        if not _right_before(article, block, best, q):
            best = reporting_above(best, cues) or best
        return best, "headline" if best.tag else "sentence"
    if (headline := _headline_speaker(article, q, block, sdoc)) is not None:
        return headline, "headline"
    if (colon := _colon_before(q, block, sdoc)) is not None:
        return colon, "sentence"
    if at > 0 and (labelled := _source_label(article, *article.parsed[at - 1])) is not None:
        return labelled, "continuation"
    # "He said:" as a paragraph of its own, the quotation in the next.
    if at > 0 and _stands_alone(article, q, block):
        prev_block, prev_doc = article.parsed[at - 1]
        if article.doc.text[prev_block.start : prev_block.end].rstrip().endswith(":"):
            sents = list(prev_doc.sents)
            said = [c for c in find_cues(sents[-1], SPEECH_VERBS) if c.subject is not None]
            return (said[-1], "continuation") if said else None
        introduced = _introduced(article, mentions, prev_block, prev_doc)
        return (introduced, "continuation") if introduced is not None else None
    return None


_QUOTE_FROM = re.compile(r"\bQuote from ((?:[A-Z][\w'’-]+\s?){1,3}):$")
_SOURCE_LABEL = re.compile(
    r"^\s*(?:Sources?\s*:|(?:Statement|Remarks|Comments?|Message)\s+(?:by|from)\b)\s*\S",
    re.IGNORECASE,
)


def _same_sentence(block: Block, tok: Token, q: QuoteSpan) -> bool:
    """Whether `tok` is in the sentence in which the quotation ends."""
    sent = tok.sent
    return block.start + sent.start_char < q.end <= block.start + sent.end_char


def _right_before(article: Article, block: Block, cue: Cue, q: QuoteSpan) -> bool:
    """'A nurse said the militiamen screamed "…"': a verb the quotation follows right after
    (punctuation between at most) introduces it, whatever reporting verb is above it."""
    end = block.start + cue.token.idx + len(cue.token)
    return end <= q.start and not article.doc.text[end : q.start].strip(" ,:" + OPENING_MARKS)


def _source_label(article: Article, block: Block, sdoc: Doc) -> Cue | None:
    """'Source: Tomas Brekel on Telegram', 'Statement by Ilse Varga, Regional Director' as a
    paragraph of its own: the quotation in the next paragraph is that person's or body's."""
    if not _SOURCE_LABEL.match(article.doc.text[block.start : block.end]):
        return None
    named = [e for e in article.ents(sdoc) if e.label_ in ("PERSON", "ORG")]
    return Cue(named[0].root, "source", named[0]) if named else None


def _says_something_else(article: Article, block: Block, cue: Cue, q: QuoteSpan) -> bool:
    """A reporting verb in a later sentence with a statement of its own ('"…." A military
    source said the army would retake the town.'): it does not introduce the quotation."""
    sent = cue.token.sent
    if block.start + sent.start_char < q.end:
        return False
    return any(
        c.dep_ == "ccomp" and article.in_quote(block.start + c.idx) is None
        for c in cue.token.children
    )


def _quoted_predicate(article: Article, q: QuoteSpan, block: Block, sdoc: Doc) -> Cue | None:
    """ "Mayor Ilko Varnik 'strongly condemned the attack' …": a quotation that opens on a verb
    in lower case right after a name quotes what that person said; the name is its speaker."""
    text = article.doc.text
    if not text[q.start : q.start + 1].islower():
        return None
    first = next((t for t in sdoc if t.idx >= q.start - block.start), None)
    if first is None or first.pos_ not in ("VERB", "AUX", "ADV"):
        return None  # "X 'a true patriot'": words about X, not by X
    if _said_after(q, block, sdoc):
        return None  # 'Leader X "was on his way …," said Y': Y says it of X
    before = text[block.start : q.start].rstrip(OPENING_MARKS + " ")
    for ent in article.ents(sdoc):
        if ent.label_ in ("PERSON", "ORG") and ent.end_char == len(before):
            words = text[q.start : q.end].split()
            return Cue(ent.root, words[0] if words else "quoted", ent)
    return None


def _said_after(q: QuoteSpan, block: Block, sdoc: Doc) -> bool:
    """Whether a speaker's verb follows the quotation ('…," said Y', '…," Y said'); not a
    clause on what was quoted ('…' which was reported at dawn)."""
    after = [t for t in sdoc if t.idx >= q.end - block.start and not t.is_punct][:3]
    for tok in after:
        if tok.lower_ in ("which", "that", "who", "as"):
            return False
        if tok.lemma_.lower() in SPEECH_VERBS:
            return not any(c.dep_ == "auxpass" for c in tok.children)
    return False


def _introduced(article: Article, mentions: Mentions, block: Block, sdoc: Doc) -> Cue | None:
    """A paragraph that introduces someone ("Yarka Varnik, 58, was asleep when …") and then a
    quotation standing alone in the next one: the quotation is the person's. Only when the
    introducing paragraph quotes no one, and its last sentence has the person as its subject."""
    if article.quotes_in(block):
        return None
    last = list(sdoc.sents)[-1]
    subject = first_child(last.root, "nsubj", "nsubjpass")
    if subject is None:
        return None
    for ent in article.ents(sdoc):
        if ent.label_ == "PERSON" and ent.start <= subject.i < ent.end:
            entity = mentions.covering(block.start + subject.idx)
            if entity is not None and entity.type == "Person":
                return Cue(last.root, "introduced before", ent)
    return None


def _reported_before(article: Article, speech: _SpeechCues, q: QuoteSpan, at: int) -> Cue | None:
    """'The army said nobody was hurt.' then a paragraph that is only '"Our view is …"': the
    quotation goes on with the statement the paragraph before reported (CONVENTIONS 18), when
    that paragraph quotes no one."""
    if at == 0 or not _stands_alone(article, q, article.parsed[at][0]):
        return None
    block, sdoc = article.parsed[at - 1]
    if article.quotes_in(block):
        return None
    last = list(sdoc.sents)[-1].start
    said = [
        c
        for c in speech(block, sdoc)
        if c.token.sent.start == last
        and c.subject is not None
        and not c.tag
        and main_clause(c.token)
        and c.text != "according to"
    ]
    return said[0] if said else None


def _colon_before(q: QuoteSpan, block: Block, sdoc: Doc) -> Cue | None:
    """'He went on: "…"', 'The minister proceeded: "…"': a clause that closes on a colon right
    before the quotation introduces it, whatever its verb."""
    rel = q.start - block.start
    before = [t for t in sdoc if t.idx < rel and not t.is_space and not t.is_quote]
    if len(before) < 3 or before[-1].text != ":" or before[-1].idx + 1 < rel - 2:
        return None
    verb = before[-2] if before[-2].pos_ in ("VERB", "AUX") else before[-2].head  # "went on:"
    subject = first_child(verb, "nsubj") if verb.pos_ in ("VERB", "AUX") else None
    if subject is None or subject.i > verb.i:
        return None
    # someone who can speak: "He went on:", "The minister added:"; not "The banner read:"
    speaker = (
        subject.lower_ in PERSON_PRONOUNS | PLURAL_PRONOUNS
        or subject.pos_ == "PROPN"
        or fold(subject.text) in PERSON_WORDS | ORG_ROLES
    )
    return Cue(verb, verb.text, noun_phrase(subject)) if speaker else None


def _name_and_colon(article: Article, q: QuoteSpan, block: Block, sdoc: Doc) -> Cue | None:
    """'…; Varnak: "We will rebuild"': a person's name and a colon right before the quotation,
    opening its line, a sentence or a part after a semicolon or a dash, say who said it, whatever
    reporting verb comes before."""
    text = article.doc.text
    before = text[block.start : q.start - 1].rstrip()
    if not before.endswith(":"):
        return None
    name_end = len(before) - 1  # the colon's offset in the block
    for ent in article.ents(sdoc):
        if ent.label_ != "PERSON" or ent.end_char != name_end:
            continue
        opening = before[: ent.start_char].rstrip()
        if not opening or opening.endswith((";", "|", "—", "–", ".", "!", "?")):
            return Cue(ent.root, ":", ent)
    # "Quote from X: '…'", a page's label: X whether the tagger named X or not
    m = _QUOTE_FROM.search(before)
    if m is not None and (span := sdoc.char_span(m.start(1), m.end(1))) is not None:
        return Cue(span.root, ":", span)
    return None


def _headline_speaker(article: Article, q: QuoteSpan, block: Block, sdoc: Doc) -> Cue | None:
    """Headline forms: "'Quote': Name on …" and "… 'quote' … - Name"."""
    people: list[Span] = [e for e in article.ents(sdoc) if e.label_ == "PERSON"]
    text = article.doc.text
    m = _AFTER_QUOTE.match(text[q.end : block.end])
    if m:
        at = q.end + m.end() - block.start
        for ent in people:
            if ent.start_char == at:
                return Cue(ent.root, "headline", ent)
    # ('Varnak: "We will rebuild"' is `_name_and_colon`'s, tried before any cue.)
    m = _BYLINE_END.search(text[block.start : block.end])
    if m and m.start(1) >= q.end - block.start:
        for ent in people:
            if ent.start_char == m.start(1) and ent.end_char == m.end(1):
                return Cue(ent.root, "headline", ent)
        words = m.group(1).split()
        if 2 <= len(words) <= 3 and all(w[:1].isupper() and w.isalpha() for w in words):
            span = sdoc.char_span(m.start(1), m.end(1))
            if span is not None:
                return Cue(span.root, "headline", span)
    return None
