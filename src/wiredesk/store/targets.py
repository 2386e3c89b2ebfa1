"""Delivery targets in the database: declared in wiredesk.toml or added from the CLI, leased by
workers exactly as sources are."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from wiredesk.config import Config, TargetConfig
from wiredesk.exceptions import ConfigError, NotFound
from wiredesk.store import leases
from wiredesk.store.models import Target

KINDS = ("wordpress", "webhook", "static")


def to_config(row: Target) -> TargetConfig:
    return TargetConfig(
        name=row.name,
        kind=row.kind,
        location=row.location,
        enabled=row.enabled,
        secret_env=row.secret_env,
        options=dict(row.options or {}),
    )


def upsert(session: Session, target: TargetConfig, now: datetime) -> Target:
    if target.kind not in KINDS:
        raise ConfigError(f"target {target.name!r}: kind must be one of {', '.join(KINDS)}")
    if not target.location:
        raise ConfigError(f"target {target.name!r}: needs a location (a URL or a folder)")
    row = session.scalars(select(Target).where(Target.name == target.name)).one_or_none()
    if row is None:
        row = Target(name=target.name, created_at=now, last_error="", consecutive_errors=0)
        session.add(row)
    row.kind, row.location, row.enabled = target.kind, target.location, target.enabled
    row.secret_env, row.options = target.secret_env, dict(target.options)
    session.flush()
    return row


def sync(session: Session, config: Config, now: datetime) -> None:
    """Targets declared in wiredesk.toml win over earlier copies of themselves in the database."""
    for target in config.targets.values():
        upsert(session, target, now)


def get(session: Session, name: str) -> Target:
    row = session.scalars(select(Target).where(Target.name == name)).one_or_none()
    if row is None:
        raise NotFound(f"no target named {name!r}")
    return row


def all_targets(session: Session) -> Sequence[Target]:
    return session.scalars(select(Target).order_by(Target.name)).all()


def lease_due(
    session: Session, owner: str, now: datetime, ttl: timedelta, limit: int = 8
) -> list[Target]:
    due = and_(
        Target.enabled.is_(True),
        or_(Target.next_attempt_at.is_(None), Target.next_attempt_at <= now),
    )
    return leases.lease_due(session, Target, due, Target.next_attempt_at, owner, now, ttl, limit)


def finish(
    session: Session,
    target_id: int,
    owner: str,
    now: datetime,
    *,
    delivered: int,
    error: str = "",
    retry_at: datetime | None,
) -> None:
    """Record a delivery round's result and hand the lease back."""
    row = session.get(Target, target_id)
    if row is None or row.lease_owner != owner:
        return  # the lease expired and another worker has it: its record wins
    if error:
        row.last_error_at, row.last_error = now, error
        row.consecutive_errors += 1
    elif delivered:
        row.last_success_at, row.consecutive_errors = now, 0
    row.next_attempt_at = retry_at
    row.lease_owner, row.lease_expires = None, None
