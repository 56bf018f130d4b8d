"""Reading ids, school years, dates and search text typed into a query string or a form by hand.

A value that is no id or no school year is the client's mistake: a 400 page that says what was
wrong, never a 500 from `int()` or from a database that cannot store the number.
"""

from __future__ import annotations

import datetime
import re

from django import forms
from django.core.exceptions import BadRequest
from django.utils.dateparse import parse_date

from apps.core.text import strip_unsafe

MAX_ID = 2_147_483_647  # the largest value every supported database stores in an id column
_YEAR = re.compile(r"(\d{4})/(\d{4})", re.ASCII)


class BadParameter(BadRequest):
    """A 400 whose message (Russian) the error page shows."""


def int_or_none(value: object) -> int | None:
    """`value` as a database id (1…MAX_ID, ASCII digits only), or None."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


def id_param(value: object, *, what: str = "объекта") -> int:
    """`value` as a database id; anything else is a 400 naming `what` (in the genitive)."""
    number = int_or_none(value)
    if number is None:
        raise BadParameter(f"Номер {what} указан неверно: нужно целое положительное число.")
    return number


def year_param(value: str | None, default: str) -> str:
    """A school year «2025/2026» from the query string (`default` when none is given)."""
    if not value:
        return default
    match = _YEAR.fullmatch(value)
    if match is None or int(match[2]) != int(match[1]) + 1:
        raise BadParameter("Учебный год указан неверно: нужен вид «2025/2026».")
    return value


MAX_SEARCH = 200  # SQLite refuses LIKE patterns over 50 000 characters; nobody types 200


def search_text(value: str | None, limit: int = MAX_SEARCH) -> str:
    """Typed search text without control characters (PostgreSQL refuses NUL), cut to `limit`."""
    return strip_unsafe(value or "").strip()[:limit]


def date_param(value: str | None) -> datetime.date | None:
    """A date «2025-09-01» from the query string, None when none is given."""
    if not value:
        return None
    try:
        day = parse_date(value)
    except ValueError:  # well formed, but no such day: 2025-13-45
        day = None
    if day is None:
        raise BadParameter("Дата указана неверно: нужен вид «2025-09-01».")
    return day


class SearchField(forms.CharField):
    """A search box: control characters dropped, longer text cut to MAX_SEARCH characters."""

    def to_python(self, value):
        return search_text(super().to_python(value))


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, but an id too large for the id column is an invalid choice.

    Django bounds `pk=<huge>` itself but not `pk__in=[<huge>]`, which SQLite answers with an
    OverflowError and PostgreSQL with an error: a 500 from a forged checkbox value.
    """

    def _check_values(self, value):
        if (self.to_field_name or "pk") == "pk":
            for pk in value:
                text = str(pk).strip().lstrip("-")
                if text.isascii() and text.isdigit() and int(text) > MAX_ID:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": str(pk)[:20]},
                    )
        return super()._check_values(value)
