"""Incidents: each condition opens one incident (one alert) and closes it once (one recovery
notice) after it has stayed clear for `recover_after_seconds`, however often it flaps.

Every process that evaluates alerts may run this; the incidents table decides who speaks:
only the process whose insert of an open incident succeeds sends its alert, and only the one
whose update closes it sends the recovery.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wiredesk.alerts.channels import notify
from wiredesk.alerts.checks import Condition, conditions
from wiredesk.config import AlertSettings
from wiredesk.store import Store
from wiredesk.store.models import Incident, Story, Version

log = logging.getLogger(__name__)
FLASH_WINDOW = timedelta(hours=1)


@dataclass
class Evaluation:
    opened: list[Incident] = field(default_factory=list)
    closed: list[Incident] = field(default_factory=list)


def _open(session: Session, condition: Condition, now: datetime) -> Incident | None:
    incident = Incident(
        key=condition.key,
        open_key=condition.key,
        kind=condition.kind,
        subject=condition.subject,
        detail=condition.detail,
        opened_at=now,
        last_seen_at=now,
        closed_at=None,
        alert_error="",
    )
    try:
        with session.begin_nested():
            session.add(incident)
    except IntegrityError:
        return None  # another process opened it a moment ago, and alerts for it
    return incident


def _flashes(session: Session, now: datetime) -> list[Condition]:
    """Urgency-1 stories that went live within the last hour and have not been announced."""
    query = (
        select(Story.id, Story.headline, Story.agency, Version.item)
        .join(Version, Version.id == Story.current_version_id)
        .where(
            Story.state == "published",
            Story.published_at >= now - FLASH_WINDOW,
            Story.published_at <= now,
        )
    )
    announced = set(
        session.scalars(
            select(Incident.key).where(
                Incident.kind == "flash", Incident.opened_at >= now - 2 * FLASH_WINDOW
            )
        )
    )
    found = []
    for story_id, headline, agency, item in session.execute(query):
        key = f"flash:{story_id}"
        if (item or {}).get("urgency") == 1 and key not in announced:
            found.append(Condition(key, "flash", agency or "", headline))
    return found


def evaluate(store: Store, settings: AlertSettings, now: datetime, tz: ZoneInfo) -> Evaluation:
    """Open, refresh and close incidents in one transaction; then send what changed."""
    done = Evaluation()
    with store.session() as session, session.begin():
        current = {c.key: c for c in conditions(session, now, settings, tz)}
        still_open = {
            i.key: i for i in session.scalars(select(Incident).where(Incident.closed_at.is_(None)))
        }
        for key, condition in current.items():
            incident = still_open.get(key)
            if incident is not None:
                incident.last_seen_at, incident.detail = now, condition.detail
            elif (opened := _open(session, condition, now)) is not None:
                done.opened.append(opened)
        clear_since = now - timedelta(seconds=settings.recover_after_seconds)
        for key, incident in still_open.items():
            if key in current or incident.last_seen_at > clear_since:
                continue
            closed = session.execute(
                update(Incident)
                .where(Incident.id == incident.id, Incident.closed_at.is_(None))
                .values(closed_at=now, open_key=None)
                .execution_options(synchronize_session=False)
            )
            if closed.rowcount == 1:  # type: ignore[attr-defined]
                incident.closed_at = now
                done.closed.append(incident)
        if settings.flash:
            for condition in _flashes(session, now):
                flash = _open(session, condition, now)
                if flash is not None:
                    # Nothing to recover from: announced once, closed at once.
                    flash.open_key, flash.closed_at = None, now
                    done.opened.append(flash)
        session.flush()
        session.expunge_all()
    for incident in done.opened:
        _send(store, settings, incident, recovered=False)
    for incident in done.closed:
        _send(store, settings, incident, recovered=True)
    return done


def _send(store: Store, settings: AlertSettings, incident: Incident, *, recovered: bool) -> None:
    if incident.kind == "flash":
        source = f" from {incident.subject}" if incident.subject else ""
        subject = f"[wiredesk] FLASH{source}: {incident.detail}"
        body = f"An urgent story went live: {incident.detail}"
    elif recovered:
        subject = f"[wiredesk] RECOVERED: {incident.kind}: {incident.subject}"
        opened = incident.opened_at.strftime("%Y-%m-%d %H:%M")
        seen = incident.last_seen_at.strftime("%H:%M")
        body = (
            f"{incident.kind} for {incident.subject} is over (opened {opened} UTC, "
            f"last seen {seen} UTC).\nIt was: {incident.detail}"
        )
    else:
        subject = f"[wiredesk] ALERT: {incident.kind}: {incident.subject}"
        opened = incident.opened_at.strftime("%Y-%m-%d %H:%M")
        body = f"{incident.detail}\nOpened {opened} UTC. See /admin/incidents."
    error = notify(settings, subject, body)
    if error:
        log.warning("alert %s not delivered everywhere: %s", incident.key, error)
        with store.session() as session, session.begin():
            session.execute(
                update(Incident).where(Incident.id == incident.id).values(alert_error=error[:2000])
            )


class AlertLoop:
    """Evaluates the alerts every `evaluate_seconds`, beside the runner."""

    def __init__(
        self,
        store: Store,
        settings: AlertSettings,
        tz: ZoneInfo,
        clock: Callable[[], datetime],
    ) -> None:
        self.store = store
        self.settings = settings
        self.tz = tz
        self.clock = clock

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                evaluate(self.store, self.settings, self.clock(), self.tz)
            except Exception:
                log.exception("alerts: evaluation failed; trying again")
            stop.wait(self.settings.evaluate_seconds)


def recent(store: Store, limit: int = 100) -> list[Incident]:
    """Open incidents first, then the most recently opened."""
    with store.session() as session:
        return list(
            session.scalars(
                select(Incident)
                .order_by(Incident.closed_at.is_not(None), Incident.opened_at.desc())
                .limit(limit)
            )
        )
