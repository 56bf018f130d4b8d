from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from apps.core.years import academic_year
from apps.matching import choice, network, presenter
from apps.matching.choice import ChoiceError
from apps.matching.core.model import ProblemError
from apps.matching.forms import ConfirmForm, RequestForm, RunForm, SettingsForm
from apps.matching.inputs import build_pool
from apps.matching.models import (
    MatchingRun,
    MentorRequest,
    NetworkProposal,
    RequestStatus,
    RunScope,
    RunStatus,
)
from apps.matching.services import (
    ConfirmError,
    ConfirmInput,
    RunInput,
    change_pins,
    confirm,
    default_weights,
    school_settings,
    start_run,
    swap,
)
from apps.matching.waitlist import waitlist
from apps.orgs.access import (
    ABOVE_SCHOOL,
    POST_ONLY,
    SCHOOL,
    can,
    login_view,
    org_view,
    show_org_navigation,
)
from apps.orgs.models import Organisation
from apps.orgs.params import int_or_none
from apps.orgs.tenancy import get_for
from apps.programs.models import ProgramSettings
from apps.programs.queries import school_program_settings


def get_run(org, run_id) -> MatchingRun:
    return get_for(org, MatchingRun, run_id, scope=RunScope.SCHOOL)


def _int(value) -> int | None:
    # Bounded to what an id column stores: PostgreSQL answers a larger number with an error.
    return int_or_none(value)


def _pages(request) -> dict:
    return {key: request.GET.get(key) for key in ("pairs", "unmatched", "load")}


def _progress_url(org, run) -> str:
    if run.scope == RunScope.NETWORK:
        return reverse("matching:network-progress", args=[org.pk, run.pk])
    return reverse("matching:run-progress", args=[org.pk, run.pk])


def _progress(request, org, run):
    """The progress card while a run is computed; HX-Refresh reloads the page once it is done."""
    if run.is_ready and request.htmx:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    name = "network-detail" if run.scope == RunScope.NETWORK else "run-detail"
    return render(
        request,
        "matching/includes/progress.html",
        {
            "run": run,
            "progress_url": _progress_url(org, run),
            "detail_url": reverse(f"matching:{name}", args=[org.pk, run.pk]),
        },
    )


def _proposal_response(request, org, run, errors=()):
    context = {"org": org, "run": run, "p": presenter.proposal(run), "errors": list(errors)}
    if run.status == RunStatus.DRAFT and can(request, "matching.manage"):
        context["confirm_form"] = ConfirmForm(org=org)
    return render(request, "matching/includes/proposal.html", context)


@org_view("matching.view", level=SCHOOL)
def run_list(request, org):
    runs = list(
        MatchingRun.objects.of(org)
        .filter(scope=RunScope.SCHOOL)
        .select_related("created_by", "confirmed_by")
        .defer("snapshot", "result")[:50]
    )
    return render(
        request,
        "matching/run_list.html",
        {
            "org": org,
            "runs": runs,
            "settings": school_settings(org),
            "network": list(network.proposals_for_school(org)),
            "open_requests": (
                MentorRequest.objects.of(org).filter(status=RequestStatus.ACCEPTED).count()
            ),
        },
    )


