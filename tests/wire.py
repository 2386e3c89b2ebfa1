"""Small wire files built in tests: the project's own fixtures, in real formats."""

from __future__ import annotations

import json
from datetime import datetime
from xml.sax.saxutils import escape


def ninjs(
    uri: str,
    body: str,
    *,
    headline: str = "A headline",
    version: int | str = 1,
    versioncreated: datetime | None = None,
    pubstatus: str = "usable",
    embargoed: datetime | None = None,
    agency: str = "",
    ednote: str = "",
    **extra: object,
) -> bytes:
    obj: dict[str, object] = {
        "uri": uri,
        "version": str(version),
        "type": "text",
        "pubstatus": pubstatus,
        "headline": headline,
        "body_text": body,
        **extra,
    }
    if versioncreated is not None:
        obj["versioncreated"] = versioncreated.isoformat()
    if embargoed is not None:
        obj["embargoed"] = embargoed.isoformat()
    if agency:
        obj["copyrightholder"] = agency
    if ednote:
        obj["ednote"] = ednote
    return json.dumps(obj).encode()


def g2(
    guid: str,
    paragraphs: list[str],
    *,
    headline: str = "A headline",
    version: int | str = 1,
    versioncreated: str = "2026-06-01T10:00:00Z",
    pubstatus: str = "usable",
    embargoed: str = "",
    signals: tuple[str, ...] = (),
    provider: str = "PTI",
    ednote: str = "",
) -> bytes:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    signal_xml = "".join(f'<signal qcode="{s}"/>' for s in signals)
    embargo_xml = f"<embargoed>{embargoed}</embargoed>" if embargoed else ""
    ednote_xml = f"<edNote>{escape(ednote)}</edNote>" if ednote else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="{guid}" version="{version}" standard="NewsML-G2" standardversion="2.33">
  <itemMeta><itemClass qcode="ninat:text"/><provider qcode="nprov:{provider}"/>
    <versionCreated>{versioncreated}</versionCreated>{embargo_xml}
    <pubStatus qcode="stat:{pubstatus}"/>{signal_xml}{ednote_xml}</itemMeta>
  <contentMeta><headline>{escape(headline)}</headline></contentMeta>
  <contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><body>{body}</body></html></inlineXML></contentSet>
</newsItem>""".encode()
