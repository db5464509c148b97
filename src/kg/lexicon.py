"""Word lists the extraction rules are built from, read once from data/lexicon.toml.

The lists are data: general English of reporting and counting and general conflict vocabulary,
edited in the TOML file (each one explained there). This module gives them names and types.
"""

from __future__ import annotations

import tomllib

from kg.resources import data_file

_DATA = tomllib.loads(data_file("lexicon.toml").read_text(encoding="utf-8"))


def _words(key: str) -> frozenset[str]:
    return frozenset(_DATA[key].split())


REPORTING_VERBS = _words("reporting_verbs")
OPENING_MARKS: str = _DATA["opening_marks"]  # characters, not words
CLOSING_MARKS: str = _DATA["closing_marks"]
EVIDENCE_VERBS = _words("evidence_verbs")
# Verbs that introduce direct speech: the reporting verbs and more.
SPEECH_VERBS = REPORTING_VERBS | _words("speech_verbs_besides_reporting")
IMPERSONAL_SUBJECTS = _words("impersonal_subjects")
PLURAL_PRONOUNS = _words("plural_pronouns")
PERSON_PRONOUNS = _words("person_pronouns")
OUTLET_WORDS = _words("outlet_words")
SECTION_WORDS = _words("section_words")
PAGE_LABELS = _words("page_labels")
NOUN_CUES = _words("noun_cues")
TITLES = _words("titles")
PERSON_ROLES = _words("person_roles")
ORG_ROLES = _words("org_roles")
# Outcome word → figure category: checked on the counted noun, then on its verbs.
OUTCOME_LEMMAS: dict[str, str] = {
    word: category for category, words in _DATA["outcome_lemmas"].items() for word in words.split()
}
PEOPLE_ONLY_OUTCOMES = _words("people_only_outcomes")
CONSEQUENCE_OPENERS = tuple(
    line.strip() for line in _DATA["consequence_openers"].splitlines() if line.strip()
)
ATTACK_NOUNS = _words("attack_nouns")
TOPIC_NOUNS = _words("topic_nouns") | ATTACK_NOUNS
HEARSAY_ADVERBS = _words("hearsay_adverbs")
KIN_NOUNS = _words("kin_nouns")
PEOPLE_NOUNS = _words("people_nouns") | KIN_NOUNS
# A person or people, as a noun or a role: "a resident", "the governor", "witnesses".
PERSON_WORDS = PEOPLE_NOUNS | PERSON_ROLES
TROOP_NOUNS = _words("troop_nouns")
EQUIPMENT_NOUNS = _words("equipment_nouns")
# Hardware words that name hardware alone ("tanks"); the others need a modifier.
EQUIPMENT_HEADS = EQUIPMENT_NOUNS - _words("equipment_not_heads")
TERRITORY_WORDS = _words("territory_words")
TERRITORY_VERBS = _words("territory_verbs")
NOT_COUNT_UNITS = _words("not_count_units")
NOT_COUNTED_NOUNS = _words("not_counted_nouns")
HELD_NOUNS = _words("held_nouns")
RELEASE_WORDS = _words("release_words")
MONTHS = _words("months")
WEEKDAYS: tuple[str, ...] = tuple(_DATA["weekdays"].split())  # in order: Monday is 0
STREET_WORDS = _words("street_words")
SETTLEMENT_WORDS = _words("settlement_words")
FEMALE_WORDS = _words("female_words")
MALE_WORDS = _words("male_words")
MALE_A_NAMES = _words("male_a_names")
INFO_NOUNS = _words("info_nouns")
WAR_NOUNS = _words("war_nouns")
STATEMENT_NOUNS = _words("statement_nouns")
COUNT_WORDS = _words("count_words")
FACELESS_INFO = _words("faceless_info")
NEEDS = _words("needs")
PERSON_TITLES = _words("person_titles")
SITE_NOUNS = _words("site_nouns")
RUNNING_TOTAL_CUES = frozenset(w.replace("-", " ") for w in _words("running_total_cues"))
