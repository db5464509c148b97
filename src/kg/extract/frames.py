"""Who a statement is attributed to: reporting cues and the noun phrase that names the source.

Rules over spaCy's dependency parse: the subject of a reporting verb ("The UN says …", "…, he
said"), the object of "according to", noun cues ("amid reports of …"). Passive and impersonal
cues ("is said to have", "it emerged") keep the cue but name no source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Span, Token

from kg.extract.article import capitalised
from kg.lexicon import (
    CLOSING_MARKS,
    COUNT_WORDS,
    EVIDENCE_VERBS,
    FACELESS_INFO,
    IMPERSONAL_SUBJECTS,
    INFO_NOUNS,
    NOUN_CUES,
    OPENING_MARKS,
    ORG_ROLES,
    OUTLET_WORDS,
    PAGE_LABELS,
    PERSON_PRONOUNS,
    PERSON_ROLES,
    PERSON_WORDS,
    REPORTING_VERBS,
    SECTION_WORDS,
    STATEMENT_NOUNS,
)

_SUBJECT_DEPS = ("nsubj", "nsubjpass")
_MARK_TOKENS = frozenset(OPENING_MARKS + CLOSING_MARKS)  # a mark alone as a token
_CLOSING = frozenset(CLOSING_MARKS)
_CUT_DEPS = {"relcl", "appos", "acl", "advcl", "punct", "cc", "conj", "parataxis", "prep", "case"}
_KEEP_PREP_HEADS = {"head", "chief", "director", "director-general", "office", "ministry", "mayor"}
_RELATIVE = {"who", "which", "that", "whom"}
DASHES = ("—", "–", "-")
# Words for who gives figures that a headline's tag may be ("– spokesman", "Officials: …")
# besides the role words of the lexicon.
TAG_ROLES = frozenset(
    {"official", "source", "witness", "spokesperson", "monitor", "medic", "paramedic", "rescuer"}
)
# Every role word that names who gives figures: a body's, a person's, or a tag's.
SOURCE_ROLES = ORG_ROLES | PERSON_ROLES | TAG_ROLES


@dataclass(frozen=True)
class Cue:
    token: Token
    text: str
    subject: Span | None  # None: impersonal or passive, no source named
    impersonal: bool = False
    tag: bool = False  # a headline's tag: "… — MoD", "Army Command: …", "…, governor says"


def first_child(tok: Token, *deps: str) -> Token | None:
    """The first child of `tok` in one of the dependency relations `deps`, if any."""
    return next((c for c in tok.children if c.dep_ in deps), None)


def of_object(tok: Token) -> Token | None:
    """The object of the first "of" on `tok` ("cases of torture", "one of the survivors")."""
    return _prep_object(tok, "of")


def noun_phrase(head: Token) -> Span:
    """The head's phrase without relative clauses, appositions or trailing commas."""
    keep = {head.i}

    def walk(tok: Token) -> None:
        for child in tok.children:
            keep_prep = child.dep_ == "prep" and (
                (child.lower_ == "of" and (tok.lower_ in _KEEP_PREP_HEADS or _part(tok, head)))
                # "a source close to rebel commanders", "officials familiar with the talks"
                or (tok.dep_ == "amod" and tok.pos_ == "ADJ" and tok.head.i == head.i)
            )
            # "the regional governor Tomas Brekel", "the regional governor, Oleh Varnak,":
            # a name right after its title, or in commas after a role noun.
            keep_name = child.dep_ == "appos" and (
                child.left_edge.i == tok.i + 1
                or (tok.lemma_.lower() in PERSON_ROLES and child.ent_type_ == "PERSON")
            )
            if child.dep_ in _CUT_DEPS and not (keep_prep or keep_name):
                continue
            keep.add(child.i)
            walk(child)

    walk(head)
    start, end = min(keep), max(keep) + 1
    # not across a dash set in spaces: "… hurt - from 11 to 16 years old - medics said"
    spaced = [t.i for t in head.doc[start : head.i] if t.text in DASHES and _spaced(t)]
    return head.doc[(spaced[-1] + 1 if spaced else start) : end]


def _spaced(tok: Token) -> bool:
    """A token with a space on both sides (a dash between words, not in "al-Bashir")."""
    return bool(tok.whitespace_) and tok.i > 0 and bool(tok.doc[tok.i - 1].whitespace_)


def _part(tok: Token, head: Token) -> bool:
    """'one of the aid workers', 'some of the survivors': a phrase that is a part of a group."""
    return tok.i == head.i and (tok.like_num or tok.lower_ in ("some", "many", "most", "several"))


def author(head: Token) -> Token:
    """'a study by EU experts', 'figures from the ministry': who made the document is the source."""
    if not _is_info(head) or head.pos_ == "PROPN":
        return head  # "The Dolgino Post reported": a name, not a post
    # "ministry figures", "UN data", "a monitor tally", "the ministry's figures": a maker
    # written before the noun.
    makers = ORG_ROLES | PERSON_ROLES
    before = [c for c in head.children if c.dep_ in ("compound", "poss") and c.i < head.i]
    maker = next((c for c in before if c.pos_ == "PROPN" or c.lemma_.lower() in makers), None)
    # "figures from the ministry", and "images reviewed by the monitors"; but "a police report
    # seen by a news agency" is the police's: the one who saw it did not make it.
    preps = [*head.children, *(g for c in head.children if c.dep_ == "acl" for g in c.children)]
    for prep in preps:
        if prep.dep_ in ("prep", "agent") and prep.lower_ in ("by", "from"):
            objs = [c for c in prep.children if c.dep_ == "pobj"]
            if objs and (maker is None or prep.head.i == head.i):
                return objs[0]
    return maker if maker is not None else head


def _issued(noun: Token) -> bool:
    """'the report', 'the statement': a definite document a body issued, which names it."""
    return noun.lemma_.lower() in STATEMENT_NOUNS and any(
        c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in noun.children
    )


def _is_info(tok: Token | None) -> bool:
    return tok is not None and (tok.lemma_.lower() in INFO_NOUNS or tok.lower_ in INFO_NOUNS)


