"""Which people of a staff register a news text names (no Django).

A post must not name anyone without a consent to distribution of personal data
(152-ФЗ ст. 10.1), so before publishing the text is searched for every person of the register.

A person counts as named by:
- surname + first name in either order, optionally with the patronymic
  («Иванова Мария Петровна», «Марии Петровны Ивановой», «с Марией Ивановой»);
- surname with initials in either order («Иванова М. П.», «М.П. Ивановой», «Иванову М.»);
- first name + patronymic alone («Мария Петровна провела…», «поблагодарили Марию Петровну»),
  unless another surname stands right beside them: «Беляеву Оксану Юрьевну» is not Денисова
  Оксана Юрьевна. A word beside counts as a surname when it is capitalised inside a sentence
  (not an abbreviation like «СОШ»), or opens the sentence and ends like a surname (-ов, -ева,
  -ину, -ский, -енко…), so «Вчера Оксана Юрьевна…» still names her.
- a surname alone, capitalised, in any case («Коллеги поблагодарили Зайцеву», «Вопросов от Цоя
  не было», «На фото — Тарасова»): in a school a surname identifies a person — when it is the
  surname of exactly one person of the register and not also a common word (pymorphy3 knows it
  as something other than a surname, name or place: «Роза», «Зима», «Мороз»). A bare surname of
  several people, or one that is also a common word, names nobody for sure: `surname_doubts`
  lists it, so the curator is warned instead of blocked.
A first name alone is too ambiguous and does not count.

Forms of every name part come from `decline_name` for all six cases, only for the person's
own gender (Иванов ≠ Иванова); an unknown gender takes both. Matching is case-insensitive,
ё = е, Latin look-alike letters inside Cyrillic words are read as Cyrillic. Parts of one name
may be separated only by whitespace (non-breaking spaces, a single line break) and the dots
of initials; any other punctuation — a full stop after a word, a comma, a bracket, a dash,
a blank line or a block HTML tag — splits them, so «…Иванова. Мария пришла…» and
«Петров А., Иванова М.» are not joined. A second initial or a patronymic that contradicts
the register («Иванова М. А.» for Мария Петровна) rules the match out.

Speed: the register is indexed by the first word of every surname form and by the pair of
words «first name, patronymic», namesakes grouped; a text is scanned once with a dict lookup
per word, neighbours are checked only on a hit, and a person already found is not checked
again. 300 people × 20 000 chars, forms cached: 8–18 ms per call (`timing()` measures it);
the first call for a new register also declines every name, ≈ 25 ms for 300 people.
"""

from __future__ import annotations

import html
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from apps.core.declension import Case, Gender, decline_name, guess_gender


@dataclass(frozen=True)
class NameRecord:
    key: int  # Person.pk
    last: str
    first: str
    middle: str = ""
    gender: str = ""  # "male" / "female" / "" (then guessed from the patronymic)


@dataclass(frozen=True)
class PartForms:
    """One name part in every case: normalised words joined by a space («гасан оглы»)."""

    forms: frozenset[str] = frozenset()
    lengths: tuple[int, ...] = ()  # distinct word counts, longest first

    @classmethod
    def of(cls, forms: Iterable[str]) -> PartForms:
        forms = frozenset(f for f in forms if f)
        lengths = sorted({len(f.split(" ")) for f in forms}, reverse=True)
        return cls(forms, tuple(lengths))

    def __bool__(self) -> bool:
        return bool(self.forms)


@dataclass(frozen=True)
class NameForms:
    """Every case form of one person's name parts, normalised for matching."""

    surnames: PartForms
    firsts: PartForms
    middles: PartForms
    first_initial: str
    middle_initial: str


@dataclass(frozen=True)
class Token:
    text: str
    chunk: int  # tokens of one name must share a chunk (no punctuation between them)
    initial: bool = False  # a single letter followed by a dot
    capital: bool = False  # written with a capital letter (and not in all capitals)


@dataclass(frozen=True)
class Entry:
    """People whose names match alike (namesakes share one check)."""

    keys: tuple[int, ...]
    forms: NameForms


@dataclass(frozen=True)
class Index:
    # first word of a surname form → people
    by_surname: dict[str, tuple[Entry, ...]]
    # (last word of a first-name form, first word of a patronymic form) → people; their
    # entries carry no surnames, so everyone called «Мария Петровна» is checked once
    by_name_pair: dict[tuple[str, str], tuple[Entry, ...]]


Matcher = Callable[[list[Token], int, NameForms], int | None]

