import io

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from apps.audit.context import client_ip
from apps.core.office import PdfUnavailable, to_pdf
from apps.core.years import academic_year
from apps.documents import signing
from apps.documents.context import PLACEHOLDERS, DocumentRuleError
from apps.documents.extensions import ARCHIVE_JOB
from apps.documents.forms import (
    CodeForm,
    IssueForm,
    QualifiedSignatureForm,
    ScanForm,
    SettingsForm,
    TemplateUploadForm,
    VerifyForm,
)
from apps.documents.models import (
    ACKNOWLEDGED_KINDS,
    AGREEMENT_KINDS,
    DocKind,
    DocStatus,
    Document,
    DocumentSettings,
    PolozhenieSection,
    SchoolTemplate,
    Signature,
    SignaturePurpose,
    SigningCode,
)
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
from apps.orgs.access import POST_ONLY, SCHOOL, org_view, public_view
from apps.orgs.params import year_param
from apps.orgs.tenancy import get_for
from apps.programs.models import MentoringUnit

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The views that make files import their builders (python-docx, openpyxl, segno) inside: the
# pages do not need them, and a worker that never makes a file does not load them.


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
            "qualified_form": QualifiedSignatureForm(),
            "signatures": document.signatures.filter(purpose=SignaturePurpose.SIGN),
            "acknowledged": document.signatures.filter(
                purpose=SignaturePurpose.ACKNOWLEDGE
            ).count(),
            "missing": signing.missing_signers(document) if document.editable else [],
            "my_purpose": signing.purpose_for(document, request.user),
            "acknowledged_kind": document.kind in ACKNOWLEDGED_KINDS,
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
    if what == "signed" and document.signatures.exists():
        from apps.documents import marks

        try:
            data = marks.signed_copy(document)
        except PdfUnavailable as error:
            messages.error(request, str(error))
            return redirect("documents:detail", org_id=org.pk, document_id=document.pk)
        return FileResponse(
            io.BytesIO(data), as_attachment=True, filename=f"{base} (подписан).pdf",
            content_type="application/pdf",
        )  # fmt: skip
    if what == "acquaintance" and document.kind in ACKNOWLEDGED_KINDS:
        from apps.documents import marks

        return FileResponse(
            io.BytesIO(marks.acquaintance_sheet(document)), as_attachment=True,
            filename=f"Лист ознакомления — {base}.docx", content_type=DOCX,
        )  # fmt: skip
    if what == "sig":
        signature = document.signatures.exclude(signature_file="").first()
        if signature is not None:
            return FileResponse(
                signature.signature_file.open("rb"), as_attachment=True,
                filename=f"{base}.{signature.signature_file.name.rsplit('.', 1)[-1]}",
            )  # fmt: skip
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
    from apps.documents.docx_templates import shipped_template

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
    from apps.documents.archive import programme_docx

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
    from apps.documents.archive import diary_docx

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
    from apps.documents.archive import report_docx

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
    from apps.documents.registers import register_file

    year = year_param(request.GET.get("year"), academic_year())
    name, data = register_file(org, register, year)
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=name, content_type=XLSX)


# --- electronic signatures ---------------------------------------------------------------------


def _meta(request) -> tuple[str | None, str]:
    return client_ip(request), request.META.get("HTTP_USER_AGENT", "")[:300]


@org_view("documents.sign", level=SCHOOL)
def my_signatures(request, org):
    """What waits for my signature or acknowledgement, and the ПЭП rules to accept once."""
    problem = signing.pep_problem(org)
    candidates = (
        Document.objects.of(org)
        .exclude(status=DocStatus.CANCELLED)
        .filter(
            Q(status__in=(DocStatus.DRAFT, DocStatus.SIGNING), kind__in=AGREEMENT_KINDS,
              person__user=request.user)
            | Q(status=DocStatus.SIGNED, kind__in=ACKNOWLEDGED_KINDS)
            | Q(status=DocStatus.SIGNING)
        )
        .select_related("person")
        .order_by("-date", "-pk")[:200]
    )  # fmt: skip
    head = signing.is_head(org, request.user)
    has_person = signing.person_of(org, request.user) is not None
    done = set(
        Signature.objects.of(org).filter(user=request.user).values_list("document_id", "purpose")
    )
    waiting = []
    for document in candidates:
        own_agreement = (
            document.kind in AGREEMENT_KINDS
            and document.person is not None
            and document.person.user_id == request.user.pk
        )
        if document.editable and (head or own_agreement):
            purpose = SignaturePurpose.SIGN
        elif document.status == DocStatus.SIGNED and has_person:
            purpose = SignaturePurpose.ACKNOWLEDGE
        else:
            continue
        if (document.pk, purpose) not in done:
            waiting.append((document, purpose))
    return render(
        request,
        "documents/my_signatures.html",
        {
            "org": org,
            "problem": problem,
            "rules": signing.pep_rules(org),
            "accepted": signing.has_accepted(org, request.user),
            "waiting": waiting,
            "signed": Signature.objects.of(org)
            .filter(user=request.user)
            .select_related("document")
            .order_by("-signed_at")[:50],
        },
    )


@org_view("documents.sign", level=SCHOOL, methods=POST_ONLY)
def pep_accept(request, org):
    ip, agent = _meta(request)
    try:
        signing.accept_pep(org=org, user=request.user, ip=ip, user_agent=agent)
    except signing.SigningError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Положение принято: документы можно подписывать кодом из письма.")
    return redirect("documents:my-signatures", org_id=org.pk)


