"""Every kind the notification centre knows reaches a linked user's MAX (unless the kind keeps
MAX off by default), with its title first and its link — delivered to the validating stub."""

import string

import pytest

from apps.maxbot.tests.conftest import link
from apps.notifications.kinds import KINDS
from apps.notifications.models import Delivery
from apps.notifications.services import notify
from apps.notifications.tests.helpers import pair
from tests.clock import on_school_day

pytestmark = on_school_day

MAX_KINDS = sorted(code for code, spec in KINDS.items() if spec.default_on("max"))


def context_for(spec) -> dict:
    """A value for every field the kind's texts, link and buttons name."""
    fields = {
        name
        for template in (spec.title, spec.text)
        for _text, name, _spec, _conv in string.Formatter().parse(template)
        if name
    }
    keys = set(spec.url_keys) | {k for _label, _name, keys in spec.actions for k in keys}
    values = dict.fromkeys(fields, "тест")
    values.update({k: ("abc" if k == "token" else 1) for k in keys})
    return values


def test_most_kinds_use_max():
    assert len(MAX_KINDS) >= 15


@pytest.mark.parametrize("code", MAX_KINDS)
def test_the_kind_arrives_in_max(school, max_stub, django_capture_on_commit_callbacks, code):
    _unit, mentor, _mentee = pair(school)
    link(mentor.user, 1001)
    spec = KINDS[code]
    context = {**context_for(spec), "org_id": school.pk}  # the notification's organisation
    with django_capture_on_commit_callbacks(execute=True):
        notify(mentor, code, context=context, key=f"every:{code}")
    [message] = max_stub.messages_to(user_id=1001)
    assert message["body"]["text"].startswith(spec.title.format(**context))
    assert Delivery.objects.get(channel="max").status == "sent"
