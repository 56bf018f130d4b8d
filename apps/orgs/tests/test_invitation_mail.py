"""The set-password letter goes from a background task: a mail server that is down never
fails the request, and inviting again re-sends a letter that was lost."""

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from apps.orgs.models import Membership, User
from apps.orgs.tasks import send_password_reset_mail, send_set_password_mail

pytestmark = pytest.mark.django_db

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
NEW = {"email": "new.teacher@example.org", "full_name": "Новикова Ольга", "role": "mentor"}


def grant(client, school, capture, **data):
    with capture(execute=True):
        # The callbacks (the background task) run when the block ends, before returning.
        return client.post(reverse("orgs:member-list", args=[school.pk]), {**NEW, **data})


def test_it_grants_the_role_when_the_mail_server_is_down(
    settings, curator_client, school, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.mail_backends.DownBackend"
    response = grant(curator_client, school, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Роль назначена. Письмо с приглашением поставлено в очередь на отправку."
    ]
    user = User.objects.get(email="new.teacher@example.org")
    assert Membership.objects.filter(user=user, organisation=school, role="mentor").exists()
    assert mail.outbox == []


def test_it_sends_a_lost_invitation_when_invited_again(
    settings, curator_client, school, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.mail_backends.DownBackend"
    grant(curator_client, school, django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = LOCMEM
    grant(curator_client, school, django_capture_on_commit_callbacks, role="mentee")
    assert [m.to for m in mail.outbox] == [["new.teacher@example.org"]]
    assert "http://testserver/accounts/reset/" in mail.outbox[0].body


def test_it_does_not_invite_again_once_the_password_is_set(
    curator_client, school, django_capture_on_commit_callbacks
):
    grant(curator_client, school, django_capture_on_commit_callbacks)
    user = User.objects.get(email="new.teacher@example.org")
    user.set_password("Nastavnik-2026!")
    user.last_login = timezone.now()
    user.save()
    grant(curator_client, school, django_capture_on_commit_callbacks, role="mentee")
    assert len(mail.outbox) == 1


def test_it_schedules_a_retry_when_the_backend_can_defer(settings, school):
    settings.EMAIL_BACKEND = "tests.mail_backends.DownBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.MAIL_RETRY_BASE_SECONDS = 60
    settings.MAIL_MAX_ATTEMPTS = 2
    user = User.objects.create(email="new.teacher@example.org")
    user.set_unusable_password()
    user.save()
    before = timezone.now()
    assert send_set_password_mail.call(user.pk, school.pk, "http://testserver/") == "retrying"
    retry = default_task_backend.results[-1]
    assert retry.args == [user.pk, school.pk, "http://testserver/", 2]
    assert (retry.task.run_after - before).total_seconds() >= 60
    assert send_set_password_mail.call(*retry.args) == "failed"


def test_it_answers_the_password_reset_when_the_mail_server_is_down(settings, client, school):
    settings.EMAIL_BACKEND = "tests.mail_backends.DownBackend"
    user = User.objects.create_user(email="teacher@example.org", password="old-secret-Pass-1")
    response = client.post(reverse("password_reset"), {"email": user.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_it_sends_the_password_reset_letter_from_the_task(settings, client, school):
    settings.EMAIL_BACKEND = LOCMEM
    user = User.objects.create_user(email="teacher@example.org", password="old-secret-Pass-1")
    client.post(reverse("password_reset"), {"email": user.email})
    assert [m.to for m in mail.outbox] == [["teacher@example.org"]]
    assert "/reset/" in mail.outbox[0].body


def test_it_retries_the_password_reset_letter_when_the_backend_can_defer(settings):
    # Django itself only logs a failed reset letter; the task tries again later.
    settings.EMAIL_BACKEND = "tests.mail_backends.DownBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.MAIL_MAX_ATTEMPTS = 2
    assert send_password_reset_mail.call("Тема", "Текст", "t@example.org") == "retrying"
    retry = default_task_backend.results[-1]
    assert retry.args == ["Тема", "Текст", "t@example.org", 2]
    assert send_password_reset_mail.call(*retry.args) == "failed"
