"""Reading and checking staff files, without the database: encodings, headers, values, limits."""

import datetime
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from apps.people.importing import StaffFileError, match_existing, parse_staff_file

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = datetime.date(2026, 11, 24)


def parse(data: bytes, name: str = "staff.xlsx", max_rows: int = 20000):
    return parse_staff_file(data=data, file_name=name, max_rows=max_rows, today=TODAY)


def parse_fixture(name: str, **kwargs):
    return parse((FIXTURES / name).read_bytes(), name=name, **kwargs)


def xlsx(rows, header=("Фамилия", "Имя", "Должность", "Дата рождения")) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def minimal_xlsx(rows: int) -> bytes:
    """A workbook as some exporters write it: inline strings and no stored sheet size."""

    def surname(n: int) -> str:  # distinct letters-only names: Ивановв, Ивановг, …
        return "Иванов" + "".join("абвгдежзик"[int(digit)] for digit in str(n))

    cells = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{surname(n)}</t></is></c>'
        f'<c r="B{n}" t="inlineStr"><is><t>Иван</t></is></c>'
        f'<c r="C{n}" t="inlineStr"><is><t>Учитель</t></is></c></row>'
        for n in range(2, rows + 2)
    )
    header = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Фамилия</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>Имя</t></is></c>'
        '<c r="C1" t="inlineStr"><is><t>Должность</t></is></c></row>'
    )
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="Лист1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{main}"><sheetData>{header}{cells}</sheetData></worksheet>'
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


# Formats and encodings ----------------------------------------------------------------------


def test_it_reads_the_sample_workbook_with_header_variants_and_excel_cells():
    result = parse_fixture("staff.xlsx")
    assert result.problems == []
    assert result.row_count == 3
    first, second, third = result.rows
    assert first == {
        "last_name": "Семёнова",
        "first_name": "Анна",
        "middle_name": "Игоревна",
        "position": "Учитель математики",
        "education": "",
        "phone": "+7 900 123-45-67",
        "personnel_number": "",  # no «Табельный номер» column in this file
        "birth_date": "1999-03-14",  # an Excel date cell
        "hired_on": "2024-08-29",
        "mentor_title_since": None,
        "teaching_experience": 2,
        "org_experience": 1,
        "category": None,  # an empty cell: a new person gets none, an update keeps theirs
        "levels": ["basic", "secondary"],
        "subjects": ["Математика", "Информатика"],
        "email": "semenova@example.org",
        "is_young_specialist": True,
        "gender": "",  # no «Пол» column in this file: an update keeps what is known
        "name_key": "семенова анна игоревна",
        "row": 2,
    }
    assert second["teaching_experience"] == 27  # the value Excel saved with the formula
    assert (second["category"], second["hired_on"]) == ("highest", "2005-09-01")
    assert (third["category"], third["birth_date"]) == ("conformity", "1988-06-20")


def test_it_reads_cp1251_csv_with_semicolons_a_full_name_column_and_short_years():
    result = parse_fixture("staff_cp1251.csv")
    assert result.problems == []
    assert [
        (r["last_name"], r["first_name"], r["middle_name"], r["birth_date"]) for r in result.rows
    ] == [
        ("Петров", "Иван", "Сергеевич", "1980-02-01"),
        ("Щукина", "Алёна", "Юрьевна", "2001-07-15"),
    ]


def test_it_reads_utf8_csv_with_a_bom_commas_and_quoted_lists():
    row = parse_fixture("staff_utf8_bom.csv").rows[0]
    assert (row["last_name"], row["subjects"], row["levels"]) == (
        "Иванова",
        ["Математика", "Алгебра"],
        ["basic", "secondary"],
    )


def test_it_reads_excels_unicode_text_with_tabs():
    row = parse_fixture("staff_unicode.txt").rows[0]
    assert (row["last_name"], row["email"]) == ("Ёлкина", "zoya@example.org")


def test_it_skips_title_lines_above_the_header():
    result = parse_fixture("staff_title_rows.xlsx")
    assert result.problems == []
    assert [(r["row"], r["last_name"], r["category"]) for r in result.rows] == [
        (4, "Петров", "first"),
        (5, "Лебедева", "none"),
    ]


@pytest.mark.parametrize(
    ("header", "row"),
    [
        (("Фамилия", "Имя", "Должность"), ("Орлов", "Павел", "Учитель")),
        (("  ФАМИЛИЯ ", "имя", "Должность*"), ("Орлов", "Павел", "Учитель")),
        (("Фамилия:", "Имя", "должность (по штатному расписанию)"), ("Орлов", "Павел", "Учитель")),
        (("Должность", "ФИО"), ("Учитель", "Орлов Павел")),
        (("Ф.И.О.", "Должность"), ("орлов  павел", "Учитель")),
    ],
)
def test_it_recognises_header_variants(header, row):
    result = parse(xlsx([row], header=header))
    assert result.problems == []
    assert (result.rows[0]["last_name"], result.rows[0]["first_name"]) == ("Орлов", "Павел")


