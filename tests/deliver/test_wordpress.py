"""Delivery into a real WordPress (Debian's package, php -S, MariaDB), read back over REST."""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from deliverkit import add_target, backlog, delivering, wait_until
from sqlalchemy import delete, select, update
from wpkit import Site, running_site

from picturekit import jpeg, ninjs_with_picture
from wire import ninjs
from wiredesk import Desk, open_desk
from wiredesk.commands.processes import stored
from wiredesk.config import Config, SourceConfig
from wiredesk.deliver.pictures import Picture
from wiredesk.desk.picture_worker import PictureWorker
from wiredesk.desk.rules import load_rules
from wiredesk.store import sources
from wiredesk.store.models import OutboxRow, TargetRef

T0 = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
# Everything WordPress likes to "improve" on display: quotes, dashes, ellipses, smilies,
# its own name's capital P, shortcodes, ampersands and markup-looking text.
TRICKY = (
    'Delhi, June 1 (PTI) He said "it\'s done" -- finally... :) Wordpress [gallery] '
    "R&D <b>not bold</b>."
)


def png(width: int = 4, height: int = 3) -> bytes:
    """A small valid PNG (WordPress's GD makes its sizes from it)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + b"\xc0\x30\x30" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


LEAD = Picture(png(), "flood.png", "image/png", "Flood waters in Guwahati (PTI Photo)")


def pictures(story_id: int, version: str) -> Sequence[Picture]:
    return (LEAD,)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    yield from running_site(tmp_path_factory)


@pytest.fixture
def live(config: Config, site: Site, monkeypatch: pytest.MonkeyPatch) -> Iterator[Desk]:
    monkeypatch.setenv("WP_APP_PASSWORD", site.app_password)
    config.rules = load_rules([{"name": "tag all", "keyword": ["Assam"], "tags": ["monsoon"]}])
    desk = open_desk(config)
    with desk.store.session() as session, session.begin():
        sources.upsert(
            session, SourceConfig(name="pti", section="india", agency="PTI"), desk.clock()
        )
    yield desk
    desk.store.close()


def add_wordpress(desk: Desk, site: Site, **options: object) -> None:
    add_target(
        desk,
        "cms",
        "wordpress",
        site.url,
        secret_env="WP_APP_PASSWORD",
        user=site.user,
        **options,
    )


def receive(desk: Desk, uri: str, body: str, version: int, **extra: object) -> None:
    desk.receive(
        ninjs(
            uri,
            body,
            headline='Floods "worsen" in Assam',
            version=version,
            versioncreated=T0 + timedelta(minutes=version),
            firstcreated=T0.isoformat(),
            **extra,
        ),
        source="pti",
    )


def settle(desk: Desk) -> None:
    assert wait_until(lambda: backlog(desk) == 0, timeout=60)


def test_publish_update_correction_duplicate_and_kill_make_one_post(
    live: Desk, site: Site, tmp_path: Path
) -> None:
    uri = f"urn:wp:{tmp_path.name}"
    add_wordpress(live, site)
    with delivering(live, pictures=pictures):
        receive(live, uri, TRICKY + "\n\nSecond paragraph.", 1)
        settle(live)
        [post] = site.posts_for(uri)
        assert post["status"] == "publish"
        assert post["date_gmt"] == "2026-06-01T10:00:00"
        assert post["meta"] == {
            "wiredesk_uri": uri,
            "wiredesk_version": "1",
            "wiredesk_key": f"{uri}@1:publish",
            "wiredesk_byline": "PTI",
        }
        assert post["title"]["raw"] == 'Floods "worsen" in Assam'
        assert post["title"]["rendered"] == 'Floods "worsen" in Assam'
        rendered = post["content"]["rendered"]
        # The desk takes "(PTI)" off the dateline as the credit, as on its own pages.
        shown = TRICKY.replace(" (PTI)", "")
        escaped = shown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert f"<p>{escaped}</p>" in rendered, rendered
        assert "<p>Second paragraph.</p>" in rendered
        assert (
            "Credit: PTI" in rendered
            and "Disclaimer: This post has been auto-published" in rendered
        )
        [category] = post["categories"]
        assert site.get(f"/categories/{category}").json()["slug"] == "india"
        [tag] = post["tags"]
        assert site.get(f"/tags/{tag}").json()["name"] == "monsoon"
        media = site.get(f"/media/{post['featured_media']}", context="edit").json()
        assert media["caption"]["raw"] == LEAD.caption
        assert media["mime_type"] == "image/png"

        receive(live, uri, "Delhi, June 1 (PTI) Worse now.", 2)
        receive(live, uri, "Delhi, June 1 (PTI) Worse, corrected.", 3, ednote="Corrects a toll.")
        settle(live)
        [updated] = site.posts_for(uri)
        assert updated["id"] == post["id"]
        assert updated["featured_media"] == post["featured_media"], "the picture uploaded once"
        assert "Worse, corrected." in updated["content"]["raw"]
        assert updated["meta"]["wiredesk_version"] == "3"
        modified = updated["modified_gmt"]

    # A crash after WordPress answered and before the desk noted it, twice over: the row is
    # still pending and the stored post id is gone. The re-send must find the post by meta
    # and change nothing.
    with live.store.session() as session, session.begin():
        session.execute(
            update(OutboxRow)
            .where(OutboxRow.story_uri == uri, OutboxRow.version == "3")
            .values(state="pending", delivered_at=None)
        )
        session.execute(delete(TargetRef))
    with delivering(live, pictures=pictures):
        settle(live)
        [again] = site.posts_for(uri)
        assert (again["id"], again["modified_gmt"]) == (post["id"], modified)

        receive(live, uri, "Kill.", 4, pubstatus="canceled")
        settle(live)
    [killed] = site.posts_for(uri)
    assert (killed["id"], killed["status"]) == (post["id"], "trash")
    assert killed["meta"]["wiredesk_key"] == f"{uri}@4:kill"
    public = site.get("/posts", search="Assam").json()
    assert post["id"] not in [p["id"] for p in public]


def test_a_kill_can_leave_a_draft_and_a_story_without_pictures_has_none(
    live: Desk, site: Site, tmp_path: Path
) -> None:
    uri = f"urn:wp:draft:{tmp_path.name}"
    add_wordpress(live, site, kill="draft")
    with delivering(live):
        receive(live, uri, "Delhi, June 1 (PTI) Text.", 1)
        settle(live)
        [post] = site.posts_for(uri)
        assert post["featured_media"] == 0
        receive(live, uri, "Kill.", 2, pubstatus="canceled")
        settle(live)
    [killed] = site.posts_for(uri)
    assert (killed["id"], killed["status"]) == (post["id"], "draft")


def test_a_post_gets_the_storys_own_lead_picture_as_featured_image(
    live: Desk, site: Site, tmp_path: Path
) -> None:
    """The desk's picture store behind the loop, as `run` and `worker` build it: the post is
    published before its picture is checked, and the picture follows as an update."""
    uri = f"urn:wp:pictured:{tmp_path.name}"
    name = f"lead-{tmp_path.name}.jpg"
    photo = jpeg(1200, 800, colour=(200, 60, 20))
    add_wordpress(live, site)
    with delivering(live, pictures=stored(live)):
        live.receive(
            ninjs_with_picture(uri, name, caption="Boats on the Brahmaputra."), source="pti"
        )
        settle(live)
        [post] = site.posts_for(uri)
        assert post["featured_media"] == 0, "no picture before it is checked"
        # The picture arrives beside the story, is checked, and its story is updated.
        live.receive(photo, source="pti", filename=name)
        assert PictureWorker(live).drain() == 1
        settle(live)
        [pictured] = site.posts_for(uri)
        assert pictured["id"] == post["id"] and pictured["featured_media"]
        media = site.get(f"/media/{pictured['featured_media']}", context="edit").json()
        assert media["title"]["raw"] == f"wiredesk-{hashlib.sha256(photo).hexdigest()[:16]}"
        assert media["caption"]["raw"] == "Boats on the Brahmaputra. Demo Photographer"
        assert media["mime_type"] == "image/jpeg"
        assert (media["media_details"]["width"], media["media_details"]["height"]) == (1200, 800)
        original = httpx.get(media["source_url"], timeout=30)
        assert hashlib.sha256(original.content).hexdigest() == hashlib.sha256(photo).hexdigest()
        # A new version naming the same picture keeps the attachment: uploaded once.
        live.receive(
            ninjs_with_picture(uri, name, version=2, body="Delhi, June 1 (PTI) New words."),
            source="pti",
        )
        settle(live)
        [updated] = site.posts_for(uri)
        assert updated["featured_media"] == pictured["featured_media"]
        assert "New words." in updated["content"]["raw"]
        assert updated["meta"]["wiredesk_key"] == f"{uri}@2:update"
    with live.store.session() as session:
        actions = session.scalars(
            select(OutboxRow.action).where(OutboxRow.story_uri == uri).order_by(OutboxRow.id)
        ).all()
    assert actions == ["publish", "update", "update"]


def test_posts_as_an_editor_expects(live: Desk, site: Site, tmp_path: Path) -> None:
    """Post date, author shown, comments, the picture's parent and the page's <title>."""
    uri = f"urn:wp:editor:{tmp_path.name}"
    mapped = f"urn:wp:mapped:{tmp_path.name}"
    add_wordpress(live, site, authors={"IANS": 1})
    headline = 'Floods "worsen" -- Wordpress... in Assam'
    with delivering(live, pictures=pictures):
        live.receive(
            ninjs(
                uri,
                "Delhi, June 1 (PTI) Text.",
                headline=headline,
                byline="Anjali Sharma",
                firstcreated="2026-06-01T08:30:00+00:00",
                versioncreated=T0,
            ),
            source="pti",
        )
        settle(live)
        [post] = site.posts_for(uri)
        assert post["date_gmt"] == "2026-06-01T08:30:00"
        assert (post["comment_status"], post["ping_status"]) == ("closed", "closed")
        assert post["meta"]["wiredesk_byline"] == "Anjali Sharma"
        media = site.get(f"/media/{post['featured_media']}", context="edit").json()
        assert media["post"] == post["id"], "the featured image is attached to its post"

        # An update, with a later "first created" as some feeds send: only modified moves.
        live.receive(
            ninjs(
                uri,
                "Delhi, June 1 (PTI) Text, updated.",
                headline=headline,
                byline="Anjali Sharma",
                version=2,
                firstcreated="2026-06-01T11:00:00+00:00",
                versioncreated=T0 + timedelta(hours=1),
            ),
            source="pti",
        )
        settle(live)
        [updated] = site.posts_for(uri)
        assert updated["date_gmt"] == "2026-06-01T08:30:00"
        assert updated["modified_gmt"] >= post["modified_gmt"]
        assert "Text, updated." in updated["content"]["raw"]

        # An agency mapped to a WordPress user is published as that user.
        with live.store.session() as session, session.begin():
            sources.upsert(session, SourceConfig(name="ians", agency="IANS"), live.clock())
        live.receive(ninjs(mapped, "Delhi (IANS) Text.", headline="Mapped"), source="ians")
        settle(live)
        [as_user] = site.posts_for(mapped)
        assert as_user["author"] == 1 and not as_user["meta"].get("wiredesk_byline")

    page = httpx.get(updated["link"], timeout=30, follow_redirects=True)
    assert page.status_code == 200
    title = page.text.split("<title>", 1)[1].split("</title>", 1)[0]
    escaped = headline.replace('"', "&quot;")
    assert title.startswith(escaped + " - "), title
    assert "Anjali Sharma" in page.text, "the byline is shown as the author"


def test_comments_can_be_opened(live: Desk, site: Site, tmp_path: Path) -> None:
    uri = f"urn:wp:comments:{tmp_path.name}"
    add_wordpress(live, site, comments="open")
    with delivering(live):
        receive(live, uri, "Delhi, June 1 (PTI) Text.", 1)
        settle(live)
    [post] = site.posts_for(uri)
    assert post["comment_status"] == "open"


def test_a_section_is_filed_under_its_wordpress_category(
    live: Desk, site: Site, tmp_path: Path
) -> None:
    uri = f"urn:wp:category:{tmp_path.name}"
    live.config.sections.wordpress = {"india": "India & Region"}
    add_wordpress(live, site)
    with delivering(live):
        receive(live, uri, "Delhi, June 1 (PTI) Text.", 1)
        settle(live)
    [post] = site.posts_for(uri)
    [category] = post["categories"]
    found = site.get(f"/categories/{category}").json()
    assert (found["name"], found["slug"]) == ("India &amp; Region", "india-region")
