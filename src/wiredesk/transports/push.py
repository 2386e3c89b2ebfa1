"""HTTP push: an agency POSTs each file to /ingest/{source}.

The body joins the desk's next batch (see `hand_off`); the answer (202 with the file's sha256
and what became of it) comes once that batch is archived and committed, so an agency that got
a 202 may forget the file. A request without valid
credentials stores nothing, and cannot tell whether the source it named exists.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import os
import secrets

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from wiredesk.desk.pipeline import Arrival, Desk, Outcome
from wiredesk.exceptions import NotFound
from wiredesk.store import sources

log = logging.getLogger(__name__)
MiB = 1024 * 1024
SIGNATURE_HEADER = "X-Wiredesk-Signature"
FILENAME_HEADER = "X-Wiredesk-Filename"


class TooLarge(Exception):
    pass


def push_secret(desk: Desk, name: str) -> str | None:
    """The source's secret, if it is an enabled push source whose variable is set."""
    with desk.store.session() as session:
        try:
            row = sources.get(session, name)
        except NotFound:
            return None
        if row.transport != "push" or not row.enabled or not row.secret_env:
            return None
        return os.environ.get(row.secret_env) or None


def signature_of(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


async def read_capped(request: Request, max_bytes: int) -> bytes:
    declared = request.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise TooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise TooLarge
    return bytes(body)


async def hand_off(desk: Desk, body: bytes, source: str, filename: str) -> Outcome:
    """An authenticated body into the desk's next batch, shared with every other transport."""
    [done] = desk.batcher.submit([Arrival(body, source, filename, desk.clock())])
    return await asyncio.wrap_future(done)


def push_routes(desk: Desk, max_bytes: int = 50 * MiB) -> list[BaseRoute]:
    def denied() -> Response:
        return PlainTextResponse("unauthorised", status_code=401)

    def too_large() -> Response:
        return PlainTextResponse(f"larger than {max_bytes} bytes", status_code=413)

    async def ingest(request: Request) -> Response:
        name = request.path_params["source"]
        bearer = request.headers.get("Authorization", "")
        signature = request.headers.get(SIGNATURE_HEADER, "")
        if not bearer.startswith("Bearer ") and not signature:
            return denied()
        body = b""
        if signature:
            # Read before looking the source up, so a known and an unknown source answer alike.
            try:
                body = await read_capped(request, max_bytes)
            except TooLarge:
                return too_large()
        secret = await run_in_threadpool(push_secret, desk, name)
        # An unknown source is checked against a throwaway secret: the same work, the same 401.
        expected = secret or secrets.token_hex(32)
        if signature:
            ok = same(signature.strip().lower(), signature_of(expected, body))
        else:
            ok = same(bearer.removeprefix("Bearer ").strip(), expected)
        if secret is None or not ok:
            client = request.client.host if request.client else "?"
            log.warning("push to %r from %s refused: bad or missing credentials", name, client)
            return denied()
        if not signature:
            try:
                body = await read_capped(request, max_bytes)
            except TooLarge:
                return too_large()
        filename = request.headers.get(FILENAME_HEADER, "")[:500]
        outcome = await hand_off(desk, body, name, filename)
        return JSONResponse({"sha256": outcome.sha256, "outcome": outcome.outcome}, 202)

    return [Route("/ingest/{source}", ingest, methods=["POST"])]
