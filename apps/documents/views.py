import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from apps.core.office import PdfUnavailable, to_pdf
from apps.core.years import academic_year
from apps.documents.archive import ARCHIVE_JOB, diary_docx, programme_docx, report_docx
from apps.documents.context import PLACEHOLDERS, DocumentRuleError
from apps.documents.docx_templates import shipped_template
from apps.documents.forms import IssueForm, ScanForm, SettingsForm, TemplateUploadForm
from apps.documents.models import (
    DocKind,
    DocStatus,
    Document,
    DocumentSettings,
    PolozhenieSection,
    SchoolTemplate,
)
from apps.documents.registers import register_file
from apps.documents.services import (
    DocumentStateError,
    attach_scan,
    issue,
    polozhenie_source,
    reset_polozhenie,
    save_polozhenie,
    save_school_template,
    set_status,
    template_for,
)
from apps.jobs.services import start_job
from apps.jobs.views import job_file, job_page
from apps.orgs.access import POST_ONLY, SCHOOL, org_view
from apps.orgs.params import year_param
from apps.orgs.tenancy import get_for
from apps.programs.models import MentoringUnit

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def get_document(org, document_id) -> Document:
    return get_for(org, Document, document_id)


def _kind(value: str) -> str:
    if value not in DocKind.values:
        raise Http404
    return value


@org_view("documents.view", level=SCHOOL)
def document_list(request, org):
    documents = Document.objects.of(org).select_related("person", "created_by")
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    if kind in DocKind.values:
        documents = documents.filter(kind=kind)
    if status in DocStatus.values:
        documents = documents.filter(status=status)
    counts = dict(Document.objects.of(org).values_list("status").annotate(n=Count("pk")))
    return render(
        request,
        "documents/list.html",
        {
            "org": org,
            "documents": documents.annotate(unit_count=Count("units"))[:300],
            "kinds": DocKind.choices,
            "statuses": [(c, label, counts.get(c, 0)) for c, label in DocStatus.choices],
            "kind": kind,
            "status": status,
            "year": academic_year(),
        },
    )


@org_view("documents.manage", level=SCHOOL)
def document_create(request, org, kind):
    kind = _kind(kind)
    form = IssueForm(request.POST or None, org=org, kind=kind)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = issue(
                org=org,
                kind=kind,
                by=request.user,
                day=data["date"],
                unit_ids=[u.pk for u in data.get("units") or []],
                person=data.get("person"),
            )
        except DocumentRuleError as error:
            errors = error.messages
        else:
            messages.success(request, f"Документ № {document.number} подготовлен (черновик).")
            return redirect("documents:detail", org_id=org.pk, document_id=document.pk)
    return render(
        request,
        "documents/create.html",
        {"org": org, "form": form, "kind": kind, "kind_label": DocKind(kind).label,
         "errors": errors},
    )  # fmt: skip


@org_view("documents.view", level=SCHOOL)
def document_detail(request, org, document_id):
    document = get_document(org, document_id)
    units = document.units.select_related("mentor", "format").prefetch_related("members__mentee")
    return render(
        request,
        "documents/detail.html",
        {
            "org": org,
            "document": document,
            "units": units,
            "scan_form": ScanForm(),
            "versions": Document.objects.filter(replaces=document),
        },
    )


@org_view("documents.view", level=SCHOOL)
def document_file(request, org, document_id, what):
    document = get_document(org, document_id)
    base = f"{document.get_kind_display()} № {document.number}".replace("/", "-")
    if what == "docx":
        return FileResponse(
            document.file.open("rb"), as_attachment=True, filename=f"{base}.docx",
            content_type=DOCX,
        )  # fmt: skip
    if what == "pdf":
        if not document.pdf:
            try:
                with document.file.open("rb") as source:
                    data = to_pdf(source.read())
            except PdfUnavailable as error:
                messages.error(request, str(error))
                return redirect("documents:detail", org_id=org.pk, document_id=document.pk)
            document.pdf.save(f"{document.kind}-{document.pk}.pdf", ContentFile(data))
        return FileResponse(
            document.pdf.open("rb"), as_attachment=True, filename=f"{base}.pdf",
            content_type="application/pdf",
        )  # fmt: skip
    if what == "scan" and document.scan:
        return FileResponse(document.scan.open("rb"), as_attachment=True)
    raise Http404


