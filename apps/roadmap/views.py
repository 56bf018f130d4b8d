import datetime

from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from apps.core import datagen
from apps.core.years import academic_year, year_bounds
from apps.events.models import Event
from apps.orgs.access import ABOVE_SCHOOL, POST_ONLY, SCHOOL, can, org_view
from apps.orgs.models import Organisation
from apps.orgs.params import year_param
from apps.orgs.tenancy import get_for
from apps.roadmap.forms import ItemForm, ShiftForm
from apps.roadmap.models import RoadmapItem
from apps.roadmap.queries import year_items
from apps.roadmap.services import PlanShiftError, save_default_plan, save_item, shift_plan
from apps.roadmap.status import DONE, gather, stages_for


def _year(request) -> str:
    return year_param(request.GET.get("year"), academic_year())


def timeline(items, year: str, today: datetime.date, done_stages=frozenset()) -> dict:
    """Positions in days from 1 September for the server-rendered Gantt bars.

    An item is done when marked or when its stage is done by the data; overdue when its end
    has passed and neither is true.
    """
    start, end = year_bounds(year)
    total = (end - start).days + 1
    rows = []
    for item in items:
        left = max(0, (item.start - start).days)
        right = min(total, (item.end - start).days + 1)
        rows.append(
            {
                "item": item,
                "x": left,
                "width": max(1, right - left),
                "state": (
                    "done"
                    if item.done_on or item.stage in done_stages
                    else ("overdue" if item.end < today else "plan")
                ),
            }
        )
    months = []
    day = start
    while day <= end:
        months.append({"x": (day - start).days, "label": day.strftime("%m")})
        day = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    marker = (today - start).days if start <= today <= end else None
    return {"rows": rows, "total": total, "months": months, "today": marker}


@org_view("roadmap.view", level=SCHOOL)
def roadmap(request, org):
    year = _year(request)
    today = timezone.localdate()
    can_manage = can(request, "roadmap.manage")
    # The stage cards and the plan show the school's data alone: rendered once per data
    # generation (apps/core/datagen), the day and whether the viewer may edit; the forms (CSRF)
    # stay outside.
    parts = datagen.cached(
        "roadmap:page", (org.pk, year, today, can_manage),
        lambda: _roadmap_parts(org, year, today, can_manage),
    )  # fmt: skip
    return render(
        request,
        "roadmap/roadmap.html",
        {
            "org": org,
            "year": year,
            "parts": parts,
            "unsaved": parts["unsaved"],
            "overdue": parts["overdue"],
            "shift_form": ShiftForm(year=year, initial={"start": today}),
            "years": [academic_year(today.replace(year=today.year - 1)), academic_year(today)],
        },
    )


def _roadmap_parts(org, year: str, today: datetime.date, can_manage: bool) -> dict:
    items = year_items(org, year, today)
    stages = stages_for(org.pk, gather([org.pk], year, today))
    by_stage: dict[int, list] = {}
    for item in items:
        by_stage.setdefault(item.stage, []).append(item)
    start, end = year_bounds(year)
    events: dict[int, list] = {}
    for event in Event.objects.of(org).filter(starts_at__date__range=(start, end)):
        events.setdefault(event.stage, []).append(event)
    for stage in stages:
        stage.items = by_stage.get(stage.number, [])
        stage.events = sorted(events.get(stage.number, []), key=lambda e: e.starts_at)
    plan = timeline(items, year, today, {s.number for s in stages if s.status == DONE})
    context = {"org": org, "year": year, "stages": stages, "plan": plan, "can_manage": can_manage}
    return {
        "stages": render_to_string("roadmap/stage_cards.html", context),
        "plan": render_to_string("roadmap/plan_table.html", context),
        "unsaved": bool(items) and items[0].pk is None,
        "overdue": sum(r["state"] == "overdue" for r in plan["rows"]),
    }


@org_view("roadmap.manage", level=SCHOOL)
def item_edit(request, org, item_id=None):
    item = get_for(org, RoadmapItem, item_id) if item_id else None
    year = item.year if item else _year(request)
    if request.method == "POST" and item is None and "default_plan" in request.POST:
        save_default_plan(org=org, year=year)
        messages.success(request, "Типовой план сохранён за школой: мероприятия можно менять.")
        return redirect(reverse("roadmap:roadmap", args=[org.pk]) + f"?year={year}")
    form = ItemForm(request.POST or None, instance=item, year=year)
    if request.method == "POST" and form.is_valid():
        save_item(org=org, year=year, item=form.save(commit=False))
        messages.success(request, "Пункт дорожной карты сохранён.")
        return redirect(reverse("roadmap:roadmap", args=[org.pk]) + f"?year={year}")
    return render(request, "roadmap/item_form.html", {"org": org, "form": form, "item": item,
                                                      "year": year})  # fmt: skip


@org_view("roadmap.manage", level=SCHOOL, methods=POST_ONLY)
def plan_shift(request, org):
    """«Школа начинает позже»: move the plan of the year to begin on the given day."""
    year = _year(request)
    back = reverse("roadmap:roadmap", args=[org.pk]) + f"?year={year}"
    form = ShiftForm(request.POST, year=year)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    try:
        moved = shift_plan(org=org, year=year, start=form.cleaned_data["start"])
    except PlanShiftError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"План начинается {form.cleaned_data['start']:%d.%m.%Y}: сроки перенесены "
            f"(мероприятий: {moved}) с учётом выходных и праздников.",
        )
    return redirect(back)


@org_view("roadmap.manage", level=SCHOOL, methods=POST_ONLY)
def item_delete(request, org, item_id):
    item = get_for(org, RoadmapItem, item_id)
    item.delete()
    messages.success(request, f"Пункт «{item.activity}» удалён.")
    return redirect("roadmap:roadmap", org_id=org.pk)


@org_view("roadmap.view", level=ABOVE_SCHOOL)
def network(request, org):
    """Every school's progress by stage, side by side (fixed number of queries)."""
    year = _year(request)
    today = timezone.localdate()

    def table() -> str:
        schools = list(Organisation.objects.subtree(org).schools().order_by("short_name"))
        facts = gather([s.pk for s in schools], year, today)
        rows = [(school, stages_for(school.pk, facts, links=False)) for school in schools]
        return render_to_string("roadmap/network_table.html", {"year": year, "rows": rows})

    # The table shows the schools' data alone (no per-user part): rendered once per data
    # generation (apps/core/datagen) — fifty schools × seven stages are most of the page.
    html = datagen.cached("roadmap:network", (org.pk, year, today), table)
    return render(request, "roadmap/network.html", {"org": org, "year": year, "table": html})
