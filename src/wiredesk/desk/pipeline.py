"""The desk: every received file goes archive -> parse -> lifecycle -> store, in that order.

Files travel in batches (`receive_batch`; `desk.batcher` forms them from whatever transports
hand over): the raw bytes of the whole batch are durable before anything parses them, every
file is parsed outside the transaction, and one transaction decides them all in memory in
arrival order and writes the rows in bulk. A file that cannot be read goes to quarantine with
its reason and never stops the files after it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from wiredesk import formats, metrics
from wiredesk.config import Config, SourceConfig
from wiredesk.desk import changes, media, publish, similarity
from wiredesk.desk.batch import Batch
from wiredesk.desk.changes import Change, ChangeListener
from wiredesk.desk.lifecycle import Lifecycle
from wiredesk.exceptions import NotFound, ParseError
from wiredesk.store import Store, pages, sources, writes
from wiredesk.store.models import AuditEntry, Source, Story, Version
from wiredesk.types import Item

if TYPE_CHECKING:
    from wiredesk.desk.batcher import Batcher

log = logging.getLogger(__name__)
_INDEXED = "wiredesk.indexed"
_LIFTS = "wiredesk.lifts"
_PAGES = "wiredesk.pages"
Clock = Callable[[], datetime]
T = TypeVar("T")
DUPLICATE = "this exact file was received before"


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


@dataclass(frozen=True)
class Arrival:
    """One file as a transport hands it over."""

    data: bytes
    source: str = "local"
    filename: str = ""
    # When the file reached us (landed in the spool, was fetched or pushed).
    landed_at: datetime | None = None
    # Refused by its transport unread: `data` is a note, quarantined with this reason.
    refused: str = ""


@dataclass
class _Read:
    """An arrival archived and parsed, on its way into a batch's transaction."""

    arrival: Arrival
    sha256: str
    config: SourceConfig
    known: bool
    parsed: formats.Parsed | None = None
    error: str = ""


def _retryable(exc: DBAPIError) -> bool:
    """Another worker stored the same file or story a moment ago, or the two collided."""
    if isinstance(exc, IntegrityError):
        return True
    code = getattr(exc.orig, "sqlstate", None)
    return isinstance(exc, OperationalError) and code in ("40001", "40P01")


