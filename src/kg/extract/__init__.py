"""From Documents to Extractions: entities, quotes, figures, events and who gave them.

Blocks of text go through `nlp.pipe` in batches; each parsed document then goes through the
stages, each a function of the article and what the stages before it returned:

1. `article.Article.of`      the parse, quotation marks and repaired names, read-only
2. `mentions.find_mentions`  names → entities, and who is mentioned where, in which role
3. `coref.Resolver`          a source phrase → the person or body it means
4. `quotes.find_quotations`  quotations and their speakers
5. `figures.find_figures`    counted numbers, what they count, who gives them and how
6. `events.find_events`      events with actor, target, place and date
7. `occurrences.find_occurrences`  what the article reports happened, and which sentences are
                             about it (kg.incidents links these across documents)

Their rules: `frames` (reporting clauses and what they govern), `counting` (number → counted
noun → category), `numbers`, `marks` (quotation marks), `certainty`.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from kg.blocks import Block, blocks
from kg.document import Document
from kg.extract.article import Article
from kg.extract.coref import Resolver
from kg.extract.events import find_events
from kg.extract.figures import find_figures
from kg.extract.mentions import find_mentions
from kg.extract.occurrences import find_occurrences
from kg.extract.quotes import find_quotations
from kg.model import Extraction

__all__ = ["extract", "extract_parsed", "too_long"]

logger = logging.getLogger(__name__)


def extract_parsed(
    doc: Document, parsed: list[tuple[Block, Doc]], reparse: Callable[[str], Doc] | None = None
) -> Extraction:
    """Run every stage over one parsed document (`reparse`: see `Article.of`)."""
    article = Article.of(doc, parsed, reparse)
    mentions = find_mentions(article)
    resolver = Resolver(article, mentions)
    quotes = find_quotations(article, resolver)
    figures = find_figures(article, resolver, quotes)
    events = find_events(article, resolver)
    occurrences, about = find_occurrences(article, mentions, figures)
    out = Extraction(
        doc, mentions=mentions.mentions, quotes=quotes, figures=figures, events=events,
        occurrences=occurrences, about=about,
    )  # fmt: skip
    for entity in mentions.entities.values():
        out.add_entity(entity)
    # One Entity object per key, holding every alias any stage saw for it.
    for quote in quotes:
        if quote.speaker is not None:
            quote.speaker = out.add_entity(quote.speaker)
    for fig in figures:
        if fig.source is not None:
            fig.source = out.add_entity(fig.source)
    for event in events:
        if event.actor is not None:
            event.actor = out.add_entity(event.actor)
        if event.target is not None:
            event.target = out.add_entity(event.target)
        if event.place is not None:
            event.place = out.add_entity(event.place)
    return out


def too_long(doc_blocks: list[Block], limit: int) -> str | None:
    """Why a document cannot be parsed, if it cannot: a paragraph over the pipeline's max_length.

    spaCy refuses such a text (E088), which stopped the whole stream and every document after it;
    parsing it anyway would take about 3 GiB of memory per million characters (measured), so the
    document is refused alone, before it is parsed. No real article has such a paragraph."""
    for block in doc_blocks:
        if block.end - block.start > limit:
            return (
                f"not built: a paragraph of {block.end - block.start:,} characters (at character "
                f"{block.start:,}) is longer than the {limit:,} the spaCy pipeline parses at once"
            )
    return None


def extract(
    docs: Iterable[Document],
    nlp: Language,
    batch_size: int = 32,
    n_process: int = 1,
    on_refused: Callable[[Document, str], None] | None = None,
) -> Iterator[Extraction]:
    """Parse the blocks of all documents in one `nlp.pipe` stream, then run the stages per document.

    Only block texts cross to spaCy's worker processes (n_process > 1); the documents wait here,
    in order, since `nlp.pipe` answers in the order it was fed. A document that cannot be parsed
    (`too_long`), or whose stages fail on it, is left out and given to `on_refused` with the
    reason, and the stream goes on (its stored graph, if any, is kept as it was); with no
    `on_refused` it raises."""
    waiting: deque[tuple[Document, list[Block]]] = deque()

    def texts() -> Iterator[str]:
        for doc in docs:
            doc_blocks = blocks(doc)
            reason = too_long(doc_blocks, nlp.max_length)
            if reason is not None:
                if on_refused is None:
                    raise ValueError(f"{doc.id}: {reason}")
                on_refused(doc, reason)
                continue
            waiting.append((doc, doc_blocks))
            if not doc_blocks:
                yield ""  # keeps the document's place in the stream
            for block in doc_blocks:
                yield doc.text[block.start : block.end]

    parsed: list[tuple[Block, Doc]] = []
    for sdoc in nlp.pipe(texts(), batch_size=batch_size, n_process=n_process):
        doc, doc_blocks = waiting[0]
        if doc_blocks:
            parsed.append((doc_blocks[len(parsed)], sdoc))
        if len(parsed) == len(doc_blocks):
            waiting.popleft()
            try:
                extraction = extract_parsed(doc, parsed, nlp)
            except Exception as error:  # a fault of the stages on one text: the others go on
                if on_refused is None:
                    raise
                logger.warning("extraction of %s failed", doc.id, exc_info=True)
                on_refused(doc, f"not built: extraction failed ({type(error).__name__}: {error})")
            else:
                yield extraction
            parsed = []
