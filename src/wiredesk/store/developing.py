"""The read side of developing stories: a cluster's timeline and a story's cluster.

Every query selects members through `store.visible(now)` or the killed state, so a story still
under embargo (or held, withheld, dropped) is never in a timeline, and a killed member is
listed as withdrawn with no headline or text.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from wiredesk.desk.lifecycle import is_correction
from wiredesk.store import visible
from wiredesk.store.models import Story, StoryDevelopment, Version
from wiredesk.types import Item


@dataclass(frozen=True)
class Revision:
    """A later version of a member: "update" or "correction", at the agency's time."""

    version: str
    kind: str
    at: datetime


@dataclass(frozen=True)
class Entry:
    story_id: int
    agency: str
    first_published_at: datetime
    killed: bool
    killed_at: datetime | None
    # Empty for a killed story: its words are withdrawn everywhere.
    headline: str
    slug: str
    revisions: list[Revision] = field(default_factory=list)


def _shown(now: datetime):  # type: ignore[no-untyped-def]
    # Killed stories that were once public stay in the timeline, withdrawn.
    killed = and_(Story.state == "killed", Story.published_at <= now)
    return or_(visible(now), killed)


def timeline(session: Session, development_id: int, now: datetime) -> list[Entry]:
    """The development's members readers may know of, oldest first publication first."""
    members = (
        session.execute(
            select(Story)
            .join(StoryDevelopment, StoryDevelopment.story_id == Story.id)
            .where(StoryDevelopment.development_id == development_id, _shown(now))
            .order_by(Story.listed_at, Story.id)
        )
        .scalars()
        .all()
    )
    if not members:
        return []
    ids = [s.id for s in members]
    versions: dict[int, list[Version]] = defaultdict(list)
    for version in session.scalars(
        select(Version).where(Version.story_id.in_(ids)).order_by(Version.received_at, Version.id)
    ):
        versions[version.story_id].append(version)
    entries = []
    for story in members:
        killed = story.state == "killed"
        killed_at = story.killed_at if killed else None
        revisions = []
        for version in versions[story.id][1:]:
            if version.received_at > (story.killed_at or now):
                continue
            item = Item.from_json(version.item)
            # Every time a reader sees is the agency's (the README's one date rule).
            at = item.versioncreated or version.received_at
            if item.pubstatus == "canceled":
                killed_at = at if killed else killed_at
                continue
            kind = "correction" if is_correction(item) else "update"
            revisions.append(Revision(version.version, kind, at))
        entries.append(
            Entry(
                story.id,
                story.agency,
                story.listed_at or story.published_at or now,
                killed,
                killed_at,
                "" if killed else story.headline,
                story.slug,
                revisions,
            )
        )
    return entries


def development_of(session: Session, story_id: int, now: datetime) -> tuple[int, int] | None:
    """(development id, how many of its members are visible now), or None if it has none."""
    development_id = session.scalar(
        select(StoryDevelopment.development_id).where(StoryDevelopment.story_id == story_id)
    )
    if development_id is None:
        return None
    count = session.scalar(
        select(func.count())
        .select_from(StoryDevelopment)
        .join(Story, Story.id == StoryDevelopment.story_id)
        .where(StoryDevelopment.development_id == development_id, visible(now))
    )
    return int(development_id), int(count or 0)
