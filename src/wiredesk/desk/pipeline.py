"""The desk: every received file goes archive -> parse -> lifecycle -> store, in that order.

The raw bytes are durable before parsing starts; a file that cannot be read goes to quarantine
with its reason and never stops the files after it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wiredesk import formats, metrics
from wiredesk.config import Config, SourceConfig
from wiredesk.desk import changes, publish
from wiredesk.desk.changes import Change, ChangeListener
from wiredesk.desk.lifecycle import Lifecycle
from wiredesk.desk.similarity import NearDuplicates
from wiredesk.exceptions import NotFound, ParseError
from wiredesk.store import Store, sources
from wiredesk.store.models import AuditEntry, Quarantine, RawFile, Receipt, Source, Story, Version
from wiredesk.types import Item

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
T = TypeVar("T")


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Outcome:
    """What one received file became."""

    sha256: str
    outcome: str
    detail: str = ""
    stories: list[int] = field(default_factory=list)
    published: int = 0


class Desk:
    def __init__(self, config: Config, store: Store, clock: Clock = utcnow) -> None:
        self.config = config
        self.store = store
        self.clock = clock
        self.lifecycle = Lifecycle(config, NearDuplicates(config.near_duplicate_threshold))
        # Told of every change readers can see: inside its transaction and after its commit.
        self.listeners: list[ChangeListener] = []

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One transaction whose reader-visible changes the listeners hear, before and after commit."""
        with self.store.session() as session:
            with session.begin():
                yield session
                noted = changes.take(session)
                if noted:
                    for listener in self.listeners:
                        listener.in_transaction(session, noted)
            if noted:
                for listener in self.listeners:
                    listener.after_commit(noted)

    def receive(
        self,
        data: bytes,
        *,
        source: str = "local",
        filename: str = "",
        landed_at: datetime | None = None,
    ) -> Outcome:
        started = time.perf_counter()
        sha256 = self.store.archive.put(data)
        outcome = self._with_retries(
            lambda session: self._receive(session, data, sha256, source, filename, landed_at)
        )
        self._count(source, [outcome], landed_at, time.perf_counter() - started)
        return outcome

    def receive_many(
        self,
        files: Sequence[tuple[bytes, str]],
        *,
        source: str = "local",
        landed_at: datetime | None = None,
    ) -> list[Outcome]:
        """Many files at once: one archive sync and one transaction, for backfills and bulk drops.

        Each file is still archived before it is parsed and decided on its own; a failure of
        the batch transaction falls back to one file at a time.
        """
        started = time.perf_counter()
        shas = self.store.archive.put_many([data for data, _ in files])

        def batch(session: Session) -> list[Outcome]:
            return [
                self._receive(session, data, sha, source, filename, landed_at)
                for (data, filename), sha in zip(files, shas, strict=True)
            ]

        try:
            outcomes = self._with_retries(batch, attempts=1)
        except IntegrityError:
            outcomes = [
                self.receive(data, source=source, filename=filename, landed_at=landed_at)
                for data, filename in files
            ]
            return outcomes
        self._count(source, outcomes, landed_at, time.perf_counter() - started)
        return outcomes

    def _with_retries(self, work: Callable[[Session], T], attempts: int = 3) -> T:
        for attempt in range(attempts):
            try:
                with self.transaction() as session:
                    return work(session)
            except IntegrityError:
                # Another worker stored the same file or story a moment ago; look again.
                if attempt == attempts - 1:
                    raise
        raise AssertionError("unreachable")

    def _count(
        self, source: str, outcomes: list[Outcome], landed_at: datetime | None, seconds: float
    ) -> None:
        metrics.INGEST_SECONDS.observe(seconds / max(len(outcomes), 1))
        for outcome in outcomes:
            metrics.FILES_RECEIVED.labels(source, outcome.outcome).inc()
            if outcome.outcome == "quarantined":
                metrics.FILES_QUARANTINED.labels(source).inc()
            if outcome.published:
                metrics.STORIES_PUBLISHED.labels(source).inc(outcome.published)
                if landed_at is not None:
                    metrics.WIRE_TO_LIVE.labels(source).observe(
                        max(0.0, (self.clock() - landed_at).total_seconds())
                    )

    def _receive(
        self,
        session: Session,
        data: bytes,
        sha256: str,
        source: str,
        filename: str,
        landed_at: datetime | None,
    ) -> Outcome:
        now = self.clock()
        if session.get(RawFile, sha256) is not None:
            outcome = Outcome(sha256, "duplicate", "this exact file was received before")
            self._receipt(session, outcome, source, filename, now, landed_at)
            return outcome
        session.add(RawFile(sha256=sha256, size=len(data), first_received_at=now))
        session.flush()
        outcome = self._process(session, data, sha256, source, filename, now)
        self._receipt(session, outcome, source, filename, now, landed_at)
        return outcome

    def source_config(self, session: Session, name: str) -> SourceConfig:
        """The database's record of a source (synced from wiredesk.toml), or the defaults."""
        row = session.scalars(select(Source).where(Source.name == name)).one_or_none()
        return sources.to_config(row) if row is not None else self.config.source(name)

    def _process(
        self, session: Session, data: bytes, sha256: str, source: str, filename: str, now: datetime
    ) -> Outcome:
        source_config = self.source_config(session, source)
        try:
            parsed = formats.parse(data, source_config.format, source_config.mapping)
        except ParseError as exc:
            reason = str(exc)
            session.add(
                Quarantine(
                    sha256=sha256, source=source, filename=filename, reason=reason, created_at=now
                )
            )
            session.add(
                AuditEntry(
                    at=now, sha256=sha256, action="quarantined", detail=f"{filename}: {reason}"
                )
            )
            log.warning("quarantined %s from %s: %s", filename or sha256, source, reason)
            return Outcome(sha256, "quarantined", reason)
        return self.apply_parsed(session, parsed, sha256, source_config, now)

    def apply_parsed(
        self,
        session: Session,
        parsed: formats.Parsed,
        sha256: str,
        source_config: SourceConfig,
        now: datetime,
    ) -> Outcome:
        """Skipped items on record, every item through the lifecycle; shared with quarantine retry."""
        for skipped in parsed.skipped:
            session.add(
                AuditEntry(
                    at=now,
                    sha256=sha256,
                    action="skipped",
                    detail=f"{skipped.uri}: {skipped.reason}",
                )
            )
        outcome = Outcome(sha256, "accepted" if parsed.items else "skipped")
        actions = []
        for item in parsed.items:
            item.agency = source_config.agency or item.agency
            applied = self.lifecycle.apply(session, item, source_config, sha256, now)
            outcome.stories.append(applied.story.id)
            actions.append(applied.action)
            if applied.story.state == publish.PUBLISHED and applied.story.published_at == now:
                outcome.published += 1
        outcome.detail = ", ".join(sorted(set(actions))) or "; ".join(
            s.reason for s in parsed.skipped
        )
        return outcome

    def release_due(self) -> int:
        """Mark embargoes whose time has come as published (they are already visible by rule)."""
        now = self.clock()
        with self.transaction() as session:
            due = session.scalars(
                select(Story).where(Story.state == publish.EMBARGOED, Story.published_at <= now)
            ).all()
            for story in due:
                story.state = publish.PUBLISHED
                # Readers' rule showed it from its instant on; listeners hear of it now.
                changes.note(session, Change(story.id, "publish", story.version, now))
                session.add(
                    AuditEntry(
                        at=now,
                        story_id=story.id,
                        action="embargo lifted",
                        detail=f"embargo until {story.embargoed}",
                    )
                )
        return len(due)

    def release(self, story_id: int, who: str = "cli") -> Story:
        """An editor lets a held story go: live now, or at its embargo time."""
        return self._decide_hold(story_id, who, release=True)

    def drop(self, story_id: int, who: str = "cli") -> Story:
        return self._decide_hold(story_id, who, release=False)

    def _decide_hold(self, story_id: int, who: str, *, release: bool) -> Story:
        now = self.clock()
        with self.transaction() as session:
            story = session.get(Story, story_id)
            if story is None or story.state != publish.HELD:
                raise NotFound(f"no held story with id {story_id}")
            before = changes.seen(story, now)
            if release:
                version = session.get(Version, story.current_version_id)
                item = Item.from_json(version.item) if version is not None else Item(uri=story.uri)
                self.lifecycle.go_live(story, item, now)
            else:
                story.state = publish.DROPPED
            action = "released" if release else "dropped"
            story.reason = f"{action} by {who}"
            story.updated_at = now
            session.add(
                AuditEntry(
                    at=now, story_id=story.id, action=action, detail=f"hold {action} by {who}"
                )
            )
            changes.note(session, changes.between(before, story, now))
        return story

    @staticmethod
    def _receipt(
        session: Session,
        outcome: Outcome,
        source: str,
        filename: str,
        now: datetime,
        landed_at: datetime | None,
    ) -> None:
        session.add(
            Receipt(
                sha256=outcome.sha256,
                source=source,
                filename=filename,
                received_at=now,
                landed_at=landed_at,
                outcome=outcome.outcome,
                detail=outcome.detail,
            )
        )
