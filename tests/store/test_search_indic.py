"""Search in Hindi, Urdu and Tamil on both databases: a word matches as a whole, whatever its
Unicode form (NFC or NFD, with or without nukta, नयी or नई)."""

from __future__ import annotations

import unicodedata

from conftest import FakeClock
from wire import ninjs
from wiredesk import Desk
from wiredesk.store.search import Query, snippet

SAID = (
    "काबुल/नयी दिल्ली, एक सितंबर (भाषा) अफगानिस्तान के पंजशीर प्रांत में तालिबान और प्रतिरोधी "
    "मोर्चे के बीच लड़ाई जारी है। मोर्चे के प्रवक्ता ने कहा कि उनके लड़ाके पीछे नहीं हटेंगे।"
)
NOWHERE = "श्रीनगर, 12 जून (वार्ता) बर्फबारी के कारण राजमार्ग बंद रहा और यात्री कहीं नहीं जा सके।"
# Written with precomposed nukta letters (U+095D ढ़, U+095B ज़) and the नई spelling.
NEED = "मुंबई, 12 जून (आईएएनएस) नई सरकार को \u095bरूरत है कि वह बा\u095d पीड़ितों की मदद करे।"
URDU = "کابل، یکم ستمبر (یو این آئی) افغانستان کے صوبہ پنجشیر میں لڑائی جاری ہے۔"
TAMIL = "சென்னை, ஜூன் 12 (பிடிஐ) சென்னையில் கனமழை பெய்தது என்று அதிகாரிகள் தெரிவித்தனர்."


def put(desk: Desk, uri: str, body: str, headline: str = "समाचार") -> int:
    return desk.receive(ninjs(uri, body, headline=headline), source="pti").stories[0]


def found(desk: Desk, clock: FakeClock, query: str) -> list[int]:
    return sorted(hit.story.id for hit in desk.store.search(clock.now, query))


def test_hindi_words_match_whole_in_any_form(desk: Desk, clock: FakeClock) -> None:
    said = put(desk, "urn:hi:1", SAID, headline="पंजशीर में लड़ाई जारी")
    nowhere = put(desk, "urn:hi:2", NOWHERE)
    need = put(desk, "urn:hi:3", NEED)
    urdu = put(desk, "urn:ur:1", URDU)
    tamil = put(desk, "urn:ta:1", TAMIL)

    # A whole word: कहा is not कहीं (unicode61 alone splits both to "कह" at the vowel sign).
    assert found(desk, clock, "कहा") == [said]
    assert found(desk, clock, "कहीं") == [nowhere]
    assert found(desk, clock, "कह") == []
    # NFD (as some keyboards and systems send it) finds NFC text, and the other way round.
    assert found(desk, clock, unicodedata.normalize("NFD", "लड़ाई")) == [said]
    assert found(desk, clock, "पंजशीर प्रतिरोधी") == [said]
    assert found(desk, clock, '"प्रतिरोधी मोर्चे"') == [said]
    assert found(desk, clock, '"मोर्चे प्रतिरोधी"') == []
    # Nukta: precomposed in the text, typed decomposed or without it in the query.
    assert found(desk, clock, "ज़रूरत") == [need]
    assert found(desk, clock, "\u091c\u093c\u0930\u0942\u0930\u0924") == [need]
    assert found(desk, clock, "जरूरत") == [need]
    assert found(desk, clock, "बाढ़") == [need]
    # नयी and नई are one word.
    assert found(desk, clock, "नयी सरकार") == [need]
    assert found(desk, clock, "नई सरकार") == [need]
    # Urdu (and Urdu typed with Arabic kaf), Tamil. (Datelines are not in the text searched.)
    assert found(desk, clock, "لڑائی") == [urdu]
    assert found(desk, clock, "پنجشیر") == [urdu]
    assert found(desk, clock, "\u0643\u06d2 \u0635\u0648\u0628\u06c1") == [urdu]  # كے صوبہ
    assert found(desk, clock, "சென்னையில்") == [tamil]
    assert found(desk, clock, "அதிகாரிகள்") == [tamil]


def test_hindi_snippet_marks_the_word_as_written() -> None:
    marked = snippet(NEED, Query.parse("जरूरत"))
    assert "<mark>\u095bरूरत</mark>" in marked
    assert "<mark>कहा</mark>" in snippet(SAID, Query.parse("कहा"))
