"""Stage 4, figure claims: each counted number, what it counts, who gives it and how that is known.

Candidates come from `counting` (number → counted noun → category); the source, in order of
how directly the text says it: the speaker of the quotation holding the number, the reporting
frame of its own sentence (`frames.cue_for`), the statement the paragraph continues, an
interview's speaker label.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from kg.dates import sentence_date
from kg.entities import Entity, fold
from kg.extract.article import Article
from kg.extract.certainty import certainty
from kg.extract.coref import Resolver
from kg.extract.counting import FigureCandidate, counts_on, figures_in_sentence
from kg.extract.frames import (
    SOURCE_ROLES,
    Cue,
    by_preposition,
    cue_for,
    find_cues,
    first_child,
    main_clause,
    noun_phrase,
    of_counts,
)
from kg.lexicon import (
    ATTACK_NOUNS,
    CONSEQUENCE_OPENERS,
    COUNT_WORDS,
    HEARSAY_ADVERBS,
    INFO_NOUNS,
    PEOPLE_NOUNS,
    REPORTING_VERBS,
    SPEECH_VERBS,
    TOPIC_NOUNS,
    TROOP_NOUNS,
    WAR_NOUNS,
)
from kg.model import Figure, Quote


@dataclass(frozen=True)
class Attribution:
    """Who gives a figure, as written and as resolved, the cue, and how it was found."""

    source: Entity | None = None
    text: str | None = None
    cue: str | None = None
    basis: str | None = None  # a kg.model.BASES term when there is a source
    # A statement that speaks of no counts: only a sentence that says it goes on with it
    # (`_goes_on`) takes its source.
    narrow: bool = False

    @property
    def found(self) -> bool:
        return self.source is not None or self.cue is not None


_NONE = Attribution()
_SPEAKER_LABEL = re.compile(r"([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})\s*:\s+\S")
_NEW_TOPIC = frozenset("separately elsewhere meanwhile earlier previously".split())
_OTHER_ONE = frozenset("separate another different unrelated similar".split())
_WHOLE_WARS = WAR_NOUNS - {"fighting", "violence", "offensive"}  # not also one day's events
# Nouns for an armed group, whose size or record a relative clause may give as background.
_GROUPS = frozenset("group militia front movement faction rebels army force forces".split())
# Words for a stretch of time that "last" makes past: "Last year, …", "Last month, …".
_HOME_TO = re.compile(r"\bhome to\s*$", re.IGNORECASE)
_PERIODS = frozenset("week weekend month year summer winter spring autumn fall decade".split())
_LISTING_VERBS = frozenset("include list show contain comprise say put give".split())


def find_figures(article: Article, resolver: Resolver, quotes: list[Quote]) -> list[Figure]:
    out: list[Figure] = []
    by_start = {q.start: q for q in quotes}
    speakers = {q.speaker.key: q.speaker for q in quotes if q.speaker is not None}
    named = {**resolver.mentions.entities, **speakers}
    previous_sentence: Span | None = None
    previous_figures: list[Figure] = []
    previous: str | None = None
    # What the previous sentence leaves open for statistics after it: its figures' source, or
    # the attributed statement it made (`_statistics_continued`, `_statement`).
    statement = _NONE
    stated_in: Doc | None = None  # the paragraph of the statement
    for _, sdoc in article.parsed:
        if not counts_on(sdoc.text):
            previous = None
        label = _speaker_label(named, sdoc.text)
        for sent in sdoc.sents:
            candidates = _counted(article, sent, previous)
            if not candidates:
                announced = _announcement(resolver, sent)
                _announced_after(announced, previous_figures)
                statement = _statement(article, resolver, sent, statement, announced)
                stated_in = sdoc
                previous_sentence, previous_figures = sent, []
                continue
            previous = candidates[-1].category
            cues = [c for c in find_cues(sent) if not article.in_quote(article.at(c.token))]
            sentence = article.sentence(sent)
            as_of = sentence_date(sent, article.doc.date)
            hearsay = any(t.lower_ in HEARSAY_ADVERBS for t in sent)
            made: list[Figure] = []
            for cand in candidates:
                n = cand.number
                start, end = sentence.start + n.hedge_start, sentence.start + n.end
                who = _in_quotation(article, by_start, start)
                if who is None:
                    who = _in_sentence(resolver, cand.token, cues)
                if not who.found:
                    who = _continued(resolver, sent, previous_sentence, previous_figures)
                if (
                    not who.found
                    and not cues
                    and not _new_topic(sent)
                    and not _aside(cand, sent)
                    and not hearsay
                    and (
                        not statement.narrow
                        or _goes_on(sent)
                        # "The army said a post was shelled. Five soldiers were wounded."
                        or (stated_in is sdoc and candidates[0].number.hedge_start == 0)
                    )
                ):
                    who = statement
                if not who.found and label is not None:
                    who = Attribution(label[1], label[0], ":", "sentence")
                made.append(
                    Figure(
                        start=start,
                        end=end,
                        text=article.doc.text[start:end],
                        value=n.value,
                        qualifier=n.qualifier,
                        category=cand.category,
                        measure=cand.measure,
                        sentence=sentence,
                        source=who.source,
                        source_text=who.text,
                        cue=who.cue,
                        basis=who.basis if who.source is not None else None,
                        as_of=as_of,
                    )
                )
            out.extend(made)
            previous_sentence, previous_figures = sent, made
            statement = _statistics_continued(made)
    _hedge_certainty(article, out)
    return out


def _counted(article: Article, sent: Span, previous: str | None) -> list[FigureCandidate]:
    """The sentence's figure candidates; a Title Case headline's read from its parse in
    sentence case (`Article.recased`), each tied back to the token of the parse the other
    stages use."""
    recased = article.recased.get(id(sent.doc))
    if recased is None or len(list(sent.doc.sents)) != 1:
        return figures_in_sentence(sent, previous)
    out = []
    # The recased parse may split the headline at a colon ("Dolgaria war: toll rises to 21"):
    # each of its sentences is read, and its offsets moved to the headline's.
    for part in recased.sents:
        shift = part.start_char - sent.start_char
        for cand in figures_in_sentence(part, previous):
            tok = sent.doc.char_span(cand.token.idx, cand.token.idx + len(cand.token))
            if tok is None or len(tok) != 1:
                return figures_in_sentence(sent, previous)  # tokenised apart: the first parse
            n = cand.number
            number = replace(
                n, start=n.start + shift, end=n.end + shift, hedge_start=n.hedge_start + shift
            )
            out.append(replace(cand, token=tok[0], number=number))
            previous = cand.category
    return out


def _in_quotation(article: Article, quotes: dict[int, Quote], pos: int) -> Attribution | None:
    """A number inside a direct quotation is its speaker's (_NONE when no speaker is known);
    None when the number is not quoted."""
    quoted = article.in_quote(pos)
    if quoted is None:
        return None
    quote = quotes.get(quoted.start)
    if quote is None or quote.speaker is None:
        return _NONE
    return Attribution(quote.speaker, quote.speaker_text, quote.cue, "quotation")


def _in_sentence(resolver: Resolver, tok: Token, cues: list[Cue]) -> Attribution:
    """The reporting frame of the number's own sentence."""
    cue = cue_for(tok, cues)
    if cue is None:
        return _NONE
    if cue.token.text == ":":  # "Army Command: …" names a source; "Varnovo: …" a place
        source = resolver.resolve(cue.subject) if cue.subject is not None else None
        # "Varnovo: …" opens on a place (or a word kg cannot tell from one); "…: Ukraine" closes
        # on a country that says so.
        if source is None:
            return _NONE
        closing = cue.token.i > tok.i
        if source.type == "Place" and not (closing and source.geo and source.geo.is_country):
            return _NONE
        head = cue.subject.root
        # "Governor:", "Ministry:", and the plural "Iraqi Officials:", "Police Sources:"
        word = fold(head.text)
        if not closing and {word, word.removesuffix("s"), word.removesuffix("es")} & TOPIC_NOUNS:
            return _NONE  # "Varna Violence: …", "Border Clashes: …": what the story is about
        role = bool({word, word.removesuffix("s")} & SOURCE_ROLES)
        if source.type == "Source" and not closing and not role:
            return _NONE
    if cue.subject is None or cue.impersonal:
        return Attribution(cue=cue.text)
    source = resolver.resolve(cue.subject)
    basis = "headline" if cue.tag else "sentence"
    if basis == "sentence" and resolver.refers_back(cue.subject, source):
        basis = "coreference"
    return Attribution(source, cue.subject.text, cue.text, basis)


