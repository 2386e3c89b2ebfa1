"""What every transport shares: a source's settings, a delivered file, and where it goes.

A transport fetches what is new since its cursor and hands each file to the sink. The sink
returns only once the file is archived and processed, so a transport may then acknowledge the
file upstream (move it, delete it, advance its high-water mark) without risk of losing it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from wiredesk.desk.pipeline import Outcome


@dataclass(frozen=True)
class Delivery:
    data: bytes
    filename: str
    landed_at: datetime | None = None
    # Set when the transport refused the file without reading it (a symlink, a device, too
    # large): `data` is then only a note naming the file and the reason, and the desk
    # quarantines it with that reason.
    refused: str = ""


def refusal(filename: str, reason: str, landed_at: datetime | None) -> Delivery:
    """A file refused unread: quarantined by name and reason, its bytes never archived."""
    note = f"wiredesk refused {filename!r} without reading it: {reason}\n"
    if landed_at is not None:
        note += f"landed at {landed_at.isoformat()}\n"
    return Delivery(note.encode("utf-8", "backslashreplace"), filename, landed_at, reason)


Sink = Callable[[Delivery], Outcome]


def deliver_all(sink: Sink, deliveries: Sequence[Delivery]) -> list[Outcome]:
    """Many files at once when the sink takes batches (the runner's does), else one by one."""
    if not deliveries:
        return []
    many: Callable[[Sequence[Delivery]], list[Outcome]] | None = getattr(sink, "many", None)
    if many is not None:
        return many(deliveries)
    return [sink(delivery) for delivery in deliveries]


@dataclass
class SourceSpec:
    """A source as a transport sees it; the secret is read from the environment, never stored."""

    name: str
    transport: str
    location: str
    format: str = "auto"
    interval: int = 60
    options: dict[str, Any] = field(default_factory=dict)
    secret_env: str = ""

    @property
    def secret(self) -> str | None:
        return os.environ.get(self.secret_env) if self.secret_env else None

    def __repr__(self) -> str:  # never print a secret, even by accident
        return f"SourceSpec(name={self.name!r}, transport={self.transport!r}, location={self.location!r})"


class Transport(Protocol):
    def poll(self, spec: SourceSpec, cursor: dict[str, Any], sink: Sink) -> dict[str, Any]:
        """Deliver every new file to the sink and return the new cursor.

        Raises TransportError (with retry_after when the far side asked for it) on failure;
        the cursor of files already delivered is then lost, but re-delivery is a no-op.
        """
        ...


def flag(options: dict[str, Any], key: str) -> bool:
    """A yes/no source option, given as a TOML boolean or as text from `--option KEY=VALUE`."""
    value = options.get(key, False)
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)
