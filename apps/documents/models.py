"""The school's registry of local acts and orders: numbers, statuses, files, signed scans.

A signed document never changes: a new version is a new document that cancels the old one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.orgs.models import Organisation
from apps.orgs.tenancy import OrgQuerySet
from apps.people.models import Person


class DocKind(models.TextChoices):
    POLOZHENIE = "polozhenie", _("Приказ об утверждении Положения о системе наставничества")
    PAIRS = "pairs", _("Приказ о закреплении наставнических пар и групп")
    CURATOR = "curator", _("Приказ о назначении куратора наставничества")
    AGREEMENT = "agreement", _("Дополнительное соглашение к трудовому договору с наставником")
    COMPLETION = "completion", _("Приказ о завершении программ наставничества и поощрении")
    REPLACEMENT = "replacement", _("Приказ о замене наставника")
    TERMINATION = "termination", _("Приказ о досрочном прекращении наставничества")


class Series(models.TextChoices):
    ORDER = "order", _("Приказы по основной деятельности")
    AGREEMENT = "agreement", _("Дополнительные соглашения")


SERIES_OF_KIND = {
    DocKind.POLOZHENIE: Series.ORDER,
    DocKind.PAIRS: Series.ORDER,
    DocKind.CURATOR: Series.ORDER,
    DocKind.AGREEMENT: Series.AGREEMENT,
    DocKind.COMPLETION: Series.ORDER,
    DocKind.REPLACEMENT: Series.ORDER,
    DocKind.TERMINATION: Series.ORDER,
}


class DocStatus(models.TextChoices):
    DRAFT = "draft", _("Черновик")
    SIGNING = "signing", _("На подписании")
    SIGNED = "signed", _("Подписан")
    CANCELLED = "cancelled", _("Отменён")


class DocumentSettings(models.Model):
    """How the school numbers its documents and what the orders say about extra pay."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="document_settings"
    )
    order_number_format = models.CharField(
        _("формат номера приказа"),
        max_length=40,
        default="{n}-о",
        help_text=_(
            "{n} — порядковый номер в году, {year} — год. Например: «{n}-о», «{n}/{year}»."
        ),
    )
    agreement_number_format = models.CharField(
        _("формат номера доп. соглашения"), max_length=40, default="{n}"
    )
    extra_pay = models.CharField(
        _("доплата наставнику"),
        max_length=500,
        default=(
            "в размере и порядке, установленных Положением об оплате труда работников "
            "образовательной организации"
        ),
        help_text=_("Продолжение фразы «Установить наставникам доплату …»."),
    )
    # The Положение is adopted after the педсовет and the union's opinion (ст. 372 ТК РФ).
    council_protocol_number = models.CharField(
        _("номер протокола педагогического совета"), max_length=40, blank=True
    )
    council_protocol_date = models.DateField(
        _("дата протокола педагогического совета"), null=True, blank=True
    )
    union_name = models.CharField(
        _("профсоюзная организация"),
        max_length=300,
        blank=True,
        help_text=_("Например: «первичная профсоюзная организация». Пусто — профсоюза нет."),
    )
    union_opinion_number = models.CharField(
        _("номер протокола о мнении профсоюза"), max_length=40, blank=True
    )
    union_opinion_date = models.DateField(_("дата мнения профсоюза"), null=True, blank=True)
    font = models.CharField(
        _("шрифт документов"),
        max_length=40,
        choices=[("Times New Roman", "Times New Roman"), ("PT Astra Serif", "PT Astra Serif")],
        default="Times New Roman",
    )
    # ГОСТ Р 7.0.97-2016 п. 5.22: визы согласования внизу последнего листа приказа.
    visas = models.TextField(
        _("визы согласования приказов"),
        blank=True,
        help_text=_(
            "По строке на визу: должность — ФИО, например «Заместитель директора по УВР — "
            "Иванова Анна Петровна». Пусто — приказы без виз."
        ),
    )

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("настройки документов")
        verbose_name_plural = _("настройки документов")

    def __str__(self) -> str:
        return f"Документы: {self.organisation}"


class Document(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("вид"), max_length=20, choices=DocKind.choices)
    series = models.CharField(max_length=20, choices=Series.choices)
    year = models.PositiveSmallIntegerField(_("год"))
    seq = models.PositiveIntegerField(_("порядковый номер"))
    number = models.CharField(_("номер"), max_length=40)
    date = models.DateField(_("дата"))
    title = models.CharField(_("заголовок"), max_length=500)
    status = models.CharField(
        _("статус"), max_length=10, choices=DocStatus.choices, default=DocStatus.DRAFT
    )
    file = models.FileField(_("документ (.docx)"), upload_to="documents/%Y/")
    pdf = models.FileField(_("PDF"), upload_to="documents/pdf/%Y/", blank=True)
    scan = models.FileField(
        _("скан подписанного (PDF)"), upload_to="documents/scans/%Y/", blank=True
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )  # the mentor of an agreement, the curator of an appointment
    units = models.ManyToManyField(
        "programs.MentoringUnit", blank=True, related_name="documents", verbose_name=_("пары")
    )
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_by"
    )
    warnings = models.JSONField(_("на что обратить внимание"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("документ")
        verbose_name_plural = _("документы")
        ordering = ["-date", "-seq", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "series", "year", "seq"], name="document_number_unique"
            ),
            models.CheckConstraint(
                condition=~Q(status="signed") | ~Q(scan=""), name="document_signed_has_scan"
            ),
        ]

    def __str__(self) -> str:
        return f"№ {self.number} от {self.date:%d.%m.%Y} — {self.title}"

    @property
    def editable(self) -> bool:
        return self.status in (DocStatus.DRAFT, DocStatus.SIGNING)


class SchoolTemplate(models.Model):
    """A school's own .docx (docxtpl) template for one kind of document."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="document_templates"
    )
    kind = models.CharField(_("вид документа"), max_length=20, choices=DocKind.choices)
    file = models.FileField(_("шаблон (.docx)"), upload_to="documents/templates/")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("шаблон школы")
        verbose_name_plural = _("шаблоны школы")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="school_template_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.organisation}"


class PolozhenieSection(models.Model):
    """The school's own wording of a section of the Положение (paragraphs split by blank lines)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="polozhenie_sections"
    )
    order = models.PositiveSmallIntegerField(_("порядок"))
    title = models.CharField(_("раздел"), max_length=300)
    text = models.TextField(_("текст"))

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("раздел Положения")
        verbose_name_plural = _("разделы Положения")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "order"], name="polozhenie_order")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.text.split("\n\n") if p.strip()]
