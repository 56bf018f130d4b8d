"""Russian wording that tests can hold: a number in a template sentence goes through the plural
filters (`{{ n|count:"сотрудник,сотрудника,сотрудников" }}`), never «{{ n }} сотрудников»
(«1 сотрудников»); every form field has a Russian label (no «Section»)."""

import contextlib
import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse

from apps.core.declension import person_in
from apps.orgs.forms import StyledFormMixin
from apps.programs.models import FormatType, PairingType
from apps.programs.services import ensure_dictionaries
from tests.clock import on_school_day
from tests.factories import PersonFactory
from tests.html import alerts

ROOT = Path(__file__).resolve().parents[1]
# Nouns that change with the number before them (any ending).
COUNTED = (
    "сотрудник", "наставник", "наставляем", "пар", "групп", "школ", "задач", "встреч",
    "человек", "анкет", "запрос", "документ", "дн", "лет", "год", "мероприят", "новост",
    "материал", "организац", "ответ", "приглаш", "участник", "согласи", "строк", "файл",
    "минут", "час", "педагог", "молод", "пункт", "профил", "мест", "ошиб", "письм", "балл",
    "работа", "част", "специалист", "муниципалитет",
)  # fmt: skip
BARE_NUMBER = re.compile(
    r"\{\{\s*(?P<expr>[^}]*?)\s*\}\}\s+(?P<word>(?:" + "|".join(COUNTED) + r")[а-яё]*)"
)
NOT_A_NUMBER = re.compile(r"count:|plural:|date|name|title|label|year|short|position|place")


def templates():
    yield from ROOT.glob("apps/*/templates/**/*.html")
    yield from ROOT.glob("templates/**/*.html")


def test_no_bare_number_before_a_counted_noun():
    found = []
    for path in templates():
        for match in BARE_NUMBER.finditer(path.read_text(encoding="utf-8")):
            if not NOT_A_NUMBER.search(match["expr"]):
                found.append(f"{path.relative_to(ROOT)}: {match[0]}")
    assert found == []


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_form_field_has_a_russian_label():
    for config in apps.get_app_configs():
        if config.name.startswith("apps."):
            with contextlib.suppress(ModuleNotFoundError):
                importlib.import_module(f"{config.name}.forms")
    english = [
        f"{form.__module__}.{form.__name__}.{name}: {field.label}"
        for form in _subclasses(StyledFormMixin)
        for name, field in getattr(form, "base_fields", {}).items()
        if field.label and not re.search("[а-яё]", str(field.label), re.IGNORECASE)
        and str(field.label) not in {"E-mail", "PDF", "URL"}
    ]  # fmt: skip
    assert english == []


class Someone:
    def __init__(self, last, first, middle, gender=""):
        self.last_name, self.first_name, self.middle_name, self.gender = last, first, middle, gender


def test_names_in_sentences_are_declined():
    assert person_in(Someone("Тарасова", "Виктория", "Денисовна"), "gen") == (
        "Тарасовой Виктории Денисовны"
    )
    assert person_in(Someone("Никитин", "Дмитрий", "Андреевич", "male"), "gen", short=True) == (
        "Никитина Д. А."
    )
    assert person_in(Someone("Ким", "Алекс", ""), "gen") == "Ким Алекс"  # gender unknown


SAID = [(1, "Пара сформирована"), (2, "Группа сформирована")]


@pytest.mark.parametrize(("mentees", "said"), SAID)
@pytest.mark.django_db
@on_school_day
def test_a_group_is_not_called_a_pair(curator_client, school, mentees, said):
    from apps.banks.services import add_profile
    from apps.programs.tests.test_units import person

    ensure_dictionaries(org=school)
    pairing = PairingType.objects.filter(organisation=school).first()
    form = FormatType.objects.get(organisation=school, name="Групповое" if mentees > 1 else
                                  "Традиционное «один на один»")  # fmt: skip
    mentor = person(school)
    add_profile(org=school, person=mentor, kind="mentor", values={"capacity": 3}, by=None)
    people = [person(school, experience=1) for _ in range(mentees)]
    for p in people:
        add_profile(org=school, person=p, kind="mentee", values={}, by=None)
    response = curator_client.post(
        reverse("programs:unit-create", args=[school.pk]),
        {"mentor": mentor.pk, "mentees": [p.pk for p in people], "pairing": pairing.pk,
         "format": form.pk, "start": "01.09.2026", "end": "31.05.2027"},
        follow=True,
    )  # fmt: skip
    assert alerts(response) == [f"{said} (статус «Проект»)."]


@pytest.mark.django_db
@on_school_day
def test_a_support_action_names_the_mentee_in_the_genitive(curator_client, school):
    mentee = PersonFactory(organisation=school, last_name="Тарасова", first_name="Виктория",
                           middle_name="Денисовна", gender="female")  # fmt: skip
    helper = PersonFactory(organisation=school, position="Педагог-психолог")
    response = curator_client.post(
        reverse("programs:support-add", args=[school.pk, mentee.pk]),
        {"kind": "psychologist", "date": "20.11.2026", "responsible": helper.pk, "result": "—"},
        follow=True,
    )  # fmt: skip
    assert "Мера поддержки для Тарасовой Виктории Денисовны записана." in alerts(response)
