from django import template

register = template.Library()


@register.filter
def value(row: dict, key: str):
    return row.get(key)


@register.filter
def fmt(number, kind: str) -> str:
    """«нет данных» for None, a Russian decimal comma, «%» for shares."""
    if number is None:
        return "нет данных"
    text = f"{number:g}".replace(".", ",") if isinstance(number, float) else str(number)
    return f"{text} %" if kind == "p" else text


@register.filter
def schools_word(count: int) -> str:
    n = abs(int(count))
    if n % 10 == 1 and n % 100 != 11:
        return "школа"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "школы"
    return "школ"


@register.filter
def dumbbell_x(level) -> str:
    """A 1–5 level on a 0–50 axis (with margins), with a dot as the decimal separator."""
    try:
        return f"{5 + (float(level) - 1) * 10:.1f}"
    except (TypeError, ValueError):
        return "0"
