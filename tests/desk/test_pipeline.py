from __future__ import annotations

import hashlib

from wire import ninjs
from wiredesk import Desk
from wiredesk.store.models import Quarantine, Receipt, Story, Version


def test_a_file_is_archived_byte_for_byte_before_it_is_parsed(desk: Desk) -> None:
    data = b"\xff\xfe garbage that no parser reads \x00\x01"
    outcome = desk.receive(data, source="pti", filename="junk.bin")
    assert outcome.outcome == "quarantined"
    assert outcome.sha256 == hashlib.sha256(data).hexdigest()
    assert desk.store.archive.get(outcome.sha256) == data


def test_the_same_file_twice_changes_nothing(desk: Desk) -> None:
    data = ninjs("urn:t:1", "Delhi, June 1 (PTI) Body.")
    first = desk.receive(data, source="pti")
    before = [(s.id, s.state, s.version, s.updated_at) for s in desk.store.stories()]
    second = desk.receive(data, source="pti")
    assert (first.outcome, second.outcome) == ("accepted", "duplicate")
    assert [(s.id, s.state, s.version, s.updated_at) for s in desk.store.stories()] == before
    assert desk.store.count(Version) == 1
    assert desk.store.count(Receipt) == 2  # every arrival is on record


def test_the_same_item_in_a_different_file_is_a_no_op(desk: Desk) -> None:
    desk.receive(ninjs("urn:t:1", "Body."), source="pti")
    again = desk.receive(
        ninjs("urn:t:1", "Body.", headline="A headline", extra_field="x"), source="pti"
    )
    assert again.outcome == "accepted" and again.detail == "unchanged"
    assert desk.store.count(Version) == 1


def test_a_malformed_file_is_quarantined_and_the_next_one_published(desk: Desk) -> None:
    bad = desk.receive(b"<nitf><head><title>cut off", source="pti", filename="bad.xml")
    good = desk.receive(
        ninjs("urn:t:2", "Chennai, May 30 (PTI) Good text."), source="pti", filename="good.json"
    )
    assert bad.outcome == "quarantined"
    assert "not well-formed XML" in bad.detail
    [entry] = desk.store.quarantine()
    assert isinstance(entry, Quarantine)
    assert (entry.filename, entry.source, entry.sha256) == ("bad.xml", "pti", bad.sha256)
    assert entry.reason == bad.detail
    story = desk.store.story(good.stories[0])
    assert story is not None and story.state == "published"


def test_every_receipt_records_what_became_of_the_file(desk: Desk) -> None:
    desk.receive(ninjs("urn:t:3", "Text."), source="ians", filename="a.json")
    desk.receive(b"", source="ians", filename="empty.json")
    receipts = desk.store.receipts()
    assert [(r.filename, r.outcome) for r in receipts] == [
        ("a.json", "accepted"),
        ("empty.json", "quarantined"),
    ]


def test_source_settings_decide_agency_section_and_disclaimer(desk: Desk) -> None:
    from wiredesk.config import SourceConfig

    desk.config.sources["pti"] = SourceConfig(
        name="pti", agency="PTI", section="india", disclaimer="Custom note"
    )
    outcome = desk.receive(ninjs("urn:t:4", "Text.", agency="Someone Else"), source="pti")
    story = desk.store.story(outcome.stories[0])
    assert isinstance(story, Story)
    # The file's own credit wins, as on a real desk; the source's agency fills in otherwise.
    assert (story.agency, story.section, story.disclaimer) == (
        "Someone Else",
        "india",
        "Custom note",
    )
    uncredited = desk.receive(ninjs("urn:t:4b", "Text, again."), source="pti")
    story = desk.store.story(uncredited.stories[0])
    assert isinstance(story, Story) and story.agency == "PTI"


def test_the_default_disclaimer_is_the_seed_sentence_without_a_final_period(desk: Desk) -> None:
    outcome = desk.receive(ninjs("urn:t:5", "Text."), source="x")
    story = desk.store.story(outcome.stories[0])
    assert story is not None
    assert story.disclaimer == (
        "This post has been auto-published from an agency feed without any modifications to the text "
        "and has not been reviewed by an editor"
    )


def test_slugs_are_stable_and_unique(desk: Desk) -> None:
    a = desk.receive(ninjs("urn:t:6", "One.", headline="Same headline"), source="x")
    b = desk.receive(ninjs("urn:t:7", "Two.", headline="Same headline"), source="x")
    c = desk.receive(
        ninjs("urn:t:6", "One, revised.", headline="New headline", version=2), source="x"
    )
    slugs = {i: desk.store.story(i).slug for i in (a.stories[0], b.stories[0])}  # type: ignore[union-attr]
    assert len(set(slugs.values())) == 2
    assert all(s.startswith("same-headline-") for s in slugs.values())
    assert desk.store.story(c.stories[0]).slug == slugs[a.stories[0]]  # type: ignore[union-attr]


def test_a_batch_decides_each_file_as_one_at_a_time_would(desk: Desk) -> None:
    good = ninjs("urn:b:1", "Delhi, June 1 (PTI) First take.")
    update = ninjs("urn:b:1", "Delhi, June 1 (PTI) Second take.", version=2)
    files = [
        (good, "a.json"),
        (b"<nitf><broken", "bad.xml"),
        (good, "again.json"),
        (update, "b.json"),
    ]
    outcomes = desk.receive_many(files, source="pti")
    assert [o.outcome for o in outcomes] == ["accepted", "quarantined", "duplicate", "accepted"]
    assert outcomes[3].detail == "updated"
    [story] = desk.store.stories()
    assert story.version == "2" and story.state == "published"
    assert all(desk.store.archive.get(o.sha256) for o in outcomes)
    assert [r.filename for r in desk.store.receipts()] == [
        "a.json",
        "bad.xml",
        "again.json",
        "b.json",
    ]
    assert desk.receive_many([], source="pti") == []
