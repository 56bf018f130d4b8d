"""What higher apps give documents, registered in their `ready()` (documents never imports
them): the rows of the school's roadmap for appendix 2 of the Положение order."""

from __future__ import annotations

from collections.abc import Callable

# (organisation, school year) -> rows {stage, activity, content, term, responsible, result}
ROADMAP_ROWS: list[Callable[[object, str], list[dict]]] = []


def roadmap_rows(org, year: str) -> list[dict]:
    for provider in ROADMAP_ROWS:
        if rows := provider(org, year):
            return rows
    return []


# The inspection archive as a background job (apps.jobs): its kind code, light to import.
ARCHIVE_JOB = "documents.archive"
