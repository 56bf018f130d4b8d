from django.shortcuts import render

from apps.orgs.access import org_view


@org_view("consent.view")
def consent_overview(request, org):
    # Placeholder until the consents ledger pages land.
    return render(request, "people/consent_overview.html", {"org": org})
