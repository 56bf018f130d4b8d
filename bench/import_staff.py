"""Time and peak memory to check and import 10 000 staff rows (goal: ≤ 10 s in total).

Runs against a throwaway SQLite database (or DATABASE_URL if set) and prints figures.
"""

import datetime
import io
import os
import random
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("NASTAVNIK_TESTING", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nastavnik.settings")
tmp = tempfile.mkdtemp(prefix="bench-import-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.core.management import call_command  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "10000"))
LAST = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Орлов"]
FIRST = ["Иван", "Пётр", "Сергей", "Андрей", "Олег", "Юрий", "Роман", "Павел"]
MIDDLE = ["Иванович", "Петрович", "Сергеевич", "Андреевич", "Олегович"]
SUBJECTS = ["Математика", "Физика", "Информатика", "История", "Химия", "Биология"]


def build_file(rows: int) -> bytes:
    rng = random.Random(1)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["Фамилия", "Имя", "Отчество", "Дата рождения", "Должность", "Предметы",
                  "Квалификационная категория", "Педагогический стаж", "E-mail"])  # fmt: skip
    start = datetime.date(1960, 1, 1)
    for i in range(rows):
        birth = start + datetime.timedelta(days=i % 12000)
        sheet.append([rng.choice(LAST), rng.choice(FIRST), rng.choice(MIDDLE),
                      birth.strftime("%d.%m.%Y"), "Учитель", "; ".join(rng.sample(SUBJECTS, 2)),
                      rng.choice(["первая", "высшая", ""]), rng.randint(0, 40),
                      f"t{i}@example.org"])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main() -> None:
    call_command("migrate", verbosity=0)
    from apps.orgs.choices import OrgKind
    from apps.orgs.models import Organisation
    from apps.people.services import apply_import, preview_import

    region = Organisation.objects.create(kind=OrgKind.REGION, name="R", short_name="R", slug="r")
    school = Organisation.objects.create(
        kind=OrgKind.SCHOOL, parent=region, name="S", short_name="S", slug="s"
    )
    data = build_file(ROWS)
    print(f"file: {ROWS} rows, {len(data) / 1024 / 1024:.1f} MB")

    t0 = time.perf_counter()
    batch = preview_import(org=school, user=None, file_name="bench.xlsx", data=data)
    t1 = time.perf_counter()
    batch = apply_import(batch=batch)
    t2 = time.perf_counter()
    print(f"check: {t1 - t0:.2f} s, problems: {len(batch.problems)}")
    print(f"apply: {t2 - t1:.2f} s, created: {batch.created_count}")
    print(f"total: {t2 - t0:.2f} s (goal ≤ 10 s)")

    # Memory in a separate pass: tracemalloc slows Python down several times.
    other = Organisation.objects.create(
        kind=OrgKind.SCHOOL, parent=region, name="S2", short_name="S2", slug="s2"
    )
    tracemalloc.start()
    batch = preview_import(org=other, user=None, file_name="bench.xlsx", data=data)
    _, peak_check = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    apply_import(batch=batch)
    _, peak_apply = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak Python memory: check {peak_check / 1e6:.0f} MB, apply {peak_apply / 1e6:.0f} MB")
    print(f"max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")

    # Re-import of the same file: every row becomes an update.
    t0 = time.perf_counter()
    batch = apply_import(
        batch=preview_import(org=school, user=None, file_name="again.xlsx", data=data)
    )
    print(f"re-import (updates): {time.perf_counter() - t0:.2f} s, updated: {batch.updated_count}")

    # A file far over the limit is refused after a quick scan, before any row is checked;
    # one just over it is refused once the rows are counted exactly.
    from apps.people.importing import StaffFileError

    for rows in (50_000, 20_001):
        big = build_file(rows)
        t0 = time.perf_counter()
        try:
            preview_import(org=school, user=None, file_name="big.xlsx", data=big)
        except StaffFileError as error:
            refused = str(error)
        else:
            refused = "NOT REFUSED"
        print(f"refuse {rows} rows ({len(big) / 1024 / 1024:.1f} MB): "
              f"{time.perf_counter() - t0:.2f} s — {refused[:60]}…")  # fmt: skip


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
