"""Pairs and groups: rules in the service and in the database, ending, replacing a mentor."""

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from apps.banks.models import Profile, ProfileStatus
from apps.banks.services import add_profile
from apps.people.models import Person
from apps.programs.models import FormatType, MentoringUnit, PairingType, UnitMember
from apps.programs.services import (
    UnitRuleError,
    create_unit,
    end_unit,
    ensure_dictionaries,
    replace_mentor,
)
from tests.clock import on_school_day
from tests.factories import ConsentFactory, PersonFactory
from tests.html import errors, texts

pytestmark = on_school_day  # dates below are of the 2026/2027 school year

START = datetime.date(2026, 9, 1)
END = datetime.date(2027, 5, 31)


def person(school, *kinds, **extra):
    p = PersonFactory(organisation=school, teaching_experience=extra.pop("experience", 12), **extra)
    for kind in ("processing", *kinds):
        ConsentFactory(person=p, kind=kind, given_on=datetime.date(2026, 8, 1))
    return p


@pytest.fixture
def dicts(school):
    ensure_dictionaries(org=school)
    return (
        PairingType.objects.filter(organisation=school).first(),
        FormatType.objects.get(organisation=school, name="Традиционное «один на один»"),
        FormatType.objects.get(organisation=school, name="Групповое"),
    )


def make(school, dicts, mentor, mentees, group=False, **extra):
    pairing, single, grouped = dicts
    return create_unit(
        org=school, mentor=mentor, co_mentor=extra.get("co_mentor"), mentees=mentees,
        pairing=pairing, format=grouped if group else single, start=extra.get("start", START),
        end=extra.get("end", END), created_by=None,
    )  # fmt: skip


def test_it_forms_a_pair_and_marks_the_banks(school, dicts):
    mentor = person(school, "duties_mentor")
    mentee = person(school, "duties_mentee", experience=1)
    add_profile(org=school, person=mentee, kind="mentee", values={}, by=None)
    unit = make(school, dicts, mentor, [mentee])
    assert unit.status == "draft"
    assert list(unit.members.values_list("mentee_id", flat=True)) == [mentee.pk]
    assert Profile.objects.get(person=mentee).status == ProfileStatus.PAIRED


def test_it_refuses_self_mentoring_and_missing_consent(school, dicts):
    mentor = person(school)
    stranger = PersonFactory(organisation=school)  # no consent at all
    with pytest.raises(UnitRuleError) as error:
        make(school, dicts, mentor, [mentor, stranger], group=True)
    assert any("наставником самому себе" in m for m in error.value.messages)
    assert any("нет действующего согласия" in m for m in error.value.messages)
    assert MentoringUnit.objects.count() == 0


def test_it_refuses_a_mentor_over_capacity(school, dicts):
    mentor = person(school)
    mentees = [person(school, experience=1) for _ in range(3)]
    make(school, dicts, mentor, mentees[:2], group=True)
    with pytest.raises(UnitRuleError, match="можно не больше 2"):
        make(school, dicts, mentor, mentees[2:])


def test_it_uses_the_capacity_the_mentor_asked_for(school, dicts):
    mentor = person(school)
    add_profile(org=school, person=mentor, kind="mentor", values={"capacity": 1}, by=None)
    make(school, dicts, mentor, [person(school, experience=1)])
    with pytest.raises(UnitRuleError, match="можно не больше 1"):
        make(school, dicts, mentor, [person(school, experience=1)])


def test_it_checks_experience_dates_and_group_form(school, dicts):
    novice = person(school, experience=1)
    mentees = [person(school, experience=0) for _ in range(2)]
    with pytest.raises(UnitRuleError) as error:
        make(school, dicts, novice, mentees, end=datetime.date(2026, 10, 1))
    messages = " ".join(error.value.messages)
    assert "по Положению наставнику нужно не меньше 3" in messages
    assert "Срок программы 1 мес." in messages
    assert "для пары: выберите одного наставляемого" in messages


def test_a_mentee_has_one_open_unit_per_form(school, dicts):
    mentee = person(school, experience=1)
    make(school, dicts, person(school), [mentee])
    with pytest.raises(UnitRuleError, match="уже в действующей паре"):
        make(school, dicts, person(school), [mentee])


def test_the_database_refuses_what_the_service_would(school, dicts):
    _pairing, single, _group = dicts
    mentor = person(school)
    unit = make(school, dicts, mentor, [person(school, experience=1)])
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitMember.objects.create(unit=unit, mentee=mentor, mentor=mentor, format=single,
                                  joined_on=START)  # fmt: skip
    member = unit.members.get()
    other = make(school, dicts, person(school), [person(school, experience=1)])
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitMember.objects.create(unit=other, mentee=member.mentee, mentor=other.mentor,
                                  format=single, joined_on=START)  # fmt: skip


def test_warns_about_missing_duties_consent(curator_client, school, dicts):
    unit = make(school, dicts, person(school), [person(school, experience=1)])
    page = curator_client.get(reverse("programs:unit-detail", args=[school.pk, unit.pk]))
    warned = [a for a in texts(page, ".alert") if "нет письменного согласия на дополнительные" in a]
    assert len(warned) == 1


def test_early_ending_needs_a_reason_and_frees_capacity(school, dicts):
    mentor = person(school)
    unit = make(school, dicts, mentor, [person(school, experience=1), person(school)], group=True)
    with pytest.raises(UnitRuleError, match="причину"):
        end_unit(unit=unit, completed=False, ended_on=START)
    end_unit(unit=unit, completed=False, ended_on=datetime.date(2026, 12, 1), ended_by="mentor",
             notice_date=datetime.date(2026, 11, 25), reason="Переход в другую школу")  # fmt: skip
    unit.refresh_from_db()
    assert (unit.status, unit.ended_by) == ("terminated", "mentor")
    assert unit.members.filter(is_open=True).count() == 0
    make(school, dicts, mentor, [person(school, experience=1)])  # capacity is free again


