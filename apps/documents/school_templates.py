"""Checking a school's own .docx template before it is used: format, Jinja syntax, fields."""

from __future__ import annotations

import io
import zipfile

import jinja2
from django.core.exceptions import ValidationError
from docxtpl import DocxTemplate

from apps.documents.models import DocKind
from apps.people.validators import check_unpacked_size

MAX_BYTES = 5 * 1024 * 1024
COMMON = {"school", "doc", "settings", "extra_pay", "curator", "year"}
FIELDS: dict[str, tuple[set[str], set[str]]] = {
    # kind: (allowed beyond COMMON, required)
    DocKind.POLOZHENIE: ({"polozhenie", "roadmap"}, {"doc", "polozhenie"}),
    DocKind.PAIRS: ({"units", "people"}, {"doc", "units"}),
    DocKind.CURATOR: ({"person", "people"}, {"doc", "person"}),
    DocKind.AGREEMENT: ({"person", "mentees", "start", "end"}, {"doc", "person", "mentees"}),
    DocKind.COMPLETION: ({"units", "people"}, {"doc", "units"}),
    DocKind.REPLACEMENT: (
        {"old", "new", "mentees", "reason", "changed_on", "end", "people"},
        {"doc", "old", "new", "mentees"},
    ),
}
MACRO_TYPE = "application/vnd.ms-word.document.macroEnabled"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .doc


def check_template(upload, kind: str) -> bytes:
    """Return the file's bytes, or raise ValidationError saying exactly what is wrong."""
    name = upload.name or "шаблон"
    data = upload.read()
    if len(data) > MAX_BYTES:
        raise ValidationError(f"Файл «{name}» больше 5 МБ — шаблону столько не нужно.")
    if data.startswith(OLE_MAGIC):
        raise ValidationError(
            f"Файл «{name}» — старый формат .doc. Откройте его в Word и сохраните как .docx."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        check_unpacked_size(archive, name=name)
        content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
        archive.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError) as error:
        raise ValidationError(f"Файл «{name}» не является документом .docx.") from error
    if MACRO_TYPE in content_types or any(n.endswith("vbaProject.bin") for n in archive.namelist()):
        raise ValidationError(
            f"Файл «{name}» содержит макросы (.docm). Сохраните шаблон как обычный .docx."
        )
    try:
        used = DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables()
    except jinja2.TemplateSyntaxError as error:
        raise ValidationError(
            f"В шаблоне «{name}» ошибка в теге (строка {error.lineno}): {error.message}. "
            "Проверьте парные скобки {{ }} и {% %}."
        ) from error
    allowed, required = FIELDS[kind]
    unknown = sorted(used - COMMON - allowed)
    missing = sorted(required - used)
    problems = []
    if unknown:
        problems.append("неизвестные поля: " + ", ".join(unknown))
    if missing:
        problems.append("нет обязательных полей: " + ", ".join(missing))
    if problems:
        raise ValidationError(
            f"Шаблон «{name}» не подходит для документа «{DocKind(kind).label}»: "
            + "; ".join(problems)
            + ". Список полей — ниже на этой странице."
        )
    return data
