"""Seeding the desk the way production does: real wire files through Desk.receive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from wire import ninjs
from wiredesk import Desk
from wiredesk.config import SourceConfig
from wiredesk.desk.rules import Rule
from wiredesk.store import sources

SECRET_HEADLINE = "Cricket board meets in secret"
QUARANTINED_NAME = "afp-0001.json"


@dataclass
class Seeded:
    published: int
    held: int
    quarantine_id: int
    raw: bytes


def pin_format(desk: Desk, name: str, fmt: str) -> None:
    with desk.store.session() as session, session.begin():
        sources.upsert(
            session,
            SourceConfig(name=name, agency="AFP", transport="folder", format=fmt),
            desk.clock(),
        )


def seed(desk: Desk) -> Seeded:
    now = desk.clock()
    with desk.store.session() as session, session.begin():
        row = sources.upsert(
            session,
            SourceConfig(name="pti", agency="PTI", transport="http", location="https://x.test/"),
            now - timedelta(days=1),
        )
        row.last_success_at = now - timedelta(minutes=2)
        row.last_error_at = now - timedelta(hours=1)
        row.last_error = "HTTP 503 from the agency"
        row.consecutive_errors = 0
    desk.config.rules = [Rule(name="hold cricket", keyword=("cricket",), action="hold")]
    published = desk.receive(
        ninjs("urn:pti:1", "Rain delayed the monsoon session.", headline="Monsoon session opens"),
        source="pti",
        filename="pti-1.json",
        landed_at=now - timedelta(seconds=4),
    )
    held = desk.receive(
        ninjs("urn:pti:2", "The cricket board met today.", headline=SECRET_HEADLINE),
        source="pti",
        filename="pti-2.json",
        landed_at=now - timedelta(seconds=2),
    )
    # A ninjs file from a source wrongly pinned to NITF: quarantined until the pin is fixed.
    pin_format(desk, "afp", "nitf")
    raw = ninjs("urn:afp:1", "Paris stocks rose.", headline="Paris bourse up", agency="AFP")
    quarantined = desk.receive(raw, source="afp", filename=QUARANTINED_NAME)
    assert quarantined.outcome == "quarantined", quarantined
    entry = desk.store.quarantine()[-1]
    return Seeded(published.stories[0], held.stories[0], entry.id, raw)
