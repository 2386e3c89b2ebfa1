"""The words of story openings: month names, day-number words and agency credits, by language.

Kept apart from the grammar (openings.py) so that a language is added by adding its words here.
Each month entry lists the spellings agencies use, full and abbreviated, separated by "|";
case does not matter ("24 FEB", "12 GIU"). A name in an Indian script is matched in every
Unicode form a file may carry it in (a nukta letter precomposed or not).
"""

from __future__ import annotations

import unicodedata

# Twelve entries per language, January first.
MONTHS_BY_LANGUAGE: dict[str, tuple[str, ...]] = {
    "en": (
        "january|jan", "february|feb", "march|mar", "april|apr", "may", "june|jun",
        "july|jul", "august|aug", "september|sept|sep", "october|oct", "november|nov",
        "december|dec",
    ),
    "es": (
        "enero|ene", "febrero|feb", "marzo|mar", "abril|abr", "mayo|may", "junio|jun",
        "julio|jul", "agosto|ago", "septiembre|setiembre|sept|sep|set", "octubre|oct",
        "noviembre|nov", "diciembre|dic",
    ),
    "pt": (
        "janeiro|jan", "fevereiro|fev", "março|marco|mar", "abril|abr", "maio|mai",
        "junho|jun", "julho|jul", "agosto|ago", "setembro|set", "outubro|out",
        "novembro|nov", "dezembro|dez",
    ),
    "fr": (
        "janvier|janv", "février|fevrier|févr|fevr|fév", "mars", "avril|avr", "mai", "juin",
        "juillet|juil", "août|aout", "septembre|sept", "octobre|oct", "novembre|nov",
        "décembre|decembre|déc",
    ),
    "de": (
        "januar|jänner|jan", "februar|feber|feb", "märz|maerz|mär|mrz", "april|apr", "mai",
        "juni|jun", "juli|jul", "august|aug", "september|sept|sep", "oktober|okt",
        "november|nov", "dezember|dez",
    ),
    "it": (
        "gennaio|gen", "febbraio|feb", "marzo|mar", "aprile|apr", "maggio|mag", "giugno|giu",
        "luglio|lug", "agosto|ago", "settembre|set", "ottobre|ott", "novembre|nov",
        "dicembre|dic",
    ),
    "nl": (
        "januari|jan", "februari|feb", "maart|mrt", "april|apr", "mei", "juni|jun",
        "juli|jul", "augustus|aug", "september|sep", "oktober|okt", "november|nov",
        "december|dec",
    ),
    "sv": (
        "januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
        "september", "oktober", "november", "december",
    ),
    "no-da": (
        "januar", "februar", "mars|marts", "april", "mai|maj", "juni", "juli", "august",
        "september", "oktober", "november", "desember|december",
    ),
    "fi": (
        "tammikuuta|tammikuu", "helmikuuta|helmikuu", "maaliskuuta|maaliskuu",
        "huhtikuuta|huhtikuu", "toukokuuta|toukokuu", "kesäkuuta|kesäkuu",
        "heinäkuuta|heinäkuu", "elokuuta|elokuu", "syyskuuta|syyskuu", "lokakuuta|lokakuu",
        "marraskuuta|marraskuu", "joulukuuta|joulukuu",
    ),
    "ar": (
        "يناير|كانون الثاني|جانفي", "فبراير|شباط|فيفري", "مارس|آذار",
        "أبريل|ابريل|إبريل|نيسان|أفريل|افريل", "مايو|أيار|ايار|ماي",
        "يونيو|يونيه|حزيران|جوان", "يوليو|يوليه|تموز|جويلية", "أغسطس|اغسطس|آب|أوت|اوت",
        "سبتمبر|أيلول|ايلول", "أكتوبر|اكتوبر|تشرين الأول|تشرين الاول",
        "نوفمبر|تشرين الثاني", "ديسمبر|كانون الأول|كانون الاول",
    ),
    "hi": (
        "जनवरी", "फरवरी|फ़रवरी", "मार्च", "अप्रैल|अप्रेल", "मई", "जून", "जुलाई", "अगस्त",
        "सितंबर|सितम्बर", "अक्टूबर|अक्तूबर|अक्तुबर", "नवंबर|नवम्बर", "दिसंबर|दिसम्बर",
    ),
    "mr": (
        "जानेवारी", "फेब्रुवारी", "मार्च", "एप्रिल", "मे", "जून", "जुलै", "ऑगस्ट",
        "सप्टेंबर", "ऑक्टोबर", "नोव्हेंबर", "डिसेंबर",
    ),
    "ur": (
        "جنوری", "فروری", "مارچ", "اپریل", "مئی", "جون", "جولائی", "اگست", "ستمبر",
        "اکتوبر", "نومبر", "دسمبر",
    ),
    "bn": (
        "জানুয়ারি|জানুয়ারী", "ফেব্রুয়ারি|ফেব্রুয়ারী", "মার্চ", "এপ্রিল", "মে", "জুন",
        "জুলাই", "আগস্ট|অগাস্ট", "সেপ্টেম্বর", "অক্টোবর", "নভেম্বর", "ডিসেম্বর",
    ),
    "ta": (
        "ஜனவரி|ஜன", "பிப்ரவரி|பிப்", "மார்ச்", "ஏப்ரல்", "மே", "ஜூன்", "ஜூலை",
        "ஆகஸ்ட்|ஆக", "செப்டம்பர்|செப்", "அக்டோபர்|அக்", "நவம்பர்|நவ", "டிசம்பர்|டிச",
    ),
    "te": (
        "జనవరి", "ఫిబ్రవరి", "మార్చి", "ఏప్రిల్", "మే", "జూన్", "జూలై|జులై",
        "ఆగస్టు|ఆగస్ట్", "సెప్టెంబర్|సెప్టెంబరు", "అక్టోబర్|అక్టోబరు", "నవంబర్|నవంబరు",
        "డిసెంబర్|డిసెంబరు",
    ),
    "kn": (
        "ಜನವರಿ", "ಫೆಬ್ರವರಿ", "ಮಾರ್ಚ್", "ಏಪ್ರಿಲ್", "ಮೇ", "ಜೂನ್", "ಜುಲೈ", "ಆಗಸ್ಟ್",
        "ಸೆಪ್ಟೆಂಬರ್", "ಅಕ್ಟೋಬರ್", "ನವೆಂಬರ್", "ಡಿಸೆಂಬರ್",
    ),
    "ml": (
        "ജനുവരി", "ഫെബ്രുവരി", "മാർച്ച്", "ഏപ്രിൽ", "മേയ്|മെയ്", "ജൂൺ", "ജൂലൈ",
        "ഓഗസ്റ്റ്|ആഗസ്റ്റ്", "സെപ്റ്റംബർ", "ഒക്ടോബർ", "നവംബർ", "ഡിസംബർ",
    ),
    "gu": (
        "જાન્યુઆરી", "ફેબ્રુઆરી", "માર્ચ", "એપ્રિલ", "મે", "જૂન", "જુલાઈ", "ઓગસ્ટ",
        "સપ્ટેમ્બર", "ઓક્ટોબર", "નવેમ્બર", "ડિસેમ્બર",
    ),
    "pa": (
        "ਜਨਵਰੀ", "ਫ਼ਰਵਰੀ|ਫਰਵਰੀ", "ਮਾਰਚ", "ਅਪ੍ਰੈਲ|ਅਪਰੈਲ", "ਮਈ", "ਜੂਨ", "ਜੁਲਾਈ", "ਅਗਸਤ",
        "ਸਤੰਬਰ", "ਅਕਤੂਬਰ", "ਨਵੰਬਰ", "ਦਸੰਬਰ",
    ),
    "or": (
        "ଜାନୁଆରୀ", "ଫେବୃଆରୀ", "ମାର୍ଚ୍ଚ", "ଅପ୍ରେଲ", "ମେ", "ଜୁନ", "ଜୁଲାଇ", "ଅଗଷ୍ଟ",
        "ସେପ୍ଟେମ୍ବର", "ଅକ୍ଟୋବର", "ନଭେମ୍ବର", "ଡିସେମ୍ବର",
    ),
}  # fmt: skip

