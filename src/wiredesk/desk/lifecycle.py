"""A story's life: first take, newer versions, corrections, kills, embargoes, holds, duplicates.

One function decides what an incoming item does to its story. Safety wins every tie: a kill
applies whatever its version, a killed story never comes back, and an embargo in free text is
held for a person rather than guessed at. The decisions touch only memory: the batch (see
`desk.batch`) holds the stories its items can reach and collects the rows to write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from wiredesk.config import Config, SourceConfig
from wiredesk.desk import changes, publish, similarity
from wiredesk.desk.batch import Batch
from wiredesk.desk.rules import decide
from wiredesk.store.models import Story
from wiredesk.types import Item

_FREE_TEXT_EMBARGO = re.compile(r"\bembargo(?:ed)?\b[^\n]{0,80}", re.IGNORECASE)
NO_BODY = "the file has no body text (a headline or summary only); never published empty"
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

    @property
    def finds_near_duplicates(self) -> bool:
        return self.config.near_duplicates != "both"

    def apply(self, batch: Batch, item: Item, source: SourceConfig, sha256: str) -> Applied:
        now = batch.now
        story = batch.story(item.uri)
        before = batch.seen(story)
        if story is None:
            story = self._new_story(batch, item, source)
            action = "published"
        else:
            if batch.has_version(story.id, item.version):
                return Applied(story, "unchanged")
            created = item.versioncreated or now
            newer = publish.is_newer(item.version, created, story.version, story.versioncreated)
            if item.pubstatus == "usable" and newer and not item.paragraphs and story.body_text:
                # A headline- or summary-only file must not blank a story readers have seen.
                batch.add_version(story, item, sha256)
                batch.audit(story.id, sha256, "no body", f"version {item.version}: {NO_BODY}")
                return Applied(story, "stale")
            if item.pubstatus != "canceled" and not newer:
                batch.add_version(story, item, sha256)
                batch.audit(
                    story.id,
                    sha256,
                    "stale",
                    f"version {item.version} is older than {story.version}; kept in history only",
                )
                return Applied(story, "stale")
            action = "updated"
        version_id = batch.add_version(story, item, sha256)
        previous_state = story.state
        self._make_current(batch, story, item, version_id)
        self._decide_state(batch, story, item, source, first=previous_state == "")
        detail = f"version {item.version}: {story.state}" + (
            f" ({story.reason})" if story.reason else ""
        )
        correction = is_correction(item)
        if correction:
            detail += "; correction"
        batch.audit(story.id, sha256, action, detail)
        batch.note(changes.between(before, story, now, correction=correction))
        return Applied(story, action)

    def _new_story(self, batch: Batch, item: Item, source_config: SourceConfig) -> Story:
        now = batch.now
        story = Story(
            uri=item.uri,
            slug=publish.story_slug(item),
            section=publish.section_for(item, source_config, self.config),
            source=source_config.name,
            disclaimer=source_config.disclaimer
            if source_config.disclaimer is not None
            else self.config.disclaimer,
            firstcreated=item.firstcreated or now,
            versioncreated=item.versioncreated or now,
            updated_at=now,
            state="",
            tags=[],
            agency="",
            headline="",
            version=item.version,
            body_text="",
            language="",
            text_hash="",
            reason="",
            embargoed=None,
            published_at=None,
            listed_at=None,
            urgency=None,
            current_version_id=None,
            revised_at=None,
            killed_at=None,
            duplicate_of=None,
            cluster_id=None,
            minhash=None,
        )
        return batch.add_story(story)

    def _make_current(self, batch: Batch, story: Story, item: Item, version_id: int) -> None:
        now = batch.now
        if story.current_version_id is not None:
            story.revised_at = now
        story.current_version_id = version_id
        story.version = item.version
        story.versioncreated = item.versioncreated or now
        story.headline = item.headline
        story.embargoed = item.embargoed
        story.urgency = item.urgency
        story.updated_at = now
        story.body_text = item.body_text
        story.language = publish.story_language(item)
        printed = batch.fingerprint(item, signature=True)
        batch.retext(story, printed.text_hash, item.agency)
        story.minhash = printed.signature

    def _decide_state(
        self, batch: Batch, story: Story, item: Item, source: SourceConfig, first: bool
    ) -> None:
        now = batch.now
        # Killed and dropped are final: no later version may bring the text back.
        if story.state == publish.KILLED:
            return
        if item.pubstatus == "canceled":
            story.state, story.killed_at, story.reason = publish.KILLED, now, "killed by the agency"
            return
        # An editor's takedown outranks the agency's later versions: they are kept in history
        # (and the latest is current) but shown only after a restore. Expiry is by age, which
        # no update changes.
        if story.state in (publish.DROPPED, publish.TAKEN_DOWN, publish.EXPIRED):
            return
        decision = decide(self.config.rules, item, source.name)
        if first:
            if decision.section:
                story.section = publish.section_name(decision.section)
            if decision.disclaimer is not None:
                story.disclaimer = decision.disclaimer
            story.tags = list(decision.tags)
            if self._duplicate(batch, story):
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
            if not item.paragraphs:
                story.state, story.reason = publish.HELD, f"held: {NO_BODY}"
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
        elif story.published_at is None or story.published_at > now:
            story.published_at = now
        story.listed_at = listed_at(story)

    def _duplicate(self, batch: Batch, story: Story) -> bool:
        """Exact text again under a new id from the same agency; or the same event elsewhere."""
        twin = batch.twin(story)
        if twin is not None:
            story.state, story.duplicate_of = publish.DROPPED, twin
            story.reason = f"duplicate of story {twin}: the same text under a new id"
            return True
        if story.minhash is None or not self.finds_near_duplicates:
            return False
        others = [
            s
            for s in (batch.by_id.get(i) for i in batch.similar(story.minhash))
            if s is not None
            and s.id != story.id
            and s.agency != story.agency
            and s.state not in (publish.DROPPED, publish.KILLED)
        ]
        batch.index(story.id, story.minhash)
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


def listed_at(story: Story) -> datetime | None:
    """Where lists place a story: the agency's time it is shown with (its first publication,
    or its embargo if later), but never after it went live here, so an agency clock running
    ahead cannot pin a story to the top."""
    if story.published_at is None:
        return None
    shown = story.firstcreated
    if story.embargoed is not None and story.embargoed > shown:
        shown = story.embargoed
    return min(shown, story.published_at)
