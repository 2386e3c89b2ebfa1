"""No XML path ever fetches a DTD or an external entity (issue 15, finding 8).

A real HTTP server on loopback serves a DTD and records every request. Files in every XML
format wiredesk reads (NITF, NewsML-G2, NewsML 1.2, RSS, Atom, RDF, a feed broken enough for
feedparser's loose parser, ninjs with a NITF body, mapped XML, the shipped Ritzau mapping, CP
Jimi) name it in each way a DOCTYPE can:
SYSTEM, PUBLIC, and the external parameter entities of the DOCTYPE rule that skips them. Every
file is read or refused, and the server hears nothing. A control parse with a careless expat
parser shows that the server does hear a fetch, so the test could fail.
"""

from __future__ import annotations

import io
import json
import threading
import xml.sax
import xml.sax.handler
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from wiredesk import formats
from wiredesk.exceptions import ParseError, UnknownFormat
from wiredesk.formats import mapped

DTD = b'<!ENTITY leak "SECRET-FROM-THE-DTD"><!ENTITY % more SYSTEM "/more.dtd">'


class Recorder(BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self) -> None:  # noqa: N802 - the http.server name
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/xml-dtd")
        self.send_header("Content-Length", str(len(DTD)))
        self.end_headers()
        self.wfile.write(DTD)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def dtd_server() -> Iterator[tuple[str, list[str]]]:
    requests: list[str] = []
    handler = type("Handler", (Recorder,), {"requests": requests})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()


def doctypes(base: str, root: str) -> dict[str, str]:
    return {
        "system": f'<!DOCTYPE {root} SYSTEM "{base}/system.dtd">',
        "public": f'<!DOCTYPE {root} PUBLIC "-//X//DTD X//EN" "{base}/public.dtd">',
        "parameter entity": (
            f'<!DOCTYPE {root} PUBLIC "-//IPTC-NAA//DTD NewsML 1.0//EN" "{base}/newsml.dtd" '
            f'[ <!ENTITY % nitf SYSTEM "{base}/nitf.dtd"> %nitf; ]>'
        ),
        "public parameter entity": (
            f'<!DOCTYPE {root} [ <!ENTITY % e PUBLIC "-//X//ENTITIES X//EN" "{base}/e.ent"> %e; ]>'
        ),
        # Element and attribute-list declarations are ignored; the DTD they sit beside is not
        # fetched either.
        "element declarations": (
            f'<!DOCTYPE {root} SYSTEM "{base}/decl.dtd" [ <!ELEMENT p (#PCDATA)>'
            f'<!ATTLIST {root} src CDATA "{base}/attr.xml"> ]>'
        ),
    }


BODIES = {
    "nitf": (
        "nitf",
        "<nitf><head><docdata><doc-id id-string='n1'/></docdata></head><body><body.head>"
        "<hedline><hl1>Head</hl1></hedline></body.head><body.content><p>{text}</p>"
        "</body.content></body></nitf>",
    ),
    "newsmlg2": (
        "newsItem",
        '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g1" version="1">'
        '<itemMeta><itemClass qcode="ninat:text"/></itemMeta><contentMeta><headline>Head'
        '</headline></contentMeta><contentSet><inlineXML contenttype="application/xhtml+xml">'
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>{text}</p></body></html>'
        "</inlineXML></contentSet></newsItem>",
    ),
    "newsml12": (
        "NewsML",
        "<NewsML><NewsItem><Identification><NewsIdentifier><ProviderId>p</ProviderId>"
        "<DateId>1</DateId><NewsItemId>1</NewsItemId></NewsIdentifier></Identification>"
        "<NewsComponent><NewsLines><HeadLine>Head</HeadLine></NewsLines><ContentItem>"
        '<MediaType FormalName="Text"/><DataContent><p>{text}</p></DataContent></ContentItem>'
        "</NewsComponent></NewsItem></NewsML>",
    ),
    "rss": (
        "rss",
        '<rss version="2.0"><channel><title>C</title><item><guid>r1</guid><title>Head</title>'
        "<description>{text}</description></item></channel></rss>",
    ),
    "atom": (
        "feed",
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>C</title><entry><id>a1</id>'
        "<title>Head</title><content>{text}</content></entry></feed>",
    ),
    "rdf": (
        "rdf:RDF",
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/"><item rdf:about="u1"><title>Head</title>'
        "<description>{text}</description></item></rdf:RDF>",
    ),
    # Unclosed elements: feedparser falls back to its loose parser.
    "broken rss": (
        "rss",
        '<rss version="2.0"><channel><item><guid>b1</guid><title>Head</title>'
        "<description>{text}</description></item><br></channel></rss>",
    ),
    "mapped": ("Story", '<Story id="m1"><Title>Head</Title><Text>{text}</Text></Story>'),
    "shipped mapping": (
        "RBNews",
        "<RBNews><NewsID>r1</NewsID><headline>Head</headline><content>{text}</content></RBNews>",
    ),
    "jimi": (
        "Publish",
        "<Publish><ContentItem><SystemSlug>s1</SystemSlug><Headline>Head</Headline>"
        "<ContentText>{text}</ContentText></ContentItem></Publish>",
    ),
}
MAPPING = mapped.from_table(
    "probe", {"root": "Story", "uri": "@id", "headline": "Title", "body": "Text"}
)


