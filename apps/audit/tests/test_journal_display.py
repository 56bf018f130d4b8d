"""The journal reads for a head: names instead of ids, Russian labels instead of codes, «—» for
nothing, lists as text, links to objects that still exist — and a destroyed person never comes
back by name. One page costs the same for one entry or three."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.documents.models import DocKind, DocStatus, Document
from apps.people.consents import destroy_withdrawn_data
from tests.clock import on_school_day
from tests.factories import ConsentFactory, PersonFactory
from tests.html import select

pytestmark = [pytest.mark.django_db, on_school_day]


def entries(page) -> list[dict]:
    rows = []
    for tr in select(page, "tbody tr"):
        cells = [c for c in tr.children if not isinstance(c, str)]
        rows.append(
            {
                "who": cells[1].text,
                "object": cells[3].text,
                "links": [a.attrs["href"] for a in select_in(cells[3], "a")],
                "changes": [li.text for li in select_in(cells[4], "li")],
            }
        )
    return rows


def select_in(element, tag: str):
    found = []
    for child in element.children:
        if isinstance(child, str):
            continue
        if child.tag == tag:
            found.append(child)
        found.extend(select_in(child, tag))
    return found


def journal(client, school, **params):
    return client.get(reverse("audit:journal", args=[school.pk]), params)


def test_it_names_people_accounts_organisations_and_choices(head_client, head, school):
    person = PersonFactory(organisation=school, last_name="Тарасова", first_name="Виктория",
                           middle_name="Денисовна")  # fmt: skip
    document = Document.objects.create(
        organisation=school, kind=DocKind.AGREEMENT, series="agreement", year=2026, seq=1,
        number="1-дс", date=datetime.date(2026, 12, 1), title="Доп. соглашение", person=person,
    )  # fmt: skip
    document.status = DocStatus.SIGNING
    document.status_changed_by = head
    document.warnings = ["Проверьте номер договора", "Нет даты приёма"]
    document.save()
    rows = entries(journal(head_client, school, model="documents.document"))
    update, create = rows[0], rows[1]
    assert update["object"].startswith("Документ: № 1-дс Доп. соглашение")
    assert update["links"] == [reverse("documents:detail", args=[school.pk, document.pk])]
    assert sorted(update["changes"]) == [
        f"кто сменил статус: — → {head.full_name}",
        "на что обратить внимание: — → Проверьте номер договора; Нет даты приёма",
        "статус: Черновик → На подписании",
    ]
    assert "организация: Школа № 1" in create["changes"]
    assert "сотрудник: Тарасова Виктория Денисовна" in create["changes"]
    assert "статус: Черновик" in create["changes"]
    assert all("[]" not in line and "None" not in line for line in create["changes"])


def test_a_consent_names_its_person_and_links_to_the_card(head_client, school):
    person = PersonFactory(organisation=school, last_name="Зайцева")
    ConsentFactory(person=person, kind="distribution", allowed_items=["name", "position"])
    row = entries(journal(head_client, school, model="people.consent"))[0]
    assert row["object"].startswith(
        "Согласие: Распространение персональных данных (Зайцева Мария Петровна)"
    )
    assert "разрешено к распространению: Фамилия, имя, отчество; Должность" in row["changes"]
    assert row["links"] == [reverse("people:person-detail", args=[school.pk, person.pk])]


def test_a_destroyed_person_does_not_come_back(head_client, school, settings, mentor):
    settings.CONSENT_DESTRUCTION_DAYS = 30
    person = PersonFactory(organisation=school, last_name="Кузнецова", user=mentor)
    consent = ConsentFactory(person=person, given_on=datetime.date(2026, 1, 10))
    # An entry the person made themselves, and one about a document naming them.
    AuditEvent.objects.create(
        user=mentor, user_label=f"Кузнецова ({mentor.email})", organisation=school,
        org_path=school.path, action="update", model="documents.document", object_id="999",
        object_label="№ 5 Приказ", changes={"person_id": [None, person.pk]},
    )  # fmt: skip
    consent.withdrawn_at = timezone.now() - datetime.timedelta(days=40)
    consent.save()
    destroy_withdrawn_data(today=timezone.localdate())
    page = journal(head_client, school)
    text = page.content.decode()
    assert "Кузнецова" not in text
    made = next(r for r in entries(page) if r["object"].startswith("Документ: № 5 Приказ"))
    assert made["who"].startswith("обезличено")
    assert made["changes"] == ["сотрудник: — → обезличено"]
    assert made["links"] == []  # document 999 does not exist
    about = [r for r in entries(page) if r["object"].startswith("Сотрудник:")]
    assert about
    assert all(r["links"] == [] for r in about)


@pytest.mark.parametrize("count", [1, 3])
def test_a_page_resolves_names_in_bulk(head_client, school, count, django_assert_num_queries):
    for n in range(count):
        person = PersonFactory(organisation=school, last_name=f"Петрова{n}")
        ConsentFactory(person=person)
    with django_assert_num_queries(10):
        journal(head_client, school)
