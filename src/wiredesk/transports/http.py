"""HTTP(S) polling: one URL (a feed, a NewsML file, any endpoint), its whole body one file.

Conditional GET keeps polling cheap; a body identical to the last one delivered is not sent
again. Every connection, the first and each redirect's, goes only where `addresses` allows. A
per-host semaphore keeps the runner's thread pool from hitting one agency with more than
`per_host` requests at once. `fetch()` is the one GET under these rules: polls use it, and so
does the picture worker for the pictures agency copy names.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from wiredesk.config import http_location_problem
from wiredesk.exceptions import TransportError
from wiredesk.transports import addresses
from wiredesk.transports.base import Delivery, Sink, SourceSpec, flag

MiB = 1024 * 1024
DEFAULT_MAX_BYTES = 50 * MiB
CONNECT_TIMEOUT = 5.0
MAX_REDIRECTS = 5

_slots: dict[str, threading.BoundedSemaphore] = {}
_slots_lock = threading.Lock()


@contextmanager
def host_slot(host: str, limit: int) -> Iterator[None]:
    """Hold one of `limit` slots for `host`; the first poll of a host fixes its limit."""
    with _slots_lock:
        slot = _slots.get(host)
        if slot is None:
            slot = _slots[host] = threading.BoundedSemaphore(max(1, limit))
    with slot:
        yield


def redacted(url: str) -> str:
    """The URL fit for a log or an error: no user, no password, no query string."""
    parts = urlsplit(url)
    netloc = parts.hostname or ""
    if ":" in netloc:
        netloc = f"[{netloc}]"
    if parts.port:
        netloc = f"{netloc}:{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "…" if parts.query else "", ""))


def retry_after(value: str | None, now: datetime) -> float | None:
    """Retry-After in seconds, from either form: delta-seconds or an HTTP-date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def filename_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path.rstrip("/").rpartition("/")[2] or parts.hostname or "response"


@dataclass
class Fetched:
    status: int
    body: bytes
    url: str
    headers: httpx.Headers


@dataclass(frozen=True)
class Limits:
    """The client rules every fetch of agency bytes follows: the HTTP transport's, and pictures'."""

    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = 20.0
    # The read timeout is per chunk; a server trickling bytes must still end some time.
    max_seconds: float = 300.0
    per_host: int = 2


def host_of(url: str) -> str:
    return urlsplit(url).netloc.rpartition("@")[2].lower()


def client(allowed: addresses.Allowed, timeout: httpx.Timeout) -> httpx.Client:
    """An httpx client whose every connection, redirects included, goes only where `allowed`
    says, checked on the resolved addresses at connect time."""
    settings: dict[str, Any] = {
        "timeout": timeout,
        "follow_redirects": True,
        "max_redirects": MAX_REDIRECTS,
    }
    if addresses.proxied():
        return httpx.Client(event_hooks={"request": [addresses.request_hook(allowed)]}, **settings)
    return httpx.Client(transport=addresses.GuardedTransport(allowed), **settings)


def fetch(
    url: str,
    limits: Limits,
    allowed: addresses.Allowed,
    *,
    headers: dict[str, str] | None = None,
    auth: httpx.Auth | None = None,
    secret: str = "",
) -> Fetched:
    """GET one URL under `limits` and `allowed`; a readable TransportError for every way that
    can fail (`status` set when the failure is final: 4xx, 413 over the cap, 403 refused)."""
    shown = redacted(url)
    problem = http_location_problem(url)
    if problem:
        raise TransportError(f"{shown!r}: {problem}", status=400)
    deadline = time.monotonic() + limits.max_seconds
    timeout = httpx.Timeout(limits.timeout, connect=CONNECT_TIMEOUT)
    with host_slot(host_of(url), limits.per_host), client(allowed, timeout) as http:
        try:
            with http.stream("GET", url, headers=headers or {}, auth=auth) as response:
                _check_status(response, shown)
                body = b""
                if response.status_code != 304:
                    body = _read_capped(response, limits.max_bytes, deadline, shown)
                return Fetched(response.status_code, body, str(response.url), response.headers)
        except httpx.TimeoutException as exc:
            raise TransportError(f"{shown}: timed out ({type(exc).__name__})") from exc
        except httpx.TooManyRedirects as exc:
            raise TransportError(f"{shown}: more than {MAX_REDIRECTS} redirects") from exc
        except addresses.Refused as exc:
            raise TransportError(f"{shown}: {exc}", status=403) from exc
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            message = f"{shown}: {type(exc).__name__}: {exc}"
            if secret:
                message = message.replace(secret, "***")
            raise TransportError(message) from exc


