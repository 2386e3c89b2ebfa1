"""wiredesk.toml: the desk's settings, its sources and where its data lives."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from wiredesk.desk.rules import Rule, load_rules
from wiredesk.exceptions import ConfigError

if TYPE_CHECKING:
    # Imported where used: loading it loads every parser, which `--help` must not wait for.
    from wiredesk.formats import mapped

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

    @property
    def expire_days(self) -> float | None:
        """Days the licence lets a story be shown (from the agency's first publication), or
        None: shown until killed."""
        value = self.options.get("expire_days")
        return float(value) if value not in (None, "") else None

    @property
    def mapping(self) -> mapped.Mapping | None:
        """The proprietary-XML mapping this source names; its table travels in the options."""
        from wiredesk.formats import mapped

        table = self.options.get("mapping")
        return mapped.compiled(table) if isinstance(table, dict) else None


# Keys a [[sources]] entry may set that travel in its options (and so through the database
# to every worker) rather than in columns of their own.
IN_OPTIONS = ("expire_days", "max_interval")


@dataclass
class AgencySettings:
    """[agencies.NAME]: what holds for every source of one agency unless a source says otherwise."""

    expire_days: float | None = None


@dataclass
class SectionTable:
    """[sections]: subjects and agency categories to sections; sections to WordPress
    categories (desk/sections.py has the defaults and the matching)."""

    subjects: dict[str, str] = field(default_factory=dict)
    categories: dict[str, str] = field(default_factory=dict)
    wordpress: dict[str, str] = field(default_factory=dict)
    defaults: bool = True


@dataclass
class AlertSettings:
    """[alerts]: who hears when a wire fails or goes quiet, a target fails, and when (alerts/).

    Secrets (the SMTP password, the chat webhook URL, which carries its own token) are read
    from the environment variables named here, never from the file.
    """

    email_to: list[str] = field(default_factory=list)
    email_from: str = "wiredesk@localhost"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password_env: str = ""
    smtp_starttls: bool = False
    # A Slack- or Teams-compatible incoming webhook (POST {"text": ...}); its URL in this env var.
    webhook_url_env: str = ""
    evaluate_seconds: float = 60.0
    # An incident recovers only once its condition has stayed clear this long: no storms.
    recover_after_seconds: float = 300.0
    source_fail_after: int = 3  # consecutive failed polls
    target_fail_after: int = 3  # consecutive failed delivery rounds
    target_behind_seconds: float = 300.0  # the oldest undelivered change is this old
    # Quiet: silent longer than quiet_factor x the 90th percentile gap between files seen at
    # this hour of the day over history_days, and never less than quiet_floor_minutes.
    quiet_factor: float = 4.0
    quiet_floor_minutes: float = 10.0
    quiet_min_samples: int = 20
    history_days: int = 28
    surge_count: int = 10  # quarantined files within surge_minutes
    surge_minutes: float = 15.0
    flash: bool = False  # an alert (no recovery) for every urgency-1 story that goes live

    @property
    def enabled(self) -> bool:
        return bool(self.email_to or self.webhook_url_env)


@dataclass
class Security:
    """[site] keys for who is trusted and how far: proxies, admin sessions, push uploads."""

    # Addresses or networks of TLS-terminating proxies whose X-Forwarded-Proto and
    # X-Forwarded-For are believed; from anyone else those headers are ignored.
    trusted_proxies: list[str] = field(default_factory=list)
    session_hours: float = 8.0  # an admin session ends this long after sign-in
    session_idle_minutes: float = 30.0  # or after this long without a request
    # Push bodies still being read before their signature is known, per client and overall.
    push_unverified_per_client: int = 4
    push_unverified_total: int = 16

    @classmethod
    def from_site(cls, site: dict[str, Any]) -> Security:
        known = {key: site[key] for key in cls.__dataclass_fields__ if key in site}
        security = cls(**known)
        if not isinstance(security.trusted_proxies, list):
            raise ConfigError("[site] trusted_proxies is a list of addresses or networks")
        return security


def http_location_problem(location: str) -> str | None:
    """Why `location` cannot be an HTTP source's URL, or None when it can."""
    parts = urlsplit(location)
    if parts.scheme.lower() not in ("http", "https"):
        return f"{parts.scheme or 'no scheme'}: an http source's location must be an http(s) URL"
    if not parts.hostname:
        return "an http source's location must name a host"
    return None


@dataclass
class TargetConfig:
    """Where the desk delivers: a WordPress site, a webhook URL or a static folder."""

    name: str
    kind: str = "webhook"
    location: str = ""
    enabled: bool = True
    # The environment variable that holds this target's password or signing secret.
    secret_env: str = ""
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class PictureSettings:
    """[pictures]: how agency pictures are fetched and checked (the HTTP transport's rules)."""

    max_bytes: int = 25 * 1024 * 1024
    max_pixels: int = 60_000_000
    timeout: float = 20.0
    max_seconds: float = 120.0
    per_host: int = 2
    attempts: int = 5
    # Agency copy names the URLs: by default a picture on a loopback, private or link-local
    # address (the desk's own network) is refused. Tests and intranet agencies turn this on.
    private_hosts: bool = False


@dataclass
class Config:
    data_dir: Path = Path("var")
    db_url: str = ""
    site_title: str = "wiredesk"
    # The site's own language (BCP 47): its pages' chrome, and stories that carry none.
    language: str = "en"
    # The masthead's logo: a file (SVG, PNG, JPEG or WebP); empty is wiredesk's own mark.
    site_logo: Path | None = None
    # The breaking strip shows the newest urgency 1-2 story listed this recently.
    breaking_minutes: float = 60.0
    base_url: str = "http://127.0.0.1:8000"
    timezone: str = "UTC"
    disclaimer: str = DEFAULT_DISCLAIMER
    default_section: str = "news"
    # Public pages are cached until a change they show commits, and never longer than this
    # (0 turns the cache off).
    page_cache_seconds: float = 60.0
    # The most the page cache holds in all, bodies and headers (issue 24: it had no bound).
    page_cache_bytes: int = 64 * 1024 * 1024
    sources: dict[str, SourceConfig] = field(default_factory=dict)
    targets: dict[str, TargetConfig] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    # Stories from different agencies about one event: "both", "first" or "link".
    near_duplicates: str = "link"
    near_duplicate_threshold: float = 0.7
    pictures: PictureSettings = field(default_factory=PictureSettings)
    security: Security = field(default_factory=Security)
    # A batch closes at this many files, or this many milliseconds after its first file.
    batch_files: int = 200
    batch_ms: float = 5.0
    # Stories join a developing story only with members published this recently.
    development_hours: float = 48.0
    # Per agency (as stories name it: PTI, IANS, ...), e.g. the licence's display period.
    agencies: dict[str, AgencySettings] = field(default_factory=dict)
    alerts: AlertSettings = field(default_factory=AlertSettings)
    sections: SectionTable = field(default_factory=SectionTable)

    @property
    def database_url(self) -> str:
        return self.db_url or f"sqlite:///{self.data_dir / 'wiredesk.db'}"

    @property
    def archive_dir(self) -> Path:
        return self.data_dir / "archive"

    @property
    def renditions_dir(self) -> Path:
        return self.data_dir / "renditions"

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
        language=site.get("language", "en"),
        site_logo=base / site["logo"] if site.get("logo") else None,
        breaking_minutes=float(site.get("breaking_minutes", 60)),
        base_url=site.get("base_url", "http://127.0.0.1:8000"),
        timezone=site.get("timezone", "UTC"),
        page_cache_seconds=float(site.get("page_cache_seconds", 60)),
        page_cache_bytes=int(site.get("page_cache_bytes", 64 * 1024 * 1024)),
        disclaimer=desk.get("disclaimer", DEFAULT_DISCLAIMER),
        default_section=desk.get("default_section", "news"),
        near_duplicates=desk.get("near_duplicates", "link"),
        near_duplicate_threshold=float(desk.get("near_duplicate_threshold", 0.7)),
        batch_files=int(desk.get("batch_files", 200)),
        batch_ms=float(desk.get("batch_ms", 5.0)),
        development_hours=float(desk.get("development_hours", 48.0)),
        rules=load_rules(raw.get("rules", [])),
        pictures=_pictures(path, raw.get("pictures", {})),
        security=Security.from_site(site),
    )
    if config.batch_files < 1 or config.batch_ms < 0:
        raise ConfigError(f"{path}: [desk] batch_files must be 1 or more, batch_ms 0 or more")
    if config.near_duplicates not in ("both", "first", "link"):
        raise ConfigError(f"{path}: [desk] near_duplicates must be both, first or link")
    config.agencies = _agencies(raw.get("agencies", {}), path)
    config.alerts = _alerts(path, raw.get("alerts", {}))
    config.sections = _sections(path, raw.get("sections", {}))
    mappings = _mappings(raw.get("mappings", {}), path)
    known = {"sources": set(SourceConfig.__dataclass_fields__)}
    known["targets"] = set(TargetConfig.__dataclass_fields__)
    for table, fields in known.items():
        for entry in raw.get(table, []):
            if "name" not in entry:
                raise ConfigError(f"{path}: every [[{table}]] entry needs a name")
            if table == "sources":
                entry = _with_mapping(dict(entry), mappings, path)
                entry = _into_options(entry, path)
            unknown = set(entry) - fields
            if unknown:
                raise ConfigError(
                    f"{path}: {table[:-1]} {entry['name']!r} has unknown keys {sorted(unknown)}"
                )
            if table == "targets":
                config.targets[entry["name"]] = TargetConfig(**entry)
                continue
            source = config.sources[entry["name"]] = SourceConfig(**entry)
            problem = source.transport == "http" and http_location_problem(source.location)
            if problem:
                raise ConfigError(f"{path}: source {source.name!r}: {problem}")
    config.tz  # noqa: B018 - fail early on a bad zone
    return config


