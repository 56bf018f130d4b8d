"""The act of destruction as приказ Роскомнадзора от 28.10.2022 № 179 asks: operator and address,
the information system, the commission, the subject by register number, the categories, the
method, the reason, the date and an export of the event log for the subject."""

import datetime
import io
import re
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document as Docx
from docx.oxml.ns import qn

from apps.audit.models import Action, AuditEvent
from apps.core.office import soffice
from apps.documents.archive import build_archive
from apps.documents.tests.test_document_check import problems_of
from apps.people.consents import destroy_withdrawn_data, withdraw_consent
from apps.people.models import Consent, DestructionAct, Person
from tests.clock import MOSCOW, on_school_day
from tests.factories import ConsentFactory, PersonFactory

pytestmark = on_school_day  # today is 01.12.2026

COMMISSION = (
    "Соколова Ирина Павловна — заместитель директора\n"
    "Громов Олег Ильич — учитель информатики\n"
    "Лебедева Нина Юрьевна — секретарь"
)


@pytest.fixture
def withdrawn(school):
    """A person whose processing consent was withdrawn 30 days ago, with three journal entries."""
    type(school).objects.filter(pk=school.pk).update(
        address="123456, г. Энск, ул. Школьная, д. 1", head_name="Морозова Елена Викторовна"
    )
    person = PersonFactory(
        organisation=school, last_name="Семёнова", first_name="Анна", middle_name="Петровна",
        teaching_experience=25, org_experience=12, mentor_title_since=datetime.date(2021, 5, 1),
    )  # fmt: skip
    consent = ConsentFactory(person=person, given_on=datetime.date(2026, 9, 1))
    withdraw_consent(consent=consent, withdrawn_on=datetime.date(2026, 11, 1))
    AuditEvent.objects.filter(person_id=person.pk).delete()
    for day, action, model, object_id in (
        (10, Action.CREATE, "people.person", person.pk),
        (11, Action.VIEW, "people.person", person.pk),
        (12, Action.UPDATE, "people.consent", consent.pk),
    ):
        event = AuditEvent.objects.create(
            action=action, model=model, object_id=str(object_id), person_id=person.pk,
            object_label="Семёнова Анна Петровна", changes={"phone": ["", "+7 900"]},
            user_label="Семёнова Анна Петровна",
        )  # fmt: skip
        at = datetime.datetime(2026, 9, day, 9, 30, tzinfo=MOSCOW)
        AuditEvent.objects.filter(pk=event.pk).update(at=at)
    return person, consent


def article_lines(page: str) -> list[str]:
    """The print form's paragraphs and table cells as plain text, one per line."""
    article = page[page.index('<article class="print-doc">') : page.index("</article>")]
    text = re.sub(r"<br>", " / ", article)
    text = re.sub(r"</(p|h1|h2|td|th)>", "\n", text)
    text = re.sub(r"<[^>]+>", "", text)
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_it_exports_the_subjects_journal_without_values_or_names(withdrawn):
    person, consent = withdrawn
    [act] = destroy_withdrawn_data()
    assert act.journal_rows == [
        ("10.09.2026 09:30", "Создание", f"сотрудник №\u00a0{person.pk}"),
        ("11.09.2026 09:30", "Просмотр карточки", f"сотрудник №\u00a0{person.pk}"),
        ("12.09.2026 09:30", "Изменение", f"согласие №\u00a0{consent.pk}"),
        (
            timezone.localtime().strftime("%d.%m.%Y %H:%M"),
            "Обезличивание",
            f"сотрудник №\u00a0{person.pk}",
        ),
    ]
    assert "Семёнова" not in str(act.journal)


def test_it_keeps_no_exact_years_or_dates_that_single_the_person_out(withdrawn):
    person, _ = withdrawn
    destroy_withdrawn_data()
    person = Person.objects.get(pk=person.pk)
    assert (person.teaching_experience, person.org_experience, person.mentor_title_since) == (
        None,
        None,
        None,
    )
    assert (person.position, person.category, person.gender) == ("Учитель", "none", "")