# --- normalisation -------------------------------------------------------------------------

BLOCK_TAGS = (
    "p|div|br|hr|li|ul|ol|dl|dt|dd|h[1-6]|tr|td|th|table|thead|tbody|blockquote|pre|"
    "section|article|header|footer|aside|nav|figure|figcaption"
)
HTML_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
HTML_RAW = re.compile(r"<(script|style)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
HTML_BLOCK = re.compile(rf"</?(?:{BLOCK_TAGS})\b[^>]*>", re.IGNORECASE)
INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
WORD_DASH = re.compile(r"(?<=\w)[\u2010\u2011\u2012\u2013\u2014](?=\w)")
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
CYRILLIC = re.compile("[а-яё]")
# Latin letters that look Cyrillic, in words typed with a mixed keyboard layout.
HOMOGLYPHS = str.maketrans("aceopxykmthb", "асеорхукмтнв")
JOINING_GAP = re.compile(r"[^\S\n]*\n?[^\S\n]*")  # whitespace with at most one line break
PATRONYMIC_LIKE = re.compile(r"(?:ич|[вч]н)(?:а|у|е|ы|ой|ою|ем)?$|^(?:оглы|кызы|угли|кизи)$")
SURNAME_LIKE = re.compile(
    r"(?:[оеё]в|[иы]н)(?:а|у|ой|ою|ым|ом|е|ы|ых)?$|[сц]к(?:ий|ая|ого|ой|ому|ую|им|ом)$|ко$"
)


def strip_html(text: str) -> str:
    """Tags and entities out; block tags become paragraph breaks, inline tags vanish."""
    if not HTML_TAG.search(text):
        return html.unescape(text)
    text = HTML_COMMENT.sub(" ", text)
    text = HTML_RAW.sub(" ", text)
    text = re.sub(r"\s+", " ", text)  # line breaks in HTML source mean nothing
    text = HTML_BLOCK.sub("\n\n", text)
    text = HTML_TAG.sub("", text)
    return html.unescape(text)


def _prepare(text: str) -> str:
    """Invisible characters out, dashes inside words → hyphens; the case is kept."""
    text = unicodedata.normalize("NFC", text)
    text = INVISIBLE.sub("", text)
    return WORD_DASH.sub("-", text)


def _fold(text: str) -> str:
    return text.lower().replace("ё", "е")


def normalise(text: str) -> str:
    """Lower case, ё → е, invisible characters out, dashes inside words → hyphens."""
    return _fold(_prepare(text))


def _capitalised(word: str) -> bool:
    return word[0].isupper() and not (len(word) > 1 and word.isupper())


def _fix_homoglyphs(word: str) -> str:
    if len(word) == 1 or CYRILLIC.search(word):
        return word.translate(HOMOGLYPHS)
    return word


def tokenize(text: str) -> list[Token]:
    """Words of the text with the chunk each belongs to; see the module docstring."""
    text = _prepare(strip_html(text))
    tokens: list[Token] = []
    chunk = 0
    previous_end = 0
    for match in WORD.finditer(text):
        gap = text[previous_end : match.start()]
        if tokens and len(tokens[-1].text) == 1 and gap.startswith("."):
            tokens[-1] = replace(tokens[-1], initial=True)
            gap = gap[1:]
        if not JOINING_GAP.fullmatch(gap):
            chunk += 1
        word = match.group()
        tokens.append(Token(_fix_homoglyphs(_fold(word)), chunk, capital=_capitalised(word)))
        previous_end = match.end()
    if tokens and len(tokens[-1].text) == 1 and text[previous_end:].startswith("."):
        tokens[-1] = replace(tokens[-1], initial=True)
    return tokens


# --- name forms ----------------------------------------------------------------------------


def _words(value: str) -> str:
    return " ".join(normalise(value).split())


def _genders(gender: str, middle: str) -> tuple[Gender, ...]:
    if gender in ("male", "female"):
        return (Gender(gender),)
    guessed = guess_gender(middle)
    return (guessed,) if guessed else (Gender.MALE, Gender.FEMALE)


def _part_forms(last: str, first: str, middle: str, genders: tuple[Gender, ...]) -> PartForms:
    """Forms of the one non-empty part among last/first/middle, every case and gender."""
    if not (last or first or middle):
        return PartForms()
    forms = {_words(last or first or middle)}
    for gender in genders:
        for case in Case:
            forms.add(_words(decline_name(last, first, middle, gender, case).text))
    return PartForms.of(forms)


@lru_cache(maxsize=4096)
def name_forms(last: str, first: str, middle: str, gender: str) -> NameForms:
    last, first, middle = last.strip(), first.strip(), middle.strip()
    genders = _genders(gender, middle)
    return NameForms(
        surnames=_part_forms(last, "", "", genders),
        firsts=_part_forms("", first, "", genders),
        middles=_part_forms("", "", middle, genders),
        first_initial=normalise(first[:1]),
        middle_initial=normalise(middle[:1]),
    )


def _forms_of(record: NameRecord) -> NameForms:
    return name_forms(record.last, record.first, record.middle, record.gender)


def _group(people: dict[NameForms, list[int]]) -> list[Entry]:
    return [Entry(tuple(keys), forms) for forms, keys in people.items()]


def _first_word(form: str) -> str:
    return form.split(" ")[0]


def _last_word(form: str) -> str:
    return form.split(" ")[-1]


@lru_cache(maxsize=16)
def build_index(records: tuple[NameRecord, ...]) -> Index:
    full: dict[NameForms, list[int]] = {}
    given: dict[NameForms, list[int]] = {}  # first name + patronymic only
    for record in records:
        forms = _forms_of(record)
        if not forms.firsts:
            continue  # a surname alone can never name a person
        full.setdefault(forms, []).append(record.key)
        if forms.middles:
            given.setdefault(replace(forms, surnames=PartForms()), []).append(record.key)
    by_surname: dict[str, list[Entry]] = {}
    for entry in _group(full):
        for word in {_first_word(form) for form in entry.forms.surnames.forms}:
            by_surname.setdefault(word, []).append(entry)
    by_name_pair: dict[tuple[str, str], list[Entry]] = {}
    for entry in _group(given):
        firsts = {_last_word(form) for form in entry.forms.firsts.forms}
        middles = {_first_word(form) for form in entry.forms.middles.forms}
        for pair in itertools.product(firsts, middles):
            by_name_pair.setdefault(pair, []).append(entry)
    return Index(
        by_surname={word: tuple(entries) for word, entries in by_surname.items()},
        by_name_pair={pair: tuple(entries) for pair, entries in by_name_pair.items()},
    )


# --- matching ------------------------------------------------------------------------------


def _joined(tokens: list[Token], start: int, end: int) -> bool:
    """tokens[start:end] exist and stand in one chunk."""
    return 0 <= start < end <= len(tokens) and tokens[start].chunk == tokens[end - 1].chunk


def _words_at(tokens: list[Token], start: int, end: int) -> str | None:
    """tokens[start:end] as a space-joined string if they are full words of one chunk."""
    if not _joined(tokens, start, end):
        return None
    if end - start == 1:
        token = tokens[start]
        return None if token.initial else token.text
    if any(token.initial for token in tokens[start:end]):
        return None
    return " ".join(token.text for token in tokens[start:end])


def _match_from(tokens: list[Token], start: int, part: PartForms) -> int | None:
    """End of the longest form of `part` starting at `start`, or None."""
    for length in part.lengths:
        if _words_at(tokens, start, start + length) in part.forms:
            return start + length
    return None


def _match_to(tokens: list[Token], end: int, part: PartForms) -> int | None:
    """Start of the longest form of `part` ending at `end`, or None."""
    for length in part.lengths:
        if _words_at(tokens, end - length, end) in part.forms:
            return end - length
    return None


def _initial(tokens: list[Token], i: int, chunk: int) -> str | None:
    if 0 <= i < len(tokens) and tokens[i].initial and tokens[i].chunk == chunk:
        return tokens[i].text
    return None


def _patronymic_conflicts(tokens: list[Token], i: int, chunk: int, forms: NameForms) -> bool:
    """A patronymic-looking word at i that is not this person's patronymic."""
    if not forms.middles or i >= len(tokens) or tokens[i].chunk != chunk:
        return False
    if tokens[i].initial or not PATRONYMIC_LIKE.search(tokens[i].text):
        return False
    return _match_from(tokens, i, forms.middles) is None


def _initials_fit(first: str | None, second: str | None, forms: NameForms) -> bool:
    if first != forms.first_initial:
        return False
    return second is None or not forms.middle_initial or second == forms.middle_initial


def _named_after_surname(tokens: list[Token], end: int, chunk: int, forms: NameForms) -> bool:
    """«Иванова Мария [Петровна]», «Иванова М. [П.]»."""
    first_end = _match_from(tokens, end, forms.firsts)
    if first_end is not None and tokens[end].chunk == chunk:
        return not _patronymic_conflicts(tokens, first_end, chunk, forms)
    first = _initial(tokens, end, chunk)
    if first is None:
        return False
    return _initials_fit(first, _initial(tokens, end + 1, chunk), forms)


def _start_before_surname(
    tokens: list[Token], start: int, chunk: int, forms: NameForms
) -> int | None:
    """Where «Мария [Петровна] Иванова» or «[М.] П. Иванова» begins, or None."""
    first_start = _match_to(tokens, start, forms.firsts)
    if first_start is not None and tokens[first_start].chunk == chunk:
        return first_start
    middle_start = _match_to(tokens, start, forms.middles)
    if middle_start is not None and tokens[middle_start].chunk == chunk:
        first_start = _match_to(tokens, middle_start, forms.firsts)
        if first_start is not None and tokens[first_start].chunk == chunk:
            return first_start
    last = _initial(tokens, start - 1, chunk)
    if last is None:
        return None
    before = _initial(tokens, start - 2, chunk)
    if before is not None:  # «М. П. Иванова»: the pair decides, «П.» alone is not her
        return start - 2 if _initials_fit(before, last, forms) else None
    return start - 1 if _initials_fit(last, None, forms) else None


def _surname_match(tokens: list[Token], i: int, forms: NameForms) -> int | None:
    """Start of a naming whose surname begins at token i, or None."""
    end = _match_from(tokens, i, forms.surnames)
    if end is None:
        return None
    chunk = tokens[i].chunk
    start = _start_before_surname(tokens, i, chunk, forms)
    if start is not None:
        return start
    return i if _named_after_surname(tokens, end, chunk, forms) else None


def _surname_beside(tokens: list[Token], j: int, chunk: int) -> bool:
    """Token j, in `chunk`, reads as a surname (see the module docstring)."""
    if not 0 <= j < len(tokens) or tokens[j].chunk != chunk or tokens[j].initial:
        return False
    if not tokens[j].capital:
        return False
    opens_sentence = j == 0 or tokens[j - 1].chunk != chunk
    return not opens_sentence or SURNAME_LIKE.search(tokens[j].text) is not None


def _name_pair_match(tokens: list[Token], i: int, forms: NameForms) -> int | None:
    """Start of «Мария Петровна» whose patronymic begins at token i, or None.

    A surname beside the pair is someone else's: the person's own surname is found by
    `_surname_match` from the surname itself.
    """
    end = _match_from(tokens, i, forms.middles)
    if end is None:
        return None
    chunk = tokens[i].chunk
    start = _match_to(tokens, i, forms.firsts)
    if start is None or tokens[start].chunk != chunk:
        return None
    if _surname_beside(tokens, start - 1, chunk) or _surname_beside(tokens, end, chunk):
        return None
    return start


def _candidates(tokens: list[Token], i: int, index: Index) -> Iterator[tuple[Entry, Matcher]]:
    yield from ((entry, _surname_match) for entry in index.by_surname.get(tokens[i].text, ()))
    if i > 0:
        pair = (tokens[i - 1].text, tokens[i].text)
        yield from ((entry, _name_pair_match) for entry in index.by_name_pair.get(pair, ()))


@dataclass(frozen=True)
class SurnameMention:
    """A capitalised word standing alone that is a surname form of people of the register."""

    word: str  # normalised: lower case, ё → е
    keys: tuple[int, ...]  # everyone whose surname it can be, in register order
    common: bool  # also a common word: «Мороз», «Зима»

    @property
    def names_one(self) -> bool:
        return len(self.keys) == 1 and not self.common


# pymorphy3 tags of words that are names, not common words (possessive adjectives «Иванову»
# come from names too).
NAME_TAGS = frozenset({"Surn", "Name", "Patr", "Geox", "Orgn", "Trad", "Abbr", "Init"})


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=8192)
def is_common_word(word: str) -> bool:
    """The dictionary knows `word` as something besides a name: «мороз», «зиму», «роза»."""
    for parse in _morph().parse(word):
        if not parse.is_known or parse.tag.POS is None:
            continue
        if not (NAME_TAGS & parse.tag.grammemes) and "Poss" not in parse.tag.grammemes:
            return True
    return False


