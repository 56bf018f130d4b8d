"""Placeholders in text a school typed (the Положение's sections): plain substitution, no Jinja.

A section's text is data. It may name a few fields — `{{ school.full_name }}`,
`{{ settings.max_months }}` — which are replaced by their values; nothing in it is ever parsed
or executed as a template, so a tag, a filter or an attribute chain stays literal text (and the
checker refuses it with a message before the text is saved). Pure: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

# `{{ group.field }}` with optional spaces; group and field are plain lowercase identifiers.
PLACEHOLDER = re.compile(r"\{\{\s*([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)\s*\}\}")
# Anything that looks like template syntax: a whole `{{ … }}`, `{% … %}`, `{# … #}`, or a stray
# opening or closing mark.
TEMPLATE_SYNTAX = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|\{\{|\}\}|\{%|%\}|\{#|#\}", re.DOTALL
)


@dataclass(frozen=True)
class Problem:
    line: int
    text: str  # the offending fragment, as typed


def fill(text: str, values: Mapping[str, Mapping[str, object]]) -> str:
    """Replace each known `{{ group.field }}` by its value; everything else stays as typed."""

    def replace(match: re.Match) -> str:
        group = values.get(match.group(1))
        if group is None or match.group(2) not in group:
            return match.group(0)
        value = group[match.group(2)]
        return "" if value is None else str(value)

    return PLACEHOLDER.sub(replace, text)


def problems(text: str, allowed: Mapping[str, set[str]]) -> list[Problem]:
    """Fragments that are not an allowed placeholder: unknown fields and any other template
    syntax (tags, comments, filters, expressions, unpaired braces)."""
    found: list[Problem] = []
    for token in TEMPLATE_SYNTAX.finditer(text):
        placeholder = PLACEHOLDER.fullmatch(token.group(0))
        if placeholder and placeholder.group(2) in allowed.get(placeholder.group(1), set()):
            continue
        piece = token.group(0)
        if len(piece) == 2:  # an unpaired mark: show what follows it on the line
            end = text.find("\n", token.start())
            piece = text[token.start() : end if end != -1 else len(text)]
        piece = " ".join(piece.split())
        found.append(
            Problem(_line(text, token.start()), piece[:60] + ("…" if len(piece) > 60 else ""))
        )
    return found


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1
