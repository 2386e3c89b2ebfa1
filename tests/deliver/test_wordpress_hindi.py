"""The Hindi seed into a real WordPress: the headline and every paragraph word for word, the
readable slug, and the post marked as Hindi."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import pytest
from deliverkit import delivering
from lxml import html
from test_wordpress import add_wordpress, live, settle, site  # noqa: F401  (fixtures)
from wpkit import Site

from seedwire_hi import HEADLINE, SEED_HI, nitf, read_seed_hi
from wiredesk import Desk
from wiredesk.deliver.targets.wordpress import wp_slug


def test_the_hindi_seed_reaches_wordpress_word_for_word(
    live: Desk,  # noqa: F811
    site: Site,  # noqa: F811
    tmp_path: Path,
) -> None:
    if live.store.url.startswith("postgresql"):
        pytest.skip("WordPress sees the story, not the database: SQLite is enough")
    seed = read_seed_hi(SEED_HI.read_text(encoding="utf-8"))
    add_wordpress(live, site)
    with delivering(live):
        outcome = live.receive(nitf(seed), source="pti", filename="hi.xml")
        story = live.store.story(outcome.stories[0])
        assert story is not None
        settle(live)
        [post] = site.posts_for(story.uri)
    assert post["title"]["raw"] == HEADLINE
    # WordPress keeps a non-Latin slug percent-encoded, in at most 200 bytes: the desk's
    # slug, shortened by whole words, with its digest.
    shortened = wp_slug(story.slug)
    assert unquote(post["slug"]) == shortened
    assert len(post["slug"]) <= 200 and shortened.startswith("पंजशीर-में-")
    kept = shortened.split("-")
    assert story.slug.split("-")[: len(kept) - 1] == kept[:-1] and story.slug.endswith(kept[-1])
    body = html.fromstring(post["content"]["raw"])
    assert body.tag == "div" and (body.get("lang"), body.get("dir")) == ("hi", "ltr")
    paragraphs = [p.text_content() for p in body.findall(".//p")]
    assert paragraphs[0] == f"काबुल/नयी दिल्ली, एक सितंबर {seed.paragraphs[0]}"
    assert paragraphs[1 : len(seed.paragraphs)] == seed.paragraphs[1:]
    rendered = post["content"]["rendered"]
    for paragraph in seed.paragraphs[1:]:
        assert paragraph in html.fromstring(rendered).text_content()
