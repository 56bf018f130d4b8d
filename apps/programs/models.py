"""Mentoring units (pairs and groups), the school's dictionaries of forms of mentoring and
the limits from its Положение.

Rules that must never break are also database constraints: nobody mentors themselves, a
co-mentor is not the mentor, a mentee is in at most one active unit of the same format.
Capacity is enforced by locking the mentor's row while a unit is created or changed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.orgs.models import Organisation
from apps.orgs.tenancy import OrgQuerySet
from apps.people.models import Person


class DictionaryEntry(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("название"), max_length=200)
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)
    is_active = models.BooleanField(_("используется"), default=True)

    objects = OrgQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class PairingType(DictionaryEntry):
    """Who is paired: «педагог – педагог», «руководитель ОО – педагог», …"""

    class Meta(DictionaryEntry.Meta):
        verbose_name = _("вид наставничества (кто с кем)")
        verbose_name_plural = _("виды наставничества (кто с кем)")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="pairing_unique_name")
        ]


class FormatType(DictionaryEntry):
    """How: традиционное «один на один», групповое, виртуальное, реверсивное, …"""

    is_group = models.BooleanField(_("групповая форма"), default=False)

    class Meta(DictionaryEntry.Meta):
        verbose_name = _("форма наставничества")
        verbose_name_plural = _("формы наставничества")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="format_unique_name")
        ]


class ProgramSettings(models.Model):
    """Limits from the school's Положение о наставничестве (defaults from the model Положение)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="program_settings"
    )
    max_mentees_per_mentor = models.PositiveSmallIntegerField(
        _("наставляемых на одного наставника, не больше"), default=2
    )
    min_mentor_experience = models.PositiveSmallIntegerField(
        _("педагогический стаж наставника, не меньше (лет)"), default=3
    )
    min_months = models.PositiveSmallIntegerField(_("срок программы, от (мес.)"), default=3)
    max_months = models.PositiveSmallIntegerField(_("срок программы, до (мес.)"), default=12)

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("настройки наставничества")
        verbose_name_plural = _("настройки наставничества")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_months__lte=models.F("max_months")), name="settings_months_order"
            )
        ]

    def __str__(self) -> str:
        return f"Настройки: {self.organisation}"


class UnitStatus(models.TextChoices):
    DRAFT = "draft", _("Проект")
    ACTIVE = "active", _("Действует")
    COMPLETED = "completed", _("Завершена")
    TERMINATED = "terminated", _("Прекращена досрочно")


OPEN_STATUSES = (UnitStatus.DRAFT, UnitStatus.ACTIVE)


class EndedBy(models.TextChoices):
    MENTOR = "mentor", _("Наставник")
    MENTEE = "mentee", _("Наставляемый")
    SCHOOL = "school", _("Образовательная организация")


