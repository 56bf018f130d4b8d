from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.uploads import validate_scan, validate_upload
from apps.orgs.forms import StyledFormMixin
from apps.orgs.params import SearchField
from apps.people.choices import ConsentKind, DistributionItem
from apps.people.consents import DEFAULT_DATA, DEFAULT_PURPOSE
from apps.people.forms import plain_widgets
from apps.people.models import Consent, split_member


class ConsentForm(StyledFormMixin, forms.ModelForm):
    allowed_items = forms.MultipleChoiceField(
        label=_("Разрешено к распространению"),
        required=False,
        choices=DistributionItem.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Всё, что не отмечено, распространять запрещено."),
    )

    class Meta:
        model = Consent
        fields = [
            "kind",
            "given_on",
            "valid_until",
            "method",
            "purpose",
            "data_list",
            "allowed_items",
            "conditions",
            "scan",
        ]
        widgets = {
            "given_on": forms.DateInput(attrs={"placeholder": "дд.мм.гггг"}),
            "valid_until": forms.DateInput(attrs={"placeholder": "дд.мм.гггг"}),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "data_list": forms.Textarea(attrs={"rows": 3}),
            "conditions": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "valid_until": _("Пусто — до отзыва."),
            "scan": _("PDF, JPEG или PNG, до 10 МБ. Скан виден только куратору и руководителю."),
            "conditions": _("Для распространения: условия и запреты, например «только на сайте»."),
        }

    def __init__(self, *args, kind: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        kind = kind if kind in ConsentKind.values else ConsentKind.PROCESSING
        if not self.is_bound:
            self.initial.setdefault("kind", kind)
            self.initial.setdefault("given_on", timezone.localdate())
            self.initial.setdefault("purpose", DEFAULT_PURPOSE[kind])
            self.initial.setdefault("data_list", DEFAULT_DATA[kind])

    def clean_scan(self):
        scan = self.cleaned_data.get("scan")
        if scan and hasattr(scan, "content_type"):  # a fresh upload, not the stored file
            validate_scan(scan)
        return scan

    def clean(self):
        data = super().clean()
        given, until = data.get("given_on"), data.get("valid_until")
        if given and given > timezone.localdate():
            self.add_error("given_on", _("Дата согласия не может быть в будущем."))
        if given and until and until < given:
            self.add_error("valid_until", _("Срок действия заканчивается раньше даты согласия."))
        if data.get("kind") == ConsentKind.DISTRIBUTION and not data.get("allowed_items"):
            self.add_error(
                "allowed_items",
                _("Отметьте хотя бы одну категорию данных, которую человек разрешил публиковать."),
            )
        return data


class WithdrawForm(StyledFormMixin, forms.Form):
    withdrawn_on = forms.DateField(
        label=_("Дата отзыва (дата заявления)"),
        widget=forms.DateInput(attrs={"placeholder": "дд.мм.гггг"}),
    )
    note = forms.CharField(
        label=_("Основание"),
        widget=forms.Textarea(attrs={"rows": 2}),
        initial=_("Письменное заявление субъекта персональных данных об отзыве согласия"),
    )

    def clean_withdrawn_on(self):
        value = self.cleaned_data["withdrawn_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Дата отзыва не может быть в будущем."))
        return value


class ConsentFilterForm(StyledFormMixin, forms.Form):
    default_renderer = plain_widgets

    q = SearchField(label=_("Поиск по ФИО"), required=False)
    missing = forms.ChoiceField(
        label=_("Нет согласия"), required=False, choices=[("", _("—")), *ConsentKind.choices]
    )
    state = forms.ChoiceField(
        label=_("Состояние"),
        required=False,
        choices=[
            ("", _("Все")),
            ("expiring", _("Истекают в ближайшие 30 дней")),
            ("withdrawn", _("Есть отозванные")),
        ],
    )


