from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from wiredesk.config import Config, SourceConfig
from wiredesk.desk import publish
from wiredesk.desk.similarity import NearDuplicates, minhash, text_hash
from wiredesk.types import Item

T0 = datetime(2026, 6, 1, tzinfo=UTC)


def _ascii_slugify(text: str, limit: int = 80) -> str:
    """slugify as it was before slugs kept every script (docs/urls.md)."""
    import re
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].rstrip("-")


def test_slugs_are_short_and_stable() -> None:
    item = Item(uri="urn:x", headline="Taliban, resistance front fighting in Panjshir — “day two”")
    slug = publish.story_slug(item)
    assert slug.startswith("taliban-resistance-front-fighting-in-panjshir-day-two-")
    assert slug == publish.story_slug(Item(uri="urn:x", headline=item.headline))
    assert publish.story_slug(Item(uri="urn:y", headline=item.headline)) != slug
    assert publish.slugify("Ünïcödé  & Co.") == "unicode-co"
    assert publish.story_slug(Item(uri="u", headline="।।")).startswith("story-")


def test_slugs_keep_every_script() -> None:
    headline = "पंजशीर में तालिबान और प्रतिरोधी मोर्चे के बीच लड़ाई जारी"
    assert publish.slugify(headline) == "पंजशीर-में-तालिबान-और-प्रतिरोधी-मोर्चे-के-बीच-लड़ाई-जारी"
    assert publish.slugify("پنجشیر میں لڑائی جاری۔") == "پنجشیر-میں-لڑائی-جاری"
    assert publish.slugify("சென்னையில் கனமழை") == "சென்னையில்-கனமழை"
    # NFD input gives the NFC slug, so one headline has one address.
    import unicodedata

    assert publish.slugify(unicodedata.normalize("NFD", headline)) == publish.slugify(headline)
    # A long one ends at a word, never inside one (a vowel sign is never cut off its letter).
    long = publish.slugify("पंजशीर " * 30)
    assert len(long) <= 80 and long.endswith("पंजशीर")


@given(st.text(max_size=300))
def test_slugify_only_ever_yields_url_safe_text(text: str) -> None:
    from urllib.parse import quote

    from wiredesk.scripts import word_marks

    slug = publish.slugify(text)
    assert len(slug) <= 80 and all(c.isalnum() or c in word_marks() or c == "-" for c in slug)
    assert not slug.startswith("-") and not slug.endswith("-") and "--" not in slug
    assert "/" not in slug and "?" not in slug and "#" not in slug
    assert quote(slug, safe="-").isascii()


@given(st.text(st.characters(max_codepoint=0x24F) | st.sampled_from("’–—“”…"), max_size=200))
def test_latin_slugs_are_what_they_were(text: str) -> None:
    assert publish.slugify(text) == _ascii_slugify(text)


def test_sections_come_from_the_source_then_the_category_then_the_default() -> None:
    config = Config()
    item = Item(uri="u", category="World News")
    assert publish.section_for(item, SourceConfig(name="s", section="india"), config) == "india"
    assert publish.section_for(item, SourceConfig(name="s"), config) == "world-news"
    assert publish.section_for(Item(uri="u"), SourceConfig(name="s"), config) == "news"


def test_states() -> None:
    assert publish.state_for(Item(uri="u", pubstatus="canceled"), T0) == "killed"
    assert publish.state_for(Item(uri="u", pubstatus="withheld"), T0) == "withheld"
    assert publish.state_for(Item(uri="u", embargoed=T0 + timedelta(seconds=1)), T0) == "embargoed"
    assert publish.state_for(Item(uri="u", embargoed=T0), T0) == "published"


def test_version_order() -> None:
    assert publish.is_newer("3", T0, "2", T0 + timedelta(hours=1))  # numbers beat clocks
    assert not publish.is_newer("2", T0 + timedelta(hours=1), "3", T0)
    opaque_a, opaque_b = "987654321099", "987654321100"  # Reuters: order by time
    assert publish.is_newer(opaque_a, T0 + timedelta(minutes=1), opaque_b, T0)
    assert not publish.is_newer("1", T0, "1", T0)


def test_fingerprints_fold_case_and_spacing_only() -> None:
    a = Item(uri="a", headline="Rain", body_text="Heavy  rain in\nChennai.")
    b = Item(uri="b", headline="rain", body_text="heavy rain in Chennai.")
    c = Item(uri="c", headline="Rain", body_text="Heavy rain in Mumbai.")
    assert text_hash(a) == text_hash(b) != text_hash(c)
    index = NearDuplicates(0.7)
    index.add(1, minhash(a))
    assert index.similar(minhash(b)) == [1]
    assert (
        index.similar(
            minhash(Item(uri="d", body_text="Stocks rose sharply on Monday in Tokyo trading."))
        )
        == []
    )


def test_signatures_are_datasketchs_so_stored_ones_stay_comparable() -> None:
    import zlib

    from datasketch import MinHash

    from wiredesk.desk.similarity import _shingles

    for body in (
        "Rain.",
        "Heavy rain in Chennai on Monday.",
        " ".join(f"w{i}é" for i in range(900)),
    ):
        item = Item(uri="x", headline="Rain", body_text=body)
        reference = MinHash(num_perm=64, seed=7, scheme="affine32", hashfunc=zlib.crc32)
        reference.update_batch(list(_shingles(item)))
        assert minhash(item) == [int(v) for v in reference.hashvalues]
