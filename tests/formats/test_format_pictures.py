"""Pictures in each format, on the project's own fixtures: renditions, captions verbatim
(mixed content included), credits, picture items, packages and picture files."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from picturekit import g2_package, g2_picture, jpeg, png
from wiredesk.formats import parse
from wiredesk.formats.pictures import image_type, local_name

G2 = "http://iptc.org/std/nar/2006-10-01/"


def test_a_g2_picture_item_takes_its_largest_rendition_caption_and_credit() -> None:
    parsed = parse(g2_picture("urn:pic:1", "https://photos.example/1.jpg", caption="A caption"))
    (picture,) = parsed.pictures
    assert parsed.items == [] and parsed.skipped == []
    assert (picture.uri, picture.href, picture.width, picture.height) == (
        "urn:pic:1",
        "https://photos.example/1.jpg",
        1600,
        900,
    )
    assert (picture.caption, picture.credit, picture.contenttype) == (
        "A caption",
        "PTI Photo",
        "image/jpeg",
    )


def test_a_caption_with_markup_inside_keeps_every_word_and_space() -> None:
    caption = 'Fans <b>shelter</b>  from the rain at <span class="x">Chepauk</span>, Chennai.'
    (picture,) = parse(g2_picture("urn:pic:m", "https://p.example/m.jpg", caption=caption)).pictures
    assert picture.caption == "Fans shelter  from the rain at Chepauk, Chennai."


def test_a_g2_package_ties_its_text_to_its_pictures() -> None:
    (package,) = parse(g2_package("urn:pkg", "urn:text", ["urn:p1", "urn:p2"], version=3)).packages
    assert (package.uri, package.version) == ("urn:pkg", "3")
    assert [p.uri for p in package.pictures["urn:text"]] == ["urn:p1", "urn:p2"]


def test_ninjs_2_and_3_associations_as_lists_with_descriptions() -> None:
    story = {
        "uri": "urn:n3",
        "type": "text",
        "headlines": [{"value": "A story"}],
        "bodies": [{"contentType": "text/plain", "value": "Words."}],
        "associations": [
            {
                "name": "featureimage",
                "uri": "urn:n3:pic",
                "type": "picture",
                "descriptions": [
                    {"role": "caption", "contentType": "text/html", "value": "<p>HTML one</p>"},
                    {"role": "caption", "contentType": "text/plain", "value": "Plain  caption"},
                ],
                "copyrightNotice": "(c) Agency",
                "renditions": [
                    {
                        "name": "small",
                        "href": "https://p.example/s.jpg",
                        "width": 100,
                        "height": 50,
                    },
                    {
                        "name": "large",
                        "href": "https://p.example/l.jpg",
                        "width": 2000,
                        "height": 1000,
                        "contentType": "image/jpeg",
                    },
                    {"name": "clip", "href": "https://p.example/v.mp4", "contentType": "video/mp4"},
                ],
            },
            {"name": "video", "uri": "urn:n3:video", "type": "video"},
        ],
    }
    (item,) = parse(json.dumps(story).encode()).items
    (picture,) = item.pictures
    assert (picture.uri, picture.href, picture.width) == (
        "urn:n3:pic",
        "https://p.example/l.jpg",
        2000,
    )
    assert (picture.caption, picture.credit) == ("Plain  caption", "(c) Agency")


def test_nitf_media_is_a_picture_and_not_part_of_the_text() -> None:
    nitf = b"""<?xml version="1.0"?><nitf><head><docdata><doc-id id-string="n:1"/></docdata></head>
<body><body.content><p>Before.</p><media media-type="image">
<media-reference source="https://p.example/a.jpg" width="800" height="600" mime-type="image/jpeg"/>
<media-reference source="https://p.example/a-small.jpg" width="80" height="60"/>
<media-caption>Caption <em>with</em> words</media-caption><media-producer>AP Photo</media-producer>
</media>after the picture, the agency's text goes on.<p>Last.</p></body.content></body></nitf>"""
    (item,) = parse(nitf).items
    (picture,) = item.pictures
    assert (picture.href, picture.caption, picture.credit) == (
        "https://p.example/a.jpg",
        "Caption with words",
        "AP Photo",
    )
    assert item.paragraphs == ["Before.", "after the picture, the agency's text goes on.", "Last."]


def test_rss_media_caption_is_the_pictures_not_the_storys_text() -> None:
    rss = b"""<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>T</title><item><title>Story</title><guid>g1</guid>
<description>The story's own text.</description>
<media:content url="https://p.example/big.jpg" medium="image" type="image/jpeg" width="1200" height="800">
<media:description>The caption.</media:description><media:credit role="photographer">Ann Photo</media:credit>
</media:content><media:thumbnail url="https://p.example/t.jpg" width="100" height="66"/>
</item><item><title>Second</title><guid>g2</guid><description>Text two.</description>
<enclosure url="https://p.example/e.jpg" type="image/jpeg" length="100"/>
<enclosure url="https://p.example/a.mp3" type="audio/mpeg" length="100"/></item>
<item><title>Third</title><guid>g3</guid><description>Text three.</description>
<media:thumbnail url="https://p.example/t1.jpg" width="100" height="66"/>
<media:thumbnail url="https://p.example/t2.jpg" width="400" height="266"/></item></channel></rss>"""
    first, second, third = parse(rss).items
    assert first.body_text == "The story's own text."
    (picture,) = first.pictures
    assert (picture.href, picture.caption, picture.credit, picture.width) == (
        "https://p.example/big.jpg",
        "The caption.",
        "Ann Photo",
        1200,
    )
    assert [p.href for p in second.pictures] == ["https://p.example/e.jpg"]
    assert [p.href for p in third.pictures] == ["https://p.example/t2.jpg"]


def test_jsonfeed_images_and_image_attachments() -> None:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "F",
        "items": [
            {
                "id": "1",
                "title": "T",
                "content_text": "Words.",
                "image": "https://p.example/i.jpg",
                "attachments": [
                    {"url": "https://p.example/att.png", "mime_type": "image/png", "title": "Att"},
                    {"url": "https://p.example/a.mp3", "mime_type": "audio/mpeg"},
                ],
            }
        ],
    }
    (item,) = parse(json.dumps(feed).encode()).items
    assert [(p.href, p.caption) for p in item.pictures] == [
        ("https://p.example/i.jpg", ""),
        ("https://p.example/att.png", "Att"),
    ]


def test_picture_files_are_recognised_whatever_the_sources_format() -> None:
    assert parse(jpeg(10, 10), "newsmlg2").picture_file == "image/jpeg"
    assert parse(png(10, 10)).picture_file == "image/png"
    assert image_type(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert image_type(b"<?xml") == ""


def test_local_names() -> None:
    assert local_name("https://p.example/a.jpg") == ""
    assert local_name("photo-7.jpg") == "photo-7.jpg"
    assert local_name("incoming/photos/photo-7.jpg") == "photo-7.jpg"
    assert local_name("tag:ansa.it,2017-10-11:2004.jpg") == "2004.jpg"
    assert local_name("iJIJyyF0tiE") == "iJIJyyF0tiE"


@settings(max_examples=50, deadline=None)
@given(
    st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1).filter(str.strip)
)
def test_any_ninjs_caption_is_kept_verbatim(caption: str) -> None:
    story = {
        "uri": "urn:v",
        "type": "text",
        "headline": "H",
        "body_text": "Words.",
        "associations": {
            "p": {"uri": "urn:v:p", "type": "picture", "description_text": caption, "href": "x.jpg"}
        },
    }
    (item,) = parse(json.dumps(story).encode()).items
    assert item.pictures[0].caption == caption.strip()
