"""Survey engine: the school's competency catalogue, survey templates with sections and
questions, campaigns that send a template to chosen staff, personal invitations and answers.

Answers are stored per question (one row each) so a half-filled form is never lost and two
tabs saving different questions never overwrite each other.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.links import read_link, sign_link
from apps.orgs.models import Organisation
from apps.orgs.tenancy import OrgQuerySet
from apps.people.models import Person

TOKEN_SALT = "surveys.invitation"  # noqa: S105 — a signing namespace, not a secret


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Один вариант")
    MULTIPLE = "multiple", _("Несколько вариантов")
    SCALE = "scale", _("Шкала")
    TEXT = "text", _("Свободный ответ")
    DATE = "date", _("Дата")
    GRID = "grid", _("Сетка компетенций")


class SurveyPurpose(models.TextChoices):
    MENTEE_NEEDS = "mentee_needs", _("Запросы наставляемых (банк наставляемых)")
    MENTOR_PROFILE = "mentor_profile", _("Анкета наставника (банк наставников)")
    FEEDBACK_MENTEE = "feedback_mentee", _("Удовлетворённость наставляемого (мониторинг)")
    FEEDBACK_MENTOR = "feedback_mentor", _("Удовлетворённость наставника (мониторинг)")
    SELF_ASSESSMENT = "self_assessment", _("Самооценка компетенций (мониторинг)")
    OTHER = "other", _("Другое")


class Phase(models.TextChoices):
    # When a monitoring survey of a unit is taken: expectations vs. reality, pre vs. post.
    NONE = "", _("—")
    START = "start", _("Начало программы")
    END = "end", _("Завершение программы")


class ProfileField(models.TextChoices):
    # Where an answer goes when a bank profile is built from the survey.
    NONE = "", _("—")
    NEEDS = "needs", _("Затруднения / запросы (сетка)")
    STRENGTHS = "strengths", _("Сильные стороны (сетка)")
    SUBJECTS = "subjects", _("Предметы")
    CAPACITY = "capacity", _("Сколько наставляемых может взять")
    FORMS = "forms", _("Предпочитаемые формы наставничества")
    AVAILABILITY = "availability", _("Удобное время")
    MOTIVATION = "motivation", _("Мотивация")


class Competency(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="competencies"
    )
    name = models.CharField(_("компетенция"), max_length=200)
    description = models.CharField(_("пояснение"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)
    is_active = models.BooleanField(_("используется"), default=True)

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("компетенция")
        verbose_name_plural = _("компетенции")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="competency_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class SurveyTemplate(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="survey_templates"
    )
    title = models.CharField(_("название"), max_length=300)
    purpose = models.CharField(
        _("назначение"), max_length=20, choices=SurveyPurpose.choices, default=SurveyPurpose.OTHER
    )
    description = models.TextField(_("вступительный текст"), blank=True)
    version = models.PositiveSmallIntegerField(_("версия"), default=1)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_archived = models.BooleanField(_("в архиве"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("шаблон анкеты")
        verbose_name_plural = _("шаблоны анкет")
        ordering = ["title", "-version"]

    def __str__(self) -> str:
        return f"{self.title} (версия {self.version})" if self.version > 1 else self.title

    @property
    def has_answers(self) -> bool:
        """Once anybody answered, questions may be reworded but not removed or retyped."""
        return Answer.objects.filter(question__template=self).exists()


class TemplateOwnedQuerySet(OrgQuerySet):
    org_field = "template__organisation"


class Section(models.Model):
    template = models.ForeignKey(SurveyTemplate, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("раздел"), max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    objects = TemplateOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("раздел анкеты")
        verbose_name_plural = _("разделы анкеты")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    template = models.ForeignKey(SurveyTemplate, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("тип"), max_length=20, choices=QuestionKind.choices)
    text = models.CharField(_("вопрос"), max_length=500)
    help_text = models.CharField(_("подсказка"), max_length=500, blank=True)
    required = models.BooleanField(_("обязательный"), default=False)
    order = models.PositiveSmallIntegerField(default=0)
    choices = models.JSONField(_("варианты"), default=list, blank=True)
    scale_min = models.PositiveSmallIntegerField(_("шкала от"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("шкала до"), default=5)
    profile_field = models.CharField(
        _("поле профиля в банке"),
        max_length=20,
        choices=ProfileField.choices,
        default=ProfileField.NONE,
        blank=True,
    )

    objects = TemplateOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("вопрос")
        verbose_name_plural = _("вопросы")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scale_min__lt=models.F("scale_max")),
                name="question_scale_range",
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def scale_values(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))


class Campaign(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="survey_campaigns"
    )
    template = models.ForeignKey(SurveyTemplate, on_delete=models.PROTECT, related_name="campaigns")
    title = models.CharField(_("название опроса"), max_length=300)
    deadline = models.DateField(_("ответить до"))
    # Monitoring surveys belong to a unit and a phase of its programme.
    unit = models.ForeignKey(
        "programs.MentoringUnit", null=True, blank=True, on_delete=models.CASCADE,
        related_name="feedback_campaigns",
    )  # fmt: skip
    phase = models.CharField(_("этап программы"), max_length=5, choices=Phase.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("опрос")
        verbose_name_plural = _("опросы")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return timezone.localdate() <= self.deadline

    @property
    def link_expires_on(self) -> datetime.date:
        """The last day personal links open: the deadline plus a grace period to look back."""
        return self.deadline + datetime.timedelta(days=settings.SURVEY_LINK_DAYS_AFTER_DEADLINE)


class InvitationQuerySet(OrgQuerySet):
    org_field = "campaign__organisation"


class Invitation(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # Why the last letter did not go (empty once one went): shown to the curator.
    mail_error = models.CharField(max_length=200, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Bumped when the curator reissues the personal link: links of older versions stop working.
    link_version = models.PositiveIntegerField(default=0)
    # Set when the link is withdrawn for good (the person's data were destroyed).
    link_revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("приглашение")
        verbose_name_plural = _("приглашения")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], name="invitation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.person}"

    @property
    def token(self) -> str:
        """A signed personal link key: names one invitation and the link's version; cannot be
        forged or guessed."""
        return sign_link(self.pk, self.link_version, salt=TOKEN_SALT)

    @staticmethod
    def parse_token(token: str) -> tuple[int, int] | None:
        """(invitation pk, link version) from a link key, None for a forged one; links sent
        before links had versions are version 0."""
        return read_link(token, salt=TOKEN_SALT, bare_version=0)

    @property
    def link_expires_on(self) -> datetime.date:
        return self.campaign.link_expires_on


class AnswerQuerySet(OrgQuerySet):
    org_field = "invitation__campaign__organisation"


class Answer(models.Model):
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.JSONField(null=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("ответ")
        verbose_name_plural = _("ответы")
        constraints = [
            models.UniqueConstraint(fields=["invitation", "question"], name="answer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"
