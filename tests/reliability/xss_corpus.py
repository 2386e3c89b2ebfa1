"""XSS payloads, and a desk seeded with them in every field an agency (or a source) controls.

Each payload tries to set `top.__xss = 1` or call alert(); a page that runs one is caught by
the sentinel or the dialog handler in test_xss_browser.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from wiredesk import Desk
from wiredesk.config import SourceConfig
from wiredesk.desk.rules import Rule
from wiredesk.store import sources

PAYLOADS = [
    "<script>top.__xss=1</script>",
    "<ScRiPt>top.__xss=1</sCrIpT>",
    '<img src=x onerror="top.__xss=1">',
    "<IMG SRC=x OnErRoR=alert(1)>",
    "<svg onload=top.__xss=1>",
    "<svg><script>top.__xss=1</script></svg>",
    '<a href="javascript:top.__xss=1">click</a>',
    '<iframe src="javascript:top.__xss=1"></iframe>',
    '<iframe srcdoc="<script>top.__xss=1</script>"></iframe>',
    "<div style=\"width:expression(top.__xss=1);background:url('javascript:top.__xss=1')\">css</div>",
    '"><script>top.__xss=1</script>',
    "'><svg/onload=alert(1)>",
    "</title><script>top.__xss=1</script>",
    "</textarea><script>top.__xss=1</script>",
    '<details open ontoggle="top.__xss=1">d</details>',
    "<body onload=top.__xss=1>",
    '<math><mtext><table><mglyph><style><img src=x onerror="top.__xss=1">',
    '<!--<img src="--><img src=x onerror=top.__xss=1//">',
    '<object data="javascript:top.__xss=1"></object>',
    "&lt;script&gt;top.__xss=1&lt;/script&gt;",
    "&#60;img src=x onerror=top.__xss=1&#62;",
    "{{7*7}} ${7*7} {% raw %}#{7*7}",
    "javascript:alert(1)",
]
HOLD_WORD = "holdme"


@dataclass
class Seeded:
    text_uris: list[str] = field(default_factory=list)
    html_uris: list[str] = field(default_factory=list)
    source_names: list[str] = field(default_factory=list)
    quarantined: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)


def text_fields(i: int, payload: str) -> dict[str, str]:
    """What an agency sent for story t{i}: the payload in every field it controls."""
    return {
        "headline": f"Headline {i} {payload}",
        "byline": f"By {i} {payload}",
        "located": f"Place {i} {payload}",
        "body_text": f"Before {i}. {payload} After {i}.",
        "ednote": f"This corrects the spelling {i}: {payload}",
    }


def seed(desk: Desk) -> Seeded:
    seeded = Seeded()
    desk.config.rules = [Rule(name="hold it", keyword=(HOLD_WORD,), action="hold")]
    for i, payload in enumerate(PAYLOADS):
        source = f"s{i} {payload}"[:100]
        with desk.store.session() as session, session.begin():
            sources.upsert(
                session,
                SourceConfig(name=source, agency=f"Agency {i} {payload}", transport="push"),
                desk.clock(),
            )
        seeded.source_names.append(source)
        doc = {
            "uri": f"urn:xss:t{i}",
            "type": "text",
            "version": "1",
            "subject": [{"code": f"c{i}", "name": f"Subject {i} {payload}"}],
            "copyrightholder": f"Holder {i} {payload}",
            **text_fields(i, payload),
        }
        assert desk.receive(json.dumps(doc).encode(), source=source).outcome == "accepted"
        seeded.text_uris.append(doc["uri"])
        html = {
            "uri": f"urn:xss:h{i}",
            "type": "text",
            "headline": f"HTML story {i}",
            "body_html": f"<p>Safe before {i}.</p>{payload}<p>Safe after {i}.</p>",
        }
        assert desk.receive(json.dumps(html).encode(), source="wire").outcome == "accepted"
        seeded.html_uris.append(html["uri"])
        held = {
            "uri": f"urn:xss:held{i}",
            "type": "text",
            "headline": f"Held {i} {HOLD_WORD} {payload}",
            "body_text": f"{HOLD_WORD} {payload}",
        }
        assert desk.receive(json.dumps(held).encode(), source=source).outcome == "accepted"
        seeded.held.append(held["headline"])
        name = f"q{i} {payload}"
        outcome = desk.receive(b"\x00\x01 not a wire " + payload.encode(), filename=name)
        assert outcome.outcome == "quarantined"
        seeded.quarantined.append(name)
    return seeded