def _continued(
    resolver: Resolver, sent: Span, before: Span | None, before_figures: list[Figure]
) -> Attribution:
    """Sources a sentence leaves implicit, found in the sentence before it.

    A verbless fragment continues the list before it ("… 300 tanks. 1,200 armoured vehicles and
    700 drones."); "It includes/lists/shows …" refers to a list or report named just before,
    whose author is the source ("X's office published a list of needs. It includes …").
    """
    if before is None:
        return _NONE
    if not any(t.pos_ in ("VERB", "AUX") for t in sent) and before_figures:
        last = before_figures[-1]
        return Attribution(last.source, last.source_text, last.cue, _inherited(last.basis))
    root = sent.root
    subject = first_child(root, "nsubj", "nsubjpass")
    if subject is None or subject.lower_ not in ("it", "this", "they"):
        return _NONE
    if root.lemma_ not in _LISTING_VERBS:
        return _NONE
    for noun in before:
        if noun.lemma_.lower() not in INFO_NOUNS or noun.pos_ != "NOUN":
            continue
        owner = first_child(noun, "poss")
        verb = noun.head if noun.dep_ in ("dobj", "nsubjpass") else None
        if owner is None and verb is not None:
            owner = first_child(verb, "nsubj")
        if owner is None:
            continue
        phrase = noun_phrase(owner)
        source = resolver.resolve(phrase)
        if source is not None:
            cue = f"{verb.text} {noun.text}" if verb is not None else noun.text
            return Attribution(source, phrase.text, cue, "continuation")
    return _NONE


