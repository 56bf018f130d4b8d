"""Checks of uploaded files by real content, size and extension — never trust the name."""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError

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