class MentoringUnit(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="mentoring_units"
    )
    year = models.CharField(_("учебный год"), max_length=9)
    mentor = models.ForeignKey(
        Person, verbose_name=_("наставник"), on_delete=models.PROTECT, related_name="units_led"
    )
    co_mentor = models.ForeignKey(
        Person,
        verbose_name=_("второй наставник"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units_co_led",
    )
    pairing = models.ForeignKey(
        PairingType, verbose_name=_("кто с кем"), on_delete=models.PROTECT, related_name="+"
    )
    format = models.ForeignKey(
        FormatType, verbose_name=_("форма"), on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField(_("начало"))
    end_date = models.DateField(_("плановое окончание"))
    status = models.CharField(
        _("статус"), max_length=20, choices=UnitStatus.choices, default=UnitStatus.DRAFT
    )
    ended_on = models.DateField(_("дата окончания"), null=True, blank=True)
    ended_by = models.CharField(
        _("по инициативе"), max_length=10, choices=EndedBy.choices, blank=True
    )
    notice_date = models.DateField(_("дата уведомления"), null=True, blank=True)
    end_reason = models.TextField(_("причина"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("наставническая пара / группа")
        verbose_name_plural = _("наставнические пары и группы")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="unit_org_status"),
            models.Index(fields=["mentor", "status"], name="unit_mentor_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__lt=models.F("end_date")), name="unit_dates_order"
            ),
            models.CheckConstraint(
                condition=~Q(co_mentor=models.F("mentor")), name="unit_co_mentor_not_mentor"
            ),
        ]

    def __str__(self) -> str:
        mentees = ", ".join(m.mentee.short_name for m in self.members.all())
        return f"{self.mentor.short_name} → {mentees}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class UnitOwnedQuerySet(OrgQuerySet):
    org_field = "unit__organisation"


class ProgrammeOwnedQuerySet(OrgQuerySet):
    org_field = "programme__unit__organisation"


class UnitMember(models.Model):
    """A mentee in a unit. Mentor and format are copied here so the database itself can
    refuse self-mentoring and a second open unit of the same format."""

    unit = models.ForeignKey(MentoringUnit, on_delete=models.CASCADE, related_name="members")
    mentee = models.ForeignKey(
        Person, verbose_name=_("наставляемый"), on_delete=models.PROTECT, related_name="units_in"
    )
    mentor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    format = models.ForeignKey(FormatType, on_delete=models.PROTECT, related_name="+")
    is_open = models.BooleanField(default=True)
    joined_on = models.DateField(_("с"))
    left_on = models.DateField(_("по"), null=True, blank=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("наставляемый в паре / группе")
        verbose_name_plural = _("наставляемые в парах / группах")
        constraints = [
            models.CheckConstraint(condition=~Q(mentee=models.F("mentor")), name="member_not_self"),
            models.UniqueConstraint(
                fields=["mentee", "format"],
                condition=Q(is_open=True),
                name="member_one_open_unit_per_format",
            ),
            models.UniqueConstraint(fields=["unit", "mentee"], name="member_once_per_unit"),
        ]

    def __str__(self) -> str:
        return str(self.mentee)


class MentorChange(models.Model):
    """Replacement of a mentor: the unit, its programme and history stay."""

    unit = models.ForeignKey(MentoringUnit, on_delete=models.CASCADE, related_name="mentor_changes")
    old_mentor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    new_mentor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    changed_on = models.DateField(_("дата замены"))
    reason = models.TextField(_("причина"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.old_mentor} → {self.new_mentor}"


class UnitHistory(models.Model):
    """What happened to a unit, in words, for its page: formed, edited while a draft, launched
    (by hand or by the signed order), mentor replaced, completed or ended early."""

    unit = models.ForeignKey(MentoringUnit, on_delete=models.CASCADE, related_name="history")
    happened_at = models.DateTimeField(_("когда"), auto_now_add=True)
    text = models.TextField(_("что изменилось"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("запись истории пары / группы")
        verbose_name_plural = _("история пар и групп")
        ordering = ["-happened_at", "-pk"]

    def __str__(self) -> str:
        return self.text


class Programme(models.Model):
    """ПНП — персонализированная программа наставничества of one unit."""

    unit = models.OneToOneField(MentoringUnit, on_delete=models.CASCADE, related_name="programme")
    goal = models.TextField(_("цель программы"), blank=True)
    difficulties = models.TextField(_("выявленные затруднения"), blank=True)
    version = models.PositiveSmallIntegerField(_("версия"), default=1)
    approved_on = models.DateField(_("утверждена"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("персонализированная программа наставничества")
        verbose_name_plural = _("персонализированные программы наставничества")

    def __str__(self) -> str:
        return f"ПНП: {self.unit}"


class TaskStatus(models.TextChoices):
    PLANNED = "planned", _("Запланировано")
    DONE = "done", _("Выполнено")
    POSTPONED = "postponed", _("Перенесено")
    FAILED = "failed", _("Не выполнено")


# A task still to be done: planned, or postponed to a new deadline.
PENDING = (TaskStatus.PLANNED, TaskStatus.POSTPONED)


def overdue_q(today, prefix: str = "") -> Q:
    """The one rule for an overdue task, as a filter: pending and its (new) deadline passed.

    `prefix` reaches tasks through a relation, e.g. "programme__tasks__" from a unit.
    """
    late = Q(**{f"{prefix}new_deadline__lt": today}) | Q(
        **{f"{prefix}new_deadline__isnull": True, f"{prefix}deadline__lt": today}
    )
    return Q(**{f"{prefix}status__in": PENDING}) & late


class TaskQuerySet(ProgrammeOwnedQuerySet):
    def overdue(self, today):
        return self.filter(overdue_q(today))


class Task(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="tasks")
    direction = models.CharField(_("направление"), max_length=200)
    title = models.CharField(_("задача / мероприятие"), max_length=500)
    deadline = models.DateField(_("срок"))
    responsible = models.ForeignKey(
        Person, verbose_name=_("ответственный"), on_delete=models.PROTECT, related_name="+"
    )
    # Empty for a task shared by the whole group; a mentee for a personal task.
    mentee = models.ForeignKey(
        Person,
        verbose_name=_("для наставляемого"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    expected_result = models.CharField(_("ожидаемый результат"), max_length=500, blank=True)
    work_form = models.CharField(_("форма работы"), max_length=200, blank=True)
    status = models.CharField(
        _("статус"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.PLANNED
    )
    new_deadline = models.DateField(_("новый срок"), null=True, blank=True)
    evidence_file = models.FileField(
        _("подтверждение (файл)"), upload_to="evidence/%Y/", blank=True
    )
    evidence_link = models.URLField(_("подтверждение (ссылка)"), blank=True)
    done_on = models.DateField(_("выполнено"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("задача ПНП")
        verbose_name_plural = _("задачи ПНП")
        ordering = ["deadline", "order", "pk"]
        indexes = [models.Index(fields=["programme", "status"], name="task_programme_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def due(self):
        return self.new_deadline or self.deadline

    def is_overdue(self, today) -> bool:
        """The rule of `overdue_q` for a loaded task."""
        return self.status in PENDING and self.due < today


class ProgrammeVersion(models.Model):
    """A snapshot of an approved programme taken before it was edited."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveSmallIntegerField()
    snapshot = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ProgrammeOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"Версия {self.version}"


class ProgrammeTemplate(models.Model):
    """A reusable ПНП: tasks with offsets from the unit's start (shipped or saved by a curator)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="programme_templates"
    )
    title = models.CharField(_("название"), max_length=300)
    format = models.ForeignKey(
        FormatType,
        verbose_name=_("для формы наставничества"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Пусто — подходит для любой формы."),
    )
    goal = models.TextField(_("цель"), blank=True)
    # [{"direction", "title", "days", "expected_result", "work_form", "responsible": "mentor"}]
    tasks = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("шаблон ПНП")
        verbose_name_plural = _("шаблоны ПНП")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "title"], name="programme_template_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("Очно")
    ONLINE = "online", _("Онлайн")


class Meeting(models.Model):
    """An entry of the meetings diary of a unit."""

    unit = models.ForeignKey(MentoringUnit, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("дата"))
    duration = models.PositiveSmallIntegerField(_("длительность, мин"), default=45)
    format = models.CharField(
        _("формат"), max_length=20, choices=MeetingFormat.choices, default=MeetingFormat.IN_PERSON
    )
    topic = models.CharField(_("тема"), max_length=300)
    outcome = models.TextField(_("итоги"), blank=True)
    next_steps = models.TextField(_("следующие шаги"), blank=True)
    tasks = models.ManyToManyField(Task, verbose_name=_("связанные задачи"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("встреча")
        verbose_name_plural = _("встречи")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["unit", "-date"], name="meeting_unit_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration__gte=5) & Q(duration__lte=600), name="meeting_duration_sane"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y}: {self.topic}"

    @property
    def is_planned(self) -> bool:
        """Dated after today: a planned meeting, not yet held."""
        return self.date > timezone.localdate()


class SupportKind(models.TextChoices):
    PSYCHOLOGIST = "psychologist", _("Консультация педагога-психолога")
    METHODIST = "methodist", _("Методическая поддержка")
    GROUP = "group", _("Групповое занятие")
    OTHER = "other", _("Другое")


class SupportAction(models.Model):
    """Психолого-педагогическая поддержка of a mentee still waiting for a mentor."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="support_actions"
    )
    mentee = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="support_actions")
    kind = models.CharField(_("вид поддержки"), max_length=20, choices=SupportKind.choices)
    date = models.DateField(_("дата"))
    responsible = models.ForeignKey(
        Person, verbose_name=_("ответственный"), on_delete=models.PROTECT, related_name="+"
    )
    result = models.TextField(_("результат"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("мера поддержки")
        verbose_name_plural = _("меры поддержки")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.mentee}"
