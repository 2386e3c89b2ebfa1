"""bench/results.md from the JSON parts under bench/out/.

Everything below the line `<!-- notes -->` in an existing results.md (profiles, findings) is
kept as it is.
"""

from __future__ import annotations

import json
import platform
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).with_name("results.md")
MARK = "<!-- notes -->"


def machine() -> list[str]:
    def sh(cmd: str) -> str:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()

    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    return [
        f"- CPU: {cpu}; `nproc` = {sh('nproc')}",
        "- `free -g`:\n\n```\n" + sh("free -g") + "\n```",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{sh('psql --version')}, {sh('nginx -v 2>&1')}, {sh('wrk --version 2>&1 | head -1')}",
    ]


def load(out: Path, part: str, quick: bool) -> dict[str, Any] | None:
    path = out / f"{part}{'-quick' if quick else ''}.json"
    return json.loads(path.read_text()) if path.exists() else None


def f0(x: float) -> str:
    return f"{x:,.0f}"


def ingest_md(data: dict[str, Any]) -> list[str]:
    lines = [
        "## Ingest throughput (one core, `os.sched_setaffinity(0, {0})`)",
        "",
        f"Command: `{data['command']}`; corpus `{data['corpus']}`. Files/s = every file "
        "(new, update, kill, embargo, duplicate, malformed) through `Desk.receive`, reading "
        "the file included. Peak RSS is `VmHWM` of the run's own subprocess.",
        "",
        "| run | reps | median files/s | vs floor | median peak RSS MB |",
        "|---|---|---|---|---|",
    ]
    for key, row in data["summary"].items():
        ratio = f"{row['vs_floor']:.2%}" if "vs_floor" in row else "1"
        lines.append(
            f"| {key} | {row['reps']} | {row['median_files_per_s']:,.1f} | {ratio} | "
            f"{row['median_peak_rss_mb']:.0f} |"
        )
    lines += [
        "",
        "Every run (per format: files/s over the time spent in `receive` for that format's files):",
        "",
    ]
    lines += [
        "| run | files | files/s | peak RSS MB | per format files/s | verification |",
        "|---|---|---|---|---|---|",
    ]
    for run in data["runs"]:
        formats = ", ".join(
            f"{k} {v:.0f}" for k, v in run.get("per_format_files_per_s", {}).items()
        )
        check = ""
        if "state_mismatches" in run:
            check = f"outcomes off: {run['outcome_mismatches'] or 0}; states off: {run['state_mismatches'] or 0}"
        lines.append(
            f"| {run['kind']} {run['size']} #{run['rep']} | {run['files']} | {run['files_per_s']:,.1f} | "
            f"{run['peak_rss_mb']:.0f} | {formats} | {check} |"
        )
    return lines


def latency_md(data: dict[str, Any]) -> list[str]:
    def row(name: str, lat: dict[str, Any], extra: str = "") -> str:
        if not lat.get("n"):
            return f"| {name} | 0 | | | | | {extra} |"
        return (
            f"| {name} | {lat['n']} | {lat['p50_ms']:.0f} | {lat['p95_ms']:.0f} | "
            f"{lat['p99_ms']:.0f} | {lat['max_ms']:.0f} | {extra} |"
        )

    return [
        "## Wire-to-live latency",
        "",
        f"Command: `{data['command']}`: {data['rate']:.0f} stories/s for {data['seconds']:.0f} s "
        "per transport into `wiredesk run` (spool folder source, push source), with GET / at about "
        "5 req/s in the background. See `bench/latency.py` for how landing and liveness are timed.",
        "",
        "| path | stories | p50 ms | p95 ms | p99 ms | max ms | notes |",
        "|---|---|---|---|---|---|---|",
        row(
            "spool (rename → listed live)",
            data["spool"]["latency"],
            f"missing {data['spool']['missing']}; story pages {data['spool']['pages']}",
        ),
        row(
            "push (POST sent → listed live)",
            data["push"]["latency"],
            f"missing {data['push']['missing']}; POST statuses {data['push']['post_statuses']}; story pages {data['push']['pages']}",
        ),
        row("push POST response time", data["push"]["post_response"]),
        row("kill → 410 (spool)", data["kill"]["latency"], f"missing {data['kill']['missing']}"),
        row("background GET / response", data["background_home_get"]),
    ]


def site_md(data: dict[str, Any]) -> list[str]:
    lines = [
        "## Site under wrk (`wrk -t2 -c64 -d15s --latency`)",
        "",
        f"Command: `{data['command']}`: {data['stories']:,} stories in SQLite; page sizes "
        f"{data['page_bytes']}. wrk, the servers and whatever else runs share the 2 cores.",
        "",
        "| server | page | req/s | p99 ms | vs nginx | non-2xx |",
        "|---|---|---|---|---|---|",
    ]
    for name, server in data["servers"].items():
        for page in ("story", "home"):
            r = server[page]
            lines.append(
                f"| {name} | {page} | {r['rps']:,.1f} | {r['p99_ms']} | {r['vs_nginx']:.2%} | {r['non_2xx']} |"
            )
    lines += ["", "Server commands:", ""]
    lines += [f"- {name}: `{server['command']}`" for name, server in data["servers"].items()]
    return lines


