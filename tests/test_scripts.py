"""Language from script and words; text direction; language tags as files write them."""

from __future__ import annotations

import pytest

from wiredesk.scripts import detect_language, direction, primary_tag, word_pattern


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("अफगानिस्तान के पंजशीर प्रांत में लड़ाई जारी है, अधिकारियों ने कहा।", "hi"),
        ("मुंबईत आज पाऊस झाला आणि वाहतूक ठप्प झाली आहे.", "mr"),
        ("افغانستان کے صوبہ پنجشیر میں لڑائی جاری ہے۔", "ur"),
        ("قال مسؤولون إن القتال مستمر في ولاية بنجشير.", "ar"),
        ("சென்னையில் கனமழை பெய்தது.", "ta"),
        ("কলকাতায় আজ বৃষ্টি হয়েছে।", "bn"),
        ("ਅੰਮ੍ਰਿਤਸਰ ਵਿੱਚ ਮੀਂਹ ਪਿਆ।", "pa"),
        ("హైదరాబాద్‌లో వర్షం కురిసింది.", "te"),
        ("The fighting went on, officials said on Wednesday in the capital.", "en"),
        ("Die Kämpfe gingen am Mittwoch weiter, sagten Beamte.", ""),
        ("", ""),
        ("12345", ""),
    ],
)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_direction_and_tags() -> None:
    assert direction("ur") == direction("ur-PK") == direction("AR") == "rtl"
    assert direction("hi") == direction("") == "ltr"
    assert primary_tag("hi_IN") == "hi-IN"
    assert primary_tag(" EN ") == "en"
    assert primary_tag("zh-hant-tw") == "zh-Hant-TW"
    assert primary_tag("<script>") == ""


def test_a_word_keeps_its_vowel_signs() -> None:
    # Python's \w leaves out Mc/Mn: "कहा" would be "कह" and a search for कहा would find कह.
    assert word_pattern().findall("उन्होंने कहा, ‘‘लड़ाई जारी’’") == ["उन्होंने", "कहा", "लड़ाई", "जारी"]
    assert word_pattern().findall("சென்னையில் மழை") == ["சென்னையில்", "மழை"]
