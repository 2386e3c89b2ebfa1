"""The outbox: one row per enabled target for every change readers can see.

The rows are inserted by a `Desk` listener inside the transaction that made the change, so a
change and the promise to deliver it commit together or not at all. The Change itself is only
noted when readers can see the story (an embargo is noted when it lifts), so no row, and so no
delivery, exists for an embargoed story before its time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from urllib.parse import quote

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session

from wiredesk.desk.changes import Change
from wiredesk.store.models import OutboxRow, Story, Target

UPSERTS = ("publish", "update", "restore")
# Actions that take a story away from a target; they go first, as a kill always has.
REMOVALS = ("kill", "takedown", "expire")
# An editor can take down and restore the same version more than once: each time is its own.
_REPEATABLE = ("takedown", "restore")


def delivery_key(uri: str, version: str, action: str, at: datetime | None = None) -> str:
    """The idempotency key: a target that already has it must not be changed again."""
    key = f"{uri}@{version}:{action}"
    if action in _REPEATABLE and at is not None:
        key += "@" + at.astimezone(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    return key


def removal_waiting(session: Session, target_id: int, seen: set[int], now: datetime) -> bool:
    """A due kill (takedown, expiry) for this target other than the rows in `seen`: a long
    static round gives way to it."""
    ids = session.scalars(
        select(OutboxRow.id)
        .where(
            OutboxRow.target_id == target_id,
            OutboxRow.state == "pending",
            OutboxRow.action.in_(REMOVALS),
            or_(OutboxRow.next_attempt_at.is_(None), OutboxRow.next_attempt_at <= now),
        )
        .limit(len(seen) + 1)
    ).all()
    return any(i not in seen for i in ids)


def header_value(key: str) -> str:
    """The key as a header can carry it: ASCII, no controls (agency uris may hold anything)."""
    return quote(key, safe="!#$&'()*+,/:;=?@[]~-._%")


class Outbox:
    """The Desk listener that writes the rows, and wakes this process's delivery loop when a
    transaction that wrote some has committed (not on every commit: most desks have few
    targets and many commits)."""

    def __init__(self) -> None:
        self.wakers: list[Callable[[], None]] = []
        self._wrote = threading.local()

    def in_transaction(self, session: Session, changes: Sequence[Change]) -> None:
        targets = session.scalars(select(Target.id).where(Target.enabled.is_(True))).all()
        if not targets:
            return
        self._wrote.rows = True
        rows = []
        for change in changes:
            story = session.get(Story, change.story_id)
            uri = story.uri if story is not None else ""
            rows += [
                {
                    "target_id": target_id,
                    "story_id": change.story_id,
                    "story_uri": uri,
                    "version": change.version,
                    "action": change.action,
                    "correction": change.correction,
                    "state": "pending",
                    "attempts": 0,
                    "last_error": "",
                    "created_at": change.at,
                }
                for target_id in targets
            ]
        session.execute(insert(OutboxRow), rows)

    def after_commit(self, changes: Sequence[Change]) -> None:
        if getattr(self._wrote, "rows", False):
            self._wrote.rows = False
            for wake in self.wakers:
                wake()
