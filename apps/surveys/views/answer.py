"""Answering a questionnaire: by personal link (no log-in) or from «Мои анкеты»."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from apps.orgs.access import login_view, public_view, show_org_navigation
from apps.surveys.models import Invitation
from apps.surveys.services import (
    LinkRefused,
    SurveyClosed,
    invitation_by_token,
    save_answers,
    submit,
)


def _invitation_qs():
    return Invitation.objects.select_related(
        "person", "campaign__template", "campaign__organisation"
    )


def answer_context(invitation: Invitation) -> dict:
    template = invitation.campaign.template
    sections = list(template.sections.prefetch_related("questions"))
    return {
        "invitation": invitation,
        "template": template,
        "sections": sections,
        "questions": [q for s in sections for q in s.questions.all()],
        "competencies": list(invitation.campaign.organisation.competencies.filter(is_active=True)),
        "answers": {a.question_id: a.value for a in invitation.answers.all()},
    }


def _answer(request, invitation: Invitation, page_url: str):
    context = answer_context(invitation)
    errors: dict[int, str] = {}
    if request.method == "POST":
        try:
            result = save_answers(
                invitation=invitation,
                questions=context["questions"],
                competency_ids=[c.pk for c in context["competencies"]],
                data=dict(request.POST.lists()),
            )
        except SurveyClosed as closed:
            messages.error(request, str(closed))
            return redirect(page_url)
        errors = result.errors
        if request.htmx:
            return render(
                request,
                "surveys/answer.html#save-status",
                {"errors": errors, "saved": result.saved},
            )
        if not errors and "send" in request.POST:
            missing = submit(invitation=invitation, questions=context["questions"])
            if not missing:
                messages.success(request, "Спасибо! Анкета отправлена. Изменить ответы можно "
                                          "до окончания срока по этой же ссылке.")  # fmt: skip
                return redirect(page_url)
            errors = {q.pk: "Это обязательный вопрос." for q in missing}
        elif not errors:
            messages.success(request, "Ответы сохранены.")
            return redirect(page_url)
        context = answer_context(invitation)
        # Show what the person typed in fields that failed, not the stored value.
        for question_id in errors:
            context["answers"].pop(question_id, None)
    context.update({"errors": errors, "page_url": page_url})
    return render(request, "surveys/answer.html", context)


@public_view
def answer_by_link(request, token):
    try:
        invitation = invitation_by_token(token, queryset=_invitation_qs())
    except LinkRefused as refused:
        return render(
            request,
            "surveys/link_invalid.html",
            {"reason": str(refused)},
            status=refused.status,
        )
    return _answer(request, invitation, request.path)


@login_view
def my_surveys(request):
    invitations = _invitation_qs().filter(person__user=request.user).order_by("-campaign__deadline")
    # Bank profiles belong to the banks app (built on top of surveys): read them by relation.
    person = getattr(request.user, "person", None)
    show_org_navigation(request, person.organisation if person else None)
    profiles = person.bank_profiles.select_related("organisation") if person else []
    return render(
        request, "surveys/my_surveys.html", {"invitations": invitations, "profiles": profiles}
    )


@login_view
def my_survey_answer(request, invitation_id):
    invitation = get_object_or_404(_invitation_qs(), pk=invitation_id, person__user=request.user)
    return _answer(request, invitation, request.path)
