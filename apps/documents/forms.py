from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.uploads import SCAN_TYPES, validate_upload
from apps.documents.context import curator_person, parse_visas
from apps.documents.models import DocKind, DocumentSettings
from apps.orgs.forms import StyledFormMixin
from apps.orgs.params import ModelMultipleChoiceField
from apps.people.models import Person
from apps.programs.models import MentoringUnit, UnitMember, UnitStatus

DATE = {"placeholder": "дд.мм.гггг"}
OPEN = (UnitStatus.DRAFT, UnitStatus.ACTIVE)


class IssueForm(StyledFormMixin, forms.Form):
    date = forms.DateField(label=_("Дата документа"), widget=forms.DateInput(attrs=DATE))
    units = ModelMultipleChoiceField(
        label=_("Пары и группы"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    person = forms.ModelChoiceField(label=_("Сотрудник"), queryset=None, required=False)

    def __init__(self, *args, org, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.initial.setdefault("date", timezone.localdate())
        statuses = {
            DocKind.COMPLETION: (UnitStatus.ACTIVE, UnitStatus.COMPLETED),
        }.get(kind, OPEN)
        units = (
            MentoringUnit.objects.of(org)
            .filter(status__in=statuses)
            .select_related("mentor", "format")
            .prefetch_related("members__mentee")
            .order_by("mentor__last_name", "pk")
        )
        self.fields["units"].queryset = units
        self.fields["units"].label_from_instance = lambda u: (
            f"{u.mentor.short_name} — "
            + ", ".join(m.mentee.short_name for m in u.members.all() if m.is_open)
            + f" ({u.format.name}, {u.start_date:%d.%m.%Y}–{u.end_date:%d.%m.%Y})"
        )
        people = Person.objects.of(org).exclude(status="archived")
        if kind == DocKind.AGREEMENT:
            mentors = UnitMember.objects.of(org).filter(is_open=True)
            people = people.filter(pk__in=mentors.values("mentor_id"))
            self.fields["person"].label = _("Наставник")
        elif kind == DocKind.PD_RESPONSIBLE:
            self.fields["person"].label = _("Ответственный за организацию обработки ПДн")
        else:
            self.fields["person"].label = _("Куратор")
            if kind == DocKind.CURATOR and not self.is_bound:
                # The curator's account linked to their staff record (people.accounts).
                self.initial.setdefault("person", curator_person(org))
        self.fields["person"].queryset = people.order_by("last_name", "first_name")
        self.fields["person"].label_from_instance = lambda p: f"{p.full_name} — {p.position}"
        if kind == DocKind.PAIRS and not self.is_bound:
            # By default: open units that no valid order covers yet.
            self.initial["units"] = [
                u.pk
                for u in units
                if not u.documents.exclude(status="cancelled").filter(kind=DocKind.PAIRS).exists()
            ]
        if kind == DocKind.REPLACEMENT:
            self.fields["units"].queryset = units.filter(mentor_changes__isnull=False).distinct()
            self.fields["units"].label = _("Пара или группа, где заменён наставник")
        if kind == DocKind.TERMINATION:
            self.fields["units"].queryset = units.filter(status=UnitStatus.TERMINATED)
            self.fields["units"].label = _("Пара или группа, прекращённая досрочно")
        if kind == DocKind.COMPLETION and not self.is_bound:
            self.initial["units"] = [u.pk for u in units if u.status == UnitStatus.COMPLETED]
        if kind not in (
            DocKind.PAIRS,
            DocKind.COMPLETION,
            DocKind.REPLACEMENT,
            DocKind.TERMINATION,
        ):
            del self.fields["units"]
        if kind not in (DocKind.CURATOR, DocKind.AGREEMENT, DocKind.PD_RESPONSIBLE):
            del self.fields["person"]

    def clean_date(self):
        day = self.cleaned_data["date"]
        if abs((day - timezone.localdate()).days) > 366:
            raise forms.ValidationError(_("Дата дальше года от сегодняшней — проверьте год."))
        return day


class ScanForm(StyledFormMixin, forms.Form):
    scan = forms.FileField(label=_("Скан подписанного документа (PDF, JPG или PNG)"))

    def clean_scan(self):
        upload = self.cleaned_data["scan"]
        validate_upload(
            upload,
            types=SCAN_TYPES,
            max_bytes=settings.CONSENT_SCAN_MAX_BYTES,
            what="скан подписанного документа",
        )
        return upload


class SettingsForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = DocumentSettings
        fields = [
            "order_number_format", "agreement_number_format", "extra_pay", "font",
            "council_protocol_number", "council_protocol_date", "union_name",
            "union_opinion_number", "union_opinion_date", "visas", "pep_enabled", "pd_responsible",
            "pd_start_date", "pd_database_location", "pd_rkn_office", "pd_other_systems",
        ]  # fmt: skip
        widgets = {
            "pd_start_date": forms.DateInput(attrs={"placeholder": "дд.мм.гггг"}),
            "pd_other_systems": forms.Textarea(attrs={"rows": 3}),
            "council_protocol_date": forms.DateInput(attrs={"placeholder": "дд.мм.гггг"}),
            "union_opinion_date": forms.DateInput(attrs={"placeholder": "дд.мм.гггг"}),
            "visas": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        org = self.instance.organisation
        self.fields["pd_responsible"].queryset = (
            Person.objects.of(org).exclude(status="archived").order_by("last_name", "first_name")
        )

    def clean_visas(self):
        text = self.cleaned_data.get("visas") or ""
        try:
            visas = parse_visas(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
        if len(visas) > 6:
            raise forms.ValidationError(_("Не больше шести виз: приказ согласуют немногие."))
        return "\n".join(f"{position} — {name}" for position, name in visas)

    def clean(self):
        data = super().clean()
        for name in ("order_number_format", "agreement_number_format"):
            value = data.get(name) or ""
            if "{n}" not in value:
                self.add_error(name, _("В формате нужен {n} — порядковый номер документа."))
            elif value.replace("{n}", "1").replace("{year}", "2026").count("{"):
                self.add_error(name, _("Допустимы только {n} и {year}."))
        return data


class TemplateUploadForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Документ"), choices=DocKind.choices)
    file = forms.FileField(label=_("Шаблон (.docx)"))


class CodeForm(StyledFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Код из письма"), max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )  # fmt: skip

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "")
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("Введите код из письма: шесть цифр."))
        return code


class QualifiedSignatureForm(StyledFormMixin, forms.Form):
    signature = forms.FileField(
        label=_("Отсоединённая подпись (.sig, .p7s) или подписанный PDF"),
        widget=forms.ClearableFileInput(attrs={"accept": ".sig,.p7s,.sgn,.p7b,.pdf"}),
    )


class VerifyForm(StyledFormMixin, forms.Form):
    copy = forms.FileField(label=_("Копия документа (PDF или .docx)"))

    def clean_copy(self):
        upload = self.cleaned_data["copy"]
        if upload.size > settings.CONSENT_SCAN_MAX_BYTES:
            raise forms.ValidationError(_("Файл слишком большой для документа."))
        return upload
