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
    PEP_RULES = (
        "pep_rules",
        _("Приказ об утверждении Положения об использовании простой электронной подписи"),
    )
    PD_RESPONSIBLE = (
        "pd_responsible",
        _("Приказ о назначении ответственного за организацию обработки персональных данных"),
    )
    PD_SYSTEMS = (
        "pd_systems",
        _("Приказ об утверждении перечня информационных систем персональных данных"),
    )
    PD_NOTICE = "pd_notice", _("Уведомление об обработке персональных данных (Роскомнадзор)")


class Series(models.TextChoices):
    ORDER = "order", _("Приказы по основной деятельности")
    AGREEMENT = "agreement", _("Дополнительные соглашения")
    OUTGOING = "outgoing", _("Исходящие документы")


SERIES_OF_KIND = {
    DocKind.POLOZHENIE: Series.ORDER,
    DocKind.PAIRS: Series.ORDER,
    DocKind.CURATOR: Series.ORDER,
    DocKind.AGREEMENT: Series.AGREEMENT,
    DocKind.COMPLETION: Series.ORDER,
    DocKind.REPLACEMENT: Series.ORDER,
    DocKind.TERMINATION: Series.ORDER,
    DocKind.PEP_RULES: Series.ORDER,
    DocKind.PD_RESPONSIBLE: Series.ORDER,
    DocKind.PD_SYSTEMS: Series.ORDER,
    DocKind.PD_NOTICE: Series.OUTGOING,
}
# Local acts the staff acknowledge (ст. 22 ТК РФ) once they are signed.
ACKNOWLEDGED_KINDS = (DocKind.POLOZHENIE, DocKind.PEP_RULES, DocKind.PD_RESPONSIBLE)


class DocStatus(models.TextChoices):
    DRAFT = "draft", _("Черновик")
    SIGNING = "signing", _("На подписании")
    SIGNED = "signed", _("Подписан")
    CANCELLED = "cancelled", _("Отменён")


