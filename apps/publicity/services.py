"""News posts: sanitising, photos, the personal-data guard, publishing, re-posting, proposals."""

from __future__ import annotations

import datetime
import html
import io
import re
from dataclasses import dataclass

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError

from apps.core.uploads import validate_upload
from apps.documents.models import DocKind, DocStatus, Document
from apps.events.models import Event
from apps.orgs.models import Organisation
from apps.people.choices import ConsentKind, DistributionItem
from apps.people.models import Consent, Person
from apps.programs.models import UnitMember
from apps.publicity.models import (
    Delivery,
    DeliveryStatus,
    Post,
    PostImage,
    PostStatus,
    PublicPage,
    SocialAccount,
)
from apps.publicity.names import NameRecord, find_named

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a", "h3", "h4", "blockquote",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
IMAGE_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png",
               "webp": "image/webp", "gif": "image/gif"}  # fmt: skip
IMAGE_MAX_SIDE = 1600
TAG = re.compile(r"<[a-zA-Z/][^>]*>")
# Documents that carry no personal data beyond the signing head (a public official).
NO_PERSONAL_DATA = {DocKind.POLOZHENIE}
# Never published: a labour contract's supplement is between the school and the teacher.
NEVER_PUBLIC = {DocKind.AGREEMENT}
PROPOSAL_DAYS = 60
EXPIRY_LOOKBACK_DAYS = 7


class PublicityError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PublishBlocked(PublicityError):
    """Publishing would disclose people without a consent to distribution (152-ФЗ ст. 10.1)."""

    def __init__(self, names: list[str]):
        self.names = names
        super().__init__(
            "Публикация невозможна: в новости названы или отмечены на фото люди без действующего "
            "согласия на распространение персональных данных (ст. 10.1 152-ФЗ): "
            + "; ".join(names)
            + ". Оформите согласие в карточке сотрудника или уберите их из текста и фотографий."
        )


# --- text --------------------------------------------------------------------------------------


def sanitize(text: str) -> str:
    """HTML allowed in posts; plain text becomes paragraphs. Scripts and handlers are dropped."""
    text = (text or "").strip()
    if not TAG.search(text):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        text = "".join("<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)
    return nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()


# --- photos ------------------------------------------------------------------------------------


def add_image(post: Post, upload, *, alt: str, people) -> PostImage:
    """Check an uploaded photo by content and size, shrink it and drop its metadata (EXIF/GPS)."""
    name = getattr(upload, "name", "фото")
    try:
        validate_upload(
            upload, types=IMAGE_TYPES, max_bytes=settings.PUBLICITY_IMAGE_MAX_BYTES,
            what="фотография",
        )  # fmt: skip
    except ValidationError as error:
        raise PublicityError(error.messages[0]) from error
    try:
        with Image.open(upload) as source:
            if source.width * source.height > settings.PUBLICITY_IMAGE_MAX_PIXELS:
                raise PublicityError(
                    f"Фотография «{name}» слишком большая: {source.width}×{source.height} "
                    "пикселей. Уменьшите её и загрузите снова."
                )
            picture = ImageOps.exif_transpose(source).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise PublicityError(
            f"Фотографию «{name}» не удалось прочитать: файл повреждён."
        ) from error
    picture.thumbnail((IMAGE_MAX_SIDE, IMAGE_MAX_SIDE))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85, optimize=True)
    image = PostImage(
        post=post, alt=alt.strip(), width=picture.width, height=picture.height,
        order=post.images.count(),
    )  # fmt: skip
    image.image.save(f"post{post.pk}.jpg", ContentFile(buffer.getvalue()), save=False)
    image.save()
    if people:
        image.people.set(people)
    return image


# --- the personal-data guard ---------------------------------------------------------------------


def register_for(org: Organisation) -> QuerySet:
    """Everyone whose name the guard looks for: the whole register, archived people included."""
    return Person.objects.within(org)


def distribution_allowed(person_ids: set[int], item: str) -> set[int]:
    allowed = set()
    for person_id, items in (
        Consent.objects.valid()
        .filter(kind=ConsentKind.DISTRIBUTION, person_id__in=person_ids)
        .values_list("person_id", "allowed_items")
    ):
        if item in (items or []):
            allowed.add(person_id)
    return allowed


def named_people(text: str, org: Organisation) -> list[Person]:
    if not text.strip():
        return []  # nothing to look for: do not load the register
    people = {
        p.pk: p
        for p in register_for(org).only("pk", "last_name", "first_name", "middle_name", "gender")
    }
    records = [
        NameRecord(p.pk, p.last_name, p.first_name, p.middle_name, p.gender)
        for p in people.values()
    ]
    return [people[key] for key in find_named(text, records)]


