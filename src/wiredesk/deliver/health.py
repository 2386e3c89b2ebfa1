"""How each delivery target is doing: backlog, lag of the oldest waiting change, last error.

Shown on /admin, by `wiredesk targets list`, and as gauges in /metrics (read from the database
at scrape time, so every process's /metrics tells the same story).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wiredesk.store.models import OutboxRow, Target

if TYPE_CHECKING:
    from wiredesk.store import Store

FAILING_AFTER = 3


@dataclass
class TargetHealth:
    name: str
    kind: str
    location: str
    enabled: bool
    backlog: int
    lag: timedelta | None  # age of the oldest change still waiting
    delivered: int
    last_success_at: datetime | None
    last_error_at: datetime | None
    last_error: str
    consecutive_errors: int
    status: str  # ok, backlog, failing, disabled
    refused: int = 0  # changes the target refused for good (a 4xx retrying cannot fix)

    def as_json(self) -> dict[str, object]:
        def iso(m: datetime | None) -> str | None:
            return m.isoformat() if m else None

        return {
            "name": self.name,
            "kind": self.kind,
            "location": self.location,
            "enabled": self.enabled,
            "backlog": self.backlog,
            "lag_seconds": round(self.lag.total_seconds(), 3) if self.lag is not None else None,
            "delivered": self.delivered,
            "last_success_at": iso(self.last_success_at),
            "last_error_at": iso(self.last_error_at),
            "last_error": self.last_error,
            "consecutive_errors": self.consecutive_errors,
            "status": self.status,
            "refused": self.refused,
        }


def target_health(session: Session, now: datetime) -> list[TargetHealth]:
    counts = session.execute(
        select(
            OutboxRow.target_id, OutboxRow.state, func.count(), func.min(OutboxRow.created_at)
        ).group_by(OutboxRow.target_id, OutboxRow.state)
    ).all()
    backlog = {t: (n, oldest) for t, state, n, oldest in counts if state == "pending"}
    done = {t: n for t, state, n, _ in counts if state == "done"}
    refused = {t: n for t, state, n, _ in counts if state == "refused"}
    out = []
    for row in session.scalars(select(Target).order_by(Target.name)):
        waiting, oldest = backlog.get(row.id, (0, None))
        if not row.enabled:
            status = "disabled"
        elif row.consecutive_errors >= FAILING_AFTER:
            status = "failing"
        elif waiting and oldest is not None and now - oldest > timedelta(seconds=60):
            status = "behind"
        else:
            status = "ok"
        out.append(
            TargetHealth(
                name=row.name,
                kind=row.kind,
                location=row.location,
                enabled=row.enabled,
                backlog=waiting,
                lag=max(now - oldest, timedelta(0)) if oldest is not None else None,
                delivered=done.get(row.id, 0),
                last_success_at=row.last_success_at,
                last_error_at=row.last_error_at,
                last_error=row.last_error,
                consecutive_errors=row.consecutive_errors,
                status=status,
                refused=refused.get(row.id, 0),
            )
        )
    return out


class TargetCollector(Collector):
    """Per-target gauges, read from the store the site serves."""

    store: Store | None = None

    def collect(self) -> Iterator[GaugeMetricFamily]:
        if self.store is None:
            return
        try:
            with self.store.session() as session:
                rows = target_health(session, datetime.now(UTC))
        except Exception:  # /metrics must answer even when the database does not
            return
        families = {
            "backlog": GaugeMetricFamily(
                "wiredesk_target_backlog", "Changes waiting for a target", labels=["target"]
            ),
            "lag": GaugeMetricFamily(
                "wiredesk_target_lag_seconds",
                "Age of the oldest change waiting for a target",
                labels=["target"],
            ),
            "errors": GaugeMetricFamily(
                "wiredesk_target_consecutive_errors",
                "Failed delivery rounds in a row",
                labels=["target"],
            ),
        }
        for row in rows:
            families["backlog"].add_metric([row.name], row.backlog)
            families["lag"].add_metric([row.name], row.lag.total_seconds() if row.lag else 0.0)
            families["errors"].add_metric([row.name], row.consecutive_errors)
        yield from families.values()


COLLECTOR = TargetCollector()
REGISTRY.register(COLLECTOR)


def watch(store: Store) -> None:
    """Report this store's targets in /metrics."""
    COLLECTOR.store = store
