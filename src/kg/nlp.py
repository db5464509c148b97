"""Load the spaCy pipeline named in the settings, once per process."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.util import compile_infix_regex


class PipelineError(RuntimeError):
    pass


# Scraped text glues quotation marks to words ('said:"The', 'said:“We'); split them off so the
# reporting verb and the quotation's first word are tokens of their own. It glues a word to a
# number before it too ("on May 2,according to …"), which spaCy splits only between letters.
_EXTRA_INFIXES = (
    r"""(?<=[A-Za-z])[:;](?=["“‘'])""",
    r"""(?<=[:;])["“‘'](?=[A-Za-z])""",
    r"""(?<=[0-9]),(?=[a-z])""",
)


@lru_cache(maxsize=2)
def load(name: str) -> Language:
    try:
        # The lemmatizer, parser and NER are all used; nothing to disable.
        nlp = spacy.load(name)
    except OSError as exc:
        raise PipelineError(
            f"spaCy pipeline {name!r} is not installed (set KG_PIPELINE to an installed one)"
        ) from exc
    infixes = list(nlp.Defaults.infixes or []) + list(_EXTRA_INFIXES)
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    return nlp
