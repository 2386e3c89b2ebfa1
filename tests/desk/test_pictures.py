"""Agency pictures end to end: fetched from a real HTTP server on loopback after the story is
live, checked, quarantined with a reason when bad, served as renditions, and withdrawn with
their stories."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from PIL import Image
from sqlalchemy import select

from conftest import FakeClock, Heard
from picturekit import (
    PictureServer,
    bomb,
    g2_package,
    g2_picture,
    jpeg,
    ninjs_with_picture,
    picture_server,
    png,
)
from sitekit import site_client
from wire import ninjs
from wiredesk import Desk
from wiredesk.desk.picture_worker import PictureWorker
from wiredesk.store.models import Picture, Quarantine, Story, StoryPicture


@pytest.fixture
def pictures_desk(desk: Desk) -> Desk:
    desk.config.pictures.private_hosts = True  # the test server is on loopback
    return desk


@pytest.fixture
def server() -> Iterator[PictureServer]:
    with picture_server() as found:
        yield found


@pytest.fixture
def site(pictures_desk: Desk) -> Iterator[httpx.Client]:
    with site_client(pictures_desk) as client:
        yield client


def bmp() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30)).save(out, "BMP")
    return out.getvalue()


def receive(desk: Desk, data: bytes, filename: str = "") -> Story:
    outcome = desk.receive(data, source="pti", filename=filename)
    story = desk.store.story(outcome.stories[0])
    assert story is not None
    return story


def work(desk: Desk) -> int:
    return PictureWorker(desk).drain()


def picture_row(desk: Desk, uri: str) -> Picture:
    with desk.store.session() as session:
        return session.scalars(select(Picture).where(Picture.uri == uri)).one()


def shown(desk: Desk, story: Story) -> list[tuple[str, str]]:
    found = desk.store.pictures([story.uri], desk.clock()).get(story.uri, [])
    return [(p.caption, p.credit) for p in found]


def page_media(site: httpx.Client, story: Story) -> list[str]:
    text = site.get(f"/{story.section}/{story.slug}").text
    return sorted(set(re.findall(r"/media/[0-9a-f]{64}/\d+\.(?:jpg|webp)", text)))


def test_a_remote_picture_is_fetched_after_the_story_is_live(
    pictures_desk: Desk, server: PictureServer, site: httpx.Client
) -> None:
    heard = Heard()
    pictures_desk.listeners.append(heard)
    href = server.put("/photos/rain.jpg", jpeg(1600, 900))
    story = receive(pictures_desk, ninjs_with_picture("urn:s:1", href))
    # Live at once, before any fetch: ingest never waits for a picture.
    assert story.state == "published" and server.hits["/photos/rain.jpg"] == 0
    assert page_media(site, story) == []
    heard.changes.clear()
    assert work(pictures_desk) == 1
    assert server.hits["/photos/rain.jpg"] == 1
    assert shown(pictures_desk, story) == [
        ("Fans shelter from the rain at Chepauk.", "Demo Photographer")
    ]
    assert [(c.story_id, c.action) for c in heard.changes] == [(story.id, "update")]
    row = picture_row(pictures_desk, "urn:s:1:picture")
    assert (row.status, row.width, row.height) == ("ready", 1600, 900)
    # Archived by sha256 like every raw file.
    assert row.sha256 in pictures_desk.store.archive
    page = site.get(f"/{story.section}/{story.slug}").text
    assert 'alt="Fans shelter from the rain at Chepauk."' in page
    assert '<span class="caption">Fans shelter from the rain at Chepauk.</span>' in page
    assert '<span class="credit">Demo Photographer</span>' in page
    assert 'width="1600" height="900"' in page


@pytest.mark.parametrize(
    ("body", "kind", "reason"),
    [
        (b"<html><body>Sorry, this photo is gone</body></html>", "text/html", "not an image"),
        (bomb(), "image/png", "decompression bomb"),
        (jpeg(1600, 900)[:2000], "image/jpeg", "damaged image"),
        (bmp(), "image/bmp", "a BMP image: pictures must be JPEG, PNG, GIF or WebP"),
        # Its 600-wide rendition would be 17000 tall: more than WebP can encode.
        (png(600, 17_000, mode="1"), "image/png", "too tall to show"),
    ],
    ids=["html", "bomb", "truncated", "bmp", "too-tall"],
)
def test_a_bad_picture_is_quarantined_and_the_story_still_publishes(
    pictures_desk: Desk,
    server: PictureServer,
    site: httpx.Client,
    body: bytes,
    kind: str,
    reason: str,
) -> None:
    href = server.put("/bad", body, kind)
    story = receive(pictures_desk, ninjs_with_picture("urn:s:bad", href))
    work(pictures_desk)
    row = picture_row(pictures_desk, "urn:s:bad:picture")
    assert row.status == "quarantined" and reason in row.reason
    with pictures_desk.store.session() as session:
        entry = session.scalars(select(Quarantine)).one()
    assert (
        entry.sha256 == row.sha256
        and reason in entry.reason
        and "urn:s:bad:picture" in entry.reason
    )
    assert pictures_desk.store.archive.get(entry.sha256) == body  # the bytes are kept
    assert site.get(f"/{story.section}/{story.slug}").status_code == 200
    assert page_media(site, story) == []


def test_an_oversized_picture_is_refused_without_reading_it_all(
    pictures_desk: Desk, server: PictureServer
) -> None:
    pictures_desk.config.pictures.max_bytes = 50_000
    big = jpeg(3000, 2000, (10, 200, 30)) + b"\x00" * 200_000
    href = server.put("/big.jpg", big)
    story = receive(pictures_desk, ninjs_with_picture("urn:s:big", href))
    work(pictures_desk)
    row = picture_row(pictures_desk, "urn:s:big:picture")
    assert row.status == "quarantined" and "larger than 50000 bytes" in row.reason
    assert story.state == "published" and shown(pictures_desk, story) == []


def test_a_failing_host_is_retried_with_backoff_then_given_up(
    pictures_desk: Desk, server: PictureServer, clock: FakeClock
) -> None:
    pictures_desk.config.pictures.attempts = 2
    href = server.put("/flaky.jpg", b"busy", "text/plain", status=503)
    receive(pictures_desk, ninjs_with_picture("urn:s:flaky", href))
    work(pictures_desk)
    row = picture_row(pictures_desk, "urn:s:flaky:picture")
    assert (row.status, row.attempts) == ("pending", 1) and "503" in row.reason
    assert work(pictures_desk) == 0  # not due yet
    clock.now += timedelta(minutes=5)
    server.put("/flaky.jpg", b"still busy", "text/plain", status=503)
    work(pictures_desk)
    row = picture_row(pictures_desk, "urn:s:flaky:picture")
    assert row.status == "quarantined" and row.reason.startswith("gave up after 2 attempts")


def test_a_transient_failure_then_success(
    pictures_desk: Desk, server: PictureServer, clock: FakeClock
) -> None:
    href = server.put("/later.jpg", b"busy", "text/plain", status=503)
    story = receive(pictures_desk, ninjs_with_picture("urn:s:later", href))
    work(pictures_desk)
    server.put("/later.jpg", jpeg(800, 600))
    clock.now += timedelta(minutes=5)
    work(pictures_desk)
    assert picture_row(pictures_desk, "urn:s:later:picture").status == "ready"
    assert len(shown(pictures_desk, story)) == 1


def test_loopback_addresses_are_refused_unless_allowed(desk: Desk, server: PictureServer) -> None:
    href = server.put("/inside.jpg", jpeg(400, 300))
    receive(desk, ninjs_with_picture("urn:s:inside", href))
    work(desk)
    row = picture_row(desk, "urn:s:inside:picture")
    assert row.status == "quarantined" and "loopback address" in row.reason
    assert "[pictures] private_hosts" in row.reason
    assert server.hits["/inside.jpg"] == 0


def test_a_name_is_judged_by_the_address_it_connects_to(desk: Desk, server: PictureServer) -> None:
    """No check of the name before the request: the connection itself goes only to an
    address that passed (transports/addresses.py), so no second lookup can differ."""
    href = server.put("/named.jpg", jpeg(400, 300)).replace("127.0.0.1", "localhost")
    receive(desk, ninjs_with_picture("urn:s:named", href))
    work(desk)
    row = picture_row(desk, "urn:s:named:picture")
    assert row.status == "quarantined" and "localhost (" in row.reason
    assert "loopback address" in row.reason and server.hits["/named.jpg"] == 0
    assert row.attempts == 1, "a refusal is final, not retried"


def test_renditions_have_the_sizes_they_claim(
    pictures_desk: Desk, server: PictureServer, site: httpx.Client
) -> None:
    story = receive(
        pictures_desk, ninjs_with_picture("urn:s:r", server.put("/r.jpg", jpeg(1600, 900)))
    )
    work(pictures_desk)
    urls = page_media(site, story)
    widths = sorted({int(u.rsplit("/", 1)[1].split(".")[0]) for u in urls})
    assert widths == [320, 640, 1024, 1600] and len(urls) == 8
    for url in urls:
        response = site.get(url)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        width, extension = url.rsplit("/", 1)[1].split(".")
        image = Image.open(io.BytesIO(response.content))
        assert image.format == {"jpg": "JPEG", "webp": "WEBP"}[extension]
        assert image.size == (int(width), round(900 * int(width) / 1600))
    sha = urls[0].split("/")[2]
    assert site.get(f"/media/{sha}/800.jpg").status_code == 404  # not an offered width
    assert site.get(f"/media/{sha}/640.png").status_code == 404
    assert site.get(f"/media/{'0' * 64}/640.jpg").status_code == 404


def test_a_small_picture_is_never_enlarged_and_keeps_its_transparency_in_webp(
    pictures_desk: Desk, site: httpx.Client
) -> None:
    pictures_desk.receive(png(500, 250), source="pti", filename="logo.png")
    story = receive(pictures_desk, ninjs_with_picture("urn:s:small", "logo.png"))
    work(pictures_desk)
    urls = page_media(site, story)
    assert sorted({u.rsplit("/", 1)[1] for u in urls}) == [
        "320.jpg",
        "320.webp",
        "500.jpg",
        "500.webp",
    ]
    webp = Image.open(io.BytesIO(site.get(next(u for u in urls if u.endswith("500.webp"))).content))
    assert webp.size == (500, 250) and webp.mode == "RGBA"


def test_a_kill_makes_the_picture_urls_answer_410(
    pictures_desk: Desk, server: PictureServer, site: httpx.Client
) -> None:
    story = receive(pictures_desk, ninjs_with_picture("urn:s:k", server.put("/k.jpg", jpeg())))
    work(pictures_desk)
    urls = page_media(site, story)
    assert urls and all(site.get(u).status_code == 200 for u in urls)
    receive(pictures_desk, ninjs("urn:s:k", "", version=2, pubstatus="canceled"))
    assert site.get(f"/{story.section}/{story.slug}").status_code == 410
    assert {site.get(u).status_code for u in urls} == {410}


def test_a_version_after_a_kill_names_no_picture(
    pictures_desk: Desk, server: PictureServer, site: httpx.Client
) -> None:
    # Found by the lifecycle machine: a kill that arrives first, then a later version with a
    # picture. The story stays killed and the picture was never shown: 404, not 410.
    image = jpeg(900, 600, (10, 120, 200))
    story = receive(pictures_desk, ninjs("urn:s:kf", "", version=1, pubstatus="canceled"))
    receive(pictures_desk, ninjs_with_picture("urn:s:kf", server.put("/kf.jpg", image), version=2))
    work(pictures_desk)
    assert site.get(f"/{story.section}/{story.slug}").status_code == 410
    assert pictures_desk.store.withdrawn_pictures() == []
    with pictures_desk.store.session() as session:
        assert session.scalars(select(StoryPicture)).all() == []


def test_an_embargoed_storys_picture_is_not_served_before_the_embargo(
    pictures_desk: Desk, server: PictureServer, site: httpx.Client, clock: FakeClock
) -> None:
    embargo = clock.now + timedelta(hours=1)
    image = jpeg(1200, 800)
    story = receive(
        pictures_desk,
        ninjs_with_picture("urn:s:e", server.put("/e.jpg", image), embargoed=embargo.isoformat()),
    )
    work(pictures_desk)
    sha = picture_row(pictures_desk, "urn:s:e:picture").sha256
    assert story.state == "embargoed"
    assert site.get(f"/media/{sha}/640.jpg").status_code == 404
    assert site.get("/").text.count(str(sha)) == 0
    clock.now = embargo
    assert site.get(f"/media/{sha}/640.jpg").status_code == 200
    assert str(sha) in site.get("/").text


def test_an_update_can_change_the_pictures(
    pictures_desk: Desk, server: PictureServer, site: httpx.Client
) -> None:
    first = server.put("/one.jpg", jpeg(800, 600, (200, 0, 0)))
    second = server.put("/two.jpg", jpeg(800, 600, (0, 200, 0)))
    story = receive(pictures_desk, ninjs_with_picture("urn:s:u", first, caption="First caption"))
    work(pictures_desk)
    old = page_media(site, story)
    receive(
        pictures_desk,
        ninjs_with_picture(
            "urn:s:u", second, caption="Second caption", picture_uri="urn:pic:two", version=2
        ),
    )
    work(pictures_desk)
    assert shown(pictures_desk, story) == [("Second caption", "Demo Photographer")]
    new = page_media(site, story)
    assert new and set(new).isdisjoint(old)
    # The old picture is no longer on any story: it is not served.
    assert site.get(old[0]).status_code == 404


def test_a_picture_killed_on_its_own_disappears_from_its_stories(
    pictures_desk: Desk, server: PictureServer, site: httpx.Client
) -> None:
    heard = Heard()
    pictures_desk.listeners.append(heard)
    href = server.put("/item.jpg", jpeg(1600, 900))
    pictures_desk.receive(g2_picture("urn:pic:item", href, caption="Own caption"), source="pti")
    story = receive(
        pictures_desk,
        ninjs_with_picture("urn:s:p", href, picture_uri="urn:pic:item", caption="Story caption"),
    )
    work(pictures_desk)
    # The picture's own item has the last word on its caption.
    assert shown(pictures_desk, story) == [("Own caption", "PTI Photo")]
    urls = page_media(site, story)
    heard.changes.clear()
    pictures_desk.receive(
        g2_picture("urn:pic:item", href, version=2, pubstatus="canceled"), source="pti"
    )
    assert shown(pictures_desk, story) == []
    assert [(c.story_id, c.action) for c in heard.changes] == [(story.id, "update")]
    assert page_media(site, story) == []
    assert {site.get(u).status_code for u in urls} == {410}
    assert site.get(f"/{story.section}/{story.slug}").status_code == 200


@pytest.mark.parametrize("order", ["package-first", "text-first", "picture-last"])
def test_a_package_ties_a_text_to_pictures_whatever_arrives_first(
    pictures_desk: Desk, server: PictureServer, order: str
) -> None:
    href = server.put("/pkg.jpg", jpeg(1024, 768))
    text = ninjs("urn:text:1", "Delhi, June 1 (PTI) Text of the story.", headline="Packaged")
    files = {
        "package": g2_package("urn:pkg:1", "urn:text:1", ["urn:pic:1"]),
        "text": text,
        "picture": g2_picture("urn:pic:1", href, caption="Packaged caption"),
    }
    sequence = {
        "package-first": ["package", "picture", "text"],
        "text-first": ["text", "package", "picture"],
        "picture-last": ["text", "package", "picture"],
    }[order]
    for name in sequence:
        pictures_desk.receive(files[name], source="pti")
        if order != "picture-last":
            work(pictures_desk)
    work(pictures_desk)
    story = next(s for s in pictures_desk.store.stories() if s.uri == "urn:text:1")
    assert shown(pictures_desk, story) == [("Packaged caption", "PTI Photo")]


@pytest.mark.parametrize("file_first", [True, False])
def test_a_picture_file_beside_the_story_is_archived_and_matched(
    pictures_desk: Desk, file_first: bool
) -> None:
    image = jpeg(900, 600)
    story_file = ninjs_with_picture("urn:s:file", "photo-7.jpg")
    if file_first:
        outcome = pictures_desk.receive(image, source="pti", filename="spool/photo-7.jpg")
        story = receive(pictures_desk, story_file)
    else:
        story = receive(pictures_desk, story_file)
        outcome = pictures_desk.receive(image, source="pti", filename="photo-7.jpg")
    assert outcome.outcome == "picture" and outcome.sha256 in pictures_desk.store.archive
    assert pictures_desk.store.quarantine() == []
    work(pictures_desk)
    assert shown(pictures_desk, story) == [
        ("Fans shelter from the rain at Chepauk.", "Demo Photographer")
    ]


def test_a_file_named_without_its_extension_matches_by_stem(pictures_desk: Desk) -> None:
    """NTB's NITF names a picture by id ("iJIJyyF0tiE"); the file arrives as iJIJyyF0tiE.jpg."""
    nitf = b"""<?xml version="1.0"?><nitf><head><docdata><doc-id id-string="ntb:1"/></docdata></head>
<body><body.head><hedline><hl1>NTB story</hl1></hedline></body.head><body.content>
<p>Text before.</p><media media-type="image"><media-reference mime-type="image/jpeg" source="iJIJyyF0tiE"/>
<media-caption> Foto: NTB / Scanpix</media-caption></media><p>Text after.</p></body.content></body></nitf>"""
    story = receive(pictures_desk, nitf)
    pictures_desk.receive(jpeg(640, 480), source="pti", filename="iJIJyyF0tiE.jpg")
    work(pictures_desk)
    assert shown(pictures_desk, story) == [("Foto: NTB / Scanpix", "")]
    assert story.body_text == "Text before.\n\nText after."
