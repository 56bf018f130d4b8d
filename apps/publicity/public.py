"""Public pages (no login): an organisation's «Наставничество» page, news, documents, feeds,
the embeddable block, the accessible version and the sitemap. Served from the cache."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlparse

from csp.decorators import csp_replace
from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.core.cache import cache as django_cache
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.clickjacking import xframe_options_exempt

from apps.core.text import strip_unsafe
from apps.core.years import academic_year
from apps.events.calendar import ics
from apps.events.models import Event
from apps.library.models import Material, MaterialKind, MaterialStatus, Visibility
from apps.orgs.access import public_view
from apps.orgs.models import Organisation
from apps.orgs.tenancy import get_for
from apps.publicity import a11y, cache
from apps.publicity.guard import NameGuard
from apps.publicity.models import Post, PostImage, PostStatus, PublicPage
from apps.publicity.services import (
    post_problems,
    posts_below,
    public_documents,
    published_posts,
)
from apps.publicity.text import summary
from apps.roadmap.models import RoadmapItem
from apps.roadmap.status import DONE, gather, stages_for


def published_org(slug: str) -> Organisation:
    org = get_object_or_404(Organisation.objects.select_related("parent"), slug=slug)
    if not PublicPage.objects.of(org).filter(is_published=True).exists():
        raise Http404
    return org


def cached(name: str):
    """Serve the page from the cache; the key holds the org's version and the a11y settings.
    A hit reads only the cache: the slug's organisation, its version and the page. Anonymous
    visitors are answered earlier still, by `middleware.CachedPublicPageMiddleware`, which finds
    the view's `public_cache` name."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, slug: str, **kwargs):
            key = cache.request_key(request, name, slug, kwargs)
            if key is None:
                raise Http404
            hit = django_cache.get(key)
            if hit is not None:
                content, content_type = hit
                return HttpResponse(content, content_type=content_type)
            request.a11y = a11y.parse(request.COOKIES.get(a11y.COOKIE))
            response = view(request, published_org(slug), **kwargs)
            if response.status_code == 200 and not response.streaming:
                django_cache.set(key, (response.content, response["Content-Type"]), cache.seconds())
            return response

        wrapper.public_cache = name
        return public_view(wrapper)

    return decorator


def base_context(request, org: Organisation, guard: NameGuard, **extra) -> dict:
    """What every page shows; the page's own texts (about, contact) pass the guard too, so the
    guard must have been given `org.public_page`."""
    settings = getattr(request, "a11y", None)
    texts = guard.page(org.public_page)
    return {
        "org": org,
        "page": org.public_page,
        "about": texts.about,
        "contact_name": texts.contact_name,
        "vi": settings,
        "vi_classes": a11y.classes(settings),
        "vi_panel": a11y.panel(settings, request.path),
        "canonical": request.build_absolute_uri(request.path),
        "above": not org.is_school,
        **extra,
    }


def practices(org: Organisation):
    return (
        Material.objects.within(org)
        .filter(
            kind=MaterialKind.PRACTICE,
            status=MaterialStatus.PUBLISHED,
            visibility=Visibility.PUBLIC,
        )
        .select_related("organisation")
        .order_by("-created_at")
    )


def events_of(org: Organisation):
    """Events marked public; the guard still decides which of their texts are shown."""
    return Event.objects.within(org).filter(is_public=True).select_related("organisation")


def school_progress(org: Organisation, year: str) -> list[dict]:
    schools = list(
        Organisation.objects.subtree(org)
        .schools()
        .select_related("public_page")
        .order_by("short_name")
    )
    facts = gather([s.pk for s in schools], year, timezone.localdate())
    rows = []
    for school in schools:
        stages = stages_for(school.pk, facts, links=False)
        page = getattr(school, "public_page", None)
        rows.append(
            {
                "school": school,
                "done": sum(s.status == DONE for s in stages),
                "stages": stages,
                "public": bool(page and page.is_published),
            }
        )
    return rows


