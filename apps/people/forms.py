import html

from django import forms
from django.conf import settings
from django.forms.renderers import BaseRenderer, get_default_renderer
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from apps.orgs.choices import Role
from apps.orgs.forms import StyledFormMixin
from apps.orgs.params import SearchField
from apps.people.choices import Category, Level, PersonStatus
from apps.people.models import Person
from apps.people.normalize import clean_name_part, name_key


def esc(value) -> str:
    """conditional_escape, minus its lazy-string wrapper for the common plain string: what a
    page writing its rows or widgets in Python escapes each value with."""
    return html.escape(value) if type(value) is str else conditional_escape(value)


def _attrs(attrs: dict) -> str:
    # As django/forms/widgets/attrs.html.
    return "".join(
        f" {esc(name)}" if value is True else f' {esc(name)}="{esc(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    # As django/forms/widgets/input.html.
    value = widget["value"]
    value = "" if value is None else f' value="{esc(value)}"'
    kind, name = esc(widget["type"]), esc(widget["name"])
    return f'<input type="{kind}" name="{name}"{value}{_attrs(widget["attrs"])}>'


def _select(widget: dict) -> str | None:
    # As django/forms/widgets/select.html and select_option.html; None for other options.
    parts = [f'<select name="{esc(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f'\n  <optgroup label="{esc(group)}">')
        for option in options:
            if option["template_name"] != "django/forms/widgets/select_option.html":
                return None
            parts.append(
                f'\n  <option value="{esc(option["value"])}"'
                f"{_attrs(option['attrs'])}>{esc(option['label'])}</option>\n"
            )
        if group:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


_INPUTS = ("text", "search", "number", "email", "checkbox", "hidden")
PLAIN_WIDGETS = {f"django/forms/widgets/{name}.html": _input for name in _INPUTS}
PLAIN_WIDGETS["django/forms/widgets/select.html"] = _select


class PlainWidgetRenderer(BaseRenderer):
    """The project's form renderer, except that inputs and selects are written in Python: the
    markup of Django's own widget templates from the same widget context (names, ids, values,
    classes, aria-* attributes), without a template render per widget and per option (about
    0.5 ms a widget, the most of a list page's filter form). Anything else renders as usual."""

    def get_template(self, template_name):
        return get_default_renderer().get_template(template_name)

    def render(self, template_name, context, request=None):
        write = PLAIN_WIDGETS.get(template_name)
        written = write(context["widget"]) if write else None
        if written is None:
            return get_default_renderer().render(template_name, context, request)
        return mark_safe(written)


plain_widgets = PlainWidgetRenderer()


class PersonForm(StyledFormMixin, forms.ModelForm):
    subjects_text = forms.CharField(
        label=_("Преподаваемые предметы"),
        required=False,
        help_text=_("Через запятую или точку с запятой: «Математика; Информатика»."),
    )
    level_list = forms.MultipleChoiceField(
        label=_("Уровни образования"),
        required=False,
        choices=Level.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Person
        fields = [
            "last_name",
            "first_name",
            "middle_name",
            "gender",
            "birth_date",
            "position",
            "teaching_experience",
            "org_experience",
            "category",
            "mentor_title_since",
            "hired_on",
            "personnel_number",
            "contract_number",
            "contract_date",
            "education",
            "is_young_specialist",
            "email",
            "phone",
            "status",
        ]
        widgets = {
            "birth_date": forms.DateInput(attrs={"placeholder": "дд.мм.гггг"}),
            "mentor_title_since": forms.DateInput(attrs={"placeholder": "дд.мм.гггг"}),
            "hired_on": forms.DateInput(attrs={"placeholder": "дд.мм.гггг"}),
            "contract_date": forms.DateInput(attrs={"placeholder": "дд.мм.гггг"}),
        }

    def __init__(self, *args, organisation, **kwargs):
        self.organisation = organisation
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["subjects_text"].initial = "; ".join(
                s.name for s in self.instance.subjects.all()
            )
            self.fields["level_list"].initial = self.instance.level_codes
        self.fields["status"].choices = [
            c for c in PersonStatus.choices if c[0] != PersonStatus.ARCHIVED
        ] + ([] if not self.instance.pk else [(PersonStatus.ARCHIVED, PersonStatus.ARCHIVED.label)])

    def clean_last_name(self):
        return clean_name_part(self.cleaned_data["last_name"])

    def clean_first_name(self):
        return clean_name_part(self.cleaned_data["first_name"])

    def clean_middle_name(self):
        return clean_name_part(self.cleaned_data["middle_name"])

    def clean(self):
        data = super().clean()
        if data.get("last_name") and data.get("first_name"):
            key = name_key(data["last_name"], data["first_name"], data.get("middle_name", ""))
            same = (
                Person.objects.of(self.organisation)
                .filter(name_key=key, birth_date=data.get("birth_date"))
                .exclude(pk=self.instance.pk)
            )
            if same.exists():
                raise forms.ValidationError(
                    _("Сотрудник с такими ФИО и датой рождения уже есть в реестре.")
                )
        return data

    def subject_names(self) -> list[str]:
        raw = self.cleaned_data.get("subjects_text", "").replace(";", ",")
        return [s.strip() for s in raw.split(",") if s.strip()]


class PersonFilterForm(StyledFormMixin, forms.Form):
    default_renderer = plain_widgets

    q = SearchField(label=_("Поиск"), required=False)
    status = forms.ChoiceField(
        label=_("Статус"),
        required=False,
        choices=[("", _("Работают")), *PersonStatus.choices, ("all", _("Все"))],
    )
    category = forms.ChoiceField(
        label=_("Категория"), required=False, choices=[("", _("Любая")), *Category.choices]
    )
    young = forms.BooleanField(label=_("Только молодые специалисты"), required=False)
    school = forms.ModelChoiceField(label=_("Организация"), required=False, queryset=None)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        if schools is None:
            del self.fields["school"]
        else:
            self.fields["school"].queryset = schools
            self.fields["school"].empty_label = _("Все")


class InviteForm(StyledFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Роль в системе"), choices=())

    def __init__(self, *args, allowed_roles: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, Role(r).label) for r in allowed_roles]


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Файл с сотрудниками (.xlsx или .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        allow_empty_file=True,  # the reader names the empty file in its own message
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.STAFF_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("Файл «%(name)s» больше %(mb)s МБ. Разделите его на части.")
                % {"name": upload.name, "mb": limit // (1024 * 1024)}
            )
        return upload
