"""Stage 5 end to end: the curator forms a pair and a group and applies ПНП templates; the
mentor records a meeting and marks a task with evidence; the mentee sees the progress."""

import datetime

import pytest
from django.utils import timezone

from apps.banks.services import add_profile
from apps.programs.models import Meeting, Task
from tests.e2e.conftest import login, screenshot
from tests.factories import ConsentFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def staff(school, last_name, kind, experience, email=None):
    person = PersonFactory(
        organisation=school,
        last_name=last_name,
        teaching_experience=experience,
        user=UserFactory(email=email) if email else None,
    )
    ConsentFactory(person=person)
    add_profile(org=school, person=person, kind=kind, values={"capacity": 2}, by=None)
    return person


def form_unit(page, live_server, school, mentor, mentees, form_label, template):
    page.goto(f"{live_server.url}/o/{school.pk}/units/new/")
    page.select_option("#id_mentor", label=f"{mentor.full_name} — Учитель")
    page.select_option("#id_format", label=form_label)
    start = (timezone.localdate() - datetime.timedelta(days=20)).strftime("%d.%m.%Y")
    page.fill("#id_start", start)
    for mentee in mentees:
        page.get_by_label(f"{mentee.full_name} — Учитель").check()
    page.get_by_role("button", name="Сформировать").click()
    page.get_by_text("Пара сформирована").wait_for()
    page.get_by_role("button", name="Запустить").click()
    page.get_by_role("link", name="Персонализированная программа (ПНП)").click()
    page.select_option("#id_template", label=template)
    page.get_by_role("button", name="Применить шаблон").click()
    page.get_by_text("Из шаблона добавлено задач").wait_for()


def test_stage_five_from_pairing_to_progress(page, live_server, curator, school, tmp_path):
    mentor = staff(school, "Наставникова", "mentor", 22, "mentor@example.org")
    group_mentor = staff(school, "Групповая", "mentor", 15)
    mentee = staff(school, "Молодая", "mentee", 1, "mentee@example.org")
    group = [staff(school, name, "mentee", 2) for name in ("Первая", "Вторая")]

    login(page, live_server, curator.email)
    form_unit(page, live_server, school, mentor, [mentee], "Традиционное «один на один»",
              "Адаптация молодого специалиста (учебный год)")  # fmt: skip
    form_unit(page, live_server, school, group_mentor, group, "Групповое",
              "Групповая программа: современный урок и оценивание")  # fmt: skip
    page.goto(f"{live_server.url}/o/{school.pk}/units/")
    screenshot(page, "stage5-units")

    page.context.clear_cookies()
    login(page, live_server, "mentor@example.org")
    page.goto(f"{live_server.url}/my/units/")
    page.get_by_role("link", name="Мои наставляемые").first.click()
    page.fill("#id_topic", "Разбор рабочей программы")
    page.fill("#id_duration", "50")
    page.get_by_label("Изучить локальные акты школы, ФОП и ФГОС").check()
    page.get_by_role("button", name="Записать").click()
    page.get_by_text("Встреча записана в дневник.").wait_for()

    evidence = tmp_path / "akty.pdf"
    evidence.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.get_by_role("link", name="Отметить").first.click()
    page.select_option("#id_status", "done")
    page.set_input_files("#id_evidence_file", str(evidence))
    page.get_by_role("button", name="Сохранить").click()
    page.get_by_text("Статус задачи обновлён.").wait_for()
    screenshot(page, "stage5-mentor")

    page.context.clear_cookies()
    login(page, live_server, "mentee@example.org")
    page.goto(f"{live_server.url}/my/units/")
    page.get_by_role("link", name="Мой наставник").first.click()
    page.get_by_text("выполнено 12% (1 из 8)").wait_for()
    page.locator("#calendar-h").wait_for()
    assert page.get_by_text("Разбор рабочей программы").count() == 2  # calendar and diary
    screenshot(page, "stage5-mentee")
    assert Meeting.objects.count() == 1
    assert Task.objects.filter(status="done").exclude(evidence_file="").count() == 1


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [1366, 360])
def test_a_draft_pair_is_corrected_then_launched_in_bulk(page, live_server, curator, school, width):
    page.set_viewport_size({"width": width, "height": 900})
    mentor = staff(school, "Наставникова", "mentor", 22)
    mentee = staff(school, "Молодая", "mentee", 1)
    other = staff(school, "Другая", "mentee", 2)
    login(page, live_server, curator.email)
    page.goto(f"{live_server.url}/o/{school.pk}/units/new/")
    page.select_option("#id_mentor", label=f"{mentor.full_name} — Учитель")
    page.get_by_label(f"{mentee.full_name} — Учитель").check()
    page.get_by_role("button", name="Сформировать").click()
    page.get_by_role("link", name="Исправить").click()
    start = timezone.localdate() + datetime.timedelta(days=7)  # a future start
    page.fill("#id_start", start.strftime("%d.%m.%Y"))
    page.get_by_label(f"{mentee.full_name} — Учитель").uncheck()
    page.get_by_label(f"{other.full_name} — Учитель").check()
    assert no_horizontal_scroll(page)
    screenshot(page, f"unit-edit-{width}")
    page.get_by_role("button", name="Сохранить изменения").click()
    page.get_by_text("Изменения сохранены").wait_for()
    history = page.locator("#unit-history li").first.inner_text()
    assert f"исключены: {mentee.short_name}" in history
    assert f"добавлены: {other.short_name}" in history
    assert no_horizontal_scroll(page)
    screenshot(page, f"unit-history-{width}")

    page.get_by_role("link", name="Удалить").click()
    page.get_by_role("heading", name="Удалить пару или группу?").wait_for()
    assert no_horizontal_scroll(page)
    page.get_by_role("link", name="Отмена").click()

    page.goto(f"{live_server.url}/o/{school.pk}/units/")
    page.locator("input[name=unit]").first.check()
    page.get_by_role("button", name="Запустить выбранные").click()
    page.get_by_text("Запущено пар и групп: 1.").wait_for()
    assert no_horizontal_scroll(page)
    screenshot(page, f"units-launched-{width}")
