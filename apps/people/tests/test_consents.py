"""Consents ledger: recording, scans, printing, withdrawal and destruction after 30 days."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from apps.people.choices import ConsentKind
from apps.people.consents import ConsentState, destroy_withdrawn_data, withdraw_consent
from apps.people.models import Consent, DestructionAct, Person
from apps.people.views.consents import state_html
from tests.clock import on_school_day
from tests.factories import ConsentFactory, PersonFactory
from tests.html import cells, errors, select, text_of, texts

pytestmark = on_school_day  # dates below are of the 2026/2027 school year

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def person(school):
    return PersonFactory(organisation=school, last_name="Семёнова", first_name="Анна")


def create_url(school, person, kind="processing"):
    return reverse("people:consent-create", args=[school.pk, person.pk]) + f"?kind={kind}"


def consent_data(**extra):
    data = {
        "kind": "processing",
        "given_on": "01.09.2026",
        "valid_until": "",
        "method": "paper",
        "purpose": "Наставничество",
        "data_list": "ФИО, должность",
        "conditions": "",
    }
    data.update(extra)
    return data


def test_it_records_a_consent_with_a_scan(curator_client, school, person):
    scan = SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")
    response = curator_client.post(create_url(school, person), consent_data(scan=scan))
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert (consent.person, consent.kind, consent.given_on) == (
        person,
        "processing",
        datetime.date(2026, 9, 1),
    )
    assert list(Person.objects.with_valid_consent("processing")) == [person]
    response = curator_client.get(reverse("people:consent-scan", args=[school.pk, consent.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_it_prefills_defaults_for_the_kind(curator_client, school, person):
    response = curator_client.get(create_url(school, person, "duties_mentor"))
    fields = [t.text for t in select(response, "textarea")]
    fields += [i.attrs["value"] for i in select(response, "input[value]")]
    assert [f for f in fields if "(ст. 351.8 Трудового кодекса РФ)" in f]  # prefilled purpose


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00" + b"\x00" * 64, "по содержимому не является PDF"),
        ("scan.png", PDF, "по содержимому не является PNG"),
        ("scan.docx", PDF, "скан согласия принимается в форматах JPG, PDF, PNG"),
        ("empty.pdf", b"", "Отправленный файл пуст"),
    ],
)
def test_it_refuses_bad_scans(curator_client, school, person, name, content, message):
    scan = SimpleUploadedFile(name, content)
    response = curator_client.post(create_url(school, person), consent_data(scan=scan))
    assert response.status_code == 200
    assert [e for e in errors(response) if message in e], errors(response)
    assert Consent.objects.count() == 0


def test_it_refuses_oversized_scans(curator_client, school, person, settings):
    settings.CONSENT_SCAN_MAX_BYTES = 1024
    scan = SimpleUploadedFile("big.png", PNG + b"\x00" * 2000)
    response = curator_client.post(create_url(school, person), consent_data(scan=scan))
    assert [e for e in errors(response) if "Файл «big.png» больше 1 КБ" in e], errors(response)
    assert Consent.objects.count() == 0


def test_it_refuses_a_second_valid_consent_of_the_same_kind(curator_client, school, person):
    ConsentFactory(person=person)
    response = curator_client.post(create_url(school, person), consent_data())
    assert [e for e in errors(response) if "уже есть действующее согласие" in e], errors(response)
    assert Consent.objects.count() == 1


def test_it_requires_allowed_items_for_distribution(curator_client, school, person):
    response = curator_client.post(create_url(school, person), consent_data(kind="distribution"))
    assert [e for e in errors(response) if "Отметьте хотя бы одну категорию" in e], errors(response)
    response = curator_client.post(
        create_url(school, person),
        consent_data(kind="distribution", allowed_items=["name", "position"]),
    )
    assert response.status_code == 302
    assert Consent.objects.get().allowed_items == ["name", "position"]


def test_it_rejects_future_dates(curator_client, school, person):
    future = (timezone.localdate() + datetime.timedelta(days=3)).strftime("%d.%m.%Y")
    response = curator_client.post(create_url(school, person), consent_data(given_on=future))
    assert [e for e in errors(response) if "не может быть в будущем" in e], errors(response)


def test_it_withdraws_and_stops_processing_at_once(curator_client, school, person):
    consent = ConsentFactory(person=person)
    url = reverse("people:consent-withdraw", args=[school.pk, consent.pk])
    assert (
        text_of(curator_client.get(url), "h1") == f"Отзыв согласия «{consent.get_kind_display()}»"
    )
    today = timezone.localdate().strftime("%d.%m.%Y")
    response = curator_client.post(url, {"withdrawn_on": today, "note": "Заявление"})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert list(Person.objects.with_valid_consent("processing")) == []


def test_it_prints_a_filled_form_for_every_kind(head_client, school, person):
    for kind in ConsentKind.values:
        response = head_client.get(
            reverse("people:consent-print", args=[school.pk, person.pk, kind])
        )
        assert response.status_code == 200
        operator = text_of(response, ".print-doc p.text-end")
        quoted = school.name[school.name.index("«") :]  # the name in quotes is never declined
        # Personal-data consents go to the operator, extra duties to the employer (ТК РФ).
        duties = kind in (ConsentKind.DUTIES_MENTOR, ConsentKind.DUTIES_MENTEE)
        assert operator.startswith("Директору " if duties else "Оператору: ")
        assert quoted in operator
        assert texts(response, ".print-doc strong")[0] == person.full_name
    response = head_client.get(
        reverse("people:consent-print", args=[school.pk, person.pk, "passport"])
    )
    assert response.status_code == 404


def test_it_hides_other_schools_consents(curator_client, school, other_school):
    foreign = ConsentFactory(person=PersonFactory(organisation=other_school))
    for name in ("people:consent-detail", "people:consent-withdraw", "people:consent-scan"):
        assert curator_client.get(reverse(name, args=[school.pk, foreign.pk])).status_code == 404


def test_it_forbids_mentors_and_methodists(mentor_client, methodist_client, school, person):
    url = reverse("people:consent-overview", args=[school.pk])
    assert mentor_client.get(url).status_code == 403
    assert methodist_client.get(url).status_code == 403


def test_it_lets_the_head_read_but_not_record(head_client, school, person):
    assert head_client.get(reverse("people:consent-overview", args=[school.pk])).status_code == 200
    assert head_client.get(create_url(school, person)).status_code == 403


def test_it_lists_who_lacks_which_consent(curator_client, school, person):
    other = PersonFactory(organisation=school, last_name="Орлова")
    ConsentFactory(person=other)
    url = reverse("people:consent-overview", args=[school.pk])
    page = curator_client.get(url + "?missing=processing")
    assert texts(page, ".consent-table tbody th a") == [person.full_name]


def test_it_shows_expiring_consents(curator_client, school, person):
    ConsentFactory(
        person=person,
        kind="distribution",
        allowed_items=["name"],
        valid_until=timezone.localdate() + datetime.timedelta(days=10),
    )
    page = curator_client.get(
        reverse("people:consent-overview", args=[school.pk]) + "?state=expiring"
    )
    assert texts(page, ".consent-table tbody th a") == [person.full_name]
    until = (timezone.localdate() + datetime.timedelta(days=10)).strftime("%d.%m.%Y")
    assert texts(page, ".consent-expiring") == [f"⚠ до {until}"]


@pytest.mark.parametrize("count", [1, 3])
def test_it_keeps_the_overview_query_count_flat(
    curator_client, school, count, django_assert_num_queries
):
    for _ in range(count):
        ConsentFactory(person=PersonFactory(organisation=school))
    url = reverse("people:consent-overview", args=[school.pk])
    with django_assert_num_queries(9):
        curator_client.get(url)
    with django_assert_num_queries(10):  # a filter: its own count of the people found
        curator_client.get(url + "?missing=distribution")


def test_it_shows_each_kind_of_each_person(curator_client, school, person):
    today = timezone.localdate()
    ConsentFactory(person=person, given_on=today - datetime.timedelta(days=3))
    ConsentFactory(person=person, kind="duties_mentor", valid_until=today - datetime.timedelta(1))
    withdrawn = ConsentFactory(person=person, kind="duties_mentee")
    withdraw_consent(consent=withdrawn)
    other = PersonFactory(organisation=school, last_name="Орлова", position="Учитель <ИЗО>")
    PersonFactory(organisation=school, last_name="Архивная", status="archived")
    page = curator_client.get(reverse("people:consent-overview", args=[school.pk]))
    assert texts(page, "p.small") == ["Найдено: 2"]
    date = (today - datetime.timedelta(days=3)).strftime("%d.%m.%Y")
    expired = (today - datetime.timedelta(days=1)).strftime("%d.%m.%Y")
    assert cells(page, ".consent-table")[1:] == [
        [
            "Орлова Мария ПетровнаУчитель <ИЗО>", "✗ нет", "✗ нет", "✗ нет", "✗ нет",
        ],
        [
            "Семёнова Анна ПетровнаУчитель", f"✓ с {date}", "✗ нет", f"истекло {expired}",
            f"отозвано {today:%d.%m.%Y}",
        ],
    ]  # fmt: skip
    assert [a.attrs["href"] for a in select(page, ".consent-table tbody a")][:3] == [
        reverse("people:person-detail", args=[school.pk, other.pk]),
        reverse("people:person-detail", args=[school.pk, person.pk]),
        reverse(
            "people:consent-detail", args=[school.pk, person.consents.get(kind="processing").pk]
        ),
    ]


SEPT_1 = datetime.date(2026, 9, 1)
# 22:30 UTC is the next day in Moscow, as the template's |date shows it.
LATE = datetime.datetime(2026, 9, 3, 22, 30, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("status", "consent"),
    [
        ("none", None),
        ("valid", Consent(pk=5, given_on=SEPT_1)),
        ("expiring", Consent(pk=6, given_on=SEPT_1, valid_until=datetime.date(2026, 10, 2))),
        ("withdrawn", Consent(pk=7, given_on=SEPT_1, withdrawn_at=LATE)),
        ("expired", Consent(pk=8, given_on=SEPT_1, valid_until=datetime.date(2026, 9, 2))),
        ("expired", Consent(pk=9, given_on=datetime.date(2027, 9, 1))),  # given in the future
    ],
)
def test_it_writes_a_state_as_the_template_does(school, status, consent):
    state = ConsentState(status, consent)
    template = render_to_string(
        "people/includes/consent_state.html", {"state": state, "org": school}
    )
    consent_url = reverse("people:consent-detail", args=[school.pk, 0]).removesuffix("0/")
    assert state_html(state, consent_url) == template.strip()


def withdrawn_days_ago(person, days):
    consent = ConsentFactory(person=person)
    withdraw_consent(consent=consent)
    Consent.objects.filter(pk=consent.pk).update(
        withdrawn_at=timezone.now() - datetime.timedelta(days=days)
    )
    return consent


def test_it_keeps_data_for_30_days_after_withdrawal(person):
    withdrawn_days_ago(person, 29)
    assert destroy_withdrawn_data() == []
    person.refresh_from_db()
    assert person.anonymised_at is None


def test_it_anonymises_after_30_days_and_records_an_act(person, mentee):
    person.user = mentee
    person.email = "anna@example.org"
    person.save()
    withdrawn_days_ago(person, 31)
    acts = destroy_withdrawn_data()
    person.refresh_from_db()
    mentee.refresh_from_db()
    assert len(acts) == 1
    assert acts[0].number == f"У-{timezone.localdate().year}-001"
    assert "Семёнова" not in acts[0].subject_label
    assert (person.last_name, person.birth_date, person.email, person.name_key) == (
        "Обезличено",
        None,
        "",
        "",
    )
    assert (mentee.is_active, mentee.memberships.count()) == (False, 0)
    assert destroy_withdrawn_data() == []  # idempotent


def test_it_spares_people_who_gave_a_new_consent(person):
    withdrawn_days_ago(person, 40)
    ConsentFactory(person=person, given_on=timezone.localdate())
    assert destroy_withdrawn_data() == []


def test_the_command_reports_what_it_did(person, capsys):
    withdrawn_days_ago(person, 45)
    call_command("destroy_withdrawn_data")
    assert "Обезличено: 1" in capsys.readouterr().out
    assert DestructionAct.objects.count() == 1


def test_it_shows_acts_to_the_curator(curator_client, school, person):
    withdrawn_days_ago(person, 45)
    act = destroy_withdrawn_data()[0]
    page = curator_client.get(reverse("people:act-detail", args=[school.pk, act.pk]))
    assert text_of(page, "h1") == (
        f"АКТ № {act.number} об уничтожении (обезличивании) персональных данных"
    )
