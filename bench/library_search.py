"""Library search over 50 000 materials: time of a morphological query (goal ≤ 100 ms).

Runs on SQLite (FTS5 over lemmas) by default; with DATABASE_URL set to PostgreSQL it measures
the tsvector search there.
"""

import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("NASTAVNIK_TESTING", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nastavnik.settings")
tmp = tempfile.mkdtemp(prefix="bench-library-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

COUNT = int(os.environ.get("BENCH_MATERIALS", "50000"))
PHRASES = [
    "классное руководство", "работа с родителями", "анализ урока", "подготовка к аттестации",
    "инклюзивное образование", "цифровые инструменты", "оценивание результатов",
    "рабочая программа", "дисциплина на уроке", "психологическая устойчивость",
    "молодой специалист", "наставническая пара", "открытый урок", "методическое объединение",
    "проектная деятельность", "функциональная грамотность", "внеурочная деятельность",
]  # fmt: skip
WORDS = ["памятка", "опыт", "практика", "рекомендации", "занятие", "семинар", "школа",
         "учитель", "ученик", "класс", "план", "разбор", "шаблон", "сценарий"]  # fmt: skip


def main() -> None:
    call_command("migrate", verbosity=0)
    from apps.library.lemmas import lemmatise
    from apps.library.models import Material
    from apps.library.search import search
    from apps.orgs.models import Organisation

    rnd = random.Random(3)
    region = Organisation.objects.create(kind="region", name="R", short_name="R", slug="r")
    school = Organisation.objects.create(
        kind="school", parent=region, name="S", short_name="S", slug="s"
    )
    start = time.perf_counter()
    batch = []
    for _ in range(COUNT):
        title = f"{rnd.choice(WORDS).capitalize()}: {rnd.choice(PHRASES)}"
        annotation = " ".join(rnd.choice(PHRASES + WORDS) for _ in range(12))
        m = Material(organisation=school, title=title, annotation=annotation, status="published")
        m.lemmas = lemmatise(m.search_text())
        batch.append(m)
    Material.objects.bulk_create(batch, batch_size=2000)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO library_material_fts(rowid, lemmas) VALUES (%s, %s)",
                list(Material.objects.values_list("pk", "lemmas")),
            )
    print(f"Загружено {COUNT} материалов за {time.perf_counter() - start:.1f} s "
          f"({connection.vendor})")  # fmt: skip
    for query in ("классного руководства", "анализ уроков молодого специалиста", "семинары"):
        times = []
        for _ in range(5):
            began = time.perf_counter()
            found = list(search(Material.objects.all(), query)[:20])
            times.append(time.perf_counter() - began)
        total = search(Material.objects.all(), query).count()
        print(
            f"«{query}»: {min(times) * 1000:.1f} ms (лучшее из 5, первые 20 из {total}; "
            f"цель ≤ 100 ms), первый результат: {found[0].title if found else '—'}"
        )


if __name__ == "__main__":
    main()
