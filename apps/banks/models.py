"""Mentee and mentor banks: one profile per person per academic year, built from the
questionnaires and the staff register, or filled in by the curator after an interview.

Nobody is shown in a bank without a valid consent to personal-data processing: bank queries
start from `Person.objects.with_valid_consent("processing")`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.orgs.models import Organisation
from apps.orgs.tenancy import OrgQuerySet
from apps.people.models import Person


class BankKind(models.TextChoices):
    MENTEE = "mentee", _("Банк наставляемых")
    MENTOR = "mentor", _("Банк наставников")


class ProfileStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Кандидат")
    IN_BANK = "in_bank", _("В банке")
    PAIRED = "paired", _("В паре")
    FINISHED = "finished", _("Завершил")
    LEFT = "left", _("Выбыл")


class ProfileSource(models.TextChoices):
    SURVEY = "survey", _("Анкета")
    MANUAL = "manual", _("Заполнено куратором (собеседование)")


class Profile(models.Model):
    """A person's entry in the mentee or the mentor bank for one academic year."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="bank_profiles"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="bank_profiles")
    kind = models.CharField(_("банк"), max_length=10, choices=BankKind.choices)
    year = models.CharField(_("учебный год"), max_length=9)
    status = models.CharField(
        _("статус"), max_length=20, choices=ProfileStatus.choices, default=ProfileStatus.IN_BANK
    )
    # Competency id (as text) → level: needs of a mentee, strengths of a mentor.
    competencies = models.JSONField(_("компетенции"), default=dict, blank=True)
    capacity = models.PositiveSmallIntegerField(_("может взять наставляемых"), default=0)
    forms = models.JSONField(_("формы наставничества"), default=list, blank=True)
    availability = models.JSONField(_("удобное время"), default=list, blank=True)
    motivation = models.TextField(_("мотивация / ожидания"), blank=True)
    source = models.CharField(
        _("источник"), max_length=10, choices=ProfileSource.choices, default=ProfileSource.SURVEY
    )
    invitation = models.ForeignKey(
        "surveys.Invitation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(_("заметки куратора"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("профиль в банке")
        verbose_name_plural = _("профили в банках")
        ordering = ["person__last_name", "person__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "year"], name="bank_profile_unique_per_year"
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__lte=10), name="bank_profile_capacity_sane"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "kind", "year"], name="bank_org_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person} ({self.year})"


class ProfileOwnedQuerySet(OrgQuerySet):
    org_field = "profile__organisation"


class ProfileChange(models.Model):
    """Who changed a profile, when and what (for the curator and the person)."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="changes")
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.CharField(_("что изменено"), max_length=500)

    objects = ProfileOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return self.summary
