"""Leases: a worker takes a due row (a source to poll, a target to deliver to, a picture to
fetch or check) for a while.

The lease is a conditional UPDATE (and SKIP LOCKED on PostgreSQL), so exactly one worker gets
each row, and a crashed worker's lease simply expires; a process starting on the same host
takes back at once the leases of its host's dead processes (`release_dead`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from wiredesk.store.models import Picture, Source, Target

Leased = TypeVar("Leased", Source, Target, Picture)


def lease_due(
    session: Session,
    model: type[Leased],
    due: ColumnElement[bool],
    order_by: Any,
    owner: str,
    now: datetime,
    ttl: timedelta,
    limit: int,
) -> list[Leased]:
    """Take up to `limit` rows matching `due` for `owner`; each taken by exactly one worker."""
    free = or_(model.lease_expires.is_(None), model.lease_expires < now, model.lease_owner == owner)
    candidates = session.scalars(
        select(model)
        .where(due, free)
        .order_by(order_by)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    taken = []
    for row in candidates:
        result = session.execute(
            update(model)
            .where(model.id == row.id, free)
            .values(lease_owner=owner, lease_expires=now + ttl)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:  # type: ignore[attr-defined]
            # Core's UPDATE bypassed the ORM; tell the loaded object what the row now holds.
            set_committed_value(row, "lease_owner", owner)
            set_committed_value(row, "lease_expires", now + ttl)
            taken.append(row)
    return taken


def release_dead(session: Session, host: str, alive: Callable[[int], bool], now: datetime) -> int:
    """Hand back at once the leases held by processes of this host that are gone (a kill -9):
    owners are named `<host>-<pid>` (runner.default_owner), so a starting process can ask the
    kernel whether each pid still runs instead of waiting for the leases to expire. Returns how
    many rows were freed."""
    freed = 0
    prefix = f"{host}-"
    for model in (Source, Target, Picture):
        owners = session.scalars(
            select(model.lease_owner)
            .where(model.lease_owner.startswith(prefix, autoescape=True))
            .where(model.lease_expires > now)
            .distinct()
        ).all()
        for owner in owners:
            pid = (owner or "")[len(prefix) :]
            if not pid.isdecimal() or alive(int(pid)):
                continue
            result = session.execute(
                update(model)
                .where(model.lease_owner == owner)
                .values(lease_owner=None, lease_expires=None)
                .execution_options(synchronize_session=False)
            )
            freed += result.rowcount  # type: ignore[attr-defined]
    return freed
