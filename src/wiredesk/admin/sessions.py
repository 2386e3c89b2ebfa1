"""Server-side admin sessions: the cookie holds a random id, the database its sha256 and limits.

A session ends when its row goes: at logout, when its user's password changes or the user is
removed, on `wiredesk admin sessions revoke`, or when it has been idle or alive too long. A
copy of the cookie taken before any of those opens nothing afterwards.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from wiredesk.config import Security
from wiredesk.store.models import AdminSession, AdminUser, ApiToken

# last_seen_at is written at most this often, so browsing is not a write per request.
TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True)
class Limits:
    lifetime: timedelta
    idle: timedelta

    @classmethod
    def of(cls, security: Security) -> Limits:
        return cls(
            lifetime=timedelta(hours=security.session_hours),
            idle=timedelta(minutes=security.session_idle_minutes),
        )


def sid_hash(sid: str) -> str:
    return hashlib.sha256(sid.encode("utf-8")).hexdigest()


def start(
    session: Session,
    now: datetime,
    limits: Limits,
    *,
    user_id: int | None = None,
    token_id: int | None = None,
    client: str = "",
    user_agent: str = "",
) -> str:
    """A new session for a user or a token; returns the id for the cookie (never stored)."""
    sid = secrets.token_urlsafe(32)
    session.add(
        AdminSession(
            sid_hash=sid_hash(sid),
            user_id=user_id,
            token_id=token_id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + limits.lifetime,
            client=client[:100],
            user_agent=user_agent[:200],
        )
    )
    return sid


def find(session: Session, sid: object, now: datetime, limits: Limits) -> AdminSession | None:
    """The live session this cookie id names, touched; an expired one is deleted and None."""
    if not isinstance(sid, str) or not sid or len(sid) > 100:
        return None
    row = session.scalars(
        select(AdminSession).where(AdminSession.sid_hash == sid_hash(sid))
    ).one_or_none()
    if row is None:
        return None
    if row.expires_at <= now or row.last_seen_at + limits.idle <= now:
        session.delete(row)
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
    return row


def end(session: Session, sid: object) -> None:
    if isinstance(sid, str) and sid:
        session.execute(delete(AdminSession).where(AdminSession.sid_hash == sid_hash(sid)))


def end_for_user(session: Session, user_id: int) -> int:
    result = session.execute(delete(AdminSession).where(AdminSession.user_id == user_id))
    return int(result.rowcount)  # type: ignore[attr-defined]


def revoke(session: Session, ids: Sequence[int]) -> int:
    result = session.execute(delete(AdminSession).where(AdminSession.id.in_(ids)))
    return int(result.rowcount)  # type: ignore[attr-defined]


def end_all(session: Session) -> int:
    return int(session.execute(delete(AdminSession)).rowcount)  # type: ignore[attr-defined]


def prune(session: Session, now: datetime, limits: Limits) -> None:
    session.execute(
        delete(AdminSession).where(
            or_(AdminSession.expires_at <= now, AdminSession.last_seen_at <= now - limits.idle)
        )
    )


@dataclass(frozen=True)
class Listed:
    id: int
    who: str
    client: str
    user_agent: str
    created_at: datetime
    last_seen_at: datetime
    ends_at: datetime  # whichever comes first: the absolute end or the idle end


def active(session: Session, now: datetime, limits: Limits) -> list[Listed]:
    rows = session.execute(
        select(AdminSession, AdminUser.username, ApiToken.name)
        .outerjoin(AdminUser, AdminUser.id == AdminSession.user_id)
        .outerjoin(ApiToken, ApiToken.id == AdminSession.token_id)
        .where(AdminSession.expires_at > now, AdminSession.last_seen_at > now - limits.idle)
        .order_by(AdminSession.id)
    ).all()
    return [
        Listed(
            id=row.id,
            who=username if username is not None else f"token:{token_name}",
            client=row.client,
            user_agent=row.user_agent,
            created_at=row.created_at,
            last_seen_at=row.last_seen_at,
            ends_at=min(row.expires_at, row.last_seen_at + limits.idle),
        )
        for row, username, token_name in rows
    ]
