"""Numbers and names inside template sentences, through the kernel's one plural helper and the
declension helper:

    {{ n|count:"сотрудник,сотрудника,сотрудников" }}   → «1 сотрудник», «5 сотрудников»
    {{ n|plural:"работает,работают,работают" }}        → the word alone
    {{ person|person_in:"gen" }} / {{ person|short_in:"dat" }} → «Никитина Дмитрия Андреевича»,
                                                          «Никитину Д. А.»
A person without a known gender (none in the register, none from the patronymic) keeps the
nominative rather than a guessed form.
"""

from django import template

from apps.core import plural as plurals
from apps.core.declension import Case, Gender, decline_name, guess_gender, initials_name

register = template.Library()
CASES = {
    "gen": Case.GENITIVE,
    "dat": Case.DATIVE,
    "acc": Case.ACCUSATIVE,
    "ins": Case.INSTRUMENTAL,
    "loc": Case.PREPOSITIONAL,
}


def _forms(arg: str) -> tuple[str, str, str]:
    one, few, many = (part.strip() for part in arg.split(","))
    return one, few, many


@register.filter
def count(value, arg: str) -> str:
    return plurals.count(int(value or 0), *_forms(arg))


@register.filter
def plural(value, arg: str) -> str:
    return plurals.plural(int(value or 0), *_forms(arg))


def _gender(person) -> Gender | None:
    code = getattr(person, "gender", "")
    return Gender(code) if code else guess_gender(getattr(person, "middle_name", "") or "")


def person_in(person, case: str, *, short: bool = False) -> str:
    """The person's name in `case` ("gen", "dat", …) for a sentence."""
    gender = _gender(person)
    if gender is None or case not in CASES:
        return person.short_name if short else person.full_name
    parts = (person.last_name, person.first_name, person.middle_name or "")
    if short:
        return initials_name(*parts, gender, CASES[case])
    return decline_name(*parts, gender, CASES[case]).text


register.filter("person_in", person_in)


@register.filter
def short_in(person, case: str) -> str:
    return person_in(person, case, short=True)
