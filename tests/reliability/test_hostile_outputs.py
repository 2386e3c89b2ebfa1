"""The hostile corpus against every XML output and the static export (issue 24).

Each hostile file (the desk corpus, the spool's extra files, characters XML cannot carry, a
uri too long, the 17000-pixel-wide picture) is ingested with a good story after it; after each,
every feed and sitemap served over real HTTP must parse as XML. Then the static export must
hold the same outputs well-formed, and a kill must reach it with the wide picture in the store.
"""

from __future__ import annotations

import importlib.util
import io
import json
import sys
from pathlib import Path

import httpx
import pytest
from lxml import etree
from PIL import Image

from livesite import serving
from picturekit import ninjs_with_picture
from wire import ninjs
from wiredesk import Desk
from wiredesk.deliver.export import Exporter
from wiredesk.desk.picture_worker import PictureWorker
from wiredesk.site.app import create_app

HERE = Path(__file__).resolve().parent
XML_CHARS = ["\x01", "\x08", "\x0b", "\x0c", "\x1f", "\ufffe", "\uffff"]


def corpus() -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    spec = importlib.util.spec_from_file_location("hostile_spool", HERE / "test_hostile_spool.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # its dataclasses look their module up
    spec.loader.exec_module(module)
    for name, (data, _reason) in {**module.desk_corpus(), **module.EXTRA}.items():
        files[name] = data
    for char in XML_CHARS:
        for field in ("headline", "body_text", "byline"):
            item = {"uri": f"urn:xml:{ord(char)}:{field}", "headline": "H", "body_text": "B"}
            item[field] = f"Before{char}after"
            files[f"xml-{ord(char):04x}-{field}.json"] = json.dumps(item).encode()
    files["long-uri.json"] = ninjs("urn:long:" + "u" * 100_000, "Text.")
    return files


def xml_paths(site: httpx.Client) -> list[str]:
    paths = ["/feed.atom", "/feed.rss", "/sitemap.xml", "/news-sitemap.xml"]
    sitemap = etree.fromstring(site.get("/sitemap.xml").content)
    sections = {
        loc.text.split("/")[3]
        for loc in sitemap.iter("{*}loc")
        if loc.text and loc.text.count("/") >= 4
    }
    for section in sorted(sections):
        paths += [f"/{section}/feed.atom", f"/{section}/feed.rss"]
    return paths


def well_formed(site: httpx.Client, after: str) -> int:
    paths = xml_paths(site)
    for path in paths:
        response = site.get(path)
        if response.status_code != 200:
            continue
        try:
            etree.fromstring(response.content)
        except etree.XMLSyntaxError as exc:
            raise AssertionError(f"{path} is ill-formed after {after}: {exc}") from exc
    return len(paths)


def wide_png() -> bytes:
    out = io.BytesIO()
    Image.new("L", (17_000, 3_000), 120).save(out, "PNG")
    return out.getvalue()


def test_every_xml_output_and_the_export_survive_the_hostile_corpus(
    desk: Desk, tmp_path: Path
) -> None:
    if desk.store.engine.dialect.name != "sqlite":
        pytest.skip("one database is enough: the outputs are the same")
    desk.receive(wide_png(), source="pti", filename="wide.png")
    desk.receive(
        ninjs_with_picture("urn:wide", "wide.png", headline="Wide picture", body="Wide text."),
        source="pti",
    )
    assert PictureWorker(desk).drain() == 1
    with (
        serving(create_app(desk.config, desk.store, clock=desk.clock)) as base,
        httpx.Client(base_url=base, timeout=60) as site,
    ):
        for n, (name, data) in enumerate(sorted(corpus().items())):
            desk.receive(data, source="pti", filename=name)
            desk.receive(ninjs(f"urn:good:{n}", "Good text.", headline=f"Good {n}"), source="pti")
            assert well_formed(site, name) >= 4
    out = tmp_path / "export"
    exporter = Exporter(desk, out)
    try:
        result = exporter.full()
        assert not result.failed, result.failed
        for path in out.rglob("*"):
            if path.suffix in (".atom", ".rss", ".xml") and ".wiredesk" not in path.parts:
                etree.fromstring(path.read_bytes())
        desk.receive(ninjs("urn:wide", "Kill.", version=2, pubstatus="canceled"), source="pti")
        story = next(s for s in desk.store.stories() if s.uri == "urn:wide")
        result = exporter.update([story.id])
        assert not result.failed, result.failed
    finally:
        exporter.close()
    exported = "".join(
        p.read_text("utf-8", "replace")
        for p in out.rglob("*")
        if p.is_file()
        and ".wiredesk" not in p.parts
        and p.suffix in ("", ".html", ".xml", ".atom", ".rss", ".json", ".txt")
    )
    assert "Wide text." not in exported and "Wide picture" not in exported
