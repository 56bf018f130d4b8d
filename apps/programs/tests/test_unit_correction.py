"""Correcting a unit: edit and delete while «Проект», launch by hand, in bulk or by the signed
pairs order, and the unit's visible history."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.banks.models import Profile, ProfileStatus
from apps.banks.services import add_profile
from apps.documents.models import Document
from apps.documents.services import attach_scan
from apps.programs.models import MentoringUnit, UnitHistory
from apps.programs.queries import unit_status_counts
from apps.programs.services import UnitRuleError, activate_unit, end_unit, update_unit
from apps.programs.tests.test_units import END, START, dicts, make, person  # noqa: F401
from tests.clock import on_school_day
from tests.html import errors, texts

pytestmark = on_school_day


@pytest.fixture
def draft(school, dicts):  # noqa: F811
    mentor = person(school, "duties_mentor")
    mentee = person(school, "duties_mentee", experience=1)
    for p, kind in ((mentor, "mentor"), (mentee, "mentee")):
        add_profile(org=school, person=p, kind=kind, values={}, by=None)
    return make(school, dicts, mentor, [mentee])


def url(name, unit):
    return reverse(f"programs:{name}", args=[unit.organisation_id, unit.pk])


def form_data(unit, **changes):
    data = {
        "mentor": unit.mentor_id, "pairing": unit.pairing_id, "format": unit.format_id,
        "start": unit.start_date.strftime("%d.%m.%Y"), "end": unit.end_date.strftime("%d.%m.%Y"),
        "mentees": [m.mentee_id for m in unit.members.all()],
    }  # fmt: skip
    data.update(changes)
    return data


def test_it_edits_the_dates_and_members_of_a_draft(draft, curator_client, school):
    newcomer = person(school, experience=1)
    add_profile(org=school, person=newcomer, kind="mentee", values={}, by=None)
    old_mentee = draft.members.get().mentee
    response = curator_client.post(
        url("unit-edit", draft),
        form_data(draft, start="15.09.2026", mentees=[newcomer.pk]),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.start_date == datetime.date(2026, 9, 15)
    assert list(draft.members.values_list("mentee_id", "joined_on")) == [
        (newcomer.pk, datetime.date(2026, 9, 15))
    ]
    assert Profile.objects.get(person=old_mentee).status == ProfileStatus.IN_BANK
    assert Profile.objects.get(person=newcomer).status == ProfileStatus.PAIRED
    page = curator_client.get(url("unit-detail", draft))
    history = texts(page, "#unit-history li")
    assert len(history) == 2
    assert "сроки: 01.09.2026 — 31.05.2027 → 15.09.2026 — 31.05.2027" in history[0]
    assert f"исключены: {old_mentee.short_name}" in history[0]
    assert history[1].endswith("Сформирована (статус «Проект»).")


def test_it_shows_the_edit_form_filled_from_the_unit(draft, curator_client):
    form = curator_client.get(url("unit-edit", draft)).context["form"]
    assert (form.initial["mentor"], form.initial["start"]) == (draft.mentor, START)


def test_it_refuses_a_bad_edit_and_changes_nothing(draft, curator_client):
    response = curator_client.post(url("unit-edit", draft), form_data(draft, end="01.08.2026"))
    assert errors(response) == [
        "Изменения не сохранены: Дата окончания должна быть позже даты начала."
    ]
    draft.refresh_from_db()
    assert draft.end_date == END


def test_it_refuses_a_nonsense_date_with_a_message(draft, curator_client):
    response = curator_client.post(url("unit-edit", draft), form_data(draft, start="99.99.9999"))
    assert response.status_code == 200
    assert response.context["form"].errors["start"] == ["Введите правильную дату."]


def test_it_does_not_edit_a_launched_unit(draft, curator_client):
    activate_unit(unit=draft)
    response = curator_client.post(url("unit-edit", draft), form_data(draft, start="15.09.2026"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.start_date == START
    with pytest.raises(UnitRuleError):
        update_unit(
            unit=draft, mentor=draft.mentor, co_mentor=None, mentees=[], pairing=draft.pairing,
            format=draft.format, start=START, end=END, by=None,
        )  # fmt: skip


def test_it_deletes_a_draft_after_confirmation(draft, curator_client, school):
    mentee = draft.members.get().mentee
    confirm = curator_client.get(url("unit-delete", draft))
    assert confirm.status_code == 200
    assert MentoringUnit.objects.filter(pk=draft.pk).exists()
    response = curator_client.post(url("unit-delete", draft))
    assert response.status_code == 302
    assert not MentoringUnit.objects.filter(pk=draft.pk).exists()
    assert Profile.objects.get(person=mentee).status == ProfileStatus.IN_BANK
    assert Profile.objects.get(person=draft.mentor).status == ProfileStatus.IN_BANK


def test_it_keeps_a_launched_unit_and_one_named_in_an_order(draft, curator_client, school):
    document = Document.objects.create(
        organisation=school, kind="pairs", series="order", year=2026, seq=1, number="5-о",
        date=datetime.date(2026, 9, 1), title="О закреплении",
    )  # fmt: skip
    document.units.set([draft])
    curator_client.post(url("unit-delete", draft))
    assert MentoringUnit.objects.filter(pk=draft.pk).exists()
    document.status = "cancelled"
    document.save()
    activate_unit(unit=draft)
    curator_client.post(url("unit-delete", draft))
    assert MentoringUnit.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("name", ["unit-edit", "unit-delete"])
def test_it_refuses_the_head_and_another_school(name, draft, head_client, outsider_client):
    assert head_client.post(url(name, draft)).status_code == 403
    assert outsider_client.post(url(name, draft)).status_code == 404
    assert MentoringUnit.objects.filter(pk=draft.pk).exists()


def test_the_signed_pairs_order_launches_its_units(draft, school, curator):
    document = Document.objects.create(
        organisation=school, kind="pairs", series="order", year=2026, seq=1, number="7-о",
        date=datetime.date(2026, 9, 1), title="О закреплении", status="signing",
    )  # fmt: skip
    document.units.set([draft])
    attach_scan(document, SimpleUploadedFile("s.pdf", b"%PDF-1.4\n%%EOF\n"), by=curator)
    draft.refresh_from_db()
    assert draft.status == "active"
    assert UnitHistory.objects.filter(unit=draft).first().text == (
        "Запущена приказом № 7-о от 01.09.2026: статус «Действует» с 01.09.2026."
    )


def test_it_launches_the_selected_drafts(draft, curator_client, school, dicts):  # noqa: F811
    other = make(school, dicts, person(school), [person(school, experience=1)])
    end_unit(unit=other, completed=False, ended_on=START, ended_by="school", reason="Ошибка")
    response = curator_client.post(
        reverse("programs:unit-launch", args=[school.pk]), {"unit": [draft.pk, other.pk, "x"]}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "active"
    assert unit_status_counts([school.pk])[school.pk] == {"active": 1, "terminated": 1}


def test_the_bulk_launch_refuses_get_the_head_and_an_empty_choice(
    draft, curator_client, head_client, school
):
    launch = reverse("programs:unit-launch", args=[school.pk])
    assert curator_client.get(launch).status_code == 405
    assert head_client.post(launch, {"unit": [draft.pk]}).status_code == 403
    response = curator_client.post(launch, {}, follow=True)
    assert texts(response, ".alert-danger") == ["Отметьте пары и группы, которые нужно запустить."]
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_another_schools_unit_is_not_launched(draft, outsider_client, other_school):
    outsider_client.post(
        reverse("programs:unit-launch", args=[other_school.pk]), {"unit": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_units_page_counts_statuses_with_the_shared_helper(draft, curator_client, school):
    page = curator_client.get(reverse("programs:unit-list", args=[school.pk]))
    assert [(c, n) for c, _label, n in page.context["statuses"]] == [
        ("draft", 1), ("active", 0), ("completed", 0), ("terminated", 0),
    ]  # fmt: skip


def test_it_keeps_a_draft_with_feedback_surveys(draft, curator_client, school):
    from apps.surveys.models import Campaign
    from apps.surveys.services import install_shipped

    Campaign.objects.create(
        organisation=school, template=install_shipped(org=school)[0], title="Начало",
        deadline=datetime.date(2026, 12, 20), unit=draft,
    )  # fmt: skip
    response = curator_client.post(url("unit-delete", draft), follow=True)
    assert texts(response, ".alert-danger") == [
        "По паре уже рассылались анкеты мониторинга: её не удалить — прекратите её досрочно с "
        "причиной «сформирована по ошибке»."
    ]
    assert MentoringUnit.objects.filter(pk=draft.pk).exists()


def test_the_acts_after_launch_are_on_the_page_and_in_the_history(
    draft, curator_client, school, curator
):
    from apps.programs.services import replace_mentor

    activate_unit(unit=draft, by=curator)
    page = curator_client.get(url("unit-detail", draft))
    assert [a.text for a in select_links(page)] == [
        "Заменить наставника",
        "Завершить или прекратить",
    ]
    old = draft.mentor
    new = person(school, "duties_mentor")
    replace_mentor(unit=draft, new_mentor=new, reason="Переезд", by=curator)
    end_unit(unit=draft, completed=False, ended_on=datetime.date(2026, 11, 30), ended_by="mentee",
             reason="Увольнение", by=curator)  # fmt: skip
    history = [t.split(" ", 2)[2] for t in texts(curator_client.get(url("unit-detail", draft)),
                                                  "#unit-history li")]  # fmt: skip
    who = f" ({curator})"
    assert history[:3] == [
        "Прекращена досрочно 30.11.2026 по инициативе: наставляемый. Причина: Увольнение" + who,
        f"Замена наставника: {old.short_name} → {new.short_name}. Причина: Переезд" + who,
        "Запущена: статус «Действует» с 01.09.2026." + who,
    ]


def select_links(page):
    from tests.html import select

    return select(page, ".page-header a.btn")
