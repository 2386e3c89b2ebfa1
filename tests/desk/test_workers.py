"""Real worker processes: several share the sources by lease; a kill -9 loses nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from conftest import PG_URL, pg_schema
from wire import ninjs
from wiredesk import open_desk
from wiredesk.config import Config, SourceConfig
from wiredesk.store import sources
from wiredesk.store.models import RawFile, Story, Version


def spool(root: Path, folders: int, per_folder: int) -> list[Path]:
    paths = []
    for f in range(folders):
        folder = root / f"spool{f}"
        folder.mkdir(parents=True)
        paths.append(folder)
        for n in range(per_folder):
            data = ninjs(
                f"urn:w:{f}:{n}",
                f"Delhi, June 1 (PTI) Story {f}-{n} body text.",
                headline=f"Story {f}-{n}",
            )
            tmp = folder / f".{n}.tmp"
            tmp.write_bytes(data)
            os.replace(tmp, folder / f"{n:04d}.json")  # atomic, as agencies' FTP drops should be
    return paths


def setup_desk(db_url: str, data: Path, folders: list[Path]) -> Config:
    config = Config(data_dir=data, db_url=db_url)
    desk = open_desk(config)
    with desk.store.session() as session, session.begin():
        for folder in folders:
            sources.upsert(
                session,
                SourceConfig(
                    name=folder.name,
                    transport="folder",
                    location=str(folder),
                    options={"settle_seconds": 0},
                ),
                desk.clock(),
            )
    desk.store.close()
    return config


def start_worker(db_url: str, data: Path, name: str) -> subprocess.Popen[bytes]:
    config = data.parent / "wiredesk.toml"
    config.write_text(f'[desk]\ndata_dir = "{data.name}"\n')
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "wiredesk",
            "--config",
            str(config),
            "--db",
            db_url,
            "worker",
            "--threads",
            "2",
            "--lease-seconds",
            "3",
            "--owner",
            name,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def counts(config: Config) -> tuple[int, int, int]:
    desk = open_desk(config)
    try:
        with desk.store.session() as session:
            return (
                int(session.scalar(select(func.count()).select_from(Story)) or 0),
                int(session.scalar(select(func.count()).select_from(Version)) or 0),
                int(session.scalar(select(func.count()).select_from(RawFile)) or 0),
            )
    finally:
        desk.store.close()


def wait_for(config: Config, stories: int, timeout: float) -> tuple[int, int, int]:
    deadline = time.monotonic() + timeout
    seen = counts(config)
    while seen[0] < stories and time.monotonic() < deadline:
        time.sleep(0.5)
        seen = counts(config)
    return seen


@pytest.fixture
def pg_url() -> Iterator[str]:
    if not PG_URL:
        pytest.skip("PostgreSQL: set WIREDESK_TEST_PG to run several workers on one database")
    with pg_schema() as url:
        yield url


def test_three_workers_ingest_a_thousand_items_exactly_once(pg_url: str, tmp_path: Path) -> None:
    folders = spool(tmp_path / "in", folders=10, per_folder=100)
    config = setup_desk(pg_url, tmp_path / "var", folders)
    workers = [start_worker(pg_url, tmp_path / "var", f"w{i}") for i in range(3)]
    try:
        stories, versions, raw = wait_for(config, 1000, timeout=120)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            assert worker.wait(timeout=30) == 0, (
                worker.stderr.read().decode() if worker.stderr else ""
            )
    assert (stories, versions, raw) == (1000, 1000, 1000)
    assert all(not list(f.glob("*.json")) for f in folders), "every file moved out of the spool"
    assert sum(1 for _ in (tmp_path / "in").rglob("processed/*/*.json")) == 1000
