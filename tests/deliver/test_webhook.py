"""Signed webhooks through the outbox, against a real receiver on loopback."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from deliverkit import SECRET, Receiver, add_target, backlog, delivering, receiving, wait_until

from conftest import FakeClock
from wire import ninjs
from wiredesk import Desk, open_desk
from wiredesk.config import Config

T0 = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def live(config: Config, monkeypatch: pytest.MonkeyPatch) -> Iterator[Desk]:
    """A desk on the real clock (backoff needs time to pass) with the webhook secret set."""
    monkeypatch.setenv("HOOK_SECRET", SECRET)
    desk = open_desk(config)
    yield desk
    desk.store.close()


def story_moves(desk: Desk, uri: str) -> None:
    desk.receive(ninjs(uri, "Delhi, June 1 (PTI) First take.", versioncreated=T0))
    desk.receive(ninjs(uri, "Second take.", version=2, versioncreated=T0 + timedelta(minutes=1)))
    desk.receive(
        ninjs(
            uri,
            "Third take.",
            version=3,
            versioncreated=T0 + timedelta(minutes=2),
            ednote="This corrects the spelling of a name.",
        )
    )


def kill(desk: Desk, uri: str, version: int) -> None:
    desk.receive(
        ninjs(
            uri,
            "Kill.",
            version=version,
            pubstatus="canceled",
            versioncreated=T0 + timedelta(minutes=version),
        )
    )


def test_every_action_arrives_once_signed_and_in_order(live: Desk) -> None:
    with receiving() as receiver:
        add_target(live, "hook", "webhook", receiver.url, secret_env="HOOK_SECRET")
        with delivering(live):
            story_moves(live, "urn:hook:a")
            assert wait_until(lambda: len(receiver.actions("urn:hook:a")) == 3)
            kill(live, "urn:hook:a", 4)
            live.receive(ninjs("urn:hook:b", "Another story.", versioncreated=T0))
            assert wait_until(lambda: backlog(live) == 0 and len(receiver.applied) == 5)
    assert receiver.actions("urn:hook:a") == [
        ("publish", "1"),
        ("update", "2"),
        ("update", "3"),
        ("kill", "4"),
    ]
    assert receiver.bad_signatures == 0
    assert len(receiver.received) == 5, "nothing sent twice"
    third = receiver.applied["urn:hook:a@3:update"]
    assert third["correction"] is True
    assert third["body_text"] == "Third take."
    assert third["url"].startswith("http://127.0.0.1:8000/news/")
    killed = receiver.applied["urn:hook:a@4:kill"]
    assert "body_text" not in killed and "headline" not in killed, "a kill carries no text"


def test_an_outage_loses_and_repeats_nothing(live: Desk) -> None:
    with receiving(Receiver(failing=True)) as receiver:
        add_target(
            live,
            "hook",
            "webhook",
            receiver.url,
            secret_env="HOOK_SECRET",
            retry_seconds=0.05,
            retry_max_seconds=0.3,
        )
        with delivering(live):
            for n in range(20):
                live.receive(ninjs(f"urn:out:{n}", f"Story {n}.", versioncreated=T0))
            story_moves(live, "urn:out:moving")
            assert wait_until(lambda: receiver.refused >= 5)
            assert backlog(live) == 23
            receiver.failing = False
            assert wait_until(lambda: backlog(live) == 0)
    assert sorted(receiver.applied) == sorted(
        [f"urn:out:{n}@1:publish" for n in range(20)]
        + ["urn:out:moving@1:publish", "urn:out:moving@2:update", "urn:out:moving@3:update"]
    )
    assert len(receiver.received) == len(receiver.applied), "acknowledged rows never re-sent"
    assert receiver.actions("urn:out:moving") == [
        ("publish", "1"),
        ("update", "2"),
        ("update", "3"),
    ]


def test_a_kill_jumps_the_queue_and_older_updates_are_never_sent(live: Desk) -> None:
    with receiving(Receiver(failing=True)) as receiver:
        # One story at a time, so the order the receiver sees is the order the loop chose.
        add_target(
            live,
            "hook",
            "webhook",
            receiver.url,
            secret_env="HOOK_SECRET",
            retry_seconds=0.05,
            retry_max_seconds=0.2,
            concurrency=1,
        )
        with delivering(live):
            for n in range(60):  # a backlog ahead of the kill
                live.receive(ninjs(f"urn:q:{n}", f"Story {n}.", versioncreated=T0))
            story_moves(live, "urn:q:killed")
            kill(live, "urn:q:killed", 4)
            # A round that read the outbox before the kill existed may still be in flight;
            # two refusals later, every round has read it.
            refused = receiver.refused
            assert wait_until(lambda: receiver.refused >= refused + 2)
            receiver.failing = False
            assert wait_until(lambda: backlog(live) == 0)
    assert receiver.actions("urn:q:killed") == [("kill", "4")]
    assert receiver.order.index("urn:q:killed@4:kill") == 0, "the kill went before the backlog"


def test_nothing_about_an_embargoed_story_reaches_a_target_before_its_time(
    desk: Desk, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOOK_SECRET", SECRET)
    with receiving() as receiver:
        add_target(desk, "hook", "webhook", receiver.url, secret_env="HOOK_SECRET")
        with delivering(desk):
            until = clock.now + timedelta(hours=1)
            desk.receive(ninjs("urn:emb", "Secret budget.", versioncreated=T0, embargoed=until))
            desk.receive(
                ninjs(
                    "urn:emb",
                    "Secret budget, v2.",
                    version=2,
                    versioncreated=T0 + timedelta(minutes=1),
                    embargoed=until,
                )
            )
            desk.receive(ninjs("urn:open", "Open story.", versioncreated=T0))
            assert wait_until(lambda: len(receiver.applied) == 1)
            desk.release_due()
            assert backlog(desk) == 0
            assert [d["uri"] for d in receiver.received] == ["urn:open"]
            clock.now = until
            assert desk.release_due() == 1
            assert wait_until(lambda: len(receiver.applied) == 2)
    assert receiver.applied["urn:emb@2:publish"]["body_text"] == "Secret budget, v2."


def test_a_missing_secret_is_an_error_on_the_target_not_a_lost_change(live: Desk) -> None:
    os.environ.pop("NO_SUCH_SECRET", None)
    with receiving() as receiver:
        add_target(live, "hook", "webhook", receiver.url, secret_env="NO_SUCH_SECRET")
        with delivering(live):
            live.receive(ninjs("urn:s", "Text.", versioncreated=T0))
            from wiredesk.deliver.health import target_health

            def failing() -> bool:
                with live.store.session() as session:
                    return target_health(session, live.clock())[0].consecutive_errors >= 1

            assert wait_until(failing)
    assert backlog(live) == 1
    assert receiver.received == []
    with live.store.session() as session:
        health = target_health(session, live.clock())[0]
    assert "NO_SUCH_SECRET is not set" in health.last_error
    assert SECRET not in health.last_error


def test_a_dead_process_lease_is_taken_back_at_once(live: Desk) -> None:
    """Issue 24 #12: after a kill -9, a process starting on the same host does not wait out
    the dead one's target lease."""
    import socket
    import subprocess

    from sqlalchemy import update

    from wiredesk.store.models import Target

    dead = subprocess.Popen(["true"])
    dead.wait()
    with receiving() as receiver:
        add_target(live, "hook", "webhook", receiver.url, secret_env="HOOK_SECRET")
        with live.store.session() as session, session.begin():
            session.execute(
                update(Target).values(
                    lease_owner=f"{socket.gethostname()}-{dead.pid}",
                    lease_expires=datetime.now(UTC) + timedelta(minutes=10),
                )
            )
        live.receive(ninjs("urn:hook:lease", "Delhi, June 1 (PTI) Text.", versioncreated=T0))
        with delivering(live):
            assert wait_until(lambda: len(receiver.actions("urn:hook:lease")) == 1, timeout=15)
        assert backlog(live) == 0


