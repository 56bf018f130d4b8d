"""Documents end to end without a browser: issue, declined names in the text, consent refusal,
numbering, statuses, scans, versions, PDF."""

import datetime
import io
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from docx import Document as Docx

from apps.documents.context import DocumentRuleError
from apps.documents.models import AGREEMENT_KINDS, DocKind, DocStatus, Document
from apps.documents.services import DocumentStateError, attach_scan, issue, set_status
from apps.orgs.choices import Role
from apps.programs.models import FormatType, PairingType
from apps.programs.services import create_unit, ensure_dictionaries, replace_mentor
from tests.clock import on_school_day
from tests.factories import ConsentFactory, MembershipFactory, PersonFactory, UserFactory
from tests.html import alerts, definitions, errors, one, texts

pytestmark = on_school_day  # dates below are of the 2026/2027 school year

DAY = datetime.date(2026, 11, 25)
QUERIES_PAIRS_ORDER = 20  # the same for 1 and 3 pairs
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def text_of(document: Document) -> str:
    with document.file.open("rb") as handle:
        docx = Docx(io.BytesIO(handle.read()))
    parts = [p.text for p in docx.paragraphs]
    for table in docx.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def staff(school, last, first, middle, gender, position, experience, *kinds):
    person = PersonFactory(
        organisation=school, last_name=last, first_name=first, middle_name=middle,
        gender=gender, position=position, teaching_experience=experience,
    )  # fmt: skip
    for kind in ("processing", *kinds):
        ConsentFactory(person=person, kind=kind, given_on=datetime.date(2026, 8, 1))
    return person


def pair_world(school, curator_user=None) -> dict:
    """A school with its head, a mentor–mentee pair with written consents and a curator."""
    school.name = "Муниципальное бюджетное общеобразовательное учреждение «Школа № 1»"
    school.city, school.head_position = "г. Энск", "Директор"
    school.head_name = "Морозова Елена Викторовна"
    school.save()
    ensure_dictionaries(org=school)
    mentor = staff(school, "Петров", "Сергей", "Иванович", "male", "Учитель физики", 20,
                   "duties_mentor")  # fmt: skip
    mentee = staff(school, "Иванова", "Мария", "Петровна", "female", "Учитель математики", 1,
                   "duties_mentee")  # fmt: skip
    unit = create_unit(
        org=school, mentor=mentor, co_mentor=None, mentees=[mentee],
        pairing=PairingType.objects.filter(organisation=school).first(),
        format=FormatType.objects.get(organisation=school, name="Традиционное «один на один»"),
        start=datetime.date(2026, 12, 1), end=datetime.date(2027, 5, 31), created_by=None,
    )  # fmt: skip
    if curator_user is None:
        curator_user = UserFactory(email="kurator@example.org")
        MembershipFactory(user=curator_user, organisation=school, role=Role.CURATOR)
    curator = staff(school, "Седых", "Никита", "Ильич", "male", "Заместитель директора", 15)
    curator.user = curator_user
    curator.save()
    return {"mentor": mentor, "mentee": mentee, "unit": unit, "curator": curator}


@pytest.fixture
def world(school):
    return pair_world(school)


def test_the_pairs_order_declines_names_and_positions(school, world):
    document = issue(org=school, kind=DocKind.PAIRS, by=None, day=DAY, unit_ids=[world["unit"].pk])
    text = text_of(document)
    assert "Иванову Марию Петровну, учителя математики, за Петровым Сергеем Ивановичем, " \
           "учителем физики" in text  # fmt: skip
    assert "Куратору наставничества Седых Никите Ильичу" in text
    assert "25 ноября 2026 г.\t№ 1-о" in text
    assert "Петров Сергей Иванович" in text  # «С приказом ознакомлены»
    assert document.number == "1-о"
    assert list(document.units.all()) == [world["unit"]]
    assert document.warnings == []