def _pictures(path: Path, raw: dict[str, Any]) -> PictureSettings:
    known = set(PictureSettings.__dataclass_fields__)
    unknown = set(raw) - known
    if unknown:
        raise ConfigError(f"{path}: [pictures] has unknown keys {sorted(unknown)}")
    defaults = PictureSettings()
    try:
        return PictureSettings(**{k: type(getattr(defaults, k))(v) for k, v in raw.items()})
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{path}: [pictures]: {exc}") from exc


def _sections(path: Path, raw: Any) -> SectionTable:
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: [sections] must be a table")
    unknown = set(raw) - set(SectionTable.__dataclass_fields__)
    if unknown:
        raise ConfigError(f"{path}: [sections] has unknown keys {sorted(unknown)}")
    tables: dict[str, dict[str, str]] = {}
    for name in ("subjects", "categories", "wordpress"):
        table = raw.get(name, {})
        if not isinstance(table, dict) or not all(isinstance(v, str) and v for v in table.values()):
            raise ConfigError(f"{path}: [sections.{name}] maps names to non-empty strings")
        tables[name] = {str(k): v for k, v in table.items()}
    defaults = raw.get("defaults", True)
    if not isinstance(defaults, bool):
        raise ConfigError(f"{path}: [sections] defaults is true or false")
    return SectionTable(defaults=defaults, **tables)


