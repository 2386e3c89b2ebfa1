from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from conftest import FakeClock
from wire import g2, ninjs
from wiredesk import Desk
from wiredesk.desk.rules import load_rules
from wiredesk.exceptions import NotFound
from wiredesk.store.models import Story

T0 = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)


def story_of(desk: Desk, data: bytes, source: str = "pti") -> Story:
    outcome = desk.receive(data, source=source)
    assert outcome.stories, outcome
    story = desk.store.story(outcome.stories[-1])
    assert story is not None
    return story


def body(desk: Desk, story: Story) -> str:
    version = desk.store.current_version(story)
    assert version is not None
    return str(version.item["body_text"])


def test_a_newer_version_replaces_the_text_in_place(desk: Desk, clock: FakeClock) -> None:
    first = story_of(desk, ninjs("urn:s", "Take one.", versioncreated=T0))
    clock.now += timedelta(minutes=5)
    second = story_of(
        desk, ninjs("urn:s", "Take two.", version=2, versioncreated=T0 + timedelta(minutes=4))
    )
    assert (second.id, second.slug, second.section) == (first.id, first.slug, first.section)
    assert body(desk, second) == "Take two."
    assert second.revised_at == clock.now
    assert second.published_at == first.published_at


def test_an_older_version_arriving_late_never_overwrites(desk: Desk) -> None:
    story_of(
        desk, ninjs("urn:s", "Version three.", version=3, versioncreated=T0 + timedelta(hours=1))
    )
    late = story_of(desk, ninjs("urn:s", "Version two.", version=2, versioncreated=T0))
    assert body(desk, late) == "Version three."
    assert late.version == "3"
    assert [v.version for v in desk.store.versions(late)] == ["3", "2"]
    assert desk.store.audit(late.id)[-1].action == "stale"


def test_opaque_reuters_versions_order_by_versioncreated(desk: Desk) -> None:
    story_of(
        desk,
        g2("tag:r", ["Later text."], version="987654321099", versioncreated="2026-06-01T11:00:00Z"),
    )
    story = story_of(
        desk,
        g2(
            "tag:r",
            ["Earlier text."],
            version="987654321100",
            versioncreated="2026-06-01T10:00:00Z",
        ),
    )
    assert body(desk, story) == "Later text."


def test_a_kill_takes_the_story_down_and_is_final(desk: Desk, clock: FakeClock) -> None:
    story_of(desk, ninjs("urn:k", "Live text.", versioncreated=T0))
    killed = story_of(
        desk,
        ninjs(
            "urn:k",
            "KILL this story.",
            version=2,
            pubstatus="canceled",
            versioncreated=T0 + timedelta(minutes=1),
        ),
    )
    assert killed.state == "killed" and killed.killed_at == clock.now
    revived = story_of(
        desk, ninjs("urn:k", "Live again?", version=3, versioncreated=T0 + timedelta(minutes=2))
    )
    assert revived.state == "killed"


def test_a_kill_applies_even_when_its_version_is_older(desk: Desk) -> None:
    story_of(desk, ninjs("urn:k2", "Text.", version=5, versioncreated=T0 + timedelta(hours=1)))
    killed = story_of(
        desk, ninjs("urn:k2", "Withdrawn.", version=4, pubstatus="canceled", versioncreated=T0)
    )
    assert killed.state == "killed"


def test_withheld_hides_until_a_usable_version(desk: Desk) -> None:
    story = story_of(desk, ninjs("urn:w", "Text.", versioncreated=T0))
    held = story_of(
        desk,
        ninjs(
            "urn:w",
            "Text.",
            version=2,
            pubstatus="withheld",
            versioncreated=T0 + timedelta(minutes=1),
        ),
    )
    assert held.state == "withheld"
    back = story_of(
        desk, ninjs("urn:w", "Text, cleared.", version=3, versioncreated=T0 + timedelta(minutes=2))
    )
    assert back.state == "published" and back.id == story.id


def test_an_embargo_holds_until_its_time_then_the_scheduler_marks_it_published(
    desk: Desk, clock: FakeClock
) -> None:
    lift = clock.now + timedelta(hours=2)
    story = story_of(desk, ninjs("urn:e", "Embargoed text.", embargoed=lift))
    assert story.state == "embargoed" and story.published_at == lift
    assert not story.is_visible(clock.now)
    assert desk.store.latest(clock.now) == []
    assert desk.release_due() == 0
    clock.now = lift
    assert story.is_visible(clock.now) and story.effective_state(clock.now) == "published"
    assert desk.release_due() == 1
    assert desk.store.story(story.id).state == "published"  # type: ignore[union-attr]
    assert desk.store.audit(story.id)[-1].action == "embargo lifted"


def test_an_embargo_in_free_text_is_held_for_review(desk: Desk) -> None:
    story = story_of(
        desk, ninjs("urn:f", "Text.", ednote="EMBARGOED UNTIL 00:01 BST THURSDAY 12 JUNE")
    )
    assert story.state == "held"
    assert "EMBARGOED UNTIL 00:01 BST" in story.reason


