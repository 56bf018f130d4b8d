"""Background e-mail of personal links for electronic consents (run by `manage.py db_worker`).

As with survey invitations (apps/surveys/tasks.py): one letter a person over one connection,
each delivered one stamped at once, a failed one keeps its error for the curator and is tried
again later — nobody gets the same letter twice.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone
from django_tasks import default_task_backend, task

from apps.people.econsent import link_url
from apps.people.models import ConsentRequest

log = logging.getLogger(__name__)


def _letter(request: ConsentRequest) -> EmailMessage:
    person = request.person
    org = person.organisation
    body = (
        f"Здравствуйте, {person.first_name} {person.middle_name}!\n\n"
        f"{org.short_name} просит вас дать согласие «{request.get_kind_display()}» в "
        "электронной форме. По личной ссылке откроется полный текст согласия; прочитайте его "
        "и подтвердите кодом, который придёт на этот адрес:\n"
        f"{link_url(request)}\n\n"
        f"Ссылка действует до {request.expires_on:%d.%m.%Y}. Ссылка личная — не пересылайте её. "
        "Если вы не хотите давать согласие, просто не открывайте ссылку."
    )
    return EmailMessage(
        f"Согласие: {request.get_kind_display()}", body, settings.DEFAULT_FROM_EMAIL, [person.email]
    )


@task()
def send_consent_links(request_ids: list[int], attempt: int = 1) -> int:
    """E-mail the personal links of the requests not sent yet; return how many went."""
    pending = (
        ConsentRequest.objects.filter(
            pk__in=request_ids, sent_at__isnull=True, completed_at__isnull=True,
            revoked_at__isnull=True,
        )
        .exclude(person__email="")
        .select_related("person__organisation")
    )  # fmt: skip
    sent = failed = 0
    connection = get_connection()
    for request in pending:
        message = _letter(request)
        message.connection = connection
        try:
            message.send()
        except (smtplib.SMTPException, OSError) as error:
            log.warning("consent link mail for request %s failed: %r", request.pk, error)
            reason = (
                "почтовый сервер отклонил адрес"
                if isinstance(error, smtplib.SMTPRecipientsRefused)
                else "почтовый сервер недоступен — письмо будет отправлено позже"
            )
            ConsentRequest.objects.filter(pk=request.pk).update(mail_error=reason)
            failed += 1
            continue
        ConsentRequest.objects.filter(pk=request.pk).update(sent_at=timezone.now(), mail_error="")
        sent += 1
    if failed and attempt < settings.MAIL_MAX_ATTEMPTS and default_task_backend.supports_defer:
        delay = settings.MAIL_RETRY_BASE_SECONDS * 2 ** (attempt - 1)
        later = timezone.now() + datetime.timedelta(seconds=min(delay, 6 * 3600))
        send_consent_links.using(run_after=later).enqueue(request_ids, attempt + 1)
    return sent
