"""A deterministic, seeded wire corpus in every format wiredesk reads, with a manifest.

    python -m bench.generator OUT_DIR --n 10000 [--seed 1312] [--check]

Each file is one story (one file, one item). Of the files: 10% updates (a newer version of an
earlier story, in that story's format), 2% kills, 2% embargoes (a machine-readable embargo in
2099, so NITF, NewsML-G2 and ninjs only), 1% duplicates (an earlier file's exact bytes again),
0.5% malformed (cut off or garbage); the rest are new stories, round-robin over the formats.
Words come from a fixed vocabulary of consonant-vowel words (so no "embargo", "kill" or
"correction" appears by chance in the text and trips the desk's free-text signals).

The manifest (manifest.jsonl) has one line per file: name, kind, format, uri, version, the
file's expected outcome (accepted, duplicate, quarantined) and the story's expected final
state once the whole corpus has been received (published, embargoed, killed, or "" for a
malformed file).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

FORMATS = (
    "nitf",
    "newsmlg2",
    "ninjs",
    "rss",
    "atom",
    "jsonfeed",
    "iptc7901",
    "anpa1312",
    "plaintext",
)
EXTENSIONS = {
    "nitf": "nitf.xml",
    "newsmlg2": "g2.xml",
    "ninjs": "ninjs.json",
    "rss": "rss.xml",
    "atom": "atom.xml",
    "jsonfeed": "feed.json",
    "iptc7901": "dpa.txt",
    "anpa1312": "ap.txt",
    "plaintext": "pti.txt",
}
# What `wiredesk.formats.detect` calls each (RSS and Atom are both "feed").
DETECTED = {f: ("feed" if f in ("rss", "atom") else f) for f in FORMATS}
KILLABLE = ("nitf", "newsmlg2", "ninjs", "iptc7901", "anpa1312")
EMBARGOABLE = ("nitf", "newsmlg2", "ninjs")
SHARES = {"update": 0.10, "kill": 0.02, "embargo": 0.02, "duplicate": 0.01, "malformed": 0.005}
EMBARGO_UNTIL = datetime(2099, 1, 1, 6, 0, tzinfo=UTC)
EPOCH = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS_DE = ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez")
CITIES = ("New Delhi", "Mumbai", "Kolkata", "Chennai", "Bengaluru", "Hyderabad", "Pune")


def vocabulary(seed: int, size: int = 6000) -> list[str]:
    """Consonant-vowel words of 1 to 4 syllables: never two consonants or vowels in a row."""
    rng = random.Random(seed)
    consonants, vowels = "bdfghmnprstvz", "aeiou"
    words: set[str] = set()
    while len(words) < size:
        words.add(
            "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(rng.randint(1, 4)))
        )
    return sorted(words)


@dataclass
class Story:
    """One story's words, fixed at its first take; later versions change the body only."""

    n: int
    fmt: str
    headline: str
    city: str
    created: datetime
    paragraphs: list[str]
    version: int = 1
    killed: bool = False
    embargoed: bool = False
    files: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"w{self.n:07d}"

    @property
    def agency(self) -> str:
        return {"iptc7901": "dpa", "anpa1312": "AP"}.get(self.fmt, "PTI")


@dataclass
class Wire:
    name: str
    kind: str
    fmt: str
    data: bytes
    story: Story | None


class Words:
    def __init__(self, rng: random.Random, vocab: list[str]) -> None:
        self.rng = rng
        self.vocab = vocab

    def sentence(self, n: int) -> str:
        words = self.rng.choices(self.vocab, k=n)
        return words[0].capitalize() + " " + " ".join(words[1:]) + "."

    def paragraphs(self, total: int) -> list[str]:
        out: list[str] = []
        left = total
        while left > 0:
            size = min(left, self.rng.randint(30, 90))
            sentences, rest = [], size
            while rest > 0:
                k = min(rest, self.rng.randint(6, 20))
                sentences.append(self.sentence(max(k, 2)))
                rest -= k
            out.append(" ".join(sentences))
            left -= size
        return out

    def headline(self) -> str:
        return " ".join(
            w.capitalize() for w in self.rng.choices(self.vocab, k=self.rng.randint(5, 9))
        )


# ---- one builder per format: (story, kill, embargo) -> bytes -------------------------------


def _opening(s: Story) -> str:
    when = s.created
    return f"{s.city}, {MONTHS_EN[when.month - 1]} {when.day} ({s.agency}) "


def _body(s: Story) -> list[str]:
    return [_opening(s) + s.paragraphs[0], *s.paragraphs[1:]]


def _iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _uri(s: Story) -> str:
    return f"urn:bench:{s.fmt}:{s.key}"