def _check_status(response: httpx.Response, shown: str) -> None:
    status = response.status_code
    if status in (429, 503):
        wait = retry_after(response.headers.get("Retry-After"), datetime.now(UTC))
        raise TransportError(f"{shown}: HTTP {status} {response.reason_phrase}", wait)
    if status >= 400 or (300 <= status < 400 and status != 304):
        raise TransportError(f"{shown}: HTTP {status} {response.reason_phrase}", status=status)


def _read_capped(response: httpx.Response, max_bytes: int, deadline: float, shown: str) -> bytes:
    """The decoded body, refused past `max_bytes` (a gzip bomb counts at its full size)."""
    declared = response.headers.get("Content-Length", "")
    too_big = TransportError(f"{shown}: body larger than {max_bytes} bytes", status=413)
    # Content-Length is the encoded size: only when nothing is encoded does it tell early.
    encoded = "Content-Encoding" in response.headers
    if declared.isdigit() and not encoded and int(declared) > max_bytes:
        raise too_big
    chunks: list[bytes] = []
    total = 0
    for chunk in response.iter_bytes():
        total += len(chunk)
        if total > max_bytes:
            raise too_big
        if time.monotonic() > deadline:
            raise TransportError(f"{shown}: body still arriving after max_seconds")
        chunks.append(chunk)
    return b"".join(chunks)


class HttpTransport:
    def poll(self, spec: SourceSpec, cursor: dict[str, Any], sink: Sink) -> dict[str, Any]:
        url, options = spec.location, spec.options
        problem = http_location_problem(url)
        if problem:
            raise TransportError(f"source {spec.name!r}: {redacted(url)!r}: {problem}")
        headers = self._auth_headers(spec)
        if cursor.get("etag"):
            headers["If-None-Match"] = cursor["etag"]
        if cursor.get("last_modified"):
            headers["If-Modified-Since"] = cursor["last_modified"]
        auth = None
        if options.get("username") and spec.secret and options.get("auth") != "bearer":
            auth = httpx.BasicAuth(str(options["username"]), spec.secret)
        limits = Limits(
            max_bytes=int(options.get("max_bytes", DEFAULT_MAX_BYTES)),
            timeout=float(options.get("timeout", 20)),
            max_seconds=float(options.get("max_seconds", 300)),
            per_host=int(options.get("per_host", 2)),
        )
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        allowed = addresses.Allowed.for_location(
            parts.hostname or "", port, flag(options, "allow_internal_redirects")
        )
        fetched = fetch(url, limits, allowed, headers=headers, auth=auth, secret=spec.secret or "")
        if fetched.status == 304:
            return dict(cursor)
        body = fetched.body
        sha256 = hashlib.sha256(body).hexdigest()
        new_cursor = {
            "etag": fetched.headers.get("ETag"),
            "last_modified": fetched.headers.get("Last-Modified"),
            "sha256": sha256,
        }
        if body and sha256 != cursor.get("sha256"):
            sink(Delivery(body, filename_of(fetched.url), datetime.now(UTC)))
        elif not body:
            new_cursor["sha256"] = cursor.get("sha256")  # nothing delivered, nothing to remember
        return {k: v for k, v in new_cursor.items() if v}

    @staticmethod
    def _auth_headers(spec: SourceSpec) -> dict[str, str]:
        if spec.options.get("auth") != "bearer":
            return {}
        secret = spec.secret
        if not secret:
            raise TransportError(
                f"source {spec.name!r}: bearer auth but environment variable "
                f"{spec.secret_env or '(secret_env unset)'} is not set"
            )
        return {"Authorization": f"Bearer {secret}"}
