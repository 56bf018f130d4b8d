"""Event invitations go out from background tasks; a letter that failed is recorded and sent
again by the next «Пригласить»."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from apps.events.models import InvitationMail, MailStatus, Participant
from apps.events.tasks import send_invitation
from apps.events.tests.test_events import make_event, mentor
from tests.html import text_of

pytestmark = pytest.mark.django_db

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
DOWN_ERROR = "Почтовый сервер недоступен или не принял письмо (Connection unexpectedly closed)."


def press_invite(client, school, event, capture):
    with capture(execute=True):
        # The callbacks (the background tasks) run when the block ends, before returning.
        return client.post(
            reverse("events:detail", args=[school.pk, event.pk]), {"action": "invite"}
        )


def test_it_saves_the_invitations_and_records_the_failure_when_smtp_is_down(
    settings, curator_client, school, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.mail_backends.DownBackend"
    first = mentor(school, email="a@example.org", last_name="Аверина")
    second = mentor(school, email="b@example.org", last_name="Борисова")
    event = make_event(school)
    response = press_invite(curator_client, school, event, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Приглашено: 2. Письма с файлом для календаря отправляются в фоне — что с ними, "
        "видно в разделе «Письма-приглашения»."
    ]
    assert set(event.participants.values_list("person_id", flat=True)) == {first.pk, second.pk}
    rows = InvitationMail.objects.order_by("email").values_list(
        "email", "status", "attempts", "last_error", "sent_at"
    )
    assert list(rows) == [
        ("a@example.org", MailStatus.FAILED, 1, DOWN_ERROR, None),
        ("b@example.org", MailStatus.FAILED, 1, DOWN_ERROR, None),
    ]
    assert mail.outbox == []
    page = curator_client.get(reverse("events:detail", args=[school.pk, event.pk]))
    assert page.context["mails"]["failed"] == 2
    assert text_of(page, "#mail-counts") == "Отправлено: 0 · в очереди: 0 · не отправлено: 2"


def test_it_sends_again_only_the_letters_that_did_not_go(
    settings, curator_client, school, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.mail_backends.PartlyDownBackend"
    mentor(school, email="a@example.org")
    mentor(school, email="b@down.example.org")
    event = make_event(school)
    press_invite(curator_client, school, event, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    settings.EMAIL_BACKEND = LOCMEM
    response = press_invite(curator_client, school, event, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["a@example.org"], ["b@down.example.org"]]
    assert Participant.objects.filter(event=event).count() == 2
    sent = InvitationMail.objects.order_by("email").values_list("email", "status", "last_error")
    assert list(sent) == [
        ("a@example.org", MailStatus.SENT, ""),
        ("b@down.example.org", MailStatus.SENT, ""),
    ]
    assert InvitationMail.objects.filter(sent_at__isnull=True).count() == 0
    # A third press sends nothing: everybody has the letter.
    press_invite(curator_client, school, event, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2


def test_it_sends_again_to_the_corrected_address(
    settings, school, django_capture_on_commit_callbacks
):
    from apps.events.services import invite

    settings.EMAIL_BACKEND = "tests.mail_backends.RefusingBackend"
    person = mentor(school, email="typo@example.org")
    event = make_event(school)
    with django_capture_on_commit_callbacks(execute=True):
        invite(event, [person])
    letter = InvitationMail.objects.get()
    assert (letter.status, letter.last_error) == (
        MailStatus.FAILED,
        "Почтовый сервер отклонил адрес — проверьте e-mail сотрудника.",
    )
    person.email = "right@example.org"
    person.save()
    settings.EMAIL_BACKEND = LOCMEM
    with django_capture_on_commit_callbacks(execute=True):
        invite(event, [person])
    assert [m.to for m in mail.outbox] == [["right@example.org"]]


def test_it_schedules_a_retry_when_the_backend_can_defer(
    settings, school, django_capture_on_commit_callbacks
):
    from apps.events.services import invite

    settings.EMAIL_BACKEND = "tests.mail_backends.DownBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.MAIL_RETRY_BASE_SECONDS = 60
    event = make_event(school)
    with django_capture_on_commit_callbacks(execute=True):
        invite(event, [mentor(school, email="a@example.org")])
    letter = InvitationMail.objects.get()
    assert letter.status == MailStatus.QUEUED  # only queued: the dummy backend runs nothing
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_invitation.call(letter.pk) == MailStatus.RETRYING
    letter.refresh_from_db()
    assert (letter.attempts, letter.last_error) == (1, DOWN_ERROR)
    assert before + datetime.timedelta(seconds=60) <= letter.next_attempt_at
    assert letter.next_attempt_at <= timezone.now() + datetime.timedelta(seconds=60)
    from django_tasks import default_task_backend

    retry = default_task_backend.results[-1]
    assert (retry.args, retry.task.run_after) == ([letter.pk], letter.next_attempt_at)


def test_it_gives_up_after_the_last_attempt(settings, school, django_capture_on_commit_callbacks):
    from apps.events.services import invite

    settings.EMAIL_BACKEND = "tests.mail_backends.DownBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.MAIL_MAX_ATTEMPTS = 2
    event = make_event(school)
    with django_capture_on_commit_callbacks(execute=True):
        invite(event, [mentor(school, email="a@example.org")])
    letter = InvitationMail.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_invitation.call(letter.pk) == MailStatus.RETRYING
        assert send_invitation.call(letter.pk) == MailStatus.FAILED
    letter.refresh_from_db()
    assert (letter.status, letter.attempts, letter.next_attempt_at) == (MailStatus.FAILED, 2, None)
