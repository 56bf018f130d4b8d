"""A curator builds a question in a template, sends the mentor questionnaire, a teacher
answers by link, and the mentor bank shows her strengths and capacity."""

import datetime

import pytest
from django.utils import timezone

from apps.banks.models import Profile
from apps.surveys.models import Invitation
from tests.e2e.conftest import login, screenshot
from tests.factories import ConsentFactory, PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_curator_builds_sends_and_the_mentor_bank_fills(page, live_server, curator, school):
    teacher = PersonFactory(
        organisation=school, last_name="Орлова", first_name="Вера", teaching_experience=25
    )
    ConsentFactory(person=teacher)
    login(page, live_server, curator.email)
    page.goto(f"{live_server.url}/o/{school.pk}/surveys/templates/")
    page.get_by_role("button", name="Добавить типовые анкеты").click()
    page.get_by_role("link", name="Анкета потенциального наставника").click()

    # Build: a new required scale question with a hint, then check it in the preview.
    page.get_by_role("link", name="Добавить вопрос").first.click()
    page.select_option("#id_kind", "scale")
    page.fill("#id_text", "Насколько вы уверены в работе с молодыми педагогами?")
    page.fill("#id_help_text", "1 — не уверен(а), 10 — полностью уверен(а)")
    page.fill("#id_scale_min", "1")
    page.fill("#id_scale_max", "10")
    page.check("#id_required")
    page.get_by_role("button", name="Сохранить").click()
    page.get_by_text("Вопрос добавлен.").wait_for()
    screenshot(page, "mentor-template-built")
    page.get_by_role("link", name="Предпросмотр").click()
    page.get_by_text("Насколько вы уверены в работе с молодыми педагогами?").wait_for()

    page.goto(f"{live_server.url}/o/{school.pk}/surveys/new/")
    page.select_option("#id_template", label="Анкета потенциального наставника")
    page.fill("#id_title", "Анкета наставника")
    deadline = (timezone.localdate() + datetime.timedelta(days=7)).strftime("%d.%m.%Y")
    page.fill("#id_deadline", deadline)
    page.fill("#id_people", "Орлова")  # search-as-you-type: the page lists only the chosen
    page.get_by_role("button", name="Орлова Вера Петровна — Учитель").click()
    assert page.get_by_label("Орлова Вера Петровна — Учитель").is_checked()
    page.get_by_role("button", name="Создать опрос и разослать ссылки").click()
    page.get_by_text("Опрос создан").wait_for()

    invitation = Invitation.objects.get(person=teacher)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/s/{invitation.token}/")
    page.get_by_label("Да", exact=True).check()
    page.get_by_role("group", name="Скольких наставляемых").get_by_label("2", exact=True).check()
    for row in page.locator("table.survey-grid tbody tr").all():
        row.locator("input[value='5']").check()
    page.locator("fieldset", has_text="Насколько вы уверены").locator("label", has_text="9").click()
    page.get_by_role("button", name="Отправить анкету").click()
    page.get_by_text("Спасибо! Анкета отправлена.").wait_for()

    profile = Profile.objects.get(person=teacher, kind="mentor")
    assert profile.capacity == 2
    assert set(profile.competencies.values()) == {5}

    login(page, live_server, curator.email)
    page.goto(f"{live_server.url}/o/{school.pk}/banks/mentors/")
    row = page.locator("table tbody tr", has_text="Орлова Вера Петровна")
    assert "— 5" in row.inner_text()
    screenshot(page, "mentor-bank")