def test_no_order_without_written_consent_to_extra_duties(school, world):
    world["mentee"].consents.filter(kind="duties_mentee").delete()
    with pytest.raises(DocumentRuleError) as error:
        issue(org=school, kind=DocKind.PAIRS, by=None, day=DAY, unit_ids=[world["unit"].pk])
    assert error.value.messages == [
        "Иванова Мария Петровна (наставляемый): нет согласия на участие в программе наставничества."
    ]
    assert not Document.objects.exists()


def test_curator_order_and_agreement(school, world):
    order = issue(org=school, kind=DocKind.CURATOR, by=None, day=DAY)
    assert "Назначить Седых Никиту Ильича, заместителя директора, куратором" in text_of(order)
    agreement = issue(org=school, kind=DocKind.AGREEMENT, by=None, day=DAY, person=world["mentor"])
    text = text_of(agreement)
    assert "в лице директора Морозовой Елены Викторовны, действующей на основании Устава" in text
    assert "Петров Сергей Иванович, именуемый в дальнейшем «Работник»" in text
    assert "в отношении Ивановой Марии Петровны, учителя математики." in text
    assert "с 01.12.2026 по 31.05.2027" in text
    assert (order.number, agreement.number) == ("1-о", "1")  # separate series


def test_polozhenie_order_has_both_appendices(school, world):
    document = issue(org=school, kind=DocKind.POLOZHENIE, by=None, day=DAY)
    text = text_of(document)
    assert "Приложение 1" in text
    assert "Приложение 2" in text
    assert "ПОЛОЖЕНИЕ" in text
    assert "{{" not in text
    assert "{%" not in text
    assert "не более 2" in text or "2 наставляемых" in text  # the Положение limit, filled in


def test_numbers_grow_and_statuses_follow_the_rules(school, world):
    first = issue(org=school, kind=DocKind.CURATOR, by=None, day=DAY)
    second = issue(org=school, kind=DocKind.CURATOR, by=None, day=DAY)
    assert (first.seq, second.seq) == (1, 2)
    with pytest.raises(DocumentStateError):
        set_status(first, DocStatus.SIGNED, by=None)
    set_status(first, DocStatus.SIGNING, by=None)
    signed = attach_scan(first, SimpleUploadedFile("signed.pdf", PDF), by=None)
    assert signed.status == DocStatus.SIGNED
    with pytest.raises(DocumentStateError):
        attach_scan(signed, SimpleUploadedFile("again.pdf", PDF), by=None)
    newer = issue(org=school, kind=DocKind.CURATOR, by=None, day=DAY, replaces=signed)
    signed.refresh_from_db()
    assert signed.status == DocStatus.CANCELLED
    assert newer.replaces == signed


def test_views_issue_download_and_sign(curator_client, school, world):
    url = reverse("documents:create", args=[school.pk, "pairs"])
    page = curator_client.get(url)
    assert [label for label in texts(page, ".people-picker label") if "Петров С.И." in label]
    today = timezone.localdate().strftime("%d.%m.%Y")  # the form refuses dates a year away
    response = curator_client.post(url, {"date": today, "units": [world["unit"].pk]})
    document = Document.objects.get()
    assert response.status_code == 302
    docx = curator_client.get(reverse("documents:file", args=[school.pk, document.pk, "docx"]))
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    bad = SimpleUploadedFile("scan.pdf", b"not a pdf at all")
    page = curator_client.post(
        reverse("documents:scan", args=[school.pk, document.pk]), {"scan": bad}, follow=True
    )
    assert [a for a in alerts(page) + errors(page) if "по содержимому не является PDF" in a]
    curator_client.post(
        reverse("documents:scan", args=[school.pk, document.pk]),
        {"scan": SimpleUploadedFile("scan.pdf", PDF)},
    )
    document.refresh_from_db()
    assert document.status == DocStatus.SIGNED
    page = curator_client.get(reverse("programs:unit-detail", args=[school.pk, world["unit"].pk]))
    assert definitions(page)["Приказ"].startswith(f"№ {document.number} от ")
    programme = curator_client.get(
        reverse("documents:unit-programme", args=[school.pk, world["unit"].pk])
    )
    info = Docx(io.BytesIO(b"".join(programme.streaming_content))).tables[0]
    rows = {row.cells[0].text: row.cells[1].text for row in info.rows}
    assert rows["Наставник"] == "Петров Сергей Иванович, учитель физики"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_pdf_contains_the_declined_names(curator_client, school, world, tmp_path):
    document = issue(org=school, kind=DocKind.PAIRS, by=None, day=DAY, unit_ids=[world["unit"].pk])
    response = curator_client.get(reverse("documents:file", args=[school.pk, document.pk, "pdf"]))
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "order.pdf"
    pdf.write_bytes(b"".join(response.streaming_content))
    text = subprocess.run(  # noqa: S603
        [shutil.which("pdftotext"), "-layout", str(pdf), "-"],
        capture_output=True, check=True, text=True,
    ).stdout  # fmt: skip
    flat = " ".join(text.split())
    assert "Иванову Марию Петровну, учителя математики" in flat
    assert "Петровым Сергеем Ивановичем" in flat


