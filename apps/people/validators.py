"""Checks of uploaded scans: by real content, size and extension — never trust the name."""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError

SCAN_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg",
              "png": "image/png"}  # fmt: skip


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size // (1024 * 1024)} МБ"
    return f"{size // 1024} КБ"


def validate_scan(upload) -> None:
    """A consent scan must be a real PDF, JPEG or PNG within CONSENT_SCAN_MAX_BYTES."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in SCAN_TYPES:
        raise ValidationError(
            f"Файл «{name}»: скан согласия принимается в формате PDF, JPEG или PNG."
        )
    limit = settings.CONSENT_SCAN_MAX_BYTES
    if upload.size == 0:
        raise ValidationError(f"Файл «{name}» пустой.")
    if upload.size > limit:
        raise ValidationError(
            f"Файл «{name}» больше {human_size(limit)} — уменьшите разрешение скана."
        )
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime != SCAN_TYPES[extension]:
        raise ValidationError(
            f"Файл «{name}» по содержимому не является {extension.upper()}-файлом "
            "(возможно, переименован). Загрузите настоящий скан в PDF, JPEG или PNG."
        )
