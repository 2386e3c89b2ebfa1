"""Media RSS: a media:description captions its picture or video, and never becomes the text.

feedparser files media:description as the entry's content or summary depending on where it
stands; the item's own content:encoded or description is its text.
"""

from __future__ import annotations

from conftest import FIXTURES
from wiredesk.formats import parse


def test_video_and_picture_captions_never_replace_the_story() -> None:
    parsed = parse((FIXTURES / "dialects" / "media-rss-feed.xml").read_bytes())
    assert parsed.format == "feed"
    bridge, ferry = parsed.items
    assert bridge.paragraphs == [
        "The Elbe bridge at Dömitz was closed on Tuesday after a barge struck one of its piers.",
        "Engineers were inspecting the pier, the district said.",
        "Traffic is diverted through Lenzen.",
    ]
    captions = [p.caption for p in bridge.pictures]
    assert "A police boat beside the bridge at Dömitz on Tuesday." in captions
    # content:encoded is the fullest text; the teaser and the caption are not it.
    assert ferry.paragraphs == [
        "The ferry between Glückstadt and Wischhafen sails every 40 minutes from Monday.",
        "It used to sail every 30 minutes.",
    ]
    assert [p.caption for p in ferry.pictures] == ["The ferry leaving Glückstadt."]


def test_atom_entries_keep_their_own_content_and_summary() -> None:
    data = b"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">
<title>Agency</title><id>urn:feed</id><updated>2026-01-01T00:00:00Z</updated>
<entry><title>One</title><id>urn:one</id><updated>2026-01-01T00:00:00Z</updated>
<media:content url="https://news.example/1.jpg" medium="image">
<media:description>Caption one.</media:description></media:content>
<summary type="text">Summary  one.</summary></entry>
<entry><title>Two</title><id>urn:two</id><updated>2026-01-01T00:00:00Z</updated>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Two <b>bold</b>.</p><p>Three.</p></div></content>
<media:group><media:content url="https://news.example/2.jpg"/><media:description>Caption two.</media:description></media:group>
</entry></feed>"""
    one, two = parse(data).items
    assert one.body_text == "Summary  one."
    assert two.paragraphs == ["Two bold.", "Three."]
