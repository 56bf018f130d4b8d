"""Take a person's name out of free text (no Django): every grammatical case of the surname,
first name and patronymic, with initials, in any order.

A surname (with whatever first name, patronymic or initials stand next to it) and a pair
«имя отчество» are replaced; a first name alone is left, since it names many people.
«е» and «ё» are the same letter here, as people type them. Case matters: a name is written
capitalised (or in capitals), and a surname like «Ли» or «Волк» is also a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from petrovich.enums import Case, Gender
from petrovich.main import Petrovich

REPLACEMENT = "[обезличено]"


@dataclass(frozen=True)
class NameForms:
    last: frozenset[str]
    first: frozenset[str]
    middle: frozenset[str]
    initials: frozenset[str]


@cache
def _petrovich() -> Petrovich:
    return Petrovich()


def _forms(value: str, decline) -> frozenset[str]:
    value = value.strip()
    if not value:
        return frozenset()
    forms = {value}
    for gender in (Gender.MALE, Gender.FEMALE):
        for case in Case.CASES:
            try:
                forms.add(decline(value, case, gender))
            except (KeyError, IndexError, ValueError):  # petrovich gives up on odd input
                continue
    # As typed (capitalised) and in capitals, as in a heading; case matters otherwise, so a
    # surname that is also a word («Ли», «Волк») is not taken out of every sentence.
    return frozenset(v for f in forms if f for v in (f, f.upper()))


def name_forms(last_name: str, first_name: str, middle_name: str) -> NameForms:
    p = _petrovich()
    initials = frozenset(n.strip()[0].upper() for n in (first_name, middle_name) if n.strip())
    return NameForms(
        last=_forms(last_name, p.lastname),
        first=_forms(first_name, p.firstname),
        middle=_forms(middle_name, p.middlename),
        initials=initials,
    )


_YO = {"е": "ё", "ё": "е", "Е": "Ё", "Ё": "Е"}


def _alternation(forms: frozenset[str]) -> str:
    # Longest first, so «Семёновой» wins over «Семёнов».
    parts = sorted(forms, key=lambda f: (-len(f), f))
    return "|".join(
        "".join(f"[{ch}{_YO[ch]}]" if ch in _YO else re.escape(ch) for ch in f) for f in parts
    )


@cache
def _pattern(forms: NameForms) -> re.Pattern | None:
    def word(forms_: frozenset[str]) -> str | None:
        return rf"(?<!\w)(?:{_alternation(forms_)})(?!\w)" if forms_ else None

    last, first, middle = word(forms.last), word(forms.first), word(forms.middle)
    initial = None
    if forms.initials:
        letters = "".join(sorted(forms.initials))
        initial = rf"(?<!\w)[{letters}]\.(?:\s?[А-ЯЁ]\.)?"
    around = "|".join(p for p in (first, middle, initial) if p)
    alternatives = []
    if last:
        name_part = rf"(?:{around})" if around else None
        before = rf"(?:{name_part}\s*)*" if name_part else ""
        after = rf"(?:\s*{name_part})*" if name_part else ""
        alternatives.append(f"{before}{last}{after}")
    if first and middle:
        alternatives.append(rf"{first}\s+{middle}")
    if not alternatives:
        return None
    return re.compile("|".join(alternatives))


def redact(text: str, forms: NameForms, replacement: str = REPLACEMENT) -> str:
    """`text` with every mention of the person replaced by `replacement`."""
    pattern = _pattern(forms)
    if not text or pattern is None:
        return text
    return pattern.sub(replacement, text)
