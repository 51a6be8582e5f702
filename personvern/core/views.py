from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import OK, run_checks


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database, the background worker, the scheduler and the mail server are
    all well, 503 otherwise, with each one's state (for supervisors and load balancers)."""
    checks = run_checks()
    healthy = all(state == OK for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
