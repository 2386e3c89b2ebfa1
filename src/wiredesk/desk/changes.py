"""What readers can see change, as one record that every listener hears.

The lifecycle notes a Change whenever a story's public face moves: it appears, its text is
replaced, it is killed, or it disappears for another reason. Listeners hear the batch twice:
inside the transaction that made the changes (for rows that must commit with them, such as an
outbox), and after the commit (for things that must not run on a change that rolled back, such
as dropping cached pages). Delivery targets treat "publish" and "update" alike, as an upsert:
an embargo lifted by time and an update of it can reach them in either order. An editor's
"takedown" and a licence's "expire" remove a story as a "kill" does; "restore" brings a
taken-down story back and is an upsert too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from sqlalchemy.orm import Session

from wiredesk.store.models import Story

Action = Literal["publish", "update", "kill", "unpublish", "takedown", "restore", "expire"]
ACTIONS: tuple[Action, ...] = (
    "publish",
    "update",
    "kill",
    "unpublish",
    "takedown",
    "restore",
    "expire",
)
_KEY = "wiredesk.changes"


@dataclass(frozen=True)
class Change:
    story_id: int
    action: Action
    # The story's current version after the change, and whether that version is a correction.
    version: str
    at: datetime
    correction: bool = False


@dataclass(frozen=True)
class Seen:
    """A story's public face at one moment: whether readers see it, and which version."""

    visible: bool
    version_id: int | None
    killed: bool


class ChangeListener(Protocol):
    def in_transaction(self, session: Session, changes: Sequence[Change]) -> None: ...

    def after_commit(self, changes: Sequence[Change]) -> None: ...


def seen(story: Story | None, now: datetime) -> Seen:
    if story is None:
        return Seen(False, None, False)
    return Seen(story.is_visible(now), story.current_version_id, story.state == "killed")


def between(
    before: Seen, story: Story, now: datetime, *, correction: bool = False
) -> Change | None:
    """The change from `before` to the story as it is now, or None when readers see no change."""
    after = seen(story, now)
    action: Action | None = None
    if after.killed and not before.killed:
        action = "kill"
    elif before.visible and not after.visible:
        action = "unpublish"
    elif after.visible and not before.visible:
        action = "publish"
    elif after.visible and after.version_id != before.version_id:
        action = "update"
    if action is None:
        return None
    return Change(story.id, action, story.version, now, correction)


def pending(session: Session) -> list[Change]:
    """The changes this session's transaction has made so far (listeners hear them at commit)."""
    found: list[Change] = session.info.setdefault(_KEY, [])
    return found


def note(session: Session, change: Change | None) -> None:
    if change is not None:
        pending(session).append(change)


def take(session: Session) -> list[Change]:
    return list(session.info.pop(_KEY, []))
