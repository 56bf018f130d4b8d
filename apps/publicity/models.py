"""Information support (stage 7): the public page, news and their copies on social networks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.documents.models import Document
from apps.events.models import Event
from apps.library.models import Material
from apps.orgs.models import Organisation
from apps.orgs.tenancy import OrgQuerySet
from apps.people.models import Person

DEFAULT_ABOUT = (
    "В нашей организации действует система наставничества педагогических работников "
    "(распоряжение Минпросвещения России от 25.12.2019 № Р-145). Опытные педагоги помогают "
    "молодым специалистам и коллегам, пришедшим в школу, освоить профессию, войти в коллектив "
    "и вырасти профессионально. Здесь публикуются документы, план мероприятий, новости и лучшие "
    "практики наставничества."
)


class PublicPage(models.Model):
    """The settings of an organisation's public «Наставничество» page (address = its slug)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="public_page"
    )
    is_published = models.BooleanField(_("страница открыта для всех"), default=False)
    about = models.TextField(_("о системе наставничества"), default=DEFAULT_ABOUT)
    contact_name = models.CharField(_("контактное лицо (куратор)"), max_length=300, blank=True)
    contact_position = models.CharField(_("должность"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail для вопросов"), blank=True)
    contact_phone = models.CharField(_("телефон"), max_length=50, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("публичная страница")
        verbose_name_plural = _("публичные страницы")

    def __str__(self) -> str:
        return f"Страница «{self.organisation.short_name}»"


class PostStatus(models.TextChoices):
    PROPOSED = "proposed", _("Предложен системой")
    DRAFT = "draft", _("Черновик")
    PUBLISHED = "published", _("Опубликован")
    WITHDRAWN = "withdrawn", _("Снят с публикации")


class Post(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="posts")
    title = models.CharField(_("заголовок"), max_length=200)
    body = models.TextField(_("текст"), blank=True)  # HTML, always sanitised by nh3 on save
    status = models.CharField(
        _("статус"), max_length=12, choices=PostStatus.choices, default=PostStatus.DRAFT
    )
    published_at = models.DateTimeField(_("опубликован"), null=True, blank=True)
    # Links shown under the post; a deleted event/document/practice leaves the post intact.
    event = models.ForeignKey(
        Event,
        verbose_name=_("мероприятие"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    document = models.ForeignKey(
        Document,
        verbose_name=_("документ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    material = models.ForeignKey(
        Material,
        verbose_name=_("практика или материал"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    # A municipality's or region's copy of a school's post («Источник: …»).
    origin = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="reposts"
    )
    # Why the system proposed this draft, so that it proposes it only once.
    proposal_key = models.CharField(max_length=60, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("новость")
        verbose_name_plural = _("новости")
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["organisation", "status", "published_at"], name="post_org_pub"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "proposal_key"],
                condition=~Q(proposal_key=""),
                name="post_proposal_once",
            ),
            models.UniqueConstraint(
                fields=["organisation", "origin"],
                condition=Q(origin__isnull=False),
                name="post_repost_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == PostStatus.PUBLISHED


class PostOwnedQuerySet(OrgQuerySet):
    org_field = "post__organisation"


class PostImage(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("фотография"), upload_to="news/%Y/")
    alt = models.CharField(_("что на фото (для незрячих)"), max_length=300, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    people = models.ManyToManyField(
        Person, verbose_name=_("кто на фото"), blank=True, related_name="photo_tags"
    )
    order = models.PositiveSmallIntegerField(default=0)

    objects = PostOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("фотография")
        verbose_name_plural = _("фотографии")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.alt or self.image.name


class SocialAccount(models.Model):
    """An official page of the organisation on a network (госпаблик). The token is write-only."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="social_accounts"
    )
    network = models.CharField(_("соцсеть"), max_length=20)
    target = models.CharField(_("сообщество / группа / канал"), max_length=100)
    token = models.TextField(_("ключ доступа"))
    extra = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(_("публиковать"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("страница в соцсети")
        verbose_name_plural = _("страницы в соцсетях")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "network"], name="social_one_per_net")
        ]

    def __str__(self) -> str:
        return f"{self.network}: {self.target}"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("В очереди")
    RETRYING = "retrying", _("Повтор позже")
    SENT = "sent", _("Опубликовано")
    FAILED = "failed", _("Ошибка")


class Delivery(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="deliveries")
    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    remote_id = models.CharField(max_length=100, blank=True)
    remote_url = models.URLField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PostOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("публикация в соцсети")
        verbose_name_plural = _("публикации в соцсетях")
        constraints = [
            models.UniqueConstraint(fields=["post", "account"], name="delivery_once_per_account")
        ]

    def __str__(self) -> str:
        return f"{self.post} → {self.account}"
