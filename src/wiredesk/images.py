"""Pictures' bytes, with Pillow: checking a received file, and making the site's renditions.

A received picture is checked once, off the ingest path: it must be a JPEG, PNG, GIF or WebP,
within the pixel limit (a small file can decode to gigabytes: a decompression bomb), and it
must decode. Renditions are 320, 640 and 1024 pixels wide and the original width, never
wider than the original, as JPEG and WebP, with EXIF orientation applied and metadata dropped.

The widest rendition is at most MAX_RENDITION_WIDTH pixels wide (a wider one is of no use to a
reader and costs a full decode), and no rendition may be taller than WebP can write
(MAX_ENCODED_SIDE): a picture whose largest rendition would be is refused when checked.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

WIDTHS = (320, 640, 1024)
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
EXTENSIONS = {"jpg": "image/jpeg", "webp": "image/webp"}
# The sizes a browser may pick from; og:image asks for this one.
SHARE_WIDTH = 1024
# WebP cannot encode a side longer than 16383 pixels (JPEG stops at 65535).
MAX_ENCODED_SIDE = 16383
MAX_RENDITION_WIDTH = 4096
_ROTATED = (5, 6, 7, 8)
_EXIF_ORIENTATION = 0x0112


class BadPicture(ValueError):
    """A file that cannot be shown as a picture, with a reason a person can act on."""


@dataclass(frozen=True)
class Checked:
    width: int
    height: int
    contenttype: str


def check(data: bytes, max_pixels: int) -> Checked:
    """The picture's displayed size and type, or BadPicture saying why it is refused."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind = image.format or ""
                if kind not in FORMATS:
                    raise BadPicture(
                        f"a {kind or 'unknown'} image: pictures must be JPEG, PNG, GIF or WebP"
                    )
                width, height = image.size
                if width * height > max_pixels:
                    raise BadPicture(_too_many(width, height, max_pixels))
                if kind == "JPEG":
                    # Decoding at 1/8 scale proves the data as well as a full decode, for less.
                    image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                image.load()
                orientation = image.getexif().get(_EXIF_ORIENTATION, 1)
    except BadPicture:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise BadPicture(f"a decompression bomb: {exc}") from exc
    except UnidentifiedImageError as exc:
        raise BadPicture("not an image: Pillow cannot identify the file's format") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise BadPicture(f"a damaged image: {type(exc).__name__}: {exc}") from exc
    if orientation in _ROTATED:
        width, height = height, width
    if rendition_height(width, height, widest(width)) > MAX_ENCODED_SIDE:
        raise BadPicture(
            f"{width}×{height} pixels is too tall to show: its {widest(width)}-pixel-wide "
            f"rendition would be over the {MAX_ENCODED_SIDE}-pixel side WebP can encode"
        )
    return Checked(width, height, FORMATS[kind])


def widest(original: int) -> int:
    return min(original, MAX_RENDITION_WIDTH)


def rendition_height(width: int, height: int, rendition_width: int) -> int:
    return max(1, round(height * rendition_width / width))


def _too_many(width: int, height: int, max_pixels: int) -> str:
    return (
        f"{width}×{height} pixels ({width * height / 1e6:,.1f} megapixels) is over the "
        f"{max_pixels / 1e6:,.0f}-megapixel limit: a decompression bomb, or an original too "
        "large to show"
    )


def widths(original: int) -> list[int]:
    """Every width the site offers for a picture this wide: no rendition is enlarged, and none
    is wider than MAX_RENDITION_WIDTH."""
    top = widest(original)
    return sorted({w for w in WIDTHS if w < top} | {top})


def share_width(original: int) -> int:
    return min(SHARE_WIDTH, original)


def render(data: bytes, width: int, extension: str) -> bytes:
    """One rendition: `width` pixels wide (the original's aspect), as JPEG or WebP. Raises
    BadPicture when it cannot be made (damaged bytes, or a side over what WebP encodes)."""
    try:
        return _render(data, width, extension)
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as exc:
        raise BadPicture(f"no {width}.{extension} rendition: {type(exc).__name__}: {exc}") from exc


def _render(data: bytes, width: int, extension: str) -> bytes:
    with Image.open(io.BytesIO(data)) as source:
        stored_w, stored_h = source.size
        rotated = source.getexif().get(_EXIF_ORIENTATION, 1) in _ROTATED
        shown_w = stored_h if rotated else stored_w
        scale = min(1.0, width / shown_w)
        if source.format == "JPEG" and scale < 1:
            # Let libjpeg decode at the nearest larger 1/2, 1/4 or 1/8 scale: far less work.
            source.draft("RGB", (int(stored_w * scale) + 1, int(stored_h * scale) + 1))
        source.seek(0)
        image = ImageOps.exif_transpose(source)
        alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        image = image.convert("RGBA" if alpha else "RGB")
        if image.width > width:
            height = max(1, round(image.height * width / image.width))
            image = image.resize((width, height), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        if extension == "webp":
            image.save(out, "WEBP", quality=80, method=4)
        else:
            if alpha:
                flat = Image.new("RGB", image.size, (255, 255, 255))
                flat.paste(image, mask=image.getchannel("A"))
                image = flat
            image.save(out, "JPEG", quality=82, optimize=True, progressive=True)
        return out.getvalue()
