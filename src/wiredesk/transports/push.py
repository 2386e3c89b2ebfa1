"""HTTP push: an agency POSTs each file to /ingest/{source}.

The body joins the desk's next batch (see `hand_off`); the answer (202 with the file's sha256
and what became of it) comes once that batch is archived and committed, so an agency that got
a 202 may forget the file. A request without valid
credentials stores nothing; a signed push to a source that is not a push source with its
secret set is refused before its body is read, with the same 401 as bad credentials.

A bearer secret is checked before a byte of the body is read. A signature can only be checked
once the whole body is in, so the body is streamed to a temporary file beside the archive while
its HMAC and sha256 are computed: memory per request stays at a few hundred KiB whatever the
size, and the number of such unverified bodies in flight is capped per client and overall.
A verified file is renamed into the archive, never copied through memory.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import os
import secrets
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from wiredesk.desk.pipeline import Arrival, Desk, Outcome
from wiredesk.exceptions import NotFound
from wiredesk.store import sources
from wiredesk.store.archive import Archive
from wiredesk.transports.base import flag

log = logging.getLogger(__name__)
MiB = 1024 * 1024
SIGNATURE_HEADER = "X-Wiredesk-Signature"
TIMESTAMP_HEADER = "X-Wiredesk-Timestamp"
FILENAME_HEADER = "X-Wiredesk-Filename"
DEFAULT_WINDOW = 300  # seconds either side of our clock a signed timestamp may be
WRITE_CHUNK = 256 * 1024  # what is gathered from the socket before one write to the spool file
BODY_SECONDS = 300.0  # a body still arriving after this is dropped (and its slot freed)
# A body must keep coming: no gap longer than BODY_IDLE_SECONDS, and after the first
# BODY_GRACE_SECONDS at least MIN_BYTES_PER_SECOND on average, or it is dropped with a 408
# (a sender trickling a byte every few seconds would otherwise hold its slot for 5 minutes).
BODY_IDLE_SECONDS = 10.0
BODY_GRACE_SECONDS = 10.0
MIN_BYTES_PER_SECOND = 1024
BUSY_RETRY = "5"


class TooLarge(Exception):
    pass


class TooSlow(Exception):
    pass


@dataclass(frozen=True)
class PushSource:
    secret: str
    require_timestamp: bool = False
    window: int = DEFAULT_WINDOW


def push_source(desk: Desk, name: str) -> PushSource | None:
    """The source's secret and replay settings, if it is an enabled push source whose
    variable is set."""
    with desk.store.session() as session:
        try:
            row = sources.get(session, name)
        except NotFound:
            return None
        if row.transport != "push" or not row.enabled or not row.secret_env:
            return None
        secret = os.environ.get(row.secret_env)
        options = row.options or {}
    if not secret:
        return None
    return PushSource(
        secret,
        require_timestamp=flag(options, "require_timestamp"),
        window=int(options.get("timestamp_window", DEFAULT_WINDOW)),
    )


def signed_message(body: bytes, timestamp: str | None = None) -> bytes:
    """What the HMAC covers: the body, or `<timestamp>.<body>` when a timestamp is sent."""
    return body if timestamp is None else timestamp.encode("ascii") + b"." + body


def signature_of(secret: str, body: bytes, timestamp: str | None = None) -> str:
    mac = hmac.new(secret.encode(), signed_message(body, timestamp), hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def timestamp_problem(timestamp: str | None, source: PushSource, now: datetime) -> str | None:
    """Why a signed request's timestamp is not acceptable, or None when it is."""
    if timestamp is None:
        if source.require_timestamp:
            return f"this source requires a signed {TIMESTAMP_HEADER}"
        return None
    if not well_formed_timestamp(timestamp):
        return f"{TIMESTAMP_HEADER} must be whole seconds since 1970-01-01 UTC"
    skew = now.timestamp() - int(timestamp)
    if skew > source.window:
        return f"{TIMESTAMP_HEADER} is {skew:.0f} s old; accepted within {source.window} s"
    if -skew > source.window:
        return (
            f"{TIMESTAMP_HEADER} is {-skew:.0f} s in the future; accepted within {source.window} s"
        )
    return None


def well_formed_timestamp(timestamp: str) -> bool:
    # ASCII digits only: str.isdigit() also takes "²" and "٣", which int() then refuses.
    return timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12


