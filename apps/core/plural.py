"""Russian plural forms — the one helper wherever a number stands in a sentence. Pure."""

from __future__ import annotations


def plural(n: int, one: str, few: str, many: str) -> str:
    """The form for `n`: 1 год, 2 года, 5 лет, 11 лет, 21 год."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def count(n: int, one: str, few: str, many: str) -> str:
    """«3 наставника», «21 пара»."""
    return f"{n} {plural(n, one, few, many)}"
