import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.matching.core.model import CRITERIA, MAX_WEIGHT
from apps.matching.inputs import Pool
from apps.matching.models import Grouping, MatchingSettings
from apps.orgs.forms import StyledFormMixin
from apps.programs.models import FormatType, PairingType

OBJECTIVES = [
    ("count_then_score", _("Сначала дать наставника как можно большему числу, затем — качество")),
    ("score_only", _("Только суммарное качество пар (кто-то может остаться без пары)")),
]
DATE = {"placeholder": "дд.мм.гггг"}


def weight_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_WEIGHT,
        widget=forms.NumberInput(
            attrs={"class": "form-control form-control-sm weight-input", "inputmode": "numeric"}
        ),
    )


class WeightsMixin:
    def add_weight_fields(self, initial: dict[str, int]) -> None:
        for key, label in CRITERIA.items():
            self.fields[f"w_{key}"] = weight_field(label)
            self.initial.setdefault(f"w_{key}", initial.get(key, 0))

    def weights(self) -> dict[str, int]:
        return {key: self.cleaned_data[f"w_{key}"] for key in CRITERIA}

    def weight_fields(self):
        return [self[f"w_{key}"] for key in CRITERIA]


class RunForm(WeightsMixin, StyledFormMixin, forms.Form):
    """Who takes part and how pairs are valued; pins come from the proposal itself."""

    mentees = forms.TypedMultipleChoiceField(
        label=_("Наставляемые"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    mentors = forms.TypedMultipleChoiceField(
        label=_("Наставники"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    min_mentor_experience = forms.IntegerField(
        label=_("Стаж наставника, не меньше (лет)"), min_value=0, max_value=50
    )
    objective = forms.ChoiceField(
        label=_("Что важнее"), choices=OBJECTIVES, widget=forms.RadioSelect
    )

    def __init__(
        self,
        *args,
        pool: Pool,
        weights: dict[str, int],
        min_experience: int,
        school_names: dict[int, str] | None = None,
        **kw,
    ):
        super().__init__(*args, **kw)
        busy = pool.busy_mentees

        def name(person) -> str:
            if school_names:
                return f"{person.name} ({school_names.get(person.school, '—')})"
            return person.name

        self.fields["mentees"].choices = [
            (m.id, name(m) + (" · уже в паре" if m.id in busy else "")) for m in pool.mentees
        ]
        self.fields["mentors"].choices = [
            (m.id, f"{name(m)} · свободно {m.free} из {m.capacity}") for m in pool.mentors
        ]
        self.fields["mentees"].help_text = _(
            "Из банка наставляемых текущего года с согласием на обработку ПДн. "
            "По умолчанию отмечены все, у кого нет действующей пары."
        )
        self.fields["mentors"].help_text = _(
            "Из банка наставников. По умолчанию отмечены все, у кого есть свободные места."
        )
        self.add_weight_fields(weights)
        self.initial.setdefault("mentees", pool.default_mentee_ids())
        self.initial.setdefault("mentors", pool.default_mentor_ids())
        self.initial.setdefault("min_mentor_experience", min_experience)
        self.initial.setdefault("objective", "count_then_score")


class SettingsForm(WeightsMixin, StyledFormMixin, forms.ModelForm):
    class Meta:
        model = MatchingSettings
        fields = ["self_choice"]

    def __init__(self, *args, weights: dict[str, int], **kw):
        super().__init__(*args, **kw)
        self.add_weight_fields(weights)

    def save(self, commit: bool = True):
        self.instance.weights = self.weights()
        return super().save(commit)


class ConfirmForm(StyledFormMixin, forms.Form):
    grouping = forms.ChoiceField(
        label=_("Как оформить"), choices=Grouping.choices, widget=forms.RadioSelect
    )
    pairing = forms.ModelChoiceField(label=_("Кто с кем"), queryset=None)
    format = forms.ModelChoiceField(label=_("Форма для пар"), queryset=None)
    group_format = forms.ModelChoiceField(label=_("Форма для групп"), queryset=None, required=False)
    start = forms.DateField(label=_("Начало"), widget=forms.DateInput(attrs=DATE))
    end = forms.DateField(label=_("Плановое окончание"), widget=forms.DateInput(attrs=DATE))

    def __init__(self, *args, org, **kw):
        super().__init__(*args, **kw)
        self.fields["pairing"].queryset = PairingType.objects.of(org).filter(is_active=True)
        formats = FormatType.objects.of(org).filter(is_active=True)
        self.fields["format"].queryset = formats.filter(is_group=False)
        self.fields["group_format"].queryset = formats.filter(is_group=True)
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.update(
                grouping=Grouping.PAIRS,
                pairing=self.fields["pairing"].queryset.first(),
                format=self.fields["format"].queryset.first(),
                group_format=self.fields["group_format"].queryset.first(),
                start=today,
                end=today + datetime.timedelta(days=182),
            )

    def clean(self):
        data = super().clean()
        if data.get("grouping") == Grouping.GROUPS and not data.get("group_format"):
            self.add_error("group_format", _("Выберите групповую форму наставничества."))
        return data


class RequestForm(StyledFormMixin, forms.Form):
    message = forms.CharField(
        label=_("Сообщение наставнику (необязательно)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