class Unverified:
    """Bodies being read before their signature is known: at most so many per client and overall,
    in each source's own pool (one source's senders, or someone posing as them, cannot take
    another's slots)."""

    def __init__(self, per_client: int, total: int) -> None:
        self.per_client, self.total = per_client, total
        self.pools: dict[str, Unverified] = {}
        self.by_client: Counter[str] = Counter()

    def pool(self, source: str) -> Unverified:
        found = self.pools.get(source)
        if found is None:
            found = self.pools[source] = Unverified(self.per_client, self.total)
        return found

    def enter(self, client: str) -> Response | None:
        """None when the body may be read (call `leave` after); otherwise the refusal."""
        headers = {"Retry-After": BUSY_RETRY}
        if self.by_client[client] >= self.per_client:
            return PlainTextResponse(
                f"too many unverified uploads from {client} at once (at most {self.per_client})",
                status_code=429,
                headers=headers,
            )
        if sum(self.by_client.values()) >= self.total:
            return PlainTextResponse(
                f"too many unverified uploads at once (at most {self.total}); try again shortly",
                status_code=503,
                headers=headers,
            )
        self.by_client[client] += 1
        return None

    def leave(self, client: str) -> None:
        self.by_client[client] -= 1
        if self.by_client[client] <= 0:
            del self.by_client[client]


class Spooled:
    """A request body on its way to disk, hashed (sha256, and the HMAC when signed) as it goes."""

    def __init__(self, archive: Archive, mac: hmac.HMAC | None) -> None:
        archive.root.mkdir(parents=True, exist_ok=True)
        # Beside the archive (one filesystem, so the rename in is atomic), under the archive's
        # own temp prefix: hidden from it, and what a crash leaves looks like its leftovers.
        fd, name = tempfile.mkstemp(dir=archive.root, prefix=".incoming-push-")
        self.path = Path(name)
        self.handle = os.fdopen(fd, "wb")
        self.archive, self.mac, self.sha256 = archive, mac, hashlib.sha256()

    def write(self, data: bytearray) -> None:
        self.sha256.update(data)
        if self.mac is not None:
            self.mac.update(data)
        self.handle.write(data)

    def keep(self) -> Path:
        """Make the file durable and rename it into the archive; returns where it now is."""
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        target = self.archive.path_for(self.sha256.hexdigest())
        if target.exists():
            self.path.unlink(missing_ok=True)
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.path, target)
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        return target

    def discard(self) -> None:
        self.handle.close()
        self.path.unlink(missing_ok=True)


async def spool(request: Request, into: Spooled, max_bytes: int) -> None:
    """Stream the body into `into`; TooLarge past `max_bytes`, TimeoutError past BODY_SECONDS."""
    declared = request.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise TooLarge
    pending = bytearray()
    total = 0
    started = time.monotonic()
    with anyio.fail_after(BODY_SECONDS):
        chunks = request.stream().__aiter__()
        while True:
            try:
                chunk = await asyncio.wait_for(chunks.__anext__(), BODY_IDLE_SECONDS)
            except StopAsyncIteration:
                break
            except TimeoutError as exc:
                raise TooSlow(f"nothing received for {BODY_IDLE_SECONDS:.0f} s") from exc
            total += len(chunk)
            elapsed = time.monotonic() - started
            if elapsed > BODY_GRACE_SECONDS and total < MIN_BYTES_PER_SECOND * elapsed:
                raise TooSlow(f"under {MIN_BYTES_PER_SECOND} bytes a second")
            if total > max_bytes:
                raise TooLarge
            pending += chunk
            if len(pending) >= WRITE_CHUNK:
                await run_in_threadpool(into.write, pending)
                pending.clear()
        if pending:
            await run_in_threadpool(into.write, pending)


async def hand_over(
    desk: Desk, path: Path, *, source: str, filename: str, landed_at: datetime
) -> Outcome:
    """The one hand-off: this archived file joins the desk's next batch, shared with every other
    transport (archiving it again there is a no-op by sha256)."""
    data = await run_in_threadpool(path.read_bytes)
    [done] = desk.batcher.submit([Arrival(data, source, filename, landed_at)])
    return await asyncio.wrap_future(done)