def test_it_prints_what_order_179_asks(curator_client, school, withdrawn, settings):
    settings.PERSONAL_DATA_PROCESSOR = "ООО «Облако», г. Энск, ул. Серверная, д. 2"
    person, _ = withdrawn
    [act] = destroy_withdrawn_data()
    DestructionAct.objects.filter(pk=act.pk).update(commission=COMMISSION)
    page = curator_client.get(reverse("people:act-detail", args=[school.pk, act.pk]))
    lines = article_lines(page.content.decode())
    name = school.name
    assert lines[:13] == [
        name,
        "123456, г. Энск, ул. Школьная, д. 1",
        "УТВЕРЖДАЮ / Директор / ____________________ Е.\u00a0В.\u00a0Морозова",
        f"АКТ № {act.number} / об уничтожении (обезличивании) персональных данных",
        "01.12.2026",
        f"Оператор персональных данных: {name}, адрес: 123456, г. Энск, ул. Школьная, д. 1.",
        "Лицо, осуществляющее обработку персональных данных по поручению оператора: "
        "ООО «Облако», г. Энск, ул. Серверная, д. 2.",
        "Информационная система персональных данных, из которой уничтожены данные: "
        "автоматизированная информационная система «Наставник».",
        "Комиссия в составе:",
        "председатель комиссии — Соколова Ирина Павловна, заместитель директора;",
        "член комиссии — Громов Олег Ильич, учитель информатики;",
        "член комиссии — Лебедева Нина Юрьевна, секретарь.",
        "составила настоящий акт о том, что 01.12.2026 уничтожены (обезличены) персональные "
        "данные субъекта персональных данных.",
    ]
    assert lines[13:17] == [
        f"Субъект персональных данных: сотрудник, реестровый №\u00a0{person.pk} (номер записи в "
        "реестре сотрудников информационной системы «Наставник»; фамилия, имя, отчество и иные "
        "сведения, позволяющие определить субъекта, уничтожены).",
        "Причина уничтожения: отзыв субъектом персональных данных согласия на их обработку "
        "(согласие от 01.09.2026, отзыв поступил 01.11.2026), ч. 2 ст. 9 и ч. 5 ст. 21 "
        "Федерального закона от 27.07.2006 № 152-ФЗ «О персональных данных». Данные "
        "уничтожены в срок, не превышающий 30 дней с даты поступления отзыва.",
        "Дата уничтожения: 01.12.2026.",
        "Перечень категорий уничтоженных (обезличенных) персональных данных:",
    ]
    assert lines[17].startswith("— фамилия, имя, отчество (заменены обозначением")
    assert lines.index("Способ уничтожения: удаление и обезличивание записей в базе данных, "
                       "удаление файлов.") > 17  # fmt: skip
    appendix = (
        "Приложение: выгрузка из журнала регистрации событий информационной системы "
        "«Наставник», записей: 4."
    )
    signatures = lines[lines.index(appendix) + 1 :]
    assert signatures[:5] == [
        "Председатель комиссии ____________ И.\u00a0П.\u00a0Соколова",
        "Член комиссии ____________ О.\u00a0И.\u00a0Громов",
        "Член комиссии ____________ Н.\u00a0Ю.\u00a0Лебедева",
        f"Приложение к акту № {act.number} от 01.12.2026 / Выгрузка из журнала регистрации событий",
        f"Информационная система: «Наставник». Субъект: сотрудник, реестровый №\u00a0{person.pk}. "
        "Причина уничтожения: отзыв согласия на обработку персональных данных. Дата "
        "уничтожения: 01.12.2026. Перечень уничтоженных категорий — в акте. В журнале нет "
        "значений данных и фамилий: записи обезличены.",
    ]
    journal = signatures[signatures.index("Объект") + 1 :]
    assert journal[:8] == [
        "1", "10.09.2026 09:30", "Создание", f"сотрудник №\u00a0{person.pk}",
        "2", "11.09.2026 09:30", "Просмотр карточки", f"сотрудник №\u00a0{person.pk}",
    ]  # fmt: skip
    assert "Семёнова" not in page.content.decode()


def test_it_states_a_late_destruction_as_it_was(curator_client, school, withdrawn):
    _, consent = withdrawn
    moment = datetime.datetime(2026, 10, 20, 12, tzinfo=MOSCOW)
    Consent.objects.filter(pk=consent.pk).update(withdrawn_at=moment)
    [act] = destroy_withdrawn_data()
    page = curator_client.get(reverse("people:act-detail", args=[school.pk, act.pk]))
    reason = next(line for line in article_lines(page.content.decode()) if "Причина" in line)
    assert reason.endswith(
        "Данные уничтожены через 42 дня с даты поступления отзыва, позже срока в 30 дней, "
        "установленного ч. 5 ст. 21 Федерального закона № 152-ФЗ."
    )


