from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe

from apps.audit.services import log_card_view
from apps.core.addresses import id_prefix
from apps.orgs.access import POST_ONLY, SCHOOL, can, org_view
from apps.orgs.choices import Role
from apps.orgs.models import Membership, Organisation, User
from apps.orgs.params import BadParameter, id_param, search_text
from apps.orgs.services import RoleError, grantable_roles
from apps.people.accounts import LinkRefused, account_matches, link_account, person_matches
from apps.people.choices import Category, ConsentKind, PersonStatus
from apps.people.consents import consent_state
from apps.people.forms import InviteForm, PersonFilterForm, PersonForm, esc
from apps.people.models import Person
from apps.people.picker import FOUND_LIMIT, SAFE_NAME, SCOPES, scope_people, search_people
from apps.people.queries import full_name, staff_list_rows, staff_search, subject_names
from apps.people.services import archive_person, invite_person, restore_person, save_person

PAGE_SIZE = 50


def get_person(org: Organisation, person_id: int) -> Person:
    """A person of `org` (or of a school below it); anything else is 404."""
    return get_object_or_404(
        Person.objects.within(org).select_related("organisation", "user"), pk=person_id
    )


@org_view("staff.view")
def person_list(request, org):
    schools = (
        None
        if org.is_school
        # The name is all the filter and the search need of a school.
        else Organisation.objects.subtree(org).schools().only("short_name")
    )
    form = PersonFilterForm(request.GET or None, schools=schools)
    data = form.cleaned_data if form.is_valid() else {}
    people = staff_search(
        Person.objects.within(org),
        q=data.get("q") or "",
        status=data.get("status") or "",
        category=data.get("category") or "",
        young=bool(data.get("young")),
        school=data.get("school"),
    )
    rows = staff_list_rows(people, with_school=not org.is_school)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/person_list.html",
        {
            "org": org,
            "form": form,
            "page": page,
            "rows": _row_html(page, org),
            "can_edit": org.is_school and can(request, "staff.edit"),
            "query": query.urlencode(),
        },
    )


_YOUNG = ' <span class="badge badge-soft ms-1">молодой специалист</span>'
_MENTOR = ' <span class="badge text-bg-warning ms-1">педагог-наставник</span>'
_STATUS = {
    PersonStatus.ARCHIVED: ' <span class="badge text-bg-secondary ms-1">архив</span>',
    PersonStatus.LEAVE: ' <span class="badge text-bg-light ms-1">отпуск</span>',
}
_PROCESSING = {
    True: '<span class="consent-ok">✓ есть</span>',
    False: '<span class="consent-missing">✗ нет</span>',
}


def _row_html(page, org: Organisation) -> list[str]:
    """The page's rows as HTML (the table's head and its empty row are in person_list.html),
    written here: a template loop per row with a `{% url %}` and a subjects queryset in it cost
    more than all the rest of the page. Every value is escaped with `esc`."""
    people = list(page)
    subjects = subject_names(p["pk"] for p in people)
    # Person detail URLs differ by the trailing id only.
    detail = esc(id_prefix("people:person-detail", org.pk))
    categories = {code: str(label) for code, label in Category.choices}
    rows = []
    for p in people:
        badges = (
            (_YOUNG if p["is_young_specialist"] else "")
            + (_MENTOR if p["mentor_title_since"] else "")
            + _STATUS.get(p["status"], "")
        )
        shown = ", ".join(subjects.get(p["pk"], ())) or "—"
        experience = "—" if p["teaching_experience"] is None else p["teaching_experience"]
        category = categories.get(p["category"], p["category"])
        school = "" if org.is_school else f"<td>{esc(p['organisation__short_name'])}</td>\n"
        rows.append(
            mark_safe(
                f'<tr>\n<td><a href="{detail}{p["pk"]}/">{esc(full_name(p))}</a>{badges}</td>\n'
                f"<td>{esc(p['position'])}</td>\n"
                f'<td class="d-none d-md-table-cell">{esc(shown)}</td>\n'
                f'<td class="d-none d-lg-table-cell">{experience}</td>\n'
                f'<td class="d-none d-lg-table-cell">{esc(category)}</td>\n'
                f"{school}<td>{_PROCESSING[bool(p['has_processing'])]}</td>\n</tr>\n"
            )
        )
    return rows


@org_view("staff.edit", level=SCHOOL)
def person_create(request, org):
    form = PersonForm(request.POST or None, organisation=org, instance=Person(organisation=org))
    if request.method == "POST" and form.is_valid():
        person = save_person(
            person=form.instance,
            organisation=org,
            subject_names=form.subject_names(),
            level_codes=form.cleaned_data["level_list"],
        )
        messages.success(request, f"Сотрудник {person.full_name} добавлен в реестр.")
        return redirect("people:person-detail", org_id=org.pk, person_id=person.pk)
    return render(request, "people/person_form.html", {"org": org, "form": form})


@org_view("staff.view")
def person_detail(request, org, person_id):
    person = get_person(org, person_id)
    log_card_view(request, person)
    context = {"org": org, "person": person, "subjects": person.subjects.all()}
    if can(request, "consent.view"):
        consents = list(person.consents.order_by("-given_on", "-pk"))
        today = timezone.localdate()
        context["consent_states"] = [
            (code, label, consent_state(consents, code, today))
            for code, label in ConsentKind.choices
        ]
    if can(request, "members.manage") and person.organisation_id == org.pk:
        allowed = grantable_roles(org=org, granter_roles=request.roles)
        context["invite_form"] = InviteForm(allowed_roles=allowed, initial={"role": Role.MENTEE})
        context["person_roles"] = person.user.memberships.of(org) if person.user_id else []
        context["account_matches"] = account_matches(person) if org.is_school else []
    return render(request, "people/person_detail.html", context)


