"""notify(): once per key, consent, preferences, quiet hours, the digest, retries."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from apps.notifications import channels as registry
from apps.notifications.channels import DeliveryError, PermanentDeliveryError
from apps.notifications.mail import read_unsubscribe_token, unsubscribe_token
from apps.notifications.models import ChannelSwitch, Delivery, Notification, Preferences
from apps.notifications.reminders import send_due_reminders
from apps.notifications.services import notify
from apps.notifications.tasks import deliver_due
from apps.orgs.choices import Role
from apps.orgs.models import Organisation
from apps.people.consents import withdraw_consent
from tests.clock import MOSCOW, on_school_day

from .helpers import account

pytestmark = [on_school_day, pytest.mark.django_db]


@pytest.fixture
def person(school):
    return account(school, Role.CURATOR, "me@s1.example.org")


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def go(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return go


def tell(run, recipient, key="news:1", event="news_proposed"):
    org_id = (
        Organisation.objects.filter(kind="school").order_by("pk").values_list("pk", flat=True)[0]
    )
    context = {"post": "Состоялась сессия", "org_id": org_id, "post_id": 7}
    return run(notify, recipient, event, key=key, context=context)


def test_it_sends_an_in_app_notification_and_a_letter_with_both_parts(person, run):
    note = tell(run, person)
    edit = f"/o/{person.organisation_id}/news/7/edit/"
    assert (note.recipient, note.title, note.url) == (
        person.user, "Черновик новости: Состоялась сессия", edit,
    )  # fmt: skip
    [letter] = mail.outbox
    assert letter.to == [person.user.email]
    assert "Проверьте текст и опубликуйте." in letter.body
    [(html, kind)] = letter.alternatives
    assert kind == "text/html"
    assert f"http://127.0.0.1:8000/o/{person.organisation_id}/news/7/edit/" in html
    assert letter.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Delivery.objects.get().status == "sent"


def test_it_never_sends_the_same_key_twice(person, run):
    tell(run, person)
    assert tell(run, person) is None
    assert tell(run, person.user) is None  # a Person and its account are one recipient
    assert (Notification.objects.count(), len(mail.outbox)) == (1, 1)


def test_it_sends_nothing_after_the_processing_consent_is_withdrawn(person, run):
    withdraw_consent(consent=person.consents.get(kind="processing"))
    assert tell(run, person) is None
    assert (Notification.objects.count(), len(mail.outbox)) == (0, 0)


def test_it_sends_nothing_to_a_person_without_an_account(school, run):
    from tests.factories import PersonFactory

    assert tell(run, PersonFactory(organisation=school)) is None
    assert Notification.objects.count() == 0


def test_it_keeps_a_channel_the_user_turned_off_silent(person, run):
    ChannelSwitch.objects.create(user=person.user, kind="news_proposed", channel="email",
                                 enabled=False)  # fmt: skip
    note = tell(run, person)
    assert note.in_app is True
    assert (Delivery.objects.count(), len(mail.outbox)) == (0, 0)


def test_it_hides_the_in_app_entry_when_that_channel_is_off(person, run):
    ChannelSwitch.objects.create(user=person.user, kind="news_proposed", channel="in_app",
                                 enabled=False)  # fmt: skip
    tell(run, person)
    assert list(Notification.objects.for_user(person.user)) == []
    assert len(mail.outbox) == 1


def test_it_postpones_letters_in_quiet_hours_and_sends_them_after(person, run):
    Preferences.objects.create(user=person.user, quiet_from=datetime.time(21),
                               quiet_to=datetime.time(8))  # fmt: skip
    with time_machine.travel(datetime.datetime(2026, 12, 1, 22, 30, tzinfo=MOSCOW)):
        tell(run, person)
        delivery = Delivery.objects.get()
        assert delivery.status == "postponed"
        assert timezone.localtime(delivery.due_at).isoformat() == "2026-12-02T08:00:00+03:00"
        assert run(deliver_due) == 0
    assert len(mail.outbox) == 0
    with time_machine.travel(datetime.datetime(2026, 12, 2, 8, 1, tzinfo=MOSCOW)):
        assert run(deliver_due) == 1
    assert len(mail.outbox) == 1


def test_it_gathers_a_days_letters_into_one_digest(person, run, settings):
    settings.NOTIFY_DIGEST_HOUR = 18
    Preferences.objects.create(user=person.user, digest=True)
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, 0, tzinfo=MOSCOW)):
        tell(run, person, key="a")
        tell(run, person, key="b")
        run(send_due_reminders)
        assert len(mail.outbox) == 0
    with time_machine.travel(datetime.datetime(2026, 12, 1, 18, 5, tzinfo=MOSCOW)):
        run(send_due_reminders)
        run(send_due_reminders)  # once a day
    [letter] = mail.outbox
    assert letter.subject == "Наставник: 2 уведомления за день"
    assert letter.body.count("Черновик новости: Состоялась сессия") == 2
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_it_sends_urgent_kinds_at_once_despite_the_digest(school, person, run):
    Preferences.objects.create(user=person.user, digest=True)
    run(notify, person, "document_signing", key="d", context={
        "document": "Приказ", "number": "1", "date": "01.12.2026", "org_id": school.pk,
        "document_id": 1})  # fmt: skip
    assert len(mail.outbox) == 1


class Flaky:
    code, label = "flaky", "Нестабильный"

    def __init__(self, error):
        self.error, self.sent = error, []

    def available_for(self, user):
        return True

    def send(self, message):
        if self.error:
            raise self.error
        self.sent.append(message)


@pytest.fixture
def flaky():
    saved = registry.channels()
    channel = Flaky(DeliveryError("timeout"))
    registry.register_channel(channel)
    yield channel
    registry._CHANNELS.clear()
    registry._CHANNELS.update(saved)


def test_it_retries_a_temporary_failure_and_records_a_permanent_one(person, run, flaky):
    tell(run, person)
    delivery = Delivery.objects.get(channel="flaky")
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("retrying", 1, "timeout")
    flaky.error = None
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1)):
        run(deliver_due)
    assert Delivery.objects.get(channel="flaky").status == "sent"
    [message] = flaky.sent
    assert message.url == f"http://127.0.0.1:8000/o/{person.organisation_id}/news/7/edit/"

    flaky.error = PermanentDeliveryError("бот заблокирован")
    tell(run, person, key="news:2")
    failed = Delivery.objects.get(channel="flaky", notification__key="news_proposed:news:2")
    assert (failed.status, failed.last_error) == ("failed", "бот заблокирован")


def test_it_reads_back_its_own_unsubscribe_token_only():
    token = unsubscribe_token(5, "task_due")
    assert read_unsubscribe_token(token) == (5, "task_due")
    assert read_unsubscribe_token(token[:-2] + "xx") is None
    assert read_unsubscribe_token("999999") is None
