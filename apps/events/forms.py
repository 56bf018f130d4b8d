import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.years import academic_year, year_bounds
from apps.events.models import Event
from apps.library.forms import MaterialForm
from apps.orgs.forms import StyledFormMixin

WHEN = {"type": "datetime-local"}
YEAR = datetime.timedelta(days=365)


class EventForm(StyledFormMixin, forms.ModelForm):
    online_url = forms.URLField(
        label=_("Ссылка на онлайн-встречу"), required=False, assume_scheme="https"
    )

    class Meta:
        model = Event
        fields = ["kind", "title", "starts_at", "ends_at", "place", "online_url", "audience",
                  "guests_allowed", "is_public", "programme", "speakers"]  # fmt: skip
        widgets = {
            "starts_at": forms.DateTimeInput(attrs=WHEN, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs=WHEN, format="%Y-%m-%dT%H:%M"),
            "programme": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"]
        if not self.instance.pk:
            self.fields["starts_at"].help_text = _(
                "Мероприятие, которое уже прошло, можно внести задним числом: оно будет так "
                "помечено, присутствие отмечается сразу."
            )

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("Окончание должно быть позже начала."))
        if start and not self.instance.pk and start < timezone.now():
            # Recorded after the fact (marked «внесено задним числом»), but within the
            # previous school year at most: an older date is a typo.
            earliest = year_bounds(academic_year(timezone.localdate() - YEAR))[0]
            if timezone.localdate(start) < earliest:
                self.add_error(
                    "starts_at",
                    _("Дата раньше %(day)s: проверьте год — задним числом вносят мероприятия "
                      "этого и прошлого учебного года.") % {"day": f"{earliest:%d.%m.%Y}"},
                )  # fmt: skip
        if not data.get("place") and not data.get("online_url"):
            self.add_error("place", _("Укажите место или ссылку на онлайн-встречу."))
        return data


class EventMaterialForm(MaterialForm):
    class Meta(MaterialForm.Meta):
        fields = ["kind", "title", "annotation", "body", "results", "file", "url", "audience"]
