"""The PDF a head prints, checked page by page: A4 on every page, no number on the first page,
«2» at the top of the second, and the text in Russian cases as the .docx has it."""

import shutil
import subprocess

import pytest

from apps.core.office import to_pdf
from apps.documents.models import DocKind
from apps.documents.tests.test_documents import world  # noqa: F401
from apps.documents.tests.test_golden import issue_of_kind

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice and poppler-utils are not installed (.ci/run installs them)",
)


def pages_of(pdf: bytes, tmp_path) -> tuple[list[str], list[str]]:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(  # noqa: S603
        [shutil.which("pdfinfo"), "-f", "1", "-l", "99", str(path)],
        capture_output=True, check=True, text=True,
    ).stdout  # fmt: skip
    sizes = [line.split(":", 1)[1].strip() for line in info.splitlines()
             if line.startswith("Page") and "size" in line]  # fmt: skip
    text = subprocess.run(  # noqa: S603
        [shutil.which("pdftotext"), "-layout", str(path), "-"],
        capture_output=True, check=True, text=True,
    ).stdout  # fmt: skip
    return sizes, text.split("\f")[: len(sizes)]


@pytest.mark.parametrize("kind", [DocKind.POLOZHENIE, DocKind.AGREEMENT, DocKind.TERMINATION])
def test_every_page_is_a4_and_numbered_from_the_second(kind, school, world, tmp_path):  # noqa: F811
    document = issue_of_kind(kind, school, world)
    with document.file.open("rb") as handle:
        sizes, pages = pages_of(to_pdf(handle.read()), tmp_path)
    assert sizes
    assert [s for s in sizes if not (s.startswith("595.") and "x 841." in s)] == []
    first_line = [page.strip().splitlines()[0].strip() for page in pages]
    assert first_line[0] != "1"  # the first page carries no number
    if kind == DocKind.POLOZHENIE:
        assert len(pages) >= 3  # the numbering is really checked on a long document
    for number, line in enumerate(first_line[1:], start=2):
        assert line == str(number), (kind, number, line)
    flat = " ".join(" ".join(pages).split())
    assert "None" not in flat
    assert "{{" not in flat
    if kind == DocKind.TERMINATION:
        assert "наставничество Петрова Сергея Ивановича, учителя физики, в отношении Ивановой " \
               "Марии Петровны" in flat  # fmt: skip
