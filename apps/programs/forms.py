import datetime

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.banks.models import BankKind, Profile
from apps.core.text import strip_unsafe
from apps.core.uploads import OFFICE_TYPES, SCAN_TYPES, validate_upload
from apps.core.years import academic_year
from apps.orgs.forms import StyledFormMixin
from apps.orgs.params import ModelMultipleChoiceField
from apps.people.choices import ConsentKind, PersonStatus
from apps.people.models import Person
from apps.programs.models import (
    EndedBy,
    FormatType,
    Meeting,
    PairingType,
    ProgrammeTemplate,
    ProgramSettings,
    SupportAction,
    Task,
    TaskStatus,
    UnitMember,
)

DATE = {"placeholder": "дд.мм.гггг"}


def _people(org):
    return (
        Person.objects.with_valid_consent(ConsentKind.PROCESSING)
        .of(org)
        .filter(status=PersonStatus.ACTIVE)
        .order_by("last_name", "first_name")
    )


class UnitForm(StyledFormMixin, forms.Form):
    mentor = forms.ModelChoiceField(label=_("Наставник"), queryset=None)
    co_mentor = forms.ModelChoiceField(
        label=_("Второй наставник (необязательно)"), queryset=None, required=False
    )
    mentees = ModelMultipleChoiceField(
        label=_("Наставляемые"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    pairing = forms.ModelChoiceField(label=_("Кто с кем"), queryset=None)
    format = forms.ModelChoiceField(label=_("Форма наставничества"), queryset=None)
    start = forms.DateField(label=_("Начало"), widget=forms.DateInput(attrs=DATE))
    end = forms.DateField(label=_("Плановое окончание"), widget=forms.DateInput(attrs=DATE))

    def __init__(self, *args, org, unit=None, **kwargs):
        """`unit`: a unit in «Проект» being corrected — its people stay choosable."""
        super().__init__(*args, **kwargs)
        year = unit.year if unit else academic_year()
        people = _people(org)
        leaders, members = Q(pk__in=[]), Q(pk__in=[])
        if unit is not None:
            leaders = Q(pk__in=[unit.mentor_id, unit.co_mentor_id or 0])
            members = Q(pk__in=unit.members.values("mentee_id"))
        mentor_ids = (
            Profile.objects.of(org).filter(kind=BankKind.MENTOR, year=year).values("person_id")
        )
        mentee_ids = (
            Profile.objects.of(org).filter(kind=BankKind.MENTEE, year=year).values("person_id")
        )
        self.fields["mentor"].queryset = people.filter(Q(pk__in=mentor_ids) | leaders)
        self.fields["co_mentor"].queryset = people.filter(Q(pk__in=mentor_ids) | leaders)
        self.fields["mentees"].queryset = people.filter(Q(pk__in=mentee_ids) | members)
        for name in ("mentor", "co_mentor"):
            self.fields[name].label_from_instance = lambda p: f"{p.full_name} — {p.position}"
        busy = set(
            UnitMember.objects.filter(mentee__organisation=org, is_open=True)
            .exclude(unit=unit)
            .values_list("mentee_id", flat=True)
        )
        self.fields["mentees"].label_from_instance = lambda p: (
            f"{p.full_name} — {p.position}" + (" · уже в паре/группе" if p.pk in busy else "")
        )
        self.fields["mentor"].help_text = _(
            "Из банка наставников текущего учебного года, с согласием на обработку ПДн."
        )
        self.fields["mentees"].help_text = _("Из банка наставляемых текущего учебного года.")
        # A unit being corrected keeps its kind and form even if they were hidden since.
        self.fields["pairing"].queryset = PairingType.objects.of(org).filter(
            Q(is_active=True) | Q(pk=unit.pairing_id if unit else None)
        )
        self.fields["format"].queryset = FormatType.objects.of(org).filter(
            Q(is_active=True) | Q(pk=unit.format_id if unit else None)
        )
        if unit is not None and not self.is_bound:
            self.initial.update(
                mentor=unit.mentor, co_mentor=unit.co_mentor, pairing=unit.pairing,
                format=unit.format, start=unit.start_date, end=unit.end_date,
                mentees=[m.mentee_id for m in unit.members.all()],
            )  # fmt: skip
        if not self.is_bound:
            self.initial.setdefault("pairing", self.fields["pairing"].queryset.first())
            self.initial.setdefault("format", self.fields["format"].queryset.first())
            today = timezone.localdate()
            self.initial.setdefault("start", today)
            self.initial.setdefault("end", today + datetime.timedelta(days=182))


class EndUnitForm(StyledFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Итог"),
        choices=[("completed", _("Программа завершена")), ("terminated", _("Прекращена досрочно"))],
        widget=forms.RadioSelect,
    )
    ended_on = forms.DateField(label=_("Дата окончания"), widget=forms.DateInput(attrs=DATE))
    ended_by = forms.ChoiceField(
        label=_("По инициативе"), required=False, choices=[("", "—"), *EndedBy.choices]
    )
    notice_date = forms.DateField(
        label=_("Дата письменного уведомления"),
        required=False,
        widget=forms.DateInput(attrs=DATE),
        help_text=_("С 01.03.2025 сторона предупреждает не позднее чем за 3 рабочих дня."),
    )
    reason = forms.CharField(
        label=_("Причина"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "terminated":
            if not data.get("ended_by"):
                self.add_error("ended_by", _("Укажите, кто инициировал прекращение."))
            if not (data.get("reason") or "").strip():
                self.add_error("reason", _("Укажите причину досрочного прекращения."))
        notice, ended = data.get("notice_date"), data.get("ended_on")
        if notice and ended and notice > ended:
            self.add_error("notice_date", _("Уведомление не может быть позже даты окончания."))
        return data


class ReplaceMentorForm(StyledFormMixin, forms.Form):
    new_mentor = forms.ModelChoiceField(label=_("Новый наставник"), queryset=None)
    reason = forms.CharField(label=_("Причина замены"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, org, exclude, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_mentor"].queryset = _people(org).exclude(pk=exclude.pk)
        self.fields["new_mentor"].label_from_instance = lambda p: f"{p.full_name} — {p.position}"


class SettingsForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ProgramSettings
        fields = ["max_mentees_per_mentor", "min_mentor_experience", "min_months", "max_months"]

    def clean(self):
        data = super().clean()
        low, high = data.get("min_months"), data.get("max_months")
        if low and high and low > high:
            self.add_error("max_months", _("Максимальный срок меньше минимального."))
        if data.get("max_mentees_per_mentor") == 0:
            self.add_error("max_mentees_per_mentor", _("Хотя бы один наставляемый."))
        return data


class ProgrammeForm(StyledFormMixin, forms.Form):
    goal = forms.CharField(label=_("Цель программы"), widget=forms.Textarea(attrs={"rows": 2}))
    difficulties = forms.CharField(
        label=_("Выявленные затруднения"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Заполнено по анкете наставляемого: главные запросы с оценкой 4–5."),
    )


class TaskForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Task
        fields = [
            "direction",
            "title",
            "deadline",
            "responsible",
            "mentee",
            "expected_result",
            "work_form",
        ]
        widgets = {"deadline": forms.DateInput(attrs=DATE)}

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        members = [m.mentee for m in unit.members.filter(is_open=True).select_related("mentee")]
        people = [unit.mentor, *([unit.co_mentor] if unit.co_mentor else []), *members]
        ids = [p.pk for p in people]
        self.fields["responsible"].queryset = Person.objects.filter(pk__in=ids)
        self.fields["mentee"].queryset = Person.objects.filter(pk__in=[m.pk for m in members])
        self.fields["mentee"].empty_label = _("вся группа / пара")
        self.fields["mentee"].help_text = _("Для группы: общая задача или задача одного участника.")


class TaskStatusForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Статус"), choices=TaskStatus.choices)
    new_deadline = forms.DateField(
        label=_("Новый срок (если перенесено)"),
        required=False,
        widget=forms.DateInput(attrs=DATE),
    )
    evidence_file = forms.FileField(
        label=_("Подтверждение: файл"),
        required=False,
        help_text=_("PDF, JPG, PNG, DOCX, XLSX или PPTX до 10 МБ."),
    )
    evidence_link = forms.URLField(
        label=_("Подтверждение: ссылка"), required=False, assume_scheme="https"
    )

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if upload:
            validate_upload(
                upload,
                types={**SCAN_TYPES, **OFFICE_TYPES},
                max_bytes=settings.CONSENT_SCAN_MAX_BYTES,
                what="подтверждение",
            )
        return upload


class TemplateChoiceForm(StyledFormMixin, forms.Form):
    template = forms.ModelChoiceField(
        label=_("Шаблон ПНП"),
        queryset=None,
        help_text=_("Шаблоны для формы этой пары и общие; шаблоны других форм скрыты."),
    )

    def __init__(self, *args, org, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = ProgrammeTemplate.objects.of(org).filter(
            Q(format=unit.format) | Q(format__isnull=True)
        )


class MeetingForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["date", "duration", "format", "topic", "outcome", "next_steps", "tasks"]
        widgets = {
            "date": forms.DateInput(attrs=DATE),
            "outcome": forms.Textarea(attrs={"rows": 2}),
            "next_steps": forms.Textarea(attrs={"rows": 2}),
            "tasks": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tasks"].queryset = Task.objects.filter(programme__unit=unit)
        self.fields["duration"].min_value = 5
        self.fields["duration"].max_value = 600
        self.fields["date"].help_text = _(
            "Любая дата в сроках пары/группы; дата позже сегодняшней — запланированная встреча."
        )
        if not self.is_bound:
            self.initial.setdefault("date", max(timezone.localdate(), unit.start_date))


def meeting_initial(query) -> dict:
    """A diary entry pre-filled from a link (the MAX bot's «Встреча состоялась»: `?date=` and
    `?topic=`); values that do not fit are ignored, the person checks the form anyway."""
    initial = {}
    try:
        date = datetime.date.fromisoformat(query.get("date", ""))
    except ValueError:
        date = None
    if date is not None and date <= timezone.localdate():
        initial["date"] = date
    topic = strip_unsafe(query.get("topic", "")).strip()[:300]
    if topic:
        initial["topic"] = topic
    return initial


class SupportForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = SupportAction
        fields = ["kind", "date", "responsible", "result"]
        widgets = {"date": forms.DateInput(attrs=DATE), "result": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = Person.objects.of(org).filter(
            status=PersonStatus.ACTIVE
        )
        self.fields["responsible"].label_from_instance = lambda p: f"{p.full_name} — {p.position}"
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())


class DictionaryEntryForm(StyledFormMixin, forms.Form):
    dictionary = forms.ChoiceField(
        label=_("Словарь"), choices=[("pairing", _("Кто с кем")), ("format", _("Форма"))]
    )
    name = forms.CharField(label=_("Новое значение"), max_length=200)
    is_group = forms.BooleanField(label=_("Групповая форма"), required=False)
