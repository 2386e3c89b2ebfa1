"""Word lists for the quotation rules (enrich/quotes.py): speech verbs, titles, name shapes."""

from __future__ import annotations

VERBS = (
    r"said|says|told|added|adds|asked|explained|insisted|stressed|noted|warned|wrote|tweeted"
    r"|declared|continued|recalled|replied|argued|remarked|observed|claimed|urged|posted"
    r"|alleged|asserted|admitted|conceded|maintained|assured|quipped|stated|questioned"
    r"|wondered|lamented|emphasised|emphasized|cautioned|acknowledged|countered|responded"
    r"|answered|reiterated|opined|vowed|pledged|promised|predicted|complained|joked|boasted"
)


def _words(text: str) -> set[str]:
    return set(text.split())


HONORIFICS = {"Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr.", "Prof", "Prof.", "Sir"}
PARTICLES = {"al", "bin", "de", "van", "von", "der", "da", "di", "du", "la", "le", "el", "ibn"}
# Capitalised words that are titles (the name follows them) or mark a non-person subject.
TITLES = _words(
    "President Minister Prime Chief Secretary Director Chairman Chairwoman Chair Governor Gov. "
    "Gen. General Deputy Commissioner Spokesman Spokeswoman Spokesperson Senator Sen. Rep. "
    "Representative Mayor Judge Justice Captain Coach Inspector Superintendent Officer Leader "
    "Ambassador Envoy King Queen Prince Princess Pope Admiral Colonel Col. Lt. Sergeant "
    "Administrator Executive Head Vice Former Acting Interior Foreign Finance Defence Defense "
    "Health Home Police Flight Resident Leftist Rightist Activist Analyst Lawyer Nurse Farmer "
    "Student Witness Veteran Survivor Rival Chancellor Premier Pastor Reverend Rev. Father "
    "Bishop Archbishop Cardinal Rabbi Imam Cleric Actor Actress Singer Director Filmmaker "
    "Producer Author Writer Professor Economist Strategist Manager Skipper Striker Founder "
    "Co-founder Commander Major Lieutenant Marshal Sheriff Attorney Prosecutor Advocate "
    "Councillor Councilman Councilwoman Congressman Congresswoman Dean Principal Teacher "
    "Doctor Surgeon Scientist Researcher Volunteer Owner Chairperson Mother"
)
NOT_PERSON = _words(
    "The A An It This That These Those They We He She I You Its His Her Their Our Police "
    "Officials Ministry Department Government Party Company Group Association Council Office "
    "Agency Commission Union Army Forces Court Bank University Committee News Times Post Press "
    "Institute Foundation Organisation Organization Federation League Club House Inc Inc. Corp "
    "Ltd Board Centre Center Zone Service Services Report Statement Analysts Researchers "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May "
    "June July August September October November December North South East West New United "
    "Republic Kingdom States City Sources Residents Officers Witnesses Critics Experts Limited "
    "LLC PLC plc Co Co. Corp. Holdings Airlines Airways Airport Authority Corporation"
)
INTRO = {"but", "and", "meanwhile", "however", "on", "in", "at", "after", "when", "while"}
# A name after one of these ("a spokesman for the X Y", "headed by Justice X") is an object,
# not the one speaking.
GOVERNING = _words("of for at from by with to in on and or than about against under")
# A leading clause before the subject: "Reacting to the charge, ROLE NAME said".
LEAD_IN = _words("later earlier separately meanwhile however also asked but and then")
