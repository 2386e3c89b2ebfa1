"""The page-change log: which stories' pages changed, and which embargoes (of stories or of
pictures) will lift by time.

Written in the transaction that made the change, so a `serve` process that reads a row knows
the change has committed; read by every process's page cache (site/cache.py), which reads on
from the last id it saw. That needs ids to become visible in id order: SQLite has one writer
at a time, and on PostgreSQL writers take a transaction lock before their rows get ids, so
two workers' ids cannot commit out of order and leave a reader past a row it never saw.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, select, text
from sqlalchemy.orm import Session

from wiredesk.store.models import PageChange, Picture, Story
from wiredesk.store.writes import table_of

# pg_advisory_xact_lock key: "wdpg" as an integer, any constant no other code uses.
ORDER_LOCK = 0x77647067
KEEP = 10_000  # rows; a reader further behind than this drops its whole cache


def record(
    session: Session,
    story_ids: Sequence[int],
    lifts: Iterable[tuple[int | None, datetime]],
    now: datetime,
) -> None:
    rows = [{"story_id": sid, "lifts_at": None, "at": now} for sid in story_ids]
    rows += [{"story_id": sid, "lifts_at": at, "at": now} for sid, at in lifts]
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql":
        # Held until commit: the next writer's ids are drawn only after these are visible.
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ORDER_LOCK})
    session.execute(insert(table_of(PageChange)), rows)
    top = int(session.scalar(select(func.max(PageChange.id))) or 0)
    if top // 1000 != (top - len(rows)) // 1000:  # now and then, not every batch
        session.execute(delete(PageChange).where(PageChange.id <= top - KEEP))


def latest(connection: Connection) -> int:
    return int(connection.scalar(select(func.coalesce(func.max(PageChange.id), 0))) or 0)


def since(
    connection: Connection, after: int
) -> tuple[list[tuple[int, int | None, datetime | None]], bool]:
    """Rows after `after` as (id, story_id, lifts_at), and whether unread rows were pruned."""
    found = [
        (row.id, row.story_id, row.lifts_at)
        for row in connection.execute(
            select(PageChange.id, PageChange.story_id, PageChange.lifts_at)
            .where(PageChange.id > after)
            .order_by(PageChange.id)
        )
    ]
    # A rolled-back transaction leaves a gap in the ids; only pruning leaves the oldest kept
    # row above a reader's place with rows missing in between.
    pruned = bool(found) and after > 0 and found[0][0] > after + KEEP // 2
    return found, pruned


def next_lift(connection: Connection, now: datetime) -> datetime | None:
    """The next instant an embargoed story, or a picture's own embargo, lifts by itself."""
    stories = select(func.min(Story.published_at)).where(
        Story.state == "embargoed", Story.published_at > now
    )
    pictures = select(func.min(Picture.embargoed)).where(
        Picture.embargoed > now, Picture.pubstatus == "usable"
    )
    found = [
        at for at in (connection.scalar(stories), connection.scalar(pictures)) if at is not None
    ]
    return min(found) if found else None
