"""A school that starts late: the default plan begins on its start day, on working days."""

import datetime

import pytest
from django.urls import reverse

from apps.core.workdays import is_working_day
from apps.roadmap.models import RoadmapItem
from apps.roadmap.services import PlanShiftError, default_plan, ensure_roadmap, shift_plan
from tests.html import texts

YEAR = "2026/2027"
DECEMBER = datetime.datetime(2026, 12, 7, 12, tzinfo=datetime.UTC)


def roadmap_url(org):
    return reverse("roadmap:roadmap", args=[org.pk]) + f"?year={YEAR}"


def shift_url(org):
    return reverse("roadmap:plan-shift", args=[org.pk]) + f"?year={YEAR}"


def test_the_default_plan_falls_on_working_days(school):
    items = default_plan(school, YEAR)
    assert [i.activity for i in items if not is_working_day(i.end)] == []
    assert [i.activity for i in items if not is_working_day(i.start)] == []
    # «октябрь–ноябрь» ended on Monday 30.11; «сентябрь» ends on Wednesday 30.09.
    assert {i.end for i in items if i.stage == 1} == {
        datetime.date(2026, 9, 30),
        datetime.date(2026, 10, 30),  # «сентябрь–октябрь»: 31.10 is a Saturday
    }


@pytest.mark.time_machine(DECEMBER)
def test_a_school_starting_in_december_opens_without_overdue_items(school, curator_client):
    page = curator_client.get(roadmap_url(school))
    assert page.context["overdue"] == 0
    assert texts(page, "h2 .badge.text-bg-danger") == []
    items = page.context["plan"]["rows"]
    assert min(r["item"].start for r in items) >= datetime.date(2026, 12, 7)
    assert max(r["item"].end for r in items) == datetime.date(2027, 6, 30)
    # Saving keeps what the page showed.
    curator_client.post(reverse("roadmap:item-create", args=[school.pk]) + f"?year={YEAR}",
                        {"default_plan": "1"})  # fmt: skip
    saved = RoadmapItem.objects.filter(organisation=school)
    assert min(saved.values_list("start", flat=True)) >= datetime.date(2026, 12, 7)


@pytest.mark.time_machine(DECEMBER)
def test_it_shifts_a_saved_plan_to_the_start_day(school, curator_client):
    ensure_roadmap(school, YEAR, today=datetime.date(2026, 9, 1))  # saved in September
    done = RoadmapItem.objects.filter(organisation=school).order_by("pk").first()
    done.done_on = datetime.date(2026, 9, 20)
    done.save()
    assert curator_client.get(roadmap_url(school)).context["overdue"] == 13
    response = curator_client.post(shift_url(school), {"start": "14.12.2026"})
    assert response.status_code == 302
    page = curator_client.get(roadmap_url(school))
    assert page.context["overdue"] == 0
    items = RoadmapItem.objects.filter(organisation=school).exclude(pk=done.pk)
    assert min(items.values_list("start", flat=True)) == datetime.date(2026, 12, 14)
    assert [i.activity for i in items if not is_working_day(i.end)] == []
    done.refresh_from_db()
    assert done.start == datetime.date(2026, 9, 1)  # done items keep their dates


def test_it_refuses_a_start_outside_the_year_and_after_the_plan(school, curator_client):
    response = curator_client.post(shift_url(school), {"start": "01.01.2030"}, follow=True)
    assert texts(response, ".alert-danger") == ["Дата 01.01.2030 вне учебного года 2026/2027."]
    response = curator_client.post(shift_url(school), {"start": "32.13.2026"}, follow=True)
    assert texts(response, ".alert-danger") == ["Введите правильную дату."]
    with pytest.raises(PlanShiftError):
        shift_plan(org=school, year=YEAR, start=datetime.date(2027, 7, 15))
    assert RoadmapItem.objects.filter(organisation=school, start__gte="2027-07-01").count() == 0


def test_the_shift_is_post_only_for_managers_of_this_school(
    school, curator_client, mentor_client, head_client, outsider_client
):
    assert curator_client.get(shift_url(school)).status_code == 405
    assert mentor_client.post(shift_url(school), {"start": "14.12.2026"}).status_code == 403
    assert outsider_client.post(shift_url(school), {"start": "14.12.2026"}).status_code == 404
    assert not RoadmapItem.objects.exists()
    assert head_client.post(shift_url(school), {"start": "14.12.2026"}).status_code == 302
    assert RoadmapItem.objects.filter(organisation=school).exists()
