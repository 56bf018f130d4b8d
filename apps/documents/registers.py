"""The registers a records clerk keeps, exported as .xlsx: orders, additional agreements, consents.

Each workbook carries the school's full name, the register's title with its form number and the
school year on top, then a bold header row frozen under them and repeated on every printed page,
and set column widths. Every cell goes through `apps.core.sheets.append_row`, so text a user
typed stays inert text (no formulas, no control characters).
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from apps.core.sheets import append_row
from apps.core.years import year_bounds
from apps.documents.models import DocStatus, Document, Series
from apps.orgs.models import Organisation
from apps.people.models import Consent
from apps.programs.models import MentoringUnit

HEADER_ROW = 5  # rows 1–3: school, title, form number and date; row 4 empty


@dataclass(frozen=True)
class Register:
    slug: str
    form: str
    title: str
    sheet: str  # Excel allows 31 characters
    columns: tuple[tuple[str, int], ...]  # header, width in characters


ORDERS = Register(
    "orders", "Р-1", "Журнал регистрации приказов по основной деятельности", "Приказы",
    (("№", 10), ("Дата", 12), ("Заголовок", 70), ("Статус", 16), ("Подписан", 12)),
)  # fmt: skip
AGREEMENTS = Register(
    "agreements", "Р-2", "Журнал регистрации дополнительных соглашений к трудовым договорам",
    "Доп. соглашения",
    (("№", 10), ("Дата", 12), ("Работник", 36), ("Срок наставничества", 28), ("Статус", 16)),
)  # fmt: skip
CONSENTS = Register(
    "consents", "Р-3", "Журнал учёта согласий на обработку персональных данных", "Согласия",
    (("ФИО", 36), ("Вид согласия", 44), ("Дата согласия", 14), ("Действует до", 14),
     ("Отозвано", 12), ("Скан", 8)),
)  # fmt: skip
REGISTERS = {r.slug: r for r in (ORDERS, AGREEMENTS, CONSENTS)}


def _day(value: datetime.date | None) -> str:
    return f"{value:%d.%m.%Y}" if value else ""


def _local_day(value: datetime.datetime | None) -> str:
    return _day(timezone.localdate(value)) if value else ""


def register_xlsx(org: Organisation, register: Register, year: str, rows: list[list]) -> bytes:
    """The workbook of one register: heading rows, a frozen bold header, the rows as text."""
    book = Workbook()
    sheet = book.active
    sheet.title = register.sheet
    append_row(sheet, [org.name])
    append_row(sheet, [f"{register.title} за {year} учебный год"])
    append_row(sheet, [f"Форма № {register.form}. Сформировано {timezone.localdate():%d.%m.%Y}."])
    append_row(sheet, [])
    append_row(sheet, [header for header, _width in register.columns])
    for cell in (sheet["A1"], sheet["A2"]):
        cell.font = Font(bold=True, size=12)
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows:
        append_row(sheet, row)
    for cell, (_header, width) in zip(sheet[HEADER_ROW], register.columns, strict=True):
        sheet.column_dimensions[cell.column_letter].width = width
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def order_rows(org: Organisation, year: str) -> list[list]:
    start, end = year_bounds(year)
    documents = (
        Document.objects.of(org)
        .filter(series=Series.ORDER, date__range=(start, end))
        .order_by("date", "seq", "pk")
    )
    return [
        [d.number, _day(d.date), d.title, d.get_status_display(),
         _local_day(d.status_changed_at) if d.status == DocStatus.SIGNED else ""]
        for d in documents
    ]  # fmt: skip


def agreement_rows(org: Organisation, year: str) -> list[list]:
    start, end = year_bounds(year)
    documents = (
        Document.objects.of(org)
        .filter(series=Series.AGREEMENT, date__range=(start, end))
        .select_related("person")
        .prefetch_related(Prefetch("units", queryset=MentoringUnit.objects.only("start_date",
                                                                                "end_date")))
        .order_by("date", "seq", "pk")
    )  # fmt: skip
    rows = []
    for d in documents:
        units = list(d.units.all())
        term = (
            f"с {_day(min(u.start_date for u in units))} по {_day(max(u.end_date for u in units))}"
            if units else "—"
        )  # fmt: skip
        employee = d.person.full_name if d.person else "—"
        rows.append([d.number, _day(d.date), employee, term, d.get_status_display()])
    return rows


def consent_rows(org: Organisation, year: str) -> list[list]:
    """Consents in force at some point of the school year (the archive holds the same list)."""
    start, end = year_bounds(year)
    consents = (
        Consent.objects.of(org)
        .filter(given_on__lte=end)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=start))
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "kind", "pk")
    )
    return [
        [c.person.full_name, c.get_kind_display(), _day(c.given_on),
         _day(c.valid_until) if c.valid_until else "бессрочно", _local_day(c.withdrawn_at),
         "да" if c.scan else "нет"]
        for c in consents
    ]  # fmt: skip


ROWS = {"orders": order_rows, "agreements": agreement_rows, "consents": consent_rows}


def register_file(org: Organisation, slug: str, year: str) -> tuple[str, bytes]:
    """The file name and the .xlsx of the register `slug` for `year` (KeyError: no such one)."""
    register = REGISTERS[slug]
    data = register_xlsx(org, register, year, ROWS[slug](org, year))
    return f"{register.title} {year.replace('/', '-')}.xlsx", data
