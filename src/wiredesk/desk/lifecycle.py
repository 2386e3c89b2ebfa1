"""A story's life: first take, newer versions, corrections, kills, embargoes, holds, duplicates.

One function decides what an incoming item does to its story. Safety wins every tie: a kill
applies whatever its version, a killed story never comes back, and an embargo in free text is
held for a person rather than guessed at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from wiredesk.config import Config, SourceConfig
from wiredesk.desk import changes, publish, similarity
from wiredesk.desk.rules import decide
from wiredesk.store.models import AuditEntry, Story, Version
from wiredesk.types import Item

_FREE_TEXT_EMBARGO = re.compile(r"\bembargo(?:ed)?\b[^\n]{0,80}", re.IGNORECASE)
_CORRECTION_NOTE = re.compile(r"\bcorrect(?:s|ed|ion)\b", re.IGNORECASE)


def is_correction(item: Item) -> bool:
    return (
        any(
            signal.rsplit(":", 1)[-1].lower() in ("correction", "corrected")
            for signal in item.signals
        )
        or item.headline.upper().startswith("CORRECTED-")
        or bool(_CORRECTION_NOTE.search(item.ednote))
    )


def free_text_embargo(item: Item) -> str:
    """An embargo stated only in words ("EMBARGOED UNTIL 00:01 BST"), which no clock can honour."""
    if item.embargoed is not None:
        return ""
    if "embargo" in item.signals:
        return item.ednote.splitlines()[0] if item.ednote else "the agency marked it embargoed"
    first = item.paragraphs[0] if item.paragraphs else ""
    for text in (item.ednote, item.headline, first):
        match = _FREE_TEXT_EMBARGO.search(text)
        if match:
            return match.group(0).strip()
    return ""


@dataclass
class Applied:
    story: Story
    action: str


class Lifecycle:
    def __init__(self, config: Config, near: similarity.NearDuplicates) -> None:
        self.config = config
        self.near = near

    def apply(
        self, session: Session, item: Item, source: SourceConfig, sha256: str, now: datetime
    ) -> Applied:
        story = session.scalars(select(Story).where(Story.uri == item.uri)).one_or_none()
        before = changes.seen(story, now)
        if story is None:
            story = self._new_story(session, item, source, now)
            action = "published"
        else:
            known = select(Version.id).where(
                Version.story_id == story.id, Version.version == item.version
            )
            if session.scalars(known).first() is not None:
                return Applied(story, "unchanged")
            created = item.versioncreated or now
            newer = publish.is_newer(item.version, created, story.version, story.versioncreated)
            if item.pubstatus != "canceled" and not newer:
                self._version(session, story, item, sha256, now)
                self._audit(
                    session,
                    story,
                    sha256,
                    now,
                    "stale",
                    f"version {item.version} is older than {story.version}; kept in history only",
                )
                return Applied(story, "stale")
            action = "updated"
        version = self._version(session, story, item, sha256, now)
        previous_state = story.state
        self._make_current(story, item, version, now)
        self._decide_state(session, story, item, source, now, first=previous_state == "")
        detail = f"version {item.version}: {story.state}" + (
            f" ({story.reason})" if story.reason else ""
        )
        correction = is_correction(item)
        if correction:
            detail += "; correction"
        self._audit(session, story, sha256, now, action, detail)
        changes.note(session, changes.between(before, story, now, correction=correction))
        return Applied(story, action)

    def _new_story(
        self, session: Session, item: Item, source_config: SourceConfig, now: datetime
    ) -> Story:
        created = item.versioncreated or now
        story = Story(
            uri=item.uri,
            slug=publish.story_slug(item),
            section=publish.section_for(item, source_config, self.config),
            source=source_config.name,
            disclaimer=source_config.disclaimer
            if source_config.disclaimer is not None
            else self.config.disclaimer,
            firstcreated=item.firstcreated or now,
            versioncreated=created,
            updated_at=now,
            state="",
            tags=[],
        )
        session.add(story)
        session.flush()
        return story

    def _make_current(self, story: Story, item: Item, version: Version, now: datetime) -> None:
        if story.current_version_id is not None:
            story.revised_at = now
        story.current_version_id = version.id
        story.version = item.version
        story.versioncreated = item.versioncreated or now
        story.headline = item.headline
        story.agency = item.agency
        story.embargoed = item.embargoed
        story.updated_at = now
        story.body_text = item.body_text
        story.text_hash = similarity.text_hash(item)
        story.minhash = similarity.minhash(item)

    def _decide_state(
        self,
        session: Session,
        story: Story,
        item: Item,
        source: SourceConfig,
        now: datetime,
        first: bool,
    ) -> None:
        # Killed and dropped are final: no later version may bring the text back.
        if story.state == publish.KILLED:
            return
        if item.pubstatus == "canceled":
            story.state, story.killed_at, story.reason = publish.KILLED, now, "killed by the agency"
            return
        if story.state == publish.DROPPED:
            return
        decision = decide(self.config.rules, item, source.name)
        if first:
            if decision.section:
                story.section = decision.section
            if decision.disclaimer is not None:
                story.disclaimer = decision.disclaimer
            story.tags = list(decision.tags)
            if self._duplicate(session, story, now):
                return
        if decision.action == "drop":
            story.state, story.reason = publish.DROPPED, f"dropped by rule {decision.rule!r}"
            return
        if item.pubstatus == "withheld":
            story.state, story.reason = publish.WITHHELD, "withheld by the agency"
            return
        # Once a story has gone live (or an editor released it), later versions are not re-held.
        if story.published_at is None:
            embargo_words = free_text_embargo(item)
            if decision.action == "hold":
                story.state, story.reason = publish.HELD, f"held by rule {decision.rule!r}"
                return
            if embargo_words:
                story.state, story.reason = (
                    publish.HELD,
                    f"held for review: embargo in free text: {embargo_words!r}",
                )
                return
        self.go_live(story, item, now)

    def go_live(self, story: Story, item: Item, now: datetime) -> None:
        """Published now, or at its embargo time; also where an editor's hold release lands."""
        story.reason = ""
        if story.published_at is None or story.published_at > now:
            # Never public until now, so no link breaks; and a withheld or held first
            # version's headline must not live on in the address.
            story.slug = publish.story_slug(item)
        story.state = publish.state_for(item, now)
        if story.state == publish.EMBARGOED:
            # Visible by itself at that instant: every reader query asks published_at <= now.
            story.published_at = item.embargoed
            return
        if story.published_at is None or story.published_at > now:
            story.published_at = now

    def _duplicate(self, session: Session, story: Story, now: datetime) -> bool:
        """Exact text again under a new id from the same agency; or the same event elsewhere."""
        twin = session.scalars(
            select(Story)
            .where(
                Story.text_hash == story.text_hash,
                Story.agency == story.agency,
                Story.id != story.id,
            )
            .order_by(Story.id)
        ).first()
        if twin is not None:
            story.state, story.duplicate_of = publish.DROPPED, twin.id
            story.reason = f"duplicate of story {twin.id}: the same text under a new id"
            return True
        if story.minhash is None or self.config.near_duplicates == "both":
            return False
        self._fill_index(session, now)
        others = [
            s
            for s in (session.get(Story, i) for i in self.near.similar(story.minhash))
            if s is not None
            and s.id != story.id
            and s.agency != story.agency
            and s.state not in (publish.DROPPED, publish.KILLED)
        ]
        self.near.add(story.id, story.minhash)
        if not others:
            return False
        first = min(others, key=lambda s: s.id)
        story.cluster_id = first.cluster_id or first.id
        first.cluster_id = story.cluster_id
        if self.config.near_duplicates == "first":
            story.state, story.duplicate_of = publish.DROPPED, first.id
            story.reason = (
                f"near-duplicate of story {first.id} from {first.agency}; policy keeps the first"
            )
            return True
        return False

    def _fill_index(self, session: Session, now: datetime) -> None:
        if self.near.filled:
            return
        recent = select(Story.id, Story.minhash).where(
            Story.minhash.is_not(None), Story.updated_at >= now - similarity.WINDOW
        )
        for story_id, signature in session.execute(recent):
            if signature:
                self.near.add(story_id, signature)
        self.near.filled = True

    @staticmethod
    def _version(session: Session, story: Story, item: Item, sha256: str, now: datetime) -> Version:
        version = Version(
            story_id=story.id,
            version=item.version,
            versioncreated=item.versioncreated or now,
            received_at=now,
            sha256=sha256,
            item=item.to_json(),
        )
        session.add(version)
        session.flush()
        return version

    @staticmethod
    def _audit(
        session: Session, story: Story, sha256: str | None, now: datetime, action: str, detail: str
    ) -> None:
        session.add(
            AuditEntry(at=now, story_id=story.id, sha256=sha256, action=action, detail=detail)
        )
