"""Property: batching changes nothing. The same random files, one at a time into one store and
in random batches into another, leave the two stores identical: stories, versions, states,
audit, receipts, quarantine, pictures, their links and picture files, and the changes
listeners heard."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from conftest import PG_URL, FakeClock, Heard, pg_schema
from picturekit import g2_package, jpeg
from wire import ninjs
from wiredesk import Desk, open_desk
from wiredesk.config import Config
from wiredesk.desk.picture_worker import PictureWorker
from wiredesk.desk.pipeline import Arrival
from wiredesk.enrich import enricher
from wiredesk.enrich.types import Place, Quote
from wiredesk.store.models import (
    AuditEntry,
    Picture,
    PictureFile,
    Quarantine,
    Receipt,
    Story,
    StoryDevelopment,
    StoryPicture,
    StoryPlace,
    StoryQuote,
    Version,
)

START = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
URIS = [f"urn:b:{i}" for i in range(4)]
# Two bodies share their lead, so a report of one event from another agency is a near-duplicate.
LEAD = " ".join(f"word{i}" for i in range(60))
# Pictures by uri, each arriving as a file of its own name (two colours: a file may change).
PICTURE_URIS = ["urn:pic:0", "urn:pic:1"]
PICTURE_FILES = [[jpeg(8, 6, (40 * i + 20 * c, 90, 120)) for c in range(2)] for i in range(2)]
File = tuple[bytes, str]  # the bytes, and the name they arrive under ("" for f<position>)


def association(picture: int, caption: str) -> dict[str, Any]:
    return {
        "uri": PICTURE_URIS[picture],
        "type": "picture",
        "description_text": caption,
        "renditions": {"original": {"href": f"p{picture}.jpg"}},
    }


def picture_item(picture: int, version: int, kind: str, embargo: int | None) -> bytes:
    """A picture's own ninjs item: its caption and status outrank the stories naming it."""
    item = {**association(picture, f"Own caption v{version}"), "version": str(version)}
    item["pubstatus"] = kind
    if embargo is not None:
        item["embargoed"] = (START + timedelta(hours=embargo)).isoformat()
    return json.dumps(item).encode()


def a_file() -> st.SearchStrategy[File]:
    story = st.builds(
        lambda uri, version, kind, embargo, body, agency, headline, picture: ninjs(
            uri,
            f"{LEAD} {body}" if body else "Plain text.",
            headline=headline,
            version=version,
            versioncreated=START + timedelta(minutes=version),
            pubstatus=kind,
            embargoed=None if embargo is None else START + timedelta(hours=embargo),
            agency=agency,
            **(
                {}
                if picture is None
                else {"associations": {"featuremedia": association(picture, headline)}}
            ),
        ),
        st.sampled_from(URIS),
        st.integers(1, 4),
        st.sampled_from(["usable", "usable", "usable", "withheld", "canceled"]),
        st.sampled_from([None, None, -1, 1, 30]),
        st.sampled_from(["", "tail one", "tail two"]),
        st.sampled_from(["PTI", "PTI", "IANS"]),
        # Few headlines and bodies: the same text under a new id comes up often.
        st.sampled_from(["Rain in Chennai", "Markets close higher"]),
        st.sampled_from([None, None, 0, 1]),
    )
    own = st.builds(
        picture_item,
        st.integers(0, 1),
        st.integers(1, 3),
        st.sampled_from(["usable", "usable", "canceled"]),
        st.sampled_from([None, None, 1]),
    )
    package = st.builds(
        lambda story, pictures, version: g2_package(
            "urn:pkg:0", story, [PICTURE_URIS[p] for p in pictures], version=version
        ),
        st.sampled_from(URIS),
        st.lists(st.integers(0, 1), min_size=1, max_size=2, unique=True),
        st.integers(1, 3),
    )
    picture_file = st.builds(
        lambda picture, colour: (PICTURE_FILES[picture][colour], f"p{picture}.jpg"),
        st.integers(0, 1),
        st.integers(0, 1),
    )
    named = st.one_of(story, story, story, own, package, st.just(b"<nitf><broken"), st.just(b""))
    return st.one_of(named.map(lambda data: (data, "")), picture_file)


@st.composite
def deliveries(draw: st.DrawFn) -> list[tuple[int, list[File]]]:
    """Groups of files, each after a clock step in minutes; a group is one batch."""
    files = draw(st.lists(a_file(), min_size=1, max_size=24))
    # Some files come again, byte for byte.
    files += draw(st.lists(st.sampled_from(files), max_size=4))
    files = draw(st.permutations(files))
    groups, at = [], 0
    while at < len(files):
        size = draw(st.integers(1, 8))
        groups.append((draw(st.sampled_from([0, 0, 30, 90])), files[at : at + size]))
        at += size
    return groups


@contextmanager
def fresh_desk(kind: str, root: Path) -> Iterator[Desk]:
    @contextmanager
    def url() -> Iterator[str]:
        if kind == "sqlite":
            yield f"sqlite:///{root / 'wiredesk.db'}"
        else:
            with pg_schema() as schema_url:
                yield schema_url

    with url() as db_url:
        desk = open_desk(Config(data_dir=root, db_url=db_url, page_cache_seconds=0))
        desk.clock = FakeClock(START)
        try:
            yield desk
        finally:
            desk.store.close()


