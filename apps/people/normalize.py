"""Name normalisation used to find the same person across files: Ё=Е, spaces, case."""

import re

_SPACES = re.compile(r"\s+")


def clean_name_part(value: str) -> str:
    """Tidy one part of a name for display: collapsed spaces, hyphen parts capitalised."""
    value = _SPACES.sub(" ", (value or "").strip())
    return "-".join(part[:1].upper() + part[1:].lower() for part in value.split("-") if part)


def name_key(last: str, first: str, middle: str) -> str:
    """Comparison key of a full name: lower case, Ё→Е, single spaces, no stray hyphen spaces."""
    joined = " ".join(p for p in (last, first, middle) if p)
    joined = joined.lower().replace("ё", "е")
    joined = re.sub(r"\s*-\s*", "-", joined)
    return _SPACES.sub(" ", joined).strip()
