"""Logging in (username and password, or an API token pasted in the form) and out."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from wiredesk.admin import auth
from wiredesk.admin.guard import Principal, authenticate, client_key, protect, safe_next
from wiredesk.desk.pipeline import Desk

log = logging.getLogger(__name__)
Page = Callable[..., Response]


def login_routes(desk: Desk, throttle: auth.Throttle, page: Page) -> list[Route]:
    def form(request: Request, status: int = 200, error: str = "", **extra: Any) -> Response:
        if not request.session.get("csrf"):
            request.session["csrf"] = auth.new_csrf()
        target = extra.pop("next", None)
        return page(
            request,
            "login.html",
            status=status,
            csrf=request.session["csrf"],
            next=safe_next(target or request.query_params.get("next")),
            error=error,
            username=extra.pop("username", ""),
            **extra,
        )

    async def login_page(request: Request) -> Response:
        if await run_in_threadpool(authenticate, desk, throttle, request):
            return RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
        return form(request)

    def attempt(request: Request, username: str, password: str, token: str) -> Response | None:
        """None when logged in; otherwise the refusal to send."""
        now = desk.clock()
        key = client_key(request) if token else "user:" + username.strip().lower()
        wait = throttle.wait(key, now)
        if wait:
            log.warning("login refused while locked out: %s", key)
            return form(
                request,
                status=429,
                error=f"Too many failed attempts. Try again in {wait} seconds.",
                username=username,
                headers={"Retry-After": str(wait)},
            )
        with desk.store.session() as session, session.begin():
            if token:
                row = auth.check_token(session, token, now)
                identity = {"tid": row.id} if row else None
            else:
                user = auth.check_password(session, username.strip(), password, now)
                identity = {"uid": user.id} if user else None
        if identity is None:
            throttle.failed(key, now)
            log.warning("failed admin login: %s", key)
            what = "token" if token else "username or password"
            return form(request, status=401, error=f"Wrong {what}.", username=username)
        throttle.succeeded(key)
        # A new session on login: whatever a visitor held before (a planted cookie) is gone.
        request.session.clear()
        request.session.update(identity)
        request.session["csrf"] = auth.new_csrf()
        log.info("admin login: %s", key)
        return None

    async def login(request: Request) -> Response:
        data = await request.form()
        target = safe_next(str(data.get("next") or ""))
        if not auth.csrf_ok(request.session.get("csrf"), data.get("csrf")):
            return form(
                request,
                status=403,
                error="The login form had expired. Please try again.",
                next=target,
            )
        refused = await run_in_threadpool(
            attempt,
            request,
            str(data.get("username") or ""),
            str(data.get("password") or ""),
            str(data.get("token") or "").strip(),
        )
        return refused or RedirectResponse(target, status_code=303)

    def logout(request: Request, principal: Principal, _form: object) -> Response:
        request.session.clear()
        return RedirectResponse("/admin/login", status_code=303)

    return [
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", protect(desk, throttle, logout), methods=["POST"]),
    ]