def without_consent(text: str, org: Organisation, tagged: set[int] = frozenset()) -> list[str]:
    """Names (with the reason) of people who may not appear: named in `text` or tagged on photos."""
    named = named_people(text, org)
    named_ids = {p.pk for p in named}
    ok_name = distribution_allowed(named_ids, DistributionItem.NAME)
    ok_photo = distribution_allowed(set(tagged), DistributionItem.PHOTO)
    problems = [p.full_name for p in named if p.pk not in ok_name]
    if tagged - ok_photo:
        for person in Person.objects.filter(pk__in=tagged - ok_photo).order_by("last_name"):
            problems.append(f"{person.full_name} (на фото)")
    return problems


def post_problems(post: Post) -> list[str]:
    source = post.origin or post
    tagged = set(
        PostImage.people.through.objects.filter(postimage__post=source).values_list(
            "person_id", flat=True
        )
    )
    return without_consent(f"{source.title}\n{source.body}", source.organisation, tagged)


# --- publishing --------------------------------------------------------------------------------


def publish(post: Post, *, networks: list[str] = (), now: datetime.datetime | None = None) -> Post:
    """Publish on the public page and queue the copies for the chosen networks."""
    from apps.publicity.delivery import queue  # delivery reads posts: imported on use

    problems = post_problems(post)
    if problems:
        raise PublishBlocked(problems)
    with transaction.atomic():
        post.status = PostStatus.PUBLISHED
        post.published_at = post.published_at or now or timezone.now()
        post.save(update_fields=["status", "published_at", "updated_at"])
        accounts = SocialAccount.objects.of(post.organisation).filter(
            network__in=networks, is_active=True
        )
        deliveries = [
            Delivery.objects.get_or_create(post=post, account=account)[0] for account in accounts
        ]
        for delivery in deliveries:
            if delivery.status != DeliveryStatus.SENT:
                transaction.on_commit(lambda pk=delivery.pk: queue(pk))
    return post


def withdraw(post: Post) -> Post:
    post.status = PostStatus.WITHDRAWN
    post.save(update_fields=["status", "updated_at"])
    post.reposts.update(status=PostStatus.WITHDRAWN)
    return post


def repost(origin: Post, org: Organisation, *, by) -> Post:
    """A municipality or region re-publishes a school's post on its page with attribution."""
    if not origin.is_published or not origin.organisation.path.startswith(org.path):
        raise PublicityError("Переопубликовать можно только опубликованную новость школы ниже.")
    if origin.origin_id:
        origin = origin.origin
    problems = post_problems(origin)
    if problems:
        raise PublishBlocked(problems)
    post, _created = Post.objects.update_or_create(
        organisation=org,
        origin=origin,
        defaults={
            "title": origin.title,
            "status": PostStatus.PUBLISHED,
            "published_at": timezone.now(),
            "author": by,
        },
    )
    return post


def withdraw_for_consent(person: Person) -> int:
    """A withdrawn, narrowed or expired distribution consent takes down the posts that name or
    show the person and no longer pass the guard (their re-posts with them)."""
    count = 0
    org = person.organisation
    orgs = [int(pk) for pk in org.path.strip("/").split("/") if pk]
    candidates = Post.objects.filter(
        organisation_id__in=orgs, status=PostStatus.PUBLISHED, origin__isnull=True
    )
    for post in candidates.select_related("organisation"):
        if post_problems(post):
            withdraw(post)
            count += 1
    return count


def withdraw_for_expired_consents(*, today: datetime.date | None = None) -> int:
    """Posts naming people whose distribution consent ran out in the last `EXPIRY_LOOKBACK_DAYS`
    (an expiry sends no signal; the daily job calls this, a missed run is caught up).

    Side effects: withdraws the posts (and their re-posts) that no longer pass the guard, which
    rebuilds the public pages of their organisations; bumps the public pages of each person's
    school and everything above, so practices and events naming them are rebuilt too.
    """
    from apps.publicity import cache

    today = today or timezone.localdate()
    people = Person.objects.filter(
        consents__kind=ConsentKind.DISTRIBUTION,
        consents__valid_until__gte=today - datetime.timedelta(days=EXPIRY_LOOKBACK_DAYS),
        consents__valid_until__lt=today,
    ).distinct()
    count = 0
    for person in people.select_related("organisation"):
        with transaction.atomic():
            count += withdraw_for_consent(person)
        cache.bump(person.organisation)
    return count


# --- documents on the public page ----------------------------------------------------------------


@dataclass
class PublicDocument:
    document: Document
    file_public: bool
    reason: str = ""


