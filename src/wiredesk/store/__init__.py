"""The store: the database (stories, versions, receipts, quarantine, audit) and the raw archive."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from wiredesk.store.archive import Archive
from wiredesk.store.db import open_database
from wiredesk.store.models import (
    GONE_STATES,
    LIVE_STATES,
    AuditEntry,
    Picture,
    Quarantine,
    Receipt,
    SlugRedirect,
    Story,
    StoryPicture,
    Version,
)

if TYPE_CHECKING:
    from wiredesk.store.search import Hit


def visible(now: datetime) -> ColumnElement[bool]:
    """The one rule every reader-facing output uses: live, and its moment has come."""
    return and_(Story.state.in_(LIVE_STATES), Story.published_at <= now)


def picture_shown(now: datetime) -> ColumnElement[bool]:
    """A picture is shown with its visible stories once checked, unless killed or embargoed."""
    return and_(
        Picture.status == "ready",
        Picture.pubstatus == "usable",
        or_(Picture.embargoed.is_(None), Picture.embargoed <= now),
    )


@dataclass(frozen=True)
class ShownPicture:
    """A picture as a page shows it: the checked bytes and the agency's words."""

    sha256: str
    width: int
    height: int
    caption: str
    credit: str


MediaState = Literal["shown", "gone", "missing"]


