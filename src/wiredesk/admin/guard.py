"""The gate in front of /admin: the signed session cookie, bearer tokens, CSRF, and refusals.

Without credentials an admin route answers 401 (JSON, API and every non-GET) or sends a browser
to the login page (HTML GET); it never runs the handler, so nothing is read or changed.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response

from wiredesk.admin import auth
from wiredesk.config import Config
from wiredesk.desk.pipeline import Desk
from wiredesk.store.models import AdminUser, ApiToken

log = logging.getLogger(__name__)

SECRET_ENV = "WIREDESK_SECRET_KEY"
COOKIE = "wiredesk_admin"
SESSION_HOURS = 8
# Stricter than the public site: nothing but our own stylesheet, forms only to ourselves.
ADMIN_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


@lru_cache(maxsize=1)
def session_key() -> str:
    key = os.environ.get(SECRET_ENV, "")
    if key:
        return key
    log.warning(
        "%s is not set: admin sessions are signed with a random key made for this process "
        "and will not survive a restart",
        SECRET_ENV,
    )
    return secrets.token_urlsafe(48)


class AdminHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = ADMIN_CSP
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def admin_middleware(config: Config) -> list[Middleware]:
    """App-level middleware the admin needs: none.

    The session cookie and the strict headers live on the /admin Mount (`mount_middleware`),
    so the public site keeps its own caching and CSP and sets no cookie.
    """
    return []


def mount_middleware(config: Config) -> list[Middleware]:
    """What the /admin Mount runs inside: strict headers and the signed session cookie."""
    return [
        Middleware(AdminHeaders),
        Middleware(
            SessionMiddleware,
            secret_key=session_key(),
            session_cookie=COOKIE,
            max_age=SESSION_HOURS * 3600,
            path="/admin",
            same_site="strict",
            https_only=config.base_url.lower().startswith("https://"),
        ),
    ]


@dataclass(frozen=True)
class Principal:
    name: str
    via: str  # "session" (a cookie: POSTs need CSRF) or "bearer" (a header: no CSRF needed)


def client_key(request: Request) -> str:
    return "client:" + (request.client.host if request.client else "?")


def authenticate(desk: Desk, throttle: auth.Throttle, request: Request) -> Principal | None:
    now = desk.clock()
    header = request.headers.get("authorization")
    if header is not None:
        # A header that is present decides alone: a bad token is not rescued by a cookie.
        scheme, _, token = header.partition(" ")
        key = client_key(request)
        if scheme.lower() != "bearer" or throttle.wait(key, now):
            return None
        with desk.store.session() as session, session.begin():
            row = auth.check_token(session, token.strip(), now)
            if row is None:
                throttle.failed(key, now)
                return None
            throttle.succeeded(key)
            return Principal(f"token:{row.name}", "bearer")
    state = request.session
    with desk.store.session() as session:
        # The cookie names a user or token that must still exist: deleting one ends its sessions.
        if isinstance(state.get("uid"), int):
            user = session.get(AdminUser, state["uid"])
            if user is not None:
                return Principal(user.username, "session")
        if isinstance(state.get("tid"), int):
            token_row = session.get(ApiToken, state["tid"])
            if token_row is not None:
                return Principal(f"token:{token_row.name}", "session")
    return None


def refuse(request: Request, api: bool) -> Response:
    if api or request.method != "GET":
        return JSONResponse(
            {"error": "authentication required"},
            status_code=401,
            headers={"WWW-Authenticate": 'Bearer realm="wiredesk admin"'},
        )
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/admin/login?next={quote(target, safe='')}", status_code=303)


Handler = Callable[[Request, Principal, FormData | None], Response]


def protect(
    desk: Desk, throttle: auth.Throttle, handler: Handler, *, api: bool = False
) -> Callable[[Request], Awaitable[Response]]:
    """The endpoint that checks credentials (and CSRF on a cookie POST) before `handler` runs."""

    async def endpoint(request: Request) -> Response:
        principal = await run_in_threadpool(authenticate, desk, throttle, request)
        if principal is None:
            return refuse(request, api)
        form = None
        if request.method == "POST":
            form = await request.form()
            if principal.via == "session" and not auth.csrf_ok(
                request.session.get("csrf"), form.get("csrf")
            ):
                return PlainTextResponse(
                    "The form was stale or did not come from this site (CSRF check failed). "
                    "Go back, reload the page and try again.",
                    status_code=403,
                )
        return await run_in_threadpool(handler, request, principal, form)

    return endpoint


def safe_next(target: str | None) -> str:
    """Only somewhere under /admin on this site: never an open redirect."""
    if (
        target
        and target.startswith("/admin")
        and not target.startswith("//")
        and "\\" not in target
        and all(ch.isprintable() for ch in target)
    ):
        return target
    return "/admin/"
