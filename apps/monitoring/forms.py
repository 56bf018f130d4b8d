from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.years import academic_year
from apps.monitoring.regional import FEDERAL, INDICATORS
from apps.orgs.forms import StyledFormMixin


def _years() -> list[tuple[str, str]]:
    today = timezone.localdate()
    last = academic_year(today.replace(year=today.year - 1, day=min(today.day, 28)))
    return [(year, year) for year in (last, academic_year(today))]


class MonitoringFormForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Название"), max_length=300)
    year = forms.ChoiceField(label=_("Учебный год"))
    deadline = forms.DateField(
        label=_("Срок сдачи"), widget=forms.DateInput(attrs={"placeholder": "дд.мм.гггг"})
    )
    indicators = forms.MultipleChoiceField(
        label=_("Показатели"), widget=forms.CheckboxSelectMultiple,
        choices=[(i.code, f"{i.code} — {i.label}{' (федеральный)' if i.federal else ''}")
                 for i in INDICATORS],
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _years()
        self.initial.setdefault("year", academic_year())
        self.initial.setdefault("indicators", list(FEDERAL))
        self.initial.setdefault("title", "Мониторинг системы наставничества")


class ReturnForm(StyledFormMixin, forms.Form):
    school = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    reason = forms.CharField(label=_("Что исправить"), max_length=1000, widget=forms.Textarea(
        attrs={"rows": 2}))  # fmt: skip
