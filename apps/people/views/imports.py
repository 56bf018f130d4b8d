import io
from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from apps.orgs.access import POST_ONLY, SCHOOL, org_view
from apps.people.forms import ImportForm
from apps.people.importing import StaffFileError
from apps.people.services import ImportNotAllowed, apply_import, preview_import

PREVIEW_ROWS = 50
# A file wrong in every row can have tens of thousands of problems: the page lists the first
# ones and counts all of them by column.
PROBLEMS_SHOWN = 1000


@org_view("staff.edit", level=SCHOOL)
def import_upload(request, org):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = preview_import(
                org=org, user=request.user, file_name=upload.name, data=upload.read()
            )
        except StaffFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("people:import-preview", org_id=org.pk, batch_id=batch.pk)
    history = org.import_batches.select_related("uploaded_by").defer("rows", "problems")[:10]
    return render(
        request,
        "people/import_upload.html",
        {
            "org": org,
            "form": form,
            "history": history,
            "max_rows": f"{settings.STAFF_IMPORT_MAX_ROWS:,}".replace(",", "\u00a0"),
            "max_mb": settings.STAFF_IMPORT_MAX_BYTES // (1024 * 1024),
        },
    )


@org_view("staff.edit", level=SCHOOL)
def import_template(request, org):
    buffer = io.BytesIO()
    from apps.people.staff_template import build_staff_template  # openpyxl: on first use

    build_staff_template().save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="shablon-kadry.xlsx"'
    return response


@org_view("staff.edit", level=SCHOOL)
def import_preview(request, org, batch_id):
    batch = get_object_or_404(org.import_batches, pk=batch_id)
    rows, problems = batch.rows, batch.problems
    context = {
        "org": org,
        "batch": batch,
        "preview_rows": rows[:PREVIEW_ROWS],
        "hidden_rows": max(0, len(rows) - PREVIEW_ROWS),
        "create_count": sum(1 for r in rows if r.get("action") == "create"),
        "update_count": sum(1 for r in rows if r.get("action") == "update"),
        "problems": problems[:PROBLEMS_SHOWN],
        "hidden_problems": max(0, len(problems) - PROBLEMS_SHOWN),
        "problem_rows": len({p["row"] for p in problems}),
        "problems_by_column": Counter(p["column"] for p in problems).most_common(),
    }
    return render(request, "people/import_preview.html", context)


@org_view("staff.edit", level=SCHOOL, methods=POST_ONLY)
def import_apply(request, org, batch_id):
    batch = get_object_or_404(org.import_batches, pk=batch_id)
    try:
        batch = apply_import(batch=batch)
    except ImportNotAllowed as refusal:
        messages.error(request, str(refusal))
        return redirect("people:import-preview", org_id=org.pk, batch_id=batch.pk)
    messages.success(
        request,
        f"Файл «{batch.file_name}» загружен: добавлено {batch.created_count}, "
        f"обновлено {batch.updated_count}.",
    )
    return redirect("people:person-list", org_id=org.pk)
