"""Builds agency input in each wire format from the seed story's plain-text rendition.

The seed is read from ../shared at test time, never copied into the repo.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from xml.sax.saxutils import escape

DATELINE = "Kabul/New Delhi, Sep 1"
CREDIT = "PTI"
# The dateline as the NITF 3.6 standard writes it: mixed content, the place partly marked up.
NITF_DATELINE = (
    "<dateline><location><city>Kabul</city></location>/New Delhi, "
    '<story.date norm="20210901T143000+0530">Sep 1</story.date></dateline>'
)


@dataclass
class Seed:
    date: str
    paragraphs: list[str]
    disclaimer: str

    @property
    def credited_first(self) -> str:
        return f"{DATELINE} ({CREDIT}) {self.paragraphs[0]}"


def read_seed(text: str) -> Seed:
    blocks = text.strip().split("\n\n")
    opening, *rest, disclaimer = blocks
    assert opening.startswith("date ")
    date = opening[5:15]
    first = opening[16:]
    assert first.startswith(DATELINE + " ")
    assert disclaimer.startswith("Disclaimer: ")
    return Seed(date, [first[len(DATELINE) + 1 :], *rest], disclaimer[len("Disclaimer: ") :])


HEADLINE = "Taliban, resistance front fighting in Panjshir"


def nitf(seed: Seed, *, dateline_in_body: bool = False) -> bytes:
    paragraphs = [
        seed.credited_first if dateline_in_body else seed.paragraphs[0],
        *seed.paragraphs[1:],
    ]
    body = "\n".join(f"      <p>{escape(p)}</p>" for p in paragraphs)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<nitf version="-//IPTC//DTD NITF 3.6//EN">
  <head>
    <title>{HEADLINE}</title>
    <docdata management-status="usable">
      <doc-id id-string="seed:pti:2021-09-01:panjshir"/>
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
    """NewsML-G2 whose dateline travels in the inline NITF, as IPTC's LISTING 22 carries it."""
    body = "\n".join(f"<p>{escape(p)}</p>" for p in seed.paragraphs)
    return f"""<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="seed:pti:panjshir:g2" version="1"
  standard="NewsML-G2" standardversion="2.33" xml:lang="en">
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
    return json.dumps(
        {
            "uri": "seed:pti:panjshir:ninjs",
            "version": "1",
            "versioncreated": "2021-09-01T14:30:00+05:30",
            "firstcreated": "2021-09-01T14:30:00+05:30",
            "pubstatus": "usable",
            "type": "text",
            "headline": HEADLINE,
            "body_text": "\n\n".join([seed.credited_first, *seed.paragraphs[1:]]),
        }
    ).encode()


def rss(seed: Seed) -> bytes:
    html = "".join(f"<p>{escape(p)}</p>" for p in [seed.credited_first, *seed.paragraphs[1:]])
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>PTI</title><link>https://wire.example/</link><description>d</description>
<item><guid isPermaLink="false">seed:pti:panjshir:rss</guid><title>{HEADLINE}</title>
<pubDate>Wed, 01 Sep 2021 09:00:00 GMT</pubDate>
<description>{escape(html)}</description></item></channel></rss>
""".encode()


FORMATS = {"nitf": nitf, "newsmlg2": newsml_g2, "ninjs": ninjs, "rss": rss}
