"""The tables. A Story is what readers see; each Version is one received revision of it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import DateTime, TypeDecorator

from wiredesk.formats.dates import aware


class UTCDateTime(TypeDecorator[datetime]):
    """Stored naive in UTC (SQLite has no zones), always handed back timezone-aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return aware(value).astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return aware(value) if value is not None else None


LIVE_STATES = ("published", "embargoed")
# Stories whose address answers 410: killed by the agency, taken down by the publisher, or
# past their licence's display period. Each has its own notice.
GONE_STATES = ("killed", "takendown", "expired")


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON()}


class RawFile(Base):
    """One distinct received file, by content; the bytes live in the archive under `sha256`."""

    __tablename__ = "raw_files"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    first_received_at: Mapped[datetime]


class Receipt(Base):
    """Every arrival of a file, even a repeat: which source, under what name, and what became of it."""

    __tablename__ = "receipts"
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("raw_files.sha256"), index=True)
    source: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime]
    outcome: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text, default="")
    # When the file reached us (landed in the spool, was fetched or pushed): wire-to-live starts here.
    landed_at: Mapped[datetime | None]

    # A source's recent arrivals: its cadence for alerts and adaptive polling.
    __table_args__ = (Index("ix_receipts_source_received", "source", "received_at"),)


class Quarantine(Base):
    """A file that could not be read, kept with a reason a person can act on."""

    __tablename__ = "quarantine"
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("raw_files.sha256"), index=True)
    source: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]


class Story(Base):
    __tablename__ = "stories"
    id: Mapped[int] = mapped_column(primary_key=True)
    uri: Mapped[str] = mapped_column(String(500), unique=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    section: Mapped[str] = mapped_column(String(100), index=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    source: Mapped[str] = mapped_column(String(200))
    agency: Mapped[str] = mapped_column(String(200), default="")
    disclaimer: Mapped[str] = mapped_column(Text, default="")
    headline: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[str] = mapped_column(String(100), default="1")
    embargoed: Mapped[datetime | None]
    firstcreated: Mapped[datetime]
    versioncreated: Mapped[datetime]
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    # The agency's time lists sort by (render.dates' published, never after it went live here).
    listed_at: Mapped[datetime | None]
    # The current version's urgency (1 most urgent): a fresh 1 or 2 is the breaking strip.
    urgency: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime]
    current_version_id: Mapped[int | None] = mapped_column(Integer)
    revised_at: Mapped[datetime | None]
    killed_at: Mapped[datetime | None]
    reason: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    text_hash: Mapped[str] = mapped_column(String(64), default="", index=True)
    duplicate_of: Mapped[int | None] = mapped_column(Integer)
    cluster_id: Mapped[int | None] = mapped_column(Integer, index=True)
    minhash: Mapped[list[int] | None] = mapped_column(JSON)
    # The current version's text, kept beside the story for search and listings.
    body_text: Mapped[str] = mapped_column(Text, default="")
    # BCP 47 tag: the file's language field, else detected from the script (desk.publish).
    language: Mapped[str] = mapped_column(String(35), default="")

    def is_visible(self, now: datetime) -> bool:
        """The Python twin of store.visible(); both must say the same."""
        return (
            self.state in LIVE_STATES and self.published_at is not None and self.published_at <= now
        )

    def effective_state(self, now: datetime) -> str:
        """An embargo whose time has come is published, whether or not the scheduler has run."""
        return "published" if self.state == "embargoed" and self.is_visible(now) else self.state

    versions: Mapped[list[Version]] = relationship(
        back_populates="story", order_by="Version.id", foreign_keys="Version.story_id"
    )

    __table_args__ = (
        Index("ix_stories_state_published", "state", "published_at"),
        Index("ix_stories_section_published", "section", "published_at"),
        Index("ix_stories_state_listed", "state", "listed_at"),
        Index("ix_stories_section_listed", "section", "listed_at"),
    )


class SlugRedirect(Base):
    """An address a story had before (a `story-<digest>` slug from before slugs kept every
    script): the site answers it with a 301 to the story's address now."""

    __tablename__ = "slug_redirects"
    old_slug: Mapped[str] = mapped_column(String(200), primary_key=True)
    story_id: Mapped[int] = mapped_column(Integer)


class Version(Base):
    """One revision as received, with the full normalised item it came from."""

    __tablename__ = "versions"
    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id"), index=True)
    version: Mapped[str] = mapped_column(String(100))
    versioncreated: Mapped[datetime]
    received_at: Mapped[datetime]
    sha256: Mapped[str] = mapped_column(ForeignKey("raw_files.sha256"))
    item: Mapped[dict[str, Any]]
    story: Mapped[Story] = relationship(back_populates="versions", foreign_keys=[story_id])

    __table_args__ = (UniqueConstraint("story_id", "version", name="uq_versions_story_version"),)


class AuditEntry(Base):
    """What the desk decided, when, why, and which file made it decide."""

    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    story_id: Mapped[int | None] = mapped_column(Integer, index=True)
    sha256: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text, default="")


