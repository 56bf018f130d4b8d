from django import forms as djforms
from django.utils.translation import gettext_lazy as _

from apps.banks.models import BankKind, Profile, ProfileStatus
from apps.orgs.forms import StyledFormMixin
from apps.orgs.params import SearchField
from apps.surveys.shipped import FORMS, TIMES


class ProfileForm(StyledFormMixin, djforms.ModelForm):
    forms = djforms.MultipleChoiceField(
        label=_("Формы наставничества"),
        required=False,
        choices=[(f, f) for f in FORMS],
        widget=djforms.CheckboxSelectMultiple,
    )
    availability = djforms.MultipleChoiceField(
        label=_("Удобное время"),
        required=False,
        choices=[(t, t) for t in TIMES],
        widget=djforms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Profile
        fields = ["status", "capacity", "forms", "availability", "motivation", "notes"]
        widgets = {
            "motivation": djforms.Textarea(attrs={"rows": 2}),
            "notes": djforms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, competencies, kind: str, own: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.competency_list = list(competencies)
        levels = self.instance.competencies or {}
        word = _("потребность") if kind == BankKind.MENTEE else _("уровень")
        for competency in self.competency_list:
            self.fields[f"c_{competency.pk}"] = djforms.IntegerField(
                label=f"{competency.name}: {word} (1–5)",
                required=False,
                min_value=1,
                max_value=5,
                initial=levels.get(str(competency.pk)),
                widget=djforms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
            )
        if kind == BankKind.MENTEE:
            del self.fields["capacity"]
        else:
            self.fields["capacity"].max_value = 10
        if own:
            # People edit their own wishes; status and the curator's notes are not theirs.
            del self.fields["status"]
            del self.fields["notes"]

    def clean_capacity(self):
        capacity = self.cleaned_data.get("capacity") or 0
        if capacity > 10:
            raise djforms.ValidationError(_("Не больше 10 наставляемых."))
        return capacity

    def profile_values(self) -> dict:
        values = {
            name: self.cleaned_data[name]
            for name in ("status", "capacity", "forms", "availability", "motivation", "notes")
            if name in self.fields
        }
        values["competencies"] = {
            str(c.pk): self.cleaned_data[f"c_{c.pk}"]
            for c in self.competency_list
            if self.cleaned_data.get(f"c_{c.pk}")
        }
        return values


class AddProfileForm(ProfileForm):
    person = djforms.ModelChoiceField(label=_("Сотрудник"), queryset=None)

    class Meta(ProfileForm.Meta):
        fields = ["person", *ProfileForm.Meta.fields]

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].help_text = _(
            "В банк можно внести только сотрудника с согласием на обработку персональных данных."
        )
        self.order_fields(["person"])


class BankFilterForm(StyledFormMixin, djforms.Form):
    q = SearchField(label=_("ФИО"), required=False)
    status = djforms.ChoiceField(
        label=_("Статус"), required=False, choices=[("", _("Любой")), *ProfileStatus.choices]
    )
    competency = djforms.ChoiceField(label=_("Компетенция"), required=False)
    level = djforms.IntegerField(label=_("не ниже"), required=False, min_value=1, max_value=5)
    form = djforms.ChoiceField(
        label=_("Форма"), required=False, choices=[("", _("Любая")), *[(f, f) for f in FORMS]]
    )
    sort = djforms.ChoiceField(
        label=_("Сортировка"),
        required=False,
        choices=[("name", _("по ФИО")), ("competency", _("по выбранной компетенции")),
                 ("capacity", _("по свободным местам"))],
    )  # fmt: skip

    def __init__(self, *args, competencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].choices = [("", _("Любая"))] + [
            (str(c.pk), c.name) for c in competencies
        ]
