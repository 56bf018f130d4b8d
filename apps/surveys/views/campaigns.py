"""Campaigns: send a template to chosen staff, follow who answered, read the results."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render

from apps.orgs.access import POST_ONLY, SCHOOL, org_view
from apps.surveys.forms import CampaignForm
from apps.surveys.models import Campaign
from apps.surveys.services import LinkRefused, campaign_results, create_campaign, reissue_link
from apps.surveys.tasks import send_reminders
from apps.surveys.views.answer import answer_context


def get_campaign(org, campaign_id: int) -> Campaign:
    return get_object_or_404(org.survey_campaigns.select_related("template"), pk=campaign_id)


@org_view("surveys.view", level=SCHOOL)
def campaign_list(request, org):
    campaigns = org.survey_campaigns.select_related("template").annotate(
        invited=Count("invitations"),
        submitted=Count("invitations", filter=Q(invitations__submitted_at__isnull=False)),
    )
    return render(request, "surveys/campaign_list.html", {"org": org, "campaigns": campaigns})


@org_view("surveys.manage", level=SCHOOL)
def campaign_create(request, org):
    form = CampaignForm(request.POST or None, org=org, initial=request.GET.dict() or None)
    if request.method == "POST" and "select" in request.POST:
        # «Отобрать»: tick everybody matching the filters; the rest of the form stays as typed
        # and is not validated yet.
        form.is_valid()
        initial = {k: v for k, v in request.POST.items() if k not in ("people", "select")}
        initial["people"] = [p.pk for p in form.filtered_people()]
        form = CampaignForm(org=org, initial=initial)
    elif request.method == "POST" and form.is_valid():
        if not form.cleaned_data["people"]:
            form.add_error("people", "Отметьте, кому отправить анкету.")
        else:
            campaign = create_campaign(
                org=org,
                template=form.cleaned_data["template"],
                title=form.cleaned_data["title"],
                deadline=form.cleaned_data["deadline"],
                people=form.cleaned_data["people"],
                created_by=request.user,
            )
            messages.success(
                request,
                f"Опрос создан: приглашений {campaign.invitations.count()}. Письма с личными "
                "ссылками отправляются тем, у кого указан e-mail.",
            )
            return redirect("surveys:campaign-detail", org_id=org.pk, campaign_id=campaign.pk)
    return render(request, "surveys/campaign_form.html", {"org": org, "form": form})


@org_view("surveys.view", level=SCHOOL)
def campaign_detail(request, org, campaign_id):
    campaign = get_campaign(org, campaign_id)
    invitations = (
        campaign.invitations.select_related("person")
        .annotate(answered=Count("answers"))
        .order_by("person__last_name", "person__first_name")
    )
    return render(
        request,
        "surveys/campaign_detail.html",
        {"org": org, "campaign": campaign, "invitations": invitations},
    )


@org_view("surveys.manage", level=SCHOOL, methods=POST_ONLY)
def campaign_remind(request, org, campaign_id):
    campaign = get_campaign(org, campaign_id)
    send_reminders.enqueue(campaign.pk)
    messages.success(request, "Напоминания поставлены в очередь отправки.")
    return redirect("surveys:campaign-detail", org_id=org.pk, campaign_id=campaign.pk)


@org_view("surveys.view", level=SCHOOL)
def campaign_results_view(request, org, campaign_id):
    campaign = get_campaign(org, campaign_id)
    counts = campaign.invitations.aggregate(
        invited=Count("pk"), submitted=Count("pk", filter=Q(submitted_at__isnull=False))
    )
    return render(
        request,
        "surveys/campaign_results.html",
        {"org": org, "campaign": campaign, "results": campaign_results(campaign), **counts},
    )


@org_view("surveys.view", level=SCHOOL)
def invitation_detail(request, org, campaign_id, invitation_id):
    campaign = get_campaign(org, campaign_id)
    invitation = get_object_or_404(campaign.invitations.select_related("person"), pk=invitation_id)
    context = answer_context(invitation)
    context.update({"org": org, "campaign": campaign, "readonly": True})
    return render(request, "surveys/answer.html", context)


@org_view("surveys.manage", level=SCHOOL, methods=POST_ONLY)
def invitation_reissue(request, org, campaign_id, invitation_id):
    campaign = get_campaign(org, campaign_id)
    invitation = get_object_or_404(campaign.invitations.select_related("person"), pk=invitation_id)
    try:
        reissue_link(invitation=invitation)
    except LinkRefused as refused:
        messages.error(request, f"{invitation.person.full_name}: {refused}")
    else:
        messages.success(
            request,
            f"Для «{invitation.person.full_name}» выпущена новая личная ссылка (в таблице ниже); "
            "прежняя больше не открывается. Передайте новую ссылку сотруднику.",
        )
    return redirect("surveys:campaign-detail", org_id=org.pk, campaign_id=campaign.pk)
