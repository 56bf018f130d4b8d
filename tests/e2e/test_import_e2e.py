"""A curator imports staff from an Excel file through the browser and sees them listed."""

import io

import openpyxl
import pytest

from apps.people.models import Person
from tests.e2e.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def staff_file(path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(
        ["ФИО", "Дата рождения", "Должность", "Предметы", "Категория", "Педагогический стаж"]
    )
    sheet.append(
        ["Семёнова Анна Игоревна", "14.03.1999", "Учитель математики", "Математика", "", 2]
    )
    sheet.append(["Орлов Павел Сергеевич", "02.11.1975", "Учитель физики", "Физика", "высшая", 27])
    sheet.append(["Ким Елена Викторовна", "20.06.1988", "Учитель начальных классов",
                  "Начальные классы", "первая", 12])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_curator_imports_staff_and_sees_them(page, live_server, curator, school, tmp_path):
    login(page, live_server, curator.email)
    page.get_by_role("link", name="Кадры").first.click()
    page.get_by_role("link", name="Загрузить из Excel/CSV").click()
    page.set_input_files("input[type=file]", str(staff_file(tmp_path / "kadry.xlsx")))
    page.get_by_role("button", name="Проверить файл").click()
    page.get_by_text("Ошибок нет").wait_for()
    screenshot(page, "import-preview")
    assert Person.objects.count() == 0

    page.get_by_role("button", name="Подтвердить и сохранить").click()
    page.get_by_text("добавлено 3").wait_for()
    rows = page.locator("table tbody tr")
    assert rows.count() == 3
    assert "Семёнова Анна Игоревна" in rows.nth(2).inner_text()
    screenshot(page, "staff-list")

    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "staff-list-360")
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert overflow is False


def test_import_errors_are_shown_by_row_and_column(page, live_server, curator, school, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        "Фамилия;Имя;Должность;Дата рождения\nИванов;;Учитель;31.02.1990\n".encode("cp1251")
    )
    login(page, live_server, curator.email)
    page.goto(f"{live_server.url}/o/{school.pk}/staff/import/")
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="Проверить файл").click()
    page.get_by_text("Найдено ошибок: 2").wait_for()
    screenshot(page, "import-errors")
    assert "«31.02.1990» — не дата" in page.content()
    assert Person.objects.count() == 0
