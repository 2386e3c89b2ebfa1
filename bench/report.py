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
        "(new, update, kill, embargo, duplicate, malformed) through `Desk.receive_many` in "
        "batches of 200 (the batched path of `ingest`, `backfill` and the batcher), reading "
        "the file included. `floor` = bare parse + one INSERT; `parsers` = the same with "
        "wiredesk's own parsers (`formats.parse`): the most the desk could do with its parsers "
        "as they are. Peak RSS is `VmHWM` of the run's own subprocess.",
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
        "Every run:",
        "",
    ]
    lines += [
        "| run | files | files/s | peak RSS MB | verification |",
        "|---|---|---|---|---|",
    ]
    for run in data["runs"]:
        check = ""
        if "state_mismatches" in run:
            check = f"outcomes off: {run['outcome_mismatches'] or 0}; states off: {run['state_mismatches'] or 0}"
        lines.append(
            f"| {run['kind']} {run['size']} #{run['rep']} | {run['files']} | {run['files_per_s']:,.1f} | "
            f"{run['peak_rss_mb']:.0f} | {check} |"
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

    lines = [
        "## Wire-to-live latency",
        "",
        f"Command: `{data['command']}`: each rate for {data['seconds']:.0f} s per transport into "
        "one `wiredesk run` (spool folder source, push source, page cache on), with GET / at "
        "about 5 req/s in the background. Live = the story's own page first answers 200 "
        "(polled every 10 ms); at high rates one story in `sample` is awaited. See "
        "`bench/latency.py`.",
        "",
        "| path | stories timed | p50 ms | p95 ms | p99 ms | max ms | notes |",
        "|---|---|---|---|---|---|---|",
    ]
    for rate, at in data["rates"].items():
        r = float(rate)
        lines += [
            row(
                f"spool at {r:,.0f}/s (rename → page 200)",
                at["spool"]["latency"],
                f"1 in {at['sample']}; missing {at['spool']['missing']}; pages {at['spool']['pages']}",
            ),
            row(
                f"push at {r:,.0f}/s (POST sent → page 200)",
                at["push"]["latency"],
                f"1 in {at['sample']}; missing {at['push']['missing']}; POST {at['push']['post_statuses']}",
            ),
            row(f"push POST response at {r:,.0f}/s", at["push"]["post_response"]),
        ]
    lines += [
        row(
            "kill → 410 (spool, 5 kills/s)",
            data["kill"]["latency"],
            f"missing {data['kill']['missing']}",
        ),
        row("background GET / response", data["background_home_get"]),
    ]
    return lines


def peer_md(data: dict[str, Any]) -> list[str]:
    lines = [
        "## Beside a peer: lemon24/reader on the same RSS stories (one core)",
        "",
        f"Command: `{data['command']}`: the corpus's first {data['files']:,} new RSS stories "
        "(one item per file). reader: each file a feed under `feed_root`, one timed "
        "`update_feeds()`. wiredesk: the same files through `Desk.receive_many` (archive, parse, "
        "lifecycle, store, search index).",
        "",
        "| run | files | files/s | peak RSS MB |",
        "|---|---|---|---|",
    ]
    for run in data["runs"]:
        lines.append(
            f"| {run['kind']} #{run['rep']} | {run['files']} | {run['files_per_s']:,.1f} | "
            f"{run['peak_rss_mb']:.0f} |"
        )
    median = data["median_files_per_s"]
    lines += [
        "",
        f"Median: wiredesk {median['wiredesk']:,.1f} files/s, reader {median['reader']:,.1f} "
        f"files/s: wiredesk is **{data['wiredesk_vs_reader']:.1f}x** reader.",
    ]
    feeds = data.get("feeds")
    if feeds:
        lines += [
            "",
            f"Publishers' feeds: {feeds['feeds']} RSS feeds of {feeds['items']} items each "
            "(`bench/feeds.py`; the same story sizes), alternating, one core each.",
            "",
            "| run | stories | stories/s | peak RSS MB |",
            "|---|---|---|---|",
        ]
        for run in feeds["runs"]:
            lines.append(
                f"| {run['kind']} #{run['rep']} | {run['stories']} | "
                f"{run['stories_per_s']:,.1f} | {run['peak_rss_mb']:.0f} |"
            )
        fm = feeds["median_stories_per_s"]
        lines += [
            "",
            f"Median: wiredesk {fm['wiredesk']:,.1f} stories/s, reader {fm['reader']:,.1f}: "
            f"wiredesk is **{feeds['wiredesk_vs_reader']:.2f}x** reader on feeds of "
            f"{feeds['items']} items.",
        ]
    return lines


def backfill_md(data: dict[str, Any]) -> list[str]:
    return [
        "## Backfill",
        "",
        f"Command: `{data['command']}`, which runs `{data['backfill_command']}` "
        f"over {data['files']:,} generated files: {data['seconds'] / 60:,.1f} minutes, "
        f"{data['files_per_s']:,.0f} files/s, peak RSS {data['peak_rss_mb']:.0f} MB, database "
        f"{data['db_mb']:,.0f} MB. Summary line: `{data['summary']}`.",
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
        "| stories | DB MB | insert s | home median / p99 ms | section | story | search: vocabulary word | rare word | common word | phrase |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    kinds = (
        "home",
        "section",
        "story",
        "search_vocab",
        "search_rare",
        "search_common",
        "search_phrase",
    )
    for size, entry in data["sizes"].items():
        pages = entry["pages"]
        cells = [
            f"{pages[p]['median_ms']:.1f} / {pages[p]['p99_ms']:.1f} (n={pages[p]['n']})"
            if p in pages
            else ""
            for p in kinds
        ]
        lines.append(
            f"| {int(size):,} | {entry['db_mb']:,.0f} | {entry['insert_seconds']:.0f} | "
            + " | ".join(cells)
            + " |"
        )
    return lines


def pictures_md(data: dict[str, Any]) -> list[str]:
    lines = [
        "## Pictures (`wrk -t2 -c64 --latency`, `wiredesk serve`)",
        "",
        f"Command: `{data['command']}`: {data['stories']:,} stories in SQLite; one story page "
        "measured, then given a checked 2400×1600 picture and measured again, in the same run. "
        "Development figures unless the conditions below say otherwise.",
        "",
        "| page cache | URL | req/s | p99 ms | non-2xx |",
        "|---|---|---|---|---|",
    ]
    for label, run in data["runs"].items():
        for key in ("story_with_picture", "story_without_picture", "rendition_640_webp"):
            if key in run:
                r = run[key]
                lines.append(
                    f"| {label} | {key.replace('_', ' ')} | {r['rps']:,.1f} | {r['p99_ms']} | "
                    f"{r['non_2xx']} |"
                )
    lines.append("")
    for label, run in data["runs"].items():
        lines.append(
            f"- {label}: with a picture / without = {run['with_vs_without']:.2%}; page bytes "
            f"{run['page_bytes']}"
        )
    cold = data["runs"].get("cached", {}).get("cold_rendition", {})
    if cold:
        shown = ", ".join(f"{k} {v['median_ms']:.0f} ms" for k, v in cold.items())
        lines.append(f"- first request for a rendition (made by Pillow), median: {shown}")
    return lines


def enrich_md(data: dict[str, Any]) -> list[str]:
    runs = data["runs"]
    return [
        "## Enrichment (places, quotations, developments, derived pages)",
        "",
        f"Command: `python -m bench --only enrich`: {data['size']:,} files on SQLite, one core, "
        "alternating runs with and without the enricher in the same run.",
        "",
        "| enricher | files/s (each run) | median |",
        "|---|---|---|",
        f"| without | {', '.join(f0(r) for r in runs['without'])} | {f0(data['median_without'])} |",
        f"| with | {', '.join(f0(r) for r in runs['with'])} | {f0(data['median_with'])} |",
        "",
        f"- with / without = {data['ratio']:.2f}; the gazetteer's load at start, outside the "
        f"timed ingest: {data.get('gazetteer_load_s', 0):.1f} s (median)",
    ]


def lighthouse_md(data: dict[str, Any]) -> list[str]:
    lines = [
        "## Lighthouse (issue 23)",
        "",
        f"Command: `python -m bench --only lighthouse`: npm `lighthouse@{data['version']}` with "
        "Debian's Chromium on `wiredesk demo` (its bundled wire, pictures included), default "
        "mobile profile (simulated slow 4G, 4x CPU slowdown) and the desktop preset. Target: "
        ">= 95 in every category on every page.",
        "",
        "| profile | page | performance | accessibility | best practices | SEO |",
        "|---|---|---|---|---|---|",
    ]
    for preset, pages in data["scores"].items():
        for name, s in pages.items():
            lines.append(
                f"| {preset} | {name} (`{data['pages'][name]}`) | {s['performance']} | "
                f"{s['accessibility']} | {s['best-practices']} | {s['seo']} |"
            )
    verdict = "met" if min(data["lowest"].values()) >= 95 else "**missed**"
    lines += ["", f"- lowest score: {min(data['lowest'].values())} ({verdict})"]
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
    return lines


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
        if entry.get("kill_lag"):
            lines.append(row(f"kill lag: {kind}", entry["kill_lag"], "kills in the burst"))
    if "webhook_wire_to_target" in data:
        lines.append(row("webhook wire-to-target", data["webhook_wire_to_target"]))
    if data.get("wordpress_skipped"):
        lines.append(f"\nWordPress skipped: {data['wordpress_skipped']}")
    lines.append(
        f"\nSending took {data['send_seconds']:.1f} s; every target had drained "
        f"{data['drain_seconds']:.1f} s after the first file."
    )
    return lines


def targets_md(out: Path, quick: bool) -> list[str]:
    """Issue 12's targets against whatever parts are in bench/out."""
    rows: list[tuple[str, str, bool | None]] = []

    def add(target: str, value: str | None, met: bool | None) -> None:
        rows.append((target, value or "not measured", met if value else None))

    ingest = load(out, "ingest", quick) or {}
    summary = ingest.get("summary", {})
    sizes = sorted({int(k.rsplit("-", 1)[1]) for k in summary}) if summary else []
    small = sizes[0] if sizes else 0
    sq, pg = summary.get(f"sqlite-{small}"), summary.get(f"postgres-{small}")
    off = [
        r for r in ingest.get("runs", [])
        if r.get("outcome_mismatches") or r.get("state_mismatches")
    ]  # fmt: skip
    add(
        "ingest >= 2,000 files/s, one core, SQLite",
        sq and f"{sq['median_files_per_s']:,.0f} files/s at {small:,}",
        bool(sq) and sq["median_files_per_s"] >= 2000,
    )
    add(
        "ingest >= 20% of the floor, SQLite",
        sq and f"{sq['vs_floor']:.1%} of {summary[f'floor-{small}']['median_files_per_s']:,.0f}",
        bool(sq) and sq["vs_floor"] >= 0.2,
    )
    add(
        "ingest >= 1,000 files/s, one core, PostgreSQL",
        pg and f"{pg['median_files_per_s']:,.0f} files/s at {small:,}",
        bool(pg) and pg["median_files_per_s"] >= 1000,
    )
    add(
        "0 outcomes off and 0 states off",
        ingest and f"{len(off)} of {len(ingest.get('runs', []))} runs off",
        bool(ingest) and not off,
    )
    peer = load(out, "peer", quick)
    add(
        "faster than reader on the same stories",
        peer and f"{peer['wiredesk_vs_reader']:.1f}x reader",
        bool(peer) and peer["wiredesk_vs_reader"] > 1,
    )
    backfill = load(out, "backfill", quick)
    add(
        "1M-story backfill in under 15 minutes",
        backfill and f"{backfill['seconds'] / 60:.1f} min for {backfill['files']:,}",
        bool(backfill) and backfill["files"] >= 1_000_000 and backfill["seconds"] < 900,
    )
    latency = load(out, "latency", quick)
    for rate, at in (latency or {}).get("rates", {}).items():
        limit = 100 if float(rate) <= 50 else 1000
        for path in ("spool", "push"):
            lat = at[path]["latency"]
            add(
                f"wire-to-live p99 <= {limit} ms at {float(rate):,.0f}/s, {path}",
                lat.get("n") and f"p99 {lat['p99_ms']:.0f} ms (missing {at[path]['missing']})",
                bool(lat.get("n")) and lat["p99_ms"] <= limit and not at[path]["missing"],
            )
    kill = (latency or {}).get("kill", {}).get("latency", {})
    add(
        "kill -> 410 p99 <= 100 ms",
        kill.get("n") and f"p99 {kill['p99_ms']:.0f} ms",
        bool(kill.get("n")) and kill["p99_ms"] <= 100,
    )
    scale = load(out, "scale", quick) or {}
    biggest = max(scale.get("sizes", {}), key=int, default=None)
    for kind in ("rare", "common", "phrase"):
        page = scale["sizes"][biggest]["pages"].get(f"search_{kind}") if biggest else None
        add(
            f"search p99 <= 20 ms at 1M stories, {kind}",
            page and f"p99 {page['p99_ms']:.1f} ms at {int(biggest or 0):,}",
            bool(page) and int(biggest or 0) >= 1_000_000 and page["p99_ms"] <= 20,
        )
    big = summary.get("sqlite-100000")
    add(
        "peak RSS in a 100k ingest < 300 MB",
        big and f"{big['median_peak_rss_mb']:.0f} MB",
        bool(big) and big["median_peak_rss_mb"] < 300,
    )
    lines = ["## Targets (issue 12)", "", "| target | figure | |", "|---|---|---|"]
    for target, value, met in rows:
        verdict = "" if met is None else ("met" if met else "**missed**")
        lines.append(f"| {target} | {value} | {verdict} |")
    return lines


def targets20_md(out: Path, quick: bool) -> list[str]:
    """Issue 20's targets ("fast where users feel it") against whatever parts are in bench/out."""
    rows: list[tuple[str, str, str, bool | None]] = []

    def add(target: str, value: Any, met: Any, part: str) -> None:
        rows.append(
            (target, str(value) if value else "not measured", part, bool(met) if value else None)
        )

    start = load(out, "startup", quick) or {}
    add(
        "`wiredesk --help` <= 0.3 s",
        start and f"{start['help_median_s']:.2f} s",
        start and start["help_median_s"] <= 0.3,
        "startup",
    )
    add(
        "`wiredesk ingest one.xml` <= 0.6 s, places included",
        start and f"{start['ingest_one_median_s']:.2f} s",
        start and start["ingest_one_median_s"] <= 0.6,
        "startup",
    )
    ingest = load(out, "ingest", quick) or {}
    summary = ingest.get("summary", {})
    sizes = sorted({int(k.rsplit("-", 1)[1]) for k in summary}) if summary else []
    sq = summary.get(f"sqlite-{sizes[0]}") if sizes else None
    add(
        "ingest >= 10% of the floor, one core, enrichment on",
        sq and f"{sq['vs_floor']:.1%} ({sq['median_files_per_s']:,.0f} files/s at {sizes[0]:,})",
        sq and sq["vs_floor"] >= 0.1,
        "ingest",
    )
    peer = load(out, "peer", quick) or {}
    feeds = peer.get("feeds")
    add(
        "wiredesk >= 1.5x reader, feeds of 20 items",
        feeds
        and f"{feeds['wiredesk_vs_reader']:.2f}x ({feeds['feeds']} feeds of {feeds['items']})",
        feeds and feeds["wiredesk_vs_reader"] >= 1.5,
        "peer",
    )
    add(
        "wiredesk vs reader, feeds of 1 item (reported)",
        peer and f"{peer['wiredesk_vs_reader']:.2f}x",
        None,
        "peer",
    )
    delivery = load(out, "delivery", quick) or {}
    kinds = delivery.get("kinds", {})
    rate = delivery.get("rate", 0)
    live = delivery.get("wire_to_live", {})
    add(
        f"wire-to-live p99 <= 500 ms in the burst ({rate:.0f}/s, all targets)",
        live.get("n") and f"p99 {live['p99_ms']:.0f} ms",
        live.get("n") and live["p99_ms"] <= 500,
        "delivery",
    )
    for kind, limit in (("webhook", 1000), ("static", 2000), ("wordpress", 2000)):
        lag = kinds.get(kind, {}).get("lag", {})
        add(
            f"{kind} lag p99 <= {limit} ms at {rate:.0f}/s",
            lag.get("n") and f"p99 {lag['p99_ms']:.0f} ms (pending {kinds[kind]['pending']})",
            lag.get("n") and lag["p99_ms"] <= limit,
            "delivery",
        )
    for kind, entry in kinds.items():
        kill = entry.get("kill_lag", {})
        add(
            f"a kill reaches {kind}: p99 <= 1000 ms",
            kill.get("n") and f"p99 {kill['p99_ms']:.0f} ms",
            kill.get("n") and kill["p99_ms"] <= 1000,
            "delivery",
        )
    latency = load(out, "latency", quick) or {}
    kill410 = latency.get("kill", {}).get("latency", {})
    add(
        "kill -> 410 p99 <= 100 ms",
        kill410.get("n") and f"p99 {kill410['p99_ms']:.0f} ms",
        kill410.get("n") and kill410["p99_ms"] <= 100,
        "latency",
    )
    scale = load(out, "scale", quick) or {}
    at = next((s for s in sorted(scale.get("sizes", {}), key=int) if int(s) >= 100_000), None)
    for kind in ("common", "phrase"):
        page = scale["sizes"][at]["pages"].get(f"search_{kind}") if at else None
        add(
            f"search p99 <= 50 ms at 100,000 stories, {kind}",
            page and f"p99 {page['p99_ms']:.1f} ms at {int(at or 0):,}",
            page and page["p99_ms"] <= 50,
            "scale",
        )
    add(
        "`run` idle <= 150 MB RSS (all its processes)",
        start
        and f"{start['run_idle_rss_total_mb']:.0f} MB "
        + str({k: round(v) for k, v in start["run_idle_rss_mb"].items()}),
        start and start["run_idle_rss_total_mb"] <= 150,
        "startup",
    )
    big = summary.get("sqlite-100000")
    add(
        "peak RSS in a 100k ingest <= 300 MB",
        big and f"{big['median_peak_rss_mb']:.0f} MB",
        big and big["median_peak_rss_mb"] <= 300,
        "ingest",
    )
    lines = ["## Targets (issue 20)", "", "| target | figure | part | |", "|---|---|---|---|"]
    for target, value, part, met in rows:
        verdict = "" if met is None else ("met" if met else "**missed**")
        lines.append(f"| {target} | {value} | {part} | {verdict} |")
    return lines


def startup_md(data: dict[str, Any]) -> list[str]:
    rss = ", ".join(f"{k} {v:.0f} MB" for k, v in data["run_idle_rss_mb"].items())
    return [
        "## Start-up and idle memory",
        "",
        f"Command: `{data['command']}` (`bench/startup.py`): `wiredesk --help` median "
        f"{data['help_median_s']:.2f} s of {data['reps']}; `wiredesk ingest one.nitf.xml` (a "
        f"new story into an initialised desk, fresh process, gazetteer included) median "
        f"{data['ingest_one_median_s']:.2f} s; `wiredesk run` idle RSS {rss}, total "
        f"{data['run_idle_rss_total_mb']:.0f} MB.",
    ]


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
        "startup": startup_md,
        "ingest": ingest_md,
        "latency": latency_md,
        "site": site_md,
        "scale": scale_md,
        "peer": peer_md,
        "backfill": backfill_md,
        "push": push_md,
        "delivery": delivery_md,
        "pictures": pictures_md,
        "enrich": enrich_md,
        "lighthouse": lighthouse_md,
    }
    lines += [*targets20_md(out, quick), "", *targets_md(out, quick), ""]
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
