"""Pictures a target may carry with a story (the lead picture first).

Targets depend only on this small interface; whatever stores the agency's pictures connects
to it by passing a `PictureSource` to the delivery loop: `run` and `worker` pass
`StoredPictures`, the desk's own (desk/media.py, store.pictures()).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from wiredesk.formats.pictures import image_type

if TYPE_CHECKING:
    from wiredesk.store import Store


@dataclass(frozen=True)
class Picture:
    data: bytes
    filename: str
    content_type: str
    caption: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


class PictureSource(Protocol):
    def __call__(self, story_id: int, version: str) -> Sequence[Picture]: ...


def no_pictures(story_id: int, version: str) -> Sequence[Picture]:
    return ()


class StoredPictures:
    """The desk's own pictures for a target: the story's lead picture as the site shows it
    (checked, not killed, its embargo over), with the archived bytes the agency sent.

    Delivery happens after the change it carries, so the picture is the one shown when the
    target is reached: a picture that is checked later sends an update of its own.
    """

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock

    def __call__(self, story_id: int, version: str) -> Sequence[Picture]:
        story = self.store.story(story_id)
        if story is None:
            return ()
        shown = self.store.pictures([story.uri], self.clock()).get(story.uri, [])
        if not shown:
            return ()
        lead = shown[0]
        try:
            data = self.store.archive.get(lead.sha256)
        except FileNotFoundError:
            return ()
        content_type = image_type(data) or "application/octet-stream"
        extension = content_type.rpartition("/")[2].replace("jpeg", "jpg")
        caption = " ".join(part for part in (lead.caption, lead.credit) if part)
        return (Picture(data, f"{story.slug}.{extension}", content_type, caption),)
