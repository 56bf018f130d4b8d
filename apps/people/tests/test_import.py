"""Staff import: parsing rules, the upload → preview → apply flow and every kind of bad file."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.people.importing import StaffFileError, parse_staff_file
from apps.people.models import ImportBatch, Person
from tests.factories import PersonFactory

TODAY = datetime.date(2026, 11, 24)
HEADER = ["Фамилия", "Имя", "Отчество", "Дата рождения", "Должность", "Предметы",
          "Квалификационная категория", "Педагогический стаж", "E-mail"]  # fmt: skip


def xlsx(rows, header=HEADER, edit=None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if edit:
        edit(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(lines, encoding="utf-8") -> bytes:
    return "\n".join(lines).encode(encoding)


def parse(data, name="staff.xlsx", max_rows=20000):
    return parse_staff_file(data=data, file_name=name, max_rows=max_rows, today=TODAY)


ROW = ["Семёнова", "Анна", "Игоревна", "14.03.1999", "Учитель математики", "Математика; Алгебра",
       "первая", "2", "semenova@example.org"]  # fmt: skip


def test_it_reads_a_clean_xlsx_row():
    result = parse(xlsx([ROW]))
    assert result.problems == []
    row = result.rows[0]
    assert (row["last_name"], row["birth_date"], row["category"]) == (
        "Семёнова",
        "1999-03-14",
        "first",
    )
    assert row["subjects"] == ["Математика", "Алгебра"]
    assert row["is_young_specialist"] is True  # 27 years old, 2 years of experience


def test_it_reads_cp1251_csv_with_semicolons_and_header_variants():
    data = csv_bytes(
        [
            "ФИО;Дата рождения (дд.мм.гггг);ДОЛЖНОСТЬ*;Категория",
            "Петров  Иван Сергеевич;01.02.1980;Учитель физики;высшая",
        ],
        encoding="cp1251",
    )
    result = parse(data, name="kadry.csv")
    assert result.problems == []
    assert result.rows[0]["first_name"] == "Иван"
    assert result.rows[0]["category"] == "highest"


def test_it_reads_utf8_bom_csv_with_commas():
    data = "\ufeffФамилия,Имя,Должность\nИванова,Мария,Учитель\n".encode()
    assert parse(data, name="a.csv").rows[0]["last_name"] == "Иванова"


def test_it_reports_each_bad_cell_by_row_and_column():
    bad = ["Сидоров", "", "", "31.02.1990", "Учитель", "", "вторая", "много", "not-an-email"]
    result = parse(xlsx([ROW, bad]))
    assert [(p["row"], p["column"]) for p in result.problems] == [
        (3, "Имя"),
        (3, "Дата рождения"),
        (3, "Педагогический стаж"),
        (3, "Квалификационная категория"),
        (3, "E-mail"),
    ]
    assert "«31.02.1990» — не дата" in result.problems[1]["message"]


def test_it_finds_duplicates_inside_the_file_ignoring_yo_case_and_spaces():
    twin = ["семенова ", " АННА", "игоревна", "14.03.1999", "Учитель", "", "", "", ""]
    result = parse(xlsx([ROW, twin]))
    assert result.problems == [
        {
            "row": 3,
            "column": "Фамилия",
            "message": "повтор: этот сотрудник уже указан в строке 2 "
            "(совпадают ФИО и дата рождения)",
        }
    ]


def test_it_accepts_excel_date_cells():
    row = [*ROW]
    row[3] = datetime.datetime(1999, 3, 14)  # noqa: DTZ001 — Excel cells are naive
    assert parse(xlsx([row])).rows[0]["birth_date"] == "1999-03-14"


def test_it_reports_merged_cells():
    result = parse(xlsx([ROW, ["Котов", "Олег", "", "", "Учитель"]],
                        edit=lambda s: s.merge_cells("E2:E3")))  # fmt: skip
    assert result.problems[0]["row"] == 3
    assert result.problems[0]["column"] == "Должность"
    assert "объединённая ячейка" in result.problems[0]["message"]


def test_it_reports_formulas_without_saved_values():
    result = parse(xlsx([["Котов", "Олег", "", "", '=CONCAT("Учи","тель")']]))
    assert result.problems[0]["column"] == "Должность"
    assert "формула" in result.problems[0]["message"]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "a.xlsx", "Файл «a.xlsx» пустой."),
        (b"MZ\x90\x00\x03" + b"\x00" * 100, "virus.xlsx", "не является книгой Excel"),
        (b"MZ\x90\x00\x03" + b"\x00" * 100, "virus.csv", "содержит двоичные данные"),
        (b"%PDF-1.4", "scan.pdf", "не похож на таблицу"),
        (b"\xd0\xcf\x11\xe0", "old.xls", "старом формате Excel"),
        ("Имя;Отчество\nАнна;Ивановна".encode(), "a.csv", "нет обязательных столбцов: Фамилия"),
        ("Фамилия;Имя;Должность\n".encode(), "a.csv", "нет ни одного сотрудника"),
        (b"PK\x03\x04broken", "a.xlsx", "повреждён"),
    ],
)
def test_it_refuses_unreadable_files_with_a_clear_message(data, name, message):
    with pytest.raises(StaffFileError, match=message):
        parse(data, name=name)


def test_it_refuses_files_over_the_row_limit_quickly():
    lines = ["Фамилия;Имя;Должность"] + ["Иванов;Иван;Учитель"] * 50_000
    with pytest.raises(StaffFileError, match="слишком много строк"):
        parse(csv_bytes(lines), name="big.csv", max_rows=20_000)
    big = xlsx([["Иванов", "Иван", "", "", "Учитель"]] * 30)
    with pytest.raises(StaffFileError, match="не больше 20"):
        parse(big, max_rows=20)


# Views -------------------------------------------------------------------------------------


def upload(client, org, data, name="staff.xlsx"):
    return client.post(
        reverse("people:import-upload", args=[org.pk]),
        {"file": SimpleUploadedFile(name, data)},
    )


def test_it_imports_after_preview_and_confirmation(curator_client, school):
    response = upload(curator_client, school, xlsx([ROW]))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:import-preview", args=[school.pk, batch.pk])
    assert Person.objects.count() == 0  # nothing saved before confirmation
    page = curator_client.get(response["Location"])
    assert "будет добавлено <strong>1</strong>" in page.content.decode()

    response = curator_client.post(reverse("people:import-apply", args=[school.pk, batch.pk]))
    assert response.status_code == 302
    person = Person.objects.get()
    assert (person.full_name, person.organisation) == ("Семёнова Анна Игоревна", school)
    assert sorted(s.name for s in person.subjects.all()) == ["Алгебра", "Математика"]


def test_it_updates_existing_people_on_reimport(curator_client, school):
    existing = PersonFactory(
        organisation=school,
        last_name="Семенова",
        first_name="Анна",
        middle_name="Игоревна",
        birth_date=datetime.date(1999, 3, 14),
        position="Учитель",
        phone="+7 900 000-00-00",
    )
    upload(curator_client, school, xlsx([ROW]))
    batch = ImportBatch.objects.get()
    assert batch.rows[0]["action"] == "update"
    curator_client.post(reverse("people:import-apply", args=[school.pk, batch.pk]))
    existing.refresh_from_db()
    assert Person.objects.count() == 1
    assert existing.position == "Учитель математики"
    assert existing.phone == "+7 900 000-00-00"  # an empty cell does not wipe data
    batch.refresh_from_db()
    assert (batch.created_count, batch.updated_count) == (0, 1)


def test_it_saves_nothing_when_a_row_has_a_problem(curator_client, school):
    upload(curator_client, school, xlsx([ROW, ["Котов", "", "", "", "Учитель"]]))
    batch = ImportBatch.objects.get()
    assert batch.status == "failed"
    response = curator_client.post(reverse("people:import-apply", args=[school.pk, batch.pk]))
    assert response.status_code == 302
    assert Person.objects.count() == 0
    page = curator_client.get(reverse("people:import-preview", args=[school.pk, batch.pk]))
    assert "Найдено ошибок: 1" in page.content.decode()


def test_it_refuses_to_apply_a_batch_twice(curator_client, school):
    upload(curator_client, school, xlsx([ROW]))
    batch = ImportBatch.objects.get()
    url = reverse("people:import-apply", args=[school.pk, batch.pk])
    curator_client.post(url)
    response = curator_client.post(url, follow=True)
    assert Person.objects.count() == 1
    assert "нельзя загрузить" in response.content.decode()


def test_it_shows_the_file_error_on_the_form(curator_client, school):
    response = upload(curator_client, school, b"MZ\x90\x00", name="setup.xlsx")
    assert response.status_code == 200
    assert "не является книгой Excel" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_it_refuses_files_over_the_size_limit(curator_client, school, settings):
    settings.STAFF_IMPORT_MAX_BYTES = 1024 * 1024
    response = upload(curator_client, school, b"x" * (1024 * 1024 + 1), name="big.csv")
    assert "больше 1 МБ" in response.content.decode()


def test_it_serves_a_template_that_imports_cleanly(curator_client, school):
    response = curator_client.get(reverse("people:import-template", args=[school.pk]))
    assert response.status_code == 200
    result = parse(response.content)
    assert result.problems == []
    assert result.rows[0]["last_name"] == "Семёнова"


def test_it_hides_another_schools_batch(curator_client, school, other_school):
    batch = ImportBatch.objects.create(organisation=other_school, file_name="x.xlsx")
    response = curator_client.get(reverse("people:import-preview", args=[school.pk, batch.pk]))
    assert response.status_code == 404


def test_it_forbids_mentors(mentor_client, school):
    response = mentor_client.get(reverse("people:import-upload", args=[school.pk]))
    assert response.status_code == 403


def test_it_applies_in_a_bounded_number_of_queries(
    curator_client, school, django_assert_max_num_queries
):
    births = [datetime.date(1980, 1, 1) + datetime.timedelta(days=i) for i in range(60)]
    rows = [["Иванов", "Иван", "", b, "Учитель", "Физика", "", "5", ""] for b in births]
    upload(curator_client, school, xlsx(rows))
    batch = ImportBatch.objects.get()
    with django_assert_max_num_queries(25):
        curator_client.post(reverse("people:import-apply", args=[school.pk, batch.pk]))
    assert Person.objects.filter(organisation=school).count() == 60
