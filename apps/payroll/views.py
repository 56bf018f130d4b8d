import datetime
import io

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from apps.core.office import PdfUnavailable, to_pdf
from apps.documents.models import DocumentSettings
from apps.orgs.access import POST_ONLY, SCHOOL, org_view
from apps.orgs.tenancy import get_for
from apps.payroll.core import PayComputationError
from apps.payroll.forms import PayRuleForm
from apps.payroll.models import PayBasis, PayRegister, PayRule
from apps.payroll.services import (
    PayRuleError,
    compute_register,
    delete_rule,
    form_register,
    month_label,
    save_rule,
    total,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _month(request) -> tuple[int, int]:
    """?month=2026-12; anything else (or a year out of range) is the current month."""
    text = (request.GET.get("month") or request.POST.get("month") or "")[:7]
    try:
        year, month = (int(part) for part in text.split("-"))
        datetime.date(year, month, 1)
        if not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        today = timezone.localdate()
        return today.year, today.month
    return year, month


def _url(org, year: int, month: int, name: str = "payroll:register") -> str:
    return reverse(name, args=[org.pk]) + f"?month={year}-{month:02d}"


def _months_around(year: int, month: int) -> tuple[str, str]:
    before = (year - 1, 12) if month == 1 else (year, month - 1)
    after = (year + 1, 1) if month == 12 else (year, month + 1)
    return f"{before[0]}-{before[1]:02d}", f"{after[0]}-{after[1]:02d}"


@org_view("payroll.view", post="payroll.manage", level=SCHOOL)
def register(request, org):
    """The month's register: as formed (the snapshot) and as it would be formed now."""
    year, month = _month(request)
    if request.method == "POST":
        try:
            form_register(org=org, year=year, month=month, by=request.user)
        except PayComputationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Реестр доплат за {month_label(year, month)} сформирован.")
        return redirect(_url(org, year, month))
    error = None
    try:
        preview = compute_register(org, year, month)
    except PayComputationError as problem:
        preview, error = None, problem.message
    formed = PayRegister.objects.of(org).filter(year=year, month=month).first()
    shown = formed.rows if formed else (preview.rows if preview else [])
    before, after = _months_around(year, month)
    basis = formed.basis if formed else (preview.basis if preview else PayBasis.SUM)
    coefficient = basis == PayBasis.COEFFICIENT
    return render(request, "payroll/register.html", {
        "org": org, "year": year, "month": month, "label": month_label(year, month),
        "formed": formed, "preview": preview, "error": error, "rows": shown,
        "skipped": formed.skipped if formed else (preview.skipped if preview else []),
        "total": total(shown), "before": before, "after": after,
        "coefficient": coefficient, "places": 4 if coefficient else 2,
        "stale": bool(formed and preview and formed.rows != preview.rows),
        "has_rules": PayRule.objects.of(org).exists(),
        "value": f"{year}-{month:02d}",
    })  # fmt: skip


@org_view("payroll.view", post="payroll.manage", level=SCHOOL)
def rules(request, org):
    form = PayRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            save_rule(org=org, rule=form.save(commit=False), by=request.user)
        except PayRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Правило оплаты сохранено.")
            return redirect("payroll:rules", org_id=org.pk)
    items = PayRule.objects.of(org).order_by("-valid_from")
    doc_settings = DocumentSettings.objects.of(org).first() or DocumentSettings()
    return render(request, "payroll/rules.html", {
        "org": org, "form": form, "rules": items, "extra_pay": doc_settings.extra_pay,
    })  # fmt: skip


@org_view("payroll.view", post="payroll.manage", level=SCHOOL, methods=POST_ONLY)
def rule_delete(request, org, rule_id):
    delete_rule(rule=get_for(org, PayRule, rule_id))
    messages.success(request, "Правило оплаты удалено; сформированные реестры не изменились.")
    return redirect("payroll:rules", org_id=org.pk)


def _formed(request, org):
    year, month = _month(request)
    formed = PayRegister.objects.of(org).filter(year=year, month=month).first()
    if formed is None:
        messages.error(request, f"Реестр за {month_label(year, month)} ещё не сформирован: "
                       "нажмите «Сформировать реестр».")  # fmt: skip
    return year, month, formed


def _pay_code(org) -> str:
    rule = PayRule.objects.of(org).order_by("-valid_from").first()
    return rule.pay_code if rule else "Доплата за наставничество"


@org_view("payroll.view", level=SCHOOL)
def register_xlsx_file(request, org):
    from apps.payroll.exports import register_xlsx  # openpyxl: loaded by the export only

    year, month, formed = _formed(request, org)
    if formed is None:
        return redirect(_url(org, year, month))
    response = HttpResponse(register_xlsx(formed, pay_code=_pay_code(org)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="doplaty-{year}-{month:02d}.xlsx"'
    return response


@org_view("payroll.view", level=SCHOOL)
def register_document(request, org):
    """The register for the head's signature: .docx, or PDF with ?format=pdf."""
    from apps.payroll.exports import register_docx  # python-docx: loaded by the export only

    year, month, formed = _formed(request, org)
    if formed is None:
        return redirect(_url(org, year, month))
    font = (DocumentSettings.objects.of(org).first() or DocumentSettings()).font
    data = register_docx(formed, org=org, total=total(formed.rows), font=font)
    name = f"Реестр доплат наставникам {year}-{month:02d}"
    if request.GET.get("format") == "pdf":
        try:
            pdf = to_pdf(data)
        except PdfUnavailable as error:
            messages.error(request, str(error))
            return redirect(_url(org, year, month))
        return FileResponse(io.BytesIO(pdf), as_attachment=True, filename=f"{name}.pdf",
                            content_type="application/pdf")  # fmt: skip
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=f"{name}.docx",
                        content_type=DOCX)  # fmt: skip
