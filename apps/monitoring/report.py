"""«Отчёт о реализации системы наставничества» for a year, as .docx (PDF via documents)."""

from __future__ import annotations

import io

from django.utils import timezone
from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from apps.core.docx_page import gost_page
from apps.core.text import strip_unsafe
from apps.monitoring.indicators import DEFINITIONS


def _table(doc, headers: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = strip_unsafe(text)  # school and form names are typed by people
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(10)


def _fmt(value, kind: str) -> str:
    if value is None:
        return "нет данных"
    text = f"{value:g}".replace(".", ",") if isinstance(value, float) else str(value)
    return f"{text} %" if kind == "p" else text


def yearly_report(org, year: str, summary: dict, rows: list[dict], columns, forms) -> bytes:
    doc = DocxDocument()
    gost_page(doc, size=12)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(
        f"Отчёт о реализации системы наставничества педагогических работников\n"
        f"{strip_unsafe(org.name)}\nза {year} учебный год"
    )
    run.bold = True
    doc.add_paragraph(f"Сформирован {timezone.localdate():%d.%m.%Y} по данным системы «Наставник».")
    doc.add_heading("1. Основные показатели", level=2)
    _table(
        doc,
        ["Показатель", "Значение"],
        [[label, _fmt(summary[key], kind)] for key, label, kind in columns],
    )
    doc.add_heading("2. Пары и группы по формам наставничества", level=2)
    if forms:
        top = max(n for _name, n, _w in forms)
        _table(
            doc,
            ["Форма", "Пар и групп", "Доля"],
            [[name, str(n), "█" * max(1, round(20 * n / top))] for name, n, _w in forms],
        )
    else:
        doc.add_paragraph("Нет данных: пар и групп в этом году нет.")
    if not org.is_school:
        doc.add_heading("3. Сравнение школ", level=2)
        short = [c for c in columns if c[0] in (
            "mentors", "mentees", "units", "young_coverage", "completed_share",
            "tasks_on_time_share", "unpaired")]  # fmt: skip
        _table(
            doc,
            ["Школа", *[label for _k, label, _t in short]],
            [[r["school"].short_name, *[_fmt(r[k], t) for k, _l, t in short]] for r in rows],
        )
    doc.add_heading("Как считаются показатели", level=2)
    for term, text in DEFINITIONS:
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"{term}: ").bold = True
        paragraph.add_run(text)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