def subject_of(verb: Token, depth: int = 0) -> tuple[Span | None, bool]:
    """(subject phrase, passive?) of a verb, climbing to the governing verb for participles."""
    by = first_child(verb, "agent") if verb.lemma_.lower() in _SAID_BY else None
    agent = first_child(by, "pobj") if by is not None else None
    if agent is not None and any(c.dep_ == "auxpass" for c in verb.children):
        return noun_phrase(agent), False  # "The raid was reported by the monitors to have …"
    # not a quotation mark the tagger took for a name ('«…,» wrote X')
    subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS and c.text not in _MARK_TOKENS]
    # "the raid, which a rights group said killed 23": the group said it, not the raid.
    named = [c for c in subjects if c.lower_ not in _RELATIVE]
    if len(named) > 1:
        # "…, 140 more hurt since Friday, the ministry said": the parser gave the
        # verb two subjects; the one nearest it that is not a count is the speaker.
        named.sort(key=lambda c: (c.like_num, abs(verb.i - c.i)))
    for child in named[:1] or subjects[:1]:
        if child.lower_ in _RELATIVE and verb.dep_ == "relcl":
            return noun_phrase(verb.head), False
        if depth and child.lemma_.lower() in COUNT_WORDS and verb.dep_ == "ccomp":
            # "The mayor warned the count could still climb, adding …": a count says
            # nothing; the one who warned does.
            return subject_of(verb.head, depth + 1)
        phrase = _speakers_joined(child) or noun_phrase(child)
        cut = [t.i for t in phrase if t.lower_ in _CONTRAST and t.i < child.i]
        if cut:  # "a toll but aid workers said": the parser joined two clauses' nouns
            phrase = verb.doc[cut[-1] + 1 : phrase.end]
        return phrase, child.dep_ == "nsubjpass"
    if any(c.dep_ == "auxpass" for c in verb.children):
        return None, True
    if verb.dep_ == "conj" and (contrasted := _after_contrast(verb)) is not None:
        return contrasted, False
    if (according := _according_before(verb)) is not None:
        return according, False  # "…, according to a statement, noting that …"
    before = verb.doc[verb.i - 1] if verb.i else verb
    if (
        verb.tag_ == "VBG"
        and verb.dep_ in ("pcomp", "advcl", "ccomp", "xcomp")
        and before.dep_ == "conj"
        and before.pos_ in ("NOUN", "PROPN")
    ):
        # "…, with the militia naming one dead and state media saying two died": the parser
        # joined the second subject to the first clause's object; it is the noun right before
        return verb.doc[before.left_edge.i : before.i + 1], False
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and depth < 2:
        # "The army issued a statement saying …", "X claimed the attack saying …": who issued
        # or claimed it; "a man saying …", "figures from the UN saying …": the man, the UN.
        noun = verb.head
        if noun.lemma_.lower() in PERSON_WORDS or noun.pos_ == "PROPN":
            return noun_phrase(noun), False
        if (maker := author(noun)).i != noun.i:
            return noun_phrase(maker), False
        above = noun
        while above.dep_ in ("dobj", "pobj", "prep") and above.head.i != above.i:
            above = above.head
        if above.pos_ in ("VERB", "AUX") and above.i != noun.i:
            return subject_of(above, depth + 1)
    if depth < 2 and verb.dep_ in ("xcomp", "advcl", "conj", "pcomp") and verb.head.i != verb.i:
        head = verb.head
        if (
            verb.dep_ in ("conj", "advcl")
            and head.dep_ == "ccomp"
            and head.lemma_.lower() not in REPORTING_VERBS
            and head.head.lemma_.lower() in REPORTING_VERBS
        ):
            # "X said 20 died, but noted …", "X said crews were digging, adding that …": X
            # noted and added it, not the 20 or the crews
            head = head.head
        return subject_of(head, depth + 1)
    if verb.dep_ == "acl" and any(c.dep_ == "ccomp" for c in verb.children):
        # "A security source revealed that …" parsed as a noun with a participle on it; "A
        # first tally from village medics indicated that …", the participle on the last noun
        noun = verb.head
        while noun.dep_ in ("pobj", "prep") and noun.head.i != noun.i:
            noun = noun.head
        if noun.dep_ == "ROOT" and noun.pos_ in ("NOUN", "PROPN"):
            return noun_phrase(noun), False
    # A broken parse ("Council chief Brekel … said"): the name written right before the verb.
    for ent in verb.doc.ents:
        if ent.label_ in ("PERSON", "ORG") and verb.i - 2 <= ent.end <= verb.i:
            return ent, False
    # "Vesna, 71, said": capitalised words before an age in commas, which taggers miss.
    i = verb.i - 1
    while i >= 0 and (verb.doc[i].is_punct or verb.doc[i].like_num):
        i -= 1
    end = i + 1
    while i >= 0 and verb.doc[i].text[:1].isupper() and verb.doc[i].is_alpha and end - i <= 3:
        i -= 1
    if end - (i + 1) >= 1 and end < verb.i and verb.doc[end : verb.i].text.strip(", ").isdigit():
        return verb.doc[i + 1 : end], False
    return None, False


# Nouns that may give a statement: people, roles, media, documents.
_SPEAKING = PERSON_WORDS | SOURCE_ROLES | OUTLET_WORDS | STATEMENT_NOUNS | INFO_NOUNS


def _speakers_joined(subject: Token) -> Span | None:
    """'…, after two grenade blasts and gunfire, police and state radio said': the parser
    joined who said it to things named before them that cannot speak; the conjuncts after the
    comma that can."""
    if subject.pos_ != "NOUN" or _can_speak(subject):
        return None
    doc = subject.doc
    for conj in subject.subtree:
        if conj.dep_ == "conj" and conj.i > subject.i and _can_speak(conj):
            left = conj.left_edge
            if left.i > 0 and doc[left.i - 1].text == ",":
                return doc[left.i : subject.right_edge.i + 1]
    return None


def _can_speak(noun: Token) -> bool:
    """A noun that may give a statement: a person or a body, its role, a medium or a document."""
    if noun.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    return noun.lemma_.lower() in _SPEAKING or noun.lower_ in _SPEAKING


