"""What each role may do. One table, read by the access helpers and the authz matrix test.

Also the one rule of who may hand out which role (to a user or to an API key): `may_grant`.
"""

from __future__ import annotations

from collections.abc import Iterable

from apps.orgs.choices import Role

C, H, MR, ME, MT, A = (
    Role.CURATOR,
    Role.HEAD,
    Role.MENTOR,
    Role.MENTEE,
    Role.METHODIST,
    Role.ADMIN,
)

PERMISSIONS: dict[str, frozenset[str]] = {
    # Organisation dashboard and card: everybody with a role there.
    "org.view": frozenset({C, H, MR, ME, MT, A}),
    "org.edit": frozenset({H, A}),
    # Adding a school or municipality below: the regional/municipal admin or methodist.
    "org.create_child": frozenset({MT, A}),
    "members.manage": frozenset({C, H, A}),
    # Staff register: people who run the programme; a methodist reads across schools.
    "staff.view": frozenset({C, H, MT, A}),
    "staff.edit": frozenset({C, A}),
    # Contacts and birth dates: only the school's own people who work with them.
    "staff.personal": frozenset({C, H, A}),
    # Consents hold personal data: only the school's own curator, head and admin.
    "consent.view": frozenset({C, H, A}),
    "consent.edit": frozenset({C, A}),
    # Surveys and the answers in them: the school's curator runs them, the head reads results.
    "surveys.view": frozenset({C, H, A}),
    "surveys.manage": frozenset({C, A}),
    # Banks of mentors and mentees: run by the curator; the head reads them.
    "banks.view": frozenset({C, H, A}),
    "banks.manage": frozenset({C, A}),
    # Mentoring pairs and groups: formed by the curator; the head follows them.
    "units.view": frozenset({C, H, A}),
    "units.manage": frozenset({C, A}),
    # Matching runs hold both banks' answers: the curator runs them, the head reads them.
    "matching.view": frozenset({C, H, A}),
    "matching.manage": frozenset({C, A}),
    # Network matching across the schools below: the municipal/regional methodist and admin.
    "matching.network": frozenset({MT, A}),
    # Mentors' extra pay (salary data): the curator forms the month's register, the head signs.
    "payroll.view": frozenset({C, H, A}),
    "payroll.manage": frozenset({C, H, A}),
    # Local acts and orders: the curator prepares them, the head signs; both keep the registry.
    "documents.view": frozenset({C, H, A}),
    "documents.manage": frozenset({C, H, A}),
    # Signing one's own documents electronically (ПЭП): everybody who works in the school.
    "documents.sign": frozenset({C, H, MR, ME, A}),
    # The roadmap is the school's plan: everybody with a role sees it; the curator edits it.
    # Above schools it shows each school's progress (no personal data in it).
    "roadmap.view": frozenset({C, H, MR, ME, MT, A}),
    "roadmap.manage": frozenset({C, H, A}),
    # Методическая копилка: everybody reads; curators add and moderate, methodists promote.
    "library.view": frozenset({C, H, MR, ME, MT, A}),
    "library.manage": frozenset({C, H, MT, A}),
    # Events: everybody sees them; the curator organises and marks attendance.
    "events.view": frozenset({C, H, MR, ME, MT, A}),
    # Events are a school's; a methodist takes part, but does not organise them in a school.
    "events.manage": frozenset({C, H, A}),
    # Monitoring: aggregated indicators, no personal data; for those who run and oversee it.
    "monitoring.view": frozenset({C, H, MT, A}),
    # Asking for a recompute of a summary (a background task): those who answer for the data.
    "monitoring.refresh": frozenset({C, MT, A}),
    # Regional monitoring forms: the methodist (or admin) of a municipality or region asks and
    # collects at its own level; the school's curator or head reviews and submits its figures.
    "monitoring.collect": frozenset({MT, A}),
    "monitoring.submit": frozenset({C, H, A}),
    # Information support: the curator writes news and keeps the public page and social pages;
    # methodists do it for their level and re-publish schools' news.
    "publicity.manage": frozenset({C, H, MT, A}),
    # API tokens act for the organisation with a role no higher than their creator's.
    "api.manage": frozenset({C, H, MT, A}),
    # The audit log holds who saw and changed personal data: administrators and heads.
    "audit.view": frozenset({H, A}),
}


# Permissions that change an organisation's data count only roles held at the organisation
# itself: a role at an organisation above lets its holder read the organisations below, not write
# into them. A municipal methodist reads the schools, but writes at the municipality (its news
# and page, re-posts of schools' news, network matching, promoting schools' materials, its keys).
# The system administrator is the exception: an administrator above runs the organisations
# below (adds their users and schools, fixes their settings).
OWN_LEVEL: frozenset[str] = frozenset(
    {
        "org.edit",
        "org.create_child",
        "members.manage",
        "staff.edit",
        "consent.edit",
        "surveys.manage",
        "banks.manage",
        "units.manage",
        "matching.manage",
        "matching.network",
        "documents.manage",
        "documents.sign",
        "payroll.manage",
        "monitoring.collect",
        "monitoring.submit",
        "roadmap.manage",
        "library.manage",
        "events.manage",
        "publicity.manage",
        "api.manage",
    }
)
ROLES_ACTING_BELOW: frozenset[str] = frozenset({A})


class Roles(frozenset):
    """The roles that apply to a user (or an API key) at one organisation.

    The set holds them all; `own` are those held at the organisation itself, the others come
    from organisations above it (see OWN_LEVEL for what that changes).
    """

    own: frozenset[str]

    def __new__(cls, own: Iterable[str] = (), inherited: Iterable[str] = ()) -> Roles:
        own = frozenset(own)
        roles = super().__new__(cls, own | frozenset(inherited))
        roles.own = own
        return roles

    def acting(self) -> frozenset[str]:
        """The roles that count for changing data here: those held here, an admin's from above."""
        return self.own | (self & ROLES_ACTING_BELOW)


def role_allows(roles: Roles, perm: str) -> bool:
    """Whether `roles` (of a user or a key at one organisation) give `perm` there."""
    counted = roles.acting() if perm in OWN_LEVEL else roles
    return bool(counted & PERMISSIONS[perm])


# Handing out roles: one may give only roles ranked below one's own. The system administrator,
# the top of the tree, also gives the administrator's role (nobody else can).
RANK: dict[str, int] = {ME: 1, MR: 1, C: 2, MT: 3, H: 3, A: 4}


def may_grant(actor_roles: Roles, role: str) -> bool:
    """Whether someone with `actor_roles` at an organisation may give `role` there to another
    user or to an API key. Only roles that count for changing data there are ranked (a
    methodist's role from above does not let its holder appoint anybody in a school)."""
    top = max((RANK[r] for r in actor_roles.acting()), default=0)
    return RANK[role] < top or top == RANK[A]


def may_revoke(actor_roles: Roles, role: str) -> bool:
    """Whether someone with `actor_roles` may take `role` away from another user: the same
    rule as giving it, so nobody removes a role at or above their own."""
    return may_grant(actor_roles, role)
