"""Russian names and positions in the grammatical case a document needs (no Django).

Names: petrovich does the bulk; a table of rules fixes what it gets wrong — male first names
in -а/-я (Никита, Илья), surnames in -ых/-их (Седых), short Korean surnames (Цой), double
surnames (each part separately), Turkic patronymics with «оглы/кызы» (indeclinable).
Anything petrovich returns that does not look like a Russian word falls back to the
nominative and is flagged, so a person is never misnamed silently.

Positions: pymorphy3 inflects the head noun and the adjectives before it, never the tail in
the genitive («учитель начальных классов» → «учителя начальных классов»).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import cache, lru_cache

from petrovich.enums import Case as PCase
from petrovich.enums import Gender as PGender
from petrovich.main import Petrovich


class Case(Enum):
    NOMINATIVE = "nomn"
    GENITIVE = "gent"
    DATIVE = "datv"
    ACCUSATIVE = "accs"
    INSTRUMENTAL = "ablt"
    PREPOSITIONAL = "loct"


class Gender(Enum):
    MALE = "male"
    FEMALE = "female"


@dataclass(frozen=True)
class Declined:
    text: str
    exact: bool = True  # False: left in the nominative (could not decline) — check by hand
    note: str = ""


P_CASE = {
    Case.GENITIVE: PCase.GENITIVE,
    Case.DATIVE: PCase.DATIVE,
    Case.ACCUSATIVE: PCase.ACCUSATIVE,
    Case.INSTRUMENTAL: PCase.INSTRUMENTAL,
    Case.PREPOSITIONAL: PCase.PREPOSITIONAL,
}
P_GENDER = {Gender.MALE: PGender.MALE, Gender.FEMALE: PGender.FEMALE}
# A name (and each word of it) is declined once per case and kept: an order for 200 pairs names
# 400 people in five cases, most first names and patronymics repeat, and the same people come
# back in the next order. Bounded, so a worker that has issued documents for a whole region does
# not keep every name it has seen (≈ 4 000 people × 5 cases).
NAME_CACHE = 20_000
CYRILLIC_WORD = re.compile(r"^[А-ЯЁа-яё]+(?:-[А-ЯЁа-яё]+)*$")
INDECLINABLE_PATRONYMIC = re.compile(r"\s(оглы|кызы|угли|кизи)$", re.IGNORECASE)
# Endings of case forms for nouns like «Никита», «Кузьма» (first declension).
A_ENDINGS = {
    Case.GENITIVE: "ы",
    Case.DATIVE: "е",
    Case.ACCUSATIVE: "у",
    Case.INSTRUMENTAL: "ой",
    Case.PREPOSITIONAL: "е",
}
YA_ENDINGS = {
    Case.GENITIVE: "и",
    Case.DATIVE: "е",
    Case.ACCUSATIVE: "ю",
    Case.INSTRUMENTAL: "ей",
    Case.PREPOSITIONAL: "е",
}
# Surnames petrovich declines as adjectives by mistake (male forms).
SURNAME_TABLE = {
    "Цой": {
        Case.GENITIVE: "Цоя",
        Case.DATIVE: "Цою",
        Case.ACCUSATIVE: "Цоя",
        Case.INSTRUMENTAL: "Цоем",
        Case.PREPOSITIONAL: "Цое",
    },
}


@cache
def _petrovich() -> Petrovich:
    return Petrovich()


def _first_declension(word: str, case: Case) -> str:
    """«Никита» → «Никиту»; «Илья» → «Илью», «Ильёй»; velar stems take -и («Олега»-like)."""
    stem, last = word[:-1], word[-1]
    if last == "я":
        ending = YA_ENDINGS[case]
        if case is Case.INSTRUMENTAL and stem.endswith("ь"):
            ending = "ёй"  # Илья → Ильёй, Кузьма is -а
        return stem + ending
    ending = A_ENDINGS[case]
    if case is Case.GENITIVE and stem[-1:] in "гкхжшщч":
        ending = "и"
    if case is Case.INSTRUMENTAL and stem[-1:] in "жшщчц":
        ending = "ей"
    return stem + ending


def _looks_declined(original: str, result: str) -> bool:
    def same(a: str) -> str:  # the first letter survives every case (Лев → Льва)
        return a[:1].replace("Ё", "Е")

    return bool(result) and bool(CYRILLIC_WORD.match(result)) and same(result) == same(original)


def _spelling(word: str) -> str:
    """After г, к, х, ж, ш, ч, щ Russian writes и, never ы (petrovich: «Ольгы»)."""
    return re.sub(r"(?<=[гкхжшчщ])ы", "и", word)


@lru_cache(maxsize=NAME_CACHE)
def _part(kind: str, word: str, gender: Gender, case: Case) -> Declined:
    """One word of a name; kept, since first names and patronymics repeat across people."""
    if case is Case.NOMINATIVE:
        return Declined(word)
    if not CYRILLIC_WORD.match(word):
        return Declined(word, exact=False, note=f"«{word}» не склоняется автоматически")
    if kind == "lastname":
        if re.search(r"(ых|их)$", word, re.IGNORECASE):
            return Declined(word)  # Седых, Долгих: indeclinable
        if gender is Gender.MALE and word in SURNAME_TABLE:
            return Declined(SURNAME_TABLE[word][case])
    if kind == "firstname" and gender is Gender.MALE and word[-1] in "ая":
        return Declined(_first_declension(word, case))
    result = getattr(_petrovich(), kind)(word, P_CASE[case], P_GENDER[gender])
    if not _looks_declined(word, result):
        return Declined(word, exact=False, note=f"«{word}» не склоняется автоматически")
    return Declined(_spelling(result))


def _compound(kind: str, value: str, gender: Gender, case: Case) -> Declined:
    """Double surnames are declined part by part: Римская-Корсакова → Римскую-Корсакову."""
    parts = [_part(kind, piece, gender, case) for piece in value.split("-")]
    return Declined(
        "-".join(p.text for p in parts),
        exact=all(p.exact for p in parts),
        note="; ".join(p.note for p in parts if p.note),
    )


def guess_gender(middle_name: str) -> Gender | None:
    """Only as a fallback when the register has no gender: by the patronymic's ending."""
    value = middle_name.strip().lower()
    if value.endswith(("вич", "ич", "оглы", "угли")):
        return Gender.MALE
    if value.endswith(("вна", "чна", "кызы", "кизи")):
        return Gender.FEMALE
    return None


