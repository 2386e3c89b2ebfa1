"""What one batch knows and what it will write, held in memory while the lifecycle decides.

The desk loads everything a batch's items can touch (their stories by uri, those stories'
versions, stories with the same text, near-duplicate candidates) with one query each, then the
lifecycle decides item by item in arrival order against this state, exactly as if the items
had come one at a time, and the rows go out in bulk at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from wiredesk.desk import changes, media, similarity
from wiredesk.desk.changes import Change, Seen
from wiredesk.store import writes
from wiredesk.store.models import Story
from wiredesk.types import Item


@dataclass
class Fingerprint:
    text_hash: str
    signature: list[int] | None = None


@dataclass
class Batch:
    now: datetime
    near: similarity.NearDuplicates
    story_ids: Iterator[int]
    version_ids: Iterator[int]
    rows: writes.Rows = field(default_factory=writes.Rows)
    changes: list[Change] = field(default_factory=list)
    by_uri: dict[str, Story] = field(default_factory=dict)
    by_id: dict[int, Story] = field(default_factory=dict)
    versions: set[tuple[int, str]] = field(default_factory=set)
    # (text hash, agency) -> ids of stories whose current text it is.
    texts: dict[tuple[str, str], set[int]] = field(default_factory=dict)
    # Stories new in this batch, with their signatures: near-duplicate candidates for the
    # items after them, and joined to the shared index only once the batch has committed.
    indexed: list[tuple[int, list[int]]] = field(default_factory=list)
    # The pictures, links and picture files its files can touch (desk/media.py).
    pictures: media.Pictures = field(default_factory=media.Pictures)
    _mine: similarity.NearDuplicates | None = None
    _before: dict[int, dict[str, Any]] = field(default_factory=dict)
    _new: list[Story] = field(default_factory=list)
    _prints: dict[int, Fingerprint] = field(default_factory=dict)

    # ---- what the batch knows ------------------------------------------------------------

    def know(self, stories: Iterable[Story]) -> None:
        """Stories read from the store; their values now are what `rows()` compares against."""
        for story in stories:
            if story.id in self.by_id:
                continue
            self.by_id[story.id] = story
            self.by_uri[story.uri] = story
            self._before[story.id] = writes.story_row(story)
            self._index_text(story)

    def know_texts(self, found: Iterable[tuple[int, str, str]]) -> None:
        for story_id, text_hash, agency in found:
            if story_id not in self.by_id:  # a loaded story's own values win
                self.texts.setdefault((text_hash, agency), set()).add(story_id)

    def fingerprint(self, item: Item, signature: bool = False) -> Fingerprint:
        found = self._prints.get(id(item))
        if found is None:
            found = self._prints[id(item)] = Fingerprint(similarity.text_hash(item))
        if signature and found.signature is None:
            found.signature = similarity.minhash(item)
        return found

    def story(self, uri: str) -> Story | None:
        return self.by_uri.get(uri)

    def has_version(self, story_id: int, version: str) -> bool:
        return (story_id, version) in self.versions

    def twin(self, story: Story) -> int | None:
        """The first other story with this story's text from its agency."""
        ids = self.texts.get((story.text_hash, story.agency), set()) - {story.id}
        return min(ids) if ids else None

    def similar(self, signature: list[int]) -> list[int]:
        """Candidates from the shared index and from the stories new in this batch."""
        found = set(self.near.similar(signature))
        if self._mine is not None:
            found.update(self._mine.similar(signature))
        return sorted(found)

    def index(self, story_id: int, signature: list[int]) -> None:
        if self._mine is None:
            self._mine = similarity.NearDuplicates(self.near.threshold, self.near.window)
        self._mine.add(story_id, signature, self.now)
        self.indexed.append((story_id, signature))

    # ---- what the lifecycle does ---------------------------------------------------------

    def add_story(self, story: Story) -> Story:
        story.id = next(self.story_ids)
        self.by_id[story.id] = story
        self.by_uri[story.uri] = story
        self._new.append(story)
        return story

    def add_version(self, story: Story, item: Item, sha256: str) -> int:
        version_id = next(self.version_ids)
        self.versions.add((story.id, item.version))
        self.rows.versions.append(
            {
                "id": version_id,
                "story_id": story.id,
                "version": item.version,
                "versioncreated": item.versioncreated or self.now,
                "received_at": self.now,
                "sha256": sha256,
                "item": item.to_json(),
            }
        )
        return version_id

    def retext(self, story: Story, text_hash: str, agency: str) -> None:
        """The story's current text (or agency) changes: keep the same-text lookup true."""
        self._unindex_text(story)
        story.text_hash, story.agency = text_hash, agency
        self._index_text(story)

    def audit(self, story_id: int | None, sha256: str | None, action: str, detail: str) -> None:
        self.rows.audit.append(
            {
                "at": self.now,
                "story_id": story_id,
                "sha256": sha256,
                "action": action,
                "detail": detail,
            }
        )

    def note(self, change: Change | None) -> None:
        if change is not None:
            self.changes.append(change)

    def seen(self, story: Story | None) -> Seen:
        return changes.seen(story, self.now)

    # ---- the rows ----------------------------------------------------------------------

    def finish(self) -> writes.Rows:
        """The batch's story rows, new and changed; the other tables filled as it went."""
        self.rows.stories_new = [writes.story_row(s) for s in self._new]
        new_ids = {s.id for s in self._new}
        for story_id, before in self._before.items():
            if story_id in new_ids:
                continue
            changed = writes.changed_columns(before, self.by_id[story_id])
            if changed is not None:
                self.rows.stories_changed.append(changed)
        self.pictures.finish(self.rows)
        return self.rows

    def lifts(self) -> list[tuple[int | None, datetime]]:
        """Embargoes this batch set (or moved): each makes a story (or a picture) visible at
        its instant."""
        found: list[tuple[int | None, datetime]] = list(self.pictures.lifts(self.now))
        for story in self.by_id.values():
            if story.state != "embargoed" or story.published_at is None:
                continue
            before = self._before.get(story.id, {})
            if story.published_at > self.now and (
                before.get("state") != story.state
                or before.get("published_at") != story.published_at
            ):
                found.append((story.id, story.published_at))
        return found

    def regrouped(self) -> list[int]:
        """Stories that joined a cluster without a change of their own: their pages now link
        to one more report of the event."""
        return [
            story_id
            for story_id, before in self._before.items()
            if before.get("cluster_id") != self.by_id[story_id].cluster_id
        ]

    def _index_text(self, story: Story) -> None:
        if story.text_hash:
            self.texts.setdefault((story.text_hash, story.agency), set()).add(story.id)

    def _unindex_text(self, story: Story) -> None:
        self.texts.get((story.text_hash, story.agency), set()).discard(story.id)