@cached("page")
def org_page(request, org):
    now = timezone.now()
    year = academic_year()
    events = events_of(org)
    news = list(published_posts(org)[:6])
    upcoming = list(events.filter(ends_at__gte=now).order_by("starts_at")[:6])
    past = list(events.filter(ends_at__lt=now).order_by("-starts_at")[:6])
    materials = list(practices(org)[:6])
    school_news = [] if org.is_school else list(posts_below(org)[:8])
    roadmap = (
        list(RoadmapItem.objects.of(org).filter(year=year).select_related("organisation"))
        if org.is_school
        else []
    )
    guard = NameGuard(
        events=upcoming + past,
        practices=materials,
        posts=news + school_news,
        pages=[org.public_page],
        roadmap=roadmap,
    )
    context = base_context(
        request,
        org,
        guard,
        year=year,
        news=guard.posts(news),
        upcoming=guard.events(upcoming),
        past=guard.events(past),
        practices=guard.practices(materials),
    )
    if org.is_school:
        stages = stages_for(org.pk, gather([org.pk], year, timezone.localdate()), links=False)
        items: dict[int, list] = {}
        for item in guard.roadmap(roadmap):
            items.setdefault(item.stage, []).append(item)
        for stage in stages:
            stage.items = items.get(stage.number, [])
        context.update(stages=stages, documents=public_documents(org))
    else:
        context.update(school_news=guard.posts(school_news), schools=school_progress(org, year))
    return render(request, "publicity/public/org.html", context)


@cached("news")
def news_list(request, org):
    posts = Paginator(published_posts(org), 20).get_page(request.GET.get("page"))
    guard = NameGuard(posts=posts.object_list, pages=[org.public_page])
    posts.object_list = guard.posts(posts.object_list)
    return render(
        request, "publicity/public/news.html", base_context(request, org, guard, posts=posts)
    )


@cached("post")
def post_page(request, org, post_id: int):
    post = get_for(
        org,
        Post.objects.select_related("origin__organisation", "event", "document", "material"),
        post_id,
        status=PostStatus.PUBLISHED,
    )
    source = post.origin or post
    if post_problems(post):
        raise Http404  # a consent was withdrawn, narrowed or expired since publishing
    event = source.event if source.event_id else None
    material = source.material if source.material_id else None
    if material and (
        material.visibility != Visibility.PUBLIC or material.status != MaterialStatus.PUBLISHED
    ):
        material = None
    guard = NameGuard(
        events=[event] if event else [],
        practices=[material] if material else [],
        pages=[org.public_page],
    )
    images = list(source.images.all())
    context = base_context(
        request,
        org,
        guard,
        post=post,
        source=source,
        images=images,
        description=summary(source.body, 200),
        og_image=request.build_absolute_uri(
            reverse("publicity:photo", args=[org.slug, images[0].pk])
        )
        if images
        else "",
        event=guard.event(event) if event else None,
        material=guard.practice(material) if material else None,
    )
    return render(request, "publicity/public/post.html", context)


@cached("documents")
def documents_page(request, org):
    guard = NameGuard(pages=[org.public_page])
    return render(
        request,
        "publicity/public/documents.html",
        base_context(request, org, guard, documents=public_documents(org)),
    )