# Days written as words: Hindi desks (PTI Bhasha) write "एक सितंबर"; Urdu "یکم ستمبر".
DAY_WORDS: dict[str, int] = {
    "एक": 1, "दो": 2, "तीन": 3, "चार": 4, "पांच": 5, "पाँच": 5, "छह": 6, "छः": 6,
    "सात": 7, "आठ": 8, "नौ": 9, "दस": 10, "ग्यारह": 11, "बारह": 12, "तेरह": 13,
    "चौदह": 14, "पंद्रह": 15, "पन्द्रह": 15, "सोलह": 16, "सत्रह": 17, "अठारह": 18,
    "उन्नीस": 19, "बीस": 20, "इक्कीस": 21, "बाईस": 22, "तेईस": 23, "चौबीस": 24,
    "पच्चीस": 25, "छब्बीस": 26, "सत्ताईस": 27, "अट्ठाईस": 28, "अठ्ठाईस": 28, "उनतीस": 29,
    "तीस": 30, "इकतीस": 31, "इकत्तीस": 31, "पहली": 1,
    "یکم": 1, "ایک": 1, "دو": 2, "تین": 3, "چار": 4, "پانچ": 5, "چھ": 6, "سات": 7,
    "آٹھ": 8, "نو": 9, "دس": 10,
}  # fmt: skip