def _new_topic(sent: Span) -> bool:
    """A sentence that opens on "Separately" or "Elsewhere", or introduces what it tells with an
    indefinite subject ("A rocket attack has flattened the port, …", "An explosion at the
    camp …"), starts a topic of its own: it does not go on with the statistics before it."""
    if sent[0].lower_ in _NEW_TOPIC:
        return True  # "Separately, …", "Elsewhere, …", "Meanwhile, …"
    if any(
        t.lower_ in _OTHER_ONE and t.head.dep_ == "pobj" and t.head.head.lower_ == "in"
        for t in sent
    ):
        return True  # "In a separate incident, …", "… were killed in another attack"
    if _back_then(sent):
        return True  # "Last year, gunmen raided a market in the district, killing 12."
    subject = first_child(sent.root, "nsubj", "nsubjpass")
    if subject is not None and subject.lemma_.lower() in WAR_NOUNS and _perfect(sent.root):
        return True  # "The war has killed at least 400 people": the reporter's background
    if _perfect(sent.root) and _in_whole_war(sent.root):
        return True  # "Some 9,000 fighters have died in the campaign": so far
    if _came_after(sent.root):
        return True  # "The raid comes a day after gunmen killed 7 …": an earlier event
    if subject is None or subject.lemma_.lower() in PEOPLE_NOUNS | TROOP_NOUNS | COUNT_WORDS:
        return False  # "A total of 83 women died …" goes on with the count
    if subject.like_num or any(c.lower_ in ("further", "additional") for c in subject.children):
        return False  # "a further nine were hurt", "an additional 12": more of the same count
    return any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in subject.children)


def _in_whole_war(verb: Token) -> bool:
    """A verb said of a whole war: "… in the campaign", "… during the war" (not "in the
    fighting" or "in the violence", which may be the day's)."""
    return any(
        prep.dep_ == "prep"
        and prep.lower_ in ("in", "during", "throughout")
        and any(o.dep_ == "pobj" and o.lemma_.lower() in _WHOLE_WARS for o in prep.children)
        for prep in verb.children
    )


