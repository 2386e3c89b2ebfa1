"""Target kinds: each turns deliveries into calls on one kind of receiving system.

A sender raises `DeliveryError` unless the target acknowledged the delivery. It must be
idempotent by `Delivery.key`: after a crash the loop sends again what it could not mark done.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, Protocol

import httpx

from wiredesk.store.models import Target

if TYPE_CHECKING:
    from wiredesk.deliver.payload import Delivery
    from wiredesk.desk.pipeline import Desk

USER_AGENT = "wiredesk/0.1 (+delivery)"


class DeliveryError(Exception):
    """Not acknowledged. `unavailable`: the target as a whole is down or busy (back off the
    target); otherwise the target refused this one delivery (back off the row)."""

    def __init__(
        self,
        message: str,
        *,
        unavailable: bool = True,
        retry_after: float | None = None,
        permanent: bool = False,
    ) -> None:
        super().__init__(message)
        self.unavailable = unavailable
        self.retry_after = retry_after
        # The same request can only get the same answer (malformed, too large, headers too
        # long): the row is refused for good and shown on /admin, never retried.
        self.permanent = permanent


class Deferred(Exception):  # noqa: N818 - not an error: the round gives way
    """A batched sender stopped early because a removal (kill, takedown, expiry) is waiting:
    nothing of the batch was acknowledged, its rows stay pending for the next round, and
    the removal goes first there."""


# 4xx answers about the request's own shape: sending it again cannot change them.
PERMANENT = frozenset({400, 411, 413, 414, 415, 422, 431})


@dataclass(frozen=True)
class TargetSpec:
    id: int
    name: str
    kind: str
    location: str
    secret_env: str = ""
    options: dict[str, Any] = field(default_factory=dict, hash=False)

    @classmethod
    def of(cls, row: Target) -> TargetSpec:
        return cls(row.id, row.name, row.kind, row.location, row.secret_env, dict(row.options))

    def secret(self) -> str:
        """The secret, read from the environment at the moment it is needed, never stored."""
        if not self.secret_env:
            raise DeliveryError(f"target {self.name}: no secret_env names its secret")
        value = os.environ.get(self.secret_env, "")
        if not value:
            raise DeliveryError(
                f"target {self.name}: environment variable {self.secret_env} is not set"
            )
        return value

    def number(self, key: str, default: float) -> float:
        return float(self.options.get(key, default))

    def text(self, key: str, default: str = "") -> str:
        return str(self.options.get(key, default))


class Sender(Protocol):
    # A batched sender takes a whole round at once (the static export renders the union).
    batched: bool

    def send(self, delivery: Delivery) -> None: ...

    def send_batch(self, deliveries: Sequence[Delivery]) -> None: ...

    def idle(self) -> None:
        """Called on a round with nothing to send (a new static folder exports itself)."""

    def close(self) -> None: ...


def retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    from datetime import UTC, datetime

    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


def check(response: httpx.Response, what: str) -> httpx.Response:
    """2xx acknowledges; 408, 429 and 5xx mean try later; any other answer refuses this one."""
    status = response.status_code
    if 200 <= status < 300:
        return response
    detail = response.text[:200].replace("\n", " ")
    message = f"{what}: HTTP {status} {detail}".rstrip()
    if status in (408, 425, 429) or status >= 500:
        raise DeliveryError(message, retry_after=retry_after(response))
    raise DeliveryError(message, unavailable=False, permanent=status in PERMANENT)


@contextmanager
def http_errors(what: str) -> Iterator[None]:
    try:
        yield
    except httpx.HTTPError as exc:
        raise DeliveryError(f"{what}: {type(exc).__name__}: {exc}") from exc


def sender_for(spec: TargetSpec, desk: Desk) -> Sender:
    if spec.kind == "webhook":
        from wiredesk.deliver.targets.webhook import Webhook

        return Webhook(spec)
    if spec.kind == "wordpress":
        from wiredesk.deliver.targets.wordpress import WordPress

        return WordPress(spec, desk.store, desk.config.sections.wordpress)
    if spec.kind == "static":
        from wiredesk.deliver.targets.static import Static

        return Static(spec, desk)
    raise DeliveryError(f"target {spec.name}: unknown kind {spec.kind!r}", unavailable=True)