# Agencies, as their credits are written. Latin ones upper-cased (compare with .upper());
# plain capitals that are not listed still pass as a credit shape beside a capitals dateline.
LATIN_CREDITS = {
    "PTI", "IANS", "ANI", "UNI", "AFP", "AP", "REUTERS", "RTR", "DPA", "DPA-AFX", "ANSA",
    "EFE", "PA", "NTB", "TT", "STT", "FNB", "RITZAU", "APA", "SDA", "ATS", "KAP",
    "KATHPRESS", "XINHUA", "KYODO", "JIJI", "JIJI PRESS", "YONHAP", "TASS", "INTERFAX",
    "SPUTNIK", "RIA NOVOSTI", "BERNAMA", "ANTARA", "BSS", "APP", "WAM", "SPA", "KUNA",
    "MENA", "QNA", "SANA", "IRNA", "AA", "ANADOLU", "AAP", "CP", "UPI", "BLOOMBERG",
    "IANS/ANI", "ANP", "AFN", "BELGA", "LUSA", "EUROPA PRESS", "NOTIMEX", "PAP", "CTK",
    "MTI", "HINA", "BTA", "VNA", "GLOBE NEWSWIRE", "BUSINESS WIRE", "PR NEWSWIRE",
    "PRNEWSWIRE", "MARKETWIRE", "ACCESSWIRE",
    # German, Swiss and Italian agencies that write a mixed-case credit after a place.
    "SID", "KNA", "EPD", "DTS", "DDP", "DAPD", "OTS", "APA-OTS", "AWP", "KEYSTONE-ATS",
    "KEYSTONE-SDA", "AGI", "ADNKRONOS", "LAPRESSE", "ASKANEWS", "DIRE",
}  # fmt: skip

# Credits in scripts without capitals: only a listed one makes an opening (see openings.py).
SCRIPT_CREDITS = {
    # Hindi: PTI Bhasha, IANS, ANI, UNI Varta, and "agency".
    "भाषा", "पीटीआई", "पीटीआई-भाषा", "आईएएनएस", "एएनआई", "वार्ता", "यूएनआई", "यूनीवार्ता",
    "एजेंसी",
    # Marathi.
    "पीटीआय", "वृत्तसंस्था",
    # Urdu.
    "پی ٹی آئی", "یو این آئی", "آئی اے این ایس", "اے این آئی", "ایجنسی",
    # Tamil, Bengali, Telugu, Kannada, Malayalam, Gujarati, Punjabi, Odia.
    "பிடிஐ", "ஐஏஎன்எஸ்", "ஏஎன்ஐ", "யுஎன்ஐ",
    "পিটিআই", "আইএএনএস", "এএনআই", "ইউএনআই",
    "పీటీఐ", "పిటిఐ", "ఐఏఎన్ఎస్", "ఏఎన్ఐ",
    "ಪಿಟಿಐ", "ಐಎಎನ್ಎಸ್",
    "പിടിഐ", "ഐഎഎൻഎസ്",
    "પીટીઆઈ", "આઈએએનએસ",
    "ਪੀਟੀਆਈ", "ਆਈਏਐਨਐਸ",
    "ପିଟିଆଇ",
    # Arabic: AFP, Reuters, AP, dpa, SPA, WAM, QNA, KUNA, MENA, Petra, SANA, Xinhua,
    # Anadolu, UPI, IRNA (Arabic and Persian spellings), WAFA.
    "أ ف ب", "ا ف ب", "أ.ف.ب", "رويترز", "أ ب", "ا ب", "د ب أ", "د ب ا", "د.ب.أ", "واس",
    "وام", "قنا", "كونا", "أ ش أ", "ا ش ا", "بترا", "سانا", "شينخوا", "الأناضول",
    "يو بي آي", "إرنا", "ارنا", "ايرنا", "ایرنا", "وفا",
    # Russian and Greek agencies' own spellings.
    "ТАСС", "РИА НОВОСТИ", "ИНТЕРФАКС", "ΑΠΕ", "ΑΠΕ-ΜΠΕ",
}  # fmt: skip

