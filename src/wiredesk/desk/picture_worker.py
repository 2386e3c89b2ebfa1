"""The picture worker: fetches and checks pictures after their stories have committed.

Ingest never waits for a picture. A story goes live at once; its picture rows wait here as
`pending` (a URL to fetch, with the HTTP transport's size cap, timeouts and per-host cap) or
`received` (a file that arrived beside it, to check). Each is claimed by lease, so several
workers share the work; fetched and checked outside any transaction; and its outcome is
committed through `Desk.transaction()` with a Change("update") for every visible story that
now shows it, so page caches and delivery targets refresh.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from wiredesk import images
from wiredesk.desk.media import PENDING, QUARANTINED, READY, RECEIVED, note_stories
from wiredesk.desk.pipeline import Desk
from wiredesk.desk.runner import backoff, default_owner
from wiredesk.exceptions import TransportError
from wiredesk.store import leases
from wiredesk.store.models import AuditEntry, Picture, Quarantine, RawFile
from wiredesk.transports import addresses
from wiredesk.transports.http import Limits, fetch, redacted

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=5)
RETRY_INTERVAL = 30.0
IDLE_SECONDS = 0.5


@dataclass(frozen=True)
class Job:
    id: int
    uri: str
    status: str
    href: str
    sha256: str | None
    source: str
    attempts: int


@dataclass
class Result:
    data: bytes | None = None
    checked: images.Checked | None = None
    reason: str = ""
    transient: bool = False
    retry_after: float | None = None


def allowed(private_hosts: bool) -> addresses.Allowed:
    """Agency copy chooses the URL: never let it reach the desk's own network. Checked on the
    resolved addresses at connect time (transports/addresses.py), so a name that resolves to a
    public address for a check and to a private one for the connection gets nowhere."""
    kinds = frozenset({"public"} | (addresses.INTERNAL if private_hosts else set()))
    return addresses.Allowed(
        kinds,
        "for a picture that agency copy names",
        "pictures are fetched from public hosts only; set [pictures] private_hosts = true "
        "if the agency serves them from inside your network",
    )


class PictureWorker:
    def __init__(self, desk: Desk, threads: int = 4, owner: str | None = None) -> None:
        self.desk = desk
        self.owner = owner or default_owner()
        self.settings = desk.config.pictures
        self.threads = threads
        self.limits = Limits(
            max_bytes=self.settings.max_bytes,
            timeout=self.settings.timeout,
            max_seconds=self.settings.max_seconds,
            per_host=self.settings.per_host,
        )

    def run(self, stop: threading.Event) -> None:
        with ThreadPoolExecutor(self.threads, thread_name_prefix="picture") as pool:
            while not stop.is_set():
                try:
                    done = self.work_once(pool)
                except Exception:
                    log.exception("picture worker: the database is not answering; trying again")
                    done = 0
                if not done:
                    stop.wait(IDLE_SECONDS)

    def work_once(self, pool: ThreadPoolExecutor | None = None, limit: int = 16) -> int:
        """Claim up to `limit` pictures, work them, commit each outcome; how many were worked."""
        jobs = self._claim(limit)
        results = list(pool.map(self._work, jobs)) if pool else [self._work(j) for j in jobs]
        for job, result in zip(jobs, results, strict=True):
            self._finish(job, result)
        return len(jobs)

    def drain(self, rounds: int = 100) -> int:
        """Work until nothing is due (for `ingest` and tests); how many were worked."""
        total = 0
        for _ in range(rounds):
            done = self.work_once()
            if not done:
                break
            total += done
        return total

    def waiting(self) -> int:
        """Pictures still to fetch: a failed fetch waits for its retry by `run`."""
        with self.desk.store.session() as session:
            count = session.scalar(
                select(func.count()).select_from(Picture).where(Picture.status == PENDING)
            )
        return int(count or 0)

    def _claim(self, limit: int) -> list[Job]:
        now = self.desk.clock()
        due = and_(
            Picture.status.in_((PENDING, RECEIVED)),
            or_(Picture.next_attempt_at.is_(None), Picture.next_attempt_at <= now),
        )
        with self.desk.store.session() as session, session.begin():
            rows = leases.lease_due(
                session, Picture, due, Picture.id, self.owner, now, LEASE, limit
            )
            return [
                Job(r.id, r.uri, r.status, r.href, r.sha256, r.source, r.attempts) for r in rows
            ]

    def _work(self, job: Job) -> Result:
        try:
            if job.status == PENDING:
                data = fetch(job.href, self.limits, allowed(self.settings.private_hosts)).body
            else:
                data = self.desk.store.archive.get(job.sha256 or "")
        except TransportError as exc:
            permanent = exc.status is not None and 400 <= exc.status < 500
            permanent = permanent and exc.status not in (408, 429)
            return Result(reason=str(exc), transient=not permanent, retry_after=exc.retry_after)
        except FileNotFoundError:
            return Result(reason="the picture file is missing from the archive")
        if not data:
            return Result(reason=f"{redacted(job.href)}: the server sent an empty body")
        try:
            return Result(data, images.check(data, self.settings.max_pixels))
        except images.BadPicture as exc:
            return Result(data, reason=str(exc))

    def _finish(self, job: Job, result: Result) -> None:
        now = self.desk.clock()
        sha256 = self.desk.store.archive.put(result.data) if result.data else None
        with self.desk.transaction() as session:
            row = session.get(Picture, job.id)
            if row is None or (row.status, row.href, row.sha256) != (
                job.status,
                job.href,
                job.sha256,
            ):
                return  # told of newer bytes while this was at work: they go next
            row.lease_owner, row.lease_expires, row.updated_at = None, None, now
            if sha256 is not None and session.get(RawFile, sha256) is None:
                session.add(
                    RawFile(sha256=sha256, size=len(result.data or b""), first_received_at=now)
                )
                session.flush()
            if result.checked is not None:
                row.sha256, row.status, row.reason = sha256, READY, ""
                row.width, row.height = result.checked.width, result.checked.height
                row.contenttype = result.checked.contenttype
                note_stories(session, [row.uri], now)
                return
            row.attempts += 1
            if result.transient and row.attempts < self.settings.attempts:
                wait = backoff(row.attempts, RETRY_INTERVAL, result.retry_after)
                row.next_attempt_at, row.reason = now + wait, result.reason
                return
            reason = result.reason
            if result.transient:
                reason = f"gave up after {row.attempts} attempts: {reason}"
            self._quarantine(session, row, sha256, reason, now)

    @staticmethod
    def _quarantine(
        session: Session, row: Picture, sha256: str | None, reason: str, now: datetime
    ) -> None:
        row.status, row.reason = QUARANTINED, reason
        where = row.local_name or redacted(row.href)
        detail = f"picture {row.uri} ({where}): {reason}"
        if sha256 is not None:
            row.sha256 = sha256
            session.add(
                Quarantine(
                    sha256=sha256, source=row.source, filename=where, reason=detail, created_at=now
                )
            )
        session.add(AuditEntry(at=now, sha256=sha256, action="picture quarantined", detail=detail))
        log.warning("quarantined %s", detail)
