"""API keys: a key acts for one organisation (and its subtree) with one role and a scope.

Only the SHA-256 of a key is stored; the key itself is shown once, when it is created.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.orgs.choices import Role
from apps.orgs.models import Organisation
from apps.orgs.tenancy import OrgQuerySet


class Scope(models.TextChoices):
    READ = "read", _("Только чтение")
    WRITE = "write", _("Чтение и изменение")


class ApiTokenQuerySet(OrgQuerySet):
    def active(self) -> ApiTokenQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("организация"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("название"), max_length=200)
    role = models.CharField(_("роль"), max_length=20, choices=Role.choices)
    scope = models.CharField(_("доступ"), max_length=10, choices=Scope.choices, default=Scope.READ)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("начало ключа"), max_length=8, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("создал"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)
    expires_at = models.DateTimeField(_("действует до"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("отозван"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("последнее обращение"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API-ключ")
        verbose_name_plural = _("API-ключи")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="apitoken_org")]

    def __str__(self) -> str:
        return f"{self.name} (nst_{self.prefix}…)"

    @property
    def can_write(self) -> bool:
        return self.scope == Scope.WRITE

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired
