"""Reading and checking a staff file (.xlsx or .csv) before anything is saved.

`parse_staff_file` turns an uploaded file into clean rows plus a list of problems, each naming
the row and the column. File-level problems (wrong type, empty, too big, no header) raise
`StaffFileError` with a Russian message. Nothing here writes to the database.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import filetype
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from apps.core.plural import plural
from apps.core.text import describe_control_character
from apps.core.uploads import check_unpacked_size
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
        "Высшая, первая, соответствие занимаемой должности (СЗД), без категории. Пустая ячейка: "
        "у нового сотрудника — без категории, у уже внесённого — не меняется.",
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
        "Да/нет. Если пусто: новому сотруднику — «да» при возрасте до 35 лет и стаже меньше "
        "3 лет, у уже внесённого — не меняется.",
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
    Column(
        "phone", "Телефон", ("телефон", "тел.", "тел"), False, "Любой формат.", "+7 900 123-45-67"
    ),
    Column(
        "personnel_number",
        "Табельный номер",
        ("табельный номер", "таб. номер", "таб. №", "табельный №", "табельный"),
        False,
        "Как в 1С:Зарплата и кадры (до 20 знаков); нужен для реестра доплат наставникам.",
        "0000-00042",
    ),
    Column(
        "gender",
        "Пол",
        ("пол",),
        False,
        "«м» или «ж». По нему ФИО склоняются в приказах; если пусто, у уже внесённого не меняется.",
        "ж",
    ),
)
GENDER_WORDS = {
    "м": "male", "муж": "male", "мужской": "male", "male": "male", "m": "male",
    "ж": "female", "жен": "female", "женский": "female", "female": "female", "f": "female",
}  # fmt: skip
FULL_NAME_ALIASES = ("фио", "ф.и.о.", "фамилия имя отчество", "фамилия, имя, отчество")
BY_TITLE = {c.field: c.title for c in COLUMNS}

CATEGORY_WORDS = {
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
DOTTED_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")  # what "%d.%m.%Y" reads
EXAMPLE = {c.field: c.example for c in COLUMNS}
# The downloaded template's sample row, left in by mistake: its ФИО with its e-mail (a real
# namesake would have an address of her own).
SAMPLE_KEY = (name_key(EXAMPLE["last_name"], EXAMPLE["first_name"], EXAMPLE["middle_name"]),
              EXAMPLE["email"])  # fmt: skip


ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and password-protected .xlsx
# Title lines («Список работников МБОУ СОШ № 1») may come before the header row.
HEADER_SEARCH_ROWS = 10
# 20 000 rows of 16 filled columns take ~30 MB of sheet XML; far more means padding or a bomb.
MAX_SHEET_XML_BYTES = 256 * 1024 * 1024


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
FULL_NAMES = {normalise_header(a) for a in FULL_NAME_ALIASES}


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
    return _check_rows(rows, file_name, max_rows, today)


def _what_it_is(data: bytes) -> str:
    """A short Russian description of a file's real type, judged by its content."""
    if data.startswith(OLE_SIGNATURE):
        return "книга Excel 97–2003 (.xls) или файл, защищённый паролем"
    kind = filetype.guess(data[:8192])
    if kind is None:
        return ""
    if kind.extension in ("exe", "elf", "dll"):
        return "программа"
    return f"файл {kind.extension.upper()}"


def _xlsx_rows(data: bytes, file_name: str, max_rows: int) -> Iterator:
    if data.startswith(OLE_SIGNATURE):
        raise StaffFileError(
            f"Файл «{file_name}» защищён паролем или сохранён в формате Excel 97–2003. Снимите "
            "пароль (Файл → Сведения → Защита книги) и сохраните как «Книга Excel (.xlsx)»."
        )
    if not data.startswith(ZIP_SIGNATURE):
        what = _what_it_is(data)
        what = f": по содержимому это {what}" if what else ""
        raise StaffFileError(
            f"Файл «{file_name}» назван .xlsx, но не является книгой Excel{what}. "
            "Возможно, расширение изменено вручную."
        )
    damaged = StaffFileError(
        f"Не удалось прочитать книгу Excel «{file_name}»: файл повреждён. Откройте его в Excel "
        "и сохраните заново как «Книга Excel (.xlsx)»."
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise damaged from exc
    try:
        check_unpacked_size(archive, name=file_name)
    except ValidationError as error:
        raise StaffFileError(error.messages[0]) from error
    try:
        sheet_path = _first_sheet_path(archive)
    except (KeyError, ValueError, StopIteration, AttributeError, ET.ParseError):
        sheet_path = None
    if sheet_path is None and any(name.startswith("xl/") for name in names):
        raise damaged
    if sheet_path is None:
        what = (
            "документ Word"
            if "word/document.xml" in names
            else "презентация PowerPoint"
            if "ppt/presentation.xml" in names
            else "ZIP-архив"
        )
        raise StaffFileError(
            f"Файл «{file_name}» — это {what}, а не книга Excel. Загрузите таблицу .xlsx или .csv."
        )
    # openpyxl's read-only mode hides merged cells and formulas without a saved value, and
    # reads the whole sheet on opening when the writer did not store its size; so we stream
    # the sheet XML first, and refuse a file over the limit before openpyxl touches it.
    # openpyxl and zipfile raise many kinds of exceptions for broken files.
    try:
        scan = _scan_sheet_xml(archive, sheet_path, file_name, max_rows)
    except StaffFileError:
        raise
    except Exception as exc:  # a missing or truncated part, bad compression
        raise damaged from exc
    import openpyxl  # heavy; only needed for Excel files

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise damaged from exc
    try:
        sheet = workbook.worksheets[0]
        if sheet._worksheet_path.lstrip("/") != sheet_path:  # a chart sheet came first
            scan = _scan_sheet_xml(archive, sheet._worksheet_path.lstrip("/"), file_name, max_rows)
    except StaffFileError:
        workbook.close()
        raise
    except Exception as exc:
        workbook.close()
        raise damaged from exc
    return _xlsx_iter(workbook, sheet, scan, damaged)


def _first_sheet_path(archive: zipfile.ZipFile) -> str | None:
    """Path inside the archive of the workbook's first sheet, or None if it is no workbook."""
    # S314: openpyxl parses these same parts with the same parser; ElementTree resolves no
    # external entities and expat ≥ 2.4.1 stops entity expansion bombs.
    package = ET.fromstring(archive.read("_rels/.rels"))  # noqa: S314
    book_path = next(
        r.get("Target", "") for r in package if r.get("Type", "").endswith("/officeDocument")
    ).lstrip("/")
    book = ET.fromstring(archive.read(book_path))  # noqa: S314
    first = book.find("{*}sheets/{*}sheet")
    if first is None:
        return None
    rel_id = next(v for k, v in first.attrib.items() if k.endswith("}id"))
    folder, name = posixpath.split(book_path)
    links = ET.fromstring(archive.read(posixpath.join(folder, "_rels", f"{name}.rels")))  # noqa: S314
    target = next(r.get("Target", "") for r in links if r.get("Id") == rel_id)
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target))


def _xlsx_iter(workbook, sheet, scan: SheetScan, damaged: StaffFileError) -> Iterator:
    rows = sheet.iter_rows(values_only=True)
    number = 0
    try:
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except Exception as exc:
                raise damaged from exc
            number += 1
            yield number, list(values), scan.merged.get(number, set()), scan.formulas.get(number)
    finally:
        workbook.close()


@dataclass
class SheetScan:
    merged: dict[int, set[int]] = field(default_factory=dict)  # row → columns, not top-left
    formulas: dict[int, set[int]] = field(default_factory=dict)  # formulas without a value
    filled_rows: int = 0


