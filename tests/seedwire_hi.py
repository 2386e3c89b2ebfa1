"""The seed story in Hindi, as PTI Bhasha would send it, in each wire format.

Our own faithful translation of ../shared/examples/seed-story.txt lives in
tests/fixtures/hindi/seed-story-hi.txt, in the seed's plain-text rendition (which is what the
site's .txt must give back). The opening is Bhasha's: `काबुल/नयी दिल्ली, एक सितंबर (भाषा)`.
NITF and NewsML-G2 carry the dateline in their dateline element, as mixed content; ninjs and
RSS carry the whole opening in the text, where only the openings grammar can find it.
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.sax.saxutils import escape

from seedwire import Seed

SEED_HI = Path(__file__).parent / "fixtures" / "hindi" / "seed-story-hi.txt"
DATELINE = "काबुल/नयी दिल्ली, एक सितंबर"
CREDIT = "भाषा"
HEADLINE = "पंजशीर में तालिबान और प्रतिरोधी मोर्चे के बीच लड़ाई जारी"
NITF_DATELINE = (
    "<dateline><location><city>काबुल</city></location>/नयी दिल्ली, "
    '<story.date norm="20210901T143000+0530">एक सितंबर</story.date></dateline>'
)
# The quotations' speakers, in order.
SPEAKERS = ["अनामुल्ला समांगनी", "बाबा शिरीन", "फहीम दश्ती"]


def read_seed_hi(text: str) -> Seed:
    blocks = text.strip().split("\n\n")
    opening, *rest, disclaimer = blocks
    assert opening.startswith("date ")
    first = opening[16:]
    assert first.startswith(DATELINE + " ")
    return Seed(opening[5:15], [first[len(DATELINE) + 1 :], *rest], disclaimer[12:])


def credited_first(seed: Seed) -> str:
    return f"{DATELINE} ({CREDIT}) {seed.paragraphs[0]}"


def nitf(seed: Seed) -> bytes:
    body = "\n".join(f"      <p>{escape(p)}</p>" for p in seed.paragraphs)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<nitf version="-//IPTC//DTD NITF 3.6//EN" xml:lang="hi">
  <head>
    <title>{HEADLINE}</title>
    <docdata management-status="usable">
      <doc-id id-string="seed:bhasha:2021-09-01:panjshir"/>
      <date.issue norm="20210901T143000+0530"/>
      <du-key version="1" key="PANJSHIR"/>
      <doc.copyright holder="PTI"/>
    </docdata>
  </head>
  <body>
    <body.head>
      <hedline><hl1>{HEADLINE}</hl1></hedline>
      {NITF_DATELINE}
    </body.head>
    <body.content>
{body}
    </body.content>
  </body>
</nitf>
""".encode()


def newsml_g2(seed: Seed) -> bytes:
    body = "\n".join(f"<p>{escape(p)}</p>" for p in seed.paragraphs)
    return f"""<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="seed:bhasha:panjshir:g2" version="1"
  standard="NewsML-G2" standardversion="2.33" xml:lang="hi">
  <itemMeta>
    <itemClass qcode="ninat:text"/>
    <provider qcode="nprov:PTI"/>
    <versionCreated>2021-09-01T14:30:00+05:30</versionCreated>
    <firstCreated>2021-09-01T14:30:00+05:30</firstCreated>
    <pubStatus qcode="stat:usable"/>
  </itemMeta>
  <contentMeta>
    <headline>{HEADLINE}</headline>
  </contentMeta>
  <contentSet>
    <inlineXML contenttype="application/nitf+xml">
      <nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body>
        <body.head><hedline><hl1>{HEADLINE}</hl1></hedline>{NITF_DATELINE}</body.head>
        <body.content>{body}</body.content>
      </body></nitf>
    </inlineXML>
  </contentSet>
</newsItem>
""".encode()


def ninjs(seed: Seed) -> bytes:
    # No language field: the desk must tell Hindi from the script.
    return json.dumps(
        {
            "uri": "seed:bhasha:panjshir:ninjs",
            "version": "1",
            "versioncreated": "2021-09-01T14:30:00+05:30",
            "firstcreated": "2021-09-01T14:30:00+05:30",
            "pubstatus": "usable",
            "type": "text",
            "copyrightholder": "PTI",
            "headline": HEADLINE,
            "body_text": "\n\n".join([credited_first(seed), *seed.paragraphs[1:]]),
        },
        ensure_ascii=False,
    ).encode()


def rss(seed: Seed) -> bytes:
    html = "".join(f"<p>{escape(p)}</p>" for p in [credited_first(seed), *seed.paragraphs[1:]])
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>PTI</title><link>https://wire.example/</link><description>d</description>
<language>hi</language>
<item><guid isPermaLink="false">seed:bhasha:panjshir:rss</guid><title>{HEADLINE}</title>
<pubDate>Wed, 01 Sep 2021 09:00:00 GMT</pubDate>
<description>{escape(html)}</description></item></channel></rss>
""".encode()


FORMATS = {"nitf": nitf, "newsmlg2": newsml_g2, "ninjs": ninjs, "rss": rss}
