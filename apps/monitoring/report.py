"""«Отчёт о реализации системы наставничества» for a year, as an official .docx (PDF via
LibreOffice): the organisation, «УТВЕРЖДАЮ» for its head, date and registration number, the
author, the Положение's indicators with bar charts, the comparison of schools below and the
signature of the author; every figure of the dashboard (with the years' dynamics and the
largest mentor load) and the year's pairs and groups, events and best practices by name."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from docx import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Cm, Mm, Pt

from apps.core.docx_page import gost_page, repeat_header
from apps.core.text import lower_first, strip_unsafe
from apps.core.years import year_bounds
from apps.events.models import Event
from apps.library.models import Material, MaterialKind, MaterialStatus
from apps.monitoring import charts
from apps.monitoring.indicators import DEFINITIONS
from apps.orgs.choices import Role
from apps.orgs.models import roles_at
from apps.people.models import Person
from apps.programs.models import MentoringUnit, UnitMember

NBSP = "\u00a0"
WIDTH_MM = 165  # A4 minus the ГОСТ margins (30 + 15 mm)
NO_DATA = "нет данных"
COUNTS = ("mentors", "mentees", "units", "unpaired")
SHARES = ("young_coverage", "completed_share", "tasks_on_time_share")
SATISFACTION = (("feedback_mentee", "Наставляемые"), ("feedback_mentor", "Наставники"))
# A region's year has thousands of pairs: the report lists the first ones and says how many.
LIST_LIMIT = 300


@dataclass
class YearLists:
    """The year's pairs and groups, events and best practices, as table rows."""

    units: list[list[str]] = field(default_factory=list)
    units_total: int = 0
    events: list[list[str]] = field(default_factory=list)
    practices: list[list[str]] = field(default_factory=list)


def _nowrap(name: str) -> str:
    return name.replace("№ ", f"№{NBSP}")  # «Школа № 1» never leaves «1» alone on a line


def _event_name(event) -> str:
    """«Семинар: Формирующее оценивание», but not «Установочная сессия наставников: Установочная
    сессия наставников»."""
    kind = str(event.get_kind_display())
    if event.title.lower().startswith(kind.lower().split()[0]):
        return event.title
    return f"{kind}: {event.title}"


def year_lists(org, year: str) -> YearLists:
    """Four queries whatever the size of the organisation (the lists stop at LIST_LIMIT)."""
    start, end = year_bounds(year)
    above = not org.is_school
    units = (
        MentoringUnit.objects.within(org)
        .filter(year=year)
        .select_related("organisation", "mentor", "format")
        .prefetch_related(Prefetch("members", queryset=UnitMember.objects.select_related("mentee")))
        .order_by("organisation__short_name", "mentor__last_name", "start_date", "pk")
    )
    lists = YearLists(units_total=units.count())
    for unit in units[:LIST_LIMIT]:
        mentees = ", ".join(m.mentee.full_name for m in unit.members.all())
        lists.units.append([
            *([_nowrap(unit.organisation.short_name)] if above else []), unit.mentor.full_name,
            mentees, unit.format.name, f"{unit.start_date:%d.%m.%Y}–{unit.end_date:%d.%m.%Y}",
            unit.get_status_display(),
        ])  # fmt: skip
    events = (
        Event.objects.within(org)
        .filter(starts_at__date__range=(start, end))
        .select_related("organisation")
        .annotate(came=Count("participants", filter=Q(participants__attended=True)))
        .order_by("starts_at", "pk")
    )
    for event in events[:LIST_LIMIT]:
        lists.events.append([
            f"{timezone.localtime(event.starts_at):%d.%m.%Y}",
            *([_nowrap(event.organisation.short_name)] if above else []),
            _event_name(event), str(event.came),
        ])  # fmt: skip
    practices = (
        Material.objects.within(org)
        .filter(kind=MaterialKind.PRACTICE, status=MaterialStatus.PUBLISHED,
                created_at__date__range=(start, end))
        .select_related("organisation")
        .order_by("organisation__short_name", "title")
    )  # fmt: skip
    for material in practices[:LIST_LIMIT]:
        lists.practices.append([
            *([_nowrap(material.organisation.short_name)] if above else []), material.title,
            material.author or NO_DATA,
        ])  # fmt: skip
    return lists


@dataclass(frozen=True)
class Author:
    name: str
    position: str  # «заместитель директора по УВР, куратор наставничества»


