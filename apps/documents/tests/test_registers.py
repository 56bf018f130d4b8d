"""The registers (orders, agreements, consents) as .xlsx, the meetings diary as a .docx and the
archive's table of contents with the kind and sheet count of every file."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from docx import Document as Docx

from apps.documents.archive import diary_docx
from apps.documents.models import DocKind, DocStatus, Document, Series
from apps.documents.tests.test_archive import download_archive
from apps.documents.tests.test_document_check import problems_of
from apps.documents.tests.test_documents import PDF, world  # noqa: F401
from apps.programs.models import Meeting, MeetingFormat
from tests.factories import ConsentFactory, PersonFactory

YEAR = "?year=2026/2027"
TODAY = f"{timezone.localdate():%d.%m.%Y}"


def sheet_of(response) -> openpyxl.worksheet.worksheet.Worksheet:
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def values(sheet, row: int) -> list:
    return [cell.value for cell in sheet[row]]


def heading(sheet, row: int) -> list:
    """A heading row: its text in column A, the rest of the row empty."""
    first, *rest = values(sheet, row)
    assert rest == [None] * len(rest)
    return [first]


def order(school, seq: int, **fields) -> Document:
    return Document.objects.create(
        organisation=school, kind=fields.pop("kind", DocKind.CURATOR),
        series=fields.pop("series", Series.ORDER), year=2026, seq=seq, number=f"{seq}-о",
        date=datetime.date(2026, 11, seq),
        title=fields.pop("title", f"О назначении куратора {seq}"),
        file="documents/x.docx", **fields,
    )  # fmt: skip


def test_it_exports_the_orders_register_with_its_heading_and_exact_cells(curator_client, school):
    school.name = "МБОУ «Школа № 1»"
    school.save()
    signed_at = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)
    order(school, 2, status=DocStatus.SIGNED, scan="s.pdf", status_changed_at=signed_at)
    order(school, 1, title='=HYPERLINK("http://evil.example","x")')
    order(school, 3, kind=DocKind.AGREEMENT, series=Series.AGREEMENT)  # another register
    response = curator_client.get(reverse("documents:register-orders", args=[school.pk]) + YEAR)
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = sheet_of(response)
    assert sheet.title == "Приказы"
    assert heading(sheet, 1) == ["МБОУ «Школа № 1»"]
    assert heading(sheet, 2) == [
        "Журнал регистрации приказов по основной деятельности за 2026/2027 учебный год"
    ]
    assert heading(sheet, 3) == [f"Форма № Р-1. Сформировано {TODAY}."]
    assert values(sheet, 5) == ["№", "Дата", "Заголовок", "Статус", "Подписан"]
    assert values(sheet, 6) == [
        "1-о", "01.11.2026", '=HYPERLINK("http://evil.example","x")', "Черновик", None,
    ]  # fmt: skip
    assert sheet["C6"].data_type == "s"
    assert sheet["C6"].quotePrefix is True
    assert values(sheet, 7) == [
        "2-о",
        "02.11.2026",
        "О назначении куратора 2",
        "Подписан",
        "20.11.2026",
    ]
    assert sheet.max_row == 7
    assert all(cell.font.bold for cell in sheet[5])
    assert sheet.freeze_panes == "A6"
    assert [sheet.column_dimensions[c].width for c in "ABCDE"] == [10, 12, 70, 16, 12]


def test_it_exports_the_agreements_register_with_employee_and_term(curator_client, school, world):  # noqa: F811
    agreement = order(school, 4, kind=DocKind.AGREEMENT, series=Series.AGREEMENT,
                      person=world["mentor"])  # fmt: skip
    agreement.units.add(world["unit"])
    response = curator_client.get(reverse("documents:register-agreements", args=[school.pk]) + YEAR)
    sheet = sheet_of(response)
    assert heading(sheet, 2) == [
        "Журнал регистрации дополнительных соглашений к трудовым договорам за 2026/2027 учебный год"
    ]
    assert heading(sheet, 3) == [f"Форма № Р-2. Сформировано {TODAY}."]
    assert values(sheet, 5) == ["№", "Дата", "Работник", "Срок наставничества", "Статус"]
    assert values(sheet, 6) == [
        "4-о", "04.11.2026", "Петров Сергей Иванович", "с 01.12.2026 по 31.05.2027", "Черновик",
    ]  # fmt: skip
    assert sheet.max_row == 6


def test_it_exports_the_consents_register_with_withdrawal_and_scan(curator_client, school):
    person = PersonFactory(organisation=school, last_name="Аксёнова", first_name="Ольга",
                           middle_name="Павловна")  # fmt: skip
    ConsentFactory(
        person=person, given_on=datetime.date(2026, 9, 1),
        valid_until=datetime.date(2027, 8, 31),
        withdrawn_at=datetime.datetime(2026, 12, 10, 9, 0, tzinfo=datetime.UTC),
        scan=SimpleUploadedFile("consent.pdf", PDF),
    )  # fmt: skip
    ConsentFactory(person=person, kind="duties_mentor", given_on=datetime.date(2026, 9, 2))
    response = curator_client.get(reverse("documents:register-consents", args=[school.pk]) + YEAR)
    sheet = sheet_of(response)
    assert heading(sheet, 3) == [f"Форма № Р-3. Сформировано {TODAY}."]
    assert values(sheet, 5) == [
        "ФИО", "Вид согласия", "Дата согласия", "Действует до", "Отозвано", "Скан",
    ]  # fmt: skip
    rows = [values(sheet, 6), values(sheet, 7)]
    kinds = {row[1] for row in rows}
    assert len(kinds) == 2
    processing = next(row for row in rows if row[2] == "01.09.2026")
    duties = next(row for row in rows if row[2] == "02.09.2026")
    assert processing[0::2] == ["Аксёнова Ольга Павловна", "01.09.2026", "10.12.2026"]
    assert processing[3] == "31.08.2027"
    assert processing[5] == "да"
    assert duties[0] == "Аксёнова Ольга Павловна"
    assert duties[3:] == ["бессрочно", None, "нет"]
    assert sheet.max_row == 7


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("documents:register-orders", lambda school, i: order(school, i)),
        (
            "documents:register-agreements",
            lambda school, i: order(
                school,
                i,
                kind=DocKind.AGREEMENT,
                series=Series.AGREEMENT,
                person=PersonFactory(organisation=school),
            ),
        ),
        (
            "documents:register-consents",
            lambda school, i: ConsentFactory(person=PersonFactory(organisation=school)),
        ),
    ],
)
def test_it_spends_the_same_queries_on_one_and_three_rows(
    name, make, curator_client, school, django_assert_num_queries
):
    url = reverse(name, args=[school.pk]) + YEAR
    make(school, 1)
    curator_client.get(url)  # warm the session and the membership caches
    expected = {
        "documents:register-orders": 5,
        "documents:register-agreements": 6,
        "documents:register-consents": 5,
    }[name]
    with django_assert_num_queries(expected):
        assert curator_client.get(url).status_code == 200
    make(school, 2)
    make(school, 3)
    with django_assert_num_queries(expected):
        response = curator_client.get(url)
    assert sheet_of(response).max_row == 8


@pytest.mark.parametrize(
    "name", ["documents:register-orders", "documents:register-agreements",
             "documents:register-consents"],
)  # fmt: skip
def test_it_refuses_the_registers_to_a_mentor_and_hides_them_from_another_school(
    name, mentor_client, outsider_client, school
):
    url = reverse(name, args=[school.pk])
    assert mentor_client.get(url).status_code == 403
    assert outsider_client.get(url).status_code == 404


def test_it_answers_400_to_a_malformed_register_year(curator_client, school):
    url = reverse("documents:register-orders", args=[school.pk])
    assert curator_client.get(url + "?year=2026/2030").status_code == 400


def meet(unit, day, topic, **fields):
    return Meeting.objects.create(unit=unit, date=day, topic=topic, **fields)


def test_it_downloads_the_meetings_diary_of_a_unit_as_a_document(curator_client, school, world):  # noqa: F811
    unit = world["unit"]
    meet(unit, datetime.date(2026, 12, 15), "Разбор урока", outcome="Выявлены трудности",
         next_steps="Открытый урок", format=MeetingFormat.ONLINE, duration=40)  # fmt: skip
    meet(unit, datetime.date(2026, 12, 3), "Знакомство")
    response = curator_client.get(reverse("documents:unit-diary", args=[school.pk, unit.pk]))
    assert response.status_code == 200
    doc = Docx(io.BytesIO(b"".join(response.streaming_content)))
    assert [p.text for p in doc.paragraphs[:2]] == [
        "Муниципальное бюджетное общеобразовательное учреждение «Школа № 1»",
        f"ДНЕВНИК ВСТРЕЧ НАСТАВНИКА\nпары (группы) № {unit.pk}, {unit.year} учебный год",
    ]
    info, meetings, signatures = doc.tables
    assert [[c.text for c in row.cells] for row in info.rows][:2] == [
        ["Наставник", "Петров Сергей Иванович, учитель физики"],
        ["Наставляемый", "Иванова Мария Петровна, учитель математики"],
    ]
    assert [[c.text for c in row.cells] for row in meetings.rows] == [
        ["№", "Дата", "Тема встречи", "Форма", "Итоги", "Следующие шаги"],
        ["1", "03.12.2026", "Знакомство", "Очно, 45 мин", "—", "—"],
        ["2", "15.12.2026", "Разбор урока", "Онлайн, 40 мин", "Выявлены трудности",
         "Открытый урок"],
    ]  # fmt: skip
    assert 'w:tblHeader w:val="true"' in meetings.rows[0]._tr.xml
    assert all("<w:cantSplit/>" in row._tr.xml for row in meetings.rows)
    assert [round(column.width.cm, 1) for column in meetings.columns] == [
        1.0, 2.6, 3.8, 2.4, 3.4, 3.3,
    ]  # fmt: skip
    assert [[c.text for c in row.cells] for row in signatures.rows] == [
        ["Наставник", "____________ Петров С.И."],
        ["Куратор наставничества", "____________ Седых Н.И."],
    ]


def test_the_meetings_diary_passes_the_document_check(school, world):  # noqa: F811
    unit = world["unit"]
    meet(unit, datetime.date(2026, 12, 3), "Знакомство", outcome="Составлен план")
    assert problems_of(diary_docx(unit, list(unit.meetings.all()))) == []
    assert problems_of(diary_docx(unit, [])) == []


def test_it_refuses_the_diary_to_a_mentor_and_hides_another_schools_unit(
    mentor_client,
    curator_client,
    outsider_client,
    school,
    other_school,
    world,  # noqa: F811
):
    url = reverse("documents:unit-diary", args=[school.pk, world["unit"].pk])
    assert mentor_client.get(url).status_code == 403
    assert outsider_client.get(url).status_code == 404
    foreign = reverse("documents:unit-diary", args=[other_school.pk, world["unit"].pk])
    assert curator_client.get(foreign).status_code == 404
    mixed = reverse("documents:unit-diary", args=[school.pk, world["unit"].pk + 1000])
    assert curator_client.get(mixed).status_code == 404


def test_the_archive_holds_the_diaries_and_lists_every_files_kind_and_sheets(
    curator_client,
    school,
    world,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    meet(world["unit"], datetime.date(2026, 12, 3), "Знакомство")
    response = download_archive(curator_client, school, django_capture_on_commit_callbacks)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    diary = f"04 Дневники встреч/Петров Сергей Иванович — пара {world['unit'].pk}.docx"
    assert problems_of(archive.read(diary)) == []
    assert problems_of(archive.read("00 Оглавление.docx")) == []
    contents = Docx(io.BytesIO(archive.read("00 Оглавление.docx"))).tables[0]
    rows = {row.cells[1].text: [c.text for c in row.cells[2:]] for row in contents.rows[1:]}
    assert [c.text for c in contents.rows[0].cells] == [
        "№", "Файл", "Что это", "Вид файла", "Листов",
    ]  # fmt: skip
    assert rows[diary] == ["Дневник встреч: наставник Петров Сергей Иванович", "документ (.docx)",
                           "—"]  # fmt: skip
    assert rows["02 Согласия/Реестр согласий.xlsx"][1:] == ["таблица (.xlsx)", "1"]
    assert rows["04 Дневники встреч/Дневники встреч.xlsx"][1:] == ["таблица (.xlsx)", "1"]
    assert 'w:tblHeader w:val="true"' in contents.rows[0]._tr.xml
