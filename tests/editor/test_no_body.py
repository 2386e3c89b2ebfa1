"""A file with no body text (a summary-only ninjs, a headline-only feed item) is held with a
reason, never published empty; an empty update never blanks a live story."""

from __future__ import annotations

import json

from conftest import Heard
from wire import ninjs
from wiredesk import Desk
from wiredesk.desk.lifecycle import NO_BODY


def summary_only(uri: str, version: int = 1) -> bytes:
    return json.dumps(
        {
            "uri": uri,
            "version": str(version),
            "type": "text",
            "headline": "Quake hits Assam",
            "description_text": "A summary the agency sends ahead of the story.",
        }
    ).encode()


def test_a_summary_only_file_is_held_with_a_reason(desk: Desk) -> None:
    heard = Heard()
    desk.listeners.append(heard)
    story = desk.store.story(desk.receive(summary_only("urn:nb:1"), source="pti").stories[0])
    assert story is not None and story.state == "held"
    assert story.reason == f"held: {NO_BODY}"
    assert heard.changes == [], "nothing reached readers or targets"
    assert [s.id for s in desk.store.held()] == [story.id]
    # The full story that follows goes live by itself.
    desk.receive(ninjs("urn:nb:1", "Guwahati (PTI) The text.", version=2), source="pti")
    assert desk.store.story(story.id).state == "published"  # type: ignore[union-attr]
    assert [c.action for c in heard.changes] == ["publish"]


def test_an_empty_update_never_blanks_a_live_story(desk: Desk) -> None:
    story_id = desk.receive(ninjs("urn:nb:2", "Guwahati (PTI) The text."), source="pti").stories[0]
    desk.receive(summary_only("urn:nb:2", version=2), source="pti")
    story = desk.store.story(story_id)
    assert story is not None and story.state == "published"
    assert "The text." in story.body_text
    assert story.version == "1" and len(desk.store.versions(story)) == 2
    assert any(e.action == "no body" for e in desk.store.audit(story_id))
