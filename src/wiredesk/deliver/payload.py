"""What a target is handed for one outbox row: the story as it was at that version."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from wiredesk.deliver.outbox import UPSERTS
from wiredesk.deliver.pictures import Picture
from wiredesk.site.render import story_json
from wiredesk.store.models import Story
from wiredesk.types import Item


@dataclass
class Delivery:
    row_id: int
    key: str
    action: str
    story_id: int
    uri: str
    version: str
    correction: bool
    created_at: datetime
    story: Story
    # The version's item for a publish or update; None for a kill or unpublish, which must
    # never carry the text.
    item: Item | None
    url: str
    pictures: Sequence[Picture] = field(default_factory=tuple)

    @property
    def upsert(self) -> bool:
        return self.action in UPSERTS

    def ninjs(self, now: datetime) -> dict[str, Any]:
        """The story's JSON rendition (ninjs names) at this version, with the action and key."""
        head: dict[str, Any] = {"action": self.action, "idempotency_key": self.key}
        if self.item is None:
            return {
                **head,
                "id": self.story_id,
                "uri": self.uri,
                "version": self.version,
                "url": self.url,
                "state": self.story.state,
                "reason": self.story.reason,
            }
        data = story_json(self.story, self.item, now)
        data.update(
            head,
            headline=self.item.headline,
            version=self.version,
            correction=self.correction,
            url=self.url,
        )
        return data
