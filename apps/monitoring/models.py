"""Regional monitoring exchange: a municipality or a region asks its schools for a form of
indicators (apps.monitoring.regional has the catalogue with codes); each school's curator
reviews the computed figures, comments and submits; the methodist returns or collects."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.orgs.models import Organisation
from apps.orgs.tenancy import OrgQuerySet


class FormQuerySet(OrgQuerySet):
    def above(self, school: Organisation) -> FormQuerySet:
        """The forms a school answers: those of the organisations above it."""
        return self.filter(organisation_id__in=school.ancestor_ids()[:-1])


class MonitoringForm(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="monitoring_forms"
    )
    title = models.CharField(_("название"), max_length=300)
    year = models.CharField(_("учебный год"), max_length=9)
    deadline = models.DateField(_("срок сдачи"))
    indicators = models.JSONField(_("показатели"), default=list)  # codes of regional.INDICATORS
    allow_late = models.BooleanField(_("принимать после срока"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = FormQuerySet.as_manager()

    class Meta:
        verbose_name = _("форма мониторинга")
        verbose_name_plural = _("формы мониторинга")
        ordering = ["-deadline", "-pk"]

    def __str__(self) -> str:
        return self.title


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Заполняется")
    SUBMITTED = "submitted", _("Отправлена")
    RETURNED = "returned", _("Возвращена на доработку")


class FormSubmission(models.Model):
    """One school's answer to a form: the figures as submitted and a comment per indicator."""

    form = models.ForeignKey(MonitoringForm, on_delete=models.CASCADE, related_name="submissions")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="monitoring_submissions"
    )
    status = models.CharField(
        _("статус"), max_length=10, choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
    )  # fmt: skip
    values = models.JSONField(default=dict)  # {code: number or None}, fixed when submitted
    comments = models.JSONField(default=dict)  # {code: text}
    late = models.BooleanField(_("после срока"), default=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    return_reason = models.TextField(_("что исправить"), blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("ответ школы на форму мониторинга")
        verbose_name_plural = _("ответы школ на формы мониторинга")
        constraints = [
            models.UniqueConstraint(fields=["form", "organisation"], name="submission_once")
        ]

    def __str__(self) -> str:
        return f"{self.form}: {self.organisation}"
