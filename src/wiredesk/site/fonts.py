"""Noto fonts for the scripts Indian wire copy is written in, served by the site itself.

The files come from PyPI packages (fontpkg-noto-sans-*: Google's Noto, OFL), pinned in
pyproject.toml, so an install carries them and no page ever asks a CDN. style.css declares
each with a `unicode-range`, so a browser downloads one only for a page that has a character
of its script: a Latin page downloads none. Urdu is set in Noto Sans Arabic (Naskh style);
Noto Nastaliq Urdu is not packaged on PyPI.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

# URL name -> (package, file inside its files/ folder).
FONTS = {
    "noto-sans-devanagari.ttf": (
        "fontpkg_noto_sans_devanagari",
        "NotoSansDevanagari[wdth,wght].ttf",
    ),
    "noto-sans-arabic.ttf": ("fontpkg_noto_sans_arabic", "NotoSansArabic[wdth,wght].ttf"),
    "noto-sans-tamil.ttf": ("fontpkg_noto_sans_tamil", "NotoSansTamil[wdth,wght].ttf"),
}
# The URL has no version (style.css is a static file); a week is long enough to matter and
# short enough that a font upgrade reaches readers.
CACHE = "public, max-age=604800"


def font_file(name: str) -> Path | None:
    known = FONTS.get(name)
    if known is None:
        return None
    package, filename = known
    try:
        path = Path(str(resources.files(package) / "files" / filename))
    except ModuleNotFoundError:
        return None
    return path if path.is_file() else None


async def font(request: Request) -> Response:
    path = font_file(request.path_params["name"])
    if path is None:
        return PlainTextResponse("Not Found", status_code=404)
    return FileResponse(path, media_type="font/ttf", headers={"cache-control": CACHE})


def routes() -> list[Route]:
    return [Route("/static/fonts/{name}", font)]
