"""Events: create with checks, invite with .ics, register once, attendance with guests,
materials into the library, calendar feeds."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from apps.banks.services import add_profile
from apps.events.models import Event, Participant
from apps.events.services import EventError, feed_token, invite, mark_attendance, register
from apps.library.models import Material
from apps.library.search import search
from tests.clock import on_school_day
from tests.factories import ConsentFactory, PersonFactory
from tests.html import errors


def mentor(school, email="m@example.org", **kw):
    person = PersonFactory(organisation=school, email=email, **kw)
    ConsentFactory(person=person)
    add_profile(org=school, person=person, kind="mentor", values={"capacity": 1}, by=None)
    return person


def make_event(school, days=3, **kw):
    start = timezone.now() + datetime.timedelta(days=days)
    return Event.objects.create(
        organisation=school, kind=kw.pop("kind", "session"), title="Установочная сессия",
        starts_at=start, ends_at=start + datetime.timedelta(hours=2), place="Каб. 12",
        audience=kw.pop("audience", "mentors"), **kw,
    )  # fmt: skip


@on_school_day
def test_form_refuses_a_date_before_last_school_year_and_wrong_order(curator_client, school):
    url = reverse("events:create", args=[school.pk])
    data = {"kind": "session", "title": "Сессия", "audience": "mentors", "place": "Зал",
            "starts_at": "2020-01-10T10:00", "ends_at": "2020-01-10T09:00"}  # fmt: skip
    page = curator_client.post(url, data)
    assert sorted(errors(page)) == sorted(
        [
            "Дата раньше 01.09.2025: проверьте год — задним числом вносят мероприятия этого и "
            "прошлого учебного года.",
            "Окончание должно быть позже начала.",
        ]
    )
    assert not Event.objects.exists()


def test_invitations_carry_an_ics_and_are_sent_once(school, django_capture_on_commit_callbacks):
    m = mentor(school, last_name="Наставникова")
    event = make_event(school)
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(event, [m]) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(event, [m]) == 0  # nobody twice
    assert len(mail.outbox) == 1
    name, content, mimetype = mail.outbox[0].attachments[0]
    assert (name, mimetype) == ("event.ics", "text/calendar")
    calendar = Calendar.from_ical(content)
    vevent = next(c for c in calendar.walk() if c.name == "VEVENT")
    assert "Установочная сессия" in str(vevent["summary"])


def test_register_once_and_attendance_with_uninvited_and_guests(school):
    m = mentor(school)
    other = PersonFactory(organisation=school)
    event = make_event(school)
    invite(event, [m])
    register(event, m)
    with pytest.raises(EventError, match="Вы уже записаны"):
        register(event, m)
    with pytest.raises(EventError, match="Отмечать присутствие можно"):
        mark_attendance(event, {m.pk}, [])
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    event.refresh_from_db()
    mark_attendance(event, {m.pk, other.pk}, ["Иванова И. И. (гимназия № 3)"])
    seats = {s.name: s for s in Participant.objects.filter(event=event)}
    assert seats[m.full_name].attended
    assert seats[other.full_name].uninvited
    assert seats["Иванова И. И. (гимназия № 3)"].attended


def test_materials_of_an_event_go_to_the_library(curator_client, school):
    event = make_event(school)
    curator_client.post(
        reverse("events:detail", args=[school.pk, event.pk]),
        {"action": "material", "kind": "material", "title": "Презентация сессии",
         "audience": "mentors",
         "body": "Роли наставника и наставляемого, классное руководство"},
    )  # fmt: skip
    material = Material.objects.get()
    assert material.source_event == event
    assert list(search(Material.objects.all(), "классного руководства")) == [material]


def test_calendar_feeds_by_secret_link(client, school):
    m = mentor(school)
    event = make_event(school)
    invite(event, [m])
    response = client.get(f"/ical/{feed_token('person', m.pk)}.ics")
    assert response["Content-Type"].startswith("text/calendar")
    assert b"SUMMARY" in response.content
    school_feed = client.get(f"/ical/{feed_token('school', school.pk)}.ics")
    assert school_feed.status_code == 200
    assert client.get("/ical/forged.ics").status_code == 404


def test_it_refuses_a_control_character_in_a_guest_name_and_marks_nothing(school):
    m = mentor(school)
    event = make_event(school)
    invite(event, [m])
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    event.refresh_from_db()
    with pytest.raises(EventError) as error:
        mark_attendance(event, {m.pk}, ["Иванова\x18 И. И."])
    assert error.value.message == (
        "Поле «Гости» содержит невидимый управляющий символ U+0018 (знак № 8). Такие символы "
        "попадают при копировании из других программ: удалите его и сохраните снова."
    )
    assert list(Participant.objects.filter(event=event).values_list("attended", flat=True)) == [
        False
    ]


def test_it_refuses_a_control_character_in_the_resolutions(curator_client, school):
    event = make_event(school)
    response = curator_client.post(
        reverse("events:detail", args=[school.pk, event.pk]),
        {"action": "resolutions", "resolutions": "Решили\x0b продолжить"},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Поле «Итоги и решения» содержит невидимый управляющий символ U+000B (знак № 7). Такие "
        "символы попадают при копировании из других программ: удалите его и сохраните снова."
    ]
    event.refresh_from_db()
    assert event.resolutions == ""
