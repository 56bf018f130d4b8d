"""of(org) / within(org) / get_for: the tenancy of every organisation-owned model, said once."""

import pytest
from django.apps import apps
from django.http import Http404

from apps.audit.models import AuditEvent
from apps.orgs.models import Organisation
from apps.orgs.tenancy import OrgQuerySet, get_for, get_within
from apps.people.models import Consent, Person
from tests.factories import ConsentFactory, PersonFactory


@pytest.fixture
def staff(school, other_school, far_school):
    return {
        "ours": PersonFactory(organisation=school, last_name="Наша"),
        "neighbour": PersonFactory(organisation=other_school, last_name="Соседняя"),
        "far": PersonFactory(organisation=far_school, last_name="Дальняя"),
    }


def _names(queryset) -> list[str]:
    return sorted(queryset.values_list("last_name", flat=True))


def test_it_gives_the_rows_of_one_organisation(school, staff):
    assert _names(Person.objects.of(school)) == ["Наша"]


def test_it_accepts_an_organisation_id(school, staff):
    assert _names(Person.objects.of(school.pk)) == ["Наша"]


def test_it_gives_nothing_of_an_organisation_above_with_of(municipality, staff):
    assert _names(Person.objects.of(municipality)) == []


def test_it_gives_the_subtree_with_within(region, municipality, other_municipality, staff):
    assert _names(Person.objects.within(municipality)) == ["Наша", "Соседняя"]
    assert _names(Person.objects.within(other_municipality)) == ["Дальняя"]
    assert _names(Person.objects.within(region)) == ["Дальняя", "Наша", "Соседняя"]


def test_it_gives_a_school_only_its_own_rows_with_within(school, staff):
    assert _names(Person.objects.within(school)) == ["Наша"]


def test_it_scopes_a_model_owned_through_its_parent(school, municipality, far_school, staff):
    ours = ConsentFactory(person=staff["ours"])
    ConsentFactory(person=staff["far"])

    assert list(Consent.objects.of(school)) == [ours]
    assert list(Consent.objects.within(municipality)) == [ours]
    assert list(Consent.objects.of(municipality)) == []


def test_it_keeps_the_scope_after_other_filters(school, staff):
    assert _names(Person.objects.filter(last_name__startswith="Н").within(school)) == ["Наша"]


def test_it_gets_an_object_of_the_organisation(school, staff):
    assert get_for(school, Person, staff["ours"].pk) == staff["ours"]


def test_it_answers_404_for_an_object_of_another_school(school, staff):
    with pytest.raises(Http404):
        get_for(school, Person, staff["neighbour"].pk)


def test_it_answers_404_for_a_missing_object(school, staff):
    with pytest.raises(Http404):
        get_for(school, Person, staff["far"].pk + 1000)


def test_it_narrows_a_given_queryset(school, staff):
    archived = Person.objects.filter(status="archived")

    with pytest.raises(Http404):
        get_for(school, archived, staff["ours"].pk)


def test_it_applies_extra_lookups(school, staff):
    with pytest.raises(Http404):
        get_for(school, Person, staff["ours"].pk, last_name="Другая")


def test_it_gets_an_object_below_with_get_within(municipality, staff):
    assert get_within(municipality, Person, staff["neighbour"].pk) == staff["neighbour"]
    with pytest.raises(Http404):
        get_within(municipality, Person, staff["far"].pk)


def _reaches_an_organisation(model, seen=()) -> bool:
    for field in model._meta.fields:
        if not field.many_to_one and not field.one_to_one:
            continue
        target = field.related_model
        if target is Organisation:
            return True
        if (
            target._meta.app_label != "orgs"
            and target not in seen
            and _reaches_an_organisation(target, (*seen, model))
        ):
            return True
    return False


def _owned_models() -> list:
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("apps.")
        and model is not Organisation
        and _reaches_an_organisation(model)
    ]


@pytest.mark.parametrize("model", _owned_models(), ids=lambda model: model._meta.label)
def test_it_gives_every_organisation_owned_model_a_scoped_queryset(model, school):
    queryset = model._default_manager.all()

    assert isinstance(queryset, OrgQuerySet)
    # The lookup resolves (a wrong org_field raises FieldError when the query is built). A new
    # school may hold its defaults (orgs.signals.school_created): they are its own and its
    # municipality's subtree holds nothing else.
    own = sorted(queryset.of(school).values_list("pk", flat=True))
    assert sorted(queryset.within(school.parent).values_list("pk", flat=True)) == own
    assert list(queryset.of(school.parent)) == []


def test_it_reads_the_kept_path_of_a_journal_row(municipality, school, far_school):
    kept = AuditEvent.objects.create(organisation=None, org_path=school.path, model="Person")
    AuditEvent.objects.create(organisation=far_school, org_path=far_school.path, model="Person")

    assert list(AuditEvent.objects.within(municipality)) == [kept]
    assert list(AuditEvent.objects.within(school)) == [kept]
