import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.orgs.forms import StyledFormMixin
from apps.orgs.params import SearchField
from apps.people.choices import Level
from apps.people.picker import bind_picker, person_picker
from apps.surveys.models import Competency, Question, QuestionKind, Section, SurveyTemplate


class TemplateForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = SurveyTemplate
        fields = ["title", "purpose", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class SectionForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Section
        fields = ["title"]


class QuestionForm(StyledFormMixin, forms.ModelForm):
    choices_text = forms.CharField(
        label=_("Варианты ответа"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Для вопросов с выбором: каждый вариант с новой строки."),
    )

    class Meta:
        model = Question
        fields = [
            "section",
            "kind",
            "text",
            "help_text",
            "required",
            "scale_min",
            "scale_max",
            "profile_field",
        ]
        labels = {"section": _("Раздел")}

    def __init__(self, *args, template: SurveyTemplate, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.locked = locked
        self.fields["section"].queryset = template.sections.all()
        self.fields["section"].empty_label = None
        if self.instance.pk:
            self.fields["choices_text"].initial = "\n".join(self.instance.choices)
        if locked:
            # Answers exist: the meaning of stored answers must not change under them.
            for name in ("kind", "scale_min", "scale_max", "choices_text", "section"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "На анкету уже ответили: тип, шкалу и варианты менять нельзя — "
                    "создайте новую версию шаблона."
                )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        choices = [c.strip() for c in data.get("choices_text", "").splitlines() if c.strip()]
        if self.locked:
            choices = list(self.instance.choices)
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            if len(choices) < 2:
                self.add_error("choices_text", _("Укажите хотя бы два варианта ответа."))
            if len(set(choices)) != len(choices):
                self.add_error("choices_text", _("Варианты ответа повторяются."))
        self.instance.choices = (
            choices if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) else []
        )
        low, high = data.get("scale_min"), data.get("scale_max")
        scaled = kind in (QuestionKind.SCALE, QuestionKind.GRID)
        if scaled and low is not None and high is not None and not 0 <= low < high <= 10:
            self.add_error("scale_max", _("Шкала — от 0 до 10, начало меньше конца."))
        return data


class CompetencyForm(StyledFormMixin, forms.ModelForm):
    """The instance must carry its organisation: the name is unique within it."""

    class Meta:
        model = Competency
        fields = ["name", "description", "order", "is_active"]

    def clean_name(self):
        # The unique constraint spans `organisation`, which is not a form field, so Django's
        # own check skips it and a duplicate would reach the database as an IntegrityError.
        name = self.cleaned_data["name"].strip()
        taken = Competency.objects.of(self.instance.organisation).filter(name=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Компетенция «%(name)s» уже есть.") % {"name": name})
        return name


class CampaignForm(StyledFormMixin, forms.Form):
    template = forms.ModelChoiceField(label=_("Шаблон анкеты"), queryset=None)
    title = forms.CharField(label=_("Название опроса"), max_length=300)
    deadline = forms.DateField(
        label=_("Ответить до"), widget=forms.DateInput(attrs={"placeholder": "дд.мм.гггг"})
    )
    position = SearchField(label=_("Должность содержит"), required=False)
    level = forms.ChoiceField(
        label=_("Уровень образования"), required=False, choices=[("", _("Любой")), *Level.choices]
    )
    young = forms.BooleanField(label=_("Молодые специалисты"), required=False)
    newcomers = forms.BooleanField(label=_("Принятые за последний год"), required=False)
    combine = forms.ChoiceField(
        label=_("Как сочетать условия"),
        choices=[("all", _("все условия сразу (и)")), ("any", _("любое из условий (или)"))],
        initial="all",
        required=False,
        widget=forms.RadioSelect,
    )
    people = person_picker(
        label=_("Кому отправить"),
        help_text=_(
            "Найдите и отметьте вручную или воспользуйтесь фильтрами и кнопкой «Отобрать»."
        ),
    )

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = org.survey_templates.filter(is_archived=False)
        bind_picker(self.fields["people"], org=org, scope="active")

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("Срок ответа уже прошёл — укажите будущую дату."))
        return deadline

    def filtered_people(self):
        """People matching the filters (used by «Отобрать» to tick the boxes)."""
        people = self.fields["people"].queryset
        data = getattr(self, "cleaned_data", {})
        conditions = []
        if data.get("position"):
            conditions.append(Q(position__icontains=data["position"]))
        if data.get("level"):
            conditions.append(Q(levels__contains=data["level"]))
        if data.get("young"):
            conditions.append(Q(is_young_specialist=True))
        if data.get("newcomers"):
            today = timezone.localdate()
            conditions.append(Q(hired_on__gte=today - datetime.timedelta(days=365)))
        if not conditions:
            return people
        joined = conditions[0]
        for condition in conditions[1:]:
            joined = (joined | condition) if data.get("combine") == "any" else (joined & condition)
        return people.filter(joined)
