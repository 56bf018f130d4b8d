"""A post's text as plain text for networks and feeds, and its short summary."""

from __future__ import annotations

import html
import re

import nh3


def plain_text(body: str) -> str:
    """The post's text for networks and feeds: paragraphs kept, tags and entities gone."""
    text = re.sub(r"</(p|h3|h4|li|blockquote)>|<br\s*/?>", "\n", body)
    text = html.unescape(nh3.clean(text, tags=set()))
    return re.sub(r"\n{2,}", "\n\n", "\n".join(line.strip() for line in text.splitlines())).strip()


def summary(body: str, limit: int = 240) -> str:
    text = " ".join(plain_text(body).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
