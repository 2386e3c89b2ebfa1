"""The conditions an alert is about, as they stand now: one Condition per thing wrong."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wiredesk.alerts.cadence import quiet_for
from wiredesk.config import AlertSettings
from wiredesk.store.models import OutboxRow, Quarantine, Source, Target


@dataclass(frozen=True)
class Condition:
    key: str  # one incident per key: "source-failing:pti"
    kind: str
    subject: str
    detail: str


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.0f} min"


def conditions(
    session: Session, now: datetime, settings: AlertSettings, tz: ZoneInfo
) -> list[Condition]:
    found: list[Condition] = []
    for source in session.scalars(select(Source).where(Source.enabled.is_(True))):
        if source.consecutive_errors >= settings.source_fail_after:
            found.append(
                Condition(
                    f"source-failing:{source.name}",
                    "source failing",
                    source.name,
                    f"{source.consecutive_errors} polls in a row failed; last: {source.last_error}",
                )
            )
        quiet = quiet_for(session, source.name, now, settings, tz)
        if quiet is not None:
            silent, threshold = quiet
            found.append(
                Condition(
                    f"source-quiet:{source.name}",
                    "source quiet",
                    source.name,
                    f"no file for {_minutes(silent)}; at this hour it usually files within "
                    f"{_minutes(threshold)}",
                )
            )
    since = now - timedelta(minutes=settings.surge_minutes)
    quarantined = session.scalar(
        select(func.count()).select_from(Quarantine).where(Quarantine.created_at >= since)
    )
    if quarantined and quarantined >= settings.surge_count:
        found.append(
            Condition(
                "quarantine-surge",
                "quarantine surge",
                "quarantine",
                f"{quarantined} files quarantined in {settings.surge_minutes:g} min",
            )
        )
    oldest = dict(
        session.execute(
            select(OutboxRow.target_id, func.min(OutboxRow.created_at))
            .where(OutboxRow.state == "pending")
            .group_by(OutboxRow.target_id)
        ).all()
    )
    for target in session.scalars(select(Target).where(Target.enabled.is_(True))):
        if target.consecutive_errors >= settings.target_fail_after:
            found.append(
                Condition(
                    f"target-failing:{target.name}",
                    "target failing",
                    target.name,
                    f"{target.consecutive_errors} deliveries in a row failed; last: "
                    f"{target.last_error}",
                )
            )
        waiting = oldest.get(target.id)
        if waiting is not None and (now - waiting).total_seconds() > settings.target_behind_seconds:
            found.append(
                Condition(
                    f"target-behind:{target.name}",
                    "target behind",
                    target.name,
                    f"the oldest undelivered change is {_minutes((now - waiting).total_seconds())} old",
                )
            )
    return found