@org_view("documents.manage", level=SCHOOL, methods=POST_ONLY)
def document_status(request, org, document_id):
    document = get_document(org, document_id)
    try:
        set_status(document, request.POST.get("status", ""), by=request.user)
    except (DocumentStateError, ValueError) as error:
        messages.error(request, getattr(error, "message", "Неизвестный статус."))
    else:
        messages.success(request, "Статус документа изменён.")
    return redirect("documents:detail", org_id=org.pk, document_id=document.pk)


@org_view("documents.manage", level=SCHOOL, methods=POST_ONLY)
def document_scan(request, org, document_id):
    document = get_document(org, document_id)
    form = ScanForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attach_scan(document, form.cleaned_data["scan"], by=request.user)
        except DocumentStateError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Скан загружен: документ подписан и больше не меняется.")
    else:
        for error in form.errors.get("scan", []):
            messages.error(request, error)
    return redirect("documents:detail", org_id=org.pk, document_id=document.pk)


@org_view("documents.manage", level=SCHOOL, methods=POST_ONLY)
def document_reissue(request, org, document_id):
    """A new version with today's data; the old one is cancelled."""
    document = get_document(org, document_id)
    if document.status == DocStatus.CANCELLED:
        messages.error(request, "Документ уже отменён.")
        return redirect("documents:detail", org_id=org.pk, document_id=document.pk)
    try:
        new = issue(
            org=org, kind=document.kind, by=request.user,
            unit_ids=list(document.units.values_list("pk", flat=True)),
            person=document.person, replaces=document,
        )  # fmt: skip
    except DocumentRuleError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("documents:detail", org_id=org.pk, document_id=document.pk)
    messages.success(request, f"Выпущена новая версия № {new.number}; № {document.number} отменён.")
    return redirect("documents:detail", org_id=org.pk, document_id=new.pk)


@org_view("documents.view", level=SCHOOL)
def template_download(request, org, kind):
    kind = _kind(kind)
    return FileResponse(
        io.BytesIO(template_for(org, kind) if request.GET.get("own") else shipped_template(kind)),
        as_attachment=True,
        filename=f"Шаблон — {DocKind(kind).label}.docx", content_type=DOCX,
    )  # fmt: skip


@org_view("documents.view", post="documents.manage", level=SCHOOL)
def document_settings(request, org):
    settings = DocumentSettings.objects.of(org).first() or DocumentSettings(organisation=org)
    form = SettingsForm(request.POST or None, instance=settings)
    upload = TemplateUploadForm()
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Настройки документов сохранены.")
        return redirect("documents:list", org_id=org.pk)
    return _settings_page(request, org, form, upload)


def _settings_page(request, org, form, upload, status=200):
    own = {t.kind: t for t in SchoolTemplate.objects.of(org)}
    return render(
        request,
        "documents/settings.html",
        {
            "org": org,
            "form": form,
            "upload": upload,
            "placeholders": PLACEHOLDERS,
            "kinds": [(code, label, own.get(code)) for code, label in DocKind.choices],
        },
        status=status,
    )


@org_view("documents.manage", level=SCHOOL, methods=POST_ONLY)
def template_upload(request, org):
    upload = TemplateUploadForm(request.POST, request.FILES)
    if upload.is_valid():
        try:
            _template, fixed, left = save_school_template(
                org=org, kind=upload.cleaned_data["kind"], upload=upload.cleaned_data["file"],
                by=request.user,
            )  # fmt: skip
        except ValidationError as error:
            upload.add_error("file", error)
        else:
            messages.success(request, "Шаблон школы загружен: новые документы будут по нему.")
            if fixed:
                messages.info(request, "Исправлено по ГОСТ Р 7.0.97: " + "; ".join(fixed) + ".")
            if left:
                messages.warning(
                    request,
                    "Исправьте в Word (Главная → Шрифт), иначе документ не пройдёт проверку: "
                    + "; ".join(left[:8]) + ("; …" if len(left) > 8 else "") + ".",
                )  # fmt: skip
            return redirect("documents:settings", org_id=org.pk)
    settings = DocumentSettings.objects.of(org).first() or DocumentSettings(organisation=org)
    return _settings_page(request, org, SettingsForm(instance=settings), upload)


@org_view("documents.manage", level=SCHOOL, methods=POST_ONLY)
def template_reset(request, org, kind):
    SchoolTemplate.objects.of(org).filter(kind=_kind(kind)).delete()
    messages.success(request, "Возвращён типовой шаблон.")
    return redirect("documents:settings", org_id=org.pk)


