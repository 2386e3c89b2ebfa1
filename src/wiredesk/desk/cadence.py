"""Polling that follows the wire: a source is polled at its `interval` while copy flows and
less often while it does not, up to its `max_interval` (an option; without it the interval is
fixed).

Like Miniflux's entry-frequency scheduler, the interval comes from how often the source has
been filing (the files of the last hour spread over the hour), and a poll that brings nothing
stretches it by half again, so a wire that falls silent is polled ever less often, and a poll
that brings files goes straight back to `interval`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wiredesk.store.models import Receipt, Source

WINDOW = timedelta(hours=1)
STRETCH = 1.5


def next_interval(
    base: float, max_interval: float | None, previous: float | None, brought: int, recent: int
) -> float:
    """Seconds to the next poll, given what this poll brought and the last hour's files."""
    if not max_interval or max_interval <= base or brought:
        return base
    by_frequency = WINDOW.total_seconds() / recent if recent else max_interval
    stretched = (previous or base) * STRETCH
    return min(max_interval, max(base, by_frequency, stretched))


def adapt(
    session: Session,
    source_id: int,
    base: float,
    max_interval: float | None,
    brought: int,
    now: datetime,
) -> float:
    """The source's next interval, recorded on its row (which /admin shows)."""
    row = session.get(Source, source_id)
    previous = row.poll_interval if row is not None else None
    recent = 0
    if max_interval and not brought and row is not None:
        recent = int(
            session.scalar(
                select(func.count())
                .select_from(Receipt)
                .where(Receipt.source == row.name, Receipt.received_at >= now - WINDOW)
            )
            or 0
        )
    interval = next_interval(base, max_interval, previous, brought, recent)
    if row is not None:
        row.poll_interval = interval
    return interval
