from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from apps.ops.health import FAIL, run_checks
from apps.orgs.access import public_view


@public_view
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Open to the load balancer: 200 while the site can serve (ok or degraded), 503 otherwise."""
    report = run_checks()
    return JsonResponse(report, status=503 if report["status"] == FAIL else 200)
