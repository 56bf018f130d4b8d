"""Методическая копилка: materials and best practices, moderated, searchable in Russian."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.orgs.models import Organisation
from apps.orgs.tenancy import OrgQuerySet


class MaterialKind(models.TextChoices):
    MATERIAL = "material", _("Методический материал")
    PRACTICE = "practice", _("Лучшая практика")


class MaterialStatus(models.TextChoices):
    DRAFT = "draft", _("Черновик")
    MODERATION = "moderation", _("На модерации")
    PUBLISHED = "published", _("Опубликовано")


class Visibility(models.TextChoices):
    SCHOOL = "school", _("Школа")
    MUNICIPALITY = "municipality", _("Муниципалитет")
    PUBLIC = "public", _("Все")


class Audience(models.TextChoices):
    MENTORS = "mentors", _("Наставникам")
    MENTEES = "mentees", _("Наставляемым")
    ALL = "all", _("Всем педагогам")
    CURATORS = "curators", _("Кураторам")


class Material(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="materials"
    )
    kind = models.CharField(
        _("вид"), max_length=10, choices=MaterialKind.choices, default=MaterialKind.MATERIAL
    )
    title = models.CharField(_("название"), max_length=300)
    annotation = models.TextField(_("аннотация"), blank=True)
    problem = models.TextField(
        _("проблема, на решение которой направлена практика"), blank=True
    )  # a field of the competition «Лучшие практики наставничества»
    body = models.TextField(_("текст / описание практики"), blank=True)
    results = models.TextField(_("результаты и подтверждения"), blank=True)
    author = models.CharField(_("автор"), max_length=300, blank=True)
    file = models.FileField(_("файл"), upload_to="library/%Y/", blank=True)
    url = models.URLField(_("ссылка"), blank=True)
    competencies = models.JSONField(_("компетенции"), default=list, blank=True)
    forms = models.JSONField(_("формы наставничества"), default=list, blank=True)
    audience = models.CharField(
        _("для кого"), max_length=10, choices=Audience.choices, default=Audience.ALL
    )
    source_event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="materials",
        verbose_name=_("мероприятие"),
    )  # fmt: skip
    source_unit = models.ForeignKey(
        "programs.MentoringUnit", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("пара"),
    )  # fmt: skip
    status = models.CharField(
        _("статус"), max_length=12, choices=MaterialStatus.choices, default=MaterialStatus.DRAFT
    )
    visibility = models.CharField(
        _("кому видно"), max_length=12, choices=Visibility.choices, default=Visibility.SCHOOL
    )
    lemmas = models.TextField(editable=False, default="")  # for search on SQLite
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("материал копилки")
        verbose_name_plural = _("методическая копилка")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "status"], name="material_org_status")]

    def __str__(self) -> str:
        return self.title

    def search_text(self) -> str:
        return " ".join(
            [self.title, self.annotation, self.problem, self.body, self.results, self.author,
             " ".join(self.competencies), " ".join(self.forms)]
        )  # fmt: skip
