"""Who said what in Hindi and Urdu: the labelled sets (dev and held-out), the seed in Hindi."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wiredesk.desk.publish import slugify
from wiredesk.enrich.quotes import find_quotes, rules_for
from wiredesk.enrich.quotes_hi import script_language
from wiredesk.enrich.types import Quote

HERE = Path(__file__).parent
SEED_HI = HERE / "seed_hi.txt"
# Dev: tuned against. Held-out: labelled and committed before the extractor existed; heldout2:
# after the changes that followed the first held-out run, before the rules ran on it. Neither
# is tuned against: the thresholds are asserted on dev, a lower floor on the held-out sets.
DEV, HELDOUT, HELDOUT2 = "quotes_hi_dev.txt", "quotes_hi_heldout.txt", "quotes_hi_heldout2.txt"
FLOORS = {DEV: (0.95, 0.80), HELDOUT: (0.85, 0.70), HELDOUT2: (0.85, 0.70)}
SPLITS = {DEV: "dev", HELDOUT: "heldout", HELDOUT2: "heldout2"}


def seed_body() -> str:
    """The seed story in Hindi, after its dateline (as the English seed's test takes it)."""
    blocks = SEED_HI.read_text(encoding="utf-8").strip().split("\n\n")[:-1]  # no disclaimer
    return "\n\n".join(blocks).split("(भाषा) ", 1)[1]


def load(name: str) -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    """(id, language, body, [(speaker, opening words)]) of each story in a labelled file."""
    stories = []
    text = (HERE / name).read_text(encoding="utf-8")
    for block in text.split("\n=== ")[1:]:
        head, _, rest = block.partition("\n")
        ident = head.split("|")[0].strip()
        body_part, _, expect = rest.partition("--- expect")
        labels = [
            (s.strip(), o.strip())
            for s, o in (line.split("|", 1) for line in expect.strip().splitlines() if "|" in line)
        ]
        if ident == "seed-hi":
            body = seed_body()
        else:
            paras = [p.strip() for p in re.split(r"\n\s*\n", body_part.strip())]
            body = "\n\n".join(p for p in paras if not p.startswith("#"))
        stories.append((ident, "ur" if ident.startswith("ur-") else "hi", body, labels))
    return stories


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def score(name: str, detect: bool = False) -> tuple[int, int, int]:
    """(correct, found, labelled); a find is correct when speaker and opening words match."""
    correct = found = labelled = 0
    for _ident, language, body, labels in load(name):
        quotes = find_quotes(body, "" if detect else language)
        found += len(quotes)
        labelled += len(labels)
        left = list(labels)
        for q in quotes:
            for label in left:
                if _squash(q.speaker) == label[0] and _squash(q.text).startswith(label[1]):
                    left.remove(label)
                    correct += 1
                    break
    return correct, found, labelled


@pytest.mark.parametrize("name", list(SPLITS))
def test_hindi_and_urdu_quotes_precision_and_recall(name: str) -> None:
    c, f, n = score(name)
    split = f"hi/ur {SPLITS[name]}" + ("" if name == DEV else " (never tuned against)")
    print(f"\nquotes {split}: precision {c}/{f} = {c / max(f, 1):.1%}, recall {c}/{n} = "
          f"{c / max(n, 1):.1%}")  # fmt: skip
    precision, recall = FLOORS[name]
    assert n >= 20
    assert c / max(f, 1) >= precision
    assert c / n >= recall


def test_the_labelled_sets_hold_over_100_quotations_both_languages() -> None:
    stories = load(DEV) + load(HELDOUT) + load(HELDOUT2)
    hindi = sum(len(s[3]) for s in stories if s[1] == "hi")
    urdu = sum(len(s[3]) for s in stories if s[1] == "ur")
    heldout = sum(len(s[3]) for s in load(HELDOUT) + load(HELDOUT2))
    assert hindi + urdu >= 100 and urdu >= 25
    assert 0.3 <= heldout / (hindi + urdu) <= 0.45


@pytest.mark.parametrize("name", list(SPLITS))
def test_the_script_chooses_the_rules_when_the_language_is_empty(name: str) -> None:
    for _, language, body, _ in load(name):
        assert script_language(body) == language
        assert find_quotes(body, "") == find_quotes(body, language)


def _check(body: str, language: str) -> list[Quote]:
    paragraphs = [p for p in body.split("\n\n") if p]
    found = find_quotes(body, language)
    for q in found:
        assert body[q.start : q.end] == q.text  # an exact slice: the agency's own characters
        assert 0 <= q.first_paragraph <= q.last_paragraph < len(paragraphs)
        assert q.text.split()[0] in paragraphs[q.first_paragraph]
        assert q.speaker.strip() and q.speaker in body
    return found


@pytest.mark.parametrize("name", list(SPLITS))
def test_every_labelled_quote_is_an_exact_slice_of_the_body(name: str) -> None:
    for _, language, body, _ in load(name):
        _check(body, language)


def test_the_hindi_seed_finds_the_three_speakers_of_the_english_seed() -> None:
    got = [(q.speaker, q.role, q.text.split()[0]) for q in _check(seed_body(), "hi")]
    assert got == [
        ("अनामुल्ला समांगनी", "तालिबान के सांस्कृतिक आयोग के सदस्य", "इस्लामी"),
        ("बाबा शीरिन", "इलाके के निवासी", "लड़ाई"),
        ("फहीम दश्ती", "प्रतिरोधी मोर्चे के प्रवक्ता", "पिछले"),
    ]


def _said(body: str, language: str = "hi") -> list[tuple[str, str]]:
    return [(q.speaker, q.text.split()[0]) for q in _check(body, language)]


def test_attribution_forms_before_and_after_the_quotation() -> None:
    assert _said("गृह मंत्री अमित शाह ने कहा, ‘‘हम तैयार हैं।’’") == [("अमित शाह", "हम")]
    assert _said("अमित शाह ने संवाददाताओं से कहा कि “हम तैयार हैं।”") == [("अमित शाह", "हम")]
    assert _said('"हम तैयार हैं," अमित शाह ने कहा।') == [("अमित शाह", "हम")]
    assert _said("प्रवक्ता अनिल कुमार के मुताबिक, ‘‘काम जारी है।’’") == [("अनिल कुमार", "काम")]
    assert _said("अनिल कुमार के अनुसार ‘काम जारी है।’") == [("अनिल कुमार", "काम")]
    assert _said("अनिल कुमार ने बताया, ‘‘काम जारी है।’’") == [("अनिल कुमार", "काम")]
    assert _said('عمران خان نے کہا، "ہم تیار ہیں۔"', "ur") == [("عمران خان", "ہم")]
    assert _said("”ہم تیار ہیں،“ عمران خان نے کہا۔", "ur") == [("عمران خان", "ہم")]
    assert _said("عمران خان کے مطابق، ‘‘ہم تیار ہیں۔’’", "ur") == [("عمران خان", "ہم")]
    # ‘‘ ’’ typed as two apostrophes; "का कहना है कि"; a quotation split by its attribution.
    assert _said("अनिल कुमार ने कहा, ''काम जारी है।''") == [("अनिल कुमार", "काम")]
    assert _said("अनिल कुमार का कहना है कि ‘‘काम जारी है।’’") == [("अनिल कुमार", "काम")]
    body = "‘‘काम जारी है,’’ अनिल कुमार ने कहा, ‘‘और चलता रहेगा।’’"
    assert _said(body) == [("अनिल कुमार", "काम"), ("अनिल कुमार", "और")]
    body = "अनिल कुमार ने कहा, ‘‘काम जारी है।\n\n‘‘यह चलता रहेगा।’’"
    assert [(q.first_paragraph, q.last_paragraph) for q in find_quotes(body, "hi")] == [(0, 1)]


def test_pronouns_surnames_and_honorifics_mean_the_person_named_before() -> None:
    body = "मुख्यमंत्री नीतीश कुमार ने दौरा किया।\n\nउन्होंने कहा, ‘‘राहत जारी है।’’"
    assert _said(body) == [("नीतीश कुमार", "राहत")]
    body = "नीतीश कुमार ने दौरा किया।\n\n‘‘राहत जारी है,’’ श्री कुमार ने कहा।"
    assert _said(body) == [("नीतीश कुमार", "राहत")]
    body = "नीरज चोपड़ा ने स्वर्ण जीता।\n\nनीरज ने कहा, ‘‘यह देश का पदक है।’’"
    assert _said(body) == [("नीरज चोपड़ा", "यह")]
    # A first name is not stretched over the verb after the full name.
    assert _said("नीरज चोपड़ा जीते।\n\nनीरज ने कहा, ‘‘यह देश का पदक है।’’") == []
    body = "عمران خان نے دورہ کیا۔\n\nانہوں نے کہا، ”امداد جاری ہے۔“"
    assert _said(body, "ur") == [("عمران خان", "امداد")]
    # Nobody was named: the pronoun and the lone surname mean no one.
    assert _said("उन्होंने कहा, ‘‘राहत जारी है।’’") == []
    assert _said("शाह ने कहा, ‘‘राहत जारी है।’’") == []


def test_institutions_anonymous_sources_titles_and_slogans_give_nothing() -> None:
    assert _said("रक्षा मंत्रालय ने एक बयान में कहा, ‘‘वार्ता जारी रहेगी।’’") == []
    assert _said("सेना के एक अधिकारी ने कहा, ‘‘नजर रखी जा रही है।’’") == []
    assert _said("सूत्रों ने बताया, ‘‘वार्ता अगले महीने होगी।’’") == []
    assert _said("मौसम विभाग के अनुसार, ‘‘बारिश होगी।’’") == []
    assert _said("पुलिस ने कहा, ‘‘जांच जारी है।’’") == []
    assert _said("लोगों ने ‘‘भारत माता की जय’’ के नारे लगाए।") == []
    assert _said("फिल्म ‘‘टिप टिप बरसा पानी’’ हिट रही, निर्माता ने कहा।") == []
    assert _said("उन्होंने इसे ‘‘ऐतिहासिक फैसला’’ बताया।") == []
    assert _said('پولیس نے ایک بیان میں کہا، "صورتحال قابو میں ہے۔"', "ur") == []


def test_script_range_picks_the_rules() -> None:
    assert script_language("नयी दिल्ली, एक सितंबर (भाषा) लड़ाई जारी है।") == "hi"
    assert script_language("اسلام آباد، 23 مارچ (اے پی پی) وزیر اعظم نے کہا") == "ur"
    assert script_language("Kabul, Sep 1 (PTI) Fighting is on; नमस्ते") == ""
    assert rules_for("लड़ाई जारी है", "") == "hi"
    assert rules_for("Fighting is on and the talks of the day were said to fail", "") == "en"
    assert rules_for("लड़ाई जारी है", "de") == ""


def test_a_speaker_slug_is_made_by_the_one_slug_function() -> None:
    quote = _said_quotes("अमित शाह ने कहा, ‘‘हम तैयार हैं।’’")[0]
    assert quote.speaker_slug == slugify(quote.speaker)
    if not slugify("अमित शाह"):
        pytest.skip("slugify keeps no Devanagari yet (issue 21 item 2 makes it keep the script)")
    assert quote.speaker_slug == "अमित-शाह"


def _said_quotes(body: str) -> list[Quote]:
    return _check(body, "hi")


WORDS = st.sampled_from(
    ["‘‘", "’’", "‘", "’", "“", "”", '"', "«", "»", " ने ", " ने कहा", "उन्होंने", " نے کہا",
     "انہوں", "अमित शाह", "عمران خان", "श्री", "के मुताबिक", "کے مطابق", ",", "،", "।", "۔",
     " ", "\n", "\n\n", "\n\n\n", "मंत्री", "कि", "के", "वी", "x"]
)  # fmt: skip


@given(st.lists(st.one_of(WORDS, st.text(max_size=6)), max_size=60), st.sampled_from(["hi", ""]))
def test_random_bodies_never_raise_and_keep_offsets(parts: list[str], language: str) -> None:
    body = "".join(parts)
    for q in find_quotes(body, language):
        assert body[q.start : q.end] == q.text
