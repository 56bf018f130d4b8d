"""E-mail backends for tests: a mail server that is down, or refuses some addresses."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class DownBackend(LocmemBackend):
    """Every letter fails as if the SMTP server dropped the connection."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class PartlyDownBackend(LocmemBackend):
    """Letters to @down.example.org fail like DownBackend; the others land in mail.outbox."""

    def send_messages(self, messages):
        if any(to.endswith("@down.example.org") for m in messages for to in m.to):
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


class RefusingBackend(LocmemBackend):
    """The server refuses every recipient."""

    def send_messages(self, messages):
        refused = {to: (550, b"No such user") for m in messages for to in m.to}
        raise smtplib.SMTPRecipientsRefused(refused)
