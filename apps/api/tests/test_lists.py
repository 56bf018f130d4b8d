"""Pagination and filters."""

import datetime

import pytest
from django.utils import timezone

from apps.events.models import Event
from apps.people.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_limit_offset_and_count(school, data, as_reader):
    PersonFactory.create_batch(5, organisation=school)
    first = as_reader.get(f"/organisations/{school.pk}/staff", limit=3).json()
    assert first["count"] == 7
    assert len(first["items"]) == 3
    rest = as_reader.get(f"/organisations/{school.pk}/staff", limit=3, offset=3).json()
    assert {p["id"] for p in first["items"]}.isdisjoint({p["id"] for p in rest["items"]})


def test_page_size_is_bounded(school, data, as_reader):
    response = as_reader.get(f"/organisations/{school.pk}/staff", limit=1000)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "query.limit", "message": "Значение слишком большое."}
    ]


def test_staff_filters(school, data, as_reader):
    Person.objects.filter(pk=data.mentor_id).update(status="archived")
    url = f"/organisations/{school.pk}/staff"
    assert as_reader.get(url).json()["count"] == 1
    assert as_reader.get(url, status="all").json()["count"] == 2
    assert as_reader.get(url, status="archived").json()["items"][0]["id"] == data.mentor_id
    assert as_reader.get(url, q="сидоров", status="all").json()["count"] == 1
    assert as_reader.get(url, q="математ", status="all").json()["count"] == 1
    assert as_reader.get(url, status="fired").status_code == 422


def test_events_date_filter(school, data, as_reader):
    start = timezone.now() + datetime.timedelta(days=60)
    Event.objects.create(
        organisation=school,
        kind="seminar",
        title="Поздний",
        audience="staff",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        place="1",
    )
    url = f"/organisations/{school.pk}/events"
    assert as_reader.get(url).json()["count"] == 2
    later = (timezone.localdate() + datetime.timedelta(days=40)).isoformat()
    titles = [e["title"] for e in as_reader.get(url, **{"from": later}).json()["items"]]
    assert titles == ["Поздний"]
    titles = [e["title"] for e in as_reader.get(url, to=later).json()["items"]]
    assert titles == ["Установочная сессия"]
    assert as_reader.get(url, to="31.12.2026").status_code == 422


def test_units_status_filter_and_detail(school, data, as_reader):
    url = f"/organisations/{school.pk}/units"
    assert as_reader.get(url, status="active").json()["count"] == 1
    assert as_reader.get(url, status="draft").json()["count"] == 0
    unit = as_reader.get(f"{url}/{data.unit_id}").json()
    assert unit["members"][0]["person"]["id"] == data.person_id
    assert unit["programme"]["tasks"][0]["title"] == "Открытый урок"


def test_bank_profiles_need_a_valid_consent(school, data, as_reader):
    url = f"/organisations/{school.pk}/bank-profiles"
    assert as_reader.get(url).json()["count"] == 2
    assert as_reader.get(url, kind="mentor").json()["items"][0]["person_id"] == data.mentor_id
    Person.objects.get(pk=data.mentor_id).consents.update(withdrawn_at=timezone.now())
    assert as_reader.get(url).json()["count"] == 1


def test_indicators(school, municipality, data, as_reader):
    body = as_reader.get(f"/organisations/{school.pk}/indicators").json()
    assert body["summary"]["units"] == 1
    assert body["summary"]["mentees"] == 1
    assert body["schools"][0]["organisation_id"] == school.pk
    assert (
        as_reader.get(f"/organisations/{school.pk}/indicators", year="2025/2027").status_code == 422
    )
