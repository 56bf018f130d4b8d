"""The curator's side of information support: news, the public page's settings, social pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from apps.orgs.access import ABOVE_SCHOOL, POST_ONLY, org_view
from apps.orgs.params import id_param
from apps.orgs.tenancy import get_for, get_within
from apps.publicity.delivery import retry
from apps.publicity.forms import ImageForm, PostForm, PublicPageForm, SocialAccountForm
from apps.publicity.guard import surname_warnings
from apps.publicity.models import Delivery, Post, PostImage, PostStatus, SocialAccount
from apps.publicity.services import (
    PublicityError,
    add_image,
    page_for,
    post_problems,
    posts_below,
    propose_drafts,
    publish,
    repost,
    withdraw,
    without_consent,
)
from apps.publicity.social.registry import CONNECTORS, NETWORK_CHOICES


def get_post(org, post_id) -> Post:
    return get_for(org, Post.objects.select_related("origin__organisation"), post_id)


@org_view("publicity.manage")
def news(request, org):
    if org.is_school:
        propose_drafts(org)
    posts = list(
        Post.objects.of(org)
        .select_related("origin__organisation", "event", "document")
        .annotate(photo_count=Count("images"))
        .order_by("-created_at")
    )
    groups = [
        (status.label, [p for p in posts if p.status == status])
        for status in (PostStatus.PROPOSED, PostStatus.DRAFT, PostStatus.PUBLISHED,
                       PostStatus.WITHDRAWN)
    ]  # fmt: skip
    context = {"org": org, "groups": groups, "page": page_for(org)}
    if not org.is_school:
        reposted = {p.origin_id for p in posts if p.origin_id}
        below = list(posts_below(org)[:30])
        for post in below:
            post.reposted = post.pk in reposted
        context["below"] = below
    return render(request, "publicity/news.html", context)


@org_view("publicity.manage")
def post_edit(request, org, post_id=None):
    post = get_post(org, post_id) if post_id else None
    if post and post.origin_id:
        raise Http404  # a re-post shows the school's text; it is edited at the school
    form = PostForm(request.POST or None, instance=post, org=org)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if post is None:
            saved.organisation, saved.author = org, request.user
        if saved.status == PostStatus.PROPOSED:
            saved.status = PostStatus.DRAFT
        saved.save()
        messages.success(request, "Новость сохранена.")
        return redirect("publicity:post-detail", org_id=org.pk, post_id=saved.pk)
    return render(request, "publicity/post_form.html", {"org": org, "form": form, "post": post})


@org_view("publicity.manage")
def post_detail(request, org, post_id):
    post = get_post(org, post_id)
    if request.method == "POST":
        return _act(request, org, post)
    source = post.origin or post
    images = list(source.images.prefetch_related(Prefetch("people")).order_by("order", "pk"))
    accounts = list(SocialAccount.objects.of(org).filter(is_active=True))
    page = page_for(org)
    deliveries = list(post.deliveries.select_related("account"))
    for delivery in deliveries:
        delivery.label = CONNECTORS[delivery.account.network].label
    return render(
        request,
        "publicity/post_detail.html",
        {
            "org": org,
            "post": post,
            "source": source,
            "images": images,
            "image_form": ImageForm(org=org),
            "problems": post_problems(post),
            "doubts": surname_warnings(f"{source.title}\n{source.body}", source.organisation),
            "accounts": [(a, CONNECTORS[a.network].label) for a in accounts],
            "deliveries": deliveries,
            "public_url": reverse("publicity:post", args=[org.slug, post.pk])
            if page.is_published and post.is_published
            else "",
        },
    )


def _act(request, org, post):
    action = request.POST.get("action")
    try:
        if action == "publish":
            networks = [n for n in request.POST.getlist("networks") if n in CONNECTORS]
            publish(post, networks=networks)
            messages.success(request, "Новость опубликована на странице наставничества.")
        elif action == "withdraw":
            withdraw(post)
            messages.success(request, "Новость снята с публикации.")
        elif action == "delete" and not post.is_published:
            post.delete()
            messages.success(request, "Новость удалена.")
            return redirect("publicity:news", org_id=org.pk)
        elif action == "image":
            _add_image(request, org, post)
        elif action == "image-delete":
            image_id = id_param(request.POST.get("image"), what="фотографии")
            get_object_or_404(PostImage, post=post, pk=image_id).delete()
            messages.success(request, "Фотография удалена.")
        elif action == "retry":
            delivery_id = id_param(request.POST.get("delivery"), what="отправки")
            delivery = get_object_or_404(Delivery, post=post, pk=delivery_id)
            retry(delivery)
            messages.success(request, "Отправка повторена.")
        else:
            raise Http404
    except PublicityError as error:
        messages.error(request, error.message)
    return redirect("publicity:post-detail", org_id=org.pk, post_id=post.pk)


def _add_image(request, org, post) -> None:
    if post.origin_id:
        raise Http404
    form = ImageForm(request.POST, request.FILES, org=org)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return
    with transaction.atomic():
        add_image(
            post,
            form.cleaned_data["image"],
            alt=form.cleaned_data["alt"],
            people=form.cleaned_data["people"],
        )
    messages.success(request, "Фотография добавлена.")


@org_view("publicity.manage")
def photo(request, org, post_id, image_id):
    post = get_post(org, post_id)
    source = post.origin or post
    image = get_object_or_404(PostImage, post=source, pk=image_id)
    return FileResponse(image.image.open("rb"), content_type="image/jpeg")


@org_view("publicity.manage", level=ABOVE_SCHOOL, methods=POST_ONLY)
def repost_view(request, org, post_id):
    origin = get_within(
        org, Post.objects.select_related("organisation"), post_id, status=PostStatus.PUBLISHED
    )
    try:
        repost(origin, org, by=request.user)
    except PublicityError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"Новость «{origin.title}» опубликована на странице {org.short_name}."
        )
    return redirect("publicity:news", org_id=org.pk)


@org_view("publicity.manage")
def page_settings(request, org):
    page = page_for(org)
    form = PublicPageForm(request.POST or None, instance=page, prefix="page")
    if request.method == "POST" and form.is_valid():
        problems = without_consent(form.cleaned_data["contact_name"], org)
        if problems:
            form.add_error(
                "contact_name",
                "Нет согласия на распространение персональных данных: "
                + "; ".join(problems)
                + ". Оформите согласие или укажите должность без ФИО.",
            )
        else:
            form.save()
            messages.success(request, "Настройки страницы сохранены.")
            return redirect("publicity:settings", org_id=org.pk)
    accounts = {a.network: a for a in SocialAccount.objects.of(org)}
    public_url = settings.SITE_URL.rstrip("/") + reverse("publicity:page", args=[org.slug])
    embed_url = settings.SITE_URL.rstrip("/") + reverse("publicity:embed", args=[org.slug])
    script_url = settings.SITE_URL.rstrip("/") + settings.STATIC_URL + "publicity/embed.js"
    return render(
        request,
        "publicity/settings.html",
        {
            "org": org,
            "form": form,
            "page": page,
            "networks": [
                (network, label, accounts.get(network)) for network, label in NETWORK_CHOICES
            ],
            "public_url": public_url,
            "feed_url": public_url + "feed.atom",
            "ics_url": public_url + "events.ics",
            "embed_url": embed_url,
            "script_url": script_url,
        },
    )


@org_view("publicity.manage")
def social_account(request, org, network):
    if network not in CONNECTORS:
        raise Http404
    account = SocialAccount.objects.of(org).filter(network=network).first()
    instance = account or SocialAccount(organisation=org, network=network)
    form = SocialAccountForm(request.POST or None, instance=instance, network=network)
    if request.method == "POST":
        if request.POST.get("action") == "delete" and account is not None:
            account.delete()
            messages.success(request, "Страница в соцсети отключена, ключ удалён.")
            return redirect("publicity:settings", org_id=org.pk)
        if form.is_valid():
            form.save()
            messages.success(request, f"{CONNECTORS[network].label}: настройки сохранены.")
            return redirect("publicity:settings", org_id=org.pk)
    return render(
        request,
        "publicity/social_form.html",
        {"org": org, "form": form, "account": account, "label": CONNECTORS[network].label,
         "network": network},
    )  # fmt: skip
