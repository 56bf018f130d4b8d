"""Network matching: stranded mentees, proposals to both schools, units with an outside mentor."""

import pytest
from django.urls import reverse

from apps.matching.models import Decision, MatchingRun, NetworkProposal
from apps.matching.tests.helpers import competencies, mentee, mentor, run_form
from apps.orgs.choices import Role
from apps.programs.models import MentoringUnit
from apps.programs.services import ensure_dictionaries
from conftest import client_for
from tests.factories import MembershipFactory, UserFactory
from tests.html import texts


@pytest.fixture
def world(school, other_school):
    for org in (school, other_school):
        ensure_dictionaries(org=org)
    a = competencies(school, "ФГОС")
    b = competencies(other_school, "ФГОС")
    stranded = mentee(school, a, {"ФГОС": 5}, last_name="Одинокая")
    helper = mentor(other_school, b, {"ФГОС": 5}, capacity=2, last_name="Соседская")
    return {"stranded": stranded, "helper": helper}


def propose(methodist_client, municipality, world) -> NetworkProposal:
    """The methodist runs network matching and sends the one pair to both schools."""
    methodist_client.post(
        reverse("matching:network-new", args=[municipality.pk]),
        run_form([world["stranded"]], [world["helper"]]),
    )
    run = MatchingRun.objects.get(scope="network")
    methodist_client.post(reverse("matching:network-detail", args=[municipality.pk, run.pk]))
    return NetworkProposal.objects.get()


def test_the_methodist_matches_across_schools(methodist_client, municipality, world):
    page = methodist_client.get(reverse("matching:network-new", args=[municipality.pk]))
    names = [label.split()[0] for label in texts(page, ".people-picker label")]
    assert sorted(names) == ["Одинокая", "Соседская"]
    response = methodist_client.post(
        reverse("matching:network-new", args=[municipality.pk]),
        run_form([world["stranded"]], [world["helper"]]),
    )
    run = MatchingRun.objects.get(scope="network")
    assert response.status_code == 302
    assert run.pairs == [[world["stranded"].pk, world["helper"].pk]]
    page = methodist_client.get(response["Location"])
    reasons = texts(page, f'tr[data-mentee="{world["stranded"].pk}"] ul li')
    assert [r for r in reasons if r.endswith(": покрывает все запросы (1): ФГОС")]
    # Across schools competencies are compared by name, and «та же школа» is not counted.
    methodist_client.post(response["Location"])
    assert NetworkProposal.objects.count() == 1


def test_both_curators_agree_and_the_unit_is_formed(
    methodist_client, curator_client, municipality, other_school, school, world
):
    proposal = propose(methodist_client, municipality, world)
    page = curator_client.get(reverse("matching:run-list", args=[school.pk]))
    assert "Сетевые предложения пар" in texts(page, "h2")
    curator_client.post(
        reverse("matching:network-decide", args=[school.pk]),
        {"id": proposal.pk, "action": "accept"},
    )
    proposal.refresh_from_db()
    assert proposal.mentee_side == Decision.ACCEPTED
    assert proposal.unit is None
    other_user = UserFactory(email="other-curator@example.org")
    MembershipFactory(user=other_user, organisation=other_school, role=Role.CURATOR)
    client_for(other_user).post(
        reverse("matching:network-decide", args=[other_school.pk]),
        {"id": proposal.pk, "action": "accept"},
    )
    proposal.refresh_from_db()
    unit = MentoringUnit.objects.get()
    assert proposal.unit == unit
    assert unit.organisation == school
    assert unit.mentor == world["helper"]
    assert unit.format.name.startswith("Виртуальное")


def test_a_school_outside_the_proposal_cannot_decide(world, municipality, methodist_client,
                                                      far_school):  # fmt: skip
    proposal = propose(methodist_client, municipality, world)
    user = UserFactory(email="far-curator@example.org")
    MembershipFactory(user=user, organisation=far_school, role=Role.CURATOR)
    response = client_for(user).post(
        reverse("matching:network-decide", args=[far_school.pk]),
        {"id": proposal.pk, "action": "accept"},
    )
    assert response.status_code == 404


@pytest.mark.parametrize("extra", [0, 15])
def test_network_pages_keep_a_flat_query_count(
    methodist_client, municipality, school, other_school, world, extra,
    django_assert_max_num_queries,
):  # fmt: skip
    a = competencies(school, "ФГОС")
    b = competencies(other_school, "ФГОС")
    for _ in range(extra):
        mentee(school, a, {"ФГОС": 4})
        mentor(other_school, b, {"ФГОС": 5}, capacity=1)
    url = reverse("matching:network-new", args=[municipality.pk])
    with django_assert_max_num_queries(20):
        methodist_client.get(url)
    response = methodist_client.post(url, run_form([world["stranded"]], [world["helper"]]))
    with django_assert_max_num_queries(12):
        methodist_client.get(response["Location"])
