"""Who changed what and when: personal data, consents, roles, units, programmes, documents."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.orgs.models import Organisation
from apps.orgs.tenancy import OrgQuerySet


class Action(models.TextChoices):
    CREATE = "create", _("Создание")
    UPDATE = "update", _("Изменение")
    DELETE = "delete", _("Удаление")
    VIEW = "view", _("Просмотр карточки")
    ANONYMISE = "anonymise", _("Обезличивание")
    IMPORT = "import", _("Загрузка из файла")


class AuditEventQuerySet(OrgQuerySet):
    path_field = "org_path"


class AuditEvent(models.Model):
    at = models.DateTimeField(_("когда"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    user_label = models.CharField(_("кто"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    org_path = models.CharField(max_length=255, db_index=True, blank=True)
    action = models.CharField(_("действие"), max_length=10, choices=Action.choices)
    model = models.CharField(_("что"), max_length=60)
    object_id = models.CharField(max_length=40, blank=True)
    object_label = models.CharField(_("объект"), max_length=300, blank=True)
    person_id = models.PositiveIntegerField(null=True, blank=True, db_index=True)
    changes = models.JSONField(_("изменения"), default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("запись журнала")
        verbose_name_plural = _("журнал действий")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["org_path", "at"], name="audit_path_at")]

    def __str__(self) -> str:
        return (
            f"{self.at:%d.%m.%Y %H:%M} {self.user_label}: {self.get_action_display()} {self.model}"
        )
