"""The gate in front of /admin: the session cookie, bearer tokens, CSRF, and refusals.

The cookie is signed and carries a random session id; the session itself lives in the
database (`sessions`), so ending it there ends it for every copy of the cookie.

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
from starlette.types import ASGIApp, Receive, Scope, Send

from wiredesk.admin import auth, sessions
from wiredesk.admin.throttle import Throttle, client_key
from wiredesk.config import Config
from wiredesk.desk.pipeline import Desk
from wiredesk.store.models import AdminUser, ApiToken

log = logging.getLogger(__name__)

SECRET_ENV = "WIREDESK_SECRET_KEY"
COOKIE = "wiredesk_admin"
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


class SessionCookie:
    """Starlette's signed cookie, marked `Secure` when the request came over HTTPS.

    The scheme is the connection's own, or the one a trusted proxy reported
    (`site.forwarded.TrustedProxies`), or https for every request when `base_url` says so.
    """

    def __init__(self, app: ASGIApp, config: Config) -> None:
        def cookie(secure: bool) -> SessionMiddleware:
            return SessionMiddleware(
                app,
                secret_key=session_key(),
                session_cookie=COOKIE,
                max_age=int(config.security.session_hours * 3600),
                path="/admin",
                same_site="strict",
                https_only=secure,
            )

        self.always_https = config.base_url.lower().startswith("https://")
        self.plain, self.secure = cookie(False), cookie(True)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        secure = self.always_https or scope.get("scheme") in ("https", "wss")
        await (self.secure if secure else self.plain)(scope, receive, send)


def mount_middleware(config: Config) -> list[Middleware]:
    """What the /admin Mount runs inside: strict headers and the session cookie."""
    return [Middleware(AdminHeaders), Middleware(SessionCookie, config=config)]


@dataclass(frozen=True)
class Gate:
    """What every admin endpoint checks against: the desk's users and tokens, the sessions'
    limits and the sign-in throttle."""

    desk: Desk
    throttle: Throttle
    limits: sessions.Limits

    @classmethod
    def of(cls, config: Config, desk: Desk) -> Gate:
        return cls(desk, Throttle(desk.store), sessions.Limits.of(config.security))


@dataclass(frozen=True)
class Principal:
    name: str
    via: str  # "session" (a cookie: POSTs need CSRF) or "bearer" (a header: no CSRF needed)


def client_of(request: Request) -> str:
    """The client's address (a trusted proxy's X-Forwarded-For already applied)."""
    return request.client.host if request.client else "?"


def authenticate(gate: Gate, request: Request) -> Principal | None:
    desk, now = gate.desk, gate.desk.clock()
    header = request.headers.get("authorization")
    if header is not None:
        # A header that is present decides alone: a bad token is not rescued by a cookie.
        scheme, _, token = header.partition(" ")
        keys = [client_key(client_of(request))]
        if scheme.lower() != "bearer" or gate.throttle.wait(keys, now):
            return None
        with desk.store.session() as session, session.begin():
            row = auth.check_token(session, token.strip(), now)
            name = row.name if row else None
        if name is None:
            gate.throttle.failed(keys, now)
            return None
        return Principal(f"token:{name}", "bearer")
    with desk.store.session() as session, session.begin():
        live = sessions.find(session, request.session.get("sid"), now, gate.limits)
        if live is None:
            return None
        if live.user_id is not None:
            user = session.get(AdminUser, live.user_id)
            return Principal(user.username, "session") if user else None
        token_row = session.get(ApiToken, live.token_id) if live.token_id else None
        return Principal(f"token:{token_row.name}", "session") if token_row else None


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
    gate: Gate, handler: Handler, *, api: bool = False
) -> Callable[[Request], Awaitable[Response]]:
    """The endpoint that checks credentials (and CSRF on a cookie POST) before `handler` runs."""

    async def endpoint(request: Request) -> Response:
        principal = await run_in_threadpool(authenticate, gate, request)
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
