from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.documents.models import DocStatus, Document
from apps.events.models import Event
from apps.library.models import Material, MaterialStatus
from apps.orgs.forms import StyledFormMixin
from apps.people.picker import bind_picker, person_picker
from apps.publicity.models import Post, PublicPage, SocialAccount
from apps.publicity.services import NEVER_PUBLIC, sanitize
from apps.publicity.social.registry import CONNECTORS


class PostForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Post
        fields = ["title", "body", "event", "document", "material"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}
        help_texts = {
            "body": _(
                "Абзацы разделяйте пустой строкой. Можно HTML: <b>, <i>, <a href>, списки, "
                "<h3>; скрипты, стили и обработчики событий удаляются."
            ),
        }

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.of(org).order_by("-starts_at")
        self.fields["document"].queryset = (
            Document.objects.of(org)
            .filter(status=DocStatus.SIGNED)
            .exclude(kind__in=NEVER_PUBLIC)
            .order_by("-date")
        )
        self.fields["material"].queryset = (
            Material.objects.within(org)
            .filter(status=MaterialStatus.PUBLISHED)
            .order_by("-created_at")
        )
        self.fields["event"].label_from_instance = lambda e: (
            f"{timezone.localtime(e.starts_at):%d.%m.%Y} — {e.title}"
        )
        self.fields["document"].label_from_instance = lambda d: (
            f"№ {d.number} от {d.date:%d.%m.%Y} — {d.title}"
        )

    def clean_body(self):
        body = sanitize(self.cleaned_data["body"])
        if len(body) > 50_000:
            raise forms.ValidationError(_("Текст слишком длинный: до 50 000 знаков."))
        return body


class ImageForm(StyledFormMixin, forms.Form):
    image = forms.FileField(label=_("Фотография (JPEG, PNG, WebP, до 10 МБ)"))
    alt = forms.CharField(
        label=_("Что на фото"),
        max_length=300,
        help_text=_("Короткое описание для незрячих читателей и для версии без изображений."),
    )
    people = person_picker(
        label=_("Кто на фото (найдите и отметьте сотрудников)"),
        help_text=_("Отмеченные сотрудники должны дать согласие на распространение фотографии."),
    )

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        bind_picker(self.fields["people"], org=org, scope="current")


class PublicPageForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = PublicPage
        fields = [
            "is_published", "about", "contact_name", "contact_position", "contact_email",
            "contact_phone",
        ]  # fmt: skip
        widgets = {"about": forms.Textarea(attrs={"rows": 5})}


class SocialAccountForm(StyledFormMixin, forms.ModelForm):
    """The token is write-only: the field is always empty; leaving it empty keeps the saved one."""

    token = forms.CharField(
        label=_("Ключ доступа (токен)"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )

    class Meta:
        model = SocialAccount
        fields = ["target", "token", "is_active"]

    def __init__(self, *args, network: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.connector = CONNECTORS[network]
        self.fields["target"].label = self.connector.target_label
        saved = bool(self.instance.pk and self.instance.token)
        self.fields["token"].help_text = (
            _("Ключ сохранён и больше не показывается. Чтобы заменить — введите новый.")
            if saved
            else _("После сохранения ключ не показывается никому.")
        )
        self.fields["token"].required = not saved
        for key, label in self.connector.extra_fields:
            secret = "secret" in key
            self.fields[key] = forms.CharField(
                label=label,
                required=not (saved and secret),
                widget=forms.PasswordInput(render_value=False) if secret else None,
                initial=None if secret else (self.instance.extra or {}).get(key, ""),
            )

    def clean_target(self):
        target = self.cleaned_data["target"].strip()
        if self.connector.network in ("vk", "ok"):
            target = target.lstrip("-")
            if not target.isdigit():
                raise forms.ValidationError(_("Нужен числовой ID (только цифры)."))
        if self.connector.network == "max" and not target.lstrip("-").isdigit():
            raise forms.ValidationError(_("Нужен числовой chat_id канала (можно с минусом)."))
        return target

    def save(self, commit=True):
        account = super().save(commit=False)
        if not self.cleaned_data.get("token"):
            account.token = SocialAccount.objects.get(pk=account.pk).token
        extra = dict(account.extra or {})
        for key, _label in self.connector.extra_fields:
            if self.cleaned_data.get(key):
                extra[key] = self.cleaned_data[key].strip()
        account.extra = extra
        if commit:
            account.save()
        return account
