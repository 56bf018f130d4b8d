"""Meetings diary and the personal pages of mentors and mentees."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.programs.models import Meeting, Task
from apps.programs.programme import programme_for
from apps.programs.tests.test_units import dicts, make, person  # noqa: F401
from tests.clock import on_school_day
from tests.factories import UserFactory
from tests.html import errors, records, select, text_of, texts

pytestmark = on_school_day  # dates below are of the 2026/2027 school year


@pytest.fixture
def pair(school, dicts):  # noqa: F811
    mentor = person(school, user=UserFactory(email="m@example.org"))
    mentee = person(school, experience=1, user=UserFactory(email="y@example.org"))
    start = timezone.localdate() - datetime.timedelta(days=30)
    unit = make(
        school, dicts, mentor, [mentee], start=start, end=start + datetime.timedelta(days=200)
    )
    task = Task.objects.create(
        programme=programme_for(unit), direction="Методика", title="План",
        deadline=start + datetime.timedelta(days=10), responsible=mentee,
    )  # fmt: skip
    return unit, mentor, mentee, task


def logged(person):
    client = Client()
    client.force_login(person.user)
    return client


def test_the_mentor_records_a_meeting(pair, curator_client, school):
    unit, mentor, _mentee, task = pair
    client = logged(mentor)
    url = reverse("programs:my-unit", args=[unit.pk])
    assert text_of(client.get(url), "h1") == "Мои наставляемые"
    response = client.post(url, {"date": timezone.localdate().strftime("%d.%m.%Y"),
                                 "duration": 40, "format": "online", "topic": "Разбор урока",
                                 "tasks": [task.pk]})  # fmt: skip
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.topic, list(meeting.tasks.all())) == ("Разбор урока", [task])
    page = curator_client.get(reverse("programs:unit-list", args=[school.pk]))
    assert [row["Встреча"] for row in records(page)] == [timezone.localdate().strftime("%d.%m.%Y")]


def test_it_records_a_meeting_after_today_as_planned(pair, curator_client, school):
    unit, mentor, _mentee, _task = pair
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = logged(mentor).post(
        reverse("programs:my-unit", args=[unit.pk]),
        {"date": tomorrow.strftime("%d.%m.%Y"), "duration": 40, "format": "online",
         "topic": "Будущее"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Meeting.objects.get().date == tomorrow
    detail = curator_client.get(reverse("programs:unit-detail", args=[school.pk, unit.pk]))
    assert [t for t in texts(detail, "li") if "Будущее" in t and "запланирована" in t] != []


def test_it_refuses_a_meeting_outside_the_units_term(pair):
    unit, mentor, _mentee, _task = pair
    late = unit.end_date + datetime.timedelta(days=1)
    response = logged(mentor).post(
        reverse("programs:my-unit", args=[unit.pk]),
        {"date": late.strftime("%d.%m.%Y"), "duration": 40, "format": "online", "topic": "Поздно"},
    )
    assert errors(response) == [
        f"Дата встречи {late:%d.%m.%Y} вне сроков пары/группы "
        f"({unit.start_date:%d.%m.%Y} — {unit.end_date:%d.%m.%Y})."
    ]
    assert not Meeting.objects.exists()


def test_a_unit_with_a_future_start_takes_meetings_inside_its_term(school, dicts):  # noqa: F811
    mentor = person(school, user=UserFactory(email="f@example.org"))
    mentee = person(school, experience=1)
    start = timezone.localdate() + datetime.timedelta(days=14)
    unit = make(school, dicts, mentor, [mentee], start=start,
                end=start + datetime.timedelta(days=200))  # fmt: skip
    client = logged(mentor)
    url = reverse("programs:my-unit", args=[unit.pk])
    assert client.get(url).context["form"].initial["date"] == start
    first = start + datetime.timedelta(days=3)
    response = client.post(url, {"date": first.strftime("%d.%m.%Y"), "duration": 40,
                                 "format": "online", "topic": "Знакомство"})  # fmt: skip
    assert response.status_code == 302
    assert [m.is_planned for m in Meeting.objects.all()] == [True]


def test_the_mentee_sees_progress_and_marks_own_task(pair):
    unit, _mentor, mentee, task = pair
    client = logged(mentee)
    page = client.get(reverse("programs:my-unit", args=[unit.pk]))
    assert text_of(page, "h1") == "Мой наставник и программа"
    assert texts(page, ".list-group-item-danger strong.text-danger") == ["просрочено"]
    client.post(reverse("programs:my-task-status", args=[unit.pk, task.pk]), {"status": "done"})
    task.refresh_from_db()
    assert task.status == "done"
    assert (
        "выполнено 100%" in client.get(reverse("programs:my-unit", args=[unit.pk])).content.decode()
    )


def test_a_mentee_cannot_mark_the_mentors_tasks(pair):
    unit, mentor, mentee, _task = pair
    own = Task.objects.create(programme=unit.programme, direction="М", title="Наставнику",
                              deadline=unit.start_date, responsible=mentor)  # fmt: skip
    response = logged(mentee).post(
        reverse("programs:my-task-status", args=[unit.pk, own.pk]), {"status": "done"}
    )
    assert response.status_code == 403


def test_strangers_do_not_see_the_pair(pair, school):
    unit, *_ = pair
    stranger = person(school, user=UserFactory(email="s@example.org"))
    assert logged(stranger).get(reverse("programs:my-unit", args=[unit.pk])).status_code == 404


def test_the_calendar_shows_meetings_and_deadlines(pair, curator_client, school):
    unit, mentor, _mentee, _task = pair
    Meeting.objects.create(unit=unit, date=timezone.localdate(), topic="Первая встреча")
    page = logged(mentor).get(reverse("programs:my-unit", args=[unit.pk]))
    assert text_of(page, "#calendar-h") == "Календарь"
    events = [li.text.split(" ", 2)[2] for li in select(page, ".calendar-list li")]
    assert "встреча Первая встреча" in events
    assert [e for e in events if e.startswith("просрочено План")] != []
    detail = curator_client.get(reverse("programs:unit-detail", args=[school.pk, unit.pk]))
    today = timezone.localdate().strftime("%d.%m.%Y")
    assert [li for li in texts(detail, "li") if li.startswith(f"{today} — Первая встреча")] != []


def test_it_refuses_a_control_character_in_the_topic_and_saves_nothing(pair):
    unit, mentor, _mentee, _task = pair
    response = logged(mentor).post(
        reverse("programs:my-unit", args=[unit.pk]),
        {"date": timezone.localdate().strftime("%d.%m.%Y"), "duration": 40, "format": "online",
         "topic": "Разбор\x0b урока"},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "topic": [
            "Поле «Тема» содержит невидимый управляющий символ U+000B (знак № 7). Такие символы "
            "попадают при копировании из других программ: удалите его и сохраните снова."
        ]
    }
    assert not Meeting.objects.exists()
