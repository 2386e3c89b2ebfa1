"""Over every real sample: the share refused does not rise, and each refusal says why, naming
the format it was read as or saying it is not a format wiredesk reads."""

from __future__ import annotations

from conftest import SAMPLES, samples
from wiredesk import formats
from wiredesk.exceptions import ParseError

# Measured on main before the agency dialects (scripts/sample-refusals.py): 77 of 242 files,
# 70 of them feedparser's test feeds that hold no entries.
REFUSED_BEFORE = 77
# Refused since strict decoding (issue 15, finding 6), on purpose: publishing them means
# publishing mojibake. One declares UTF-8 over bytes that are not; the others are unlabelled
# with too little evidence for any reading (one lone high byte), or Windows-1252 that only an
# HTTP header (which a file on disk does not have) names.
REFUSED_AS_MOJIBAKE = {
    "feedparser-pitfalls/encoding/bozo_encoding_mismatch_crash.xml",
    "feedparser-pitfalls/encoding/bozo_linenoise.xml",
    "feedparser-pitfalls/encoding/http_text_xml_charset_2.xml",
}


def test_no_more_samples_are_refused_and_each_refusal_names_its_format() -> None:
    samples(".")
    files = sorted(p for p in SAMPLES.rglob("*") if p.is_file() and p.name != "README.md")
    refused: dict[str, str] = {}
    for path in files:
        try:
            formats.parse(path.read_bytes())
        except ParseError as exc:
            refused[str(path.relative_to(SAMPLES))] = str(exc)
    for name in REFUSED_AS_MOJIBAKE:
        assert "is not valid UTF-8" in refused.pop(name), name
    assert len(refused) <= REFUSED_BEFORE, f"{len(refused)} of {len(files)} refused"
    labels = [label.lower() for label in formats.LABELS.values()]
    for name, reason in refused.items():
        assert 10 <= len(reason) <= 500 and reason.isprintable(), (name, reason)
        head = reason[:60].lower()
        assert reason.startswith(formats.NOT_READ) or any(label in head for label in labels), (
            name,
            reason,
        )
