"""PDF from .docx with LibreOffice headless (Debian: libreoffice-writer-nogui)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 120
FAILED = "Не удалось преобразовать документ в PDF — попробуйте ещё раз."


class PdfUnavailable(Exception):
    """No converter on this server, or it failed; the message is for the user."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: bytes) -> bytes:
    binary = soffice()
    if binary is None:
        raise PdfUnavailable(
            "PDF недоступен: на сервере не установлен LibreOffice (пакет "
            "libreoffice-writer-nogui). Скачайте .docx или попросите администратора установить."
        )
    with tempfile.TemporaryDirectory(prefix="nastavnik-pdf-") as tmp:
        source = Path(tmp) / "document.docx"
        source.write_bytes(docx)
        # A private profile per call: parallel conversions do not fight over one profile.
        profile = Path(tmp, "profile").as_uri()
        try:
            subprocess.run(  # noqa: S603 — fixed arguments, our own temp files
                [binary, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                 "--outdir", tmp, str(source)],
                check=True, capture_output=True, timeout=TIMEOUT_SECONDS,
            )  # fmt: skip
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
            raise PdfUnavailable(
                "Не удалось преобразовать документ в PDF — попробуйте ещё раз."
            ) from error
        result = Path(tmp) / "document.pdf"
        if not result.exists():
            raise PdfUnavailable("Не удалось преобразовать документ в PDF — попробуйте ещё раз.")
        return result.read_bytes()
