"""The set-password letter of a new account, sent by a background task with retries.

The letter is pending while the account has no usable password and has never logged in; each
new role granted meanwhile queues it again (`services.grant_role`), so an invitation lost to a
mail server that was down is re-sent by simply inviting the person once more.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import default_task_backend, task

from apps.orgs.models import Organisation, User

log = logging.getLogger(__name__)


def retry_delay(attempts: int) -> datetime.timedelta:
    """Exponential back-off for mail: MAIL_RETRY_BASE_SECONDS, doubled each time, at most 6 h."""
    seconds = settings.MAIL_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, 6 * 3600))


def invitation_pending(user: User) -> bool:
    return not user.has_usable_password() and user.last_login is None


def send_invitation(*, user: User, org: Organisation, base_url: str) -> None:
    """E-mail a link to set the password (the password-reset flow of Django, so tokens expire).

    Called by the background task `send_set_password_mail`; raises when the mail server fails.
    """
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    link = base_url.rstrip("/") + path
    send_mail(
        subject=f"Приглашение в систему «Наставник» — {org.short_name}",
        message=(
            f"Здравствуйте!\n\nВам открыт доступ к системе наставничества «{org.short_name}».\n"
            f"Чтобы задать пароль и войти, перейдите по ссылке:\n{link}\n\n"
            "Если вы не ждали этого письма, просто проигнорируйте его."
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )


@task()
def send_set_password_mail(user_id: int, org_id: int, base_url: str, attempt: int = 1) -> str:
    user = User.objects.filter(pk=user_id).first()
    org = Organisation.objects.filter(pk=org_id).first()
    if user is None or org is None or not invitation_pending(user):
        return "skipped"
    try:
        send_invitation(user=user, org=org, base_url=base_url)
    except Exception as error:  # SMTP down or refusing: try later, never fail the request
        log.warning("set-password mail to user %s (attempt %s) failed: %r", user_id, attempt, error)
        if attempt < settings.MAIL_MAX_ATTEMPTS and default_task_backend.supports_defer:
            later = send_set_password_mail.using(run_after=timezone.now() + retry_delay(attempt))
            later.enqueue(user_id, org_id, base_url, attempt + 1)
            return "retrying"
        return "failed"
    return "sent"


@task()
def send_password_reset_mail(subject: str, body: str, to_email: str, attempt: int = 1) -> str:
    """The «Забыли пароль?» letter, rendered in the request and sent here with retries."""
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to_email])
    except Exception as error:  # SMTP down: try later, the visitor already saw «письмо отправлено»
        log.warning("password-reset mail (attempt %s) failed: %r", attempt, error)
        if attempt < settings.MAIL_MAX_ATTEMPTS and default_task_backend.supports_defer:
            later = send_password_reset_mail.using(run_after=timezone.now() + retry_delay(attempt))
            later.enqueue(subject, body, to_email, attempt + 1)
            return "retrying"
        return "failed"
    return "sent"