@lru_cache(maxsize=NAME_CACHE)
def decline_name(last: str, first: str, middle: str, gender: Gender, case: Case) -> Declined:
    """«Иванова Мария Петровна» in `case`; a missing patronymic is simply left out."""
    pieces = []
    if last:
        pieces.append(_compound("lastname", last.strip(), gender, case))
    if first:
        pieces.append(_compound("firstname", first.strip(), gender, case))
    middle = middle.strip()
    if middle:
        if INDECLINABLE_PATRONYMIC.search(middle):
            pieces.append(Declined(middle))
        else:
            pieces.append(_compound("middlename", middle, gender, case))
    return Declined(
        " ".join(p.text for p in pieces),
        exact=all(p.exact for p in pieces),
        note="; ".join(p.note for p in pieces if p.note),
    )


@lru_cache(maxsize=NAME_CACHE)
def initials_name(last: str, first: str, middle: str, gender: Gender, case: Case) -> str:
    """«Ивановой М. П.» — the surname declined, initials as they are."""
    surname = _compound("lastname", last.strip(), gender, case).text if last else ""
    initials = " ".join(f"{p.strip()[0]}." for p in (first, middle) if p and p.strip())
    return f"{surname} {initials}".strip()


# --- positions -----------------------------------------------------------------------------


@cache
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def _noun_parse(word: str):
    for parse in _morph().parse(word):
        if parse.tag.POS == "NOUN" and parse.tag.case == "nomn":
            return parse
    return None


def _adjective_parse(word: str):
    for parse in _morph().parse(word):
        if parse.tag.POS in ("ADJF", "PRTF") and parse.tag.case == "nomn":
            return parse
    return None


def _keep_case(template: str, word: str) -> str:
    return word[:1].upper() + word[1:] if template[:1].isupper() else word


def _inflect(parse, grammemes: set[str]) -> str | None:
    form = parse.inflect(grammemes)
    return form.word if form else None


