"""The bell, the list with filters, marking read, preferences and the unsubscribe link."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.notifications.mail import unsubscribe_token
from apps.notifications.models import ChannelSwitch, Notification, Preferences, SchoolSettings
from conftest import client_for
from tests.clock import on_school_day
from tests.html import errors, text_of

pytestmark = [on_school_day, pytest.mark.django_db]
LIST = reverse("notifications:list")


def note(user, n=1, **extra):
    return Notification.objects.create(
        recipient=user, kind=extra.pop("kind", "task_due"), key=f"k{n}",
        title=f"Уведомление {n}", text="Текст", url="/my/units/", **extra,
    )  # fmt: skip


def test_it_lists_only_the_users_own_notifications(mentor, curator, mentor_client):
    note(mentor, 1)
    note(curator, 2)
    page = mentor_client.get(LIST)
    assert page.status_code == 200
    assert text_of(page, ".notification-title") == "Не прочитано: Уведомление 1"


def test_it_filters_by_kind_and_state(mentor, mentor_client):
    from django.utils import timezone

    note(mentor, 1, kind="task_due")
    note(mentor, 2, kind="task_overdue", read_at=timezone.now())
    assert text_of(mentor_client.get(LIST, {"state": "read"}), ".notification-title") == (
        "Уведомление 2"
    )
    assert text_of(mentor_client.get(LIST, {"kind": "task_due"}), ".notification-title") == (
        "Не прочитано: Уведомление 1"
    )
    assert mentor_client.get(LIST, {"kind": "нет такого\x00"}).status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_it_lists_in_the_same_number_of_queries(mentor, mentor_client, count,
                                                django_assert_num_queries):  # fmt: skip
    for n in range(count):
        note(mentor, n)
    with django_assert_num_queries(8):
        assert mentor_client.get(LIST).status_code == 200


def test_it_marks_one_read_and_opens_it(mentor, mentor_client):
    n = note(mentor)
    url = reverse("notifications:open", args=[n.pk])
    assert mentor_client.get(url).status_code == 405
    response = mentor_client.post(url)
    assert response.status_code == 302
    assert response.url == "/my/units/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_it_answers_404_for_another_users_notification(curator, mentor_client):
    theirs = note(curator)
    assert mentor_client.post(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    for pk in (999999, 99999999999999999999):
        assert mentor_client.post(reverse("notifications:open", args=[pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_it_marks_all_read(mentor, curator, mentor_client):
    note(mentor, 1)
    note(mentor, 2)
    note(curator, 3)
    assert mentor_client.get(reverse("notifications:read-all")).status_code == 302
    assert Notification.objects.unread().count() == 3  # a GET changes nothing
    mentor_client.post(reverse("notifications:read-all"), {"next": "https://evil.example/"})
    assert Notification.objects.unread().count() == 1


def test_it_shows_the_unread_count_on_the_bell(mentor, mentor_client):
    note(mentor, 1)
    note(mentor, 2)
    page = mentor_client.get(reverse("notifications:bell"))
    assert text_of(page, ".notification-count") == "2"
    assert mentor_client.get(LIST).content.decode().count('id="notification-bell"') == 1


def test_it_saves_switches_quiet_hours_and_the_digest(mentor, mentor_client):
    url = reverse("notifications:preferences")
    assert mentor_client.get(url).status_code == 200
    switches = [
        "task_due:in_app",
        "task_overdue:in_app",
        "task_overdue:email",
        "task_overdue:max",
        "x:y",
    ]
    data = {"quiet_from": "21:00", "quiet_to": "07:30", "digest": "on", "on": switches}
    assert mentor_client.post(url, data).status_code == 302
    prefs = Preferences.objects.get(user=mentor)
    assert (str(prefs.quiet_from), str(prefs.quiet_to), prefs.digest) == (
        "21:00:00",
        "07:30:00",
        True,
    )
    assert ("task_due", "email", False) in set(
        ChannelSwitch.objects.values_list("kind", "channel", "enabled")
    )
    assert not ChannelSwitch.objects.filter(kind="task_overdue").exists()  # the defaults


def test_it_refuses_half_given_quiet_hours(mentor, mentor_client):
    page = mentor_client.post(reverse("notifications:preferences"), {"quiet_from": "21:00"})
    assert errors(page) == [
        "Тихие часы: укажите и начало, и конец — или оставьте оба поля пустыми."
    ]
    assert not Preferences.objects.exists()


def test_it_unsubscribes_from_one_kind_by_the_letters_link(mentor, client):
    url = reverse("notifications:unsubscribe", args=[unsubscribe_token(mentor.pk, "task_due")])
    page = client.get(url)
    assert page.status_code == 200
    assert "Срок задачи через 3 дня" in page.content.decode()
    assert not ChannelSwitch.objects.exists()  # a GET (a mail scanner) changes nothing
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert list(ChannelSwitch.objects.values_list("user", "kind", "channel", "enabled")) == [
        (mentor.pk, "task_due", "email", False)
    ]


def test_it_answers_404_for_a_forged_unsubscribe_link(mentor, client):
    token = unsubscribe_token(mentor.pk, "task_due")
    assert client.post(reverse("notifications:unsubscribe", args=[token + "x"])).status_code == 404
    assert (
        client_for(mentor).get(reverse("notifications:unsubscribe", args=["0"])).status_code == 404
    )


def test_it_saves_the_schools_days_without_meetings(school, curator_client):
    url = reverse("notifications:school-settings", args=[school.pk])
    assert curator_client.get(url).status_code == 200
    assert not SchoolSettings.objects.exists()  # a GET writes nothing
    assert errors(curator_client.post(url, {"quiet_unit_days": "99999"})) == ["Не больше 365 дней."]
    assert curator_client.post(url, {"quiet_unit_days": "10"}).status_code == 302
    assert SchoolSettings.objects.get(organisation=school).quiet_unit_days == 10


def test_it_refuses_a_malformed_time_and_control_characters(mentor_client):
    url = reverse("notifications:preferences")
    page = mentor_client.post(url, {"quiet_from": "25:99", "quiet_to": "\x00"})
    assert page.status_code == 200
    assert len(errors(page)) == 2
    assert mentor_client.get(LIST, {"page": "99999999999999999999"}).status_code == 200
