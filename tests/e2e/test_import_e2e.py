"""A curator imports staff from an Excel file through the browser and sees them listed."""

from pathlib import Path

import pytest

from apps.people.models import Person
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FIXTURES = Path(__file__).resolve().parents[2] / "apps" / "people" / "tests" / "fixtures"


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_curator_imports_staff_and_sees_them(page, live_server, curator, school):
    login(page, live_server, curator.email)
    page.get_by_role("link", name="Кадры").first.click()
    page.get_by_role("link", name="Загрузить из Excel/CSV").click()
    page.get_by_role("heading", name="Загрузка сотрудников из Excel или CSV").wait_for()
    screenshot(page, "import-upload")

    page.set_input_files("input[type=file]", str(FIXTURES / "staff.xlsx"))
    page.get_by_role("button", name="Проверить файл").click()
    page.get_by_text("Ошибок нет").wait_for()
    assert "будет добавлено 3, обновлено 0" in page.locator(".alert-info").inner_text()
    screenshot(page, "import-preview")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "import-preview-360")
    assert no_horizontal_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert Person.objects.count() == 0

    page.get_by_role("button", name="Подтвердить и сохранить").click()
    page.get_by_text("Файл «staff.xlsx» загружен: добавлено 3, обновлено 0.").wait_for()
    names = page.locator("table tbody tr td:first-child a").all_inner_texts()
    assert names == ["Ким Елена Викторовна", "Орлов Павел Сергеевич", "Семёнова Анна Игоревна"]
    screenshot(page, "import-staff-list")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "import-staff-list-360")
    assert no_horizontal_scroll(page)

    # The same file again updates the three people instead of adding them twice.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Загрузить из Excel/CSV").click()
    page.set_input_files("input[type=file]", str(FIXTURES / "staff.xlsx"))
    page.get_by_role("button", name="Проверить файл").click()
    page.get_by_text("будет добавлено 0, обновлено 3", exact=False).wait_for()
    page.get_by_role("button", name="Подтвердить и сохранить").click()
    page.get_by_text("добавлено 0, обновлено 3").wait_for()
    assert Person.objects.count() == 3
    page.get_by_role("link", name="Загрузить из Excel/CSV").click()
    history = page.locator(".import-history li").all_inner_texts()
    assert len(history) == 2
    screenshot(page, "import-upload-history")


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
    cells = page.locator("table.import-errors tbody tr").all_inner_texts()
    assert cells == [
        "2\tИмя\tне заполнено — это обязательный столбец",
        "2\tДата рождения\t«31.02.1990» — не дата; используйте формат ДД.ММ.ГГГГ, "
        "например 14.03.1999",
    ]
    screenshot(page, "import-errors")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "import-errors-360")
    assert no_horizontal_scroll(page)
    assert page.get_by_role("button", name="Подтвердить и сохранить").count() == 0
    assert Person.objects.count() == 0


def test_a_renamed_program_is_refused_on_the_form(page, live_server, curator, school):
    login(page, live_server, curator.email)
    page.goto(f"{live_server.url}/o/{school.pk}/staff/import/")
    page.set_input_files("input[type=file]", str(FIXTURES / "setup.xlsx"))
    page.get_by_role("button", name="Проверить файл").click()
    page.get_by_text("по содержимому это программа").wait_for()
    screenshot(page, "import-bad-file")
