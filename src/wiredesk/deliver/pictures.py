"""Pictures a target may carry with a story (the lead picture first).

Targets depend only on this small interface; whatever stores the agency's pictures connects
to it by passing a `PictureSource` to the delivery loop.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


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
