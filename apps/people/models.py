"""Staff register of each school and the 152-ФЗ consents ledger.

`Person` is a school employee (linked optionally to a login); `Consent` is one separate consent
document per person and type; `DestructionAct` records data destroyed after a withdrawal.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.orgs.models import Organisation
from apps.orgs.tenancy import OrgQuerySet
from apps.people.choices import (
    Category,
    ConsentKind,
    ConsentMethod,
    Gender,
    Level,
    PersonStatus,
)
from apps.people.normalize import name_key


class Subject(models.Model):
    name = models.CharField(_("предмет"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("предмет")
        verbose_name_plural = _("предметы")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(OrgQuerySet):
    def visible_to(self, user) -> PersonQuerySet:
        return self.filter(organisation__in=Organisation.objects.visible_to(user))

    def current(self) -> PersonQuerySet:
        return self.exclude(status=PersonStatus.ARCHIVED)

    def with_valid_consent(self, kind: str, on: datetime.date | None = None) -> PersonQuerySet:
        """People holding a valid consent of `kind` — banks and publications start from here."""
        return self.filter(pk__in=Consent.objects.valid(on).filter(kind=kind).values("person_id"))


class Person(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("организация"),
        on_delete=models.PROTECT,
        related_name="persons",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("учётная запись"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    last_name = models.CharField(_("фамилия"), max_length=100)
    first_name = models.CharField(_("имя"), max_length=100)
    middle_name = models.CharField(_("отчество"), max_length=100, blank=True)
    name_key = models.CharField(max_length=320, editable=False, db_index=True)
    birth_date = models.DateField(_("дата рождения"), null=True, blank=True)
    gender = models.CharField(_("пол"), max_length=6, choices=Gender.choices, blank=True)
    position = models.CharField(_("должность"), max_length=200)
    subjects = models.ManyToManyField(
        Subject, verbose_name=_("преподаваемые предметы"), blank=True, related_name="persons"
    )
    levels = models.CharField(_("уровни образования"), max_length=100, blank=True)
    teaching_experience = models.PositiveSmallIntegerField(
        _("педагогический стаж, лет"), null=True, blank=True
    )
    org_experience = models.PositiveSmallIntegerField(_("стаж в ОО, лет"), null=True, blank=True)
    category = models.CharField(
        _("квалификационная категория"),
        max_length=20,
        choices=Category.choices,
        default=Category.NONE,
    )
    mentor_title_since = models.DateField(
        _("категория «педагог-наставник» с"), null=True, blank=True
    )
    hired_on = models.DateField(_("дата приёма"), null=True, blank=True)
    # The employment contract a доп. соглашение (ст. 351.8 ТК РФ) amends.
    contract_number = models.CharField(_("номер трудового договора"), max_length=50, blank=True)
    contract_date = models.DateField(_("дата трудового договора"), null=True, blank=True)
    personnel_number = models.CharField(
        _("табельный номер"), max_length=20, blank=True,
        help_text=_("Как в 1С:Зарплата и кадры: по нему бухгалтерия загружает доплаты."),
    )  # fmt: skip
    education = models.CharField(_("образование"), max_length=300, blank=True)
    is_young_specialist = models.BooleanField(_("молодой специалист"), default=False)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("телефон"), max_length=50, blank=True)
    status = models.CharField(
        _("статус"), max_length=20, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )
    archived_at = models.DateTimeField(_("в архиве с"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("обезличен"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("сотрудник")
        verbose_name_plural = _("сотрудники")
        ordering = ["last_name", "first_name", "middle_name"]
        indexes = [
            models.Index(fields=["organisation", "name_key"], name="person_org_namekey"),
            models.Index(fields=["organisation", "status"], name="person_org_status"),
            models.Index(fields=["organisation", "last_name"], name="person_org_lastname"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.name_key = name_key(self.last_name, self.first_name, self.middle_name)
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def short_name(self) -> str:
        initials = "".join(f"{p[0]}." for p in (self.first_name, self.middle_name) if p)
        return f"{self.last_name} {initials}".strip()

    @property
    def level_codes(self) -> list[str]:
        return [code for code in self.levels.split(",") if code]

    def get_levels_display(self) -> str:
        labels = dict(Level.choices)
        return ", ".join(str(labels.get(code, code)) for code in self.level_codes)

    @property
    def age(self) -> int | None:
        if not self.birth_date:
            return None
        today = timezone.localdate()
        before_birthday = (today.month, today.day) < (self.birth_date.month, self.birth_date.day)
        return today.year - self.birth_date.year - before_birthday


class ConsentQuerySet(OrgQuerySet):
    org_field = "person__organisation"

    def valid(self, on: datetime.date | None = None) -> ConsentQuerySet:
        on = on or timezone.localdate()
        return self.filter(
            Q(withdrawn_at__isnull=True),
            Q(given_on__lte=on),
            Q(valid_until__isnull=True) | Q(valid_until__gte=on),
        )


class Consent(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("сотрудник"), on_delete=models.CASCADE, related_name="consents"
    )
    kind = models.CharField(_("вид согласия"), max_length=20, choices=ConsentKind.choices)
    purpose = models.TextField(_("цель обработки"))
    data_list = models.TextField(_("перечень персональных данных"))
    # Distribution only (ст. 10.1): the categories allowed for publication and extra conditions.
    allowed_items = models.JSONField(_("разрешено к распространению"), default=list, blank=True)
    conditions = models.TextField(_("условия и запреты"), blank=True)
    given_on = models.DateField(_("дата согласия"))
    valid_until = models.DateField(_("действует до"), null=True, blank=True)
    method = models.CharField(
        _("форма согласия"),
        max_length=20,
        choices=ConsentMethod.choices,
        default=ConsentMethod.PAPER,
    )
    scan = models.FileField(_("скан подписанного согласия"), upload_to="consents/%Y/", blank=True)
    # Electronic consents (by a personal link, confirmed with a code sent by e-mail): when, from
    # where, and the exact text the person agreed to with its SHA-256.
    signed_at = models.DateTimeField(_("подтверждено"), null=True, blank=True)
    signed_ip = models.GenericIPAddressField(_("IP-адрес"), null=True, blank=True)
    signed_user_agent = models.CharField(_("браузер"), max_length=500, blank=True)
    agreed_text = models.TextField(_("текст согласия"), blank=True)
    agreed_text_sha256 = models.CharField(_("SHA-256 текста"), max_length=64, blank=True)
    withdrawn_at = models.DateTimeField(_("отозвано"), null=True, blank=True)
    withdrawal_note = models.TextField(_("основание отзыва"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("внесено"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("согласие")
        verbose_name_plural = _("согласия")
        ordering = ["-given_on", "-pk"]
        indexes = [
            models.Index(fields=["person", "kind"], name="consent_person_kind"),
            models.Index(fields=["kind", "withdrawn_at"], name="consent_kind_withdrawn"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("given_on")),
                name="consent_term_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person}"

    def is_valid(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return (
            self.withdrawn_at is None
            and self.given_on <= on
            and (self.valid_until is None or self.valid_until >= on)
        )


class ConsentSettings(models.Model):
    """A school's choices about consents; a school without a row has the defaults."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="consent_settings"
    )
    electronic_allowed = models.BooleanField(
        _("Принимать согласия в электронной форме по личной ссылке"),
        default=False,
        help_text=_(
            "Сотрудник читает текст согласия по личной ссылке и подтверждает его кодом из "
            "письма (простая электронная подпись). Включайте, если локальный акт школы "
            "признаёт такую подпись."
        ),
    )

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("настройки согласий")
        verbose_name_plural = _("настройки согласий")

    def __str__(self) -> str:
        return str(self.organisation)


