"""The version for the visually impaired (ГОСТ Р 52872-2019): settings kept in a cookie.

Font size, colour scheme, images and line spacing are chosen with plain links (no script), so
they work from the keyboard and in any browser; the page renders them as classes on <html>.
"""

from __future__ import annotations

from urllib.parse import urlencode

COOKIE = "vi"
OPTIONS: dict[str, dict[str, str]] = {
    "font": {"normal": "обычный", "large": "крупный", "xlarge": "очень крупный"},
    "contrast": {"normal": "обычная", "bw": "чёрным по белому", "wb": "белым по чёрному",
                 "blue": "тёмно-синим по голубому"},
    "images": {"on": "показывать", "off": "не показывать"},
    "spacing": {"normal": "обычный", "wide": "увеличенный"},
}  # fmt: skip
LABELS = {"font": "Размер шрифта", "contrast": "Цветовая схема", "images": "Изображения",
          "spacing": "Межстрочный интервал"}  # fmt: skip
DEFAULTS = {"font": "normal", "contrast": "normal", "images": "on", "spacing": "normal"}


def parse(value: str | None) -> dict[str, str] | None:
    """The settings from the cookie; None when the accessible version is off."""
    if not value:
        return None
    settings = dict(DEFAULTS)
    for part in value.split("."):
        key, _, choice = part.partition("-")
        if key in OPTIONS and choice in OPTIONS[key]:
            settings[key] = choice
    return settings


def serialise(settings: dict[str, str]) -> str:
    return ".".join(f"{key}-{settings[key]}" for key in OPTIONS)


def classes(settings: dict[str, str] | None) -> str:
    if settings is None:
        return ""
    return " ".join(["vi"] + [f"vi-{key}-{value}" for key, value in settings.items()])


def panel(settings: dict[str, str] | None, next_url: str) -> list[dict]:
    """Groups of links for the settings panel, each marked whether it is the current choice."""
    current = settings or DEFAULTS
    groups = []
    for key, choices in OPTIONS.items():
        items = []
        for choice, label in choices.items():
            query = urlencode({key: choice, "next": next_url})
            items.append({"label": label, "query": query, "current": current[key] == choice})
        groups.append({"key": key, "label": LABELS[key], "items": items})
    return groups