class SignedWith(models.TextChoices):
    SCAN = "scan", _("скан подписанного на бумаге")
    PEP = "pep", _("простая электронная подпись")
    QES = "qes", _("квалифицированная электронная подпись")


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

    # Simple electronic signature (63-ФЗ ст. 9): off until the school adopts its Положение.
    pep_enabled = models.BooleanField(
        _("простая электронная подпись (ПЭП) включена"),
        default=False,
        help_text=_(
            "Работники знакомятся с локальными актами и подписывают доп. соглашения в системе "
            "кодом из письма. Действует после подписания приказа об утверждении Положения об "
            "использовании ПЭП и принятия Положения каждым участником."
        ),
    )
    # Personal-data paperwork (152-ФЗ ст. 18.1, 22, 22.1).
    pd_responsible = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("ответственный за организацию обработки ПДн"),
    )  # fmt: skip
    pd_start_date = models.DateField(
        _("дата начала обработки персональных данных"), null=True, blank=True
    )
    pd_database_location = models.CharField(
        _("место нахождения базы данных (адрес ЦОД в Российской Федерации)"),
        max_length=500,
        blank=True,
        help_text=_("Например: «Российская Федерация, г. Москва, ул. …, ЦОД «…»»."),
    )
    pd_rkn_office = models.CharField(
        _("территориальный орган Роскомнадзора"),
        max_length=300,
        blank=True,
        help_text=_("Например: «Управление Роскомнадзора по Новосибирской области»."),
    )
    pd_other_systems = models.TextField(
        _("другие информационные системы ПДн школы"),
        blank=True,
        help_text=_(
            "По одной в строке: «Название — цель — категории субъектов». Система «Наставник» "
            "входит в перечень всегда."
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
    # How it was signed: a scan of the paper, a simple (ПЭП) or a qualified (КЭП) signature.
    signed_with = models.CharField(
        _("чем подписан"), max_length=10, choices=SignedWith.choices, blank=True
    )
    # The exact PDF people read and sign: made once, then frozen (its hashes are what is signed).
    pdf_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    pdf_streebog = models.CharField(max_length=64, blank=True)
    # The public verification link printed as a QR code on the signed copy.
    verify_token = models.CharField(max_length=40, blank=True, db_index=True)
    # The copy with the signature marks and the QR code; every copy made stays verifiable.
    signed_copy = models.FileField(upload_to="documents/signed/%Y/", blank=True)
    signed_copy_count = models.PositiveSmallIntegerField(default=0)
    copy_hashes = models.JSONField(default=list, blank=True)

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
                condition=~Q(status="signed") | ~Q(scan="") | ~Q(signed_with=""),
                name="document_signed_has_scan_or_signature",
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


class SignatureMethod(models.TextChoices):
    PEP = "pep", _("Простая электронная подпись")
    QES = "qes", _("Квалифицированная электронная подпись")


class SignaturePurpose(models.TextChoices):
    SIGN = "sign", _("Подпись")
    ACKNOWLEDGE = "acknowledge", _("Ознакомление")


class Signature(models.Model):
    """One electronic signature or acknowledgement of one document version.

    What was signed is the frozen PDF (its hashes); a qualified signature keeps its .sig file and
    what its certificate says. Never edited: a new version of the document is a new document.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="signatures")
    method = models.CharField(_("вид подписи"), max_length=5, choices=SignatureMethod.choices)
    purpose = models.CharField(_("назначение"), max_length=12, choices=SignaturePurpose.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="signatures"
    )
    signer_name = models.CharField(_("подписант"), max_length=300)
    # Shown on the public verification page instead of the name.
    signer_position = models.CharField(_("должность подписанта"), max_length=300, blank=True)
    signed_at = models.DateTimeField(_("когда"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    streebog = models.CharField(_("ГОСТ Р 34.11-2012 (256)"), max_length=64)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    channel = models.CharField(_("канал кода"), max_length=20, blank=True)
    # A qualified signature: the detached CAdES file and its certificate.
    signature_file = models.FileField(upload_to="documents/signatures/%Y/", blank=True)
    cert_owner = models.CharField(_("владелец сертификата"), max_length=300, blank=True)
    cert_organisation = models.CharField(_("организация"), max_length=500, blank=True)
    cert_serial = models.CharField(_("серийный номер"), max_length=100, blank=True)
    cert_issuer = models.CharField(_("издатель"), max_length=500, blank=True)
    cert_valid_from = models.DateTimeField(null=True, blank=True)
    cert_valid_to = models.DateTimeField(null=True, blank=True)
    digest_algorithm = models.CharField(max_length=40, blank=True)

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("электронная подпись")
        verbose_name_plural = _("электронные подписи")
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "user", "purpose"],
                condition=Q(user__isnull=False),
                name="signature_once_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()}: {self.signer_name}, {self.signed_at:%d.%m.%Y}"


class PepAcceptance(models.Model):
    """A participant accepted the school's Положение об использовании ПЭП (63-ФЗ ст. 9 ч. 2)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rules = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="acceptances")
    accepted_at = models.DateTimeField(_("принято"))
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("принятие Положения о ПЭП")
        verbose_name_plural = _("принятия Положения о ПЭП")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="pep_accepted_once")
        ]

    def __str__(self) -> str:
        return f"ПЭП: {self.user} — {self.accepted_at:%d.%m.%Y}"


class SigningCode(models.Model):
    """A one-time code for one person, one document version and one purpose (hashed at rest)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=12, choices=SignaturePurpose.choices)
    sha256 = models.CharField(max_length=64)  # the document version the code is for
    code_hash = models.CharField(max_length=64)
    channel = models.CharField(max_length=20, default="email")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("одноразовый код подписи")
        verbose_name_plural = _("одноразовые коды подписи")
        indexes = [models.Index(fields=["document", "user"], name="signing_code_doc_user")]

    def __str__(self) -> str:
        return f"Код для {self.user} ({self.created_at:%d.%m.%Y %H:%M})"


class SigningAttempt(models.Model):
    """A refused signature or code (kept for the audit log; nothing else was saved)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    what = models.CharField(_("что"), max_length=40)
    message = models.CharField(_("почему отказано"), max_length=1000)

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("отказ в подписи")
        verbose_name_plural = _("отказы в подписи")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.what}: {self.message[:60]}"
