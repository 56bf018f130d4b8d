"""Server time of the logged-in pages at a municipality's size, as a ratio to a bare Django page
measured in the same run (issue 22, item 2: each page ≥ 0.1× the bare page's throughput, i.e.
≤ 10× its time, and ≤ 10 ms).

The database (PostgreSQL when DATABASE_URL names it or the local server answers, else SQLite):
the demo (its school with documents, consents, news, a roadmap) plus a municipality of
bench/data.py — 50 schools, 5 000 staff, 2 000 units with questionnaire answers — with a
curator and a head of its first school and a methodist of the municipality. Each page is
requested in-process through the whole middleware stack (DEBUG off, the local-memory cache
as a production cache would answer); a figure is the time of one request, min / median over
≥ 3 batches after warm-up, and its query count. The anchor is the bare Django project of
bench/bare (one template view, as bench/public_load.py uses) served the same way in a fresh
interpreter.

`python bench/pages.py` (make bench runs it); BENCH_PAGES=substring limits the pages,
PROFILE=<path> prints a pyinstrument profile of that page instead.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from common import REPEATS, Stats, in_process, report, row, timed  # noqa: E402

BATCH = 10  # requests per measured batch
GOAL = "≤ 10× якоря (≥ 0,1× пропускной способности) и ≤ 10 ms"


# --- the anchor: a bare Django project --------------------------------------------------------


def bare_page() -> None:
    """In a fresh interpreter: the bare Django project of bench/bare (the anchor every page
    bench shares), through the test client as the project's pages are."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bare.settings"
    import django

    django.setup()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    for _ in range(20):
        if client.get("/").status_code != 200:
            raise SystemExit("bench/bare: the page does not answer 200")
    walls, cpus = batches(lambda: client.get("/"))
    report({"wall": walls, "cpu": cpus})


