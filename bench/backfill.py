"""A publisher's archive imported at once: `wiredesk backfill` over a corpus of N files.

    python -m bench.backfill [--n 1000000] [--corpus bench/out/corpus-1000000]

The corpus is written once by bench.generator and kept (a later run reuses it; writing 1M
files takes a while). Each run backfills it into a fresh SQLite store with the real command
(`python -m wiredesk backfill`, batches of the desk's batch size) and reports the wall time,
files per second and the peak RSS of the command. Target: 1M files in under 15 minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

OUT = Path(__file__).parent / "out"


def ensure_corpus(corpus: Path, n: int) -> float:
    """Write the corpus unless a complete one is there; the seconds it took (0 if reused)."""
    from bench import generator

    manifest = corpus / "manifest.jsonl"
    if manifest.exists() and sum(1 for _ in manifest.open()) == n:
        return 0.0
    started = time.perf_counter()
    generator.write(corpus, n)
    return time.perf_counter() - started


def run(n: int, corpus: Path) -> dict[str, Any]:
    written = ensure_corpus(corpus, n)
    work = Path(tempfile.mkdtemp(prefix="wiredesk-backfill-", dir=os.environ.get("BENCH_TMP")))
    try:
        (work / "wiredesk.toml").write_text(f'[desk]\ndata_dir = "{work / "var"}"\n')
        cmd = [
            sys.executable, "-m", "wiredesk", "--config", str(work / "wiredesk.toml"),
            "backfill", str(corpus / "files"),
        ]  # fmt: skip
        started = time.perf_counter()
        # /usr/bin/time -v gives the command's own peak RSS.
        done = subprocess.run(
            ["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, check=True
        )
        seconds = time.perf_counter() - started
        peak_kb = next(
            (
                int(line.split()[-1])
                for line in done.stderr.splitlines()
                if "Maximum resident" in line
            ),
            0,
        )
        summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
        db_mb = sum(p.stat().st_size for p in (work / "var").glob("wiredesk.db*")) / 2**20
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "files": n,
        "corpus": str(corpus),
        "corpus_written_seconds": written,
        "seconds": seconds,
        "files_per_s": n / seconds,
        "peak_rss_mb": peak_kb / 1024,
        "db_mb": db_mb,
        "summary": summary,
        "backfill_command": " ".join(cmd[2:]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="backfill of a generated archive")
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--corpus", type=Path)
    args = parser.parse_args()
    corpus = args.corpus or OUT / f"corpus-{args.n}"
    print(json.dumps(run(args.n, corpus)))


if __name__ == "__main__":
    main()