def test_the_curator_confirms_the_commission_and_the_next_act_carries_it(
    curator_client, school, withdrawn
):
    [act] = destroy_withdrawn_data()
    url = reverse("people:act-detail", args=[school.pk, act.pk])
    response = curator_client.post(url, {"commission": f"  {COMMISSION}\n\n"})
    assert response.status_code == 302
    assert DestructionAct.objects.get(pk=act.pk).commission == COMMISSION
    other = PersonFactory(organisation=school)
    consent = ConsentFactory(person=other)
    withdraw_consent(consent=consent, withdrawn_on=datetime.date(2026, 11, 1))
    [second] = destroy_withdrawn_data()
    assert second.commission == COMMISSION


def test_it_explains_a_commission_line_without_a_position(curator_client, school, withdrawn):
    [act] = destroy_withdrawn_data()
    url = reverse("people:act-detail", args=[school.pk, act.pk])
    response = curator_client.post(url, {"commission": "Соколова Ирина Павловна\nГромов О. И."})
    assert response.context["form"].errors["commission"] == [
        "Строка 1 «Соколова Ирина Павловна»: укажите ФИО и должность через тире, например "
        "«Петрова Анна Ивановна — заместитель директора»."
    ]
    one = curator_client.post(url, {"commission": "Соколова Ирина Павловна — завуч"})
    assert one.context["form"].errors["commission"] == [
        "В комиссии должны быть председатель и хотя бы один член: не меньше двух строк."
    ]
    assert DestructionAct.objects.get(pk=act.pk).commission == ""


def test_the_head_reads_the_act_but_does_not_change_the_commission(head_client, school, withdrawn):
    [act] = destroy_withdrawn_data()
    url = reverse("people:act-detail", args=[school.pk, act.pk])
    assert head_client.get(url).status_code == 200
    assert head_client.post(url, {"commission": COMMISSION}).status_code == 403
    assert DestructionAct.objects.get(pk=act.pk).commission == ""


@pytest.mark.skipif(not soffice(), reason="LibreOffice is not installed (.ci/run installs it)")
def test_the_act_docx_passes_the_document_check(curator_client, school, withdrawn):
    [act] = destroy_withdrawn_data()
    DestructionAct.objects.filter(pk=act.pk).update(commission=COMMISSION)
    url = reverse("people:act-detail", args=[school.pk, act.pk])
    data = b"".join(curator_client.get(url, {"format": "docx"}).streaming_content)
    assert problems_of(data) == []
    doc = Docx(io.BytesIO(data))
    journal = doc.tables[-1]
    assert [cell.text for cell in journal.rows[0].cells] == [
        "№",
        "Дата и время",
        "Действие",
        "Объект",
    ]
    assert len(journal.rows) == 1 + 4
    assert [cell.text for cell in journal.rows[1].cells] == [
        "1", "10.09.2026 09:30", "Создание", f"сотрудник №\u00a0{act.person_id}",
    ]  # fmt: skip
    # Over the text width, the header row repeated on every page.
    assert journal._tbl.tblPr.find(qn("w:tblW")).get(qn("w:type")) == "pct"
    assert journal.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


@pytest.mark.skipif(not soffice(), reason="LibreOffice is not installed (.ci/run installs it)")
def test_the_inspection_archive_holds_the_act(school, withdrawn):
    [act] = destroy_withdrawn_data()
    handle, _ = build_archive(school, "2026/2027")
    with handle, zipfile.ZipFile(handle) as archive:
        name = f"05 Акты уничтожения ПДн/Акт об уничтожении ПДн № {act.number} от 01.12.2026.docx"
        assert [n for n in archive.namelist() if n.startswith("05 ")] == [name]
        assert problems_of(archive.read(name)) == []
        contents = Docx(io.BytesIO(archive.read("00 Оглавление.docx")))
        assert [row.cells[1].text for row in contents.tables[0].rows][-1] == name