_CONTRAST = frozenset({"but", "while", "whereas", "although", "though"})
_NOUN_PHRASE_POS = frozenset({"DET", "ADJ", "NOUN", "PROPN"})


def _opens_according_to(tok: Token) -> bool:
    doc = tok.doc
    return tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to"


def according_to(tok: Token) -> Token | None:
    """The object of the "according to" that `tok` begins; None where `tok` begins none."""
    if not _opens_according_to(tok):
        return None
    return first_child(tok.nbor(1), "pobj") or first_child(tok, "pobj")


def faceless(obj: Token) -> bool:
    """Whether "according to" this object names no one: "according to preliminary estimates"."""
    return author(obj).i == obj.i and obj.lemma_.lower() in FACELESS_INFO | {"figure"}


def _according_before(verb: Token) -> Span | None:
    """'…, according to a ministry communique, adding that …': a participle right after an
    "according to" phrase is said by its object."""
    doc = verb.doc
    if verb.tag_ != "VBG" or verb.i < 4 or doc[verb.i - 1].text != ",":
        return None
    for tok in reversed(doc[verb.sent.start : verb.i - 1]):
        if tok.text in (",", ";") or (tok.pos_ == "VERB" and tok.lower_ != "according"):
            return None
        if _opens_according_to(tok) and tok.i + 1 < verb.i:
            obj = according_to(tok)
            return noun_phrase(author(obj)) if obj is not None else None
    return None


def _after_contrast(verb: Token) -> Span | None:
    """'The chief declined to give a toll but aid workers and villagers said …': the parser hangs
    the second clause's subject on the first clause's object; the words between the contrast
    and the verb are the subject."""
    doc = verb.doc
    i = verb.i - 1
    while i > verb.sent.start and (
        doc[i].pos_ in _NOUN_PHRASE_POS or (doc[i].lower_ == "and" and i < verb.i - 1)
    ):
        i -= 1
    if i == verb.i - 1 or doc[i].lower_ not in _CONTRAST or doc[i + 1].lower_ == "and":
        return None
    return doc[i + 1 : verb.i]


def _cue_text(tok: Token) -> str:
    aux = [c for c in tok.children if c.dep_ in ("aux", "auxpass") and c.i < tok.i]
    words = [*aux, tok]
    if any(c.dep_ == "xcomp" and c.lower_ in ("to",) for c in tok.children):
        words.append(tok.nbor(1))
    return " ".join(t.text for t in sorted(words, key=lambda t: t.i))


_CLAIMED_DEEDS = frozenset(
    "life lives victim victims toll responsibility credit attack attacks strike bombing "
    "killing killings assault ambush raid".split()
)


# Nouns for a statement that can carry what it states after "of".
_DECLARATIONS = frozenset({"announcement", "claim", "declaration", "report", "statement"})
_DECLARED = frozenset({"war", "emergency", "ceasefire", "truce", "independence", "mourning"})


def _claims_lives(verb: Token) -> bool:
    """'The fire claimed the lives of 7 people': a toll, not a claim; 'X reported among 13
    killed', 'reported dead': what is said of X, by no one named."""
    following = verb.nbor(1).lower_ if verb.i + 1 < len(verb.doc) else ""
    if verb.lemma_.lower() == "report" and following in ("among", "dead", "killed", "missing"):
        return True
    # "claimed the lives of", and "No group has claimed the bombing": responsibility, not a report
    if verb.lemma_.lower() == "claim" and any(
        c.dep_ == "dobj" and c.lemma_.lower() in _CLAIMED_DEEDS for c in verb.children
    ):
        return True
    # "Varnia declared war after …": an act, not a statement of what happened
    return verb.lemma_.lower() == "declare" and any(
        c.dep_ == "dobj" and c.lemma_.lower() in _DECLARED for c in verb.children
    )


def _verbal(tok: Token) -> bool:
    """A verb, or a word the tagger called a noun that heads its clause with a subject: '…,"
    a statement read.'"""
    if tok.pos_ in ("VERB", "AUX"):
        return True
    return (
        tok.dep_ == "ROOT" and tok.pos_ == "NOUN" and any(c.dep_ == "nsubj" for c in tok.children)
    )


def _reduced_passive(verb: Token) -> bool:
    """'the gunmen, believed to number about 60, …', 'X said to have lost …': someone believes
    or says it of them (taggers read a past tense with them as its subject)."""
    doc = verb.doc
    if not 0 < verb.i < len(doc) - 2 or doc[verb.i + 1].lower_ != "to":
        return False
    if verb.tag_ == "VBG":
        return False  # "…, claiming to have killed 14": a participle of the one who claims
    if any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return False
    if verb.lemma_.lower() == "claim" and first_child(verb, "nsubj") is not None:
        return False  # "The army claimed to have killed 12": the army claims it
    # "the gunmen, believed to number …"; a headline's "Varnia said to have lost …"
    return doc[verb.i - 1].text == "," or doc[verb.i + 2].lower_ in ("have", "be", "number")