def test_a_number_taken_at_the_same_moment_is_retried(school, world, monkeypatch):
    from apps.documents import services

    first = issue(org=school, kind=DocKind.CURATOR, by=None, day=DAY)
    calls = []

    def stale(org, series, year):  # another curator took the number we were about to use
        calls.append(1)
        return 1 if len(calls) == 1 else 2

    monkeypatch.setattr(services, "_next_seq", stale)
    second = issue(org=school, kind=DocKind.CURATOR, by=None, day=DAY)
    assert (first.seq, second.seq, len(calls)) == (1, 2, 2)


def test_names_that_cannot_be_declined_are_flagged(school, world):
    world["mentee"].last_name, world["mentee"].first_name = "Smith", "Anna"
    world["mentee"].middle_name = ""
    world["mentee"].save()
    document = issue(org=school, kind=DocKind.PAIRS, by=None, day=DAY, unit_ids=[world["unit"].pk])
    assert "Smith Anna, учителя математики, за Петровым" in text_of(document)
    assert document.warnings == [
        "Smith Anna: «Smith» не склоняется автоматически; «Anna» не склоняется автоматически "
        "— оставлено в именительном падеже."
    ]


def test_the_school_edits_the_polozhenie_text(curator_client, school, world):
    url = reverse("documents:polozhenie", args=[school.pk])
    page = curator_client.get(url)
    assert one(page, "input#title-1").attrs["value"] == "Общие положения"
    bad = curator_client.post(
        url, {"title": ["Общие положения"], "text": ["Наставник ведёт {{ settings.limit }"]}
    ).content.decode()
    assert (
        "Раздел «Общие положения»: недопустимые поля или команды шаблона — строка 1: "
        "«{{ settings.limit }»." in bad
    )
    unknown = curator_client.post(
        url, {"title": ["Общие положения"], "text": ["Зарплата {{ salary }}"]}
    ).content.decode()
    assert "строка 1: «{{ salary }}»" in unknown
    curator_client.post(
        url,
        {
            "title": ["Наши правила", ""],
            "text": ["Первый абзац {{ school.short_name }}.\n\nНе более "
                     "{{ settings.max_mentees_per_mentor }} наставляемых.", ""],
        },
    )  # fmt: skip
    document = issue(org=school, kind=DocKind.POLOZHENIE, by=None, day=DAY)
    text = text_of(document)
    assert "1. Наши правила" in text
    assert f"Первый абзац {school.short_name}." in text
    assert "Не более 2 наставляемых." in text
    assert "Общие положения" not in text
    curator_client.post(url, {"reset": "1"})
    assert "Общие положения" in text_of(
        issue(org=school, kind=DocKind.POLOZHENIE, by=None, day=DAY)
    )