def nitf(s: Story, kill: bool, embargo: bool) -> bytes:
    body = "\n".join(f"      <p>{escape(p)}</p>" for p in _body(s))
    status = "canceled" if kill else "usable"
    release = (
        f'\n      <date.release norm="{EMBARGO_UNTIL.strftime("%Y%m%dT%H%M%SZ")}"/>'
        if embargo
        else ""
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<nitf version="-//IPTC//DTD NITF 3.6//EN">
  <head>
    <title>{escape(s.headline)}</title>
    <docdata management-status="{status}">
      <doc-id id-string="{_uri(s)}"/>
      <date.issue norm="{s.created.strftime("%Y%m%dT%H%M%SZ")}"/>{release}
      <du-key version="{s.version}" key="{s.key.upper()}"/>
      <doc.copyright holder="{s.agency}"/>
    </docdata>
  </head>
  <body>
    <body.head>
      <hedline><hl1>{escape(s.headline)}</hl1></hedline>
    </body.head>
    <body.content>
{body}
    </body.content>
  </body>
</nitf>
""".encode()


def newsmlg2(s: Story, kill: bool, embargo: bool) -> bytes:
    body = "".join(f"<p>{escape(p)}</p>" for p in _body(s))
    status = "canceled" if kill else "usable"
    embargo_xml = f"<embargoed>{_iso(EMBARGO_UNTIL)}</embargoed>" if embargo else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="{_uri(s)}" version="{s.version}" standard="NewsML-G2" standardversion="2.33" xml:lang="en">
  <itemMeta><itemClass qcode="ninat:text"/><provider qcode="nprov:{s.agency}"/>
    <versionCreated>{_iso(s.created + timedelta(minutes=s.version))}</versionCreated>
    <firstCreated>{_iso(s.created)}</firstCreated>{embargo_xml}
    <pubStatus qcode="stat:{status}"/></itemMeta>
  <contentMeta><headline>{escape(s.headline)}</headline></contentMeta>
  <contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><body>{body}</body></html></inlineXML></contentSet>
</newsItem>
""".encode()


def ninjs(s: Story, kill: bool, embargo: bool) -> bytes:
    obj: dict[str, object] = {
        "uri": _uri(s),
        "version": str(s.version),
        "type": "text",
        "pubstatus": "canceled" if kill else "usable",
        "versioncreated": _iso(s.created + timedelta(minutes=s.version)),
        "firstcreated": _iso(s.created),
        "headline": s.headline,
        "copyrightholder": s.agency,
        "body_text": "\n\n".join(_body(s)),
    }
    if embargo:
        obj["embargoed"] = _iso(EMBARGO_UNTIL)
    return json.dumps(obj, ensure_ascii=False).encode()


def rss(s: Story, kill: bool, embargo: bool) -> bytes:
    html = "".join(f"<p>{escape(p)}</p>" for p in _body(s))
    when = (s.created + timedelta(minutes=s.version)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>{s.agency}</title><link>https://wire.example/</link><description>wire {s.key}</description>
<item><guid isPermaLink="false">{_uri(s)}</guid><title>{escape(s.headline)}</title>
<pubDate>{when}</pubDate>
<description>{escape(html)}</description></item></channel></rss>
""".encode()


def atom(s: Story, kill: bool, embargo: bool) -> bytes:
    text = escape("\n\n".join(_body(s)))
    updated = _iso(s.created + timedelta(minutes=s.version))
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom wire</title><author><name>{s.agency}</name></author>
<id>urn:bench:atom:{s.key}</id><updated>{updated}</updated>
<entry><id>{_uri(s)}</id><title type="text">{escape(s.headline)}</title>
<published>{_iso(s.created)}</published><updated>{updated}</updated>
<content type="text">{text}</content></entry></feed>
""".encode()


def jsonfeed(s: Story, kill: bool, embargo: bool) -> bytes:
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Agency wire",
        "authors": [{"name": s.agency}],
        "language": "en-IN",
        "items": [
            {
                "id": _uri(s),
                "title": s.headline,
                "content_text": "\n\n".join(_body(s)),
                "date_published": _iso(s.created),
                "date_modified": _iso(s.created + timedelta(minutes=s.version)),
            }
        ],
    }
    return json.dumps(doc, ensure_ascii=False).encode()


def iptc7901(s: Story, kill: bool, embargo: bool) -> bytes:
    lead = "" if s.version == 1 else f"{_ordinal(s.version - 1).upper()} LEAD\r\n"
    marker = "KILL\r\n" if kill else lead
    body = "\r\n\r\n".join(
        "\r\n".join(_wrap(p)) for p in [f"{s.city} (dpa) - {s.paragraphs[0]}", *s.paragraphs[1:]]
    )
    when = s.created
    trailer = f"{when.day:02d}{when.hour:02d}{when.minute:02d} GMT {MONTHS_DE[when.month - 1]} {when.year % 100:02d}"
    text = (
        f"\x01eca{s.n % 10000:04d} 3 i {sum(len(p.split()) for p in s.paragraphs)}  dpa {s.version:04d}\r\n\n"
        f"Bench/{s.key}/wire/\r\n\x02{marker}{s.headline} =\r\n\n{body}\r\n\r\ndpa ab cd\r\n\r\n"
        f"\x03{trailer}\r\n\x7f\n\x7f\x04"
    )
    return text.encode("utf-8")


def anpa1312(s: Story, kill: bool, embargo: bool) -> bytes:
    keyword = f"BC-US--{s.key.upper()}"
    take = "Kill" if kill else ("" if s.version == 1 else f"{_ordinal(s.version - 1)}Ld-Writethru")
    when = s.created
    second = (
        f"r a\x13\x11 {keyword} {take}".ljust(50)
        + f"{when.month:02d}-{when.day:02d} 0{len(s.paragraphs) * 60}"
    )
    top = f"^{keyword}{', ' + take if take else ''},{sum(len(p.split()) for p in s.paragraphs)}<\r\n^{s.headline}<\r\n"
    paragraphs = [f"{s.city.upper()} (AP) _ {s.paragraphs[0]}", *s.paragraphs[1:]]
    body = "".join("\t   " + "\r\n".join(_wrap(p)) + "\r\n" for p in paragraphs)
    trailer = f"AP-WF-{when.month:02d}-{when.day:02d}-{when.year % 100:02d} {when.hour:02d}{when.minute:02d}GMT"
    text = (
        f"\x16\x16\x01z{s.n % 10000:04d}\x1fglbsm\r\n{second}\r\n\x02{top}{body}\r\n\t   \x03{trailer}<\r\n"
        "\r\n\x0c\r\n\x04"
    )
    return text.encode("cp1252")


def plaintext(s: Story, kill: bool, embargo: bool) -> bytes:
    body = "\n\n".join("\n".join(_wrap(p)) for p in _body(s))
    return f"DEL{s.n % 100} NAT-{s.key.upper()}\n{s.headline}\n\n{body}\n\nPTI ABC DEF\n".encode()


BUILDERS: dict[str, Callable[[Story, bool, bool], bytes]] = {
    "nitf": nitf,
    "newsmlg2": newsmlg2,
    "ninjs": ninjs,
    "rss": rss,
    "atom": atom,
    "jsonfeed": jsonfeed,
    "iptc7901": iptc7901,
    "anpa1312": anpa1312,
    "plaintext": plaintext,
}


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _wrap(paragraph: str, width: int = 72) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in paragraph.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines


def malformed(rng: random.Random, good: bytes, fmt: str) -> bytes:
    """A cut-off file (XML and JSON lose their second half, dpa and AP their ETX), or garbage."""
    if fmt in ("iptc7901", "anpa1312"):
        return good.split(b"\x03")[0]
    if fmt == "plaintext":
        return rng.randbytes(2000).replace(b"\x00", b"\x01") + b"\x00binary"
    if fmt in ("rss", "atom"):
        # feedparser reads a cut-off feed loosely; a feed cut before its first entry is empty.
        return good[: good.index(b"<item>" if fmt == "rss" else b"<entry>")]
    return good[: len(good) // 2]


# ---- the corpus -----------------------------------------------------------------------------


def generate(n: int, seed: int = 1312) -> Iterator[Wire]:
    """N wire files, deterministic for (n, seed)."""
    rng = random.Random(seed)
    words = Words(rng, vocabulary(seed))
    stories: list[Story] = []
    killable: list[Story] = []
    sent: list[Wire] = []
    new_count = 0
    embargo_count = 0
    for i in range(n):
        r = rng.random()
        kind = "new"
        edge = 0.0
        for name, share in SHARES.items():
            edge += share
            if r < edge:
                kind = name
                break
        live = (
            [s for s in stories[-2000:] if not (s.killed or s.embargoed)]
            if kind in ("update", "kill")
            else []
        )
        if kind == "update" and not live:
            kind = "new"
        if kind == "kill":
            candidates = [s for s in killable[-2000:] if not s.killed]
            if not candidates:
                kind = "new"
        if kind == "duplicate" and not sent:
            kind = "new"
        name = f"{i:07d}"
        if kind in ("new", "embargo", "malformed"):
            if kind == "embargo":
                fmt = EMBARGOABLE[embargo_count % len(EMBARGOABLE)]
                embargo_count += 1
            else:
                fmt = FORMATS[new_count % len(FORMATS)]
                new_count += 1
            story = Story(
                n=i,
                fmt=fmt,
                headline=words.headline(),
                city=rng.choice(CITIES),
                created=EPOCH + timedelta(minutes=i),
                paragraphs=words.paragraphs(rng.randint(400, 1500)),
                embargoed=kind == "embargo",
            )
            data = BUILDERS[fmt](story, False, kind == "embargo")
            if kind == "malformed":
                yield Wire(f"{name}.{EXTENSIONS[fmt]}", kind, fmt, malformed(rng, data, fmt), None)
                continue
            stories.append(story)
            if fmt in KILLABLE and kind == "new":
                killable.append(story)
            wire = Wire(f"{name}.{EXTENSIONS[fmt]}", kind, fmt, data, story)
        elif kind == "update":
            story = rng.choice(live)
            story.version += 1
            # A new take: the first paragraph kept, the rest rewritten.
            story.paragraphs = [story.paragraphs[0], *words.paragraphs(rng.randint(300, 1000))]
            wire = Wire(
                f"{name}.{EXTENSIONS[story.fmt]}",
                kind,
                story.fmt,
                BUILDERS[story.fmt](story, False, False),
                story,
            )
        elif kind == "kill":
            story = rng.choice(candidates)
            story.version += 1
            story.killed = True
            wire = Wire(
                f"{name}.{EXTENSIONS[story.fmt]}",
                kind,
                story.fmt,
                BUILDERS[story.fmt](story, True, False),
                story,
            )
        else:  # duplicate
            earlier = rng.choice(sent[-2000:])
            wire = Wire(
                f"{name}.{EXTENSIONS[earlier.fmt]}", kind, earlier.fmt, earlier.data, earlier.story
            )
        sent.append(wire)
        yield wire


def expected_uri(wire: Wire) -> str:
    """The uri the parser gives the story (read back from the bytes of a good file)."""
    from wiredesk import formats

    return formats.parse(wire.data).items[0].uri


def write(out: Path, n: int, seed: int = 1312, check: bool = False) -> dict[str, int]:
    """Write the corpus and manifest under `out`; return counts by kind."""
    from wiredesk import formats
    from wiredesk.exceptions import ParseError

    files = out / "files"
    files.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, object]] = []
    uri_of: dict[int, str] = {}
    counts: dict[str, int] = {}
    for wire in generate(n, seed):
        (files / wire.name).write_bytes(wire.data)
        counts[wire.kind] = counts.get(wire.kind, 0) + 1
        uri, version = "", ""
        if wire.story is not None:
            key = id(wire.story)
            if key not in uri_of or check:
                parsed = formats.parse(wire.data)
                assert parsed.format == DETECTED[wire.fmt], (wire.name, parsed.format)
                assert len(parsed.items) == 1, wire.name
                uri_of[key] = parsed.items[0].uri
                version = parsed.items[0].version
            uri = uri_of[key]
        elif check:
            try:
                formats.parse(wire.data)
            except ParseError:
                pass
            else:
                raise AssertionError(f"{wire.name}: malformed file parsed")
        rows.append(
            {
                "file": wire.name,
                "kind": wire.kind,
                "format": wire.fmt,
                "uri": uri,
                "version": version,
                "sha256": hashlib.sha256(wire.data).hexdigest(),
                "outcome": {"malformed": "quarantined", "duplicate": "duplicate"}.get(
                    wire.kind, "accepted"
                ),
                "_story": id(wire.story) if wire.story else 0,
                "_killed": wire.story.killed if wire.story else False,
            }
        )
    final: dict[int, str] = {}
    for row in rows:
        if row["_story"]:
            kind = row["kind"]
            key = int(str(row["_story"]))
            if row["_killed"]:
                final[key] = "killed"
            elif kind == "embargo":
                final[key] = "embargoed"
            else:
                final.setdefault(key, "published")
    with (out / "manifest.jsonl").open("w") as handle:
        for row in rows:
            key = int(str(row.pop("_story")))
            row.pop("_killed")
            row["final"] = final.get(key, "")
            handle.write(json.dumps(row) + "\n")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1312)
    parser.add_argument("--check", action="store_true", help="parse every file as it is written")
    args = parser.parse_args()
    counts = write(args.out, args.n, args.seed, args.check)
    print(json.dumps({"n": args.n, "seed": args.seed, **counts}))


if __name__ == "__main__":
    main()
