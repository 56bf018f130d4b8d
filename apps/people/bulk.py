"""Printed consents received in bulk: many people at once, one transaction, every row checked.

Each person gets a scan of their own, or their pages of one multi-page PDF (split with pypdf).
All rows are checked before anything is written; one problem — a bad scan, a page range outside
the file, a page given to two people, a valid consent already on file — and nothing is saved:
`BulkRefused` lists every problem, each naming the person and the field.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from apps.core.uploads import validate_scan
from apps.people.choices import ConsentKind, ConsentMethod
from apps.people.consents import DEFAULT_DATA, DEFAULT_PURPOSE, ConsentRefused, give_consent
from apps.people.models import Consent, Person

SCAN_FIELD = "Скан"
PAGES_FIELD = "Страницы в общем скане"
RANGE = re.compile(r"(\d{1,4})(?:\s*[-–—]\s*(\d{1,4}))?")


class BulkRefused(Exception):
    """Nothing was saved; `problems` are Russian sentences naming the person and the field."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class PaperRow:
    person: Person
    scan: object | None = None  # an uploaded file
    pages: str = ""  # «1-2», «3, 5» in the shared scan


def parse_pages(text: str, page_count: int) -> list[int]:
    """«1-2, 4» → [0, 1, 3] (indexes); ValueError with a Russian message otherwise."""
    pages: list[int] = []
    for part in (p.strip() for p in text.split(",")):
        match = RANGE.fullmatch(part)
        if not match:
            raise ValueError(f"«{text}» — укажите номера страниц, например «1-2» или «3, 5»")
        first = int(match[1])
        last = int(match[2] or first)
        if first < 1 or last < first:
            raise ValueError(f"«{part}» — диапазон страниц должен идти по возрастанию, с 1")
        if last > page_count:
            raise ValueError(f"«{part}» — в общем скане всего {page_count} стр.")
        pages.extend(range(first - 1, last))
    return pages


def _reader(upload) -> PdfReader:
    try:
        upload.seek(0)
        reader = PdfReader(io.BytesIO(upload.read()))
        if reader.is_encrypted:
            raise BulkRefused(["Общий скан защищён паролем: сохраните его без пароля."])
        len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise BulkRefused(["Общий скан не читается как PDF: сохраните его заново."]) from error
    return reader


def _part(reader: PdfReader, pages: list[int], person: Person) -> ContentFile:
    writer = PdfWriter()
    for index in pages:
        writer.add_page(reader.pages[index])
    buffer = io.BytesIO()
    writer.write(buffer)
    return ContentFile(buffer.getvalue(), name=f"soglasie-{person.pk}.pdf")


def record_paper_consents(
    *,
    rows: list[PaperRow],
    kind: str,
    given_on: datetime.date,
    valid_until: datetime.date | None,
    allowed_items: list[str],
    bulk_scan=None,
    recorded_by,
) -> list[Consent]:
    """Record the received printed consents of `kind` for every row, all or nothing.

    Raises BulkRefused listing every problem. Side effects: one Consent (paper form, with its
    scan file if any) per row, in one transaction.
    """
    if not rows:
        raise BulkRefused(["Отметьте хотя бы одного сотрудника."])
    problems: list[str] = []
    reader = _reader(bulk_scan) if bulk_scan else None
    owners: dict[int, Person] = {}
    parts: dict[int, list[int]] = {}
    today = timezone.localdate()
    valid = set(
        Consent.objects.valid(today)
        .filter(kind=kind, person__in=[r.person for r in rows])
        .values_list("person_id", flat=True)
    )
    for row in rows:
        who = row.person.full_name
        if row.person.pk in valid:
            problems.append(
                f"{who}: уже есть действующее согласие «{ConsentKind(kind).label}» — снимите "
                "отметку или сначала отзовите прежнее"
            )
        if row.person.anonymised_at:
            problems.append(f"{who}: данные обезличены, новое согласие оформить нельзя")
        if row.scan and row.pages.strip():
            problems.append(
                f"{who}, «{SCAN_FIELD}»: приложите либо свой скан, либо страницы общего скана"
            )
        if row.scan:
            try:
                validate_scan(row.scan)
            except ValidationError as error:
                problems.append(f"{who}, «{SCAN_FIELD}»: {' '.join(error.messages)}")
        if row.pages.strip() and reader is None:
            problems.append(f"{who}, «{PAGES_FIELD}»: страницы указаны, а общий скан не приложен")
        elif reader is not None and not row.scan:
            if not row.pages.strip():
                problems.append(f"{who}, «{PAGES_FIELD}»: укажите страницы этого сотрудника")
                continue
            try:
                pages = parse_pages(row.pages, len(reader.pages))
            except ValueError as error:
                problems.append(f"{who}, «{PAGES_FIELD}»: {error}")
                continue
            for index in pages:
                if index in owners and owners[index] is not row.person:
                    problems.append(
                        f"{who}, «{PAGES_FIELD}»: страница {index + 1} уже указана у "
                        f"{owners[index].full_name}"
                    )
                    break
                owners[index] = row.person
            parts[row.person.pk] = pages
    if problems:
        raise BulkRefused(problems)
    with transaction.atomic():
        consents = []
        for row in rows:
            consent = Consent(
                kind=kind,
                purpose=DEFAULT_PURPOSE[kind],
                data_list=DEFAULT_DATA[kind],
                allowed_items=list(allowed_items) if kind == ConsentKind.DISTRIBUTION else [],
                given_on=given_on,
                valid_until=valid_until,
                method=ConsentMethod.PAPER,
            )
            if row.scan:
                consent.scan = row.scan
            elif row.person.pk in parts:
                consent.scan = _part(reader, parts[row.person.pk], row.person)
            try:
                consents.append(
                    give_consent(person=row.person, consent=consent, recorded_by=recorded_by)
                )
            except ConsentRefused as refusal:  # a race with another curator: undo them all
                raise BulkRefused([f"{row.person.full_name}: {refusal}"]) from refusal
    return consents