class Source(Base):
    """Where copy comes from, how to fetch it, and how that has been going."""

    __tablename__ = "sources"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    agency: Mapped[str] = mapped_column(String(200), default="")
    transport: Mapped[str] = mapped_column(String(16))
    location: Mapped[str] = mapped_column(Text, default="")
    format: Mapped[str] = mapped_column(String(32), default="auto")
    interval: Mapped[int] = mapped_column(Integer, default=60)
    section: Mapped[str] = mapped_column(String(100), default="")
    disclaimer: Mapped[str | None] = mapped_column(Text)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # The name of an environment variable holding the password or push secret; never the secret.
    secret_env: Mapped[str] = mapped_column(String(100), default="")
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Transport state: ETag and Last-Modified, FTP high-water marks.
    cursor: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    next_poll_at: Mapped[datetime | None] = mapped_column(index=True)
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_expires: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    last_error_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    consecutive_errors: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    # The interval the runner polls at now: shorter while copy flows, up to max_interval while
    # it does not (desk/cadence.py). None until the first poll.
    poll_interval: Mapped[float | None] = mapped_column(Float)


class PageChange(Base):
    """A story whose pages changed (or an embargo newly set to lift by time): what every
    `serve` process reads to drop the cached pages a change affects."""

    __tablename__ = "page_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int | None] = mapped_column(Integer)
    # Set when the row announces an embargo that lifts at this instant without a transaction.
    lifts_at: Mapped[datetime | None]
    at: Mapped[datetime]


# Full-text search lives outside the ORM (see migration 0005): an FTS5 table kept by triggers
# on SQLite, a generated tsvector column with a GIN index on PostgreSQL. Schema comparisons
# leave these names alone.
SEARCH_OBJECTS = frozenset({"stories_fts", "search_vector", "ix_stories_search"})
# Both index the headline and this much of the body.
SEARCH_BODY_CHARS = 100_000


def outside_the_models(name: str | None) -> bool:
    return name is not None and (name in SEARCH_OBJECTS or name.startswith("stories_fts_"))


class AdminUser(Base):
    __tablename__ = "admin_users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    last_login_at: Mapped[datetime | None]


class ApiToken(Base):
    """An admin API token; only its sha256 is kept."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]


class AdminSession(Base):
    """A signed-in browser: the cookie carries a random id, the table only its sha256.

    Deleting the row ends the session at once (logout, password change, user removal, revoke).
    """

    __tablename__ = "admin_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    sid_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("admin_users.id"), index=True)
    token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"), index=True)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
    client: Mapped[str] = mapped_column(String(100), default="")
    user_agent: Mapped[str] = mapped_column(String(200), default="")


class LoginFailures(Base):
    """Failed sign-ins under one key (an account from one client, or one client), for the throttle.

    In the database so every process shares the count and a restart does not wipe it.
    """

    __tablename__ = "login_failures"
    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[datetime] = mapped_column(index=True)
    locked_until: Mapped[datetime | None]


class Target(Base):
    """Where stories are delivered (WordPress, a webhook, a static folder), leased like a Source."""

    __tablename__ = "targets"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    location: Mapped[str] = mapped_column(Text, default="")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # The name of an environment variable holding the password or signing secret; never the secret.
    secret_env: Mapped[str] = mapped_column(String(100), default="")
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    next_attempt_at: Mapped[datetime | None]
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_expires: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    last_error_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    consecutive_errors: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]


class OutboxRow(Base):
    """One change a target must hear, written in the transaction that made the change."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id"))
    story_id: Mapped[int] = mapped_column(Integer)
    story_uri: Mapped[str] = mapped_column(String(500))
    version: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(16))
    correction: Mapped[bool] = mapped_column(Boolean, default=False)
    # pending, done, or superseded (an older update a later kill made pointless).
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_outbox_target_state", "target_id", "state", "id"),
        Index("ix_outbox_target_story", "target_id", "story_id"),
    )


