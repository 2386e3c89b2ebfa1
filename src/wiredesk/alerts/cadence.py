"""A source's usual cadence, learned from its own history for each hour of the day.

The gaps between a source's files are grouped by the local hour in which each gap began; a
source is quiet when it has been silent longer than `quiet_factor` times the 90th percentile
gap of the current hour (and at least `quiet_floor_minutes`). An hour with too little history
never alerts: PTI silent 20 minutes at noon, when it files every two minutes, is news; at
3 a.m., when it files every hour or two, it is not.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from wiredesk.config import AlertSettings
from wiredesk.store.models import Receipt

ARRIVALS = ("accepted", "quarantined", "duplicate", "skipped", "picture")


def gaps_by_hour(times: Sequence[datetime], tz: ZoneInfo) -> dict[int, list[float]]:
    """Seconds between consecutive arrivals, keyed by the local hour the gap began in."""
    found: dict[int, list[float]] = {}
    ordered = sorted(times)
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        found.setdefault(earlier.astimezone(tz).hour, []).append((later - earlier).total_seconds())
    return found


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def quiet_threshold(
    times: Sequence[datetime], hour: int, settings: AlertSettings, tz: ZoneInfo
) -> float | None:
    """Seconds of silence that count as quiet at this local hour, or None: too little known."""
    gaps = gaps_by_hour(times, tz).get(hour, [])
    if len(gaps) < settings.quiet_min_samples:
        return None
    return max(settings.quiet_floor_minutes * 60, settings.quiet_factor * percentile(gaps, 0.9))


def arrivals(session: Session, source: str, since: datetime) -> list[datetime]:
    query = select(Receipt.received_at).where(
        Receipt.source == source, Receipt.received_at >= since
    )
    return list(session.scalars(query))


def quiet_for(
    session: Session, source: str, now: datetime, settings: AlertSettings, tz: ZoneInfo
) -> tuple[float, float] | None:
    """(seconds silent, threshold) when the source is quiet by its own cadence, else None."""
    times = arrivals(session, source, now - timedelta(days=settings.history_days))
    if not times:
        return None
    silent = (now - max(times)).total_seconds()
    threshold = quiet_threshold(times, now.astimezone(tz).hour, settings, tz)
    if threshold is None or silent <= threshold:
        return None
    return silent, threshold
