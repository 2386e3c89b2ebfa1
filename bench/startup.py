"""Start-up and idle memory: what a user feels before any throughput matters.

    python -m bench.startup [--reps 5]

- `wiredesk --help`, wall seconds, median of `--reps`.
- `wiredesk ingest ONE.nitf.xml`: one new story into a desk made by `wiredesk init` (untimed),
  a fresh process each time, wall seconds, median of `--reps` (each a different story), the
  gazetteer included (the first located story loads it).
- `wiredesk run` idle: RSS of the desk process and of each child (site, delivery) 10 s after
  /healthz first answers, and their sum.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench import generator as gen
from bench.latency import free_port


def _wall(cmd: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - started


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def run(reps: int) -> dict[str, Any]:
    cli = [sys.executable, "-m", "wiredesk"]
    env_free = {k: v for k, v in os.environ.items() if k != "WIREDESK_DB"}
    work = Path(tempfile.mkdtemp(prefix="wiredesk-startup-", dir=os.environ.get("BENCH_TMP")))
    try:
        help_s = [_wall([*cli, "--help"], work) for _ in range(reps)]
        subprocess.run([*cli, "init"], cwd=work, check=True, capture_output=True, env=env_free)
        files = [w for w in gen.generate(60, seed=77) if w.kind == "new" and w.fmt == "nitf"]
        ingest_s = []
        for n, wire in enumerate(files[:reps]):
            path = work / f"one-{n}.nitf.xml"
            path.write_bytes(wire.data)
            ingest_s.append(_wall([*cli, "ingest", str(path)], work))
        port = free_port()
        proc = subprocess.Popen(
            [*cli, "run", "--port", str(port)],
            cwd=work,
            env=env_free,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            time.sleep(10)
            children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
            processes = {"desk": _rss_kb(proc.pid)}
            for pid in map(int, children):
                name = (
                    "site"
                    if b" serve " in Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
                    else "delivery"
                )
                processes[name] = _rss_kb(pid)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "reps": reps,
        "help_s": help_s,
        "help_median_s": statistics.median(help_s),
        "ingest_one_s": ingest_s,
        "ingest_one_median_s": statistics.median(ingest_s),
        "run_idle_rss_mb": {k: v / 1024 for k, v in processes.items()},
        "run_idle_rss_total_mb": sum(processes.values()) / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="start-up and idle memory")
    parser.add_argument("--reps", type=int, default=5)
    print(json.dumps(run(parser.parse_args().reps)))


if __name__ == "__main__":
    main()
