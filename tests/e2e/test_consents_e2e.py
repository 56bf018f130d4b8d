"""Consents in bulk and in electronic form, driven in Chromium at 1366 and 360 px."""

import re

import pytest
from django.core import mail

from apps.people.econsent import save_settings
from apps.people.models import Consent, ConsentRequest
from tests.e2e.conftest import login, screenshot
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_curator_marks_forms_in_bulk_and_a_teacher_consents_by_link_with_a_code(
    page, live_server, curator, school
):
    for name in ("Белова", "Котова"):
        PersonFactory(organisation=school, last_name=name, first_name="Анна", middle_name="")
    teacher = PersonFactory(
        organisation=school, last_name="Зайцева", first_name="Ольга", middle_name="Игоревна",
        gender="female", email="zaytseva@s1.example.org",
    )  # fmt: skip
    save_settings(org=school, electronic_allowed=True)
    login(page, live_server, curator.email)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/o/{school.pk}/consents/")
    page.get_by_role("link", name="Согласия списком").click()
    page.get_by_role("checkbox", name="Белова Анна").check()
    page.get_by_role("checkbox", name="Котова Анна").check()
    page.fill("#id_given_on", "25.11.2026")
    screenshot(page, "consent-bulk-1366")
    page.get_by_role("button", name="Записать отмеченным").click()
    page.get_by_text("Записано 2 согласия").wait_for()
    assert Consent.objects.filter(method="paper").count() == 2
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "consent-bulk-360")
    assert fits(page)

    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_role("checkbox", name="Зайцева Ольга Игоревна").check()
    page.get_by_role("button", name="Отправить личные ссылки").click()
    page.get_by_text("Личные ссылки поставлены в очередь на отправку: 1 письмо.").wait_for()
    link = re.search(r"http\S+/o/consent/\S+/", mail.outbox[-1].body)[0]
    path = link.split("/o/consent/", 1)[1]

    page.context.clear_cookies()  # the teacher opens the link without logging in
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/o/consent/{path}")
    page.get_by_text("на обработку персональных данных").first.wait_for()
    screenshot(page, "consent-sign-360")
    assert fits(page)
    page.get_by_role("button", name="Получить код на e-mail").click()
    page.get_by_text("Код отправлен на z***@s1.example.org").wait_for()
    code = re.search(r"Код подтверждения[^:]*: (\d{6})", mail.outbox[-1].body)[1]
    page.get_by_label("Код из письма").fill("000000" if code != "000000" else "111111")
    page.get_by_role("button", name="Подтвердить согласие").click()
    page.get_by_text("Неверный код. Осталось попыток: 4.").wait_for()
    page.get_by_label("Код из письма").fill(code)
    screenshot(page, "consent-code-360")
    assert fits(page)
    page.get_by_role("button", name="Подтвердить согласие").click()
    page.get_by_text("Спасибо, согласие дано").wait_for()
    page.set_viewport_size({"width": 1366, "height": 900})
    screenshot(page, "consent-signed-1366")

    consent = Consent.objects.get(person=teacher)
    assert consent.method == "electronic"
    assert consent.agreed_text == ConsentRequest.objects.get().text
    assert consent.signed_user_agent.startswith("Mozilla/")

    login(page, live_server, curator.email)
    page.goto(f"{live_server.url}/o/{school.pk}/consents/{consent.pk}/")
    page.get_by_text("Текст, с которым согласился сотрудник").wait_for()
    screenshot(page, "consent-electronic-detail-1366")


def test_curator_confirms_an_offered_account_on_the_staff_card(page, live_server, curator, school):
    person = PersonFactory(
        organisation=school, last_name="Тарасова", first_name="Виктория", middle_name="Денисовна"
    )
    login(page, live_server, curator.email)
    page.goto(f"{live_server.url}/o/{school.pk}/members/")
    page.fill("#id_email", "vika@mail.example")
    page.fill("#id_full_name", "Тарасова Виктория Денисовна")
    page.select_option("#id_role", "mentor")
    page.get_by_role("button", name="Назначить").click()
    page.locator("tr", has_text="vika@mail.example").get_by_role(
        "link", name="не связан — найти в кадрах"
    ).click()
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "account-match-360")
    assert fits(page)
    page.get_by_role("button", name="Связать").click()
    page.get_by_text("Учётная запись vika@mail.example связана с сотрудником.").wait_for()
    person.refresh_from_db()
    assert person.user.email == "vika@mail.example"
    page.goto(f"{live_server.url}/o/{school.pk}/members/")
    screenshot(page, "members-linked-360")
    assert fits(page)
