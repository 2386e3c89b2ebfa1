"""The admin pages and their JSON twins under /admin: sources, quarantine, hold queue, audit."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jinja2
from sqlalchemy import select
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from wiredesk.admin import charts
from wiredesk.admin.guard import Gate, Handler, Principal, mount_middleware, protect
from wiredesk.admin.health import source_health
from wiredesk.admin.login import login_routes
from wiredesk.admin.retry import retry_quarantined
from wiredesk.alerts.incidents import recent as recent_incidents
from wiredesk.config import Config
from wiredesk.deliver.health import target_health
from wiredesk.desk import takedown
from wiredesk.desk.pipeline import Desk
from wiredesk.exceptions import NotFound
from wiredesk.store import Store
from wiredesk.store.models import AuditEntry, Quarantine, Story

HERE = Path(__file__).parent
AUDIT_LIMIT = 200
QUARANTINE_LIMIT = 500
STORIES_LIMIT = 100


def ago(delta: timedelta | None) -> str:
    if delta is None:
        return "never"
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return f"{max(seconds, 0)} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    if seconds < 172800:
        return f"{seconds // 3600} h {seconds % 3600 // 60} min"
    return f"{seconds // 86400} days"


def download_name(entry: Quarantine) -> str:
    """A plain ASCII file name for Content-Disposition; the wire's own name may be anything."""
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", entry.filename.replace("\\", "/").rsplit("/", 1)[-1])
    return base.strip("._")[:100] or f"{entry.sha256[:16]}.bin"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def quarantine_json(entry: Quarantine) -> dict[str, object]:
    return {
        "id": entry.id,
        "created_at": _iso(entry.created_at),
        "source": entry.source,
        "filename": entry.filename,
        "reason": entry.reason,
        "sha256": entry.sha256,
        "resolved_at": _iso(entry.resolved_at),
    }


def held_json(story: Story) -> dict[str, object]:
    return {
        "id": story.id,
        "headline": story.headline,
        "agency": story.agency,
        "source": story.source,
        "reason": story.reason,
        "updated_at": _iso(story.updated_at),
    }


def audit_json(entry: AuditEntry) -> dict[str, object]:
    return {
        "id": entry.id,
        "at": _iso(entry.at),
        "story_id": entry.story_id,
        "action": entry.action,
        "detail": entry.detail,
        "sha256": entry.sha256,
    }