@org_view("matching.manage", level=SCHOOL)
def run_new(request, org):
    program = school_program_settings(org)
    pool = build_pool([org.pk], academic_year())
    base = None
    if source := _int(request.GET.get("from")):
        base = get_run(org, source)
    initial = {}
    if base is not None:
        snap = base.snapshot
        initial = {
            "mentees": [m["id"] for m in snap.get("mentees", [])],
            "mentors": [m["id"] for m in snap.get("mentors", [])],
            "objective": base.options.get("objective"),
            "min_mentor_experience": base.options.get("min_mentor_experience"),
        }
    weights = base.options.get("weights", {}) if base else default_weights(org)
    form = RunForm(
        request.POST or None,
        initial=initial,
        pool=pool,
        weights=weights,
        min_experience=program.min_mentor_experience,
    )
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        keep = base is not None and request.POST.get("keep_pins")
        try:
            run = start_run(
                org=org,
                user=request.user,
                pool=pool,
                data=RunInput(
                    mentee_ids=data["mentees"],
                    mentor_ids=data["mentors"],
                    weights=form.weights(),
                    min_mentor_experience=data["min_mentor_experience"],
                    objective=data["objective"],
                    pinned=list(base.pinned) if keep else [],
                    forbidden=list(base.forbidden) if keep else [],
                ),
            )
        except ProblemError as error:
            errors = error.messages
        else:
            if request.htmx and not run.is_ready:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = reverse("matching:run-detail", args=[org.pk, run.pk])
                return response
            if request.htmx:
                response = _proposal_response(request, org, run)
                response["HX-Push-Url"] = reverse("matching:run-detail", args=[org.pk, run.pk])
                return response
            return redirect("matching:run-detail", org_id=org.pk, run_id=run.pk)
    if request.htmx:
        return render(
            request, "matching/run_form.html#form-errors", {"form": form, "errors": errors}
        )
    return render(
        request,
        "matching/run_form.html",
        {"org": org, "form": form, "errors": errors, "base": base, "pool": pool},
    )


@org_view("matching.view", level=SCHOOL)
def run_detail(request, org, run_id):
    run = get_run(org, run_id)
    if not run.is_ready:
        context = {"org": org, "run": run, "progress_url": _progress_url(org, run)}
        return render(request, "matching/run_detail.html", context)
    context = {"org": org, "run": run, "p": presenter.proposal(run, _pages(request)), "errors": []}
    if run.status == RunStatus.DRAFT and can(request, "matching.manage"):
        context["confirm_form"] = ConfirmForm(org=org)
    return render(request, "matching/run_detail.html", context)


@org_view("matching.view", level=SCHOOL)
def run_progress(request, org, run_id):
    return _progress(request, org, get_run(org, run_id))


def _edit(request, org, run_id, change, missing: str | None):
    """Apply one edit to a draft run; answer with the proposal (HTMX) or a redirect."""
    run = get_run(org, run_id)
    errors: list[str] = []
    if missing:
        errors = [missing]
    else:
        try:
            run = change(run)
        except ProblemError as error:
            errors = error.messages
            run.refresh_from_db()
    if request.htmx and not run.is_ready and not errors:  # a large run re-solves in a task
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("matching:run-detail", args=[org.pk, run.pk])
        return response
    if request.htmx:
        return _proposal_response(request, org, run, errors)
    for message in errors:
        messages.error(request, message)
    return redirect("matching:run-detail", org_id=org.pk, run_id=run.pk)


@org_view("matching.manage", level=SCHOOL, methods=POST_ONLY)
def run_pin(request, org, run_id):
    mentee, mentor = _int(request.POST.get("mentee")), _int(request.POST.get("mentor"))
    action = request.POST.get("action")
    return _edit(
        request,
        org,
        run_id,
        lambda run: change_pins(run, mentee=mentee, mentor=mentor, action=action),
        "Не выбрана пара." if mentee is None or mentor is None else None,
    )


@org_view("matching.manage", level=SCHOOL, methods=POST_ONLY)
def run_swap(request, org, run_id):
    mentee, mentor = _int(request.POST.get("mentee")), _int(request.POST.get("mentor"))
    return _edit(
        request,
        org,
        run_id,
        lambda run: swap(run, mentee=mentee, mentor=mentor),
        "Не выбран наставляемый." if mentee is None else None,
    )


@org_view("matching.manage", level=SCHOOL, methods=POST_ONLY)
def run_confirm(request, org, run_id):
    run = get_run(org, run_id)
    form = ConfirmForm(request.POST, org=org)
    errors: list[str] = []
    if form.is_valid():
        data = form.cleaned_data
        try:
            units = confirm(
                run,
                user=request.user,
                data=ConfirmInput(
                    grouping=data["grouping"],
                    pairing=data["pairing"],
                    format=data["format"],
                    group_format=data["group_format"],
                    start=data["start"],
                    end=data["end"],
                ),
            )
        except (ConfirmError, ProblemError) as error:
            errors = error.messages
        else:
            left = len(run.result.get("unmatched", []))
            messages.success(
                request,
                f"Сформировано пар и групп: {len(units)} (статус «Проект»)."
                + (
                    f" Без пары остались {left} — они в списке «Без пары» с причинами."
                    if left
                    else ""
                ),
            )
            return redirect("programs:unit-list", org_id=org.pk)
    context = {
        "org": org,
        "run": run,
        "p": presenter.proposal(run),
        "errors": errors,
        "confirm_form": form,
    }
    return render(request, "matching/run_detail.html", context, status=200)


