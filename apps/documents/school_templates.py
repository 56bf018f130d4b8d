"""Checking a school's own .docx template before it is used: format, Jinja syntax, fields."""

from __future__ import annotations

import io
import zipfile

import jinja2
import jinja2.meta
from django.core.exceptions import ValidationError
from docx.oxml import parse_xml
from docxtpl import DocxTemplate

from apps.core.uploads import check_unpacked_size
from apps.documents import sandbox
from apps.documents.models import DocKind

MAX_BYTES = 5 * 1024 * 1024
COMMON = {
    "school",
    "doc",
    "settings",
    "extra_pay",
    "curator",
    "executor",
    "year",
    "acquainted",
    "polozhenie_order",
    "visas",
}
FIELDS: dict[str, tuple[set[str], set[str]]] = {
    # kind: (allowed beyond COMMON, required)
    DocKind.POLOZHENIE: (
        {"polozhenie", "roadmap", "roadmap_groups", "people"},
        {"doc", "polozhenie"},
    ),
    DocKind.PAIRS: ({"units", "people"}, {"doc", "units"}),
    DocKind.CURATOR: ({"person", "people"}, {"doc", "person"}),
    DocKind.AGREEMENT: (
        {"person", "mentees", "start", "end", "form", "kind", "contract", "pairs_order"},
        {"doc", "person", "mentees"},
    ),
    DocKind.COMPLETION: ({"units", "people"}, {"doc", "units"}),
    DocKind.PEP_RULES: ({"people"}, {"doc"}),
    DocKind.PD_RESPONSIBLE: ({"person", "people", "responsible_word"}, {"doc", "person"}),
    DocKind.PD_SYSTEMS: ({"systems", "responsible"}, {"doc", "systems"}),
    DocKind.PD_NOTICE: ({"notice", "rkn_office", "responsible"}, {"doc", "notice"}),
    DocKind.REPLACEMENT: (
        {"old", "new", "mentees", "reason", "reason_text", "changed_on", "end", "people"},
        {"doc", "old", "new", "mentees"},
    ),
    DocKind.TERMINATION: (
        {"mentor", "mentees", "ended_on", "reason_text", "pairs_order", "people"},
        {"doc", "mentor", "mentees", "ended_on"},
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
        parsed = sandbox.environment().parse(template_source(data))
    except jinja2.TemplateSyntaxError as error:
        raise ValidationError(
            f"В шаблоне «{name}» ошибка в теге (строка {error.lineno}): {error.message}. "
            "Проверьте парные скобки {{ }} и {% %}."
        ) from error
    refused = sandbox.forbidden(parsed)
    if refused:
        raise ValidationError(
            f"Шаблон «{name}» использует то, что шаблону документа недоступно: "
            + ", ".join(refused)
            + ". Допустимы только поля и фильтры из списка ниже на этой странице."
        )
    used = jinja2.meta.find_undeclared_variables(parsed)
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


def template_source(data: bytes) -> str:
    """Every part of the .docx docxtpl renders as Jinja — body, headers, footers, footnotes
    and the document's properties — as one text, for checking before the template is kept."""
    template = DocxTemplate(io.BytesIO(data))
    template.init_docx()
    docx = template.docx
    parts = [template.patch_xml(template.xml_to_string(docx._element.body))]
    for rel in docx._part.rels.values():
        if rel.is_external or not rel.target_part.blob:
            continue
        if rel.reltype in (template.HEADER_URI, template.FOOTER_URI) or rel.reltype.endswith(
            "/footnotes"
        ):
            parts.append(
                template.patch_xml(template.xml_to_string(parse_xml(rel.target_part.blob)))
            )
    props = docx.core_properties
    parts += [
        getattr(props, name) or ""
        for name in ("author", "comments", "identifier", "language", "subject", "title")
    ]
    return "\n".join(parts)