_P = rb"(?:\w+:)?"  # some writers (.NET, 1С) prefix every tag: <x:row>, <x:c>
_ROW_XML = re.compile(rb"<" + _P + rb"row\b([^>]*?)(?:/>|>(.*?)</" + _P + rb"row>)", re.S)
_CELL_XML = re.compile(rb"<" + _P + rb"c\b([^>]*?)(?:/>|>(.*?)</" + _P + rb"c>)", re.S)
_VALUE_XML = re.compile(rb"<" + _P + rb"v>[^<]|<" + _P + rb"is>")
_FORMULA_XML = re.compile(rb"<" + _P + rb"f[\s>/]")
_REF_ATTR = re.compile(rb'\br="([A-Z]+)(\d+)"')
_ROW_ATTR = re.compile(rb'\br="(\d+)"')
_MERGE_XML = re.compile(rb"<" + _P + rb'mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def _col_index(letters: bytes | str) -> int:
    index = 0
    for char in letters.decode() if isinstance(letters, bytes) else letters:
        index = index * 26 + ord(char) - 64
    return index - 1


def _scan_sheet_xml(
    archive: zipfile.ZipFile, path: str, file_name: str, max_rows: int
) -> SheetScan:
    """One streaming pass over the sheet XML, in 1 MB pieces: count filled rows (refusing a
    file over the limit early), find merged cells and formulas that have no saved value."""
    scan = SheetScan()
    limit = max_rows + HEADER_SEARCH_ROWS
    row_number = 0
    merges = []
    tail = b""
    unpacked = 0
    with archive.open(path) as stream:
        while True:
            chunk = stream.read(1 << 20)
            unpacked += len(chunk)
            if unpacked > MAX_SHEET_XML_BYTES:  # a ZIP bomb, or a sheet of empty styled cells
                raise StaffFileError(
                    f"Лист в файле «{file_name}» слишком велик после распаковки: удалите пустые "
                    "строки и столбцы (выделите их и нажмите «Удалить») или разделите файл."
                )
            buffer = tail + chunk
            cut = len(buffer) if not chunk else _last_row_end(buffer)
            piece, tail = buffer[:cut], buffer[cut:]
            for match in _ROW_XML.finditer(piece):
                attr = _ROW_ATTR.search(match.group(1))
                row_number = int(attr.group(1)) if attr else row_number + 1
                body = match.group(2)
                if not body:
                    continue
                if _VALUE_XML.search(body):
                    scan.filled_rows += 1
                    if scan.filled_rows > limit:
                        raise StaffFileError(_too_many(file_name, max_rows))
                if _FORMULA_XML.search(body):
                    _note_formulas(body, row_number, scan)
            merges.extend(_MERGE_XML.findall(piece))
            if not chunk:
                break
    last_row = min(row_number, limit + 1)
    for c1, r1, c2, r2 in merges:
        first_col, first_row = _col_index(c1), int(r1)
        last_col, end_row = (_col_index(c2), int(r2)) if c2 else (first_col, first_row)
        for row in range(first_row, min(end_row, last_row) + 1):
            for col in range(first_col, last_col + 1):
                if (row, col) != (first_row, first_col):
                    scan.merged.setdefault(row, set()).add(col)
    return scan


def _last_row_end(buffer: bytes) -> int:
    """Index just after the last complete </row> in `buffer` (0 if there is none yet)."""
    end = len(buffer)
    while (found := buffer.rfind(b"row>", 0, end)) > 0:
        before = buffer[max(0, found - 20) : found]
        if re.search(rb"</" + _P + rb"$", before):
            return found + 4
        end = found
    return 0


def _note_formulas(body: bytes, row_number: int, scan: SheetScan) -> None:
    column = -1
    for cell in _CELL_XML.finditer(body):
        ref = _REF_ATTR.search(cell.group(1))
        column = _col_index(ref.group(1)) if ref else column + 1
        inner = cell.group(2) or b""
        if _FORMULA_XML.search(inner) and not _VALUE_XML.search(inner):
            scan.formulas.setdefault(row_number, set()).add(column)


def _csv_rows(data: bytes, file_name: str, max_rows: int) -> Iterator:
    text = _decode_csv(data, file_name)
    if text.count("\n") > max_rows + HEADER_SEARCH_ROWS:
        raise StaffFileError(_too_many(file_name, max_rows))
    reader = csv.reader(io.StringIO(text), delimiter=_guess_delimiter(text))
    return ((number, row, set(), None) for number, row in enumerate(reader, start=1))


def _decode_csv(data: bytes, file_name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's «Текст Юникод»
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif not (data.startswith(ZIP_SIGNATURE) or b"\x00" in data[:4096]):
        for encoding in ("utf-8-sig", "cp1251"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    what = _what_it_is(data)
    if data.startswith(ZIP_SIGNATURE):
        what = "книга Excel (.xlsx) или архив"
    what = f" (по содержимому это {what})" if what else ""
    raise StaffFileError(
        f"Файл «{file_name}» назван .csv, но это не текстовая таблица{what}. "
        "Сохраните таблицу как «CSV (разделители — точка с запятой)» в UTF-8 или Windows-1251."
    )


def _guess_delimiter(text: str) -> str:
    """The separator used most in one of the first lines; «;» wins ties (Russian Excel)."""
    lines = [line for line in text.splitlines()[: HEADER_SEARCH_ROWS * 2] if line.strip()]
    counts = {d: max((line.count(d) for line in lines), default=0) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ";"))


def _too_many(file_name: str, limit: int) -> str:
    limit_text = f"{limit:,}".replace(",", " ")
    return (
        f"В файле «{file_name}» больше {limit_text} {plural(limit, 'строки', 'строк', 'строк')}: "
        f"за один раз можно загрузить не больше {limit_text} "
        f"{plural(limit, 'сотрудника', 'сотрудников', 'сотрудников')}. Разделите файл на части."
    )


def _header_mapping(cells: list) -> dict[int, str]:
    mapping: dict[int, str] = {}
    full_name_col = None
    for index, cell in enumerate(cells):
        text = normalise_header(cell)
        if text in ALIASES and ALIASES[text] not in mapping.values():
            mapping[index] = ALIASES[text]
        elif text in FULL_NAMES and full_name_col is None:
            full_name_col = index
    if full_name_col is not None and "last_name" not in mapping.values():
        mapping[full_name_col] = "full_name"
    return mapping


def _missing_required(mapping: dict[int, str]) -> list[str]:
    have = set(mapping.values())
    if "full_name" in have:
        have |= {"last_name", "first_name"}
    return [c.title for c in COLUMNS if c.required and c.field not in have]


def _find_header(rows: Iterator, file_name: str) -> dict[int, str]:
    """The header is the first of the first filled rows naming every required column.

    Returns {column index: field}; rows above the header (titles) are skipped.
    """
    best = None  # the filled row most like a header, for the message
    filled = 0
    for consumed, (number, cells, _merged, _formulas) in enumerate(rows, start=1):
        if any(_text(c) for c in cells):
            mapping = _header_mapping(cells)
            if not _missing_required(mapping):
                return mapping
            if best is None or len(mapping) > len(best[2]):
                best = (number, cells, mapping)
            filled += 1
        if filled >= HEADER_SEARCH_ROWS or consumed >= HEADER_SEARCH_ROWS * 10:
            break
    if best is None:
        raise StaffFileError(f"Файл «{file_name}» пустой: в нём нет ни одной заполненной строки.")
    number, cells, mapping = best
    missing = ", ".join(f"«{title}»" for title in _missing_required(mapping))
    present = [f"«{c.title}»" for c in COLUMNS if c.required and c.field in mapping.values()]
    if "full_name" in mapping.values():
        present.insert(0, "«ФИО»")
    headers = ", ".join(f"«{_text(c)}»" for c in cells if _text(c))
    raise StaffFileError(
        f"В файле «{file_name}» не найдена строка заголовков: нет обязательных столбцов "
        f"{missing}; из обязательных найдены: {', '.join(present) or 'ни одного'}. "
        f"Заголовки в строке {number}: {headers}. Скачайте шаблон и сверьте заголовки "
        "(вместо «Фамилия» и «Имя» можно один столбец «ФИО»)."
    )


def _check_rows(rows: Iterator, file_name: str, max_rows: int, today: datetime.date):
    result = ParsedFile()
    rows = iter(rows)
    mapping = _find_header(rows, file_name)
    seen: dict[tuple[str, str | None], int] = {}
    for number, cells, merged, formulas in rows:
        raw = {f: cells[i] if i < len(cells) else None for i, f in mapping.items()}
        if all(_text(v) == "" for v in raw.values()) and not merged & set(mapping):
            continue
        result.row_count += 1
        if result.row_count > max_rows:
            raise StaffFileError(_too_many(file_name, max_rows))
        problems_before = len(result.problems)
        for index in sorted(merged & set(mapping)):
            result.problem(
                number,
                BY_TITLE.get(mapping[index], "ФИО"),
                "объединённая ячейка: значение есть только в первой строке объединения; "
                "разъедините ячейки и заполните каждую строку",
            )
        for index in sorted((formulas or set()) & set(mapping)):
            result.problem(
                number,
                BY_TITLE.get(mapping[index], "ФИО"),
                "формула без сохранённого значения: откройте файл в Excel, пересчитайте и "
                "сохраните, или замените формулы значениями",
            )
        # An empty merged or formula cell is already reported: no «не заполнено» on top.
        flagged = {mapping[i] for i in merged | (formulas or set()) if i in mapping}
        row = _check_row(number, raw, result, today, flagged)
        if row is None or len(result.problems) > problems_before:
            continue
        if (row["name_key"], row["email"]) == SAMPLE_KEY:
            raise StaffFileError(_sample_row_left(file_name, number))
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


def _sample_row_left(file_name: str, number: int) -> str:
    sample = " ".join(EXAMPLE[f] for f in ("last_name", "first_name", "middle_name"))
    return (
        f"В файле «{file_name}» в строке {number} остался образец из шаблона — «{sample}», "
        f"{EXAMPLE['email']}. Это не сотрудник вашей школы: удалите строку {number} (или "
        "впишите в неё своего сотрудника) и загрузите файл снова. Ничего не сохранено."
    )


def _text(value: object) -> str:
    """The cell as text with single spaces (str.split's whitespace is exactly regex `\\s`)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _check_row(
    number: int, raw: dict, result: ParsedFile, today: datetime.date, flagged: set[str]
) -> dict | None:
    problems_before = len(result.problems)

    def bad(field_name: str, message: str) -> None:
        result.problem(number, BY_TITLE.get(field_name, "ФИО"), message)

    # An invisible control character would break every export of the register later; the
    # other checks of such a cell would only confuse, so the row stops here.
    for name, value in raw.items():
        if isinstance(value, str) and (where := describe_control_character(value)):
            bad(name, f"невидимый управляющий символ {where}: удалите его в файле")
    if len(result.problems) > problems_before:
        return None

    if "full_name" in raw:
        parts = _text(raw["full_name"]).split(" ")
        if len(parts) < 2 and "full_name" not in flagged:
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
        "personnel_number": _text(raw.get("personnel_number")),
    }
    for name in ("last_name", "first_name", "position"):
        if not row[name] and name not in flagged:
            bad(name, "не заполнено — это обязательный столбец")
    for name in ("last_name", "first_name", "middle_name"):
        if row[name] and not re.fullmatch(r"[А-Яа-яЁёA-Za-z\- ']+", row[name]):
            bad(name, f"«{row[name]}» — в имени могут быть только буквы, дефис и пробел")
    if len(row["position"]) > 200:
        bad("position", "слишком длинно (больше 200 символов)")
    if len(row["personnel_number"]) > 20:
        bad("personnel_number", "слишком длинно (больше 20 знаков)")

    for name in ("birth_date", "hired_on", "mentor_title_since"):
        row[name] = _date(raw.get(name), name, bad, today)
    if row["birth_date"]:
        born = datetime.date.fromisoformat(row["birth_date"])
        if not (today.year - 90 <= born.year <= today.year - 16):
            bad("birth_date", f"{born:%d.%m.%Y} — проверьте год рождения")
    for name in ("hired_on", "mentor_title_since"):
        if row[name] and not 1950 <= int(row[name][:4]) <= today.year + 1:
            when = datetime.date.fromisoformat(row[name])
            bad(name, f"{when:%d.%m.%Y} — проверьте год")
    for name in ("teaching_experience", "org_experience"):
        row[name] = _years(raw.get(name), name, bad)

    category_text = _text(raw.get("category")).lower().replace("ё", "е")
    category_text = re.sub(r"\s+квалификационная", "", category_text)
    if not category_text:
        row["category"] = None  # not given: a new person has none, an update keeps theirs
    elif category_text in CATEGORY_WORDS:
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

    gender = _text(raw.get("gender")).lower().rstrip(".")
    row["gender"] = GENDER_WORDS.get(gender, "")
    if gender and not row["gender"]:
        bad("gender", f"«{_text(raw.get('gender'))}» — укажите «м» или «ж»")

    young = _text(raw.get("is_young_specialist")).lower()
    if young in YES:
        row["is_young_specialist"] = True
    elif young in NO and young:
        row["is_young_specialist"] = False
    elif young:
        bad("is_young_specialist", f"«{young}» — укажите «да» или «нет»")
        row["is_young_specialist"] = False
    else:
        row["is_young_specialist"] = None  # not given: see looks_young

    if len(result.problems) > problems_before:
        return None
    row["name_key"] = name_key(row["last_name"], row["first_name"], row["middle_name"])
    row["row"] = number
    return row


EXCEL_EPOCH = datetime.date(1899, 12, 30)


def _date(value: object, field_name: str, bad, today: datetime.date) -> str | None:
    if value is None or _text(value) == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool) and 10000 <= value < 80000:
        # A date cell formatted as a number shows Excel's day count (36233 = 14.03.1999).
        return (EXCEL_EPOCH + datetime.timedelta(days=int(value))).isoformat()
    text = _text(value).rstrip("г. ")  # «14.03.1999 г.»
    if found := DOTTED_DATE.fullmatch(text):  # the usual «14.03.1999», without strptime
        with contextlib.suppress(ValueError):  # «31.02.1999»: the formats below say why
            day, month, year = map(int, found.groups())
            return datetime.date(year, month, day).isoformat()
    for fmt in DATE_FORMATS:
        try:
            parsed = datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 — a date only
        except ValueError:
            continue
        if fmt.endswith("%y") and parsed > today:  # «14.03.65» is 1965, not 2065
            parsed = parsed.replace(year=parsed.year - 100)
        return parsed.isoformat()
    bad(
        field_name,
        f"«{_text(value)}» — не дата; используйте формат ДД.ММ.ГГГГ, например 14.03.1999",
    )
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


def looks_young(row: dict, today: datetime.date) -> bool:
    """Default for a new person when the file says nothing: under 35, less than 3 years."""
    if row["teaching_experience"] is None or row["birth_date"] is None:
        return False
    born = datetime.date.fromisoformat(row["birth_date"])
    return row["teaching_experience"] < 3 and today.year - born.year < 35


def match_existing(
    rows: list[dict], people: Iterable[tuple[int, str, str | None]]
) -> tuple[list[int | None], list[dict]]:
    """Which register entry each clean row updates (None: a new person), plus problems.

    `people` are (pk, name_key, ISO birth date or None) of the school's register. The same
    ФИО and birth date is the same person. A row with a birth date also updates the only
    namesake entered without one (the date gets filled in); a row without a birth date updates
    the only namesake, and is a problem if there are several. No entry is updated twice.
    """
    exact: dict[tuple[str, str | None], int] = {}
    by_name: dict[str, list[tuple[int, str | None]]] = defaultdict(list)
    for pk, key, birth in people:
        exact.setdefault((key, birth), pk)
        by_name[key].append((pk, birth))
    rows_by_name = Counter(row["name_key"] for row in rows)
    claimed: dict[int, int] = {}  # pk → file row that updates it
    targets: list[int | None] = []
    problems: list[dict] = []
    for row in rows:
        key, birth = row["name_key"], row["birth_date"]
        namesakes = by_name.get(key, [])
        pk = exact.get((key, birth))
        if pk is None and birth is not None:
            undated = [p for p, b in namesakes if b is None]
            if len(undated) == 1 and rows_by_name[key] == 1:
                pk = undated[0]
        elif pk is None and len(namesakes) == 1:
            pk = namesakes[0][0]
        elif pk is None and len(namesakes) > 1:
            problems.append(
                {
                    "row": row["row"],
                    "column": "Дата рождения",
                    "message": f"в реестре несколько сотрудников с таким ФИО ({len(namesakes)}) "
                    "— укажите дату рождения, чтобы обновить нужного",
                }
            )
        if pk is not None and pk in claimed:
            problems.append(
                {
                    "row": row["row"],
                    "column": "Дата рождения",
                    "message": f"этого сотрудника реестра уже обновляет строка {claimed[pk]} — "
                    "укажите дату рождения",
                }
            )
            pk = None
        elif pk is not None:
            claimed[pk] = row["row"]
        targets.append(pk)
    return targets, problems
