"""What crawlers and link previews read: schema.org NewsArticle JSON-LD and Open Graph.

Built from the same story, dates and pictures as the page, so the headline and dates in the
data are the page's. The JSON-LD sits in <script type="application/ld+json">, which browsers
treat as data, not script (the site's CSP has script-src 'none'); `script_json` escapes it so
no agency text can close the element.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from wiredesk import images
from wiredesk.site.derived import place_url
from wiredesk.site.media import share_height, share_url
from wiredesk.site.render import Dates, first_paragraph, first_sentence, story_url
from wiredesk.store import ShownPicture
from wiredesk.store.models import Story, StoryPlace
from wiredesk.types import Item

_SCRIPT_SAFE = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def description(story: Story) -> str:
    """The story's opening sentence, for meta description and og:description."""
    return first_sentence(first_paragraph(story))


def news_article(
    story: Story,
    item: Item,
    dates: Dates,
    pictures: list[ShownPicture],
    *,
    base_url: str,
    site_title: str,
    places: Sequence[StoryPlace] = (),
) -> dict[str, Any]:
    """schema.org NewsArticle for one story page."""
    url = base_url + story_url(story)
    agency = {"@type": "Organization", "name": story.agency} if story.agency else None
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": story.headline,
        "description": description(story),
        "datePublished": iso(dates.published),
        "dateModified": iso(dates.modified),
        "isAccessibleForFree": True,
        "publisher": {"@type": "Organization", "name": site_title, "url": base_url + "/"},
        "articleSection": story.section,
    }
    if story.language or item.language:
        data["inLanguage"] = story.language or item.language
    if item.byline:
        data["author"] = [{"@type": "Person", "name": item.byline}]
    elif agency:
        data["author"] = [agency]
    if agency:
        data["sourceOrganization"] = agency
    if pictures:
        data["image"] = [_image(p, base_url) for p in pictures]
    # Where the story was filed from: its dateline's places as the gazetteer has them (a
    # dateline naming two, "Kabul/New Delhi", gives two), else the dateline as written.
    filed = [_place(p, base_url) for p in places if p.origin == "dateline" and p.geonameid]
    if filed:
        data["locationCreated"] = filed[0] if len(filed) == 1 else filed
    elif item.dateline:
        data["locationCreated"] = {"@type": "Place", "name": item.dateline}
    return data


def _place(place: StoryPlace, base_url: str) -> dict[str, Any]:
    found: dict[str, Any] = {
        "@type": "Place",
        "name": place.name,
        "url": base_url + place_url(place),
        "sameAs": f"https://www.geonames.org/{place.geonameid}/",
    }
    if place.latitude is not None and place.longitude is not None:
        found["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": place.latitude,
            "longitude": place.longitude,
        }
    if place.country_code:
        address = {"@type": "PostalAddress", "addressCountry": place.country_code}
        if place.admin1:
            address["addressRegion"] = place.admin1
        found["address"] = address
    return found


def _image(picture: ShownPicture, base_url: str) -> dict[str, Any]:
    image: dict[str, Any] = {
        "@type": "ImageObject",
        "url": base_url + share_url(picture),
        "width": images.share_width(picture.width),
        "height": share_height(picture),
    }
    if picture.caption:
        image["caption"] = picture.caption
    if picture.credit:
        image["creditText"] = picture.credit
    return image


def script_json(data: dict[str, Any]) -> Markup:
    """JSON for inside <script>: "<", ">" and "&" as escapes, so "</script>" cannot occur."""
    return Markup(json.dumps(data, ensure_ascii=False, indent=1).translate(_SCRIPT_SAFE))


def share_links(url: str, headline: str) -> list[tuple[str, str]]:
    """(name, address) to share a story: plain links, no third-party script or tracker."""
    text, link = quote(headline, safe=""), quote(url, safe="")
    return [
        ("WhatsApp", f"https://wa.me/?text={quote(headline + ' ' + url, safe='')}"),
        ("X", f"https://x.com/intent/post?text={text}&url={link}"),
        ("Facebook", f"https://www.facebook.com/sharer/sharer.php?u={link}"),
        ("Email", f"mailto:?subject={text}&body={link}"),
    ]