def batches(call) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of one request, per batch of BATCH, over the repeats."""
    walls, cpus = [], []
    for _ in range(max(3, REPEATS)):
        wall, cpu, _ = timed(lambda: [call() for _ in range(BATCH)])
        walls.append(wall / BATCH)
        cpus.append(cpu / BATCH)
    return walls, cpus


# --- the project --------------------------------------------------------------------------------


def setup_database() -> str:
    """DATABASE_URL for the run: the caller's, a throwaway PostgreSQL database, or SQLite.
    BENCH_KEEP=name keeps (and reuses) the PostgreSQL database `name` between runs."""
    if os.environ.get("DATABASE_URL"):
        return ""
    if keep := os.environ.get("BENCH_KEEP"):
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{keep}"
        import psycopg

        with psycopg.connect(
            "host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True
        ) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [keep]).fetchone():
                conn.execute(f'CREATE DATABASE "{keep}"')
        return ""
    try:
        import psycopg

        name = f"bench_pages_{os.getpid()}"
        with psycopg.connect(
            "host=127.0.0.1 port=5432 user=postgres dbname=postgres",
            autocommit=True,
            connect_timeout=3,
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
        return name
    except Exception:
        tmp = tempfile.mkdtemp(prefix="bench-pages-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        return ""


def drop_database(name: str) -> None:
    if name:
        import psycopg

        with psycopg.connect(
            "host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def build():
    """The demo plus a municipality; returns [(role label, user, [(page label, path)])]."""
    from django.core.management import call_command

    from apps.orgs.models import Membership, Organisation, User
    from apps.programs.models import MentoringUnit
    from bench.data import SIZES, populate

    emails = {"curator@pages.bench": "curator", "head@pages.bench": "head",
              "methodist@pages.bench": "methodist"}  # fmt: skip
    call_command("migrate", verbosity=0)
    if not User.objects.filter(email__in=emails).exists():  # BENCH_KEEP: built before
        call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        _, _, district, school, _ = populate(SIZES["municipality"], districts=1)
        for email, role in emails.items():
            user = User.objects.create_user(email, "bench-pages-12345")
            org = district if role == "methodist" else school
            Membership.objects.create(user=user, organisation=org, role=role)
    accounts = {user.email: user for user in User.objects.filter(email__in=emails)}
    school = Organisation.objects.get(slug="s0")
    district = Organisation.objects.get(slug="m0")
    school7 = Organisation.objects.get(slug="school7")
    ensk = Organisation.objects.get(slug="ensk")
    unit = MentoringUnit.objects.filter(organisation=school).order_by("pk").first()

    def school_pages(org, unit_id=None):
        o = f"/o/{org.pk}"
        pages = [
            ("обзор школы", f"{o}/"),
            ("кадры", f"{o}/staff/"),
            ("согласия", f"{o}/consents/"),
            ("банк наставляемых", f"{o}/banks/mentees/"),
            ("банк наставников", f"{o}/banks/mentors/"),
            ("пары и группы", f"{o}/units/"),
            ("дорожная карта", f"{o}/roadmap/"),
            ("мониторинг", f"{o}/monitoring/"),
            ("документы", f"{o}/documents/"),
        ]
        if unit_id:
            pages.insert(6, ("карточка пары", f"{o}/units/{unit_id}/"))
        return pages

    def district_pages(org):
        o = f"/o/{org.pk}"
        return [
            ("обзор муниципалитета", f"{o}/"),
            ("кадры сети", f"{o}/staff/"),
            ("дорожные карты школ", f"{o}/roadmap/schools/"),
            ("мониторинг сети", f"{o}/monitoring/"),
            ("сетевой подбор", f"{o}/matching/network/"),
        ]

    demo_unit = MentoringUnit.objects.filter(organisation=school7).order_by("pk").first()
    return [
        ("куратор (50 школ)", accounts["curator@pages.bench"], school_pages(school, unit.pk)),
        ("руководитель (50 школ)", accounts["head@pages.bench"], school_pages(school)[:3]),
        ("методист (50 школ)", accounts["methodist@pages.bench"], district_pages(district)),
        (
            "куратор демо",
            User.objects.get(email="curator@school7.demo"),
            school_pages(school7, demo_unit.pk if demo_unit else None),
        ),
        ("методист демо", User.objects.get(email="methodist@ensk.demo"), district_pages(ensk)),
    ]


def main() -> int:
    created = setup_database()
    os.environ.setdefault("NASTAVNIK_TESTING", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nastavnik.settings")
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-pages-media-"))
    os.environ.setdefault("MONITORING_CACHE_SECONDS", "900")  # as in production
    os.environ.setdefault("DB_CONN_MAX_AGE", "600")  # persistent connections, as in production
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    try:
        roles = build()
        print(f"База: {connection.vendor}; данные: демо + муниципалитет bench/data.py", flush=True)
        bare = in_process(__file__, "bare")
        anchor, anchor_wall = Stats(bare["cpu"]), Stats(bare["wall"])
        row("голая страница Django (якорь), CPU", anchor, None)
        row("голая страница Django (якорь), время ответа", anchor_wall, None)
        counted = []
        connection.execute_wrappers.append(lambda execute, *a: counted.append(1) or execute(*a))
        only = os.environ.get("BENCH_PAGES", "")
        profile = os.environ.get("PROFILE")
        worst = 0.0
        for role, user, pages in roles:
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(user)
            for label, path in pages:
                if only not in f"{role} {label}" or (profile and path != profile):
                    continue
                for _ in range(3):
                    response = client.get(path)
                if response.status_code != 200:
                    print(f"{role}: {label} {path} — HTTP {response.status_code}", flush=True)
                    continue
                if profile:
                    from pyinstrument import Profiler

                    profiler = Profiler(interval=0.0002)
                    with profiler:
                        for _ in range(20):
                            client.get(path)
                    print(profiler.output_text(color=False, show_all=False))
                    continue
                counted.clear()
                client.get(path)
                queries = len(counted)
                walls, cpus = batches(lambda p=path, c=client: c.get(p))
                ours, wall = Stats(cpus), Stats(walls)
                worst = max(worst, ours.median / anchor.median)
                row(f"{role}: {label}, CPU ({queries} запр.)", ours, anchor, goal=GOAL)
                row("    время ответа", wall, anchor_wall)
        if not profile:
            print(f"Худшая страница: {worst:.1f}× CPU якоря (медианы; цель ≤ 10×)", flush=True)
    finally:
        connection.close()
        drop_database(created)
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        bare_page()
    else:
        sys.exit(main())