def find_cues(
    sent: Span, verbs: frozenset[str] = REPORTING_VERBS, skip: Callable[[Token], bool] | None = None
) -> list[Cue]:
    """Reporting cues of a sentence, each with the phrase naming its source (if any)."""
    cues: list[Cue] = []
    for tok in sent:
        if skip is not None and skip(tok):
            continue
        lower = tok.lower_
        if _opens_according_to(tok):
            obj = according_to(tok)
            if obj is not None and faceless(obj):
                # "according to preliminary estimates": a hedge that names no one.
                phrase = noun_phrase(obj)
                cues.append(Cue(tok, f"according to {phrase.text}", None, impersonal=True))
            elif obj is not None:
                cues.append(Cue(tok, "according to", noun_phrase(author(obj))))
        elif (
            tok.pos_ == "VERB"
            and tok.lemma_.lower() in EVIDENCE_VERBS
            and _is_info(data := first_child(tok, "nsubj"))
        ):
            # "Figures from the ministry show …": the figures' author; "Estimates suggest …":
            # a hedge, no one named. (A person who "indicated that …" reports, below.)
            maker = author(data)
            # "The report found …": a statement of the body heard from lately (coref);
            # "Reports indicate …": unnamed reports (CONVENTIONS 14)
            named = maker.i != data.i or _issued(data) or data.lower_ in NOUN_CUES
            cues.append(Cue(tok, _cue_text(tok), noun_phrase(maker) if named else None,
                            impersonal=not named))  # fmt: skip
        elif lower == "per" and (source := _per(tok)) is not None:
            cues.append(Cue(tok, "per", noun_phrase(source)))  # "…, per the health ministry"
        elif (source := _quoted_as_saying(tok)) is not None:
            cues.append(Cue(tok, "quoted as saying", noun_phrase(source)))
        elif tok.dep_ == "pcomp" and _quoted_as_saying(tok.head.head) is not None:
            continue  # the "saying" of "quoted X as saying": the cue above names X
        elif (seer := _eyewitness(tok)) is not None:
            cues.append(Cue(tok, tok.text, noun_phrase(seer)))  # "a reporter saw 12 bodies"
        elif (owner := _declared_by(tok)) is not None:
            # "the alliance's announcement of killing 60 rebels": the alliance announces it
            cues.append(Cue(tok, tok.text, noun_phrase(owner)))
        elif (owner := _count_owner(tok, verbs)) is not None:
            # "The ministry's toll stood at 12": the count's owner gives what it counts
            cues.append(Cue(tok.head, tok.text, noun_phrase(owner)))
        elif lower == "learned" and (source := _learned_from(tok)) is not None:
            # "…, we learned from security sources": whom the reporter learned it from
            cues.append(Cue(tok, f"{tok.text} from", noun_phrase(source)))
        elif (read := _statement_read(tok, verbs)) is not None:
            # "'…,' the post read.": taggers take "post read" for one noun
            cues.append(Cue(tok, tok.text, noun_phrase(read)))
        elif (
            tok.pos_ == "VERB"
            and _claims_lives(tok)
            and any(c.dep_ == "auxpass" for c in tok.children)
        ):
            # "nine more were reported killed": a passive hedge that names no one
            cues.append(Cue(tok, _cue_text(tok), None, impersonal=True))
        elif _verbal(tok) and _says(tok, verbs) and not _claims_lives(tok):
            subject, passive = subject_of(tok)
            passive = passive or _reduced_passive(tok)
            if (trailing := _trailing_subject(tok, subject)) is not None:
                # "… were injured, the governor, Ivan Petrenko, said in a post": the parser
                # joined the verb to the passive before it; the words after the comma say it
                subject, passive = trailing, False
            if (subject is None and not passive) or _after_quotation(tok):
                # '"…", confirmed a police officer': the subject after the verb
                subject = _inverted_subject(tok) or subject
            if subject is not None and (maker := author(subject.root)) != subject.root:
                subject = noun_phrase(maker)  # "a study by EU experts said"
            if _extraposed(tok, subject):
                continue  # no one confirms anything: the sentence may go on with a statement
            if passive:
                cues.append(Cue(tok, _cue_text(tok), None, impersonal=True))
            elif subject is not None and subject.text.lower() in IMPERSONAL_SUBJECTS:
                cues.append(Cue(tok, f"{subject.text} {tok.text}", None, impersonal=True))
            elif subject is not None:
                cues.append(Cue(tok, _cue_text(tok), subject))
        elif tok.pos_ == "NOUN" and lower in NOUN_CUES and tok.tag_ == "NNS":
            cues.append(Cue(tok, f"{lower} of", tok.doc[tok.i : tok.i + 1]))
    if not cues and (
        closing := _closing_cue(sent, verbs) or _dash_source(sent) or _colon_source(sent)
    ):
        cues.append(closing)
    return cues


def _extraposed(verb: Token, subject: Span | None) -> bool:
    """'It was not possible to confirm that …', 'it is hard to verify': the "it" is empty and
    no one confirms anything."""
    return (
        subject is not None
        and subject.text.lower() == "it"
        and verb.dep_ == "xcomp"
        and verb.head.lemma_.lower() == "be"
    )


# Verbs that give or change a count as their object: "The ministry raised the toll to 12",
# "Police gave a toll of 12 dead".
_TOLL_VERBS = frozenset(
    {"give", "raise", "update", "revise", "lower", "increase", "bring", "provide"}
)
# Verbs that report only with a clause: "Police fear 12 people were killed", "investigators
# found that 180 people died", "the governor indicated that …", "police published online that …",
# "officials conveyed that …", "he assured that …".
_CLAUSE_VERBS = frozenset({"fear", "find", "indicate", "publish", "convey", "assure"})


def _says(tok: Token, verbs: frozenset[str]) -> bool:
    """A reporting verb, a verb that gives a count ("raised the toll to 12"), one that reports
    only with a clause ("found that …"), or a phrasal verb that reports ("pointed out")."""
    lemma = tok.lemma_.lower()
    if lemma == "continue":
        # '"…," he continued.' says; "searches continue near the river" does not
        return lemma in verbs and not any(
            c.dep_ in ("prep", "dobj", "xcomp", "advcl", "acomp", "advmod") for c in tok.children
        )
    if lemma == "add" and (to := _prep_object(tok, "to")) is not None:
        # "Their deaths add to the toll" does not say; "he added to reporters" does
        said_to = to.lemma_.lower() in PERSON_WORDS or to.ent_type_ in ("PERSON", "ORG", "NORP")
        return lemma in verbs and said_to
    if lemma in verbs:
        return True
    if lemma == "read":  # "…, the report read.": a document speaks
        subject = first_child(tok, "nsubj")
        return subject is not None and subject.lemma_.lower() in STATEMENT_NOUNS
    if lemma in _CLAUSE_VERBS:
        # "The governor indicated that …", "investigators found that …" (data that indicate
        # or a report that finds: above); "Police fear …"
        return any(c.dep_ == "ccomp" for c in tok.children)
    if lemma in _TOLL_VERBS:
        # by someone who keeps counts, not "The news of two more deaths raised the toll to 5"
        subject = first_child(tok, "nsubj")
        return (
            subject is not None
            and _keeps_counts(subject)
            and any(c.dep_ == "dobj" and c.lemma_.lower() in COUNT_WORDS for c in tok.children)
        )
    return lemma == "point" and any(c.dep_ == "prt" and c.lower_ == "out" for c in tok.children)


