"""The in-app and e-mail channels of the notification centre.

E-mail: a plain-text part and an HTML part, each with a link to unsubscribe from this kind
(a signed token, no login needed) and the List-Unsubscribe / List-Unsubscribe-Post headers
of RFC 8058, so a mail client's «Отписаться» works in one click.
"""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse

from apps.notifications.channels import DeliveryError, Message, PermanentDeliveryError
from apps.notifications.kinds import ALL_KINDS, KINDS
from apps.orgs.models import User


class InAppChannel:
    """The list behind the bell: the Notification row is the message, nothing to send."""

    code = "in_app"
    label = "В системе"

    def available_for(self, user) -> bool:
        return True

    def send(self, message: Message) -> None:
        return None


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


UNSUBSCRIBE_SALT = "notifications.unsubscribe"
UNSUBSCRIBE_MAX_AGE = 400 * 24 * 3600  # a link in an old letter keeps working for a year


def unsubscribe_token(user_id: int, event: str) -> str:
    return signing.dumps({"u": user_id, "k": event}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    if data.get("k") != ALL_KINDS and data.get("k") not in KINDS:
        return None
    return data["u"], data["k"]


def message_of(note) -> Message:
    return Message(
        recipient_id=note.recipient_id,
        kind=note.kind,
        title=note.title,
        text=note.text,
        url=absolute(note.url),
        actions=tuple((label, absolute(path)) for label, path in note.actions),
        key=note.key,
    )


def unsubscribe_url(user_id: int, kind: str) -> str:
    return absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id, kind)]))


def email_message(
    *, to: str, subject: str, items: list[tuple[Message, str]], unsubscribe: str
) -> EmailMultiAlternatives:
    """A letter of one or more items, each (message, its unsubscribe-from-this-kind link);
    `unsubscribe` is the one-click link of the headers."""
    context = {
        "items": items, "unsubscribe": unsubscribe, "subject": subject, "digest": len(items) > 1,
        "settings_url": absolute(reverse("notifications:preferences")),
    }  # fmt: skip
    letter = EmailMultiAlternatives(
        subject,
        render_to_string("notifications/email.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    letter.attach_alternative(render_to_string("notifications/email.html", context), "text/html")
    return letter


class EmailChannel:
    code = "email"
    label = "Почта"

    def available_for(self, user) -> bool:
        return bool(user.email) and user.is_active

    def send(self, message: Message) -> None:
        email = (
            User.objects.filter(pk=message.recipient_id, is_active=True)
            .values_list("email", flat=True)
            .first()
        )
        if not email:
            raise PermanentDeliveryError("у получателя нет адреса электронной почты")
        link = unsubscribe_url(message.recipient_id, message.kind)
        send_letter(
            email_message(to=email, subject=message.title, items=[(message, link)],
                          unsubscribe=link)
        )  # fmt: skip


def send_letter(letter: EmailMultiAlternatives, connection=None) -> None:
    letter.connection = connection or get_connection()
    try:
        letter.send()
    except smtplib.SMTPRecipientsRefused as error:
        raise PermanentDeliveryError("почтовый сервер отклонил адрес") from error
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryError(f"почтовый сервер недоступен ({error})") from error
