"""The notification centre owns notifications, their deliveries per channel and preferences.

A `Notification` is the in-app entry and the ledger: its (recipient, key) is unique, so the
same event never reaches a person twice. Each channel other than the in-app list gets a
`Delivery` row that the background task works through (retries, quiet hours, the digest).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.orgs.models import Organisation
from apps.orgs.tenancy import OrgQuerySet


class NotificationQuerySet(OrgQuerySet):
    def for_user(self, user) -> NotificationQuerySet:
        return self.filter(recipient=user, in_app=True)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("вид"), max_length=40)
    key = models.CharField(max_length=200)
    title = models.CharField(_("заголовок"), max_length=300)
    text = models.TextField(_("текст"))
    url = models.CharField(_("ссылка"), max_length=500)
    actions = models.JSONField(default=list, blank=True)
    priority = models.CharField(max_length=10, default="normal")
    # Off when the user turned the in-app channel off for this kind: the row stays the ledger.
    in_app = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(_("прочитано"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("уведомление")
        verbose_name_plural = _("уведомления")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")
        ]
        indexes = [
            models.Index(
                fields=["recipient", "in_app", "read_at"], name="notification_recipient_read"
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_new"),
        ]

    def __str__(self) -> str:
        return self.title


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("В очереди")
    POSTPONED = "postponed", _("Отложено (тихие часы)")
    DIGEST = "digest", _("В дневной сводке")
    RETRYING = "retrying", _("Повтор")
    SENT = "sent", _("Отправлено")
    FAILED = "failed", _("Не отправлено")


WAITING = (DeliveryStatus.QUEUED, DeliveryStatus.POSTPONED, DeliveryStatus.RETRYING)


class DeliveryQuerySet(OrgQuerySet):
    org_field = "notification__organisation"


class Delivery(models.Model):
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("канал"), max_length=20)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    due_at = models.DateTimeField(_("отправить не раньше"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("доставка уведомления")
        verbose_name_plural = _("доставки уведомлений")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="delivery_once_per_channel"
            )
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="delivery_status_due")]

    def __str__(self) -> str:
        return f"{self.channel}: {self.get_status_display()}"


class Preferences(models.Model):
    """A user's quiet hours and digest choice; per-kind switches are `ChannelSwitch` rows."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_prefs"
    )
    quiet_from = models.TimeField(_("тихие часы с"), null=True, blank=True)
    quiet_to = models.TimeField(_("тихие часы до"), null=True, blank=True)
    digest = models.BooleanField(_("письма одной сводкой за день"), default=False)
    digest_sent_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("настройки уведомлений")
        verbose_name_plural = _("настройки уведомлений")

    def __str__(self) -> str:
        return f"Настройки уведомлений: {self.user}"


class ChannelSwitch(models.Model):
    """A user's choice for one kind and channel, differing from the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_switches"
    )
    kind = models.CharField(max_length=40)
    channel = models.CharField(max_length=20)
    enabled = models.BooleanField()

    class Meta:
        verbose_name = _("выбор канала")
        verbose_name_plural = _("выбор каналов")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "channel"], name="switch_once_per_kind_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.channel}: {self.enabled}"


class SchoolSettings(models.Model):
    """What a school sets for the reminders."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="notification_settings"
    )
    quiet_unit_days = models.PositiveSmallIntegerField(
        _("сообщать о паре без встреч через, дней"), default=21
    )

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("настройки напоминаний школы")
        verbose_name_plural = _("настройки напоминаний школ")

    def __str__(self) -> str:
        return f"Напоминания: {self.organisation}"