def _prep_object(tok: Token, word: str) -> Token | None:
    """The object of `tok`'s preposition `word`: "add to the toll" → toll."""
    prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == word), None)
    return first_child(prep, "pobj") if prep is not None else None


def _per(prep: Token) -> Token | None:
    """The body of "…, per the health ministry" (not a rate: "per day", "per cent", "per 1,000")."""
    obj = first_child(prep, "pobj")
    if obj is None or prep.dep_ != "prep" or any(c.like_num for c in obj.subtree):
        return None
    obj = author(obj)  # "per the agency's report": the agency
    role = obj.lemma_.lower() in SOURCE_ROLES
    return obj if role or obj.pos_ == "PROPN" or obj.ent_type_ in ("ORG", "PERSON") else None


def _quoted_as_saying(verb: Token) -> Token | None:
    """'X was quoted as saying …', 'the radio quoted X as saying …': X, the one quoted."""
    if verb.pos_ != "VERB" or verb.lemma_.lower() != "quote":
        return None
    as_ = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"), None)
    if as_ is None or not any(c.lemma_.lower() == "say" for c in as_.children):
        return None
    return first_child(verb, "nsubjpass", "dobj")


def _count_owner(noun: Token, verbs: frozenset[str]) -> Token | None:
    """The owner of a count that is its clause's subject: "the ministry's toll stood at 12"
    (a possessive on a reporting noun, "the ministry's statement said", is `author`'s)."""
    if noun.dep_ != "nsubj" or not of_counts(noun) or noun.pos_ != "NOUN":
        return None
    if noun.head.lemma_.lower() in verbs | EVIDENCE_VERBS:
        return None
    return _owner(noun)


def _eyewitness(verb: Token) -> Token | None:
    """'A reporter saw 12 bodies at the morgue', 'Residents counted 30 dead': someone who saw
    what is counted gives the figure; not 'the region saw 300 deaths'."""
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in _SEEING:
        return None
    seen, seer = first_child(verb, "dobj"), first_child(verb, "nsubj")
    if seen is None and (what := first_child(verb, "ccomp", "xcomp")) is not None:
        seen = first_child(what, "nsubj", "nsubjpass")  # "saw 14 bodies laid out"
    if seen is None or seer is None or not any(c.dep_ == "nummod" for c in seen.children):
        return None
    if seer.ent_type_ == "PERSON" or seer.lower_ in PERSON_PRONOUNS | {"they"}:
        return seer
    return seer if seer.lemma_.lower() in PERSON_WORDS else None


_SEEING = frozenset({"see", "count", "witness"})


def _declared_by(noun: Token) -> Token | None:
    """The owner of a statement noun with what it says after "of": "the alliance's
    announcement of killing 60 rebels", "the army's claim of 40 dead"."""
    if noun.pos_ != "NOUN" or noun.lemma_.lower() not in _DECLARATIONS:
        return None
    if not any(c.dep_ == "prep" and c.lower_ == "of" for c in noun.children):
        return None
    return _owner(noun)


def _owner(noun: Token) -> Token | None:
    """The noun or name in the possessive before a noun ("the ministry's", not "its")."""
    owner = first_child(noun, "poss")
    return owner if owner is not None and owner.pos_ in ("NOUN", "PROPN") else None


def of_counts(tok: Token) -> bool:
    """A word that speaks of tolls and counts: "the number of abductions", "deadliest"."""
    return tok.lemma_.lower() in COUNT_WORDS or tok.lower_ in COUNT_WORDS


def _keeps_counts(noun: Token) -> bool:
    """A body or person, who can give or change a count: "the ministry", "officials", "Kyiv"
    (or "X, who provided a toll of 46")."""
    if noun.lower_ in _RELATIVE and noun.head.dep_ == "relcl":
        noun = noun.head.head
    if noun.ent_type_ in ("ORG", "PERSON", "GPE", "NORP"):
        return True
    return noun.lemma_.lower() in SOURCE_ROLES


def _learned_from(verb: Token) -> Token | None:
    """'we learned from security sources': the object of 'from'."""
    if verb.lemma_.lower() != "learn" or verb.pos_ != "VERB":
        return None
    prep = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "from"), None)
    return first_child(prep, "pobj") if prep is not None else None


def _statement_read(tok: Token, verbs: frozenset[str]) -> Token | None:
    """The statement noun of "the post read" that a tagger read as one noun."""
    if "read" not in verbs or tok.lower_ not in ("read", "reads") or tok.pos_ != "NOUN":
        return None
    noun = next((c for c in tok.children if c.dep_ == "compound"), None)
    return noun if noun is not None and noun.lemma_.lower() in STATEMENT_NOUNS else None


def _headline_words(sent: Span) -> list[Token] | None:
    """The words of a headline-like line (five or more, no closing full stop unless in Title
    Case: "Ministry Of Health: Clashes Left Five Dead."), else None."""
    words = [t for t in sent if not t.is_space]
    if len(words) < 5:
        return None
    if words[-1].text in (".", "!", "?"):
        return words[:-1] if sent.start == 0 and capitalised(sent.doc.text) else None
    return words


def _after_comma(sent: Span, verb: Token) -> Span | None:
    """The 1–10 words between the last comma before `verb` and `verb`: a closing cue's subject
    ("…, state radio and a source close to the militia said.")."""
    comma = next((t for t in reversed(sent.doc[sent.start : verb.i]) if t.text == ","), None)
    if comma is None or not 1 <= verb.i - comma.i - 1 <= 10:
        return None
    return sent.doc[comma.i + 1 : verb.i]


_NOT_TAGS = OUTLET_WORDS | SECTION_WORDS  # "Reuters:", "Live:", "Dolgaria war:"


