"""Read side of monitoring: the dashboard figures per organisation and year, shared by the
dashboard page, its exports and `manage.py refresh_monitoring` (no writes except the cache)."""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from apps.core.years import year_bounds
from apps.monitoring.feedback import growth, satisfaction
from apps.monitoring.indicators import Figures, by_years, compute, months_elapsed, total
from apps.orgs.models import Organisation
from apps.programs.models import MentoringUnit

COLUMNS = [
    # key, label, kind: "n" number, "p" percent
    ("mentors", "Наставников", "n"),
    ("mentees", "Наставляемых", "n"),
    ("units", "Пар и групп", "n"),
    ("young_coverage", "Охват молодых педагогов, %", "p"),
    ("specialists_coverage", "Охват молодых специалистов, %", "p"),
    ("newcomers_coverage", "Охват новых сотрудников, %", "p"),
    ("completed_share", "Завершено, %", "p"),
    ("terminated_share", "Прекращено досрочно, %", "p"),
    ("tasks_on_time_share", "Задачи ПНП в срок, %", "p"),
    ("meetings_rate", "Встреч на пару в месяц", "n"),
    ("unpaired", "Без пары", "n"),
    ("average_wait", "Ожидание, дней", "n"),
    ("retention_1", "Удержание МС через 1 год, %", "p"),
    ("retention_3", "Удержание МС через 3 года, %", "p"),
    ("average_load", "Нагрузка наставника", "n"),
]
# Traffic lights for coverage: green from 80 %, yellow from 50 %.
GREEN, YELLOW = 80, 50


def _row(figures, months: int) -> dict:
    row = {}
    for key, _label, _kind in COLUMNS:
        if key == "meetings_rate":
            row[key] = figures.meetings_per_unit_month(months)
        else:
            row[key] = getattr(figures, key)
    return row


def _light(value) -> str:
    if value is None:
        return "none"
    return "green" if value >= GREEN else ("yellow" if value >= YELLOW else "red")


def dashboard_data(org: Organisation, year: str, form: str = ""):
    """Totals and comparison rows: schools for a municipality, municipalities for a region."""
    today = timezone.localdate()
    schools = (
        [org]
        if org.is_school
        else list(Organisation.objects.subtree(org).schools().order_by("short_name"))
    )
    per_school = compute([s.pk for s in schools], year, today, form=form)
    months = months_elapsed(year, today)
    overall = total({s.pk: per_school[s.pk] for s in schools if s.pk in per_school})
    children = list(org.children.order_by("short_name")) if not org.is_school else []
    if children and not all(child.is_school for child in children):
        # A region compares its municipalities: sum each one's schools.
        depth = len(org.ancestor_ids()) + 1
        groups: dict[int, Figures] = {child.pk: Figures() for child in children}
        for school in schools:
            ids = school.ancestor_ids()
            if len(ids) > depth - 1 and ids[depth - 1] in groups and school.pk in per_school:
                groups[ids[depth - 1]].add(per_school[school.pk])
        rows = [{"school": child, **_row(groups[child.pk], months)} for child in children]
    else:
        rows = [{"school": s, **_row(per_school.get(s.pk) or Figures(), months)} for s in schools]
    for row in rows:
        row["light"] = _light(row["young_coverage"])
    return overall, _row(overall, months), rows, months


LOCK_SECONDS = 600  # a recompute longer than this is taken as dead: another may start


def summary_key(org_id: int, year: str, form: str) -> str:
    return f"monitoring:{org_id}:{year}:{form}"


def recompute(org: Organisation, year: str, form: str) -> dict | None:
    """Compute and store one summary — one at a time per key (a cache lock); None when another
    worker holds the lock."""
    key = summary_key(org.pk, year, form)
    lock = f"{key}:lock"
    if not cache.add(lock, 1, LOCK_SECONDS):
        return None
    try:
        data = _compute(org, year, form)
        cache.set(key, data, None)  # the last summary is kept until the next one replaces it
        return data
    finally:
        cache.delete(lock)
        cache.delete(f"{key}:queued")


@task()
def recompute_summary(org_id: int, year: str, form: str) -> None:
    """The background task (`manage.py db_worker`) that recomputes one summary."""
    org = Organisation.objects.filter(pk=org_id).first()
    if org is not None:
        recompute(org, year, form)


def schedule(org: Organisation, year: str, form: str) -> None:
    """Queue a recompute unless one is queued or running for this key."""
    key = summary_key(org.pk, year, form)
    if cache.get(f"{key}:lock") is None and cache.add(f"{key}:queued", 1, LOCK_SECONDS):
        recompute_summary.enqueue(org.pk, year, form)


def computed(org: Organisation, year: str, form: str, *, refresh: bool = False) -> dict:
    """Everything heavy the dashboard shows, from the last stored summary (with its
    `computed_at`): a summary older than MONITORING_CACHE_SECONDS, or a `refresh`, queues a
    recompute as a task and the page answers from the summary it has. Only a key never
    computed is computed here (once: others wait for it). MONITORING_CACHE_SECONDS=0 —
    always computed in place (tests)."""
    seconds = settings.MONITORING_CACHE_SECONDS
    if not seconds:
        return _compute(org, year, form)
    key = summary_key(org.pk, year, form)
    hit = cache.get(key)
    if hit is not None:
        if refresh or (timezone.now() - hit["computed_at"]).total_seconds() > seconds:
            schedule(org, year, form)
            if refresh:  # an immediate backend (tests, TASKS_IMMEDIATE) has just run it
                hit = cache.get(key) or hit
        return hit
    data = recompute(org, year, form)
    if data is None:  # someone is computing this very key right now: wait for theirs
        for _ in range(300):
            time.sleep(0.1)
            if (data := cache.get(key)) is not None:
                return data
        data = _compute(org, year, form)
    return data


def _compute(org: Organisation, year: str, form: str) -> dict:
    overall, summary, rows, months = dashboard_data(org, year, form)
    ids = [org.pk] if org.is_school else [r["school"].pk for r in rows]
    if not org.is_school and org.kind == "region":
        ids = list(Organisation.objects.subtree(org).schools().values_list("pk", flat=True))
    start, end = year_bounds(year)
    return {
        "overall": overall,
        "summary": summary,
        "rows": rows,
        "months": months,
        "feedback": satisfaction(ids, start, end),
        "growth": growth(ids, start, end),
        "form_names": sorted(
            set(
                MentoringUnit.objects.filter(organisation_id__in=ids).values_list(
                    "format__name", flat=True
                )
            )
        ),
        "history": history_rows(ids),
        "computed_at": timezone.now(),
    }


def history_rows(ids) -> list[dict]:
    rows = by_years(ids)
    top = max([r["mentees"] for r in rows] or [1]) or 1
    for row in rows:
        row["width"] = round(100 * row["mentees"] / top)
    return rows