@cache
def decline_position(position: str, case: Case) -> Declined:
    """Inflect the head noun (the first noun in the nominative) and the adjectives before it;
    hyphenated heads («педагог-психолог», «учитель-логопед») are inflected in both parts."""
    text = position.strip()
    if case is Case.NOMINATIVE or not text:
        return Declined(text)
    words = text.split(" ")
    out = list(words)
    head_index = None
    for i, word in enumerate(words):
        parts = word.split("-")
        if not all(_noun_parse(p.lower()) for p in parts if p):
            continue
        # «старший воспитатель»: a word that is also an adjective before a noun is not the head.
        following = words[i + 1] if i + 1 < len(words) else ""
        if _adjective_parse(word.lower()) and following and _noun_parse(following.lower()):
            continue
        head_index = i
        break
    if head_index is None:
        return Declined(text, exact=False, note=f"должность «{text}» не склоняется")
    head_parts = words[head_index].split("-")
    head = _noun_parse(head_parts[0].lower())
    animate = "anim" in head.tag
    grammemes = {case.value}
    declined_parts = []
    for part in head_parts:
        parse = _noun_parse(part.lower())
        form = _inflect(parse, grammemes) if parse else None
        if form is None:
            return Declined(text, exact=False, note=f"должность «{text}» не склоняется")
        declined_parts.append(_keep_case(part, form))
    out[head_index] = "-".join(declined_parts)
    gender = head.tag.gender or "masc"
    for i in range(head_index):
        adjective = _adjective_parse(words[i].lower())
        if adjective is None:
            continue
        wanted = {case.value, gender, "sing"}
        if case is Case.ACCUSATIVE and gender == "masc":
            wanted.add("anim" if animate else "inan")
        form = _inflect(adjective, wanted) or _inflect(adjective, {case.value, gender})
        if form:
            out[i] = _keep_case(words[i], form)
    return Declined(" ".join(out))


@cache
def decline_org_name(name: str, case: Case) -> Declined:
    """An organisation's name in `case`: «Муниципальному бюджетному общеобразовательному
    учреждению «Школа № 1»». The quoted proper name never changes; an abbreviated name
    («МБОУ СОШ № 1», «ГБОУ «Школа № 1234»») does not decline at all."""
    text = " ".join(name.split())
    head, quote, rest = text.partition("«")
    words = head.split()
    if case is Case.NOMINATIVE or not words:
        return Declined(text)
    if len(words[0]) > 1 and words[0].isupper():  # an abbreviation leads: indeclinable
        return Declined(text)
    declined = decline_position(head.strip(), case)
    if not declined.exact:
        return Declined(text, exact=False, note=f"наименование «{text}» не склоняется")
    return Declined(declined.text + (f" «{rest}" if quote else ""))


# --- a register entry in a sentence -------------------------------------------------------------

CASE_CODES = {
    "nom": Case.NOMINATIVE,
    "gen": Case.GENITIVE,
    "dat": Case.DATIVE,
    "acc": Case.ACCUSATIVE,
    "ins": Case.INSTRUMENTAL,
    "loc": Case.PREPOSITIONAL,
}


def person_in(person, case: str, *, short: bool = False) -> str:
    """A person (anything with last_name, first_name, middle_name and gender "male"/"female"
    or "") in `case` ("gen", "dat", …) for a sentence: «Мера поддержки для Тарасовой Виктории
    Денисовны записана», «Наставник для Никитина Д. А.». Without a known gender (none given,
    none from the patronymic) the name stays in the nominative rather than a guessed form."""
    last, first = person.last_name or "", person.first_name or ""
    middle = person.middle_name or ""
    code = getattr(person, "gender", "") or ""
    gender = Gender(code) if code in ("male", "female") else guess_gender(middle)
    if gender is None or case not in CASE_CODES:
        if short:
            initials = " ".join(f"{p.strip()[0]}." for p in (first, middle) if p.strip())
            return f"{last} {initials}".strip()
        return " ".join(p for p in (last, first, middle) if p)
    if short:
        return initials_name(last, first, middle, gender, CASE_CODES[case])
    return decline_name(last, first, middle, gender, CASE_CODES[case]).text
