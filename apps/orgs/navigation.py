"""The sidebar menu: one table of links, each shown to whom its page lets in.

A link names its page by URL name (a string, so this base app imports no app above it), the
permission and the organisation level the page declares in `@org_view` (a test holds the two
together), and the section it belongs to. `templates/includes/sidebar.html` renders what
`menu()` returns; it holds no rule of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from apps.orgs.access import ABOVE_SCHOOL, ANY, SCHOOL, Level
from apps.orgs.models import Organisation
from apps.orgs.permissions import Roles, role_allows

MAIN, ROADMAP, SETTINGS = "main", "roadmap", "settings"
# Section, its heading, whether it is shown without links (the stages follow the roadmap's).
SECTIONS: tuple[tuple[str, str, bool], ...] = (
    (MAIN, "", False),
    (ROADMAP, "Этапы дорожной карты", True),
    (SETTINGS, "Настройки", False),
)


@dataclass(frozen=True)
class Link:
    url_name: str
    label: str
    # None: shown to everybody the menu is shown to (the page itself checks the rest).
    perm: str | None = None
    level: Level = ANY
    section: str = MAIN
    # URL-name prefixes of the pages where this link is the current one (default: its own).
    active: tuple[str, ...] = ()
    # The user's own page (/my/…): its URL takes no organisation.
    personal: bool = False

    def visible(self, org: Organisation, roles: Roles) -> bool:
        return self.level.admits(org) and (self.perm is None or role_allows(roles, self.perm))


MENU: tuple[Link, ...] = (
    Link("overview:org-dashboard", "Обзор"),
    Link("people:person-list", "Кадры", "staff.view", active=("people:",)),
    Link("people:consent-overview", "Согласия (152-ФЗ)", "consent.view", SCHOOL),
    Link("surveys:campaign-list", "Анкеты", "surveys.view", SCHOOL,
         active=("surveys:campaign", "surveys:template", "surveys:competency")),
    Link("banks:mentee-list", "Банк наставляемых", "banks.view", SCHOOL, active=("banks:mentee",)),
    Link("banks:mentor-list", "Банк наставников", "banks.view", SCHOOL, active=("banks:mentor",)),
    Link("programs:unit-list", "Пары и группы", "units.view", SCHOOL, active=("programs:",)),
    Link("documents:list", "Документы", "documents.view", SCHOOL, active=("documents:list",
         "documents:detail", "documents:create", "documents:settings", "documents:polozhenie")),
    Link("documents:my-signatures", "На подпись", "documents.sign", SCHOOL,
         active=("documents:my-signatures", "documents:sign")),
    Link("payroll:register", "Доплаты наставникам", "payroll.view", SCHOOL, active=("payroll:",)),
    Link("matching:run-list", "Подбор наставников", "matching.view", SCHOOL,
         active=("matching:run", "matching:requests", "matching:settings")),
    Link("matching:network-list", "Сетевой подбор", "matching.network", ABOVE_SCHOOL,
         active=("matching:network",)),
    Link("events:list", "Мероприятия", "events.view", SCHOOL,
         active=("events:list", "events:detail", "events:create", "events:edit")),
    Link("monitoring:dashboard", "Мониторинг", "monitoring.view", active=("monitoring:",)),
    Link("publicity:news", "Новости и публичная страница", "publicity.manage",
         active=("publicity:",)),
    Link("library:list", "Методическая копилка", "library.view", active=("library:",)),
    Link("surveys:my-surveys", "Мои анкеты", active=("surveys:my-survey",), personal=True),
    Link("programs:my-units", "Мои пары и программы", active=("programs:my-unit",),
         personal=True),
    Link("events:my", "Мои мероприятия", personal=True),
    Link("notifications:list", "Уведомления", active=("notifications:list",
         "notifications:preferences"), personal=True),
    Link("roadmap:roadmap", "Дорожная карта и статусы", "roadmap.view", SCHOOL, ROADMAP,
         active=("roadmap:",)),
    Link("roadmap:network", "Дорожные карты школ", "roadmap.view", ABOVE_SCHOOL, ROADMAP,
         active=("roadmap:",)),
    Link("orgs:member-list", "Пользователи и роли", "members.manage", section=SETTINGS),
    Link("orgs:org-edit", "Сведения об организации", "org.edit", section=SETTINGS),
    Link("audit:journal", "Журнал действий", "audit.view", section=SETTINGS),
    Link("api_tokens:token-list", "API-ключи", "api.manage", section=SETTINGS),
)  # fmt: skip


@dataclass(frozen=True)
class Section:
    name: str
    heading: str
    links: list[Link] = field(default_factory=list)


def menu(org: Organisation, roles: Roles) -> list[Section]:
    """The sections of the menu at `org` for someone with `roles` there, with their links."""
    sections = []
    for name, heading, always in SECTIONS:
        links = [link for link in MENU if link.section == name and link.visible(org, roles)]
        if links or always:
            sections.append(Section(name, heading, links))
    return sections
