from __future__ import annotations

from datetime import timedelta

import pytest

from conftest import FakeClock
from wiredesk import Desk
from wiredesk.config import SourceConfig
from wiredesk.exceptions import ConfigError, NotFound
from wiredesk.store import sources


def add(desk: Desk, name: str, **kwargs: object) -> None:
    with desk.store.session() as session, session.begin():
        sources.upsert(
            session,
            SourceConfig(name=name, transport="folder", location=f"/tmp/{name}", **kwargs),
            desk.clock(),
        )  # type: ignore[arg-type]


def test_upsert_and_lookup(desk: Desk) -> None:
    add(desk, "pti", agency="PTI", section="india")
    add(desk, "pti", agency="PTI", section="nation")
    with desk.store.session() as session:
        [row] = sources.all_sources(session)
        assert (row.name, row.agency, row.section, row.transport) == (
            "pti",
            "PTI",
            "nation",
            "folder",
        )
        with pytest.raises(NotFound):
            sources.get(session, "nobody")
    with (
        desk.store.session() as session,
        pytest.raises(ConfigError, match="transport must be one of"),
    ):
        sources.upsert(session, SourceConfig(name="x", transport="carrier-pigeon"), desk.clock())


def test_a_due_source_is_leased_by_one_worker_only(desk: Desk, clock: FakeClock) -> None:
    for name in ("a", "b", "c"):
        add(desk, name)
    ttl = timedelta(seconds=30)
    with desk.store.session() as session, session.begin():
        first = {s.name for s in sources.lease_due(session, "w1", clock.now, ttl, limit=2)}
    with desk.store.session() as session, session.begin():
        second = {s.name for s in sources.lease_due(session, "w2", clock.now, ttl, limit=5)}
    assert len(first) == 2 and first.isdisjoint(second) and first | second == {"a", "b", "c"}
    with desk.store.session() as session, session.begin():
        assert sources.lease_due(session, "w3", clock.now, ttl) == []


def test_an_expired_lease_is_taken_over(desk: Desk, clock: FakeClock) -> None:
    add(desk, "a")
    with desk.store.session() as session, session.begin():
        [leased] = sources.lease_due(session, "dead-worker", clock.now, timedelta(seconds=30))
    clock.now += timedelta(seconds=31)
    with desk.store.session() as session, session.begin():
        [taken] = sources.lease_due(session, "w2", clock.now, timedelta(seconds=30))
    assert taken.id == leased.id
    with desk.store.session() as session, session.begin():
        # The dead worker's late report is ignored: the lease is no longer its.
        sources.finish(
            session, leased.id, "dead-worker", clock.now, cursor={"x": 1}, retry_at=clock.now
        )
    with desk.store.session() as session:
        row = sources.get(session, "a")
        assert (row.lease_owner, row.cursor) == ("w2", {})


def test_finish_records_health_and_schedules_the_next_poll(desk: Desk, clock: FakeClock) -> None:
    add(desk, "a")
    later = clock.now + timedelta(seconds=60)
    for error in ("timed out", "timed out", ""):
        with desk.store.session() as session, session.begin():
            [row] = sources.lease_due(session, "w", clock.now, timedelta(seconds=30))
            sources.finish(
                session, row.id, "w", clock.now, cursor={"etag": "x"}, error=error, retry_at=later
            )
        with desk.store.session() as session:
            row = sources.get(session, "a")
        if error:
            assert row.last_error == "timed out" and row.next_poll_at == later
            with desk.store.session() as session, session.begin():
                session.get(type(row), row.id).next_poll_at = None  # type: ignore[union-attr]
    assert (row.consecutive_errors, row.last_success_at, row.cursor) == (
        0,
        clock.now,
        {"etag": "x"},
    )


def test_disabled_and_push_sources_are_never_polled(desk: Desk, clock: FakeClock) -> None:
    add(desk, "off", enabled=False)
    with desk.store.session() as session, session.begin():
        sources.upsert(
            session, SourceConfig(name="push", transport="push", secret_env="X"), clock.now
        )
        assert sources.lease_due(session, "w", clock.now, timedelta(seconds=30)) == []