@pytest.mark.parametrize(
    ("column", "field"),
    [
        ("Дата приёма", "hired_on"),
        ("Дата приема", "hired_on"),
        ("ДАТА ПРИЁМА", "hired_on"),
        ("Педагог-наставник с", "mentor_title_since"),
    ],
)
def test_it_treats_yo_and_e_in_headers_alike(column, field):
    result = parse(xlsx([["Орлов", "Павел", "Учитель", "01.09.2020"]],
                        header=("Фамилия", "Имя", "Должность", column)))  # fmt: skip
    assert result.rows[0][field] == "2020-09-01"


# Values ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "14.03.1999",
        "14.03.99",
        "1999-03-14",
        "14/03/1999",
        "14.03.1999 г.",
        datetime.datetime(1999, 3, 14),  # noqa: DTZ001 — Excel cells are naive
        36233,  # a date cell formatted as a number: Excel's day count
    ],
)
def test_it_accepts_dates_in_usual_forms(value):
    result = parse(xlsx([["Орлов", "Павел", "Учитель", value]]))
    assert result.rows[0]["birth_date"] == "1999-03-14"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "31.02.1990",
            "«31.02.1990» — не дата; используйте формат ДД.ММ.ГГГГ, например 14.03.1999",
        ),
        ("1999", "«1999» — не дата; используйте формат ДД.ММ.ГГГГ, например 14.03.1999"),
        ("вчера", "«вчера» — не дата; используйте формат ДД.ММ.ГГГГ, например 14.03.1999"),
        ("14.03.2020", "14.03.2020 — проверьте год рождения"),
    ],
)
def test_it_reports_bad_dates(value, message):
    result = parse(xlsx([["Орлов", "Павел", "Учитель", value]]))
    assert result.problems == [{"row": 2, "column": "Дата рождения", "message": message}]
    assert result.rows == []


@pytest.mark.parametrize(
    ("value", "category"),
    [
        ("", None),
        ("—", "none"),
        ("без категории", "none"),
        ("Первая", "first"),
        ("первая квалификационная категория", "first"),
        ("ВЫСШАЯ", "highest"),
        ("ВКК", "highest"),
        ("соответствие", "conformity"),
        ("Соответствие занимаемой должности", "conformity"),
        ("СЗД", "conformity"),
    ],
)
def test_it_maps_category_words(value, category):
    header = ("Фамилия", "Имя", "Должность", "Квалификационная категория")
    result = parse(xlsx([["Орлов", "Павел", "Учитель", value]], header=header))
    assert result.rows[0]["category"] == category


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("Квалификационная категория", "вторая", "«вторая» — неизвестная категория; допустимо: "
         "высшая, первая, соответствие занимаемой должности, без категории"),
        ("Уровни образования", "НОО, ВПО", "«впо» — неизвестный уровень; допустимо: ДО, НОО, ООО, "
         "СОО, ДопО"),
        ("Педагогический стаж", "много", "«много» — укажите число лет, например 5"),
        ("Стаж в ОО", "120", "«120» — стаж должен быть от 0 до 70 лет"),
        ("E-mail", "ivanov@", "«ivanov@» — неверный адрес электронной почты"),
        ("Молодой специалист", "возможно", "«возможно» — укажите «да» или «нет»"),
        ("Дата приёма", "01.09.1930", "01.09.1930 — проверьте год"),
    ],
)  # fmt: skip
def test_it_reports_each_bad_value_by_row_and_column(column, value, message):
    header = ("Фамилия", "Имя", "Должность", column)
    result = parse(xlsx([["Орлов", "Павел", "Учитель", value]], header=header))
    assert result.problems == [{"row": 2, "column": column, "message": message}]


def test_it_reads_levels_and_experience_in_loose_forms():
    header = ("Фамилия", "Имя", "Должность", "Уровни образования", "Педагогический стаж")
    result = parse(xlsx([["Орлов", "Павел", "Учитель", "ДО; 1-4 / 5–9, СОО, допо", "5,5"]],
                        header=header))  # fmt: skip
    row = result.rows[0]
    assert row["levels"] == ["preschool", "primary", "basic", "secondary", "additional"]
    assert row["teaching_experience"] == 5