class TargetRef(Base):
    """What a target calls a story: a WordPress post id, uploaded media, and the like."""

    __tablename__ = "target_refs"
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id"), primary_key=True)
    story_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    remote_id: Mapped[str] = mapped_column(String(200), default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Picture(Base):
    """An agency picture, by its uri: where its bytes come from, what the agency said of it in
    the picture's own item, and what the desk found when it checked the bytes.

    `status`: waiting (for its own item or a file of that name), pending (to fetch from
    `href`), received (bytes archived, to check), ready (checked: shown) or quarantined.
    """

    __tablename__ = "pictures"
    id: Mapped[int] = mapped_column(primary_key=True)
    uri: Mapped[str] = mapped_column(String(500), unique=True)
    source: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(100), default="1")
    pubstatus: Mapped[str] = mapped_column(String(16), default="usable")
    embargoed: Mapped[datetime | None]
    href: Mapped[str] = mapped_column(Text, default="")
    # The file name the picture arrives under beside its story, when href is no URL.
    local_name: Mapped[str] = mapped_column(String(255), default="", index=True)
    caption: Mapped[str] = mapped_column(Text, default="")
    credit: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    sha256: Mapped[str | None] = mapped_column(ForeignKey("raw_files.sha256"), index=True)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    contenttype: Mapped[str] = mapped_column(String(100), default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    # Taken by one picture worker at a time (store/leases.py), as sources and targets are.
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_expires: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (Index("ix_pictures_status_next", "status", "next_attempt_at"),)


class StoryPicture(Base):
    """A story's picture, as the story itself or a package names it; by uri, so either may
    arrive first. The caption and credit here are the naming document's words."""

    __tablename__ = "story_pictures"
    id: Mapped[int] = mapped_column(primary_key=True)
    story_uri: Mapped[str] = mapped_column(String(500), index=True)
    picture_uri: Mapped[str] = mapped_column(String(500), index=True)
    # The story's own uri, or the package's; a newer version of it replaces its links.
    origin: Mapped[str] = mapped_column(String(500), index=True)
    origin_version: Mapped[str] = mapped_column(String(100), default="1")
    position: Mapped[int] = mapped_column(Integer, default=0)
    caption: Mapped[str] = mapped_column(Text, default="")
    credit: Mapped[str] = mapped_column(Text, default="")


class PictureFile(Base):
    """An image file that arrived through a transport, kept for the stories that name it."""

    __tablename__ = "picture_files"
    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(255))
    stem: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(ForeignKey("raw_files.sha256"))
    received_at: Mapped[datetime]

    __table_args__ = (
        Index("ix_picture_files_source_name", "source", "name"),
        Index("ix_picture_files_source_stem", "source", "stem"),
    )


class StoryTranslation(Base):
    """A uri the story's file names as the same story in another language (Item.translations):
    the site links the two, and any other translation of either, with hreflang."""

    __tablename__ = "story_translations"
    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id"), index=True)
    uri: Mapped[str] = mapped_column(String(500), index=True)


class StoryPlace(Base):
    """A place the story's dateline or location fields name, resolved or kept as text.

    Derived from the story's current version and replaced with it; never part of its text.
    """

    __tablename__ = "story_places"
    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(16))  # "dateline" or "located"
    geonameid: Mapped[int | None] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(Text, default="")
    country_code: Mapped[str] = mapped_column(String(2), default="", index=True)
    admin1: Mapped[str] = mapped_column(Text, default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)


class StoryQuote(Base):
    """A quotation in the story's current body, by offsets: the text shown is always the body's."""

    __tablename__ = "story_quotes"
    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    first_paragraph: Mapped[int] = mapped_column(Integer)
    last_paragraph: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str] = mapped_column(Text)
    speaker_slug: Mapped[str] = mapped_column(String(200), index=True)
    role: Mapped[str] = mapped_column(Text, default="")


class Development(Base):
    """A developing story: stories about one event across agencies and over time.

    Its members point at it through `StoryDevelopment`; a killed member stays in the timeline,
    shown as withdrawn without its text.
    """

    __tablename__ = "developments"
    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class StoryDevelopment(Base):
    __tablename__ = "story_developments"
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id"), primary_key=True)
    development_id: Mapped[int] = mapped_column(ForeignKey("developments.id"), index=True)
    joined_at: Mapped[datetime]


class Incident(Base):
    """Something the desk alerted people about: opened once, closed once (alerts/).

    `open_key` equals `key` while the incident is open and is NULL once closed; its unique
    index lets only one process open an incident for a key, so only one alert goes out.
    """

    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), index=True)
    open_key: Mapped[str | None] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    opened_at: Mapped[datetime] = mapped_column(index=True)
    # When the condition was last seen true; it recovers after staying clear long enough.
    last_seen_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    alert_error: Mapped[str] = mapped_column(Text, default="")
