"""Consents in electronic form: personal link, the exact text, a one-time code by e-mail."""

import datetime
import hashlib
import re

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from apps.people.consents import destroy_withdrawn_data, withdraw_consent
from apps.people.econsent import request_key, save_settings
from apps.people.models import Consent, ConsentRequest
from tests.clock import SCHOOL_DAY, on_school_day
from tests.factories import ConsentFactory, PersonFactory
from tests.html import texts

pytestmark = on_school_day


@pytest.fixture
def allowed(school):
    save_settings(org=school, electronic_allowed=True)
    return school


@pytest.fixture
def teacher(school):
    return PersonFactory(
        organisation=school, last_name="Зайцева", first_name="Ольга", middle_name="Игоревна",
        gender="female", email="zaytseva@s1.example.org",
    )  # fmt: skip


def send_links(client, org, people, kind="processing"):
    url = reverse("people:consent-bulk", args=[org.pk]) + f"?kind={kind}"
    return client.post(url, {"action": "links", "person": [p.pk for p in people]})


def sign_url(request: ConsentRequest) -> str:
    return reverse("people:consent-sign", args=[request_key(request)])


def code_from_outbox() -> str:
    return re.search(r"Код подтверждения[^:]*: (\d{6})", mail.outbox[-1].body)[1]


