"""The destruction act as a document (приказ Роскомнадзора от 28.10.2022 № 179): one print form
(people/act_detail.html) for the page, the .docx download and the inspection archive."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from apps.people.consents import initials_first, term_sentence
from apps.people.models import DestructionAct


def act_context(act: DestructionAct) -> dict:
    org = act.organisation
    return {
        "org": org,
        "act": act,
        "head": initials_first(org.head_name),
        "processor": settings.PERSONAL_DATA_PROCESSOR,
        "term": term_sentence(act),
        "members": [(n, position, initials_first(n)) for n, position in act.commission_members],
    }


def act_html(act: DestructionAct) -> str:
    """The act's page as printed: the print form without the commission form."""
    return render_to_string("people/act_detail.html", {**act_context(act), "form": None})


def act_docx(act: DestructionAct) -> bytes:
    """The act with its journal export as .docx (LibreOffice; PdfUnavailable without it)."""
    from apps.core.office import print_form_docx

    return print_form_docx(act_html(act))