def _alerts(path: Path, raw: dict[str, Any]) -> AlertSettings:
    unknown = set(raw) - set(AlertSettings.__dataclass_fields__)
    if unknown:
        raise ConfigError(f"{path}: [alerts] has unknown keys {sorted(unknown)}")
    defaults = AlertSettings()
    values: dict[str, Any] = {}
    try:
        for key, value in raw.items():
            kind = type(getattr(defaults, key))
            if kind is list:
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise ValueError(f"{key} is a list of addresses")
                values[key] = list(value)
            elif kind is bool:
                if not isinstance(value, bool):
                    raise ValueError(f"{key} is true or false")
                values[key] = value
            else:
                values[key] = kind(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{path}: [alerts]: {exc}") from exc
    return AlertSettings(**values)


def _positive(value: Any, what: str, path: Path) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = -1.0
    if isinstance(value, bool) or number <= 0:
        raise ConfigError(f"{path}: {what} must be a positive number, not {value!r}")
    return number


def _agencies(tables: Any, path: Path) -> dict[str, AgencySettings]:
    if not isinstance(tables, dict) or not all(isinstance(t, dict) for t in tables.values()):
        raise ConfigError(f"{path}: [agencies] must hold tables such as [agencies.PTI]")
    found = {}
    for name, table in tables.items():
        unknown = set(table) - set(AgencySettings.__dataclass_fields__)
        if unknown:
            raise ConfigError(f"{path}: [agencies.{name}] has unknown keys {sorted(unknown)}")
        days = table.get("expire_days")
        found[name] = AgencySettings(
            expire_days=None
            if days is None
            else _positive(days, f"[agencies.{name}] expire_days", path)
        )
    return found


def _into_options(entry: dict[str, Any], path: Path) -> dict[str, Any]:
    moved = {key: entry.pop(key) for key in IN_OPTIONS if key in entry}
    for key, value in moved.items():
        _positive(value, f"source {entry['name']!r}: {key}", path)
    if moved:
        entry["options"] = {**entry.get("options", {}), **moved}
    return entry


def _mappings(tables: Any, path: Path) -> dict[str, Any]:
    """The [mappings.NAME] tables for proprietary XML, each checked now, at start."""
    if not isinstance(tables, dict) or not all(isinstance(t, dict) for t in tables.values()):
        raise ConfigError(f"{path}: [mappings] must hold tables such as [mappings.ritzau]")
    if tables:
        # Imported only when a settings file has mappings: start-up stays cheap without.
        from wiredesk.formats import mapped

        for name, table in tables.items():
            try:
                mapped.from_table(name, table)
            except ConfigError as exc:
                raise ConfigError(f"{path}: {exc}") from exc
    return dict(tables)


def _with_mapping(entry: dict[str, Any], mappings: dict[str, Any], path: Path) -> dict[str, Any]:
    """A source's `mapping = "NAME"` resolved to its [mappings.NAME] table, which then travels
    in the source's options (and so through the database to every worker)."""
    name = entry.pop("mapping", None)
    if name is None:
        if entry.get("format") == "mapped":
            raise ConfigError(
                f"{path}: source {entry['name']!r} has format 'mapped' but no mapping"
            )
        return entry
    if isinstance(name, str) and name not in mappings:
        # The shipped mappings can be named by a source too; a table of the same name wins.
        from wiredesk.formats.mapped import BUILTIN_TABLES

        mappings = {**BUILTIN_TABLES, **mappings}
    if not isinstance(name, str) or name not in mappings:
        known = ", ".join(sorted(mappings)) or "none"
        raise ConfigError(
            f"{path}: source {entry['name']!r} names mapping {name!r}, but there is no "
            f"[mappings.{name}] table (mappings defined: {known})"
        )
    entry["options"] = {**entry.get("options", {}), "mapping": {**mappings[name], "name": name}}
    return entry


TEMPLATE = f'''# wiredesk settings. Every key is optional; these are the defaults.

[desk]
data_dir = "var"            # the SQLite database and the raw archive live here
# db = "postgresql://postgres@127.0.0.1:5432/test"   # or set WIREDESK_DB
default_section = "news"
near_duplicates = "link"    # the same event from two agencies: both | first | link
batch_files = 200           # files are decided and written in batches of up to this many,
batch_ms = 5                # closed this many milliseconds after the first file arrives
development_hours = 48      # a developing story joins stories published this recently
disclaimer = "{DEFAULT_DISCLAIMER}"

[site]
title = "wiredesk"
language = "en"             # the site's language; each story carries its own (lang, dir)
# logo = "logo.svg"         # the masthead's logo (SVG, PNG, JPEG or WebP); default: wiredesk's
breaking_minutes = 60       # an urgency 1-2 story heads every listing this long after it is sent
base_url = "http://127.0.0.1:8000"
timezone = "UTC"
page_cache_seconds = 60     # the longest a page stays cached; any publish, update or kill
                            # drops the pages it touches at once, an embargo lifts on time
page_cache_bytes = 67108864 # the most the page cache holds (64 MiB); oldest pages leave first
# trusted_proxies = ["127.0.0.1"]   # TLS-terminating proxies whose X-Forwarded-Proto/-For count
session_hours = 8           # an admin sign-in lasts at most this long
session_idle_minutes = 30   # and ends after this long without a request
push_unverified_per_client = 4   # push bodies read before their signature is checked
push_unverified_total = 16

[pictures]
max_bytes = 26214400        # a picture larger than this is refused (quarantined with a reason)
max_pixels = 60000000       # and one that decodes to more pixels (a decompression bomb)
timeout = 20                # seconds without a byte before a fetch gives up
per_host = 2                # fetches at once from one agency host
attempts = 5                # tries, with backoff, before a picture is quarantined
private_hosts = false       # fetch from loopback and private addresses too

# Per agency: a licence that allows display for a fixed time. Once a story is older than
# this (from the agency's first publication) it answers 410, leaves every listing and every
# target gets a delete; the raw file stays archived. A source's own expire_days wins.
# [agencies.PTI]
# expire_days = 30

# Alerts: a source failing or quiet for longer than usual at this hour, a quarantine surge, a
# target behind or failing. One message per incident and one recovery. See docs/desk.md.
# [alerts]
# email_to = ["desk@news.example"]
# smtp_host = "127.0.0.1"
# smtp_port = 25
# smtp_password_env = "SMTP_PASSWORD"
# webhook_url_env = "ALERT_WEBHOOK_URL"   # Slack or Teams incoming webhook

# Sections from the agency's subjects and categories (a source's own section wins). The
# desk's defaults cover IPTC top levels and common PTI, IANS, Reuters and AP categories.
# [sections.subjects]
# "medtop:20000822" = "cricket"
# [sections.categories]
# "PTI:SPORTS" = "sports"
# [sections.wordpress]       # section -> WordPress category name
# sports = "Sport"

# [[sources]]
# name = "pti"
# agency = "PTI"
# expire_days = 7           # this source's licence (default: never)
# format = "auto"           # or pin: nitf, newsmlg2, ninjs, feed
# section = "india"
# transport = "folder"
# location = "var/spool/pti"

# Delivery targets: every change readers can see goes to each enabled target, exactly once.
# Secrets only ever come from the environment variable a target names. See docs/targets.md.
# [[targets]]
# name = "cms"
# kind = "wordpress"        # wordpress | webhook | static
# location = "https://news.example/"
# secret_env = "WP_APP_PASSWORD"
# options = {{ user = "wiredesk", kill = "trash" }}

# Routing rules: ordered, the first match wins. Conditions: source, agency, subject, category,
# urgency, language, keyword, regex. Actions: action (publish|hold|drop), section, disclaimer, tags.
# [[rules]]
# name = "hold sport for review"
# category = ["Sport"]
# action = "hold"
'''
