"""ПНП: templates, tasks checked against the unit, statuses with evidence, approval, versions."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.banks.services import add_profile
from apps.programs.models import ProgrammeTemplate, Task
from apps.programs.programme import (
    apply_template,
    approve,
    ensure_programme_templates,
    programme_for,
    save_programme,
)
from apps.programs.services import UnitRuleError
from apps.programs.tests.test_units import END, START, dicts, make, person  # noqa: F401
from tests.clock import on_school_day
from tests.html import errors

pytestmark = on_school_day  # dates below are of the 2026/2027 school year

PDF = b"%PDF-1.4\n%%EOF\n"


def task_in(unit, deadline):
    return Task.objects.create(
        programme=programme_for(unit), direction="Методика", title="Урок",
        deadline=deadline, responsible=unit.mentor,
    )  # fmt: skip


@pytest.fixture
def unit(school, dicts):  # noqa: F811
    mentee = person(school, experience=1)
    competency = school.competencies.create(name="Работа с родителями")
    add_profile(org=school, person=mentee, kind="mentee",
                values={"competencies": {str(competency.pk): 5}}, by=None)  # fmt: skip
    return make(school, dicts, person(school), [mentee])


def test_difficulties_come_from_the_mentee_bank(unit):
    programme = programme_for(unit)
    assert "Работа с родителями (5)" in programme.difficulties


def test_a_shipped_template_fills_tasks_inside_the_dates(school, unit):
    ensure_programme_templates(org=school)
    template = ProgrammeTemplate.objects.get(title__startswith="Адаптация молодого")
    programme = programme_for(unit)
    assert apply_template(programme=programme, template=template, by=None) == 8
    deadlines = list(programme.tasks.values_list("deadline", flat=True))
    assert all(START <= d <= END for d in deadlines)
    assert programme.goal.startswith("Успешная адаптация")


def test_template_deadlines_avoid_weekends_and_public_holidays(school, unit):
    template = ProgrammeTemplate.objects.create(
        organisation=school, title="Праздники", goal="Цель",
        tasks=[
            {"direction": "М", "title": "В День народного единства", "days": 64,
             "responsible": "mentor"},  # 01.09 + 64 = 04.11.2026, a holiday
            {"direction": "М", "title": "В новогодние каникулы", "days": 126,
             "responsible": "mentor"},  # 05.01.2027
            {"direction": "М", "title": "В субботу", "days": 11, "responsible": "mentor"},  # 12.09
        ],
    )  # fmt: skip
    apply_template(programme=programme_for(unit), template=template, by=None)
    assert dict(unit.programme.tasks.values_list("title", "deadline")) == {
        "В День народного единства": datetime.date(2026, 11, 3),
        "В новогодние каникулы": datetime.date(2026, 12, 30),
        "В субботу": datetime.date(2026, 9, 11),
    }


def test_tasks_outside_the_dates_or_for_strangers_are_refused(curator_client, school, unit):
    stranger = person(school)
    response = curator_client.post(
        reverse("programs:programme", args=[school.pk, unit.pk]),
        {"task-direction": "Методика", "task-title": "Открытый урок",
         "task-deadline": "01.08.2027", "task-responsible": unit.mentor.pk},
    )  # fmt: skip
    assert [e for e in errors(response) if e.startswith("Срок 01.08.2027 вне сроков программы")]
    assert Task.objects.count() == 0
    response = curator_client.post(
        reverse("programs:programme", args=[school.pk, unit.pk]),
        {"task-direction": "Методика", "task-title": "Открытый урок",
         "task-deadline": "01.12.2026", "task-responsible": stranger.pk},
    )  # fmt: skip
    assert [e for e in errors(response) if "Выберите корректный вариант" in e], errors(response)
    assert Task.objects.count() == 0


def test_marking_a_task_done_with_evidence(curator_client, school, unit):
    task = task_in(unit, datetime.date(2026, 12, 1))
    url = reverse("programs:task-status", args=[school.pk, unit.pk, task.pk])
    bad = curator_client.post(
        url, {"status": "done", "evidence_file": SimpleUploadedFile("a.pdf", b"MZ\x90")}
    )
    assert [e for e in errors(bad) if "по содержимому не является PDF" in e], errors(bad)
    curator_client.post(url, {"status": "done", "evidence_file": SimpleUploadedFile("a.pdf", PDF)})
    task.refresh_from_db()
    assert task.status == "done"
    assert task.done_on is not None
    evidence = curator_client.get(
        reverse("programs:task-evidence", args=[school.pk, unit.pk, task.pk])
    )
    assert b"".join(evidence.streaming_content) == PDF


def test_postponing_needs_a_new_date_inside_the_programme(curator_client, school, unit):
    task = task_in(unit, datetime.date(2026, 12, 1))
    url = reverse("programs:task-status", args=[school.pk, unit.pk, task.pk])
    assert (
        "Укажите новый срок." in curator_client.post(url, {"status": "postponed"}).content.decode()
    )
    curator_client.post(url, {"status": "postponed", "new_deadline": "15.01.2027"})
    task.refresh_from_db()
    assert (task.status, task.due) == ("postponed", datetime.date(2027, 1, 15))


def test_edits_after_approval_are_versioned(unit):
    programme = programme_for(unit)
    with pytest.raises(UnitRuleError):
        approve(programme=programme, by=None)
    task_in(unit, datetime.date(2026, 12, 1))
    save_programme(programme=programme, goal="Цель", difficulties="", by=None)
    approve(programme=programme, by=None)
    save_programme(programme=programme, goal="Новая цель", difficulties="", by=None)
    programme.refresh_from_db()
    assert (programme.version, programme.approved_on) == (2, None)
    assert programme.versions.get().snapshot["goal"] == "Цель"


def test_a_programme_can_be_saved_as_a_template(curator_client, school, unit):
    task_in(unit, datetime.date(2026, 10, 1))
    curator_client.post(
        reverse("programs:programme-save-template", args=[school.pk, unit.pk]),
        {"title": "Наш шаблон"},
    )
    template = ProgrammeTemplate.objects.get(title="Наш шаблон")
    assert template.tasks[0]["days"] == 30


def test_templates_are_offered_for_the_units_form(curator_client, school, unit, dicts):  # noqa: F811
    ensure_programme_templates(org=school)
    page = curator_client.get(reverse("programs:programme", args=[school.pk, unit.pk]))
    text = page.content.decode()
    assert "Адаптация молодого специалиста" in text
    assert "Групповая программа" not in text
    group_template = ProgrammeTemplate.objects.get(title__startswith="Групповая")
    curator_client.post(
        reverse("programs:programme-apply", args=[school.pk, unit.pk]),
        {"template": group_template.pk},
    )
    assert Task.objects.count() == 0


def test_it_refuses_a_control_character_in_a_template_title(curator_client, school, unit):
    task_in(unit, datetime.date(2026, 10, 1))
    response = curator_client.post(
        reverse("programs:programme-save-template", args=[school.pk, unit.pk]),
        {"title": "Наш\x1b шаблон"},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Поле «Название шаблона» содержит невидимый управляющий символ U+001B (знак № 4). Такие "
        "символы попадают при копировании из других программ: удалите его и сохраните снова."
    ]
    assert not ProgrammeTemplate.objects.filter(title__startswith="Наш").exists()
