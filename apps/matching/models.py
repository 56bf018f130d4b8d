"""Stored matching runs, self-choice requests and network proposals.

A run keeps everything needed to reopen and compare it later without the banks: the inputs
as the core saw them (a snapshot), the settings and pins, the optimal result, and the pairs
as the curator edited them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.orgs.models import Organisation
from apps.orgs.tenancy import OrgQuerySet
from apps.people.models import Person


class RunScope(models.TextChoices):
    SCHOOL = "school", _("Школа")
    NETWORK = "network", _("Сеть школ")


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("Предложение")
    CONFIRMED = "confirmed", _("Подтверждён")


class JobState(models.TextChoices):
    """Where a run's computation is: done, waiting for the worker, computing, or failed."""

    READY = "ready", _("Готов")
    QUEUED = "queued", _("В очереди")
    RUNNING = "running", _("Считается")
    FAILED = "failed", _("Ошибка")


class Grouping(models.TextChoices):
    PAIRS = "pairs", _("Пары «один на один»")
    GROUPS = "groups", _("Одна группа на наставника")


class MatchingRun(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="matching_runs"
    )
    scope = models.CharField(
        _("уровень"), max_length=10, choices=RunScope.choices, default=RunScope.SCHOOL
    )
    year = models.CharField(_("учебный год"), max_length=9)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # {"weights": {...}, "min_mentor_experience": 3, "objective": "count_then_score"}
    options = models.JSONField(_("параметры"), default=dict)
    pinned = models.JSONField(_("закреплённые пары"), default=list, blank=True)
    forbidden = models.JSONField(_("запрещённые пары"), default=list, blank=True)
    snapshot = models.JSONField(_("входные данные"), default=dict)
    result = models.JSONField(_("оптимальное распределение"), default=dict)
    # [[mentee id, mentor id], ...] — the proposal as the curator edited it.
    pairs = models.JSONField(_("пары после правки"), default=list, blank=True)
    edited = models.BooleanField(_("правился вручную"), default=False)
    # Counts for the run list, so it never loads snapshots.
    mentee_count = models.PositiveIntegerField(default=0)
    mentor_count = models.PositiveIntegerField(default=0)
    matched_count = models.PositiveIntegerField(default=0)
    status = models.CharField(
        _("статус"), max_length=10, choices=RunStatus.choices, default=RunStatus.DRAFT
    )
    confirmed_at = models.DateTimeField(_("подтверждён"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A run above a school's size is computed by a background task (services.solve_run).
    job = models.CharField(
        _("расчёт"), max_length=10, choices=JobState.choices, default=JobState.READY
    )
    progress = models.PositiveSmallIntegerField(_("готово, %"), default=100)
    job_error = models.TextField(_("ошибка расчёта"), blank=True)

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("подбор наставников")
        verbose_name_plural = _("подборы наставников")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="run_org_created")]

    def __str__(self) -> str:
        return f"Подбор №{self.pk} от {self.created_at:%d.%m.%Y %H:%M}"

    @property
    def is_ready(self) -> bool:
        return self.job == JobState.READY


class MatchingSettings(models.Model):
    """Per-school choices: default weights and whether mentees may choose mentors themselves."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="matching_settings"
    )
    weights = models.JSONField(_("веса критериев"), default=dict, blank=True)
    self_choice = models.BooleanField(
        _("наставляемые сами выбирают наставника"),
        default=False,
        help_text=_(
            "Наставляемый видит пять подходящих наставников с пояснениями и отправляет запрос "
            "одному из них; наставник принимает или отклоняет, куратор утверждает."
        ),
    )

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("настройки подбора")
        verbose_name_plural = _("настройки подбора")

    def __str__(self) -> str:
        return f"Подбор: {self.organisation}"


class RequestStatus(models.TextChoices):
    SENT = "sent", _("Отправлен наставнику")
    ACCEPTED = "accepted", _("Наставник согласен, ждёт куратора")
    DECLINED = "declined", _("Наставник отказался")
    APPROVED = "approved", _("Утверждён, пара сформирована")
    REJECTED = "rejected", _("Куратор отклонил")
    WITHDRAWN = "withdrawn", _("Отозван наставляемым")


OPEN_REQUEST_STATUSES = (RequestStatus.SENT, RequestStatus.ACCEPTED)
MAX_OPEN_REQUESTS = 2


class MentorRequest(models.Model):
    """Self-choice: a mentee asks a mentor; the mentor answers; the curator approves."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="mentor_requests"
    )
    mentee = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="sent_requests")
    mentor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="got_requests")
    message = models.TextField(_("сообщение наставнику"), blank=True, max_length=1000)
    score = models.JSONField(_("совпадение на момент запроса"), default=dict)
    status = models.CharField(
        _("статус"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.SENT
    )
    answer = models.TextField(_("ответ"), blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey(
        "programs.MentoringUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("запрос наставнику")
        verbose_name_plural = _("запросы наставникам")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee", "mentor"],
                condition=Q(status__in=["sent", "accepted"]),
                name="request_one_open_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentee} → {self.mentor}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST_STATUSES


class Decision(models.TextChoices):
    PENDING = "pending", _("Ждёт решения")
    ACCEPTED = "accepted", _("Согласовано")
    DECLINED = "declined", _("Отклонено")


class RunOwnedQuerySet(OrgQuerySet):
    org_field = "run__organisation"


class NetworkProposal(models.Model):
    """A cross-school pair proposed by a methodist; both schools' curators confirm it."""

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="proposals")
    mentee = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    mentee_org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    mentor_org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    score = models.JSONField(_("совпадение"), default=dict)
    mentee_side = models.CharField(
        _("школа наставляемого"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    mentor_side = models.CharField(
        _("школа наставника"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    note = models.CharField(_("комментарий"), max_length=500, blank=True)
    unit = models.ForeignKey(
        "programs.MentoringUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RunOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("сетевое предложение пары")
        verbose_name_plural = _("сетевые предложения пар")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.mentee} ↔ {self.mentor}"

    @property
    def decision(self) -> str:
        if Decision.DECLINED in (self.mentee_side, self.mentor_side):
            return Decision.DECLINED
        if self.mentee_side == self.mentor_side == Decision.ACCEPTED:
            return Decision.ACCEPTED
        return Decision.PENDING
