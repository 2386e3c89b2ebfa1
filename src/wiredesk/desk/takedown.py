"""The publisher's own hand on a story: take it down (a legal notice cannot wait for the
agency's kill) and restore it.

A takedown removes a live story from every output at once: its address answers 410 with a
notice that the publisher removed it, every listing, feed, sitemap and search drops it (they
all select through `store.visible(now)`, which a taken-down story fails), and every target
hears a `takedown` (WordPress trashes the post, a webhook gets the action, a static export
re-renders the page as 410). Agency versions that arrive meanwhile are kept and made current
but not shown (desk.lifecycle); a restore shows the latest of them. An agency kill still
applies: a withdrawal is final, so a killed story cannot be restored.
"""

from __future__ import annotations

from sqlalchemy import select

from wiredesk.desk import changes, publish
from wiredesk.desk.changes import Change
from wiredesk.desk.pipeline import _LIFTS, Desk
from wiredesk.exceptions import NotFound, WiredeskError
from wiredesk.store.models import LIVE_STATES, AuditEntry, Story, Version
from wiredesk.types import Item

REASON_PREFIX = "removed by the publisher"


class NotAllowed(WiredeskError):
    """The story is in a state this action cannot apply to."""


def takedown(desk: Desk, story_id: int, reason: str, who: str = "cli") -> Story:
    """Remove a live (or embargoed) story from every output and tell every target."""
    reason = " ".join(reason.split())
    if not reason:
        raise NotAllowed("a takedown needs a reason (it goes in the audit trail)")
    now = desk.clock()
    with desk.transaction() as session:
        story = session.get(Story, story_id)
        if story is None:
            raise NotFound(f"no story with id {story_id}")
        if story.state not in LIVE_STATES:
            raise NotAllowed(
                f"story {story_id} is {story.state}, not live: only a live or embargoed story "
                "can be taken down"
            )
        story.state = publish.TAKEN_DOWN
        story.reason = f"{REASON_PREFIX}: {reason}"
        story.updated_at = now
        session.add(
            AuditEntry(at=now, story_id=story.id, action="taken down", detail=f"by {who}: {reason}")
        )
        changes.note(session, Change(story.id, "takedown", story.version, now))
    return story


def restore(desk: Desk, story_id: int, who: str = "cli") -> Story:
    """Undo a takedown: the story (its latest version) is shown again everywhere."""
    now = desk.clock()
    with desk.transaction() as session:
        story = session.get(Story, story_id)
        if story is None or story.state != publish.TAKEN_DOWN:
            raise NotFound(f"no taken-down story with id {story_id}")
        version = session.get(Version, story.current_version_id)
        item = Item.from_json(version.item) if version is not None else Item(uri=story.uri)
        if item.pubstatus == "withheld":
            story.state, story.reason = publish.WITHHELD, "withheld by the agency"
        else:
            desk.lifecycle.go_live(story, item, now)
        story.updated_at = now
        session.add(
            AuditEntry(
                at=now, story_id=story.id, action="restored", detail=f"by {who}: {story.state}"
            )
        )
        if story.is_visible(now):
            changes.note(session, Change(story.id, "restore", story.version, now))
        elif story.state == publish.EMBARGOED and story.published_at is not None:
            # Shown by itself at its instant; the pages and the scheduler hear of it then.
            session.info.setdefault(_LIFTS, []).append((story.id, story.published_at))
    return story


def taken_down(desk: Desk) -> list[Story]:
    with desk.store.session() as session:
        return list(
            session.scalars(
                select(Story).where(Story.state == publish.TAKEN_DOWN).order_by(Story.id.desc())
            )
        )
