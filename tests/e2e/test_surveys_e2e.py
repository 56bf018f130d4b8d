"""A curator sends the shipped needs questionnaire; a teacher answers by link; results show."""

import datetime

import pytest
from django.utils import timezone

from apps.surveys.models import Answer, Invitation
from tests.e2e.conftest import login, screenshot
from tests.factories import ConsentFactory, PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_curator_sends_a_survey_and_a_teacher_answers(page, live_server, curator, school):
    young = PersonFactory(
        organisation=school,
        last_name="Семёнова",
        first_name="Анна",
        is_young_specialist=True,
        email="anna@example.org",
    )
    ConsentFactory(person=young)
    PersonFactory(organisation=school, last_name="Опытная")
    login(page, live_server, curator.email)
    page.get_by_role("link", name="Анкеты", exact=True).click()
    page.get_by_role("link", name="Шаблоны анкет").click()
    page.get_by_role("button", name="Добавить типовые анкеты").click()
    page.get_by_role("link", name="Анкета: профессиональные затруднения и запросы педагога").click()
    screenshot(page, "survey-template")
    page.get_by_role("link", name="Отправить сотрудникам").click()

    deadline = (timezone.localdate() + datetime.timedelta(days=14)).strftime("%d.%m.%Y")
    page.fill("#id_deadline", deadline)
    page.check("#id_young")
    page.get_by_role("button", name="Отобрать по фильтрам").click()
    assert page.get_by_label("Семёнова Анна Петровна — Учитель").is_checked()
    assert page.get_by_label("Опытная Мария Петровна — Учитель").count() == 0  # only the chosen
    page.fill("#id_deadline", deadline)
    page.get_by_role("button", name="Создать опрос и разослать ссылки").click()
    page.get_by_text("Опрос создан: приглашений 1").wait_for()
    screenshot(page, "survey-campaign")

    invitation = Invitation.objects.get(person=young)
    page.context.clear_cookies()  # the teacher opens the link without logging in
    page.goto(f"{live_server.url}/s/{invitation.token}/")
    page.get_by_label("Молодой специалист (первые 3 года работы)").check()
    page.locator("label[for$='_8']").first.click()  # 8 on the 1–10 scale
    page.get_by_text("Сохранено").wait_for()  # autosaved without pressing a button
    assert Answer.objects.filter(invitation=invitation).count() >= 1

    page.get_by_role("button", name="Отправить анкету").click()
    page.get_by_text("Проверьте ответы").wait_for()  # the competency grid is required
    for row in page.locator("table.survey-grid tbody tr").all():
        row.locator("input[value='4']").check()
    page.get_by_role("button", name="Отправить анкету").click()
    page.get_by_text("Спасибо! Анкета отправлена.").wait_for()
    screenshot(page, "survey-answered")
    invitation.refresh_from_db()
    assert invitation.submitted_at is not None

    login(page, live_server, curator.email)
    page.goto(f"{live_server.url}/o/{school.pk}/surveys/{invitation.campaign_id}/results/")
    page.get_by_text("Отправили анкету: 1 из 1").wait_for()
    screenshot(page, "survey-results")

    # The submitted questionnaire put the teacher into the mentee bank, with her needs.
    page.get_by_role("link", name="Банк наставляемых", exact=True).click()
    page.get_by_role("link", name="Семёнова Анна Петровна").click()
    page.get_by_text("Потребность в поддержке (1–5)").wait_for()
    screenshot(page, "bank-mentee-profile")
