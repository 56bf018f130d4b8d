"""Staff import of 10 000 rows against a raw openpyxl read of the same file.

Rows (min / median over ≥ 3 repeats, the anchor measured in the same run, alternating with
the project):
- the anchor: openpyxl in read-only mode reading every cell of the .xlsx, nothing else;
- the project: the import as the staff page does it — `preview_import` (the file's checks, every
  row's checks, matching against the register, the batch stored) and `apply_import` (the people
  created in bulk with their subjects), into a new school each repeat. Goal: ≤ 2×. The check
  alone and a re-import of the same file (every row an update) are shown against the same anchor;
- peak memory (RSS) of each in a fresh process: the anchor's is Python and openpyxl alone, the
  project's includes Django and its database.
Then, once: a file far over the row limit and one just over it are refused (no anchor).
Rows come from bench/data.py; the database is a throwaway SQLite one (or DATABASE_URL).
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import tempfile
from pathlib import Path

from common import REPEATS, ROOT, Stats, in_process, report, row, timed

sys.path.insert(0, str(ROOT))

from bench.data import STAFF_HEADER, staff_rows

ROWS = int(os.environ.get("BENCH_ROWS", "10000"))
TMP = Path(tempfile.mkdtemp(prefix="bench-import-"))


def build_file(rows: int) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(STAFF_HEADER)
    for values in staff_rows(rows):
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def raw_read(data: bytes) -> int:
    """The anchor: openpyxl's read-only mode over every cell, as its documentation shows it."""
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    cells = 0
    for values in workbook.worksheets[0].iter_rows(values_only=True):
        cells += sum(1 for value in values if value is not None)
    workbook.close()
    return cells


def setup_django():
    """Django on a throwaway database with a region; returns a factory of new schools."""
    os.environ.setdefault("NASTAVNIK_TESTING", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nastavnik.settings")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from apps.orgs.choices import OrgKind
    from apps.orgs.models import Organisation

    # A measurement in a fresh process inherits the run's database: its schools are its own.
    region, _new = Organisation.objects.get_or_create(
        slug="r", defaults={"kind": OrgKind.REGION, "name": "R", "short_name": "R"}
    )
    count = 0

    def new_school():
        nonlocal count
        count += 1
        name = f"S{os.getpid()}-{count}"
        return Organisation.objects.create(
            kind=OrgKind.SCHOOL, parent=region, name=name, short_name=name, slug=name.lower()
        )

    return new_school


def project_import(school, data: bytes, name: str = "bench.xlsx"):
    from apps.people.services import apply_import, preview_import

    batch = preview_import(org=school, user=None, file_name=name, data=data)
    return apply_import(batch=batch)


def one(kind: str, path: str) -> None:
    """One measurement in this fresh process; prints a JSON line."""
    data = Path(path).read_bytes()
    if kind == "raw":
        wall, cpu, _cells = timed(lambda: raw_read(data))
    else:
        new_school = setup_django()
        school = new_school()
        wall, cpu, _batch = timed(lambda: project_import(school, data))
    report({"rss_mb": high_water_mb(), "wall": wall, "cpu": cpu})


def high_water_mb() -> float:
    """This process's peak RSS. getrusage's ru_maxrss survives exec, so a child started by a
    parent holding the 10 000-row file would report at least the parent's size."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def refusal(new_school, rows: int) -> tuple[float, str]:
    """A file over the row limit: the time to refuse it and what the user is told."""
    from apps.people.importing import StaffFileError
    from apps.people.services import preview_import

    school, big = new_school(), build_file(rows)

    def attempt() -> str:
        try:
            preview_import(org=school, user=None, file_name="big.xlsx", data=big)
        except StaffFileError as error:
            return str(error)
        return "НЕ ОТКАЗАНО"

    wall, _cpu, message = timed(attempt)
    return wall, message


def main(repeats: int) -> None:
    new_school = setup_django()
    from apps.people.services import apply_import, preview_import

    data = build_file(ROWS)
    print(f"{'файл':<48} | {ROWS} строк, {len(data) / 1024 / 1024:.1f} MB", flush=True)
    small = build_file(20)
    raw_read(small)
    project_import(new_school(), small)  # warm up imports

    anchor, anchor_cpu, total, total_cpu, check, again = [], [], [], [], [], []
    first = None
    for _ in range(max(3, repeats)):
        wall, cpu, _cells = timed(lambda: raw_read(data))
        anchor.append(wall)
        anchor_cpu.append(cpu)
        school = new_school()
        wall, cpu, batch = timed(
            lambda school=school: preview_import(
                org=school, user=None, file_name="bench.xlsx", data=data
            )
        )
        check.append(wall)
        applied, applied_cpu, result = timed(lambda batch=batch: apply_import(batch=batch))
        total.append(wall + applied)
        total_cpu.append(cpu + applied_cpu)
        if result.created_count != ROWS:
            sys.exit(f"создано {result.created_count} из {ROWS}: {batch.problems[:3]}")
        first = first or school
        wall, _cpu, result = timed(lambda first=first: project_import(first, data, "again.xlsx"))
        if result.updated_count != ROWS:
            sys.exit(f"обновлено {result.updated_count} из {ROWS}")
        again.append(wall)
    row(f"импорт {ROWS} строк: проверка + загрузка", Stats(total), Stats(anchor), goal="≤ 2×")
    row("  то же, CPU", Stats(total_cpu), Stats(anchor_cpu), goal="≤ 2×")
    row("  из них проверка файла (preview)", Stats(check), Stats(anchor))
    row("  повторный импорт (все строки — обновления)", Stats(again), Stats(anchor))

    path = TMP / "staff.xlsx"
    path.write_bytes(data)
    raw_mb, ours_mb = [], []
    for _ in range(max(3, repeats)):
        raw_mb.append(in_process(__file__, "raw", str(path))["rss_mb"])
        ours_mb.append(in_process(__file__, "ours", str(path))["rss_mb"])
    row("  пиковая память (RSS), свежий процесс", Stats(ours_mb), Stats(raw_mb), unit="MB")
    # Far over the limit: refused after a quick scan, before any row is checked; just over it:
    # once the rows are counted exactly.
    for rows in (50_000, 20_001):
        wall, message = refusal(new_school, rows)
        print(f"{f'отказ: файл на {rows} строк':<48} | {wall:.2f} s — {message[:60]}…", flush=True)


if __name__ == "__main__":
    try:
        if len(sys.argv) > 1 and sys.argv[1] == "--one":
            one(sys.argv[2], sys.argv[3])
            sys.exit(0)
        parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
        parser.add_argument("--repeats", type=int, default=REPEATS)
        args = parser.parse_args()
        print("показатель | проект мин / медиана | якорь мин / медиана | отношение мин / медиана")
        main(args.repeats)
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