def test_it_reports_missing_required_values():
    result = parse(xlsx([["", "", "", "01.01.1980"]]))
    assert result.problems == [
        {"row": 2, "column": "Фамилия", "message": "не заполнено — это обязательный столбец"},
        {"row": 2, "column": "Имя", "message": "не заполнено — это обязательный столбец"},
        {"row": 2, "column": "Должность", "message": "не заполнено — это обязательный столбец"},
    ]


def test_it_finds_duplicates_inside_the_file_ignoring_yo_case_and_spaces():
    header = ("Фамилия", "Имя", "Отчество", "Должность", "Дата рождения")
    result = parse(xlsx([["Семёнова", "Анна", "Игоревна", "Учитель", "14.03.1999"],
                         ["семенова ", " АННА", "игоревна", "Учитель", "14.03.1999"],
                         ["Семенова", "Анна", "Игоревна", "Учитель", "15.03.1999"]],
                        header=header))  # fmt: skip
    assert result.problems == [
        {
            "row": 3,
            "column": "Фамилия",
            "message": "повтор: этот сотрудник уже указан в строке 2 "
            "(совпадают ФИО и дата рождения)",
        }
    ]
    assert [r["row"] for r in result.rows] == [2, 4]  # another birth date: another person


def test_it_reports_merged_cells_once_per_cell():
    result = parse_fixture("staff_merged.xlsx")
    assert result.problems == [
        {
            "row": 3,
            "column": "Должность",
            "message": "объединённая ячейка: значение есть только в первой строке объединения; "
            "разъедините ячейки и заполните каждую строку",
        }
    ]


def test_it_reports_formulas_without_a_saved_value():
    result = parse_fixture("staff_formula.xlsx")
    assert result.problems == [
        {
            "row": 2,
            "column": "Педагогический стаж",
            "message": "формула без сохранённого значения: откройте файл в Excel, пересчитайте "
            "и сохраните, или замените формулы значениями",
        }
    ]
    assert result.rows == []


# Files that cannot be read --------------------------------------------------------------------

NO_HEADER = (
    "В файле «a.csv» не найдена строка заголовков: нет обязательных столбцов «Фамилия», "
    "«Должность»; из обязательных найдены: «Имя». Заголовки в строке 1: «Имя», «Отчество». "
    "Скачайте шаблон и сверьте заголовки (вместо «Фамилия» и «Имя» можно один столбец «ФИО»)."
)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "a.xlsx", "Файл «a.xlsx» пустой."),
        (
            (FIXTURES / "setup.xlsx").read_bytes(),
            "setup.xlsx",
            "Файл «setup.xlsx» назван .xlsx, но не является книгой Excel: по содержимому это "
            "программа. Возможно, расширение изменено вручную.",
        ),
        (
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
            "scan.xlsx",
            "Файл «scan.xlsx» назван .xlsx, но не является книгой Excel: по содержимому это "
            "файл PDF. Возможно, расширение изменено вручную.",
        ),
        (
            (FIXTURES / "word_document.xlsx").read_bytes(),
            "report.xlsx",
            "Файл «report.xlsx» — это документ Word, а не книга Excel. Загрузите таблицу .xlsx "
            "или .csv.",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
            "secret.xlsx",
            "Файл «secret.xlsx» защищён паролем или сохранён в формате Excel 97–2003. Снимите "
            "пароль (Файл → Сведения → Защита книги) и сохраните как «Книга Excel (.xlsx)».",
        ),
        (
            b"PK\x03\x04broken",
            "a.xlsx",
            "Не удалось прочитать книгу Excel «a.xlsx»: файл повреждён. Откройте его в Excel и "
            "сохраните заново как «Книга Excel (.xlsx)».",
        ),
        (
            (FIXTURES / "setup.xlsx").read_bytes(),
            "setup.csv",
            "Файл «setup.csv» назван .csv, но это не текстовая таблица (по содержимому это "
            "программа). Сохраните таблицу как «CSV (разделители — точка с запятой)» в UTF-8 "
            "или Windows-1251.",
        ),
        (
            (FIXTURES / "staff.xlsx").read_bytes(),
            "staff.csv",
            "Файл «staff.csv» назван .csv, но это не текстовая таблица (по содержимому это книга "
            "Excel (.xlsx) или архив). Сохраните таблицу как «CSV (разделители — точка с "
            "запятой)» в UTF-8 или Windows-1251.",
        ),
        (
            b"%PDF-1.4",
            "scan.pdf",
            "Файл «scan.pdf» не похож на таблицу: загрузите .xlsx или .csv (шаблон можно скачать "
            "на этой странице).",
        ),
        (
            b"\xd0\xcf\x11\xe0",
            "old.xls",
            "Файл «old.xls» в старом формате Excel 97–2003 (.xls). Откройте его в Excel или "
            "LibreOffice и сохраните как «Книга Excel (.xlsx)» или CSV.",
        ),
        ("Имя;Отчество\nАнна;Ивановна".encode(), "a.csv", NO_HEADER),
        (
            "Фамилия;Имя;Должность\n;;\n".encode(),
            "a.csv",
            "В файле «a.csv» есть заголовок, но нет ни одного сотрудника.",
        ),
        (
            b";;;\n\n;;\n",
            "a.csv",
            "Файл «a.csv» пустой: в нём нет ни одной заполненной строки.",
        ),
    ],
)
def test_it_refuses_unreadable_files_with_a_clear_message(data, name, message):
    with pytest.raises(StaffFileError) as error:
        parse(data, name=name)
    assert str(error.value) == message


