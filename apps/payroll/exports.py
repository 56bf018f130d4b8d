"""The month's register as files: .xlsx laid out for loading into 1С:Зарплата и кадры
государственного учреждения (one header row, one row per mentor and ground; docs/payroll.md
lists the columns) and a .docx for the head's signature (PDF through LibreOffice)."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from docx import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Font

from apps.core.docx_page import gost_page, repeat_header
from apps.core.sheets import append_row
from apps.core.text import strip_unsafe
from apps.payroll.models import PayBasis, PayRegister
from apps.people.consents import initials_first

# (header, key) — the order of the 1С loading layout; docs/payroll.md explains each column.
COLUMNS_1C = (
    ("Табельный номер", "personnel_number"),
    ("Сотрудник", "name"),
    ("Должность", "position"),
    ("Вид начисления", "pay_code"),
    ("Месяц начисления", "month"),
    ("Дата начала", "start"),
    ("Дата окончания", "end"),
    ("Отработано дней", "days"),
    ("Норма дней", "norm"),
    ("Наставляемых", "mentees"),
    ("Размер в месяц", "rate"),
    ("Сумма", "amount"),
    ("Основание", "basis"),
)
COEFFICIENT_HEADERS = {"rate": "Коэффициент в месяц", "amount": "Коэффициент за период"}


def _value(row: dict, key: str, register: PayRegister, pay_code: str):
    if key == "pay_code":
        return pay_code
    if key == "month":
        return datetime.date(register.year, register.month, 1)
    if key in ("start", "end"):
        return datetime.date.fromisoformat(row[key])
    if key in ("rate", "amount"):
        return Decimal(row[key])
    return row[key]


def register_xlsx(register: PayRegister, *, pay_code: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Доплаты"
    coefficient = register.basis == PayBasis.COEFFICIENT
    headers = [
        COEFFICIENT_HEADERS.get(key, title) if coefficient else title for title, key in COLUMNS_1C
    ]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in register.rows:
        append_row(sheet, [_value(row, key, register, pay_code) for _t, key in COLUMNS_1C])
    for column, key in zip(sheet.iter_cols(min_row=2), (k for _t, k in COLUMNS_1C), strict=False):
        for cell in column:
            if key in ("month", "start", "end"):
                cell.number_format = "DD.MM.YYYY"
            elif key in ("rate", "amount"):
                cell.number_format = "0.0000" if coefficient else "0.00"
            elif key == "personnel_number":
                cell.number_format = "@"
    for letter, width in zip("ABCDEFGHIJKLM", (16, 34, 28, 26, 12, 12, 12, 10, 10, 10, 12, 12, 60),
                             strict=True):  # fmt: skip
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _money(value: str, coefficient: bool) -> str:
    number = Decimal(value)
    text = f"{number:.4f}" if coefficient else f"{number:,.2f}".replace(",", "\u00a0")
    return text.replace(".", ",")


def register_docx(register: PayRegister, *, org, total: Decimal, font: str) -> bytes:
    """The register on an A4 landscape page for the head's signature."""
    doc = DocxDocument()
    gost_page(doc, font=font, size=12)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin, section.right_margin = Mm(20), Mm(10)
    coefficient = register.basis == PayBasis.COEFFICIENT
    top = doc.add_paragraph()
    top.alignment = WD_ALIGN_PARAGRAPH.CENTER
    top.add_run(strip_unsafe(org.name)).bold = True
    approve = doc.add_paragraph()
    approve.paragraph_format.left_indent = Mm(170)
    head = strip_unsafe(org.head_position or "Директор")
    signer = initials_first(strip_unsafe(org.head_name))
    approve.add_run(f"УТВЕРЖДАЮ\n{head}\n____________ {signer}\n«___» ____________ 20___ г.")
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(
        "РЕЕСТР\nдоплат за наставническую деятельность за " + register.period_label
    ).bold = True
    doc.add_paragraph(
        f"Рабочих дней в месяце по производственному календарю: {register.norm}. Доплата за "
        "неполный месяц (замена наставника, досрочное окончание, начало в середине месяца) "
        "рассчитана пропорционально рабочим дням наставничества."
    )
    headers = ["№", "Таб. №", "ФИО", "Должность", "Основание", "Период", "Дней",
               "Коэф. в месяц" if coefficient else "Размер в месяц, руб.",
               "Коэф. за период" if coefficient else "Сумма, руб."]  # fmt: skip
    widths = [8, 20, 45, 38, 72, 28, 18, 20, 18]  # 267 mm: landscape A4 minus the margins
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    repeat_header(table.rows[0])
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for n, row in enumerate(register.rows, start=1):
        start, end = (datetime.date.fromisoformat(row[k]) for k in ("start", "end"))
        values = [str(n), row["personnel_number"], row["name"], row["position"], row["basis"],
                  f"{start:%d.%m.%Y}–{end:%d.%m.%Y}", f"{row['days']} из {row['norm']}",
                  _money(row["rate"], coefficient), _money(row["amount"], coefficient)]  # fmt: skip
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.paragraphs[0].add_run(strip_unsafe(text))
    if not coefficient:
        cells = table.add_row().cells
        cells[0].merge(cells[-2]).paragraphs[0].add_run("Итого").bold = True
        cells[-1].paragraphs[0].add_run(_money(str(total), False)).bold = True
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(10)
    if register.skipped:
        doc.add_paragraph()
        doc.add_paragraph("Не вошли в реестр или начислены не полностью:")
        for item in register.skipped:
            unit = f" ({item['unit']})" if item.get("unit") else ""
            doc.add_paragraph(strip_unsafe(f"{item['who']}{unit} — {item['reason']}."),
                              style="List Bullet")  # fmt: skip
    doc.add_paragraph()
    sign = doc.add_paragraph()
    sign.add_run(
        f"Реестр составил: ______________________ (подпись, ФИО)\n\n{head} ______________ {signer}"
    )
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