class Desk:
    def __init__(self, config: Config, store: Store, clock: Clock = utcnow) -> None:
        self.config = config
        self.store = store
        self.clock = clock
        self.near = similarity.NearDuplicates(config.near_duplicate_threshold)
        self.lifecycle = Lifecycle(config, self.near)
        # Told of every change readers can see: inside its transaction and after its commit.
        self.listeners: list[ChangeListener] = []
        self._batcher: Batcher | None = None

    @property
    def batcher(self) -> Batcher:
        """The queue that gathers files from every transport into batches (started on first use)."""
        if self._batcher is None:
            from wiredesk.desk.batcher import Batcher

            self._batcher = Batcher(self, self.config.batch_files, self.config.batch_ms / 1000)
        return self._batcher

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
                # Every serve process drops the pages these touch (and learns of new embargoes).
                # Last, so the log's ordering lock (store/pages.py) is held only until commit.
                touched = [c.story_id for c in noted] + session.info.pop(_PAGES, [])
                pages.record(session, touched, session.info.pop(_LIFTS, []), self.clock())
            # Stories new in the batch join the near-duplicate index only once they exist.
            now = self.clock()
            self.near.add_many((sid, sig, now) for sid, sig in session.info.pop(_INDEXED, []))
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
        """One file, as a batch of one, in the calling thread."""
        return self.receive_batch([Arrival(data, source, filename, landed_at)])[0]

    def receive_many(
        self,
        files: Sequence[tuple[bytes, str]],
        *,
        source: str = "local",
        landed_at: datetime | None = None,
    ) -> list[Outcome]:
        """(bytes, filename) pairs from one source as one batch: for imports and bulk drops."""
        return self.receive_batch([Arrival(data, source, name, landed_at) for data, name in files])

    def receive_batch(self, arrivals: Sequence[Arrival]) -> list[Outcome]:
        """Archive every file (one sync), parse each, then decide and write all in one transaction.

        A failure that is not a collision with another worker is retried one file at a time,
        so one file that trips a bug cannot hold back the others.
        """
        if not arrivals:
            return []
        started = time.perf_counter()
        shas = self.store.archive.put_many([a.data for a in arrivals])
        reads = self._read(arrivals, shas)
        try:
            outcomes = self._with_retries(lambda session: self._decide(session, reads))
        except Exception:
            if len(arrivals) == 1:
                raise
            log.exception("a batch of %d files failed; taking them one at a time", len(arrivals))
            return [self.receive_batch([arrival])[0] for arrival in arrivals]
        for arrival_source in {a.source for a in arrivals}:
            mine = [
                (o, a)
                for o, a in zip(outcomes, arrivals, strict=True)
                if a.source == arrival_source
            ]
            self._count(arrival_source, mine, (time.perf_counter() - started) / len(arrivals))
        return outcomes

    def _read(self, arrivals: Sequence[Arrival], shas: list[str]) -> list[_Read]:
        """Source settings and files received before (one query each); parse the rest."""
        with self.store.session() as session:
            configs = {
                name: self.source_config(session, name) for name in {a.source for a in arrivals}
            }
            known = writes.known_files(session, set(shas))
        reads = []
        for arrival, sha256 in zip(arrivals, shas, strict=True):
            read = _Read(arrival, sha256, configs[arrival.source], sha256 in known)
            if arrival.refused:
                read.error = arrival.refused
            elif not read.known:
                try:
                    read.parsed = formats.parse(
                        arrival.data, read.config.format, read.config.mapping
                    )
                except ParseError as exc:
                    read.error = str(exc)
            reads.append(read)
        return reads

    def _with_retries(self, work: Callable[[Session], T], attempts: int = 3) -> T:
        for attempt in range(attempts):
            try:
                with self.transaction() as session:
                    return work(session)
            except DBAPIError as exc:
                if not _retryable(exc) or attempt == attempts - 1:
                    raise
        raise AssertionError("unreachable")

    def _count(self, source: str, done: list[tuple[Outcome, Arrival]], seconds: float) -> None:
        now = self.clock()
        for outcome, arrival in done:
            metrics.INGEST_SECONDS.observe(seconds)
            metrics.FILES_RECEIVED.labels(source, outcome.outcome).inc()
            if outcome.outcome == "quarantined":
                metrics.FILES_QUARANTINED.labels(source).inc()
            if outcome.published:
                metrics.STORIES_PUBLISHED.labels(source).inc(outcome.published)
                if arrival.landed_at is not None:
                    metrics.WIRE_TO_LIVE.labels(source).observe(
                        max(0.0, (now - arrival.landed_at).total_seconds())
                    )

    def _decide(self, session: Session, reads: list[_Read]) -> list[Outcome]:
        """The batch's transaction: claim the files, load, decide in memory, write in bulk."""
        # Each file its own moment, a microsecond apart in arrival order: a version with no
        # timestamp of its own is newer than one that arrived before it, as one by one.
        start = self.clock()
        stamps = [start + timedelta(microseconds=k) for k in range(len(reads))]
        new = writes.claim_files(
            session,
            [
                (r.sha256, len(r.arrival.data), at)
                for r, at in zip(reads, stamps, strict=True)
                if not r.known
            ],
        )
        firsts: list[_Read] = []
        for read in reads:
            if read.sha256 in new:
                new.discard(read.sha256)  # a second copy in the same batch is a duplicate
                firsts.append(read)
        first_ids = {id(r) for r in firsts}
        # What each file brings: its items and pictures, or for a repeat only its picture.
        brings = {
            id(r): r.parsed if id(r) in first_ids else _repeated_picture(r.arrival.data)
            for r in reads
        }
        arriving = [
            media.Arriving(parsed, r.arrival.source, r.arrival.filename)
            for r in reads
            if (parsed := brings[id(r)]) is not None
        ]
        batch = self._load(session, arriving, start)
        outcomes = []
        for read, now in zip(reads, stamps, strict=True):
            batch.now = now
            arrival = read.arrival
            if id(read) not in first_ids:
                outcome = Outcome(read.sha256, "duplicate", DUPLICATE)
                repeat = brings[id(read)]
                if repeat is not None:
                    # The same picture under another name is named by other stories.
                    media.attach(
                        batch,
                        repeat,
                        [],
                        sha256=read.sha256,
                        source=arrival.source,
                        filename=arrival.filename,
                    )
            elif read.parsed is None:
                outcome = self._quarantine(batch, read)
            else:
                outcome = self._apply(
                    batch, read.parsed, read.sha256, read.config, arrival.filename
                )
            batch.rows.receipts.append(
                {
                    "sha256": read.sha256,
                    "source": arrival.source,
                    "filename": arrival.filename,
                    "received_at": now,
                    "landed_at": arrival.landed_at,
                    "outcome": outcome.outcome,
                    "detail": outcome.detail,
                }
            )
            outcomes.append(outcome)
        self._write(session, batch)
        return outcomes

    def _load(self, session: Session, arriving: list[media.Arriving], now: datetime) -> Batch:
        """Everything the batch's files can touch, one query each, into a Batch."""
        items = [item for a in arriving for item in a.parsed.items]
        pictures = media.load(session, arriving)
        stories = writes.stories_by_uri(session, {item.uri for item in items} | pictures.story_uris)
        found = {story.uri for story in stories}
        firsts: dict[str, Item] = {}
        for item in items:
            if item.uri not in found:
                firsts.setdefault(item.uri, item)
        batch = Batch(
            now,
            self.near,
            iter(writes.allocate_ids(session, Story, len(firsts))),
            iter(writes.allocate_ids(session, Version, len(items))),
        )
        batch.pictures = pictures
        batch.know(stories)
        batch.versions = writes.known_versions(session, [story.id for story in stories])
        hashes = {batch.fingerprint(item).text_hash for item in firsts.values()}
        batch.know_texts(writes.same_text(session, hashes))
        if self.lifecycle.finds_near_duplicates and firsts:
            self._fill_index(session, now)
            candidates: set[int] = set()
            for item in firsts.values():
                signature = batch.fingerprint(item, signature=True).signature
                candidates.update(self.near.similar(signature or []))
            batch.know(writes.stories_by_id(session, candidates - set(batch.by_id)))
        return batch

    def _fill_index(self, session: Session, now: datetime) -> None:
        """On the first batch after start: the index rebuilt from the stored signatures."""
        if not self.near.filled:
            self.near.add_many(writes.recent_signatures(session, now - self.near.window))
            self.near.filled = True

    def _write(self, session: Session, batch: Batch) -> None:
        writes.write(session, batch.finish())
        session.info.setdefault(_LIFTS, []).extend(batch.lifts())
        session.info.setdefault(_PAGES, []).extend(batch.regrouped())
        for change in batch.changes:
            changes.note(session, change)
        # Only stories that will exist join the shared index: after this transaction commits.
        session.info.setdefault(_INDEXED, []).extend(batch.indexed)

    @staticmethod
    def _quarantine(batch: Batch, read: _Read) -> Outcome:
        arrival = read.arrival
        batch.rows.quarantine.append(
            {
                "sha256": read.sha256,
                "source": arrival.source,
                "filename": arrival.filename,
                "reason": read.error,
                "created_at": batch.now,
                "resolved_at": None,
            }
        )
        batch.audit(None, read.sha256, "quarantined", f"{arrival.filename}: {read.error}")
        log.warning(
            "quarantined %s from %s: %s",
            arrival.filename or read.sha256,
            arrival.source,
            read.error,
        )
        return Outcome(read.sha256, "quarantined", read.error)

    def source_config(self, session: Session, name: str) -> SourceConfig:
        """The database's record of a source (synced from wiredesk.toml), or the defaults."""
        row = session.scalars(select(Source).where(Source.name == name)).one_or_none()
        return sources.to_config(row) if row is not None else self.config.source(name)

    def apply_parsed(
        self,
        session: Session,
        parsed: formats.Parsed,
        sha256: str,
        source_config: SourceConfig,
        now: datetime,
        *,
        filename: str = "",
    ) -> Outcome:
        """One parsed file through the lifecycle inside the caller's transaction (quarantine retry)."""
        batch = self._load(session, [media.Arriving(parsed, source_config.name, filename)], now)
        outcome = self._apply(batch, parsed, sha256, source_config, filename)
        self._write(session, batch)
        return outcome

    def _apply(
        self,
        batch: Batch,
        parsed: formats.Parsed,
        sha256: str,
        source_config: SourceConfig,
        filename: str,
    ) -> Outcome:
        """Skipped items on record, every item through the lifecycle, then its pictures."""
        for skipped in parsed.skipped:
            batch.audit(None, sha256, "skipped", f"{skipped.uri}: {skipped.reason}")
        pictures = bool(parsed.pictures or parsed.packages or parsed.picture_file)
        outcome = Outcome(
            sha256, "accepted" if parsed.items else "picture" if pictures else "skipped"
        )
        actions = []
        current = []
        for item in parsed.items:
            # The file's own credit wins; the source's agency only fills in where it has none.
            item.agency = item.agency or source_config.agency
            applied = self.lifecycle.apply(batch, item, source_config, sha256)
            outcome.stories.append(applied.story.id)
            actions.append(applied.action)
            if applied.action in ("published", "updated"):
                current.append((applied.story, item))
            if applied.story.state == publish.PUBLISHED and applied.story.published_at == batch.now:
                outcome.published += 1
        media.attach(
            batch, parsed, current, sha256=sha256, source=source_config.name, filename=filename
        )
        outcome.detail = ", ".join(sorted(set(actions))) or "; ".join(
            [s.reason for s in parsed.skipped] + ([_pictures_detail(parsed)] if pictures else [])
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
                if story.state == publish.EMBARGOED and story.published_at is not None:
                    session.info.setdefault(_LIFTS, []).append((story.id, story.published_at))
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


def _repeated_picture(data: bytes) -> formats.Parsed | None:
    """A file received before that is a picture: its new name may be the one stories wait for."""
    picture_file = formats.pictures.image_type(data)
    return formats.Parsed(format="picture", picture_file=picture_file) if picture_file else None


def _pictures_detail(parsed: formats.Parsed) -> str:
    if parsed.picture_file:
        return f"a picture file ({parsed.picture_file}), kept for the stories that name it"
    linked = sum(len(p) for pkg in parsed.packages for p in pkg.pictures.values())
    return f"{len(parsed.pictures)} picture item(s), {len(parsed.packages)} package(s) linking {linked}"