def document_people(documents: list[Document]) -> dict[int, set[int]]:
    """Everyone a document names: its person and the members of its units (one query each)."""
    people: dict[int, set[int]] = {d.pk: {d.person_id} if d.person_id else set() for d in documents}
    for doc_id, mentee_id, mentor_id in UnitMember.objects.filter(
        unit__documents__in=[d.pk for d in documents]
    ).values_list("unit__documents", "mentee_id", "mentor_id"):
        people[doc_id] |= {mentee_id, mentor_id}
    return people


def public_documents(org: Organisation) -> list[PublicDocument]:
    """Signed acts of the school; a text naming people is public only with all their consents."""
    documents = list(
        Document.objects.of(org)
        .filter(status=DocStatus.SIGNED)
        .exclude(kind__in=NEVER_PUBLIC)
        .order_by("-date", "-seq")
    )
    people = document_people(documents)
    everyone = set().union(*people.values()) if people else set()
    allowed = distribution_allowed(everyone, DistributionItem.NAME)
    result = []
    for document in documents:
        missing = people[document.pk] - allowed
        if document.kind in NO_PERSONAL_DATA or not missing:
            result.append(PublicDocument(document, True))
        else:
            result.append(
                PublicDocument(
                    document,
                    False,
                    "Текст не публикуется: в нём персональные данные работников без согласия "
                    "на распространение.",
                )
            )
    return result


# --- proposals ---------------------------------------------------------------------------------


def _event_body(event: Event) -> str:
    lines = [
        f"{event.get_kind_display()} «{event.title}» состоялось "
        f"{timezone.localtime(event.starts_at):%d.%m.%Y}"
        + (f" ({event.place})." if event.place else ".")
    ]
    attended = event.participants.filter(attended=True).count()
    if attended:
        lines.append(f"Участников: {attended}.")
    if event.resolutions:
        lines.append(f"Итоги: {event.resolutions}")
    return "\n\n".join(lines)


def propose_for_event(event: Event) -> Post | None:
    if event.ends_at > timezone.now():
        return None
    post, created = Post.objects.get_or_create(
        organisation=event.organisation,
        proposal_key=f"event:{event.pk}",
        defaults={
            "title": f"Состоялось: {event.title}"[:200],
            "body": sanitize(_event_body(event)),
            "status": PostStatus.PROPOSED,
            "event": event,
        },
    )
    return post if created else None


def propose_for_document(document: Document) -> Post | None:
    if document.status != DocStatus.SIGNED or document.kind in NEVER_PUBLIC:
        return None
    text = (
        f"Подписан приказ от {document.date:%d.%m.%Y} № {document.number} "
        f"«{document.title}». Документ опубликован в разделе «Документы» страницы наставничества."
    )
    post, created = Post.objects.get_or_create(
        organisation=document.organisation,
        proposal_key=f"document:{document.pk}",
        defaults={
            "title": f"Подписан приказ: {document.title}"[:200],
            "body": sanitize(text),
            "status": PostStatus.PROPOSED,
            "document": document,
        },
    )
    return post if created else None


def propose_drafts(org: Organisation, now: datetime.datetime | None = None) -> int:
    """Drafts for events that ended and orders signed recently; each proposed once."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=PROPOSAL_DAYS)
    done = set(Post.objects.of(org).exclude(proposal_key="").values_list("proposal_key", flat=True))
    created = 0
    for event in Event.objects.of(org).filter(ends_at__range=(since, now)):
        if f"event:{event.pk}" not in done and propose_for_event(event):
            created += 1
    for document in (
        Document.objects.of(org)
        .filter(status=DocStatus.SIGNED, date__gte=since.date())
        .exclude(kind__in=NEVER_PUBLIC)
    ):
        if f"document:{document.pk}" not in done and propose_for_document(document):
            created += 1
    return created


def page_for(org: Organisation) -> PublicPage:
    """The organisation's public page settings, or the defaults unsaved (pages read them; the
    settings form's POST saves them)."""
    return PublicPage.objects.of(org).first() or PublicPage(organisation=org)


def published_posts(org: Organisation) -> QuerySet:
    """The organisation's own news: its posts and its re-posts of schools' news."""
    return (
        Post.objects.of(org)
        .filter(status=PostStatus.PUBLISHED)
        .select_related("organisation", "origin__organisation")
        .order_by("-published_at")
    )


def posts_below(org: Organisation) -> QuerySet:
    """Above schools: every published news item of the schools (and municipalities) below."""
    return (
        Post.objects.within(org)
        .filter(status=PostStatus.PUBLISHED, origin__isnull=True)
        .exclude(organisation=org)
        .select_related("organisation")
        .order_by("-published_at")
    )
