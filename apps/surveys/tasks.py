"""Background e-mail to survey respondents (run by `manage.py db_worker`).

Letters go one by one over one connection: each delivered one is stamped at once, a refused
or failed one keeps its error on the invitation (shown to the curator) and is tried again by a
later run — so a mail server that drops in the middle never sends anyone a letter twice.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend, task

from apps.surveys.models import Campaign, Invitation

log = logging.getLogger(__name__)


def _link(invitation: Invitation) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("surveys:answer", args=[invitation.token])


def _messages(invitations, subject: str, intro: str):
    for invitation in invitations:
        campaign = invitation.campaign
        body = (
            f"Здравствуйте, {invitation.person.first_name} {invitation.person.middle_name}!\n\n"
            f"{intro}\n«{campaign.title}» — {campaign.organisation.short_name}.\n"
            f"Ответить до {campaign.deadline:%d.%m.%Y} по личной ссылке (она действует до "
            f"{invitation.link_expires_on:%d.%m.%Y}):\n{_link(invitation)}\n\n"
            "Ответы сохраняются сразу; к анкете можно вернуться по той же ссылке. "
            "Ссылка личная — не пересылайте её."
        )
        yield (
            invitation,
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.person.email]),
        )


def _send(campaign_id: int, *, pending, subject: str, intro: str, stamp: str) -> tuple[int, int]:
    """Send the pending letters; return (sent, failed)."""
    campaign = Campaign.objects.select_related("organisation").get(pk=campaign_id)
    invitations = list(
        campaign.invitations.filter(**pending, link_revoked_at__isnull=True)
        .exclude(person__email="")
        .select_related("person", "campaign__organisation")
    )
    sent = failed = 0
    connection = get_connection()
    for invitation, message in _messages(invitations, _subject(subject, campaign.title), intro):
        message.connection = connection
        try:
            message.send()
        except (smtplib.SMTPException, OSError) as error:
            log.warning("survey mail to invitation %s failed: %r", invitation.pk, error)
            Invitation.objects.filter(pk=invitation.pk).update(mail_error=_reason(error))
            failed += 1
            continue
        Invitation.objects.filter(pk=invitation.pk).update(**{stamp: timezone.now()}, mail_error="")
        sent += 1
    return sent, failed


def _subject(kind: str, title: str) -> str:
    """«Анкета: …», but not «Анкета: Анкета потенциального наставника»."""
    if title.lower().startswith(kind.lower()):
        return title
    return f"{kind}: {title}"


def _reason(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "почтовый сервер отклонил адрес"
    return "почтовый сервер недоступен — письмо будет отправлено позже"


def _retry(task_fn, campaign_id: int, attempt: int, failed: int) -> None:
    if failed and attempt < settings.MAIL_MAX_ATTEMPTS and default_task_backend.supports_defer:
        delay = settings.MAIL_RETRY_BASE_SECONDS * 2 ** (attempt - 1)
        later = timezone.now() + datetime.timedelta(seconds=min(delay, 6 * 3600))
        task_fn.using(run_after=later).enqueue(campaign_id, attempt + 1)


@task()
def send_invitations(campaign_id: int, attempt: int = 1) -> int:
    """E-mail personal links to invited people who have an address and got none yet."""
    sent, failed = _send(
        campaign_id,
        pending={"sent_at__isnull": True},
        subject="Анкета",
        intro="Просим заполнить анкету",
        stamp="sent_at",
    )
    _retry(send_invitations, campaign_id, attempt, failed)
    return sent


@task()
def send_reminders(campaign_id: int, attempt: int = 1) -> int:
    """Remind those who have not sent the questionnaire yet."""
    sent, failed = _send(
        campaign_id,
        pending={"submitted_at__isnull": True},
        subject="Напоминание",
        intro="Напоминаем об анкете",
        stamp="reminded_at",
    )
    _retry(send_reminders, campaign_id, attempt, failed)
    return sent
