"""Pictures for the demo wire, drawn with Pillow when the demo starts: no photographs ship.

Each is named by a file in the bundled wire (a NewsML-G2 picture item in a package, a ninjs
association, a NITF <media>), and is received beside it like an agency's picture file.
"""

from __future__ import annotations

import io
import math

from PIL import Image, ImageDraw

SIZE = (1600, 900)


def _sky(top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    for y in range(SIZE[1]):
        t = y / SIZE[1]
        draw.line(
            [(0, y), (SIZE[0], y)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    return image


def _rain(draw: ImageDraw.ImageDraw, colour: tuple[int, int, int], step: int = 37) -> None:
    for n in range(0, 4000, step):
        x, y = (n * 7919) % SIZE[0], (n * 104729) % SIZE[1]
        draw.line([(x, y), (x - 12, y + 40)], fill=colour, width=2)


def monsoon() -> Image.Image:
    image = _sky((70, 80, 95), (150, 160, 170))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 650, SIZE[0], SIZE[1]], fill=(30, 70, 45))
    for x in range(80, SIZE[0], 260):
        draw.rectangle([x + 40, 420, x + 60, 660], fill=(70, 50, 30))
        draw.ellipse([x - 40, 330, x + 140, 470], fill=(25, 95, 50))
    _rain(draw, (200, 210, 225))
    return image


def markets() -> Image.Image:
    image = _sky((10, 25, 60), (20, 45, 95))
    draw = ImageDraw.Draw(image)
    for x in range(0, SIZE[0], 100):
        draw.line([(x, 0), (x, SIZE[1])], fill=(35, 60, 110))
    for y in range(0, SIZE[1], 100):
        draw.line([(0, y), (SIZE[0], y)], fill=(35, 60, 110))
    points = [(x, 650 - x * 0.25 - 60 * math.sin(x / 90)) for x in range(0, SIZE[0] + 1, 20)]
    draw.line(points, fill=(80, 220, 120), width=8)
    return image


def cricket() -> Image.Image:
    image = _sky((110, 120, 135), (170, 180, 190))
    draw = ImageDraw.Draw(image)
    draw.ellipse([-200, 380, SIZE[0] + 200, 1300], fill=(40, 130, 60))
    draw.polygon([(740, 520), (860, 520), (900, 900), (700, 900)], fill=(190, 170, 120))
    draw.polygon([(700, 560), (900, 560), (960, 900), (640, 900)], outline=(235, 235, 235), width=4)
    _rain(draw, (225, 230, 240), step=29)
    return image


def rail() -> Image.Image:
    image = _sky((120, 170, 220), (200, 225, 240))
    draw = ImageDraw.Draw(image)
    draw.polygon(
        [(0, 700), (300, 300), (650, 620), (1000, 250), (1600, 680), (1600, 900), (0, 900)],
        fill=(60, 110, 70),
    )
    track = [(x, 760 - 120 * math.sin(x / 260)) for x in range(0, SIZE[0] + 1, 20)]
    draw.line(track, fill=(90, 80, 70), width=14)
    for n, x in enumerate(range(500, 1100, 150)):
        y = 760 - 120 * math.sin((x + 60) / 260)
        draw.rectangle([x, y - 70, x + 130, y - 10], fill=(170, 40, 40) if n else (40, 40, 120))
    return image


PICTURES = {
    "rail-hills.jpg": rail,
    "monsoon-kerala.jpg": monsoon,
    "markets-board.jpg": markets,
    "cricket-chepauk.jpg": cricket,
}


def demo_pictures() -> dict[str, bytes]:
    """File name -> JPEG bytes, drawn now."""
    out = {}
    for name, draw in PICTURES.items():
        buffer = io.BytesIO()
        draw().save(buffer, "JPEG", quality=85, optimize=True)
        out[name] = buffer.getvalue()
    return out
