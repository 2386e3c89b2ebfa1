"""Shared pieces of the reliability suite: the corpus, real worker processes, and the checks.

The short form runs in `make test`; `WIREDESK_RELIABILITY=long` (`make reliability`) runs the
long one. The corpus comes from bench/generator.py (deterministic, with a manifest).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from wiredesk import Desk, open_desk
from wiredesk.config import Config, SourceConfig
from wiredesk.store import sources
from wiredesk.store.models import Quarantine, RawFile, Receipt, Story

ROOT = Path(__file__).resolve().parents[2]
LONG = os.environ.get("WIREDESK_RELIABILITY", "") == "long"


def generate(out: Path, n: int, seed: int) -> list[dict[str, Any]]:
    """N wire files under out/files and their manifest rows, from bench.generator."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bench.generator import write

    write(out, n, seed)
    with (out / "manifest.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def drop(folder: Path, name: str, data: bytes) -> None:
    """Into a spool the way agencies should: a hidden temp name, then an atomic rename."""
    tmp = folder / f".{name}.tmp"
    tmp.write_bytes(data)
    os.replace(tmp, folder / name)


def add_spool(config: Config, folder: Path, name: str = "spool", **options: object) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    desk = open_desk(config)
    try:
        with desk.store.session() as session, session.begin():
            sources.upsert(
                session,
                SourceConfig(
                    name=name,
                    transport="folder",
                    location=str(folder),
                    options={"settle_seconds": 0, **options},
                ),
                desk.clock(),
            )
    finally:
        desk.store.close()


def wiredesk(
    config: Config, *args: str, log: Path, toml: str = "", env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """`python -m wiredesk --db URL <args>` with its log in a file (a pipe could fill up);
    `toml` is added to the wiredesk.toml it runs with, `env` to its environment."""
    path = config.data_dir.parent / "wiredesk.toml"
    path.write_text(f'[desk]\ndata_dir = "{config.data_dir.name}"\n{toml}')
    with log.open("ab") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "wiredesk", "--config", str(path), "--db", config.database_url]
            + list(args),
            stdout=sink,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )


def worker(config: Config, owner: str, log: Path, lease: int = 2) -> subprocess.Popen[bytes]:
    return wiredesk(
        config, "worker", "--threads", "2", "--lease-seconds", str(lease), "--owner", owner, log=log
    )


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set so far (VmHWM), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmHWM for {pid}")


def wait_until(check: Callable[[], bool], timeout: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(step)
    return check()


def pending(folder: Path) -> list[str]:
    """Files still waiting in the spool (not moved to processed/ or error/)."""
    return sorted(p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def count(desk: Desk, model: type[Any]) -> int:
    with desk.store.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


@dataclass
class Verdict:
    stories: int
    versions: int
    quarantined: int
    archived: int
    orphans: int


def archive_files(root: Path) -> Iterator[Path]:
    return (p for p in root.rglob("*") if p.is_file() and not p.name.startswith("."))


def check_against_manifest(
    desk: Desk, rows: list[dict[str, Any]], files: Path, archive: Path
) -> Verdict:
    """0 lost, 0 duplicated: every story, version, quarantine entry and archived byte."""
    accepted = [r for r in rows if r["outcome"] == "accepted"]
    want_versions = Counter(str(r["uri"]) for r in accepted)
    want_state = {str(r["uri"]): str(r["final"]) for r in accepted}
    malformed = Counter(str(r["sha256"]) for r in rows if r["outcome"] == "quarantined")
    with desk.store.session() as session:
        got = {s.uri: (s.state, len(s.versions)) for s in session.scalars(select(Story))}
        quarantined = Counter(q.sha256 for q in session.scalars(select(Quarantine)))
        raw = {r.sha256 for r in session.scalars(select(RawFile))}
        received = {r.filename for r in session.scalars(select(Receipt))}
    wrong = {
        uri: (got.get(uri), (want_state[uri], n))
        for uri, n in want_versions.items()
        if got.get(uri) != (want_state[uri], n)
    }
    assert not wrong, (
        f"{len(wrong)} stories differ from the manifest, e.g. {list(wrong.items())[:5]}"
    )
    assert set(got) == set(want_versions), f"unexpected stories: {set(got) - set(want_versions)}"
    assert quarantined == malformed, (quarantined, malformed)
    assert received == {str(r["file"]) for r in rows}, "a file has no receipt"
    distinct = {str(r["sha256"]): str(r["file"]) for r in rows}
    assert raw == set(distinct)
    stored = {p.name: p for p in archive_files(archive)}
    assert set(stored) == set(distinct), "the archive holds one file per distinct input"
    for sha256, name in distinct.items():
        assert stored[sha256].read_bytes() == (files / name).read_bytes(), name
    orphans = sum(1 for p in archive.rglob(".incoming-*"))
    return Verdict(
        stories=len(got),
        versions=sum(want_versions.values()),
        quarantined=sum(quarantined.values()),
        archived=len(stored),
        orphans=orphans,
    )
