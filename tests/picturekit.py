"""Pictures made with Pillow for tests, and a real HTTP server on loopback that serves them."""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from livesite import serving


def jpeg(
    width: int = 1600, height: int = 900, colour: tuple[int, int, int] = (30, 90, 160)
) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "JPEG", quality=85)
    return out.getvalue()


def png(width: int, height: int, mode: str = "RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height)).save(out, "PNG")
    return out.getvalue()


def bomb() -> bytes:
    """A 17 KB PNG that decodes to 144 million pixels."""
    return png(12_000, 12_000, mode="1")


@dataclass
class PictureServer:
    """Paths to (status, content type, body); every request is counted."""

    base: str = ""
    files: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)

    def put(self, path: str, body: bytes, kind: str = "image/jpeg", status: int = 200) -> str:
        self.files[path] = (status, kind, body)
        return self.base + path


@contextmanager
def picture_server() -> Iterator[PictureServer]:
    server = PictureServer()

    async def serve(request: Request) -> Response:
        path = request.url.path
        server.hits[path] += 1
        status, kind, body = server.files.get(path, (404, "text/plain", b"not here"))
        return Response(body, status_code=status, media_type=kind)

    app = Starlette(routes=[Route("/{path:path}", serve)])
    with serving(app) as base:
        server.base = base
        yield server


def ninjs_with_picture(
    uri: str,
    href: str,
    *,
    caption: str = "Fans shelter from the rain at Chepauk.",
    credit: str = "Demo Photographer",
    picture_uri: str = "",
    version: int = 1,
    pubstatus: str = "usable",
    embargoed: str = "",
    headline: str = "Rain delays final",
    body: str = "Chennai, May 30 (PTI) Rain delayed the start. The toss was put off.\n\nMore.",
) -> bytes:
    story: dict[str, object] = {
        "uri": uri,
        "type": "text",
        "version": str(version),
        "pubstatus": pubstatus,
        "headline": headline,
        "body_text": body,
        "copyrightholder": "PTI",
        "associations": {
            "featuremedia": {
                "uri": picture_uri or f"{uri}:picture",
                "type": "picture",
                "description_text": caption,
                "by": credit,
                "renditions": {"original": {"href": href, "mimetype": "image/jpeg"}},
            }
        },
    }
    if embargoed:
        story["embargoed"] = embargoed
    return json.dumps(story).encode()


def g2_picture(
    guid: str, href: str, *, version: int = 1, pubstatus: str = "usable", caption: str = "A caption"
) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="{guid}" version="{version}" standard="NewsML-G2" standardversion="2.33">
  <itemMeta><itemClass qcode="ninat:picture"/><provider qcode="nprov:PTI"/>
    <versionCreated>2026-06-01T10:00:00Z</versionCreated><pubStatus qcode="stat:{pubstatus}"/></itemMeta>
  <contentMeta><headline>Picture headline</headline>
    <description role="drol:caption">{caption}</description><creditline>PTI Photo</creditline></contentMeta>
  <contentSet>
    <remoteContent rendition="rnd:thumbnail" href="{href}?thumb" width="100" height="56" contenttype="image/jpeg"/>
    <remoteContent rendition="rnd:highRes" href="{href}" width="1600" height="900" contenttype="image/jpeg"/>
  </contentSet>
</newsItem>""".encode()


def g2_package(guid: str, text_uri: str, picture_uris: list[str], *, version: int = 1) -> bytes:
    refs = "".join(
        f'<itemRef residref="{p}"><itemClass qcode="ninat:picture"/><title>{p}</title></itemRef>'
        for p in picture_uris
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<packageItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="{guid}" version="{version}" standard="NewsML-G2" standardversion="2.33">
  <itemMeta><itemClass qcode="ninat:composite"/><provider qcode="nprov:PTI"/>
    <versionCreated>2026-06-01T10:00:00Z</versionCreated><pubStatus qcode="stat:usable"/></itemMeta>
  <groupSet root="G1"><group id="G1" role="group:main">
    <itemRef residref="{text_uri}"><itemClass qcode="ninat:text"/></itemRef>{refs}
  </group></groupSet>
</packageItem>""".encode()
