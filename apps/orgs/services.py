"""Use cases of organisations and roles."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from apps.orgs.choices import OrgKind, Role
from apps.orgs.models import Membership, Organisation, User, roles_at
from apps.orgs.permissions import Roles, may_grant, may_revoke, role_allows
from apps.orgs.signals import role_granted
from apps.orgs.tasks import invitation_pending, send_set_password_mail

# Roles that make sense at each level of the tree.
ROLES_BY_KIND: dict[str, list[str]] = {
    OrgKind.SCHOOL: [Role.CURATOR, Role.HEAD, Role.MENTOR, Role.MENTEE, Role.ADMIN],
    OrgKind.MUNICIPALITY: [Role.METHODIST, Role.ADMIN],
    OrgKind.REGION: [Role.METHODIST, Role.ADMIN],
}


class RoleError(Exception):
    """A role cannot be given or taken away; the message says why (in Russian), `field` which
    form field it concerns."""

    def __init__(self, message: str, *, field: str = "role"):
        super().__init__(message)
        self.field = field


def grantable_roles(*, org: Organisation, granter_roles: Roles) -> list[str]:
    """Roles a user holding `granter_roles` may hand out at `org` (see `may_grant`)."""
    return [role for role in ROLES_BY_KIND[org.kind] if may_grant(granter_roles, role)]


@transaction.atomic
def create_child_organisation(*, parent: Organisation, form) -> Organisation:
    """Save a new organisation below `parent` (its materialised path follows the parent's)."""
    child = form.save(commit=False)
    child.parent = parent
    child.save()
    return child


@transaction.atomic
def grant_role(
    *, org: Organisation, actor: User, email: str, role: str, full_name: str = "", request=None
) -> tuple[Membership, bool]:
    """`actor` gives `role` at `org` to the user with `email`, creating the account if needed.

    Raises RoleError, changing nothing, when `actor` may not manage users at `org`, the role
    is not below the actor's own there (`may_grant`) or `email` is the actor's own.
    Side effects: a new account gets an unusable password; `role_granted` is sent (the staff
    register links the account to the record with its e-mail); after commit a background task
    e-mails it a link to set one — again for an account whose invitation is still pending (no
    password set, never logged in), so inviting once more is the retry after a lost letter.
    Returns the membership and whether the account was created.
    """
    email = email.strip().lower()
    actor_roles = roles_at(actor, org)
    if (
        not role_allows(actor_roles, "members.manage")
        or role not in ROLES_BY_KIND[org.kind]
        or not may_grant(actor_roles, role)
    ):
        label = dict(Role.choices).get(role, role)
        raise RoleError(
            f"Роль «{label}» в организации «{org.short_name}» вам назначить нельзя: "
            "назначают только роли ниже своей."
        )
    if email == actor.email.lower():
        raise RoleError(
            "Нельзя назначить роль самому себе: это делает руководитель или администратор.",
            field="email",
        )
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    membership, _ = Membership.objects.get_or_create(user=user, organisation=org, role=role)
    role_granted.send(sender=Membership, membership=membership, created=created)
    if created or invitation_pending(user):
        base_url = request.build_absolute_uri("/") if request else settings.SITE_URL
        transaction.on_commit(lambda: send_set_password_mail.enqueue(user.pk, org.pk, base_url))
    return membership, created


@transaction.atomic
def revoke_role(*, membership: Membership, actor: User) -> None:
    """`actor` takes the membership away; raises RoleError, changing nothing, when it is the
    actor's own or its role is not below the actor's own there (`may_revoke`).

    Side effects: deletes the membership.
    """
    if membership.user_id == actor.pk:
        raise RoleError("Нельзя снять роль с самого себя.")
    actor_roles = roles_at(actor, membership.organisation)
    if not role_allows(actor_roles, "members.manage") or not may_revoke(
        actor_roles, membership.role
    ):
        raise RoleError(
            f"Роль «{membership.get_role_display()}» вам снять нельзя: "
            "снимают только роли ниже своей."
        )
    membership.delete()
