"""Print forms of consents name the operator in the case the sentence needs."""

import datetime
import io

import pytest
from django.urls import reverse
from docx import Document as Docx
from docx.oxml.ns import qn

from apps.core.office import soffice
from tests.factories import ConsentFactory, PersonFactory
from tests.html import texts


@pytest.fixture
def named_school(school):
    school.name = "Муниципальное бюджетное общеобразовательное учреждение «Школа № 1»"
    school.save()
    return school


@pytest.mark.parametrize(
    ("kind", "phrase"),
    [
        ("processing", "даю согласие оператору — Муниципальному бюджетному "
                       "общеобразовательному учреждению «Школа № 1»"),
        ("distribution", "даю согласие оператору — Муниципальному бюджетному "
                         "общеобразовательному учреждению «Школа № 1»"),
        ("duties_mentor", "наставнической деятельностью в Муниципальном бюджетном "
                          "общеобразовательном учреждении «Школа № 1»"),
        ("duties_mentee", "наставничества в Муниципальном бюджетном общеобразовательном "
                          "учреждении «Школа № 1» в качестве наставляемого"),
    ],
)  # fmt: skip
def test_it_declines_the_operator_in_the_consent_forms(curator_client, named_school, kind, phrase):
    person = PersonFactory(organisation=named_school)
    url = reverse("people:consent-print", args=[named_school.pk, person.pk, kind])
    page = curator_client.get(url).content.decode()
    assert phrase in page


@pytest.mark.parametrize("kind", ["processing", "distribution"])
def test_the_personal_data_consents_go_to_the_operator(curator_client, named_school, kind):
    person = PersonFactory(organisation=named_school)
    url = reverse("people:consent-print", args=[named_school.pk, person.pk, kind])
    page = curator_client.get(url).content.decode()
    assert "Оператору: Муниципальному бюджетному общеобразовательному учреждению" in page


def test_a_stored_form_overrides_the_automatic_one(curator_client, named_school):
    named_school.name_dat = "Муниципальному бюджетному учреждению «Школа № 1» (так в уставе)"
    named_school.save()
    person = PersonFactory(organisation=named_school)
    url = reverse("people:consent-print", args=[named_school.pk, person.pk, "processing"])
    page = curator_client.get(url).content.decode()
    assert "оператору — Муниципальному бюджетному учреждению «Школа № 1» (так в уставе)" in page


def test_the_processing_consent_names_the_recipients_and_the_host(
    settings, curator_client, named_school, municipality
):
    settings.PERSONAL_DATA_PROCESSOR = "ООО «Хостинг», г. Энск, ИНН 1234567890"
    municipality.name = "Управление образования администрации города Энска"
    municipality.save()
    person = PersonFactory(organisation=named_school)
    url = reverse("people:consent-print", args=[named_school.pk, person.pk, "processing"])
    page = curator_client.get(url).content.decode()
    assert "передача (предоставление, доступ)" in page
    assert (
        "Управлению образования администрации города Энска — для методического сопровождения "
        "и мониторинга (без контактных данных)"
    ) in page
    assert (
        "Обработку по поручению оператора (размещение и обслуживание информационной системы) "
        "осуществляет ООО «Хостинг», г. Энск, ИНН 1234567890."
    ) in page


def test_the_duties_consents_go_to_the_employer_with_the_pair_filled_in(curator_client, school):
    from apps.documents.tests.test_documents import pair_world

    world = pair_world(school)
    school.head_name = "Морозова Елена Викторовна"
    school.save()
    mentor, mentee = world["mentor"], world["mentee"]
    page = curator_client.get(
        reverse("people:consent-print", args=[school.pk, mentor.pk, "duties_mentor"])
    ).content.decode()
    assert (
        "Директору Муниципального бюджетного общеобразовательного учреждения «Школа № 1» "
        "Е.\u00a0В.\u00a0Морозовой"
    ) in page
    assert "Оператору" not in page
    assert "паспорт" not in page
    assert "наставляемый(ые): Иванова Мария Петровна" in page
    assert "срок наставничества: с 01.12.2026 по 31.05.2027." in page
    mentee_page = curator_client.get(
        reverse("people:consent-print", args=[school.pk, mentee.pk, "duties_mentee"])
    ).content.decode()
    assert "наставник: Петров Сергей Иванович" in mentee_page
    assert "351.8" not in mentee_page