def test_replacing_the_mentor_keeps_the_unit_and_history(school, dicts):
    old, new = person(school), person(school)
    unit = make(school, dicts, old, [person(school, experience=1)])
    replace_mentor(unit=unit, new_mentor=new, reason="Длительный больничный", by=None)
    unit.refresh_from_db()
    assert unit.mentor == new
    assert unit.members.get().mentor == new
    assert unit.mentor_changes.get().old_mentor == old


def test_the_curator_forms_a_pair_in_the_browser_form(curator_client, school, dicts):
    mentor = person(school)
    mentee = person(school, experience=1)
    add_profile(org=school, person=mentor, kind="mentor", values={"capacity": 2}, by=None)
    add_profile(org=school, person=mentee, kind="mentee", values={}, by=None)
    response = curator_client.post(
        reverse("programs:unit-create", args=[school.pk]),
        {"mentor": mentor.pk, "mentees": [mentee.pk], "pairing": dicts[0].pk,
         "format": dicts[1].pk, "start": "01.09.2026", "end": "31.05.2027"},
    )  # fmt: skip
    unit = MentoringUnit.objects.get()
    assert response["Location"] == reverse("programs:unit-detail", args=[school.pk, unit.pk])


def test_rule_errors_are_listed_on_the_form(curator_client, school, dicts):
    mentor = person(school, experience=1)
    mentee = person(school, experience=1)
    add_profile(org=school, person=mentor, kind="mentor", values={}, by=None)
    add_profile(org=school, person=mentee, kind="mentee", values={}, by=None)
    response = curator_client.post(
        reverse("programs:unit-create", args=[school.pk]),
        {"mentor": mentor.pk, "mentees": [mentee.pk], "pairing": dicts[0].pk,
         "format": dicts[1].pk, "start": "01.09.2026", "end": "31.05.2027"},
    )  # fmt: skip
    assert [e for e in errors(response) if "Пару нельзя сформировать" in e], errors(response)
    assert MentoringUnit.objects.count() == 0


@pytest.mark.parametrize("count", [1, 3])
def test_the_overview_has_a_flat_query_count(
    curator_client, school, dicts, count, django_assert_num_queries
):
    for _ in range(count):
        make(school, dicts, person(school), [person(school, experience=1)])
    with django_assert_num_queries(9):
        curator_client.get(reverse("programs:unit-list", args=[school.pk]))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_curators_at_once_cannot_break_capacity(school, dicts):
    mentor = person(school)
    add_profile(org=school, person=mentor, kind="mentor", values={"capacity": 1}, by=None)
    mentees = [person(school, experience=1) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def form(mentee):
        barrier.wait()
        try:
            make(school, dicts, mentor, [mentee])
            outcomes.append("ok")
        except UnitRuleError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=form, args=(m,)) for m in mentees]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert UnitMember.objects.filter(mentor=mentor, is_open=True).count() == 1


def test_the_overview_of_2000_units_takes_a_fixed_number_of_queries(
    curator_client, school, dicts, django_assert_max_num_queries
):
    pairing, single, _group = dicts
    people = Person.objects.bulk_create(
        [Person(organisation=school, last_name=f"Р{i}", first_name="И", position="Учитель",
                name_key=f"р{i} и") for i in range(4000)]
    )  # fmt: skip
    units = MentoringUnit.objects.bulk_create(
        [MentoringUnit(organisation=school, year="2026/2027", mentor=people[i], pairing=pairing,
                       format=single, start_date=START, end_date=END, status="active")
         for i in range(0, 4000, 2)]
    )  # fmt: skip
    UnitMember.objects.bulk_create(
        [UnitMember(unit=u, mentee=people[2 * n + 1], mentor=u.mentor, format=single,
                    joined_on=START) for n, u in enumerate(units)]
    )  # fmt: skip
    with django_assert_max_num_queries(10):
        response = curator_client.get(reverse("programs:unit-list", args=[school.pk]))
    assert 'Действует <span class="badge text-bg-light">2000</span>' in response.content.decode()


def test_completing_with_open_tasks_needs_a_reason(school, dicts):
    from apps.programs.models import Task
    from apps.programs.programme import programme_for

    unit = make(school, dicts, person(school), [person(school, experience=1)])
    Task.objects.create(programme=programme_for(unit), direction="М", title="Урок",
                        deadline=START, responsible=unit.mentor)  # fmt: skip
    with pytest.raises(UnitRuleError, match="остались невыполненные задачи \\(1\\)"):
        end_unit(unit=unit, completed=True, ended_on=END)
    end_unit(unit=unit, completed=True, ended_on=END, reason="Задача перенесена в план МО")
    unit.refresh_from_db()
    assert unit.status == "completed"


def test_the_curator_edits_the_dictionaries(curator_client, school, dicts):
    url = reverse("programs:settings", args=[school.pk])
    curator_client.post(url, {"dictionary": "format", "name": "Проектное", "is_group": "on"})
    added = FormatType.objects.get(organisation=school, name="Проектное")
    assert added.is_group
    curator_client.post(reverse("programs:dictionary-toggle", args=[school.pk, "format", added.pk]))
    added.refresh_from_db()
    assert not added.is_active
    form = curator_client.get(reverse("programs:unit-create", args=[school.pk]))
    assert ">Проектное</option>" not in form.content.decode()