def test_completion_and_replacement_orders(school, world):
    from apps.programs.models import UnitStatus
    from apps.programs.services import replace_mentor

    unit = world["unit"]
    new = staff(school, "Орлова", "Вера", "Николаевна", "female", "Учитель математики", 25,
                "duties_mentor")  # fmt: skip
    replace_mentor(unit=unit, new_mentor=new, reason="Длительный отпуск наставника", by=None)
    order = issue(org=school, kind=DocKind.REPLACEMENT, by=None, day=DAY, unit_ids=[unit.pk])
    text = text_of(order)
    assert "в связи с заменой наставника (причина — длительный отпуск наставника)" in text
    assert "освободить Петрова Сергея Ивановича, учителя физики, от выполнения" in text
    assert "закрепить Иванову Марию Петровну, учителя математики, за Орловой Верой " \
           "Николаевной, учителем математики" in text  # fmt: skip
    MentoringUnit = type(unit)
    MentoringUnit.objects.filter(pk=unit.pk).update(status=UnitStatus.COMPLETED)
    done = issue(org=school, kind=DocKind.COMPLETION, by=None, day=DAY, unit_ids=[unit.pk])
    text = text_of(done)
    assert "наставника Орловой Веры Николаевны, учителя математики, с Ивановой Марией " \
           "Петровной" in text  # fmt: skip
    assert "— Орловой Вере Николаевне, учителю математики." in text


