from django.shortcuts import render

from apps.orgs.access import org_view


@org_view("staff.edit")
def import_upload(request, org):
    # Placeholder until the staff import lands.
    return render(request, "people/consent_overview.html", {"org": org})
