"""After a withdrawn consent the person's notifications go and their name leaves the others'."""

import datetime

import pytest
from django.utils import timezone

from apps.notifications.models import Notification, Preferences
from apps.notifications.services import notify
from apps.orgs.choices import Role
from apps.people.consents import destroy_withdrawn_data, withdraw_consent
from apps.people.models import Consent

from .helpers import account

pytestmark = pytest.mark.django_db


def test_it_deletes_the_persons_notifications_and_scrubs_their_name(school, curator):
    person = account(school, Role.MENTEE, "gone@s1.example.org")
    person.last_name, person.first_name, person.middle_name = "Семёнова", "Анна", "Петровна"
    person.save()
    notify(person, "task_due", key="t", context={"task": "Урок", "due": "01.12.2026",
                                                 "unit_id": 1, "task_id": 1,
                                                 "org_id": school.pk})  # fmt: skip
    Preferences.objects.create(user=person.user, digest=True)
    notify(curator, "request_received", key="r", context={"mentee": person.short_name,
                                                          "org_id": school.pk})  # fmt: skip
    consent = person.consents.get(kind="processing")
    withdraw_consent(consent=consent)
    Consent.objects.filter(pk=consent.pk).update(
        withdrawn_at=timezone.now() - datetime.timedelta(days=31)
    )
    [act] = destroy_withdrawn_data()
    assert not Notification.objects.filter(recipient=person.user).exists()
    assert not Preferences.objects.exists()
    text = Notification.objects.get(recipient=curator).text
    assert "Семёнова" not in text
    assert "уведомления сотрудника (1)" in act.destroyed_lines
    assert "ФИО в уведомлениях других пользователей (1)" in act.destroyed_lines
