"""The delivery loop: lease due targets, send their outbox rows in order, mark them done.

Targets are leased exactly like sources, so several workers share them and a dead worker's
targets pass to another when its lease expires. Within a target, rows go out in order per
story; a pending kill goes first and makes the older pending updates of its story pointless
(they are superseded, never sent). A row is marked done only after the target acknowledged
it, in its own small transaction, so a crash re-sends at most what was in flight, and the
target's idempotency by key turns that into no change.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, select, update
from sqlalchemy.orm import Session

from wiredesk import metrics
from wiredesk.deliver.outbox import REMOVALS, UPSERTS, Outbox, delivery_key, removal_waiting
from wiredesk.deliver.payload import Delivery
from wiredesk.deliver.pictures import PictureSource, no_pictures
from wiredesk.deliver.targets import Deferred, DeliveryError, Sender, TargetSpec, sender_for
from wiredesk.desk.pipeline import Desk
from wiredesk.desk.runner import backoff, default_owner, release_dead_leases
from wiredesk.site.render import item_of, story_url
from wiredesk.store import targets
from wiredesk.store.models import GONE_STATES, OutboxRow, Story, Version

log = logging.getLogger(__name__)


@dataclass
class DeliverySettings:
    threads: int = 4  # targets delivered to at once
    lease_ttl: timedelta = timedelta(seconds=120)
    tick: float = 0.25
    batch: int = 50
    # A round stops taking new rows after this long, so a kill never waits behind a backlog.
    round_seconds: float = 0.5
    # A batched sender (the static export) renders at most this many changed stories at a
    # time (the more, the cheaper each: shared pages once); a waiting removal stops a batch
    # (it resumes in the next round) or ends the round between two, and goes first.
    chunk: int = 100


@dataclass
class Round:
    delivered: int = 0
    error: str = ""
    retry_after: float | None = None
    more: bool = False


class Deliverer:
    def __init__(
        self,
        desk: Desk,
        owner: str | None = None,
        settings: DeliverySettings | None = None,
        pictures: PictureSource = no_pictures,
    ) -> None:
        self.desk = desk
        self.owner = owner or default_owner()
        self.settings = settings or DeliverySettings()
        self.pictures = pictures
        self.wake = threading.Event()
        for listener in desk.listeners:
            if isinstance(listener, Outbox):
                listener.wakers.append(self.wake.set)
        self._senders: dict[int, tuple[TargetSpec, Sender]] = {}
        self._in_flight: dict[int, Future[None]] = {}
        self._lock = threading.Lock()
        # Before the first round: a kill -9'd process of this host holds no target for long.
        release_dead_leases(desk)

    def run(self, stop: threading.Event) -> None:
        """Until `stop` is set; then finish the rounds in flight and return."""
        with ThreadPoolExecutor(self.settings.threads, thread_name_prefix="deliver") as pool:
            while not stop.is_set():
                self.tick(pool)
                self.wake.wait(self.settings.tick)
                self.wake.clear()
        for _, sender in self._senders.values():
            sender.close()

    def tick(self, pool: ThreadPoolExecutor) -> None:
        self._in_flight = {k: f for k, f in self._in_flight.items() if not f.done()}
        free = self.settings.threads - len(self._in_flight)
        if free <= 0:
            return
        try:
            now = self.desk.clock()
            with self.desk.store.session() as session, session.begin():
                leased = targets.lease_due(
                    session, self.owner, now, self.settings.lease_ttl, limit=free
                )
                specs = [(TargetSpec.of(row), row.consecutive_errors) for row in leased]
        except Exception:
            log.exception("deliverer %s: the database is not answering; trying again", self.owner)
            return
        for spec, errors in specs:
            if spec.id not in self._in_flight:
                self._in_flight[spec.id] = pool.submit(self.deliver, spec, errors)

    def deliver(self, spec: TargetSpec, errors: int) -> None:
        """One round for one target, its result written back and the lease returned."""
        try:
            result = self.round(spec)
        except DeliveryError as exc:
            result = Round(error=str(exc), retry_after=exc.retry_after)
        except Exception as exc:  # a bug in one target must not stop the others
            log.exception("target %s: delivery failed", spec.name)
            result = Round(error=f"{type(exc).__name__}: {exc}")
        now = self.desk.clock()
        retry_at = None
        if result.error:
            metrics.TARGET_ERRORS.labels(spec.name).inc()
            log.warning("target %s: %s", spec.name, result.error)
            retry_at = now + self.backoff(spec, errors + 1, result.retry_after)
        with self.desk.store.session() as session, session.begin():
            targets.finish(
                session,
                spec.id,
                self.owner,
                now,
                delivered=result.delivered,
                error=result.error,
                retry_at=retry_at,
            )
        if result.more:
            self.wake.set()

    @staticmethod
    def backoff(spec: TargetSpec, errors: int, retry_after: float | None) -> timedelta:
        """Exponential with jitter from the target's `retry_seconds`, capped by `retry_max_seconds`."""
        delay = backoff(errors, spec.number("retry_seconds", 1.0), retry_after)
        return min(delay, timedelta(seconds=max(spec.number("retry_max_seconds", 600), 0.001)))

    def sender(self, spec: TargetSpec) -> Sender:
        with self._lock:
            known = self._senders.get(spec.id)
            if known is not None and known[0] == spec and known[0].options == spec.options:
                return known[1]
            if known is not None:
                known[1].close()
            sender = sender_for(spec, self.desk)
            self._senders[spec.id] = (spec, sender)
            return sender

    def round(self, spec: TargetSpec) -> Round:
        sender = self.sender(spec)
        now = self.desk.clock()
        # A batched sender renders the union of a round's changes: the more, the cheaper each.
        limit = int(spec.number("batch", 500 if sender.batched else self.settings.batch))
        with self.desk.store.session() as session, session.begin():
            rows = self._due(session, spec.id, now, limit)
            groups = [self._deliveries(session, group, now) for group in rows]
        groups = [g for g in groups if g]
        result = Round(more=sum(len(g) for g in rows) >= limit)
        if not groups:
            try:
                sender.idle()
            except Deferred:
                result.more = True
            return result
        if sender.batched:
            seen = {row.id for group in rows for row in group}
            return self._send_batches(spec, sender, groups, result, seen)
        return self._send_groups(spec, sender, groups, result)

    def _send_batches(
        self,
        spec: TargetSpec,
        sender: Sender,
        groups: list[list[Delivery]],
        result: Round,
        seen: set[int],
    ) -> Round:
        """A batched sender (the static export) gets a round's kills as a batch of their own
        first, so a kill is out before the backlog behind it is rendered; then the rest in
        batches of at most `chunk` stories, each one render of the union of the pages its
        changes touch. A removal queued meanwhile ends the round between two batches (or the
        sender defers its batch), and the next round sends it first."""
        deliveries = [d for group in groups for d in group]
        kills = [d for d in deliveries if d.action in REMOVALS]
        # A story's rows after its removal (a restore) wait for the next round, in order.
        rest = [g for g in groups if not any(d.action in REMOVALS for d in g)]
        result.more = result.more or len(kills) < sum(len(g) for g in groups) - sum(map(len, rest))
        size = max(1, int(spec.number("chunk", self.settings.chunk)))
        batches = [kills] if kills else []
        batches += [
            [d for group in rest[n : n + size] for d in group] for n in range(0, len(rest), size)
        ]
        for number, batch in enumerate(batches):
            if number:
                with self.desk.store.session() as session:
                    waiting = removal_waiting(session, spec.id, seen, self.desk.clock())
                if waiting:
                    result.more = True
                    break
            try:
                sender.send_batch(batch)
            except Deferred:
                result.more = True
                break
            except DeliveryError as exc:
                self._failed(spec, batch[0], exc)
                raise
            self._done_many(spec, batch)
            result.delivered += len(batch)
        return result

    def _send_groups(
        self, spec: TargetSpec, sender: Sender, groups: list[list[Delivery]], result: Round
    ) -> Round:
        deadline = time.monotonic() + self.settings.round_seconds
        abort = threading.Event()
        lock = threading.Lock()

        def one_story(group: list[Delivery]) -> None:
            for delivery in group:
                if abort.is_set() or time.monotonic() > deadline:
                    result.more = True
                    return
                try:
                    sender.send(delivery)
                except DeliveryError as exc:
                    self._failed(spec, delivery, exc)
                    if exc.unavailable:
                        with lock:
                            result.error, result.retry_after = str(exc), exc.retry_after
                        abort.set()
                    return
                self._done(spec, delivery)
                with lock:
                    result.delivered += 1

        concurrency = max(1, int(spec.number("concurrency", 4)))
        if concurrency == 1 or len(groups) == 1:
            for group in groups:
                one_story(group)
        else:
            with ThreadPoolExecutor(concurrency, thread_name_prefix=f"to-{spec.name}") as pool:
                list(pool.map(one_story, groups))
        return result

    def _due(
        self, session: Session, target_id: int, now: datetime, limit: int
    ) -> list[list[OutboxRow]]:
        """The next rows to send, per story in order: kills first, their story's older
        updates superseded, and nothing after a row that is still backing off."""
        rows = session.scalars(
            select(OutboxRow)
            .where(OutboxRow.target_id == target_id, OutboxRow.state == "pending")
            .order_by(case((OutboxRow.action.in_(REMOVALS), 0), else_=1), OutboxRow.id)
            .limit(limit)
        ).all()
        kills = {row.story_id: row.id for row in rows if row.action in REMOVALS}
        for story_id, kill_id in kills.items():
            session.execute(
                update(OutboxRow)
                .where(
                    OutboxRow.target_id == target_id,
                    OutboxRow.story_id == story_id,
                    OutboxRow.state == "pending",
                    OutboxRow.action.not_in(REMOVALS),
                    OutboxRow.id < kill_id,
                )
                .values(state="superseded", delivered_at=now, last_error="superseded by a removal")
                .execution_options(synchronize_session=False)
            )
        groups: dict[int, list[OutboxRow]] = {}
        blocked: set[int] = set()
        for row in rows:
            if row.story_id in blocked or (
                row.story_id in kills
                and row.action not in REMOVALS
                and row.id < kills[row.story_id]
            ):
                continue
            if row.next_attempt_at is not None and row.next_attempt_at > now:
                blocked.add(row.story_id)  # order per story: nothing overtakes a waiting row
                continue
            groups.setdefault(row.story_id, []).append(row)
        return list(groups.values())

    def _deliveries(
        self, session: Session, rows: Sequence[OutboxRow], now: datetime
    ) -> list[Delivery]:
        out: list[Delivery] = []
        base = self.desk.config.base_url.rstrip("/")
        for row in rows:
            story = session.get(Story, row.story_id)
            item = None
            if row.action in UPSERTS:
                if story is None or story.state in GONE_STATES:
                    # A killed (taken down, expired) story's text never goes out again,
                    # whatever was queued before; a restore queues its own row.
                    row.state, row.delivered_at = "superseded", now
                    row.last_error = story.state if story is not None else "killed"
                    continue
                version = session.scalars(
                    select(Version).where(
                        Version.story_id == story.id, Version.version == row.version
                    )
                ).first()
                item = item_of(version)
                due = max(
                    (m for m in (item.embargoed, story.published_at) if m is not None),
                    default=None,
                )
                if due is not None and due > now:
                    # Never noted before its time; this guard keeps it so whatever queued it.
                    row.next_attempt_at = due
                    break
            if story is None:
                continue
            session.expunge(story)
            out.append(
                Delivery(
                    row_id=row.id,
                    key=delivery_key(row.story_uri, row.version, row.action, row.created_at),
                    action=row.action,
                    story_id=row.story_id,
                    uri=row.story_uri,
                    version=row.version,
                    correction=row.correction,
                    created_at=row.created_at,
                    story=story,
                    item=item,
                    url=base + story_url(story),
                    pictures=self.pictures(row.story_id, row.version) if item else (),
                )
            )
        return out

    def _done(self, spec: TargetSpec, delivery: Delivery) -> None:
        now = self.desk.clock()
        with self.desk.store.session() as session, session.begin():
            session.execute(
                update(OutboxRow)
                .where(OutboxRow.id == delivery.row_id, OutboxRow.state == "pending")
                .values(
                    state="done",
                    delivered_at=now,
                    attempts=OutboxRow.attempts + 1,
                    last_error="",
                )
            )
        metrics.DELIVERIES.labels(spec.name, delivery.action).inc()
        metrics.DELIVERY_LAG.labels(spec.kind).observe(
            max(0.0, (now - delivery.created_at).total_seconds())
        )

    def _done_many(self, spec: TargetSpec, deliveries: Sequence[Delivery]) -> None:
        """A batch acknowledged: its rows done in one transaction (not one each)."""
        now = self.desk.clock()
        with self.desk.store.session() as session, session.begin():
            for chunk in range(0, len(deliveries), 500):
                ids = [d.row_id for d in deliveries[chunk : chunk + 500]]
                session.execute(
                    update(OutboxRow)
                    .where(OutboxRow.id.in_(ids), OutboxRow.state == "pending")
                    .values(
                        state="done",
                        delivered_at=now,
                        attempts=OutboxRow.attempts + 1,
                        last_error="",
                    )
                    .execution_options(synchronize_session=False)
                )
        for delivery in deliveries:
            metrics.DELIVERIES.labels(spec.name, delivery.action).inc()
            metrics.DELIVERY_LAG.labels(spec.kind).observe(
                max(0.0, (now - delivery.created_at).total_seconds())
            )

    def _failed(self, spec: TargetSpec, delivery: Delivery, exc: DeliveryError) -> None:
        now = self.desk.clock()
        with self.desk.store.session() as session, session.begin():
            row = session.get(OutboxRow, delivery.row_id)
            if row is None or row.state != "pending":
                return
            row.attempts += 1
            row.last_error = str(exc)[:2000]
            if exc.permanent:
                # Retrying cannot help: out of the backlog, counted and shown on /admin.
                row.state = "refused"
                what = f"{row.story_uri[:200]}@{row.version}:{row.action}"
                log.error("target %s refused %s for good: %s", spec.name, what, exc)
            elif not exc.unavailable:
                # Refused: this row backs off by itself; the target's other stories go on.
                row.next_attempt_at = now + self.backoff(spec, row.attempts, exc.retry_after)