def files(base: str) -> Iterator[tuple[str, bytes]]:
    for fmt, (root, template) in BODIES.items():
        for kind, doctype in doctypes(base, root).items():
            for text in ("Plain words.", "Words and &leak;."):
                xml = f'<?xml version="1.0"?>\n{doctype}\n{template.format(text=text)}'
                yield f"{fmt}, {kind}, {'entity' if '&' in text else 'no entity'}", xml.encode()
    for text in ("Plain words.", "Words and &leak;."):
        nitf = doctypes(base, "nitf")["parameter entity"] + BODIES["nitf"][1].format(text=text)
        ninjs = {
            "uri": "j1",
            "headlines": [{"value": "Head"}],
            "bodies": [{"contentType": "text/vnd.IPTC.NITF", "value": nitf}],
        }
        entity = ", entity" if "&" in text else ", no entity"
        yield f"ninjs with a NITF body{entity}", json.dumps(ninjs).encode()


def test_no_xml_path_fetches_a_dtd_or_an_external_entity(
    dtd_server: tuple[str, list[str]],
) -> None:
    base, requests = dtd_server
    outcomes: dict[str, str] = {}
    for name, data in files(base):
        try:
            parsed = formats.parse(data, mapping=MAPPING)
        except UnknownFormat as exc:
            pytest.fail(f"{name}: not detected: {exc}")
        except ParseError as exc:
            outcomes[name] = f"refused: {exc}"
            continue
        text = " ".join(i.headline + i.body_text for i in parsed.items)
        assert "SECRET-FROM-THE-DTD" not in text, name
        outcomes[name] = f"read as {parsed.format}: {text}"
    assert requests == [], f"the DTD server was asked for {requests}"
    # Both ways: a skipped DTD leaves the file readable, and an entity only it defines is refused.
    for name, outcome in outcomes.items():
        if name.endswith(", no entity"):
            assert outcome.startswith("read as"), (name, outcome)
        elif "rss" in name or "atom" in name or "rdf" in name:
            # feedparser expands nothing either: the reference stays in the text as written.
            assert outcome == "read as feed: HeadWords and &leak;.", (name, outcome)
        else:
            assert "undeclared entity '&leak;'" in outcome, (name, outcome)


def test_the_server_would_hear_a_careless_parser(dtd_server: tuple[str, list[str]]) -> None:
    """expat (feedparser's strict parser) told to load external entities fetches the DTD."""
    base, requests = dtd_server
    reader = xml.sax.make_parser()
    reader.setFeature(xml.sax.handler.feature_external_ges, True)
    reader.setContentHandler(xml.sax.handler.ContentHandler())
    data = f'<!DOCTYPE x SYSTEM "{base}/system.dtd"><x>&leak;</x>'.encode()
    reader.parse(io.BytesIO(data))
    assert "/system.dtd" in requests
