"""The regional exchange end to end: a methodist opens a form, a school's curator reviews the
computed figures, comments and submits, the methodist returns it, gets it again and downloads
the consolidated .xlsx."""

import openpyxl
import pytest

from apps.documents.tests.test_documents import pair_world
from tests.e2e.conftest import login, screenshot
from tests.e2e.test_accessibility_e2e import serious_violations
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def logout(page):
    page.context.clear_cookies()


def test_a_form_goes_from_the_methodist_to_a_school_and_back(
    page, live_server, municipality, school
):
    pair_world(school)  # its curator: kurator@example.org
    methodist = UserFactory(email="metod@example.org")
    MembershipFactory(user=methodist, organisation=municipality, role="methodist")

    login(page, live_server, methodist.email)
    page.goto(f"{live_server.url}/o/{municipality.pk}/monitoring/forms/")
    page.fill("#id_title", "Мониторинг: I полугодие")
    page.fill("#id_deadline", "25.12.2026")
    page.get_by_role("button", name="Открыть форму для школ").click()
    page.get_by_role("heading", name="Мониторинг: I полугодие").wait_for()
    form_url = page.url
    logout(page)

    login(page, live_server, "kurator@example.org")
    page.goto(f"{live_server.url}/o/{school.pk}/monitoring/returns/")
    page.get_by_role("link", name="Мониторинг: I полугодие").click()
    page.fill("#comment-F01", "Дата рождения молодого педагога не внесена в реестр.")
    screenshot(page, "regional-school-review")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Отправить в Город Энск").click()
    page.get_by_text("Показатели зафиксированы на момент отправки").wait_for()
    logout(page)

    login(page, live_server, methodist.email)
    page.goto(form_url)
    page.fill(f"#reason-{school.pk}", "Внесите даты рождения")
    page.get_by_role("button", name="Вернуть").click()
    page.get_by_text("Возвращена: Внесите даты рождения").wait_for()
    logout(page)

    login(page, live_server, "kurator@example.org")
    page.goto(f"{live_server.url}/o/{school.pk}/monitoring/returns/")
    page.get_by_role("link", name="Мониторинг: I полугодие").click()
    page.get_by_text("Методист вернул форму на доработку").wait_for()
    page.get_by_role("button", name="Отправить в Город Энск").click()
    page.get_by_text("Показатели зафиксированы на момент отправки").wait_for()
    logout(page)

    login(page, live_server, methodist.email)
    page.goto(form_url)
    screenshot(page, "regional-methodist-form")
    assert serious_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Сводная .xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as handle:
        book = openpyxl.load_workbook(handle)
    rows = list(book["Сводная"].values)
    assert rows[2][1:3] == ("Школа № 1", "отправлена")
