"""How each source is doing, from the `sources` table and the receipts it left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wiredesk.store.models import Receipt, Source

FAILING_AFTER = 3  # consecutive errors; one or two are usually a blip the next poll clears
LATE_FLOOR = timedelta(minutes=15)  # a quiet wire is normal for a while, whatever the interval


@dataclass
class SourceHealth:
    name: str
    agency: str
    transport: str
    enabled: bool
    last_success_at: datetime | None
    last_error_at: datetime | None
    last_error: str
    consecutive_errors: int
    items_today: int
    lag: timedelta | None
    status: str  # ok, late, failing, disabled, or manual (seen only in receipts: nobody polls it)
    managed: bool
    # Seconds between polls now (adaptive between interval and max_interval); None: not polled.
    polling_every: float | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "agency": self.agency,
            "transport": self.transport,
            "enabled": self.enabled,
            "last_success_at": self.last_success_at.isoformat() if self.last_success_at else None,
            "last_error_at": self.last_error_at.isoformat() if self.last_error_at else None,
            "last_error": self.last_error,
            "consecutive_errors": self.consecutive_errors,
            "items_today": self.items_today,
            "lag_seconds": int(self.lag.total_seconds()) if self.lag is not None else None,
            "status": self.status,
            "managed": self.managed,
            "polling_every_seconds": self.polling_every,
        }


def start_of_day(now: datetime, tz: ZoneInfo) -> datetime:
    """Midnight today on the site's clock: 'today' is the desk's day, not UTC's."""
    local = now.astimezone(tz)
    return datetime.combine(local.date(), time(), tzinfo=tz)


def status_of(row: Source, now: datetime) -> str:
    if not row.enabled:
        return "disabled"
    if row.consecutive_errors >= FAILING_AFTER:
        return "failing"
    late_after = max(LATE_FLOOR, timedelta(seconds=3 * row.interval))
    if row.last_success_at is None:
        # A new source gets its first interval-and-some before it counts as late.
        return "late" if now - row.created_at > late_after else "ok"
    return "late" if now - row.last_success_at > late_after else "ok"


def source_health(session: Session, now: datetime, tz: ZoneInfo) -> list[SourceHealth]:
    counted = session.execute(
        select(Receipt.source, func.count())
        .where(Receipt.received_at >= start_of_day(now, tz))
        .group_by(Receipt.source)
    )
    # A Result has .keys(), so dict(result) would take it for a mapping: pair them up by hand.
    today = {name: count for name, count in counted}
    rows = []
    declared = set()
    for row in session.scalars(select(Source).order_by(Source.name)):
        declared.add(row.name)
        rows.append(
            SourceHealth(
                name=row.name,
                agency=row.agency,
                transport=row.transport,
                enabled=row.enabled,
                last_success_at=row.last_success_at,
                last_error_at=row.last_error_at,
                last_error=row.last_error,
                consecutive_errors=row.consecutive_errors,
                items_today=today.get(row.name, 0),
                lag=now - row.last_success_at if row.last_success_at else None,
                status=status_of(row, now),
                managed=True,
                polling_every=None
                if row.transport == "push"
                else row.poll_interval or float(row.interval),
            )
        )
    # Files handed in by hand (`wiredesk ingest --source local`) have receipts but no row.
    last_seen = session.execute(
        select(Receipt.source, func.max(Receipt.received_at)).group_by(Receipt.source)
    )
    for name, seen in sorted(last_seen):
        if name in declared:
            continue
        rows.append(
            SourceHealth(
                name=name,
                agency="",
                transport="",
                enabled=True,
                last_success_at=seen,
                last_error_at=None,
                last_error="",
                consecutive_errors=0,
                items_today=today.get(name, 0),
                lag=now - seen if seen else None,
                status="manual",
                managed=False,
            )
        )
    return rows
