"""kill -9 a real `wiredesk worker` five times while it delivers to a webhook and a static
folder; the receiver applies every change exactly once and the folder ends up equal to a
fresh export. The outbox grows between the kills (new stories, updates, kills)."""

from __future__ import annotations

import random
import signal
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from relkit import ROOT, wait_until, worker
from sqlalchemy import select

sys.path.insert(0, str(ROOT / "tests" / "deliver"))
from deliverkit import SECRET, Receiver, add_target, backlog, receiving  # noqa: E402
from test_static import fresh_export, public_files  # noqa: E402

from wire import ninjs  # noqa: E402
from wiredesk import open_desk  # noqa: E402
from wiredesk.config import Config  # noqa: E402
from wiredesk.deliver.outbox import delivery_key  # noqa: E402
from wiredesk.store.models import OutboxRow, Target  # noqa: E402

KILLS = 5
SEED = 20260611
T0 = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)


class SlowReceiver(Receiver):
    """A receiver that takes a while per request, so a kill lands mid-delivery."""

    def handle(self, headers: object, body: bytes) -> int:
        time.sleep(0.01)
        return super().handle(headers, body)


def test_kill_9_during_delivery_loses_and_duplicates_nothing(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOOK_SECRET", SECRET)
    config = Config(data_dir=tmp_path / "var", db_url=db_url, page_cache_seconds=0)
    desk = open_desk(config)
    rng = random.Random(SEED)
    out = tmp_path / "out"
    log = tmp_path / "worker.log"
    versions: Counter[str] = Counter()

    def changes(n: int) -> None:
        for _ in range(n):
            uri = f"urn:k9:{rng.randrange(150)}"
            versions[uri] += 1
            kill = versions[uri] > 2 and rng.random() < 0.2
            desk.receive(
                ninjs(
                    uri,
                    f"Delhi (PTI) Take {versions[uri]} of {uri}.",
                    headline=f"Story {uri}",
                    version=versions[uri],
                    versioncreated=T0 + timedelta(minutes=versions[uri]),
                    pubstatus="canceled" if kill else "usable",
                )
            )

    try:
        with receiving(SlowReceiver()) as receiver:
            add_target(
                desk, "hook", "webhook", receiver.url, secret_env="HOOK_SECRET", concurrency=1
            )
            add_target(desk, "cdn", "static", str(out))
            changes(150)
            killed_mid_delivery = 0
            for k in range(KILLS):
                proc = worker(config, f"crash{k}", log)
                time.sleep(rng.uniform(2.0, 3.5))
                left = backlog(desk)
                proc.send_signal(signal.SIGKILL)
                proc.wait(timeout=10)
                killed_mid_delivery += left > 0
                changes(30)
            survivor = worker(config, "survivor", log)
            assert wait_until(lambda: backlog(desk) == 0, timeout=180), log.read_text()[-3000:]
            survivor.send_signal(signal.SIGTERM)
            assert survivor.wait(timeout=60) == 0, log.read_text()[-3000:]

            with desk.store.session() as session:
                hook = session.scalars(select(Target).where(Target.name == "hook")).one()
                rows = session.scalars(
                    select(OutboxRow).where(OutboxRow.target_id == hook.id)
                ).all()
            done = {
                delivery_key(r.story_uri, r.version, r.action) for r in rows if r.state == "done"
            }
            superseded = {
                delivery_key(r.story_uri, r.version, r.action)
                for r in rows
                if r.state == "superseded"
            }
            assert {r.state for r in rows} <= {"done", "superseded"}
            assert done <= set(receiver.applied), "acknowledged but never received"
            assert set(receiver.applied) <= done | superseded
            repeats = len(receiver.received) - len(receiver.applied)
            assert repeats <= KILLS, "at most the one delivery in flight per kill is re-sent"
            for uri in versions:  # in order per story
                sent = [int(v) for _, v in receiver.actions(uri)]
                assert sent == sorted(sent), (uri, sent)
            assert receiver.bad_signatures == 0
        assert public_files(out) == fresh_export(desk, tmp_path / "fresh")
        assert killed_mid_delivery == KILLS, f"only {killed_mid_delivery} kills hit a backlog"
    finally:
        desk.store.close()
    print(
        f"\n{db_url.split(':')[0]}: {len(rows)} webhook rows, {len(done)} done, "
        f"{len(superseded)} superseded, {repeats} re-sent after kills, {KILLS} kills"
    )
