"""Staff import pages: upload → preview → apply, re-import, bad files, access."""

import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.orgs.choices import Role
from apps.people.choices import PersonStatus
from apps.people.models import ImportBatch, Person
from conftest import client_for
from tests.factories import MembershipFactory, PersonFactory
from tests.html import text_of

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def upload(client, org, data: bytes, name: str = "staff.xlsx"):
    return client.post(
        reverse("people:import-upload", args=[org.pk]), {"file": SimpleUploadedFile(name, data)}
    )


def upload_fixture(client, org, name: str):
    return upload(client, org, (FIXTURES / name).read_bytes(), name=name)


def apply_url(batch: ImportBatch) -> str:
    return reverse("people:import-apply", args=[batch.organisation_id, batch.pk])


def preview_url(batch: ImportBatch) -> str:
    return reverse("people:import-preview", args=[batch.organisation_id, batch.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Фамилия", "Имя", "Дата рождения", "Должность", "Предметы"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Happy path -----------------------------------------------------------------------------------


def test_it_shows_the_form_and_the_history(curator_client, school, curator):
    ImportBatch.objects.create(
        organisation=school, uploaded_by=curator, file_name="kadry-2025.xlsx", status="applied"
    )
    response = curator_client.get(reverse("people:import-upload", args=[school.pk]))
    assert response.status_code == 200
    assert [b.file_name for b in response.context["history"]] == ["kadry-2025.xlsx"]
    assert "kadry-2025.xlsx" in response.content.decode()


def test_it_previews_then_saves_everything_on_confirmation(curator_client, school):
    response = upload_fixture(curator_client, school, "staff.xlsx")
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == preview_url(batch)
    assert Person.objects.count() == 0  # nothing saved before confirmation

    page = curator_client.get(preview_url(batch))
    assert (page.context["create_count"], page.context["update_count"]) == (3, 0)
    assert "— будет добавлено 3, обновлено 0" in text_of(page, ".alert-info")

    response = curator_client.post(apply_url(batch), follow=True)
    assert response.redirect_chain == [(reverse("people:person-list", args=[school.pk]), 302)]
    assert messages_of(response) == ["Файл «staff.xlsx» загружен: добавлено 3, обновлено 0."]
    person = Person.objects.get(last_name="Семёнова")
    assert (person.full_name, person.organisation, person.birth_date, person.levels) == (
        "Семёнова Анна Игоревна",
        school,
        datetime.date(1999, 3, 14),
        "basic,secondary",
    )
    assert sorted(s.name for s in person.subjects.all()) == ["Информатика", "Математика"]
    batch.refresh_from_db()
    assert (batch.status, batch.created_count, batch.rows) == ("applied", 3, [])


def test_it_reads_cp1251_csv_through_the_page(curator_client, school):
    upload_fixture(curator_client, school, "staff_cp1251.csv")
    curator_client.post(apply_url(ImportBatch.objects.get()))
    assert sorted(Person.objects.values_list("last_name", flat=True)) == ["Петров", "Щукина"]


def test_it_updates_existing_people_on_reimport(curator_client, school):
    existing = PersonFactory(
        organisation=school,
        last_name="Семенова",  # «Ё» in the file, «Е» in the register: the same person
        first_name="анна",
        middle_name="Игоревна",
        birth_date=datetime.date(1999, 3, 14),
        position="Учитель",
        education="Высшее",
    )
    archived = PersonFactory(
        organisation=school,
        last_name="Ким",
        first_name="Елена",
        middle_name="Викторовна",
        birth_date=None,  # entered by hand without a birth date: the file fills it in
        status=PersonStatus.ARCHIVED,
    )
    upload_fixture(curator_client, school, "staff.xlsx")
    batch = ImportBatch.objects.get()
    assert [r["action"] for r in batch.rows] == ["update", "create", "update"]
    curator_client.post(apply_url(batch))

    assert Person.objects.count() == 3
    existing.refresh_from_db()
    assert (existing.last_name, existing.position, existing.education) == (
        "Семёнова",
        "Учитель математики",
        "Высшее",  # an empty cell does not wipe data
    )
    archived.refresh_from_db()
    assert (archived.birth_date, archived.status) == (datetime.date(1988, 6, 20), "active")

    upload_fixture(curator_client, school, "staff.xlsx")  # the same file again
    again = ImportBatch.objects.latest("pk")
    curator_client.post(apply_url(again))
    again.refresh_from_db()
    assert (again.created_count, again.updated_count) == (0, 3)
    assert Person.objects.count() == 3


def test_it_keeps_what_the_file_does_not_say_and_fills_defaults_for_new_people(
    curator_client, school
):
    known = PersonFactory(
        organisation=school,
        last_name="Орлов",
        first_name="Павел",
        middle_name="",
        birth_date=datetime.date(1975, 11, 2),
        category="highest",
        is_young_specialist=True,
    )
    data = (
        "Фамилия;Имя;Дата рождения;Должность;Педагогический стаж\n"
        "Орлов;Павел;02.11.1975;Учитель физики;27\n"
        "Щукина;Алёна;15.07.2001;Учитель английского языка;1\n"
    ).encode()
    upload(curator_client, school, data, name="short.csv")
    curator_client.post(apply_url(ImportBatch.objects.get()))
    known.refresh_from_db()
    assert (known.position, known.category, known.is_young_specialist) == (
        "Учитель физики",
        "highest",
        True,
    )
    newcomer = Person.objects.get(last_name="Щукина")
    assert (newcomer.category, newcomer.is_young_specialist) == ("none", True)


def test_it_applies_in_a_bounded_number_of_queries(
    curator_client, school, django_assert_max_num_queries
):
    births = [datetime.date(1980, 1, 1) + datetime.timedelta(days=i) for i in range(300)]
    upload(curator_client, school, xlsx(("Иванов", "Иван", b, "Учитель", "Физика") for b in births))
    batch = ImportBatch.objects.get()
    # SQLite splits the 300 INSERTs by its limit of query parameters (more columns, more batches).
    with django_assert_max_num_queries(32):
        curator_client.post(apply_url(batch))
    assert Person.objects.filter(organisation=school).count() == 300


@pytest.mark.parametrize("count", [1, 3])
def test_it_checks_and_applies_in_flat_queries(
    curator_client, school, count, django_assert_num_queries
):
    births = [datetime.date(1980, 1, 1) + datetime.timedelta(days=i) for i in range(count)]
    data = xlsx(("Иванов", "Иван", b, "Учитель", "Физика") for b in births)
    with django_assert_num_queries(6):
        upload(curator_client, school, data)
    batch = ImportBatch.objects.get()
    with django_assert_num_queries(22):
        curator_client.post(apply_url(batch))
    assert Person.objects.filter(organisation=school).count() == count


def test_it_serves_a_template_that_imports_cleanly(curator_client, school):
    response = curator_client.get(reverse("people:import-template", args=[school.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="shablon-kadry.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Сотрудники", "Справка"]
    sheet = workbook["Сотрудники"]
    sheet["A2"], sheet["B2"], sheet["C2"], sheet["O2"] = "Орлова", "Вера", "Павловна", "o@sch.ru"
    filled = io.BytesIO()
    workbook.save(filled)
    upload(curator_client, school, filled.getvalue(), name="kadry.xlsx")
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.problems, batch.row_count) == ("preview", [], 1)


def test_it_refuses_the_templates_sample_row_naming_the_file_and_the_row(curator_client, school):
    template = curator_client.get(reverse("people:import-template", args=[school.pk])).content
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    workbook["Сотрудники"].append(["Орлова", "Вера", "Павловна", "", "Учитель"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(curator_client, school, buffer.getvalue(), name="kadry-2026.xlsx")
    assert response.context["form"].errors["file"] == [
        "В файле «kadry-2026.xlsx» в строке 2 остался образец из шаблона — «Семёнова Анна "
        "Игоревна», semenova@school.ru. Это не сотрудник вашей школы: удалите строку 2 (или "
        "впишите в неё своего сотрудника) и загрузите файл снова. Ничего не сохранено."
    ]
    assert (ImportBatch.objects.count(), Person.objects.count()) == (0, 0)


# Bad input -------------------------------------------------------------------------------------


def test_it_saves_nothing_when_a_row_has_a_problem(curator_client, school):
    upload(curator_client, school, xlsx([("Орлов", "Павел", "02.11.1975", "Учитель", ""),
                                         ("Котов", "", "31.02.1990", "Учитель", "")]))  # fmt: skip
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.rows) == ("failed", [])
    page = curator_client.get(preview_url(batch))
    assert [(p["row"], p["column"]) for p in page.context["problems"]] == [
        (3, "Имя"),
        (3, "Дата рождения"),
    ]
    assert text_of(page, ".alert-danger strong") == "Найдено ошибок: 2"

    response = curator_client.post(apply_url(batch), follow=True)
    assert messages_of(response) == [
        "В файле «staff.xlsx» есть ошибки (2), поэтому ничего не сохранено. Исправьте файл и "
        "загрузите его заново."
    ]
    assert Person.objects.count() == 0


def test_it_refuses_to_apply_a_batch_twice(curator_client, school):
    upload_fixture(curator_client, school, "staff.xlsx")
    batch = ImportBatch.objects.get()
    curator_client.post(apply_url(batch), follow=True)
    response = curator_client.post(apply_url(batch), follow=True)
    batch.refresh_from_db()
    assert response.redirect_chain == [(preview_url(batch), 302)]
    applied_at = timezone.localtime(batch.applied_at)
    assert messages_of(response) == [
        f"Файл «staff.xlsx» уже загружен {applied_at:%d.%m.%Y %H:%M}: второй раз его применить "
        "нельзя. Чтобы обновить данные, загрузите файл заново."
    ]
    assert Person.objects.count() == 3


def test_it_refuses_to_apply_when_the_register_changed_since_the_preview(curator_client, school):
    upload(curator_client, school, xlsx([("Орлов", "Павел", "", "Учитель", "")]))
    batch = ImportBatch.objects.get()
    PersonFactory.create_batch(2, organisation=school, last_name="Орлов", first_name="Павел",
                               middle_name="")  # fmt: skip
    response = curator_client.post(apply_url(batch), follow=True)
    assert messages_of(response) == [
        "Реестр изменился после проверки файла «staff.xlsx»: строка 2 — в реестре несколько "
        "сотрудников с таким ФИО (2) — укажите дату рождения, чтобы обновить нужного. "
        "Загрузите файл заново."
    ]
    assert Person.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "setup.xlsx",
            "Файл «setup.xlsx» назван .xlsx, но не является книгой Excel: по содержимому это "
            "программа. Возможно, расширение изменено вручную.",
        ),
        ("empty.csv", "Файл «empty.csv» пустой."),
        (
            "word_document.xlsx",
            "Файл «word_document.xlsx» — это документ Word, а не книга Excel. Загрузите таблицу "
            ".xlsx или .csv.",
        ),
    ],
)
def test_it_shows_why_a_file_cannot_be_read(curator_client, school, name, message):
    response = upload_fixture(curator_client, school, name)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [message]
    assert ImportBatch.objects.count() == 0


def test_it_refuses_a_file_over_the_row_limit(curator_client, school, settings):
    settings.STAFF_IMPORT_MAX_ROWS = 20_000
    data = ("Фамилия;Имя;Должность\n" + "Иванов;Иван;Учитель\n" * 50_000).encode()
    response = upload(curator_client, school, data, name="all.csv")
    assert response.context["form"].errors["file"] == [
        "В файле «all.csv» больше 20 000 строк: за один раз можно загрузить не больше 20 000 "
        "сотрудников. Разделите файл на части."
    ]
    assert ImportBatch.objects.count() == 0


def test_it_refuses_a_file_over_the_size_limit(curator_client, school, settings):
    settings.STAFF_IMPORT_MAX_BYTES = 1024 * 1024
    response = upload(curator_client, school, b"x" * (1024 * 1024 + 1), name="big.csv")
    assert response.context["form"].errors["file"] == [
        "Файл «big.csv» больше 1 МБ. Разделите его на части."
    ]


def test_it_lists_problems_of_merged_cells_on_the_preview(curator_client, school):
    upload_fixture(curator_client, school, "staff_merged.xlsx")
    page = curator_client.get(preview_url(ImportBatch.objects.get()))
    assert page.context["problems"] == [
        {
            "row": 3,
            "column": "Должность",
            "message": "объединённая ячейка: значение есть только в первой строке объединения; "
            "разъедините ячейки и заполните каждую строку",
        }
    ]


# Access ---------------------------------------------------------------------------------------


def test_it_hides_another_schools_batch(curator_client, school, other_school):
    batch = ImportBatch.objects.create(organisation=other_school, file_name="x.xlsx")
    url = reverse("people:import-preview", args=[school.pk, batch.pk])
    assert curator_client.get(url).status_code == 404
    url = reverse("people:import-apply", args=[school.pk, batch.pk])
    assert curator_client.post(url).status_code == 404
    assert curator_client.get(preview_url(batch)).status_code == 404


def test_it_forbids_mentors(mentor_client, school):
    assert mentor_client.get(reverse("people:import-upload", args=[school.pk])).status_code == 403
    response = upload_fixture(mentor_client, school, "staff.xlsx")
    assert response.status_code == 403
    assert ImportBatch.objects.count() == 0


def test_it_forbids_methodists_to_upload_or_apply(methodist_client, school):
    batch = ImportBatch.objects.create(organisation=school, file_name="x.xlsx", rows=[])
    assert upload_fixture(methodist_client, school, "staff.xlsx").status_code == 403
    assert methodist_client.post(apply_url(batch)).status_code == 403
    assert ImportBatch.objects.count() == 1


def test_it_answers_404_for_a_municipality(municipality):
    # Staff belong to schools: there is nothing to import into a municipality.
    admin = MembershipFactory(organisation=municipality, role=Role.ADMIN).user
    response = client_for(admin).get(reverse("people:import-upload", args=[municipality.pk]))
    assert response.status_code == 404


def test_it_applies_only_by_post(curator_client, school):
    batch = ImportBatch.objects.create(organisation=school, file_name="x.xlsx")
    assert curator_client.get(apply_url(batch)).status_code == 405