def _someone_else_beside(tokens: list[Token], j: int, chunk: int) -> bool:
    """Token j, in `chunk`, is an initial or a first name: the surname beside it belongs to a
    naming of someone else («Иванова А. П.», «Иванова Анна» for Мария Иванова)."""
    if not 0 <= j < len(tokens) or tokens[j].chunk != chunk:
        return False
    return tokens[j].initial or (tokens[j].capital and _is_first_name(tokens[j].text))


@lru_cache(maxsize=8192)
def _is_first_name(word: str) -> bool:
    return any(p.is_known and "Name" in p.tag.grammemes for p in _morph().parse(word))


def _bare_surnames(tokens: list[Token], index: Index) -> Iterator[tuple[int, SurnameMention]]:
    """(token position, mention) of every capitalised surname form not part of a full naming."""
    i = 0
    while i < len(tokens):
        token = tokens[i]
        entries = index.by_surname.get(token.text, ()) if token.capital else ()
        ends = {entry: _match_from(tokens, i, entry.forms.surnames) for entry in entries}
        ends = {entry: end for entry, end in ends.items() if end is not None}
        end = max(ends.values(), default=i)
        if (
            not ends
            or any(_surname_match(tokens, i, entry.forms) is not None for entry in ends)
            or _someone_else_beside(tokens, i - 1, token.chunk)
            or _someone_else_beside(tokens, end, token.chunk)
        ):
            i += 1
            continue
        keys = tuple(sorted(key for entry in ends for key in entry.keys))
        words = " ".join(t.text for t in tokens[i:end])
        yield i, SurnameMention(words, keys, is_common_word(words))
        i = end


