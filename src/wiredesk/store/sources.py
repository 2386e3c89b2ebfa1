"""Sources in the database: declared in wiredesk.toml or added from the CLI, leased by workers.

A worker leases a due source with a conditional UPDATE (and SKIP LOCKED on PostgreSQL), so
several workers share the sources and a crashed worker's lease simply expires.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from wiredesk.config import Config, SourceConfig
from wiredesk.exceptions import ConfigError, NotFound
from wiredesk.store import leases
from wiredesk.store.models import Source

TRANSPORTS = ("folder", "http", "ftp", "push")


def to_config(row: Source) -> SourceConfig:
    return SourceConfig(
        name=row.name,
        agency=row.agency,
        format=row.format,
        section=row.section,
        disclaimer=row.disclaimer,
        transport=row.transport,
        location=row.location,
        interval=row.interval,
        enabled=row.enabled,
        secret_env=row.secret_env,
        options=dict(row.options or {}),
    )


def upsert(session: Session, source: SourceConfig, now: datetime) -> Source:
    if source.transport not in TRANSPORTS:
        raise ConfigError(
            f"source {source.name!r}: transport must be one of {', '.join(TRANSPORTS)}"
        )
    row = session.scalars(select(Source).where(Source.name == source.name)).one_or_none()
    if row is None:
        row = Source(
            name=source.name, created_at=now, cursor={}, last_error="", consecutive_errors=0
        )
        session.add(row)
    row.agency, row.transport, row.location = source.agency, source.transport, source.location
    row.format, row.interval, row.section = source.format, source.interval, source.section
    row.disclaimer, row.enabled, row.secret_env = (
        source.disclaimer,
        source.enabled,
        source.secret_env,
    )
    row.options = dict(source.options)
    session.flush()
    return row


def sync(session: Session, config: Config, now: datetime) -> None:
    """Sources declared in wiredesk.toml win over earlier copies of themselves in the database."""
    for source in config.sources.values():
        upsert(session, source, now)


def get(session: Session, name: str) -> Source:
    row = session.scalars(select(Source).where(Source.name == name)).one_or_none()
    if row is None:
        raise NotFound(f"no source named {name!r}")
    return row


def all_sources(session: Session) -> Sequence[Source]:
    return session.scalars(select(Source).order_by(Source.name)).all()


def lease_due(
    session: Session, owner: str, now: datetime, ttl: timedelta, limit: int = 8
) -> list[Source]:
    """Take up to `limit` due sources for `owner`; each taken by exactly one worker."""
    due = and_(
        Source.enabled.is_(True),
        Source.transport != "push",
        or_(Source.next_poll_at.is_(None), Source.next_poll_at <= now),
    )
    return leases.lease_due(session, Source, due, Source.next_poll_at, owner, now, ttl, limit)


def finish(
    session: Session,
    source_id: int,
    owner: str,
    now: datetime,
    *,
    cursor: dict[str, Any] | None,
    error: str = "",
    retry_at: datetime,
) -> None:
    """Record a poll's result and hand the lease back."""
    row = session.get(Source, source_id)
    if row is None or row.lease_owner != owner:
        return  # the lease expired and another worker has it: its record wins
    if error:
        row.last_error_at, row.last_error = now, error
        row.consecutive_errors += 1
    else:
        row.last_success_at, row.consecutive_errors = now, 0
        if cursor is not None:
            row.cursor = cursor
    row.next_poll_at = retry_at
    row.lease_owner, row.lease_expires = None, None
