"""Curator's template editor: templates, sections, questions, competency catalogue."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render

from apps.orgs.access import POST_ONLY, SCHOOL, org_view
from apps.orgs.tenancy import get_for
from apps.surveys.forms import CompetencyForm, QuestionForm, SectionForm, TemplateForm
from apps.surveys.models import Competency, Question, SurveyTemplate
from apps.surveys.services import copy_template, install_shipped, move_question, next_question_order


def get_template(org, template_id: int) -> SurveyTemplate:
    return get_object_or_404(org.survey_templates, pk=template_id)


def get_question(org, question_id: int) -> Question:
    return get_for(org, Question.objects.select_related("template", "section"), question_id)


@org_view("surveys.view", level=SCHOOL)
def template_list(request, org):
    templates = org.survey_templates.annotate(
        question_count=Count("questions", distinct=True),
        campaign_count=Count("campaigns", distinct=True),
    )
    return render(request, "surveys/template_list.html", {"org": org, "templates": templates})


@org_view("surveys.manage", level=SCHOOL, methods=POST_ONLY)
def template_install(request, org):
    install_shipped(org=org)
    messages.success(request, "Типовые анкеты и каталог компетенций добавлены.")
    return redirect("surveys:template-list", org_id=org.pk)


@org_view("surveys.manage", level=SCHOOL)
def template_create(request, org):
    form = TemplateForm(request.POST or None, instance=SurveyTemplate(organisation=org))
    if request.method == "POST" and form.is_valid():
        template = form.save()
        template.sections.create(title="Основной раздел", order=1)
        return redirect("surveys:template-detail", org_id=org.pk, template_id=template.pk)
    return render(request, "surveys/template_form.html", {"org": org, "form": form})


@org_view("surveys.manage", level=SCHOOL)
def template_edit(request, org, template_id):
    template = get_template(org, template_id)
    form = TemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("surveys:template-detail", org_id=org.pk, template_id=template.pk)
    return render(
        request, "surveys/template_form.html", {"org": org, "form": form, "template": template}
    )


@org_view("surveys.view", level=SCHOOL)
def template_detail(request, org, template_id):
    template = get_template(org, template_id)
    sections = template.sections.prefetch_related("questions")
    return render(
        request,
        "surveys/template_detail.html",
        {
            "org": org,
            "template": template,
            "sections": sections,
            "locked": template.has_answers,
            "section_form": SectionForm(),
        },
    )


@org_view("surveys.view", level=SCHOOL)
def template_preview(request, org, template_id):
    template = get_template(org, template_id)
    return render(
        request,
        "surveys/answer.html",
        {
            "org": org,
            "template": template,
            "sections": template.sections.prefetch_related("questions"),
            "competencies": org.competencies.filter(is_active=True),
            "answers": {},
            "preview": True,
        },
    )


@org_view("surveys.manage", level=SCHOOL, methods=POST_ONLY)
def template_copy(request, org, template_id):
    copy = copy_template(template=get_template(org, template_id))
    messages.success(request, f"Создана версия {copy.version}: её можно свободно править.")
    return redirect("surveys:template-detail", org_id=org.pk, template_id=copy.pk)


@org_view("surveys.manage", level=SCHOOL, methods=POST_ONLY)
def section_create(request, org, template_id):
    template = get_template(org, template_id)
    form = SectionForm(request.POST)
    if form.is_valid():
        form.instance.template = template
        form.instance.order = template.sections.count() + 1
        form.save()
    else:
        messages.error(request, "Укажите название раздела.")
    return redirect("surveys:template-detail", org_id=org.pk, template_id=template.pk)


@org_view("surveys.manage", level=SCHOOL)
def question_create(request, org, template_id):
    template = get_template(org, template_id)
    question = Question(template=template, order=next_question_order(template))
    form = QuestionForm(
        request.POST or None,
        instance=question,
        template=template,
        initial={"section": request.GET.get("section")},
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Вопрос добавлен.")
        return redirect("surveys:template-detail", org_id=org.pk, template_id=template.pk)
    return render(
        request,
        "surveys/question_form.html",
        {"org": org, "form": form, "template": template},
    )


@org_view("surveys.manage", level=SCHOOL)
def question_edit(request, org, question_id):
    question = get_question(org, question_id)
    template = question.template
    form = QuestionForm(
        request.POST or None, instance=question, template=template, locked=template.has_answers
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Вопрос сохранён.")
        return redirect("surveys:template-detail", org_id=org.pk, template_id=template.pk)
    return render(
        request,
        "surveys/question_form.html",
        {"org": org, "form": form, "template": template, "question": question},
    )


@org_view("surveys.manage", level=SCHOOL, methods=POST_ONLY)
def question_move(request, org, question_id):
    question = get_question(org, question_id)
    move_question(question=question, step=-1 if request.POST.get("direction") == "up" else 1)
    return redirect("surveys:template-detail", org_id=org.pk, template_id=question.template_id)


@org_view("surveys.manage", level=SCHOOL, methods=POST_ONLY)
def question_delete(request, org, question_id):
    question = get_question(org, question_id)
    if question.answers.exists():
        messages.error(
            request,
            "На этот вопрос уже отвечали — удалить его нельзя. Создайте новую версию шаблона.",
        )
    else:
        question.delete()
        messages.success(request, "Вопрос удалён.")
    return redirect("surveys:template-detail", org_id=org.pk, template_id=question.template_id)


@org_view("surveys.view", post="surveys.manage", level=SCHOOL)
def competency_list(request, org):
    form = CompetencyForm(request.POST or None, prefix="new", instance=Competency(organisation=org))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Компетенция добавлена.")
        return redirect("surveys:competency-list", org_id=org.pk)
    return render(
        request,
        "surveys/competency_list.html",
        {"org": org, "competencies": org.competencies.all(), "form": form},
    )


@org_view("surveys.manage", level=SCHOOL)
def competency_edit(request, org, competency_id):
    competency = get_object_or_404(org.competencies, pk=competency_id)
    form = CompetencyForm(request.POST or None, instance=competency)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Компетенция сохранена.")
        return redirect("surveys:competency-list", org_id=org.pk)
    return render(
        request,
        "surveys/competency_form.html",
        {"org": org, "form": form, "competency": competency},
    )
