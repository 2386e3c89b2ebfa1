"""The worker loop: lease due sources, poll them through their transport, feed the desk.

Several workers (threads here, processes elsewhere, on one PostgreSQL) share the sources by
lease; a worker that dies simply lets its leases expire. Each tick also marks embargoes whose
time has come as published (they are already visible by the site's rule).
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from wiredesk import metrics
from wiredesk.desk.pipeline import Desk
from wiredesk.exceptions import TransportError
from wiredesk.store import sources
from wiredesk.store.models import Source
from wiredesk.transports import for_name
from wiredesk.transports.base import Delivery, SourceSpec
from wiredesk.transports.spool import watch_paths

log = logging.getLogger(__name__)
MAX_BACKOFF = timedelta(hours=1)


@dataclass
class RunnerSettings:
    threads: int = 4
    lease_ttl: timedelta = timedelta(seconds=120)
    tick: float = 0.25
    # Spool folders are cheap to scan and readers expect copy live within a second.
    folder_interval: float = 0.25


def default_owner() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


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


class Runner:
    def __init__(
        self, desk: Desk, owner: str | None = None, settings: RunnerSettings | None = None
    ) -> None:
        self.desk = desk
        self.owner = owner or default_owner()
        self.settings = settings or RunnerSettings()
        self.wake = threading.Event()
        self._in_flight: dict[int, Future[None]] = {}

    def run(self, stop: threading.Event) -> None:
        """Until `stop` is set; then finish the polls in flight and return."""
        from wiredesk.desk.picture_worker import PictureWorker

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
            self.desk.release_due()
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

        def sink(delivery: Delivery) -> object:
            return self.desk.receive(
                delivery.data,
                source=spec.name,
                filename=delivery.filename,
                landed_at=delivery.landed_at,
            )

        interval = (
            self.settings.folder_interval if spec.transport == "folder" else float(spec.interval)
        )
        error, retry_after, new_cursor = "", None, None
        try:
            new_cursor = for_name(spec.transport).poll(spec, cursor, sink)  # type: ignore[arg-type]
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
        with self.desk.store.session() as session, session.begin():
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
        """Wake the loop the moment a file lands in a watched spool folder."""
        from watchfiles import watch

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
            for _changes in watch(
                *folders,
                # processed/ and error/ sit inside the spool: moving a file there is no news.
                recursive=False,
                stop_event=stop,
                debounce=50,
                step=25,
                rust_timeout=500,
                yield_on_timeout=False,
            ):
                with self.desk.store.session() as session, session.begin():
                    for row in sources.all_sources(session):
                        if (
                            row.transport == "folder"
                            and Path(row.location) in folders
                            and row.lease_owner is None
                        ):
                            row.next_poll_at = None
                self.wake.set()
        except Exception:
            log.exception("spool watcher stopped; periodic rescans continue")


def run_in_thread(
    desk: Desk, stop: threading.Event, settings: RunnerSettings | None = None
) -> threading.Thread:
    runner = Runner(desk, settings=settings)
    thread = threading.Thread(target=runner.run, args=(stop,), name="runner", daemon=False)
    thread.start()
    return thread