@org_view("matching.view", level=SCHOOL)
def run_compare(request, org):
    picked = [_int(v) for v in request.GET.getlist("pick")][:2]
    a_id, b_id = [*picked, None, None][:2]
    a_id = _int(request.GET.get("a")) or a_id
    b_id = _int(request.GET.get("b")) or b_id
    if a_id is None or b_id is None:
        return render(request, "matching/run_compare.html", {"org": org, "missing": True})
    a, b = get_run(org, a_id), get_run(org, b_id)
    rows = presenter.compare(a, b)
    return render(
        request,
        "matching/run_compare.html",
        {
            "org": org,
            "a": a,
            "b": b,
            "rows": rows,
            "changed": sum(not r["same"] for r in rows),
        },
    )


@org_view("matching.manage", level=SCHOOL)
def matching_settings(request, org):
    settings = school_settings(org)
    form = SettingsForm(request.POST or None, instance=settings, weights=default_weights(org))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Настройки подбора сохранены.")
        return redirect("matching:run-list", org_id=org.pk)
    return render(request, "matching/settings.html", {"org": org, "form": form})


# --- self-choice ---------------------------------------------------------------------------


@org_view("matching.view", post="matching.manage", level=SCHOOL)
def request_list(request, org):
    if request.method == "POST":
        item = get_for(org, MentorRequest, _int(request.POST.get("id")))
        try:
            choice.decide(
                request=item, approve=request.POST.get("action") == "approve", by=request.user
            )
        except ChoiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Решение сохранено.")
        return redirect("matching:requests", org_id=org.pk)
    items = (
        MentorRequest.objects.of(org)
        .select_related("mentee", "mentor", "unit")
        .order_by("-created_at")[:200]
    )
    return render(
        request,
        "matching/requests.html",
        {"org": org, "items": items, "self_choice": choice.self_choice_on(org)},
    )


def _my_person(request):
    person = getattr(request.user, "person", None)
    show_org_navigation(request, person.organisation if person else None)
    return person


@login_view
def my_choice(request):
    person = _my_person(request)
    form = RequestForm(request.POST or None)
    if person is None:
        return render(request, "matching/my_choice.html", {"enabled": False, "no_person": True})
    if request.method == "POST":
        try:
            if withdraw_id := _int(request.POST.get("withdraw")):
                choice.withdraw(
                    request=get_object_or_404(MentorRequest, mentee=person, pk=withdraw_id)
                )
                messages.success(request, "Запрос отозван.")
            elif form.is_valid():
                choice.send_request(
                    person=person,
                    mentor_id=_int(request.POST.get("mentor")) or 0,
                    message=form.cleaned_data["message"],
                )
                messages.success(
                    request, "Запрос отправлен. Наставник ответит, затем куратор утвердит пару."
                )
        except ChoiceError as error:
            messages.error(request, error.message)
        return redirect("matching:my-choice")
    enabled = choice.self_choice_on(person.organisation)
    options, why = choice.options_for(person) if enabled else ([], "")
    mine = MentorRequest.objects.filter(mentee=person).select_related("mentor")[:20]
    return render(
        request,
        "matching/my_choice.html",
        {"enabled": enabled, "options": options, "why": why, "mine": mine, "form": form},
    )


@login_view
def my_requests(request):
    person = _my_person(request)
    if person is None:
        return render(request, "matching/my_requests.html", {"items": []})
    if request.method == "POST":
        item = get_object_or_404(MentorRequest, mentor=person, pk=_int(request.POST.get("id")))
        try:
            choice.answer(
                request=item,
                accept=request.POST.get("action") == "accept",
                text=request.POST.get("answer", "")[:1000],
            )
        except ChoiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Ответ отправлен куратору.")
        return redirect("matching:my-requests")
    items = MentorRequest.objects.filter(mentor=person).select_related("mentee")[:50]
    return render(request, "matching/my_requests.html", {"items": items})


