"""Event invitations by e-mail: one background task per recipient, with retries.

Each invited participant with an address has an `InvitationMail`. A failed attempt (the mail
server is down, refuses the letter) is tried again with exponential back-off up to
`MAIL_MAX_ATTEMPTS` when the task backend can defer (the database backend run by
`manage.py db_worker`); an address the server refuses, the last attempt, or a backend that
cannot defer leaves the letter «не отправлено» with the reason, and the curator's «Пригласить»
queues it again (`services.invite`).
"""

from __future__ import annotations

import datetime
import logging
import smtplib

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task

from apps.events.letters import invitation_message
from apps.events.models import InvitationMail, MailStatus
from apps.orgs.tasks import retry_delay

log = logging.getLogger(__name__)


def queue(mail_id: int, run_after: datetime.datetime | None = None) -> None:
    job = send_invitation if run_after is None else send_invitation.using(run_after=run_after)
    job.enqueue(mail_id)


def describe(error: Exception) -> tuple[str, bool]:
    """The reason in Russian, and whether trying again may help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "Почтовый сервер отклонил адрес — проверьте e-mail сотрудника.", False
    if isinstance(error, (smtplib.SMTPException, OSError)):
        return f"Почтовый сервер недоступен или не принял письмо ({error}).", True
    return f"Ошибка при отправке письма ({type(error).__name__}).", True


@task()
def send_invitation(mail_id: int) -> str:
    with transaction.atomic():
        mail = (
            # Lock only the letter: PostgreSQL refuses FOR UPDATE on the nullable side of the
            # join to a guest participant's (absent) person.
            InvitationMail.objects.select_for_update(of=("self",))
            .select_related("participant__event__organisation", "participant__person")
            .filter(pk=mail_id)
            .first()
        )
        if mail is None or mail.status not in (MailStatus.QUEUED, MailStatus.RETRYING):
            return mail.status if mail else "missing"
        mail.status, mail.attempts = MailStatus.SENDING, mail.attempts + 1
        mail.save(update_fields=["status", "attempts", "updated_at"])
    seat = mail.participant
    try:
        invitation_message(seat, to=mail.email).send()
    except Exception as error:  # any failure is recorded on the letter, never lost
        return _failed(mail, error)
    mail.status, mail.sent_at, mail.last_error, mail.next_attempt_at = (
        MailStatus.SENT, timezone.now(), "", None,
    )  # fmt: skip
    mail.save(update_fields=["status", "sent_at", "last_error", "next_attempt_at", "updated_at"])
    return mail.status


def _failed(mail: InvitationMail, error: Exception) -> str:
    reason, retryable = describe(error)
    log.warning("event invitation %s (attempt %s) failed: %r", mail.pk, mail.attempts, error)
    mail.last_error = reason[:500]
    mail.next_attempt_at = None
    mail.status = MailStatus.FAILED
    if (
        retryable
        and mail.attempts < settings.MAIL_MAX_ATTEMPTS
        and default_task_backend.supports_defer
    ):
        mail.status = MailStatus.RETRYING
        mail.next_attempt_at = timezone.now() + retry_delay(mail.attempts)
    mail.save(update_fields=["status", "last_error", "next_attempt_at", "updated_at"])
    if mail.status == MailStatus.RETRYING:
        transaction.on_commit(lambda: queue(mail.pk, mail.next_attempt_at))
    return mail.status
