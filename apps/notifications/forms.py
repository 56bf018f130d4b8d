from django import forms
from django.utils.translation import gettext_lazy as _

from apps.notifications.kinds import KINDS
from apps.notifications.models import SchoolSettings
from apps.orgs.forms import StyledFormMixin

TIME = {"type": "time"}


class FilterForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Вид"), required=False)
    state = forms.ChoiceField(
        label=_("Показать"), required=False,
        choices=[("", _("Все")), ("unread", _("Непрочитанные")), ("read", _("Прочитанные"))],
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Все виды"))] + [
            (k.code, k.label) for k in KINDS.values()
        ]


class PreferencesForm(StyledFormMixin, forms.Form):
    """Quiet hours and the digest; the per-kind switches are checkboxes named `kind:channel`."""

    quiet_from = forms.TimeField(
        label=_("Тихие часы с"), required=False, widget=forms.TimeInput(attrs=TIME)
    )
    quiet_to = forms.TimeField(label=_("до"), required=False, widget=forms.TimeInput(attrs=TIME))
    digest = forms.BooleanField(
        label=_("Присылать письма одной сводкой за день (срочные — сразу)"), required=False
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("quiet_from"), data.get("quiet_to")
        if (start is None) != (end is None):
            raise forms.ValidationError(
                _("Тихие часы: укажите и начало, и конец — или оставьте оба поля пустыми.")
            )
        if start is not None and start == end:
            self.add_error("quiet_to", _("Конец тихих часов совпадает с началом."))
        return data


class SchoolSettingsForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = SchoolSettings
        fields = ["quiet_unit_days"]
        help_texts = {
            "quiet_unit_days": _(
                "Наставник и куратор получат напоминание, если в дневнике пары нет записей "
                "столько дней. 0 — не напоминать."
            )
        }

    def clean_quiet_unit_days(self):
        days = self.cleaned_data["quiet_unit_days"]
        if days > 365:
            raise forms.ValidationError(_("Не больше 365 дней."))
        return days
