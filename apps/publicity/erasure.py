"""Destroying a person's data: photos they are tagged on go, their name leaves the news."""

from django.dispatch import receiver

from apps.people.erasure import (
    Erased,
    counted,
    delete_file_on_commit,
    person_data_destroyed,
    scrub_texts,
)
from apps.publicity import cache
from apps.publicity.models import Post, PostImage


@receiver(person_data_destroyed)
def destroy_news_data(sender, person, forms, **kwargs) -> Erased:
    photos = 0
    for image in PostImage.objects.filter(people=person).distinct():
        delete_file_on_commit(image.image)
        image.delete()  # the post's page cache is bumped by the model signal
        photos += 1
    # The school's own news and those of the municipality and region above it (reposts too).
    orgs = person.organisation.ancestor_ids()
    posts = Post.objects.filter(organisation_id__in=orgs)
    changed = scrub_texts(posts, ["title", "body"], forms)
    changed += scrub_texts(PostImage.objects.filter(post__in=posts), ["alt"], forms)
    if changed:
        for org_id in orgs:
            cache.bump_id(org_id)
    return Erased(
        destroyed=(
            *counted("фотографии в новостях, на которых отмечен сотрудник", photos),
            *counted("ФИО в новостях", changed),
        )
    )
