"""The worker loop: lease due sources, poll them through their transport, feed the desk.

Several workers (threads here, processes elsewhere, on one PostgreSQL) share the sources by
lease; a worker that dies simply lets its leases expire. Each tick also marks embargoes whose
time has come as published (they are already visible by the site's rule) and, every
`expiry_seconds`, expires stories past their licence (desk.expiry). Every poll hands its
files to the desk's batcher, where they share batches with every other source's; spool folders
are watched, so a file that lands is polled at once rather than at the next interval.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from wiredesk import metrics
from wiredesk.desk import cadence
from wiredesk.desk.pipeline import Arrival, Desk, Outcome
from wiredesk.exceptions import TransportError
from wiredesk.store import sources
from wiredesk.store.models import Source
from wiredesk.transports import for_name, inotify
from wiredesk.transports.base import Delivery, SourceSpec
from wiredesk.transports.spool import mark_complete, watch_paths

log = logging.getLogger(__name__)
MAX_BACKOFF = timedelta(hours=1)


@dataclass
class RunnerSettings:
    threads: int = 4
    lease_ttl: timedelta = timedelta(seconds=120)
    tick: float = 0.25
    # Spool folders are cheap to scan and readers expect copy live within a second.
    folder_interval: float = 0.25
    # How often the scheduler looks for stories past their licence (expire_days).
    expiry_seconds: float = 10.0


def default_owner() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def release_dead_leases(desk: Desk) -> None:
    """Take back the leases of this host's processes that died without handing them back."""
    from wiredesk.store import leases

    try:
        with desk.store.session() as session, session.begin():
            freed = leases.release_dead(session, socket.gethostname(), process_alive, desk.clock())
    except Exception:
        log.exception("could not take back dead processes' leases; they will expire")
        return
    if freed:
        log.warning("took back %d leases held by dead processes of this host", freed)


def backoff(errors: int, interval: float, retry_after: float | None) -> timedelta:
    """Exponential with full jitter, never sooner than the source asked for."""
    base = min(interval * 2 ** max(errors - 1, 0), MAX_BACKOFF.total_seconds())
    delay = random.uniform(base / 2, base)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return timedelta(seconds=delay)


def spec_of(row: Source) -> SourceSpec:
    return SourceSpec(
        name=row.name,
        transport=row.transport,
        location=row.location,
        format=row.format,
        interval=row.interval,
        options=dict(row.options or {}),
        secret_env=row.secret_env,
    )


class BatchSink:
    """A transport's files into the desk's next batches; returns once they have committed."""

    def __init__(self, desk: Desk, source: str) -> None:
        self.desk = desk
        self.source = source
        self.brought = 0  # files this poll handed over (adaptive polling counts them)

    def __call__(self, delivery: Delivery) -> Outcome:
        return self.many([delivery])[0]

    def many(self, deliveries: Sequence[Delivery]) -> list[Outcome]:
        self.brought += len(deliveries)
        arrivals = [
            Arrival(d.data, self.source, d.filename, d.landed_at, d.refused) for d in deliveries
        ]
        return self.desk.batcher.receive(arrivals)