class ConsentRequestQuerySet(OrgQuerySet):
    org_field = "person__organisation"


class ConsentRequest(models.Model):
    """A personal link asking one person for one consent in electronic form.

    The text the person reads is frozen when the one-time code is sent (`text`); the code is
    kept only as a keyed hash, expires in minutes, allows a few attempts and works once.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consent_requests")
    kind = models.CharField(_("вид согласия"), max_length=20, choices=ConsentKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_on = models.DateField(_("ссылка действует до"))
    link_version = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    mail_error = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    allowed_items = models.JSONField(default=list, blank=True)
    code_hash = models.CharField(max_length=64, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)
    codes_sent = models.PositiveSmallIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    consent = models.ForeignKey(
        Consent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ConsentRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("запрос электронного согласия")
        verbose_name_plural = _("запросы электронных согласий")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["person", "kind"], name="consent_request_person_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person}"


class DestructionAct(models.Model):
    """Акт об уничтожении (обезличивании) персональных данных after a withdrawn consent."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="destruction_acts"
    )
    number = models.CharField(_("номер акта"), max_length=30)
    person = models.ForeignKey(
        Person, null=True, on_delete=models.SET_NULL, related_name="destruction_acts"
    )
    # The subject is named only by register number: the act must not restore what it destroyed.
    subject_label = models.CharField(_("субъект ПДн"), max_length=200)
    consent = models.ForeignKey(Consent, null=True, on_delete=models.SET_NULL, related_name="+")
    destroyed_items = models.TextField(_("уничтоженные данные"))
    kept_items = models.TextField(_("сохранённые данные и основание"), blank=True)
    method = models.CharField(_("способ"), max_length=200, default="Обезличивание в базе данных")
    created_at = models.DateTimeField(_("дата акта"), default=timezone.now)
    # Приказ Роскомнадзора № 179 п. 4 «г»: who destroyed the data. One line a person, «ФИО —
    # должность», the chair first; carried over from the school's previous act, the curator
    # confirms it on the act's page.
    commission = models.TextField(
        _("комиссия"),
        blank=True,
        help_text=_(
            "Одна строка — один человек: «Фамилия Имя Отчество — должность». "
            "Первая строка — председатель комиссии."
        ),
    )
    # Приказ № 179 п. 3, 6: the export of the event log for the subject, frozen at destruction
    # time: [{"at": ISO datetime, "action": label, "object": label}] — no values, no names.
    journal = models.JSONField(_("выгрузка из журнала событий"), default=list, blank=True)

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("акт уничтожения ПДн")
        verbose_name_plural = _("акты уничтожения ПДн")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="destruction_act_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Акт № {self.number}"

    # One category per line (older acts hold one paragraph: a single line).
    @property
    def destroyed_lines(self) -> list[str]:
        return [line for line in self.destroyed_items.splitlines() if line.strip()]

    @property
    def kept_lines(self) -> list[str]:
        return [line for line in self.kept_items.splitlines() if line.strip()]

    @property
    def commission_members(self) -> list[tuple[str, str]]:
        """(name, position) per line of `commission`; the chair first."""
        return [split_member(line) for line in self.commission.splitlines() if line.strip()]

    @property
    def destroyed_on(self) -> datetime.date:
        return timezone.localdate(self.created_at)

    @property
    def journal_rows(self) -> list[tuple[str, str, str]]:
        """(«25.11.2026 10:15», action, object) per exported journal entry."""
        return [
            (
                f"{datetime.datetime.fromisoformat(entry['at']):%d.%m.%Y %H:%M}",
                entry["action"],
                entry["object"],
            )
            for entry in self.journal
        ]

    @property
    def days_after_withdrawal(self) -> int | None:
        """Days from the withdrawal to the destruction; ч. 5 ст. 21 152-ФЗ allows 30 at most."""
        if self.consent is None or self.consent.withdrawn_at is None:
            return None
        return (self.destroyed_on - timezone.localdate(self.consent.withdrawn_at)).days