def admin_routes(config: Config, store: Store, desk: Desk) -> list[BaseRoute]:
    """One Mount at /admin carrying its own session and header middleware."""
    tz = config.tz
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True)
    env.filters["when"] = lambda m: (
        m.astimezone(tz).strftime("%-d %b %Y, %H:%M:%S %Z") if m else "never"
    )
    env.filters["iso"] = lambda m: m.astimezone(UTC).isoformat() if m else ""
    env.filters["ago"] = ago
    templates = Jinja2Templates(env=env)
    gate = Gate.of(config, desk)

    def page(
        request: Request,
        name: str,
        status: int = 200,
        headers: dict[str, str] | None = None,
        **context: Any,
    ) -> Response:
        context.setdefault("user", None)
        context.setdefault("csrf", request.session.get("csrf", ""))
        context["flash"] = request.session.pop("flash", None)
        context["site_title"] = config.site_title
        return templates.TemplateResponse(
            request, f"admin/{name}", context, status_code=status, headers=headers
        )

    def flash(request: Request, message: str, ok: bool = True) -> None:
        request.session["flash"] = {"message": message, "ok": ok}

    def quarantine_entry(entry_id: int) -> Quarantine | None:
        with store.session() as session:
            return session.get(Quarantine, entry_id)

    def quarantine_list() -> list[Quarantine]:
        with store.session() as session:
            return list(
                session.scalars(
                    select(Quarantine).order_by(Quarantine.id.desc()).limit(QUARANTINE_LIMIT)
                )
            )

    def audit_entries(story_id: int | None) -> list[AuditEntry]:
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(AUDIT_LIMIT)
        if story_id is not None:
            query = query.where(AuditEntry.story_id == story_id)
        with store.session() as session:
            return list(session.scalars(query))

    def story_filter(request: Request) -> int | None | str:
        raw = request.query_params.get("story", "").strip()
        if not raw:
            return None
        return int(raw) if raw.isdigit() and len(raw) < 12 else raw

    # HTML pages ---------------------------------------------------------------------------

    def overview(request: Request, who: Principal, _: FormData | None) -> Response:
        now = desk.clock()
        with store.session() as session:
            health = source_health(session, now, tz)
            per_hour = charts.items_per_hour(session, now, tz)
            latency = charts.latency(session, now, tz)
            delivery = target_health(session, now)
        return page(
            request,
            "sources.html",
            user=who,
            sources=health,
            targets=delivery,
            now=now,
            charts=[per_hour, latency],
        )

    def quarantine(request: Request, who: Principal, _: FormData | None) -> Response:
        return page(request, "quarantine.html", user=who, entries=quarantine_list())

    def quarantined(request: Request, who: Principal, _: FormData | None) -> Response:
        entry = quarantine_entry(request.path_params["entry_id"])
        if entry is None:
            return page(request, "missing.html", status=404, user=who, what="quarantined file")
        return page(
            request,
            "quarantined.html",
            user=who,
            entry=entry,
            archived=entry.sha256 in store.archive,
            size=store.archive.path_for(entry.sha256).stat().st_size
            if entry.sha256 in store.archive
            else 0,
        )

    def raw(request: Request, who: Principal, _: FormData | None) -> Response:
        entry = quarantine_entry(request.path_params["entry_id"])
        if entry is None or entry.sha256 not in store.archive:
            return JSONResponse({"error": "no such file"}, status_code=404)
        # Always a download: agency bytes are never rendered in the admin's origin.
        return Response(
            store.archive.get(entry.sha256),
            media_type="application/octet-stream",
            headers={
                "Content-Disposition": f'attachment; filename="{download_name(entry)}"',
                "X-Content-Type-Options": "nosniff",
            },
        )

    def retry(request: Request, who: Principal, _: FormData | None) -> Response:
        entry_id = request.path_params["entry_id"]
        try:
            result = retry_quarantined(desk, entry_id, who=who.name)
        except NotFound as exc:
            flash(request, str(exc), ok=False)
            return RedirectResponse("/admin/quarantine", status_code=303)
        flash(request, ("Retried: " if result.ok else "Not retried: ") + result.message, result.ok)
        return RedirectResponse(f"/admin/quarantine/{entry_id}", status_code=303)

    def held(request: Request, who: Principal, _: FormData | None) -> Response:
        return page(request, "held.html", user=who, stories=store.held())

    def decide(release: bool) -> Handler:
        def handler(request: Request, who: Principal, _: FormData | None) -> Response:
            story_id = request.path_params["story_id"]
            try:
                story = (
                    desk.release(story_id, who=who.name)
                    if release
                    else desk.drop(story_id, who=who.name)
                )
            except NotFound as exc:
                flash(request, str(exc), ok=False)
            else:
                flash(request, f"Story {story.id} “{story.headline}”: {story.state}.")
            return RedirectResponse("/admin/held", status_code=303)

        return handler

    def live_and_removed() -> tuple[list[Story], list[Story]]:
        with store.session() as session:
            shown = store.latest(desk.clock(), limit=STORIES_LIMIT)
            removed = list(
                session.scalars(
                    select(Story)
                    .where(Story.state == "takendown")
                    .order_by(Story.updated_at.desc())
                    .limit(STORIES_LIMIT)
                )
            )
        return list(shown), removed

    def stories(request: Request, who: Principal, _: FormData | None) -> Response:
        shown, removed = live_and_removed()
        return page(request, "stories.html", user=who, stories=shown, removed=removed)

    def editorial(restore: bool, api: bool) -> Handler:
        """Take a live story down (a reason is required) or restore a taken-down one."""

        def handler(request: Request, who: Principal, form: FormData | None) -> Response:
            story_id = request.path_params["story_id"]
            reason = str(form.get("reason", "") if form is not None else "")
            try:
                story = (
                    takedown.restore(desk, story_id, who=who.name)
                    if restore
                    else takedown.takedown(desk, story_id, reason, who=who.name)
                )
            except (NotFound, takedown.NotAllowed) as exc:
                if api:
                    status = 404 if isinstance(exc, NotFound) else 409
                    return JSONResponse({"error": str(exc)}, status_code=status)
                flash(request, str(exc), ok=False)
            else:
                if api:
                    return JSONResponse({"id": story.id, "state": story.state})
                done = "restored" if restore else "taken down"
                flash(request, f"Story {story.id} “{story.headline}”: {done}.")
            return RedirectResponse("/admin/stories", status_code=303)

        return handler

    def incidents(request: Request, who: Principal, _: FormData | None) -> Response:
        return page(
            request,
            "incidents.html",
            user=who,
            incidents=recent_incidents(store),
            alerts=config.alerts,
        )

    def api_incidents(request: Request, who: Principal, _: FormData | None) -> Response:
        return JSONResponse(
            {
                "incidents": [
                    {
                        "id": i.id,
                        "key": i.key,
                        "kind": i.kind,
                        "subject": i.subject,
                        "detail": i.detail,
                        "opened_at": _iso(i.opened_at),
                        "last_seen_at": _iso(i.last_seen_at),
                        "closed_at": _iso(i.closed_at),
                        "alert_error": i.alert_error,
                    }
                    for i in recent_incidents(store)
                ]
            }
        )

    def api_stories(request: Request, who: Principal, _: FormData | None) -> Response:
        shown, removed = live_and_removed()
        return JSONResponse(
            {
                "live": [held_json(s) for s in shown],
                "taken_down": [held_json(s) for s in removed],
            }
        )

    def audit(request: Request, who: Principal, _: FormData | None) -> Response:
        story_id = story_filter(request)
        if isinstance(story_id, str):
            return page(
                request,
                "audit.html",
                status=400,
                user=who,
                entries=[],
                story_id=None,
                error="A story id is a number.",
            )
        return page(
            request,
            "audit.html",
            user=who,
            entries=audit_entries(story_id),
            story_id=story_id,
            error="",
        )

    # JSON ---------------------------------------------------------------------------------

    def api_sources(request: Request, who: Principal, _: FormData | None) -> Response:
        now = desk.clock()
        with store.session() as session:
            rows = source_health(session, now, tz)
        return JSONResponse({"sources": [row.as_json() for row in rows]})

    def api_targets(request: Request, who: Principal, _: FormData | None) -> Response:
        with store.session() as session:
            rows = target_health(session, desk.clock())
        return JSONResponse({"targets": [row.as_json() for row in rows]})

    def api_quarantine(request: Request, who: Principal, _: FormData | None) -> Response:
        return JSONResponse({"quarantine": [quarantine_json(e) for e in quarantine_list()]})

    def api_held(request: Request, who: Principal, _: FormData | None) -> Response:
        return JSONResponse({"held": [held_json(s) for s in store.held()]})

    def api_audit(request: Request, who: Principal, _: FormData | None) -> Response:
        story_id = story_filter(request)
        if isinstance(story_id, str):
            return JSONResponse({"error": "story must be a number"}, status_code=400)
        return JSONResponse({"audit": [audit_json(e) for e in audit_entries(story_id)]})

    def api_decide(release: bool) -> Handler:
        def handler(request: Request, who: Principal, _: FormData | None) -> Response:
            story_id = request.path_params["story_id"]
            try:
                story = (
                    desk.release(story_id, who=who.name)
                    if release
                    else desk.drop(story_id, who=who.name)
                )
            except NotFound as exc:
                return JSONResponse({"error": str(exc)}, status_code=404)
            return JSONResponse({"id": story.id, "state": story.state})

        return handler

    def api_retry(request: Request, who: Principal, _: FormData | None) -> Response:
        try:
            result = retry_quarantined(desk, request.path_params["entry_id"], who=who.name)
        except NotFound as exc:
            return JSONResponse({"error": str(exc)}, status_code=404)
        return JSONResponse(
            {"ok": result.ok, "message": result.message, "stories": result.stories},
            status_code=200 if result.ok else 409,
        )

    def html(path: str, handler: Handler, method: str = "GET") -> Route:
        return Route(path, protect(gate, handler), methods=[method])

    def api(path: str, handler: Handler, method: str = "GET") -> Route:
        return Route(path, protect(gate, handler, api=True), methods=[method])

    routes: list[BaseRoute] = [
        *login_routes(gate, page),
        html("/", overview),
        html("/quarantine", quarantine),
        html("/quarantine/{entry_id:int}", quarantined),
        html("/quarantine/{entry_id:int}/raw", raw),
        html("/quarantine/{entry_id:int}/retry", retry, "POST"),
        html("/held", held),
        html("/held/{story_id:int}/release", decide(True), "POST"),
        html("/held/{story_id:int}/drop", decide(False), "POST"),
        html("/audit", audit),
        html("/stories", stories),
        html("/incidents", incidents),
        api("/api/incidents", api_incidents),
        html("/stories/{story_id:int}/takedown", editorial(False, False), "POST"),
        html("/stories/{story_id:int}/restore", editorial(True, False), "POST"),
        api("/api/stories", api_stories),
        api("/api/stories/{story_id:int}/takedown", editorial(False, True), "POST"),
        api("/api/stories/{story_id:int}/restore", editorial(True, True), "POST"),
        api("/api/sources", api_sources),
        api("/api/targets", api_targets),
        api("/api/quarantine", api_quarantine),
        api("/api/held", api_held),
        api("/api/audit", api_audit),
        api("/api/held/{story_id:int}/release", api_decide(True), "POST"),
        api("/api/held/{story_id:int}/drop", api_decide(False), "POST"),
        api("/api/quarantine/{entry_id:int}/retry", api_retry, "POST"),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="admin-static"),
    ]
    return [Mount("/admin", routes=routes, middleware=mount_middleware(config))]