def surname_doubts(text: str, people: Iterable[NameRecord]) -> list[SurnameMention]:
    """Bare surnames that may name someone but not one person for sure (several people share
    the surname form, or it is also a common word), each word once, in order of mention."""
    index = build_index(tuple(people))
    if not index.by_surname or not text:
        return []
    found: dict[str, SurnameMention] = {}
    for _position, mention in _bare_surnames(tokenize(text), index):
        if not mention.names_one:
            found.setdefault(mention.word, mention)
    return list(found.values())


def find_named(text: str, people: Iterable[NameRecord]) -> list[int]:
    """Keys of people named in `text` (plain text or HTML), in order of first mention."""
    index = build_index(tuple(people))
    if not index.by_surname:
        return []
    tokens = tokenize(text)
    first_seen: dict[int, int] = {}  # key → token where the first naming starts
    for i in range(len(tokens)):
        for entry, match in _candidates(tokens, i, index):
            if all(key in first_seen for key in entry.keys):
                continue  # later mentions cannot come first
            start = match(tokens, i, entry.forms)
            if start is None:
                continue
            for key in entry.keys:
                first_seen.setdefault(key, start)
    for position, mention in _bare_surnames(tokens, index):
        if mention.names_one:
            key = mention.keys[0]
            first_seen[key] = min(first_seen.get(key, position), position)
    return sorted(first_seen, key=lambda key: first_seen[key])