def _colon_source(sent: Span) -> Cue | None:
    """'Army Command: Dolgaria has lost 12,340 troops': a headline's source before a colon. The
    caller keeps it only if it names a person or a body ("Varnovo:" and "Dolgaria war:" do not)."""
    words = _headline_words(sent)
    if words is None:
        return None
    doc = sent.doc
    colon = next((t for t in words[:6] if t.text == ":"), None)
    opening = doc[: sent.start - 1] if sent.start > 1 else None
    if colon is None and opening is not None and doc[sent.start - 1].text == ":":
        # "UN: Soldiers killed three …", split by the parser at the colon
        if len(opening) <= 5 and opening.sent.end >= sent.start - 1:
            colon, head = doc[sent.start - 1], opening
        else:
            return None
    elif colon is None or colon.i == sent.start:
        return None
    else:
        head = doc[sent.start : colon.i]
    if not head[0].text[:1].isupper() or any(t.pos_ in ("VERB", "AUX") or t.like_num for t in head):
        return None
    if {t.lower_ for t in head} & _NOT_TAGS or head.text.lower() in PAGE_LABELS:
        return None
    return Cue(colon, colon.text, head, tag=True)


def _after_quotation(verb: Token) -> bool:
    """A verb right after a closing quotation mark and a comma ('"…", confirmed X')."""
    doc = verb.doc
    return verb.i >= 2 and doc[verb.i - 1].text == "," and doc[verb.i - 2].text in _CLOSING


def _inverted_subject(verb: Token) -> Span | None:
    """'…, reported Dolgaria Watch.': a closing cue with its subject after the verb, which
    the parser reads as an object; only a name, ending the sentence."""
    doc, sent = verb.doc, verb.sent
    if verb.i == sent.start or doc[verb.i - 1].text not in _CLOSING | {","}:
        return None
    obj = next((c for c in verb.children if c.dep_ in ("dobj", "attr") and c.i > verb.i), None)
    role = obj is not None and obj.lemma_.lower() in PERSON_ROLES | ORG_ROLES  # "…, said the mayor"
    if obj is not None and (obj.pos_ == "PROPN" or role):
        phrase = noun_phrase(obj)
        rest = [t for t in doc[phrase.end : sent.end] if not t.is_punct]
        # ending the sentence, or before a participle: "…, requesting anonymity"
        if not rest or (doc[phrase.end].text == "," and rest[0].tag_ == "VBG"):
            return phrase
    # '…," declared to reporters in the evening Ilko Varnik, head of the district.': the first
    # name after the verb, with only phrases of place and time between.
    for ent in sent.ents:
        if ent.start <= verb.i or ent.label_ not in ("PERSON", "ORG"):
            continue
        if ent.start > 0 and doc[ent.start - 1].lower_ == "to":
            continue  # "declared to AFP": the one told
        between = doc[verb.i + 1 : ent.start]
        if any(t.pos_ in ("VERB", "AUX") or t.text in (".", ";") for t in between):
            return None
        return ent
    return None


def _trailing_subject(verb: Token, parsed: Span | None) -> Span | None:
    """'…, residents and local officials said Friday.': a cue closing the sentence after a comma
    whose subject the parser hung elsewhere; the words between the comma and the verb."""
    after = [t for t in verb.doc[verb.i + 1 : verb.sent.end] if not t.is_punct]
    if any(t.pos_ == "NUM" and t.ent_type_ not in ("DATE", "TIME") for t in after):
        return None  # "…, said on Monday after 12 bodies were found": not a closing cue
    if not _only_where_and_when(verb) and (
        len(after) > 3 or any(t.pos_ in ("VERB", "AUX") for t in after)
    ):
        return None
    phrase = _after_comma(verb.sent, verb)
    own = any(c.dep_ in _SUBJECT_DEPS for c in verb.children)
    if phrase is None and (parsed is None or not own):  # none, or one of a verb before it
        phrase = _name_in_commas(verb) or _before_aside(verb)
    if phrase is None:
        return None
    if parsed is not None and phrase.start - 1 < parsed.start:
        return None  # the parse agrees: its subject is after the comma
    if any(t.pos_ in ("VERB", "AUX") for t in phrase):
        return None
    if not any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in phrase):
        return None
    return phrase


def _only_where_and_when(verb: Token) -> bool:
    """'…, Ivan Petrenko said on Monday in a message to reporters.': all a closing verb has
    after it is where, when or how it was said."""
    return all(c.dep_ in _CIRCUMSTANCE for c in verb.rights)


_CIRCUMSTANCE = frozenset({"prep", "npadvmod", "advmod", "punct", "agent"})


def _name_in_commas(verb: Token) -> Span | None:
    """'…, the hospital's director, Ivan Petrenko, said Tuesday.': a name set off by commas right
    before a verb the parser gave no subject (it hung the name on a noun before it)."""
    doc = verb.doc
    if verb.i < 3 or doc[verb.i - 1].text != ",":
        return None
    start = verb.i - 1
    while start > verb.sent.start and doc[start - 1].text != "," and verb.i - start <= 5:
        start -= 1
    words = doc[start : verb.i - 1]
    if start == verb.sent.start or not 1 <= len(words) <= 4:
        return None
    if not all(t.pos_ == "PROPN" or t.text[:1].isupper() for t in words):
        return None
    return words


def _before_aside(verb: Token) -> Span | None:
    """'…, a local leader, also speaking on condition of anonymity, said.': the words in commas
    before an aside in commas (one with a verb of its own) right before the verb."""
    doc, start = verb.doc, verb.sent.start
    if verb.i < 3 or doc[verb.i - 1].text != ",":
        return None
    commas = [t.i for t in doc[max(start, verb.i - 16) : verb.i - 1] if t.text == ","]
    if len(commas) < 2:
        return None
    aside, words = doc[commas[-1] + 1 : verb.i - 1], doc[commas[-2] + 1 : commas[-1]]
    if not any(t.pos_ == "VERB" for t in aside) or not 1 <= len(words) <= 6:
        return None
    return words


def _acronym(word: str) -> bool:
    return any(c.isupper() for c in word[1:])