class CommissionForm(StyledFormMixin, forms.Form):
    """Who destroyed the data (приказ Роскомнадзора № 179 п. 4 «г»): a chair and members."""

    commission = forms.CharField(
        label=_("Состав комиссии"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Одна строка — один человек: «Фамилия Имя Отчество — должность». "
            "Первая строка — председатель комиссии, далее члены комиссии."
        ),
    )

    def clean_commission(self):
        lines = [line.strip() for line in self.cleaned_data["commission"].splitlines()]
        lines = [line for line in lines if line]
        for number, line in enumerate(lines, start=1):
            name, position = split_member(line)
            if len(name.split()) < 2 or not position:
                raise forms.ValidationError(
                    _(
                        "Строка %(number)s «%(line)s»: укажите ФИО и должность через тире, "
                        "например «Петрова Анна Ивановна — заместитель директора»."
                    ),
                    params={"number": number, "line": line},
                )
        if len(lines) < 2:
            raise forms.ValidationError(
                _("В комиссии должны быть председатель и хотя бы один член: не меньше двух строк.")
            )
        return "\n".join(lines)


ROLE_CHOICES = [
    ("", _("Все сотрудники")),
    ("mentor", _("Наставники (банк или пары)")),
    ("mentee", _("Наставляемые (банк или пары)")),
]


class BulkFilterForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Вид согласия"), choices=ConsentKind.choices, required=False)
    show = forms.ChoiceField(
        label=_("Кого показать"),
        required=False,
        choices=[("missing", _("Без этого согласия")), ("all", _("Всех"))],
    )
    role = forms.ChoiceField(label=_("Роль в программе"), required=False, choices=ROLE_CHOICES)
    q = SearchField(label=_("Поиск по ФИО"), required=False)


class BulkPaperForm(StyledFormMixin, forms.Form):
    """What the printed forms received at once have in common."""

    given_on = forms.DateField(
        label=_("Дата согласий (дата подписи)"),
        widget=forms.DateInput(attrs={"placeholder": "дд.мм.гггг"}),
    )
    valid_until = forms.DateField(
        label=_("Действуют до"),
        required=False,
        widget=forms.DateInput(attrs={"placeholder": "дд.мм.гггг"}),
        help_text=_("Пусто — до отзыва."),
    )
    allowed_items = forms.MultipleChoiceField(
        label=_("Разрешено к распространению (для согласия на распространение)"),
        required=False,
        choices=DistributionItem.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Одинаково для всех отмеченных; бланки с разными отметками внесите по одному."),
    )
    bulk_scan = forms.FileField(
        label=_("Один PDF со сканами всех согласий"),
        required=False,
        help_text=_("Если сканы в одном файле: укажите у каждого сотрудника его страницы."),
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.initial.setdefault("given_on", timezone.localdate())
        if kind != ConsentKind.DISTRIBUTION:
            del self.fields["allowed_items"]

    def clean_bulk_scan(self):
        upload = self.cleaned_data.get("bulk_scan")
        if upload:
            validate_upload(
                upload,
                types={"pdf": "application/pdf"},
                max_bytes=settings.CONSENT_BULK_SCAN_MAX_BYTES,
                what="общий скан согласий",
            )
        return upload

    def clean(self):
        data = super().clean()
        given, until = data.get("given_on"), data.get("valid_until")
        if given and given > timezone.localdate():
            self.add_error("given_on", _("Дата согласия не может быть в будущем."))
        if given and until and until < given:
            self.add_error("valid_until", _("Срок действия заканчивается раньше даты согласия."))
        if self.kind == ConsentKind.DISTRIBUTION and not data.get("allowed_items"):
            self.add_error(
                "allowed_items", _("Отметьте хотя бы одну категорию, разрешённую к публикации.")
            )
        return data


class ConsentSettingsForm(StyledFormMixin, forms.Form):
    electronic_allowed = forms.BooleanField(
        label=_("Принимать согласия в электронной форме по личной ссылке"),
        required=False,
        help_text=_(
            "Сотрудник читает текст согласия по личной ссылке и подтверждает его кодом из "
            "письма (простая электронная подпись). Включайте, если локальный акт школы "
            "признаёт такую подпись."
        ),
    )


class SignForm(StyledFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Код из письма"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
