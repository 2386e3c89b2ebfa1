"""In Debian's Chromium: Hindi, Urdu and Tamil pages render in the Noto fonts the site serves
(no tofu boxes), Urdu right to left, a Latin page downloads no font, and axe-core finds no
violations on the Hindi and Urdu pages.

This machine's only fonts are DejaVu, which has no Devanagari or Tamil: without the site's
fonts those letters are all the same box. A box has one width whatever the letter, so each
letter's own width tells a glyph from a box; the same letters forced into a font without them
show the check can fail.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from axekit import axe_source
from browserkit import needs_chromium
from livesite import serving
from wire import ninjs
from wiredesk import Desk
from wiredesk.site.app import create_app
from wiredesk.store.models import Story

pytestmark = needs_chromium

STORIES = {
    "hi": (
        "पंजशीर में तालिबान और प्रतिरोधी मोर्चे के बीच लड़ाई जारी",
        "काबुल/नयी दिल्ली, एक सितंबर (भाषा) अफगानिस्तान के पंजशीर प्रांत में लड़ाई जारी है।",
        "Noto Sans Devanagari",
        "कखगघचजटठडतथदनपफबमयरलवशसह",
    ),
    "ur": (
        "پنجشیر میں طالبان اور مزاحمتی محاذ کے درمیان لڑائی جاری",
        "کابل، یکم ستمبر (یو این آئی) افغانستان کے صوبہ پنجشیر میں لڑائی جاری ہے۔",
        "Noto Sans Arabic",
        "ابپتٹجچحخدڈرڑزسشصطعغفقکگلمنوہیے",
    ),
    "ta": (
        "பஞ்ச்ஷீரில் தாலிபான் மற்றும் எதிர்ப்பு முன்னணி இடையே சண்டை",
        "காபூல், செப். 1 (பிடிஐ) ஆப்கானிஸ்தானின் பஞ்ச்ஷீர் மாகாணத்தில் சண்டை தொடர்கிறது.",
        "Noto Sans Tamil",
        "அஆஇஈஉஊஎஏஐஒகஙசஞடணதநபமயரலவழளறன",
    ),
}
# Letter by letter, each in its own span in the given font; their widths.
WIDTHS = """([letters, family]) => {
  const host = document.querySelector('article h1');
  return [...letters].map(ch => {
    const span = document.createElement('span');
    span.textContent = ch;
    if (family) span.style.fontFamily = family;
    host.appendChild(span);
    const width = span.getBoundingClientRect().width;
    span.remove();
    return Math.round(width * 100) / 100;
  });
}"""


@pytest.fixture
def site(desk: Desk) -> Iterator[tuple[str, dict[str, Story]]]:
    if desk.store.url.startswith("postgresql"):
        pytest.skip("the browser checks pages, not the database: SQLite is enough")
    stories = {}
    for lang, (headline, body, _family, _letters) in STORIES.items():
        outcome = desk.receive(ninjs(f"urn:{lang}", body, headline=headline), source="pti")
        found = desk.store.story(outcome.stories[0])
        assert found is not None and found.language == lang
        stories[lang] = found
    english = desk.receive(
        ninjs("urn:en", "NEW DELHI, Sep 1 (PTI) The fighting went on, officials said."),
        source="pti",
    )
    found = desk.store.story(english.stories[0])
    assert found is not None
    stories["en"] = found
    with serving(create_app(desk.config, desk.store, clock=desk.clock)) as base:
        yield base, stories


def _open(browser: Any, url: str) -> tuple[Any, list[str]]:
    page = browser.new_page()
    fetched: list[str] = []
    page.on("response", lambda r: fetched.append(f"{r.status} {r.url}"))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")
    return page, fetched


@pytest.mark.parametrize("lang", ["hi", "ur", "ta"])
def test_indian_scripts_render_in_the_served_fonts(
    site: tuple[str, dict[str, Story]], browser: Any, lang: str
) -> None:
    base, stories = site
    story = stories[lang]
    _headline, _body, family, letters = STORIES[lang]
    page, fetched = _open(browser, f"{base}/{story.section}/{story.slug}")
    assert page.evaluate("document.documentElement.lang") == lang
    expected_dir = "rtl" if lang == "ur" else "ltr"
    assert page.evaluate("getComputedStyle(document.querySelector('article')).direction") == (
        expected_dir
    )
    # The font came from the site itself, and it is the one the letters are set in.
    served = [f for f in fetched if "/static/fonts/" in f]
    assert served and all(f.startswith("200 ") and f.startswith(f"200 {base}") for f in served)
    loaded = page.evaluate(
        "f => [...document.fonts].filter(x => x.family.replaceAll('\"', '') === f)"
        ".map(x => x.status)",
        family,
    )
    assert loaded == ["loaded"], loaded
    assert page.evaluate(f"document.fonts.check('18px \"{family}\"', {letters!r})")
    widths = page.evaluate(WIDTHS, [letters, ""])
    # Real glyphs differ in width; boxes do not.
    assert len(set(widths)) >= len(letters) // 4, widths
    if lang != "ur":
        # The same letters in a font without them (and no system fallback for the script) are
        # boxes, all one width: the check above can fail.
        boxes = page.evaluate(WIDTHS, [letters, "'DejaVu Serif'"])
        assert len(set(boxes)) == 1, boxes
        heading = page.locator("article h1")
        rendered = heading.screenshot()
        heading.evaluate("h => h.style.fontFamily = \"'DejaVu Serif'\"")
        assert heading.screenshot() != rendered
    page.close()


def test_a_latin_page_downloads_no_font(site: tuple[str, dict[str, Story]], browser: Any) -> None:
    base, _stories = site
    # Search shows only the stories that match (a story page's rail lists the others, in
    # their scripts, and rightly loads their fonts).
    page, fetched = _open(browser, f"{base}/search?q=officials")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("ol.stories li").count() == 1
    assert [f for f in fetched if "/static/fonts/" in f] == []
    page.close()


@pytest.mark.parametrize("lang", ["hi", "ur"])
def test_axe_finds_no_violations_on_hindi_and_urdu_pages(
    site: tuple[str, dict[str, Story]], browser: Any, lang: str
) -> None:
    base, stories = site
    axe = axe_source()
    context = browser.new_context(bypass_csp=True)  # injecting axe needs a script
    page = context.new_page()
    story = stories[lang]
    for path in (f"/{story.section}/{story.slug}", "/", f"/search?q={STORIES[lang][0].split()[0]}"):
        response = page.goto(base + path)
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")
        page.evaluate(axe)
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        violations = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"]
        ]
        assert violations == [], (path, violations)
    context.close()