def test_corrections_are_flagged_from_each_signal(desk: Desk) -> None:
    from wiredesk.desk.lifecycle import is_correction
    from wiredesk.types import Item

    assert is_correction(Item(uri="a", signals=["correction"]))
    assert is_correction(Item(uri="a", headline="CORRECTED-Markets close higher"))
    assert is_correction(Item(uri="a", ednote="Eds: corrects spelling of minister's name"))
    assert not is_correction(Item(uri="a", headline="Markets close higher"))
    story = story_of(desk, g2("urn:c", ["Fixed."], version=2, signals=("sig:correction",)))
    assert story.state == "published"
    assert desk.store.audit(story.id)[-1].detail == "version 2: published; correction"


def test_same_text_under_a_new_id_from_the_same_agency_is_a_duplicate(desk: Desk) -> None:
    first = story_of(desk, ninjs("urn:d1", "The exact same wire text.", agency="PTI"))
    dupe = story_of(desk, ninjs("urn:d2", "The exact same wire text.", agency="PTI"))
    assert dupe.state == "dropped" and dupe.duplicate_of == first.id
    other_agency = story_of(desk, ninjs("urn:d3", "The exact same wire text.", agency="IANS"))
    assert other_agency.state == "published"


LONG_A = (
    "Fighting is going on between Taliban fighters and the forces of a resistance front in the Panjshir "
    "province of Afghanistan, officials said on Wednesday, adding that both sides suffered casualties."
)
LONG_B = LONG_A.replace("officials said", "officials told reporters")


@pytest.mark.parametrize(
    ("policy", "state"), [("link", "published"), ("both", "published"), ("first", "dropped")]
)
def test_near_duplicates_across_agencies_follow_the_policy(
    desk: Desk, policy: str, state: str
) -> None:
    desk.config.near_duplicates = policy
    first = story_of(desk, ninjs("urn:n1", LONG_A, headline="Panjshir fighting", agency="PTI"))
    second = story_of(desk, ninjs("urn:n2", LONG_B, headline="Panjshir fighting", agency="IANS"))
    assert second.state == state
    if policy == "both":
        assert second.cluster_id is None
    else:
        assert second.cluster_id == first.id
    unrelated = story_of(
        desk, ninjs("urn:n3", "Stocks rose in Mumbai as IT shares gained ground.", agency="ANI")
    )
    assert unrelated.cluster_id is None and unrelated.state == "published"


def test_rules_route_hold_and_drop_first_match_wins(desk: Desk) -> None:
    desk.config.rules = load_rules(
        [
            {"name": "drop horoscopes", "keyword": ["horoscope"], "action": "drop"},
            {
                "name": "sport",
                "regex": "^CRICKET",
                "section": "sport",
                "tags": ["cricket"],
                "disclaimer": "Sport note",
            },
            {"name": "hold ians", "agency": "IANS", "action": "hold"},
        ]
    )
    dropped = story_of(desk, ninjs("urn:r1", "Your horoscope for today.", agency="IANS"))
    assert dropped.state == "dropped" and "drop horoscopes" in dropped.reason
    sport = story_of(desk, ninjs("urn:r2", "A match.", slugline="CRICKET-FINAL", agency="IANS"))
    assert (sport.state, sport.section, sport.tags, sport.disclaimer) == (
        "published",
        "sport",
        ["cricket"],
        "Sport note",
    )
    held = story_of(desk, ninjs("urn:r3", "Anything else.", agency="IANS"))
    assert held.state == "held" and "hold ians" in held.reason


def test_the_hold_queue_can_be_released_or_dropped(desk: Desk, clock: FakeClock) -> None:
    desk.config.rules = load_rules([{"name": "hold all", "action": "hold"}])
    a = story_of(desk, ninjs("urn:h1", "One."))
    b = story_of(desk, ninjs("urn:h2", "Two."))
    assert [s.id for s in desk.store.held()] == [a.id, b.id]
    released = desk.release(a.id, who="editor")
    assert released.state == "published" and released.published_at == clock.now
    assert desk.drop(b.id).state == "dropped"
    with pytest.raises(NotFound):
        desk.release(b.id)
    later = story_of(desk, ninjs("urn:h1", "One, updated.", version=2))
    assert later.state == "published"  # a released story is not held again
    assert [e.action for e in desk.store.audit(a.id)] == ["published", "released", "updated"]


def test_every_decision_is_in_the_audit_log_with_its_file(desk: Desk) -> None:
    outcome = desk.receive(ninjs("urn:a", "Text."), source="pti")
    desk.receive(b"not a wire file", source="pti", filename="x.txt")
    entries = desk.store.audit()
    assert [(e.action, e.sha256 == outcome.sha256) for e in entries][0] == ("published", True)
    assert entries[-1].action == "quarantined" and "x.txt" in entries[-1].detail


def test_an_embargo_signalled_only_in_words_goes_to_the_hold_queue(desk: Desk) -> None:
    from wiredesk.desk.lifecycle import free_text_embargo
    from wiredesk.types import Item

    assert (
        free_text_embargo(Item(uri="a", signals=["embargo"], ednote="SPERRFRIST 12.00 UHR"))
        == "SPERRFRIST 12.00 UHR"
    )
    assert free_text_embargo(Item(uri="a", signals=["embargo"], embargoed=T0)) == ""
