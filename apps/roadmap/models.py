"""The school's roadmap for an academic year: planned items of the seven stages.

Items are plans the curator edits; whether a stage is done is derived from data (status.py).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.orgs.models import Organisation
from apps.orgs.tenancy import OrgQuerySet


class RoadmapItem(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="roadmap_items"
    )
    year = models.CharField(_("учебный год"), max_length=9)
    stage = models.PositiveSmallIntegerField(_("этап"), choices=[(i, str(i)) for i in range(1, 8)])
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)
    activity = models.CharField(_("мероприятие"), max_length=300)
    content = models.TextField(_("содержание"), blank=True)
    start = models.DateField(_("начало"))
    end = models.DateField(_("окончание"))
    responsible = models.CharField(_("ответственный"), max_length=200, blank=True)
    result = models.CharField(_("ожидаемый результат"), max_length=300, blank=True)
    done_on = models.DateField(_("выполнено"), null=True, blank=True)

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("пункт дорожной карты")
        verbose_name_plural = _("дорожная карта")
        ordering = ["stage", "start", "order", "pk"]
        indexes = [models.Index(fields=["organisation", "year"], name="roadmap_org_year")]
        constraints = [
            models.CheckConstraint(condition=Q(start__lte=F("end")), name="roadmap_dates_order")
        ]

    def __str__(self) -> str:
        return self.activity
