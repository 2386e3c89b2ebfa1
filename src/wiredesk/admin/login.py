"""Logging in (username and password, or an API token pasted in the form) and out.

A sign-in starts a server-side session and a fresh cookie; logging out deletes the session, so
the old cookie is worthless even to someone who copied it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from wiredesk.admin import auth, sessions
from wiredesk.admin.guard import Gate, Principal, authenticate, client_of, protect, safe_next
from wiredesk.admin.throttle import account_key, client_key

log = logging.getLogger(__name__)
Page = Callable[..., Response]


# Password hashes checked at once in a process: each check takes the hash's memory and a core,
# so a burst of sign-ins waits its turn rather than multiplying the process's memory.
PASSWORD_CHECKS = threading.BoundedSemaphore(4)


def login_routes(gate: Gate, page: Page) -> list[Route]:
    desk, throttle = gate.desk, gate.throttle

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
        if await run_in_threadpool(authenticate, gate, request):
            return RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
        return form(request)

    def attempt(request: Request, username: str, password: str, token: str) -> Response | None:
        """None when logged in; otherwise the refusal to send."""
        now = desk.clock()
        client = client_of(request)
        # A token has no account: only the client's count. A password counts against both the
        # account-from-this-client and the client, so guessing at one user from elsewhere
        # never locks that user out, and spraying many users from here is slowed too.
        keys = (
            [client_key(client)] if token else [account_key(username, client), client_key(client)]
        )
        # Counted before the check, atomically: concurrent guesses cannot outrun the count.
        wait = throttle.enter(keys, now)
        if wait:
            log.warning("login refused while throttled: %s", keys[0])
            return form(
                request,
                status=429,
                error=f"Too many failed attempts. Try again in {wait} seconds.",
                username=username,
                headers={"Retry-After": str(wait)},
            )
        with PASSWORD_CHECKS, desk.store.session() as session, session.begin():
            if token:
                row = auth.check_token(session, token, now)
                identity = {"token_id": row.id} if row else None
            else:
                user = auth.check_password(session, username.strip(), password, now)
                identity = {"user_id": user.id} if user else None
            sid = None
            if identity is not None:
                sessions.prune(session, now, gate.limits)
                sessions.end(session, request.session.get("sid"))
                sid = sessions.start(
                    session,
                    now,
                    gate.limits,
                    client=client,
                    user_agent=request.headers.get("user-agent", ""),
                    **identity,
                )
        if sid is None:
            log.warning("failed admin login: %s", keys[0])
            what = "token" if token else "username or password"
            return form(request, status=401, error=f"Wrong {what}.", username=username)
        throttle.succeeded(keys[0], now)
        throttle.given_back(keys[1:], now)
        # A new cookie on login: whatever a visitor held before (a planted cookie) is gone.
        request.session.clear()
        request.session["sid"] = sid
        request.session["csrf"] = auth.new_csrf()
        log.info("admin login: %s", keys[0])
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
        with desk.store.session() as session, session.begin():
            sessions.end(session, request.session.get("sid"))
        request.session.clear()
        return RedirectResponse("/admin/login", status_code=303)

    return [
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", protect(gate, logout), methods=["POST"]),
    ]
