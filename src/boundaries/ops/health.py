"""Health endpoints for load balancers and orchestrators.

``/healthz``: the process answers (liveness). ``/readyz``: the database
answers a query and the task queue's table is reachable (readiness).
Neither says anything about clients.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except DatabaseError as error:
        checks["database"] = f"failing: {type(error).__name__}"
    try:
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.filter(status="READY").exists()
        checks["queue"] = "ok"
    except DatabaseError as error:
        checks["queue"] = f"failing: {type(error).__name__}"
    ready = all(value == "ok" for value in checks.values())
    if not ready:
        logger.warning("not ready: %s", checks)
    return JsonResponse(
        {"status": "ok" if ready else "failing", **checks}, status=200 if ready else 503
    )
