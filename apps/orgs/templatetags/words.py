"""Numbers and names inside template sentences, through the kernel's one plural helper and the
declension helper:

    {{ n|count:"сотрудник,сотрудника,сотрудников" }}   → «1 сотрудник», «5 сотрудников»
    {{ n|plural:"работает,работают,работают" }}        → the word alone
    {{ person|person_in:"gen" }} / {{ person|short_in:"dat" }} → «Никитина Дмитрия Андреевича»,
                                                          «Никитину Д. А.»
A person without a known gender (none in the register, none from the patronymic) keeps the
nominative rather than a guessed form.
"""

import re

from django import template

from apps.core import plural as plurals
from apps.core.declension import person_in

register = template.Library()


def _forms(arg: str) -> tuple[str, str, str]:
    one, few, many = (part.strip() for part in arg.split(","))
    return one, few, many


def _number(value) -> int:
    # A figure may come formatted for reading («20 000»): its digits decide the form.
    if isinstance(value, str):
        return int(re.sub(r"\D", "", value) or 0)
    return int(value or 0)


@register.filter
def count(value, arg: str) -> str:
    return f"{value if isinstance(value, str) else _number(value)} {plural(value, arg)}"


@register.filter
def plural(value, arg: str) -> str:
    return plurals.plural(_number(value), *_forms(arg))


register.filter("person_in", person_in)


@register.filter
def short_in(person, case: str) -> str:
    return person_in(person, case, short=True)
