from django.db.models.signals import post_delete
from django.dispatch import receiver

from apps.library.models import Material
from apps.library.search import unindex


@receiver(post_delete, sender=Material)
def drop_from_index(sender, instance, **kwargs):
    unindex(instance.pk)
