"""Office files (.xlsx, .docx) are refused by their unpacked size before anything opens them."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.uploads import check_unpacked_size
from apps.documents.models import DocKind
from apps.documents.school_templates import check_template
from apps.documents.tests.test_school_templates import docx_with
from apps.people.importing import StaffFileError
from apps.people.tests.test_importing import parse, xlsx

PADDING = 20 * 1024 * 1024  # 20 MB of zeros pack into ~20 KB: a ratio of 1000


def padded(data: bytes, size: int = PADDING) -> bytes:
    """`data` (a ZIP) with one more part of `size` zero bytes, as a bomb adds it."""
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * size)
    return buffer.getvalue()


def refusal(name: str) -> str:
    return (
        f"Файл «{name}» после распаковки занимает 20 МБ — слишком много. Удалите пустые строки и "
        "столбцы (выделите их и нажмите «Удалить») или лишние картинки, либо разделите файл на "
        "части."
    )


def test_it_refuses_a_staff_file_that_unpacks_1000_times_larger():
    with pytest.raises(StaffFileError) as caught:
        parse(padded(xlsx([("Петрова", "Анна", "Учитель", "01.02.1990")])), name="bomb.xlsx")
    assert str(caught.value) == refusal("bomb.xlsx")


def test_it_refuses_a_school_template_that_unpacks_1000_times_larger():
    upload = SimpleUploadedFile("bomb.docx", padded(docx_with("{{ doc.number }}")))
    with pytest.raises(ValidationError) as caught:
        check_template(upload, DocKind.CURATOR)
    assert caught.value.messages == [refusal("bomb.docx")]


def test_it_refuses_more_than_the_unpacked_limit_even_at_a_low_ratio(monkeypatch):
    monkeypatch.setattr("apps.core.uploads.MAX_UNPACKED_BYTES", 1024 * 1024)
    archive = zipfile.ZipFile(io.BytesIO(padded(xlsx([]), size=2 * 1024 * 1024)))
    with pytest.raises(ValidationError) as caught:
        check_unpacked_size(archive, name="big.xlsx")
    assert caught.value.messages[0].startswith("Файл «big.xlsx» после распаковки занимает 2 МБ")


def test_it_refuses_an_archive_of_too_many_parts(monkeypatch):
    monkeypatch.setattr("apps.core.uploads.MAX_MEMBERS", 3)  # the file has more (not 21, 31…)
    archive = zipfile.ZipFile(io.BytesIO(xlsx([])))
    with pytest.raises(ValidationError) as caught:
        check_unpacked_size(archive, name="parts.xlsx")
    assert caught.value.messages == [
        f"Файл «parts.xlsx» состоит из {len(archive.infolist())} частей — это не похоже на "
        "документ или таблицу Office. Сохраните его заново в Word или Excel."
    ]


def test_it_accepts_a_real_workbook_and_a_small_tightly_packed_part():
    archive = zipfile.ZipFile(io.BytesIO(padded(xlsx([]), size=1024 * 1024)))
    check_unpacked_size(archive, name="ok.xlsx")  # 1 MB at ratio 1000 is below RATIO_FROM_BYTES