class Runner:
    def __init__(
        self, desk: Desk, owner: str | None = None, settings: RunnerSettings | None = None
    ) -> None:
        self.desk = desk
        self.owner = owner or default_owner()
        self.settings = settings or RunnerSettings()
        self.wake = threading.Event()
        self._in_flight: dict[int, Future[None]] = {}
        # Spool folders something landed in since their last scan began.
        self._landed: set[Path] = set()
        self._landed_lock = threading.Lock()
        self._expiry_due = 0.0
        release_dead_leases(desk)  # this host's dead processes' sources, at once

    def scheduled(self) -> None:
        """The scheduler's part of a tick: embargoes whose time has come, expired licences."""
        self.desk.release_due()
        if time.monotonic() >= self._expiry_due:
            from wiredesk.desk.expiry import expire_due

            self._expiry_due = time.monotonic() + self.settings.expiry_seconds
            expired = expire_due(self.desk)
            if expired:
                log.info("expired %d stories past their licence", len(expired))

    def run(self, stop: threading.Event) -> None:
        """Until `stop` is set; then finish the polls in flight and return."""
        from wiredesk.desk.picture_worker import PictureWorker
        from wiredesk.enrich import gazetteer

        gazetteer.warm()
        log.info("worker %s started with %d threads", self.owner, self.settings.threads)
        watcher = threading.Thread(target=self._watch_spools, args=(stop,), daemon=True)
        watcher.start()
        # Pictures are fetched beside the polling, never in its way.
        pictures = threading.Thread(
            target=PictureWorker(self.desk).run, args=(stop,), name="pictures", daemon=True
        )
        pictures.start()
        with ThreadPoolExecutor(self.settings.threads, thread_name_prefix="poll") as pool:
            while not stop.is_set():
                self.tick(pool)
                self.wake.wait(self.settings.tick)
                self.wake.clear()
            log.info(
                "worker %s stopping: finishing %d polls in flight", self.owner, len(self._in_flight)
            )
        log.info("worker %s stopped", self.owner)

    def tick(self, pool: ThreadPoolExecutor) -> None:
        self._in_flight = {k: f for k, f in self._in_flight.items() if not f.done()}
        try:
            self.scheduled()
            free = self.settings.threads - len(self._in_flight)
            if free <= 0:
                return
            now = self.desk.clock()
            with self.desk.store.session() as session, session.begin():
                leased = sources.lease_due(
                    session, self.owner, now, self.settings.lease_ttl, limit=free
                )
                specs = [
                    (row.id, spec_of(row), dict(row.cursor or {}), row.consecutive_errors)
                    for row in leased
                ]
        except Exception:
            log.exception("worker %s: the database is not answering; trying again", self.owner)
            return
        for source_id, spec, cursor, errors in specs:
            if source_id not in self._in_flight:
                self._in_flight[source_id] = pool.submit(self.poll, source_id, spec, cursor, errors)

    def poll(
        self, source_id: int, spec: SourceSpec, cursor: dict[str, object], errors: int
    ) -> None:
        """One poll of one source, its result written back and the lease returned."""
        sink = BatchSink(self.desk, spec.name)
        folder = Path(spec.location) if spec.transport == "folder" else None
        with self._landed_lock:
            self._landed.discard(folder)
        interval = (
            self.settings.folder_interval if spec.transport == "folder" else float(spec.interval)
        )
        error, retry_after, new_cursor = "", None, None
        try:
            new_cursor = for_name(spec.transport).poll(spec, cursor, sink)
        except TransportError as exc:
            error, retry_after = str(exc), exc.retry_after
        except Exception as exc:  # a bug in one source must not stop the others
            log.exception("source %s: poll failed", spec.name)
            error = f"{type(exc).__name__}: {exc}"
        now = self.desk.clock()
        if error:
            metrics.SOURCE_ERRORS.labels(spec.name).inc()
            log.warning("source %s: %s", spec.name, error)
            retry_at = now + backoff(errors + 1, interval, retry_after)
        else:
            retry_at = now + timedelta(seconds=interval)
            with self._landed_lock:
                if folder in self._landed:
                    retry_at = now  # a file landed while this poll ran: go again at once
        with self.desk.store.session() as session, session.begin():
            if not error and folder is None:
                # Polled more often while copy flows, less while it does not (desk/cadence.py).
                maximum = spec.options.get("max_interval")
                adapted = cadence.adapt(
                    session,
                    source_id,
                    interval,
                    float(maximum) if maximum not in (None, "") else None,
                    sink.brought,
                    now,
                )
                retry_at = now + timedelta(seconds=adapted)
            sources.finish(
                session,
                source_id,
                self.owner,
                now,
                cursor=new_cursor,
                error=error,
                retry_at=retry_at,
            )
        if not error:
            self.wake.set()

    def _watch_spools(self, stop: threading.Event) -> None:
        """Poll a spool folder the moment a file lands in it."""
        with self.desk.store.session() as session:
            folders = [
                path
                for s in sources.all_sources(session)
                if s.transport == "folder" and s.enabled
                for path in watch_paths(spec_of(s))
            ]
        folders = [f for f in folders if f.is_dir()]
        if not folders:
            return
        try:
            landings = inotify.Landings(folders)
        except inotify.Unavailable:
            log.info("no inotify here: spool folders wake the runner through watchfiles")
            self._watch_with_watchfiles(stop, folders)
            return
        try:
            while not stop.is_set():
                completed, _overflow = landings.wait(0.5)
                for folder, names in completed.items():
                    # Renamed in or closed after writing: complete now, no second scan needed.
                    mark_complete(folder, names)
                if completed:
                    self._poll_now(list(completed))
        except Exception:
            log.exception("spool watcher stopped; periodic rescans continue")
        finally:
            landings.close()

    def _watch_with_watchfiles(self, stop: threading.Event, folders: list[Path]) -> None:
        from watchfiles import watch

        try:
            for _changes in watch(
                *folders,
                # processed/ and error/ sit inside the spool: moving a file there is no news.
                recursive=False,
                stop_event=stop,
                debounce=5,
                step=5,
                rust_timeout=500,
                yield_on_timeout=False,
            ):
                self._poll_now(folders)
        except Exception:
            log.exception("spool watcher stopped; periodic rescans continue")

    def _poll_now(self, folders: list[Path]) -> None:
        """Make the folder sources due now and wake the loop (a poll in flight goes again)."""
        with self._landed_lock:
            self._landed.update(folders)
        with self.desk.store.session() as session, session.begin():
            for row in sources.all_sources(session):
                if (
                    row.transport == "folder"
                    and Path(row.location) in folders
                    and row.lease_owner is None
                ):
                    row.next_poll_at = None
        self.wake.set()


def run_in_thread(
    desk: Desk, stop: threading.Event, settings: RunnerSettings | None = None
) -> threading.Thread:
    runner = Runner(desk, settings=settings)
    thread = threading.Thread(target=runner.run, args=(stop,), name="runner", daemon=False)
    thread.start()
    return thread