def test_it_names_the_missing_header_when_the_file_starts_with_data():
    data = "Иванов;Иван;Учитель\nПетров;Пётр;Учитель\n".encode()
    with pytest.raises(StaffFileError) as error:
        parse(data, name="b.csv")
    assert str(error.value) == (
        "В файле «b.csv» не найдена строка заголовков: нет обязательных столбцов «Фамилия», "
        "«Имя», «Должность»; из обязательных найдены: ни одного. Заголовки в строке 1: "
        "«Иванов», «Иван», «Учитель». Скачайте шаблон и сверьте заголовки (вместо «Фамилия» и "
        "«Имя» можно один столбец «ФИО»)."
    )


TOO_MANY = (
    "В файле «{}» больше 20 000 строк: за один раз можно загрузить не больше 20 000 "
    "сотрудников. Разделите файл на части."
)


def test_it_refuses_a_50000_row_csv():
    data = ("Фамилия;Имя;Должность\n" + "Иванов;Иван;Учитель\n" * 50_000).encode()
    with pytest.raises(StaffFileError) as error:
        parse(data, name="big.csv")
    assert str(error.value) == TOO_MANY.format("big.csv")


def test_it_refuses_a_50000_row_workbook_that_does_not_store_its_size():
    with pytest.raises(StaffFileError) as error:
        parse(minimal_xlsx(50_000), name="big.xlsx")
    assert str(error.value) == TOO_MANY.format("big.xlsx")


def test_it_reads_a_workbook_that_does_not_store_its_size():
    result = parse(minimal_xlsx(3))
    assert [r["last_name"] for r in result.rows] == ["Ивановв", "Ивановг", "Ивановд"]


def dated_xlsx(rows: int) -> bytes:
    return xlsx([("Орлов", "Павел", "Учитель", f"{i + 1:02d}.01.1980") for i in range(rows)])


@pytest.mark.parametrize("make", [minimal_xlsx, dated_xlsx])
def test_it_counts_the_row_limit_exactly(make):
    assert parse(make(25), max_rows=25).row_count == 25
    with pytest.raises(StaffFileError, match="больше 24 строк"):
        parse(make(25), max_rows=24)


# Matching against the register ----------------------------------------------------------------


def row(number: int, key: str, birth: str | None) -> dict:
    return {"row": number, "name_key": key, "birth_date": birth}


def test_it_matches_the_same_name_and_birth_date():
    people = [(1, "орлов павел", "1975-11-02"), (2, "орлов павел", "1980-01-01")]
    targets, problems = match_existing(
        [row(2, "орлов павел", "1980-01-01"), row(3, "ким елена", None)], people
    )
    assert (targets, problems) == ([2, None], [])


def test_it_fills_the_birth_date_of_the_only_undated_namesake():
    targets, problems = match_existing([row(2, "орлов павел", "1975-11-02")],
                                       [(7, "орлов павел", None)])  # fmt: skip
    assert (targets, problems) == ([7], [])


def test_it_creates_people_when_several_rows_could_take_one_undated_entry():
    rows = [row(2, "орлов павел", "1975-11-02"), row(3, "орлов павел", "1990-01-01")]
    assert match_existing(rows, [(7, "орлов павел", None)]) == ([None, None], [])


def test_it_updates_the_only_namesake_from_a_row_without_a_birth_date():
    targets, problems = match_existing([row(2, "орлов павел", None)],
                                       [(7, "орлов павел", "1975-11-02")])  # fmt: skip
    assert (targets, problems) == ([7], [])


