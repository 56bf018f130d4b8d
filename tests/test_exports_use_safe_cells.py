"""Every module that builds a workbook writes its rows through apps.core.sheets.append_row."""

from pathlib import Path

import apps

ROOT = Path(apps.__file__).parent


def test_it_finds_every_workbook_writer_using_the_safe_rows():
    writers = sorted(
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if "tests" not in path.parts and "Workbook()" in path.read_text(encoding="utf-8")
    )
    assert writers == [
        "banks/views.py",
        "documents/archive.py",
        "documents/registers.py",
        "monitoring/regional.py",
        "monitoring/views.py",
        "payroll/exports.py",
        "people/staff_template.py",
    ]
    unsafe = [w for w in writers if "append_row(" not in (ROOT / w).read_text(encoding="utf-8")]
    assert unsafe == []
