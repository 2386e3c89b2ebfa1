"""The desk: every received file goes archive -> parse -> decide -> store, in that order.

The raw bytes are durable before parsing starts; a file that cannot be read goes to quarantine
with its reason and never stops the files after it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from wiredesk import formats
from wiredesk.config import Config
from wiredesk.desk import publish
from wiredesk.exceptions import ParseError
from wiredesk.store import Store
from wiredesk.store.models import AuditEntry, Quarantine, RawFile, Receipt, Story, Version
from wiredesk.types import Item

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Outcome:
    """What one received file became."""

    sha256: str
    outcome: str
    detail: str = ""
    stories: list[int] = field(default_factory=list)


class Desk:
    def __init__(self, config: Config, store: Store, clock: Clock = utcnow) -> None:
        self.config = config
        self.store = store
        self.clock = clock

    def receive(self, data: bytes, *, source: str = "local", filename: str = "") -> Outcome:
        sha256 = self.store.archive.put(data)
        now = self.clock()
        with self.store.session() as session, session.begin():
            if session.get(RawFile, sha256) is not None:
                outcome = Outcome(sha256, "duplicate", "this exact file was received before")
                self._receipt(session, outcome, source, filename, now)
                return outcome
            session.add(RawFile(sha256=sha256, size=len(data), first_received_at=now))
            session.flush()
            outcome = self._process(session, data, sha256, source, filename, now)
            self._receipt(session, outcome, source, filename, now)
        return outcome

    def _process(
        self, session: Session, data: bytes, sha256: str, source: str, filename: str, now: datetime
    ) -> Outcome:
        source_config = self.config.source(source)
        try:
            parsed = formats.parse(data, source_config.format)
        except ParseError as exc:
            reason = str(exc)
            session.add(
                Quarantine(
                    sha256=sha256, source=source, filename=filename, reason=reason, created_at=now
                )
            )
            session.add(AuditEntry(at=now, sha256=sha256, action="quarantined", detail=reason))
            log.warning("quarantined %s from %s: %s", filename or sha256, source, reason)
            return Outcome(sha256, "quarantined", reason)
        outcome = Outcome(sha256, "skipped" if not parsed.items else "accepted")
        for skipped in parsed.skipped:
            session.add(
                AuditEntry(
                    at=now,
                    sha256=sha256,
                    action="skipped",
                    detail=f"{skipped.uri}: {skipped.reason}",
                )
            )
        results = [self._accept(session, item, sha256, source, now) for item in parsed.items]
        outcome.stories = [story_id for story_id, _ in results]
        outcome.detail = ", ".join(sorted({action for _, action in results})) or "; ".join(
            s.reason for s in parsed.skipped
        )
        return outcome

    def _accept(
        self, session: Session, item: Item, sha256: str, source: str, now: datetime
    ) -> tuple[int, str]:
        source_config = self.config.source(source)
        item.agency = source_config.agency or item.agency
        created = item.versioncreated or now
        story = session.scalars(select(Story).where(Story.uri == item.uri)).one_or_none()
        if story is None:
            story = Story(
                uri=item.uri,
                slug=publish.story_slug(item),
                section=publish.section_for(item, source_config, self.config),
                source=source,
                disclaimer=(
                    source_config.disclaimer
                    if source_config.disclaimer is not None
                    else self.config.disclaimer
                ),
                firstcreated=item.firstcreated or now,
                versioncreated=created,
                updated_at=now,
                state="",
            )
            session.add(story)
            session.flush()
            action = "published"
        elif any(v.version == item.version for v in story.versions):
            return story.id, "unchanged"
        elif not publish.is_newer(item.version, created, story.version, story.versioncreated):
            self._version(session, story, item, sha256, created, now)
            self._audit(
                session,
                story,
                sha256,
                now,
                "stale",
                f"version {item.version} is older than {story.version}; kept in history only",
            )
            return story.id, "stale"
        else:
            action = "updated"
        version = self._version(session, story, item, sha256, created, now)
        story.current_version_id = version.id
        story.version = item.version
        story.versioncreated = created
        story.headline = item.headline
        story.agency = item.agency
        story.embargoed = item.embargoed
        story.updated_at = now
        story.state = publish.state_for(item, now)
        if story.state == publish.EMBARGOED:
            # Becomes visible by itself at this instant: readers query published_at <= now.
            story.published_at = item.embargoed
        elif story.state == publish.PUBLISHED and (
            story.published_at is None or story.published_at > now
        ):
            story.published_at = now
        self._audit(session, story, sha256, now, action, f"version {item.version}: {story.state}")
        return story.id, action

    def _version(
        self,
        session: Session,
        story: Story,
        item: Item,
        sha256: str,
        created: datetime,
        now: datetime,
    ) -> Version:
        version = Version(
            story=story,
            version=item.version,
            versioncreated=created,
            received_at=now,
            sha256=sha256,
            item=item.to_json(),
        )
        session.add(version)
        session.flush()
        return version

    @staticmethod
    def _audit(
        session: Session, story: Story, sha256: str, now: datetime, action: str, detail: str
    ) -> None:
        session.add(
            AuditEntry(at=now, story_id=story.id, sha256=sha256, action=action, detail=detail)
        )

    @staticmethod
    def _receipt(
        session: Session, outcome: Outcome, source: str, filename: str, now: datetime
    ) -> None:
        session.add(
            Receipt(
                sha256=outcome.sha256,
                source=source,
                filename=filename,
                received_at=now,
                outcome=outcome.outcome,
                detail=outcome.detail,
            )
        )