def push_routes(desk: Desk, max_bytes: int = 50 * MiB) -> list[BaseRoute]:
    security = desk.config.security
    unverified = Unverified(security.push_unverified_per_client, security.push_unverified_total)

    def denied(reason: str = "") -> Response:
        return PlainTextResponse(f"unauthorised: {reason}" if reason else "unauthorised", 401)

    async def read(request: Request, into: Spooled) -> Response | None:
        """None when the whole body is in `into`; otherwise the answer (and `into` is gone)."""
        try:
            await spool(request, into, max_bytes)
        except TooLarge:
            answer: Response = PlainTextResponse(f"larger than {max_bytes} bytes", 413)
        except TimeoutError:
            answer = PlainTextResponse(f"body not received within {BODY_SECONDS:.0f} s", 408)
        except TooSlow as exc:
            answer = PlainTextResponse(f"body too slow: {exc}", 408)
        except BaseException:
            await run_in_threadpool(into.discard)
            raise
        else:
            return None
        await run_in_threadpool(into.discard)
        return answer

    def refuse(name: str, client: str, why: str, shown: str = "") -> Response:
        log.warning("push to %r from %s refused: %s", name, client, why)
        return denied(shown)

    async def by_bearer(
        request: Request, name: str, client: str, source: PushSource | None, bearer: str
    ) -> Spooled | Response:
        # An unknown source is checked against a throwaway secret: the same work, the same 401.
        secret = source.secret if source else secrets.token_hex(32)
        if not same(bearer.removeprefix("Bearer ").strip(), secret) or source is None:
            return refuse(name, client, "bad or missing credentials")
        if source.require_timestamp:
            why = f"this source takes only requests signed with {TIMESTAMP_HEADER}"
            return refuse(name, client, why, why)
        into = await run_in_threadpool(Spooled, desk.store.archive, None)
        return await read(request, into) or into

    async def by_signature(
        request: Request, name: str, client: str, source: PushSource | None, signature: str
    ) -> Spooled | Response:
        if source is None:
            # An unknown source takes no slot and no body: refused before a byte is read.
            return refuse(name, client, "bad or missing credentials")
        slots = unverified.pool(name)
        busy = slots.enter(client)
        if busy is not None:
            log.warning("push to %r from %s refused: %s", name, client, bytes(busy.body).decode())
            return busy
        timestamp = request.headers.get(TIMESTAMP_HEADER)
        if timestamp is not None and not well_formed_timestamp(timestamp):
            slots.leave(client)
            why = f"{TIMESTAMP_HEADER} must be whole seconds since 1970-01-01 UTC, in ASCII digits"
            return PlainTextResponse(why, 400)
        mac = hmac.new(source.secret.encode(), digestmod=hashlib.sha256)
        if timestamp is not None:
            mac.update(timestamp.encode("ascii", "replace") + b".")
        try:
            into = await run_in_threadpool(Spooled, desk.store.archive, mac)
            refused = await read(request, into)
        finally:
            slots.leave(client)
        if refused is not None:
            return refused
        try:
            if not same(signature, "sha256=" + mac.hexdigest()):
                await run_in_threadpool(into.discard)
                return refuse(name, client, "bad or missing credentials")
            late = timestamp_problem(timestamp, source, desk.clock())
        except BaseException:
            await run_in_threadpool(into.discard)  # no path leaves a temporary file behind
            raise
        if late:
            await run_in_threadpool(into.discard)
            # Only a sender that holds the secret learns why its request was refused.
            return refuse(name, client, late, late)
        return into

    async def ingest(request: Request) -> Response:
        name = request.path_params["source"]
        client = request.client.host if request.client else "?"
        bearer = request.headers.get("Authorization", "")
        signature = request.headers.get(SIGNATURE_HEADER, "").strip().lower()
        if not bearer.startswith("Bearer ") and not signature:
            return denied()
        source = await run_in_threadpool(push_source, desk, name)
        if signature:
            got = await by_signature(request, name, client, source, signature)
        else:
            got = await by_bearer(request, name, client, source, bearer)
        if isinstance(got, Response):
            return got
        path = await run_in_threadpool(got.keep)
        filename = request.headers.get(FILENAME_HEADER, "")[:500]
        outcome = await hand_over(
            desk, path, source=name, filename=filename, landed_at=desk.clock()
        )
        return JSONResponse({"sha256": outcome.sha256, "outcome": outcome.outcome}, 202)

    return [Route("/ingest/{source}", ingest, methods=["POST"])]
