"""The last 24 hours as numbers and as SVG geometry; templates draw it, escaped like any text.

Charts are computed here and drawn by Jinja (no markup built in Python), so a source name from
a wire never reaches the page unescaped, and the admin stays script-free under a strict CSP.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from wiredesk.store.models import Receipt

HOURS = 24
WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 44
# Okabe-Ito hues darkened to at least 3:1 against white (WCAG non-text contrast).
PALETTE = ("#0072B2", "#C04A00", "#007A5E", "#A8377F", "#5A5A5A", "#8A6D00")
MAX_SERIES = len(PALETTE) - 1  # the rest are summed as "other"


def hour_starts(now: datetime, tz: ZoneInfo) -> list[datetime]:
    """The last 24 hours on the site's clock (India's hours start at :30 UTC), in UTC."""
    current = now.astimezone(tz).replace(minute=0, second=0, microsecond=0).astimezone(UTC)
    return [current - timedelta(hours=HOURS - 1 - i) for i in range(HOURS)]


@dataclass
class Rect:
    x: float
    y: float
    width: float
    height: float
    color: str
    label: str


@dataclass
class Tick:
    pos: float
    label: str


@dataclass
class Point:
    x: float
    y: float
    label: str


@dataclass
class Line:
    name: str
    color: str
    dash: str
    segments: list[str]
    points: list[Point]


@dataclass
class Chart:
    """Everything the template needs: geometry, axes, a legend, and the table beside it."""

    title: str
    hours: list[datetime]
    columns: list[str]
    rows: list[list[str]]
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    rects: list[Rect] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)
    empty: bool = True
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM
    right: int = WIDTH - RIGHT


def nice_max(value: float) -> float:
    """A round top for the axis: 1, 2 or 5 times a power of ten."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return float(step * power)
    return float(10 * power)


def seconds_label(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 120:
        return f"{seconds:.1f} s".replace(".0 s", " s")
    if seconds < 7200:
        return f"{seconds / 60:.1f} min".replace(".0 min", " min")
    return f"{seconds / 3600:.1f} h".replace(".0 h", " h")


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: always a value that was actually observed."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def _frame(chart: Chart, top_value: float, label: Callable[[float], str], tz: ZoneInfo) -> None:
    plot_h = chart.bottom - chart.top
    for i in range(5):
        chart.y_ticks.append(Tick(chart.bottom - plot_h * i / 4, label(top_value * i / 4)))
    slot = (chart.right - chart.left) / HOURS
    for i, hour in enumerate(chart.hours):
        if i % 3 == 0:
            chart.x_ticks.append(Tick(chart.left + slot * (i + 0.5), _hh(hour, tz)))


def _hh(hour: datetime, tz: ZoneInfo) -> str:
    return hour.astimezone(tz).strftime("%H:%M")


def _row_label(hour: datetime, tz: ZoneInfo) -> str:
    return hour.astimezone(tz).strftime("%d %b %H:%M")


def items_per_hour(session: Session, now: datetime, tz: ZoneInfo) -> Chart:
    hours = hour_starts(now, tz)
    since = hours[0]
    received = session.execute(
        select(Receipt.source, Receipt.received_at).where(Receipt.received_at >= since)
    )
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    for source, at in received:
        index = int((at - since).total_seconds() // 3600)
        if 0 <= index < HOURS:
            counts[source][index] += 1
    ranked = sorted(counts, key=lambda s: (-sum(counts[s].values()), s))
    names = ranked[:MAX_SERIES]
    if len(ranked) > MAX_SERIES:
        other: Counter[int] = Counter()
        for name in ranked[MAX_SERIES:]:
            other.update(counts[name])
        counts["other"] = other
        names.append("other")
    chart = Chart(
        title="Files received per hour, by source, last 24 hours",
        hours=hours,
        columns=[f"Hour ({now.astimezone(tz):%Z})", *names, "Total"],
        rows=[
            [
                _row_label(hour, tz),
                *(str(counts[n][i]) for n in names),
                str(sum(counts[n][i] for n in names)),
            ]
            for i, hour in enumerate(hours)
        ],
        legend=[(name, PALETTE[i]) for i, name in enumerate(names)],
        empty=not names,
    )
    top_value = nice_max(max((sum(counts[n][i] for n in names) for i in range(HOURS)), default=0))
    _frame(chart, top_value, lambda v: f"{v:g}", tz)
    slot = (chart.right - chart.left) / HOURS
    plot_h = chart.bottom - chart.top
    for i, hour in enumerate(hours):
        y = float(chart.bottom)
        for j, name in enumerate(names):
            count = counts[name][i]
            if not count:
                continue
            height = plot_h * count / top_value
            y -= height
            chart.rects.append(
                Rect(
                    chart.left + slot * i + 1,
                    y,
                    slot - 2,
                    height,
                    PALETTE[j],
                    f"{name}, {_hh(hour, tz)}: {count} file{'s' if count != 1 else ''}",
                )
            )
    return chart


def latency(session: Session, now: datetime, tz: ZoneInfo) -> Chart:
    """Wire to live: from a file landing (spool, fetch, push) to the desk publishing it."""
    hours = hour_starts(now, tz)
    since = hours[0]
    rows = session.execute(
        select(Receipt.received_at, Receipt.landed_at).where(
            Receipt.received_at >= since,
            Receipt.landed_at.is_not(None),
            Receipt.outcome == "accepted",
        )
    )
    per_hour: dict[int, list[float]] = defaultdict(list)
    for received_at, landed_at in rows:
        index = int((received_at - since).total_seconds() // 3600)
        if landed_at is not None and 0 <= index < HOURS:
            per_hour[index].append(max(0.0, (received_at - landed_at).total_seconds()))
    stats = {i: (percentile(v, 0.5), percentile(v, 0.95), len(v)) for i, v in per_hour.items()}
    chart = Chart(
        title="Wire-to-live latency per hour (p50 and p95), last 24 hours",
        hours=hours,
        columns=[f"Hour ({now.astimezone(tz):%Z})", "Files", "p50", "p95"],
        rows=[
            [
                _row_label(hour, tz),
                str(stats[i][2]) if i in stats else "0",
                seconds_label(stats[i][0]) if i in stats else "–",
                seconds_label(stats[i][1]) if i in stats else "–",
            ]
            for i, hour in enumerate(hours)
        ],
        legend=[("p50", PALETTE[0]), ("p95", PALETTE[1])],
        empty=not stats,
    )
    top_value = nice_max(max((s[1] for s in stats.values()), default=0.0))
    _frame(chart, top_value, seconds_label, tz)
    slot = (chart.right - chart.left) / HOURS
    plot_h = chart.bottom - chart.top
    for k, (name, color, dash) in enumerate((("p50", PALETTE[0], ""), ("p95", PALETTE[1], "6 3"))):
        line = Line(name, color, dash, [], [])
        run: list[str] = []
        for i, hour in enumerate(hours):
            if i not in stats:
                # No files that hour: a gap in the line, not a dip to zero.
                if run:
                    line.segments.append(" ".join(run))
                run = []
                continue
            value = stats[i][k]
            x = chart.left + slot * (i + 0.5)
            y = chart.bottom - plot_h * value / top_value
            run.append(f"{x:.1f},{y:.1f}")
            line.points.append(Point(x, y, f"{name} at {_hh(hour, tz)}: {seconds_label(value)}"))
        if run:
            line.segments.append(" ".join(run))
        chart.lines.append(line)
    return chart
