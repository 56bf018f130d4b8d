"""Cells of the spreadsheets the system writes: text a user typed stays inert text. No Django here.

openpyxl turns any string starting with «=» into a live formula and refuses control characters
with an exception. Every row written from stored data goes through `append_row`: strings lose
the characters a workbook cannot hold and are stored as text cells (`t="inlineStr"`); one that
a spreadsheet would read as a formula (OWASP "CSV injection": = + - @ tab, carriage return) also
gets Excel's quote prefix, so Excel and LibreOffice keep it as text even when the cell is
edited. The text itself is unchanged, so the export reads back exactly as typed; numbers and
dates stay numbers and dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from apps.core.text import strip_unsafe

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_TEXT = 32_767  # Excel's limit; a longer cell makes Excel «repair» the file


def safe_text(value: str) -> str:
    """A string a worksheet can hold: no control characters, not longer than Excel allows."""
    return strip_unsafe(value)[:MAX_CELL_TEXT]


def safe_cell(sheet: Worksheet, value: object, cell_class: type) -> object:
    """What to hand to `sheet.append` for one value: a text cell for a string, else the value."""
    if not isinstance(value, str):
        return value
    text = safe_text(value)
    cell = cell_class(sheet)
    # Set the internals directly: the `value` setter would guess a formula or an error code.
    cell._value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True
    return cell


def append_row(sheet: Worksheet, values: Iterable[object]) -> None:
    """`sheet.append(values)` with every string neutralised by `safe_cell`."""
    # openpyxl loads with the first export, not with the views that import this module.
    from openpyxl.cell.cell import Cell

    sheet.append([safe_cell(sheet, value, Cell) for value in values])