# --- network matching ----------------------------------------------------------------------


def get_network_run(org, run_id) -> MatchingRun:
    return get_for(org, MatchingRun, run_id, scope=RunScope.NETWORK)


@org_view("matching.network", level=ABOVE_SCHOOL)
def network_list(request, org):
    runs = list(
        MatchingRun.objects.of(org)
        .filter(scope=RunScope.NETWORK)
        .select_related("created_by")
        .defer("snapshot", "result")[:50]
    )
    return render(request, "matching/network_list.html", {"org": org, "runs": runs})


@org_view("matching.network", level=ABOVE_SCHOOL)
def network_new(request, org):
    pool = network.network_pool(org)
    schools = dict(Organisation.objects.subtree(org).schools().values_list("pk", "short_name"))
    form = RunForm(
        request.POST or None,
        pool=pool,
        weights=default_weights(org),
        min_experience=ProgramSettings._meta.get_field("min_mentor_experience").default,
        school_names=schools,
    )
    form.fields["mentees"].help_text = (
        "Наставляемые школ округа, для которых в своей школе нет подходящего наставника "
        "со свободным местом."
    )
    form.fields["mentors"].help_text = "Наставники всех школ округа со свободными местами."
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        weights = form.weights()
        try:
            run = start_run(
                org=org,
                user=request.user,
                pool=pool,
                scope=RunScope.NETWORK,
                data=RunInput(
                    mentee_ids=data["mentees"],
                    mentor_ids=data["mentors"],
                    weights=weights,
                    min_mentor_experience=data["min_mentor_experience"],
                    objective=data["objective"],
                    pinned=[],
                    forbidden=[],
                ),
            )
        except ProblemError as error:
            errors = error.messages
        else:
            return redirect("matching:network-detail", org_id=org.pk, network_run_id=run.pk)
    return render(
        request,
        "matching/network_form.html",
        {"org": org, "form": form, "errors": errors, "pool": pool},
    )


@org_view("matching.network", level=ABOVE_SCHOOL)
def network_detail(request, org, network_run_id):
    run = get_network_run(org, network_run_id)
    if request.method == "POST":
        try:
            sent = network.send_to_schools(run)
        except network.NetworkError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Отправлено школам на согласование: {sent}.")
        return redirect("matching:network-detail", org_id=org.pk, network_run_id=run.pk)
    if not run.is_ready:
        context = {"org": org, "run": run, "progress_url": _progress_url(org, run)}
        return render(request, "matching/network_detail.html", context)
    proposals = list(
        run.proposals.select_related("mentee", "mentor", "mentee_org", "mentor_org", "unit")
    )
    p = presenter.proposal(run, _pages(request))
    return render(
        request,
        "matching/network_detail.html",
        {"org": org, "run": run, "p": p, "proposals": proposals},
    )


@org_view("matching.network", level=ABOVE_SCHOOL)
def network_progress(request, org, network_run_id):
    return _progress(request, org, get_network_run(org, network_run_id))


@org_view("matching.manage", level=SCHOOL, methods=POST_ONLY)
def network_decide(request, org):
    proposal = get_object_or_404(
        NetworkProposal.objects.filter(Q(mentee_org=org) | Q(mentor_org=org)),
        pk=_int(request.POST.get("id")),
    )
    try:
        network.decide(
            proposal=proposal,
            org=org,
            accept=request.POST.get("action") == "accept",
            by=request.user,
        )
    except network.NetworkError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Решение по сетевому предложению сохранено.")
    return redirect("matching:run-list", org_id=org.pk)


@org_view("units.view", level=SCHOOL)
def waitlist_view(request, org):
    """Mentees of the bank without a pair: why, who could take them, what support they get."""
    return render(request, "matching/waitlist.html", {"org": org, "waiting": waitlist(org)})
