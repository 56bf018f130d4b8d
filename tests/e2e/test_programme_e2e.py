"""A curator forms a pair, applies a ПНП template and marks a task done with evidence."""

import pytest

from apps.banks.services import add_profile
from apps.programs.models import Task
from tests.e2e.conftest import login, screenshot
from tests.factories import ConsentFactory, PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_curator_forms_a_pair_and_runs_its_programme(page, live_server, curator, school, tmp_path):
    mentor = PersonFactory(organisation=school, last_name="Наставникова", teaching_experience=20)
    mentee = PersonFactory(organisation=school, last_name="Молодая", teaching_experience=1)
    for person, kind in ((mentor, "mentor"), (mentee, "mentee")):
        ConsentFactory(person=person)
        add_profile(org=school, person=person, kind=kind, values={"capacity": 2}, by=None)

    login(page, live_server, curator.email)
    page.goto(f"{live_server.url}/o/{school.pk}/units/new/")
    page.select_option("#id_mentor", label="Наставникова Мария Петровна — Учитель")
    page.get_by_label("Молодая Мария Петровна — Учитель").check()
    page.get_by_role("button", name="Сформировать").click()
    page.get_by_text("Пара сформирована").wait_for()
    page.get_by_role("button", name="Запустить").click()
    page.get_by_role("link", name="Персонализированная программа (ПНП)").click()

    page.select_option("#id_template", label="Адаптация молодого специалиста (учебный год)")
    page.get_by_role("button", name="Применить шаблон").click()
    page.get_by_text("Из шаблона добавлено задач: 8").wait_for()

    evidence = tmp_path / "plan.pdf"
    evidence.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.get_by_role("link", name="Отметить").first.click()
    page.select_option("#id_status", "done")
    page.set_input_files("#id_evidence_file", str(evidence))
    page.get_by_role("button", name="Сохранить").click()
    page.get_by_text("Статус задачи обновлён.").wait_for()
    page.get_by_text("задач выполнено (1 из 8)").wait_for()
    screenshot(page, "programme")
    assert Task.objects.filter(status="done").exclude(evidence_file="").count() == 1