def test_it_asks_for_a_birth_date_when_several_namesakes_exist():
    people = [(1, "орлов павел", "1975-11-02"), (2, "орлов павел", "1980-01-01")]
    targets, problems = match_existing([row(5, "орлов павел", None)], people)
    assert targets == [None]
    assert problems == [
        {
            "row": 5,
            "column": "Дата рождения",
            "message": "в реестре несколько сотрудников с таким ФИО (2) — укажите дату "
            "рождения, чтобы обновить нужного",
        }
    ]


def test_it_never_updates_one_entry_from_two_rows():
    rows = [row(2, "орлов павел", "1975-11-02"), row(3, "орлов павел", None)]
    targets, problems = match_existing(rows, [(7, "орлов павел", "1975-11-02")])
    assert targets == [7, None]
    assert problems == [
        {
            "row": 3,
            "column": "Дата рождения",
            "message": "этого сотрудника реестра уже обновляет строка 2 — укажите дату рождения",
        }
    ]


def test_it_refuses_a_sheet_that_unpacks_too_big(monkeypatch):
    monkeypatch.setattr("apps.people.importing.MAX_SHEET_XML_BYTES", 64 * 1024)
    with pytest.raises(StaffFileError) as error:
        parse(minimal_xlsx(2000), name="bomb.xlsx")
    assert str(error.value) == (
        "Лист в файле «bomb.xlsx» слишком велик после распаковки: удалите пустые строки и "
        "столбцы (выделите их и нажмите «Удалить») или разделите файл."
    )


def test_it_calls_a_workbook_without_its_sheet_damaged():
    source = zipfile.ZipFile(io.BytesIO(minimal_xlsx(2)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in source.namelist():
            if name != "xl/_rels/workbook.xml.rels":
                archive.writestr(name, source.read(name))
    with pytest.raises(StaffFileError) as error:
        parse(buffer.getvalue(), name="cut.xlsx")
    assert str(error.value) == (
        "Не удалось прочитать книгу Excel «cut.xlsx»: файл повреждён. Откройте его в Excel и "
        "сохраните заново как «Книга Excel (.xlsx)»."
    )


def test_gender_is_read_and_checked():
    rows = "Фамилия;Имя;Отчество;Должность;Пол\nИванова;Мария;Петровна;Учитель;ж\n"
    rows += "Петров;Иван;Иванович;Учитель;Муж.\nСидоров;Олег;;Учитель;оно\n"
    result = parse_staff_file(
        data=rows.encode("utf-8"), file_name="staff.csv", max_rows=100, today=TODAY
    )
    assert [r["gender"] for r in result.rows[:2]] == ["female", "male"]
    assert result.problems[0]["column"] == "Пол"
    assert result.problems[0]["message"] == "«оно» — укажите «м» или «ж»"


def test_it_reports_a_control_character_by_row_and_column():
    data = "Фамилия;Имя;Должность\nОрлов;Павел;Учитель\x1b физики\nСоколова;Анна;Учитель\n"
    result = parse(data.encode(), name="staff.csv")
    assert result.problems == [
        {
            "row": 2,
            "column": "Должность",
            "message": "невидимый управляющий символ U+001B (знак № 8): удалите его в файле",
        }
    ]
    assert [r["last_name"] for r in result.rows] == ["Соколова"]


def test_it_reads_the_personnel_number_column():
    data = "Фамилия;Имя;Должность;Табельный номер\nСеменова;Анна;Учитель;0000-00042\n".encode()
    result = parse_staff_file(
        data=data, file_name="staff.csv", max_rows=10, today=datetime.date(2026, 12, 1)
    )
    assert result.problems == []
    assert result.rows[0]["personnel_number"] == "0000-00042"


def test_it_refuses_the_templates_sample_row_wherever_it_stands():
    header = ("Фамилия", "Имя", "Отчество", "Должность", "E-mail")
    data = xlsx([["Орлова", "Вера", "Павловна", "Учитель", ""],
                 ["Семенова", "Анна", "Игоревна", "Учитель", "Semenova@School.ru"]],
                header=header)  # fmt: skip
    with pytest.raises(StaffFileError) as refusal:
        parse(data, name="list.xlsx")
    assert str(refusal.value).startswith(
        "В файле «list.xlsx» в строке 3 остался образец из шаблона — «Семёнова Анна Игоревна»"
    )


def test_it_takes_a_real_namesake_of_the_sample_with_her_own_address():
    header = ("Фамилия", "Имя", "Отчество", "Должность", "E-mail")
    data = xlsx([["Семёнова", "Анна", "Игоревна", "Учитель", "a.semenova@sch12.ru"]], header=header)
    assert [row["email"] for row in parse(data).rows] == ["a.semenova@sch12.ru"]