def test_the_distribution_consent_names_every_resource(settings, curator_client, named_school):
    from apps.publicity.models import SocialAccount

    settings.SITE_URL = "https://nastavnik.example.ru"
    SocialAccount.objects.create(
        organisation=named_school, network="vk", target="school1", token="x"
    )
    person = PersonFactory(organisation=named_school, email="t@example.org", phone="")
    url = reverse("people:consent-print", args=[named_school.pk, person.pk, "distribution"])
    items = [li.strip() for li in texts(curator_client.get(url), ".print-doc li")]
    assert items[:2] == [
        "страница «Наставничество» (Школа № 1): https://nastavnik.example.ru/p/s1/",
        "ВКонтакте (Школа № 1): https://vk.com/school1",
    ]
    assert (
        items[2] == "страница «Наставничество» (Город Энск): https://nastavnik.example.ru/p/ensk/"
    )
    page = curator_client.get(url).content.decode()
    assert "Контактная информация субъекта:</strong> t@example.org" in page


def test_the_form_is_signed_with_initials_before_the_surname(curator_client, school):
    person = PersonFactory(organisation=school, last_name="Абрамова", first_name="Оксана",
                           middle_name="Павловна")  # fmt: skip
    url = reverse("people:consent-print", args=[school.pk, person.pk, "distribution"])
    assert "(подпись) / О.\u00a0П.\u00a0Абрамова</p>" in curator_client.get(url).content.decode()


@pytest.mark.skipif(not soffice(), reason="LibreOffice is not installed (.ci/run installs it)")
def test_the_distribution_table_in_word_has_lines_and_the_text_width(curator_client, school):
    person = PersonFactory(organisation=school)
    url = reverse("people:consent-print", args=[school.pk, person.pk, "distribution"])
    response = curator_client.get(url, {"format": "docx"})
    table = Docx(io.BytesIO(b"".join(response.streaming_content))).tables[0]
    properties = table._tbl.tblPr
    assert properties.find(qn("w:tblW")).get(qn("w:w")) == "5000"  # 100 % of the text width
    borders = properties.find(qn("w:tblBorders"))
    assert [borders.find(qn(f"w:{e}")).get(qn("w:val")) for e in ("top", "insideH", "insideV")] == [
        "single", "single", "single",
    ]  # fmt: skip
    assert table.rows[6].cells[0].text == "Фотография"


@pytest.mark.parametrize(
    ("kind", "heading", "phrase"),
    [
        ("processing", "ЗАЯВЛЕНИЕ\nоб отзыве согласия на обработку персональных данных",
         "в соответствии с частью 2 статьи 9 Федерального закона от 27.07.2006 № 152-ФЗ"),
        ("distribution", "ТРЕБОВАНИЕ\nо прекращении распространения персональных данных",
         "в течение трёх рабочих дней с момента получения требования"),
        ("duties_mentor", "УВЕДОМЛЕНИЕ\nоб отказе от выполнения работы по наставничеству",
         "не ранее чем через три рабочих дня со дня подачи настоящего уведомления"),
        ("duties_mentee", "ЗАЯВЛЕНИЕ\nоб отказе от участия в наставничестве в качестве "
         "наставляемого", "не ранее чем через три рабочих дня со дня подачи настоящего заявления"),
    ],
)  # fmt: skip
def test_a_withdrawal_has_its_own_form_to_sign(curator_client, named_school, kind, heading, phrase):
    consent = ConsentFactory(person=PersonFactory(organisation=named_school), kind=kind,
                             given_on=datetime.date(2026, 9, 1))  # fmt: skip
    url = reverse("people:consent-withdraw-print", args=[named_school.pk, consent.pk])
    page = curator_client.get(url).content.decode()
    assert heading.replace("\n", "<br>") in page
    assert phrase in page
    assert "01.09.2026" in page
    assert reverse("people:consent-withdraw-print", args=[named_school.pk, consent.pk]) in (
        curator_client.get(
            reverse("people:consent-withdraw", args=[named_school.pk, consent.pk])
        ).content.decode()
    )
