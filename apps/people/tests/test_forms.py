"""The filter forms' plain widget renderer writes what Django's widget templates write."""

import pytest
from django import forms
from django.forms.renderers import get_default_renderer

from apps.orgs.models import Organisation
from apps.people.forms import PersonFilterForm, plain_widgets
from apps.people.forms_consents import ConsentFilterForm


def rendered(form_class, data, **kwargs):
    plain, django = (
        form_class(data, renderer=renderer, **kwargs)
        for renderer in (plain_widgets, get_default_renderer())
    )
    for form in (plain, django):
        form.is_valid()
    return [str(plain[n]) for n in plain.fields], [str(django[n]) for n in django.fields]


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"q": 'Семёнова "<b>"', "status": "all", "category": "first", "young": "on"},
        {"status": "bogus", "category": "x", "young": "false", "school": "not-an-id"},
        {"young": "0", "school": "{school}"},
    ],
)
def test_it_renders_the_staff_filter_as_django_does(data, school, other_school):
    if data and "school" in data:
        data = {**data, "school": data["school"].format(school=school.pk)}
    schools = Organisation.objects.filter(pk__in=[school.pk, other_school.pk])
    plain, django = rendered(PersonFilterForm, data, schools=schools)
    assert plain == django


@pytest.mark.parametrize(
    "data", [None, {"q": "a&b", "missing": "processing", "state": "expiring"}, {"state": "?"}]
)
def test_it_renders_the_consent_filter_as_django_does(data):
    assert rendered(ConsentFilterForm, data)[0] == rendered(ConsentFilterForm, data)[1]


class Others(forms.Form):
    number = forms.IntegerField(required=True, widget=forms.NumberInput(attrs={"min": 1}))
    hidden = forms.CharField(widget=forms.HiddenInput, initial="x'y")
    grouped = forms.ChoiceField(choices=[("Первые", [("1", "один"), ("2", "два")]), ("3", "три")])
    note = forms.CharField(widget=forms.Textarea, disabled=True, initial="<p>")


@pytest.mark.parametrize("data", [None, {"number": "", "grouped": "2"}])
def test_it_renders_other_widgets_as_django_does(data):
    plain, django = rendered(Others, data)
    assert plain == django
