"""Per-school defaults are created once, when the school is created (orgs.signals.school_created)
or by `manage.py ensure_school_defaults`; pages only read them — a GET writes nothing."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.orgs.choices import OrgKind
from apps.programs import shipped
from apps.programs.models import (
    FormatType,
    MentoringUnit,
    PairingType,
    Programme,
    ProgrammeTemplate,
    ProgramSettings,
)
from apps.programs.services import FORMATS, PAIRINGS, ensure_dictionaries
from apps.roadmap.models import RoadmapItem
from apps.roadmap.plan import ROADMAP
from tests.factories import OrganisationFactory

UNPLANNED = "2029/2030"  # a year no school has planned
APPS = Path(__file__).resolve().parent.parent / "apps"


def _defaults(org) -> dict[str, int]:
    return {
        "pairings": PairingType.objects.filter(organisation=org).count(),
        "formats": FormatType.objects.filter(organisation=org).count(),
        "settings": ProgramSettings.objects.filter(organisation=org).count(),
        "templates": ProgrammeTemplate.objects.filter(organisation=org).count(),
    }


def _forget_defaults(org) -> None:
    """A school created before the defaults were given on creation."""
    for model in (ProgrammeTemplate, ProgramSettings, PairingType, FormatType):
        model.objects.filter(organisation=org).delete()


@pytest.fixture
def full(municipality) -> dict[str, int]:
    return _defaults(OrganisationFactory(parent=municipality, short_name="Эталон"))


def test_it_gives_a_new_school_its_defaults(municipality):
    school = OrganisationFactory(parent=municipality)
    assert _defaults(school) == {
        "pairings": len(PAIRINGS),
        "formats": len(FORMATS),
        "settings": 1,
        "templates": len(shipped.TEMPLATES),
    }


def test_it_gives_nothing_to_a_municipality(municipality):
    assert _defaults(municipality) == dict.fromkeys(
        ("pairings", "formats", "settings", "templates"), 0
    )


def test_it_gives_defaults_to_schools_created_through_the_form(curator_client, municipality):
    from apps.orgs.forms import ChildOrganisationForm
    from apps.orgs.services import create_child_organisation

    form = ChildOrganisationForm(
        {"kind": OrgKind.SCHOOL, "name": "Школа № 9", "short_name": "Школа № 9", "slug": "s9"},
        parent=municipality,
    )
    assert form.is_valid(), form.errors
    school = create_child_organisation(parent=municipality, form=form)
    assert _defaults(school)["pairings"] == len(PAIRINGS)
    assert _defaults(school)["settings"] == 1


def test_the_command_fills_in_an_existing_school_and_is_idempotent(school, full):
    _forget_defaults(school)
    school_edited = PairingType.objects.create(organisation=school, name=PAIRINGS[0], order=7)
    call_command("ensure_school_defaults", stdout=StringIO())
    assert _defaults(school) == full
    call_command("ensure_school_defaults", stdout=StringIO())
    assert _defaults(school) == full
    school_edited.refresh_from_db()
    assert school_edited.order == 7


def test_a_views_file_creates_no_defaults():
    offenders = []
    for path in sorted(APPS.rglob("*.py")):
        parts = path.relative_to(APPS).parts
        if "tests" in parts or "migrations" in parts:
            continue
        if not (path.name == "views.py" or "views" in parts[:-1]):
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if re.search(r"get_or_create\(|\bensure_\w*\(", line):
                offenders.append(f"{path.relative_to(APPS)}:{number}")
    assert offenders == []


WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def _writes(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in queries.captured_queries if WRITES.match(q["sql"])]


@pytest.fixture
def old_school(school):
    _forget_defaults(school)
    return school


@pytest.mark.parametrize(
    "name",
    [
        "programs:unit-create",
        "programs:settings",
        "roadmap:roadmap",
        "matching:run-new",
        "matching:settings",
        "matching:waitlist",
        "documents:settings",
        "publicity:settings",
        "publicity:news",
    ],
)
def test_it_writes_nothing_on_get_of_a_school_page(curator_client, old_school, name):
    assert _writes(curator_client, reverse(name, args=[old_school.pk])) == []


def test_it_writes_nothing_on_get_of_a_programme_not_started(curator_client, school):
    from apps.programs.tests.test_units import make, person

    ensure_dictionaries(org=school)
    dicts = (
        PairingType.objects.filter(organisation=school).first(),
        FormatType.objects.get(organisation=school, name="Традиционное «один на один»"),
        FormatType.objects.get(organisation=school, name="Групповое"),
    )
    unit = make(school, dicts, person(school), [person(school, experience=1)])
    Programme.objects.filter(unit=unit).delete()
    url = reverse("programs:programme", args=[school.pk, unit.pk])
    assert _writes(curator_client, url) == []
    assert not Programme.objects.filter(unit=unit).exists()
    assert MentoringUnit.objects.filter(pk=unit.pk).exists()


def test_it_shows_the_default_plan_of_an_unplanned_year_without_saving_it(curator_client, school):
    year = UNPLANNED
    page = curator_client.get(reverse("roadmap:roadmap", args=[school.pk]) + f"?year={year}")
    assert page.status_code == 200
    assert len(page.context["plan"]["rows"]) == len(ROADMAP)
    assert not RoadmapItem.objects.filter(organisation=school, year=year).exists()


def test_it_keeps_the_default_plan_when_an_item_is_added_to_an_unplanned_year(
    curator_client, school
):
    year = UNPLANNED
    curator_client.post(
        reverse("roadmap:item-create", args=[school.pk]) + f"?year={year}",
        {"stage": 4, "activity": "Наш фестиваль", "start": "10.10.2029",
         "end": "10.10.2029", "responsible": "Куратор"},
    )  # fmt: skip
    items = RoadmapItem.objects.filter(organisation=school, year=year)
    assert items.count() == len(ROADMAP) + 1
    assert items.filter(activity="Наш фестиваль").count() == 1


def test_it_saves_the_default_plan_by_a_post(curator_client, school):
    url = reverse("roadmap:roadmap", args=[school.pk]) + f"?year={UNPLANNED}"
    page = curator_client.get(url)
    assert page.context["unsaved"] is True
    create = reverse("roadmap:item-create", args=[school.pk]) + f"?year={UNPLANNED}"
    response = curator_client.post(create, {"default_plan": "1"})
    assert response.status_code == 302
    assert RoadmapItem.objects.filter(organisation=school, year=UNPLANNED).count() == len(ROADMAP)
    assert curator_client.get(url).context["unsaved"] is False
    curator_client.post(create, {"default_plan": "1"})
    assert RoadmapItem.objects.filter(organisation=school, year=UNPLANNED).count() == len(ROADMAP)