def contents(desk: Desk) -> dict[str, Any]:
    with desk.store.session() as session:
        versions = {v.id: (v.story_id, v.version) for v in session.scalars(select(Version))}

        def story(s: Story) -> tuple[Any, ...]:
            row = {c.key: getattr(s, c.key) for c in Story.__table__.columns}
            row["current_version_id"] = versions.get(row["current_version_id"])
            return tuple(sorted(row.items()))

        return {
            "stories": [story(s) for s in session.scalars(select(Story).order_by(Story.id))],
            "pictures": [
                tuple(sorted((c.key, getattr(p, c.key)) for c in Picture.__table__.columns))
                for p in session.scalars(select(Picture).order_by(Picture.id))
            ],
            "picture_links": sorted(
                (
                    link.story_uri,
                    link.origin,
                    link.origin_version,
                    link.position,
                    link.picture_uri,
                    link.caption,
                    link.credit,
                )
                for link in session.scalars(select(StoryPicture))
            ),
            "picture_files": [
                (f.source, f.name, f.stem, f.sha256, f.received_at)
                for f in session.scalars(select(PictureFile).order_by(PictureFile.id))
            ],
            "versions": [
                (v.story_id, v.version, v.sha256, v.item, v.received_at)
                for v in session.scalars(select(Version).order_by(Version.story_id, Version.id))
            ],
            "audit": [
                (a.at, a.story_id, a.sha256, a.action, a.detail)
                for a in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
            ],
            "receipts": [
                (r.sha256, r.outcome, r.detail, r.filename)
                for r in session.scalars(select(Receipt).order_by(Receipt.id))
            ],
            "quarantine": [
                (q.sha256, q.reason)
                for q in session.scalars(select(Quarantine).order_by(Quarantine.id))
            ],
            # Derived rows (enrich/enricher.py): the same places, quotations and grouping.
            "places": sorted(
                (p.story_id, p.position, p.text, p.geonameid)
                for p in session.scalars(select(StoryPlace))
            ),
            "quotes": sorted(
                (q.story_id, q.position, q.start_offset, q.speaker_slug)
                for q in session.scalars(select(StoryQuote))
            ),
            "developments": sorted(
                sorted(ids)
                for ids in _groups(
                    session.execute(
                        select(StoryDevelopment.development_id, StoryDevelopment.story_id)
                    ).all()
                ).values()
            ),
        }


def _groups(pairs: Any) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for development, story in pairs:
        found.setdefault(development, []).append(story)
    return found


