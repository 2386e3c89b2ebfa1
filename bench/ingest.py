"""Ingest throughput: the corpus through the desk's batched path, one subprocess per run.

    python -m bench.ingest CORPUS --db sqlite|postgres [--limit N] [--pin] [--format F]
                                  [--batch 200]

Each run opens a fresh database (a new SQLite file, or a new PostgreSQL schema), reads the
corpus files in order and hands them to `Desk.receive_many` in batches of `--batch` files (the
desk's default batch size; what `wiredesk ingest`, `backfill` and the batcher do), all inside
the timing, records peak RSS (VmHWM of this process alone), and then checks the store against
the manifest (outside the timing). `--batch 1` is the one-file-at-a-time path. Prints one
JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

PG_ROOT = "postgresql://postgres@127.0.0.1:5432/test"


def peak_rss_kb() -> int:
    """This process's peak RSS. ru_maxrss survives fork and exec on Linux (a child starts with
    its parent's peak), so VmHWM, which a new address space resets, is read when there is one."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def pg_schema_url(schema: str) -> str:
    return f"{PG_ROOT}?options=-csearch_path%3D{schema}"


def create_schema(schema: str) -> None:
    import psycopg

    with psycopg.connect(PG_ROOT, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.execute(f"CREATE SCHEMA {schema}")


def drop_schema(schema: str) -> None:
    import psycopg

    with psycopg.connect(PG_ROOT, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def read_manifest(corpus: Path, limit: int | None = None) -> list[dict[str, Any]]:
    rows = []
    with (corpus / "manifest.jsonl").open() as handle:
        for line in handle:
            rows.append(json.loads(line))
            if limit is not None and len(rows) >= limit:
                break
    return rows


def expected_states(rows: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    """uri -> {final, format, sha256}: each story's state after `rows`, and its latest file."""
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        if not row["uri"] or row["kind"] == "duplicate":
            continue
        entry = out.setdefault(row["uri"], {"final": "published", "format": row["format"]})
        entry["sha256"] = row["sha256"]
        if row["kind"] == "kill":
            entry["final"] = "killed"
        elif row["kind"] == "embargo":
            entry["final"] = "embargoed"
    return out


def verify(desk: Any, rows: list[dict[str, Any]], outcomes: list[str]) -> dict[str, Any]:
    """Compare the store with the manifest: file outcomes, story states, current versions."""
    from sqlalchemy import select

    from wiredesk.store.models import Story, Version

    bad_outcomes: Counter[str] = Counter()
    for row, outcome in zip(rows, outcomes, strict=True):
        if row["outcome"] != outcome:
            bad_outcomes[f"{row['format']}/{row['kind']}: {row['outcome']}->{outcome}"] += 1
    expected = expected_states(rows)
    with desk.store.session() as session:
        actual = {
            uri: (state, sha256)
            for uri, state, sha256 in session.execute(
                select(Story.uri, Story.state, Version.sha256).join(
                    Version, Version.id == Story.current_version_id
                )
            )
        }
    bad_states: Counter[str] = Counter()
    for uri, entry in expected.items():
        state, sha256 = actual.get(uri, ("missing", ""))
        if state != entry["final"]:
            bad_states[f"{entry['format']}: {entry['final']}->{state}"] += 1
        elif sha256 != entry["sha256"]:
            bad_states[f"{entry['format']}: newest file is not the current version"] += 1
    return {
        "stories_expected": len(expected),
        "stories_in_store": len(actual),
        "outcome_mismatches": dict(bad_outcomes),
        "state_mismatches": dict(bad_states),
    }


def run(
    corpus: Path,
    db: str,
    limit: int | None,
    pin: bool,
    fmt: str | None,
    batch: int,
    only_new: int = 0,
    enrich: bool = True,
) -> dict[str, Any]:
    if pin:
        os.sched_setaffinity(0, {0})
    from wiredesk import Config, open_desk

    rows = read_manifest(corpus, limit)
    if fmt:
        rows = [r for r in rows if r["format"] == fmt]
    if only_new:
        # The peer's files: the first `only_new` new stories of the format (bench.peer).
        rows = [r for r in rows if r["kind"] == "new"][:only_new]
    work = Path(tempfile.mkdtemp(prefix="wiredesk-ingest-", dir=os.environ.get("BENCH_TMP")))
    schema = f"bench_{os.getpid()}"
    if db == "postgres":
        create_schema(schema)
        url = pg_schema_url(schema)
    else:
        url = ""
    try:
        desk = open_desk(Config(data_dir=work, db_url=url))
        gazetteer_s = 0.0
        if enrich:
            # A running desk loads the gazetteer in the background at start (Runner.run), so
            # its seconds are a start-up cost, reported apart, not an ingest cost.
            from wiredesk.enrich.gazetteer import gazetteer

            loading = time.perf_counter()
            gazetteer()
            gazetteer_s = time.perf_counter() - loading
        else:
            from wiredesk.enrich.enricher import Enricher

            desk.listeners[:] = [x for x in desk.listeners if not isinstance(x, Enricher)]
        files = corpus / "files"
        outcomes: list[str] = []
        rss_before = peak_rss_kb()
        clock = time.perf_counter
        started = clock()
        for at in range(0, len(rows), batch):
            chunk = rows[at : at + batch]
            done = desk.receive_many(
                [((files / row["file"]).read_bytes(), row["file"]) for row in chunk],
                source="bench",
            )
            outcomes += [outcome.outcome for outcome in done]
        elapsed = clock() - started
        peak = peak_rss_kb()
        checked = verify(desk, rows, outcomes)
        desk.store.close()
        db_bytes = sum(p.stat().st_size for p in work.glob("wiredesk.db*"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if db == "postgres":
            drop_schema(schema)
    return {
        "db": db,
        "files": len(rows),
        "pinned": pin,
        "seconds": elapsed,
        "files_per_s": len(rows) / elapsed,
        "batch": batch,
        "gazetteer_load_s": gazetteer_s,
        "peak_rss_mb": peak / 1024,
        "rss_before_mb": rss_before / 1024,
        "db_mb": db_bytes / 2**20,
        "outcomes": dict(Counter(outcomes)),
        **checked,
    }


def measure(
    corpus: Path,
    db: str,
    limit: int | None,
    pin: bool = True,
    fmt: str | None = None,
    batch: int = 200,
    only_new: int = 0,
    enrich: bool = True,
) -> dict[str, Any]:
    """One run in a fresh subprocess, so its peak RSS is its own."""
    cmd = [sys.executable, "-m", "bench.ingest", str(corpus), "--db", db, "--batch", str(batch)]
    if only_new:
        cmd += ["--only-new", str(only_new)]
    if limit is not None:
        cmd += ["--limit", str(limit)]
    if pin:
        cmd.append("--pin")
    if fmt:
        cmd += ["--format", fmt]
    if not enrich:
        cmd.append("--no-enrich")
    return json_of(cmd)


def json_of(cmd: list[str]) -> dict[str, Any]:
    """Run a benchmark subprocess; its last line of output is its JSON result."""
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description="one ingest run")
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--pin", action="store_true", help="pin to CPU 0 (one core)")
    parser.add_argument("--format")
    parser.add_argument("--batch", type=int, default=200, help="files per receive_many")
    parser.add_argument("--only-new", type=int, default=0, help="first N new stories only")
    parser.add_argument("--no-enrich", action="store_true", help="without the enricher")
    args = parser.parse_args()
    import logging

    logging.disable(logging.WARNING)
    print(
        json.dumps(
            run(
                args.corpus,
                args.db,
                args.limit,
                args.pin,
                args.format,
                args.batch,
                args.only_new,
                not args.no_enrich,
            )
        )
    )


if __name__ == "__main__":
    main()
