"""The home page, the organisation dashboard and the stage pages: they read every app."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from apps.core.years import academic_year
from apps.orgs.access import can, login_view, org_view
from apps.orgs.choices import Role
from apps.orgs.models import Organisation, membership_paths
from apps.orgs.stages import STAGES, get_stage
from apps.overview import next_steps, tree
from apps.people.choices import ConsentKind
from apps.people.consents import consent_state
from apps.people.models import Person
from apps.people.queries import dashboard_summary
from apps.roadmap.status import school_stages


@login_view
def home(request):
    """Send the user to their organisation; with several, let them choose."""
    ids = {int(path.strip("/").split("/")[-1]) for path, _role in membership_paths(request.user)}
    orgs = list(Organisation.objects.filter(pk__in=ids))
    if len(orgs) == 1:
        return redirect("overview:org-dashboard", org_id=orgs[0].pk)
    return render(request, "overview/home.html", {"orgs": orgs})


@org_view("org.view")
def dashboard(request, org):
    context = {
        "org": org,
        "stages": STAGES,
        "role_labels": [Role(r).label for r in Role.values if r in request.roles],
    }
    person = Person.objects.filter(user=request.user).first()
    context["my_person"] = person if person and person.organisation_id == org.pk else None
    if context["my_person"]:
        consents = list(person.consents.order_by("-given_on", "-pk"))
        today = timezone.localdate()
        # Only the consents this person's roles call for: a mentee signs no mentor's duties.
        roles = request.roles.own
        needed = {ConsentKind.PROCESSING, ConsentKind.DISTRIBUTION}
        needed |= {ConsentKind.DUTIES_MENTOR} if Role.MENTOR in roles else set()
        needed |= {ConsentKind.DUTIES_MENTEE} if Role.MENTEE in roles else set()
        context["my_consents"] = [
            (label, consent_state(consents, code, today))
            for code, label in ConsentKind.choices
            if code in needed
        ]
    if can(request, "staff.view"):
        context["summary"] = dashboard_summary(org)
        if not org.is_school:
            context["branches"] = tree.branches(org)
    context["ancestors"] = tree.ancestors(org, request.user)
    context["plans"] = _plans(request, org, context["my_person"])
    return render(request, "overview/dashboard.html", context)


def _plans(request, org, person) -> list[tuple[str, next_steps.Plan]]:
    """«Что сделать дальше» for each role the user holds here, from the live data."""
    if not org.is_school:
        return []
    today = timezone.localdate()
    roles = request.roles
    plans = []
    if Role.CURATOR in roles:
        plans.append(("Куратору", next_steps.curator_plan(org, today)))
    if Role.HEAD in roles:
        plans.append(("Руководителю", next_steps.head_plan(org)))
    if person is not None and Role.MENTOR in roles:
        plans.append(("Наставнику", next_steps.mentor_plan(person, today)))
    if person is not None and Role.MENTEE in roles:
        plans.append(("Наставляемому", next_steps.mentee_plan(person, today)))
    return plans


@org_view("org.view")
def stage_detail(request, org, number):
    stage = get_stage(number)
    if stage is None:
        raise Http404
    state = None
    if org.is_school:
        state = school_stages(org, academic_year())[number - 1]
    return render(
        request, "overview/stage_detail.html", {"org": org, "stage": stage, "state": state}
    )
