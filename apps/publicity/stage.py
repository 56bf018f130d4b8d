"""What the roadmap's stage 7 rule needs from publicity: open pages, news, social copies."""

from __future__ import annotations

from collections import Counter, defaultdict

from apps.publicity.models import Delivery, DeliveryStatus, Post, PostStatus, PublicPage


def stage_facts(facts, org_ids, start, end) -> None:
    """Stage 7 facts for the roadmap rules (registered in `PublicityConfig.ready`)."""
    facts.public = set(
        PublicPage.objects.filter(organisation_id__in=org_ids, is_published=True).values_list(
            "organisation_id", flat=True
        )
    )
    published = Post.objects.filter(
        organisation_id__in=org_ids,
        status=PostStatus.PUBLISHED,
        published_at__date__range=(start, end),
    )
    facts.posts = Counter(published.values_list("organisation_id", flat=True))
    covered: dict[int, set[int]] = defaultdict(set)
    for org_id, event_id in published.filter(event__isnull=False).values_list(
        "organisation_id", "event_id"
    ):
        covered[org_id].add(event_id)
    facts.covered_events = covered
    facts.social = set(
        Delivery.objects.filter(post__in=published, status=DeliveryStatus.SENT).values_list(
            "post__organisation_id", flat=True
        )
    )