def same_either_way(
    kind: str, groups: list[tuple[int, list[bytes]]] | list[tuple[int, list[File]]]
) -> dict[str, Any]:
    """Feed the groups one file at a time and one batch per group; both stores must agree.
    After each group the picture worker checks whatever pictures arrived, in both."""
    root = Path(tempfile.mkdtemp(prefix="wd-batches-"))
    try:
        with fresh_desk(kind, root / "one") as one, fresh_desk(kind, root / "many") as many:
            heard = {id(one): Heard(), id(many): Heard()}
            for desk in (one, many):
                desk.listeners.append(heard[id(desk)])
            for step, group in groups:
                for desk in (one, many):
                    desk.clock.now += timedelta(minutes=step)  # type: ignore[attr-defined]
                pairs = [f if isinstance(f, tuple) else (f, "") for f in group]
                files = [data for data, _ in pairs]
                names = [name or f"f{i}" for i, (_, name) in enumerate(pairs)]
                # One at a time, each file a microsecond after the one before, as in a batch.
                base = one.clock.now  # type: ignore[attr-defined]
                singly = []
                for k, (data, name) in enumerate(zip(files, names, strict=True)):
                    one.clock.now = base + timedelta(microseconds=k)  # type: ignore[attr-defined]
                    singly.append(one.receive(data, source="wire", filename=name))
                one.clock.now = base  # type: ignore[attr-defined]
                together = many.receive_batch(
                    [Arrival(data, "wire", name) for data, name in zip(files, names, strict=True)]
                )
                assert [(o.outcome, o.detail) for o in singly] == [
                    (o.outcome, o.detail) for o in together
                ]
                for desk in (one, many):
                    PictureWorker(desk).drain()
            found = contents(one)
            assert found == contents(many)
            assert heard[id(one)].changes == heard[id(many)].changes
            return found
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def kind(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and not PG_URL:
        pytest.skip("PostgreSQL: set WIREDESK_TEST_PG to run this half of the suite")
    return str(request.param)


def headline_facts(item: Any) -> tuple[list[Place], list[Quote]]:
    """Stand-ins for the resolver and extractor: the same item always gives the same facts."""
    places = (
        [Place("Chennai", "dateline", 1264527, "Chennai", "IN")]
        if "Chennai" in item.headline
        else []
    )
    at = item.body_text.find("tail")
    quotes = [Quote("tail", at, at + 4, 0, 0, "Tail Speaker")] if at >= 0 else []
    return places, quotes


def test_batches_end_where_one_at_a_time_ends(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(enricher, "places_of", lambda item: headline_facts(item)[0])
    monkeypatch.setattr(enricher, "quotes_of", lambda item: headline_facts(item)[1])

    @settings(
        max_examples=25 if kind == "sqlite" else 10,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(deliveries())
    def check(groups: list[tuple[int, list[File]]]) -> None:
        same_either_way(kind, groups)

    check()


def story(uri: str, body: str, version: int = 1, **fields: Any) -> bytes:
    fields.setdefault("headline", "Rain in Chennai")
    return ninjs(
        uri, body, version=version, versioncreated=START + timedelta(minutes=version), **fields
    )


def test_an_update_and_a_kill_in_one_batch_come_out_in_arrival_order(kind: str) -> None:
    found = same_either_way(
        kind,
        [
            (0, [story("urn:k", "First.")]),
            (1, [story("urn:k", "Second.", 2), story("urn:k", "Gone.", 3, pubstatus="canceled")]),
            (1, [story("urn:k", "Back?", 4)]),
        ],
    )
    [row] = found["stories"]
    assert dict(row)["state"] == "killed"
    assert [a[3] for a in found["audit"]] == ["published", "updated", "updated", "updated"]


def test_versions_without_numbers_or_times_keep_arrival_order(kind: str) -> None:
    take = "DEL12 NAT-W0000001\nRain lashes Chennai\n\nChennai, Mar 2 (PTI) {body}\n\nPTI ABC DEF\n"
    found = same_either_way(
        kind,
        [(0, [take.format(body=f"Take {n} of the story.").encode() for n in (1, 2, 3)])],
    )
    [row] = found["stories"]
    assert "Take 3" in dict(row)["body_text"]


def test_twins_copies_and_repeats_inside_one_batch(kind: str) -> None:
    first = story("urn:t:1", "The same words.")
    found = same_either_way(
        kind,
        [
            (
                0,
                [
                    first,
                    story("urn:t:2", "The same words."),  # same text, new id: a duplicate
                    first,  # the same file again
                    story("urn:t:1", "The same words.", headline="Rain in Chennai", extra="x"),
                    story("urn:t:1", "Later words.", 2),
                    story("urn:t:3", "Later words."),  # a twin of the update just before
                    b"<nitf><broken",
                ],
            )
        ],
    )
    states = {dict(row)["uri"]: dict(row)["state"] for row in found["stories"]}
    assert states == {"urn:t:1": "published", "urn:t:2": "dropped", "urn:t:3": "dropped"}
    assert [r[1] for r in found["receipts"]] == [
        "accepted",
        "accepted",
        "duplicate",
        "accepted",
        "accepted",
        "accepted",
        "quarantined",
    ]


def test_near_duplicates_from_two_agencies_in_one_batch(kind: str) -> None:
    found = same_either_way(
        kind,
        [
            (0, [story("urn:n:1", f"{LEAD} one.", agency="PTI")]),
            (
                0,
                [
                    story("urn:n:2", f"{LEAD} two.", agency="IANS"),
                    story("urn:n:3", f"{LEAD} three.", agency="ANI"),
                ],
            ),
        ],
    )
    clusters = {dict(row)["uri"]: dict(row)["cluster_id"] for row in found["stories"]}
    assert len(set(clusters.values())) == 1 and None not in clusters.values()


def test_pictures_packages_and_picture_files_inside_one_batch(kind: str) -> None:
    pictured = {"associations": {"featuremedia": association(1, "Boats at dawn")}}
    found = same_either_way(
        kind,
        [
            (
                0,
                [
                    # A story, then a package that gives it a picture: each is heard.
                    (story("urn:b:0", "Plain text."), ""),
                    (g2_package("urn:pkg:0", "urn:b:0", [PICTURE_URIS[0]]), ""),
                    # A story naming a file that comes later in the batch, then again
                    # under the same name with other bytes, then the picture's own item.
                    (story("urn:b:1", "Other text.", **pictured), ""),
                    (PICTURE_FILES[1][0], "p1.jpg"),
                    (PICTURE_FILES[1][1], "p1.jpg"),
                    (picture_item(1, 2, "usable", None), ""),
                    (PICTURE_FILES[0][0], "p0.jpg"),
                    # The same bytes under a second name are a duplicate, and still a file.
                    (PICTURE_FILES[0][0], "copy.jpg"),
                ],
            ),
            (1, [(picture_item(0, 1, "canceled", None), "")]),
        ],
    )
    pictures = {dict(p)["uri"]: dict(p) for p in found["pictures"]}
    assert pictures["urn:pic:0"]["pubstatus"] == "canceled"
    assert (pictures["urn:pic:1"]["status"], pictures["urn:pic:1"]["caption"]) == (
        "ready",
        "Own caption v2",
    )
    assert [f[1] for f in found["picture_files"]] == ["p1.jpg", "p1.jpg", "p0.jpg", "copy.jpg"]
    assert {(link[0], link[4]) for link in found["picture_links"]} == {
        ("urn:b:0", "urn:pic:0"),
        ("urn:b:1", "urn:pic:1"),
    }