def _comma_tag(sent: Span, words: list[Token]) -> Cue | None:
    """'… killed in Nugal region, officials': a headline closing on a role in lower case after a
    comma, with no verb, names who gave its figures."""
    comma = next((t for t in reversed(words[:-1]) if t.text == ","), None)
    if comma is None:
        return None
    tail = sent.doc[comma.i + 1 : words[-1].i + 1]
    if not 1 <= len(tail) <= 3 or not all(t.is_lower for t in tail):
        return None
    return (
        Cue(comma, comma.text, tail, tag=True) if tail.root.lemma_.lower() in SOURCE_ROLES else None
    )


def _dash_source(sent: Span) -> Cue | None:
    """'… down 18 drones overnight — MoD', '… 41 hurt in shelling: FM': a headline's
    source after a closing dash or colon. A page title's '- Outlet Name' has the same shape, so
    names of news outlets are not sources."""
    words = _headline_words(sent)
    if words is None:
        return None
    # "pro-Russian", "Al-Mina": a hyphen inside a word is no dash between words.
    dash = next(
        (
            t
            for t in reversed(words[:-1])
            if t.text in (*DASHES, ":")
            and t.whitespace_ != ""
            and (t.text == ":" or sent.doc[t.i - 1].whitespace_ != "")
        ),
        None,
    )
    if dash is None:
        return _comma_tag(sent, words)
    if dash.text == ":" and dash.i - sent.start < 4:
        return None  # "Army Command: …" opens the line: `_colon_source`
    tail = sent.doc[dash.i + 1 : words[-1].i + 1]
    if not 1 <= len(tail) <= 5:
        return None
    if not tail[0].text[:1].isupper():
        # "… – spokesman", "… — police": a role in lower case names who gave it.
        if tail.root.lemma_.lower() in SOURCE_ROLES:
            return Cue(dash, dash.text, tail, tag=True)
        # "…: monitor tally", "…, officials": lower case only for who makes figures.
        maker = author(tail.root)
        if maker is tail.root or dash.text != ":":
            return None
        return Cue(dash, dash.text, noun_phrase(maker), tag=True)
    if any(t.like_num or (t.pos_ in ("VERB", "AUX") and not _acronym(t.text)) for t in tail):
        return None  # a clause, not a name ("MoD", which the tagger may call a verb, is a name)
    if {t.lower_ for t in tail} & OUTLET_WORDS:
        return None
    return Cue(dash, dash.text, tail, tag=True)


_THIRD_PERSON = {
    "says",
    "estimates",
    "believes",
    "reports",
    "claims",
    "adds",
    "warns",
    "states",
    "confirms",
}


def _closing_cue(sent: Span, verbs: frozenset[str]) -> Cue | None:
    """'…, the refugee agency estimates.': a reporting verb closing the sentence after a comma,
    which the tagger may read as a plural noun."""
    words = [t for t in sent if not t.is_punct and not t.is_space]
    if len(words) < 4 or words[-1].lower_ not in _THIRD_PERSON:
        return None
    last = words[-1]
    if last.lemma_.lower() not in verbs and last.lower_[:-1] not in verbs:  # "estimates"
        return None
    subject = _after_comma(sent, last)
    if subject is None or any(t.pos_ == "VERB" for t in subject):
        return None
    return Cue(last, last.text, subject, tag=_headline_words(sent) is not None)


def _in(tok: Token, span: Span | None) -> bool:
    return span is not None and span.start <= tok.i < span.end


def _in_clause_of(tok: Token, noun: Token, verb: Token) -> bool:
    """Is `tok` inside a relative clause or aside on `noun`, the subject of `verb` ("Dolgaria,
    which deployed …, said")? (A headline's "Health ministry: 27 killed …" has no such verb.)"""
    if noun.head.i != verb.i or noun.i == verb.i:
        return False
    for node in (tok, *tok.ancestors):
        if node.head.i == noun.i and node.i != noun.i:
            return node.dep_ in ("relcl", "acl", "appos")
    return False


def cue_for(tok: Token, cues: list[Cue]) -> Cue | None:
    """The cue a number falls under: one governing its clause, else 'according to', else nearest."""
    # A cue's source does not say the numbers in its own name, nor those in a clause on it: in
    # "Dolgaria, which deployed about 1,800 soldiers, said …", the 1,800 is the reporter's.
    ancestors = list(tok.ancestors)
    usable = [
        c
        for c in cues
        if not _in(tok, c.subject)
        and not _describes(tok, c, ancestors)
        and c.token.i != tok.i
        and not (c.subject is not None and _in_clause_of(tok, c.subject.root, c.token))
    ]
    if any(c.subject is not None and not outlet(c.subject) for c in usable):
        # "…, the emergency service reported, the Associated Press reported": the wire
        # reports who gives the figure
        usable = [c for c in usable if c.subject is None or not outlet(c.subject)]
    governing = sorted(
        (c for c in usable if c.token in ancestors), key=lambda c: ancestors.index(c.token)
    )
    # "The clashes that Varnia said left 12 dead": a "that X said" on the subject of the
    # number's clause says the whole clause.
    governing += [c for c in usable if _said_of_subject(c.token, ancestors) and c not in governing]
    # A named source above a passive one wins: "The UN says 212 have been confirmed killed";
    # and above a pronoun that stands for it: "A neighbour said he had counted 35 bodies".
    named = [c for c in governing if c.subject is not None]
    if named:
        inner = named[0]
        # "Reports indicated one died; however, the hospital said …": a semicolon parts two
        # statements the parser may hang one on the other
        above = [c for c in named[1:] if not _semicolon_between(inner.token, c.token)]
        outer = [c for c in above if c.subject.root.pos_ != "PRON"]
        if inner.subject.root.pos_ == "PRON" and outer:
            return outer[0]
        evidence = inner.token.lemma_.lower() in EVIDENCE_VERBS
        if evidence and _is_info(first_child(inner.token, "nsubj")) and outer:
            return outer[0]  # "Journalists report that comments by X indicate …": theirs
        if first_child(inner.token, "xcomp") is not None and outer:
            return outer[0]  # "X claims to have downed 10 drones, officials said": theirs
        return reporting_above(inner, above) or inner
    according = [c for c in usable if by_preposition(c)]
    if according:
        return according[0]
    if governing:
        return governing[0]
    # A parenthetical cue of the main clause: "…, he said" / "…, officials said."
    verbal = [c for c in usable if not c.text.endswith(" of") and main_clause(c.token)]
    if verbal:
        return min(verbal, key=lambda c: abs(c.token.i - tok.i))
    # A headline's closing "— MoD", "…, officials" or opening "Army Command:" covers the line.
    return next((c for c in usable if c.token.text in (*DASHES, ":") or c.tag), None)


