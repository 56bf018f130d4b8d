"""Characters that must not reach the database or the files the system writes. No Django here.

Control characters (C0 except tab, line feed and carriage return, DEL and C1) are invisible,
arrive by copying from other programs and make XML-based files (.xlsx, .docx, Atom) unwritable.
Input refuses them with `control_character_message`; writers drop what is already stored with
`strip_unsafe`.
"""

from __future__ import annotations

import re

CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What no XML 1.0 document may contain, plus the controls above: lone surrogates (no UTF-8
# form) and the two non-characters U+FFFE and U+FFFF.
UNSAFE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def describe_control_character(value: str) -> str | None:
    """«U+000B (знак № 5)» for the first control character of `value`, or None."""
    found = CONTROL_RE.search(value)
    if found is None:
        return None
    return f"U+{ord(found.group()):04X} (знак № {found.start() + 1})"


def control_character_message(label: str, value: str) -> str | None:
    """The Russian message naming the field and its first control character, or None."""
    where = describe_control_character(value)
    if where is None:
        return None
    return (
        f"Поле «{label}» содержит невидимый управляющий символ {where}. Такие символы "
        "попадают при копировании из других программ: удалите его и сохраните снова."
    )


def strip_unsafe(value: str) -> str:
    """The text without the characters an XML file cannot hold."""
    return UNSAFE_RE.sub("", value)


def lower_first(text: str) -> str:
    """«Групповое» → «групповое» inside a sentence; an abbreviation («ИКТ-…») stays."""
    text = text.strip()
    if len(text) > 1 and text[:2].isupper():
        return text
    return text[:1].lower() + text[1:]