@org_view("documents.view", level=SCHOOL, methods=POST_ONLY)
def archive_download(request, org):
    """Start the ZIP for an inspection (signed acts, consents, ПНП, diaries — with contents) as a
    background job and show its progress."""
    year = year_param(request.POST.get("year"), academic_year())
    job = start_job(
        org=org, user=request.user, kind_code=ARCHIVE_JOB, title=f"Архив для проверки за {year}",
        params={"year": year},
    )  # fmt: skip
    return redirect("documents:archive-job", org_id=org.pk, job_id=job.pk)


@org_view("documents.view", level=SCHOOL)
def archive_job_page(request, org, job_id):
    return job_page(
        request, org, job_id, kind_code=ARCHIVE_JOB,
        file_url=reverse("documents:archive-file", args=[org.pk, job_id]),
        back_url=reverse("documents:list", args=[org.pk]), back="Документы",
    )  # fmt: skip


@org_view("documents.view", level=SCHOOL)
def archive_file(request, org, job_id):
    return job_file(org, job_id, kind_code=ARCHIVE_JOB)


@org_view("documents.view", post="documents.manage", level=SCHOOL)
def polozhenie_edit(request, org):
    """The Положение by sections: the school's wording goes into every new order."""
    sections = [(title, "\n\n".join(paragraphs)) for title, paragraphs in polozhenie_source(org)]
    errors: list[str] = []
    if request.method == "POST":
        if request.POST.get("reset"):
            reset_polozhenie(org=org)
            messages.success(request, "Возвращён типовой текст Положения.")
            return redirect("documents:polozhenie", org_id=org.pk)
        titles = request.POST.getlist("title")
        texts = request.POST.getlist("text")
        sections = [
            (t[:300], x) for t, x in zip(titles, texts, strict=False) if t.strip() or x.strip()
        ]
        try:
            save_polozhenie(org=org, sections=sections)
        except DocumentRuleError as error:
            errors = error.messages
        else:
            messages.success(request, "Текст Положения сохранён: он войдёт в новые приказы.")
            return redirect("documents:polozhenie", org_id=org.pk)
    return render(
        request,
        "documents/polozhenie.html",
        {
            "org": org,
            "sections": sections,
            "errors": errors,
            "own": PolozhenieSection.objects.of(org).exists(),
        },
    )


@org_view("units.view", level=SCHOOL)
def unit_programme(request, org, unit_id):
    """The unit's ПНП as a .docx (the same file the inspection archive holds)."""
    unit = get_for(
        org,
        MentoringUnit.objects.select_related("mentor", "format", "programme").prefetch_related(
            "members__mentee"
        ),
        unit_id,
    )
    tasks = (
        list(unit.programme.tasks.select_related("responsible").order_by("order", "pk"))
        if hasattr(unit, "programme")
        else []
    )
    return FileResponse(
        io.BytesIO(programme_docx(unit, tasks)),
        as_attachment=True,
        filename=f"ПНП — {unit.mentor.short_name}.docx",
        content_type=DOCX,
    )


@org_view("documents.view", level=SCHOOL)
def unit_diary(request, org, unit_id):
    """The unit's meetings diary as a .docx (the same file the inspection archive holds)."""
    unit = get_for(
        org,
        MentoringUnit.objects.select_related(
            "organisation", "mentor", "format", "pairing"
        ).prefetch_related("members__mentee"),
        unit_id,
    )
    meetings = list(unit.meetings.order_by("date", "pk"))
    return FileResponse(
        io.BytesIO(diary_docx(unit, meetings)),
        as_attachment=True,
        filename=f"Дневник встреч — {unit.mentor.short_name}.docx",
        content_type=DOCX,
    )


@org_view("units.view", level=SCHOOL)
def unit_report(request, org, unit_id):
    """The report on the unit's ПНП as a .docx: final once the unit ended, interim before."""
    unit = get_for(
        org,
        MentoringUnit.objects.select_related(
            "organisation", "mentor", "format", "pairing", "programme"
        ).prefetch_related("members__mentee"),
        unit_id,
    )
    tasks = (
        list(unit.programme.tasks.order_by("deadline", "order", "pk"))
        if hasattr(unit, "programme")
        else []
    )
    meetings = list(unit.meetings.order_by("date", "pk"))
    return FileResponse(
        io.BytesIO(report_docx(unit, tasks, meetings)),
        as_attachment=True,
        filename=f"Отчёт о реализации ПНП — {unit.mentor.short_name}.docx",
        content_type=DOCX,
    )


@org_view("documents.view", level=SCHOOL)
def register_download(request, org, register):
    """A register (orders, additional agreements, consents) of a school year as .xlsx."""
    year = year_param(request.GET.get("year"), academic_year())
    name, data = register_file(org, register, year)
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=name, content_type=XLSX)
