"""Prometheus metrics, counted where things happen and served at /metrics."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

FILES_RECEIVED = Counter(
    "wiredesk_files_received", "Files received, by source and outcome", ["source", "outcome"]
)
STORIES_PUBLISHED = Counter(
    "wiredesk_stories_published", "Stories that went live, by source", ["source"]
)
FILES_QUARANTINED = Counter(
    "wiredesk_files_quarantined", "Files sent to quarantine, by source", ["source"]
)
SOURCE_ERRORS = Counter("wiredesk_source_errors", "Failed polls, by source", ["source"])
WIRE_TO_LIVE = Histogram(
    "wiredesk_wire_to_live_seconds",
    "From a file landing to its story being live",
    ["source"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
INGEST_SECONDS = Histogram(
    "wiredesk_ingest_seconds",
    "Time to archive, parse and store one file",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
DELIVERIES = Counter(
    "wiredesk_deliveries",
    "Outbox rows a target acknowledged, by target and action",
    ["target", "action"],
)
TARGET_ERRORS = Counter(
    "wiredesk_target_errors", "Delivery rounds that failed, by target", ["target"]
)
DELIVERY_LAG = Histogram(
    "wiredesk_delivery_lag_seconds",
    "From a change committing to its target acknowledging it, by target kind",
    ["kind"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
)
