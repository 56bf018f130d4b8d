"""Organisations (region → municipality → school), users who log in by e-mail, and their roles.

Tenancy lives here: every object of other apps hangs off an organisation, and
`Organisation.objects.visible_to(user)` is the one place that says which ones a user may see.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.orgs.choices import OrgKind, Role
from apps.orgs.permissions import Roles
from apps.orgs.tenancy import OrgQuerySet


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    username = None
    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("ФИО"), max_length=300, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("пользователь")
        verbose_name_plural = _("пользователи")

    def __str__(self) -> str:
        return self.full_name or self.email


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user) -> OrganisationQuerySet:
        """Organisations in the subtree of any organisation where the user holds a role."""
        if not user.is_authenticated:
            return self.none()
        paths = {path for path, _role in membership_paths(user)}
        if not paths:
            return self.none()
        query = Q()
        for path in paths:
            query |= Q(path__startswith=path)
        return self.filter(query)

    def subtree(self, org: Organisation) -> OrganisationQuerySet:
        return self.filter(path__startswith=org.path)

    def schools(self) -> OrganisationQuerySet:
        return self.filter(kind=OrgKind.SCHOOL)


class Organisation(models.Model):
    kind = models.CharField(_("тип"), max_length=20, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("вышестоящая организация"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path "/1/7/42/" so a subtree is one indexed prefix query at region scale.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    name = models.CharField(_("полное наименование"), max_length=500)
    short_name = models.CharField(_("краткое наименование"), max_length=200)
    # The full name in the cases documents need, when the automatic declension is wrong.
    name_gen = models.CharField(_("полное наименование в родительном падеже (кого? чего?)"),
                                max_length=500, blank=True)  # fmt: skip
    name_dat = models.CharField(_("… в дательном падеже (кому? чему?)"), max_length=500,
                                blank=True)  # fmt: skip
    name_loc = models.CharField(_("… в предложном падеже (о ком? о чём?)"), max_length=500,
                                blank=True)  # fmt: skip
    slug = models.SlugField(_("адрес страницы"), max_length=80, unique=True)
    inn = models.CharField(_("ИНН"), max_length=12, blank=True)
    ogrn = models.CharField(_("ОГРН"), max_length=15, blank=True)
    city = models.CharField(_("населённый пункт"), max_length=200, blank=True)
    address = models.CharField(_("адрес"), max_length=500, blank=True)
    head_position = models.CharField(
        _("должность руководителя"), max_length=200, blank=True, default="Директор"
    )
    head_name = models.CharField(_("ФИО руководителя"), max_length=300, blank=True)
    website = models.URLField(_("сайт"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("телефон"), max_length=50, blank=True)
    logo = models.ImageField(_("логотип"), upload_to="logos/", blank=True)
    require_two_factor = models.BooleanField(
        _("вход с кодом из приложения для кураторов, руководителей и администраторов"),
        default=False,
        help_text=_(
            "Действует и для всех организаций ниже. Код (TOTP) дают Яндекс Ключ, Google "
            "Authenticator и подобные приложения."
        ),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("организация")
        verbose_name_plural = _("организации")
        ordering = ["short_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=OrgKind.REGION) | Q(parent__isnull=False),
                name="org_parent_required_below_region",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent_id else '/'}{self.pk}/"
        if path != self.path:
            self.path = path
            Organisation.objects.filter(pk=self.pk).update(path=path)

    def name_in(self, case: str) -> str:
        """The full name in `case` ("gen", "dat", "loc"): the stored form or the declined one."""
        from apps.core.declension import Case, decline_org_name

        stored = getattr(self, f"name_{case}", "")
        if stored:
            return stored
        cases = {"gen": Case.GENITIVE, "dat": Case.DATIVE, "loc": Case.PREPOSITIONAL}
        return decline_org_name(self.name, cases[case]).text if case in cases else self.name

    @property
    def is_school(self) -> bool:
        return self.kind == OrgKind.SCHOOL

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]


class Membership(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("пользователь"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("организация"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("роль"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("роль пользователя")
        verbose_name_plural = _("роли пользователей")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.organisation})"


def membership_paths(user) -> list[tuple[str, str]]:
    """(organisation path, role) for each membership; cached on the user object per request."""
    cached = getattr(user, "_membership_paths", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user).values_list("organisation__path", "role")
        )
        user._membership_paths = cached
    return cached


def roles_at(user, org: Organisation) -> Roles:
    """Roles the user holds at `org` directly or through an organisation above it."""
    if not user.is_authenticated:
        return Roles()
    paths = membership_paths(user)
    return Roles(
        own={role for path, role in paths if path == org.path},
        inherited={role for path, role in paths if org.path.startswith(path)},
    )