def _sign_context(request, org, document, **extra):
    purpose = signing.purpose_for(document, request.user)
    mine = Signature.objects.filter(document=document, user=request.user).first()
    rules = document.kind == DocKind.PEP_RULES and document.status == DocStatus.SIGNED
    return {
        "org": org,
        # Only what the user signs, has signed, or must read before accepting ПЭП.
        "document": document if (purpose or mine or rules) else None,
        "purpose": purpose,
        "mine": mine,
        "problem": signing.pep_problem(org),
        "accepted": signing.has_accepted(org, request.user),
        "code_form": CodeForm(),
        "code_sent": SigningCode.objects.filter(
            document=document, user=request.user, used_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).exists(),
        "minutes": signing.MINUTES_TEXT,
        **extra,
    }  # fmt: skip


@org_view("documents.sign", level=SCHOOL)
def sign_page(request, org, document_id):
    """Read the exact PDF, get a one-time code by e-mail, confirm it."""
    document = get_document(org, document_id)
    ctx = _sign_context(request, org, document)
    if ctx["document"] is not None:
        try:
            pdf = signing.frozen_pdf(document)
        except PdfUnavailable as error:
            ctx["pdf_error"] = str(error)
        else:
            if request.GET.get("view") == "pdf":
                response = HttpResponse(pdf, content_type="application/pdf")
                response["Content-Disposition"] = f'inline; filename="document-{document.pk}.pdf"'
                # Framed by the signing page itself (the only page allowed to frame it).
                response["X-Frame-Options"] = "SAMEORIGIN"
                response._csp_replace = {"frame-ancestors": ["'self'"]}
                return response
    return render(request, "documents/sign.html", ctx)


@org_view("documents.sign", level=SCHOOL, methods=POST_ONLY)
def sign_code(request, org, document_id):
    document = get_document(org, document_id)
    purpose = signing.purpose_for(document, request.user) or SignaturePurpose.SIGN
    try:
        signing.send_code(document=document, user=request.user, purpose=purpose)
    except (signing.SigningError, PdfUnavailable) as error:
        messages.error(request, getattr(error, "message", str(error)))
    else:
        messages.success(
            request,
            f"Код отправлен на {request.user.email}. Он действует {signing.MINUTES_TEXT}.",
        )
    return redirect("documents:sign", org_id=org.pk, document_id=document.pk)


@org_view("documents.sign", level=SCHOOL, methods=POST_ONLY)
def sign_confirm(request, org, document_id):
    document = get_document(org, document_id)
    form = CodeForm(request.POST)
    ip, agent = _meta(request)
    if not form.is_valid():
        messages.error(request, "Введите код из письма: шесть цифр.")
        return redirect("documents:sign", org_id=org.pk, document_id=document.pk)
    try:
        signature = signing.confirm_code(
            document=document, user=request.user, value=form.cleaned_data["code"], ip=ip,
            user_agent=agent,
        )  # fmt: skip
    except signing.SigningError as error:
        messages.error(request, error.message)
    else:
        done = "Ознакомление подтверждено" if signature.purpose == "acknowledge" else "Подписано"
        messages.success(request, f"{done} простой электронной подписью.")
    return redirect("documents:sign", org_id=org.pk, document_id=document.pk)


@org_view("documents.manage", level=SCHOOL, methods=POST_ONLY)
def document_qualified(request, org, document_id):
    """A qualified signature made in КриптоПро / Госключ: the .sig is checked and kept."""
    document = get_document(org, document_id)
    form = QualifiedSignatureForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(
            request, "Выберите файл отсоединённой подписи (.sig или .p7s) или подписанный PDF."
        )
    else:
        try:
            signature = signing.attach_qualified(
                document=document, upload=form.cleaned_data["signature"], by=request.user
            )
        except (signing.SigningError, PdfUnavailable) as error:
            messages.error(request, getattr(error, "message", str(error)))
        else:
            messages.success(
                request,
                f"Подпись проверена: сертификат {signature.cert_serial}, владелец "
                f"{signature.cert_owner}. Цепочка до аккредитованного удостоверяющего центра "
                "не проверялась (проверка без доступа в интернет).",
            )
    return redirect("documents:detail", org_id=org.pk, document_id=document.pk)


VERIFY_LIMIT = 30  # requests per address per 10 minutes
VERIFY_WINDOW = 600


def _verify_allowed(request) -> bool:
    key = f"documents-verify:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, VERIFY_WINDOW)
    try:
        used = cache.incr(key)
    except ValueError:
        used = 1
    return used <= VERIFY_LIMIT


@public_view
def verify(request, token):
    """Public check of a signed document: what the QR code opens. No names: the kind, number,
    date, the signers' positions and dates; an uploaded copy is hashed and compared."""
    document = (
        Document.objects.filter(verify_token=token)
        .exclude(verify_token="")
        .select_related("organisation")
        .first()
    )
    if document is None or len(token) < 16:
        raise Http404
    result, status = None, 200
    form = VerifyForm()
    if not _verify_allowed(request):
        result, status = "limit", 429
    elif request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["copy"]
            result = "match" if signing.match_copy(document, upload.read()) else "differs"
    signatures = Signature.objects.filter(document=document, purpose=SignaturePurpose.SIGN)
    acknowledged = Signature.objects.filter(
        document=document, purpose=SignaturePurpose.ACKNOWLEDGE
    ).count()
    return render(
        request,
        "documents/verify.html",
        {
            "document": document, "signatures": signatures, "acknowledged": acknowledged,
            "form": form, "result": result,
        },
        status=status,
    )  # fmt: skip