def _came_after(verb: Token) -> bool:
    """'This came hours after …', 'The raid comes a day after …', 'It came as …': a sentence that
    sets what it tells after the news, as what happened before."""
    if verb.lemma_ != "come":
        return False
    for c in verb.children:
        if c.lower_ in _CAME_WITH and c.dep_ in ("prep", "mark", "advmod", "advcl"):
            return True  # "came after the raid"
        if c.dep_ in ("advcl", "prep", "npadvmod") and any(
            g.lower_ in _CAME_WITH and g.dep_ in ("mark", "prep") for g in c.children
        ):
            return True  # "came as gunmen …", "came a day after …", however the parser hung it
    return False


# Words by which a sentence sets what it tells beside or after the news: "This came after …"
_CAME_WITH = frozenset({"after", "following", "as", "amid"})


def _aside(cand: FigureCandidate, sent: Span) -> bool:
    """A figure in a relative clause that tells what a war or a group has done or has ("The
    conflict, which has killed 6,000, …", "the militia, which has some 900 fighters, …") is
    the reporter's background, not the statistics of the statement before it; so is what a
    place is home to ("the site, home to 9,000 displaced people, …")."""
    if _HOME_TO.search(sent.text[: cand.number.hedge_start]):
        return True  # before the number and its hedge: "home to some 9,000"
    for above in cand.token.ancestors:
        if above.dep_ != "relcl":
            continue
        head = above.head
        if head.lemma_.lower() in WAR_NOUNS:
            return True
        verbs = [above, *(c for c in above.children if c.dep_ == "conj")]
        has = any(v.lemma_ == "have" or _perfect(v) for v in verbs)
        # not "The attack, which has left 3 wounded, …": what the attack did is the news
        return has and (head.pos_ == "PROPN" or head.lemma_.lower() in _GROUPS)
    return False


def _perfect(verb: Token) -> bool:
    """'has killed', 'have displaced': a verb in the present perfect, what is so far."""
    return any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children)


def _back_then(sent: Span) -> bool:
    """A sentence that opens on a stretch of time gone by, "Last year, …": background the reporter
    gives, not the statistics of the statement before it. (A year alone does not say it: "In
    2024, 39 cases were opened" may go on with a statement's statistics.)"""
    return len(sent) > 1 and sent[0].lower_ == "last" and sent[1].lower_ in _PERIODS


def _goes_on(sent: Span) -> bool:
    """A sentence that tells what followed from the one before: "As a result, …", or its subject
    the attack just reported ("The strike killed four people.")."""
    opening = sent.text.lower()
    if any(
        opening.startswith(o) and not opening[len(o) : len(o) + 1].isalnum()
        for o in CONSEQUENCE_OPENERS
    ):
        return True
    subject = first_child(sent.root, "nsubj", "nsubjpass")
    return (
        subject is not None
        and subject.lemma_.lower() in ATTACK_NOUNS
        and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in subject.children)
    )


def _statistics_continued(before: list[Figure]) -> Attribution:
    """A sentence with no attribution of its own right after an attributed sentence's figures
    continues its statistics ("The ministry said 23 people died. Among the dead are 40 women.",
    "Of those, 12 were children."): it takes that source, with no cue of its own. After the
    reporter's own narration (a sentence without figures, or figures with no source) it does
    not."""
    last = next((f for f in reversed(before) if f.source is not None), None)
    if last is None or last.basis == "headline":
        return _NONE  # a headline's tag covers the headline only
    return Attribution(last.source, last.source_text, None, "continuation")