@pytest.fixture
def link(curator_client, allowed, teacher, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_links(curator_client, allowed, [teacher])
    return ConsentRequest.objects.get()


def test_it_sends_personal_links_in_the_background(link, teacher):
    assert mail.outbox[0].to == ["zaytseva@s1.example.org"]
    assert sign_url(link) in mail.outbox[0].body
    link.refresh_from_db()
    assert link.sent_at is not None


def test_it_records_the_consent_with_method_time_place_and_exact_text(
    client, link, teacher, django_capture_on_commit_callbacks
):
    page = client.get(sign_url(link))
    assert page.status_code == 200
    assert "Зайцева Ольга Игоревна" in texts(page, ".print-doc strong")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(sign_url(link), {"action": "code"})
    link.refresh_from_db()
    code = code_from_outbox()
    assert code not in link.code_hash
    assert len(link.code_hash) == 64
    shown = texts(client.get(sign_url(link)), ".consent-text p")
    assert shown == link.text.splitlines()
    response = client.post(
        sign_url(link), {"action": "confirm", "code": code},
        HTTP_USER_AGENT="Mozilla/5.0 Test", REMOTE_ADDR="203.0.113.7",
    )  # fmt: skip
    assert response.status_code == 200
    consent = Consent.objects.get(person=teacher)
    assert (consent.method, consent.kind, consent.given_on) == (
        "electronic", "processing", datetime.date(2026, 12, 1)
    )  # fmt: skip
    assert (consent.signed_ip, consent.signed_user_agent) == ("203.0.113.7", "Mozilla/5.0 Test")
    assert consent.agreed_text == link.text
    assert consent.agreed_text_sha256 == hashlib.sha256(link.text.encode()).hexdigest()
    assert "152-ФЗ" in consent.agreed_text
    assert "паспорт" not in consent.agreed_text
    # single use: the link is closed, the code cannot be used again
    again = client.post(sign_url(link), {"action": "confirm", "code": code})
    assert again.status_code == 410
    # withdrawal works as for a paper consent
    withdraw_consent(consent=consent)
    assert Consent.objects.valid().filter(person=teacher).count() == 0


def test_it_shows_the_stored_text_and_its_digest_to_the_curator(
    curator_client, client, link, school, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(sign_url(link), {"action": "code"})
    client.post(sign_url(link), {"action": "confirm", "code": code_from_outbox()})
    consent = Consent.objects.get()
    page = curator_client.get(reverse("people:consent-detail", args=[school.pk, consent.pk]))
    assert texts(page, ".consent-digest") == [consent.agreed_text_sha256]
    assert texts(page, ".consent-text p") == consent.agreed_text.splitlines()


@override_settings(CONSENT_CODE_ATTEMPTS=3)
def test_it_limits_attempts_and_counts_each_wrong_code(
    client, link, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(sign_url(link), {"action": "code"})
    code = code_from_outbox()
    wrong = "000000" if code != "000000" else "111111"
    first = client.post(sign_url(link), {"action": "confirm", "code": wrong})
    assert first.context["form"].errors["code"] == ["Неверный код. Осталось попыток: 2."]
    client.post(sign_url(link), {"action": "confirm", "code": wrong})
    client.post(sign_url(link), {"action": "confirm", "code": wrong})
    last = client.post(sign_url(link), {"action": "confirm", "code": code})
    assert last.context["form"].errors["code"] == [
        "Попытки ввода кода исчерпаны. Запросите новый код."
    ]
    assert Consent.objects.count() == 0


def test_it_lets_a_code_expire(client, link, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(sign_url(link), {"action": "code"})
    code = code_from_outbox()
    with time_machine.travel(SCHOOL_DAY + datetime.timedelta(minutes=11)):
        response = client.post(sign_url(link), {"action": "confirm", "code": code})
    assert response.context["form"].errors["code"] == [
        "Срок действия кода истёк. Запросите новый код."
    ]
    assert Consent.objects.count() == 0


@override_settings(CONSENT_CODES_PER_LINK=2)
def test_it_limits_how_many_codes_a_link_sends(client, link, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            response = client.post(sign_url(link), {"action": "code"})
    assert len(mail.outbox) == 1 + 2  # the link, then two codes
    assert texts(response, ".alert-danger")[0].startswith("Коды по этой ссылке больше не")


def test_it_asks_for_the_distribution_categories_and_stores_them(
    curator_client, client, allowed, teacher, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_links(curator_client, allowed, [teacher], kind="distribution")
    link = ConsentRequest.objects.get()
    refused = client.post(sign_url(link), {"action": "code"})
    assert texts(refused, ".alert-danger") == [
        "Отметьте хотя бы одну категорию данных, которую вы разрешаете публиковать."
    ]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(sign_url(link), {"action": "code", "allowed_items": ["name", "bogus"]})
    client.post(sign_url(link), {"action": "confirm", "code": code_from_outbox()})
    consent = Consent.objects.get()
    assert (consent.kind, consent.allowed_items) == ("distribution", ["name"])
    assert "Фамилия, имя, отчество | ✓" in consent.agreed_text


def test_it_refuses_links_when_the_school_does_not_allow_them(curator_client, school, teacher):
    response = send_links(curator_client, school, [teacher])
    assert response.status_code == 302
    assert ConsentRequest.objects.count() == 0


def test_it_closes_every_link_when_the_school_turns_it_off(client, link, school):
    save_settings(org=school, electronic_allowed=False)
    assert client.get(sign_url(link)).status_code == 410


def test_it_answers_404_for_a_forged_link_and_410_for_an_expired_one(client, link):
    assert client.get("/o/consent/forged/").status_code == 404
    with time_machine.travel(SCHOOL_DAY + datetime.timedelta(days=31)):
        assert client.get(sign_url(link)).status_code == 410


def test_it_refuses_a_second_valid_consent(
    client, link, teacher, django_capture_on_commit_callbacks
):
    ConsentFactory(person=teacher)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(sign_url(link), {"action": "code"})
    response = client.post(sign_url(link), {"action": "confirm", "code": code_from_outbox()})
    assert response.context["form"].errors["code"][0].startswith("У сотрудника уже есть")
    assert Consent.objects.count() == 1


def test_the_setting_is_post_only_and_for_the_curator(curator_client, head_client, school):
    url = reverse("people:consent-settings", args=[school.pk])
    assert curator_client.get(url).status_code == 405
    assert head_client.post(url, {"electronic_allowed": "on"}).status_code == 403
    curator_client.post(url, {"electronic_allowed": "on"})
    assert school.consent_settings.electronic_allowed is True


def test_destruction_keeps_only_the_digest_of_an_electronic_consent(
    client, link, teacher, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(sign_url(link), {"action": "code"})
    client.post(sign_url(link), {"action": "confirm", "code": code_from_outbox()})
    consent = Consent.objects.get()
    digest = consent.agreed_text_sha256
    withdraw_consent(consent=consent)
    with time_machine.travel(SCHOOL_DAY + datetime.timedelta(days=31)):
        (act,) = destroy_withdrawn_data()
    consent.refresh_from_db()
    assert (consent.agreed_text, consent.signed_ip, consent.signed_user_agent) == ("", None, "")
    assert consent.agreed_text_sha256 == digest
    assert ConsentRequest.objects.count() == 0
    assert "тексты электронных согласий (сохранён SHA-256 текста)" in act.destroyed_items