def timing(people: int = 300, chars: int = 20_000, repeat: int = 5) -> float:
    """Milliseconds per find_named call with forms cached — a manual check, not run by tests.

    `.venv/bin/python -c "from apps.publicity.names import timing; print(timing())"`
    """
    import random
    import time

    rng = random.Random(152)  # noqa: S311 — reproducible sample data
    stems = ["Бел", "Чер", "Крас", "Сер", "Зелен", "Мор", "Гор", "Лес", "Рыб", "Кузнец"]
    tails = ["ов", "ин", "ев", "ников", "ушкин", "янов"]
    firsts = {"female": ["Мария", "Анна", "Ольга", "Елена"], "male": ["Пётр", "Сергей", "Илья"]}
    middles = {"female": ["Петровна", "Ивановна"], "male": ["Петрович", "Иванович"]}
    records = []
    for key in range(people):
        gender = rng.choice(["female", "male"])
        last = rng.choice(stems) + rng.choice(tails) + ("а" if gender == "female" else "")
        first, middle = rng.choice(firsts[gender]), rng.choice(middles[gender])
        records.append(NameRecord(key, last, first, middle, gender))
    filler = ["учителя", "школы", "провели", "открытый", "урок", "для", "классов", "и", "родителей"]
    sentences = []
    while sum(map(len, sentences)) < chars:
        record = rng.choice(records)
        name = decline_name(
            record.last, record.first, "", Gender(record.gender), rng.choice(list(Case))
        )
        sentences.append(" ".join([*rng.sample(filler, 6), name.text]) + ". ")
    text = "".join(sentences)
    find_named(text, records)  # warm the caches
    started = time.perf_counter()
    for _ in range(repeat):
        find_named(text, records)
    return (time.perf_counter() - started) / repeat * 1000
