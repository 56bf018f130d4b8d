"""Reading and checking a staff file (.xlsx or .csv) before anything is saved.

`parse_staff_file` turns an uploaded file into clean rows plus a list of problems, each naming
the row and the column. File-level problems (wrong type, empty, too big, no header) raise
`StaffFileError` with a Russian message. Nothing here writes to the database.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from apps.people.choices import Category, Level
from apps.people.normalize import clean_name_part, name_key


class StaffFileError(Exception):
    """The file as a whole cannot be read; the message is for the user."""


@dataclass(frozen=True)
class Column:
    field: str
    title: str
    aliases: tuple[str, ...]
    required: bool = False
    help: str = ""
    example: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("last_name", "Фамилия", ("фамилия",), True, "Обязательно.", "Семёнова"),
    Column("first_name", "Имя", ("имя",), True, "Обязательно.", "Анна"),
    Column("middle_name", "Отчество", ("отчество",), False, "При наличии.", "Игоревна"),
    Column(
        "birth_date",
        "Дата рождения",
        ("дата рождения", "др", "д.р."),
        False,
        "ДД.ММ.ГГГГ. Нужна, чтобы отличать однофамильцев и не создавать дубли при повторной "
        "загрузке.",
        "14.03.1999",
    ),
    Column("position", "Должность", ("должность",), True, "Обязательно.", "Учитель математики"),
    Column(
        "subjects",
        "Предметы",
        ("предметы", "преподаваемые предметы", "предмет"),
        False,
        "Через точку с запятой или запятую.",
        "Математика; Информатика",
    ),
    Column(
        "levels",
        "Уровни образования",
        ("уровни образования", "уровень образования", "уровни", "ступени"),
        False,
        "ДО, НОО, ООО, СОО, ДопО (или «1-4», «5-9», «10-11») через запятую.",
        "ООО, СОО",
    ),
    Column(
        "teaching_experience",
        "Педагогический стаж",
        ("педагогический стаж", "педстаж", "стаж педагогический", "педагогический стаж лет"),
        False,
        "Целое число лет.",
        "2",
    ),
    Column(
        "org_experience",
        "Стаж в ОО",
        ("стаж в оо", "стаж в организации", "стаж в учреждении", "стаж в оо лет"),
        False,
        "Целое число лет.",
        "1",
    ),
    Column(
        "category",
        "Квалификационная категория",
        ("квалификационная категория", "категория"),
        False,
        "Высшая, первая, соответствие занимаемой должности (СЗД) или пусто — без категории.",
        "Первая",
    ),
    Column(
        "mentor_title_since",
        "Педагог-наставник с",
        ("педагог-наставник с", "педагог-наставник", "категория педагог-наставник"),
        False,
        "Дата присвоения категории «педагог-наставник», если есть.",
        "",
    ),
    Column(
        "hired_on", "Дата приёма", ("дата приема", "принят"), False, "ДД.ММ.ГГГГ.", "29.08.2025"
    ),
    Column(
        "education",
        "Образование",
        ("образование",),
        False,
        "Свободный текст.",
        "Высшее педагогическое",
    ),
    Column(
        "is_young_specialist",
        "Молодой специалист",
        ("молодой специалист", "мс"),
        False,
        "Да/нет. Если пусто — «да» для моложе 35 лет со стажем меньше 3 лет.",
        "да",
    ),
    Column(
        "email",
        "E-mail",
        ("e-mail", "email", "эл. почта", "электронная почта", "почта"),
        False,
        "Нужен, чтобы пригласить сотрудника в систему.",
        "semenova@school.ru",
    ),
    Column("phone", "Телефон", ("телефон", "тел.", "тел"), False, "", "+7 900 123-45-67"),
)
FULL_NAME_ALIASES = ("фио", "ф.и.о.", "фамилия имя отчество", "фамилия, имя, отчество")
BY_TITLE = {c.field: c.title for c in COLUMNS}

CATEGORY_WORDS = {
    "": Category.NONE,
    "-": Category.NONE,
    "—": Category.NONE,
    "нет": Category.NONE,
    "без категории": Category.NONE,
    "б/к": Category.NONE,
    "высшая": Category.HIGHEST,
    "высшая категория": Category.HIGHEST,
    "вкк": Category.HIGHEST,
    "первая": Category.FIRST,
    "первая категория": Category.FIRST,
    "1": Category.FIRST,
    "1 категория": Category.FIRST,
    "i": Category.FIRST,
    "соответствие": Category.CONFORMITY,
    "соответствие занимаемой должности": Category.CONFORMITY,
    "сзд": Category.CONFORMITY,
}
LEVEL_WORDS = {
    "до": Level.PRESCHOOL,
    "дошкольное": Level.PRESCHOOL,
    "ноо": Level.PRIMARY,
    "начальное": Level.PRIMARY,
    "1-4": Level.PRIMARY,
    "ооо": Level.BASIC,
    "основное": Level.BASIC,
    "5-9": Level.BASIC,
    "соо": Level.SECONDARY,
    "среднее": Level.SECONDARY,
    "10-11": Level.SECONDARY,
    "допо": Level.ADDITIONAL,
    "доп": Level.ADDITIONAL,
    "дополнительное": Level.ADDITIONAL,
}
YES = {"да", "д", "1", "+", "yes", "true", "истина"}
NO = {"нет", "н", "0", "-", "no", "false", "ложь", ""}
DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d/%m/%Y")


@dataclass
class ParsedFile:
    rows: list[dict] = field(default_factory=list)  # clean values, dates as ISO strings
    problems: list[dict] = field(default_factory=list)  # {"row", "column", "message"}
    row_count: int = 0

    def problem(self, row: int | None, column: str, message: str) -> None:
        self.problems.append({"row": row, "column": column, "message": message})


def normalise_header(value: object) -> str:
    text = str(value or "").strip().lower().replace("ё", "е")
    text = re.sub(r"\(.*?\)|\*", "", text)  # «Стаж (лет)», «Фамилия*»
    return re.sub(r"[\s_]+", " ", text).strip(" .:")


ALIASES = {normalise_header(a): c.field for c in COLUMNS for a in (c.title, *c.aliases)}


def parse_staff_file(
    *, data: bytes, file_name: str, max_rows: int, today: datetime.date
) -> ParsedFile:
    """Read and check the whole file; raise StaffFileError if it cannot be read at all."""
    if not data:
        raise StaffFileError(f"Файл «{file_name}» пустой.")
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if extension == "xlsx":
        rows = _xlsx_rows(data, file_name, max_rows)
    elif extension in ("csv", "txt"):
        rows = _csv_rows(data, file_name, max_rows)
    elif extension == "xls":
        raise StaffFileError(
            f"Файл «{file_name}» в старом формате Excel 97–2003 (.xls). Откройте его в Excel "
            "или LibreOffice и сохраните как «Книга Excel (.xlsx)» или CSV."
        )
    else:
        raise StaffFileError(
            f"Файл «{file_name}» не похож на таблицу: загрузите .xlsx или .csv "
            "(шаблон можно скачать на этой странице)."
        )
    return _check_rows(rows, file_name, today)


def _xlsx_rows(data: bytes, file_name: str, max_rows: int) -> Iterator[tuple[int, list]]:
    import openpyxl  # heavy; only needed for Excel files

    if not data.startswith(b"PK\x03\x04"):
        raise StaffFileError(
            f"Файл «{file_name}» назван .xlsx, но не является книгой Excel. "
            "Возможно, расширение изменено вручную."
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise StaffFileError(
            f"Не удалось прочитать книгу Excel «{file_name}»: файл повреждён или защищён паролем."
        ) from exc
    sheet = workbook.worksheets[0]
    max_row = sheet.max_row or 0
    if max_row - 1 > max_rows:
        workbook.close()
        raise StaffFileError(_too_many(file_name, max_row - 1, max_rows))
    merged, formulas = _scan_sheet_xml(data, getattr(sheet, "_worksheet_path", ""))
    return _xlsx_iter(workbook, sheet, file_name, max_rows, merged, formulas)


def _xlsx_iter(workbook, sheet, file_name, max_rows, merged, formulas):
    try:
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number - 1 > max_rows:
                raise StaffFileError(_too_many(file_name, None, max_rows))
            cells = list(values)
            yield number, cells, merged.get(number, set()), formulas.get(number, set())
    finally:
        workbook.close()


_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def _col_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


def _scan_sheet_xml(data: bytes, path: str) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """Merged cells (except the top-left one) and formulas without a saved value, by row.

    openpyxl's read-only mode hides both, so we look at the sheet XML directly.
    """
    merged: dict[int, set[int]] = {}
    formulas: dict[int, set[int]] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read(path.lstrip("/")).decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile):
        return merged, formulas
    for ref in re.findall(r'<mergeCell ref="([A-Z]+\d+):([A-Z]+\d+)"', xml):
        (c1, r1), (c2, r2) = (_CELL_REF.fullmatch(x).groups() for x in ref)
        for row in range(int(r1), int(r2) + 1):
            for col in range(_col_index(c1), _col_index(c2) + 1):
                if (row, col) != (int(r1), _col_index(c1)):
                    merged.setdefault(row, set()).add(col)
    if "<f" in xml:
        for cell_ref, body in re.findall(r'<c r="([A-Z]+\d+)"[^>]*(?<!/)>(.*?)</c>', xml):
            if "<f" in body and not re.search(r"<v>[^<]+</v>", body):
                col, row = _CELL_REF.fullmatch(cell_ref).groups()
                formulas.setdefault(int(row), set()).add(_col_index(col))
    return merged, formulas


def _csv_rows(data: bytes, file_name: str, max_rows: int) -> Iterator:
    if data.startswith(b"PK\x03\x04") or b"\x00" in data[:4096]:
        raise StaffFileError(
            f"Файл «{file_name}» назван .csv, но содержит двоичные данные. "
            "Сохраните таблицу как «CSV (разделители — точка с запятой)»."
        )
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise StaffFileError(
            f"Не удалось определить кодировку файла «{file_name}»: сохраните его в UTF-8 или "
            "Windows-1251."
        )
    line_count = text.count("\n")
    if line_count - 1 > max_rows:
        raise StaffFileError(_too_many(file_name, line_count - 1, max_rows))
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    if "\t" in first_line and first_line.count("\t") > first_line.count(delimiter):
        delimiter = "\t"
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return ((number, row, set(), set()) for number, row in enumerate(reader, start=1))


def _too_many(file_name: str, count: int | None, limit: int) -> str:
    found = f" ({count:,} строк)".replace(",", " ") if count else ""
    return (
        f"В файле «{file_name}» слишком много строк{found}: за один раз можно загрузить не "
        f"больше {limit:,} сотрудников. Разделите файл на части.".replace(",", " ")
    )


def _find_header(rows: Iterator, file_name: str):
    """The first non-empty row is the header; returns (row number, {column index: field})."""
    for number, cells, _merged, _formulas in rows:
        texts = [normalise_header(c) for c in cells]
        if not any(texts):
            continue
        mapping: dict[int, str] = {}
        full_name_col = None
        for index, text in enumerate(texts):
            if text in ALIASES and ALIASES[text] not in mapping.values():
                mapping[index] = ALIASES[text]
            elif text in FULL_NAME_ALIASES:
                full_name_col = index
        if full_name_col is not None and "last_name" not in mapping.values():
            mapping[full_name_col] = "full_name"
        have = set(mapping.values())
        if "full_name" in have:
            have |= {"last_name", "first_name"}
        missing = [c.title for c in COLUMNS if c.required and c.field not in have]
        if missing:
            found = ", ".join(f"«{c}»" for c in cells if str(c or "").strip()) or "нет"
            raise StaffFileError(
                f"В первой строке файла «{file_name}» (строка {number}) нет обязательных "
                f"столбцов: {', '.join(missing)}. Найдены столбцы: {found}. "
                "Скачайте шаблон и сверьте заголовки."
            )
        return number, mapping
    raise StaffFileError(f"Файл «{file_name}» пустой: в нём нет ни одной заполненной строки.")


def _check_rows(rows: Iterator, file_name: str, today: datetime.date) -> ParsedFile:
    result = ParsedFile()
    rows = iter(rows)
    _header_row, mapping = _find_header(rows, file_name)
    seen: dict[tuple[str, str | None], int] = {}
    for number, cells, merged, formulas in rows:
        raw = {f: cells[i] if i < len(cells) else None for i, f in mapping.items()}
        if all(_text(v) == "" for v in raw.values()):
            continue
        result.row_count += 1
        for index in merged & set(mapping):
            column = BY_TITLE.get(mapping[index], "ФИО")
            result.problem(
                number,
                column,
                "объединённая ячейка: разъедините ячейки и заполните каждую строку отдельно",
            )
        for index in formulas & set(mapping):
            column = BY_TITLE.get(mapping[index], "ФИО")
            result.problem(
                number,
                column,
                "формула без сохранённого значения: откройте файл в Excel, пересчитайте и "
                "сохраните, или замените формулы значениями",
            )
        row = _check_row(number, raw, result, today)
        if row is None:
            continue
        key = (row["name_key"], row["birth_date"])
        if key in seen:
            result.problem(
                number,
                "Фамилия",
                f"повтор: этот сотрудник уже указан в строке {seen[key]} "
                "(совпадают ФИО и дата рождения)",
            )
            continue
        seen[key] = number
        result.rows.append(row)
    if result.row_count == 0:
        raise StaffFileError(f"В файле «{file_name}» есть заголовок, но нет ни одного сотрудника.")
    return result


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()


def _check_row(number: int, raw: dict, result: ParsedFile, today: datetime.date) -> dict | None:
    problems_before = len(result.problems)

    def bad(field_name: str, message: str) -> None:
        result.problem(number, BY_TITLE.get(field_name, "ФИО"), message)

    if "full_name" in raw:
        parts = _text(raw["full_name"]).split(" ")
        if len(parts) < 2:
            bad("full_name", "укажите фамилию и имя (и отчество) через пробел")
        raw["last_name"] = parts[0] if parts else ""
        raw["first_name"] = parts[1] if len(parts) > 1 else ""
        raw["middle_name"] = " ".join(parts[2:])
    row: dict = {
        "last_name": clean_name_part(_text(raw.get("last_name"))),
        "first_name": clean_name_part(_text(raw.get("first_name"))),
        "middle_name": clean_name_part(_text(raw.get("middle_name"))),
        "position": _text(raw.get("position")),
        "education": _text(raw.get("education"))[:300],
        "phone": _text(raw.get("phone"))[:50],
    }
    for name in ("last_name", "first_name", "position"):
        if not row[name]:
            bad(name, "не заполнено — это обязательный столбец")
    for name in ("last_name", "first_name", "middle_name"):
        if row[name] and not re.fullmatch(r"[А-Яа-яЁёA-Za-z\- ']+", row[name]):
            bad(name, f"«{row[name]}» — в имени могут быть только буквы, дефис и пробел")
    if len(row["position"]) > 200:
        bad("position", "слишком длинно (больше 200 символов)")

    for name in ("birth_date", "hired_on", "mentor_title_since"):
        row[name] = _date(raw.get(name), name, bad)
    if row["birth_date"]:
        born = datetime.date.fromisoformat(row["birth_date"])
        if not (today.year - 90 <= born.year <= today.year - 16):
            bad("birth_date", f"{born:%d.%m.%Y} — проверьте год рождения")
    for name in ("teaching_experience", "org_experience"):
        row[name] = _years(raw.get(name), name, bad)

    category_text = _text(raw.get("category")).lower().replace("ё", "е")
    category_text = re.sub(r"\s+квалификационная", "", category_text)
    if category_text in CATEGORY_WORDS:
        row["category"] = str(CATEGORY_WORDS[category_text])
    else:
        bad(
            "category",
            f"«{_text(raw.get('category'))}» — неизвестная категория; допустимо: высшая, первая, "
            "соответствие занимаемой должности, без категории",
        )
        row["category"] = str(Category.NONE)

    levels = []
    for part in re.split(r"[,;/]", _text(raw.get("levels")).lower().replace("ё", "е")):
        part = part.strip().replace("–", "-").replace(" ", "")
        if not part:
            continue
        code = LEVEL_WORDS.get(part)
        if code is None:
            bad("levels", f"«{part}» — неизвестный уровень; допустимо: ДО, НОО, ООО, СОО, ДопО")
        elif str(code) not in levels:
            levels.append(str(code))
    row["levels"] = levels
    row["subjects"] = [
        s.strip() for s in re.split(r"[;,]", _text(raw.get("subjects"))) if s.strip()
    ]
    for subject in row["subjects"]:
        if len(subject) > 200:
            bad("subjects", "название предмета длиннее 200 символов")

    email = _text(raw.get("email")).lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            bad("email", f"«{email}» — неверный адрес электронной почты")
    row["email"] = email

    young = _text(raw.get("is_young_specialist")).lower()
    if young in YES:
        row["is_young_specialist"] = True
    elif young in NO and young:
        row["is_young_specialist"] = False
    elif young:
        bad("is_young_specialist", f"«{young}» — укажите «да» или «нет»")
        row["is_young_specialist"] = False
    else:
        row["is_young_specialist"] = _looks_young(row, today)

    if len(result.problems) > problems_before:
        return None
    row["name_key"] = name_key(row["last_name"], row["first_name"], row["middle_name"])
    row["row"] = number
    return row


def _date(value: object, field_name: str, bad) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = _text(value)
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date().isoformat()  # noqa: DTZ007
        except ValueError:
            continue
    bad(field_name, f"«{text}» — не дата; используйте формат ДД.ММ.ГГГГ, например 14.03.1999")
    return None


def _years(value: object, field_name: str, bad) -> int | None:
    text = _text(value).replace(",", ".")
    if not text:
        return None
    try:
        years = float(text)
    except ValueError:
        bad(field_name, f"«{text}» — укажите число лет, например 5")
        return None
    if not 0 <= years <= 70:
        bad(field_name, f"«{text}» — стаж должен быть от 0 до 70 лет")
        return None
    return int(years)


def _looks_young(row: dict, today: datetime.date) -> bool:
    if row["teaching_experience"] is None or row["birth_date"] is None:
        return False
    born = datetime.date.fromisoformat(row["birth_date"])
    return row["teaching_experience"] < 3 and today.year - born.year < 35
