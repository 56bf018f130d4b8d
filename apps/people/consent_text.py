"""The text of each consent form: the print form a person signs on paper, and the same form
in electronic form, as HTML and as the plain text an electronic consent stores."""

from __future__ import annotations

import hashlib
import html
import re

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from apps.core.text import lower_first
from apps.orgs.models import Organisation
from apps.people.choices import ConsentKind
from apps.people.consents import (
    DEFAULT_DATA,
    DEFAULT_PURPOSE,
    PROCESSING_ACTIONS,
    distribution_table,
    initials_first,
)
from apps.people.models import Consent, Person


def form_context(
    org: Organisation,
    person: Person,
    kind: str,
    *,
    consent: Consent | None = None,
    electronic: bool = False,
) -> dict:
    """What `people/consent_print_<kind>.html` needs; `consent` fills a given one's terms."""
    return {
        "org": org,
        "person": person,
        "signature": initials_first(person.full_name),
        "consent": consent,
        "kind_label": ConsentKind(kind).label,
        "doc_template": f"people/consent_print_{kind}.html",
        "purpose": consent.purpose if consent and consent.purpose else DEFAULT_PURPOSE[kind],
        "data_list": consent.data_list if consent and consent.data_list else DEFAULT_DATA[kind],
        "actions": PROCESSING_ACTIONS,
        "recipients": recipients_of(org),
        "resources": resources_of(org),
        "unit": duties_unit(person, kind),
        "processor": settings.PERSONAL_DATA_PROCESSOR,
        "distribution": distribution_table(consent),
        "today": timezone.localdate(),
        "electronic": electronic,
    }


def form_html(context: dict) -> str:
    return render_to_string(context["doc_template"], context)


BREAKS = re.compile(r"<br\s*/?>|</(?:p|h1|li|tr|ul|table)>", re.IGNORECASE)
CELL = re.compile(r"</t[dh]>", re.IGNORECASE)
TAG = re.compile(r"<[^>]+>")


def form_text(form_html: str) -> str:
    """The form as plain text, one paragraph a line: what an electronic consent stores."""
    text = CELL.sub(" | ", BREAKS.sub("\n", form_html))
    text = html.unescape(TAG.sub("", text)).replace("\u00a0", " ")
    lines = (re.sub(r"[ \t]+", " ", line).strip(" |") for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def duties_unit(person, kind: str) -> dict | None:
    """What a consent to extra duties is about, filled in when the pair already exists: the
    newest open unit the person leads or is in (reverse relations, programs sits above)."""
    if kind == ConsentKind.DUTIES_MENTOR:
        unit = (
            person.units_led.filter(status__in=("draft", "active"))
            .select_related("format", "pairing")
            .order_by("-start_date")
            .first()
        )
    elif kind == ConsentKind.DUTIES_MENTEE:
        member = (
            person.units_in.filter(is_open=True)
            .select_related("unit__mentor")
            .order_by("-unit__start_date")
            .first()
        )
        unit = member.unit if member else None
    else:
        return None
    if unit is None:
        return None
    mentees = [
        m.mentee.full_name for m in unit.members.filter(is_open=True).select_related("mentee")
    ]
    return {
        "mentor": unit.mentor.full_name,
        "mentees": mentees,
        "form": lower_first(unit.pairing.name) if kind == ConsentKind.DUTIES_MENTOR else "",
        "kind": lower_first(unit.format.name) if kind == ConsentKind.DUTIES_MENTOR else "",
        "start": unit.start_date,
        "end": unit.end_date,
    }


NETWORK_ADDRESSES = {
    "vk": ("ВКонтакте", "https://vk.com/{}"),
    "ok": ("Одноклассники", "https://ok.ru/group/{}"),
    "telegram": ("Telegram", "https://t.me/{}"),
    "max": ("MAX", "https://max.ru/{}"),
}


def resources_of(org) -> list[str]:
    """The exact addresses a distribution consent allows (приказ Роскомнадзора № 18): the
    school's site, the public pages of the school and the levels above, each official community
    (read through reverse relations: publicity sits above people)."""
    site = settings.SITE_URL.rstrip("/")
    chain = sorted(Organisation.objects.filter(pk__in=org.ancestor_ids()), key=lambda o: o.path)
    chain = [o for o in chain if o.pk != org.pk] + [org]
    found = [f"официальный сайт: {org.website}"] if org.website else []
    for o in reversed(chain):
        page = site + reverse("publicity:page", args=[o.slug])
        found.append(f"страница «Наставничество» ({o.short_name}): {page}")
        for account in o.social_accounts.filter(is_active=True).order_by("network"):
            label, pattern = NETWORK_ADDRESSES.get(account.network, (account.network, "{}"))
            found.append(f"{label} ({o.short_name}): {pattern.format(account.target.lstrip('@'))}")
    return found


def recipients_of(org) -> list[str]:
    """To whom the school's register is open besides itself: the methodical services above
    (they see staff without contacts) and, in network matching, the other schools below them."""
    above = list(Organisation.objects.filter(pk__in=org.ancestor_ids()).exclude(pk=org.pk))
    lines = [
        f"{o.name_in('dat')} — для методического сопровождения и мониторинга (без контактных "
        "данных)"
        for o in sorted(above, key=lambda o: o.path)
    ]
    if above:
        lines.append(
            "образовательным организациям, участвующим в сетевом подборе наставников, — "
            "фамилия, имя, отчество, должность, предметы и стаж"
        )
    return lines
