from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render

from apps.audit.display import MODEL_LABELS, describe
from apps.audit.models import Action, AuditEvent
from apps.orgs.access import org_view
from apps.orgs.params import date_param, search_text


@org_view("audit.view")
def journal(request, org):
    events = AuditEvent.objects.within(org)
    query = search_text(request.GET.get("q"), 100)
    if query:
        events = events.filter(
            Q(user_label__icontains=query) | Q(object_label__icontains=query)
            | Q(object_id=query)
        )  # fmt: skip
    model = request.GET.get("model", "")
    if model in MODEL_LABELS:
        events = events.filter(model=model)
    action = request.GET.get("action", "")
    if action in Action.values:
        events = events.filter(action=action)
    since, until = date_param(request.GET.get("from")), date_param(request.GET.get("to"))
    if since:
        events = events.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
    page = Paginator(events.select_related("organisation"), 50).get_page(request.GET.get("page"))
    for event, shown in zip(page, describe(list(page), request.roles), strict=True):
        event.shown = shown
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "audit/journal.html",
        {
            "org": org,
            "page": page,
            "models": MODEL_LABELS.items(),
            "actions": Action.choices,
            "filters": {"q": query, "model": model, "action": action,
                        "from": request.GET.get("from", ""), "to": request.GET.get("to", "")},
            "query": params.urlencode(),
        },
    )  # fmt: skip