class Store:
    def __init__(self, url: str, archive_dir: Path) -> None:
        self.url = url
        self.engine, self._sessions = open_database(url)
        self.archive = Archive(archive_dir)

    def session(self) -> Session:
        return self._sessions()

    def close(self) -> None:
        self.engine.dispose()

    def latest(
        self, now: datetime, *, section: str | None = None, limit: int = 50, offset: int = 0
    ) -> Sequence[Story]:
        query = select(Story).where(visible(now))
        if section is not None:
            query = query.where(Story.section == section)
        query = query.order_by(Story.listed_at.desc(), Story.id.desc())
        query = query.limit(limit).offset(offset)
        with self.session() as session:
            return session.scalars(query).all()

    def breaking(self, now: datetime, fresh: timedelta) -> Story | None:
        """The newest visible flash or urgent story (urgency 1 or 2) listed within `fresh`."""
        query = (
            select(Story)
            .where(visible(now), Story.urgency.in_((1, 2)), Story.listed_at >= now - fresh)
            .order_by(Story.listed_at.desc(), Story.id.desc())
            .limit(1)
        )
        with self.session() as session:
            return session.scalars(query).first()

    def search(self, now: datetime, text: str, limit: int = 50) -> list[Hit]:
        """Visible stories matching the words and "phrases" in `text`, best first."""
        from wiredesk.store.search import search

        with self.session() as session:
            return search(session, now, text, limit)

    def cluster(self, story: Story, now: datetime) -> Sequence[Story]:
        """Other live stories about the same event, from other agencies."""
        if story.cluster_id is None:
            return []
        query = select(Story).where(
            visible(now), Story.cluster_id == story.cluster_id, Story.id != story.id
        )
        with self.session() as session:
            return session.scalars(query.order_by(Story.id)).all()

    def held(self) -> Sequence[Story]:
        with self.session() as session:
            return session.scalars(
                select(Story).where(Story.state == "held").order_by(Story.id)
            ).all()

    def sections(self, now: datetime) -> list[str]:
        query = (
            select(Story.section)
            .where(visible(now))
            .group_by(Story.section)
            .order_by(Story.section)
        )
        with self.session() as session:
            return list(session.scalars(query))

    def pictures(self, uris: Sequence[str], now: datetime) -> dict[str, list[ShownPicture]]:
        """Each story's shown pictures: the ones it names first, in the agency's order, then
        its packages'. A picture's own item has the last word on its caption and credit."""
        if not uris:
            return {}
        query = (
            select(
                StoryPicture.story_uri,
                Picture.sha256,
                Picture.width,
                Picture.height,
                Picture.caption,
                Picture.credit,
                StoryPicture.caption,
                StoryPicture.credit,
            )
            .join(Picture, Picture.uri == StoryPicture.picture_uri)
            .where(StoryPicture.story_uri.in_(set(uris)), picture_shown(now))
            .order_by(
                StoryPicture.story_uri,
                StoryPicture.origin != StoryPicture.story_uri,
                StoryPicture.origin,
                StoryPicture.position,
            )
        )
        found: dict[str, list[ShownPicture]] = {}
        with self.session() as session:
            for uri, sha256, width, height, caption, credit, named, credited in session.execute(
                query
            ):
                shown = found.setdefault(uri, [])
                if sha256 and width and height and all(p.sha256 != sha256 for p in shown):
                    shown.append(
                        ShownPicture(sha256, width, height, caption or named, credit or credited)
                    )
        return found

    def media(self, sha256: str, now: datetime) -> tuple[MediaState, int]:
        """Whether these bytes may be served, and their width: shown on a visible story;
        gone (410) when every story that showed them was killed (or taken down, or expired),
        or the picture was;
        missing (404) otherwise, an embargoed story's picture included."""
        query = (
            select(
                Picture.width,
                Picture.status,
                Picture.pubstatus,
                Picture.embargoed,
                Story.state,
                Story.published_at,
            )
            .join(StoryPicture, StoryPicture.picture_uri == Picture.uri)
            .join(Story, Story.uri == StoryPicture.story_uri)
            .where(Picture.sha256 == sha256)
        )
        with self.session() as session:
            rows = session.execute(query).all()
        gone = False
        for width, status, pubstatus, embargoed, state, published_at in rows:
            shown = status == "ready" and pubstatus == "usable" and (embargoed or now) <= now
            if shown and state in LIVE_STATES and published_at and published_at <= now:
                return "shown", int(width or 0)
            gone = gone or state in GONE_STATES or pubstatus == "canceled"
        return ("gone" if gone else "missing"), 0

    def withdrawn_pictures(self) -> list[ShownPicture]:
        """Checked pictures a kill took away: their stories', or their own. Their addresses
        answer 410 (unless another story still shows them), so a static copy keeps them so."""
        query = (
            select(Picture.sha256, Picture.width, Picture.height)
            .join(StoryPicture, StoryPicture.picture_uri == Picture.uri)
            .join(Story, Story.uri == StoryPicture.story_uri)
            .where(
                Picture.status == "ready",
                or_(Story.state.in_(GONE_STATES), Picture.pubstatus == "canceled"),
            )
            .distinct()
        )
        with self.session() as session:
            return [
                ShownPicture(sha256, width, height, "", "")
                for sha256, width, height in session.execute(query)
                if sha256 and width and height
            ]

    def story_by_slug(self, slug: str) -> Story | None:
        with self.session() as session:
            return session.scalars(select(Story).where(Story.slug == slug)).one_or_none()

    def story_by_old_slug(self, slug: str) -> Story | None:
        """The story an address it had before (models.SlugRedirect) now belongs to."""
        with self.session() as session:
            return session.scalars(
                select(Story).join(SlugRedirect, SlugRedirect.story_id == Story.id).where(
                    SlugRedirect.old_slug == slug
                )
            ).one_or_none()

    def story(self, story_id: int) -> Story | None:
        with self.session() as session:
            return session.get(Story, story_id)

    def stories(self) -> Sequence[Story]:
        with self.session() as session:
            return session.scalars(select(Story).order_by(Story.id)).all()

    def current_version(self, story: Story) -> Version | None:
        if story.current_version_id is None:
            return None
        with self.session() as session:
            return session.get(Version, story.current_version_id)

    def versions(self, story: Story) -> Sequence[Version]:
        with self.session() as session:
            return session.scalars(
                select(Version).where(Version.story_id == story.id).order_by(Version.id)
            ).all()

    def stories_from_raw(self, sha256: str) -> Sequence[Story]:
        """Every story a version of which came from this raw file (a newsMessage backs several)."""
        query = select(Story).where(
            Story.id.in_(select(Version.story_id).where(Version.sha256 == sha256))
        )
        with self.session() as session:
            return session.scalars(query.order_by(Story.id)).all()

    def quarantine(self) -> Sequence[Quarantine]:
        with self.session() as session:
            return session.scalars(select(Quarantine).order_by(Quarantine.id)).all()

    def receipts(self) -> Sequence[Receipt]:
        with self.session() as session:
            return session.scalars(select(Receipt).order_by(Receipt.id)).all()

    def audit(self, story_id: int | None = None) -> Sequence[AuditEntry]:
        query = select(AuditEntry).order_by(AuditEntry.id)
        if story_id is not None:
            query = query.where(AuditEntry.story_id == story_id)
        with self.session() as session:
            return session.scalars(query).all()

    def count(self, model: type[Story] | type[Version] | type[Quarantine] | type[Receipt]) -> int:
        with self.session() as session:
            return int(session.scalar(select(func.count()).select_from(model)) or 0)
