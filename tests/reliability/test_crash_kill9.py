"""kill -9 a real `wiredesk worker` at seeded random moments of a spool ingest, restart it each
time, and check the result against the generator's manifest: nothing lost, nothing doubled.

Short form (make test): 1,000 files, 5 kills. Long form (WIREDESK_RELIABILITY=long): 10,000
files, 20 kills.
"""

from __future__ import annotations

import random
import signal
import time
from datetime import datetime
from pathlib import Path

from relkit import (
    LONG,
    add_spool,
    check_against_manifest,
    count,
    generate,
    pending,
    wait_until,
    worker,
)

from wiredesk import Desk, open_desk
from wiredesk.config import Config
from wiredesk.store import sources
from wiredesk.store.models import Receipt

FILES, KILLS = (10_000, 20) if LONG else (1_000, 5)
SEED = 20260601


def polled_since(desk: Desk, moment: datetime) -> bool:
    with desk.store.session() as session:
        row = sources.get(session, "spool")
        return row.last_success_at is not None and row.last_success_at >= moment


def test_kill_9_at_random_moments_loses_and_duplicates_nothing(db_url: str, tmp_path: Path) -> None:
    rows = generate(tmp_path / "corpus", FILES, SEED)
    files = tmp_path / "corpus" / "files"
    spool = tmp_path / "in"
    config = Config(data_dir=tmp_path / "var", db_url=db_url)
    # Small spool chunks, so the ingest takes long enough for every kill to land inside it.
    add_spool(config, spool, chunk_files=20)
    for row in rows:  # hard links: the spool moves them away, the originals stay to compare
        (spool / row["file"]).hardlink_to(files / row["file"])
    desk = open_desk(config)
    rng = random.Random(SEED)
    log = tmp_path / "worker.log"
    started = time.monotonic()
    killed_mid_ingest = 0
    try:
        for k in range(KILLS):
            proc = worker(config, f"crash{k}", log)
            # A random moment of the ingest: once a random share of what is left has been
            # taken, then a few milliseconds more, so that some kills land inside a batch
            # (archived, not committed) and some between the commit and the acknowledgement.
            before = len(pending(spool))
            target = int(before * rng.uniform(0.5, 0.95))
            wait_until(lambda: len(pending(spool)) <= target, timeout=120, step=0.002)  # noqa: B023
            time.sleep(rng.uniform(0, 0.03))
            left = len(pending(spool))
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
            killed_mid_ingest += 0 < left < len(rows)
        survivor_started = desk.clock()
        survivor = worker(config, "survivor", log)
        deadline = time.monotonic() + (900 if LONG else 180)
        # Until the survivor has scanned the spool at least once (the last crashed worker may
        # have taken every file) and nothing is left in it.
        while (pending(spool) or not polled_since(desk, survivor_started)) and (
            time.monotonic() < deadline
        ):
            time.sleep(0.2)
        survivor.send_signal(signal.SIGTERM)
        assert survivor.wait(timeout=60) == 0, log.read_text()[-3000:]
        assert not pending(spool), f"{len(pending(spool))} files never taken"
        elapsed = time.monotonic() - started
        verdict = check_against_manifest(desk, rows, files, config.archive_dir)
        receipts = count(desk, Receipt)
    finally:
        desk.store.close()
    moved = sorted(p.name for p in spool.glob("*/*/*") if p.is_file())
    assert moved == sorted(r["file"] for r in rows), "each file acknowledged exactly once"
    assert killed_mid_ingest == KILLS, f"only {killed_mid_ingest} of {KILLS} kills hit the ingest"
    print(
        f"\n{db_url.split(':')[0]}: {len(rows)} files, {KILLS} kills in {elapsed:.1f} s: "
        f"{verdict.stories} stories, {verdict.versions} versions, {verdict.quarantined} "
        f"quarantined, {verdict.archived} archived, {receipts - len(rows)} re-deliveries, "
        f"{verdict.orphans} orphaned archive temp files"
    )
