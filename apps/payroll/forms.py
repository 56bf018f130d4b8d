from django import forms
from django.utils.translation import gettext_lazy as _

from apps.orgs.forms import StyledFormMixin
from apps.payroll.models import PayRule

DATE = {"placeholder": "дд.мм.гггг"}


class PayRuleForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = PayRule
        fields = ["valid_from", "valid_to", "basis", "per_mentee", "per_group", "max_mentees",
                  "cap", "pay_code", "source"]  # fmt: skip
        widgets = {"valid_from": forms.DateInput(attrs=DATE),
                   "valid_to": forms.DateInput(attrs=DATE)}  # fmt: skip

    def clean(self):
        data = super().clean()
        for name in ("per_mentee", "per_group", "cap"):
            value = data.get(name)
            if value is not None and value < 0:
                self.add_error(name, _("Доплата не может быть отрицательной."))
        return data