def split_member(line: str) -> tuple[str, str]:
    """«Петрова Анна Ивановна — заместитель директора» → (name, position); also «, » or « - »."""
    for mark in (" — ", " – ", " - ", ","):
        if mark in line:
            name, position = line.split(mark, 1)
            return name.strip(), position.strip()
    return line.strip(), ""


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Проверен, ждёт подтверждения")
    FAILED = "failed", _("Есть ошибки")
    APPLIED = "applied", _("Загружен")


class ImportBatch(models.Model):
    """One uploaded staff file: checked in full first, applied in one transaction on confirm."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="import_batches"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(_("файл"), max_length=255)
    file = models.FileField(upload_to="imports/%Y/", blank=True)
    status = models.CharField(
        _("статус"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    row_count = models.PositiveIntegerField(_("строк"), default=0)
    created_count = models.PositiveIntegerField(_("добавлено"), default=0)
    updated_count = models.PositiveIntegerField(_("обновлено"), default=0)
    # [{"row": 5, "column": "Дата рождения", "message": "..."}] — shown as the preview table.
    problems = models.JSONField(default=list, blank=True)
    # Parsed rows kept between preview and confirm so the file is not parsed twice.
    rows = models.JSONField(default=list, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("загрузка кадров")
        verbose_name_plural = _("загрузки кадров")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="import_org_created")]

    def __str__(self) -> str:
        return self.file_name
