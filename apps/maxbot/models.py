"""The MAX bot: which MAX user a person linked, one-time link codes, updates already handled
and notifications already sent (so a replayed update or a retried delivery does nothing twice).

No phone numbers: a link is only MAX's numeric user id, learnt when the person sends the bot
the code shown on their profile page.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MaxLink(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="max_link"
    )
    max_user_id = models.BigIntegerField(_("ID пользователя MAX"), unique=True)
    linked_at = models.DateTimeField(_("подключён"), auto_now_add=True)
    # Set when MAX answered 403 (the user stopped or blocked the bot); /start clears it.
    blocked_at = models.DateTimeField(_("бот остановлен"), null=True, blank=True)

    class Meta:
        verbose_name = _("подключение MAX")
        verbose_name_plural = _("подключения MAX")

    def __str__(self) -> str:
        return f"MAX {self.max_user_id} → {self.user_id}"


class LinkCode(models.Model):
    """A short-lived, single-use code; only its SHA-256 is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="max_codes"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("код подключения MAX")
        verbose_name_plural = _("коды подключения MAX")
        indexes = [models.Index(fields=["user"], name="maxcode_user")]

    def __str__(self) -> str:
        return f"code of {self.user_id}"


class ProcessedUpdate(models.Model):
    """An update (webhook or long polling) already handled, by its key."""

    key = models.CharField(max_length=200, unique=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("обработанное событие MAX")
        verbose_name_plural = _("обработанные события MAX")

    def __str__(self) -> str:
        return self.key


class SentMessage(models.Model):
    """A notification delivered to MAX, by the notification's idempotency key."""

    key = models.CharField(max_length=200, unique=True)
    mid = models.CharField(max_length=100, blank=True)
    sent_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("отправленное сообщение MAX")
        verbose_name_plural = _("отправленные сообщения MAX")

    def __str__(self) -> str:
        return self.key


class PollState(models.Model):
    """The long-polling marker of `manage.py max_poll` (one row)."""

    marker = models.BigIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("маркер опроса MAX")
        verbose_name_plural = _("маркер опроса MAX")

    def __str__(self) -> str:
        return f"marker {self.marker}"