def _describes(tok: Token, cue: Cue, ancestors: list[Token]) -> bool:
    """Whether the number is in the words that describe the cue's own subject: "A cousin of
    the six herders killed at the well said …" tells who speaks, not what he said."""
    if cue.subject is None or by_preposition(cue):
        return False
    root = cue.subject.root
    return root in ancestors and root.dep_ in ("nsubj", "nsubjpass") and root.head.i == cue.token.i


def _semicolon_between(a: Token, b: Token) -> bool:
    return any(t.text == ";" for t in a.doc[min(a.i, b.i) : max(a.i, b.i)])


def by_preposition(cue: Cue) -> bool:
    """A cue that is a preposition over the clause: "according to X", "per X"."""
    return cue.text.startswith("according to") or cue.text == "per"


def outlet(subject: Span) -> bool:
    """A news outlet's name ("The Associated Press", "Dolgino News"), not "state media"."""
    return subject.root.pos_ == "PROPN" and any(t.lower_ in OUTLET_WORDS for t in subject)


def _said_of_subject(verb: Token, ancestors: list[Token]) -> bool:
    """Whether `verb` heads a 'that X said' clause on the subject of one of `ancestors`."""
    noun = verb.head
    return (
        verb.dep_ == "relcl"
        and noun.dep_ in ("nsubj", "nsubjpass")
        and noun.head in ancestors
        and any(c.dep_ == "nsubj" and c.lower_ in _RELATIVE for c in verb.children)
    )


def reporting_above(cue: Cue, cues: list[Cue]) -> Cue | None:
    """The nearest reporting verb above a cue whose verb only sometimes frames speech: "Varnak
    said the militia would continue its raids 'until …'" is Varnak's, not the militia's."""
    if cue.token.lemma_.lower() in REPORTING_VERBS | _CLAUSE_VERBS:
        return None
    ancestors = list(cue.token.ancestors)
    above = [c for c in cues if c.token in ancestors and c.token.lemma_.lower() in REPORTING_VERBS]
    return min(above, key=lambda c: ancestors.index(c.token)) if above else None


_TOLD_VERBS = frozenset({"tell", "inform", "brief"})
# Verbs of saying whose passive names the speaker as its agent: "was reported by the UN" (not
# "identified by relatives", "recorded by cameras").
_SAID_BY = frozenset({"announce", "claim", "confirm", "estimate", "report", "say", "state"})


def _closes_sentence(verb: Token) -> bool:
    """A reporting clause after a comma that ends its sentence, whatever the parser hung it on:
    its subject right after the comma, nothing after it but adjuncts."""
    subject = first_child(verb, "nsubj")
    if subject is None or subject.i > verb.i:
        return False
    left = subject.left_edge
    if left.i == 0 or verb.doc[left.i - 1].text != ",":
        return False
    if any(c.dep_ in ("mark", "ccomp", "xcomp") or _content_object(c) for c in verb.children):
        return False
    return verb.right_edge.i >= verb.sent.end - 2


def _closes_after_aside(verb: Token) -> bool:
    """'…, the Dolgino Watch, a rights body, said on Friday (May 3).': a closing verb the
    parser hung, with no subject, on the name before an aside; after a comma, nothing after it
    but adjuncts and punctuation."""
    if any(c.dep_ in (*_SUBJECT_DEPS, "agent") for c in verb.children):
        return False
    if not _only_where_and_when(verb):
        return False
    after = verb.doc[verb.right_edge.i + 1 : verb.sent.end]
    # (`_before_aside` asks for the comma right before the verb)
    return all(t.is_punct for t in after) and _before_aside(verb) is not None


def _content_object(child: Token) -> bool:
    """An object that is what was said ("…, as officials reported the deaths"), not the one told
    ("…, a district official told a news agency")."""
    return child.dep_ == "dobj" and child.head.lemma_.lower() not in _TOLD_VERBS


def _spliced(tok: Token) -> bool:
    """'Later he told of 17 wounded, six of them were women.': a clause with its own
    subject and no subordinator, joined by a comma to the sentence's root after it, which the
    parser hung as a clause of that root."""
    head = tok.head
    return (
        tok.dep_ == "advcl"
        and head.dep_ == "ROOT"
        and tok.i < head.i
        and any(c.dep_ == "nsubj" for c in tok.children)
        and not any(c.dep_ == "mark" or c.tag_ in ("WRB", "WDT", "WP") for c in tok.subtree)
        and tok.doc[tok.right_edge.i + 1 : head.i].text.startswith(",")
    )


def main_clause(tok: Token) -> bool:
    if tok.dep_ in ("ROOT", "parataxis"):
        return True
    if tok.dep_ in ("acl", "relcl") and (_closes_sentence(tok) or _closes_after_aside(tok)):
        return True  # "… killed 35 people, the prosecutor's office reported on Monday."
    if _spliced(tok):
        return True
    if tok.head.dep_ == "ROOT" and tok.dep_ == "advcl":
        # "…, the army command reported on June 3.": a trailing cue the parser hung as a clause
        # ("…, as local officials claimed that …" is a clause of its own, with its own content)
        if any(c.dep_ in ("mark", "ccomp") or _content_object(c) for c in tok.children):
            return False
        left = tok.left_edge
        return (
            left.text == ","
            or (left.i > 0 and tok.doc[left.i - 1].text == ",")
            or _closes_sentence(tok)
        )
    return tok.head.dep_ == "ROOT" and tok.dep_ in ("ccomp", "conj")
