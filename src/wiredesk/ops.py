"""Running wiredesk: liveness, readiness and Prometheus metrics (logging is in logs.py)."""

from __future__ import annotations

import hmac
import os
import tempfile

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from wiredesk.store import Store


def readiness(store: Store) -> list[str]:
    """What stops this process from doing its work; empty when it is ready."""
    problems = []
    try:
        with store.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means the same thing here: not ready
        problems.append(f"database unreachable: {type(exc).__name__}")
    root = store.archive.root
    # The archive folder is made on the first file; until then its nearest parent must take it.
    probe = root
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        with tempfile.NamedTemporaryFile(dir=probe, prefix=".ready-"):
            pass
    except OSError as exc:
        problems.append(f"archive folder {root} not writable: {exc.strerror or exc}")
    return problems


METRICS_TOKEN_ENV = "WIREDESK_METRICS_TOKEN"


def ops_routes(store: Store) -> list[BaseRoute]:
    from wiredesk.deliver.health import watch

    watch(store)  # delivery targets' backlog and lag in /metrics

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    async def readyz(request: Request) -> Response:
        problems = await run_in_threadpool(readiness, store)
        if problems:
            return PlainTextResponse("not ready: " + "; ".join(problems), status_code=503)
        return PlainTextResponse("ready")

    async def metrics(request: Request) -> Response:
        # The metrics name every source and target: only a scraper holding the token reads them.
        token = os.environ.get(METRICS_TOKEN_ENV, "")
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not token or not hmac.compare_digest(given.encode(), token.encode()):
            reason = "" if token else f"; set {METRICS_TOKEN_ENV} to serve them"
            return PlainTextResponse(
                f"unauthorised: /metrics needs Authorization: Bearer <token>{reason}",
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return [Route("/healthz", healthz), Route("/readyz", readyz), Route("/metrics", metrics)]
