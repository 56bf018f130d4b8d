"""The overview: the organisation tree with links at every level, and «Что сделать дальше» for
each role from the live data, at a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse

from apps.documents.models import DocKind, DocStatus, Document
from apps.orgs.choices import OrgKind, Role
from apps.orgs.forms import ChildOrganisationForm
from apps.orgs.models import Organisation
from apps.programs.models import (
    FormatType,
    MentoringUnit,
    PairingType,
    Programme,
    Task,
    UnitMember,
)
from apps.programs.services import ensure_dictionaries
from tests.clock import on_school_day
from tests.factories import ConsentFactory, MembershipFactory, PersonFactory, UserFactory
from tests.html import select

pytestmark = [pytest.mark.django_db, on_school_day]
TODAY = datetime.date(2026, 12, 1)
MENTEES = ("Иванова", "Петрова", "Сидорова")


def links(page, css: str) -> list[tuple[str, str]]:
    return [(a.text.strip(), a.attrs["href"]) for a in select(page, css) if a.tag == "a"]


def steps(page) -> list[str]:
    return [li.text.strip().lstrip("●○ ").removeprefix("Срочно: ") for li in
            select(page, ".next-steps-list li")]  # fmt: skip


@pytest.fixture
def region_admin(region):
    user = UserFactory(email="admin@region.example.org")
    MembershipFactory(user=user, organisation=region, role=Role.ADMIN)
    return user


def test_it_shows_the_region_tree_with_links_at_every_level(
    client, region_admin, region, municipality, school, other_school
):
    client.force_login(region_admin)
    page = client.get(reverse("overview:org-dashboard", args=[region.pk]))
    tree = links(page, ".org-tree a")
    assert tree == [
        ("Город Энск", reverse("overview:org-dashboard", args=[municipality.pk])),
        ("Школа № 1", reverse("overview:org-dashboard", args=[school.pk])),
        ("Школа № 2", reverse("overview:org-dashboard", args=[other_school.pk])),
    ]
    assert [a.text for a in select(page, "#schools-h")[0].parent.select("a.btn")] == [
        "Добавить муниципалитет"
    ]
    crumbs = client.get(reverse("overview:org-dashboard", args=[school.pk]))
    assert links(crumbs, ".breadcrumb a") == [
        ("Регион", reverse("overview:org-dashboard", args=[region.pk])),
        ("Город Энск", reverse("overview:org-dashboard", args=[municipality.pk])),
    ]


def test_a_curator_sees_the_way_up_but_no_links_above_the_school(curator_client, school):
    page = curator_client.get(reverse("overview:org-dashboard", args=[school.pk]))
    assert [li.text for li in select(page, ".breadcrumb li")] == [
        "Регион", "Город Энск", "Школа № 1"
    ]  # fmt: skip
    assert links(page, ".breadcrumb a") == []


def test_adding_an_organisation_offers_only_the_next_level(region, municipality):
    region_form = ChildOrganisationForm(parent=region)
    assert region_form.fields["kind"].choices == [("municipality", "Муниципалитет")]
    assert ChildOrganisationForm(parent=municipality).fields["kind"].choices == [
        ("school", "Образовательная организация")
    ]
    form = ChildOrganisationForm(
        {"kind": "school", "slug": "x-school", "name": "Школа X", "short_name": "X"},
        parent=region,
    )
    assert not form.is_valid()
    assert "kind" in form.errors


def test_a_region_admin_adds_a_municipality_from_the_region(client, region_admin, region):
    client.force_login(region_admin)
    url = reverse("orgs:org-create-child", args=[region.pk])
    page = client.get(url).content.decode()
    assert 'type="hidden" name="kind" value="municipality"' in page
    client.post(
        url, {"kind": "municipality", "slug": "zarechny", "name": "Заречный район",
              "short_name": "Заречный"},
    )  # fmt: skip
    assert Organisation.objects.get(slug="zarechny").kind == OrgKind.MUNICIPALITY


# --- what to do next -------------------------------------------------------------------------


def _person(school, last, *kinds, user=None):
    person = PersonFactory(organisation=school, last_name=last, gender="female", user=user)
    for kind in ("processing", *kinds):
        ConsentFactory(person=person, kind=kind, given_on=datetime.date(2026, 8, 1))
    return person


def _units(school, count: int, *, mentor=None, mentee=None, consents=()):
    ensure_dictionaries(org=school)
    pairing = PairingType.objects.filter(organisation=school).first()
    form = FormatType.objects.filter(organisation=school).first()
    units = []
    for n in range(count):
        lead = mentor or _person(school, f"Наставникова{n}", *consents)
        learner = mentee if (mentee and n == 0) else _person(school, MENTEES[n])
        unit = MentoringUnit.objects.create(
            organisation=school, year="2026/2027", mentor=lead, pairing=pairing, format=form,
            start_date=datetime.date(2026, 10, 1), end_date=datetime.date(2027, 5, 31),
        )  # fmt: skip
        UnitMember.objects.create(
            unit=unit, mentee=learner, mentor=lead, format=form, joined_on=unit.start_date
        )
        programme = Programme.objects.create(unit=unit)
        for title, day in ((f"Посетить урок {n}", 20), (f"Разобрать урок {n}", 10)):
            Task.objects.create(
                programme=programme, direction="Методика", title=title, responsible=lead,
                deadline=datetime.date(2026, 11 if day == 20 else 12, day),
            )  # fmt: skip
        units.append(unit)
    return units


def test_a_curator_is_told_which_consents_block_the_pairs_order(curator_client, school):
    _units(school, 3)
    page = curator_client.get(reverse("overview:org-dashboard", args=[school.pk]))
    assert steps(page) == [
        "3 наставника без согласия на доп. обязанности — приказ о закреплении не сформировать",
        "3 наставляемых без согласия на участие в программе — приказ о закреплении не сформировать",
        "3 задачи ПНП просрочены — напомните наставникам",
    ]
    first = links(page, ".next-steps-list a")[0]
    assert first[1] == reverse("people:consent-overview", args=[school.pk]) + (
        "?missing=duties_mentor"
    )
    stages = [li.text.split() for li in select(page, ".stage-steps li")]
    assert [s[:2] for s in stages][:2] == [["1", "Подготовка"], ["2", "Банк"]]
    assert select(page, ".stage-steps li")[0].text.endswith(
        "дальше: Подготовьте и подпишите приказ об утверждении Положения"
    )
    assert select(page, ".stage-steps li")[5].text.endswith(
        "дальше: Завершите программы пар и групп (завершено программ: 0 из 3)"
    )


@pytest.mark.parametrize("count", [1, 3])
def test_the_curator_home_costs_the_same_for_one_or_three_pairs(
    curator_client, school, count, django_assert_num_queries
):
    _units(school, count)
    with django_assert_num_queries(27):
        curator_client.get(reverse("overview:org-dashboard", args=[school.pk]))


def test_a_head_sees_the_documents_waiting_for_signature(head_client, school):
    Document.objects.create(
        organisation=school, kind=DocKind.CURATOR, series="order", year=2026, seq=3,
        number="3-о", date=TODAY, title="О назначении куратора", status=DocStatus.SIGNING,
    )  # fmt: skip
    Document.objects.create(
        organisation=school, kind=DocKind.PAIRS, series="order", year=2026, seq=4,
        number="4-о", date=TODAY, title="О закреплении пар", status=DocStatus.DRAFT,
    )  # fmt: skip
    page = head_client.get(reverse("overview:org-dashboard", args=[school.pk]))
    assert steps(page) == ["1 документ ждёт подписи"]
    assert [a.text for a in select(page, ".sign-list a")] == [
        "№ 3-о от 01.12.2026 — О назначении куратора"
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_a_mentor_sees_meetings_and_overdue_tasks(
    mentor_client, mentor, school, count, django_assert_num_queries
):
    me = _person(school, "Никитина", user=mentor)
    units = _units(school, count, mentor=me)
    with django_assert_num_queries(15):
        page = mentor_client.get(reverse("overview:org-dashboard", args=[school.pk]))
    lines = steps(page)
    assert lines[:count] == [
        f"Встречи с {name} М. П.: ещё не было — запишите следующую в дневник"
        for name in ("Ивановой", "Петровой", "Сидоровой")[: len(units)]
    ]
    assert lines[count:] == [
        f"{count} {'задача ПНП просрочена' if count == 1 else 'задачи ПНП просрочены'}",
        "Следующая задача: «Разобрать урок 0» до 10.12.2026",
    ]


def test_a_mentee_sees_the_next_task(client, mentee, school):
    client.force_login(mentee)
    mentee_client = client
    me = _person(school, "Тарасова", user=mentee)
    _units(school, 1, mentee=me)
    page = mentee_client.get(reverse("overview:org-dashboard", args=[school.pk]))
    assert steps(page) == [
        "Следующая задача: «Разобрать урок 0» до 10.12.2026",
        "1 задача ПНП просрочена — обсудите с наставником новый срок",
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_the_head_home_costs_the_same_for_one_or_three_documents(
    head_client, school, count, django_assert_num_queries
):
    for n in range(count):
        Document.objects.create(
            organisation=school, kind=DocKind.CURATOR, series="order", year=2026, seq=n + 1,
            number=f"{n + 1}-о", date=TODAY, title="Приказ", status=DocStatus.SIGNING,
        )  # fmt: skip
    with django_assert_num_queries(9):
        page = head_client.get(reverse("overview:org-dashboard", args=[school.pk]))
    assert len(select(page, ".sign-list li")) == count


@pytest.mark.parametrize("count", [1, 3])
def test_the_mentee_home_costs_the_same_whatever_the_tasks(
    client, mentee, school, count, django_assert_num_queries
):
    client.force_login(mentee)
    me = _person(school, "Тарасова", user=mentee)
    unit = _units(school, 1, mentee=me)[0]
    for n in range(count):
        Task.objects.create(
            programme=unit.programme, direction="Методика", title=f"Задача {n}",
            responsible=unit.mentor, deadline=datetime.date(2026, 12, 20 + n),
        )  # fmt: skip
    with django_assert_num_queries(12):
        client.get(reverse("overview:org-dashboard", args=[school.pk]))


def test_a_mentee_is_shown_only_the_consents_a_mentee_gives(client, mentee, school):
    client.force_login(mentee)
    _person(school, "Тарасова", user=mentee)
    page = client.get(reverse("overview:org-dashboard", args=[school.pk])).content.decode()
    assert "Участие в программе наставничества (наставляемый)" in page
    assert "Обработка персональных данных" in page
    assert "Возложение дополнительных обязанностей (наставник)" not in page
