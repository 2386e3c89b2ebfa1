"""Acceptance: the seed through the real desk, its quotes and places on every output."""

from __future__ import annotations

import pytest
from lxml import html

import seedwire
from sitekit import publish, site_client, url
from wiredesk import Desk

SPEAKERS = {
    "anaamullah-samangani": "Anaamullah Samangani",
    "baba-shirin": "Baba Shirin",
    "fahim-dashti": "Fahim Dashti",
}


def test_the_seeds_three_speakers_on_the_story_page_json_and_people_pages(
    desk: Desk, seed_text: str
) -> None:
    story = publish(desk, seedwire.nitf(seedwire.read_seed(seed_text)))
    with site_client(desk) as site:
        doc = html.fromstring(site.get(url(story)).text)
        block = doc.xpath("//aside[@class='quotes']//a[starts-with(@href, '/people/')]")
        assert {a.text_content() for a in block} == set(SPEAKERS.values())
        data = site.get(url(story) + ".json").json()
        assert {q["speaker"] for q in data["quotes"]} == set(SPEAKERS.values())
        for q in data["quotes"]:
            assert q["end"] > q["start"] and data["body_text"][q["start"] : q["end"]]
        for slug, name in SPEAKERS.items():
            page = site.get(f"/people/{slug}")
            assert page.status_code == 200, slug
            people = html.fromstring(page.text)
            assert people.findtext(".//h1") == name
            for quoted in people.xpath("//blockquote"):
                assert quoted.text_content() in story.body_text
            assert url(story) in page.text


def test_the_seeds_dateline_resolves_to_kabul_and_new_delhi(desk: Desk, seed_text: str) -> None:
    pytest.importorskip("wiredesk.enrich.places", reason="the places resolver is not merged")
    story = publish(desk, seedwire.nitf(seedwire.read_seed(seed_text)))
    with site_client(desk) as site:
        data = site.get(url(story) + ".json").json()
        assert [(p["name"], p.get("country")) for p in data["places"]] == [
            ("Kabul", "AF"),
            ("New Delhi", "IN"),
        ]
        links = html.fromstring(site.get(url(story)).text).xpath("//p[@class='places']//a/@href")
        for href in links:
            assert site.get(href).status_code == 200
            assert url(story) in site.get(href).text