@public_view
def photo(request, slug: str, image_id: int):
    """A photo of a published post (media files are not served by the web server directly)."""
    org = published_org(slug)
    image = get_object_or_404(
        PostImage.objects.select_related("post"),
        pk=image_id,
        post__status=PostStatus.PUBLISHED,
    )
    post = image.post
    if post_problems(post):
        raise Http404  # someone on the photo or in the text no longer consents
    shown_here = (
        post.organisation_id == org.pk
        or Post.objects.of(org).filter(origin=post, status=PostStatus.PUBLISHED).exists()
    )
    if not shown_here:
        raise Http404
    response = FileResponse(image.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@public_view
def document_file(request, slug: str, document_id: int):
    org = published_org(slug)
    shown = {d.document.pk: d for d in public_documents(org) if d.file_public}
    if document_id not in shown:
        raise Http404
    document = shown[document_id].document
    field = document.scan or document.pdf or document.file  # the signed copy first
    extension = field.name.rsplit(".", 1)[-1]
    return FileResponse(field.open("rb"), filename=f"{document.number}.{extension}")


class NewsFeed(Feed):
    """The school's news as Atom. Django's feed writer refuses control characters
    (UnserializableContentError), so every text drops them."""

    feed_type = Atom1Feed

    def get_object(self, request, slug: str):
        return published_org(slug)

    def title(self, org):
        return strip_unsafe(f"Наставничество — {org.short_name}")

    def subtitle(self, org):
        return strip_unsafe(f"Новости системы наставничества: {org.name}")

    def link(self, org):
        return reverse("publicity:page", args=[org.slug])

    def feed_url(self, org):
        return reverse("publicity:feed", args=[org.slug])

    def items(self, org):
        posts = list(
            Post.objects.within(org)
            .filter(
                status=PostStatus.PUBLISHED,
                origin__isnull=True,
            )
            .select_related("organisation")
            .order_by("-published_at")[:30]
        )
        return NameGuard(posts=posts).posts(posts)

    def item_title(self, post):
        return strip_unsafe(post.title)

    def item_description(self, post):
        return strip_unsafe(post.body)

    def item_link(self, post):
        return reverse("publicity:post", args=[post.organisation.slug, post.pk])

    def item_pubdate(self, post):
        return post.published_at

    def item_updateddate(self, post):
        return post.updated_at

    def item_author_name(self, post):
        return strip_unsafe(post.organisation.short_name)


_feed = NewsFeed()


@cached("feed")
def news_feed(request, org):
    return _feed(request, slug=org.slug)


@cached("ics")
def events_ics(request, org):
    since = timezone.now() - timezone.timedelta(days=365)
    events = list(events_of(org).filter(ends_at__gte=since).order_by("starts_at")[:500])
    body = ics(NameGuard(events=events).events(events), name=f"Наставничество — {org.short_name}")
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})  # any school's own site may embed the block
@cached("embed")
def embed(request, org):
    now = timezone.now()
    news = list(published_posts(org)[:4])
    upcoming = list(events_of(org).filter(ends_at__gte=now).order_by("starts_at")[:3])
    guard = NameGuard(events=upcoming, posts=news, pages=[org.public_page])
    context = base_context(
        request, org, guard, news=guard.posts(news), upcoming=guard.events(upcoming)
    )
    return render(request, "publicity/public/embed.html", context)


@public_view
def vi_settings(request):
    """Switch the accessible version on, change one of its settings, or switch it off."""
    if not request.GET:
        settings = a11y.parse(request.COOKIES.get(a11y.COOKIE))
        return render(
            request,
            "publicity/public/vi.html",
            {
                "vi_panel": a11y.panel(settings, "/vi/"),
                "vi": settings,
                "vi_classes": a11y.classes(settings),
            },
        )
    target = request.GET.get("next", "/")
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith(("/p/", "/vi/")):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.GET.get("off"):
        response.delete_cookie(a11y.COOKIE)
        return response
    settings = a11y.parse(request.COOKIES.get(a11y.COOKIE)) or dict(a11y.DEFAULTS)
    for key, choices in a11y.OPTIONS.items():
        if request.GET.get(key) in choices:
            settings[key] = request.GET[key]
    response.set_cookie(a11y.COOKIE, a11y.serialise(settings), max_age=365 * 86400, samesite="Lax")
    return response


class PageSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return (
            Organisation.objects.filter(public_page__is_published=True)
            .select_related("public_page")
            .order_by("pk")
        )

    def location(self, org):
        return reverse("publicity:page", args=[org.slug])

    def lastmod(self, org):
        return org.public_page.updated_at


class PostSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return (
            Post.objects.filter(
                status=PostStatus.PUBLISHED, organisation__public_page__is_published=True
            )
            .select_related("organisation")
            .order_by("pk")
        )

    def location(self, post):
        return reverse("publicity:post", args=[post.organisation.slug, post.pk])

    def lastmod(self, post):
        return post.updated_at


SITEMAPS = {"pages": PageSitemap, "news": PostSitemap}