# How sites print a credit, where that differs from the credit as written.
AGENCY_NAMES = {
    "REUTERS": "Reuters", "DPA": "dpa", "XINHUA": "Xinhua", "KYODO": "Kyodo",
    "GLOBE NEWSWIRE": "GlobeNewswire", "BUSINESS WIRE": "Business Wire",
    "PRNEWSWIRE": "PR Newswire", "PR NEWSWIRE": "PR Newswire",
}  # fmt: skip

# Lower-case words inside a place name: "Frankfurt am Main", "Rio de Janeiro".
PLACE_CONNECTORS = {
    "am", "an", "der", "den", "dem", "de", "del", "della", "di", "da", "do", "dos", "das",
    "du", "des", "la", "le", "les", "el", "al", "es", "of", "on", "upon", "sur", "sous",
    "en", "im", "in", "bei", "ob", "op", "aan", "van", "von", "y", "e", "i", "och", "og",
    "ved", "på", "sul", "sull'", "d'",
}  # fmt: skip

# Nukta letters have a precomposed code point that NFC itself never produces.
_NUKTA = {
    "\u0958": "\u0915\u093c", "\u0959": "\u0916\u093c", "\u095a": "\u0917\u093c",
    "\u095b": "\u091c\u093c", "\u095c": "\u0921\u093c", "\u095d": "\u0922\u093c",
    "\u095e": "\u092b\u093c", "\u095f": "\u092f\u093c", "\u09dc": "\u09a1\u09bc",
    "\u09dd": "\u09a2\u09bc", "\u09df": "\u09af\u09bc", "\u0a59": "\u0a16\u0a3c",
    "\u0a5a": "\u0a17\u0a3c", "\u0a5b": "\u0a1c\u0a3c", "\u0a5e": "\u0a2b\u0a3c",
    "\u0b5c": "\u0b21\u0b3c", "\u0b5d": "\u0b22\u0b3c",
}  # fmt: skip


def spellings(word: str) -> set[str]:
    """The word in each Unicode form a file may hold it in."""
    forms = {word, unicodedata.normalize("NFC", word), unicodedata.normalize("NFD", word)}
    for form in list(forms):
        composed = form
        for single, pair in _NUKTA.items():
            composed = composed.replace(pair, single)
        forms.add(composed)
    return forms


def month_names() -> dict[str, int]:
    """Every spelling of every month, case-folded, with its number."""
    names: dict[str, int] = {}
    for months in MONTHS_BY_LANGUAGE.values():
        for number, entry in enumerate(months, start=1):
            for name in entry.split("|"):
                for form in spellings(name):
                    names[form.casefold()] = number
    return names


def day_words() -> dict[str, int]:
    return {form: day for word, day in DAY_WORDS.items() for form in spellings(word)}


def credit_key(credit: str) -> str:
    """A credit compared with the lists: one space between words, capitals, NFC."""
    return " ".join(unicodedata.normalize("NFC", credit).split()).upper()


KNOWN_CREDITS: set[str] = LATIN_CREDITS | {credit_key(c) for c in SCRIPT_CREDITS}