def scale_md(data: dict[str, Any]) -> list[str]:
    lines = [
        "## Page latency at scale (sequential requests, `wiredesk serve`)",
        "",
        f"Command: `{data['command']}`. Stores filled by bulk INSERT (bypasses parsing; see "
        "`bench/scale.py`), one SQLite database grown from size to size.",
        "",
        "| stories | DB MB | insert s | home median / p99 ms | section | story | search |",
        "|---|---|---|---|---|---|---|",
    ]
    for size, entry in data["sizes"].items():
        pages = entry["pages"]
        cells = [
            f"{pages[p]['median_ms']:.0f} / {pages[p]['p99_ms']:.0f} (n={pages[p]['n']})"
            for p in ("home", "section", "story", "search")
        ]
        lines.append(
            f"| {int(size):,} | {entry['db_mb']:,.0f} | {entry['insert_seconds']:.0f} | "
            + " | ".join(cells)
            + " |"
        )
    return lines


def push_md(data: dict[str, Any]) -> list[str]:
    memory = data["unverified"]
    lines = [
        "## Push bodies (streamed to disk while hashed)",
        "",
        f"Command: `{data['command']}`, against `wiredesk run`. Seconds per push, median of "
        f"{data['reps']} (every push after the first a recorded duplicate): signed (HMAC "
        "while streaming) against bearer (checked before reading).",
        "",
        "| body MiB | signed median s | bearer median s | signed vs bearer | signed MiB/s |",
        "|---|---|---|---|---|",
    ]
    for mib, row in data["timed"].items():
        lines.append(
            f"| {mib} | {row['signed_median_s']:.3f} | {row['bearer_median_s']:.3f} | "
            f"{row['signed_vs_bearer']:.2f} | {row['signed_mib_per_s']:.0f} |"
        )
    lines += [
        "",
        f"{memory['uploads']} concurrent {memory['body_mib']} MiB bodies with a wrong signature "
        f"(answers {memory['statuses']}, {memory['wall_s']:.1f} s): peak RSS "
        f"{memory['peak_before_mib']:.0f} -> {memory['peak_after_mib']:.0f} MiB, growth "
        f"{memory['growth_mib']:.1f} MiB = {memory['growth_vs_bytes_in_flight']:.2%} of the "
        f"{memory['uploads'] * memory['body_mib']} MiB in flight.",
    ]

def delivery_md(data: dict[str, Any]) -> list[str]:
    def row(name: str, lat: dict[str, Any], extra: str = "") -> str:
        if not lat.get("n"):
            return f"| {name} | 0 | | | | {extra} |"
        return (
            f"| {name} | {lat['n']} | {lat['p50_ms']:.0f} | {lat['p99_ms']:.0f} | "
            f"{lat['max_ms']:.0f} | {extra} |"
        )

    lines = [
        "## Delivery lag per target kind",
        "",
        f"Command: `{data['command']}`: {data['rate']:.0f} stories/s for {data['seconds']:.0f} s "
        "into the spool of one `wiredesk run` delivering to every target kind at once. Lag = "
        "outbox `delivered_at - created_at` (the story going live to the target's "
        "acknowledgement); see `bench/delivery.py`.",
        "",
        "| path | n | p50 ms | p99 ms | max ms | notes |",
        "|---|---|---|---|---|---|",
        row("wire-to-live (same run)", data["wire_to_live"], f"missing {data['live_missing']}"),
    ]
    for kind, entry in data["kinds"].items():
        lines.append(row(f"delivery lag: {kind}", entry["lag"], f"pending {entry['pending']}"))
    if "webhook_wire_to_target" in data:
        lines.append(row("webhook wire-to-target", data["webhook_wire_to_target"]))
    if data.get("wordpress_skipped"):
        lines.append(f"\nWordPress skipped: {data['wordpress_skipped']}")
    lines.append(
        f"\nSending took {data['send_seconds']:.1f} s; every target had drained "
        f"{data['drain_seconds']:.1f} s after the first file."
    )
    return lines


def write(out: Path, quick: bool = False) -> None:
    notes = ""
    if RESULTS.exists() and MARK in RESULTS.read_text():
        notes = RESULTS.read_text().split(MARK, 1)[1]
    lines = [
        "# wiredesk benchmarks",
        "",
        "Generated by `bench/report.py` from `bench/out/*.json`; `make bench` (or "
        "`.venv/bin/python -m bench`) runs everything, `--quick` a short version.",
        "",
        "## Machine",
        "",
        *machine(),
        "",
    ]
    parts = {
        "ingest": ingest_md,
        "latency": latency_md,
        "site": site_md,
        "scale": scale_md,
        "push": push_md,

        "delivery": delivery_md,
    }
    for part, render in parts.items():
        data = load(out, part, quick)
        if data is not None:
            lines += [
                *render(data),
                "",
                f"(finished {data['finished_at']}, {data['wall_seconds']:.0f} s)",
                "",
            ]
    RESULTS.write_text("\n".join(lines) + "\n" + MARK + notes)


if __name__ == "__main__":
    write(Path(__file__).with_name("out"))