def _statement(
    article: Article, resolver: Resolver, sent: Span, going: Attribution, announced: Attribution
) -> Attribution:
    """The statement a sentence without figures leaves open for statistics right after it:
    its own, when it is attributed and speaks of counts ("According to the prosecutor, the
    number of abductions is rising.") or is by the source whose statistics came just
    before it; when it only reports what happened ("The army reported that two raids were
    carried out."), a narrow one that only a sentence going on with it takes (`_goes_on`);
    none after the reporter's own narration. `announced` is the sentence's `_announcement`."""
    if announced.found:  # "This was reported by the emergency service." before the figures
        return replace(announced, cue=None)
    counts = any(of_counts(t) for t in sent)
    # Found first: most sentences are narration, and cues cost a parse walk.
    if (
        not counts
        and (going.source is None or going.narrow)
        and not any(t.lemma_.lower() in REPORTING_VERBS and _reports_content(t) for t in sent)
    ):
        return _NONE
    cues = [
        c
        for c in find_cues(sent)
        if c.subject is not None
        and not c.impersonal
        and not c.tag
        and not article.in_quote(article.at(c.token))
        and (by_preposition(c) or main_clause(c.token))
    ]
    if not cues:
        return _NONE
    cue = cues[0]
    source = resolver.resolve(cue.subject)
    if source is None:
        return _NONE
    # Open to any statistics after it when it speaks of counts or goes on with the source of
    # those before it; else, when it reports what happened, open narrowly.
    full = counts or (
        going.source is not None and not going.narrow and going.source.key == source.key
    )
    if not full and not _reports_content(cue.token):
        return _NONE
    return Attribution(source, cue.subject.text, None, "continuation", narrow=not full)


def _reports_content(verb: Token) -> bool:
    """'The army reported that three raids were carried out': indirect speech, a statement whose
    figures may follow in the next sentence ("As a result, five fighters were killed.")."""
    return any(c.dep_ == "ccomp" for c in verb.children)


def _announced_after(found: Attribution, before: list[Figure]) -> None:
    """'This was confirmed by the head of the council, Tomas Brekel.', 'The figure was given by
    the army.', 'That is according to the ministry.': a sentence that attributes the one before
    it (`found`, its `_announcement`) gives its unattributed figures their source."""
    if not found.found or not before or any(f.source is not None for f in before):
        return
    for fig in before:  # figures this stage made and has not handed on yet
        fig.source, fig.source_text = found.source, found.text
        fig.cue, fig.basis = found.cue, found.basis


def _announcement(resolver: Resolver, sent: Span) -> Attribution:
    """Who 'This was reported by …' names, with its cue; _NONE for any other sentence."""
    root = sent.root
    subject = first_child(root, "nsubj", "nsubjpass")
    if subject is None or not (
        subject.lower_ in ("this", "that", "these") or subject.lemma_.lower() in COUNT_WORDS
    ):
        return _NONE  # "This …", "The figure …", "The toll …"
    by, cue = None, ""
    agent = first_child(root, "agent")
    if agent is not None and root.lemma_.lower() in SPEECH_VERBS:  # "was confirmed by X"
        by, cue = first_child(agent, "pobj"), f"{root.text} by"
    elif root.lemma_ == "be" or root.lower_ == "according":  # "That is according to X."
        according = next((c for c in find_cues(sent) if c.text == "according to"), None)
        if according is not None and according.subject is not None:
            by, cue = according.subject.root, "according to"
    if by is None:
        return _NONE
    phrase = noun_phrase(by)
    source = resolver.resolve(phrase)
    if source is None:
        return _NONE
    return Attribution(source, phrase.text, cue, "continuation")


def _inherited(basis: str | None) -> str | None:
    return None if basis is None else "continuation"


def _speaker_label(named: dict[str, Entity], text: str) -> tuple[str, Entity] | None:
    """'Brekel: More than 37,000 people have left …': an interview's answer, said by the
    person the paragraph's label names (someone the article has named; "Q:" or "Varnovo:" is
    no one)."""
    m = _SPEAKER_LABEL.match(text)
    if m is None:
        return None
    name = fold(m.group(1))
    for e in named.values():
        if e.type == "Person" and (name == fold(e.label) or name in {fold(a) for a in e.aliases}):
            return m.group(1), e
    return None


def _hedge_certainty(article: Article, figures: list[Figure]) -> None:
    """How sure each figure's text is, which may rest on the sentence after it."""
    sentences = sorted(
        {(b.start + s.start_char, b.start + s.end_char) for b, d in article.parsed for s in d.sents}
    )
    starts = [s for s, _ in sentences]
    text = article.doc.text
    for fig in figures:
        i = bisect.bisect_right(starts, fig.sentence.start)
        following = text[sentences[i][0] : sentences[i][1]] if i < len(sentences) else ""
        fig.certainty = certainty(fig.sentence.text, following, fig.cue)
