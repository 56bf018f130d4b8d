"""Who sees what in the library, and moderation."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet

from apps.library.models import Material, MaterialStatus, Visibility
from apps.library.search import index
from apps.orgs.models import Organisation


class ModerationError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def network_root(org: Organisation) -> Organisation:
    """The municipality a school belongs to (or the organisation itself above schools)."""
    return org.parent if org.is_school and org.parent_id else org


def visible(org: Organisation, *, manager: bool) -> QuerySet:
    """Published materials the organisation may see; managers also see their own drafts."""
    root = network_root(org)
    published = Q(status=MaterialStatus.PUBLISHED)
    own = Material.objects.q_within(org)
    mine = own if manager else own & published
    return Material.objects.filter(
        mine
        | published & Q(visibility=Visibility.PUBLIC)
        | published & Q(visibility=Visibility.MUNICIPALITY) & Material.objects.q_within(root)
    ).select_related("organisation")


@transaction.atomic
def save_material(material: Material, *, by) -> Material:
    if material.pk is None:
        material.created_by = by
    material.save()
    index(material)
    return material


TRANSITIONS = {
    "submit": ({MaterialStatus.DRAFT}, MaterialStatus.MODERATION),
    "publish": ({MaterialStatus.DRAFT, MaterialStatus.MODERATION}, MaterialStatus.PUBLISHED),
    "return": ({MaterialStatus.MODERATION, MaterialStatus.PUBLISHED}, MaterialStatus.DRAFT),
}


@transaction.atomic
def moderate(material: Material, action: str, *, visibility: str | None = None) -> Material:
    material = Material.objects.select_for_update().get(pk=material.pk)
    if action == "promote":
        if visibility not in Visibility.values:
            raise ModerationError("Неизвестный уровень видимости.")
        if material.status != MaterialStatus.PUBLISHED:
            raise ModerationError("Сначала опубликуйте материал.")
        material.visibility = visibility
        material.save(update_fields=["visibility"])
        return material
    allowed, target = TRANSITIONS.get(action, (set(), None))
    if material.status not in allowed:
        raise ModerationError(f"Из статуса «{material.get_status_display()}» так нельзя.")
    material.status = target
    material.save(update_fields=["status"])
    return material
