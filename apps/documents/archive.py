"""The inspection archive of an academic year: one ZIP with a table of contents.

Contents: signed acts (.docx and the signed scan), the consents register (.xlsx) with scans,
the ПНП of every unit (.docx), the meetings diaries (.xlsx). Built in a temporary file, so a
large school does not hold the whole archive in memory.
"""

from __future__ import annotations

import datetime
import io
import tempfile
import zipfile
from pathlib import PurePath

from django.db.models import Prefetch, Q
from docx import Document as DocxDocument
from openpyxl import Workbook
from openpyxl.styles import Font

from apps.core.docx_page import gost_page
from apps.core.sheets import append_row
from apps.core.text import strip_unsafe
from apps.core.years import year_bounds
from apps.documents.models import DocStatus, Document
from apps.orgs.models import Organisation
from apps.people.models import Consent
from apps.programs.models import Meeting, MentoringUnit, Task, UnitMember


def _safe(name: str) -> str:
    name = strip_unsafe(name)
    return "".join("_" if ch in '\\/:*?"<>|' else ch for ch in name).strip()[:120]


def _xlsx(headers: list[str], rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, row)
    for column, header in zip(sheet.columns, headers, strict=False):
        sheet.column_dimensions[column[0].column_letter].width = max(12, min(60, len(header) + 6))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def programme_docx(unit: MentoringUnit, tasks: list[Task]) -> bytes:
    doc = DocxDocument()
    gost_page(doc, size=12)
    doc.add_heading("Персонализированная программа наставничества", level=1)
    mentees = ", ".join(m.mentee.full_name for m in unit.members.all())
    for label, value in (
        ("Наставник", f"{unit.mentor.full_name}, {unit.mentor.position}"),
        ("Наставляемые", mentees),
        ("Форма наставничества", unit.format.name),
        ("Срок", f"{unit.start_date:%d.%m.%Y} — {unit.end_date:%d.%m.%Y}"),
        ("Цель", getattr(getattr(unit, "programme", None), "goal", "") or "—"),
    ):
        doc.add_paragraph(strip_unsafe(f"{label}: {value}"))
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells,
        ["Направление", "Задача", "Срок", "Ответственный", "Статус"],
        strict=True,
    ):
        cell.text = text
    for task in tasks:
        cells = table.add_row().cells
        cells[0].text = strip_unsafe(task.direction)
        cells[1].text = strip_unsafe(task.title)
        cells[2].text = f"{task.deadline:%d.%m.%Y}"
        cells[3].text = strip_unsafe(task.responsible.short_name)
        cells[4].text = task.get_status_display()
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def contents_docx(org: Organisation, year: str, entries: list[tuple[str, str]]) -> bytes:
    doc = DocxDocument()
    gost_page(doc, size=12)
    doc.add_heading(f"Документы системы наставничества за {year} учебный год", level=1)
    today = datetime.date.today()  # noqa: DTZ011
    doc.add_paragraph(strip_unsafe(f"{org.name}. Сформировано {today:%d.%m.%Y}."))
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["№", "Файл", "Что это"], strict=True):
        cell.text = text
    for index, (path, what) in enumerate(entries, start=1):
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = str(index), path, strip_unsafe(what)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def build_archive(org: Organisation, year: str):
    """A temporary file with the ZIP (caller streams and closes it) and the entry count."""
    start, end = year_bounds(year)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 — the response streams and closes it
    entries: list[tuple[str, str]] = []
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:

        def add(path: str, data: bytes, what: str) -> None:
            archive.writestr(path, data)
            entries.append((path, what))

        def add_file(path: str, field, what: str) -> None:
            with field.open("rb") as source:
                add(path, source.read(), what)

        documents = (
            Document.objects.of(org)
            .filter(status=DocStatus.SIGNED, date__range=(start, end))
            .order_by("date", "seq")
        )
        for doc in documents:
            base = (
                f"01 Приказы и акты/{_safe(f'№ {doc.number} от {doc.date:%d.%m.%Y} {doc.title}')}"
            )
            add_file(f"{base}.docx", doc.file, f"{doc.get_kind_display()} № {doc.number}")
            suffix = PurePath(doc.scan.name).suffix or ".pdf"
            add_file(f"{base} (скан){suffix}", doc.scan, f"Подписанный скан № {doc.number}")

        consents = (
            Consent.objects.of(org)
            .filter(given_on__lte=end)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=start))
            .select_related("person")
            .order_by("person__last_name", "person__first_name", "kind")
        )
        rows = []
        for consent in consents:
            rows.append([
                consent.person.full_name, consent.get_kind_display(),
                consent.given_on.strftime("%d.%m.%Y"),
                consent.valid_until.strftime("%d.%m.%Y") if consent.valid_until else "бессрочно",
                consent.withdrawn_at.strftime("%d.%m.%Y") if consent.withdrawn_at else "",
                "есть" if consent.scan else "нет",
            ])  # fmt: skip
            if consent.scan:
                suffix = PurePath(consent.scan.name).suffix or ".pdf"
                add_file(
                    f"02 Согласия/Сканы/{_safe(consent.person.full_name)} — "
                    f"{_safe(consent.get_kind_display())}{suffix}",
                    consent.scan,
                    f"Скан согласия: {consent.person.full_name}",
                )
        add(
            "02 Согласия/Реестр согласий.xlsx",
            _xlsx(["ФИО", "Вид согласия", "Дата", "Действует до", "Отозвано", "Скан"], rows),
            "Реестр согласий на обработку ПДн и участие в наставничестве",
        )

        units = list(
            MentoringUnit.objects.of(org)
            .filter(year=year)
            .select_related("mentor", "format", "programme")
            .prefetch_related(
                Prefetch("members", queryset=UnitMember.objects.select_related("mentee")),
                Prefetch(
                    "programme__tasks",
                    queryset=Task.objects.select_related("responsible").order_by("order", "pk"),
                ),
            )
            .order_by("mentor__last_name", "pk")
        )
        for unit in units:
            tasks = list(unit.programme.tasks.all()) if hasattr(unit, "programme") else []
            add(
                f"03 ПНП/{_safe(unit.mentor.full_name)} — пара {unit.pk}.docx",
                programme_docx(unit, tasks),
                f"ПНП: наставник {unit.mentor.full_name}",
            )
        meetings = (
            Meeting.objects.filter(unit__in=units)
            .select_related("unit__mentor")
            .order_by("unit__mentor__last_name", "date")
        )
        add(
            "04 Дневники встреч/Дневники встреч.xlsx",
            _xlsx(
                ["Наставник", "Дата", "Длительность, мин", "Тема", "Итоги", "Следующие шаги"],
                [
                    [
                        m.unit.mentor.full_name,
                        m.date.strftime("%d.%m.%Y"),
                        m.duration,
                        m.topic,
                        m.outcome,
                        m.next_steps,
                    ]
                    for m in meetings
                ],
            ),
            "Встречи всех пар и групп за год",
        )
        archive.writestr("00 Оглавление.docx", contents_docx(org, year, entries))
    handle.seek(0)
    return handle, len(entries)
