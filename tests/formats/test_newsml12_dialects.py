"""NewsML 1.2 as Kyodo, ATS and TASS send it: a DTD internal subset, and ids where the
standard does not put them (fixtures in tests/fixtures/dialects, written for these tests)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dialects
from conftest import FIXTURES
from wiredesk import formats
from wiredesk.types import Item

DIALECTS = FIXTURES / "dialects"


def only_item(data: bytes) -> Item:
    return dialects.only_item(data, "newsml12")


def test_kyodo_newsml_with_a_dtd_internal_subset_is_read_whole() -> None:
    item = only_item((DIALECTS / "kyodo-newsml12.xml").read_bytes())
    assert item.uri == "urn:newsml:kyodonews.jp:20261209:2026120900417"
    assert item.version == "1"
    assert item.headline == "Urawa win Emperor's Cup on penalties"
    assert item.dateline == "SAITAMA, Japan, Dec. 9"
    assert item.agency == "Kyodo"
    assert item.body_text == (
        "Urawa Reds beat Kawasaki Frontale 5-4 on penalties after a 1-1 draw to lift the "
        "Emperor's Cup on Saturday, their  first title since 2021.\n\n"
        "The winning kick came from a substitute, who had not scored all season, and the home "
        "end sang for an hour afterwards."
    )
    assert item.versioncreated == datetime(2026, 12, 9, 9, 15, tzinfo=UTC)


def test_ats_newsml_in_latin1_with_a_public_parameter_entity_is_read_whole() -> None:
    item = only_item((DIALECTS / "ats-newsml12.xml").read_bytes())
    assert item.uri == "urn:newsml:sda-ats.ch:20261209:bsf0142"
    assert (item.version, item.signals) == ("2", ["update"])
    assert item.headline == "Le Conseil fédéral prolonge la consultation"
    assert item.byline == "ATS"
    assert item.body_text == (
        "Berne (ATS) Le Conseil fédéral a prolongé mardi la consultation d'un mois.\n\n"
        "Les cantons avaient demandé « plus de temps » pour répondre."
    )


def test_tass_newsml_is_tracked_by_its_component_duid() -> None:
    data = (DIALECTS / "tass-newsml12.xml").read_bytes()
    item = only_item(data)
    assert item.uri == "urn:newsml:tass.com:duid:1592044"
    assert item.headline == "Moscow metro opens three stations on new ring line"
    assert item.dateline == "MOSCOW, December 9"
    assert item.agency == "TASS"
    assert item.body_text == (
        "Three stations of the new ring line opened to passengers on Wednesday, the city's "
        "transport department said.\n\n"
        'The line will carry "up to 400,000 people a day" once complete, it said.'
    )
    # No RevisionId: a corrected re-send is a newer version of the same story, not a no-op.
    corrected = only_item(data.replace(b"three stations", b"3 stations"))
    assert corrected.uri == item.uri and corrected.version != item.version
    assert only_item(data).version == item.version


IDENTIFIERS = {
    "NewsItemId": "<ProviderId>p.example</ProviderId><DateId>20261209</DateId>"
    "<NewsItemId>77</NewsItemId><PublicIdentifier>urn:newsml:other:1:2:3</PublicIdentifier>",
    "PublicIdentifier": "<ProviderId>p.example</ProviderId>"
    "<NewsItemId>77</NewsItemId><PublicIdentifier>urn:newsml:p.example:20261209:77:4"
    "</PublicIdentifier>",
    "NewsItemId without a DateId": "<ProviderId>p.example</ProviderId><NewsItemId>77</NewsItemId>",
    "Duid": "<ProviderId>p.example</ProviderId>",
}


def tass_like(identifier: str, body: str = "Text.", duid: str = 'Duid="d-9"') -> bytes:
    return f"""<NewsML><NewsItem><Identification><NewsIdentifier>{identifier}</NewsIdentifier>
    </Identification><NewsComponent {duid}><NewsLines><HeadLine>Head</HeadLine></NewsLines>
    <AdministrativeMetadata><Provider><Party FormalName="PX"/></Provider></AdministrativeMetadata>
    <ContentItem><MediaType FormalName="Text"/><DataContent><body><p>{body}</p></body></DataContent>
    </ContentItem></NewsComponent></NewsItem></NewsML>""".encode()


@pytest.mark.parametrize(
    ("case", "uri"),
    [
        ("NewsItemId", "urn:newsml:p.example:20261209:77"),
        ("PublicIdentifier", "urn:newsml:p.example:20261209:77"),
        ("NewsItemId without a DateId", "urn:newsml:p.example:77"),
        ("Duid", "urn:newsml:p.example:duid:d-9"),
    ],
)
def test_the_identifier_falls_back_in_the_documented_order(case: str, uri: str) -> None:
    assert only_item(tass_like(IDENTIFIERS[case])).uri == uri


def test_with_no_identifier_the_provider_and_a_content_digest_name_the_story() -> None:
    first = only_item(tass_like("", duid=""))
    assert first.uri.startswith("urn:wiredesk:newsml12:px:")
    assert only_item(tass_like("", duid="")).uri == first.uri
    assert only_item(tass_like("", body="Other.", duid="")).uri != first.uri
    other_provider = tass_like("<ProviderId>q.example</ProviderId>", duid="")
    assert only_item(other_provider).uri.startswith("urn:wiredesk:newsml12:q-example:")


_PARAGRAPH = (
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Zl", "Zp")), min_size=1, max_size=50
    )
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_PARAGRAPH, min_size=1, max_size=4))
def test_any_body_comes_out_of_the_kyodo_shape_as_it_went_in(paragraphs: list[str]) -> None:
    template = (DIALECTS / "kyodo-newsml12.xml").read_text(encoding="utf-8")
    start, end = template.index("<body.content>"), template.index("</body.content>")
    body = "".join(f"<p>{dialects.xml_escaped(p)}</p>" for p in paragraphs)
    data = f"{template[:start]}<body.content>{body}{template[end:]}".encode()
    item = only_item(data)
    if formats.split_opening(paragraphs[0]) is None:
        assert item.body_text == "\n\n".join(paragraphs)
    assert item.uri == "urn:newsml:kyodonews.jp:20261209:2026120900417"


@settings(max_examples=60, deadline=None)
@given(_PARAGRAPH)
def test_any_body_comes_out_of_the_tass_shape_as_it_went_in(paragraph: str) -> None:
    item = only_item(
        tass_like("<ProviderId>tass.com</ProviderId>", body=dialects.xml_escaped(paragraph))
    )
    if formats.split_opening(paragraph) is None:
        assert item.body_text == paragraph
    assert item.uri == "urn:newsml:tass.com:duid:d-9"
