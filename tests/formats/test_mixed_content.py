"""Mixed content in every XML format: each field holds all of its text, in document order.

Hypothesis builds random inline elements with text and tails (characters written as references
the parser decodes; Devanagari, Tamil, Urdu, Chinese, German), puts them where each standard
allows mixed content, and checks that each field equals the concatenated text, trimmed at its two
ends only. Whitespace is never normalised: XML keeps it (XML 1.0 section 2.10), and none of these
formats says otherwise for these fields. Each test runs 200 examples, behind random valid prologues.

The format modules are called directly: the desk's dateline-and-credit split (formats.normalise)
is its own step with its own tests, and `dateline_beside` (a dateline the text already opens with
is not shown twice) is applied to the oracle, as the parsers apply it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from mixed import (
    G2_INLINE,
    HTML_INLINE,
    NEWSML12_INLINE,
    NITF_INLINE,
    Node,
    datelines,
    expected_paragraphs,
    html_body,
    ninjs_json,
    nodes,
    texts,
)
from wiredesk.formats import (
    anpnews,
    apmedia,
    digitalwires,
    feed,
    jimi,
    newsml12,
    newsmlg2,
    ninjs,
    nitf,
)
from wiredesk.formats.nitf import dateline_beside
from wiredesk.types import Item, Skipped

EXAMPLES = settings(max_examples=200, deadline=None)
# Every valid way a file may open: declarations with standalone, single quotes, extra spaces or
# no encoding; a byte-order mark before one; comments and processing instructions before the root.
PROLOGUES = st.sampled_from(
    [
        ('<?xml version="1.0" encoding="UTF-8"?>', "utf-8"),
        ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>', "utf-8"),
        ("<?xml version='1.0' encoding='utf-8' standalone='yes'?>", "utf-8"),
        ('<?xml  version = "1.0"   standalone = "no" ?>', "utf-8"),
        ('\ufeff<?xml version="1.0" encoding="UTF-8" standalone="no"?>', "utf-8"),
        ('<?xml version="1.0"?>\n<!-- from the wire -->\n<?desk note="x"?>\n', "utf-8"),
        ('<?xml version="1.0" encoding="UTF-16" standalone="no"?>', "utf-16"),
        ("", "utf-8"),
    ]
)


def written(prologue: tuple[str, str], document: str) -> bytes:
    declaration, codec = prologue
    return (declaration + document).encode(codec)


def paragraph_list(paragraphs: list[Node]) -> list[str]:
    return [t.strip() for t in (p.text_of() for p in paragraphs) if t.strip()]


def body_xml(paragraphs: list[Node]) -> str:
    return "".join(f"<p>{p.xml()}</p>" for p in paragraphs)


def one(results: Sequence[Item | Skipped]) -> Item:
    (item,) = results
    assert isinstance(item, Item)
    return item


@EXAMPLES
@given(
    nodes(NITF_INLINE),
    nodes(NITF_INLINE),
    datelines(),
    st.lists(nodes(NITF_INLINE), max_size=4),
    PROLOGUES,
)
def test_nitf_headline_byline_dateline_and_paragraphs(
    headline: Node, byline: Node, dateline: Node, paragraphs: list[Node], prologue: tuple[str, str]
) -> None:
    document = (
        '<nitf version="-//IPTC//DTD NITF 3.6//EN"><head><docdata>'
        '<doc-id id-string="urn:mixed:nitf"/></docdata></head><body><body.head>'
        f"<hedline><hl1>{headline.xml()}</hl1></hedline><byline>{byline.xml()}</byline>"
        f"<dateline>{dateline.xml()}</dateline></body.head>"
        f"<body.content>{body_xml(paragraphs)}</body.content></body></nitf>"
    )
    item = one(nitf.parse(written(prologue, document)))
    assert item.headline == headline.text_of().strip()
    assert item.byline == byline.text_of().strip()
    assert item.body_text == expected_paragraphs(paragraphs)
    assert item.dateline == dateline_beside(dateline.text_of().strip(), paragraph_list(paragraphs))


def g2_document(meta: str, content: str) -> str:
    return (
        '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:mixed:g2" version="1" '
        'standard="NewsML-G2" standardversion="2.33"><itemMeta><itemClass qcode="ninat:text"/>'
        '<provider qcode="nprov:PTI"/><versionCreated>2026-06-01T10:00:00Z</versionCreated>'
        f'<pubStatus qcode="stat:usable"/></itemMeta><contentMeta>{meta}</contentMeta>'
        f"<contentSet>{content}</contentSet></newsItem>"
    )


def checked(
    results: Sequence[Item | Skipped],
    headline: Node,
    paragraphs: list[Node],
    repeated_headline_dropped: bool = False,
) -> Item | None:
    """The one item, its headline and body checked; None when it was rightly skipped as empty.

    NewsML-G2 bodies that open by repeating the headline (an XHTML <h1>, a press release's
    headline component) lose those leading paragraphs: the headline is shown once."""
    (result,) = results
    if isinstance(result, Skipped):
        assert not headline.text_of().strip() and not expected_paragraphs(paragraphs)
        return None
    assert result.headline == headline.text_of().strip()
    expected = [t.strip() for t in (p.text_of() for p in paragraphs) if t.strip()]
    if repeated_headline_dropped:
        repeated = " ".join(headline.text_of().split())
        while expected[:1] and " ".join(expected[0].split()) == repeated and repeated:
            expected.pop(0)
    assert result.body_text == "\n\n".join(expected)
    return result


@EXAMPLES
@given(
    nodes(G2_INLINE),
    nodes(G2_INLINE),
    nodes(G2_INLINE),
    datelines(),
    st.lists(nodes(NITF_INLINE), max_size=4),
    PROLOGUES,
)
def test_newsml_g2_with_inline_nitf_and_its_dateline(
    headline: Node,
    slugline: Node,
    by: Node,
    dateline: Node,
    paragraphs: list[Node],
    prologue: tuple[str, str],
) -> None:
    meta = (
        f"<headline>{headline.xml()}</headline><slugline>{slugline.xml()}</slugline>"
        f"<by>{by.xml()}</by>"
    )
    content = (
        '<inlineXML contenttype="application/nitf+xml">'
        '<nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body><body.head>'
        f"<dateline>{dateline.xml()}</dateline></body.head>"
        f"<body.content>{body_xml(paragraphs)}</body.content></body></nitf></inlineXML>"
    )
    item = checked(
        newsmlg2.parse(written(prologue, g2_document(meta, content))),
        headline,
        paragraphs,
        repeated_headline_dropped=True,
    )
    if item is None:
        return
    assert item.slugline == slugline.text_of().strip()
    assert item.byline == by.text_of().strip()
    # G2 weighs its dateline against the joined body's paragraphs.
    assert item.dateline == dateline_beside(
        dateline.text_of().strip(), Item("", body_text=item.body_text).paragraphs
    )


@EXAMPLES
@given(
    nodes(G2_INLINE),
    nodes(G2_INLINE),
    st.lists(nodes(HTML_INLINE), max_size=4),
    PROLOGUES,
)
def test_newsml_g2_with_inline_xhtml_and_a_dateline_in_content_meta(
    headline: Node, dateline: Node, paragraphs: list[Node], prologue: tuple[str, str]
) -> None:
    meta = f"<headline>{headline.xml()}</headline><dateline>{dateline.xml()}</dateline>"
    content = (
        '<inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml">'
        f"<head><title>t</title></head><body>{body_xml(paragraphs)}</body></html></inlineXML>"
    )
    item = checked(
        newsmlg2.parse(written(prologue, g2_document(meta, content))),
        headline,
        paragraphs,
        repeated_headline_dropped=True,
    )
    if item is None:
        return
    assert item.dateline == dateline_beside(
        dateline.text_of().strip(), Item("", body_text=item.body_text).paragraphs
    )


@EXAMPLES
@given(
    st.lists(nodes(NEWSML12_INLINE), min_size=4, max_size=4),
    st.lists(nodes(NITF_INLINE), max_size=4),
    st.booleans(),
    PROLOGUES,
)
def test_newsml_12_news_lines_and_text(
    lines: list[Node], paragraphs: list[Node], as_xhtml: bool, prologue: tuple[str, str]
) -> None:
    headline, byline, dateline, slugline = lines
    data_content = (
        f'<html xmlns="http://www.w3.org/1999/xhtml"><body>{body_xml(paragraphs)}</body></html>'
        if as_xhtml
        else f"<nitf><body><body.content>{body_xml(paragraphs)}</body.content></body></nitf>"
    )
    document = (
        "<NewsML><NewsItem><Identification><NewsIdentifier><ProviderId>p.example</ProviderId>"
        "<DateId>20260601</DateId><NewsItemId>1</NewsItemId>"
        '<RevisionId PreviousRevision="0" Update="N">1</RevisionId>'
        "<PublicIdentifier>urn:newsml:p.example:20260601:1:1</PublicIdentifier>"
        "</NewsIdentifier></Identification><NewsManagement>"
        '<NewsItemType FormalName="News"/><Status FormalName="Usable"/></NewsManagement>'
        f"<NewsComponent><NewsLines><HeadLine>{headline.xml()}</HeadLine>"
        f"<ByLine>{byline.xml()}</ByLine><DateLine>{dateline.xml()}</DateLine>"
        f"<SlugLine>{slugline.xml()}</SlugLine></NewsLines>"
        '<ContentItem><MediaType FormalName="Text"/>'
        f"<DataContent>{data_content}</DataContent></ContentItem></NewsComponent>"
        "</NewsItem></NewsML>"
    )
    item = one(newsml12.parse(written(prologue, document)))
    # An empty HeadLine gives way to the SlugLine (NewsML 1.x's next heading).
    assert item.headline == (headline.text_of().strip() or slugline.text_of().strip())
    assert item.byline == byline.text_of().strip()
    assert item.slugline == slugline.text_of().strip()
    assert item.body_text == expected_paragraphs(paragraphs)
    assert item.dateline == dateline_beside(dateline.text_of().strip(), paragraph_list(paragraphs))


@EXAMPLES
@given(st.builds(Node, texts), st.lists(nodes(HTML_INLINE), max_size=4), st.booleans(), PROLOGUES)
def test_rss_title_and_html_description(
    title: Node, paragraphs: list[Node], cdata: bool, prologue: tuple[str, str]
) -> None:
    html = html_body(paragraphs)
    description = (
        f"<content:encoded><![CDATA[{html}]]></content:encoded>"
        if cdata
        else f"<description>{html.replace('&', '&amp;').replace('<', '&lt;')}</description>"
    )
    document = (
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<title>PTI</title><link>https://wire.example/</link><description>d</description>"
        f'<item><guid isPermaLink="false">urn:mixed:rss</guid><title>{title.xml()}</title>'
        f"{description}</item></channel></rss>"
    )
    checked(feed.parse(written(prologue, document)), title, paragraphs)


@EXAMPLES
@given(nodes(HTML_INLINE), st.lists(nodes(HTML_INLINE), max_size=4), PROLOGUES)
def test_atom_xhtml_title_and_content(
    title: Node, paragraphs: list[Node], prologue: tuple[str, str]
) -> None:
    xhtml = 'xmlns="http://www.w3.org/1999/xhtml"'
    document = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>PTI</title><id>urn:mixed:feed</id>'
        "<updated>2026-06-01T10:00:00Z</updated><entry><id>urn:mixed:atom</id>"
        f'<title type="xhtml"><div {xhtml}>{title.xml()}</div></title>'
        "<updated>2026-06-01T10:00:00Z</updated>"
        f'<content type="xhtml"><div {xhtml}>{body_xml(paragraphs)}</div></content>'
        "</entry></feed>"
    )
    checked(feed.parse(written(prologue, document)), title, paragraphs)


@EXAMPLES
@given(st.lists(nodes(HTML_INLINE), max_size=4))
def test_ninjs_body_html(paragraphs: list[Node]) -> None:
    (item,) = ninjs.parse(ninjs_json(paragraphs))
    assert isinstance(item, Item)
    assert item.body_text == expected_paragraphs(paragraphs)


def apart(paragraphs: list[Node]) -> list[str]:
    """The oracle for readers that part a paragraph at a blank line inside it (two <br>s)."""
    out = []
    for text in (p.text_of() for p in paragraphs):
        out += [part.strip() for part in re.split(r"\n[ \t]*\n", text) if part.strip()]
    return out


@EXAMPLES
@given(st.lists(nodes(HTML_INLINE), max_size=4))
def test_agency_json_html_bodies(paragraphs: list[Node]) -> None:
    html = html_body(paragraphs)
    documents = {
        apmedia: {"data": {"item": {"altids": {"itemid": "i"}, "headline": "h"}}, "nitf": {}},
        digitalwires: {"urn": "u", "headline": "h", "article_html": f"<section>{html}</section>"},
        anpnews: {"data": {"id": "i", "title": "h", "bodyText": html}},
    }
    documents[apmedia]["nitf"] = {"body_html": html}
    for module, document in documents.items():
        item = one(module.parse(json.dumps(document).encode()))
        assert item.paragraphs == apart(paragraphs), module.NAME


@EXAMPLES
@given(st.builds(Node, texts), st.lists(nodes(HTML_INLINE), max_size=4), PROLOGUES)
def test_jimi_headline_and_escaped_html_content_text(
    headline: Node, paragraphs: list[Node], prologue: tuple[str, str]
) -> None:
    escaped = html_body(paragraphs).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    document = (
        f"<Publish><ContentItem><SystemSlug>s</SystemSlug><Headline>{headline.xml()}</Headline>"
        f"<Headline2>h</Headline2><ContentText>{escaped}</ContentText></ContentItem></Publish>"
    )
    item = one(jimi.parse(written(prologue, document)))
    assert item.headline == (headline.text_of().strip() or "h")
    assert item.paragraphs == apart(paragraphs)