def test_a_uri_too_long_is_quarantined_at_parse_time(live: Desk) -> None:
    """Issue 24 #11: a 100 KB uri would become a 100 KB Idempotency-Key header."""
    outcome = live.receive(ninjs("urn:long:" + "x" * 100_000, "Delhi, June 1 (PTI) Text."))
    assert outcome.outcome == "quarantined"
    assert "100,009 characters, over the 500-character limit" in outcome.detail


def test_an_answer_retrying_cannot_fix_is_a_refusal_not_a_loop(live: Desk) -> None:
    """Issue 24 #11: a 431 (or 400, 413, 422...) refuses the row for good, shown on /admin;
    the target's other changes go on."""
    from sqlalchemy import select

    from wiredesk.deliver.health import target_health
    from wiredesk.store.models import OutboxRow

    class Picky(Receiver):
        def handle(self, headers: Any, body: bytes) -> int:
            if b"urn:hook:picky" in body:
                with self.lock:
                    self.refused += 1
                return 431
            return super().handle(headers, body)

    with receiving(Picky()) as receiver:
        add_target(live, "hook", "webhook", receiver.url, secret_env="HOOK_SECRET")
        live.receive(ninjs("urn:hook:picky", "Delhi, June 1 (PTI) Text.", versioncreated=T0))
        live.receive(ninjs("urn:hook:fine", "Delhi, June 1 (PTI) Fine.", versioncreated=T0))
        with delivering(live):
            assert wait_until(lambda: len(receiver.actions("urn:hook:fine")) == 1)
            assert wait_until(lambda: backlog(live) == 0)
            time.sleep(0.5)  # time enough for retries, were there any
    assert receiver.refused == 1
    with live.store.session() as session:
        row = session.scalars(
            select(OutboxRow).where(OutboxRow.story_uri == "urn:hook:picky")
        ).one()
        assert (row.state, row.attempts) == ("refused", 1) and "HTTP 431" in row.last_error
        [health] = target_health(session, datetime.now(UTC))
    assert health.refused == 1 and health.as_json()["refused"] == 1
