"""Recording after the fact: a past event entered late, attendance at any time after the start,
badges that follow the marks, and the personal link for people without an account."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.events.models import Event, Participant
from apps.events.services import EventError, invite, mark_attendance, respond
from apps.events.tests.test_events import make_event, mentor
from tests.clock import on_school_day
from tests.factories import UserFactory
from tests.html import texts

pytestmark = on_school_day

LAST_WEEK = {
    "kind": "session", "title": "Установочная сессия", "audience": "mentors", "place": "Зал",
    "starts_at": "2026-11-24T15:00", "ends_at": "2026-11-24T17:00",
}  # fmt: skip


def test_it_creates_a_past_event_marked_as_entered_late(curator_client, school):
    response = curator_client.post(reverse("events:create", args=[school.pk]), LAST_WEEK)
    event = Event.objects.get()
    assert response.status_code == 302
    assert (event.entered_late, event.created_by is not None) == (True, True)
    page = curator_client.get(reverse("events:detail", args=[school.pk, event.pk]))
    assert texts(page, "#entered-late") == ["внесено задним числом"]
    listing = curator_client.get(reverse("events:list", args=[school.pk]))
    assert texts(listing, "td .badge.text-bg-secondary") == ["внесено задним числом"]


def test_an_upcoming_event_is_not_marked_late(curator_client, school):
    data = {**LAST_WEEK, "starts_at": "2026-12-10T15:00", "ends_at": "2026-12-10T17:00"}
    curator_client.post(reverse("events:create", args=[school.pk]), data)
    assert Event.objects.get().entered_late is False


def test_editing_keeps_the_mark_and_the_head_may_enter_late(head_client, school):
    head_client.post(reverse("events:create", args=[school.pk]), LAST_WEEK)
    event = Event.objects.get()
    head_client.post(
        reverse("events:edit", args=[school.pk, event.pk]), {**LAST_WEEK, "title": "Сессия №1"}
    )
    event.refresh_from_db()
    assert (event.title, event.entered_late) == ("Сессия №1", True)


def test_it_refuses_creation_to_a_mentor_and_another_school(mentor_client, outsider_client, school):
    url = reverse("events:create", args=[school.pk])
    assert mentor_client.post(url, LAST_WEEK).status_code == 403
    assert outsider_client.post(url, LAST_WEEK).status_code == 404
    assert not Event.objects.exists()


def test_attendance_of_a_late_event_adds_people_as_invited_and_changes_badges(
    curator_client, school
):
    curator_client.post(reverse("events:create", args=[school.pk]), LAST_WEEK)
    event = Event.objects.get()
    came, absent = mentor(school, "a@example.org"), mentor(school, "b@example.org")
    Participant.objects.create(event=event, person=absent)
    url = reverse("events:detail", args=[school.pk, event.pk])
    curator_client.post(url, {"action": "attendance", "present": [came.pk]})
    seats = {s.person_id: s for s in event.participants.all()}
    assert (seats[came.pk].attended, seats[came.pk].uninvited) == (True, False)
    page = curator_client.get(url)
    assert sorted(texts(page, ".seat-state")) == ["отсутствовал(а)", "присутствовал(а)"]
    assert texts(page, ".badge.text-bg-warning") == []


def test_badges_say_invited_until_attendance_is_marked(school, curator_client):
    m = mentor(school)
    event = make_event(school, days=-1)  # started yesterday
    Participant.objects.create(event=event, person=m, invited_at=timezone.now())
    url = reverse("events:detail", args=[school.pk, event.pk])
    assert texts(curator_client.get(url), ".seat-state") == ["приглашён(а)"]
    mark_attendance(event, set(), [])
    assert texts(curator_client.get(url), ".seat-state") == ["отсутствовал(а)"]


def test_attendance_is_refused_before_the_start(school):
    event = make_event(school, days=2)
    with pytest.raises(EventError):
        mark_attendance(event, set(), [])
    event.refresh_from_db()
    assert event.attendance_marked_at is None


def test_attendance_a_week_later_is_accepted(school):
    event = make_event(school, days=-7)
    m = mentor(school)
    mark_attendance(event, {m.pk}, [])
    assert list(event.participants.values_list("person_id", "attended")) == [(m.pk, True)]


def test_a_person_without_an_account_gets_a_personal_link(
    school, django_capture_on_commit_callbacks
):
    m = mentor(school, "noacc@example.org")
    event = make_event(school)
    with django_capture_on_commit_callbacks(execute=True):
        invite(event, [m])
    seat = event.participants.get()
    assert reverse("events:answer", args=[seat.token]) in mail.outbox[0].body


def test_a_person_with_an_account_is_sent_to_my_events(school, django_capture_on_commit_callbacks):
    m = mentor(school, "acc@example.org", user=UserFactory(email="acc@example.org"))
    event = make_event(school)
    with django_capture_on_commit_callbacks(execute=True):
        invite(event, [m])
    assert reverse("events:my") in mail.outbox[0].body
    assert "/e/" not in mail.outbox[0].body


def test_the_personal_link_confirms_and_declines(school, curator_client):
    m = mentor(school)
    event = make_event(school)
    seat = Participant.objects.create(event=event, person=m, invited_at=timezone.now())
    link = reverse("events:answer", args=[seat.token])
    anonymous = Client()
    page = anonymous.get(link)
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    assert anonymous.post(link, {"answer": "yes"}).status_code == 302
    seat.refresh_from_db()
    assert (seat.registered_at is not None, seat.declined_at) == (True, None)
    anonymous.post(link, {"answer": "no"})
    seat.refresh_from_db()
    assert (seat.registered_at, seat.declined_at is not None) == (None, True)
    detail = curator_client.get(reverse("events:detail", args=[school.pk, event.pk]))
    assert texts(detail, ".seat-state") == ["не сможет"]


def test_the_personal_link_refuses_bad_input_and_forged_keys(school):
    m = mentor(school)
    seat = Participant.objects.create(event=make_event(school), person=m)
    link = reverse("events:answer", args=[seat.token])
    response = Client().post(link, {"answer": "maybe\x00"}, follow=True)
    assert texts(response, ".alert-danger") == ["Выберите ответ: приду или не смогу."]
    seat.refresh_from_db()
    assert (seat.registered_at, seat.declined_at) == (None, None)
    assert Client().get(reverse("events:answer", args=["forged"])).status_code == 404
    assert Client().get(reverse("events:answer", args=[seat.token + "x"])).status_code == 404


def test_a_survey_key_does_not_open_an_invitation(school):
    from apps.core.links import sign_link

    m = mentor(school)
    seat = Participant.objects.create(event=make_event(school), person=m)
    survey_key = sign_link(seat.pk, 0, salt="surveys.invitation")
    assert Client().get(reverse("events:answer", args=[survey_key])).status_code == 404


def test_the_personal_link_closes_when_the_event_is_over(school):
    m = mentor(school)
    seat = Participant.objects.create(event=make_event(school, days=-1), person=m)
    with pytest.raises(EventError):
        respond(seat, coming=True)
    page = Client().get(reverse("events:answer", args=[seat.token]))
    assert "Мероприятие уже прошло" in page.content.decode()


def test_an_anonymised_persons_link_no_longer_opens(school):
    m = mentor(school)
    seat = Participant.objects.create(event=make_event(school), person=m)
    m.anonymised_at = datetime.datetime(2026, 11, 30, tzinfo=datetime.UTC)
    m.save()
    assert Client().get(reverse("events:answer", args=[seat.token])).status_code == 404


def test_my_events_show_absent_once_attendance_is_marked(school):
    m = mentor(school, "me@example.org", user=UserFactory(email="me@example.org"))
    event = make_event(school, days=-1)
    Participant.objects.create(event=event, person=m, invited_at=timezone.now())
    client = Client()
    client.force_login(m.user)
    assert texts(client.get(reverse("events:my")), ".list-group-item .badge") == []
    mark_attendance(event, set(), [])
    assert texts(client.get(reverse("events:my")), ".list-group-item .badge") == ["отсутствовал(а)"]
