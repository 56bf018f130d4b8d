"""Russian words to their dictionary forms, so «классного руководства» finds «классное
руководство» on SQLite as well (PostgreSQL uses its own Russian text search). No Django."""

from __future__ import annotations

import re
from functools import cache

WORD = re.compile(r"[а-яёa-z0-9]+", re.IGNORECASE)
MAX_QUERY_WORDS = 12


@cache
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@cache
def lemma(word: str) -> str:
    word = word.lower().replace("ё", "е")
    if not re.search("[а-я]", word):
        return word
    return _morph().parse(word)[0].normal_form.replace("ё", "е")


def lemmatise(text: str) -> str:
    return " ".join(lemma(w) for w in WORD.findall(text or ""))


def query_terms(query: str) -> list[str]:
    """Words of a user's query as lemmas: quotes, wildcards and operators are dropped."""
    return [lemma(w) for w in WORD.findall(query or "")][:MAX_QUERY_WORDS]
