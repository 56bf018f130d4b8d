import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.api.models import Scope
from apps.orgs.choices import Role
from apps.orgs.forms import StyledFormMixin


class TokenForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Название"),
        max_length=200,
        help_text=_("Для кого или для чего ключ, например «Выгрузка в региональную систему»."),
    )
    role = forms.ChoiceField(
        label=_("Роль ключа"),
        choices=(),
        help_text=_("Ключ действует с правами этой роли — не шире ваших прав в организации."),
    )
    scope = forms.ChoiceField(label=_("Доступ"), choices=Scope.choices, initial=Scope.READ)
    expires_on = forms.DateField(
        label=_("Действует до (включительно)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Пусто — бессрочно, пока ключ не отозван."),
    )

    def __init__(self, *args, roles: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, Role(r).label) for r in roles]

    def clean_expires_on(self) -> datetime.date | None:
        value = self.cleaned_data.get("expires_on")
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("Дата окончания уже прошла."))
        return value

    def expires_at(self) -> datetime.datetime | None:
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
        return timezone.make_aware(end)
