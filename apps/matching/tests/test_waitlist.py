"""Mentees without a pair: reasons, who can take them now, support actions."""

import pytest
from django.urls import reverse

from apps.banks.services import add_profile
from apps.programs.models import SupportAction
from apps.programs.services import ensure_dictionaries
from apps.programs.tests.test_units import dicts, make, person  # noqa: F401
from tests.html import select, texts


def test_the_waitlist_explains_and_suggests(curator_client, school, dicts):  # noqa: F811
    waiting = person(school, experience=1, last_name="Ожидающая")
    paired = person(school, experience=1, last_name="Впаре")
    for mentee in (waiting, paired):
        add_profile(org=school, person=mentee, kind="mentee", values={}, by=None)
    url = reverse("matching:waitlist", args=[school.pk])
    page = curator_client.get(url)
    reasons = {c.select("h2")[0].text: c.select("p")[1].text for c in select(page, "section.card")}
    assert sorted(reasons) == sorted([waiting.full_name, paired.full_name])
    assert reasons[waiting.full_name] == (
        "Нет наставников со свободными местами: все заняты или банк наставников пуст."
    )

    mentor = person(school, last_name="Свободная")
    add_profile(org=school, person=mentor, kind="mentor", values={"capacity": 2}, by=None)
    make(school, dicts, mentor, [paired])
    page = curator_client.get(url)
    assert texts(page, "section.card h2") == [waiting.full_name]
    assert texts(page, "section.card p.small.mb-1")[-1] == f"Могут взять сейчас: {mentor.full_name}"


def test_support_actions_are_recorded(curator_client, school):
    mentee = person(school, experience=1)
    add_profile(org=school, person=mentee, kind="mentee", values={}, by=None)
    psychologist = person(school, position="Педагог-психолог")
    response = curator_client.post(
        reverse("programs:support-add", args=[school.pk, mentee.pk]),
        {"kind": "psychologist", "date": "20.11.2026", "responsible": psychologist.pk,
         "result": "Обсудили тревожность перед открытым уроком"},
    )  # fmt: skip
    assert response.status_code == 302
    action = SupportAction.objects.get()
    assert (action.mentee, action.responsible) == (mentee, psychologist)
    page = curator_client.get(reverse("matching:waitlist", args=[school.pk]))
    assert [s for s in texts(page, "section.card ul li") if "Консультация педагога-психолога" in s]


@pytest.mark.parametrize("count", [1, 3])
def test_the_waitlist_has_a_flat_query_count(
    curator_client, school, count, django_assert_num_queries
):
    ensure_dictionaries(org=school)
    for _ in range(count):
        mentee = person(school, experience=1)
        add_profile(org=school, person=mentee, kind="mentee", values={}, by=None)
    with django_assert_num_queries(13):
        curator_client.get(reverse("matching:waitlist", args=[school.pk]))
