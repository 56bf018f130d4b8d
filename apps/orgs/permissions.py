"""What each role may do. One table, read by the access helpers and the authz matrix test."""

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
    # Local acts and orders: the curator prepares them, the head signs; both keep the registry.
    "documents.view": frozenset({C, H, A}),
    "documents.manage": frozenset({C, H, A}),
    # The roadmap is the school's plan: everybody with a role sees it; the curator edits it.
    # Above schools it shows each school's progress (no personal data in it).
    "roadmap.view": frozenset({C, H, MR, ME, MT, A}),
    "roadmap.manage": frozenset({C, H, A}),
    # Методическая копилка: everybody reads; curators add and moderate, methodists promote.
    "library.view": frozenset({C, H, MR, ME, MT, A}),
    "library.manage": frozenset({C, H, MT, A}),
    # Events: everybody sees them; the curator organises and marks attendance.
    "events.view": frozenset({C, H, MR, ME, MT, A}),
    "events.manage": frozenset({C, H, MT, A}),
    # Monitoring: aggregated indicators, no personal data; for those who run and oversee it.
    "monitoring.view": frozenset({C, H, MT, A}),
    # Information support: the curator writes news and keeps the public page and social pages;
    # methodists do it for their level and re-publish schools' news.
    "publicity.manage": frozenset({C, H, MT, A}),
    # API tokens act for the organisation with a role no higher than their creator's.
    "api.manage": frozenset({C, H, MT, A}),
    # The audit log holds who saw and changed personal data: administrators and heads.
    "audit.view": frozenset({H, A}),
}


def role_allows(roles: set[str], perm: str) -> bool:
    return bool(roles & PERMISSIONS[perm])
