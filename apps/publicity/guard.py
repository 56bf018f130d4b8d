"""The one personal-data guard of every public output (152-ФЗ ст. 10.1).

News are checked when published (`services.publish`) and taken down when a consent is
withdrawn; everything a public page, the Atom feed, the public iCal, the embed block or the
OpenGraph tags show goes through `NameGuard` at render time as well, so a withdrawn, narrowed or
expired distribution consent takes the person down everywhere at the next render (a consent's
signal bumps the page cache at once; expiry shows within `PUBLIC_CACHE_SECONDS`).

The rules, with the same name search as news (`names.find_named`, the register of the text's
organisation):
- a free text (an annotation, a programme, the speakers, a place, the page's «about») is shown
  only if everyone it names has a valid distribution consent allowing «ФИО»; otherwise it is
  withheld whole;
- a field that *is* a name (a practice's author) is shown only if it names someone from the
  register and all of them have such a consent; otherwise it is omitted, because an author
  we cannot find in the register cannot have given us a consent;
- an item whose title fails is not listed at all; an event is listed only when marked public,
  and never with its online link.

A text the guard was not given up front is refused (fails closed), so a renderer cannot show
something nobody checked.

A surname standing alone names its one bearer in the register (`names.find_named`); when it
could be several people, or is also a common word («Мороз»), it blocks nothing but
`surname_warnings` tells the curator before publishing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from apps.core.plural import count
from apps.events.calendar import CalendarEntry
from apps.events.models import Event
from apps.library.models import Material
from apps.orgs.models import Organisation
from apps.people.choices import DistributionItem
from apps.people.models import Person
from apps.publicity.models import Post, PublicPage
from apps.publicity.names import NameRecord, find_named, surname_doubts
from apps.publicity.services import distribution_allowed, register_for
from apps.roadmap.models import RoadmapItem

NAME_FIELDS = ("pk", "organisation_id", "last_name", "first_name", "middle_name", "gender")


@dataclass(frozen=True)
class PublicPractice:
    title: str
    author: str
    annotation: str
    organisation: Organisation


@dataclass(frozen=True)
class PageTexts:
    about: str
    contact_name: str


def _record(person: Person) -> NameRecord:
    return NameRecord(
        person.pk, person.last_name, person.first_name, person.middle_name, person.gender
    )


def registers(orgs: Iterable[Organisation]) -> dict[int, tuple[NameRecord, ...]]:
    """The register of each organisation (`services.register_for`: a school's staff, archived
    people included, or everyone below): one query for all the schools, one per organisation
    above schools."""
    orgs = {org.pk: org for org in orgs}
    result: dict[int, list[NameRecord]] = {pk: [] for pk in orgs}
    schools = [pk for pk, org in orgs.items() if org.is_school]
    if schools:
        people = Person.objects.filter(organisation_id__in=schools).only(*NAME_FIELDS)
        for person in people.order_by("pk"):
            result[person.organisation_id].append(_record(person))
    for pk, org in orgs.items():
        if not org.is_school:
            people = register_for(org).only(*NAME_FIELDS).order_by("pk")
            result[pk] = [_record(person) for person in people]
    return {pk: tuple(records) for pk, records in result.items()}


def surname_warnings(text: str, org: Organisation) -> list[str]:
    """Why bare surnames in `text` may name someone without a consent, one sentence each:
    the surname of several people, or also a common word. Only people without a distribution
    consent allowing «ФИО» are of concern; a doubt about consenting people is no doubt."""
    if not text or not text.strip():
        return []
    records = registers([org])[org.pk]
    doubts = surname_doubts(text, records)
    if not doubts:
        return []
    everyone = {key for doubt in doubts for key in doubt.keys}
    allowed = distribution_allowed(everyone, DistributionItem.NAME)
    names = {r.key: " ".join(p for p in (r.last, r.first, r.middle) if p) for r in records}
    warnings = []
    for doubt in doubts:
        missing = [names[key] for key in doubt.keys if key not in allowed]
        if not missing:
            continue
        word = "-".join(part[:1].upper() + part[1:] for part in doubt.word.split("-"))
        who = ", ".join(missing)
        if doubt.common:
            reason = f"это и обычное слово, и фамилия сотрудника без согласия ({who})"
        else:
            people = count(len(doubt.keys), "сотрудника", "сотрудников", "сотрудников")
            reason = f"такая фамилия (в каком-то падеже) у {people}, без согласия: {who}"
        warnings.append(f"«{word}» — {reason}. Если речь о человеке, уберите фамилию или "
                        "оформите согласие.")  # fmt: skip
    return warnings


def _post_source(post: Post) -> Post:
    return post.origin if post.origin_id else post


def _post_text(post: Post) -> str:
    source = _post_source(post)
    return f"{source.title}\n{source.body}"


class NameGuard:
    """Decides, for one public response, which of its names and texts may be shown.

    Give it every object the response may show; it searches all their texts at once (one
    register query for the schools, one consent query) and then answers per object.
    """

    def __init__(
        self,
        *,
        events: Iterable[Event] = (),
        practices: Iterable[Material] = (),
        posts: Iterable[Post] = (),
        pages: Iterable[PublicPage] = (),
        roadmap: Iterable[RoadmapItem] = (),
    ):
        texts: list[tuple[Organisation, str]] = []
        for event in events:
            org = event.organisation
            texts += [(org, event.title), (org, event.place), (org, event.programme),
                      (org, event.speakers)]  # fmt: skip
        for material in practices:
            org = material.organisation
            texts += [(org, material.title), (org, material.author), (org, material.annotation)]
        for post in posts:
            texts.append((_post_source(post).organisation, _post_text(post)))
        for page in pages:
            texts += [(page.organisation, page.about), (page.organisation, page.contact_name)]
        for item in roadmap:
            texts.append((item.organisation, item.activity))
        wanted = {(org.pk, text) for org, text in texts if text and text.strip()}
        orgs = {org.pk: org for org, text in texts if (org.pk, text) in wanted}
        records = registers(orgs.values())
        self._named = {(pk, text): find_named(text, records[pk]) for pk, text in wanted}
        everyone = set().union(*self._named.values())
        self._allowed = distribution_allowed(everyone, DistributionItem.NAME) if everyone else set()

    def _named_in(self, org: Organisation, text: str) -> list[int] | None:
        return self._named.get((org.pk, text))

    def allows(self, org: Organisation, text: str) -> bool:
        """A free text may be shown: it names nobody without a consent."""
        if not text or not text.strip():
            return True
        named = self._named_in(org, text)
        if named is None:
            return False  # never checked: refuse rather than guess
        return all(pk in self._allowed for pk in named)

    def text(self, org: Organisation, text: str) -> str:
        return text if self.allows(org, text) else ""

    def name(self, org: Organisation, text: str) -> str:
        """A field that is a person's name: shown only if it names consenting people."""
        named = self._named_in(org, text) if text and text.strip() else None
        return text if named and all(pk in self._allowed for pk in named) else ""

    # --- objects -------------------------------------------------------------------------------

    def event(self, event: Event) -> CalendarEntry | None:
        """What the public may see of an event, or None when it must not be listed."""
        org = event.organisation
        if not event.is_public or not self.allows(org, event.title):
            return None
        return replace(
            CalendarEntry.of(event),
            online_url="",  # a meeting link (often with its password) is for participants only
            place=self.text(org, event.place),
            programme=self.text(org, event.programme),
            speakers=self.text(org, event.speakers),
        )

    def events(self, events: Iterable[Event]) -> list[CalendarEntry]:
        return [entry for entry in map(self.event, events) if entry is not None]

    def practice(self, material: Material) -> PublicPractice | None:
        org = material.organisation
        if not self.allows(org, material.title):
            return None
        return PublicPractice(
            title=material.title,
            author=self.name(org, material.author),
            annotation=self.text(org, material.annotation),
            organisation=org,
        )

    def practices(self, materials: Iterable[Material]) -> list[PublicPractice]:
        return [p for p in map(self.practice, materials) if p is not None]

    def post(self, post: Post) -> bool:
        return self.allows(_post_source(post).organisation, _post_text(post))

    def posts(self, posts: Iterable[Post]) -> list[Post]:
        return [post for post in posts if self.post(post)]

    def page(self, page: PublicPage) -> PageTexts:
        org = page.organisation
        return PageTexts(self.text(org, page.about), self.text(org, page.contact_name))

    def roadmap(self, items: Iterable[RoadmapItem]) -> list[RoadmapItem]:
        return [item for item in items if self.allows(item.organisation, item.activity)]


def competition_names(
    org: Organisation, authors: list[str], texts: list[str]
) -> tuple[list[str], list[tuple[str, str, str]]]:
    """For a practice sent to a competition (library.competition): the author names that may
    be printed (they name register people who all allow «ФИО»; an author we cannot find has
    given no consent) and the names (last, first, middle) the texts give without a consent,
    to be taken out. One register query, one consent query."""
    records = registers([org])[org.pk]
    by_author = {author: set(find_named(author, records)) for author in authors}
    in_texts = set().union(*(find_named(text, records) for text in texts if text.strip()))
    everyone = set().union(*by_author.values()) | in_texts
    allowed = distribution_allowed(everyone, DistributionItem.NAME) if everyone else set()
    printed = [a for a, ids in by_author.items() if ids and all(i in allowed for i in ids)]
    blocked = everyone - allowed
    names = {r.key: (r.last, r.first, r.middle) for r in records if r.key in blocked}
    return printed, [names[pk] for pk in sorted(names)]
