"""Checks of uploaded files by real content, size and extension — never trust the name."""

import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError

from apps.core.plural import plural

SCAN_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg",
              "png": "image/png"}  # fmt: skip
OFFICE_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size // (1024 * 1024)} МБ"
    return f"{size // 1024} КБ"


def validate_upload(upload, *, types: dict[str, str], max_bytes: int, what: str) -> None:
    """`upload` must be one of `types` (extension → MIME) by its content, within `max_bytes`."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    formats = ", ".join(sorted({e.upper() for e in types if e != "jpeg"}))
    if extension not in types:
        raise ValidationError(f"Файл «{name}»: {what} принимается в форматах {formats}.")
    if upload.size == 0:
        raise ValidationError(f"Файл «{name}» пустой.")
    if upload.size > max_bytes:
        raise ValidationError(
            f"Файл «{name}» больше {human_size(max_bytes)} — уменьшите его или сожмите."
        )
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime != types[extension]:
        raise ValidationError(
            f"Файл «{name}» по содержимому не является {extension.upper()}-файлом "
            "(возможно, переименован)."
        )


def validate_scan(upload) -> None:
    """A consent scan must be a real PDF, JPEG or PNG within CONSENT_SCAN_MAX_BYTES."""
    validate_upload(
        upload, types=SCAN_TYPES, max_bytes=settings.CONSENT_SCAN_MAX_BYTES, what="скан согласия"
    )


# A ZIP (.xlsx, .docx) says in its directory how large each part is unpacked, and zipfile never
# unpacks more than that: so a bomb is refused from the directory alone, before openpyxl or
# python-docx spends a worker's minute unpacking it.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_RATIO = 100  # XML of real tables and documents packs 5–20 times; padding packs 1000 times
RATIO_FROM_BYTES = 16 * 1024 * 1024  # small files may pack as tightly as they like
MAX_MEMBERS = 10_000


def check_unpacked_size(archive: zipfile.ZipFile, *, name: str) -> None:
    """Refuse an Office file whose parts unpack too large or too many times their packed size."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise ValidationError(
            f"Файл «{name}» состоит из {len(members)} "
            f"{plural(len(members), 'части', 'частей', 'частей')} — это не похоже на документ или "
            "таблицу Office. Сохраните его заново в Word или Excel."
        )
    unpacked = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    if unpacked > MAX_UNPACKED_BYTES or (
        unpacked > RATIO_FROM_BYTES and unpacked > MAX_RATIO * packed
    ):
        raise ValidationError(
            f"Файл «{name}» после распаковки занимает {human_size(unpacked)} — слишком много. "
            "Удалите пустые строки и столбцы (выделите их и нажмите «Удалить») или лишние "
            "картинки, либо разделите файл на части."
        )
