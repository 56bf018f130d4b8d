import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render

from apps.core.fonts import FONT
from apps.documents.models import DocumentSettings
from apps.library.forms import MaterialForm
from apps.library.models import Material, MaterialKind, MaterialStatus, Visibility
from apps.library.search import search
from apps.library.services import ModerationError, moderate, save_material, visible
from apps.orgs.access import ABOVE_SCHOOL, POST_ONLY, can, org_view
from apps.orgs.params import int_or_none, search_text
from apps.orgs.tenancy import get_within

PAGE = 30


def _visible(request, org):
    return visible(org, manager=can(request, "library.manage"))


@org_view("library.view")
def material_list(request, org):
    materials = _visible(request, org)
    kind = request.GET.get("kind", "")
    if kind in MaterialKind.values:
        materials = materials.filter(kind=kind)
    query = search_text(request.GET.get("q"), 100_000)  # the length is checked below
    materials = search(materials, query) if query.strip() else materials
    page = Paginator(materials, PAGE).get_page(request.GET.get("page"))
    too_long = len(query) > 200
    return render(
        request,
        "library/list.html",
        {"org": org, "page": page, "query": query[:200], "kind": kind, "too_long": too_long,
         "kinds": MaterialKind.choices},
    )  # fmt: skip


def _get(request, org, material_id) -> Material:
    return get_object_or_404(_visible(request, org), pk=material_id)


@org_view("library.view")
def material_detail(request, org, material_id):
    material = _get(request, org, material_id)
    return render(
        request,
        "library/detail.html",
        {"org": org, "m": material, "own": material.organisation_id == org.pk or
         material.organisation.path.startswith(org.path), "visibilities": Visibility.choices},
    )  # fmt: skip


@org_view("library.view")
def material_file(request, org, material_id):
    material = _get(request, org, material_id)
    if not material.file:
        raise Http404
    return FileResponse(material.file.open("rb"), as_attachment=True)


@org_view("library.manage")
def material_edit(request, org, material_id=None):
    material = None
    if material_id:
        material = get_within(org, Material, material_id)
    form = MaterialForm(request.POST or None, request.FILES or None, instance=material, org=org)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if material is None:
            saved.organisation = org
        saved.competencies = form.cleaned_data["competencies"]
        save_material(saved, by=request.user)
        messages.success(request, "Материал сохранён.")
        return redirect("library:detail", org_id=org.pk, material_id=saved.pk)
    return render(request, "library/form.html", {"org": org, "form": form, "m": material})


@org_view("library.manage", methods=POST_ONLY)
def material_moderate(request, org, material_id):
    material = get_within(org, Material, material_id)
    try:
        moderate(material, request.POST.get("action", ""), visibility=request.POST.get("to"))
    except ModerationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Статус материала изменён.")
    return redirect("library:detail", org_id=org.pk, material_id=material.pk)


STATUS_LABELS = dict(MaterialStatus.choices)


# --- The competition «Лучшие практики наставничества» ---------------------------------------

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _font(org) -> str:
    settings = DocumentSettings.objects.of(org).first()
    return settings.font if settings else FONT


def _download(data: bytes, name: str, content_type: str) -> FileResponse:
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=name,
                        content_type=content_type)  # fmt: skip


@org_view("library.manage")
def material_competition(request, org, material_id):
    """The practice in the competition's form: .docx, or ?format=zip with its materials."""
    from apps.library import competition  # python-docx: loaded by the files only

    # Own drafts and the published practices of the branch (a methodist: the schools' ones).
    material = get_object_or_404(
        _visible(request, org).filter(Material.objects.q_within(org)).select_related("source_unit"),
        pk=material_id,
    )
    if material.kind != MaterialKind.PRACTICE:
        kind = material.get_kind_display()
        messages.error(request, f"В конкурс отправляют лучшие практики: у материала вид «{kind}». "
                       "Измените вид на «Лучшая практика».")  # fmt: skip
        return redirect("library:detail", org_id=org.pk, material_id=material.pk)
    entries = [competition.prepare(material)]
    document = competition.practices_docx(entries, font=_font(material.organisation))
    name = f"Практика {material.pk} — конкурс"
    if request.GET.get("format") == "zip":
        data = competition.materials_zip(entries, document=document, document_name=f"{name}.docx")
        return _download(data, f"{name}.zip", "application/zip")
    return _download(document, f"{name}.docx", DOCX)


@org_view("library.manage", level=ABOVE_SCHOOL)
def collection(request, org):
    """A municipal (regional) collection: published practices of the schools below, chosen by
    the methodist, as one .docx or a ZIP with the materials (a GET: nothing is written)."""
    practices = (
        Material.objects.within(org)
        .filter(kind=MaterialKind.PRACTICE, status=MaterialStatus.PUBLISHED)
        .select_related("organisation", "source_unit")
        .order_by("organisation__short_name", "title", "pk")
    )
    wanted = [i for i in (int_or_none(v) for v in request.GET.getlist("ids")) if i]
    if "format" in request.GET:
        from apps.library import competition  # python-docx: loaded by the files only

        chosen = list(practices.filter(pk__in=wanted[: competition.MAX_PRACTICES + 1]))
        try:
            competition.check_selection(chosen, len(set(wanted)))
        except competition.CompetitionError as error:
            messages.error(request, error.message)
        else:
            entries = [competition.prepare(m) for m in chosen]
            document = competition.practices_docx(entries, collection_of=org, font=_font(org))
            name = f"Сборник практик наставничества — {org.short_name}"
            if request.GET.get("format") == "zip":
                data = competition.materials_zip(entries, document=document,
                                                 document_name=f"{name}.docx")  # fmt: skip
                return _download(data, f"{name}.zip", "application/zip")
            return _download(document, f"{name}.docx", DOCX)
    page = Paginator(practices, PAGE).get_page(request.GET.get("page"))
    context = {"org": org, "page": page, "wanted": set(wanted)}
    return render(request, "library/collection.html", context)