@org_view("staff.edit", level=SCHOOL)
def person_edit(request, org, person_id):
    person = get_person(org, person_id)
    form = PersonForm(request.POST or None, organisation=org, instance=person)
    if request.method == "POST" and form.is_valid():
        save_person(
            person=form.instance,
            organisation=org,
            subject_names=form.subject_names(),
            level_codes=form.cleaned_data["level_list"],
        )
        messages.success(request, "Изменения сохранены.")
        return redirect("people:person-detail", org_id=org.pk, person_id=person.pk)
    return render(request, "people/person_form.html", {"org": org, "form": form, "person": person})


@org_view("staff.edit", level=SCHOOL, methods=POST_ONLY)
def person_archive(request, org, person_id):
    person = get_person(org, person_id)
    archive_person(person=person)
    messages.success(request, f"{person.full_name} перенесён(а) в архив.")
    return redirect("people:person-detail", org_id=org.pk, person_id=person.pk)


@org_view("staff.edit", level=SCHOOL, methods=POST_ONLY)
def person_restore(request, org, person_id):
    person = get_person(org, person_id)
    restore_person(person=person)
    messages.success(request, f"{person.full_name} возвращён(а) из архива.")
    return redirect("people:person-detail", org_id=org.pk, person_id=person.pk)


@org_view("members.manage", level=SCHOOL, methods=POST_ONLY)
def person_invite(request, org, person_id):
    person = get_person(org, person_id)
    form = InviteForm(
        request.POST, allowed_roles=grantable_roles(org=org, granter_roles=request.roles)
    )
    if not person.email:
        messages.error(request, "Укажите e-mail сотрудника, чтобы пригласить его в систему.")
    elif person.status == PersonStatus.ARCHIVED:
        messages.error(request, "Сотрудник в архиве — сначала верните его из архива.")
    elif not form.is_valid():
        messages.error(request, "Выберите роль из списка.")
    else:
        try:
            created = invite_person(
                person=person, role=form.cleaned_data["role"], actor=request.user, request=request
            )
        except RoleError as error:
            messages.error(request, str(error))
        else:
            note = (
                f"Роль назначена. Письмо с приглашением на {person.email} поставлено в очередь "
                "на отправку."
                if created
                else "Роль добавлена."
            )
            messages.success(request, note)
    return redirect("people:person-detail", org_id=org.pk, person_id=person.pk)


@org_view("staff.view")
def person_search(request, org):
    """HTMX for a PersonPicker: people matching the typed text, or ?pick=<id> as a checked box."""
    scope = request.GET.get("scope", "current")
    name = request.GET.get("name", "people")
    target = request.GET.get("target", f"id_{name}")
    if scope not in SCOPES or not SAFE_NAME.fullmatch(name) or not SAFE_NAME.fullmatch(target):
        raise BadParameter("Поиск сотрудников: неверные параметры запроса.")
    people = scope_people(org, scope)
    context = {"name": name, "target": target}
    if "pick" in request.GET:
        pk = id_param(request.GET["pick"], what="сотрудника")
        context["picked"] = get_object_or_404(people, pk=pk)
        return render(request, "people/person_search.html", context)
    query = search_text(request.GET.get(f"{name}-search"))
    found = search_people(people, query)
    context.update(
        query=query, found=found[:FOUND_LIMIT], more=len(found) > FOUND_LIMIT, limit=FOUND_LIMIT,
        pick_url=request.path + "?" + urlencode({"scope": scope, "name": name, "target": target}),
    )  # fmt: skip
    return render(request, "people/person_search.html", context)


@org_view("members.manage", level=SCHOOL, methods=POST_ONLY)
def person_link(request, org, person_id):
    """The curator confirms an offered match: this account is this staff record's."""
    person = get_person(org, person_id)
    user_id = id_param(request.POST.get("user"), what="учётной записи")
    user = next((u for u in account_matches(person) if u.pk == user_id), None)
    if user is None:
        messages.error(
            request,
            "Эту учётную запись нельзя связать с сотрудником: её нет среди предложенных "
            "(совпадение по e-mail или ФИО, роль в этой школе, без другого сотрудника).",
        )
    else:
        try:
            link_account(person=person, user=user)
        except LinkRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, f"Учётная запись {user.email} связана с сотрудником.")
    back = request.POST.get("back") == "account"
    if back and user is not None:
        return redirect("people:account-match", org_id=org.pk, user_id=user.pk)
    return redirect("people:person-detail", org_id=org.pk, person_id=person.pk)


@org_view("members.manage", level=SCHOOL)
def account_match(request, org, user_id):
    """From «Пользователи и роли»: which staff record is this account's."""
    members = Membership.objects.of(org).values("user_id")
    account = get_object_or_404(User.objects.filter(pk__in=members), pk=user_id)
    linked = Person.objects.filter(user=account).select_related("organisation").first()
    return render(
        request,
        "people/account_match.html",
        {
            "org": org,
            "account": account,
            "linked": linked,
            "matches": [] if linked else person_matches(account, org),
        },
    )
