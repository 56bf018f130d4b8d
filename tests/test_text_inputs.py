"""Every form of the apps refuses control characters in text (StyledFormMixin guards them)."""

import importlib
import inspect
import pkgutil

from django import forms

import apps
from apps.orgs.forms import StyledFormMixin


def app_forms() -> list[type]:
    found = set()
    for module_info in pkgutil.walk_packages(apps.__path__, "apps."):
        name = module_info.name
        if ".tests" in name or ".migrations" in name:
            continue
        module = importlib.import_module(name)
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__.startswith("apps."):
                found.add(value)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def test_it_finds_the_forms_of_the_apps():
    names = {f"{c.__module__}.{c.__name__}" for c in app_forms()}
    assert {"apps.programs.forms.MeetingForm", "apps.banks.forms.ProfileForm"} <= names


def test_it_guards_every_form_of_the_apps():
    assert [c for c in app_forms() if not issubclass(c, StyledFormMixin)] == []
