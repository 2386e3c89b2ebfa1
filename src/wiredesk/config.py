"""wiredesk.toml: the desk's settings, its sources and where its data lives."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from wiredesk.desk.rules import Rule, load_rules
from wiredesk.exceptions import ConfigError

DEFAULT_DISCLAIMER = (
    "This post has been auto-published from an agency feed without any modifications to the "
    "text and has not been reviewed by an editor"
)
CONFIG_NAME = "wiredesk.toml"


@dataclass
class SourceConfig:
    name: str
    agency: str = ""
    format: str = "auto"
    section: str = ""
    disclaimer: str | None = None
    transport: str = "folder"
    location: str = ""
    interval: int = 60
    enabled: bool = True
    # The environment variable that holds this source's password or push secret.
    secret_env: str = ""
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class Config:
    data_dir: Path = Path("var")
    db_url: str = ""
    site_title: str = "wiredesk"
    base_url: str = "http://127.0.0.1:8000"
    timezone: str = "UTC"
    disclaimer: str = DEFAULT_DISCLAIMER
    default_section: str = "news"
    # Public pages are cached until a change they show commits, and never longer than this
    # (0 turns the cache off).
    page_cache_seconds: float = 60.0
    sources: dict[str, SourceConfig] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    # Stories from different agencies about one event: "both", "first" or "link".
    near_duplicates: str = "link"
    near_duplicate_threshold: float = 0.7
    # A batch closes at this many files, or this many milliseconds after its first file.
    batch_files: int = 200
    batch_ms: float = 5.0

    @property
    def database_url(self) -> str:
        return self.db_url or f"sqlite:///{self.data_dir / 'wiredesk.db'}"

    @property
    def archive_dir(self) -> Path:
        return self.data_dir / "archive"

    @property
    def tz(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.timezone)
        except ZoneInfoNotFoundError as exc:
            raise ConfigError(f"unknown time zone {self.timezone!r} in [site] timezone") from exc

    def source(self, name: str) -> SourceConfig:
        return self.sources.get(name) or SourceConfig(name=name)


def load(path: Path | None = None, db: str | None = None) -> Config:
    """Read wiredesk.toml (if any); `--db` beats WIREDESK_DB beats the file."""
    path = path or Path(CONFIG_NAME)
    raw: dict[str, Any] = {}
    if path.exists():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: {exc}") from exc
    desk = raw.get("desk", {})
    site = raw.get("site", {})
    base = path.parent if path.exists() else Path(".")
    config = Config(
        data_dir=base / desk.get("data_dir", "var"),
        db_url=db or os.environ.get("WIREDESK_DB") or desk.get("db", ""),
        site_title=site.get("title", "wiredesk"),
        base_url=site.get("base_url", "http://127.0.0.1:8000"),
        timezone=site.get("timezone", "UTC"),
        page_cache_seconds=float(site.get("page_cache_seconds", 60)),
        disclaimer=desk.get("disclaimer", DEFAULT_DISCLAIMER),
        default_section=desk.get("default_section", "news"),
        near_duplicates=desk.get("near_duplicates", "link"),
        near_duplicate_threshold=float(desk.get("near_duplicate_threshold", 0.7)),
        batch_files=int(desk.get("batch_files", 200)),
        batch_ms=float(desk.get("batch_ms", 5.0)),
        rules=load_rules(raw.get("rules", [])),
    )
    if config.batch_files < 1 or config.batch_ms < 0:
        raise ConfigError(f"{path}: [desk] batch_files must be 1 or more, batch_ms 0 or more")
    if config.near_duplicates not in ("both", "first", "link"):
        raise ConfigError(f"{path}: [desk] near_duplicates must be both, first or link")
    for entry in raw.get("sources", []):
        if "name" not in entry:
            raise ConfigError(f"{path}: every [[sources]] entry needs a name")
        known = set(SourceConfig.__dataclass_fields__)
        unknown = set(entry) - known
        if unknown:
            raise ConfigError(
                f"{path}: source {entry['name']!r} has unknown keys {sorted(unknown)}"
            )
        config.sources[entry["name"]] = SourceConfig(**entry)
    config.tz  # noqa: B018 - fail early on a bad zone
    return config


TEMPLATE = f'''# wiredesk settings. Every key is optional; these are the defaults.

[desk]
data_dir = "var"            # the SQLite database and the raw archive live here
# db = "postgresql://postgres@127.0.0.1:5432/test"   # or set WIREDESK_DB
default_section = "news"
near_duplicates = "link"    # the same event from two agencies: both | first | link
batch_files = 200           # files are decided and written in batches of up to this many,
batch_ms = 5                # closed this many milliseconds after the first file arrives
disclaimer = "{DEFAULT_DISCLAIMER}"

[site]
title = "wiredesk"
base_url = "http://127.0.0.1:8000"
timezone = "UTC"
page_cache_seconds = 60     # the longest a page stays cached; any publish, update or kill
                            # drops the pages it touches at once, an embargo lifts on time

# [[sources]]
# name = "pti"
# agency = "PTI"
# format = "auto"           # or pin: nitf, newsmlg2, ninjs, feed
# section = "india"
# transport = "folder"
# location = "var/spool/pti"

# Routing rules: ordered, the first match wins. Conditions: source, agency, subject, category,
# urgency, language, keyword, regex. Actions: action (publish|hold|drop), section, disclaimer, tags.
# [[rules]]
# name = "hold sport for review"
# category = ["Sport"]
# action = "hold"
'''