# Whose signature a report carries, by the role the author holds there (first match).
AUTHOR_ROLES = (Role.CURATOR, Role.METHODIST, Role.HEAD, Role.ADMIN)


def report_author(user, org) -> Author:
    """The person generating the report: name and position from the staff register when the
    user is in it, and the role held at `org` or above («куратор наставничества», «методист»)."""
    person = Person.objects.filter(user=user).first()
    held = roles_at(user, org)
    role = next((r for r in AUTHOR_ROLES if r in held.own), None) or next(
        (r for r in AUTHOR_ROLES if r in held), None
    )
    parts = []
    if person and person.position:
        parts.append(lower_first(person.position))
    if role is not None and str(Role(role).label).lower() not in (p.lower() for p in parts):
        parts.append(lower_first(str(Role(role).label)))
    name = person.full_name if person else (user.full_name or user.email)
    return Author(name=name, position=", ".join(parts) or "составитель отчёта")


def initials(full_name: str) -> str:
    """«Морозова Елена Викторовна» → «Е. В. Морозова» (non-breaking spaces); a name that is
    not a «Фамилия Имя [Отчество]» (an account's display name) stays as it is."""
    parts = full_name.split()
    if not parts:
        return "____________"
    if not 2 <= len(parts) <= 3 or not all(p.replace("-", "").isalpha() for p in parts):
        return full_name
    return NBSP.join([f"{p[0]}." for p in parts[1:3]] + parts[:1])


def _number(value) -> str:
    return f"{value:g}".replace(".", ",") if isinstance(value, float) else str(value)


def _fmt(value, kind: str) -> str:
    if value is None:
        return NO_DATA
    return f"{_number(value)} %" if kind == "p" else _number(value)


def _cells(row: dict, keys: tuple[str, ...], kind: str) -> list[str]:
    return [_fmt(row[key], kind) for key in keys]


def _repeat_header(row) -> None:
    repeat_header(row)
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _table(doc, headers: list[str], rows: list[list[str]], widths_mm: list[int]) -> None:
    """A bordered table with fixed column widths (so no header word breaks) and the header row
    repeated on every page."""
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _repeat_header(table.rows[0])
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.paragraphs[0].add_run(strip_unsafe(text))  # names are typed by people
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(11)
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    doc.add_paragraph()


def _figure(doc, png: bytes, number: int, caption: str) -> None:
    picture = doc.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.keep_with_next = True
    picture.add_run().add_picture(io.BytesIO(png), width=Cm(16))
    text = doc.add_paragraph(f"Рисунок {number} — {caption}")
    text.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _heading(doc, text: str):
    return doc.add_heading(text, level=2)


def _approval(doc, org, day_blank: str) -> None:
    block = doc.add_paragraph()
    block.paragraph_format.left_indent = Mm(95)
    block.paragraph_format.space_after = Pt(12)
    position = strip_unsafe(org.head_position or ("Директор" if org.is_school else "Руководитель"))
    lines = ["УТВЕРЖДАЮ", position, f"____________ {initials(strip_unsafe(org.head_name))}",
             day_blank]  # fmt: skip
    block.add_run("\n".join(lines))


def _satisfaction_rows(feedback: dict) -> list[tuple[str, tuple | None, tuple | None]]:
    return [
        (label, feedback.get((purpose, "start")), feedback.get((purpose, "end")))
        for purpose, label in SATISFACTION
    ]


def _answer(value: tuple | None) -> str:
    return f"{_number(value[0])} (ответили: {value[1]})" if value else NO_DATA


def _change(before: tuple | None, after: tuple | None) -> str:
    if not before or not after:
        return NO_DATA
    delta = round(after[0] - before[0], 1)
    return ("+" if delta > 0 else "") + _number(delta)


