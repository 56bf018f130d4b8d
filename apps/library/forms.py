from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.core.uploads import OFFICE_TYPES, SCAN_TYPES, validate_upload
from apps.library.models import Material
from apps.orgs.forms import StyledFormMixin
from apps.programs.models import MentoringUnit

MATERIAL_TYPES = {**SCAN_TYPES, **OFFICE_TYPES}


class MaterialForm(StyledFormMixin, forms.ModelForm):
    url = forms.URLField(label=_("Ссылка"), required=False, assume_scheme="https")
    competencies_text = forms.CharField(
        label=_("Компетенции (через запятую)"), required=False, max_length=500
    )

    class Meta:
        model = Material
        fields = ["kind", "title", "annotation", "problem", "body", "results", "author", "file",
                  "url", "audience", "visibility", "source_unit"]  # fmt: skip
        widgets = {
            "annotation": forms.Textarea(attrs={"rows": 3}),
            "problem": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 6}),
            "results": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, org=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "source_unit" in self.fields:
            units = MentoringUnit.objects.none()
            if org is not None and org.is_school:
                units = MentoringUnit.objects.of(org).select_related("mentor")
            self.fields["source_unit"].queryset = units
            self.fields["source_unit"].label = _("Практика пары (необязательно)")
            self.fields["source_unit"].label_from_instance = lambda u: (
                f"{u.mentor.short_name} — {u.format}, {u.start_date:%d.%m.%Y}"
            )
            if not units:
                del self.fields["source_unit"]
        if self.instance.pk:
            self.initial["competencies_text"] = ", ".join(self.instance.competencies)
        if "results" in self.fields:
            self.fields["results"].help_text = _(
                "Для лучшей практики: что получилось и чем это видно."
            )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):
            validate_upload(
                upload, types=MATERIAL_TYPES, max_bytes=settings.LIBRARY_MAX_BYTES,
                what="материал",
            )  # fmt: skip
        return upload

    def clean(self):
        data = super().clean()
        if not (data.get("body") or data.get("file") or data.get("url") or self.instance.file):
            raise forms.ValidationError(_("Добавьте текст, файл или ссылку."))
        data["competencies"] = [
            c.strip() for c in (data.get("competencies_text") or "").split(",") if c.strip()
        ][:20]
        return data

    def save(self, commit=True):
        self.instance.competencies = self.cleaned_data["competencies"]
        return super().save(commit)
