from django import template

register = template.Library()


@register.filter
def points(value) -> str:
    """Integer points of the core (×1000) as a Russian decimal: 12345 → «12,3»."""
    try:
        number = int(value) / 1000
    except (TypeError, ValueError):
        return "—"
    return f"{number:.1f}".replace(".", ",")


@register.filter
def minus(value, other) -> int:
    try:
        return int(value) - int(other)
    except (TypeError, ValueError):
        return 0


@register.filter
def pairs_word(count) -> str:
    """«пару», «пары», «пар» after a number."""
    n = abs(int(count or 0))
    if n % 10 == 1 and n % 100 != 11:
        return "пару"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "пары"
    return "пар"


@register.filter
def criterion(key: str) -> str:
    from apps.matching.core.model import CRITERIA

    return CRITERIA.get(key, key)