def _lists(doc, org, lists: YearLists, section: int) -> int:
    """The year's pairs and groups, events and best practices; returns the last section."""
    school = [] if org.is_school else ["Школа"]
    wide = 0 if org.is_school else 25  # the school column takes this much from the others
    section += 1
    _heading(doc, f"{section}. Пары и группы учебного года")
    if lists.units:
        _table(
            doc, [*school, "Наставник", "Наставляемые", "Форма", "Сроки", "Статус"],
            lists.units, [32, 40, 33, 35, 25] if org.is_school else [22, 30, 33, 28, 30, 22],
        )  # fmt: skip
        if lists.units_total > len(lists.units):
            doc.add_paragraph(
                f"Показаны первые {len(lists.units)} из {lists.units_total}; полный перечень — "
                "в отчётах школ."
            )
    else:
        doc.add_paragraph(f"Пары и группы: {NO_DATA} (в этом учебном году их нет).")
    section += 1
    _heading(doc, f"{section}. Мероприятия учебного года")
    if lists.events:
        _table(
            doc, ["Дата", *school, "Мероприятие", "Присутствовали"], lists.events,
            [w for w in (25, wide, 105 - wide, 35) if w],
        )  # fmt: skip
    else:
        doc.add_paragraph(f"Мероприятия: {NO_DATA} (в этом учебном году их не было).")
    section += 1
    _heading(doc, f"{section}. Лучшие практики учебного года")
    if lists.practices:
        _table(
            doc, [*school, "Практика", "Автор"], lists.practices,
            [w for w in (wide, 110 - wide, 55) if w],
        )  # fmt: skip
    else:
        doc.add_paragraph(
            f"Лучшие практики: {NO_DATA} (в методическую копилку за год их не добавляли)."
        )
    return section


