"""Keep the public pages fresh, propose news drafts, honour withdrawn consents."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from apps.documents.models import DocStatus, Document
from apps.events.models import Event
from apps.library.models import Material
from apps.notifications.receivers import role_users
from apps.notifications.services import notify
from apps.orgs.choices import Role
from apps.orgs.models import Organisation
from apps.people.choices import ConsentKind
from apps.people.models import Consent, Person
from apps.publicity import cache
from apps.publicity.models import Post, PostImage, PostStatus, PublicPage
from apps.roadmap.models import RoadmapItem


@receiver([post_save, post_delete], sender=Post)
@receiver([post_save, post_delete], sender=PublicPage)
@receiver([post_save, post_delete], sender=Event)
@receiver([post_save, post_delete], sender=Document)
@receiver([post_save, post_delete], sender=Material)
@receiver([post_save, post_delete], sender=RoadmapItem)
def organisation_changed(sender, instance, **kwargs):
    cache.bump_id(instance.organisation_id)


@receiver([post_save, post_delete], sender=PostImage)
def image_changed(sender, instance, **kwargs):
    cache.bump_id(
        Post.objects.filter(pk=instance.post_id).values_list("organisation_id", flat=True).first()
    )


@receiver(post_save, sender=Organisation)
def org_changed(sender, instance, **kwargs):
    cache.bump(instance)
    cache.forget_slug(instance.slug)


@receiver([post_save, post_delete], sender=PublicPage)
def page_changed(sender, instance, **kwargs):
    slug = Organisation.objects.filter(pk=instance.organisation_id).values_list("slug", flat=True)
    cache.forget_slug(slug.first() or "")


@receiver(post_save, sender=Document)
def document_signed(sender, instance, **kwargs):
    if instance.status == DocStatus.SIGNED:
        from apps.publicity.services import propose_for_document

        transaction.on_commit(lambda: propose_for_document(instance))


@receiver(post_save, sender=Event)
def event_saved(sender, instance, **kwargs):
    if instance.ends_at and instance.ends_at <= timezone.now():
        from apps.publicity.services import propose_for_event

        transaction.on_commit(lambda: propose_for_event(instance))


@receiver([post_save, post_delete], sender=Consent)
def consent_changed(sender, instance, created=False, **kwargs):
    """Any change of a distribution consent rebuilds the public pages of the person's school and
    everything above (the render-time guard then leaves out what may no longer be shown); a
    consent withdrawn, deleted or edited also takes down the news naming or showing the person
    when they no longer pass the guard. A new consent takes nothing away."""
    if instance.kind != ConsentKind.DISTRIBUTION:
        return
    person = Person.objects.filter(pk=instance.person_id).first()
    if person is None:
        return  # the person is being deleted with their consents
    if not created:
        from apps.publicity.services import withdraw_for_consent

        withdraw_for_consent(person)
    cache.bump_id(person.organisation_id)


@receiver(post_save, sender=Post)
def draft_proposed(sender, instance: Post, created: bool, **kwargs):
    """The system proposed a news draft: the school's curators are told (once per draft)."""
    if not created or instance.status != PostStatus.PROPOSED:
        return
    context = {"post": instance.title, "org_id": instance.organisation_id, "post_id": instance.pk}
    for curator in role_users(instance.organisation_id, Role.CURATOR):
        notify(curator, "news_proposed", obj=instance, context=context)
