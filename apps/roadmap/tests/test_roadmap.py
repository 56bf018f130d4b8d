"""The roadmap: default plan per year, statuses derived from data, timeline, network view."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.documents.models import DocKind
from apps.documents.services import attach_scan, issue
from apps.documents.tests.test_documents import PDF, pair_world
from apps.roadmap.models import RoadmapItem
from apps.roadmap.services import ensure_roadmap, term_dates
from apps.roadmap.status import DONE, PROGRESS, TODO, school_stages
from tests.html import errors, records, select

YEAR = "2026/2027"


@pytest.mark.parametrize(
    ("term", "start", "end"),
    [
        ("сентябрь", "2026-09-01", "2026-09-30"),
        ("октябрь–ноябрь", "2026-10-01", "2026-11-30"),
        ("декабрь, апрель", "2026-12-01", "2027-04-30"),
        ("в течение года", "2026-09-01", "2027-05-31"),
        ("май", "2027-05-01", "2027-05-31"),
    ],
)
def test_terms_become_dates_of_the_academic_year(term, start, end):
    assert term_dates(term, YEAR) == (
        datetime.date.fromisoformat(start),
        datetime.date.fromisoformat(end),
    )


def test_the_default_plan_is_created_once(school):
    items = ensure_roadmap(school, YEAR)
    assert len(items) >= 15
    assert {i.stage for i in items} == set(range(1, 8))
    assert len(ensure_roadmap(school, YEAR)) == len(items)


def held_session(school):
    from apps.events.models import Event, Participant

    ended = datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC)  # within YEAR, in the past
    event = Event.objects.create(
        organisation=school, kind="session", title="Сессия", audience="mentors",
        starts_at=ended - datetime.timedelta(hours=2), ends_at=ended, place="Зал",
    )  # fmt: skip
    Participant.objects.create(event=event, guest_name="Гость", attended=True)


def test_stage_statuses_follow_the_data(school, curator_client):
    stages = {s.number: s for s in school_stages(school, YEAR)}
    assert stages[1].status == TODO
    assert stages[5].status == TODO
    world = pair_world(school)
    day = datetime.date(2026, 11, 25)
    order = issue(org=school, kind=DocKind.POLOZHENIE, by=None, day=day)
    stages = {s.number: s for s in school_stages(school, YEAR)}
    assert stages[1].status == PROGRESS  # prepared, not signed yet
    assert "подготовлен, ждёт подписи" in stages[1].checks[0].text
    attach_scan(order, SimpleUploadedFile("s.pdf", PDF), by=None)
    stages = {s.number: s for s in school_stages(school, YEAR)}
    assert stages[1].status == PROGRESS
    assert stages[1].checks[0].ok
    assert stages[4].status == PROGRESS  # a unit exists, the session is still to be held
    held_session(school)
    stages = {s.number: s for s in school_stages(school, YEAR)}
    assert stages[4].status == DONE
    # A unit in «Проект» is not working yet: the roadmap says so, like the units page.
    assert (stages[5].checks[0].ok, stages[5].checks[0].text.split(";")[0]) == (
        False,
        "Пар и групп действует: 0",
    )
    curator = issue(org=school, kind=DocKind.CURATOR, by=None, day=day)
    pairs = issue(org=school, kind=DocKind.PAIRS, by=None, day=day, unit_ids=[world["unit"].pk])
    for doc in (curator, pairs):
        attach_scan(doc, SimpleUploadedFile("s.pdf", PDF), by=None)
    stages = {s.number: s for s in school_stages(school, YEAR)}
    assert stages[1].status == DONE
    # The signed pairs order launched its unit: both pages count one working pair.
    assert (stages[5].checks[0].ok, stages[5].checks[0].text) == (True, "Пар и групп действует: 1")
    units = curator_client.get(reverse("programs:unit-list", args=[school.pk]))
    assert [(c, n) for c, _label, n in units.context["statuses"]][:2] == [
        ("draft", 0),
        ("active", 1),
    ]
    page = curator_client.get(reverse("roadmap:roadmap", args=[school.pk]) + f"?year={YEAR}")
    checks = [li.select("span")[1].text for li in select(page, "li.d-flex")]
    # The visually hidden «Сделано:» tells a screen reader the check is met.
    assert "Сделано:Приказ об утверждении Положения: подписан" in checks


def test_the_polozhenie_appendix_takes_the_schools_roadmap(school):
    from apps.documents.tests.test_documents import text_of

    ensure_roadmap(school, YEAR)
    RoadmapItem.objects.filter(organisation=school, stage=6).update(activity="Наш фестиваль")
    document = issue(org=school, kind=DocKind.POLOZHENIE, by=None, day=datetime.date(2026, 9, 2))
    assert "Наш фестиваль" in text_of(document)


def test_items_are_edited_with_checks(curator_client, school):
    url = reverse("roadmap:item-create", args=[school.pk]) + f"?year={YEAR}"
    page = curator_client.post(
        url,
        {"stage": 4, "activity": "Установочная сессия", "start": "10.10.2026",
         "end": "01.10.2026"},
    )  # fmt: skip
    assert errors(page) == ["Окончание раньше начала."]
    curator_client.post(
        url,
        {"stage": 4, "activity": "Установочная сессия", "start": "10.10.2026",
         "end": "10.10.2026", "responsible": "Куратор"},
    )  # fmt: skip
    item = RoadmapItem.objects.get(activity="Установочная сессия")
    assert (item.year, item.stage) == (YEAR, 4)
    page = curator_client.get(reverse("roadmap:roadmap", args=[school.pk]) + f"?year={YEAR}")
    # The plan saved on 1 December begins then; the new item of 10 October comes first.
    stage4 = [row["Мероприятие"] for row in records(page, ".gantt") if row["Этап"] == "4"]
    assert stage4[0] == "Установочная сессия"


@pytest.mark.parametrize("extra", [0, 4])
def test_the_network_view_keeps_a_flat_query_count(
    methodist_client, municipality, school, extra, django_assert_max_num_queries
):
    from tests.factories import OrganisationFactory

    for i in range(extra):
        OrganisationFactory(parent=municipality, slug=f"extra-{i}")
    # 16 + stage 7 (pages, posts, covered events, social copies)
    with django_assert_max_num_queries(20):
        response = methodist_client.get(reverse("roadmap:network", args=[municipality.pk]))
    assert response.status_code == 200