def yearly_report(
    *,
    org,
    year: str,
    day: datetime.date,
    author: Author,
    overall,
    summary: dict,
    rows: list[dict],
    columns,
    feedback: dict,
    growth: list[dict],
    history: list[dict] | None = None,
    lists: YearLists | None = None,
) -> bytes:
    """The report as .docx bytes. `overall` are the subtree's Figures, `summary` and `rows` the
    dashboard's figures, `feedback` and `growth` what monitoring.feedback computes, `history`
    the figures by year and `lists` the year's pairs, events and practices (year_lists)."""
    doc = DocxDocument()
    gost_page(doc, size=12)
    top = doc.add_paragraph()
    top.alignment = WD_ALIGN_PARAGRAPH.CENTER
    top.paragraph_format.space_after = Pt(12)
    top.add_run(strip_unsafe(org.name)).bold = True
    _approval(doc, org, "«___» ____________ 20___ г.")
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("ОТЧЁТ").bold = True
    title.add_run(
        f"\nо реализации системы наставничества педагогических работников\nза {year} учебный год"
    ).bold = True
    register = doc.add_paragraph(f"{day:%d.%m.%Y}{NBSP}{NBSP}{NBSP}№ ____________")
    register.alignment = WD_ALIGN_PARAGRAPH.CENTER
    made = doc.add_paragraph()
    made.add_run("Составитель: ").bold = True
    made.add_run(strip_unsafe(f"{author.name}, {author.position}"))
    doc.add_paragraph(
        "Отчёт сформирован по данным системы «Наставник» на "
        f"{day:%d.%m.%Y}; показатели, для которых данных нет, отмечены «{NO_DATA}»."
    )
    figure = 0

    _heading(doc, "1. Показатели Положения о наставничестве")
    young = (
        f"{overall.young_covered} из {overall.young} ({_fmt(overall.young_coverage, 'p')})"
        if overall.young else NO_DATA
    )  # fmt: skip
    completed = (
        f"{overall.completed} из {overall.units} ({_fmt(overall.completed_share, 'p')})"
        if overall.units else NO_DATA
    )  # fmt: skip
    _table(
        doc,
        ["Показатель", "Значение"],
        [
            [
                "Доля педагогов в возрасте до 35 лет со стажем менее 3 лет, за которыми закреплён "
                "наставник (национальный показатель)",
                young,
            ],
            ["Завершено программ наставничества (пар и групп года)", completed],
            ["Прекращено досрочно", _fmt(overall.terminated_share, "p")],
            ["Задачи ПНП выполнены в срок", _fmt(summary["tasks_on_time_share"], "p")],
        ],
        [115, 50],
    )
    doc.add_paragraph(
        "1.1. Удовлетворённость участников программой наставничества (анкеты в начале и в конце "
        "программы, шкала от 1 до 10)."
    )
    satisfaction = _satisfaction_rows(feedback)
    _table(
        doc,
        ["Участники", "В начале", "В конце", "Изменение"],
        [[label, _answer(b), _answer(a), _change(b, a)] for label, b, a in satisfaction],
        [40, 45, 45, 35],
    )
    if any(b or a for _label, b, a in satisfaction):
        figure += 1
        png = charts.paired_bars(
            [label for label, _b, _a in satisfaction],
            [b[0] if b else None for _label, b, _a in satisfaction],
            [a[0] if a else None for _label, _b, a in satisfaction],
            legend=("В начале программы", "В конце программы"),
            xlabel="Средняя оценка (от 1 до 10)",
            limit=10,
        )
        _figure(doc, png, figure, "Удовлетворённость наставляемых и наставников")
    doc.add_paragraph(
        "1.2. Рост профессиональных компетенций наставляемых (самооценка в начале и в конце "
        "программы, шкала от 1 до 5; учтены ответившие оба раза)."
    )
    if growth:
        _table(
            doc,
            ["Компетенция", "До", "После", "Рост", "Ответили"],
            [
                [
                    g["competency"],
                    _number(g["before"]),
                    _number(g["after"]),
                    ("+" if g["delta"] > 0 else "") + _number(g["delta"]),
                    str(g["n"]),
                ]
                for g in growth
            ],
            [75, 20, 22, 20, 28],
        )
        figure += 1
        png = charts.paired_bars(
            [g["competency"] for g in growth],
            [g["before"] for g in growth],
            [g["after"] for g in growth],
            legend=("До программы", "После программы"),
            xlabel="Средняя самооценка (от 1 до 5)",
            limit=5,
        )
        _figure(doc, png, figure, "Самооценка компетенций до и после программы")
    else:
        doc.add_paragraph(f"Рост компетенций: {NO_DATA} (нет пар анкет «до» и «после»).")

    _heading(doc, "2. Основные показатели")
    _table(
        doc,
        ["Показатель", "Значение"],
        [
            *([label, _fmt(summary[key], kind)] for key, label, kind in columns),
            ["Наибольшая нагрузка наставника", _fmt(overall.max_load or None, "n")],
        ],
        [115, 50],
    )

    _heading(doc, "3. Пары и группы по видам наставничества")
    forms = sorted(overall.by_form.items(), key=lambda item: (-item[1], item[0]))
    if forms:
        _table(
            doc,
            ["Вид наставничества", "Пар и групп"],
            [[name, str(n)] for name, n in forms],
            [115, 50],
        )
        figure += 1
        png = charts.bars(
            [strip_unsafe(name) for name, _n in forms],
            [n for _name, n in forms],
            xlabel="Число пар и групп",
        )
        _figure(doc, png, figure, "Пары и группы по видам наставничества")
    else:
        doc.add_paragraph(f"Пары и группы: {NO_DATA} (в этом учебном году их нет).")

    section = 3
    if history:
        section += 1
        _heading(doc, f"{section}. Динамика по учебным годам")
        _table(
            doc,
            ["Учебный год", "Наставников", "Наставляемых", "Пар и групп", "Завершено"],
            [[h["year"], str(h["mentors"]), str(h["mentees"]), str(h["units"]),
              _fmt(h["completed_share"], "p")] for h in history],
            [35, 32, 35, 33, 30],
        )  # fmt: skip
    if lists is not None:
        section = _lists(doc, org, lists, section)

    if not org.is_school:
        below = "Школа" if all(r["school"].is_school for r in rows) else "Муниципалитет"
        section += 1
        _heading(doc, f"{section}. Сравнение организаций")
        _table(
            doc,
            [below, "Наставников", "Наставляемых", "Пар и групп", "Без пары"],
            [[r["school"].short_name, *_cells(r, COUNTS, "n")] for r in rows],
            [45, 31, 35, 29, 25],
        )
        _table(
            doc,
            [below, "Охват молодых педагогов", "Завершено", "Задачи ПНП в срок"],
            [[r["school"].short_name, *_cells(r, SHARES, "p")] for r in rows],
            [57, 38, 32, 38],
        )

    _heading(doc, f"{section + 1}. Как считаются показатели")
    for term, text in DEFINITIONS:
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"{term}: ").bold = True
        paragraph.add_run(text)

    sign = doc.add_table(rows=1, cols=3)
    sign.autofit = False
    sign.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text, width, align in zip(
        sign.rows[0].cells,
        [strip_unsafe(author.position[:1].upper() + author.position[1:]), "____________",
         initials(strip_unsafe(author.name))],
        (85, 40, 40),
        (WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT),
        strict=True,
    ):  # fmt: skip
        cell.width = Mm(width)
        cell.paragraphs[0].alignment = align
        cell.paragraphs[0].add_run(text)
    for cell in sign.rows[0].cells:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
        cell.paragraphs[0].paragraph_format.space_before = Pt(24)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
