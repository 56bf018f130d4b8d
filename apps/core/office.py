"""Conversions with LibreOffice headless (Debian: libreoffice-writer-nogui): .docx → PDF for
orders, print forms (HTML) → .docx for consents and destruction acts."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 120
FAILED = "Не удалось преобразовать документ — попробуйте ещё раз."


class PdfUnavailable(Exception):
    """No converter on this server, or it failed; the message is for the user."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: bytes) -> bytes:
    return convert(docx, source="docx", target="pdf")


def html_to_docx(html: str) -> bytes:
    """A print form (HTML) as an editable .docx, laid out by LibreOffice Writer."""
    return convert(html.encode("utf-8"), source="html", target="docx:MS Word 2007 XML")


PRINT_HTML = """<!doctype html><html lang="ru"><head><meta charset="utf-8"><style>
body {{ font-family: "Times New Roman", serif; font-size: 14pt; line-height: 1.4; }}
h1 {{ font-family: "Times New Roman", serif; font-size: 15pt; text-align: center; }}
.text-end {{ text-align: right; }}
.text-center {{ text-align: center; }} .sign-line {{ text-decoration: underline; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #000; padding: 2pt 4pt; }}
</style></head><body>{body}</body></html>"""


def print_form_docx(page_html: str) -> bytes:
    """Take the <article class="print-doc"> of a rendered page and make a .docx of it."""
    start = page_html.find('<article class="print-doc">')
    end = page_html.find("</article>", start)
    if start < 0 or end < 0:
        raise PdfUnavailable("На странице нет печатной формы.")
    body = page_html[start : end + len("</article>")]
    body = body.replace('<span class="sign-line"></span>', "____________________")
    # LibreOffice's HTML import honours the align attribute better than CSS classes.
    body = body.replace('<p class="text-end', '<p align="right" class="text-end')
    body = body.replace('<p class="text-center', '<p align="center" class="text-center')
    return on_gost_page(html_to_docx(PRINT_HTML.format(body=body)))


def on_gost_page(docx: bytes) -> bytes:
    """LibreOffice's HTML import lays a page out on its own defaults (Letter, 1 cm margins,
    tables as narrow as their text, no borders): set the result on the ГОСТ A4 page with its
    margins and page numbers, and every table over the text width with its lines."""
    import io

    from docx import Document

    from apps.core.docx_page import full_width, gost_page

    document = Document(io.BytesIO(docx))
    gost_page(document, size=14)
    for table in document.tables:
        full_width(table)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def convert(data: bytes, *, source: str, target: str) -> bytes:
    binary = soffice()
    if binary is None:
        raise PdfUnavailable(
            "Преобразование недоступно: на сервере не установлен LibreOffice (пакет "
            "libreoffice-writer-nogui). Попросите администратора установить его."
        )
    with tempfile.TemporaryDirectory(prefix="nastavnik-pdf-") as tmp:
        source_path = Path(tmp) / f"document.{source}"
        source_path.write_bytes(data)
        # A private profile per call: parallel conversions do not fight over one profile.
        profile = Path(tmp, "profile").as_uri()
        try:
            subprocess.run(  # noqa: S603 — fixed arguments, our own temp files
                [binary, f"-env:UserInstallation={profile}", "--headless", "--convert-to", target,
                 "--outdir", tmp, str(source_path)],
                check=True, capture_output=True, timeout=TIMEOUT_SECONDS,
            )  # fmt: skip
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
            raise PdfUnavailable(
                "Не удалось преобразовать документ в PDF — попробуйте ещё раз."
            ) from error
        result = Path(tmp) / f"document.{target.split(':')[0]}"
        if not result.exists():
            raise PdfUnavailable("Не удалось преобразовать документ в PDF — попробуйте ещё раз.")
        return result.read_bytes()
