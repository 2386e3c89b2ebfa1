"""Licence expiry: agency contracts often allow display for a fixed time.

`expire_days` on a source (or on its agency, under [agencies.NAME]; the source's own setting
wins) bounds how long after the agency's first publication a story is shown. The runner's
scheduler tick (as for embargo lifts) marks the stories past it `expired`: their address
answers 410 with an expiry notice, they leave every listing, feed and sitemap (they are no
longer visible), and every target hears `expire` (a delete). The raw files stay in the archive
and the versions in the database: only the showing ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, false, or_, select, true
from sqlalchemy.orm import Session

from wiredesk.desk import changes, publish
from wiredesk.desk.changes import Change
from wiredesk.desk.pipeline import Desk
from wiredesk.store.models import LIVE_STATES, AuditEntry, Source, Story


@dataclass(frozen=True)
class Due:
    story_id: int
    headline: str
    source: str
    agency: str
    firstcreated: datetime
    days: float


def _limits(session: Session, desk: Desk) -> tuple[dict[str, float], set[str], dict[str, float]]:
    """Days per source that sets them, every source that sets them, and days per agency."""
    per_source: dict[str, float] = {}
    for name, options in session.execute(select(Source.name, Source.options)):
        value = (options or {}).get("expire_days")
        if value not in (None, ""):
            per_source[name] = float(value)
    per_agency = {
        name: settings.expire_days
        for name, settings in desk.config.agencies.items()
        if settings.expire_days is not None
    }
    return per_source, set(per_source), per_agency


def due(session: Session, desk: Desk, now: datetime) -> list[Due]:
    """Live stories older than their licence allows, oldest first."""
    per_source, own, per_agency = _limits(session, desk)
    if not per_source and not per_agency:
        return []
    conditions = [
        and_(Story.source == name, Story.firstcreated <= now - timedelta(days=days))
        for name, days in per_source.items()
    ]
    conditions += [
        and_(
            Story.agency == agency,
            Story.source.not_in(own) if own else true(),
            Story.firstcreated <= now - timedelta(days=days),
        )
        for agency, days in per_agency.items()
    ]
    query = (
        select(Story)
        .where(Story.state.in_(LIVE_STATES), or_(false(), *conditions))
        .order_by(Story.firstcreated, Story.id)
    )
    found = []
    for story in session.scalars(query):
        days = per_source.get(story.source, per_agency.get(story.agency))
        if days is not None:
            found.append(
                Due(story.id, story.headline, story.source, story.agency, story.firstcreated, days)
            )
    return found


def expire_due(desk: Desk, *, dry_run: bool = False) -> list[Due]:
    """Expire every story past its licence now (or only list them, with `dry_run`)."""
    now = desk.clock()
    if dry_run:
        with desk.store.session() as session:
            return due(session, desk, now)
    with desk.transaction() as session:
        found = due(session, desk, now)
        for entry in found:
            story = session.get(Story, entry.story_id)
            if story is None:
                continue
            before = changes.seen(story, now)
            story.state = publish.EXPIRED
            story.reason = f"licence expired: shown for {entry.days:g} days from first publication"
            story.updated_at = now
            session.add(
                AuditEntry(
                    at=now,
                    story_id=story.id,
                    action="expired",
                    detail=f"expire_days = {entry.days:g} ({entry.source or entry.agency})",
                )
            )
            # An embargoed story never seen needs no delete anywhere; one readers saw does.
            if before.visible:
                changes.note(session, Change(story.id, "expire", story.version, now))
    return found
