"""Fuzz every format through `formats.parse(data, fmt)`: a valid skeleton of that format, then
random mutations (bytes inserted, deleted, replaced, slices repeated, the file cut off).

Whatever comes in, the answer is items the database can store, or a ParseError with a reason.
`make fuzz` runs this for minutes (HYPOTHESIS_PROFILE=fuzz); CI runs the default 100 examples.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wiredesk import formats
from wiredesk.exceptions import ParseError

BODY = "New Delhi, June 1 (PTI) The monsoon reached Kerala.\n\nFarmers cheered."
NITF = b"""<?xml version="1.0" encoding="UTF-8"?>
<nitf><head><title>Monsoon</title><docdata management-status="usable"><doc-id id-string="urn:f:1"/>
<date.issue norm="20260601T050000Z"/><du-key version="2" key="K"/><doc.copyright holder="PTI"/>
<ed-msg info="Eds: corrects spelling"/></docdata></head>
<body><body.head><hedline><hl1>Monsoon reaches Kerala</hl1></hedline><byline>By A Writer</byline>
<dateline><location><city>Kochi</city></location></dateline></body.head>
<body.content><p>New Delhi, June 1 (PTI) The monsoon reached Kerala.</p><p>Farmers cheered.</p>
</body.content></body></nitf>"""
G2 = b"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:f:2" version="3" standard="NewsML-G2">
<itemMeta><itemClass qcode="ninat:text"/><provider qcode="nprov:PTI"/>
<versionCreated>2026-06-01T10:00:00Z</versionCreated><embargoed>2026-06-02T00:00:00Z</embargoed>
<pubStatus qcode="stat:usable"/><signal qcode="sig:update"/><edNote>Note</edNote></itemMeta>
<contentMeta><headline>Monsoon</headline><subject qcode="medtop:1"><name>Weather</name></subject>
<by>A Writer</by></contentMeta><contentSet><inlineXML contenttype="application/xhtml+xml">
<html xmlns="http://www.w3.org/1999/xhtml"><body><p>The monsoon reached Kerala.</p></body></html>
</inlineXML></contentSet></newsItem>"""
NEWSML12 = b"""<?xml version="1.0" encoding="UTF-8"?>
<NewsML><NewsItem><Identification><NewsIdentifier><ProviderId>a.example</ProviderId>
<DateId>20260601</DateId><NewsItemId>1</NewsItemId>
<RevisionId PreviousRevision="0" Update="N">1</RevisionId>
<PublicIdentifier>urn:newsml:a.example:20260601:1:1</PublicIdentifier></NewsIdentifier>
</Identification><NewsManagement><NewsItemType FormalName="News"/>
<FirstCreated>20260601T050000Z</FirstCreated><ThisRevisionCreated>20260601T060000Z</ThisRevisionCreated>
<Status FormalName="Usable"/></NewsManagement><NewsComponent><NewsLines>
<HeadLine>Monsoon reaches Kerala</HeadLine></NewsLines><NewsComponent><Role FormalName="Main"/>
<ContentItem><MediaType FormalName="Text"/><DataContent><nitf><body><body.content>
<p>The rains came early.</p></body.content></body></nitf></DataContent></ContentItem>
</NewsComponent></NewsComponent></NewsItem></NewsML>"""
RSS = b"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>PTI</title>
<item><guid>urn:f:4</guid><title>Monsoon</title><pubDate>Mon, 01 Jun 2026 05:00:00 GMT</pubDate>
<category>Weather</category><description>&lt;p&gt;The monsoon reached Kerala.&lt;/p&gt;</description>
</item></channel></rss>"""
JSONFEED = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "authors": [{"name": "PTI"}],
        "items": [
            {
                "id": "urn:f:5",
                "title": "Monsoon",
                "content_text": BODY,
                "date_published": "2026-06-01T05:00:00Z",
                "tags": ["Weather"],
            }
        ],
    }
).encode()
NINJS = json.dumps(
    {
        "uri": "urn:f:6",
        "version": "2",
        "type": "text",
        "headline": "Monsoon",
        "byline": "A Writer",
        "body_text": BODY,
        "subject": [{"code": "1", "name": "Weather"}],
        "ednote": "Eds: corrects spelling",
        "embargoed": "2026-06-02T00:00:00Z",
    }
).encode()
IPTC7901 = (
    b"\x01eca0001 3 i 20  dpa 0001\r\n\nWetter/Monsun/Indien/\r\n\x021ST LEAD\r\n"
    b"Monsun erreicht Kerala =\r\n\nKochi (dpa) - Der Monsun hat Kerala erreicht.\r\n\r\n"
    b"dpa ab cd\r\n\r\n\x03011005 GMT Okt 26\r\n\x7f\n\x7f\x04"
)
ANPA1312 = (
    b"\x16\x16\x01z1234\x1fglbsm\r\nr a\x13\x11 BC-US--Monsoon 1stLd-Writethru   06-01 0400\r\n"
    b"\x02^BC-US--Monsoon, 1stLd-Writethru,400<\r\n^Monsoon reaches Kerala<\r\n^By A WRITER<\r\n"
    b"\t   KOCHI, India (AP) _ The monsoon reached Kerala.\r\n\t   Farmers cheered.\r\n"
    b"\r\n\t   \x03AP-WF-06-01-26 1005GMT<\r\n\r\n\x0c\r\n\x04"
)
IPTC7901_STRIPPED = (
    b"eca0001 3 i 20  dpa 0001\r\n\n/Wetter/Monsun/Indien/\r\n1ST LEAD\r\n"
    b"Monsun erreicht Kerala =\r\n\nKochi (dpa) - Der Monsun hat Kerala erreicht.\r\n\r\n"
    b"dpa ab cd\r\n\r\n011005 GMT Okt 26\r\n"
)
BCSLUG = (
    b"kyo0001\nu s BC-Weather-Monsoon 1stLd-Writethru   01-06 0044\nBC-Weather-Monsoon\n"
    b"Monsoon reaches Kerala +\nEds: UPDATES with rainfall\nBy A WRITER\n"
    b"    KOCHI, India, June 1 Kyodo - The monsoon reached Kerala.\n    Farmers cheered.\n==Kyodo\n"
)
ZCZC = (
    b"ZCZC AAP\r\n%NATALL\r\n#Weather-Monsoon\r\n:Monsoon reaches Kerala\r\n*X\r\n\r\n"
    b"SYDNEY, June 1 AAP - The monsoon reached Kerala.\r\n\r\nFarmers cheered.\r\n\r\nNNNN\r\n"
)
AP_MEDIA = json.dumps(
    {
        "api_version": "2.1",
        "data": {
            "item": {
                "altids": {"itemid": "0a1b2c3d"},
                "version": 2,
                "type": "text",
                "headline": "Monsoon",
                "bylines": [{"by": "By A WRITER"}],
                "located": "KOCHI, India",
                "associations": {"1": {"altids": {"itemid": "ff"}, "type": "picture"}},
            }
        },
        "nitf": {"body_html": "<p>KOCHI, India (AP) — The monsoon reached Kerala.</p>"},
    }
).encode()
DIGITALWIRES = json.dumps(
    {
        "format": "digitalwires@0.9.1",
        "urn": "urn:newsml:dpa.com:20090101:260601-99-1",
        "version": 2,
        "headline": "Monsun",
        "dateline": "Kochi (dpa) - ",
        "article_html": "<section><p>Der Monsun ist da.<br/><br/>Bauern jubeln.</p></section>",
        "ednotes": [{"role": "x", "ednote": "Note", "is_publishable": True}],
        "embargoed": "2026-06-02T00:00:00+02:00",
    }
).encode()
ANP_NEWS = json.dumps(
    {
        "data": {
            "id": "0011",
            "kind": "TEXTARTICLE",
            "title": "Moesson",
            "sourceTitle": "ANP 101",
            "firstIssueDate": "2026-06-01T12:00:00Z",
            "bodyText": "<p>KOCHI (ANP) - De moesson is er.</p><p>Boeren juichen.</p>",
            "version": 2,
        }
    }
).encode()
JIMI = (
    "\ufeff<?xml version='1.0' encoding='utf-8'?><Publish><ContentItem>"
    "<SystemSlug>00AA</SystemSlug><Headline>Monsoon</Headline><Credit>THE CANADIAN PRESS</Credit>"
    "<ContentType>Text</ContentType><WritethruValue>1</WritethruValue><City>Kochi</City>"
    "<ContentText>&lt;p&gt;The monsoon&amp;nbsp;arrived.&lt;/p&gt;&lt;p&gt;Farmers cheered."
    "&lt;/p&gt;</ContentText><PhotoReference>CPT1</PhotoReference></ContentItem></Publish>"
).encode()
RITZAU = (
    b'<?xml version="1.0"?><RBNews xmlns:i="http://www.w3.org/2001/XMLSchema-instance">'
    b"<NewsID>5c0f</NewsID><PublishDate>2026-06-01T10:00:00</PublishDate><version>1</version>"
    b'<headline i:nil="true"/><town>Haag</town><content>&lt;p&gt;Monsunen n&#xE5;ede Kerala.'
    b"&lt;/p&gt;</content><Annuleret>false</Annuleret></RBNews>"
)
PLAINTEXT = f"DEL12 NAT-MONSOON\nMonsoon reaches Kerala\n\n{BODY}\n\nPTI ABC DEF\n".encode()

SKELETONS = {
    "nitf": NITF,
    "newsmlg2": G2,
    "newsml12": NEWSML12,
    "feed": RSS,
    "jsonfeed": JSONFEED,
    "ninjs": NINJS,
    "iptc7901": IPTC7901,
    "anpa1312": ANPA1312,
    "plaintext": PLAINTEXT,
    "iptc7901-stripped": IPTC7901_STRIPPED,
    "bcslug": BCSLUG,
    "zczc": ZCZC,
    "apmedia": AP_MEDIA,
    "digitalwires": DIGITALWIRES,
    "anpnews": ANP_NEWS,
    "jimi": JIMI,
    "mapped": RITZAU,
}
# Bytes that matter to parsers: markup, quotes, escapes, control codes, multi-byte starts.
INTERESTING = st.sampled_from(
    [b"<", b">", b"&", b";", b'"', b"'", b"\\", b"\\u0000", b"\\ud800", b"{", b"}", b"[",
     b"\x00", b"\x01", b"\x02", b"\x03", b"\x04", b"\r\n", b"\n\n", b"\xc3", b"\xff\xfe",
     b"\xef\xbb\xbf", b"<!DOCTYPE x [<!ENTITY e 'x'>]>", b"&e;", b"<![CDATA[", b"]]>", b"</p>",
     b"<p>", b"=", b"^", b"\t", b"(PTI)", b"KILL", b"EMBARGO"]
)  # fmt: skip
CHUNK = st.one_of(INTERESTING, st.binary(min_size=1, max_size=12))
MUTATION = st.tuples(
    st.sampled_from(["insert", "delete", "replace", "repeat", "cut"]),
    st.floats(0, 1),
    st.integers(1, 64),
    CHUNK,
)


def mutate(data: bytes, mutations: list[tuple[str, float, int, bytes]]) -> bytes:
    for op, where, length, chunk in mutations:
        at = int(where * len(data))
        if op == "insert":
            data = data[:at] + chunk + data[at:]
        elif op == "delete":
            data = data[:at] + data[at + length :]
        elif op == "replace":
            data = data[:at] + chunk + data[at + len(chunk) :]
        elif op == "repeat":
            data = data[:at] + data[at : at + length] * 3 + data[at:]
        else:
            data = data[:at]
    return data


def check(data: bytes, fmt: str) -> None:
    try:
        parsed = formats.parse(data, fmt)
    except ParseError as exc:
        assert str(exc).strip(), "a refusal says why"
        return
    for item in parsed.items:
        # What the desk stores: JSON, valid UTF-8 (no lone surrogate), no NUL (PostgreSQL).
        json.dumps(item.to_json(), ensure_ascii=False).encode("utf-8")
        texts = [v for v in item.to_json().values() if isinstance(v, str)]
        assert not any("\x00" in t for t in texts + [s.name for s in item.subject])
        assert item.uri


@pytest.mark.parametrize("fmt", sorted(SKELETONS))
def test_each_skeleton_parses_as_its_format(fmt: str) -> None:
    parsed = formats.parse(SKELETONS[fmt])
    assert parsed.format == fmt and parsed.items, parsed


@pytest.mark.parametrize("fmt", sorted(SKELETONS))
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations=st.lists(MUTATION, min_size=1, max_size=6))
def test_fuzz_mutated_skeletons_give_items_or_a_parse_error(
    fmt: str, mutations: list[tuple[str, float, int, bytes]]
) -> None:
    data = mutate(SKELETONS[fmt], mutations)
    check(data, fmt)
    check(data, "auto")
