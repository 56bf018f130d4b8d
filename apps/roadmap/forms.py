from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.years import year_bounds
from apps.orgs.forms import StyledFormMixin
from apps.orgs.stages import STAGES
from apps.roadmap.models import RoadmapItem

DATE = {"placeholder": "дд.мм.гггг"}


class ItemForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = RoadmapItem
        fields = ["stage", "activity", "content", "start", "end", "responsible", "result",
                  "done_on"]  # fmt: skip
        widgets = {
            "start": forms.DateInput(attrs=DATE),
            "end": forms.DateInput(attrs=DATE),
            "done_on": forms.DateInput(attrs=DATE),
            "content": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, year: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.fields["stage"].choices = [(s.number, f"{s.number}. {s.title}") for s in STAGES]
        self.fields["done_on"].help_text = _("Заполните, когда мероприятие проведено.")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Окончание раньше начала."))
        first = int(self.year[:4])
        for name in ("start", "end"):
            day = data.get(name)
            if day and not (first - 1 <= day.year <= first + 2):
                self.add_error(
                    name, _("Дата далеко от учебного года %(year)s.") % {"year": self.year}
                )
        return data


class ShiftForm(StyledFormMixin, forms.Form):
    start = forms.DateField(
        label=_("Школа начинает работу по плану с"), widget=forms.DateInput(attrs=DATE)
    )

    def __init__(self, *args, year: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year

    def clean_start(self):
        start = self.cleaned_data["start"]
        first, last = year_bounds(self.year)
        if not first <= start <= last:
            raise forms.ValidationError(
                _("Дата %(day)s вне учебного года %(year)s.")
                % {"day": f"{start:%d.%m.%Y}", "year": self.year}
            )
        return start
