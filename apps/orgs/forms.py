from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.template import loader
from django.utils.translation import gettext_lazy as _

from apps.core.validators import guard_text_fields
from apps.orgs.choices import OrgKind, Role
from apps.orgs.models import Organisation

# What may stand directly under each level of the tree: region → municipality → school.
CHILD_KINDS = {OrgKind.REGION: (OrgKind.MUNICIPALITY,), OrgKind.MUNICIPALITY: (OrgKind.SCHOOL,)}


class StyledFormMixin:
    """Bootstrap classes on every widget, `is-invalid` on fields with errors, and no control
    characters in any text field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                css = "form-check-input"  # applied to every option's input
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()

    def full_clean(self):
        # Invisible control characters break every export and document later: refuse them in
        # every text field. Here, not in __init__, so fields and labels a subclass sets count.
        guard_text_fields(self.fields)
        # Mark invalid fields after validation; touching self.errors in __init__ would validate
        # before subclasses finish setting up their fields (e.g. the allowed choices).
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()


class OrganisationForm(StyledFormMixin, forms.ModelForm):
    website = forms.URLField(label=_("Сайт"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "name",
            "name_gen",
            "name_dat",
            "name_loc",
            "short_name",
            "inn",
            "ogrn",
            "city",
            "address",
            "head_position",
            "head_name",
            "website",
            "email",
            "phone",
            "logo",
            "require_two_factor",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for case in ("gen", "dat", "loc"):
            field = self.fields.get(f"name_{case}")
            if field is not None and self.instance.name:
                automatic = (
                    self.instance.name_in(case)
                    if not getattr(self.instance, f"name_{case}")
                    else ""
                )
                field.help_text = (
                    f"Пусто — склоняется автоматически: «{automatic}»."
                    if automatic
                    else "Заполнено вручную; очистите поле, чтобы склонять автоматически."
                )

    def clean_inn(self):
        inn = self.cleaned_data["inn"].strip()
        if inn and (not inn.isdigit() or len(inn) not in (10, 12)):
            raise forms.ValidationError(_("ИНН — 10 или 12 цифр."))
        return inn

    def clean_ogrn(self):
        ogrn = self.cleaned_data["ogrn"].strip()
        if ogrn and (not ogrn.isdigit() or len(ogrn) not in (13, 15)):
            raise forms.ValidationError(_("ОГРН — 13 или 15 цифр."))
        return ogrn

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "size") and logo.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("Логотип больше 2 МБ — уменьшите изображение."))
        return logo


class ChildOrganisationForm(OrganisationForm):
    """A new organisation below `parent`: a municipality under a region, a school under a
    municipality (CHILD_KINDS); with one kind possible the choice is not shown."""

    kind = forms.ChoiceField(label=_("Тип"), choices=())

    class Meta(OrganisationForm.Meta):
        fields = ["kind", "slug", *OrganisationForm.Meta.fields]

    def __init__(self, *args, parent: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = CHILD_KINDS.get(parent.kind, ())
        self.fields["kind"].choices = [(k, OrgKind(k).label) for k in kinds]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0]
            self.fields["kind"].widget = forms.HiddenInput()
        self.fields["slug"].help_text = _(
            "Латиница, цифры и дефис: адрес публичной страницы, например school-7-ensk."
        )

    def clean_slug(self):
        slug = self.cleaned_data["slug"].strip().lower()
        taken = Organisation.objects.filter(slug=slug).first()
        if taken is not None:
            raise forms.ValidationError(
                _("Адрес «%(slug)s» уже занят организацией «%(org)s» — выберите другой."),
                params={"slug": slug, "org": taken.short_name},
            )
        return slug


class MembershipForm(StyledFormMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail пользователя"))
    full_name = forms.CharField(label=_("ФИО"), max_length=300, required=False)
    role = forms.ChoiceField(label=_("Роль"), choices=Role.choices)

    def __init__(self, *args, allowed_roles: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, Role(r).label) for r in allowed_roles]


class QueuedPasswordResetForm(StyledFormMixin, PasswordResetForm):
    """Django's reset form, but the letter goes to a background task: a mail server that is
    down never turns «Забыли пароль?» into a 500 (and never tells whether the address exists)."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email,
        html_email_template_name=None,
    ):  # fmt: skip
        from apps.orgs.tasks import send_password_reset_mail

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        send_password_reset_mail.enqueue(subject, body, to_email)