def test_replacement_needs_a_replaced_mentor(school, world):
    with pytest.raises(DocumentRuleError) as error:
        issue(org=school, kind=DocKind.REPLACEMENT, by=None, day=DAY, unit_ids=[world["unit"].pk])
    assert error.value.messages == [
        "В этой паре наставник не заменялся: сначала оформите замену на странице пары."
    ]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_consent_forms_download_as_docx(curator_client, school, world):
    url = reverse("people:consent-print", args=[school.pk, world["mentee"].pk, "duties_mentee"])
    response = curator_client.get(url + "?format=docx")
    docx = Docx(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "Иванова Мария Петровна" in text
    assert "СОГЛАСИЕ" in text


def test_it_issues_an_order_despite_control_characters_stored_in_names(school, world):
    # docxtpl drops such characters itself; this keeps it so should it ever change.
    from apps.people.models import Person

    Person.objects.filter(pk=world["mentor"].pk).update(position="Учитель\x0b физики")
    FormatType.objects.filter(pk=world["unit"].format_id).update(name="Традиционное\x1b")
    document = issue(org=school, kind=DocKind.PAIRS, by=None, day=DAY, unit_ids=[world["unit"].pk])
    text = text_of(document)
    assert text.endswith("1\nПетров Сергей Иванович, учитель физики\n"
                         "Иванова Мария Петровна, учитель математики\nТрадиционное\n"
                         "01.12.2026 — 31.05.2027")  # fmt: skip


def test_it_refuses_a_control_character_in_the_polozhenie_and_saves_nothing(
    curator_client, school, world
):
    from apps.documents.models import PolozhenieSection

    response = curator_client.post(
        reverse("documents:polozhenie", args=[school.pk]),
        {"title": ["Общие положения"], "text": ["Наставник\x1b ведёт пару."]},
    )
    assert response.status_code == 200
    assert (
        "Раздел «Общие положения»: в тексте невидимый управляющий символ U+001B (знак № 10) — "
        "удалите его (он попадает при копировании из других программ)."
    ) in response.content.decode()
    assert not PolozhenieSection.objects.filter(organisation=school).exists()


def test_it_refuses_a_completion_order_for_a_running_programme(school, world):
    unit = world["unit"]
    with pytest.raises(DocumentRuleError) as error:
        issue(org=school, kind=DocKind.COMPLETION, by=None, day=DAY, unit_ids=[unit.pk])
    assert error.value.messages == [
        f"{unit}: программа ещё идёт (срок по 31.05.2027) — приказ о завершении издают после "
        "окончания срока или после досрочного прекращения пары."
    ]


def test_it_refuses_a_date_before_a_later_number(school, world):
    issue(org=school, kind=DocKind.CURATOR, by=None, day=DAY)
    with pytest.raises(DocumentRuleError) as error:
        issue(org=school, kind=DocKind.POLOZHENIE, by=None, day=DAY - datetime.timedelta(days=5))
    assert error.value.messages == [
        "В реестре уже есть № 1-о от 25.11.2026 — позже выбранной даты: номер не может идти "
        "раньше по дате. Выберите дату не раньше 25.11.2026."
    ]


def test_it_warns_of_a_second_curator_order_and_a_term_before_the_order(school, world):
    first = issue(org=school, kind=DocKind.CURATOR, by=None, day=DAY)
    attach_scan(first, SimpleUploadedFile("scan.pdf", PDF), by=None)
    second = issue(org=school, kind=DocKind.CURATOR, by=None, day=DAY)
    assert (
        "Уже действует приказ № 1-о от 25.11.2026 «О назначении куратора наставничества»: после "
        "подписания нового отмените прежний (или выпустите новый как его новую версию)."
    ) in second.warnings
    unit = world["unit"]
    late = issue(org=school, kind=DocKind.PAIRS, by=None, day=datetime.date(2026, 12, 5),
                 unit_ids=[unit.pk])  # fmt: skip
    assert (
        f"{unit}: срок программы начинается 01.12.2026 — раньше даты приказа 05.12.2026. "
        "Укажите в паре дату не раньше приказа или датируйте приказ раньше."
    ) in late.warnings


def test_orders_refer_to_the_signed_polozhenie_order(school, world):
    polozhenie = issue(org=school, kind=DocKind.POLOZHENIE, by=None, day=DAY)
    attach_scan(polozhenie, SimpleUploadedFile("scan.pdf", PDF), by=None)
    order = issue(org=school, kind=DocKind.PAIRS, by=None, day=DAY, unit_ids=[world["unit"].pk])
    assert (
        "Положением о системе наставничества педагогических работников Школы № 1, утверждённым "
        "приказом от 25.11.2026 № 1-о, на основании письменных согласий работников"
    ) in text_of(order)
    assert order.title == "О закреплении наставнических пар (групп)"


@pytest.mark.parametrize(
    "kind", [k for k in DocKind.values if k not in (*AGREEMENT_KINDS, DocKind.PD_NOTICE)]
)
def test_the_registry_title_is_the_printed_heading(kind):
    from apps.documents.docx_templates import BUILDERS
    from apps.documents.services import TITLES

    headings = [p.text for p in BUILDERS[kind]().paragraphs[:6]]
    assert TITLES[kind] in headings


def test_the_agreement_names_the_contract_the_form_and_the_pairs_order(school, world):
    mentor = world["mentor"]
    mentor.contract_number, mentor.contract_date = "15-тд", datetime.date(2015, 8, 28)
    mentor.save()
    pairs = issue(org=school, kind=DocKind.PAIRS, by=None, day=DAY, unit_ids=[world["unit"].pk])
    agreement = issue(org=school, kind=DocKind.AGREEMENT, by=None, day=DAY, person=mentor)
    text = text_of(agreement)
    assert "к трудовому договору от 28.08.2015 № 15-тд" in text
    assert (
        "3. Наставничество осуществляется в форме «педагог – педагог», вид наставничества — "
        f"традиционное «один на один», наставническая пара (группа) закреплена приказом от "
        f"25.11.2026 № {pairs.number}."
    ) in text
    assert agreement.warnings == [
        "Размер доплаты не указан числом (ст. 351.8 ТК РФ требует размер и условия оплаты): "
        "укажите его в «Документы → Нумерация и шаблоны»."
    ]


def test_a_replacement_sooner_than_three_working_days_is_flagged(school, world):
    unit = world["unit"]
    new = staff(school, "Орлова", "Вера", "Николаевна", "female", "Учитель математики", 25,
                "duties_mentor")  # fmt: skip
    replace_mentor(unit=unit, new_mentor=new, reason="Заявление наставника", by=None)
    unit.mentor_changes.update(changed_on=datetime.date(2026, 11, 27))  # Friday after Wednesday
    order = issue(org=school, kind=DocKind.REPLACEMENT, by=None, day=DAY, unit_ids=[unit.pk])
    assert any(w.startswith("Наставник освобождается 27.11.2026 — меньше чем через три")
               for w in order.warnings)  # fmt: skip
    unit.mentor_changes.update(changed_on=datetime.date(2026, 11, 30))  # the third working day
    again = issue(org=school, kind=DocKind.REPLACEMENT, by=None, day=DAY, unit_ids=[unit.pk])
    assert not any(w.startswith("Наставник освобождается") for w in again.warnings)


def test_the_polozhenie_order_cites_the_council_and_the_union_and_has_an_acquaintance_sheet(
    school, world
):
    from apps.documents.models import DocumentSettings

    DocumentSettings.objects.update_or_create(
        organisation=school,
        defaults={
            "council_protocol_number": "1", "council_protocol_date": datetime.date(2026, 8, 28),
            "union_name": "первичная профсоюзная организация", "union_opinion_number": "3",
            "union_opinion_date": datetime.date(2026, 8, 27), "font": "PT Astra Serif",
        },
    )  # fmt: skip
    document = issue(org=school, kind=DocKind.POLOZHENIE, by=None, day=DAY)
    text = text_of(document)
    assert (
        "с учётом решения педагогического совета (протокол от 28.08.2026 № 1) и мотивированного "
        "мнения первичной профсоюзной организации (протокол от 27.08.2026 № 3; статья 372 "
        "Трудового кодекса Российской Федерации)"
    ) in text
    assert "протокол от 28.08.2026 № 1\tот 25.11.2026 № 1-о" in text
    assert document.warnings == []
    with document.file.open("rb") as handle:
        docx = Docx(io.BytesIO(handle.read()))
    assert docx.styles["Normal"].font.name == "PT Astra Serif"
    sheet = docx.tables[-1]
    assert [c.text for c in sheet.rows[0].cells] == ["№", "ФИО работника", "Подпись", "Дата"]
    assert [r.cells[1].text for r in sheet.rows[1:]] == [
        "Иванова Мария Петровна", "Петров Сергей Иванович", "Седых Никита Ильич",
    ]  # fmt: skip


@pytest.mark.parametrize("count", [1, 3])
def test_it_issues_a_pairs_order_in_flat_queries(school, world, count, django_assert_num_queries):
    """The order's queries do not grow with its pairs: units, members, consents in bulk."""
    units = [world["unit"]]
    for mentor_name, mentee_name in [("Орлова", "Волков"), ("Соколова", "Зайцев")][: count - 1]:
        mentor = staff(school, mentor_name, "Анна", "Петровна", "female", "Учитель химии", 10,
                       "duties_mentor")  # fmt: skip
        mentee = staff(school, mentee_name, "Илья", "Сергеевич", "male", "Учитель химии", 1,
                       "duties_mentee")  # fmt: skip
        unit = create_unit(
            org=school, mentor=mentor, co_mentor=None, mentees=[mentee],
            pairing=world["unit"].pairing, format=world["unit"].format,
            start=datetime.date(2026, 12, 1), end=datetime.date(2027, 5, 31), created_by=None,
        )  # fmt: skip
        units.append(unit)
    ids = [u.pk for u in units]
    with django_assert_num_queries(QUERIES_PAIRS_ORDER):
        document = issue(org=school, kind=DocKind.PAIRS, by=None, day=DAY, unit_ids=ids)
    assert document.units.count() == count
