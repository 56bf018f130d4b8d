"""Monitoring dashboard on a region: 1 000 schools in 10 municipalities, 50 000 staff, 10 000
units and 100 000 answers of the monitoring questionnaires (satisfaction at start and end,
self-assessment grids). Prints the server time and the query count of the dashboard at
region, municipality and school level (goal ≤ 200 ms each on PostgreSQL).
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("NASTAVNIK_TESTING", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nastavnik.settings")
tmp = tempfile.mkdtemp(prefix="bench-monitoring-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
os.environ.setdefault("MONITORING_CACHE_SECONDS", "900")  # as in production

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.data import SIZES, populate  # noqa: E402 — the one generator

REGION = SIZES["region"]
SCHOOLS = int(os.environ.get("BENCH_SCHOOLS", str(REGION.schools)))
STAFF_PER_SCHOOL = REGION.staff // REGION.schools
UNITS_PER_SCHOOL = REGION.units // REGION.schools


def main() -> None:
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    user, region, municipality, school, answers = populate(REGION, SCHOOLS)
    print(f"Сгенерировано: {SCHOOLS} школ, {SCHOOLS * STAFF_PER_SCHOOL} сотрудников, "
          f"{SCHOOLS * UNITS_PER_SCHOOL} пар, {answers} ответов анкет за "
          f"{time.perf_counter() - start:.1f} s ({connection.vendor})")  # fmt: skip
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    for label, org in (("регион", region), ("муниципалитет", municipality), ("школа", school)):
        url = f"/o/{org.pk}/monitoring/?year=2026/2027"
        began = time.perf_counter()
        client.get(url + "&refresh=1")  # computed from the data (what refresh_monitoring does)
        cold = time.perf_counter() - began
        print(f"Пересчёт показателей, {label}: {cold * 1000:.0f} ms")
        times = []
        for _ in range(3):
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - began)
        if response.status_code != 200:
            raise SystemExit(f"{label}: HTTP {response.status_code}")
        print(f"Дашборд, {label}: {min(times) * 1000:.0f} ms (лучшее из 3, сводка из кэша; "
              f"цель ≤ 200 ms), запросов: {len(queries)}")  # fmt: skip


if __name__ == "__main__":
    main()
